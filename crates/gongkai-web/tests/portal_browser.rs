//! Issue 11, points 1, 2, 4 and 5 of the portal in headless Chromium against the real server:
//! - 双公示: the list shows 决定机关, 事由, 依据, 决定日期 and a legal person's 统一社会信用代码;
//!   a natural person's name is masked in the list and on the decision's own page, and a
//!   search by that name finds nothing;
//! - the system admin sets the footer's codes and the 工作机构 at /admin/site-settings; every
//!   page's footer and the 指南 show them, and the 指南's application form downloads as DOCX;
//! - a returned item's edit form and a published item's revision form carry the 目录 fields
//!   prefilled; 有效性 and 主题分类 changed there reach the portal's item page.
//!
//! axe-core finds no serious or critical violation on any page visited.
//! Needs `/usr/bin/chromium` and `chromedriver` (scripts/test installs them) and axe-core.
//! `GONGKAI_SKIP_BROWSER=1` skips it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser_support;
mod common;

use chrono::NaiveDate;
use fantoccini::{Client, Locator};
use gongkai_store::auth::{self, NewUser, Role};
use gongkai_store::models::decision::{self, DecisionKind, Particulars};
use gongkai_store::models::publishing;

use browser_support::{
    Browser, PASSWORD, Res, axe_check, choose_catalogue, click_and_wait, fill, sign_in, sign_out,
    text_of,
};

/// Fetches `url` from the page and returns (status, content type, first two bytes).
async fn fetch(c: &Client, url: &str) -> Res<serde_json::Value> {
    Ok(c.execute_async(
        "const done = arguments[arguments.length - 1];\
         fetch(arguments[0]).then(r => r.arrayBuffer().then(b => \
           done([r.status, r.headers.get('content-type'), new Uint8Array(b.slice(0, 2)).join(',')])));",
        vec![serde_json::json!(url)],
    )
    .await?)
}

async fn decisions(c: &Client, base: &str, axe: &str, natural: i64) -> Res<()> {
    c.goto(&format!("{base}/xxgk/decisions")).await?;
    axe_check(c, axe, "/xxgk/decisions").await?;
    let head = text_of(c, "table.decisions thead").await?;
    for col in ["决定机关", "事由", "依据", "决定日期", "统一社会信用代码"] {
        assert!(head.contains(col), "{col}: {head}");
    }
    let table = text_of(c, "table.decisions tbody").await?;
    assert!(table.contains("91411426MA9XYZ1234"), "{table}");
    assert!(table.contains("经营超过保质期的食品"), "{table}");
    assert!(table.contains("王**"), "{table}");
    assert!(!table.contains("王明华"), "{table}");
    c.goto(&format!("{base}/xxgk/decisions/{natural}")).await?;
    axe_check(c, axe, "/xxgk/decisions/{id}").await?;
    assert_eq!(text_of(c, "#d-party").await?, "王**");
    assert_eq!(text_of(c, "#d-party-kind").await?, "自然人");
    assert_eq!(text_of(c, "#d-credit-code").await?, "—");
    assert!(text_of(c, "#d-basis").await?.contains("第一百二十四条"));
    assert!(!text_of(c, "main").await?.contains("王明华"));
    // A natural person's full name finds nothing.
    c.goto(&format!(
        "{base}/xxgk/decisions?q=%E7%8E%8B%E6%98%8E%E5%8D%8E"
    ))
    .await?;
    assert!(text_of(c, "main").await?.contains("暂无信息"));
    Ok(())
}

