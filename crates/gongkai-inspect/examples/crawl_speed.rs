//! Crawl speed on loopback (issue 16, acceptance 5): serves a site of PAGES pages in the shapes
//! the reader now handles (jpage datastore lists in CDATA, Epoint lists with the date inside
//! the link, TRS lists with bracketed dates, month-day lists, table rows with a 文号, script
//! array literals; every third page GBK), crawls it with `gongkai_inspect::inspect` at the
//! default 4 requests in flight and prints pages per second. Run by scripts/bench-inspect.sh
//! on a release build:
//!
//! ```sh
//! cargo run --release -p gongkai-inspect --example crawl_speed -- 5000
//! ```

use std::time::Instant;

use axum::Router;
use axum::extract::Path;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use chrono::NaiveDate;

fn body(n: usize, pages: usize) -> String {
    let next: Vec<usize> = [n + 1, n + 2, (n * 7 + 3) % pages]
        .into_iter()
        .filter(|m| *m < pages)
        .collect();
    let date = |i: usize| format!("2020-12-{:02}", 1 + (n + i) % 28);
    let list = match n % 6 {
        0 => {
            let records: String = next
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    format!(
                        "<record><![CDATA[<li><a href=\"/p/{m}\">要闻{m}</a><span>{}</span></li>]]></record>",
                        date(i)
                    )
                })
                .collect();
            format!(
                "<div id=\"c{n}\"><script type=\"text/xml\"><datastore><recordset>{records}</recordset></datastore></script></div>"
            )
        }
        1 => next
            .iter()
            .enumerate()
            .map(|(i, m)| {
                format!(
                    "<li><a href=\"/p/{m}\"><span>标题{m}</span><span>{}</span></a></li>",
                    date(i)
                )
            })
            .collect(),
        2 => next
            .iter()
            .enumerate()
            .map(|(i, m)| format!("<li><span>[{}]</span><a href=\"/p/{m}\">标题{m}</a></li>", date(i)))
            .collect(),
        3 => next
            .iter()
            .enumerate()
            .map(|(i, m)| format!("<li><a href=\"/p/{m}\">标题{m}</a><em>12-{:02}</em></li>", 1 + i))
            .collect(),
        4 => format!(
            "<table>{}</table>",
            next.iter()
                .enumerate()
                .map(|(i, m)| format!(
                    "<tr><td><a href=\"/p/{m}\">通知{m}</a></td><td>县政发〔2020〕{m}号</td><td>{}</td></tr>",
                    date(i)
                ))
                .collect::<String>()
        ),
        _ => format!(
            "<ul id=\"l\"></ul><script>var itemObj = [{}];</script>",
            next.iter()
                .enumerate()
                .map(|(i, m)| format!(
                    "{{\"title\":\"标题{m}\",\"date\":\"{}\",\"url\":\"/p/{m}\"}}",
                    date(i)
                ))
                .collect::<Vec<_>>()
                .join(",")
        ),
    };
    let filler = "<p>根据《中华人民共和国政府信息公开条例》，现将有关事项公告如下。</p>".repeat(20);
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"{}\"><title>第{n}页</title></head><body>\
<div class=\"nav\"><ul><li><a href=\"/\">首页</a></li><li><a href=\"/p/1\">要闻</a></li><li><a href=\"/p/2\">县长信箱</a></li></ul></div>\
<h1>第{n}页</h1><p>发布日期：2020-12-30</p><ul>{list}</ul>{filler}</body></html>",
        if n % 3 == 2 { "gbk" } else { "utf-8" }
    )
}

fn page(n: usize, pages: usize) -> axum::response::Response {
    let html = body(n, pages);
    let bytes = if n % 3 == 2 {
        encoding_rs::GBK.encode(&html).0.into_owned()
    } else {
        html.into_bytes()
    };
    ([(header::CONTENT_TYPE, "text/html")], bytes).into_response()
}

fn main() {
    let pages: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(5000);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("server runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(listener.local_addr().expect("addr")).expect("send");
            let app = Router::new()
                .route("/", get(move || async move { page(0, pages) }))
                .route(
                    "/p/{n}",
                    get(move |Path(n): Path<usize>| async move { page(n, pages) }),
                );
            axum::serve(listener, app).await.expect("serve");
        });
    });
    let addr = rx.recv().expect("address");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("crawler runtime");
    let as_of = NaiveDate::from_ymd_opt(2020, 12, 31).expect("date");
    let mut options = gongkai_inspect::Options::new(as_of);
    options.max_pages = pages;
    let started = Instant::now();
    let report = rt
        .block_on(gongkai_inspect::inspect(
            &format!("http://{addr}/"),
            &options,
        ))
        .expect("inspect");
    let secs = started.elapsed().as_secs_f64();
    println!(
        "pages {} in {:.2} s: {:.0} pages/s; {} findings, {} notes, verdict {}",
        report.pages,
        secs,
        report.pages as f64 / secs,
        report.findings.len(),
        report.notes.len(),
        report.verdict.label()
    );
}
