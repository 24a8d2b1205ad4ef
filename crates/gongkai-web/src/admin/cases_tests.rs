//! The desk through the back office's router on a temporary SQLite store: one application
//! walked from registration by post through 补正, the corrected application, the head's
//! extension and the reply 部分公开 to its letter and the year's report; the server-side
//! refusals (role, agency scope, CSRF); masked personal data; the desk's ordering and flags.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, TimeZone, Utc};
use gongkai_law::{ReportFormat, Table3Row};
use gongkai_store::audit;
use gongkai_store::auth::Role;
use gongkai_store::models::agency::{self, AgencyLevel};
use http_body_util::BodyExt;
use tower::ServiceExt;

use super::super::{AdminSettings, CookieSecurity};
use crate::AppState;
use crate::admin::test_support::{self as support, Answer};

/// 2026-04-01 09:00 Beijing.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 1, 1, 0, 0).single().unwrap()
}

struct Fx {
    app: Router,
    state: AppState,
    _dir: tempfile::TempDir,
    county: i64,
    other: i64,
}

impl Fx {
    async fn new() -> Fx {
        let (store, dir) = support::store().await;
        let county = agency::ensure(&store, "t", "甲县人民政府", AgencyLevel::County, None, None)
            .await
            .unwrap()
            .id;
        let other = agency::ensure(&store, "t", "乙县人民政府", AgencyLevel::County, None, None)
            .await
            .unwrap()
            .id;
        let state = support::state(store, county);
        let settings = AdminSettings {
            secure_cookie: CookieSecurity::Never,
            clock: Arc::new(now),
        };
        let app = support::app(&state, settings);
        Fx {
            app,
            state,
            _dir: dir,
            county,
            other,
        }
    }

    /// Creates a user and signs it in: (cookie header, CSRF token).
    async fn user(&self, name: &str, role: Role, agency_id: i64) -> (String, String) {
        support::signed_in(&self.state, name, role, Some(agency_id), now()).await
    }

    async fn get(&self, path: &str, cookie: &str) -> Answer {
        support::get(&self.app, path, cookie).await
    }

    async fn post(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Answer {
        support::post(&self.app, path, cookie, form).await
    }
}

/// The letter links of a case page, in order.
fn letter_links(html: &str) -> Vec<String> {
    html.match_indices("/letters/")
        .map(|(i, _)| {
            let start = html[..i].rfind('"').unwrap() + 1;
            let end = i + html[i..].find('"').unwrap();
            html[start..end].to_string()
        })
        .collect()
}

async fn register(fx: &Fx, cookie: &str, csrf: &str, name: &str, arrived: &str) -> i64 {
    let (st, h, body) = fx
        .post(
            "/admin/cases",
            cookie,
            &[
                ("csrf", csrf),
                ("channel", "post"),
                ("sent_on", "2026-02-27"),
                ("arrived", arrived),
                ("confirmed", arrived),
                ("applicant_kind", "natural_person"),
                ("name", name),
                ("id_type", "居民身份证"),
                ("id_number", "41142119800101123X"),
                ("phone", "13812345678"),
                ("description", "2025年本县道路改造工程招标文件"),
                ("delivery", "paper"),
            ],
        )
        .await;
    // The answer is the receipt: tracking number and the query code, shown this once.
    assert_eq!(st, StatusCode::OK, "{body}");
    assert!(h.get("location").is_none());
    let code = between(&body, "<dd id=\"query-code\">", "</dd>");
    assert_eq!(code.len(), 8, "{body}");
    assert!(body.contains("<dd id=\"tracking-no\">YSQ"), "{body}");
    between(&body, "<a id=\"case-link\" href=\"/admin/cases/", "\"")
        .parse()
        .unwrap()
}

/// The text between `start` and the next `end`.
fn between<'a>(body: &'a str, start: &str, end: &str) -> &'a str {
    let from = body
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {body}"))
        + start.len();
    let len = body[from..].find(end).unwrap();
    &body[from..from + len]
}

