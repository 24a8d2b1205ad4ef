//! Applications for disclosure (依申请公开): the form `/apply` with every field of Regulation
//! Art. 29, its receipt (tracking number, query code, due date), and `/track`, which shows the
//! status, events and due date to whoever holds both the tracking number and the query code —
//! never the applicant's personal data.
//!
//! The same validation ([`validate`]) serves the form and `POST /api/v1/applications`, so both
//! name the same fields at fault with the same Chinese messages.

use std::net::IpAddr;

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use gongkai_law::{ApplicantKind, ApplicationStatus, Channel, Outcome, beijing_today};
use gongkai_store::models::Applicant;
use gongkai_store::models::application::{self, Application, NewApplication};
use serde::Deserialize;

use crate::catalog::{self, DELIVERIES, ID_TYPES};
use crate::error::render;
use crate::fmt::fmt_date;
use crate::layout::Section;
use crate::layout::frame;
use crate::security::{csrf_ok, csrf_token};
use crate::{AppState, Page, PageError};

pub use crate::client_ip::ClientIp;
pub use crate::security::{no_store, retry_after};

/// What an applicant enters, as text, before validation.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ApplicationInput {
    /// Applicant kind key.
    #[serde(default)]
    pub kind: String,
    /// Name (姓名或名称).
    #[serde(default)]
    pub name: String,
    /// Identity document kind.
    #[serde(default)]
    pub id_type: String,
    /// Identity document number.
    #[serde(default)]
    pub id_number: String,
    /// Phone.
    #[serde(default)]
    pub phone: String,
    /// E-mail.
    #[serde(default)]
    pub email: String,
    /// Postal address.
    #[serde(default)]
    pub address: String,
    /// Description of the information sought.
    #[serde(default)]
    pub description: String,
    /// 文号 of the document sought.
    #[serde(default)]
    pub document_number: String,
    /// `paper`, `electronic` or `inspection`.
    #[serde(default)]
    pub delivery: String,
}

/// A field at fault: its name (as the API spells it) and what is wrong, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Field name, e.g. `applicant.name`, `description`.
    pub field: &'static str,
    /// Message for the applicant.
    pub message: String,
}

fn err(field: &'static str, message: &str) -> FieldError {
    FieldError {
        field,
        message: message.to_string(),
    }
}

pub use crate::rules::{id_card_ok, phone_ok};

