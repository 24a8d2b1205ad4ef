//! The rules over fetched pages: pure, so they are tested with pages written in the test.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use url::Url;

use crate::dates::{ColumnClass, entry_dates, find_dates, older_than_months, older_than_two_weeks};
use crate::html::Doc;
use crate::{Finding, Note, Probes, Rule};

/// One request for a page of the site and what came back.
#[derive(Debug, Clone, Default)]
pub struct Fetched {
    /// The URL asked for (no fragment).
    pub url: String,
    /// The HTTP status; `None` when no answer came (refused, timed out).
    pub status: Option<u16>,
    /// Why no answer came.
    pub error: Option<String>,
    /// The page read, for a successful HTML answer that was not a redirect to a page already
    /// fetched.
    pub doc: Option<Doc>,
    /// The URL the page was read at (after same-site redirects); links resolve against it.
    pub final_url: String,
    /// Personal data the page shows, masked (`居民身份证号 1101**********123X`).
    pub pii: Vec<String>,
}

/// Everything the rules read.
#[derive(Debug, Clone, Default)]
pub struct CrawlData {
    /// The home page's URL.
    pub home: String,
    /// The page requests in the order they were made.
    pub pages: Vec<Fetched>,
    /// For each URL linked, the first page seen linking to it.
    pub referrers: HashMap<String, String>,
    /// The availability probes.
    pub probes: Probes,
}

/// The absolute URL of `href` on a page at `base`, without its fragment; `None` for links that
/// are not web pages (`mailto:`, `javascript:`, `tel:`, a bare `#…`).
pub fn resolve(base: &Url, href: &str) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let mut u = base.join(href).ok()?;
    if u.scheme() != "http" && u.scheme() != "https" {
        return None;
    }
    u.set_fragment(None);
    Some(u)
}

/// Words a blank column shows instead of items.
const NONE_WORDS: [&str; 7] = [
    "暂无信息",
    "暂无内容",
    "暂无数据",
    "暂无记录",
    "暂无相关信息",
    "没有信息",
    "无相关信息",
];

/// Labels before a letter's date of receipt, and before its reply's date.
const RECEIVED: [&str; 8] = [
    "来信", "收信", "写信", "留言", "提交", "受理", "收到", "来件",
];
const REPLIED: [&str; 5] = ["回复", "答复", "办结", "回信", "处理"];
/// A letter marked as answered without a date.
const ANSWERED: [&str; 4] = ["已回复", "已答复", "已办结", "已处理"];

/// The newest date among the page's items (entries with a link and a date, month-days
/// resolved against `as_of`); `None` when it lists none.
fn newest_item(doc: &Doc, as_of: NaiveDate) -> Option<NaiveDate> {
    doc.entries
        .iter()
        .filter(|e| !e.links.is_empty() && !e.in_nav)
        .flat_map(|e| entry_dates(&e.text, as_of))
        .max()
}

/// Whether the page says it has nothing, and shows nothing else: no row of a listing or table
/// outside the navigation holds more than those words (a catalogue whose rows say 暂无内容 in
/// one cell is not a blank column).
fn is_blank(doc: &Doc) -> bool {
    let says_none = NONE_WORDS.iter().any(|w| doc.text.contains(w));
    let rows = doc.entries.iter().filter(|e| !e.in_nav).any(|e| {
        let rest = NONE_WORDS
            .iter()
            .fold(e.text.clone(), |t, w| t.replace(w, ""));
        !rest.trim().is_empty()
    });
    says_none && !rows
}

/// The links of the page's items (entries with a link and a date): the first link of each.
fn item_links(doc: &Doc, as_of: NaiveDate) -> impl Iterator<Item = &str> {
    doc.entries
        .iter()
        .filter(move |e| !e.in_nav && !entry_dates(&e.text, as_of).is_empty())
        .filter_map(|e| e.links.first().map(String::as_str))
}

/// Whether a page's name makes it a mailbox listing.
fn is_mailbox(name: &str) -> bool {
    ["信箱", "来信", "留言"].iter().any(|w| name.contains(w))
}

