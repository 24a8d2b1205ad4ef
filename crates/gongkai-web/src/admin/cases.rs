//! The application desk of the back office (依申请公开办理台): the open cases of the user's
//! agency subtree, the most urgent first (overdue, due soon); registering an application that
//! came offline (in person, post, ordinary letter, fax …) with its channel's receipt rule
//! (Art. 31); the case page with the clock's trail and the events so far; the actions
//! (补正告知, 收到补正, 征求意见, 收费, 延期, 答复), each a clock event the store records with
//! its audit entry; and the numbered letters.
//!
//! Every handler resolves the session, asks [`access::require`] with the case's agency, and
//! checks the CSRF token of a form before it changes anything. The extension is the head's
//! ([`Action::ApproveExtension`]); every other action is the handler's ([`Action::Reply`]).
//! Personal data is masked on screen.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{Datelike, NaiveDate};
use gongkai_law::{ApplicantKind, Channel, ClockEvent, Consultee};
use gongkai_store::due;
use gongkai_store::models::agency;
use gongkai_store::models::application::{self, Applicant, Application, NewApplication};
use gongkai_store::models::application_desk;
use gongkai_store::models::auto_outcome::{self, Lapsed};
use gongkai_store::views::desk::{self, DeskRow};
use serde::Deserialize;

use super::access::{self, Action, Target};
use super::case_reply::{ReplyInput, ReplyPicker};
use super::delivery::mask_email;
use super::extract::{Done, Read, Write, act};
use super::letters::{self, Letter, LetterFacts, LetterKind};
use super::pages::Bar;
use super::{AdminSession, frame};
use crate::error::render;
use crate::{AppState, Page, PageError};

/// The desk's routes, merged into the back office's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/cases", get(desk_page).post(register))
        .route("/admin/cases/new", get(register_form))
        .route("/admin/cases/{id}", get(case_page))
        .route("/admin/cases/{id}/events", post(add_event))
        .route("/admin/cases/{id}/reply", post(super::case_reply::reply))
        .route("/admin/cases/{id}/close", post(close))
        .route("/admin/cases/{id}/letters/{event}", get(letter))
        .merge(super::case_correction::routes())
        .merge(super::letter_settings::routes())
}

// ---------------------------------------------------------------------------------------
// Helpers

/// Masks an ID number for the screen: the first four and the last four characters stay
/// (`4114**********123X`).
pub fn mask_id(s: &str) -> String {
    let c: Vec<char> = s.trim().chars().collect();
    if c.len() <= 8 {
        return "*".repeat(c.len());
    }
    let head: String = c[..4].iter().collect();
    let tail: String = c[c.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(c.len() - 8))
}

/// Masks a phone number for the screen: the first three and last four digits stay
/// (`138****5678`).
pub fn mask_phone(s: &str) -> String {
    let c: Vec<char> = s.trim().chars().collect();
    if c.len() <= 7 {
        return "*".repeat(c.len());
    }
    let head: String = c[..3].iter().collect();
    let tail: String = c[c.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(c.len() - 7))
}

/// The agency a user's desk covers: its own, or the site's for a user of the whole tree.
pub(super) fn desk_root(state: &AppState, s: &AdminSession) -> i64 {
    s.user().agency_id.unwrap_or(state.site.agency_id)
}

async fn agency_name(state: &AppState, id: Option<i64>) -> Result<String, PageError> {
    match id {
        None => Ok("全部机关".into()),
        Some(id) => Ok(agency::get(&state.store, id).await?.name),
    }
}

fn parse_date(s: &str, what: &str) -> Result<NaiveDate, PageError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        PageError::unprocessable(format!("{what}格式不正确，应为“年-月-日”，如 2026-03-02。"))
    })
}

fn parse_opt_date(s: &str, what: &str) -> Result<Option<NaiveDate>, PageError> {
    if s.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(s, what).map(Some)
    }
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A fixed message chosen by a code in the query (never text echoed from the request).
fn notice(code: Option<&str>) -> &'static str {
    match code {
        Some("registered") => "申请已登记。",
        Some("event") => "已记录，期限已重新计算。",
        Some("replied") => "答复已记录，可下载答复书。",
        Some("closed") => "申请已办结。",
        Some("appeal") => "复议、诉讼案件已登记。",
        _ => "",
    }
}

