//! The superior office's workbench through the site's router on a temporary SQLite store
//! (issue 15.3, acceptance 3 and 4 at the HTTP level): ten units' reports of 2023 and of 2024
//! imported as .zip archives, the ranking with its terms, a unit's comparison with last year,
//! a finding dismissed with a note that holds when the same archive is imported again and is
//! cleared when the unit's cells change, the 通报 exported as XLSX and DOCX, and every other
//! role — and the superior of another county — refused.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, TimeZone, Utc};
use gongkai_law::Table3Row;
use gongkai_report::Report;
use gongkai_store::audit;
use gongkai_store::auth::Role;
use gongkai_store::models::agency::{self, AgencyLevel};

use super::{AdminSettings, CookieSecurity};
use crate::AppState;
use crate::admin::test_support::{self as support, Answer};

/// 2025-04-10: the reports of 2024 are all due.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 4, 10, 1, 0, 0).single().unwrap()
}

/// The ten units: three agencies of the store and seven registered outside units.
const UNITS: [&str; 10] = [
    "甲县人民政府",
    "甲县教育局",
    "甲县城关镇人民政府",
    "甲县财政局",
    "甲县公安局",
    "甲县民政局",
    "甲县卫生健康委员会",
    "甲县自然资源局",
    "甲县市场监督管理局",
    "甲县城乡建设局",
];

struct Fx {
    app: Router,
    state: AppState,
    _dir: tempfile::TempDir,
    county: i64,
    other: i64,
}

impl Fx {
    async fn new() -> Fx {
        let (store, dir) = support::store().await;
        let county = agency::ensure(&store, "t", UNITS[0], AgencyLevel::County, None, None)
            .await
            .unwrap()
            .id;
        agency::ensure(
            &store,
            "t",
            UNITS[1],
            AgencyLevel::Department,
            Some(county),
            None,
        )
        .await
        .unwrap();
        agency::ensure(
            &store,
            "t",
            UNITS[2],
            AgencyLevel::Township,
            Some(county),
            None,
        )
        .await
        .unwrap();
        let other = agency::ensure(&store, "t", "乙县人民政府", AgencyLevel::County, None, None)
            .await
            .unwrap()
            .id;
        let mut state = support::state(store, county);
        // The URL-list test serves its reports on loopback.
        state.fetch_private = true;
        let settings = || AdminSettings {
            secure_cookie: CookieSecurity::Never,
            clock: Arc::new(now),
        };
        // The upload is mounted beside the back office (as the site does), with the same clock.
        let app = Router::new()
            .merge(super::router_with(settings()))
            .merge(super::oversight::upload_routes().layer(axum::Extension(Arc::new(settings()))))
            .with_state(state.clone());
        Fx {
            app,
            state,
            _dir: dir,
            county,
            other,
        }
    }

    async fn user(&self, name: &str, role: Role, agency: i64) -> (String, String) {
        support::signed_in(&self.state, name, role, Some(agency), now()).await
    }

    async fn get(&self, path: &str, cookie: &str) -> Answer {
        support::get(&self.app, path, cookie).await
    }

    async fn post(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Answer {
        support::post(&self.app, path, cookie, form).await
    }

    /// A multipart upload of `files` (name, bytes) with the CSRF token.
    async fn import(&self, cookie: &str, csrf: &str, files: &[(&str, &[u8])]) -> Answer {
        self.import_with(cookie, csrf, &[], files).await
    }

    /// The import form with `fields` (name, text) beside the files.
    async fn import_with(
        &self,
        cookie: &str,
        csrf: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &[u8])],
    ) -> Answer {
        let boundary = "----gongkai-test-boundary";
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
        for (name, text) in fields {
            field(
                format!("Content-Disposition: form-data; name=\"{name}\""),
                text.as_bytes(),
            );
        }
        for (name, data) in files {
            field(
                format!(
                    "Content-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream"
                ),
                data,
            );
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let req = Request::post("/admin/oversight/import")
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::COOKIE, cookie)
            .body(Body::from(body))
            .unwrap();
        support::send(&self.app, req).await
    }
}

