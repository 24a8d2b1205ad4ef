//! Issue 13 through the back office's router on a temporary SQLite store: every case
//! findable on 「全部申请」 and exported as the ledger (points 6), the deliberate reveal of
//! personal data (point 4, acceptance 3) and the fee notice (point 5, acceptance 4).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use gongkai_law::{Channel, Outcome};
use gongkai_store::auth::{self, NewUser, Role};
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::application::{self, Applicant, NewApplication};
use gongkai_store::{Store, audit};
use http_body_util::BodyExt;
use tower::ServiceExt;

use super::super::{AdminSettings, CookieSecurity, SESSION_COOKIE};
use crate::AppState;
use crate::admin::test_support::{self as support, Answer, PASSWORD};

/// 2026-12-07 09:00 Beijing.
fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 7, 1, 0, 0).single().unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(super) struct Fx {
    pub app: Router,
    pub state: AppState,
    _dir: tempfile::TempDir,
    pub county: i64,
    pub dept: i64,
    pub other: i64,
}

impl Fx {
    pub async fn new() -> Fx {
        let (store, dir) = support::store().await;
        let county = agency::ensure(&store, "t", "甲县人民政府", AgencyLevel::County, None, None)
            .await
            .unwrap()
            .id;
        let dept = agency::ensure(
            &store,
            "t",
            "甲县教育局",
            AgencyLevel::Department,
            Some(county),
            None,
        )
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
            dept,
            other,
        }
    }

    /// Creates a user and signs it in: (cookie header, CSRF token).
    pub async fn user(&self, name: &str, role: Role, agency_id: i64) -> (String, String) {
        support::signed_in(&self.state, name, role, Some(agency_id), now()).await
    }

    pub async fn get(&self, path: &str, cookie: &str) -> Answer {
        support::get(&self.app, path, cookie).await
    }

    pub async fn bytes(&self, path: &str, cookie: &str) -> (StatusCode, Vec<u8>) {
        let req = Request::get(path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let st = resp.status();
        (
            st,
            resp.into_body()
                .collect()
                .await
                .unwrap()
                .to_bytes()
                .to_vec(),
        )
    }

    pub async fn post(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Answer {
        support::post(&self.app, path, cookie, form).await
    }

    /// An application with contact data, as the public form stores it.
    pub async fn apply(
        &self,
        agency_id: i64,
        name: &str,
        arrived: NaiveDate,
    ) -> application::Application {
        application::create(
            &self.state.store,
            "test",
            &NewApplication {
                agency_id,
                tracking_no: None,
                channel: Channel::Online,
                sent_on: None,
                arrived,
                confirmed: Some(arrived),
                applicant: Applicant {
                    kind: None,
                    name: name.into(),
                    id_type: Some("居民身份证".into()),
                    id_number: Some("11010519491231002X".into()),
                    phone: Some("13912345678".into()),
                    email: Some("wang.applicant@example.cn".into()),
                    address: Some("甲县人民路88号3单元".into()),
                },
                description: format!("{name}申请的文件"),
                document_number: None,
                delivery: "electronic".into(),
                note: String::new(),
            },
        )
        .await
        .unwrap()
    }
}

pub(super) async fn audit_count(store: &Store, action: &str) -> usize {
    audit::recent(store, 1000)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.action == action)
        .count()
}

