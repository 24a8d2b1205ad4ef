//! Every role's back office in headless Chromium against the real server (issue 14, acceptance
//! 5): one account per role of [`Role::ALL`] signs in through `/admin/login`, then the test
//! walks breadth-first over every same-origin `/admin…` link reachable from the dashboard (GET
//! only: no form is ever submitted; sign-out and downloads are skipped) and asserts on every page
//! it reaches that it opened (2xx, or 422 for a page that says what is missing), that its visible text never says 「功能建设中」 and that it
//! shows no command-line text (a `gongkai …` command, a `GONGKAI_…` variable, a `--flag`,
//! `cargo`, a shell prompt). axe-core finds no serious or critical violation on the audit log (as
//! the audit admin) and the user list (as the security admin).
//!
//! The walk is bounded: at most [`MAX_PAGES`] pages a role and [`MAX_PER_PATH`] query-string
//! variants of one path (paging and filter links would otherwise multiply without end).
//!
//! Needs `/usr/bin/chromium` and `chromedriver` (scripts/test installs them) and axe-core.
//! `GONGKAI_SKIP_BROWSER=1` skips it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser_support;
mod common;

use std::collections::{BTreeMap, HashSet, VecDeque};

use fantoccini::Client;
use gongkai_store::auth::{self, NewUser, Role};
use serde_json::json;

use browser_support::{Browser, PASSWORD, Res, axe_check, sign_in, sign_out};

/// The most pages one role's walk opens.
const MAX_PAGES: usize = 150;
/// The most URLs of one path (differing in their query string) one role's walk opens.
const MAX_PER_PATH: usize = 3;
/// Paths whose GET is not a page to read: signing out, and files.
const SKIPPED_SUFFIXES: [&str; 7] = [".csv", ".docx", ".xlsx", ".pdf", ".zip", ".txt", ".json"];

/// Text a member of staff must never be shown: the placeholder of an unbuilt function, and
/// what belongs to the command line, not to the back office.
const FORBIDDEN: [&str; 8] = [
    "功能建设中",
    "gongkai ",
    "GONGKAI_",
    "--record",
    "cargo ",
    "$ ",
    "# apt",
    "scripts/",
];

/// What on a page's visible text is command-line text or a placeholder, if anything.
fn forbidden_in(text: &str) -> Option<String> {
    if let Some(f) = FORBIDDEN.iter().find(|f| text.contains(*f)) {
        return Some(format!("「{f}」"));
    }
    // A long option (`--max-pages`, `--role`): two ASCII hyphens before a lowercase letter.
    let b = text.as_bytes();
    (0..b.len().saturating_sub(2))
        .find(|&i| b[i] == b'-' && b[i + 1] == b'-' && b[i + 2].is_ascii_lowercase())
        .map(|i| {
            let end = text[i..]
                .find(char::is_whitespace)
                .map_or(text.len(), |e| i + e);
            format!("「{}」", &text[i..end])
        })
}

/// The account name of the test user holding `role`.
fn user_of(role: Role) -> String {
    format!("t_{}", role.key())
}

/// The status and content type a GET of `url` answers in the signed-in browser, without
/// navigating (so a download is recognised before the browser would save it).
async fn probe(c: &Client, url: &str) -> Res<(u16, String)> {
    let v = c
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             fetch(arguments[0], {credentials: 'same-origin', redirect: 'follow'})\
               .then(r => done([r.status, r.headers.get('content-type') || '', r.url]))\
               .catch(e => done([0, 'fetch failed: ' + e, '']));",
            vec![json!(url)],
        )
        .await?;
    let status = v[0].as_u64().unwrap_or(0) as u16;
    let ctype = v[1].as_str().unwrap_or_default().to_string();
    Ok((status, ctype))
}

/// The same-origin back-office links of the current page, absolute, without fragments.
async fn admin_links(c: &Client, base: &str) -> Res<Vec<String>> {
    let v = c
        .execute(
            "return Array.from(document.querySelectorAll('a[href]')).map(a => a.href);",
            vec![],
        )
        .await?;
    let mut out = Vec::new();
    for href in v.as_array().cloned().unwrap_or_default() {
        let Some(href) = href.as_str() else { continue };
        let href = href.split('#').next().unwrap_or_default();
        let Some(rest) = href.strip_prefix(base) else {
            continue;
        };
        if rest.starts_with("/admin") {
            out.push(rest.to_string());
        }
    }
    Ok(out)
}

/// Whether the walk leaves `url` (a path with its query) alone.
fn skipped(url: &str) -> bool {
    let path = url.split('?').next().unwrap_or_default();
    path.contains("logout")
        || path.starts_with("/admin/login")
        || SKIPPED_SUFFIXES.iter().any(|s| path.ends_with(s))
}

