//! The superior office's workbench at a region's scale (issue 15.5), through the site's real
//! router in one process: N units registered under a city, N reports of 2023 and the same N
//! units' reports of 2024 made from the real reports of `../shared/reports/expected` (each
//! unit renamed, its cells varied: 本年新收 自然人 and 商业企业, half with the 总计 kept
//! right and half not, so findings are real), each year's reports posted as one .zip to
//! `/admin/oversight/import` (read, checked, stored), then the 2024 workbench page
//! (`/admin/oversight?year=2024`) asked for several times.
//!
//! Prints the time of each import (unzip + read + check + store, the whole request) and of the
//! page (min and median of the runs). Run on a release build:
//!
//! ```sh
//! cargo run --release -p gongkai-web --example bench_oversight -- 2000            # SQLite
//! cargo run --release -p gongkai-web --example bench_oversight -- 2000 "$GONGKAI_TEST_PG_URL"
//! ```
//!
//! On PostgreSQL the example works in a schema of its own and drops it afterwards.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stdout)]

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::Utc;
use gongkai_law::{ReportFormat, Table3Row};
use gongkai_report::Report;
use gongkai_search::SearchIndex;
use gongkai_store::auth::{self, NewUser, Role};
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::oversight::{self, NewUnit};
use gongkai_store::{Crypto, Store};
use gongkai_web::admin::SESSION_COOKIE;
use gongkai_web::{AppState, SiteSettings};
use http_body_util::BodyExt;
use tower::ServiceExt;

const PASSWORD: &str = "bench-password-123456";
const PAGE_RUNS: usize = 7;

fn real_reports() -> Vec<Report> {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reports/expected");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("../shared/reports/expected")
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| Report::from_json(&std::fs::read_to_string(p).unwrap()).unwrap())
        .filter(|r| r.format == ReportFormat::Current2021)
        .collect()
}

fn unit_name(i: usize) -> String {
    format!("某市第{:04}号单位", i + 1)
}

/// Unit `i`'s report of `year` as text: a real report's tables, renamed and varied.
fn report_text(real: &[Report], i: usize, year: i32) -> Vec<u8> {
    let mut r = real[i % real.len()].clone();
    r.agency = unit_name(i);
    r.year = year;
    let d = (i % 97) as i64 + i64::from(year - 2023) * 3;
    if let Some(row) = r.requests.get_mut(&Table3Row::NewReceived) {
        row[0] = row[0].map(|v| v + d);
        row[1] = row[1].map(|v| v + d % 5);
        // Half the units keep their 总计 right; the other half get a sum error.
        if i.is_multiple_of(2) {
            row[6] = row[6].map(|v| v + d + d % 5);
        }
    }
    gongkai_report::render::text(&r).into_bytes()
}

