//! 复议 and 诉讼 against the office's replies (table 四): entered on the case page of the
//! application they contest (kind, 案号, the day the reconsideration body or court received
//! it, the result so far and its date), listed there and on `/admin/appeals` for the user's
//! subtree, where a pending case gets its result. The year's report counts them from the same
//! table (`gongkai_store::report`).
//!
//! [`Action::RecordAppeal`] (handler, head) in the case's agency scope, CSRF on every form,
//! one audited transaction per change in the store.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::NaiveDate;
use gongkai_store::auth::User;
use gongkai_store::models::Application;
use gongkai_store::models::appeal::{self, AppealCase, AppealKind, AppealResult, NewAppeal};
use gongkai_store::models::application;
use serde::Deserialize;

use super::access::{self, Action, Target};
use super::extract::{Done, Read, Write, act};
use super::frame;
use super::pages::Bar;
use crate::error::render;
use crate::{AppState, Page, PageError};

/// The routes, merged into the back office's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/appeals", get(list).post(enter))
        .route("/admin/appeals/{id}/decide", post(decide))
}

/// One case as a page shows it.
pub struct AppealView {
    /// Case id.
    pub id: i64,
    /// The application contested.
    pub application_id: i64,
    /// Its 申请编号 (the list page only).
    pub tracking_no: String,
    /// 案号.
    pub case_number: String,
    /// 复议 / 诉讼, in Chinese.
    pub kind: &'static str,
    /// 受理日期.
    pub filed_on: NaiveDate,
    /// The result, in Chinese.
    pub result: &'static str,
    /// Still 尚未审结.
    pub pending: bool,
    /// 审结日期, or empty.
    pub decided_on: String,
}

impl AppealView {
    fn of(c: &AppealCase, tracking_no: String) -> AppealView {
        let result = c.result;
        AppealView {
            id: c.id,
            application_id: c.application_id,
            tracking_no,
            case_number: c.case_number.clone(),
            kind: c.kind.label(),
            filed_on: c.filed_on,
            result: result.label(),
            pending: result == AppealResult::Pending,
            decided_on: c.decided_on.map_or_else(String::new, |d| d.to_string()),
        }
    }
}

/// A `<select>` option.
pub struct Choice {
    /// The value posted.
    pub value: &'static str,
    /// What the user reads.
    pub label: &'static str,
    /// The result 尚未审结 (offered when a case is entered, not when it is decided).
    pub pending: bool,
}

fn kinds() -> Vec<Choice> {
    AppealKind::ALL
        .into_iter()
        .map(|k| Choice {
            value: k.key(),
            label: k.label(),
            pending: false,
        })
        .collect()
}

fn results() -> Vec<Choice> {
    AppealResult::ALL
        .into_iter()
        .map(|r| Choice {
            value: r.key(),
            label: r.label(),
            pending: r == AppealResult::Pending,
        })
        .collect()
}

/// The 复议/诉讼 part of a case page: the cases of the application and, for those who may
/// enter one, the form.
pub struct CaseAppeals {
    /// The cases.
    pub lines: Vec<AppealView>,
    /// Whether the user may enter one.
    pub may_enter: bool,
    /// The kinds to choose from.
    pub kinds: Vec<Choice>,
    /// The results to choose from.
    pub results: Vec<Choice>,
}

/// The 复议/诉讼 part of the case page of `app` for `user`.
pub async fn for_case(
    state: &AppState,
    user: &User,
    app: &Application,
) -> Result<CaseAppeals, PageError> {
    let lines = appeal::for_application(&state.store, app.id)
        .await?
        .iter()
        .map(|c| AppealView::of(c, app.tracking_no.clone()))
        .collect();
    Ok(CaseAppeals {
        lines,
        may_enter: access::allowed(user.role, Action::RecordAppeal),
        kinds: kinds(),
        results: results(),
    })
}

fn parse_date(s: &str, what: &str) -> Result<NaiveDate, PageError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        PageError::unprocessable(format!("{what}格式不正确，应为“年-月-日”，如 2026-03-02。"))
    })
}