async fn settings(c: &Client, base: &str, axe: &str) -> Res<()> {
    sign_in(c, base, "xitong").await?;
    c.goto(&format!("{base}/admin/site-settings")).await?;
    axe_check(c, axe, "/admin/site-settings").await?;
    for (id, v) in [
        ("f-site_code", "4114260001"),
        ("f-icp", "豫ICP备05012345号"),
        ("f-police_record", "豫公网安备 41142602000101号"),
        ("f-office_address", "测试县人民路1号县政府办公楼"),
        ("f-postcode", "476400"),
        ("f-phone", "0370-6212345"),
        ("f-office_hours", "工作日上午8:30—12:00，下午15:00—18:00"),
    ] {
        fill(c, id, v).await?;
    }
    click_and_wait(c, "#site-settings-form button[type=submit]").await?;
    assert!(text_of(c, "p.notice").await?.contains("已保存"));
    sign_out(c).await?;
    c.goto(&format!("{base}/xxgk/guide")).await?;
    axe_check(c, axe, "/xxgk/guide").await?;
    assert_eq!(text_of(c, "#site-code").await?, "4114260001");
    assert_eq!(text_of(c, "#site-icp").await?, "豫ICP备05012345号");
    assert!(
        text_of(c, "#site-police-record")
            .await?
            .contains("41142602000101")
    );
    let office = text_of(c, "#guide-office").await?;
    for v in [
        "测试县人民路1号县政府办公楼",
        "476400",
        "0370-6212345",
        "8:30",
    ] {
        assert!(office.contains(v), "{v}: {office}");
    }
    let form = fetch(c, "/xxgk/guide/application-form.docx").await?;
    let a = form.as_array().cloned().unwrap_or_default();
    assert_eq!(a.first(), Some(&serde_json::json!(200)), "{form}");
    assert_eq!(a.get(2), Some(&serde_json::json!("80,75")), "{form}");
    c.find(Locator::Id("application-form")).await?;
    Ok(())
}