/// A letter's date of receipt and whether it was answered, from an entry's text; `None` when the
/// entry shows no date labelled as a receipt.
fn letter(text: &str) -> Option<(NaiveDate, bool)> {
    let mut received = None;
    let mut replied = false;
    let mut from = 0;
    for d in find_dates(text) {
        // The label is the nearest of the words standing between the previous date and this
        // one (a subject such as 关于垃圾处理的建议 comes before the label, not after it).
        let before = &text[from..d.start];
        let last = |words: &[&str]| {
            words
                .iter()
                .filter_map(|w| before.rfind(w).map(|at| at + w.len()))
                .max()
        };
        match (last(&RECEIVED), last(&REPLIED)) {
            (_, Some(r)) if last(&RECEIVED).is_none_or(|c| r > c) => replied = true,
            (Some(_), _) if received.is_none() => received = Some(d.date),
            _ => {}
        }
        from = d.start;
    }
    if ANSWERED.iter().any(|w| text.contains(w)) {
        replied = true;
    }
    received.map(|r| (r, replied))
}

/// What the rules make of a crawl.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analysis {
    /// The findings, sorted by rule, then URL.
    pub findings: Vec<Finding>,
    /// What could not be judged (a list rendered by script, a home page listing nothing
    /// readable): informational, never a finding and never a veto.
    pub notes: Vec<Note>,
}

/// Applies every rule to a crawl, as of `as_of`; findings sorted by rule, then URL.
pub fn analyze(data: &CrawlData, as_of: NaiveDate) -> Vec<Finding> {
    analyze_all(data, as_of).findings
}