#[tokio::test]
async fn every_case_is_findable_and_the_ledger_exports_what_is_listed() {
    let fx = Fx::new().await;
    let (handler, _) = fx.user("承办人甲", Role::Handler, fx.county).await;
    let replied = fx.apply(fx.county, "王某", d(2026, 3, 2)).await;
    application::reply(
        &fx.state.store,
        "t",
        replied.id,
        d(2026, 3, 20),
        Outcome::Disclosed,
    )
    .await
    .unwrap();
    let open = fx.apply(fx.dept, "李某", d(2026, 11, 30)).await;
    let late = fx.apply(fx.county, "赵某", d(2026, 9, 1)).await;
    let elsewhere = fx.apply(fx.other, "钱某", d(2026, 9, 1)).await;

    // The desk of open cases no longer holds the answered one; 全部申请 does.
    let (st, _, desk) = fx.get("/admin/cases", &handler).await;
    assert_eq!(st, StatusCode::OK);
    assert!(!desk.contains(&replied.tracking_no));
    assert!(desk.contains("/admin/cases/all"));
    let (st, _, all) = fx.get("/admin/cases/all", &handler).await;
    assert_eq!(st, StatusCode::OK, "{all}");
    for app in [&replied, &open, &late] {
        assert!(all.contains(&app.tracking_no), "{} listed", app.tracking_no);
    }
    assert!(
        !all.contains(&elsewhere.tracking_no),
        "another county's case"
    );
    assert!(all.contains("予以公开"));
    assert!(!all.contains("13912345678"), "no personal data on the list");

    let (_, _, found) = fx.get("/admin/cases/all?status=concluded", &handler).await;
    assert!(found.contains(&replied.tracking_no) && !found.contains(&open.tracking_no));
    let (_, _, found) = fx.get("/admin/cases/all?overdue=1", &handler).await;
    assert!(
        found.contains(&late.tracking_no) && !found.contains(&open.tracking_no),
        "{found}"
    );
    let (_, _, found) = fx
        .get(
            &format!("/admin/cases/all?q={}", support::urlencode("李")),
            &handler,
        )
        .await;
    assert!(found.contains(&open.tracking_no) && !found.contains(&late.tracking_no));
    assert!(found.contains("id=\"case-total\">1<"));
    let (_, _, found) = fx.get("/admin/cases/all?year=2025", &handler).await;
    assert!(found.contains("id=\"no-cases\""));
    // A value not on offer is ignored, never an error.
    let (st, _, _) = fx
        .get("/admin/cases/all?status=%27%3B&page=-3&year=x", &handler)
        .await;
    assert_eq!(st, StatusCode::OK);

    // The export of the same filter: an XLSX the ledger import reads back.
    let (st, bytes) = fx
        .bytes("/admin/cases/ledger.xlsx?status=concluded", &handler)
        .await;
    assert_eq!(st, StatusCode::OK);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.xlsx");
    std::fs::write(&path, bytes).unwrap();
    let rows = gongkai_store::ledger::read_ledger(&path).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].tracking_no, replied.tracking_no);
    assert_eq!(rows[0].reply, Some((d(2026, 3, 20), Outcome::Disclosed)));
    assert_eq!(rows[0].channel, Channel::Online);

    // Other roles: 403 before anything is read.
    let (editor, _) = fx.user("信息员甲", Role::Editor, fx.county).await;
    assert_eq!(
        fx.get("/admin/cases/all", &editor).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        fx.bytes("/admin/cases/ledger.xlsx", &editor).await.0,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn revealing_personal_data_is_deliberate_owned_and_audited() {
    let fx = Fx::new().await;
    let app = fx.apply(fx.county, "王某", d(2026, 12, 1)).await;
    let dept_app = fx.apply(fx.dept, "李某", d(2026, 12, 1)).await;
    let (handler, csrf) = fx.user("承办人甲", Role::Handler, fx.county).await;
    let path = format!("/admin/cases/{}/reveal", app.id);

    // The case page names the delivery chosen; the delivery page masks everything.
    let (_, _, case) = fx.get(&format!("/admin/cases/{}", app.id), &handler).await;
    assert!(case.contains("电子数据（电子邮件等）"), "{case}");
    let (st, h, masked) = fx
        .get(&format!("/admin/cases/{}/delivery", app.id), &handler)
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(h[header::CACHE_CONTROL], "no-store");
    for clear in [
        "13912345678",
        "11010519491231002X",
        "wang.applicant@example.cn",
        "人民路88号",
    ] {
        assert!(!masked.contains(clear), "{clear} masked");
    }
    assert!(masked.contains("139****5678") && masked.contains("w***@example.cn"));

    // No reason: refused next to the field, nothing opened, nothing audited.
    let (st, _, page) = fx
        .post(&path, &handler, &[("csrf", &csrf), ("reason", "  ")])
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("id=\"reveal-error\"") && !page.contains("13912345678"));
    assert_eq!(
        audit_count(&fx.state.store, "application.reveal_contact").await,
        0
    );
    // A forged form without the CSRF token changes nothing either.
    let (st, _, _) = fx.post(&path, &handler, &[("reason", "核对")]).await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    // With a reason: in clear, and the audit log names who, which case and why.
    let (st, _, page) = fx
        .post(
            &path,
            &handler,
            &[("csrf", &csrf), ("reason", "邮寄答复书需核对地址")],
        )
        .await;
    assert_eq!(st, StatusCode::OK, "{page}");
    for clear in [
        "13912345678",
        "11010519491231002X",
        "wang.applicant@example.cn",
        "甲县人民路88号3单元",
    ] {
        assert!(page.contains(clear), "{clear} shown");
    }
    let log = audit::recent(&fx.state.store, 50).await.unwrap();
    let entry = log
        .iter()
        .find(|e| e.action == "application.reveal_contact")
        .unwrap();
    assert_eq!(entry.actor, "承办人甲");
    assert_eq!(entry.entity_id, app.id.to_string());
    assert!(entry.detail.contains("邮寄答复书需核对地址"));
    assert!(
        !entry.detail.contains("13912345678"),
        "the log holds the reason, not the data"
    );

    // The head of the owning agency may too.
    let (head, head_csrf) = fx.user("负责人甲", Role::Head, fx.county).await;
    let (st, _, _) = fx
        .post(
            &path,
            &head,
            &[("csrf", &head_csrf), ("reason", "审批答复")],
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        audit_count(&fx.state.store, "application.reveal_contact").await,
        2
    );

    // Other roles of the same agency, another county, and the county above a department's
    // case: 403, audited as refusals, nothing opened.
    let denied_before = audit_count(&fx.state.store, "access.denied").await;
    let (editor, e_csrf) = fx.user("信息员甲", Role::Editor, fx.county).await;
    let (reviewer, r_csrf) = fx.user("审核人甲", Role::Reviewer, fx.county).await;
    let (stranger, s_csrf) = fx.user("承办人乙", Role::Handler, fx.other).await;
    let dept_path = format!("/admin/cases/{}/reveal", dept_app.id);
    for (cookie, token, p) in [
        (&editor, &e_csrf, &path),
        (&reviewer, &r_csrf, &path),
        (&stranger, &s_csrf, &path),
        (&handler, &csrf, &dept_path),
        (&head, &head_csrf, &dept_path),
    ] {
        let (st, _, body) = fx
            .post(p, cookie, &[("csrf", token), ("reason", "查看")])
            .await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{p}");
        assert!(!body.contains("13912345678"));
    }
    assert_eq!(
        audit_count(&fx.state.store, "access.denied").await,
        denied_before + 5
    );
    assert_eq!(
        audit_count(&fx.state.store, "application.reveal_contact").await,
        2
    );
    // The county reads the department's case masked, without the reveal form.
    let (st, _, page) = fx
        .get(&format!("/admin/cases/{}/delivery", dept_app.id), &handler)
        .await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("reveal-not-allowed") && !page.contains("reveal-form"));
    // The department's own handler may.
    let (dept_handler, d_csrf) = fx.user("承办人丙", Role::Handler, fx.dept).await;
    let (st, _, _) = fx
        .post(
            &dept_path,
            &dept_handler,
            &[("csrf", &d_csrf), ("reason", "电话告知")],
        )
        .await;
    assert_eq!(st, StatusCode::OK);
}

