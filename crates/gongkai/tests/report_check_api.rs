//! Issue 18, acceptance 2: every real report in `../shared/reports/` (text and web page) and
//! every PDF and DOCX fixture made from them, posted to `POST /api/v1/reports/check`, answers
//! exactly the findings `gongkai report check --json` prints for the same file; and
//! `/reports/parse` answers what `gongkai report parse` prints. The API runs in-process (the
//! router the server runs, over a real SQLite file), the CLI as the built binary.

#![allow(clippy::unwrap_used)] // a broken fixture should fail the test loudly

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gongkai_search::SearchIndex;
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::api_token::{self, Scope};
use gongkai_store::{Crypto, Store};
use gongkai_web::{AppState, SiteSettings};
use tower::ServiceExt;

fn reports() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reports")
}

/// The shared reports (.txt, html/*.html) and gongkai-report's PDF and DOCX fixtures.
fn files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let fixtures =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../gongkai-report/tests/data/published");
    for (dir, exts) in [
        (reports(), &["txt"][..]),
        (reports().join("html"), &["html"][..]),
        (fixtures, &["pdf", "docx"][..]),
    ] {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| exts.contains(&e))
            {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn cli(args: &[&str]) -> serde_json::Value {
    let out = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{args:?}: not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

async fn state(dir: &Path) -> AppState {
    let url = format!("sqlite://{}", dir.join("t.db").display());
    let store = Store::open_with_crypto(&url, Crypto::random())
        .await
        .unwrap();
    let county = agency::ensure(&store, "t", "甲县人民政府", AgencyLevel::County, None, None)
        .await
        .unwrap()
        .id;
    let site = SiteSettings {
        site_name: "甲县人民政府".into(),
        agency_id: county,
        site_code: "0000000000".into(),
        icp: "ICP".into(),
    };
    AppState::new(store, site, Arc::new(SearchIndex::in_memory().unwrap()))
}

/// A multipart body with the report as its `file` part.
fn multipart(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "gongkai-test-boundary-7d41";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post(
    app: &axum::Router,
    path: &str,
    token: &str,
    file: &Path,
) -> (StatusCode, serde_json::Value) {
    let name = file.file_name().unwrap().to_str().unwrap();
    let (ct, body) = multipart(name, &std::fs::read(file).unwrap());
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, ct)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(body))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    let v = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{path} {name}: not JSON ({e}): {bytes:?}"));
    (status, v)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_api_checks_every_real_report_as_the_command_line_does() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(dir.path()).await;
    let token = api_token::issue(
        &state.store,
        "安全管理员",
        "测试平台",
        &[Scope::CheckReports],
    )
    .await
    .unwrap()
    .secret;
    let app = gongkai_web::router(state);
    let files = files();
    assert!(files.len() >= 25, "{} report files", files.len());
    for file in &files {
        let path = file.to_str().unwrap();
        let (status, api) = post(&app, "/api/v1/reports/check", &token, file).await;
        assert_eq!(status, StatusCode::OK, "{path}: {api}");
        let want = cli(&["report", "check", "--json", path]);
        // The CLI names the file by the path given, the API by the name uploaded.
        assert_eq!(api["file"], file.file_name().unwrap().to_str().unwrap());
        for key in ["agency", "year", "format", "findings"] {
            assert_eq!(api[key], want[key], "{path}: {key}");
        }

        let (status, parsed) = post(&app, "/api/v1/reports/parse", &token, file).await;
        assert_eq!(status, StatusCode::OK, "{path}: {parsed}");
        assert_eq!(parsed, cli(&["report", "parse", path]), "{path}: parse");
    }
}