async fn catalogue_on_edit(
    c: &Client,
    base: &str,
    axe: &str,
    store: &gongkai_store::Store,
) -> Res<()> {
    sign_in(c, base, "bianji").await?;
    c.goto(&format!("{base}/admin/publish")).await?;
    fill(c, "title", "关于做好2026年春耕生产工作的通知").await?;
    choose_catalogue(c, "11", "民政、扶贫、救灾").await?;
    fill(c, "keywords", "春耕 生产").await?;
    fill(c, "body", "各乡镇人民政府：现就做好春耕生产工作通知如下。").await?;
    click_and_wait(
        c,
        "form[action='/admin/publish/drafts'] button[type=submit]",
    )
    .await?;
    let id = publishing::recent(store, 1).await?[0].id;
    sign_out(c).await?;

    sign_in(c, base, "shenhe").await?;
    c.goto(&format!("{base}/admin/publish/{id}")).await?;
    fill(c, "reason-return", "主题分类应为农业、林业、水利").await?;
    click_and_wait(
        c,
        &format!("form[action='/admin/publish/{id}/return'] button"),
    )
    .await?;
    sign_out(c).await?;

    // The edit form of the returned item starts from its 目录 fields.
    sign_in(c, base, "bianji").await?;
    c.goto(&format!("{base}/admin/publish/{id}")).await?;
    axe_check(
        c,
        axe,
        "/admin/publish/{id} (returned, edit form with 目录 fields)",
    )
    .await?;
    let selected = |css: &str| format!("{css} option[selected]");
    assert!(text_of(c, &selected("#art20")).await?.contains("（十一）"));
    assert_eq!(text_of(c, &selected("#topic")).await?, "民政、扶贫、救灾");
    assert_eq!(
        c.find(Locator::Id("keywords")).await?.prop("value").await?,
        Some("春耕 生产".to_string())
    );
    c.find(Locator::Css("#topic option[value='农业、林业、水利']"))
        .await?
        .click()
        .await?;
    click_and_wait(
        c,
        &format!("form[action='/admin/publish/{id}/edit'] button"),
    )
    .await?;
    sign_out(c).await?;

    sign_in(c, base, "shenhe").await?;
    c.goto(&format!("{base}/admin/publish/{id}")).await?;
    click_and_wait(
        c,
        &format!("form[action='/admin/publish/{id}/approve'] button"),
    )
    .await?;
    sign_out(c).await?;
    c.goto(&format!("{base}/xxgk/items/{id}")).await?;
    let meta = text_of(c, "table.meta").await?;
    assert!(meta.contains("农业、林业、水利"), "{meta}");
    assert!(meta.contains("有效"), "{meta}");

    // A revision sets 有效性 已失效; after approval the item page says so.
    sign_in(c, base, "bianji").await?;
    c.goto(&format!("{base}/admin/publish/{id}")).await?;
    axe_check(
        c,
        axe,
        "/admin/publish/{id} (revision form with 目录 fields)",
    )
    .await?;
    assert_eq!(text_of(c, &selected("#topic")).await?, "农业、林业、水利");
    c.find(Locator::Css("#validity option[value='expired']"))
        .await?
        .click()
        .await?;
    click_and_wait(
        c,
        &format!("form[action='/admin/publish/{id}/revise'] button"),
    )
    .await?;
    sign_out(c).await?;
    sign_in(c, base, "shenhe").await?;
    c.goto(&format!("{base}/admin/publish/{id}")).await?;
    click_and_wait(
        c,
        &format!("form[action='/admin/publish/{id}/approve'] button"),
    )
    .await?;
    sign_out(c).await?;
    // The page cache keeps a rendered item a few seconds; the revision's approval clears it.
    c.goto(&format!("{base}/xxgk/items/{id}")).await?;
    axe_check(c, axe, "/xxgk/items/{id} (已失效)").await?;
    let meta = text_of(c, "table.meta").await?;
    assert!(meta.contains("已失效"), "{meta}");
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn portal_walk_in_headless_chromium() {
    if browser_support::skipped() {
        return;
    }
    let fx = common::fixture().await;
    let store = &fx.state.store;
    for (name, role, agency) in [
        ("bianji", Role::Editor, Some(fx.county)),
        ("shenhe", Role::Reviewer, Some(fx.county)),
        ("xitong", Role::SystemAdmin, None),
    ] {
        auth::create_user(
            store,
            "cli",
            &NewUser {
                name: name.into(),
                role,
                agency_id: agency,
            },
            PASSWORD,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    }
    let on = NaiveDate::from_ymd_opt(2020, 9, 9).unwrap();
    decision::create_with(
        store,
        "t",
        fx.county,
        DecisionKind::Penalty,
        "测市监罚〔2020〕21号",
        "测试县恒达商贸有限公司",
        on,
        "没收超过保质期的食品，罚款2000元",
        &Particulars {
            natural_person: false,
            credit_code: Some("91411426MA9XYZ1234".into()),
            reason: "经营超过保质期的食品".into(),
            basis: "《中华人民共和国食品安全法》第一百二十四条第一款第（二）项".into(),
        },
    )
    .await
    .unwrap();
    let natural = decision::create_with(
        store,
        "t",
        fx.county,
        DecisionKind::Penalty,
        "测市监罚〔2020〕22号",
        "王明华",
        on,
        "罚款500元",
        &Particulars {
            natural_person: true,
            credit_code: None,
            reason: "经营超过保质期的食品".into(),
            basis: "《中华人民共和国食品安全法》第一百二十四条第一款第（二）项".into(),
        },
    )
    .await
    .unwrap();
    let server = common::spawn(fx.state.clone()).await;
    let base = format!("http://{}", server.addr);
    let browser = Browser::start().await;
    let (c, axe) = (&browser.client, &browser.axe);
    let mut outcome = decisions(c, &base, axe, natural).await;
    if outcome.is_ok() {
        outcome = settings(c, &base, axe).await;
    }
    if outcome.is_ok() {
        outcome = catalogue_on_edit(c, &base, axe, store).await;
    }
    let _ = browser.client.clone().close().await;
    if let Err(e) = outcome {
        panic!("{e}");
    }
}