/// The text of a PDF, by pdftotext (poppler-utils, installed by scripts/test).
fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

#[tokio::test]
async fn fee_notices_state_the_band_and_the_applicant_sees_them() {
    let fx = Fx::new().await;
    let (handler, csrf) = fx.user("承办人甲", Role::Handler, fx.county).await;
    let (head, _) = fx.user("负责人甲", Role::Head, fx.county).await;
    // 31 applications of one applicant in December: the 11th and the 31st are charged by the
    // request; four others by the page.
    let mut apps = Vec::new();
    for i in 0..31u32 {
        apps.push(fx.apply(fx.county, "王某", d(2026, 12, 1 + i % 5)).await);
    }
    let mut by_n = std::collections::BTreeMap::new();
    for a in &apps {
        by_n.insert(
            gongkai_store::models::case_fee::request_ordinal(&fx.state.store, a.id)
                .await
                .unwrap(),
            a.clone(),
        );
    }
    let how = "现场缴纳：甲县政务服务中心一楼收费窗口";
    let cases: [(u32, &str, u32, u64); 6] = [
        (11, "per_request", 11, 100),
        (31, "per_request", 31, 200),
        (1, "per_page", 31, 10),
        (2, "per_page", 100, 700),
        (3, "per_page", 101, 720),
        (4, "per_page", 201, 2_740),
    ];
    for (n, method, quantity, yuan) in cases {
        let app = &by_n[&n];
        let q = quantity.to_string();
        let (st, _, body) = fx
            .post(
                &format!("/admin/cases/{}/fee/notice", app.id),
                &handler,
                &[
                    ("csrf", &csrf),
                    ("method", method),
                    ("quantity", &q),
                    ("how_to_pay", how),
                    ("on", "2026-12-07"),
                ],
            )
            .await;
        assert_eq!(st, StatusCode::SEE_OTHER, "{method} {quantity}: {body}");
        // The letter states the basis, the quantity and the amount.
        let (st, _, letter) = fx
            .get(&format!("/admin/cases/{}/fee/notice", app.id), &head)
            .await;
        assert_eq!(st, StatusCode::OK);
        assert!(
            letter.contains(&format!("收费金额为人民币{yuan}元")),
            "{method} {quantity}: {letter}"
        );
        let article = if method == "per_page" {
            "第五条"
        } else {
            "第四条"
        };
        assert!(letter.contains(article) && letter.contains("国办函〔2020〕109号"));
        assert!(letter.contains(how) && !letter.contains("。。"));
        let (st, pdf) = fx
            .bytes(
                &format!("/admin/cases/{}/fee/notice?format=pdf", app.id),
                &handler,
            )
            .await;
        assert_eq!(st, StatusCode::OK);
        let text: String = pdf_text(&pdf).split_whitespace().collect();
        assert!(text.contains(&format!("人民币{yuan}元")), "{text}");
        assert!(text.contains("政府信息公开信息处理费收费通知书"));
    }
    // Free bands are refused with the reason, next to nothing sent: the 10th request, 30 pages.
    for (n, method, quantity) in [(10u32, "per_request", "10"), (5, "per_page", "30")] {
        let app = &by_n[&n];
        let (st, _, body) = fx
            .post(
                &format!("/admin/cases/{}/fee/notice", app.id),
                &handler,
                &[
                    ("csrf", &csrf),
                    ("method", method),
                    ("quantity", quantity),
                    ("how_to_pay", how),
                    ("on", "2026-12-07"),
                ],
            )
            .await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            body.contains("不收费") && body.contains("id=\"fee-error\""),
            "{body}"
        );
    }
    // Never both: the 11th, charged by the request, cannot be charged by the page.
    let eleventh = &by_n[&11];
    let (st, _, body) = fx
        .post(
            &format!("/admin/cases/{}/fee/notice", eleventh.id),
            &handler,
            &[
                ("csrf", &csrf),
                ("method", "per_page"),
                ("quantity", "150"),
                ("how_to_pay", how),
                ("on", "2026-12-07"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("不得同时按件和按量"));

    // The applicant sees the notice with the tracking number and query code.
    let view = crate::apply::track_view(&fx.state, &eleventh.tracking_no, &eleventh.query_code)
        .await
        .unwrap()
        .unwrap();
    let fee = view.fee.expect("the fee on /track");
    assert_eq!((fee.amount_yuan, fee.method), (100, "按件计收"));
    assert!(fee.pay_by.is_some() && fee.paid_on.is_none());
    assert_eq!(view.status.key(), "awaiting_fee");

    // The head reads but does not record; the handler records the payment.
    let pay = format!("/admin/cases/{}/fee/payment", eleventh.id);
    let (st, _, _) = fx
        .post(
            &pay,
            &head,
            &[("on", "2026-12-10"), ("amount", "100"), ("receipt_no", "X")],
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _, body) = fx
        .post(
            &pay,
            &handler,
            &[
                ("csrf", &csrf),
                ("on", "2026-12-10"),
                ("amount", "90"),
                ("receipt_no", "豫财 001"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("100"));
    let (st, _, _) = fx
        .post(
            &pay,
            &handler,
            &[
                ("csrf", &csrf),
                ("on", "2026-12-10"),
                ("amount", "100"),
                ("receipt_no", "豫财 001"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let view = crate::apply::track_view(&fx.state, &eleventh.tracking_no, &eleventh.query_code)
        .await
        .unwrap()
        .unwrap();
    let fee = view.fee.unwrap();
    assert_eq!(
        (fee.paid_on, fee.receipt_no.as_deref()),
        (Some(d(2026, 12, 10)), Some("豫财 001"))
    );
    // The generic event form no longer takes a fee without its facts.
    let (st, _, _) = fx
        .post(
            &format!("/admin/cases/{}/events", by_n[&12].id),
            &handler,
            &[
                ("csrf", &csrf),
                ("kind", "fee_notice"),
                ("on", "2026-12-07"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_posted_reply_is_served_when_signed_for() {
    let fx = Fx::new().await;
    let (handler, csrf) = fx.user("承办人甲", Role::Handler, fx.county).await;
    let (head, head_csrf) = fx.user("负责人甲", Role::Head, fx.county).await;
    let app = fx.apply(fx.county, "王某", d(2026, 11, 2)).await;
    let mailed = format!("/admin/cases/{}/delivery/mailed", app.id);
    let signed = format!("/admin/cases/{}/delivery/signed", app.id);
    let page = format!("/admin/cases/{}/delivery", app.id);
    // Nothing to deliver before the reply.
    let (st, _, body) = fx
        .post(
            &mailed,
            &handler,
            &[
                ("csrf", &csrf),
                ("on", "2026-11-20"),
                ("postal_tracking_no", "EA123456789CN"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"delivery-error\"") && body.contains("尚未答复"));
    application::reply(
        &fx.state.store,
        "t",
        app.id,
        d(2026, 11, 20),
        Outcome::Disclosed,
    )
    .await
    .unwrap();
    // Signed before it was posted: refused; the head may not record.
    let (st, _, _) = fx
        .post(&signed, &handler, &[("csrf", &csrf), ("on", "2026-11-22")])
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (st, _, _) = fx
        .post(
            &mailed,
            &head,
            &[
                ("csrf", &head_csrf),
                ("on", "2026-11-20"),
                ("postal_tracking_no", "X"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _, _) = fx
        .post(
            &mailed,
            &handler,
            &[
                ("csrf", &csrf),
                ("on", "2026-11-20"),
                ("postal_tracking_no", " "),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (st, _, _) = fx
        .post(
            &mailed,
            &handler,
            &[
                ("csrf", &csrf),
                ("on", "2026-11-21"),
                ("postal_tracking_no", "EA123456789CN"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (st, _, _) = fx
        .post(&signed, &handler, &[("csrf", &csrf), ("on", "2026-11-20")])
        .await;
    assert_eq!(
        st,
        StatusCode::UNPROCESSABLE_ENTITY,
        "signed before it was mailed"
    );
    let (st, _, _) = fx
        .post(&signed, &handler, &[("csrf", &csrf), ("on", "2026-11-24")])
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let (_, _, body) = fx.get(&page, &head).await;
    assert!(
        body.contains("EA123456789CN") && body.contains("2026-11-24（申请人签收）"),
        "{body}"
    );
    // Served once: no second signature, no re-mailing, and the audit log has each step.
    let (st, _, _) = fx
        .post(&signed, &handler, &[("csrf", &csrf), ("on", "2026-11-25")])
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(audit_count(&fx.state.store, "delivery.mailed").await, 1);
    assert_eq!(audit_count(&fx.state.store, "delivery.served").await, 1);
    // A download after that changes nothing.
    let first = gongkai_store::models::case_delivery::record_download(
        &fx.state.store,
        app.id,
        d(2026, 11, 30),
    )
    .await
    .unwrap();
    assert!(!first);
}

fn multipart(fields: &[(&str, &str)], file: (&str, &[u8])) -> (String, Vec<u8>) {
    let boundary = "----gongkaiTestBoundary7MA4YWxk";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
            file.0
        )
        .as_bytes(),
    );
    body.extend_from_slice(file.1);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn a_released_copy_withholds_the_marked_passages_and_logs_them() {
    let fx = Fx::new().await;
    // The upload lives on the site's router (its own body limit), with the real clock.
    let site = crate::router(fx.state.clone());
    auth::create_user(
        &fx.state.store,
        "cli",
        &NewUser {
            name: "承办人甲".into(),
            role: Role::Handler,
            agency_id: Some(fx.county),
        },
        PASSWORD,
        Utc::now(),
    )
    .await
    .unwrap();
    let s = auth::login(&fx.state.store, "承办人甲", PASSWORD, Utc::now())
        .await
        .unwrap();
    let cookie = format!("{SESSION_COOKIE}={}", s.token.as_str());
    let app = fx.apply(fx.county, "王某", d(2026, 12, 1)).await;
    let text = "被征收人张三，身份证号11010519491231002X，联系电话13912345678。\n补偿标准为每平方米3000元。\n内部讨论意见：拟压低补偿标准。\n";
    let send = |fields: Vec<(&'static str, String)>| {
        let site = site.clone();
        let cookie = cookie.clone();
        let csrf = s.csrf.clone();
        let path = format!("/admin/cases/{}/releases", app.id);
        async move {
            let mut f: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
            f.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
            let (ct, body) = multipart(&f, ("说明.txt", text.as_bytes()));
            let req = Request::post(path)
                .header(header::COOKIE, cookie)
                .header(header::CONTENT_TYPE, ct)
                .body(Body::from(body))
                .unwrap();
            support::send(&site, req).await
        }
    };
    // A passage not in the file is refused with the line named.
    let (st, _, body) = send(vec![("passages", "不存在的话|十六|过程性信息".into())]).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("第1行"));
    let (st, _, body) = send(vec![
        ("passages", "拟压低补偿标准|第十六条|属于过程性信息".into()),
        ("premark", "1".into()),
    ])
    .await;
    assert_eq!(st, StatusCode::SEE_OTHER, "{body}");
    let (_, _, page) = fx
        .get(&format!("/admin/cases/{}/releases", app.id), &cookie)
        .await;
    assert!(
        page.contains("说明（公开版）.txt") && page.contains("属于过程性信息"),
        "{page}"
    );
    assert!(page.contains("《条例》第十六条") && page.contains("涉及个人隐私（手机号码）"));
    for withheld in ["11010519491231002X", "13912345678", "拟压低补偿标准"] {
        assert!(
            !page.contains(withheld),
            "the log shows no withheld text: {withheld}"
        );
    }
    let releases = gongkai_store::models::case_release::list(&fx.state.store, app.id)
        .await
        .unwrap();
    assert_eq!(releases[0].log.len(), 3);
    let (st, bytes) = fx
        .bytes(
            &format!("/admin/cases/{}/releases/{}", app.id, releases[0].id),
            &cookie,
        )
        .await;
    assert_eq!(st, StatusCode::OK);
    let copy = String::from_utf8(bytes).unwrap();
    assert!(
        copy.contains("补偿标准为每平方米3000元")
            && !copy.contains("13912345678")
            && !copy.contains("拟压低")
    );
    // Another role may not release.
    let (editor, e_csrf) = fx.user("信息员甲", Role::Editor, fx.county).await;
    let (ct, body) = multipart(&[("csrf", &e_csrf)], ("说明.txt", text.as_bytes()));
    let req = Request::post(format!("/admin/cases/{}/releases", app.id))
        .header(header::COOKIE, editor)
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from(body))
        .unwrap();
    assert_eq!(support::send(&site, req).await.0, StatusCode::FORBIDDEN);
}
