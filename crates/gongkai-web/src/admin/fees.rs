//! The 信息处理费 of a case (国办函〔2020〕109号): `/admin/cases/{id}/fee` shows the fee as
//! recorded and, for the handler, the forms — the 收费通知书 by 按件 (the request's number in
//! the applicant's month, counted from the records and editable when the office splits an
//! application 一事一申请) or 按量 (the pages), never both; then the payment (date, amount,
//! 票据号). The notice prints as a page and as a PDF; the applicant reads it on `/track`.
//! Unpaid after the period, the desk's sweep concludes the case 逾期未缴费.
//!
//! [`Action::Reply`] (the handler) writes, [`Action::ReadApplications`] reads, each in the
//! case's agency scope, role first; CSRF on both forms; the store refuses a notice that
//! charges nothing, a second notice and a payment that does not match.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use gongkai_law::FeeMethod;
use gongkai_store::models::agency;
use gongkai_store::models::application::{self, Application};
use gongkai_store::models::case_fee;
use serde::Deserialize;

use super::access::{self, Action, Target};
use super::extract::{Done, Read, Write, act};
use super::pages::Bar;
use super::{AdminSession, frame};
use crate::error::render;
use crate::fee_notice::{self, FeeNoticeView, TITLE, ymd};
use crate::{AppState, Page, PageError};

/// The routes, merged into the back office's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/cases/{id}/fee", get(page))
        .route(
            "/admin/cases/{id}/fee/notice",
            get(letter).post(send_notice),
        )
        .route("/admin/cases/{id}/fee/payment", post(record_payment))
}

async fn load(
    state: &AppState,
    s: &AdminSession,
    id: i64,
    action: Action,
) -> Result<Application, PageError> {
    access::require(state, s.user(), action, Target::Unscoped).await?;
    let app = application::get(&state.store, id).await?;
    access::require(state, s.user(), action, Target::Agency(Some(app.agency_id))).await?;
    Ok(app)
}

struct MethodChoice {
    value: &'static str,
    label: &'static str,
    quantity_label: &'static str,
}

#[derive(Template)]
#[template(path = "admin/case_fee.html")]
struct FeePage {
    page: Page,
    bar: Bar,
    app: Application,
    fee: Option<FeeNoticeView>,
    may_act: bool,
    open: bool,
    methods: Vec<MethodChoice>,
    ordinal: u32,
    today: NaiveDate,
    error: String,
    notice: &'static str,
}

/// The query of the page after a redirect.
#[derive(Debug, Default, Deserialize)]
pub struct FeeQuery {
    #[serde(default)]
    msg: Option<String>,
    #[serde(default)]
    format: Option<String>,
}

