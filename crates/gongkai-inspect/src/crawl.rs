//! The I/O: probes, robots.txt, the bounded breadth-first crawl of one origin and the one probe
//! of each link to another host.

use std::collections::{HashMap, HashSet, VecDeque};

use gongkai_review::{FindingKind, ScanOptions, WordList};
use reqwest::redirect::Policy;
use tokio::task::JoinSet;
use url::Url;

use crate::robots::Robots;
use crate::rules::{CrawlData, Fetched, analyze_all, resolve};
use crate::{External, InspectError, Options, Probes, Report, Verdict};

/// The user agent sent with every request; robots.txt groups naming `gongkai-inspect` apply.
pub const USER_AGENT: &str = concat!(
    "gongkai-inspect/",
    env!("CARGO_PKG_VERSION"),
    " (+网上巡查; 国办秘函〔2019〕19号)"
);

/// The product token robots.txt is read for.
const ROBOTS_AGENT: &str = "gongkai-inspect";

/// A page body larger than this is not read (a page, not an attachment, is what the rules read).
const MAX_BODY: u64 = 5 * 1024 * 1024;

/// Inspects the site at `start` (its home page).
///
/// Errors only when the run cannot start (a bad URL, no HTTP client); a site that does not
/// answer is a finding (SITE-UNREACHABLE), not an error.
pub async fn inspect(start: &str, options: &Options) -> Result<Report, InspectError> {
    let mut home = Url::parse(start.trim()).map_err(|_| InspectError::BadUrl(start.to_string()))?;
    if !(home.scheme() == "http" || home.scheme() == "https") || home.host_str().is_none() {
        return Err(InspectError::BadUrl(start.to_string()));
    }
    home.set_fragment(None);
    let origin = home.origin();
    // Redirects are followed only within the site: a redirect elsewhere would fetch another
    // host's page.
    let same = origin.clone();
    let client = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(options.timeout)
        .connect_timeout(options.timeout)
        .redirect(Policy::custom(move |attempt| {
            if attempt.previous().len() >= 5 || attempt.url().origin() != same {
                attempt.stop()
            } else {
                attempt.follow()
            }
        }))
        .build()
        .map_err(|e| InspectError::Client(e.to_string()))?;
    // Other hosts get exactly one request each: no redirect is followed.
    let probe_client = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .timeout(options.timeout)
        .connect_timeout(options.timeout)
        .redirect(Policy::none())
        .build()
        .map_err(|e| InspectError::Client(e.to_string()))?;

    let robots = read_robots(&client, &home).await;
    let scan = ScanOptions {
        max_birth_year: u16::try_from(chrono::Datelike::year(&options.as_of)).unwrap_or(2100),
        include_suspects: false,
        names_with_addresses: false,
    };
    let mut data = CrawlData {
        home: home.to_string(),
        ..CrawlData::default()
    };

    // Availability: the first probe is also the crawl's fetch of the home page.
    let probes = options.probes.max(1);
    let first = fetch(client.clone(), home.clone(), scan).await;
    let failed = |f: &Fetched| f.status.is_none_or(|s| s >= 400);
    data.probes = Probes {
        sent: 1,
        failed: usize::from(failed(&first)),
    };
    for _ in 1..probes {
        tokio::time::sleep(options.probe_interval).await;
        let p = probe(&client, &home).await;
        data.probes.sent += 1;
        data.probes.failed += usize::from(p.is_none_or(|s| s >= 400));
    }

    let mut seen: HashSet<String> = HashSet::from([home.to_string()]);
    let mut queue: VecDeque<Url> = VecDeque::new();
    let mut external: Vec<String> = Vec::new();
    let mut external_seen: HashSet<String> = HashSet::new();
    let mut in_flight: JoinSet<Fetched> = JoinSet::new();
    let limit = options.max_pages.max(1);
    let mut dispatched = 1;
    let mut done = Some(first);
    loop {
        if let Some(mut page) = done.take() {
            // A redirect to a page already fetched or queued is that page: read it once.
            if page.final_url != page.url && !seen.insert(page.final_url.clone()) {
                page.doc = None;
            }
            follow_links(
                &page,
                &origin,
                &robots,
                &mut seen,
                &mut queue,
                &mut data.referrers,
                &mut external,
                &mut external_seen,
            );
            if let Some(progress) = &options.progress {
                progress(data.pages.len() + 1, limit, &page.url);
            }
            data.pages.push(page);
        }
        while in_flight.len() < options.concurrency.max(1) && dispatched < limit {
            let Some(next) = queue.pop_front() else { break };
            dispatched += 1;
            in_flight.spawn(fetch(client.clone(), next, scan));
        }
        match in_flight.join_next().await {
            Some(Ok(page)) => done = Some(page),
            // A fetch task cannot panic short of a bug; the page is then simply missing.
            Some(Err(_)) => {}
            None => break,
        }
    }

    // Each link to another host gets one probe, the first `max_external` of them.
    let mut probed: JoinSet<(usize, Option<u16>, Option<String>)> = JoinSet::new();
    let mut ext: Vec<External> = external
        .iter()
        .map(|u| External {
            url: u.clone(),
            status: None,
            error: Some("未探测".to_string()),
        })
        .collect();
    let mut next = 0;
    let max_external = options.max_external.min(ext.len());
    loop {
        while probed.len() < options.concurrency.max(1) && next < max_external {
            let c = probe_client.clone();
            let u = ext[next].url.clone();
            let i = next;
            probed.spawn(async move {
                match c.get(&u).send().await {
                    Ok(r) => (i, Some(r.status().as_u16()), None),
                    Err(e) => (i, None, Some(reason(&e))),
                }
            });
            next += 1;
        }
        match probed.join_next().await {
            Some(Ok((i, status, error))) => {
                if let Some(e) = ext.get_mut(i) {
                    e.status = status;
                    e.error = error;
                }
            }
            Some(Err(_)) => {}
            None => break,
        }
    }

    let analysis = analyze_all(&data, options.as_of);
    let findings = analysis.findings;
    Ok(Report {
        url: data.home.clone(),
        as_of: options.as_of,
        verdict: Verdict::of(&findings),
        pages: data.pages.len(),
        findings,
        notes: analysis.notes,
        external: ext,
        probes: data.probes,
    })
}

