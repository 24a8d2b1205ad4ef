//! The mailbox's way from the public form to the portal in headless Chromium against the real
//! server: a citizen writes with the consent box ticked; the handler finds the letter on
//! `/admin/mailbox` (the phone number masked on the letter page) and replies with the masked
//! public text the page offers; the head publishes; the portal shows the reply with its dates.
//! axe-core finds no serious or critical violation on the public form, the list, the letter
//! page (before and after publishing) and `/admin/appeals`.
//!
//! Needs `/usr/bin/chromium`, `chromedriver` and axe-core like the other browser tests;
//! `GONGKAI_SKIP_BROWSER=1` skips it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser_support;
mod common;

use fantoccini::{Client, Locator};
use gongkai_store::auth::{self, NewUser, Role};
use gongkai_store::models::letter;

use browser_support::{
    Browser, PASSWORD, Res, axe_check, click_and_wait, fill, sign_in, sign_out, text_of,
};

async fn steps(c: &Client, base: &str, axe: &str, fx: &common::Fixture) -> Res<()> {
    // A citizen writes, consenting to publication.
    c.goto(&format!("{base}/mailbox")).await?;
    axe_check(c, axe, "/mailbox").await?;
    fill(c, "subject", "浏览器测试来信").await?;
    fill(c, "body", "村口路灯不亮，请联系我13812345678。").await?;
    fill(c, "contact", "13812345678").await?;
    c.find(Locator::Id("consent")).await?.click().await?;
    click_and_wait(c, "form[action='/mailbox'] button[type=submit]").await?;
    assert!(text_of(c, "#letter-no").await?.starts_with("XX"));
    let l = letter::desk_list(&fx.state.store, fx.county, 100)
        .await?
        .into_iter()
        .find(|l| l.subject == "浏览器测试来信")
        .ok_or("letter not stored")?;
    assert!(l.publish_consent);

    // The handler replies with the masked public text the page offers.
    sign_in(c, base, "chengban").await?;
    c.goto(&format!("{base}/admin/mailbox")).await?;
    axe_check(c, axe, "/admin/mailbox").await?;
    click_and_wait(c, &format!("#letter-{} a", l.id)).await?;
    axe_check(c, axe, "letter page").await?;
    let contact = text_of(c, "#writer-contact").await?;
    assert_eq!(contact, "138****5678");
    let public = c
        .find(Locator::Id("mb-public"))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert!(
        public.contains("138****5678") && !public.contains("13812345678"),
        "{public}"
    );
    fill(c, "mb-reply", "已安排电工维修，感谢您的来信。").await?;
    click_and_wait(c, "#reply-form button[type=submit]").await?;
    assert!(
        c.find(Locator::Id("publish-form")).await.is_err(),
        "the handler does not publish"
    );
    sign_out(c).await?;

    // The head publishes; the portal shows it with both dates.
    sign_in(c, base, "fuzeren").await?;
    c.goto(&format!("{base}/admin/mailbox/{}", l.id)).await?;
    assert!(text_of(c, "#scan-clean").await?.contains("未发现"));
    click_and_wait(c, "#publish-form button[type=submit]").await?;
    assert!(text_of(c, "#letter-state").await?.contains("已公开"));
    axe_check(c, axe, "letter page, published").await?;
    c.goto(&format!("{base}/admin/appeals")).await?;
    axe_check(c, axe, "/admin/appeals").await?;
    c.goto(&format!("{base}/mailbox")).await?;
    let article = text_of(c, &format!("#letter-{}", l.id)).await?;
    assert!(
        article.contains("已安排电工维修") && article.contains("答复日期"),
        "{article}"
    );
    assert!(!article.contains("13812345678"), "{article}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mailbox_walk_in_headless_chromium() {
    if browser_support::skipped() {
        return;
    }
    let fx = common::fixture().await;
    for (name, role) in [("chengban", Role::Handler), ("fuzeren", Role::Head)] {
        auth::create_user(
            &fx.state.store,
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
    let server = common::spawn(fx.state.clone()).await;
    let base = format!("http://{}", server.addr);
    let browser = Browser::start().await;
    let outcome = steps(&browser.client, &base, &browser.axe, &fx).await;
    let _ = browser.client.clone().close().await;
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