async fn answer(
    state: &AppState,
    s: &AdminSession,
    headers: &HeaderMap,
    app: Application,
    error: String,
    notice: &'static str,
) -> Result<Response, PageError> {
    let fee = fee_notice::for_case(&state.store, app.id).await?;
    let ordinal = case_fee::request_ordinal(&state.store, app.id).await?;
    let page = frame(
        state,
        headers,
        "/admin/cases",
        &format!("信息处理费 {}", app.tracking_no),
        Some(s.user()),
    );
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut resp = render(&FeePage {
        page,
        bar: Bar::of(state, s).await?,
        may_act: access::allowed(s.user().role, Action::Reply),
        open: app.concluded_on.is_none(),
        app,
        fee,
        methods: FeeMethod::ALL
            .into_iter()
            .map(|m| MethodChoice {
                value: m.key(),
                label: m.label(),
                quantity_label: m.quantity_label(),
            })
            .collect(),
        ordinal,
        today: s.settings.today(),
        error,
        notice,
    });
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /admin/cases/{id}/fee`: the fee as recorded and the forms.
pub async fn page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ReadApplications>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<FeeQuery>,
) -> Result<Response, PageError> {
    let app = load(&state, &s, id, Action::ReadApplications).await?;
    let notice = match q.msg.as_deref() {
        Some("notice") => "收费通知书已发出，答复期限暂停计算。",
        Some("paid") => "缴费已登记，答复期限恢复计算。",
        _ => "",
    };
    answer(&state, &s, &headers, app, String::new(), notice).await
}

/// The notice form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct NoticeForm {
    #[serde(default)]
    on: String,
    #[serde(default)]
    method: String,
    #[serde(default)]
    quantity: String,
    #[serde(default)]
    how_to_pay: String,
}

fn date(s: &str, what: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{what}格式不正确，应为“年-月-日”，如 2026-03-02。"))
}

/// `POST /admin/cases/{id}/fee/notice`: sends the 收费通知书.
pub async fn send_notice(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::Reply, NoticeForm>,
) -> Result<Response, PageError> {
    let app = load(&state, &s, id, Action::Reply).await?;
    let checked = (|| {
        let on = date(&f.on, "通知日期")?;
        let method = FeeMethod::parse(&f.method).ok_or("请选择计收方式（按件或按量）。")?;
        let quantity: u32 = f
            .quantity
            .trim()
            .parse()
            .map_err(|_| format!("{}应为正整数。", method.quantity_label()))?;
        Ok::<_, String>((on, method, quantity))
    })();
    let result = match checked {
        Ok((on, method, quantity)) => case_fee::send_notice(
            &state.store,
            &s.user().name,
            id,
            on,
            method,
            quantity,
            &f.how_to_pay,
        )
        .await
        .map(|_| ()),
        Err(m) => Err(gongkai_store::StoreError::invalid(m)),
    };
    match result {
        Ok(()) => Done::to(&format!("/admin/cases/{id}/fee"), "notice"),
        Err(gongkai_store::StoreError::Refused(r)) => {
            answer(&state, &s, &headers, app, r.to_string(), "").await
        }
        Err(e) => Err(e.into()),
    }
}

/// The payment form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct PaymentForm {
    #[serde(default)]
    on: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    receipt_no: String,
}

/// `POST /admin/cases/{id}/fee/payment`: records the payment.
pub async fn record_payment(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::Reply, PaymentForm>,
) -> Result<Response, PageError> {
    let app = load(&state, &s, id, Action::Reply).await?;
    let checked = date(&f.on, "缴费日期").and_then(|on| {
        f.amount
            .trim()
            .parse::<u64>()
            .map(|a| (on, a))
            .map_err(|_| "缴费金额应为整数（元）。".to_string())
    });
    let result = match checked {
        Ok((on, amount)) => {
            case_fee::record_payment(&state.store, &s.user().name, id, on, amount, &f.receipt_no)
                .await
        }
        Err(m) => Err(gongkai_store::StoreError::invalid(m)),
    };
    match result {
        Ok(()) => Done::to(&format!("/admin/cases/{id}/fee"), "paid"),
        Err(gongkai_store::StoreError::Refused(r)) => {
            answer(&state, &s, &headers, app, r.to_string(), "").await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "admin/fee_letter.html")]
struct LetterPage {
    page: Page,
    title: &'static str,
    applicant: String,
    body: Vec<String>,
    agency: String,
    date: String,
    case_id: i64,
}

/// `GET /admin/cases/{id}/fee/notice`: the 收费通知书 to print, or `?format=pdf`.
pub async fn letter(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ReadApplications>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<FeeQuery>,
) -> Result<Response, PageError> {
    let app = load(&state, &s, id, Action::ReadApplications).await?;
    let fee = fee_notice::for_case(&state.store, id)
        .await?
        .ok_or_else(|| PageError::not_found("该申请没有收费通知书。"))?;
    let agency = agency::get(&state.store, app.agency_id).await?.name;
    if q.format.as_deref() == Some("pdf") {
        let bytes = fee.pdf(&app, &agency);
        let mut resp = bytes.into_response();
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/pdf"),
        );
        if let Ok(v) = HeaderValue::from_str(&format!(
            "attachment; filename=\"{}-fee.pdf\"",
            app.tracking_no
        )) {
            resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
        return Ok(resp);
    }
    let page = frame(&state, &headers, "/admin/cases", TITLE, Some(s.user()));
    Ok(render(&LetterPage {
        page,
        title: TITLE,
        applicant: app.applicant_name.clone(),
        body: fee.body(&app),
        agency,
        date: ymd(fee.notice_on),
        case_id: id,
    }))
}
