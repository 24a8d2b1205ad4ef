//! Issue 13, acceptance 1: the whole journey of an application in headless Chromium against
//! the real server. A citizen applies online → the handler sends a 补正 notice with two items
//! → the citizen sees both on /track and answers online → the handler releases one .docx and
//! one .pdf with two passages withheld and replies 部分公开 → the citizen finds the letter and
//! both released copies on /track and downloads them with the forms the page shows. The text
//! extracted from both copies holds the kept text and neither withheld passage; the redaction
//! log on the case names both (position and article, never the text); the first download of
//! the letter recorded 送达. axe-core checks every page on the way.
//!
//! Needs `/usr/bin/chromium`, `chromedriver` and axe-core (scripts/test installs them).
//! `GONGKAI_SKIP_BROWSER=1` skips it. Screenshots go to `$GONGKAI_SCREENSHOTS` when set.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod browser_support;
mod common;

use std::time::Duration;

use fantoccini::{Client, Locator};
use gongkai_extract::{Budget, read_docx, read_pdf};
use gongkai_store::auth::{self, NewUser, Role};
use gongkai_store::models::application;
use gongkai_store::models::case_delivery::{self, Served};
use gongkai_store::models::case_release;
use serde_json::json;

use browser_support::{
    Browser, PASSWORD, Res, axe_check, click_and_wait, fill, shot, sign_in, sign_out, text_of,
};

const ITEM_1: &str = "请写明所需文件对应的工程项目名称";
const ITEM_2: &str = "请写明该文件的形成年份";
const ANSWER: &str = "所需信息为县城东环路改造工程的征收补偿方案，形成于2025年。";
const KEPT: &str = "补偿标准为每平方米三千元";
/// The two passages the handler withholds (第十五条 personal data, 第十六条 process).
const WITHHELD: [(&str, &str, &str); 2] = [
    ("被征收人张三户的协议金额", "十五", "涉及个人隐私"),
    ("内部讨论拟压低补偿标准", "十六", "属于内部讨论的过程性信息"),
];

fn lines() -> Vec<String> {
    vec![
        "东环路改造工程征收补偿方案".into(),
        format!("{KEPT}。"),
        format!("附表：{}为四十二万元。", WITHHELD[0].0),
        format!("会议纪要：{}。", WITHHELD[1].0),
    ]
}

fn original_docx() -> Vec<u8> {
    use docx_rs::{Docx, Paragraph, Run};
    let mut doc = Docx::new();
    for l in lines() {
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(l)));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out).unwrap();
    out.into_inner()
}

fn original_pdf() -> Vec<u8> {
    let mut doc = gongkai_pdf::Document::new("征收补偿方案", "测试县");
    for l in lines() {
        doc.push(gongkai_pdf::Paragraph::new(l));
    }
    doc.render()
}

/// What a download gave: status, headers and the body.
struct Fetched {
    status: u64,
    disposition: String,
    cache: String,
    body: Vec<u8>,
}

/// Posts the form of the button `css` exactly as the page has it (its hidden no, code and
/// csrf, with the browser's cookie), as a click would, and reads the answer.
async fn download(c: &Client, css: &str) -> Res<Fetched> {
    let button = c.find(Locator::Css(css)).await?;
    if !button.is_displayed().await? {
        return Err(format!("{css} is not shown").into());
    }
    let v = c
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             const form = document.querySelector(arguments[0]).form;\
             fetch(form.action, {method: 'POST', body: new URLSearchParams(new FormData(form))})\
               .then(r => r.arrayBuffer().then(b => done([r.status,\
                 r.headers.get('content-disposition') || '', r.headers.get('cache-control') || '',\
                 Array.from(new Uint8Array(b), x => x.toString(16).padStart(2, '0')).join('')])))\
               .catch(e => done([0, 'failed ' + e, '', '']));",
            vec![json!(css)],
        )
        .await?;
    let hex = v[3].as_str().unwrap_or_default();
    let body = (0..hex.len() / 2)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16))
        .collect::<Result<Vec<u8>, _>>()?;
    Ok(Fetched {
        status: v[0].as_u64().unwrap_or_default(),
        disposition: v[1].as_str().unwrap_or_default().to_string(),
        cache: v[2].as_str().unwrap_or_default().to_string(),
        body,
    })
}

async fn track(c: &Client, base: &str, tn: &str, code: &str) -> Res<()> {
    c.goto(&format!("{base}/track")).await?;
    fill(c, "no", tn).await?;
    fill(c, "code", code).await?;
    click_and_wait(c, "main form button[type=submit]").await
}

/// The released copies and the letter, as downloaded on /track.
struct Downloads {
    tn: String,
    letter_pdf: Fetched,
    letter_docx: Fetched,
    releases: Vec<(String, Fetched)>,
}