#[derive(Template)]
#[template(path = "admin/appeals.html")]
struct ListPage {
    page: Page,
    bar: Bar,
    lines: Vec<AppealView>,
    results: Vec<Choice>,
    today: NaiveDate,
    notice: &'static str,
}

/// The query of the list page.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    msg: Option<String>,
}

/// `GET /admin/appeals`: the cases of the user's subtree, the latest filed first.
pub async fn list(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::RecordAppeal>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let root = s.user().agency_id.unwrap_or(state.site.agency_id);
    access::require(
        &state,
        s.user(),
        Action::RecordAppeal,
        Target::Agency(Some(root)),
    )
    .await?;
    let lines = appeal::for_subtree(&state.store, root, 500)
        .await?
        .into_iter()
        .map(|l| AppealView::of(&l.case, l.tracking_no))
        .collect();
    let page = frame(
        &state,
        &headers,
        "/admin/appeals",
        "行政复议、行政诉讼",
        Some(s.user()),
    );
    Ok(render(&ListPage {
        page,
        bar: Bar::of(&state, &s).await?,
        lines,
        results: results(),
        today: s.settings.today(),
        notice: match q.msg.as_deref() {
            Some("decided") => "审结结果已记录。",
            _ => "",
        },
    }))
}

/// The entry form as posted (from the case page).
#[derive(Debug, Default, Deserialize)]
pub struct EnterForm {
    #[serde(default)]
    application: i64,
    #[serde(default)]
    case_number: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    filed_on: String,
    #[serde(default)]
    result: String,
    #[serde(default)]
    decided_on: String,
}

/// `POST /admin/appeals`: enters a case against an application of the user's scope.
pub async fn enter(
    State(state): State<AppState>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::RecordAppeal, EnterForm>,
) -> Result<Response, PageError> {
    // The role first, before any lookup: a refused role must not learn which ids exist.
    access::require(&state, s.user(), Action::RecordAppeal, Target::Unscoped).await?;
    let app = application::get(&state.store, f.application).await?;
    access::require(
        &state,
        s.user(),
        Action::RecordAppeal,
        Target::Agency(Some(app.agency_id)),
    )
    .await?;
    let kind =
        AppealKind::parse(&f.kind).ok_or_else(|| PageError::unprocessable("请选择案件类型。"))?;
    let result = AppealResult::parse(&f.result)
        .ok_or_else(|| PageError::unprocessable("请选择审理结果。"))?;
    let decided_on = if f.decided_on.trim().is_empty() {
        None
    } else {
        Some(parse_date(&f.decided_on, "审结日期")?)
    };
    let new = NewAppeal {
        application_id: app.id,
        case_number: f.case_number.trim().to_string(),
        kind,
        filed_on: parse_date(&f.filed_on, "受理日期")?,
        result,
        decided_on,
    };
    appeal::enter(&state.store, &s.user().name, &new).await?;
    Done::to(&format!("/admin/cases/{}", app.id), "appeal")
}

/// The result form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    result: String,
    #[serde(default)]
    decided_on: String,
}

/// `POST /admin/appeals/{id}/decide`: records the result of a pending case.
pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::RecordAppeal, DecideForm>,
) -> Result<Response, PageError> {
    // The role first, before any lookup: a refused role must not learn which ids exist.
    access::require(&state, s.user(), Action::RecordAppeal, Target::Unscoped).await?;
    let case = appeal::get(&state.store, id).await?;
    access::require(
        &state,
        s.user(),
        Action::RecordAppeal,
        Target::Agency(Some(case.agency_id)),
    )
    .await?;
    let result = AppealResult::parse(&f.result)
        .filter(|r| *r != AppealResult::Pending)
        .ok_or_else(|| PageError::unprocessable("请选择审结结果（维持、纠正或其他结果）。"))?;
    let on = parse_date(&f.decided_on, "审结日期")?;
    if on < case.filed_on {
        return Err(PageError::unprocessable(format!(
            "审结日期 {on} 早于受理日期 {}。",
            case.filed_on
        )));
    }
    appeal::decide(&state.store, &s.user().name, id, result, on).await?;
    Done::to("/admin/appeals", "decided")
}
