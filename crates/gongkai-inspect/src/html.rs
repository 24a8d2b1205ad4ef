//! A lenient reading of an HTML page: what the rules need and nothing more — the title and
//! first heading, the visible text, the links (and whether they sit in a navigation block) and
//! the page's entries (`<li>`, `<tr>`, `<article>`: the rows of a listing, with their text,
//! links and id). Never fails: broken markup gives its best reading.
//!
//! The shapes the CMSs of county sites give their lists are read as such:
//! - every tag boundary separates text, so `<a>要闻1</a><span>2026-06-29</span>` reads as
//!   `要闻1 2026-06-29`, never as one number `12026`;
//! - Hanweb/TRS "jpage" lists ship their rows inside `<script type="text/xml"><datastore>
//!   <recordset><record><![CDATA[<li>…</li>]]></record>…`; such a script and every CDATA
//!   section are unwrapped and read as markup (the `<nextgroup>` link to
//!   `/module/web/jpage/dataproxy.jsp` becomes a link the crawler may follow);
//! - a list rendered by script from an array literal (`var itemObj = [{title:…, date:…,
//!   url:…}]`) gives one entry per object whose keys are recognisable ([`script_entries`]);
//! - a page whose inline script fetches data (XHR, `$.ajax`, `fetch(` …) is marked
//!   [`Doc::scripted`], so a listing found empty there is "unknown", not "blank".

/// A link on a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The `href` as written (entities decoded).
    pub href: String,
    /// The link's visible text, whitespace collapsed.
    pub text: String,
    /// Whether the link sits in a navigation block: a `<nav>` (not a breadcrumb trail) or an
    /// element whose class or id names a `nav` or `menu`.
    pub in_nav: bool,
}

/// One row of a listing: an `<li>`, `<tr>` or `<article>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Entry {
    /// Its visible text (with that of nested elements), whitespace collapsed.
    pub text: String,
    /// The `href`s of the links inside it, in order.
    pub links: Vec<String>,
    /// Its `id` attribute, if any (a letter's anchor on a mailbox page).
    pub id: Option<String>,
    /// Whether it sits in a navigation block (a menu's item, not a listing's row).
    pub in_nav: bool,
}

/// What the rules read from a page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Doc {
    /// The `<title>`, whitespace collapsed.
    pub title: String,
    /// The first `<h1>`, whitespace collapsed.
    pub h1: String,
    /// The visible text: no tags, scripts, styles or comments.
    pub text: String,
    /// Every link, in order.
    pub links: Vec<Link>,
    /// Every entry, in the order they close (an inner entry before the one around it), then
    /// the entries read from script array literals.
    pub entries: Vec<Entry>,
    /// Whether an inline script fetches data or writes markup (XHR, `$.ajax`, `fetch(`,
    /// `document.write` …): what the markup lists may not be all the page shows.
    pub scripted: bool,
}

/// Elements that never have content.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Elements whose start or end separates lines of text.
const BLOCKS: [&str; 24] = [
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "li",
    "nav",
    "p",
    "section",
    "tr",
];

#[derive(Debug)]
enum Role {
    Plain,
    Nav,
    Entry(Entry),
    Anchor { href: String, text: String },
    Title,
    H1,
}

#[derive(Debug)]
struct Open {
    name: String,
    role: Role,
}

