//! The annual report editor in headless Chromium against the real server: a handler opens
//! /admin/report/2020 (prose drafted from the records, no finding), types a wrong total into
//! paragraph (一) and saves: the page shows TXT-PARTS inline in Chinese; the handler fixes it
//! and edits section 五; the head publishes; /reports/2020 shows the edited prose. axe-core
//! finds no serious or critical violation on the editor page, with and without findings.
//!
//! Needs `/usr/bin/chromium` and `chromedriver` (scripts/test installs them) and axe-core.
//! `GONGKAI_SKIP_BROWSER=1` skips it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser_support;
mod common;

use fantoccini::{Client, Locator};
use gongkai_law::ReportFormat;
use gongkai_store::auth::{self, NewUser, Role};

use browser_support::{Browser, PASSWORD, Res, axe_check, click_and_wait, fill, sign_in, text_of};

const EDITED: &str = "（一）思想认识方面。本段经编辑人员修改。";

async fn steps(c: &Client, base: &str, axe: &str, one: &str, total: i64) -> Res<()> {
    sign_in(c, base, "chengban").await?;
    // The menu leads to the editor of last year; 2020 is the fixture's year.
    c.goto(&format!("{base}/admin/report/2020")).await?;
    axe_check(c, axe, "/admin/report/2020").await?;
    c.find(Locator::Id("no-findings")).await?;
    let drafted = c
        .find(Locator::Id("s1"))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert!(
        drafted.contains(&format!("全年共主动公开政府信息{total}条")),
        "{drafted}"
    );

    // A wrong total typed into paragraph (一): saved, and shown inline.
    let wrong = one.replace(
        &format!("全年共主动公开政府信息{total}条"),
        "全年共主动公开政府信息1条",
    );
    fill(c, "s1", &wrong).await?;
    click_and_wait(c, "#editor-form button[type=submit]").await?;
    let finding = text_of(c, "li[data-rule='TXT-PARTS']").await?;
    assert!(finding.contains("超过总数"), "{finding}");
    assert!(finding.contains("警告"), "{finding}");
    axe_check(c, axe, "/admin/report/2020 with findings").await?;

    // Fixed, and section 五 edited.
    fill(c, "s1", one).await?;
    fill(c, "s5", EDITED).await?;
    click_and_wait(c, "#editor-form button[type=submit]").await?;
    c.find(Locator::Id("no-findings")).await?;
    click_and_wait(c, "form[action='/admin/logout'] button[type=submit]").await?;

    // The head publishes.
    sign_in(c, base, "fuzeren").await?;
    c.goto(&format!("{base}/admin/report/2020")).await?;
    axe_check(c, axe, "/admin/report/2020 (head)").await?;
    click_and_wait(c, "#publish-form button[type=submit]").await?;
    let msg = text_of(c, "#message").await?;
    assert!(msg.contains("年报已发布"), "{msg}");

    // The portal shows the published prose.
    c.goto(&format!("{base}/reports/2020")).await?;
    let report = text_of(c, ".report").await?;
    assert!(report.contains("本段经编辑人员修改"), "{report}");
    assert!(
        report.contains(&format!("全年共主动公开政府信息{total}条")),
        "{report}"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_editor_in_headless_chromium() {
    if browser_support::skipped() {
        return;
    }
    let fx = common::fixture().await;
    let store = &fx.state.store;
    for (name, role) in [("chengban", Role::Handler), ("fuzeren", Role::Head)] {
        auth::create_user(
            store,
            "cli",
            &NewUser {
                name: name.into(),
                role,
                agency_id: Some(fx.county),
            },
            PASSWORD,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    }
    let drafted = gongkai_store::prose::draft_report(
        store,
        &fx.county.to_string(),
        2020,
        ReportFormat::Trial2019,
    )
    .await
    .unwrap();
    let one = drafted.sections["1"].clone();
    let total = drafted
        .sections
        .get("1")
        .and_then(|s| {
            let start = s.find("全年共主动公开政府信息")? + "全年共主动公开政府信息".len();
            let rest = &s[start..];
            rest[..rest.find('条')?].parse::<i64>().ok()
        })
        .unwrap();
    let server = common::spawn(fx.state.clone()).await;
    let base = format!("http://{}", server.addr);

    let browser = Browser::start().await;
    let outcome = steps(&browser.client, &base, &browser.axe, &one, total).await;
    let _ = browser.client.clone().close().await;
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