/// The query of pages that show a notice after a redirect.
#[derive(Debug, Default, Deserialize)]
pub struct NoticeQuery {
    #[serde(default)]
    msg: Option<String>,
}

impl NoticeQuery {
    /// Whether the page comes back after a save.
    pub fn is_saved(&self) -> bool {
        self.msg.as_deref() == Some("saved")
    }
}

/// A `<select>` option.
struct Opt {
    value: &'static str,
    label: &'static str,
}

// ---------------------------------------------------------------------------------------
// The desk

struct DeskLine {
    row: DeskRow,
    status: &'static str,
    due: String,
}

#[derive(Template)]
#[template(path = "admin/cases.html")]
struct DeskPage {
    page: Page,
    bar: Bar,
    lines: Vec<DeskLine>,
    overdue: usize,
    due_soon: usize,
    today: NaiveDate,
    may_register: bool,
    may_set_letters: bool,
    notice: &'static str,
    swept: Vec<Lapsed>,
}

/// `GET /admin/cases`: the open cases of the user's subtree, the most urgent first.
///
/// Opening the desk first concludes the cases whose 补正 or payment period has passed
/// ([`auto_outcome::sweep`]): the Regulation leaves no choice there (Arts. 30, 42), so the
/// desk applies it at once rather than asking for a confirmation, and lists what it concluded
/// with a link to each case.
pub async fn desk_page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ReadApplications>,
    headers: HeaderMap,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let root = desk_root(&state, &s);
    access::require(
        &state,
        s.user(),
        Action::ReadApplications,
        Target::Agency(Some(root)),
    )
    .await?;
    let today = s.settings.today();
    let swept = auto_outcome::sweep(&state.store, &s.user().name, Some(root), today).await?;
    let rows = desk::open_cases(&state.store, root, today, 500).await?;
    let lines: Vec<DeskLine> = rows
        .into_iter()
        .map(|row| DeskLine {
            status: row.status.label(),
            due: match row.due_on {
                Some(d) if row.due_provisional => format!("{d}（暂定）"),
                Some(d) => d.to_string(),
                None => "—".into(),
            },
            row,
        })
        .collect();
    let overdue = lines
        .iter()
        .filter(|l| l.row.urgency == desk::Urgency::Overdue)
        .count();
    let due_soon = lines
        .iter()
        .filter(|l| l.row.urgency == desk::Urgency::DueSoon)
        .count();
    let page = frame(
        &state,
        &headers,
        "/admin/cases",
        "依申请公开办理",
        Some(s.user()),
    );
    Ok(render(&DeskPage {
        page,
        bar: Bar::of(&state, &s).await?,
        lines,
        overdue,
        due_soon,
        today,
        may_register: access::allowed(s.user().role, Action::RegisterApplication),
        may_set_letters: access::allowed(s.user().role, Action::ApproveReply),
        notice: notice(q.msg.as_deref()),
        swept,
    }))
}

// ---------------------------------------------------------------------------------------
// Registering an offline application

#[derive(Template)]
#[template(path = "admin/case_new.html")]
struct RegisterPage {
    page: Page,
    bar: Bar,
    channels: Vec<(Opt, &'static str)>,
    kinds: Vec<Opt>,
    error: String,
}

/// The receipt shown once after registering: tracking number and query code for the
/// applicant.
#[derive(Template)]
#[template(path = "admin/case_receipt.html")]
struct ReceiptPage {
    page: Page,
    bar: Bar,
    id: i64,
    tracking_no: String,
    query_code: String,
    received_on: String,
    due_on: String,
}

/// The registration form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    channel: String,
    #[serde(default)]
    sent_on: String,
    #[serde(default)]
    arrived: String,
    #[serde(default)]
    confirmed: String,
    #[serde(default)]
    applicant_kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    id_type: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    document_number: String,
    #[serde(default)]
    delivery: String,
    #[serde(default)]
    note: String,
}

