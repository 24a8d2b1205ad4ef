//! The corpus of site shapes (issue 16, acceptance 1): each shape is a way the CMSs county
//! sites run on (Hanweb/大汉 and TRS 拓尔思 jpage, 新点 Epoint, table lists with 文号, GBK pages,
//! month-day lists, script-rendered and XHR-filled lists, a navigation-only home page) write
//! their lists. Every shape is built twice and served on loopback: the clean twin must give no
//! finding and 合格; the defective twin exactly its planted findings. A list that cannot be read
//! (filled by XHR) gives notes, never a finding.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::{StatusCode, Uri, header};
use axum::response::IntoResponse;
use chrono::{Days, NaiveDate};
use gongkai_inspect::{Options, Rule, Verdict, inspect};

/// The shapes of the corpus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// `<li><a>要闻1</a><span>2026-06-29</span></li>`: title digits next to the date.
    Plain,
    /// 新点 Epoint style: the date inside the link, `<a><span>title</span><span>date</span></a>`.
    DateInLink,
    /// TRS style: the date before the link in brackets, `<li><span>[2026-06-29]</span><a>`.
    Bracketed,
    /// A table row: title, 文号, date in cells of their own.
    TableWithDocNumber,
    /// Month-day only (`06-29`), the year implied.
    MonthDay,
    /// Hanweb/TRS jpage: records in `<script type="text/xml"><datastore>` CDATA, paged through
    /// `/module/web/jpage/dataproxy.jsp`.
    Jpage,
    /// GBK pages named only by `<meta charset=gb2312>`, Chinese dates.
    Gbk,
    /// Lists rendered by script from `var itemObj = [...]`.
    ScriptArray,
    /// Column lists filled by XHR: nothing to read in the markup.
    Xhr,
    /// A home page that is only a navigation entry.
    NavEntryHome,
}

const SHAPES: [Shape; 10] = [
    Shape::Plain,
    Shape::DateInLink,
    Shape::Bracketed,
    Shape::TableWithDocNumber,
    Shape::MonthDay,
    Shape::Jpage,
    Shape::Gbk,
    Shape::ScriptArray,
    Shape::Xhr,
    Shape::NavEntryHome,
];

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, 1).expect("date")
}

fn ago(days: u64) -> NaiveDate {
    as_of() - Days::new(days)
}

/// An item of a list.
struct Item {
    title: String,
    date: NaiveDate,
    href: String,
}

/// The columns: path, name, class of freshness.
const COLUMNS: [(&str, &str); 3] = [
    ("yw", "要闻动态"),
    ("tzgg", "通知公告"),
    ("rsxx", "人事信息"),
];

/// What a twin holds.
struct Twin {
    shape: Shape,
    defective: bool,
}

impl Twin {
    /// The items of a column, newest first.
    fn items(&self, col: &str) -> Vec<Item> {
        let newest = match (col, self.defective) {
            ("yw", false) => 2,
            ("yw", true) => 20,
            ("tzgg", false) => 30,
            ("tzgg", true) => 200,
            _ => 10,
        };
        let n = if self.shape == Shape::Jpage { 5 } else { 3 };
        (0..n)
            .map(|i| {
                let title = match col {
                    "yw" => format!("县政府召开常务会议{}", i + 1),
                    "tzgg" => format!("关于做好防汛工作的通知{}", i + 1),
                    _ => format!("任免通知{}", i + 1),
                };
                Item {
                    title,
                    date: ago(newest + 7 * i),
                    href: format!("/art/{col}/{}.html", i + 1),
                }
            })
            .collect()
    }

    /// Whether an item page shows its date (the defective twin's newest 要闻 does not).
    fn dated(&self, col: &str, n: usize) -> bool {
        !(self.defective && col == "yw" && n == 1)
    }

    /// Letters: received, answered.
    fn letters(&self) -> Vec<(NaiveDate, Option<NaiveDate>)> {
        if self.defective {
            vec![
                (ago(150), Some(ago(140))),
                (ago(120), None),
                (ago(30), Some(ago(25))),
            ]
        } else {
            vec![
                (ago(150), Some(ago(140))),
                (ago(30), Some(ago(25))),
                // Received 20 days ago: not late yet.
                (ago(20), None),
            ]
        }
    }

    fn date(&self, d: NaiveDate) -> String {
        match self.shape {
            Shape::Gbk => d.format("%Y年%m月%d日").to_string(),
            Shape::MonthDay => d.format("%m-%d").to_string(),
            Shape::TableWithDocNumber => d.format("%Y/%m/%d").to_string(),
            _ => d.format("%Y-%m-%d").to_string(),
        }
    }