/// Queues the page's unseen same-site links that robots.txt allows, notes who links where, and
/// lists links to other hosts.
#[allow(clippy::too_many_arguments)]
fn follow_links(
    page: &Fetched,
    origin: &url::Origin,
    robots: &Robots,
    seen: &mut HashSet<String>,
    queue: &mut VecDeque<Url>,
    referrers: &mut HashMap<String, String>,
    external: &mut Vec<String>,
    external_seen: &mut HashSet<String>,
) {
    let Some(doc) = &page.doc else { return };
    let Ok(base) = Url::parse(&page.final_url) else {
        return;
    };
    for link in &doc.links {
        let Some(target) = resolve(&base, &link.href) else {
            continue;
        };
        let key = target.to_string();
        if target.origin() != *origin {
            if external_seen.insert(key.clone()) {
                external.push(key);
            }
            continue;
        }
        referrers
            .entry(key.clone())
            .or_insert_with(|| page.final_url.clone());
        let path = match target.query() {
            Some(q) => format!("{}?{q}", target.path()),
            None => target.path().to_string(),
        };
        // jpage paging is followed, but only a few pages deep per column: the newest items are
        // on the first, and a list of thousands must not eat the page budget.
        if path.starts_with("/module/web/jpage/dataproxy.jsp")
            && jpage_page(&target).is_some_and(|p| p > MAX_JPAGE_PAGES)
        {
            continue;
        }
        if robots.allows(&path) && seen.insert(key) {
            queue.push_back(target);
        }
    }
}

/// How many jpage pages of a column are read.
const MAX_JPAGE_PAGES: u32 = 3;

/// The page number a jpage `dataproxy.jsp` URL asks for (`page=` or `startrecord=` over
/// `perpage=`).
fn jpage_page(u: &Url) -> Option<u32> {
    let q: HashMap<String, String> = u.query_pairs().into_owned().collect();
    if let Some(p) = q.get("page").and_then(|p| p.parse().ok()) {
        return Some(p);
    }
    let start: u32 = q.get("startrecord")?.parse().ok()?;
    let per: u32 = q
        .get("perpage")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .max(1);
    Some(start.saturating_sub(1) / per + 1)
}

/// robots.txt: read it if it answers 2xx; a 4xx means no rules; a server error or no answer
/// means keep out (RFC 9309), and only the home page is read.
async fn read_robots(client: &reqwest::Client, home: &Url) -> Robots {
    let Ok(url) = home.join("/robots.txt") else {
        return Robots::allow_all();
    };
    match client.get(url).send().await {
        Ok(r) if r.status().is_success() => match r.text().await {
            Ok(t) => Robots::parse(&t, ROBOTS_AGENT),
            Err(_) => Robots::allow_all(),
        },
        Ok(r) if r.status().is_client_error() => Robots::allow_all(),
        _ => Robots::disallow_all(),
    }
}

