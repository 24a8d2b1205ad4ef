//! Casework through the back office's router (and the public mailbox) on a temporary SQLite
//! store: the 县长信箱 from the public form with consent to a published reply, with the scan
//! blocking a phone number and the roles kept apart; 复议/诉讼 entered on a case and counted
//! in table 四; the desk concluding a lapsed 补正 by itself, once; the per-address limit on
//! failed sign-ins answering 429, audited.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::routing::get;
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use gongkai_law::{Channel, ClockEvent, Outcome, ReportFormat, Table3Row};
use gongkai_store::audit;
use gongkai_store::auth::{self, Role};
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::application::{self, Applicant, NewApplication};
use gongkai_store::models::letter;

use super::super::{AdminSettings, CookieSecurity, SESSION_COOKIE, router_with};
use crate::AppState;
use crate::admin::test_support::{self as support, Answer, PASSWORD};

/// A CSRF token for the public forms (double submit: cookie and field).
const PUBLIC_CSRF: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// 2026-04-01 09:00 Beijing.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 4, 1, 1, 0, 0).single().unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
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
        let app = Router::new()
            .route(
                "/mailbox",
                get(crate::mailbox::page).post(crate::mailbox::submit),
            )
            .merge(router_with(settings))
            .with_state(state.clone());
        Fx {
            app,
            state,
            _dir: dir,
            county,
            other,
        }
    }

    async fn create_user(&self, name: &str, role: Role, agency_id: i64) {
        support::account(&self.state, name, role, Some(agency_id), now()).await;
    }

    /// Creates a user and signs it in: (cookie header, CSRF token).
    async fn user(&self, name: &str, role: Role, agency_id: i64) -> (String, String) {
        self.create_user(name, role, agency_id).await;
        let s = auth::login(&self.state.store, name, PASSWORD, now())
            .await
            .unwrap();
        (
            format!("{SESSION_COOKIE}={}", s.token.as_str()),
            s.csrf.clone(),
        )
    }

    async fn get(&self, path: &str, cookie: &str) -> Answer {
        support::get(&self.app, path, cookie).await
    }

    /// A form POST from client address `ip`.
    async fn post_from(&self, ip: &str, path: &str, cookie: &str, form: &[(&str, &str)]) -> Answer {
        support::post_from(&self.app, ip, path, cookie, form).await
    }

    async fn post(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Answer {
        self.post_from("127.0.0.1", path, cookie, form).await
    }
}

fn public_cookie() -> String {
    format!("{}={PUBLIC_CSRF}", crate::security::CSRF_COOKIE)
}

async fn actions(fx: &Fx, action: &str) -> usize {
    audit::recent(&fx.state.store, 10_000)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.action == action)
        .count()
}