    /// A list in the shape's markup; `next` is the jpage next-page link.
    fn list(&self, id: &str, items: &[Item], next: Option<&str>) -> String {
        let rows = |f: &dyn Fn(&Item) -> String| items.iter().map(f).collect::<String>();
        match self.shape {
            Shape::Plain | Shape::Gbk | Shape::MonthDay | Shape::NavEntryHome | Shape::Xhr => {
                format!(
                    r#"<ul class="list">{}</ul>"#,
                    rows(&|i| format!(
                        r#"<li><a href="{}" target="_blank">{}</a><span>{}</span></li>"#,
                        i.href,
                        i.title,
                        self.date(i.date)
                    ))
                )
            }
            Shape::DateInLink => format!(
                r#"<ul class="ewb-list">{}</ul>"#,
                rows(&|i| format!(
                    r#"<li class="ewb-list-node"><a href="{}" class="ewb-list-name"><span class="ewb-title">{}</span><span class="ewb-list-date">{}</span></a></li>"#,
                    i.href,
                    i.title,
                    self.date(i.date)
                ))
            ),
            Shape::Bracketed => format!(
                r#"<div class="list"><ul>{}</ul></div>"#,
                rows(&|i| format!(
                    r#"<li><span class="date">[{}]</span><a href="{}" title="{}">{}</a></li>"#,
                    self.date(i.date),
                    i.href,
                    i.title,
                    i.title
                ))
            ),
            Shape::TableWithDocNumber => format!(
                r#"<table class="zcwj"><tr><th>标题</th><th>文号</th><th>发布日期</th></tr>{}</table>"#,
                rows(&|i| format!(
                    r#"<tr><td><a href="{}">{}</a></td><td>县政发〔2026〕12号</td><td>{}</td></tr>"#,
                    i.href,
                    i.title,
                    self.date(i.date)
                ))
            ),
            Shape::Jpage => {
                let records = rows(&|i| {
                    format!(
                        "<record><![CDATA[\n<li><a href=\"{}\" target=\"_blank\" title=\"{}\">{}</a><span class=\"bt-data-time\">{}</span></li>\n]]></record>\n",
                        i.href,
                        i.title,
                        i.title,
                        self.date(i.date)
                    )
                });
                let next = next.map_or(String::new(), |n| {
                    format!("<nextgroup><![CDATA[<a href=\"{n}\"></a>]]></nextgroup>")
                });
                format!(
                    "<div id=\"{id}\"><script type=\"text/xml\"><datastore>{next}<recordset>\n{records}</recordset></datastore></script></div>\
<script language=\"javascript\" src=\"/module/web/jpage/jpage.js\"></script>\
<script>$(document).ready(function(){{$('#{id}').jpage({{perPage:3}});}});</script>"
                )
            }
            Shape::ScriptArray => {
                let objs: Vec<String> = items
                    .iter()
                    .map(|i| {
                        format!(
                            r#"{{"title":"{}","date":"{}","url":"{}"}}"#,
                            i.title,
                            self.date(i.date),
                            i.href
                        )
                    })
                    .collect();
                format!(
                    r#"<ul id="{id}"></ul><script>var itemObj = [{}];
for (var i = 0; i < itemObj.length; i++) {{ document.getElementById("{id}").innerHTML += "<li><a href='" + itemObj[i].url + "'>" + itemObj[i].title + "</a></li>"; }}</script>"#,
                    objs.join(",")
                )
            }
        }
    }