/// Reads a page.
pub fn parse(html: &str) -> Doc {
    let unwrapped = unwrap_datastores(html);
    let html = unwrapped.as_str();
    let mut doc = Doc::default();
    let mut script_rows: Vec<Entry> = Vec::new();
    let mut stack: Vec<Open> = Vec::new();
    let mut title = String::new();
    let mut h1 = String::new();
    let mut h1_done = false;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(at) = rest.find('<') else {
            add_text(
                &mut stack,
                &mut doc.text,
                &mut title,
                &mut h1,
                &decode(rest),
            );
            break;
        };
        if at > 0 {
            add_text(
                &mut stack,
                &mut doc.text,
                &mut title,
                &mut h1,
                &decode(&rest[..at]),
            );
        }
        rest = &rest[at..];
        let next = rest[1..].chars().next();
        if !next.is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!' || c == '?') {
            add_text(&mut stack, &mut doc.text, &mut title, &mut h1, "<");
            rest = &rest[1..];
            continue;
        }
        if let Some(body) = rest.strip_prefix("<!--") {
            rest = body.find("-->").map_or("", |e| &body[e + 3..]);
            continue;
        }
        let Some(close) = find_tag_end(rest) else {
            break;
        };
        let tag = &rest[1..close];
        rest = &rest[close + 1..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        if let Some(end) = tag.strip_prefix('/') {
            let name = tag_name(end);
            if BLOCKS.contains(&name.as_str()) {
                doc.text.push('\n');
            }
            separate(&mut stack, &mut doc.text);
            close_element(
                &mut stack,
                &mut doc,
                &name,
                &mut title,
                &mut h1,
                &mut h1_done,
            );
            continue;
        }
        let name = tag_name(tag);
        if name.is_empty() {
            continue;
        }
        let attrs = attributes(&tag[name.len()..]);
        if BLOCKS.contains(&name.as_str()) {
            doc.text.push('\n');
        }
        if name == "td" || name == "th" {
            doc.text.push('\t');
        }
        separate(&mut stack, &mut doc.text);
        if name == "script" || name == "style" {
            // Raw text up to the matching end tag is not visible.
            let end = format!("</{name}");
            let (raw, after) = match find_ascii_ci(rest, &end) {
                Some(e) => {
                    let after = &rest[e..];
                    (&rest[..e], after.find('>').map_or("", |g| &after[g + 1..]))
                }
                None => (rest, ""),
            };
            if name == "script" && attr(&attrs, "src").is_none() {
                doc.scripted |= fetches_or_writes(raw);
                script_rows.extend(script_entries(raw));
            }
            rest = after;
            continue;
        }
        if VOID.contains(&name.as_str()) || tag.trim_end().ends_with('/') {
            continue;
        }
        // A new <li> or <tr> closes an unclosed one at the same level.
        let implied = match name.as_str() {
            "li" => Some(("li", ["ul", "ol", "menu"].as_slice())),
            "tr" => Some(("tr", ["table", "tbody", "thead"].as_slice())),
            _ => None,
        };
        if let Some((same, lists)) = implied
            && let Some(pos) = stack
                .iter()
                .rposition(|o| o.name == same || lists.contains(&o.name.as_str()))
            && stack[pos].name == same
        {
            close_element(
                &mut stack,
                &mut doc,
                same,
                &mut title,
                &mut h1,
                &mut h1_done,
            );
        }
        let role = match name.as_str() {
            "a" => {
                let href = attr(&attrs, "href").unwrap_or_default();
                if !href.is_empty() {
                    for o in stack.iter_mut() {
                        if let Role::Entry(e) = &mut o.role {
                            e.links.push(href.clone());
                        }
                    }
                }
                Role::Anchor {
                    href,
                    text: String::new(),
                }
            }
            "li" | "tr" | "article" => Role::Entry(Entry {
                id: attr(&attrs, "id").filter(|s| !s.is_empty()),
                in_nav: stack.iter().any(|o| matches!(o.role, Role::Nav)),
                ..Entry::default()
            }),
            "title" => Role::Title,
            "h1" if !h1_done => Role::H1,
            _ if is_nav(&name, &attrs) => Role::Nav,
            _ => Role::Plain,
        };
        stack.push(Open { name, role });
    }
    while !stack.is_empty() {
        let name = stack.last().map(|o| o.name.clone()).unwrap_or_default();
        close_element(
            &mut stack,
            &mut doc,
            &name,
            &mut title,
            &mut h1,
            &mut h1_done,
        );
    }
    doc.title = collapse(&title);
    doc.h1 = collapse(&h1);
    for e in &script_rows {
        if let Some(href) = e.links.first() {
            doc.links.push(Link {
                href: href.clone(),
                text: e.text.clone(),
                in_nav: false,
            });
        }
    }
    doc.entries.extend(script_rows);
    doc
}