/// The real reports' canonical JSON, cycled over the ten units.
fn real_reports() -> Vec<Report> {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reports/expected");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    names
        .iter()
        .map(|p| Report::from_json(&std::fs::read_to_string(p).unwrap()).unwrap())
        .filter(|r| r.format == gongkai_law::ReportFormat::Current2021)
        .collect()
}

/// Ten reports of `year` as text files: real tables, varied per unit, named by unit. Unit 3's
/// 2024 report carries in 7 although its 2023 report carried out 0 (X-CARRY).
fn reports_of(year: i32, bump: i64) -> Vec<(String, Vec<u8>)> {
    let real = real_reports();
    UNITS
        .iter()
        .enumerate()
        .map(|(i, unit)| {
            let mut r = real[i % real.len()].clone();
            r.agency = (*unit).to_string();
            r.year = year;
            if let Some(row) = r.requests.get_mut(&Table3Row::NewReceived) {
                row[0] = row[0].map(|v| v + i as i64 + bump);
            }
            if i == 3 {
                let carried = if year == 2024 { 7 } else { 0 };
                r.requests.insert(
                    Table3Row::CarriedIn,
                    [
                        Some(carried),
                        Some(0),
                        Some(0),
                        Some(0),
                        Some(0),
                        Some(0),
                        Some(carried),
                    ],
                );
                r.requests.insert(
                    Table3Row::CarriedOut,
                    [
                        Some(0),
                        Some(0),
                        Some(0),
                        Some(0),
                        Some(0),
                        Some(0),
                        Some(0),
                    ],
                );
            }
            (
                format!("{year}/{unit}.txt"),
                gongkai_report::render::text(&r).into_bytes(),
            )
        })
        .collect()
}

