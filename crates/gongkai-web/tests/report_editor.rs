//! The annual report editor through the real router (`gongkai_web::router`), on SQLite and,
//! when `GONGKAI_TEST_PG_URL` is set, PostgreSQL: the page opens with the prose drafted from
//! the records and no finding; a wrong total typed into the prose is saved and shown inline as
//! TXT-PARTS and TXT-TABLE in Chinese; fixed and published by the head, /reports/{year} shows
//! the edited prose; the DOCX and XLSX downloads; roles and CSRF refused.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::Utc;
use common::Fixture;
use gongkai_law::ReportFormat;
use gongkai_store::auth::{self, NewUser, Role};
use gongkai_web::admin::SESSION_COOKIE;
use gongkai_web::router;
use http_body_util::BodyExt;
use tower::ServiceExt;

const PASSWORD: &str = "Test-Secret-2026";

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn send(app: &axum::Router, req: Request<Body>) -> Answer {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

async fn get(app: &axum::Router, uri: &str, cookie: &str) -> Answer {
    send(
        app,
        Request::get(uri)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

async fn post(app: &axum::Router, uri: &str, cookie: &str, fields: &[(&str, &str)]) -> Answer {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
        .collect::<Vec<_>>()
        .join("&");
    send(
        app,
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

async fn sign_in(fx: &Fixture, name: &str, role: Role) -> (String, String) {
    auth::create_user(
        &fx.state.store,
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
    let s = auth::login(&fx.state.store, name, PASSWORD, Utc::now())
        .await
        .unwrap();
    (
        format!("{SESSION_COOKIE}={}", s.token.as_str()),
        s.csrf.clone(),
    )
}

/// The number in 「{before}N{after}」 of `text`.
fn number_in(text: &str, before: &str, after: &str) -> i64 {
    let start = text.find(before).unwrap() + before.len();
    let rest = &text[start..];
    rest[..rest.find(after).unwrap()].parse().unwrap()
}

async fn walk(fx: &Fixture) {
    let app = router(fx.state.clone());
    let (handler, handler_csrf) = sign_in(fx, "chengban", Role::Handler).await;
    let (head, head_csrf) = sign_in(fx, "fuzeren", Role::Head).await;
    let (editor, _) = sign_in(fx, "bianji", Role::Editor).await;

    // An editor (信息员) does not edit the report.
    assert_eq!(
        get(&app, "/admin/report/2020", &editor).await.status,
        StatusCode::FORBIDDEN
    );

    // The page opens with the prose drafted from the records, and nothing to find in it.
    let drafted = gongkai_store::prose::draft_report(
        &fx.state.store,
        &fx.county.to_string(),
        2020,
        ReportFormat::Trial2019,
    )
    .await
    .unwrap();
    let one = drafted.sections["1"].clone();
    let page = get(&app, "/admin/report/2020", &handler).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("全年共主动公开政府信息"), "{html}");
    assert!(html.contains("id=\"no-findings\""), "{html}");
    assert!(html.contains("按记录重新起草"));
    // The back office's menu leads here.
    assert!(html.contains("href=\"/admin/report\""), "{html}");
    // The handler may edit but not publish: no publish form.
    assert!(!html.contains("id=\"publish-form\""));

    // A wrong total and a wrong count of applications typed into the prose: saved, and shown
    // inline as TXT-PARTS and TXT-TABLE in Chinese.
    let total = number_in(&one, "全年共主动公开政府信息", "条");
    let new = number_in(&one, "新收政府信息公开申请", "件");
    let wrong = one
        .replace(
            &format!("全年共主动公开政府信息{total}条"),
            "全年共主动公开政府信息1条",
        )
        .replace(
            &format!("新收政府信息公开申请{new}件"),
            &format!("新收政府信息公开申请{}件", new + 7),
        );
    let five = drafted.sections["5"].clone();
    let six = drafted.sections["6"].clone();
    let saved = post(
        &app,
        "/admin/report/2020/save",
        &handler,
        &[
            ("csrf", &handler_csrf),
            ("s1", &wrong),
            ("s5", &five),
            ("s6", &six),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let html = get(&app, "/admin/report/2020?msg=saved", &handler)
        .await
        .text();
    assert!(html.contains("data-rule=\"TXT-PARTS\""), "{html}");
    assert!(html.contains("data-rule=\"TXT-TABLE\""), "{html}");
    assert!(html.contains("超过总数"), "{html}");
    assert!(html.contains("而表三"), "{html}");
    assert!(html.contains("全年共主动公开政府信息1条"), "{html}");

    // Without the session's CSRF token nothing is saved.
    let forged = post(
        &app,
        "/admin/report/2020/save",
        &handler,
        &[("csrf", "forged"), ("s1", "篡改"), ("s5", ""), ("s6", "")],
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // Fixed, with an edited paragraph in section 五; the handler may not publish.
    let edited_five = "（一）编辑后的问题段落：个别单位更新不及时。";
    let saved = post(
        &app,
        "/admin/report/2020/save",
        &handler,
        &[
            ("csrf", &handler_csrf),
            ("s1", &one),
            ("s5", edited_five),
            ("s6", &six),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let html = get(&app, "/admin/report/2020", &handler).await.text();
    assert!(html.contains("id=\"no-findings\""), "{html}");
    assert_eq!(
        post(
            &app,
            "/admin/report/2020/publish",
            &handler,
            &[("csrf", &handler_csrf)]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    // Before publication the portal says the report is not yet published.
    let portal = get(&app, "/reports/2020", "").await.text();
    assert!(!portal.contains("编辑后的问题段落"));
    assert!(portal.contains("尚未发布"));

    // The head publishes; the portal shows the edited prose.
    let html = get(&app, "/admin/report/2020", &head).await.text();
    assert!(html.contains("id=\"publish-form\""));
    let published = post(
        &app,
        "/admin/report/2020/publish",
        &head,
        &[("csrf", &head_csrf)],
    )
    .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    let portal = get(&app, "/reports/2020", "").await;
    assert_eq!(portal.status, StatusCode::OK);
    let portal = portal.text();
    assert!(portal.contains("编辑后的问题段落"), "{portal}");
    assert!(portal.contains(&format!("全年共主动公开政府信息{total}条")));
    let html = get(&app, "/admin/report/2020", &head).await.text();
    assert!(html.contains("已由 fuzeren 于"), "{html}");
    // An application recorded after publication changes neither the published tables nor the
    // charts, which read the snapshot.
    let natural = drafted.requests[&gongkai_law::Table3Row::NewReceived][0].unwrap();
    let chart_cell = |n: i64| format!("自然人</th><td class=\"num\">{n}</td>");
    assert!(portal.contains(&chart_cell(natural)), "{portal}");
    gongkai_store::models::application::create(
        &fx.state.store,
        "test",
        &gongkai_store::models::NewApplication {
            agency_id: fx.county,
            tracking_no: Some("LATE-1".into()),
            channel: gongkai_law::Channel::InPerson,
            sent_on: None,
            arrived: chrono::NaiveDate::from_ymd_opt(2020, 9, 1).unwrap(),
            confirmed: None,
            applicant: gongkai_store::models::Applicant {
                kind: Some(gongkai_law::ApplicantKind::NaturalPerson),
                name: "补录申请人".into(),
                id_type: None,
                id_number: None,
                phone: None,
                email: None,
                address: None,
            },
            description: "补录".into(),
            document_number: None,
            delivery: "paper".into(),
            note: String::new(),
        },
    )
    .await
    .unwrap();
    let portal = get(&app, "/reports/2020", "").await.text();
    assert!(portal.contains(&chart_cell(natural)), "{portal}");
    // The API serves the same snapshot.
    let api: serde_json::Value =
        serde_json::from_slice(&get(&app, "/api/v1/reports/2020", "").await.body).unwrap();
    assert_eq!(api["sections"]["5"], edited_five);

    // 「按记录重新起草」 replaces the saved prose with the drafted one.
    let redrafted = post(
        &app,
        "/admin/report/2020/redraft",
        &handler,
        &[("csrf", &handler_csrf)],
    )
    .await;
    assert_eq!(redrafted.status, StatusCode::SEE_OTHER);
    let html = get(&app, "/admin/report/2020", &handler).await.text();
    assert!(!html.contains("编辑后的问题段落"));
    // … while the portal keeps the published snapshot.
    assert!(
        get(&app, "/reports/2020", "")
            .await
            .text()
            .contains("编辑后的问题段落")
    );

    // The files.
    for (format, content_type) in [
        (
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ] {
        let file = get(
            &app,
            &format!("/admin/report/2020/download?format={format}"),
            &handler,
        )
        .await;
        assert_eq!(file.status, StatusCode::OK, "{format}");
        assert_eq!(
            file.headers[header::CONTENT_TYPE].to_str().unwrap(),
            content_type
        );
        assert!(
            file.body.starts_with(b"PK") && file.body.len() > 1000,
            "{format}"
        );
    }
    assert_eq!(
        get(&app, "/admin/report/2020/download?format=pdf", &handler)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editor_on_sqlite() {
    let fx = common::fixture().await;
    walk(&fx).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editor_on_postgres() {
    let Some(fx) = common::fixture_pg("report_editor").await else {
        return;
    };
    walk(&fx).await;
    fx.cleanup().await;
}