#[tokio::test]
async fn mailbox_from_consent_to_a_published_reply() {
    let fx = Fx::new().await;
    let (handler, handler_csrf) = fx.user("chengban", Role::Handler, fx.county).await;
    let (head, head_csrf) = fx.user("fuzeren", Role::Head, fx.county).await;
    let (reviewer, reviewer_csrf) = fx.user("shenhe", Role::Reviewer, fx.county).await;
    let (editor, _) = fx.user("bianji", Role::Editor, fx.county).await;

    // The public form carries the consent checkbox; a ticked box is stored.
    let (st, _, page) = fx.get("/mailbox", "").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("同意公开来信内容（不含个人信息）"));
    let (st, _, body) = fx
        .post(
            "/mailbox",
            &public_cookie(),
            &[
                ("csrf", PUBLIC_CSRF),
                ("subject", "路灯不亮"),
                ("body", "我家门口的路灯坏了，我的电话13812345678。"),
                ("contact", "13812345678"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    assert!(body.contains("来信已收到"));
    // One without consent, and one old letter never answered.
    fx.post(
        "/mailbox",
        &public_cookie(),
        &[
            ("csrf", PUBLIC_CSRF),
            ("subject", "垃圾清运"),
            ("body", "请增加清运次数。"),
            ("contact", "wang@example.cn"),
        ],
    )
    .await;
    let old = letter::receive(
        &fx.state.store,
        "t",
        fx.county,
        "XX20251201",
        "旧来信",
        "内容",
        None,
        d(2025, 12, 1),
    )
    .await
    .unwrap();

    // The list: unanswered, the oldest first, the old one flagged.
    let (st, _, list) = fx.get("/admin/mailbox", &handler).await;
    assert_eq!(st, StatusCode::OK);
    assert!(list.contains("超过三个月未答复"));
    assert!(list.contains(r#"id="overdue-count">1<"#), "{list}");
    let pos = |s: &str| list.find(s).unwrap();
    assert!(pos("旧来信") < pos("路灯不亮"));
    let letters = letter::desk_list(&fx.state.store, fx.county, 10)
        .await
        .unwrap();
    let lamp = letters.iter().find(|l| l.subject == "路灯不亮").unwrap();
    assert!(lamp.publish_consent);
    let rubbish = letters.iter().find(|l| l.subject == "垃圾清运").unwrap();
    assert!(!rubbish.publish_consent);
    // The editor has no business here; another county's handler neither.
    let (st, _, _) = fx.get("/admin/mailbox", &editor).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (outsider, _) = fx.user("waixian", Role::Handler, fx.other).await;
    let (st, _, _) = fx
        .get(&format!("/admin/mailbox/{}", lamp.id), &outsider)
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // The public form dates letters by the system clock; reply the same day.
    let on = lamp.received_on.to_string();
    let on = on.as_str();
    // The letter page masks the contact.
    let lamp_url = format!("/admin/mailbox/{}", lamp.id);
    let (st, _, page) = fx.get(&lamp_url, &handler).await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("138****5678"), "{page}");
    assert!(!page.contains("id=\"writer-contact\">13812345678"));

    // The handler replies (not without the token); the head may not reply.
    let reply = [
        ("csrf", handler_csrf.as_str()),
        ("reply", "已安排维修，感谢您的来信。"),
        ("on", on),
    ];
    let (st, _, _) = fx
        .post(&format!("{lamp_url}/reply"), &handler, &reply[1..])
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _, _) = fx
        .post(
            &format!("{lamp_url}/reply"),
            &head,
            &[("csrf", &head_csrf), ("reply", "x"), ("on", on)],
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _, _) = fx
        .post(&format!("{lamp_url}/reply"), &handler, &reply)
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);

    // The handler may not publish; the head is blocked by the phone number, shown masked.
    let (st, _, _) = fx
        .post(
            &format!("{lamp_url}/publish"),
            &handler,
            &[("csrf", &handler_csrf)],
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _, page) = fx
        .post(
            &format!("{lamp_url}/publish"),
            &head,
            &[("csrf", &head_csrf)],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    assert!(page.contains("手机号码") && page.contains("138****5678"));
    assert!(!page.contains("13812345678"), "raw number on the page");
    let (_, _, public) = fx.get("/mailbox", "").await;
    assert!(!public.contains("已安排维修"));

    // The handler takes the number out of the public text; the reviewer publishes.
    let (st, _, _) = fx
        .post(
            &format!("{lamp_url}/reply"),
            &handler,
            &[
                ("csrf", &handler_csrf),
                ("reply", "已安排维修，感谢您的来信。"),
                ("on", on),
                ("public_body", "我家门口的路灯坏了。"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (st, _, _) = fx
        .post(
            &format!("{lamp_url}/publish"),
            &reviewer,
            &[("csrf", &reviewer_csrf)],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (_, _, public) = fx.get("/mailbox", "").await;
    assert!(public.contains("已安排维修") && public.contains("我家门口的路灯坏了。"));
    assert!(!public.contains("13812345678") && !public.contains("138****5678"));
    assert!(
        public.contains(&format!("来信日期 <time>{on}</time>")),
        "{public}"
    );
    assert!(
        public.contains(&format!("答复日期 <time>{on}</time>")),
        "{public}"
    );

    // Without consent: refused, whoever asks.
    let rubbish_url = format!("/admin/mailbox/{}", rubbish.id);
    fx.post(
        &format!("{rubbish_url}/reply"),
        &handler,
        &[
            ("csrf", &handler_csrf),
            ("reply", "已转环卫所。"),
            ("on", &rubbish.received_on.to_string()),
        ],
    )
    .await;
    let (st, _, page) = fx
        .post(
            &format!("{rubbish_url}/publish"),
            &head,
            &[("csrf", &head_csrf)],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("未同意公开"));
    let (_, _, public) = fx.get("/mailbox", "").await;
    assert!(!public.contains("已转环卫所"));
    assert_eq!(actions(&fx, "letter.publish").await, 1);
    assert_eq!(actions(&fx, "letter.publish_blocked").await, 1);
    let _ = old;
}

async fn application_for(fx: &Fx, name: &str, arrived: NaiveDate) -> i64 {
    application::create(
        &fx.state.store,
        "t",
        &NewApplication {
            agency_id: fx.county,
            tracking_no: None,
            channel: Channel::InPerson,
            sent_on: None,
            arrived,
            confirmed: None,
            applicant: Applicant {
                name: name.into(),
                ..Applicant::default()
            },
            description: "某文件".into(),
            document_number: None,
            delivery: "paper".into(),
            note: String::new(),
        },
    )
    .await
    .unwrap()
    .id
}

#[tokio::test]
async fn appeals_entered_on_the_case_count_in_table_four() {
    let fx = Fx::new().await;
    let (handler, csrf) = fx.user("chengban", Role::Handler, fx.county).await;
    let (head, head_csrf) = fx.user("fuzeren", Role::Head, fx.county).await;
    let (outsider, outsider_csrf) = fx.user("waixian", Role::Handler, fx.other).await;
    let id = application_for(&fx, "张三", d(2026, 1, 5)).await;
    application::reply(
        &fx.state.store,
        "t",
        id,
        d(2026, 1, 20),
        Outcome::UnableNotHeld,
    )
    .await
    .unwrap();
    let table4 = |r: &gongkai_store::Report| r.appeals.reconsideration;
    let before = gongkai_store::generate_report(
        &fx.state.store,
        "甲县人民政府",
        2026,
        ReportFormat::for_year(2026),
    )
    .await
    .unwrap();
    assert_eq!(table4(&before)[4].unwrap_or(0), 0);

    let form = |csrf: &str| {
        vec![
            ("csrf".to_string(), csrf.to_string()),
            ("application".to_string(), id.to_string()),
            ("kind".to_string(), "reconsideration".to_string()),
            ("case_number".to_string(), "甲复决字〔2026〕3号".to_string()),
            ("filed_on".to_string(), "2026-02-10".to_string()),
            ("result".to_string(), "pending".to_string()),
            ("decided_on".to_string(), String::new()),
        ]
    };
    let as_refs = |v: &Vec<(String, String)>| -> Vec<(String, String)> { v.clone() };
    let post = |cookie: String, v: Vec<(String, String)>| {
        let fx = &fx;
        async move {
            let refs: Vec<(&str, &str)> = v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
            fx.post("/admin/appeals", &cookie, &refs).await
        }
    };
    // Another county's handler, and a forged token, are refused.
    let (st, _, _) = post(outsider.clone(), as_refs(&form(&outsider_csrf))).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _, _) = post(handler.clone(), form("forged")).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, h, body) = post(handler.clone(), form(&csrf)).await;
    assert_eq!(st, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(
        h[header::LOCATION].to_str().unwrap(),
        format!("/admin/cases/{id}?msg=appeal")
    );
    // A decided case without its date is the user's to fix.
    let mut bad = form(&csrf);
    bad[3].1 = "甲复决字〔2026〕4号".into();
    bad[5].1 = "upheld".into();
    let (st, _, _) = post(handler.clone(), bad).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);

    let (_, _, case) = fx.get(&format!("/admin/cases/{id}"), &handler).await;
    assert!(
        case.contains("甲复决字〔2026〕3号") && case.contains("尚未审结"),
        "{case}"
    );
    let pending = gongkai_store::generate_report(
        &fx.state.store,
        "甲县人民政府",
        2026,
        ReportFormat::for_year(2026),
    )
    .await
    .unwrap();
    assert_eq!(table4(&pending)[3], Some(1));
    assert_eq!(table4(&pending)[4], Some(1));

    // The head records the result on the list page: 结果纠正.
    let (st, _, list) = fx.get("/admin/appeals", &head).await;
    assert_eq!(st, StatusCode::OK);
    assert!(list.contains("甲复决字〔2026〕3号"));
    let appeal_id = gongkai_store::models::appeal::for_application(&fx.state.store, id)
        .await
        .unwrap()[0]
        .id;
    let (st, _, _) = fx
        .post(
            &format!("/admin/appeals/{appeal_id}/decide"),
            &head,
            &[
                ("csrf", &head_csrf),
                ("result", "corrected"),
                ("decided_on", "2026-03-20"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let after = gongkai_store::generate_report(
        &fx.state.store,
        "甲县人民政府",
        2026,
        ReportFormat::for_year(2026),
    )
    .await
    .unwrap();
    assert_eq!(table4(&after)[1], Some(1));
    assert_eq!(table4(&after)[3].unwrap_or(0), 0);
    let (st, _, _) = fx.get("/admin/appeals", &outsider).await;
    assert_eq!(
        st,
        StatusCode::OK,
        "the outsider sees its own (empty) subtree"
    );
}

#[tokio::test]
async fn the_desk_concludes_a_lapsed_correction_once() {
    let fx = Fx::new().await;
    let (handler, _) = fx.user("chengban", Role::Handler, fx.county).await;
    let lapsed = application_for(&fx, "李四", d(2026, 2, 2)).await;
    application::record_event(
        &fx.state.store,
        "t",
        lapsed,
        ClockEvent::CorrectionNoticeSent { on: d(2026, 2, 4) },
    )
    .await
    .unwrap();
    let waiting = application_for(&fx, "王五", d(2026, 3, 23)).await;
    application::record_event(
        &fx.state.store,
        "t",
        waiting,
        ClockEvent::CorrectionNoticeSent { on: d(2026, 3, 25) },
    )
    .await
    .unwrap();

    let (st, _, desk) = fx.get("/admin/cases", &handler).await;
    assert_eq!(st, StatusCode::OK);
    assert!(desk.contains(r#"id="swept""#), "{desk}");
    assert!(desk.contains("逾期不补正"));
    let app = application::get(&fx.state.store, lapsed).await.unwrap();
    assert_eq!(app.outcome, Some(Outcome::OtherNoCorrection));
    assert_eq!(
        application::get(&fx.state.store, waiting)
            .await
            .unwrap()
            .outcome,
        None
    );
    // The case page shows the outcome and its letter; the desk says nothing the second time.
    let (_, _, case) = fx.get(&format!("/admin/cases/{lapsed}"), &handler).await;
    assert!(
        case.contains("逾期自动结案：") && case.contains("/letters/"),
        "{case}"
    );
    let (_, _, again) = fx.get("/admin/cases", &handler).await;
    assert!(!again.contains(r#"id="swept""#));
    assert_eq!(actions(&fx, "application.auto_outcome").await, 1);
    let r = gongkai_store::generate_report(
        &fx.state.store,
        "甲县人民政府",
        2026,
        ReportFormat::for_year(2026),
    )
    .await
    .unwrap();
    assert_eq!(r.requests[&Table3Row::OtherNoCorrection][6], Some(1));
}

#[tokio::test]
async fn failed_sign_ins_are_limited_per_address() {
    let fx = Fx::new().await;
    fx.create_user("chengban", Role::Handler, fx.county).await;
    let (form_cookie, form_token) = support::login_form(&fx.app).await;
    let login = |name: &'static str, password: &'static str| {
        vec![
            ("csrf", form_token.as_str()),
            ("name", name),
            ("password", password),
        ]
    };
    // 20 failures from one address, over many accounts (no account is locked by it).
    let names = [
        "a01", "a02", "a03", "a04", "a05", "a06", "a07", "a08", "a09", "a10",
    ];
    for i in 0..gongkai_store::attempts::SIGNIN_PER_ADDRESS.limit as usize {
        let (st, _, _) = fx
            .post_from(
                "10.0.0.1",
                "/admin/login",
                &form_cookie,
                &login(names[i % names.len()], "wrong"),
            )
            .await;
        assert_eq!(st, StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    // The 21st answers 429 before any password is checked, even the right one.
    let (st, _, page) = fx
        .post_from(
            "10.0.0.1",
            "/admin/login",
            &form_cookie,
            &login("chengban", PASSWORD),
        )
        .await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        page.contains("登录失败次数过多") && page.contains("15分钟"),
        "{page}"
    );
    let (st, _, _) = fx
        .post_from(
            "10.0.0.1",
            "/admin/login",
            &form_cookie,
            &login("chengban", PASSWORD),
        )
        .await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(actions(&fx, "auth.limited").await, 1);
    // Another address signs in.
    let (st, h, _) = fx
        .post_from(
            "10.0.0.2",
            "/admin/login",
            &form_cookie,
            &login("chengban", PASSWORD),
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert_eq!(h[header::LOCATION].to_str().unwrap(), "/admin");
}