fn zip_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (n, b) in files {
        w.start_file(n.as_str(), zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn link_of(body: &str, unit: &str) -> String {
    let at = body.find(&format!(">{unit}</a>")).expect("unit link");
    let start = body[..at].rfind("href=\"").unwrap() + 6;
    let end = start + body[start..].find('"').unwrap();
    body[start..end].to_string()
}

fn unzip_text(bytes: &[u8], part: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(part).unwrap().read_to_string(&mut s).unwrap();
    s
}

#[tokio::test]
async fn the_superior_imports_ranks_compares_decides_and_exports() {
    let fx = Fx::new().await;
    let (sup, csrf) = fx.user("shangji", Role::Superior, fx.county).await;

    // Seven units outside the store, registered by name and level.
    for unit in &UNITS[3..] {
        let (status, _, body) = fx
            .post(
                "/admin/oversight/units",
                &sup,
                &[
                    ("csrf", &csrf),
                    ("name", unit),
                    ("level", "department"),
                    ("parent", UNITS[0]),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    }

    let z2023 = zip_of(&reports_of(2023, 0));
    let z2024 = zip_of(&reports_of(2024, 0));
    let (status, _, body) = fx.import(&sup, &csrf, &[("2023.zip", &z2023)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body.matches("已导入").count(), 10, "{body}");
    let (status, _, body) = fx.import(&sup, &csrf, &[("2024.zip", &z2024)]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body.matches("已导入").count(), 10, "{body}");

    // The workbench of 2024: every unit reported, the ranking with its terms.
    let (status, _, page) = fx.get("/admin/oversight?year=2024", &sup).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("已报送 10 个，未报送 0 个"), "{page}");
    assert!(page.contains("id=\"ranking\""));
    assert!(
        page.contains("同比异常 "),
        "the X-CARRY of unit 3 is a term"
    );
    for unit in UNITS {
        assert!(page.contains(unit), "{unit}");
    }
    assert!(page.contains("id=\"rollup\""));

    // Unit 3's page: last year beside this year, and the X-CARRY finding.
    let url = link_of(&page, UNITS[3]);
    let (status, _, unit_page) = fx.get(&url, &sup).await;
    assert_eq!(status, StatusCode::OK);
    assert!(unit_page.contains("与2023年度对比"));
    assert!(unit_page.contains("id=\"changes\""));
    assert!(unit_page.contains("X-CARRY"));
    let key_at = unit_page
        .find("name=\"key\" value=\"X-CARRY")
        .expect("a decide form");
    let start = key_at + "name=\"key\" value=\"".len();
    let key = unit_page[start..start + unit_page[start..].find('"').unwrap()]
        .replace("&#124;", "|")
        .replace("&#x7c;", "|");

    // Dismissed with a note; without a note it is refused.
    let decide = format!("{url}/decide");
    let (status, _, _) = fx
        .post(
            &decide,
            &sup,
            &[
                ("csrf", &csrf),
                ("key", &key),
                ("verdict", "dismissed"),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let note = "该单位说明：上年度结转数据已更正";
    let (status, _, body) = fx
        .post(
            &decide,
            &sup,
            &[
                ("csrf", &csrf),
                ("key", &key),
                ("verdict", "dismissed"),
                ("note", note),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let (_, _, unit_page) = fx.get(&url, &sup).await;
    assert!(
        unit_page.contains(&format!("已排除：{note}")),
        "{unit_page}"
    );

    // The same archive again: the dismissal holds.
    let (_, _, body) = fx.import(&sup, &csrf, &[("2024.zip", &z2024)]).await;
    assert_eq!(body.matches("表格未变，原有判定保留").count(), 10, "{body}");
    let (_, _, unit_page) = fx.get(&url, &sup).await;
    assert!(unit_page.contains(&format!("已排除：{note}")));

    // The 通报: XLSX with the ranking and the decision, DOCX with the narrative.
    let (status, h, xlsx) = {
        let req = Request::get("/admin/oversight/export?year=2024&format=xlsx")
            .header(header::COOKIE, &sup)
            .body(Body::empty())
            .unwrap();
        let resp = tower::ServiceExt::oneshot(fx.app.clone(), req)
            .await
            .unwrap();
        let status = resp.status();
        let h = resp.headers().clone();
        let body = http_body_util::BodyExt::collect(resp.into_body())
            .await
            .unwrap()
            .to_bytes();
        (status, h, body.to_vec())
    };
    assert_eq!(status, StatusCode::OK);
    assert!(
        h[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    let strings = unzip_text(&xlsx, "xl/sharedStrings.xml");
    assert!(strings.contains("计分说明") && strings.contains(note) && strings.contains(UNITS[3]));
    assert!(unzip_text(&xlsx, "xl/workbook.xml").contains("风险排名"));
    let req = Request::get("/admin/oversight/export?year=2024&format=docx")
        .header(header::COOKIE, &sup)
        .body(Body::empty())
        .unwrap();
    let resp = tower::ServiceExt::oneshot(fx.app.clone(), req)
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let docx = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    let xml = unzip_text(&docx, "word/document.xml");
    assert!(xml.contains("2024年度政府信息公开工作年度报告审查情况的通报"));
    assert!(xml.contains("应报送10个单位，已报送10个"), "{xml}");
    if let Ok(dir) = std::env::var("GONGKAI_OVERSIGHT_EXPORT_DIR") {
        std::fs::write(format!("{dir}/tongbao.xlsx"), &xlsx).unwrap();
        std::fs::write(format!("{dir}/tongbao.docx"), &docx).unwrap();
    }

    // Unit 3's cells change: re-imported, its dismissal is cleared.
    let mut changed = reports_of(2024, 0);
    changed.truncate(4);
    let mut r = gongkai_report::parse::parse_str(
        std::str::from_utf8(&changed[3].1).unwrap(),
        &gongkai_report::parse::ParseOptions::default(),
    )
    .unwrap()
    .report;
    r.requests.get_mut(&Table3Row::NewReceived).unwrap()[1] = Some(99);
    let text = gongkai_report::render::text(&r);
    let (_, _, body) = fx
        .import(&sup, &csrf, &[("甲县财政局.txt", text.as_bytes())])
        .await;
    assert!(body.contains("表格有变化，清除原有判定 1 条"), "{body}");
    let (_, _, unit_page) = fx.get(&url, &sup).await;
    assert!(!unit_page.contains("已排除"));

    let log = audit::recent(&fx.state.store, 500).await.unwrap();
    assert!(log.iter().any(|e| e.action == "oversight.decide"));
    assert_eq!(
        log.iter()
            .filter(|e| e.action == "oversight.import")
            .count(),
        31
    );
}

#[tokio::test]
async fn other_roles_and_other_counties_are_refused() {
    let fx = Fx::new().await;
    let (sup, csrf) = fx.user("shangji", Role::Superior, fx.county).await;
    let files = reports_of(2024, 0);
    let (status, _, _) = fx.import(&sup, &csrf, &[(&files[0].0, &files[0].1)]).await;
    assert_eq!(status, StatusCode::OK);
    let id = gongkai_store::models::oversight::reports(&fx.state.store, fx.county, 2024)
        .await
        .unwrap()[0]
        .id;
    let report_routes = [
        format!("/admin/oversight/reports/{id}"),
        format!("/admin/oversight/reports/{id}/source"),
    ];

    // The superior of another county: 403 on this county's report, not a 404 or the data.
    let (other, other_csrf) = fx.user("yixian", Role::Superior, fx.other).await;
    for path in &report_routes {
        let (status, _, _) = fx.get(path, &other).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
    }
    let (status, _, _) = fx
        .post(
            &format!("/admin/oversight/reports/{id}/decide"),
            &other,
            &[
                ("csrf", &other_csrf),
                ("key", "x"),
                ("verdict", "dismissed"),
                ("note", "x"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Its own workbench does not list this county's units or reports.
    let (_, _, page) = fx.get("/admin/oversight?year=2024", &other).await;
    assert!(!page.contains(UNITS[0]) || !page.contains(&format!("/admin/oversight/reports/{id}")));

    // Every other role: 403 on every route, the upload included.
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Superior) {
        let name = format!("r.{}", role.key());
        let (cookie, c) = fx.user(&name, role, fx.county).await;
        for path in report_routes
            .iter()
            .map(String::as_str)
            .chain(["/admin/oversight", "/admin/oversight/export?format=xlsx"])
        {
            let (status, _, _) = fx.get(path, &cookie).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{role:?} {path}");
        }
        let (status, _, _) = fx.import(&cookie, &c, &[(&files[0].0, &files[0].1)]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role:?} import");
    }
}

/// Acceptance 1 of issue 12 through the report intake: each hostile file, uploaded by the
/// superior office, is refused with its limit named in Chinese, and nothing is stored.
#[tokio::test]
async fn hostile_reports_are_refused_with_their_limit_and_nothing_is_stored() {
    use gongkai_extract::hostile;
    let fx = Fx::new().await;
    let (sup, csrf) = fx.user("shangji", Role::Superior, fx.county).await;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "多部件.docx",
            hostile::many_part_docx(3, 22 << 20),
            "解压后的总大小不得超过 64 MB",
        ),
        (
            "重叠.docx",
            hostile::overlapping_docx(4, 1 << 20),
            "条目不得相互重叠",
        ),
        (
            "深层.docx",
            hostile::deep_docx(10_000),
            "XML 嵌套不得超过 128 层",
        ),
        (
            "对象流.pdf",
            hostile::objstm_bomb_pdf(16 << 20),
            "解压后的总大小不得超过 8 MB",
        ),
        (
            "稀疏.xlsx",
            hostile::sparse_xlsx(),
            "不是年度报告支持的格式",
        ),
        (
            "批量.zip",
            // Refused as a whole, whatever its entries are named.
            hostile::overlapping_docx(9, 20 << 20),
            "条目不得相互重叠",
        ),
    ];
    for (name, bytes, limit) in &cases {
        let (status, _, body) = fx.import(&sup, &csrf, &[(name, bytes)]).await;
        assert_eq!(status, StatusCode::OK, "{name}");
        assert!(body.contains(name), "{name}: {body}");
        assert!(body.contains(limit), "{name}: wanted 「{limit}」 in {body}");
    }
    for year in [2023, 2024, 2025] {
        assert!(
            gongkai_store::models::oversight::reports(&fx.state.store, fx.county, year)
                .await
                .unwrap()
                .is_empty()
        );
    }
    let imported = audit::recent(&fx.state.store, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "oversight.import")
        .count();
    assert_eq!(imported, 0);
}

/// A local web server holding real report files as a county's site publishes them: the HTML
/// page of a report, a notice page linking the report as a PDF (beside another attachment),
/// a Word file, a file over the size limit and a missing page. Answers its base URL.
async fn report_site() -> String {
    use axum::http::HeaderValue;
    use axum::response::IntoResponse;
    use axum::routing::get;
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reports");
    let published = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../gongkai-report/tests/data/published");
    let html = std::fs::read(shared.join("html/2021-006.html")).unwrap();
    let pdf = std::fs::read(published.join("2024-001.lo.pdf")).unwrap();
    let docx = std::fs::read(published.join("2019-011.lo.docx")).unwrap();
    let typed = |ct: &'static str, body: Vec<u8>| {
        move || {
            let body = body.clone();
            async move { ([(header::CONTENT_TYPE, HeaderValue::from_static(ct))], body).into_response() }
        }
    };
    let notice = "<html><head><meta charset=\"utf-8\"><title>通知</title></head><body>\
        <p><a href=\"/files/table.pdf\">附件1</a></p>\
        <p><a href=\"/files/2024.pdf\">淮安市人民政府2024年政府信息公开工作年度报告</a></p></body></html>"
        .as_bytes()
        .to_vec();
    let app = Router::new()
        .route("/nb/2021.html", get(typed("text/html", html)))
        .route(
            "/notice.html",
            get(typed("text/html; charset=utf-8", notice)),
        )
        .route("/files/2024.pdf", get(typed("application/pdf", pdf)))
        .route(
            "/files/2019.docx",
            get(typed(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                docx,
            )),
        )
        .route(
            "/files/big.pdf",
            get(typed("application/pdf", vec![b'%'; 11 * 1024 * 1024])),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn the_superior_imports_a_list_of_urls_and_the_source_is_kept() {
    let fx = Fx::new().await;
    let (sup, csrf) = fx.user("shangji", Role::Superior, fx.county).await;
    let base = report_site().await;
    let urls = format!(
        "{base}/nb/2021.html\n  {base}/notice.html  \n\n{base}/files/2019.docx\n{base}/files/big.pdf\n{base}/missing.html\nftp://example.org/r.pdf\n"
    );
    let (status, _, body) = fx.import_with(&sup, &csrf, &[("urls", &urls)], &[]).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Three reports read: the web page, the PDF the notice links, the Word file.
    assert_eq!(body.matches("已导入").count(), 3, "{body}");
    for unit in ["平潭综合实验区", "淮安市人民政府", "上海市人民政府办公厅"]
    {
        assert!(body.contains(unit), "{unit}: {body}");
    }
    // Three refused, each saying why.
    assert!(body.contains("big.pdf：文件超过 10 MB"), "{body}");
    assert!(body.contains("missing.html：服务器返回 404"), "{body}");
    assert!(body.contains("不是有效的网址"), "{body}");
    assert_eq!(body.matches("未导入").count(), 3, "{body}");

    // The PDF the notice linked is what was kept as the source.
    let held = gongkai_store::models::oversight::reports(&fx.state.store, fx.county, 2024)
        .await
        .unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(held[0].kind.id(), "pdf");
    assert!(
        held[0].file_name.ends_with("/files/2024.pdf"),
        "{}",
        held[0].file_name
    );
    let req = Request::get(format!("/admin/oversight/reports/{}/source", held[0].id))
        .header(header::COOKIE, &sup)
        .body(Body::empty())
        .unwrap();
    let resp = tower::ServiceExt::oneshot(fx.app.clone(), req)
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let kept = http_body_util::BodyExt::collect(resp.into_body())
        .await
        .unwrap()
        .to_bytes();
    let published = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../gongkai-report/tests/data/published");
    assert_eq!(
        kept.as_ref(),
        std::fs::read(published.join("2024-001.lo.pdf")).unwrap()
    );

    // More than the limit of URLs at once is refused before anything is fetched.
    let many = (0..=super::oversight::MAX_URLS)
        .map(|i| format!("{base}/missing/{i}"))
        .collect::<Vec<_>>()
        .join("\n");
    let (status, _, _) = fx.import_with(&sup, &csrf, &[("urls", &many)], &[]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
