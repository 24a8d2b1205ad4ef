//! The 补正 steps of issue 13's journey in headless Chromium against the real server: a citizen
//! applies online → the handler sends a 补正 notice with two items → the citizen sees both on
//! /track and answers online with text and a file → the handler sees the answer and its file on
//! the case page, the clock restarted from the answer (the due date is back, counted from the
//! corrected application), and the 补正告知书 lists both items. axe-core checks every new or
//! changed page (/track with the notice, the answer's receipt, the case page with the answer,
//! the letter).
//!
//! Needs `/usr/bin/chromium`, `chromedriver` and axe-core (scripts/test installs them).
//! `GONGKAI_SKIP_BROWSER=1` skips it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser_support;
mod common;

use std::time::Duration;

use fantoccini::{Client, Locator};
use gongkai_law::{Channel, ClockEvent};
use gongkai_store::auth::{self, NewUser, Role};

use browser_support::{
    Browser, PASSWORD, Res, axe_check, click_and_wait, fill, shot, sign_in, sign_out, text_of,
};

const ITEM_1: &str = "请写明所需招标文件对应的工程项目名称";
const ITEM_2: &str = "请写明该招标文件的发布年份或文号";
const ANSWER: &str = "所需信息为县城东环路改造工程的招标文件，发布于2025年。";

