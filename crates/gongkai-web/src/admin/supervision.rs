//! The supervision page of the back office (`/admin/supervision`, 监督考核): training sessions,
//! internal inspections and accountability cases (each listed by year with a form to add
//! one), the quarterly assessment of the 县直部门 and 乡镇 computed from their records, and the
//! head's 「确认通报表扬」 of the units that qualify.
//!
//! Who may do what is in [`access`]: 审核人 and 负责人 record trainings and inspections, only the
//! 负责人 records 责任追究 and confirms 通报表扬, the 上级政务公开办 reads. Every form carries the
//! session's CSRF token; a refused value is shown next to its field, with the values kept.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{Datelike, NaiveDate};
use gongkai_store::StoreError;
use gongkai_store::models::accountability::{self, NewCase};
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::commendation::{self, Commendation};
use gongkai_store::models::{Inspection, Training, inspection, training};
use gongkai_store::views::supervision::{self as views, Quarter};
use serde::Deserialize;

use super::access::{self, Action, Target};
use super::extract::{Done, Read, Write, act};
use super::pages::Bar;
use super::{AdminSession, frame};
use crate::error::render;
use crate::{AppState, Page, PageError};

/// The page's routes, merged into the back office's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/supervision", get(page))
        .route("/admin/supervision/trainings", post(add_training))
        .route("/admin/supervision/inspections", post(add_inspection))
        .route("/admin/supervision/accountability", post(add_case))
        .route("/admin/supervision/commendations", post(confirm))
}

/// The agency whose records the page shows: the user's, or the site's for a user of the
/// whole tree.
fn root(state: &AppState, s: &AdminSession) -> i64 {
    s.user().agency_id.unwrap_or(state.site.agency_id)
}

/// The page's query: the year of the lists and the quarter of the assessment.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    quarter: Option<u32>,
    #[serde(default)]
    msg: Option<String>,
}

/// The training form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TrainingForm {
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    attendees: String,
}

/// The inspection form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct InspectionForm {
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    findings: String,
    #[serde(default)]
    fixes: String,
}

/// The accountability form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CaseForm {
    #[serde(default)]
    decided_on: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    person_role: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    measure: String,
}

/// The 确认通报表扬 form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    year: i32,
    #[serde(default)]
    quarter: u32,
}

/// One accountability case as listed.
struct CaseRow {
    decided_on: NaiveDate,
    unit: String,
    person_role: String,
    reason: String,
    measure: String,
}

/// One unit of the assessment table.
struct UnitRow {
    name: String,
    level: &'static str,
    items: i64,
    publish: String,
    replies: i64,
    reply: String,
    qualifies: bool,
    commended: bool,
}

#[derive(Template)]
#[template(path = "admin/supervision.html")]
struct SupervisionPage {
    page: Page,
    bar: Bar,
    year: i32,
    quarter: u32,
    quarter_label: String,
    quarter_over: bool,
    may_record: bool,
    may_account: bool,
    may_commend: bool,
    trainings: Vec<Training>,
    inspections: Vec<Inspection>,
    cases: Vec<CaseRow>,
    units: Vec<UnitRow>,
    qualifying: usize,
    commendations: Vec<Commendation>,
    unit_options: Vec<(i64, String)>,
    training: TrainingForm,
    inspection: InspectionForm,
    case: CaseForm,
    errors: Vec<(&'static str, String)>,
    message: &'static str,
}

impl SupervisionPage {
    /// The error of a field (by its id), or "".
    fn error(&self, field: &str) -> &str {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, m)| m.as_str())
    }
}

fn message(msg: Option<&str>) -> &'static str {
    match msg {
        Some("training") => "培训记录已保存。",
        Some("inspection") => "检查记录已保存。",
        Some("case") => "责任追究记录已保存。",
        Some("commended") => "已确认本季度通报表扬名单。",
        _ => "",
    }
}

fn percent(p: Option<f64>) -> String {
    match p {
        Some(v) => format!("{v:.1}%"),
        None => "—".to_string(),
    }
}

