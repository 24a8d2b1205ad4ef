//! The supervision and registry pages through the back office's router on a temporary SQLite
//! store: records added through the forms, refused values shown next to their fields, the
//! roles (403 for the others, audited), CSRF, the quarter's 通报表扬 confirmed by the head,
//! a silent account flagged and the 备案 trail of an account.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use axum::Router;
use axum::http::{StatusCode, header};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use gongkai_store::audit;
use gongkai_store::auth::Role;
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::proactive_item::{self, DocType, NewItem};
use gongkai_store::models::{accountability, commendation, media_account, training};

use super::{AdminSettings, CookieSecurity};
use crate::AppState;
use crate::admin::test_support::{self as support, Answer};

/// 2026-04-01 09:00 Beijing: the first quarter of 2026 has just ended.
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
    dept: i64,
    town: i64,
    other: i64,
}

impl Fx {
    async fn new() -> Fx {
        let (store, dir) = support::store().await;
        let county = agency::ensure(
            &store,
            "t",
            "甲县人民政府",
            AgencyLevel::County,
            None,
            Some("11410000000000001A"),
        )
        .await
        .unwrap()
        .id;
        let dept = agency::ensure(
            &store,
            "t",
            "甲县教育局",
            AgencyLevel::Department,
            Some(county),
            Some("11410000000000002B"),
        )
        .await
        .unwrap()
        .id;
        let town = agency::ensure(
            &store,
            "t",
            "甲县城关镇人民政府",
            AgencyLevel::Township,
            Some(county),
            Some("11410000000000003C"),
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
            town,
            other,
        }
    }

    /// Creates a user of the county and signs it in: (cookie header, CSRF token).
    async fn user(&self, name: &str, role: Role) -> (String, String) {
        support::signed_in(&self.state, name, role, Some(self.county), now()).await
    }

    async fn get(&self, path: &str, cookie: &str) -> Answer {
        support::get(&self.app, path, cookie).await
    }

