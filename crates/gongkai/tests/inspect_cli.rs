//! `gongkai inspect` against sites served on loopback by the test (axum): a small site with
//! planted defects gives exactly those findings; a site of 10,000 pages is crawled to the page
//! limit and no further; another host (another port on 127.0.0.1: the crawler's "host" is
//! scheme + host + port) gets one probe per link and nothing more; robots.txt is honoured.

use std::collections::{BTreeSet, HashMap};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse};
use axum::routing::get;

/// Requests a server saw, by path.
type Log = Arc<Mutex<HashMap<String, usize>>>;

/// Serves `app` on a free loopback port in a thread of its own for the rest of the test run;
/// every request's path is counted in the returned log.
fn serve(app: Router<Log>) -> (SocketAddr, Log) {
    let log: Log = Arc::default();
    let state = log.clone();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("addr"))
                .expect("send addr");
            let counted = app
                .layer(axum::middleware::from_fn_with_state(state.clone(), count))
                .with_state(state);
            axum::serve(listener, counted).await.expect("serve");
        });
    });
    (rx.recv().expect("address"), log)
}

async fn count(
    State(log): State<Log>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = req
        .uri()
        .path_and_query()
        .map_or("/".to_string(), |p| p.to_string());
    *log.lock().expect("log").entry(path).or_default() += 1;
    next.run(req).await
}

fn gongkai(args: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data-dir")
        .arg(dir.path())
        .arg("inspect")
        .args(args)
        .env_remove("GONGKAI_DB")
        .output()
        .expect("run gongkai");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let json = serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code(), json, format!("{stdout}\n{stderr}"))
}

/// A page of the planted site: the navigation, a heading and the body.
fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        r#"<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{title} - 测试县人民政府</title></head>
<body><nav aria-label="主导航"><ul>
<li><a href="/">首页</a></li><li><a href="/news">要闻</a></li><li><a href="/notices">通知公告</a></li>
<li><a href="/blank/1">人事信息</a></li><li><a href="/blank/2">财政信息</a></li><li><a href="/blank/3">规划计划</a></li>
<li><a href="/blank/4">统计信息</a></li><li><a href="/blank/5">应急管理</a></li><li><a href="/mailbox">县长信箱</a></li>
</ul></nav><nav aria-label="位置"><a href="/">首页</a> › {title}</nav>
<main><h1>{title}</h1>{body}</main></body></html>"#
    ))
}

/// An ID number with a valid GB 11643 check digit (MOD 11-2).
fn id_number() -> String {
    let base = "11010519491231002";
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = base
        .chars()
        .zip(weights)
        .map(|(c, w)| c.to_digit(10).expect("digit") * w)
        .sum();
    let check = "10X98765432".as_bytes()[(sum % 11) as usize] as char;
    format!("{base}{check}")
}

fn planted_site() -> Router<Log> {
    Router::new()
        .route(
            "/robots.txt",
            get(|| async { "User-agent: *\nDisallow: /private\n" }),
        )
        .route(
            "/",
            get(|| async {
                page(
                    "首页",
                    r#"<ul class="list"><li><a href="/notices/1">关于冬季供暖的通知</a> <span>2020-12-28</span></li></ul>
<p><a href="/private/x">内部</a> <a href="http://127.0.0.1:9/elsewhere">上级网站</a></p>"#,
                )
            }),
        )
        .route(
            "/news",
            get(|| async {
                page(
                    "要闻",
                    r#"<ul><li><a href="/news/1">县政府召开常务会议</a> 2020-11-01</li>
<li><a href="/news/2">全县秋粮收购进展顺利</a> 2020年10月15日</li></ul>"#,
                )
            }),
        )
        .route(
            "/notices",
            get(|| async {
                page(
                    "通知公告",
                    r#"<ul><li><a href="/notices/1">关于冬季供暖的通知</a> 2020-12-28</li>
<li><a href="/notices/2">关于元旦放假的通知</a> 2020-12-01</li>
<li><a href="/notices/3">关于征求意见的公告</a> 2020-11-20</li></ul>"#,
                )
            }),
        )
        .route(
            "/blank/{n}",
            get(|Path(n): Path<u32>| async move {
                page(&format!("空栏目{n}"), "<p>暂无信息</p>")
            }),
        )
        .route(
            "/mailbox",
            get(|| async {
                page(
                    "县长信箱",
                    r#"<article id="letter-1"><h2>关于修缮村道的建议</h2><p>来信日期 <time>2020-09-22</time></p></article>
<article id="letter-2"><h2>关于路灯的咨询</h2><p>来信日期 2020-09-01　答复日期 2020-09-10</p><p>答复：已安排维修。</p></article>
<article id="letter-3"><h2>关于公交线路的建议</h2><p>来信日期 2020-12-01</p></article>"#,
                )
            }),
        )
        .route(
            "/news/1",
            get(|| async {
                page(
                    "县政府召开常务会议",
                    &format!(
                        "<p>发布日期：2020-11-01</p><p>联系人身份证号 {}。</p>",
                        id_number()
                    ),
                )
            }),
        )
        .route(
            "/news/2",
            get(|| async {
                page(
                    "全县秋粮收购进展顺利",
                    r#"<p>发布日期：2020-10-15</p><p>详见<a href="/gone">附件</a>和<a href="/error">数据</a>。</p>"#,
                )
            }),
        )
        .route(
            "/notices/{n}",
            get(|Path(n): Path<u32>| async move {
                match n {
                    1 => page("关于冬季供暖的通知", "<p>发布日期：2020-12-28</p>"),
                    2 => page("关于元旦放假的通知", "<p>发布时间 2020/12/01</p>"),
                    _ => page("关于征求意见的公告", "<p>现公开征求意见。</p>"),
                }
                .into_response()
            }),
        )
        .route(
            "/error",
            get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "数据库错误") }),
        )
        .fallback(|uri: Uri| async move { (StatusCode::NOT_FOUND, format!("{uri} 不存在")) })
}