#[tokio::test]
async fn one_application_walks_from_registration_to_the_report() {
    let fx = Fx::new().await;
    let (handler, hcsrf) = fx.user("chengban", Role::Handler, fx.county).await;
    let (head, kcsrf) = fx.user("fuzeren", Role::Head, fx.county).await;

    // Registered by post, signed for on Monday 2026-03-02: the receipt date.
    let id = register(&fx, &handler, &hcsrf, "张三", "2026-03-02").await;
    let (st, _, page) = fx.get(&format!("/admin/cases/{id}"), &handler).await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("以行政机关签收之日为收到申请之日"), "{page}");
    // Personal data masked on screen, never in full.
    assert!(page.contains("4114**********123X"), "{page}");
    assert!(page.contains("138****5678"));
    assert!(!page.contains("41142119800101123X"));
    assert!(!page.contains("13812345678"));
    // The trail is shown.
    assert!(
        page.contains("期限计算明细") && page.contains("第20日"),
        "{page}"
    );

    // 补正 notice, then the corrected application: the period restarts. A notice that lists
    // nothing to correct is refused.
    let ev = format!("/admin/cases/{id}/events");
    let (st, _, b) = fx
        .post(
            &ev,
            &handler,
            &[
                ("csrf", &hcsrf),
                ("kind", "correction_notice"),
                ("on", "2026-03-04"),
                ("items", " \n "),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{b}");
    assert!(b.contains("补正事项"), "{b}");
    let (st, _, b) = fx
        .post(
            &ev,
            &handler,
            &[
                ("csrf", &hcsrf),
                ("kind", "correction_notice"),
                ("on", "2026-03-04"),
                (
                    "items",
                    "写明所需招标文件的项目名称\n写明招标文件的发布年份",
                ),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER, "{b}");
    let (st, _, _) = fx
        .post(
            &ev,
            &handler,
            &[
                ("csrf", &hcsrf),
                ("kind", "corrected"),
                ("on", "2026-03-09"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);

    // The handler may not approve the extension; the head may.
    let ext = [
        ("csrf", kcsrf.as_str()),
        ("kind", "extension"),
        ("on", "2026-03-20"),
    ];
    let (st, _, _) = fx
        .post(
            &ev,
            &handler,
            &[
                ("csrf", &hcsrf),
                ("kind", "extension"),
                ("on", "2026-03-20"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _, b) = fx.post(&ev, &head, &ext).await;
    assert_eq!(st, StatusCode::SEE_OTHER, "{b}");
    let app = gongkai_store::models::application::get(&fx.state.store, id)
        .await
        .unwrap();
    assert_eq!(app.status.key(), "extended");
    // And the head may not reply.
    let (st, _, _) = fx
        .post(
            &format!("/admin/cases/{id}/reply"),
            &head,
            &[
                ("csrf", &kcsrf),
                ("outcome", "partially_disclosed"),
                ("on", "2026-04-20"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // Reply 部分公开.
    let (st, _, b) = fx
        .post(
            &format!("/admin/cases/{id}/reply"),
            &handler,
            &[
                ("csrf", &hcsrf),
                ("outcome", "partially_disclosed"),
                ("on", "2026-04-20"),
                ("basis", "第三十七条"),
                (
                    "reasons",
                    "招标文件中投标人的银行账户信息属于商业秘密，已作遮盖处理。",
                ),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER, "{b}");

    // Three numbered letters: 补正告知书, 延期答复告知书, 答复书. None prints before the head
    // has named the 行政复议机关 and the court.
    let (_, _, page) = fx.get(&format!("/admin/cases/{id}"), &handler).await;
    let links = letter_links(&page);
    assert_eq!(links.len(), 3, "{page}");
    let (st, _, refused) = fx.get(&links[2], &handler).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.contains("尚未设置行政复议机关和管辖法院"),
        "{refused}"
    );
    let settings = "/admin/letter-settings";
    let (st, _, _) = fx
        .post(
            settings,
            &handler,
            &[("csrf", &hcsrf), ("review_body", "x"), ("court", "y")],
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "the head's");
    let (st, _, form) = fx
        .post(
            settings,
            &head,
            &[
                ("csrf", &kcsrf),
                ("review_body", "甲市人民政府"),
                ("court", " "),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(between(&form, "id=\"court-error\">", "</p>").contains("请填写管辖法院"));
    assert!(form.contains("value=\"甲市人民政府\""));
    let (st, _, _) = fx
        .post(
            settings,
            &head,
            &[
                ("csrf", &kcsrf),
                ("review_body", "甲市人民政府"),
                ("court", "甲县人民法院"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (st, _, form) = fx.get(settings, &head).await;
    assert_eq!(st, StatusCode::OK);
    assert!(form.contains("value=\"甲县人民法院\""));
    let (st, _, correction) = fx.get(&links[0], &handler).await;
    assert_eq!(st, StatusCode::OK);
    assert!(correction.contains("补正告知书") && correction.contains("第三十条"));
    assert!(
        correction.contains("一、写明所需招标文件的项目名称；")
            && correction.contains("二、写明招标文件的发布年份。"),
        "{correction}"
    );
    assert!(correction.contains("甲政公开补〔2026〕1号"), "{correction}");
    let (_, _, extension) = fx.get(&links[1], &handler).await;
    assert!(extension.contains("延期答复告知书") && extension.contains("第三十三条第二款"));
    assert!(extension.contains("甲政公开延〔2026〕1号"));
    let (st, _, letter) = fx.get(&links[2], &head).await;
    assert_eq!(st, StatusCode::OK);
    assert!(letter.contains("答复书"), "{letter}");
    assert!(letter.contains("甲政公开〔2026〕1号"));
    assert!(letter.contains("第三十七条"));
    assert!(letter.contains("理由：招标文件中投标人的银行账户信息属于商业秘密"));
    assert!(
        letter.contains("六十日内向甲市人民政府申请行政复议"),
        "{letter}"
    );
    assert!(letter.contains("六个月内向甲县人民法院提起行政诉讼"));
    assert!(letter.contains("张三"));
    // The same letter as a Word file.
    let (st, h, _) = fx.get(&format!("{}?format=docx", links[2]), &handler).await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        h[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains(".docx")
    );
    let resp = fx
        .app
        .clone()
        .oneshot(
            Request::get(format!("{}?format=docx", links[2]))
                .header(header::COOKIE, &handler)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let doc = docx_rs::read_docx(&bytes).unwrap().json();
    assert!(doc.contains("第三十七条") && doc.contains("六十日") && doc.contains("六个月"));
    assert!(doc.contains("甲政公开〔2026〕1号"));
    // And as a PDF.
    let (st, h, _) = fx.get(&format!("{}?format=pdf", links[2]), &handler).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "application/pdf");
    // The same letter prints with the same number.
    let (_, _, again) = fx.get(&links[2], &handler).await;
    assert!(again.contains("甲政公开〔2026〕1号"));

    // A replied case takes no more events.
    let (st, _, _) = fx
        .post(
            &ev,
            &handler,
            &[
                ("csrf", &hcsrf),
                ("kind", "consultation_sent"),
                ("on", "2026-04-21"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);

    // The handler closes the replied case; a closed case does not close again.
    let (st, _, _) = fx
        .post(
            &format!("/admin/cases/{id}/close"),
            &head,
            &[("csrf", &kcsrf)],
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _, _) = fx
        .post(
            &format!("/admin/cases/{id}/close"),
            &handler,
            &[("csrf", &hcsrf)],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (st, _, _) = fx
        .post(
            &format!("/admin/cases/{id}/close"),
            &handler,
            &[("csrf", &hcsrf)],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, _, page) = fx.get(&format!("/admin/cases/{id}"), &handler).await;
    assert!(page.contains("已办结"));

    // The year's report counts it under 部分公开.
    let report = gongkai_store::report::generate_report(
        &fx.state.store,
        &fx.county.to_string(),
        2026,
        ReportFormat::Current2021,
    )
    .await
    .unwrap();
    assert_eq!(report.requests[&Table3Row::PartiallyDisclosed][6], Some(1));
    assert_eq!(report.requests[&Table3Row::PartiallyDisclosed][0], Some(1));

    // Each action left its audit entry.
    let log = audit::recent(&fx.state.store, 1000).await.unwrap();
    let events = log
        .iter()
        .filter(|e| e.action == "application.event")
        .count();
    assert_eq!(events, 4);
    assert!(log.iter().any(|e| e.action == "application.create"));
    // The reply and its letter's words are one write with one entry.
    assert!(!log.iter().any(|e| e.action == "application.reply_details"));
    assert!(log.iter().any(|e| e.action == "application.close"));
}

#[tokio::test]
async fn refusals_are_decided_on_the_server() {
    let fx = Fx::new().await;
    let (handler, hcsrf) = fx.user("chengban", Role::Handler, fx.county).await;
    let (head, kcsrf) = fx.user("fuzeren", Role::Head, fx.county).await;
    let (stranger, scsrf) = fx.user("yixian", Role::Handler, fx.other).await;
    let (editor, _) = fx.user("xinxiyuan", Role::Editor, fx.county).await;
    let id = register(&fx, &handler, &hcsrf, "李四", "2026-03-02").await;

    // Without the CSRF token nothing is recorded.
    let ev = format!("/admin/cases/{id}/events");
    let (st, _, _) = fx
        .post(
            &ev,
            &handler,
            &[
                ("csrf", "x"),
                ("kind", "correction_notice"),
                ("on", "2026-03-04"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    // The head registers nothing; an editor reads no applications.
    let (st, _, _) = fx
        .post(
            "/admin/cases",
            &head,
            &[
                ("csrf", &kcsrf),
                ("channel", "in-person"),
                ("arrived", "2026-03-02"),
                ("name", "王五"),
                ("description", "x"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _, _) = fx.get("/admin/cases", &editor).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    // Another county's handler neither reads nor acts on the case.
    let (st, _, _) = fx.get(&format!("/admin/cases/{id}"), &stranger).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _, _) = fx
        .post(
            &ev,
            &stranger,
            &[
                ("csrf", &scsrf),
                ("kind", "correction_notice"),
                ("on", "2026-03-04"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (_, _, desk) = fx.get("/admin/cases", &stranger).await;
    assert!(!desk.contains("李四"));
    let events = gongkai_store::models::application::events(&fx.state.store, id)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);

    // An ordinary letter without its confirmation date is refused with the rule.
    let (st, _, b) = fx
        .post(
            "/admin/cases",
            &handler,
            &[
                ("csrf", &hcsrf),
                ("channel", "letter"),
                ("arrived", "2025-09-30"),
                ("name", "王五"),
                ("description", "某文件"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        b.contains("以行政机关与申请人确认之日为收到申请之日"),
        "{b}"
    );
}

#[tokio::test]
async fn the_desk_lists_open_cases_most_urgent_first() {
    let fx = Fx::new().await;
    let (handler, hcsrf) = fx.user("chengban", Role::Handler, fx.county).await;
    // Today is 2026-04-01. Received 2026-02-02: overdue. Received 2026-03-06: due 2026-04-03,
    // within a week. Received 2026-03-31: due in late April.
    let late = register(&fx, &handler, &hcsrf, "赵一", "2026-02-02").await;
    let soon = register(&fx, &handler, &hcsrf, "钱二", "2026-03-06").await;
    let fresh = register(&fx, &handler, &hcsrf, "孙三", "2026-03-31").await;
    let (st, _, desk) = fx.get("/admin/cases", &handler).await;
    assert_eq!(st, StatusCode::OK);
    let pos = |id: i64| desk.find(&format!("id=\"case-{id}\"")).unwrap();
    assert!(pos(late) < pos(soon) && pos(soon) < pos(fresh), "{desk}");
    assert!(
        desk.contains(&format!("id=\"case-{late}\" class=\"overdue\"")),
        "{desk}"
    );
    assert!(
        desk.contains(&format!("id=\"case-{soon}\" class=\"due-soon\"")),
        "{desk}"
    );
    assert!(desk.contains(&format!("id=\"case-{fresh}\" class=\"on-time\"")));
}

/// Acceptance 2 of issue 13: for every outcome but 予以公开 a reply without reasons or without
/// a basis is refused (422), the case page comes back with the error next to the field and
/// the entries kept, and nothing is recorded; with both it is recorded and its letter cites
/// only the chosen basis and prints only the written reasons.
#[tokio::test]
async fn a_reply_without_reasons_or_basis_is_refused_next_to_the_field() {
    use gongkai_law::Outcome;
    let fx = Fx::new().await;
    let (handler, hcsrf) = fx.user("chengban", Role::Handler, fx.county).await;
    let id = register(&fx, &handler, &hcsrf, "赵六", "2026-03-02").await;
    gongkai_store::models::letter_settings::set(
        &fx.state.store,
        "t",
        fx.county,
        &gongkai_store::models::letter_settings::LetterSettings {
            review_body: "甲市人民政府".into(),
            court: "甲县人民法院".into(),
        },
    )
    .await
    .unwrap();
    let url = format!("/admin/cases/{id}/reply");
    for o in Outcome::ALL.into_iter().filter(|o| o.needs_reasons()) {
        let first = o.articles().first().copied().unwrap_or("");
        let (st, _, page) = fx
            .post(
                &url,
                &handler,
                &[
                    ("csrf", &hcsrf),
                    ("outcome", o.key()),
                    ("on", "2026-03-20"),
                    ("basis", first),
                    ("reasons", ""),
                ],
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{o:?}");
        let err = between(&page, "id=\"rp-reasons-error\">", "</p>");
        assert!(err.contains("必须写明理由"), "{o:?}: {err}");
        // The error sits in the reasons' field, before its text area, which points to it.
        let field = between(&page, "<label for=\"rp-reasons\">", "</textarea>");
        assert!(field.contains("rp-reasons-error") && field.contains("aria-invalid=\"true\""));
        assert!(
            page.contains(&format!("value=\"{}\" selected", o.key())),
            "{o:?}"
        );
        if o.articles().is_empty() {
            continue;
        }
        let (st, _, page) = fx
            .post(
                &url,
                &handler,
                &[
                    ("csrf", &hcsrf),
                    ("outcome", o.key()),
                    ("on", "2026-03-20"),
                    ("reasons", "承办人写明的理由"),
                ],
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{o:?}");
        let err = between(&page, "id=\"rp-basis-error\">", "</p>");
        assert!(err.contains(first), "{o:?}: {err}");
        assert!(page.contains(">承办人写明的理由</textarea>"));
    }
    let events = gongkai_store::models::application::events(&fx.state.store, id)
        .await
        .unwrap();
    assert_eq!(events.len(), 1, "nothing recorded");

    // With both, the reply is recorded and its letter says only what was decided.
    let (st, _, b) = fx
        .post(
            &url,
            &handler,
            &[
                ("csrf", &hcsrf),
                ("outcome", "withheld_state_secret"),
                ("on", "2026-03-20"),
                ("basis", "第十四条"),
                ("reasons", "标记理由XYZ"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER, "{b}");
    let (_, _, page) = fx.get(&format!("/admin/cases/{id}"), &handler).await;
    let link = letter_links(&page).pop().unwrap();
    let (st, _, letter) = fx.get(&link, &handler).await;
    assert_eq!(st, StatusCode::OK);
    assert!(letter.contains("理由：标记理由XYZ。"), "{letter}");
    assert!(letter.contains("《中华人民共和国政府信息公开条例》第十四条的规定"));
    assert!(
        !letter.contains("第三十六条第（三）项"),
        "only the chosen basis"
    );
    assert!(letter.contains("甲政公开〔2026〕1号"));
}