    async fn post(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Answer {
        support::post(&self.app, path, cookie, form).await
    }

    async fn denials(&self) -> usize {
        audit::recent(&self.state.store, 500)
            .await
            .unwrap()
            .iter()
            .filter(|e| e.action == "access.denied")
            .count()
    }
}

fn location(h: &header::HeaderMap) -> String {
    h.get(header::LOCATION)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

/// The text of the field error shown above the field `id`, if any.
fn field_error(html: &str, id: &str) -> Option<String> {
    let marker = format!("<p class=\"field-error\" id=\"err-{id}\">");
    let start = html.find(&marker)? + marker.len();
    let end = start + html[start..].find("</p>")?;
    Some(html[start..end].to_string())
}

#[tokio::test]
async fn supervision_records_assessment_and_commendation() {
    let fx = Fx::new().await;
    let (reviewer, r_csrf) = fx.user("shenhe", Role::Reviewer).await;
    let (head, h_csrf) = fx.user("fuzeren", Role::Head).await;
    let store = &fx.state.store;

    // Q1 2026: the department published on time (made 5 January, published the next day);
    // the township one item 30 working days late.
    for (agency_id, written, published) in [
        (fx.dept, d(2026, 1, 5), d(2026, 1, 6)),
        (fx.town, d(2026, 1, 5), d(2026, 3, 20)),
    ] {
        proactive_item::create(
            store,
            "t",
            &NewItem {
                agency_id,
                title: "考核样例".into(),
                summary: String::new(),
                publisher: "甲县".into(),
                written_on: Some(written),
                published_on: Some(published),
                doc_number: None,
                topic: String::new(),
                genre: String::new(),
                doc_type: DocType::Other,
                art20_item: None,
                unit: String::new(),
                status: gongkai_store::models::ItemStatus::Published,
            },
        )
        .await
        .unwrap();
    }

    // The reviewer records a training; a blank topic and a bad date are refused next to
    // their fields, with the other values kept.
    let (st, _, body) = fx
        .post(
            "/admin/supervision/trainings",
            &reviewer,
            &[
                ("csrf", &r_csrf),
                ("held_on", "2026-13-01"),
                ("topic", " "),
                ("attendees", "45"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_error(&body, "t_topic").as_deref(),
        Some("请填写培训主题。")
    );
    assert!(
        field_error(&body, "t_held_on")
            .unwrap()
            .contains("格式不正确")
    );
    assert!(field_error(&body, "t_attendees").is_none());
    assert!(body.contains("value=\"45\""), "kept value");
    let (st, h, _) = fx
        .post(
            "/admin/supervision/trainings",
            &reviewer,
            &[
                ("csrf", &r_csrf),
                ("held_on", "2026-03-12"),
                ("topic", "政务公开业务培训"),
                ("attendees", "45"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert_eq!(location(&h), "/admin/supervision?year=2026&msg=training");
    let (st, _, _) = fx
        .post(
            "/admin/supervision/inspections",
            &reviewer,
            &[
                ("csrf", &r_csrf),
                ("held_on", "2026-03-30"),
                ("scope", "第一季度网站检查"),
                ("findings", "两个栏目未更新"),
                ("fixes", "已更新"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    // A form without its CSRF token does nothing.
    let (st, _, _) = fx
        .post(
            "/admin/supervision/trainings",
            &reviewer,
            &[
                ("csrf", "forged"),
                ("held_on", "2026-03-13"),
                ("topic", "伪造"),
                ("attendees", "1"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let trainings = training::list(store, fx.county, d(2026, 1, 1), d(2026, 12, 31))
        .await
        .unwrap();
    assert_eq!(trainings.len(), 1);
    assert_eq!(trainings[0].attendees, 45);

    // The reviewer may neither record 责任追究 nor confirm 通报表扬: 403, audited.
    let before = fx.denials().await;
    let (st, _, _) = fx
        .post(
            "/admin/supervision/accountability",
            &reviewer,
            &[
                ("csrf", &r_csrf),
                ("decided_on", "2026-03-01"),
                ("unit", &fx.town.to_string()),
                ("person_role", "经办人员"),
                ("reason", "逾期公开"),
                ("measure", "约谈"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _, _) = fx
        .post(
            "/admin/supervision/commendations",
            &reviewer,
            &[("csrf", &r_csrf), ("year", "2026"), ("quarter", "1")],
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert_eq!(fx.denials().await, before + 2);

    // The page: the quarter just ended, the department qualifies, the township does not;
    // the reviewer sees no confirm button, the head does.
    let (st, _, body) = fx.get("/admin/supervision", &reviewer).await;
    assert_eq!(st, StatusCode::OK);
    assert!(body.contains("季度考核：2026年第一季度"), "{body}");
    assert!(body.contains("政务公开业务培训"));
    assert!(body.contains("2026年未出现因信息公开不到位进行责任追究的情况"));
    assert!(!body.contains("确认通报表扬</button>"));
    let (_, _, body) = fx.get("/admin/supervision", &head).await;
    assert!(body.contains("符合条件的单位共 1 个"), "{body}");
    assert!(body.contains("确认通报表扬</button>"));

    // The head records a case (the unit must be of the subtree) and confirms the 通报表扬.
    let (st, _, body) = fx
        .post(
            "/admin/supervision/accountability",
            &head,
            &[
                ("csrf", &h_csrf),
                ("decided_on", "2026-03-25"),
                ("unit", &fx.other.to_string()),
                ("person_role", "经办人员"),
                ("reason", "逾期公开"),
                ("measure", ""),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_error(&body, "c_unit").is_some());
    assert_eq!(
        field_error(&body, "c_measure").as_deref(),
        Some("请填写处理措施。")
    );
    let (st, _, _) = fx
        .post(
            "/admin/supervision/accountability",
            &head,
            &[
                ("csrf", &h_csrf),
                ("decided_on", "2026-03-25"),
                ("unit", &fx.town.to_string()),
                ("person_role", "信息公开工作经办人员"),
                ("reason", "应主动公开信息逾期公开"),
                ("measure", "约谈提醒"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    let cases = accountability::list(store, fx.county, d(2026, 1, 1), d(2026, 12, 31))
        .await
        .unwrap();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].agency_id, fx.town);
    // The current quarter cannot be confirmed before it ends.
    let (st, _, _) = fx
        .post(
            "/admin/supervision/commendations",
            &head,
            &[("csrf", &h_csrf), ("year", "2026"), ("quarter", "2")],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    let (st, h, _) = fx
        .post(
            "/admin/supervision/commendations",
            &head,
            &[("csrf", &h_csrf), ("year", "2026"), ("quarter", "1")],
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert_eq!(
        location(&h),
        "/admin/supervision?year=2026&quarter=1&msg=commended"
    );
    let listed = commendation::list(store, fx.county, 2026).await.unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|c| (c.unit_id, c.confirmed_by.as_str()))
            .collect::<Vec<_>>(),
        vec![(fx.dept, "fuzeren")]
    );
    let (_, _, body) = fx.get(&location(&h), &head).await;
    assert!(body.contains("第1季度：甲县教育局"), "{body}");
    assert!(body.contains("已通报表扬"));
    assert!(body.contains("信息公开工作经办人员"));
}

#[tokio::test]
async fn supervision_and_registry_refuse_other_roles() {
    let fx = Fx::new().await;
    let (editor, _) = fx.user("bianji", Role::Editor).await;
    let (handler, h_csrf) = fx.user("chengban", Role::Handler).await;
    let (head, _) = fx.user("fuzeren", Role::Head).await;
    let before = fx.denials().await;
    assert_eq!(
        fx.get("/admin/supervision", &editor).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        fx.get("/admin/supervision", &handler).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        fx.get("/admin/registry", &handler).await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        fx.get("/admin/registry", &head).await.0,
        StatusCode::FORBIDDEN
    );
    let (st, _, _) = fx
        .post(
            "/admin/supervision/trainings",
            &handler,
            &[
                ("csrf", &h_csrf),
                ("held_on", "2026-03-12"),
                ("topic", "越权"),
                ("attendees", "3"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _, _) = fx
        .post(
            "/admin/registry/accounts",
            &handler,
            &[
                ("csrf", &h_csrf),
                ("platform", "微博"),
                ("name", "越权"),
                ("account_id", "x"),
                ("owner", &fx.county.to_string()),
                ("operator", "x"),
                ("opened_on", "2026-01-01"),
                ("filing_no", "x"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert_eq!(fx.denials().await, before + 6);
    assert!(
        media_account::list(&fx.state.store, fx.county)
            .await
            .unwrap()
            .is_empty()
    );
    // The menu links the pages only for the roles that may open them.
    let (_, _, body) = fx.get("/admin", &editor).await;
    assert!(body.contains("href=\"/admin/registry\""));
    assert!(!body.contains("href=\"/admin/supervision\""));
    let (_, _, body) = fx.get("/admin", &head).await;
    assert!(body.contains("href=\"/admin/supervision\""));
    assert!(!body.contains("href=\"/admin/registry\""));
}

#[tokio::test]
async fn registry_flags_silent_accounts_and_files_events() {
    let fx = Fx::new().await;
    let (editor, csrf) = fx.user("bianji", Role::Editor).await;
    let owner = fx.dept.to_string();
    let post_account =
        |name: &'static str, id: &'static str, opened: &'static str, no: &'static str| {
            let form = [
                ("csrf", csrf.clone()),
                ("owner", owner.clone()),
                ("platform", "微信公众号".to_string()),
                ("name", name.to_string()),
                ("account_id", id.to_string()),
                ("operator", "甲县融媒体中心".to_string()),
                ("opened_on", opened.to_string()),
                ("filing_no", no.to_string()),
            ];
            let fx = &fx;
            let editor = editor.clone();
            async move {
                let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
                fx.post("/admin/registry/accounts", &editor, &form).await
            }
        };
    // Opened 20 March (12 days before 1 April): fresh. Opened 1 March: silent.
    let (st, h, _) = post_account("甲县教育", "jyj01", "2026-03-20", "JX-KS-2026-01").await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    assert_eq!(location(&h), "/admin/registry?msg=account");
    let (st, _, _) = post_account("甲县招生", "jyj02", "2026-03-01", "JX-KS-2026-02").await;
    assert_eq!(st, StatusCode::SEE_OTHER);
    // The same account id on the platform again: refused next to the account field.
    let (st, _, body) = post_account("重复", "jyj02", "2026-03-02", "JX-KS-2026-03").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        field_error(&body, "a_account_id")
            .unwrap()
            .contains("已登记")
    );
    // A future date and a blank filing number: refused next to their fields.
    let (st, _, body) = post_account("未来", "jyj03", "2026-05-01", "").await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_error(&body, "a_opened_on").as_deref(),
        Some("开设备案日期不能晚于今天。")
    );
    assert_eq!(
        field_error(&body, "a_filing_no").as_deref(),
        Some("请填写备案编号。")
    );

    let (st, _, body) = fx.get("/admin/registry", &editor).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(body.matches("超过两周未更新</strong>").count(), 1, "{body}");
    let row = |name: &str| {
        let i = body
            .find(&format!("<th scope=\"row\">{name}</th>"))
            .unwrap();
        let end = i + body[i..].find("</tr>").unwrap();
        body[i..end].to_string()
    };
    assert!(row("甲县招生").contains("超过两周未更新"));
    assert!(!row("甲县教育").contains("超过两周未更新"));
    assert!(row("甲县招生").contains("开设 2026-03-01（JX-KS-2026-02）"));
    assert!(body.contains("有 1 个账号超过两周未更新"));

    // 注销 the silent account: it is no longer flagged, and takes no more filings.
    let silent = media_account::list(&fx.state.store, fx.county)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.account_id == "jyj02")
        .unwrap()
        .id
        .to_string();
    let event = |kind: &'static str, no: &'static str| {
        vec![
            ("csrf", csrf.as_str()),
            ("account", silent.as_str()),
            ("kind", kind),
            ("filed_on", "2026-03-31"),
            ("filing_no", no),
            ("note", ""),
        ]
    };
    let (st, h, _) = fx
        .post(
            "/admin/registry/events",
            &editor,
            &event("close", "JX-ZX-2026-01"),
        )
        .await;
    assert_eq!(st, StatusCode::SEE_OTHER, "{h:?}");
    let (st, _, body) = fx
        .post(
            "/admin/registry/events",
            &editor,
            &event("change", "JX-BG-2026-01"),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_error(&body, "e_account").unwrap().contains("已注销"));
    let (st, _, body) = fx
        .post("/admin/registry/events", &editor, &event("", ""))
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_error(&body, "e_kind").as_deref(),
        Some("请选择备案类型。")
    );
    let (_, _, body) = fx.get("/admin/registry", &editor).await;
    assert_eq!(body.matches("超过两周未更新</strong>").count(), 0);
    assert!(body.contains("已注销"));
    assert!(body.contains("注销 2026-03-31（JX-ZX-2026-01）"));
    // Counts by platform: two 微信公众号, one open.
    assert!(
        body.contains("<th scope=\"row\">微信公众号</th><td>2</td><td>1</td>"),
        "{body}"
    );
    // An account of another county cannot be chosen.
    let foreign = media_account::register(
        &fx.state.store,
        "t",
        fx.other,
        "微博",
        "乙县发布",
        "yx01",
        "乙县",
        d(2026, 1, 1),
    )
    .await
    .unwrap()
    .to_string();
    let (st, _, body) = fx
        .post(
            "/admin/registry/events",
            &editor,
            &[
                ("csrf", &csrf),
                ("account", &foreign),
                ("kind", "close"),
                ("filed_on", "2026-03-31"),
                ("filing_no", "YX-ZX-1"),
            ],
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_error(&body, "e_account").as_deref(),
        Some("请选择账号。")
    );
    let log = audit::recent(&fx.state.store, 100).await.unwrap();
    assert_eq!(
        log.iter()
            .filter(|e| e.action == "media_account.register" && e.actor == "bianji")
            .count(),
        2
    );
    assert_eq!(
        log.iter()
            .filter(|e| e.action == "media_account.event" && e.actor == "bianji")
            .count(),
        1
    );
}

/// A form the extractor cannot read answers 422 naming the field, after the role and the CSRF
/// token passed; never a parse error for a role that may not post, never the parser's English.
#[tokio::test]
async fn a_malformed_form_is_refused_naming_its_field() {
    let fx = Fx::new().await;
    let (head, csrf) = fx.user("fuze.bad", Role::Head).await;
    let (status, _, body) = fx
        .post(
            "/admin/supervision/commendations",
            &head,
            &[("csrf", &csrf), ("year", "二〇二六"), ("quarter", "1")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("表单中「year」的内容格式不正确"), "{body}");
    assert!(!body.contains("invalid digit"), "{body}");
    let (editor, csrf) = fx.user("bianji.bad", Role::Editor).await;
    let (status, _, _) = fx
        .post(
            "/admin/supervision/commendations",
            &editor,
            &[("csrf", &csrf), ("year", "二〇二六")],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
