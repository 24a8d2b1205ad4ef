//! The back office's 网站巡查 page in headless Chromium against the real server: a reviewer
//! signs in, reaches the page from the dashboard's menu, reads the trend and the latest run's
//! findings (the ID number masked), opens an earlier run, follows the link to the 严重表述错误
//! list and adds a wrong form through its form; axe-core finds no serious or critical violation
//! on any view. Screenshots go to $GONGKAI_SCREENSHOTS when it is set.
//!
//! Needs `/usr/bin/chromium` and `chromedriver` (scripts/test installs them) and axe-core.
//! `GONGKAI_SKIP_BROWSER=1` skips it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser_support;
mod common;

use fantoccini::{Client, Locator};
use gongkai_store::auth::{self, NewUser, Role};
use gongkai_store::models::site_inspection::{self, NewFinding, NewRun};

use browser_support::{Browser, PASSWORD, Res, axe_check, click_and_wait, fill, shot, sign_in};

async fn steps(c: &Client, base: &str, axe: &str, first: i64) -> Res<()> {
    sign_in(c, base, "shenhe").await?;
    // The dashboard's menu leads to the page.
    click_and_wait(c, "main a[href='/admin/site-inspections']").await?;
    let h1 = c.find(Locator::Css("h1")).await?.text().await?;
    assert_eq!(h1, "网站巡查");
    axe_check(c, axe, "/admin/site-inspections").await?;
    let findings = c.find(Locator::Id("h-findings")).await?.text().await?;
    assert!(findings.contains("合格"), "{findings}");

    c.goto(&format!("{base}/admin/site-inspections?run={first}"))
        .await?;
    axe_check(c, axe, "/admin/site-inspections?run=").await?;
    let body = c.find(Locator::Css("main")).await?.text().await?;
    assert!(body.contains("单项否决"), "{body}");
    assert!(body.contains("1101**********002X"), "{body}");
    assert!(!body.contains("11010519491231002X"), "{body}");
    assert!(body.contains("下载 Word 版"), "{body}");
    shot(c, "site-inspections.png").await?;

    click_and_wait(c, "main a[href='/admin/severe-words']").await?;
    axe_check(c, axe, "/admin/severe-words").await?;
    fill(c, "word", "社会主意核心价值观").await?;
    click_and_wait(c, "form[action='/admin/severe-words'] button[type=submit]").await?;
    let body = c.find(Locator::Css("main")).await?.text().await?;
    assert!(
        body.contains("已添加") && body.contains("社会主意核心价值观"),
        "{body}"
    );
    axe_check(c, axe, "/admin/severe-words?msg=added").await?;
    shot(c, "severe-words.png").await?;
    Ok(())
}

/// Saves a screenshot when $GONGKAI_SCREENSHOTS names a directory.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn site_inspections_in_headless_chromium() {
    if browser_support::skipped() {
        return;
    }
    let fx = common::fixture().await;
    let store = &fx.state.store;
    auth::create_user(
        store,
        "cli",
        &NewUser {
            name: "shenhe".into(),
            role: Role::Reviewer,
            agency_id: Some(fx.county),
        },
        PASSWORD,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let run = NewRun {
        url: "http://127.0.0.1:8080/",
        as_of: chrono::NaiveDate::from_ymd_opt(2020, 12, 31).unwrap(),
        started_by: "cli",
        veto: true,
        pages: 120,
        probes_sent: 3,
        probes_failed: 0,
        external_links: 1,
        score_tenths: None,
        findings: vec![
            NewFinding {
                rule: "PII-EXPOSED",
                veto: true,
                url: "http://127.0.0.1:8080/xxgk/items/7",
                detail: "页面显示个人信息：居民身份证号 1101**********002X",
                deduction_tenths: 0,
            },
            NewFinding {
                rule: "LINK-BROKEN",
                veto: false,
                url: "http://127.0.0.1:8080/gone",
                detail: "HTTP 404，链接见于 http://127.0.0.1:8080/",
                deduction_tenths: 0,
            },
        ],
    };
    let first = site_inspection::record(store, "cli", &run).await.unwrap();
    site_inspection::record(
        store,
        "system",
        &NewRun {
            started_by: "scheduled",
            veto: false,
            findings: vec![],
            ..run.clone()
        },
    )
    .await
    .unwrap();
    let server = common::spawn(fx.state.clone()).await;
    let base = format!("http://{}", server.addr);

    let browser = Browser::start().await;
    let outcome = steps(&browser.client, &base, &browser.axe, first).await;
    let _ = browser.client.clone().close().await;
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