#[test]
fn planted_defects_are_found_exactly() {
    let (addr, log) = serve(planted_site());
    let base = format!("http://{addr}");
    let (code, json, out) = gongkai(&[&format!("{base}/"), "--json", "--as-of", "2020-12-31"]);
    assert_eq!(code, Some(1), "{out}");
    assert_eq!(json["verdict"], "单项否决", "{out}");
    assert_eq!(json["as_of"], "2020-12-31");
    let found: BTreeSet<(String, String)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["url"]
                    .as_str()
                    .unwrap_or_default()
                    .trim_start_matches(&base)
                    .to_string(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("COLUMN-STALE", "/news"),
        ("COLUMN-BLANK", "/blank/1"),
        ("COLUMN-BLANK", "/blank/2"),
        ("COLUMN-BLANK", "/blank/3"),
        ("COLUMN-BLANK", "/blank/4"),
        ("COLUMN-BLANK", "/blank/5"),
        ("LINK-BROKEN", "/gone"),
        ("LINK-BROKEN", "/error"),
        ("DATE-MISSING", "/notices/3"),
        ("PII-EXPOSED", "/news/1"),
        ("LETTER-UNANSWERED", "/mailbox#letter-1"),
    ]
    .into_iter()
    .map(|(r, u)| (r.to_string(), u.to_string()))
    .collect();
    assert_eq!(found, expected, "{out}");

    let findings = json["findings"].as_array().expect("findings");
    let veto = |rule: &str| {
        findings
            .iter()
            .filter(|f| f["rule"] == rule)
            .all(|f| f["veto"] == true)
    };
    // Five blank columns reach the 19号 threshold; one stale column does not.
    assert!(veto("COLUMN-BLANK") && veto("PII-EXPOSED") && veto("LETTER-UNANSWERED"));
    assert!(
        !findings
            .iter()
            .any(|f| f["rule"] == "COLUMN-STALE" && f["veto"] == true)
    );
    assert!(
        !findings
            .iter()
            .any(|f| f["rule"] == "LINK-BROKEN" && f["veto"] == true)
    );
    // The ID number is shown masked, never in clear.
    let pii = findings
        .iter()
        .find(|f| f["rule"] == "PII-EXPOSED")
        .expect("pii");
    let detail = pii["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains("居民身份证号") && detail.contains('*'),
        "{detail}"
    );
    assert!(!out.contains(&id_number()), "{out}");
    // The letter's age is counted from --as-of.
    assert!(out.contains("100 天"), "{out}");

    // robots.txt kept the crawler out of /private; the other host is listed, not a finding.
    let seen = log.lock().expect("log").clone();
    assert!(!seen.keys().any(|p| p.starts_with("/private")), "{seen:?}");
    assert_eq!(seen.get("/robots.txt"), Some(&1));
    assert!(
        seen.values().all(|&n| n == 1),
        "each page fetched once: {seen:?}"
    );
    assert_eq!(json["external"][0]["url"], "http://127.0.0.1:9/elsewhere");
    assert_eq!(json["pages"].as_u64(), Some(seen.len() as u64 - 1));

    // --record stores the run and its findings; the text report says the same.
    let dir = tempfile::tempdir().expect("tempdir");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data-dir")
        .arg(dir.path())
        .args([
            "inspect",
            &format!("{base}/"),
            "--as-of",
            "2020-12-31",
            "--record",
        ])
        .env_remove("GONGKAI_DB")
        .output()
        .expect("run gongkai");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("结论：单项否决"), "{text}");
    assert!(text.contains("[否决] COLUMN-BLANK"), "{text}");
    assert!(text.contains("[扣0.1分] LINK-BROKEN"), "{text}");
    assert!(text.contains("得分：不评分"), "{text}");

    // --report writes the 检查报告 as DOCX or XLSX; another extension is refused.
    for ext in ["docx", "xlsx"] {
        let file = dir.path().join(format!("report.{ext}"));
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
            .arg("--data-dir")
            .arg(dir.path())
            .args([
                "inspect",
                &format!("{base}/"),
                "--as-of",
                "2020-12-31",
                "--report",
            ])
            .arg(&file)
            .env_remove("GONGKAI_DB")
            .output()
            .expect("run gongkai");
        assert_eq!(out.status.code(), Some(1));
        let bytes = std::fs::read(&file).expect("report written");
        assert!(bytes.starts_with(b"PK"), "{ext}");
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["inspect", &format!("{base}/"), "--report"])
        .arg(dir.path().join("report.pdf"))
        .env_remove("GONGKAI_DB")
        .output()
        .expect("run gongkai");
    assert_eq!(out.status.code(), Some(2));
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let url = gongkai_store::Store::default_url(dir.path());
        let store = gongkai_store::Store::open(&url, dir.path())
            .await
            .expect("open store");
        let runs = gongkai_store::models::site_inspection::list(&store, 10)
            .await
            .expect("runs");
        assert_eq!(runs.len(), 1);
        assert_eq!((runs[0].findings, runs[0].vetoes), (11, 7));
        assert_eq!(runs[0].verdict_label(), "单项否决");
        assert_eq!(runs[0].started_by, "cli");
        store.close().await;
    });
}