/// Walks `role`'s back office from the dashboard; answers the pages opened and the problems
/// found (each naming the page).
async fn walk(c: &Client, base: &str) -> Res<(Vec<String>, Vec<String>)> {
    // Each URL with the page whose link led to it.
    let mut queue: VecDeque<(String, String)> =
        VecDeque::from([("/admin".to_string(), "sign-in".to_string())]);
    let mut seen: HashSet<String> = HashSet::from(["/admin".to_string()]);
    let mut per_path: BTreeMap<String, usize> = BTreeMap::new();
    let mut opened = Vec::new();
    let mut problems = Vec::new();
    while let Some((url, from)) = queue.pop_front() {
        if opened.len() >= MAX_PAGES {
            break;
        }
        let path = url.split('?').next().unwrap_or_default().to_string();
        let n = per_path.entry(path).or_default();
        if *n >= MAX_PER_PATH {
            continue;
        }
        *n += 1;
        let full = format!("{base}{url}");
        let (status, ctype) = probe(c, &full).await?;
        // 422 is a page that says what is missing before it can be done (a letter without
        // the agency's 复议机关 or a reason): read like any other.
        if !(200..300).contains(&status) && status != 422 {
            problems.push(format!("{url} (linked from {from}): HTTP {status}"));
            continue;
        }
        if !ctype.starts_with("text/html") {
            // A file served at a path without a file suffix; nothing to read.
            continue;
        }
        c.goto(&full).await?;
        if status == 422 {
            eprintln!("{url} (linked from {from}): 422");
        }
        opened.push(url.clone());
        let text = c
            .execute("return document.body.innerText;", vec![])
            .await?
            .as_str()
            .unwrap_or_default()
            .to_string();
        if let Some(bad) = forbidden_in(&text) {
            problems.push(format!("{url}: shows {bad}"));
        }
        for link in admin_links(c, base).await? {
            if !skipped(&link) && seen.insert(link.clone()) {
                queue.push_back((link, url.clone()));
            }
        }
    }
    Ok((opened, problems))
}

async fn steps(c: &Client, base: &str, axe: &str) -> Res<()> {
    let mut problems = Vec::new();
    for role in Role::ALL {
        let name = user_of(role);
        sign_in(c, base, &name).await?;
        let (opened, found) = walk(c, base).await?;
        eprintln!("{}: {} pages", role.key(), opened.len());
        // Every role reaches more than its dashboard.
        if opened.len() < 2 {
            problems.push(format!("{}: only {opened:?} reached", role.key()));
        }
        problems.extend(found.into_iter().map(|p| format!("{}: {p}", role.key())));
        match role {
            Role::AuditAdmin => {
                c.goto(&format!("{base}/admin/audit")).await?;
                axe_check(c, axe, "/admin/audit").await?;
            }
            Role::SecurityAdmin => {
                c.goto(&format!("{base}/admin/users")).await?;
                axe_check(c, axe, "/admin/users").await?;
            }
            _ => {}
        }
        c.goto(&format!("{base}/admin")).await?;
        sign_out(c).await?;
    }
    if !problems.is_empty() {
        return Err(format!("{} problems:\n{}", problems.len(), problems.join("\n")).into());
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_reaches_only_working_pages() {
    if browser_support::skipped() {
        return;
    }
    let fx = common::fixture().await;
    let store = &fx.state.store;
    for role in Role::ALL {
        auth::create_user(
            store,
            "cli",
            &NewUser {
                name: user_of(role),
                role,
                agency_id: Some(fx.county),
            },
            PASSWORD,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    }
    // A published report, so the report pages and their links have something to show; the
    // agency's 复议机关 and court, so the replies' letters print.
    common::publish_report(&fx.state, fx.county, 2020).await;
    gongkai_store::models::letter_settings::set(
        store,
        "t",
        fx.county,
        &gongkai_store::models::letter_settings::LetterSettings {
            review_body: "测试市人民政府".into(),
            court: "测试县人民法院".into(),
        },
    )
    .await
    .unwrap();
    let server = common::spawn(fx.state.clone()).await;
    let base = format!("http://{}", server.addr);

    let browser = Browser::start().await;
    let outcome = steps(&browser.client, &base, &browser.axe).await;
    let _ = browser.client.clone().close().await;
    if let Err(e) = outcome {
        panic!("{e}");
    }
}

#[test]
fn the_command_line_check_finds_what_it_should() {
    assert_eq!(
        forbidden_in("请运行 gongkai inspect"),
        Some("「gongkai 」".into())
    );
    assert_eq!(
        forbidden_in("设置 GONGKAI_SELF_INSPECT=1"),
        Some("「GONGKAI_」".into())
    );
    assert_eq!(
        forbidden_in("加上 --max-pages 100"),
        Some("「--max-pages」".into())
    );
    assert_eq!(forbidden_in("功能建设中"), Some("「功能建设中」".into()));
    assert_eq!(forbidden_in("暂无巡查记录。——每日自动巡查"), None);
    assert_eq!(forbidden_in("第 1 页 -- 共 2 页"), None);
}
