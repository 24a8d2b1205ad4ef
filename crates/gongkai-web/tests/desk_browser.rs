//! The application desk in headless Chromium against the real server (acceptance 1 of the
//! back office's applications): a handler registers an application that came by post, sends
//! a 补正 notice and records the corrected application; the head approves the extension; the
//! handler replies 部分公开; the 答复书 opens (its text cites 第三十七条 and the remedies) and
//! its Word file downloads; the year's report counts the case under 部分公开.
//!
//! Needs `/usr/bin/chromium` and `chromedriver` (scripts/test installs them) and axe-core for
//! the accessibility check of the desk's pages. `GONGKAI_SKIP_BROWSER=1` skips it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser_support;
mod common;

use fantoccini::{Client, Locator};
use gongkai_law::{ReportFormat, Table3Row};
use gongkai_store::auth::{self, NewUser, Role};
use serde_json::json;

use browser_support::{
    Browser, PASSWORD, Res, axe_check, click_and_wait, fill, set_date, sign_in, sign_out, text_of,
};

async fn steps(c: &Client, base: &str, axe: &str) -> Res<String> {
    // The handler registers an application that came by registered post.
    sign_in(c, base, "chengban").await?;
    c.goto(&format!("{base}/admin/cases")).await?;
    axe_check(c, axe, "/admin/cases").await?;
    click_and_wait(c, "#register-link").await?;
    axe_check(c, axe, "/admin/cases/new").await?;
    c.find(Locator::Id("channel"))
        .await?
        .select_by_value("post")
        .await?;
    set_date(c, "arrived", "2026-03-02").await?;
    set_date(c, "confirmed", "2026-03-02").await?;
    fill(c, "name", "王浏览").await?;
    fill(c, "id_number", "41142119800101123X").await?;
    fill(c, "phone", "13812345678").await?;
    fill(c, "description", "2025年本县道路改造工程招标文件").await?;
    click_and_wait(c, "form[action='/admin/cases'] button[type=submit]").await?;
    // The receipt hands out the query code once, then leads to the case.
    axe_check(c, axe, "registration receipt").await?;
    assert_eq!(text_of(c, "#query-code").await?.trim().len(), 8);
    click_and_wait(c, "#case-link").await?;
    let case_url = c.current_url().await?.to_string();
    let case_url = case_url.split('?').next().unwrap_or_default().to_string();
    assert!(case_url.contains("/admin/cases/"), "{case_url}");
    axe_check(c, axe, "case page").await?;
    let facts = text_of(c, "dl.case-facts").await?;
    assert!(
        facts.contains("4114**********123X") && facts.contains("138****5678"),
        "{facts}"
    );

    // 补正 notice with what to correct, then the corrected application.
    for (kind, on) in [
        ("correction_notice", "2026-03-04"),
        ("corrected", "2026-03-09"),
    ] {
        c.find(Locator::Id("ev-kind"))
            .await?
            .select_by_value(kind)
            .await?;
        if kind == "correction_notice" {
            fill(c, "ev-items", "写明招标文件的项目名称").await?;
        }
        set_date(c, "ev-on", on).await?;
        click_and_wait(c, "#event-form button[type=submit]").await?;
    }
    assert_eq!(text_of(c, "#case-status").await?, "办理中");
    // The handler sees no extension form: the head approves extensions.
    assert!(c.find(Locator::Id("extension-form")).await.is_err());
    sign_out(c).await?;

    // The head approves the extension; the head's 文书设置 page passes axe.
    sign_in(c, base, "fuzeren").await?;
    c.goto(&format!("{base}/admin/letter-settings")).await?;
    assert_eq!(
        c.find(Locator::Id("court"))
            .await?
            .prop("value")
            .await?
            .unwrap_or_default(),
        "测试县人民法院"
    );
    axe_check(c, axe, "/admin/letter-settings").await?;
    c.goto(&case_url).await?;
    set_date(c, "ext-on", "2026-03-20").await?;
    click_and_wait(c, "#extension-form button[type=submit]").await?;
    assert_eq!(text_of(c, "#case-status").await?, "已延期");
    sign_out(c).await?;

    // The handler replies 部分公开.
    sign_in(c, base, "chengban").await?;
    c.goto(&case_url).await?;
    c.find(Locator::Id("rp-outcome"))
        .await?
        .select_by_value("partially_disclosed")
        .await?;
    set_date(c, "rp-on", "2026-04-20").await?;
    // Without reasons and basis the reply is refused, the errors next to the fields.
    click_and_wait(c, "#reply-form button[type=submit]").await?;
    assert!(
        text_of(c, "#rp-reasons-error")
            .await?
            .contains("必须写明理由")
    );
    assert!(text_of(c, "#rp-basis-error").await?.contains("第三十七条"));
    axe_check(c, axe, "reply refused").await?;
    fill(
        c,
        "rp-reasons",
        "招标文件中投标人的银行账户信息属于商业秘密",
    )
    .await?;
    c.find(Locator::Css("input[name=basis][value='第三十七条']"))
        .await?
        .click()
        .await?;
    click_and_wait(c, "#reply-form button[type=submit]").await?;
    assert!(text_of(c, "#case-outcome").await?.contains("部分公开"));

    // The 答复书: its text cites Art. 37 and the remedies; its Word file downloads.
    click_and_wait(c, "#events li:last-child a").await?;
    axe_check(c, axe, "letter").await?;
    let letter = text_of(c, "#letter").await?;
    for needle in [
        "答复书",
        "第三十七条",
        "六十日内向测试市人民政府申请行政复议",
        "六个月内向测试县人民法院提起行政诉讼",
        "王浏览",
    ] {
        assert!(letter.contains(needle), "{needle} missing: {letter}");
    }
    let docx = c
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             fetch(document.getElementById('docx-link').href)\
               .then(r => r.arrayBuffer().then(b => done([r.status, r.headers.get('content-type'), b.byteLength])))\
               .catch(e => done(['failed ' + e]));",
            vec![],
        )
        .await?;
    assert_eq!(docx[0], json!(200), "{docx}");
    assert!(
        docx[1]
            .as_str()
            .unwrap_or_default()
            .contains("wordprocessingml"),
        "{docx}"
    );
    assert!(docx[2].as_u64().unwrap_or(0) > 1000, "{docx}");
    Ok(letter)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn desk_walk_in_headless_chromium() {
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
    let before = gongkai_store::report::generate_report(
        store,
        &fx.county.to_string(),
        2026,
        ReportFormat::Current2021,
    )
    .await
    .unwrap();
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
    let (client, axe) = (&browser.client, &browser.axe);
    let outcome = steps(client, &base, axe).await;
    let _ = browser.client.clone().close().await;
    if let Err(e) = outcome {
        panic!("{e}");
    }

    // The year's report counts the case under 部分公开.
    let after = gongkai_store::report::generate_report(
        store,
        &fx.county.to_string(),
        2026,
        ReportFormat::Current2021,
    )
    .await
    .unwrap();
    let n = |r: &gongkai_report::Report| r.requests[&Table3Row::PartiallyDisclosed][6].unwrap_or(0);
    assert_eq!(n(&after), n(&before) + 1);
}