/// The byte offset of `needle` (ASCII, lower case) in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    hay.as_bytes()
        .windows(n.len())
        .position(|w| w.eq_ignore_ascii_case(n))
}

/// Hanweb/TRS jpage: a `<script>` holding a `<datastore>` is replaced by what it holds, and
/// every `<![CDATA[ … ]]>` by its content, so the records read as the markup they are.
fn unwrap_datastores(html: &str) -> String {
    if !html.contains("<![CDATA[") && find_ascii_ci(html, "<datastore").is_none() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = find_ascii_ci(rest, "<script") {
        let after_open = rest[at..].find('>').map(|g| at + g + 1);
        let close = after_open.and_then(|a| find_ascii_ci(&rest[a..], "</script").map(|c| a + c));
        let (Some(a), Some(c)) = (after_open, close) else {
            break;
        };
        let body = &rest[a..c];
        let end = rest[c..].find('>').map_or(rest.len(), |g| c + g + 1);
        if find_ascii_ci(body, "<datastore").is_some()
            || find_ascii_ci(body, "<recordset").is_some()
        {
            out.push_str(&rest[..at]);
            out.push_str(&strip_cdata(body));
        } else {
            out.push_str(&rest[..end]);
        }
        rest = &rest[end..];
    }
    out.push_str(&strip_cdata(rest));
    out
}

/// `<![CDATA[x]]>` → `x`.
fn strip_cdata(s: &str) -> String {
    s.replace("<![CDATA[", "").replace("]]>", "")
}

/// Markers of an inline script that fetches data or writes markup.
const FETCHERS: [&str; 9] = [
    "xmlhttprequest",
    "$.ajax",
    "$.get(",
    "$.post(",
    "$.getjson",
    "fetch(",
    "axios",
    ".load(",
    "document.write",
];

fn fetches_or_writes(js: &str) -> bool {
    let lower = js.to_ascii_lowercase();
    FETCHERS.iter().any(|m| lower.contains(m))
}

/// Keys that name an item's title, date and link in the array literals list scripts render.
const TITLE_KEYS: [&str; 6] = ["title", "name", "bt", "biaoti", "subject", "text"];
const DATE_KEYS: [&str; 11] = [
    "date",
    "time",
    "pubdate",
    "publishdate",
    "publishtime",
    "pubtime",
    "releasetime",
    "createtime",
    "fbrq",
    "rq",
    "fbsj",
];
const URL_KEYS: [&str; 5] = ["url", "href", "link", "path", "linkurl"];

/// The rows of a list a script renders from an array literal (`var itemObj = [{title: "…",
/// date: "2026-06-29", url: "/a/1.html"}, …]`): one entry per flat object literal with a
/// recognisable title key and a date or link key. Objects without them are not rows.
pub fn script_entries(js: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut rest = js;
    while let Some(open) = rest.find('{') {
        let body = &rest[open + 1..];
        let Some(close) = body.find(['{', '}']) else {
            break;
        };
        if body.as_bytes()[close] == b'{' {
            rest = &body[close..];
            continue;
        }
        let fields = object_fields(&body[..close]);
        let get = |keys: &[&str]| {
            fields
                .iter()
                .find(|(k, _)| keys.contains(&k.to_ascii_lowercase().as_str()))
                .map(|(_, v)| v.clone())
        };
        if let Some(title) = get(&TITLE_KEYS) {
            let date = get(&DATE_KEYS);
            let url = get(&URL_KEYS);
            if date.is_some() || url.is_some() {
                out.push(Entry {
                    text: collapse(&format!("{title} {}", date.unwrap_or_default())),
                    links: url.into_iter().collect(),
                    ..Entry::default()
                });
            }
        }
        rest = &body[close + 1..];
    }
    out
}

