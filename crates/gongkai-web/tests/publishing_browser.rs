//! The publishing gate with an attachment in headless Chromium against the real server: an
//! editor drafts an item and attaches a list through the plain file field (no JavaScript);
//! the scan names the attachment; a reviewer masks the finding and publishes; the portal
//! lists the file. axe-core checks the item page of the back office, the word list and the
//! published item page.
//!
//! Needs `/usr/bin/chromium` and `chromedriver` (scripts/test installs them) and axe-core.
//! `GONGKAI_SKIP_BROWSER=1` skips it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser_support;
mod common;

use fantoccini::{Client, Locator};
use gongkai_store::auth::{self, NewUser, Role};
use gongkai_store::models::publishing;

use browser_support::{
    Browser, PASSWORD, Res, axe_check, choose_catalogue, click_and_wait, fill, sign_in, text_of,
};

/// A synthetic 居民身份证号 with its GB 11643 check digit computed here.
fn synthetic_id() -> String {
    let base = "41142619850615123";
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = base
        .chars()
        .zip(weights)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{base}{check}")
}

async fn steps(
    c: &Client,
    base: &str,
    axe: &str,
    store: &gongkai_store::Store,
    file: &std::path::Path,
) -> Res<()> {
    // The editor drafts; the item page takes the file.
    sign_in(c, base, "bianji").await?;
    c.goto(&format!("{base}/admin/publish")).await?;
    axe_check(c, axe, "/admin/publish (drafting form with 目录 fields)").await?;
    fill(c, "title", "2026年低保对象公示").await?;
    choose_catalogue(c, "11", "民政、扶贫、救灾").await?;
    fill(c, "body", "名单见附件。").await?;
    click_and_wait(
        c,
        "form[action='/admin/publish/drafts'] button[type=submit]",
    )
    .await?;
    let id = publishing::recent(store, 1).await?[0].id;
    c.goto(&format!("{base}/admin/publish/{id}")).await?;
    axe_check(c, axe, "/admin/publish/{id} (editor)").await?;
    c.find(Locator::Id("file"))
        .await?
        .send_keys(&file.display().to_string())
        .await?;
    click_and_wait(c, "form[enctype='multipart/form-data'] button[type=submit]").await?;
    let status = text_of(c, "p.notice").await?;
    assert!(status.contains("附件已上传"), "{status}");
    let findings = text_of(c, "#h-find ~ div table").await?;
    assert!(findings.contains("附件：名单.txt"), "{findings}");
    assert!(!findings.contains(&synthetic_id()), "{findings}");
    click_and_wait(c, "form[action='/admin/logout'] button[type=submit]").await?;

    // The reviewer masks the finding (the .txt file is rewritten) and publishes; then keeps
    // the word list.
    sign_in(c, base, "shenhe").await?;
    c.goto(&format!("{base}/admin/publish/{id}")).await?;
    axe_check(c, axe, "/admin/publish/{id} (reviewer)").await?;
    let resolve = "form[action$='/mask'] button";
    while c.find(Locator::Css(resolve)).await.is_ok() {
        click_and_wait(c, resolve).await?;
        c.goto(&format!("{base}/admin/publish/{id}")).await?;
    }
    click_and_wait(
        c,
        &format!("form[action='/admin/publish/{id}/approve'] button"),
    )
    .await?;
    let status = text_of(c, "p.notice").await?;
    assert!(status.contains("已审核通过并发布"), "{status}");
    c.goto(&format!("{base}/admin/words")).await?;
    axe_check(c, axe, "/admin/words").await?;
    fill(c, "word", "春耕秘方").await?;
    click_and_wait(c, "form[action='/admin/words'] button[type=submit]").await?;
    let listed = text_of(c, "main").await?;
    assert!(listed.contains("春耕秘方"), "{listed}");

    // The portal shows the item with its file.
    c.goto(&format!("{base}/xxgk/items/{id}")).await?;
    axe_check(c, axe, "published item with attachment").await?;
    let link = c
        .find(Locator::Css(&format!(
            "a[href^='/xxgk/items/{id}/attachments/']"
        )))
        .await?;
    assert_eq!(link.text().await?, "名单.txt");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachment_walk_in_headless_chromium() {
    if browser_support::skipped() {
        return;
    }
    let fx = common::fixture().await;
    let store = &fx.state.store;
    for (name, role) in [("bianji", Role::Editor), ("shenhe", Role::Reviewer)] {
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
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("名单.txt");
    std::fs::write(&file, format!("姓名\t身份证号\n张三\t{}\n", synthetic_id())).unwrap();
    let server = common::spawn(fx.state.clone()).await;
    let base = format!("http://{}", server.addr);

    let browser = Browser::start().await;
    let (client, axe) = (&browser.client, &browser.axe);
    let outcome = steps(client, &base, axe, store, &file).await;
    let _ = browser.client.clone().close().await;
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
