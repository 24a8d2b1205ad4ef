//! The registries and supervision pages in headless Chromium against the real server
//! (acceptance of issue 7's back office): an editor registers a 政务新媒体 account opened a
//! month ago and the registry flags it 「超过两周未更新」; a refused form shows its errors next
//! to the fields; the head records a training on /admin/supervision. The public catalogue
//! (/xxgk/catalogue) and both back-office pages, with and without errors, pass axe-core with no
//! serious or critical violation, and every form's submit button is reached with Tab alone.
//!
//! Needs `/usr/bin/chromium` and `chromedriver` (scripts/test installs them) and axe-core
//! (`npm install --prefix tests/browser`). `GONGKAI_SKIP_BROWSER=1` skips it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser_support;
mod common;

use chrono::{Days, Utc};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use gongkai_law::catalogue::{Audience, Domain, Level, Mode};
use gongkai_store::auth::{self, NewUser, Role};
use gongkai_store::models::catalogue::{self, NewEntry};
use gongkai_store::models::training;
use serde_json::json;

use browser_support::{
    Browser, PASSWORD, Res, axe_check, click_and_wait, fill, set_date, sign_in, sign_out, text_of,
};

/// From the top of the current page, presses Tab until each of `ids` has had the focus, in
/// any order; an error names those never reached.
async fn tab_reaches(c: &Client, ids: &[&str]) -> Res<()> {
    c.execute(
        "window.scrollTo(0, 0); document.activeElement.blur();",
        vec![],
    )
    .await?;
    let mut left: Vec<&str> = ids.to_vec();
    for _ in 0..200 {
        c.active_element().await?.send_keys(&Key::Tab).await?;
        let id = c
            .execute(
                "return document.activeElement && document.activeElement.id;",
                vec![],
            )
            .await?;
        left.retain(|want| id != json!(want));
        if left.is_empty() {
            return Ok(());
        }
    }
    Err(format!("not reached with Tab: {left:?}").into())
}

async fn steps(c: &Client, base: &str, axe: &str, opened: &str) -> Res<()> {
    // The public catalogue.
    c.goto(&format!("{base}/xxgk/catalogue")).await?;
    axe_check(c, axe, "/xxgk/catalogue").await?;

    // The editor's registry: a refused account first (errors next to the fields), then an
    // account opened a month ago, flagged as silent.
    sign_in(c, base, "bianji").await?;
    c.goto(&format!("{base}/admin/registry")).await?;
    axe_check(c, axe, "/admin/registry").await?;
    tab_reaches(c, &["add-account", "add-event", "e_filing_no"]).await?;
    c.find(Locator::Id("a_platform"))
        .await?
        .select_by_value("微信公众号")
        .await?;
    click_and_wait(c, "#add-account").await?;
    assert_eq!(
        text_of(c, "#err-a_name").await?,
        "请填写账号名称。",
        "error next to the name"
    );
    let described = c
        .find(Locator::Id("a_name"))
        .await?
        .attr("aria-describedby")
        .await?;
    assert_eq!(described.as_deref(), Some("err-a_name"));
    axe_check(c, axe, "/admin/registry with errors").await?;
    c.find(Locator::Id("a_owner"))
        .await?
        .select_by_index(1)
        .await?;
    fill(c, "a_name", "测试县教育发布").await?;
    fill(c, "a_account_id", "csjy2026").await?;
    fill(c, "a_operator", "测试县教育局办公室").await?;
    set_date(c, "a_opened_on", opened).await?;
    fill(c, "a_filing_no", "CS-KS-2026-01").await?;
    click_and_wait(c, "#add-account").await?;
    let row = text_of(c, "#accounts tbody tr:last-child").await?;
    assert!(row.contains("测试县教育发布"), "{row}");
    assert!(row.contains("超过两周未更新"), "{row}");
    assert!(row.contains("CS-KS-2026-01"), "{row}");
    assert!(text_of(c, "#silent-count").await?.contains("有 1 个账号"));
    axe_check(c, axe, "/admin/registry with a flagged account").await?;
    sign_out(c).await?;

    // The head's supervision page: keyboard reach of every form, a training recorded.
    sign_in(c, base, "fuzeren").await?;
    c.goto(&format!("{base}/admin/supervision")).await?;
    axe_check(c, axe, "/admin/supervision").await?;
    tab_reaches(
        c,
        &["sel_quarter", "add-training", "add-inspection", "add-case"],
    )
    .await?;
    click_and_wait(c, "#add-training").await?;
    assert_eq!(text_of(c, "#err-t_topic").await?, "请填写培训主题。");
    axe_check(c, axe, "/admin/supervision with errors").await?;
    set_date(c, "t_held_on", opened).await?;
    fill(c, "t_topic", "政务新媒体管理培训").await?;
    fill(c, "t_attendees", "32").await?;
    click_and_wait(c, "#add-training").await?;
    let trainings = text_of(c, "#trainings").await?;
    assert!(trainings.contains("政务新媒体管理培训"), "{trainings}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registry_and_supervision_in_headless_chromium() {
    if browser_support::skipped() {
        return;
    }
    let fx = common::fixture().await;
    let store = &fx.state.store;
    for (name, role) in [("bianji", Role::Editor), ("fuzeren", Role::Head)] {
        auth::create_user(
            store,
            "cli",
            &NewUser {
                name: name.into(),
                role,
                agency_id: Some(fx.county),
            },
            PASSWORD,
            Utc::now(),
        )
        .await
        .unwrap();
    }
    // A catalogue with a fulfilled entry and an empty one, for the public page.
    let entry = |domain, item_l1: &str, mode| NewEntry {
        domain,
        item_l1: item_l1.into(),
        item_l2: String::new(),
        content: "政策文件".into(),
        basis: "《中华人民共和国政府信息公开条例》".into(),
        time_limit: "信息形成或者变更之日起20个工作日内".into(),
        subject: "测试县人民政府".into(),
        channels: "政府网站".into(),
        audience: Audience::Public,
        mode,
        level: Level::County,
    };
    catalogue::insert_entries(
        store,
        "t",
        "catalogue.import",
        "{}",
        fx.county,
        &[
            entry(Domain::Employment, "就业政策", Mode::Proactive),
            entry(Domain::SocialAssistance, "低保审批", Mode::Proactive),
        ],
    )
    .await
    .unwrap();
    let first = catalogue::list(store, fx.county).await.unwrap()[0].id;
    catalogue::link_item(store, "t", first, fx.normative_id)
        .await
        .unwrap();

    // The server's clock decides "today": an account opened 30 days ago is silent.
    let today = gongkai_law::beijing_today();
    let opened = today.checked_sub_days(Days::new(30)).unwrap().to_string();

    let server = common::spawn(fx.state.clone()).await;
    let base = format!("http://{}", server.addr);
    let browser = Browser::start().await;
    let outcome = steps(&browser.client, &base, &browser.axe, &opened).await;
    let _ = browser.client.clone().close().await;
    if let Err(e) = outcome {
        panic!("{e}");
    }
    let year = today.checked_sub_days(Days::new(30)).unwrap();
    let recorded = training::list(store, fx.county, year, today).await.unwrap();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].attendees, 32);
}