/// `key: "value"` / `"key": 'value'` pairs of a flat object literal (string values only).
fn object_fields(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(colon) = rest.find(':') {
        let key = rest[..colon]
            .trim()
            .trim_start_matches(',')
            .trim()
            .trim_matches(['"', '\'']);
        let after = rest[colon + 1..].trim_start();
        let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            // A number or an expression: skip to the next field.
            match after.find(',') {
                Some(c) => {
                    rest = &after[c + 1..];
                    continue;
                }
                None => break,
            }
        };
        let value_rest = &after[1..];
        let Some(end) = value_rest.find(q) else { break };
        let value = value_rest[..end].replace("\\/", "/");
        if key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !key.is_empty() {
            out.push((key.to_string(), decode(&value)));
        }
        rest = &value_rest[end + 1..];
    }
    out
}

/// The `>` that ends the tag starting at `s[0]`, skipping quoted attribute values.
fn find_tag_end(s: &str) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (i, b) in s.bytes().enumerate().skip(1) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b'>' => return Some(i),
            None => {}
        }
    }
    None
}

fn tag_name(tag: &str) -> String {
    tag.chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `name="value"` pairs (names lower-cased, values decoded).
fn attributes(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        if start == i {
            i += 1;
            continue;
        }
        let name = s[start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vs = i + 1;
                let ve = s[vs..]
                    .bytes()
                    .position(|c| c == q)
                    .map_or(s.len(), |p| vs + p);
                value = decode(&s[vs..ve]);
                i = ve + 1;
            } else {
                let vs = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = decode(&s[vs..i]);
            }
        }
        out.push((name, value));
    }
    out
}

fn attr(attrs: &[(String, String)], name: &str) -> Option<String> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.trim().to_string())
}

/// A `<nav>` other than a breadcrumb trail, or any element whose class or id names a
/// navigation or menu (`nav`, `navbar`, `main-menu` …): many government sites build their
/// navigation from `<div class="nav">`.
fn is_nav(name: &str, attrs: &[(String, String)]) -> bool {
    let label = attr(attrs, "aria-label").unwrap_or_default();
    let class = attr(attrs, "class")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let id = attr(attrs, "id").unwrap_or_default().to_ascii_lowercase();
    let crumbs = label.contains("位置")
        || label.contains("面包屑")
        || class.contains("crumb")
        || id.contains("crumb")
        || label.to_ascii_lowercase().contains("breadcrumb");
    if crumbs {
        return false;
    }
    if name == "nav" {
        return true;
    }
    class
        .split_whitespace()
        .chain(std::iter::once(id.as_str()))
        .any(|t| t.contains("nav") || t.contains("menu"))
}

/// A tag boundary: the texts of the entries it lies in (and the page's) get a space, so words
/// and digits on either side never run together.
fn separate(stack: &mut [Open], text: &mut String) {
    for o in stack.iter_mut() {
        if let Role::Entry(e) = &mut o.role
            && !e.text.ends_with(' ')
        {
            e.text.push(' ');
        }
    }
    if !text.ends_with([' ', '\n', '\t']) {
        text.push(' ');
    }
}

fn add_text(stack: &mut [Open], text: &mut String, title: &mut String, h1: &mut String, s: &str) {
    if s.is_empty() {
        return;
    }
    let mut in_title = false;
    for o in stack.iter_mut() {
        match &mut o.role {
            Role::Entry(e) => e.text.push_str(s),
            Role::Anchor { text, .. } => text.push_str(s),
            Role::Title => in_title = true,
            Role::H1 => h1.push_str(s),
            Role::Plain | Role::Nav => {}
        }
    }
    if in_title {
        title.push_str(s);
    } else {
        text.push_str(s);
    }
}

