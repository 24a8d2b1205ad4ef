//! 11-acceptance 4 in headless Chromium against the real server: the current year's and a
//! future year's report are 404 pages that keep the site's navigation and search;
//! /reports/2020 says 「尚未发布」 and the 年报 list is empty until the head publishes; then the
//! page shows the published snapshot with its 发布日期 and DOCX/XLSX downloads, and the list
//! links it. axe-core finds no serious or critical violation on any of these pages.
//!
//! Needs `/usr/bin/chromium` and `chromedriver` (scripts/test installs them) and axe-core.
//! `GONGKAI_SKIP_BROWSER=1` skips it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser_support;
mod common;

use chrono::Datelike;
use fantoccini::{Client, Locator};

use browser_support::{Browser, Res, axe_check, click_and_wait, text_of};

async fn before(c: &Client, base: &str, axe: &str) -> Res<()> {
    let current = gongkai_law::beijing_today().year();
    for year in [current, current + 5] {
        c.goto(&format!("{base}/reports/{year}")).await?;
        let h1 = text_of(c, "h1").await?;
        assert!(h1.contains("页面不存在"), "{year}: {h1}");
        // The frame: navigation and a search box that works.
        c.find(Locator::Css("nav.main-nav a[href='/xxgk/annual']"))
            .await?;
        axe_check(c, axe, &format!("/reports/{year} (404)")).await?;
    }
    c.find(Locator::Id("error-q"))
        .await?
        .send_keys("通知")
        .await?;
    click_and_wait(c, "main form.search-box button").await?;
    assert_eq!(c.current_url().await?.path(), "/search");

    c.goto(&format!("{base}/reports/2020")).await?;
    let notice = text_of(c, "#report-pending").await?;
    assert!(notice.contains("尚未发布"), "{notice}");
    let main = text_of(c, "main").await?;
    assert!(!main.contains("未填写"), "{main}");
    assert!(c.find_all(Locator::Css("main table")).await?.is_empty());
    axe_check(c, axe, "/reports/2020 (not yet published)").await?;

    c.goto(&format!("{base}/xxgk/annual")).await?;
    assert!(
        c.find_all(Locator::Css("a[href='/reports/2020']"))
            .await?
            .is_empty()
    );
    axe_check(c, axe, "/xxgk/annual (empty)").await?;
    Ok(())
}

async fn after(c: &Client, base: &str, axe: &str) -> Res<()> {
    let today = gongkai_law::beijing_today().format("%Y-%m-%d").to_string();
    c.goto(&format!("{base}/xxgk/annual")).await?;
    let row = text_of(c, "table.annual-list tbody tr").await?;
    assert!(row.contains("2020年政府信息公开工作年度报告"), "{row}");
    assert!(
        row.contains(&today) && row.contains("DOCX") && row.contains("XLSX") && row.contains("PDF"),
        "{row}"
    );
    axe_check(c, axe, "/xxgk/annual").await?;
    c.find(Locator::Css("table.annual-list a[href='/reports/2020']"))
        .await?
        .click()
        .await?;
    assert_eq!(c.current_url().await?.path(), "/reports/2020");
    assert!(c.find_all(Locator::Id("report-pending")).await?.is_empty());
    assert_eq!(text_of(c, "#report-published-on").await?, today);
    let tables = c
        .find_all(Locator::Css("article.gongkai-report table"))
        .await?;
    assert!(tables.len() >= 3, "report tables: {}", tables.len());
    for (format, magic) in [("docx", "80,75"), ("xlsx", "80,75"), ("pdf", "37,80")] {
        let link = c
            .find(Locator::Css(&format!(
                "#report-downloads a[href='/reports/2020/download?format={format}']"
            )))
            .await?;
        assert!(!link.text().await?.is_empty());
        // The file itself: fetched by the page, as the reader's click would.
        let status = c
            .execute_async(
                "const done = arguments[arguments.length - 1];\
                 fetch(arguments[0]).then(r => r.arrayBuffer().then(b => \
                   done([r.status, r.headers.get('content-type'), new Uint8Array(b.slice(0, 2)).join(',')])));",
                vec![serde_json::json!(format!("/reports/2020/download?format={format}"))],
            )
            .await?;
        let a = status.as_array().cloned().unwrap_or_default();
        assert_eq!(
            a.first(),
            Some(&serde_json::json!(200)),
            "{format}: {status}"
        );
        assert_eq!(
            a.get(2),
            Some(&serde_json::json!(magic)),
            "{format}: PK for a zip, %P for a PDF"
        );
    }
    axe_check(c, axe, "/reports/2020 (published)").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_public_only_when_published_in_headless_chromium() {
    if browser_support::skipped() {
        return;
    }
    let fx = common::fixture().await;
    let server = common::spawn(fx.state.clone()).await;
    let base = format!("http://{}", server.addr);
    let browser = Browser::start().await;
    let (c, axe) = (&browser.client, &browser.axe);
    let mut outcome = before(c, &base, axe).await;
    if outcome.is_ok() {
        common::publish_report(&fx.state, fx.county, 2020).await;
        outcome = after(c, &base, axe).await;
    }
    let _ = browser.client.clone().close().await;
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