fn zip_of(real: &[Report], n: usize, year: i32) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..n {
        w.start_file(
            format!("{year}/{}.txt", unit_name(i)),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        w.write_all(&report_text(real, i, year)).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn multipart(csrf: &str, name: &str, data: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----gongkai-bench-boundary";
    let mut body = Vec::new();
    let mut field = |head: String, data: &[u8]| {
        body.extend_from_slice(format!("--{boundary}\r\n{head}\r\n\r\n").as_bytes());
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    };
    field(
        "Content-Disposition: form-data; name=\"csrf\"".into(),
        csrf.as_bytes(),
    );
    field(
        "Content-Disposition: form-data; name=\"published_on\"".into(),
        b"2025-01-20",
    );
    field(
        format!(
            "Content-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/zip"
        ),
        data,
    );
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, String, Duration) {
    let start = Instant::now();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    let took = start.elapsed();
    (status, String::from_utf8_lossy(&body).into_owned(), took)
}

/// A PostgreSQL URL with a fresh schema of its own, and that schema's name.
async fn pg_schema(base: &str) -> (String, String) {
    let schema = format!("bench_oversight_{:x}", std::process::id());
    let admin = sqlx::PgPool::connect(base).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let sep = if base.contains('?') { '&' } else { '?' };
    (format!("{base}{sep}options[search_path]={schema}"), schema)
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().map_or(2000, |a| a.parse().expect("N"));
    let pg = args.next();
    let dir = tempfile::tempdir().unwrap();
    let (url, schema) = match &pg {
        Some(base) => {
            let (u, s) = pg_schema(base).await;
            (u, Some(s))
        }
        None => (
            format!("sqlite://{}", dir.path().join("bench.db").display()),
            None,
        ),
    };
    let db = if schema.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let store = Store::open_with_crypto(&url, Crypto::random())
        .await
        .unwrap();
    let city = agency::ensure(
        &store,
        "bench",
        "某市人民政府",
        AgencyLevel::City,
        None,
        None,
    )
    .await
    .unwrap()
    .id;
    let levels = [
        AgencyLevel::County,
        AgencyLevel::Department,
        AgencyLevel::Township,
    ];
    let setup = Instant::now();
    for i in 0..n {
        oversight::register_unit(
            &store,
            "bench",
            city,
            &NewUnit {
                name: &unit_name(i),
                level: levels[i % levels.len()],
                parent_name: None,
                summary: false,
            },
            Utc::now(),
        )
        .await
        .unwrap();
    }
    auth::create_user(
        &store,
        "bench",
        &NewUser {
            name: "shangji".into(),
            role: Role::Superior,
            agency_id: Some(city),
        },
        PASSWORD,
        Utc::now(),
    )
    .await
    .unwrap();
    let session = auth::login(&store, "shangji", PASSWORD, Utc::now())
        .await
        .unwrap();
    let cookie = format!("{SESSION_COOKIE}={}", session.token.as_str());
    let site = SiteSettings {
        site_name: "某市人民政府".into(),
        agency_id: city,
        site_code: "0000000000".into(),
        icp: "ICP".into(),
    };
    let state = AppState::new(
        store.clone(),
        site,
        Arc::new(SearchIndex::in_memory().unwrap()),
    );
    let app = gongkai_web::router(state);
    let real = real_reports();
    let zips = [
        (2023, zip_of(&real, n, 2023)),
        (2024, zip_of(&real, n, 2024)),
    ];
    println!(
        "bench_oversight on {db}: {n} units registered, {} real reports as models, set-up {}",
        real.len(),
        ms(setup.elapsed())
    );

    for (year, zip) in &zips {
        let (ct, body) = multipart(&session.csrf, &format!("{year}.zip"), zip);
        let req = Request::post("/admin/oversight/import")
            .header(header::CONTENT_TYPE, ct)
            .header(header::COOKIE, &cookie)
            .body(Body::from(body))
            .unwrap();
        let (status, page, took) = send(&app, req).await;
        let imported = page.matches("已导入").count();
        assert_eq!(status, StatusCode::OK, "{}", &page[..page.len().min(2000)]);
        assert_eq!(imported, n, "every report imported");
        println!(
            "import {year}: {n} reports in one .zip ({} KB): {} ({imported} imported)",
            zip.len() / 1024,
            ms(took)
        );
    }

    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..PAGE_RUNS {
        let req = Request::get("/admin/oversight?year=2024")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap();
        let (status, page, took) = send(&app, req).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains(&unit_name(n - 1)), "every unit on the page");
        size = page.len();
        times.push(took);
    }
    times.sort();
    println!(
        "workbench page of {n} units ({} KB): min {}, median {} over {PAGE_RUNS} runs",
        size / 1024,
        ms(times[0]),
        ms(times[PAGE_RUNS / 2])
    );

    store.close().await;
    if let (Some(schema), Some(base)) = (schema, pg) {
        let admin = sqlx::PgPool::connect(&base).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
            .execute(&admin)
            .await
            .unwrap();
        admin.close().await;
    }
}