/// Closes the innermost open `name` and everything opened inside it; an end tag with no open
/// element is ignored.
fn close_element(
    stack: &mut Vec<Open>,
    doc: &mut Doc,
    name: &str,
    _title: &mut String,
    _h1: &mut String,
    h1_done: &mut bool,
) {
    let Some(pos) = stack.iter().rposition(|o| o.name == name) else {
        return;
    };
    while stack.len() > pos {
        let Some(open) = stack.pop() else { break };
        let in_nav = stack.iter().any(|o| matches!(o.role, Role::Nav));
        match open.role {
            Role::Entry(mut e) => {
                e.text = collapse(&e.text);
                doc.entries.push(e);
            }
            Role::Anchor { href, text } => {
                if !href.is_empty() {
                    doc.links.push(Link {
                        href,
                        text: collapse(&text),
                        in_nav,
                    });
                }
            }
            Role::H1 => *h1_done = true,
            Role::Plain | Role::Nav | Role::Title => {}
        }
    }
}

/// Whitespace runs (ASCII, ideographic space, NBSP) become one space; trimmed.
pub fn collapse(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Decodes character references: the common named ones and numeric ones; an unknown one stays
/// as written.
pub fn decode(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..].find(';').map(|e| e + 1).filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name.strip_prefix('#').and_then(|n| {
                    let v = match n.strip_prefix(['x', 'X']) {
                        Some(h) => u32::from_str_radix(h, 16).ok(),
                        None => n.parse().ok(),
                    };
                    v.and_then(char::from_u32)
                }),
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, used)) => {
                out.push(c);
                rest = &rest[used..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_navigation_entries_and_headings() {
        let html = r#"<!DOCTYPE html><html><head><title>要闻 - 某县</title>
<style>li{color:red}</style><script>var a = "<li>2020-01-01</li>";</script></head>
<body><nav aria-label="位置"><a href="/">首页</a></nav>
<div class="main-nav"><ul><li><a href="/yw">要闻</a><li><a href="/tz">通知&amp;公告</a></ul></div>
<h1>要闻</h1><h1>second</h1>
<ul class="list"><li id="x1"><a href='/a/1'>标题一</a> <span>2020-12-01</span></li>
<li><a href=/a/2>标题二</a> 2020年11月2日</li></ul>
<!-- <a href="/hidden">hidden</a> -->
<table><tr><td>来信</td><td>2020-01-01</td><tr><td>b</td></table>
</body></html>"#;
        let doc = parse(html);
        assert_eq!(doc.title, "要闻 - 某县");
        assert_eq!(doc.h1, "要闻");
        let nav: Vec<_> = doc
            .links
            .iter()
            .filter(|l| l.in_nav)
            .map(|l| l.href.as_str())
            .collect();
        assert_eq!(nav, vec!["/yw", "/tz"]);
        assert!(doc.links.iter().any(|l| l.href == "/" && !l.in_nav));
        assert!(!doc.links.iter().any(|l| l.href == "/hidden"));
        assert_eq!(
            doc.links
                .iter()
                .find(|l| l.href == "/tz")
                .map(|l| l.text.as_str()),
            Some("通知&公告")
        );
        let first = doc
            .entries
            .iter()
            .find(|e| e.id.as_deref() == Some("x1"))
            .expect("entry x1");
        assert_eq!(first.text, "标题一 2020-12-01");
        assert_eq!(first.links, vec!["/a/1"]);
        assert!(!first.in_nav);
        assert!(
            doc.entries
                .iter()
                .any(|e| e.links == vec!["/yw"] && e.in_nav)
        );
        assert!(
            doc.entries
                .iter()
                .any(|e| e.links == vec!["/a/2"] && e.text.contains("2020年11月2日"))
        );
        // Two rows, the first left unclosed.
        assert_eq!(
            doc.entries
                .iter()
                .filter(|e| e.text.starts_with("来信") || e.text == "b")
                .count(),
            2
        );
        assert!(!doc.text.contains("var a"));
        assert!(!doc.text.contains("color"));
    }

    #[test]
    fn broken_markup_does_not_fail() {
        let doc = parse("<div><a href=\"/x\">x<li>1 < 2 &bogus; &#x4e2d;</div><a");
        assert_eq!(doc.links.len(), 1);
        assert!(doc.text.contains("1 < 2 &bogus; 中"));
        let _ = parse("<");
        let _ = parse("<a href='unterminated");
        let _ = parse("</li></ul><script>");
    }
}
