//! Issue 13's delivery pages in headless Chromium against the real server, each checked by
//! axe-core (no serious or critical violation, acceptance 7): 全部申请 with a filter, the
//! delivery page and 「查看完整信息」 with a reason, the fee page sending a 按量 notice of 101
//! pages (720 元), the 收费通知书, and /track showing the notice to the applicant.
//!
//! Needs `/usr/bin/chromium`, `chromedriver` and axe-core (scripts/test installs them).
//! `GONGKAI_SKIP_BROWSER=1` skips it. Screenshots go to `$GONGKAI_SCREENSHOTS` when set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser_support;
mod common;

use chrono::NaiveDate;
use fantoccini::{Client, Locator};
use gongkai_law::Channel;
use gongkai_store::auth::{self, NewUser, Role};
use gongkai_store::models::application::{self, Applicant, NewApplication};

use browser_support::{
    Browser, PASSWORD, Res, axe_check, click_and_wait, fill, shot, sign_in, text_of,
};

async fn steps(c: &Client, base: &str, axe: &str, no: &str, code: &str) -> Res<()> {
    sign_in(c, base, "chengban").await?;
    c.goto(&format!("{base}/admin/cases")).await?;
    click_and_wait(c, "#all-cases-link").await?;
    axe_check(c, axe, "/admin/cases/all").await?;
    fill(c, "f-q", "浏览器").await?;
    click_and_wait(c, "#case-filter button[type=submit]").await?;
    axe_check(c, axe, "/admin/cases/all filtered").await?;
    assert_eq!(text_of(c, "#case-total").await?, "1");
    shot(c, "case-list").await?;
    click_and_wait(c, "#case-list tbody a").await?;
    let case_url = c.current_url().await?.to_string();
    click_and_wait(c, "#delivery-link").await?;
    axe_check(c, axe, "delivery page").await?;
    let facts = text_of(c, "#delivery-facts").await?;
    assert!(
        facts.contains("139****5678") && !facts.contains("13912345678"),
        "{facts}"
    );
    // No reason: the error next to the field; then with one, in clear.
    click_and_wait(c, "#reveal-form button[type=submit]").await?;
    axe_check(c, axe, "reveal refused").await?;
    assert!(text_of(c, "#reveal-error").await?.contains("理由"));
    fill(c, "reveal-reason", "邮寄答复书需核对地址").await?;
    click_and_wait(c, "#reveal-form button[type=submit]").await?;
    axe_check(c, axe, "revealed").await?;
    assert!(text_of(c, "#contact-phone").await?.contains("13912345678"));
    shot(c, "revealed").await?;

    // The fee: 按量, 101 pages.
    c.goto(&case_url).await?;
    click_and_wait(c, "#fee-link").await?;
    axe_check(c, axe, "fee page").await?;
    c.find(Locator::Id("fee-method-per_page"))
        .await?
        .click()
        .await?;
    fill(c, "fee-quantity", "101").await?;
    fill(c, "fee-how", "现场缴纳：县政务服务中心一楼收费窗口").await?;
    click_and_wait(c, "#fee-notice-form button[type=submit]").await?;
    axe_check(c, axe, "fee page with the notice").await?;
    assert!(text_of(c, "#fee-amount").await?.contains("720"));
    shot(c, "fee").await?;
    click_and_wait(c, "#fee-letter-link").await?;
    axe_check(c, axe, "收费通知书").await?;
    assert!(
        text_of(c, "#letter")
            .await?
            .contains("收费金额为人民币720元")
    );
    shot(c, "fee-letter").await?;

    // The 区分处理 page and its form.
    c.goto(&case_url).await?;
    click_and_wait(c, "#releases-link").await?;
    axe_check(c, axe, "区分处理").await?;
    shot(c, "releases").await?;

    // The applicant sees it on /track.
    c.goto(&format!("{base}/track?no={no}")).await?;
    fill(c, "code", code).await?;
    click_and_wait(c, "main form button[type=submit]").await?;
    axe_check(c, axe, "/track with the fee").await?;
    assert!(text_of(c, "#fee-amount").await?.contains("720"));
    shot(c, "track-fee").await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_pages_in_headless_chromium() {
    if browser_support::skipped() {
        return;
    }
    let fx = common::fixture().await;
    let store = &fx.state.store;
    auth::create_user(
        store,
        "cli",
        &NewUser {
            name: "chengban".into(),
            role: Role::Handler,
            agency_id: Some(fx.county),
        },
        PASSWORD,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let today = (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive();
    let arrived = today.pred_opt().unwrap_or(NaiveDate::MIN);
    let app = application::create(
        store,
        "test",
        &NewApplication {
            agency_id: fx.county,
            tracking_no: None,
            channel: Channel::InPerson,
            sent_on: None,
            arrived,
            confirmed: None,
            applicant: Applicant {
                kind: None,
                name: "王浏览器".into(),
                id_type: Some("居民身份证".into()),
                id_number: Some("11010519491231002X".into()),
                phone: Some("13912345678".into()),
                email: None,
                address: Some("测试县人民路88号3单元".into()),
            },
            description: "本县2026年道路改造工程招标文件".into(),
            document_number: None,
            delivery: "paper".into(),
            note: String::new(),
        },
    )
    .await
    .unwrap();
    let server = common::spawn(fx.state.clone()).await;
    let base = format!("http://{}", server.addr);
    let browser = Browser::start().await;
    let outcome = steps(
        &browser.client,
        &base,
        &browser.axe,
        &app.tracking_no,
        &app.query_code,
    )
    .await;
    let _ = browser.client.clone().close().await;
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