/// Applies every rule to a crawl, as of `as_of`, and says what could not be judged.
///
/// A home page or column is judged stale or blank only when its listing was actually read: a
/// page whose items carry no readable date, or whose list a script fills, gives a note, never
/// a finding — a false 单项否决 would end trust in the tool at once.
pub fn analyze_all(data: &CrawlData, as_of: NaiveDate) -> Analysis {
    let mut findings = Vec::new();
    let mut notes = Vec::new();
    let home = Url::parse(&data.home).ok();
    let same_site = |u: &Url| home.as_ref().is_some_and(|h| h.origin() == u.origin());
    // The pages read, by the URL they were read at.
    let mut read: BTreeMap<String, (&Fetched, &Doc)> = BTreeMap::new();
    for p in &data.pages {
        if let Some(doc) = &p.doc {
            read.entry(p.final_url.clone()).or_insert((p, doc));
        }
    }

    if data.probes.sent > 0 && data.probes.failed * 100 >= data.probes.sent * 5 {
        findings.push(Finding {
            rule: Rule::SiteUnreachable,
            veto: true,
            url: data.home.clone(),
            detail: format!(
                "首页探测 {} 次，失败 {} 次（{:.1}%，限 5%）",
                data.probes.sent,
                data.probes.failed,
                data.probes.failed as f64 * 100.0 / data.probes.sent as f64
            ),
        });
    }

    // The navigation: each page it reaches, with the first name it is given there.
    let mut nav: BTreeMap<String, String> = BTreeMap::new();
    for (url, (_, doc)) in &read {
        let Ok(base) = Url::parse(url) else { continue };
        for l in doc.links.iter().filter(|l| l.in_nav) {
            if let Some(t) = resolve(&base, &l.href).filter(|t| same_site(t)) {
                let e = nav.entry(t.to_string()).or_default();
                if e.is_empty() {
                    *e = l.text.clone();
                }
            }
        }
    }

    // Pages whose items are item pages: the home page and the columns.
    let mut listings: Vec<(&str, &Doc)> = Vec::new();
    if let Some((_, doc)) = read.get(&data.home) {
        listings.push((data.home.as_str(), doc));
        // A home page that lists nothing dated may be only a navigation entry: then the
        // newest of the pages it links to (its second level) is what it offers.
        let (newest, via) = match newest_item(doc, as_of) {
            Some(n) => (Some(n), None),
            None => {
                let base = Url::parse(&data.home).ok();
                let second = doc
                    .links
                    .iter()
                    .filter_map(|l| base.as_ref().and_then(|b| resolve(b, &l.href)))
                    .filter(|u| same_site(u) && u.as_str() != data.home)
                    .filter_map(|u| read.get(u.as_str()).map(|(_, d)| (u, d)))
                    .filter_map(|(u, d)| newest_item(d, as_of).map(|n| (n, u)))
                    .max_by_key(|(n, _)| *n);
                match second {
                    Some((n, u)) => (Some(n), Some(u.to_string())),
                    None => (None, None),
                }
            }
        };
        match newest {
            None => notes.push(Note {
                url: data.home.clone(),
                detail: if doc.scripted {
                    "首页信息由脚本加载，无法判断更新情况（脚本渲染）".to_string()
                } else {
                    "首页及其二级页面未读到带日期的信息，无法判断更新情况".to_string()
                },
            }),
            Some(newest) if older_than_two_weeks(newest, as_of) => findings.push(Finding {
                rule: Rule::HomeStale,
                veto: true,
                url: data.home.clone(),
                detail: match &via {
                    None => format!(
                        "首页最新信息日期为 {newest}，至 {as_of} 已 {} 天未更新（限2周）",
                        (as_of - newest).num_days()
                    ),
                    Some(u) => format!(
                        "首页为导航页，其二级页面最新信息日期为 {newest}（{u}），至 {as_of} 已 {} 天未更新（限2周）",
                        (as_of - newest).num_days()
                    ),
                },
            }),
            Some(_) => {}
        }
    }
    for (url, name) in &nav {
        if *url == data.home {
            continue;
        }
        let Some((_, doc)) = read.get(url) else {
            continue;
        };
        let name = [name.as_str(), doc.h1.as_str(), doc.title.as_str()]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or(url.as_str());
        match newest_item(doc, as_of) {
            Some(newest) => {
                listings.push((url.as_str(), doc));
                let class = ColumnClass::of(name);
                if class.is_stale(newest, as_of) {
                    findings.push(Finding {
                        rule: Rule::ColumnStale,
                        veto: false,
                        url: url.clone(),
                        detail: format!(
                            "栏目「{name}」最新信息日期为 {newest}，至 {as_of} 已 {} 天未更新（限{}）",
                            (as_of - newest).num_days(),
                            class.limit_label()
                        ),
                    });
                }
            }
            None if doc.scripted => notes.push(Note {
                url: url.clone(),
                detail: format!(
                    "栏目「{name}」无法判断（脚本渲染）：列表由脚本加载，页面中没有可读的信息条目"
                ),
            }),
            None if is_blank(doc) => {
                findings.push(Finding {
                    rule: Rule::ColumnBlank,
                    veto: false,
                    url: url.clone(),
                    detail: format!("栏目「{name}」没有任何信息"),
                });
            }
            None => {}
        }
    }
    // Hanweb jpage's next pages (dataproxy.jsp) list items of the column they page.
    for (url, (_, doc)) in &read {
        if url.contains("/module/web/jpage/dataproxy.jsp") {
            listings.push((url.as_str(), doc));
        }
    }

    // Item pages must show a date.
    let mut items: HashSet<String> = HashSet::new();
    for (url, doc) in &listings {
        let Ok(base) = Url::parse(url) else { continue };
        for href in item_links(doc, as_of) {
            if let Some(t) = resolve(&base, href).filter(|t| same_site(t)) {
                items.insert(t.to_string());
            }
        }
    }
    for url in &items {
        if let Some((_, doc)) = read.get(url)
            && find_dates(&doc.text).is_empty()
        {
            let name = if doc.h1.is_empty() {
                &doc.title
            } else {
                &doc.h1
            };
            findings.push(Finding {
                rule: Rule::DateMissing,
                veto: false,
                url: url.clone(),
                detail: format!("信息页「{name}」未显示发布日期"),
            });
        }
    }

    // Broken links: one finding per target.
    let mut broken: HashSet<&str> = HashSet::new();
    for p in &data.pages {
        let bad = match p.status {
            Some(s) => s >= 400,
            None => true,
        };
        let Some(from) = data.referrers.get(&p.url) else {
            continue;
        };
        if bad && broken.insert(p.url.as_str()) {
            let what = match (p.status, &p.error) {
                (Some(s), _) => format!("HTTP {s}"),
                (None, Some(e)) => format!("无应答（{e}）"),
                (None, None) => "无应答".to_string(),
            };
            findings.push(Finding {
                rule: Rule::LinkBroken,
                veto: false,
                url: p.url.clone(),
                detail: format!("{what}，链接见于 {from}"),
            });
        }
    }

    // Personal data on pages.
    let mut shown: HashSet<&str> = HashSet::new();
    for p in data.pages.iter().filter(|p| !p.pii.is_empty()) {
        if shown.insert(p.final_url.as_str()) {
            findings.push(Finding {
                rule: Rule::PiiExposed,
                veto: true,
                url: p.final_url.clone(),
                detail: format!("页面显示个人信息：{}", p.pii.join("；")),
            });
        }
    }

    // Letters without reply after 3 months.
    let mut letters: HashSet<String> = HashSet::new();
    for (url, (_, doc)) in &read {
        let name = format!(
            "{} {} {}",
            nav.get(url).map_or("", String::as_str),
            doc.h1,
            doc.title
        );
        if !is_mailbox(&name) {
            continue;
        }
        let Ok(base) = Url::parse(url) else { continue };
        // Entries close inner first; an entry around a letter already read is not another one.
        let mut counted: Vec<&str> = Vec::new();
        for e in &doc.entries {
            if counted.iter().any(|c| e.text.contains(c)) {
                continue;
            }
            let Some((received, replied)) = letter(&e.text) else {
                continue;
            };
            counted.push(e.text.as_str());
            if replied || !older_than_months(received, as_of, 3) {
                continue;
            }
            let at = match (&e.id, e.links.first()) {
                (Some(id), _) => format!("{url}#{id}"),
                (None, Some(href)) => resolve(&base, href).map_or(url.clone(), |u| u.to_string()),
                (None, None) => url.clone(),
            };
            if letters.insert(at.clone()) {
                findings.push(Finding {
                    rule: Rule::LetterUnanswered,
                    veto: true,
                    url: at,
                    detail: format!(
                        "来信日期 {received}，至 {as_of} 已 {} 天未答复（限3个月）",
                        (as_of - received).num_days()
                    ),
                });
            }
        }
    }

    // The 19号 thresholds: five stale or five blank columns fail the site.
    for rule in [Rule::ColumnStale, Rule::ColumnBlank] {
        if findings.iter().filter(|f| f.rule == rule).count() >= 5 {
            for f in findings.iter_mut().filter(|f| f.rule == rule) {
                f.veto = true;
            }
        }
    }
    findings.sort_by(|a, b| (a.rule, &a.url).cmp(&(b.rule, &b.url)));
    notes.sort_by(|a, b| a.url.cmp(&b.url));
    Analysis { findings, notes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::html::parse;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn page(url: &str, html: &str) -> Fetched {
        Fetched {
            url: url.to_string(),
            final_url: url.to_string(),
            status: Some(200),
            doc: Some(parse(html)),
            ..Fetched::default()
        }
    }

    fn site(pages: Vec<Fetched>) -> CrawlData {
        let mut referrers = HashMap::new();
        for p in &pages {
            if p.url != "http://s/" {
                referrers.insert(p.url.clone(), "http://s/".to_string());
            }
        }
        CrawlData {
            home: "http://s/".to_string(),
            pages,
            referrers,
            probes: Probes { sent: 1, failed: 0 },
        }
    }

    fn rules(f: &[Finding]) -> Vec<(Rule, &str, bool)> {
        f.iter().map(|f| (f.rule, f.url.as_str(), f.veto)).collect()
    }

    const NAV: &str =
        r#"<nav><a href="/yw">要闻</a><a href="/tz">通知公告</a><a href="/k1">空栏目</a></nav>"#;

    #[test]
    fn columns_by_class_and_blank() {
        let home = format!(r#"{NAV}<ul><li><a href="/a/1">一</a> 2020-12-30</li></ul>"#);
        let pages = vec![
            page("http://s/", &home),
            page(
                "http://s/yw",
                &format!("{NAV}<h1>要闻</h1><ul><li><a href=/a/1>一</a> 2020-12-16</li></ul>"),
            ),
            page(
                "http://s/tz",
                &format!("{NAV}<ul><li><a href=/a/2>二</a> 2020-07-01</li></ul>"),
            ),
            page("http://s/k1", &format!("{NAV}<p>暂无信息</p>")),
            page("http://s/a/1", "<h1>一</h1><p>发布日期：2020-12-30</p>"),
            page("http://s/a/2", "<h1>二</h1><p>正文没有日期</p>"),
        ];
        let f = analyze(&site(pages), d(2020, 12, 31));
        assert_eq!(
            rules(&f),
            vec![
                (Rule::ColumnStale, "http://s/yw", false),
                (Rule::ColumnBlank, "http://s/k1", false),
                (Rule::DateMissing, "http://s/a/2", false),
            ]
        );
        assert!(f[0].detail.contains("要闻") && f[0].detail.contains("15 天"));
        // A day earlier the 要闻 column is in time.
        let f2 = analyze(
            &site(vec![
                page("http://s/", &home),
                page(
                    "http://s/yw",
                    &format!("{NAV}<ul><li><a href=/a/1>一</a> 2020-12-16</li></ul>"),
                ),
            ]),
            d(2020, 12, 30),
        );
        assert!(f2.iter().all(|f| f.rule != Rule::ColumnStale));
    }

    #[test]
    fn a_table_of_entries_without_items_is_not_blank() {
        let nav = r#"<nav><ul><li><a href="/ml">标准目录</a></li><li><a href="/k">空</a></li></ul></nav>"#;
        let home = format!("{nav}<ul><li><a href=/a>a</a> 2020-12-30</li></ul>");
        let catalogue = format!(
            "{nav}<table><tr><th>重大建设项目</th><td>20个工作日内</td><td>暂无内容</td></tr></table>"
        );
        let blank = format!("{nav}<ul><li>暂无信息</li></ul>");
        let f = analyze(
            &site(vec![
                page("http://s/", &home),
                page("http://s/ml", &catalogue),
                page("http://s/k", &blank),
            ]),
            d(2020, 12, 31),
        );
        assert_eq!(rules(&f), vec![(Rule::ColumnBlank, "http://s/k", false)]);
    }

    #[test]
    fn five_blank_columns_fail_the_site_four_do_not() {
        let links: String = (1..=5)
            .map(|i| format!(r#"<a href="/k{i}">栏目{i}</a>"#))
            .collect();
        let nav = format!("<nav>{links}</nav>");
        let home = format!("{nav}<ul><li><a href=/a>a</a> 2020-12-30</li></ul>");
        let mut pages = vec![page("http://s/", &home)];
        for i in 1..=5 {
            pages.push(page(&format!("http://s/k{i}"), "<p>暂无内容</p>"));
        }
        let f = analyze(&site(pages.clone()), d(2020, 12, 31));
        assert_eq!(
            f.iter()
                .filter(|f| f.rule == Rule::ColumnBlank && f.veto)
                .count(),
            5
        );
        pages.pop();
        let f = analyze(&site(pages), d(2020, 12, 31));
        assert_eq!(
            f.iter()
                .filter(|f| f.rule == Rule::ColumnBlank && !f.veto)
                .count(),
            4
        );
        assert_eq!(crate::Verdict::of(&f), crate::Verdict::Pass);
    }

    #[test]
    fn a_stale_or_empty_home_page_fails() {
        let f = analyze(
            &site(vec![page(
                "http://s/",
                "<ul><li><a href=/a>a</a> 2020-12-01</li></ul>",
            )]),
            d(2020, 12, 31),
        );
        assert_eq!(rules(&f), vec![(Rule::HomeStale, "http://s/", true)]);
        // A home page listing nothing readable is not judged: a note, no veto.
        let a = analyze_all(
            &site(vec![page("http://s/", "<p>欢迎</p>")]),
            d(2020, 12, 31),
        );
        assert!(a.findings.is_empty());
        assert_eq!(a.notes.len(), 1);
        // A navigation-only home page is judged by its second-level pages.
        let entry = r#"<a href="/zf">政府网站</a><a href="/rd">人大网站</a>"#;
        let pages = |day: &str| {
            vec![
                page("http://s/", entry),
                page(
                    "http://s/zf",
                    &format!("<ul><li><a href=/a>a</a><span>2020-12-{day}</span></li></ul>"),
                ),
                page("http://s/rd", "<p>x</p>"),
            ]
        };
        let f = analyze(&site(pages("01")), d(2020, 12, 31));
        assert_eq!(rules(&f), vec![(Rule::HomeStale, "http://s/", true)]);
        assert!(f[0].detail.contains("导航页"));
        assert!(analyze(&site(pages("30")), d(2020, 12, 31)).is_empty());
    }

    #[test]
    fn probes_letters_links_and_personal_data() {
        let home = r#"<nav><a href="/mailbox">县长信箱</a></nav><ul><li><a href=/a>a</a> 2020-12-30</li></ul>"#;
        let mailbox = r#"<h1>县长信箱</h1>
<article id="l1"><h3>路灯</h3><p>来信日期 2020-09-22</p></article>
<article id="l2"><h3>道路</h3><p>来信日期 2020-09-22　答复日期 2020-09-30</p></article>
<article id="l3"><h3>学校</h3><p>来信日期 2020-11-01</p></article>
<ul><li><a href="/m/4">供暖</a> 留言时间：2020-01-05 状态：已回复</li></ul>"#;
        let mut broken = Fetched {
            url: "http://s/gone".into(),
            final_url: "http://s/gone".into(),
            status: Some(404),
            ..Fetched::default()
        };
        let mut pages = vec![
            page("http://s/", home),
            page("http://s/mailbox", mailbox),
            broken.clone(),
        ];
        broken.url = "http://s/dead".into();
        broken.status = None;
        broken.error = Some("连接被拒绝".into());
        pages.push(broken);
        let mut pii = page("http://s/p", "<p>x</p>");
        pii.pii = vec!["居民身份证号 1101**********0015".into()];
        pages.push(pii);
        let mut data = site(pages);
        data.probes = Probes {
            sent: 20,
            failed: 1,
        };
        let f = analyze(&data, d(2020, 12, 31));
        assert_eq!(
            rules(&f),
            vec![
                (Rule::SiteUnreachable, "http://s/", true),
                (Rule::LinkBroken, "http://s/dead", false),
                (Rule::LinkBroken, "http://s/gone", false),
                (Rule::PiiExposed, "http://s/p", true),
                (Rule::LetterUnanswered, "http://s/mailbox#l1", true),
            ]
        );
        assert!(f[1].detail.contains("连接被拒绝"));
        assert!(f[3].detail.contains("1101**********0015"));
        assert!(f[4].detail.contains("100 天"));
        // 1 failure in 21 probes is under 5 %.
        data.probes = Probes {
            sent: 21,
            failed: 1,
        };
        assert!(
            analyze(&data, d(2020, 12, 31))
                .iter()
                .all(|f| f.rule != Rule::SiteUnreachable)
        );
    }

    #[test]
    fn letter_labels() {
        assert_eq!(letter("来信日期 2020-09-22"), Some((d(2020, 9, 22), false)));
        assert_eq!(
            letter("来信日期 2020-09-22 答复日期 2020-10-01"),
            Some((d(2020, 9, 22), true))
        );
        assert_eq!(
            letter("留言时间 2020年1月5日 已办结"),
            Some((d(2020, 1, 5), true))
        );
        assert_eq!(letter("发布日期 2020-09-22"), None);
        assert_eq!(
            letter("关于垃圾处理的建议 来信日期 2020-09-22"),
            Some((d(2020, 9, 22), false))
        );
    }

    #[test]
    fn links_resolve_on_the_page() {
        let base = Url::parse("http://s/a/b.html").expect("url");
        assert_eq!(
            resolve(&base, "c.html#x").map(|u| u.to_string()),
            Some("http://s/a/c.html".into())
        );
        assert_eq!(
            resolve(&base, "/d?x=1").map(|u| u.to_string()),
            Some("http://s/d?x=1".into())
        );
        assert_eq!(resolve(&base, "mailto:a@b"), None);
        assert_eq!(resolve(&base, "javascript:void(0)"), None);
        assert_eq!(resolve(&base, "#top"), None);
    }
}