/// Ten thousand pages, each linking onwards and to two pages of another host.
fn big_site(other: SocketAddr) -> Router<Log> {
    let page = move |n: usize| {
        let links: String = [n + 1, n + 2, (n * 7 + 3) % 10_000]
            .iter()
            .filter(|&&m| m < 10_000)
            .map(|m| format!(r#"<li><a href="/p/{m}">第{m}页</a></li>"#))
            .collect();
        let extra = if n == 3 {
            format!(r#"<a href="http://{other}/b">另一页</a>"#)
        } else {
            String::new()
        };
        Html(format!(
            r#"<html><body><h1>第{n}页</h1><ul>{links}</ul><a href="http://{other}/a">外站</a>{extra}</body></html>"#
        ))
    };
    Router::new()
        .route("/", get(move || async move { page(0) }))
        .route(
            "/p/{n}",
            get(move |Path(n): Path<usize>| async move { page(n) }),
        )
}

fn other_host() -> Router<Log> {
    let html = || async {
        Html(r#"<html><body><a href="/deeper">更深</a><a href="/deeper2">更深2</a></body></html>"#)
    };
    Router::new()
        .route("/a", get(html))
        .route("/b", get(html))
        .fallback(html)
}

#[test]
fn the_page_limit_and_other_hosts_are_kept() {
    let (other, other_log) = serve(other_host());
    let (addr, log) = serve(big_site(other));
    let (code, json, out) = gongkai(&[
        &format!("http://{addr}/"),
        "--json",
        "--max-pages",
        "500",
        "--as-of",
        "2020-12-31",
    ]);
    // The pages carry no dates: the home page cannot be judged (a note, never a false
    // HOME-STALE); the site links no 咨询建言 channel, which is a veto.
    assert_eq!(code, Some(1), "{out}");
    let rules: Vec<&str> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(rules, vec!["INTERACTION-MISSING"], "{out}");
    assert!(
        json["notes"][0]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("无法判断")),
        "{out}"
    );
    assert_eq!(json["pages"].as_u64(), Some(500), "{out}");
    let seen = log.lock().expect("log").clone();
    let pages: usize = seen
        .iter()
        .filter(|(p, _)| p.as_str() != "/robots.txt")
        .map(|(_, n)| n)
        .sum();
    assert_eq!(pages, 500, "requests for pages on the server");
    assert!(seen.values().all(|&n| n == 1), "no page fetched twice");

    // The other host: one probe per link target, its own links never followed.
    let other_seen = other_log.lock().expect("log").clone();
    assert_eq!(other_seen.get("/a"), Some(&1), "{other_seen:?}");
    assert_eq!(other_seen.get("/b"), Some(&1), "{other_seen:?}");
    assert_eq!(other_seen.len(), 2, "{other_seen:?}");
    let external: BTreeSet<&str> = json["external"]
        .as_array()
        .expect("external")
        .iter()
        .filter_map(|e| e["url"].as_str())
        .collect();
    assert_eq!(
        external,
        BTreeSet::from([
            format!("http://{other}/a").as_str(),
            format!("http://{other}/b").as_str()
        ])
    );
}

#[test]
fn a_bad_address_cannot_run() {
    let (code, _, out) = gongkai(&["ftp://example.org/", "--json"]);
    assert_eq!(code, Some(2), "{out}");
    assert!(out.contains("不是有效的网站地址"), "{out}");
}