async fn steps(c: &Client, base: &str, axe: &str, upload: &str) -> Res<(String, String)> {
    // 1. The citizen applies online.
    c.goto(&format!("{base}/apply")).await?;
    c.find(Locator::Id("kind"))
        .await?
        .select_by_value("natural_person")
        .await?;
    fill(c, "name", "李补正").await?;
    fill(c, "id_number", "11010519491231002X").await?;
    fill(c, "phone", "13912345678").await?;
    fill(c, "email", "li@example.cn").await?;
    fill(c, "description", "道路改造工程的招标文件").await?;
    click_and_wait(c, "#submit").await?;
    let tn = text_of(c, "#tracking-no").await?;
    let code = text_of(c, "#query-code").await?;
    // The receipt repeats what was asked for.
    assert_eq!(
        text_of(c, "#receipt-description").await?,
        "道路改造工程的招标文件"
    );
    axe_check(c, axe, "receipt").await?;
    shot(c, "receipt").await?;

    // 2. The handler sends a 补正 notice with two items, one a line.
    sign_in(c, base, "chengban").await?;
    c.goto(&format!("{base}/admin/cases")).await?;
    c.find(Locator::LinkText(&tn)).await?.click().await?;
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Id("event-form"))
        .await?;
    let case_url = c.current_url().await?.to_string();
    c.find(Locator::Id("ev-kind"))
        .await?
        .select_by_value("correction_notice")
        .await?;
    fill(c, "ev-items", &format!("{ITEM_1}\n{ITEM_2}")).await?;
    click_and_wait(c, "#event-form button[type=submit]").await?;
    assert_eq!(text_of(c, "#case-status").await?, "待补正");
    assert!(text_of(c, "#case-due").await?.contains("暂停计时"));
    // The 补正告知书 says both items at once.
    click_and_wait(c, "#events li:last-child a").await?;
    let letter = text_of(c, "#letter").await?;
    assert!(
        letter.contains(&format!("一、{ITEM_1}；")) && letter.contains(&format!("二、{ITEM_2}。")),
        "{letter}"
    );
    axe_check(c, axe, "补正告知书").await?;
    shot(c, "correction-letter").await?;
    c.goto(&case_url).await?;
    sign_out(c).await?;

    // 3. The citizen sees both items on /track and answers online with a file.
    c.goto(&format!("{base}/track")).await?;
    fill(c, "no", &tn).await?;
    fill(c, "code", &code).await?;
    click_and_wait(c, "main form button[type=submit]").await?;
    let items = text_of(c, "#correction-items").await?;
    assert!(items.contains(ITEM_1) && items.contains(ITEM_2), "{items}");
    assert!(text_of(c, "#status").await?.contains("补正"));
    axe_check(c, axe, "/track with a 补正 notice").await?;
    shot(c, "track-correction").await?;
    fill(c, "correction-text", ANSWER).await?;
    c.find(Locator::Id("correction-files"))
        .await?
        .send_keys(upload)
        .await?;
    click_and_wait(c, "#correction-form button[type=submit]").await?;
    let done = text_of(c, "#correction-done").await?;
    assert!(
        done.contains("补正已提交") && done.contains("重新计算"),
        "{done}"
    );
    assert!(done.contains("补正说明.txt"), "{done}");
    axe_check(c, axe, "补正 receipt").await?;
    shot(c, "correction-receipt").await?;
    // /track shows the answer, and no second form.
    c.goto(&format!("{base}/track")).await?;
    fill(c, "no", &tn).await?;
    fill(c, "code", &code).await?;
    click_and_wait(c, "main form button[type=submit]").await?;
    let section = text_of(c, "#correction").await?;
    assert!(section.contains(ANSWER), "{section}");
    assert!(c.find(Locator::Id("correction-form")).await.is_err());

    // 4. The handler sees the answer and its file; the clock restarted from it.
    sign_in(c, base, "chengban").await?;
    c.goto(&case_url).await?;
    let answers = text_of(c, "#corrections").await?;
    assert!(
        answers.contains(ANSWER)
            && answers.contains("网上提交")
            && answers.contains("补正说明.txt"),
        "{answers}"
    );
    assert!(answers.contains("答复期限重新计算"), "{answers}");
    assert_eq!(text_of(c, "#case-status").await?, "办理中");
    let events = text_of(c, "#events").await?;
    assert!(events.contains("收到补正后的申请"), "{events}");
    axe_check(c, axe, "case page with the answer").await?;
    shot(c, "case-with-answer").await?;
    let file = c
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             fetch(document.querySelector('#corrections a').href)\
               .then(r => r.text().then(t => done([r.status, r.headers.get('content-disposition'), t])))\
               .catch(e => done(['failed ' + e]));",
            vec![],
        )
        .await?;
    assert_eq!(file[0], serde_json::json!(200), "{file}");
    assert!(
        file[1]
            .as_str()
            .unwrap_or_default()
            .starts_with("attachment"),
        "{file}"
    );
    assert!(
        file[2].as_str().unwrap_or_default().contains("东环路"),
        "{file}"
    );
    let due = text_of(c, "#case-due").await?;
    Ok((tn, due))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn correction_journey_in_headless_chromium() {
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
    let upload_dir = tempfile::tempdir().unwrap();
    let upload = upload_dir.path().join("补正说明.txt");
    std::fs::write(&upload, "东环路改造工程招标文件，2025年发布。").unwrap();
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
    let outcome = steps(client, &base, axe, upload.to_str().unwrap()).await;
    let _ = browser.client.clone().close().await;
    let (tn, due) = outcome.unwrap_or_else(|e| panic!("{e}"));

    // The due date shown is the clock's for an application corrected on the day of the answer:
    // 20 working days from the corrected application (Art. 30), not from the first receipt.
    let app = gongkai_store::models::application::find_by_tracking_no(store, fx.county, &tn)
        .await
        .unwrap()
        .unwrap();
    let today = gongkai_law::beijing_today();
    let expected = gongkai_store::due::compute_due(&[
        ClockEvent::Received {
            channel: Channel::Online,
            arrived: app.received_on,
            confirmed: Some(app.received_on),
        },
        ClockEvent::CorrectionNoticeSent { on: today },
        ClockEvent::CorrectedApplicationReceived { on: today },
    ]);
    assert_eq!(app.due_on, expected.due_on);
    assert!(
        due.starts_with(&expected.due_on.unwrap().to_string()),
        "{due}"
    );
    let events = gongkai_store::models::application::events(store, app.id)
        .await
        .unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.event == ClockEvent::CorrectedApplicationReceived { on: today })
    );
}