/// Checks an application as entered (nothing trimmed: the rules of [`crate::rules`] apply to
/// the text as sent, as the OpenAPI document states them); on success the store's
/// [`NewApplication`] received online today, with white space around each value removed.
pub fn validate(
    input: &ApplicationInput,
    agency_id: i64,
    today: NaiveDate,
) -> Result<NewApplication, Vec<FieldError>> {
    use crate::rules::{self as r, blank, tidy, too_long};
    let mut errors = Vec::new();
    let kind = ApplicantKind::ALL
        .into_iter()
        .find(|k| k.key() == input.kind);
    if kind.is_none() {
        errors.push(err("applicant.kind", "请选择申请人类型"));
    }
    if blank(&input.name) {
        errors.push(err("applicant.name", "请填写申请人姓名或名称"));
    } else if too_long(&input.name, r::NAME_MAX) {
        errors.push(err("applicant.name", "姓名或名称不能超过100个字"));
    }
    if blank(&input.id_type) {
        errors.push(err("applicant.id_type", "请选择身份证明类型"));
    } else if too_long(&input.id_type, r::ID_TYPE_MAX) {
        errors.push(err("applicant.id_type", "身份证明类型不能超过30个字"));
    }
    if blank(&input.id_number) {
        errors.push(err("applicant.id_number", "请填写身份证明号码"));
    } else if too_long(&input.id_number, r::ID_NUMBER_MAX) {
        errors.push(err("applicant.id_number", "证件号码不能超过40个字符"));
    } else if tidy(&input.id_type) == r::ID_CARD && !id_card_ok(&input.id_number) {
        errors.push(err(
            "applicant.id_number",
            "居民身份证号码应为18位且校验位正确",
        ));
    }
    if blank(&input.phone) {
        errors.push(err("applicant.phone", "请填写联系电话"));
    } else if !phone_ok(&input.phone) {
        errors.push(err(
            "applicant.phone",
            "联系电话应为11位手机号码，或带区号的固定电话（如 0370-6123456）",
        ));
    }
    if !r::email_ok(&input.email) || too_long(&input.email, r::EMAIL_MAX) {
        errors.push(err("applicant.email", "电子邮箱格式不正确"));
    }
    if too_long(&input.address, r::ADDRESS_MAX) {
        errors.push(err("applicant.address", "通信地址不能超过200个字"));
    }
    if blank(&input.description) {
        errors.push(err("description", "请描述所需政府信息的名称或特征"));
    } else if too_long(&input.description, r::DESCRIPTION_MAX) {
        errors.push(err("description", "所需信息描述不能超过2000个字"));
    }
    if too_long(&input.document_number, r::DOCUMENT_NUMBER_MAX) {
        errors.push(err("document_number", "文号不能超过100个字"));
    }
    let delivery = input.delivery.as_str();
    if !DELIVERIES.iter().any(|(k, _)| *k == delivery) {
        errors.push(err("delivery", "请选择获取信息的方式"));
    } else if delivery == "paper" && blank(&input.address) {
        errors.push(err(
            "applicant.address",
            "选择纸质文本邮寄时，请填写通信地址",
        ));
    } else if delivery == "electronic" && blank(&input.email) {
        errors.push(err("applicant.email", "选择电子数据时，请填写电子邮箱"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let t = |s: &str| tidy(s).to_string();
    let opt = |s: &str| (!blank(s)).then(|| t(s));
    Ok(NewApplication {
        agency_id,
        tracking_no: None,
        channel: Channel::Online,
        sent_on: Some(today),
        arrived: today,
        // The portal confirms an online application at once by issuing the receipt: both
        // sides confirm on the day it arrives (Art. 31).
        confirmed: Some(today),
        applicant: Applicant {
            kind,
            name: t(&input.name),
            id_type: Some(t(&input.id_type)),
            id_number: Some(t(&input.id_number).to_uppercase()),
            phone: Some(t(&input.phone)),
            email: opt(&input.email),
            address: opt(&input.address),
        },
        description: t(&input.description),
        document_number: opt(&input.document_number),
        delivery: delivery.to_string(),
        note: String::new(),
    })
}

impl ApplicationInput {
    /// The input with white space around every value removed, as the form hands it to
    /// [`validate`] (a browser keeps a stray space that a person did not mean).
    pub fn tidied(&self) -> ApplicationInput {
        let t = |s: &String| crate::rules::tidy(s).to_string();
        ApplicationInput {
            kind: t(&self.kind),
            name: t(&self.name),
            id_type: t(&self.id_type),
            id_number: t(&self.id_number),
            phone: t(&self.phone),
            email: t(&self.email),
            address: t(&self.address),
            description: t(&self.description),
            document_number: t(&self.document_number),
            delivery: t(&self.delivery),
        }
    }
}

/// The form as posted: the application's fields plus the CSRF token and the honeypot.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ApplyForm {
    /// The application's fields.
    #[serde(flatten)]
    pub input: ApplicationInput,
    /// CSRF token (double submit).
    #[serde(default)]
    pub csrf: String,
    /// Honeypot: people leave it empty, bots fill it.
    #[serde(default)]
    pub website: String,
}

#[derive(Template)]
#[template(path = "apply.html")]
struct ApplyPage {
    page: Page,
    csrf: String,
    input: ApplicationInput,
    errors: Vec<FieldError>,
    kinds: Vec<(&'static str, &'static str)>,
    id_types: Vec<&'static str>,
    deliveries: Vec<(&'static str, &'static str)>,
    notice: String,
}

impl ApplyPage {
    /// The message of the field at fault, if any.
    fn error(&self, field: &str) -> String {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
            .unwrap_or_default()
    }
}

fn kinds() -> Vec<(&'static str, &'static str)> {
    ApplicantKind::ALL
        .iter()
        .map(|k| (k.key(), k.public_label()))
        .collect()
}

fn with_cookie(mut resp: Response, set: Option<String>) -> Response {
    if let Some(v) = set.and_then(|s| HeaderValue::from_str(&s).ok()) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

fn form_page(
    state: &AppState,
    headers: &HeaderMap,
    uri: &Uri,
    input: ApplicationInput,
    errors: Vec<FieldError>,
    notice: &str,
    status: StatusCode,
) -> Response {
    let (csrf, set) = csrf_token(headers);
    let title = if errors.is_empty() {
        "在线申请政府信息公开"
    } else {
        "申请表有误 - 在线申请政府信息公开"
    };
    let page = frame(state, headers, uri, title, Section::Apply);
    let body = ApplyPage {
        page,
        csrf,
        input,
        errors,
        kinds: kinds(),
        id_types: ID_TYPES.to_vec(),
        deliveries: DELIVERIES.to_vec(),
        notice: notice.to_string(),
    };
    let mut resp = render(&body);
    *resp.status_mut() = status;
    with_cookie(resp, set)
}

/// `GET /apply`: the empty form.
pub async fn form(State(state): State<AppState>, headers: HeaderMap, uri: Uri) -> Response {
    let input = ApplicationInput {
        delivery: "electronic".into(),
        id_type: "居民身份证".into(),
        ..Default::default()
    };
    form_page(
        &state,
        &headers,
        &uri,
        input,
        Vec::new(),
        "",
        StatusCode::OK,
    )
}

#[derive(Template)]
#[template(path = "receipt.html")]
struct ReceiptPage {
    page: Page,
    tracking_no: String,
    query_code: String,
    received_on: String,
    due: String,
    due_provisional: bool,
    /// What was asked for, repeated for the applicant.
    description: String,
    document_number: String,
    delivery: &'static str,
}

/// `POST /apply`: checks CSRF, the honeypot and the per-address limit, validates, registers the
/// application and answers with its receipt.
pub async fn submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    uri: Uri,
    Form(f): Form<ApplyForm>,
) -> Response {
    if !csrf_ok(&headers, &f.csrf) {
        return form_page(
            &state,
            &headers,
            &uri,
            f.input,
            Vec::new(),
            "页面已过期，请重新提交。",
            StatusCode::FORBIDDEN,
        );
    }
    if !f.website.is_empty() {
        // A bot filled the hidden field: answer as if refused, store nothing.
        return form_page(
            &state,
            &headers,
            &uri,
            f.input,
            Vec::new(),
            "提交未被受理。",
            StatusCode::BAD_REQUEST,
        );
    }
    // Validation first: an application with a mistake in it does not use up the allowance.
    let new = match validate(&f.input.tidied(), state.site.agency_id, beijing_today()) {
        Ok(n) => n,
        Err(errors) => {
            return form_page(
                &state,
                &headers,
                &uri,
                f.input,
                errors,
                "",
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    match reserve_submission(&state, ip).await {
        Ok(None) => {}
        Ok(Some(secs)) => {
            return retry_after(
                form_page(
                    &state,
                    &headers,
                    &uri,
                    f.input,
                    Vec::new(),
                    "提交过于频繁，请稍后再试。",
                    StatusCode::TOO_MANY_REQUESTS,
                ),
                secs,
            );
        }
        Err(e) => return e.into_response(),
    }
    let app = match application::create(&state.store, "portal", &new).await {
        Ok(a) => a,
        Err(e) => return PageError::internal(e).into_response(),
    };
    let page = frame(&state, &headers, &uri, "申请已提交", Section::Apply);
    // The one page that shows the query code: never kept by a browser or proxy cache.
    no_store(render(&ReceiptPage {
        page,
        tracking_no: app.tracking_no.clone(),
        query_code: app.query_code.clone(),
        received_on: app.received_on.format("%Y-%m-%d").to_string(),
        due: fmt_date(app.due_on),
        due_provisional: app.due_provisional,
        description: app.description.clone(),
        document_number: app.document_number.clone().unwrap_or_default(),
        delivery: catalog::delivery_label(&app.delivery),
    }))
}

/// `GET /track?no=`: the tracking number may come in the address (the receipt links to it);
/// the query code never does.
#[derive(Debug, Deserialize, Default)]
pub struct TrackQuery {
    /// Tracking number.
    #[serde(default)]
    pub no: String,
    /// A query code in the address (old links): never looked up, only noticed.
    #[serde(default)]
    pub code: String,
}

/// `POST /track`: the tracking form.
#[derive(Debug, Deserialize, Default)]
pub struct TrackForm {
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
    /// Tracking number.
    #[serde(default)]
    pub no: String,
    /// Query code.
    #[serde(default)]
    pub code: String,
}

/// What a query-code lookup found.
#[derive(Debug, Clone)]
pub enum TrackLookup {
    /// The number and code match: the public view.
    Found(Box<TrackView>),
    /// No such number, or the wrong code (one answer, so nothing can be probed).
    NotFound,
    /// Too many lookups from this address or for this number: try again after so many seconds.
    Limited {
        /// Seconds until the limit's window ends.
        retry_after: i64,
    },
}

/// Looks up an application by tracking number and query code, under the limits on guessing
/// (per address and per tracking number, reserved in the store before the lookup; a right
/// code gives its attempts back). `/track` and the status API both ask here.
pub async fn track_lookup(
    state: &AppState,
    ip: IpAddr,
    no: &str,
    code: &str,
) -> Result<TrackLookup, PageError> {
    use gongkai_store::attempts::{self, Reserved, TRACK_PER_ADDRESS, TRACK_PER_NUMBER};
    let no = no.trim();
    if no.is_empty() || code.trim().is_empty() {
        return Ok(TrackLookup::NotFound);
    }
    let now = chrono::Utc::now();
    let addr = ip.to_string();
    let number: String = no.chars().take(64).collect::<String>().to_uppercase();
    for (limit, key) in [(TRACK_PER_ADDRESS, &addr), (TRACK_PER_NUMBER, &number)] {
        if let Reserved::Refused { retry_after, first } =
            attempts::reserve(&state.store, limit, key, now).await?
        {
            if first {
                tracing::warn!(scope = limit.scope, key = %key, "query-code guessing limited");
            }
            return Ok(TrackLookup::Limited { retry_after });
        }
    }
    match track_view(state, no, code).await? {
        Some(view) => {
            attempts::forgive(&state.store, TRACK_PER_ADDRESS, &addr).await?;
            attempts::forgive(&state.store, TRACK_PER_NUMBER, &number).await?;
            Ok(TrackLookup::Found(Box::new(view)))
        }
        None => Ok(TrackLookup::NotFound),
    }
}

/// Counts one valid application from `ip` against the site's per-address limit
/// ([`AppState::apply_limit`], held in the database so that every node counts alike): `None`
/// when it may be registered, `Some(seconds)` until the window ends when the address is over.
/// `/apply` and `POST /api/v1/applications` both ask here, after validation.
pub async fn reserve_submission(state: &AppState, ip: IpAddr) -> Result<Option<i64>, PageError> {
    use gongkai_store::attempts::{self, Reserved};
    let addr = ip.to_string();
    match attempts::reserve(&state.store, state.apply_limit, &addr, chrono::Utc::now()).await? {
        Reserved::Granted => Ok(None),
        Reserved::Refused { retry_after, first } => {
            if first {
                tracing::warn!(key = %addr, "applications limited for an address");
            }
            Ok(Some(retry_after))
        }
    }
}

/// An event as the tracking page and the API show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EventView {
    /// The clock's event key (`received`, `replied` …).
    pub event: &'static str,
    /// Chinese label.
    pub label: String,
    /// Its date.
    pub date: Option<NaiveDate>,
}

/// What anyone holding the tracking number and query code may see: no personal data.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TrackView {
    /// 申请编号
    pub tracking_number: String,
    /// Where it stands (serialised as its key).
    pub status: ApplicationStatus,
    /// Status label.
    pub status_label: String,
    /// Legal receipt date.
    pub received_on: NaiveDate,
    /// Deadline in force.
    pub due: Option<NaiveDate>,
    /// Whether it is provisional.
    pub due_provisional: bool,
    /// Outcome of the final reply (serialised as its key).
    pub outcome: Option<Outcome>,
    /// Outcome label.
    pub outcome_label: Option<String>,
    /// Date of the final reply.
    pub concluded_on: Option<NaiveDate>,
    /// The events.
    pub events: Vec<EventView>,
    /// The 补正 notice and the answers (the page only; the API keeps its documented shape).
    #[serde(skip)]
    pub correction: Option<crate::correction::TrackCorrection>,
    /// The 收费通知书, when a fee was charged (basis, amount, how to pay, payment).
    pub fee: Option<crate::fee_notice::FeeNoticeView>,
    /// The reply letter and released copies to download (the page only).
    #[serde(skip)]
    pub downloads: crate::track_downloads::TrackDownloads,
}

/// The application of this site's subtree with tracking number `no`, if `code` is its query
/// code.
pub async fn find_tracked(
    state: &AppState,
    no: &str,
    code: &str,
) -> Result<Option<Application>, PageError> {
    let (no, code) = (no.trim(), code.trim().to_uppercase());
    if no.is_empty() || code.is_empty() {
        return Ok(None);
    }
    let Some(app): Option<Application> = application::track(&state.store, no, &code).await? else {
        return Ok(None);
    };
    if app.agency_id != state.site.agency_id {
        let ids =
            gongkai_store::models::agency::subtree_ids(&state.store, state.site.agency_id).await?;
        if !ids.contains(&app.agency_id) {
            return Ok(None);
        }
    }
    Ok(Some(app))
}

/// The public view of an application, if the query code is right.
pub async fn track_view(
    state: &AppState,
    no: &str,
    code: &str,
) -> Result<Option<TrackView>, PageError> {
    let Some(app) = find_tracked(state, no, code).await? else {
        return Ok(None);
    };
    let events = application::events(&state.store, app.id)
        .await?
        .into_iter()
        .map(|e| {
            let key = e.event.key();
            let mut label = e.event.label().to_string();
            if let Some(o) = e.outcome {
                label = format!("{label}：{}", o.plain_label());
            }
            EventView {
                event: key,
                label,
                date: e.event.date(),
            }
        })
        .collect();
    Ok(Some(TrackView {
        tracking_number: app.tracking_no.clone(),
        status_label: app.status.public_label().to_string(),
        status: app.status,
        received_on: app.received_on,
        due: app.due_on,
        due_provisional: app.due_provisional,
        outcome_label: app.outcome.map(|o| o.plain_label().to_string()),
        outcome: app.outcome,
        concluded_on: app.concluded_on,
        events,
        correction: crate::correction::for_track(state, app.id, beijing_today()).await?,
        fee: crate::fee_notice::for_case(&state.store, app.id).await?,
        downloads: crate::track_downloads::for_track(state, &app).await?,
    }))
}

#[derive(Template)]
#[template(path = "track.html")]
struct TrackPage {
    page: Page,
    csrf: String,
    no: String,
    asked: bool,
    notice: String,
    view: Option<TrackView>,
    /// The query code, for the 补正 answer form (posted in its body, never in a URL).
    code: String,
}

fn track_page(
    state: &AppState,
    headers: &HeaderMap,
    uri: &Uri,
    no: &str,
    asked: bool,
    notice: &str,
    found: Option<(TrackView, &str)>,
) -> Response {
    let (csrf, set) = csrf_token(headers);
    let page = frame(state, headers, uri, "申请办理进度查询", Section::Apply);
    let resp = render(&TrackPage {
        page,
        csrf,
        no: no.trim().chars().take(64).collect(),
        asked,
        notice: notice.to_string(),
        // Only for a found application: the 补正 answer form posts it back.
        code: found
            .as_ref()
            .map(|(_, code)| code.trim().to_uppercase())
            .unwrap_or_default(),
        view: found.map(|(view, _)| view),
    });
    no_store(with_cookie(resp, set))
}

/// `GET /track`: the tracking form (the number filled in from `?no=`). A query code in the
/// address is not looked up: addresses end up in histories, logs and referrers.
pub async fn track(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Query(q): Query<TrackQuery>,
) -> Response {
    let notice = if q.code.is_empty() {
        ""
    } else {
        "为保护您的查询码，请在下方输入查询码后查询（查询码不再通过网址传递）。"
    };
    track_page(&state, &headers, &uri, &q.no, false, notice, None)
}

/// `POST /track`: checks CSRF, looks the application up under the limits, and shows its
/// status (404 for a wrong number or code, 429 with `Retry-After` when limited).
pub async fn track_submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    uri: Uri,
    Form(f): Form<TrackForm>,
) -> Result<Response, PageError> {
    if !csrf_ok(&headers, &f.csrf) {
        let mut resp = track_page(
            &state,
            &headers,
            &uri,
            &f.no,
            false,
            "页面已过期，请重新查询。",
            None,
        );
        *resp.status_mut() = StatusCode::FORBIDDEN;
        return Ok(resp);
    }
    Ok(match track_lookup(&state, ip, &f.no, &f.code).await? {
        TrackLookup::Found(view) => track_page(
            &state,
            &headers,
            &uri,
            &f.no,
            true,
            "",
            Some((*view, &f.code)),
        ),
        TrackLookup::NotFound => {
            let mut resp = track_page(&state, &headers, &uri, &f.no, true, "", None);
            *resp.status_mut() = StatusCode::NOT_FOUND;
            resp
        }
        TrackLookup::Limited { retry_after: secs } => {
            let minutes = (secs + 59) / 60;
            let notice = format!("查询次数过多，请 {minutes} 分钟后再试。");
            retry_after(
                track_page(&state, &headers, &uri, &f.no, false, &notice, None),
                secs,
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_card_check_digit() {
        assert!(id_card_ok("11010519491231002X"));
        assert!(!id_card_ok("110105194912310021"));
        assert!(!id_card_ok("1101051949123100"));
    }

    #[test]
    fn phones_are_mobiles_or_landlines_with_area_code() {
        for ok in [
            "13912345678",
            "199 1234 5678",
            "+86 13912345678",
            "8613912345678",
            "0370-6123456",
            "0370-61234567",
            "010-12345678",
            "021 61234567",
            "0371-61234567-801",
            "037161234567",
            "01012345678",
        ] {
            assert!(phone_ok(ok), "{ok}");
        }
        let input = ApplicationInput {
            phone: "6123456".into(),
            ..ApplicationInput::default()
        };
        let errs = validate(&input, 1, beijing_today()).unwrap_err();
        assert!(
            errs.iter()
                .any(|e| e.field == "applicant.phone" && e.message.contains("区号"))
        );
        for bad in [
            "12912345678",
            "1391234567",
            "139123456789",
            "6123456",
            "61234567",
            "0370-612345",
            "0370-012345678",
            "00370-6123456",
            "12345",
            "0370-6123456-1234567",
            "abc",
            "",
            "110",
        ] {
            assert!(!phone_ok(bad), "{bad}");
        }
    }

    #[test]
    fn validation_names_every_field_at_fault() {
        let errs = validate(&ApplicationInput::default(), 1, beijing_today()).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field).collect();
        for f in [
            "applicant.kind",
            "applicant.name",
            "applicant.id_type",
            "applicant.id_number",
            "applicant.phone",
            "description",
            "delivery",
        ] {
            assert!(fields.contains(&f), "{f} missing in {fields:?}");
        }
    }
}