async fn register_page(
    state: &AppState,
    s: &AdminSession,
    headers: &HeaderMap,
    error: String,
    status: StatusCode,
) -> Result<Response, PageError> {
    let page = frame(
        state,
        headers,
        "/admin/cases/new",
        "登记申请",
        Some(s.user()),
    );
    let mut resp = render(&RegisterPage {
        page,
        bar: Bar::of(state, s).await?,
        channels: Channel::ALL
            .into_iter()
            .map(|c| {
                (
                    Opt {
                        value: c.key(),
                        label: c.label(),
                    },
                    c.receipt_rule(),
                )
            })
            .collect(),
        kinds: ApplicantKind::ALL
            .into_iter()
            .map(|k| Opt {
                value: k.key(),
                label: k.label(),
            })
            .collect(),
        error,
    });
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /admin/cases/new`: the form for an application that came offline.
pub async fn register_form(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::RegisterApplication>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let root = desk_root(&state, &s);
    access::require(
        &state,
        s.user(),
        Action::RegisterApplication,
        Target::Agency(Some(root)),
    )
    .await?;
    register_page(&state, &s, &headers, String::new(), StatusCode::OK).await
}

/// `POST /admin/cases`: registers the application for the user's agency; the receipt date
/// follows the channel's rule (Art. 31).
pub async fn register(
    State(state): State<AppState>,
    headers: HeaderMap,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::RegisterApplication, RegisterForm>,
) -> Result<Response, PageError> {
    let root = desk_root(&state, &s);
    access::require(
        &state,
        s.user(),
        Action::RegisterApplication,
        Target::Agency(Some(root)),
    )
    .await?;
    let new = match registration(root, &f) {
        Ok(n) => n,
        Err(e) => {
            return register_page(&state, &s, &headers, e.message, e.status).await;
        }
    };
    match application::create(&state.store, &s.user().name, &new).await {
        // The receipt (登记回执) is the answer itself, not a redirect: the query code exists in
        // clear only on the value `create` returns (the store keeps its keyed hash), so this
        // is the one moment it can be handed to the applicant.
        Ok(app) => {
            let page = frame(
                &state,
                &headers,
                "/admin/cases",
                "申请已登记",
                Some(s.user()),
            );
            Ok(render(&ReceiptPage {
                page,
                bar: Bar::of(&state, &s).await?,
                id: app.id,
                tracking_no: app.tracking_no,
                query_code: app.query_code,
                received_on: app.received_on.to_string(),
                due_on: app.due_on.map(|d| d.to_string()).unwrap_or_default(),
            }))
        }
        Err(gongkai_store::StoreError::Refused(r)) => {
            register_page(
                &state,
                &s,
                &headers,
                r.to_string(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

fn registration(agency_id: i64, f: &RegisterForm) -> Result<NewApplication, PageError> {
    let channel =
        Channel::parse(&f.channel).ok_or_else(|| PageError::unprocessable("请选择申请方式。"))?;
    let arrived = parse_date(&f.arrived, "收到日期")?;
    let confirmed = parse_opt_date(&f.confirmed, "签收或确认日期")?;
    // Say which date the channel needs before the store refuses it in the clock's words.
    if channel.needs_confirmation() && confirmed.is_none() {
        return Err(PageError::unprocessable(format!(
            "{}的申请{}，请填写确认日期。",
            channel.label(),
            channel.receipt_rule()
        )));
    }
    channel
        .receipt_date(arrived, confirmed)
        .map_err(|e| PageError::unprocessable(e.to_string()))?;
    let name = f.name.trim();
    if name.is_empty() || f.description.trim().is_empty() {
        return Err(PageError::unprocessable(
            "请填写申请人姓名（名称）和所需信息的内容描述。",
        ));
    }
    if !f.phone.trim().is_empty() && !crate::rules::phone_ok(&f.phone) {
        return Err(PageError::unprocessable(
            "联系电话应为11位手机号码，或带区号的固定电话（如 0370-6123456）。",
        ));
    }
    let delivery = match f.delivery.trim() {
        d @ ("paper" | "electronic" | "inspection") => d.to_string(),
        _ => "paper".to_string(),
    };
    Ok(NewApplication {
        agency_id,
        tracking_no: None,
        channel,
        sent_on: parse_opt_date(&f.sent_on, "寄出日期")?,
        arrived,
        confirmed,
        applicant: Applicant {
            kind: Some(
                ApplicantKind::parse(&f.applicant_kind).unwrap_or(ApplicantKind::NaturalPerson),
            ),
            name: name.to_string(),
            id_type: opt(&f.id_type),
            id_number: opt(&f.id_number),
            phone: opt(&f.phone),
            email: opt(&f.email),
            address: opt(&f.address),
        },
        description: f.description.trim().to_string(),
        document_number: opt(&f.document_number),
        delivery,
        note: f.note.trim().to_string(),
    })
}

// ---------------------------------------------------------------------------------------
// The case page

struct EventLine {
    id: i64,
    date: String,
    label: String,
    letter: Option<&'static str>,
}

struct TrailLine {
    date: NaiveDate,
    kind: &'static str,
    n: String,
    name: String,
}

#[derive(Template)]
#[template(path = "admin/case.html")]
struct CasePage {
    page: Page,
    bar: Bar,
    app: Application,
    agency: String,
    status: &'static str,
    channel: &'static str,
    receipt_rule: &'static str,
    kind: &'static str,
    id_number: String,
    phone: String,
    email: String,
    events: Vec<EventLine>,
    trail: Vec<TrailLine>,
    due: String,
    correction_notice_due: String,
    extended_due: String,
    clock_note: String,
    concluded: String,
    may_act: bool,
    may_extend: bool,
    may_close: bool,
    picker: ReplyPicker,
    corrections: Vec<super::case_correction::AnswerView>,
    today: NaiveDate,
    notice: &'static str,
    appeals: super::appeals::CaseAppeals,
}

pub(super) async fn load_case(
    state: &AppState,
    s: &AdminSession,
    id: i64,
    action: Action,
) -> Result<Application, PageError> {
    // The role first, before any lookup: a refused role must not learn which ids exist.
    access::require(state, s.user(), action, Target::Unscoped).await?;
    let app = application::get(&state.store, id).await?;
    access::require(state, s.user(), action, Target::Agency(Some(app.agency_id))).await?;
    Ok(app)
}

fn trail_kind(k: gongkai_law::TrailKind) -> &'static str {
    use gongkai_law::TrailKind as K;
    match k {
        K::Counted => "计入",
        K::Makeup => "调休上班（计入）",
        K::Holiday => "法定节假日",
        K::Weekend => "周末",
        K::Paused => "暂停（不计入）",
        K::Provisional => "暂定（当年安排未公布）",
    }
}

fn event_line(e: &application::ApplicationEvent) -> EventLine {
    let label = match (&e.event, e.outcome) {
        (ClockEvent::Replied { .. }, Some(o)) if e.automatic => {
            format!("逾期自动结案：{}", o.label())
        }
        (ClockEvent::Replied { .. }, Some(o)) => format!("作出答复：{}", o.label()),
        (ClockEvent::ConsultationSent { consultee, .. }, _) => {
            format!("向{}发出征求意见函", consultee.label())
        }
        (ClockEvent::ConsultationAnswered { consultee, .. }, _) => {
            format!("收到{}的意见", consultee.label())
        }
        (ClockEvent::Received { channel, .. }, _) => format!("收到申请（{}）", channel.label()),
        (ev, _) => ev.label().to_string(),
    };
    let letter = match e.event {
        ClockEvent::CorrectionNoticeSent { .. } => Some("补正告知书"),
        ClockEvent::ExtensionApproved { .. } => Some("延期答复告知书"),
        ClockEvent::Replied { .. } => Some("答复书"),
        _ => None,
    };
    EventLine {
        id: e.id,
        date: e
            .event
            .date()
            .map_or_else(|| "—".to_string(), |d| d.to_string()),
        label,
        letter,
    }
}

/// How the case page is shown: after a redirect with a notice, or again with a form's errors.
pub(super) struct CaseView {
    /// The notice at the top.
    pub notice: &'static str,
    /// The reply form, with what was entered and its errors.
    pub picker: ReplyPicker,
    /// 200, or 422 with a form's errors.
    pub status: StatusCode,
}

/// `GET /admin/cases/{id}`: the case with its clock, trail, events, actions and letters.
pub async fn case_page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ReadApplications>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let view = CaseView {
        notice: notice(q.msg.as_deref()),
        picker: ReplyPicker::new(&ReplyInput::default()),
        status: StatusCode::OK,
    };
    case_response(&state, &s, &headers, id, view).await
}

/// The case page of `id` as `view` asks.
pub(super) async fn case_response(
    state: &AppState,
    s: &AdminSession,
    headers: &HeaderMap,
    id: i64,
    view: CaseView,
) -> Result<Response, PageError> {
    let state = state.clone();
    let app = load_case(&state, s, id, Action::ReadApplications).await?;
    let contact = application::applicant_contact(&state.store, id).await?;
    let events = application::events(&state.store, id).await?;
    let clock: Vec<ClockEvent> = events.iter().map(|e| e.event.clone()).collect();
    let computed = gongkai_law::compute(&due::calendar(), &clock);
    let (trail, correction_notice_due, extended_due, clock_note) = match &computed {
        Ok(d) => (
            d.trail
                .iter()
                .map(|t| TrailLine {
                    date: t.date,
                    kind: trail_kind(t.kind),
                    n: t.n.map_or_else(String::new, |n| format!("第{n}日")),
                    name: t.name.clone().unwrap_or_default(),
                })
                .collect(),
            d.correction_notice_due.to_string(),
            d.extended_due.map_or_else(String::new, |x| x.to_string()),
            d.notes
                .iter()
                .map(|n| n.text())
                .chain(d.reason.clone())
                .collect::<Vec<_>>()
                .join("；"),
        ),
        Err(e) => (Vec::new(), String::new(), String::new(), e.to_string()),
    };
    let open = app.concluded_on.is_none();
    let user = s.user();
    let page = frame(
        &state,
        headers,
        "/admin/cases",
        &format!("申请 {}", app.tracking_no),
        Some(user),
    );
    let mut resp = render(&CasePage {
        page,
        bar: Bar::of(&state, s).await?,
        agency: agency_name(&state, Some(app.agency_id)).await?,
        status: app.status.label(),
        channel: app.channel.label(),
        receipt_rule: app.channel.receipt_rule(),
        kind: app.applicant_kind.label(),
        id_number: contact
            .id_number
            .as_deref()
            .map(mask_id)
            .unwrap_or_default(),
        phone: contact.phone.as_deref().map(mask_phone).unwrap_or_default(),
        email: contact.email.as_deref().map(mask_email).unwrap_or_default(),
        events: events.iter().map(event_line).collect(),
        trail,
        due: match app.due_on {
            Some(d) if app.due_provisional => format!("{d}（暂定）"),
            Some(d) => d.to_string(),
            None => "暂停计时（等待申请人补正或缴费）".into(),
        },
        correction_notice_due,
        extended_due,
        clock_note,
        concluded: app.concluded_on.map_or_else(String::new, |d| d.to_string()),
        may_act: open && access::allowed(user.role, Action::Reply),
        may_extend: open && access::allowed(user.role, Action::ApproveExtension),
        may_close: app.status.is_replied() && access::allowed(user.role, Action::Reply),
        picker: view.picker,
        corrections: super::case_correction::for_case(&state, id).await?,
        today: s.settings.today(),
        notice: view.notice,
        appeals: super::appeals::for_case(&state, user, &app).await?,
        app,
    });
    *resp.status_mut() = view.status;
    Ok(resp)
}

// ---------------------------------------------------------------------------------------
// Actions

/// An action's form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct EventForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    consultee: String,
    /// The items of a 补正 notice, one a line.
    #[serde(default)]
    items: String,
    /// How a correction recorded here came (post, in person).
    #[serde(default)]
    via: String,
    /// What the applicant corrected (a correction recorded here).
    #[serde(default)]
    correction_text: String,
}

/// `POST /admin/cases/{id}/events`: records one procedural event. The extension needs the
/// head's approval; the others are the handler's.
pub async fn add_event(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::CaseEvent, EventForm>,
) -> Result<Response, PageError> {
    let action = if f.kind == "extension" {
        Action::ApproveExtension
    } else {
        Action::Reply
    };
    load_case(&state, &s, id, action).await?;
    let on = parse_date(&f.on, "日期")?;
    let consultee = if f.consultee == "other_agency" {
        Consultee::OtherAgency
    } else {
        Consultee::ThirdParty
    };
    if f.kind == "correction_notice" {
        // Art. 30: the notice says everything to correct at once; it lists one item a line.
        let items: Vec<String> = f.items.lines().map(str::to_string).collect();
        if items.iter().all(|i| i.trim().is_empty()) {
            return Err(PageError::unprocessable(
                "补正事项：请逐项写明需要申请人补正的内容（每行一项），补正告知须一次性告知全部事项。",
            ));
        }
        application_desk::send_correction_notice(&state.store, &s.user().name, id, on, &items)
            .await?;
        return Done::to(&format!("/admin/cases/{id}"), "event");
    }
    if f.kind == "corrected" {
        // The answer to the open 补正 notice, received by post or in person: in time it is the
        // corrected application (the period restarts); late, it waits for the decision.
        gongkai_store::models::correction::answer(
            &state.store,
            &s.user().name,
            id,
            super::case_correction::offline_channel(&f.via),
            on,
            &f.correction_text,
            &[],
        )
        .await?;
        return Done::to(&format!("/admin/cases/{id}"), "event");
    }
    let event = match f.kind.as_str() {
        "consultation_sent" => ClockEvent::ConsultationSent { consultee, on },
        "consultation_answered" => ClockEvent::ConsultationAnswered { consultee, on },
        // The notice states method, amount and how to pay; the payment its 票据号.
        "fee_notice" | "fee_paid" => {
            return Err(PageError::unprocessable(
                "收费通知和缴费请在「信息处理费」页办理。",
            ));
        }
        "extension" => ClockEvent::ExtensionApproved { on: Some(on) },
        _ => return Err(PageError::unprocessable("未知的办理事项。")),
    };
    application::record_event(&state.store, &s.user().name, id, event).await?;
    Done::to(&format!("/admin/cases/{id}"), "event")
}

/// `POST /admin/cases/{id}/close`: closes (办结) a replied case.
pub async fn close(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Write { session: s, .. }: Write<act::Reply>,
) -> Result<Response, PageError> {
    load_case(&state, &s, id, Action::Reply).await?;
    application_desk::close(&state.store, &s.user().name, id).await?;
    Done::to(&format!("/admin/cases/{id}"), "closed")
}

// ---------------------------------------------------------------------------------------
// Letters

/// The query of a letter: `format=docx` for the Word file, `format=pdf` for the PDF,
/// otherwise the HTML page.
#[derive(Debug, Default, Deserialize)]
pub struct LetterQuery {
    #[serde(default)]
    format: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/case_letter.html")]
struct LetterPage {
    page: Page,
    letter: Letter,
    seal: &'static str,
    case_id: i64,
}

/// The numbered letter issued by the case event `event_id` of `app` (补正告知书, 延期答复告知书
/// or the 答复书), as the back office and the applicant's download on `/track` print it. The
/// caller has checked who may see it.
pub(crate) async fn event_letter(
    state: &AppState,
    app: &Application,
    event_id: i64,
) -> Result<Letter, PageError> {
    let events = application::events(&state.store, app.id).await?;
    let clock: Vec<ClockEvent> = events.iter().map(|e| e.event.clone()).collect();
    let ev = events
        .iter()
        .find(|e| e.id == event_id)
        .ok_or_else(|| PageError::not_found("未找到该文书。"))?;
    let correction_items = application_desk::correction_items(&state.store, event_id).await?;
    let (kind, on) = match (&ev.event, ev.outcome) {
        (ClockEvent::CorrectionNoticeSent { on }, _) => (LetterKind::Correction, *on),
        (ClockEvent::ExtensionApproved { on }, _) => {
            (LetterKind::Extension, on.unwrap_or(app.received_on))
        }
        (ClockEvent::Replied { on }, Some(o)) => (LetterKind::Reply(o), *on),
        _ => return Err(PageError::not_found("该事项没有文书。")),
    };
    let serial = desk::letter_serial(&state.store, event_id)
        .await?
        .ok_or_else(|| PageError::not_found("该事项没有文书。"))?;
    let agency = agency_name(state, Some(app.agency_id)).await?;
    let calendar = due::calendar();
    let extended_due = gongkai_law::compute(&calendar, &clock)
        .ok()
        .and_then(|d| d.extended_due);
    let correction_due = match kind {
        LetterKind::Correction => gongkai_law::correction_due(&calendar, on),
        _ => None,
    };
    let number = letters::letter_number(kind, &agency, on.year(), serial);
    let details = application_desk::reply_details(&state.store, app.id).await?;
    let settings = gongkai_store::models::letter_settings::get(&state.store, app.agency_id).await?;
    let facts = LetterFacts {
        extended_due,
        reasons: details.reasons.as_deref(),
        basis: &details.basis,
        responsible: details.responsible_agency.as_deref(),
        automatic: ev.automatic,
        correction_items: &correction_items,
        correction_due,
        settings: settings.as_ref(),
    };
    let letter = letters::build(kind, app, &agency, number, on, facts)
        .map_err(|e| PageError::unprocessable(e.to_string()))?;
    Ok(letter)
}

/// The letter as a file: `pdf` or `docx` (an attachment named after the tracking number and
/// event); `None` for any other format (the HTML page).
pub(crate) fn letter_file(
    letter: &Letter,
    tracking_no: &str,
    event_id: i64,
    format: Option<&str>,
) -> Result<Option<Response>, PageError> {
    if format == Some("pdf") {
        let disposition = format!("attachment; filename=\"{}-{}.pdf\"", tracking_no, event_id);
        let mut resp = letters::pdf(letter).into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/pdf"),
        );
        if let Ok(v) = HeaderValue::from_str(&disposition) {
            resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
        return Ok(Some(resp));
    }
    if format == Some("docx") {
        let bytes = letters::docx(letter).map_err(PageError::internal)?;
        // The file name is ASCII (the tracking number), so no RFC 5987 encoding is needed.
        let disposition = format!("attachment; filename=\"{}-{}.docx\"", tracking_no, event_id);
        let mut resp = bytes.into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
        );
        if let Ok(v) = HeaderValue::from_str(&disposition) {
            resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
        return Ok(Some(resp));
    }
    Ok(None)
}

/// `GET /admin/cases/{id}/letters/{event}`: the numbered letter issued by that event, as an
/// HTML page to print (`Content-Disposition: inline`), or with `?format=docx` as a Word file.
pub async fn letter(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ReadApplications>,
    headers: HeaderMap,
    Path((id, event_id)): Path<(i64, i64)>,
    Query(q): Query<LetterQuery>,
) -> Result<Response, PageError> {
    let app = load_case(&state, &s, id, Action::ReadApplications).await?;
    let letter = event_letter(&state, &app, event_id).await?;
    if let Some(resp) = letter_file(&letter, &app.tracking_no, event_id, q.format.as_deref())? {
        return Ok(resp);
    }
    let page = frame(
        &state,
        &headers,
        "/admin/cases",
        &letter.title,
        Some(s.user()),
    );
    let mut resp = render(&LetterPage {
        page,
        letter,
        seal: letters::SEAL_LINE,
        case_id: id,
    });
    resp.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline"),
    );
    Ok(resp)
}

#[cfg(test)]
#[path = "cases_tests.rs"]
mod cases_tests;