async fn steps(c: &Client, base: &str, axe: &str, docx: &str, pdf: &str) -> Res<Downloads> {
    // 1. The citizen applies online, for electronic delivery.
    c.goto(&format!("{base}/apply")).await?;
    c.find(Locator::Id("kind"))
        .await?
        .select_by_value("natural_person")
        .await?;
    fill(c, "name", "赵全程").await?;
    fill(c, "id_number", "11010519491231002X").await?;
    fill(c, "phone", "13912345678").await?;
    fill(c, "email", "zhao@example.cn").await?;
    fill(c, "description", "东环路改造工程的征收补偿方案").await?;
    click_and_wait(c, "#submit").await?;
    let tn = text_of(c, "#tracking-no").await?;
    let code = text_of(c, "#query-code").await?;
    axe_check(c, axe, "receipt").await?;

    // 2. The handler sends a 补正 notice with two items.
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
    sign_out(c).await?;

    // 3. The citizen sees both items on /track and answers online.
    track(c, base, &tn, &code).await?;
    let items = text_of(c, "#correction-items").await?;
    assert!(items.contains(ITEM_1) && items.contains(ITEM_2), "{items}");
    assert!(
        c.find(Locator::Id("downloads")).await.is_err(),
        "nothing to download before the reply"
    );
    axe_check(c, axe, "/track with the 补正 notice").await?;
    fill(c, "correction-text", ANSWER).await?;
    click_and_wait(c, "#correction-form button[type=submit]").await?;
    assert!(text_of(c, "#correction-done").await?.contains("补正已提交"));

    // 4. The handler releases a .docx and a .pdf with two passages withheld, then replies
    //    部分公开.
    sign_in(c, base, "chengban").await?;
    c.goto(&case_url).await?;
    assert!(text_of(c, "#corrections").await?.contains(ANSWER));
    let passages = WITHHELD
        .iter()
        .map(|(t, a, r)| format!("{t}|{a}|{r}"))
        .collect::<Vec<_>>()
        .join("\n");
    for file in [docx, pdf] {
        c.goto(&case_url).await?;
        click_and_wait(c, "#releases-link").await?;
        c.find(Locator::Id("rel-file"))
            .await?
            .send_keys(file)
            .await?;
        fill(c, "rel-passages", &passages).await?;
        click_and_wait(c, "#release-form button[type=submit]").await?;
        if let Ok(e) = text_of(c, "#release-error").await {
            return Err(format!("release refused: {e}").into());
        }
    }
    let page = text_of(c, "main").await?;
    for (t, _, _) in WITHHELD {
        assert!(
            !page.contains(t),
            "the releases page shows a withheld passage"
        );
    }
    axe_check(c, axe, "区分处理 with two copies").await?;
    shot(c, "journey-releases").await?;
    c.goto(&case_url).await?;
    c.find(Locator::Id("rp-outcome"))
        .await?
        .select_by_value("partially_disclosed")
        .await?;
    c.find(Locator::Css("#rp-basis input[value='第三十七条']"))
        .await?
        .click()
        .await?;
    fill(
        c,
        "rp-reasons",
        "所申请信息中含有个人隐私和内部讨论内容，已作区分处理，删除后予以公开",
    )
    .await?;
    click_and_wait(c, "#reply-form button[type=submit]").await?;
    assert!(
        text_of(c, "#case-outcome").await?.contains("部分公开"),
        "the reply is recorded"
    );
    sign_out(c).await?;

    // 5. The citizen finds the letter and both copies on /track and downloads them.
    track(c, base, &tn, &code).await?;
    let offered = text_of(c, "#downloads").await?;
    assert!(offered.contains("下载答复书"), "{offered}");
    axe_check(c, axe, "/track with the downloads").await?;
    c.execute(
        "document.getElementById('downloads').scrollIntoView();",
        vec![],
    )
    .await?;
    shot(c, "journey-track-downloads").await?;
    // The same form with a wrong query code gives nothing.
    let wrong = c
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             const body = new URLSearchParams(new FormData(document.querySelector('#letter-pdf').form));\
             body.set('code', 'WRONG0');\
             fetch('/track/letter', {method: 'POST', body})\
               .then(r => r.text().then(t => done([r.status, t.includes('%PDF')])))\
               .catch(e => done([0, 'failed ' + e]));",
            vec![],
        )
        .await?;
    assert_eq!(wrong, json!([404, false]), "a wrong code downloads nothing");
    let letter_pdf = download(c, "#letter-pdf").await?;
    let letter_docx = download(c, "#letter-docx").await?;
    let mut releases = Vec::new();
    for b in c.find_all(Locator::Css("#releases button")).await? {
        let id = b.attr("id").await?.unwrap_or_default();
        let label = b.text().await?;
        releases.push((label, download(c, &format!("#{id}")).await?));
    }
    // Guessing codes on the download forms meets the /track limits: 429 with Retry-After,
    // then even the right code waits.
    let limited = c
        .execute_async(
            "const done = arguments[arguments.length - 1];\
             const form = document.querySelector('#letter-pdf').form;\
             const post = code => { const body = new URLSearchParams(new FormData(form));\
               if (code) body.set('code', code);\
               return fetch('/track/letter', {method: 'POST', body}); };\
             (async () => { let r;\
               for (let i = 0; i < 12; i++) { r = await post('WRONG' + i); if (r.status === 429) break; }\
               const right = await post(null);\
               done([r.status, r.headers.get('retry-after') || '', right.status]); })()\
               .catch(e => done([0, 'failed ' + e, 0]));",
            vec![],
        )
        .await?;
    assert_eq!(limited[0], json!(429), "{limited}");
    assert!(
        limited[1].as_str().unwrap_or_default().parse::<i64>()? > 0,
        "{limited}"
    );
    assert_eq!(limited[2], json!(429), "{limited}");
    Ok(Downloads {
        tn,
        letter_pdf,
        letter_docx,
        releases,
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_whole_journey_in_headless_chromium() {
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
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("补偿方案.docx");
    let pdf = dir.path().join("补偿方案.pdf");
    std::fs::write(&docx, original_docx()).unwrap();
    std::fs::write(&pdf, original_pdf()).unwrap();
    let server = common::spawn(fx.state.clone()).await;
    let base = format!("http://{}", server.addr);

    let browser = Browser::start().await;
    let outcome = steps(
        &browser.client,
        &base,
        &browser.axe,
        docx.to_str().unwrap(),
        pdf.to_str().unwrap(),
    )
    .await;
    let _ = browser.client.clone().close().await;
    let d = outcome.unwrap_or_else(|e| panic!("{e}"));
    if let Ok(dir) = std::env::var("GONGKAI_SCREENSHOTS") {
        std::fs::write(format!("{dir}/journey-letter.pdf"), &d.letter_pdf.body).unwrap();
        for (i, (_, f)) in d.releases.iter().enumerate() {
            std::fs::write(format!("{dir}/journey-release-{i}"), &f.body).unwrap();
        }
    }

    // The letter, both formats, not cached; it names the outcome.
    let budget = Budget::default();
    for f in [&d.letter_pdf, &d.letter_docx] {
        assert_eq!(f.status, 200, "{}", f.disposition);
        assert!(f.disposition.starts_with("attachment"), "{}", f.disposition);
        assert_eq!(f.cache, "no-store");
    }
    let letter = read_pdf("letter.pdf", &d.letter_pdf.body, &budget)
        .unwrap()
        .text();
    assert!(
        letter.contains("部分公开") || letter.contains("区分处理"),
        "{letter}"
    );
    let letter = read_docx("letter.docx", &d.letter_docx.body, &budget)
        .unwrap()
        .text();
    assert!(letter.contains("答复书"), "{letter}");

    // Both released copies: the kept text, neither withheld passage, the placeholder.
    assert_eq!(d.releases.len(), 2, "two copies offered");
    let mut kinds = Vec::new();
    for (label, f) in &d.releases {
        assert_eq!(f.status, 200, "{label}");
        assert_eq!(f.cache, "no-store", "{label}");
        let text = if label.ends_with(".pdf") {
            kinds.push("pdf");
            read_pdf("r.pdf", &f.body, &budget).unwrap().text()
        } else {
            assert!(label.ends_with(".docx"), "{label}");
            kinds.push("docx");
            read_docx("r.docx", &f.body, &budget).unwrap().text()
        };
        assert!(text.contains(KEPT), "{label}: {text}");
        for (t, _, _) in WITHHELD {
            assert!(!text.contains(t), "{label} holds {t}");
            // Nor anywhere in the bytes (metadata, an embedded original).
            let raw = String::from_utf8_lossy(&f.body);
            assert!(!raw.contains(t), "{label}'s bytes hold {t}");
        }
        assert!(text.contains("此处已删除"), "{label}: {text}");
    }
    kinds.sort_unstable();
    assert_eq!(kinds, ["docx", "pdf"]);

    // The redaction log names both passages of each copy: position and article, no text.
    let app = application::find_by_tracking_no(store, fx.county, &d.tn)
        .await
        .unwrap()
        .unwrap();
    let listed = case_release::list(store, app.id).await.unwrap();
    assert_eq!(listed.len(), 2);
    for r in &listed {
        let mut articles: Vec<&str> = r.log.iter().map(|e| e.article.as_str()).collect();
        articles.sort_unstable();
        assert_eq!(articles, ["十五", "十六"], "{}", r.file_name);
        assert!(r.log.iter().all(|e| e.length > 0));
        let logged = format!("{:?}", r.log);
        for (t, _, _) in WITHHELD {
            assert!(!logged.contains(t), "the log holds {t}");
        }
    }

    // The first download served the reply (送达).
    let delivery = case_delivery::of(store, app.id).await.unwrap();
    assert!(
        matches!(delivery.served, Some((_, Served::Downloaded))),
        "{delivery:?}"
    );
}