/// What a re-rendered page keeps: the posted form and its errors.
#[derive(Default)]
struct Posted {
    training: TrainingForm,
    inspection: InspectionForm,
    case: CaseForm,
    errors: Vec<(&'static str, String)>,
}

#[allow(clippy::too_many_arguments)]
async fn build(
    state: &AppState,
    s: &AdminSession,
    headers: &HeaderMap,
    year: i32,
    quarter: Quarter,
    posted: Posted,
    message: &'static str,
) -> Result<SupervisionPage, PageError> {
    let user = s.user();
    let root = root(state, s);
    let today = s.settings.today();
    let records = views::year(&state.store, root, year).await?;
    let names: std::collections::HashMap<i64, String> = agency::list(&state.store)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let subtree = agency::subtree_ids(&state.store, root).await?;
    let unit_options = subtree
        .iter()
        .filter_map(|id| names.get(id).map(|n| (*id, n.clone())))
        .collect();
    let assessment = views::assessment(&state.store, root, quarter, today).await?;
    let units: Vec<UnitRow> = assessment
        .iter()
        .map(|u| UnitRow {
            name: u.name.clone(),
            level: match u.level {
                AgencyLevel::Township => "乡镇",
                _ => "县直部门",
            },
            items: u.items,
            publish: percent(u.publish_percent()),
            replies: u.replies,
            reply: if u.replies == 0 {
                "无到期申请".to_string()
            } else {
                percent(u.reply_percent())
            },
            qualifies: u.qualifies(),
            commended: u.commended,
        })
        .collect();
    let qualifying = assessment.iter().filter(|u| u.qualifies()).count();
    let bar = Bar::of(state, s).await?;
    let cases = records
        .accountability
        .into_iter()
        .map(|c| CaseRow {
            decided_on: c.decided_on,
            unit: names.get(&c.agency_id).cloned().unwrap_or_default(),
            person_role: c.person_role,
            reason: c.reason,
            measure: c.measure,
        })
        .collect();
    Ok(SupervisionPage {
        page: frame(state, headers, "/admin/supervision", "监督考核", Some(user)),
        bar,
        year,
        quarter: quarter.quarter,
        quarter_label: quarter.label(),
        quarter_over: quarter.last_day() < today,
        may_record: access::allowed(user.role, Action::RecordSupervision),
        may_account: access::allowed(user.role, Action::RecordAccountability),
        may_commend: access::allowed(user.role, Action::ConfirmCommendation),
        trainings: records.trainings,
        inspections: records.inspections,
        cases,
        units,
        qualifying,
        commendations: records.commendations,
        unit_options,
        training: posted.training,
        inspection: posted.inspection,
        case: posted.case,
        errors: posted.errors,
        message,
    })
}

/// The quarter asked for, or the one before the current (the last that can be assessed).
fn pick_quarter(s: &AdminSession, year: Option<i32>, quarter: Option<u32>) -> Quarter {
    let today = s.settings.today();
    let current = Quarter::of(today);
    let last_done = Quarter::of(current.first_day().pred_opt().unwrap_or(today));
    match (year, quarter) {
        (Some(y), Some(q)) => Quarter::new(y, q).unwrap_or(last_done),
        (Some(y), None) => Quarter::new(y, 4).unwrap_or(last_done),
        _ => last_done,
    }
}

/// `GET /admin/supervision`.
pub async fn page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ViewSupervision>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    access::require(
        &state,
        s.user(),
        Action::ViewSupervision,
        Target::Agency(Some(root(&state, &s))),
    )
    .await?;
    let quarter = pick_quarter(&s, q.year, q.quarter);
    let year = q.year.unwrap_or(quarter.year);
    let page = build(
        &state,
        &s,
        &headers,
        year,
        quarter,
        Posted::default(),
        message(q.msg.as_deref()),
    )
    .await?;
    Ok(render(&page))
}