/// A probe of the home page: its status, or `None` without an answer.
async fn probe(client: &reqwest::Client, home: &Url) -> Option<u16> {
    match client.get(home.clone()).send().await {
        Ok(r) => {
            let s = r.status().as_u16();
            // Read the body so the probe measures the whole answer.
            let _ = r.bytes().await;
            Some(s)
        }
        Err(_) => None,
    }
}

/// Why a request got no answer, in words.
fn reason(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "超时".to_string()
    } else if e.is_connect() {
        "无法连接".to_string()
    } else {
        "请求失败".to_string()
    }
}

/// A page's text: in the charset its Content-Type names, else the one a `<meta>` in its first
/// 1024 bytes names (many government sites still serve GBK that way), else UTF-8.
fn decode(bytes: &[u8], content_type: Option<&str>) -> String {
    let label = content_type.and_then(charset_label).or_else(|| {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
        head.find("<meta").and_then(|at| charset_label(&head[at..]))
    });
    let encoding = label
        .and_then(|l| encoding_rs::Encoding::for_label(l.as_bytes()))
        .unwrap_or(encoding_rs::UTF_8);
    encoding.decode(bytes).0.into_owned()
}

/// The label after the first `charset=` (quotes and spaces skipped).
fn charset_label(s: &str) -> Option<String> {
    let at = s.find("charset=")? + "charset=".len();
    let label: String = s[at..]
        .trim_start_matches(['"', '\'', ' '])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!label.is_empty()).then_some(label)
}

/// Fetches one page of the site and reads it if it is HTML.
async fn fetch(client: reqwest::Client, url: Url, scan: ScanOptions) -> Fetched {
    let mut page = Fetched {
        url: url.to_string(),
        final_url: url.to_string(),
        ..Fetched::default()
    };
    let resp = match client.get(url).send().await {
        Ok(r) => r,
        Err(e) => {
            page.error = Some(reason(&e));
            return page;
        }
    };
    let status = resp.status();
    page.status = Some(status.as_u16());
    let mut final_url = resp.url().clone();
    final_url.set_fragment(None);
    page.final_url = final_url.to_string();
    let content_type = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    // Hanweb jpage's dataproxy.jsp answers its next pages as XML (a <datastore> of CDATA
    // records); they are read like a page.
    let html = content_type
        .as_deref()
        .is_some_and(|t| t.contains("text/html") || t.contains("xhtml") || t.contains("xml"));
    if !status.is_success() || !html || resp.content_length().is_some_and(|n| n > MAX_BODY) {
        // The answer is drained so the connection can be reused.
        let _ = resp.bytes().await;
        return page;
    }
    match resp.bytes().await {
        Ok(bytes) => {
            let body = decode(&bytes, content_type.as_deref());
            let text = gongkai_review::html_to_text(&body);
            page.pii = gongkai_review::scan_with(&text, &WordList::empty(), &scan)
                .into_iter()
                .filter(|f| {
                    matches!(
                        f.kind,
                        FindingKind::IdNumber | FindingKind::MobileNumber | FindingKind::BankCard
                    )
                })
                .map(|f| format!("{} {}", f.kind.label(), f.masked))
                .collect();
            page.doc = Some(crate::html::parse(&body));
        }
        Err(e) => page.error = Some(reason(&e)),
    }
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_read_in_their_charset() {
        // 暂无信息 in GBK.
        let gbk: &[u8] = &[0xd4, 0xdd, 0xce, 0xde, 0xd0, 0xc5, 0xcf, 0xa2];
        let mut page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"></head><body>".to_vec();
        page.extend_from_slice(gbk);
        assert!(decode(&page, Some("text/html")).contains("暂无信息"));
        assert!(decode(gbk, Some("text/html; charset=GBK")).contains("暂无信息"));
        let mut meta5 = b"<meta charset='gbk'>".to_vec();
        meta5.extend_from_slice(gbk);
        assert!(decode(&meta5, None).contains("暂无信息"));
        assert_eq!(decode("暂无信息".as_bytes(), Some("text/html")), "暂无信息");
        assert_eq!(
            decode("暂无信息".as_bytes(), Some("text/html; charset=bogus")),
            "暂无信息"
        );
    }
}
