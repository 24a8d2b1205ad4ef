//! The security admin's 接口令牌 page in headless Chromium against the real server (issue
//! 18.3): from the dashboard's menu to the empty list, a token issued to a named caller and its
//! secret shown once (and valid), the list with the token's prefix, the token revoked (and no
//! longer valid); axe-core finds no serious or critical violation on any view. Screenshots go
//! to $GONGKAI_SCREENSHOTS when it is set.
//!
//! Needs `/usr/bin/chromium`, `chromedriver` and axe-core (scripts/test installs them);
//! `GONGKAI_SKIP_BROWSER=1` skips it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser_support;
mod common;

use fantoccini::{Client, Locator};
use gongkai_store::Store;
use gongkai_store::auth::{self, NewUser, Role};
use gongkai_store::models::api_token;

use browser_support::{Browser, PASSWORD, Res, axe_check, click_and_wait, fill, shot, sign_in};

async fn steps(c: &Client, base: &str, axe: &str, store: &Store) -> Res<()> {
    sign_in(c, base, "anquan").await?;
    click_and_wait(c, "main a[href='/admin/api-tokens']").await?;
    assert_eq!(c.find(Locator::Css("h1")).await?.text().await?, "接口令牌");
    let body = c.find(Locator::Css("main")).await?.text().await?;
    assert!(body.contains("还没有签发过接口令牌"), "{body}");
    axe_check(c, axe, "/admin/api-tokens (empty)").await?;

    // A caller without a name is refused, naming the field.
    click_and_wait(c, "form[action='/admin/api-tokens'] button[type=submit]").await?;
    let error = c.find(Locator::Id("issue-error")).await?.text().await?;
    assert!(error.contains("使用单位"), "{error}");

    fill(c, "caller", "某省政务公开平台").await?;
    click_and_wait(c, "form[action='/admin/api-tokens'] button[type=submit]").await?;
    let secret = c
        .find(Locator::Id("secret"))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    assert!(secret.starts_with("gk_") && secret.len() == 46, "{secret}");
    assert!(api_token::authenticate(store, &secret).await?.is_some());
    let row = c.find(Locator::Css("tbody tr")).await?.text().await?;
    assert!(
        row.contains("某省政务公开平台") && row.contains(&secret[..11]) && row.contains("有效"),
        "{row}"
    );
    assert!(
        !row.contains(&secret),
        "the list shows the prefix only: {row}"
    );
    axe_check(c, axe, "/admin/api-tokens (issued)").await?;
    shot(c, "api-tokens-issued.png").await?;

    // Shown once: the page again has no secret.
    c.goto(&format!("{base}/admin/api-tokens")).await?;
    let page = c.source().await?;
    assert!(!page.contains(&secret), "the secret is not shown again");

    click_and_wait(c, "tbody form button[type=submit]").await?;
    let body = c.find(Locator::Css("main")).await?.text().await?;
    assert!(body.contains("已吊销"), "{body}");
    assert!(api_token::authenticate(store, &secret).await?.is_none());
    axe_check(c, axe, "/admin/api-tokens?msg=revoked").await?;
    shot(c, "api-tokens-revoked.png").await?;
    Ok(())
}

/// Saves a screenshot when $GONGKAI_SCREENSHOTS names a directory.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_tokens_in_headless_chromium() {
    if browser_support::skipped() {
        return;
    }
    let fx = common::fixture().await;
    let store = fx.state.store.clone();
    auth::create_user(
        &store,
        "cli",
        &NewUser {
            name: "anquan".into(),
            role: Role::SecurityAdmin,
            agency_id: None,
        },
        PASSWORD,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let server = common::spawn(fx.state.clone()).await;
    let base = format!("http://{}", server.addr);

    let browser = Browser::start().await;
    let outcome = steps(&browser.client, &base, &browser.axe, &store).await;
    let _ = browser.client.clone().close().await;
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