/// Re-renders the page with the posted values and their errors (422).
async fn refused(
    state: &AppState,
    s: &AdminSession,
    headers: &HeaderMap,
    year: i32,
    posted: Posted,
) -> Result<Response, PageError> {
    let quarter = pick_quarter(s, Some(year), None);
    let page = build(state, s, headers, year, quarter, posted, "").await?;
    let mut resp = render(&page);
    *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(resp)
}

/// Reads a date field: 「请填写…」 when blank, 「…格式不正确」 when unreadable.
fn date_field(
    value: &str,
    field: &'static str,
    what: &str,
    errors: &mut Vec<(&'static str, String)>,
) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        errors.push((field, format!("请填写{what}。")));
        return None;
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) if (2000..=2100).contains(&d.year()) => Some(d),
        _ => {
            errors.push((
                field,
                format!("{what}格式不正确，应为“年-月-日”，如 2020-05-12。"),
            ));
            None
        }
    }
}

/// Checks a required text field (trimmed, at most `max` characters).
fn text_field(
    value: &str,
    field: &'static str,
    what: &str,
    max: usize,
    errors: &mut Vec<(&'static str, String)>,
) {
    let v = value.trim();
    if v.is_empty() {
        errors.push((field, format!("请填写{what}。")));
    } else if v.chars().count() > max {
        errors.push((field, format!("{what}不能超过{max}个字。")));
    }
}

fn back(year: i32, msg: &str) -> Response {
    Redirect::to(&format!("/admin/supervision?year={year}&msg={msg}")).into_response()
}

/// `POST /admin/supervision/trainings`.
pub async fn add_training(
    State(state): State<AppState>,
    headers: HeaderMap,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::RecordSupervision, TrainingForm>,
) -> Result<Response, PageError> {
    let root = root(&state, &s);
    access::require(
        &state,
        s.user(),
        Action::RecordSupervision,
        Target::Agency(Some(root)),
    )
    .await?;
    let mut errors = Vec::new();
    let held_on = date_field(&f.held_on, "t_held_on", "培训日期", &mut errors);
    text_field(&f.topic, "t_topic", "培训主题", 200, &mut errors);
    let attendees = match f.attendees.trim().parse::<i64>() {
        Ok(n) if (1..=100_000).contains(&n) => Some(n),
        _ if f.attendees.trim().is_empty() => {
            errors.push(("t_attendees", "请填写参训人数。".to_string()));
            None
        }
        _ => {
            errors.push((
                "t_attendees",
                "参训人数应为1至100000之间的整数。".to_string(),
            ));
            None
        }
    };
    let (Some(held_on), Some(attendees), true) = (held_on, attendees, errors.is_empty()) else {
        let year = held_on.map_or_else(|| s.settings.today().year(), |d| d.year());
        let posted = Posted {
            training: f,
            errors,
            ..Posted::default()
        };
        return refused(&state, &s, &headers, year, posted).await;
    };
    training::record(
        &state.store,
        &s.user().name,
        root,
        held_on,
        f.topic.trim(),
        attendees,
    )
    .await?;
    Ok(back(held_on.year(), "training"))
}

/// `POST /admin/supervision/inspections`.
pub async fn add_inspection(
    State(state): State<AppState>,
    headers: HeaderMap,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::RecordSupervision, InspectionForm>,
) -> Result<Response, PageError> {
    let root = root(&state, &s);
    access::require(
        &state,
        s.user(),
        Action::RecordSupervision,
        Target::Agency(Some(root)),
    )
    .await?;
    let mut errors = Vec::new();
    let held_on = date_field(&f.held_on, "i_held_on", "检查日期", &mut errors);
    text_field(&f.scope, "i_scope", "检查范围", 200, &mut errors);
    text_field(&f.findings, "i_findings", "发现的问题", 2000, &mut errors);
    text_field(&f.fixes, "i_fixes", "整改情况", 2000, &mut errors);
    let (Some(held_on), true) = (held_on, errors.is_empty()) else {
        let year = held_on.map_or_else(|| s.settings.today().year(), |d| d.year());
        let posted = Posted {
            inspection: f,
            errors,
            ..Posted::default()
        };
        return refused(&state, &s, &headers, year, posted).await;
    };
    inspection::record(
        &state.store,
        &s.user().name,
        root,
        held_on,
        f.scope.trim(),
        f.findings.trim(),
        f.fixes.trim(),
    )
    .await?;
    Ok(back(held_on.year(), "inspection"))
}

/// `POST /admin/supervision/accountability`: only the 负责人, for a unit of their subtree.
pub async fn add_case(
    State(state): State<AppState>,
    headers: HeaderMap,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::RecordAccountability, CaseForm>,
) -> Result<Response, PageError> {
    let root = root(&state, &s);
    access::require(
        &state,
        s.user(),
        Action::RecordAccountability,
        Target::Agency(Some(root)),
    )
    .await?;
    let mut errors = Vec::new();
    let decided_on = date_field(&f.decided_on, "c_decided_on", "追责日期", &mut errors);
    let unit = match f.unit.trim().parse::<i64>() {
        Ok(id) if agency::subtree_ids(&state.store, root).await?.contains(&id) => Some(id),
        _ => {
            errors.push(("c_unit", "请选择本机关或下属的责任单位。".to_string()));
            None
        }
    };
    text_field(
        &f.person_role,
        "c_person_role",
        "责任人职务",
        100,
        &mut errors,
    );
    text_field(&f.reason, "c_reason", "追责事由", 1000, &mut errors);
    text_field(&f.measure, "c_measure", "处理措施", 500, &mut errors);
    let (Some(decided_on), Some(unit), true) = (decided_on, unit, errors.is_empty()) else {
        let year = decided_on.map_or_else(|| s.settings.today().year(), |d| d.year());
        let posted = Posted {
            case: f,
            errors,
            ..Posted::default()
        };
        return refused(&state, &s, &headers, year, posted).await;
    };
    let case = NewCase {
        agency_id: unit,
        decided_on,
        person_role: f.person_role.trim(),
        reason: f.reason.trim(),
        measure: f.measure.trim(),
    };
    match accountability::record(&state.store, &s.user().name, &case).await {
        Ok(_) => Ok(back(decided_on.year(), "case")),
        Err(StoreError::Refused(r)) => {
            let year = decided_on.year();
            let posted = Posted {
                case: f,
                errors: vec![("c_reason", r.to_string())],
                ..Posted::default()
            };
            refused(&state, &s, &headers, year, posted).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/supervision/commendations`: the 负责人 confirms the 通报表扬 of every unit that
/// qualifies for a quarter that has ended (the list is computed here again, not taken from
/// the form, so nobody can commend a unit that does not qualify).
pub async fn confirm(
    State(state): State<AppState>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::ConfirmCommendation, ConfirmForm>,
) -> Result<Response, PageError> {
    let root = root(&state, &s);
    access::require(
        &state,
        s.user(),
        Action::ConfirmCommendation,
        Target::Agency(Some(root)),
    )
    .await?;
    let quarter = Quarter::new(f.year, f.quarter).ok_or_else(|| PageError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        message: "季度不正确。".to_string(),
    })?;
    let today = s.settings.today();
    if quarter.last_day() >= today {
        return Err(PageError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: format!("{}尚未结束，季度结束后才能确认通报表扬。", quarter.label()),
        });
    }
    let units: Vec<i64> = views::assessment(&state.store, root, quarter, today)
        .await?
        .into_iter()
        .filter(|u| u.qualifies())
        .map(|u| u.agency_id)
        .collect();
    if units.is_empty() {
        return Err(PageError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: format!("{}没有符合通报表扬条件的单位。", quarter.label()),
        });
    }
    commendation::confirm(
        &state.store,
        &s.user().name,
        root,
        quarter.year,
        quarter.quarter,
        &units,
        today,
    )
    .await?;
    Done::to(
        &format!(
            "/admin/supervision?year={}&quarter={}",
            quarter.year, quarter.quarter
        ),
        "commended",
    )
}