    fn nav(&self) -> String {
        let cols: String = COLUMNS
            .iter()
            .map(|(p, n)| format!(r#"<li><a href="/col/{p}/index.html">{n}</a></li>"#))
            .collect();
        format!(
            r#"<div class="nav"><ul><li><a href="/">首页</a></li>{cols}<li><a href="/col/xx/index.html">县长信箱</a></li></ul></div>"#
        )
    }

    fn page(&self, title: &str, body: &str) -> String {
        let meta = if self.shape == Shape::Gbk {
            r#"<meta http-equiv="Content-Type" content="text/html; charset=gb2312">"#
        } else {
            r#"<meta charset="utf-8">"#
        };
        format!(
            "<!DOCTYPE html><html><head>{meta}<title>{title}_测试县人民政府</title></head><body>{}<div class=\"main\">{body}</div><div class=\"footer\">主办：测试县人民政府办公室</div></body></html>",
            self.nav()
        )
    }

    /// Every page of the site: path (with query) → (content type, body).
    fn site(&self) -> HashMap<String, (&'static str, Vec<u8>)> {
        let mut pages: HashMap<String, (&'static str, String)> = HashMap::new();
        let html = "text/html";
        // Home: the newest items of 要闻 and 通知公告.
        let mut home_items: Vec<Item> = Vec::new();
        for col in ["yw", "tzgg"] {
            home_items.extend(self.items(col).into_iter().take(2));
        }
        let mut home_body = match self.shape {
            Shape::NavEntryHome => {
                r#"<div class="entry"><a href="/col/yw/index.html"><img src="/e.png" alt="进入">进入政府网站</a></div>"#
                    .to_string()
            }
            _ => format!(
                "<h2>要闻</h2>{}",
                self.list("home", &home_items, None)
            ),
        };
        if self.defective {
            home_body.push_str(r#"<a href="/col/old/index.html">旧栏目</a>"#);
        }
        pages.insert("/".into(), (html, self.page("首页", &home_body)));
        for (col, name) in COLUMNS {
            let items = self.items(col);
            let body = if self.defective && col == "rsxx" && self.shape != Shape::Xhr {
                r#"<div class="list"><p>暂无信息</p></div>"#.to_string()
            } else if self.shape == Shape::Xhr {
                format!(
                    r#"<ul id="list"></ul><script>$.ajax({{url:"/api/list?col={col}",dataType:"json",success:function(d){{render(d);}}}});</script>"#
                )
            } else if self.shape == Shape::Jpage {
                let next = format!(
                    "/module/web/jpage/dataproxy.jsp?startrecord=4&endrecord=6&perpage=3&columnid={col}&webid=1"
                );
                let (first, rest) = items.split_at(3);
                let xml = format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><datastore><totalrecord>{}</totalrecord><recordset>{}</recordset></datastore>",
                    items.len(),
                    rest.iter()
                        .map(|i| format!(
                            "<record><![CDATA[<li><a href=\"{}\">{}</a><span>{}</span></li>]]></record>",
                            i.href,
                            i.title,
                            self.date(i.date)
                        ))
                        .collect::<String>()
                );
                pages.insert(next.clone(), ("text/xml;charset=UTF-8", xml));
                self.list(col, first, Some(&next))
            } else {
                self.list(col, &items, None)
            };
            pages.insert(
                format!("/col/{col}/index.html"),
                (html, self.page(name, &format!("<h1>{name}</h1>{body}"))),
            );
            for (n, item) in items.iter().enumerate() {
                let date = if self.dated(col, n + 1) {
                    format!(
                        "<p class=\"info\">发布日期：{}</p>",
                        self.full_date(item.date)
                    )
                } else {
                    "<p class=\"info\">来源：县政府办公室</p>".to_string()
                };
                pages.insert(
                    item.href.clone(),
                    (
                        html,
                        self.page(
                            &item.title,
                            &format!("<h1>{}</h1>{date}<p>正文内容。</p>", item.title),
                        ),
                    ),
                );
            }
        }
        // The mailbox: a table of letters.
        let mut rows = String::new();
        for (n, (received, answered)) in self.letters().into_iter().enumerate() {
            let n = n + 1;
            let reply = match answered {
                Some(a) => format!("答复日期：{}", self.full_date(a)),
                None => "办理中".to_string(),
            };
            rows.push_str(&format!(
                r#"<tr><td><a href="/letter/{n}.html">关于道路维修的建议{n}</a></td><td>来信日期：{}</td><td>{reply}</td></tr>"#,
                self.full_date(received)
            ));
            pages.insert(
                format!("/letter/{n}.html"),
                (
                    html,
                    self.page(
                        "县长信箱",
                        &format!(
                            "<h1>关于道路维修的建议{n}</h1><p>来信日期：{}</p><p>{reply}</p>",
                            self.full_date(received)
                        ),
                    ),
                ),
            );
        }
        pages.insert(
            "/col/xx/index.html".into(),
            (
                html,
                self.page(
                    "县长信箱",
                    &format!("<h1>县长信箱</h1><table>{rows}</table>"),
                ),
            ),
        );
        pages
            .into_iter()
            .map(|(k, (t, body))| {
                let bytes = if self.shape == Shape::Gbk && t == html {
                    encoding_rs::GBK.encode(&body).0.into_owned()
                } else {
                    body.into_bytes()
                };
                (k, (t, bytes))
            })
            .collect()
    }

    /// Item pages and letters show full dates (Chinese ones on the GBK site).
    fn full_date(&self, d: NaiveDate) -> String {
        match self.shape {
            Shape::Gbk => d.format("%Y年%-m月%-d日").to_string(),
            _ => d.format("%Y-%m-%d").to_string(),
        }
    }

    /// The findings planted: (rule, path).
    fn planted(&self) -> BTreeSet<(Rule, String)> {
        if !self.defective {
            return BTreeSet::new();
        }
        let mut p: BTreeSet<(Rule, String)> = [
            (Rule::HomeStale, "/"),
            (Rule::LinkBroken, "/col/old/index.html"),
            (Rule::DateMissing, "/art/yw/1.html"),
            (Rule::LetterUnanswered, "/letter/2.html"),
        ]
        .into_iter()
        .map(|(r, u)| (r, u.to_string()))
        .collect();
        if self.shape != Shape::Xhr {
            p.insert((Rule::ColumnStale, "/col/yw/index.html".into()));
            p.insert((Rule::ColumnStale, "/col/tzgg/index.html".into()));
            p.insert((Rule::ColumnBlank, "/col/rsxx/index.html".into()));
        }
        p
    }
}

type Seen = Arc<Mutex<Vec<String>>>;

/// Serves `pages` on a free loopback port; returns the base URL and the paths asked for.
async fn serve(pages: HashMap<String, (&'static str, Vec<u8>)>) -> (String, Seen) {
    let pages = Arc::new(pages);
    let seen: Seen = Arc::default();
    let log = seen.clone();
    let app = Router::new().fallback(move |uri: Uri| {
        let pages = pages.clone();
        let log = log.clone();
        async move {
            let key = uri
                .path_and_query()
                .map_or("/".to_string(), |p| p.to_string());
            log.lock().expect("log").push(key.clone());
            match pages.get(&key) {
                Some((t, body)) => ([(header::CONTENT_TYPE, *t)], body.clone()).into_response(),
                None => StatusCode::NOT_FOUND.into_response(),
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (format!("http://{addr}"), seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_shape_clean_twin_passes_and_defective_twin_gives_exactly_its_plants() {
    let mut failures = Vec::new();
    for shape in SHAPES {
        for defective in [false, true] {
            let twin = Twin { shape, defective };
            let (base, seen) = serve(twin.site()).await;
            let report = inspect(&format!("{base}/"), &Options::new(as_of()))
                .await
                .expect("inspect");
            let found: BTreeSet<(Rule, String)> = report
                .findings
                .iter()
                .map(|f| (f.rule, f.url.trim_start_matches(&base).to_string()))
                .collect();
            let planted = twin.planted();
            let verdict = if defective {
                Verdict::Veto
            } else {
                Verdict::Pass
            };
            if found != planted || report.verdict != verdict || found.len() != report.findings.len()
            {
                failures.push(format!(
                    "{shape:?} defective={defective}: expected {planted:?} ({}), got {:?} ({})\n  findings: {:#?}\n  notes: {:?}",
                    verdict.label(),
                    found,
                    report.verdict.label(),
                    report.findings,
                    report.notes
                ));
            }
            // A list no one can read is said so, column by column, and nowhere else.
            let noted: BTreeSet<String> = report
                .notes
                .iter()
                .map(|n| n.url.trim_start_matches(&base).to_string())
                .collect();
            let expected_notes: BTreeSet<String> = if shape == Shape::Xhr {
                COLUMNS
                    .iter()
                    .map(|(c, _)| format!("/col/{c}/index.html"))
                    .collect()
            } else {
                BTreeSet::new()
            };
            if noted != expected_notes {
                failures.push(format!(
                    "{shape:?} defective={defective}: notes {noted:?}, expected {expected_notes:?}"
                ));
            }
            if shape == Shape::Xhr
                && !report
                    .notes
                    .iter()
                    .all(|n| n.detail.contains("无法判断（脚本渲染）"))
            {
                failures.push(format!("{shape:?}: notes {:?}", report.notes));
            }
            // jpage paging is followed: the next page's items are read too.
            if shape == Shape::Jpage {
                let seen = seen.lock().expect("seen").clone();
                for col in ["yw", "tzgg"] {
                    if !seen.iter().any(|p| {
                        p.starts_with("/module/web/jpage/dataproxy.jsp")
                            && p.contains(&format!("columnid={col}"))
                    }) || !seen.contains(&format!("/art/{col}/5.html"))
                    {
                        failures.push(format!("Jpage: {col}'s next page not read: {seen:?}"));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
