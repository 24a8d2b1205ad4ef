//! Delivery to the applicant (送达) and the applicant's personal data on the case: the page
//! `/admin/cases/{id}/delivery` shows the form of delivery the applicant chose and the
//! contact data it needs, masked; 「查看完整信息」 opens them in clear only with a reason, for
//! the handler or head of the agency that owns the case (a superior agency reading down its
//! subtree may not), and every reveal is in the audit log before the data is read
//! (`gongkai_store::models::contact_reveal`).
//!
//! Role first, then scope, before any lookup; CSRF on the form; the revealed page is never
//! cached.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::NaiveDate;
use gongkai_store::models::application::{self, ApplicantContact, Application};
use gongkai_store::models::case_delivery::{self, Delivery};
use gongkai_store::models::contact_reveal;
use serde::Deserialize;

use super::access::{self, Action, Target};
use super::cases::{mask_id, mask_phone};
use super::extract::{Done, Read, Write, act};
use super::pages::Bar;
use super::{AdminSession, frame};
use crate::catalog::delivery_label;
use crate::error::render;
use crate::{AppState, Page, PageError};

/// The routes, merged into the back office's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/cases/{id}/delivery", get(page))
        .route("/admin/cases/{id}/reveal", post(reveal))
        .route("/admin/cases/{id}/delivery/mailed", post(mailed))
        .route("/admin/cases/{id}/delivery/signed", post(signed))
}

/// Masks an e-mail address: the first character of the local part stays.
pub fn mask_email(s: &str) -> String {
    match s.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

/// Masks a postal address: the first third (at most six characters: the district and
/// street) stays, the house number and unit do not.
pub fn mask_address(s: &str) -> String {
    let c: Vec<char> = s.trim().chars().collect();
    let keep = (c.len() / 3).min(6);
    let head: String = c[..keep].iter().collect();
    format!("{head}****")
}

struct Shown {
    id_number: String,
    phone: String,
    email: String,
    address: String,
}

impl Shown {
    fn masked(c: &ApplicantContact) -> Shown {
        let m = |v: &Option<String>, f: fn(&str) -> String| v.as_deref().map(f).unwrap_or_default();
        Shown {
            id_number: m(&c.id_number, mask_id),
            phone: m(&c.phone, mask_phone),
            email: m(&c.email, mask_email),
            address: m(&c.address, mask_address),
        }
    }

    fn clear(c: ApplicantContact) -> Shown {
        Shown {
            id_number: c.id_number.unwrap_or_default(),
            phone: c.phone.unwrap_or_default(),
            email: c.email.unwrap_or_default(),
            address: c.address.unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/case_delivery.html")]
struct DeliveryPage {
    page: Page,
    bar: Bar,
    app: Application,
    delivery: &'static str,
    id_type: String,
    shown: Shown,
    revealed: bool,
    may_reveal: bool,
    reason: String,
    error: String,
    record: Delivery,
    may_record: bool,
    today: NaiveDate,
    mailed_on: String,
    served: String,
    delivery_error: String,
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

/// What the page shows of the contact data: masked, refused (with the error), or revealed
/// (with the reason given).
struct View {
    shown: Shown,
    revealed: bool,
    error: String,
    reason: String,
    /// A refusal of the delivery forms (shown beside them, not beside the reveal).
    delivery_error: String,
}

async fn answer(
    state: &AppState,
    s: &AdminSession,
    headers: &HeaderMap,
    app: Application,
    v: View,
) -> Result<Response, PageError> {
    let View {
        shown,
        revealed,
        error,
        reason,
        delivery_error,
    } = v;
    let page = frame(
        state,
        headers,
        "/admin/cases",
        &format!("送达与联系信息 {}", app.tracking_no),
        Some(s.user()),
    );
    let may_reveal = access::allowed(s.user().role, Action::RevealContact)
        && s.user().agency_id == Some(app.agency_id);
    let record = case_delivery::of(&state.store, app.id).await?;
    let may_record = app.concluded_on.is_some()
        && record.served.is_none()
        && access::allowed(s.user().role, Action::Reply);
    let status = if error.is_empty() && delivery_error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut resp = render(&DeliveryPage {
        page,
        bar: Bar::of(state, s).await?,
        delivery: delivery_label(&app.delivery),
        id_type: app.id_type.clone().unwrap_or_default(),
        app,
        shown,
        revealed,
        may_reveal,
        reason,
        error,
        delivery_error,
        mailed_on: record.mailed_on.map_or_else(String::new, |d| d.to_string()),
        served: record
            .served
            .map_or_else(String::new, |(on, how)| format!("{on}（{}）", how.label())),
        record,
        may_record,
        today: s.settings.today(),
    });
    *resp.status_mut() = status;
    // Personal data, masked or not, stays out of every cache.
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

/// `GET /admin/cases/{id}/delivery`: the delivery method and the contact data, masked.
pub async fn page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ReadApplications>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let app = load(&state, &s, id, Action::ReadApplications).await?;
    let contact = application::applicant_contact(&state.store, id).await?;
    answer(
        &state,
        &s,
        &headers,
        app,
        View {
            shown: Shown::masked(&contact),
            revealed: false,
            error: String::new(),
            reason: String::new(),
            delivery_error: String::new(),
        },
    )
    .await
}

/// The reveal form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct RevealForm {
    #[serde(default)]
    reason: String,
}

/// `POST /admin/cases/{id}/reveal`: the contact data in clear, with the reason audited.
pub async fn reveal(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::RevealContact, RevealForm>,
) -> Result<Response, PageError> {
    access::require(&state, s.user(), Action::RevealContact, Target::Unscoped).await?;
    let app = application::get(&state.store, id).await?;
    access::require_owning_agency(&state, s.user(), Action::RevealContact, app.agency_id).await?;
    if f.reason.trim().is_empty() {
        let contact = application::applicant_contact(&state.store, id).await?;
        return answer(
            &state,
            &s,
            &headers,
            app,
            View {
                shown: Shown::masked(&contact),
                revealed: false,
                error: "请填写查看完整信息的理由（如：邮寄答复书需核对地址）。".into(),
                reason: String::new(),
                delivery_error: String::new(),
            },
        )
        .await;
    }
    let contact = contact_reveal::reveal(&state.store, &s.user().name, id, &f.reason).await?;
    answer(
        &state,
        &s,
        &headers,
        app,
        View {
            shown: Shown::clear(contact),
            revealed: true,
            error: String::new(),
            reason: f.reason.trim().to_string(),
            delivery_error: String::new(),
        },
    )
    .await
}

/// A delivery form as posted (the mailing, or the signature).
#[derive(Debug, Default, Deserialize)]
pub struct PostForm {
    #[serde(default)]
    on: String,
    #[serde(default)]
    postal_tracking_no: String,
}

async fn record(
    state: &AppState,
    s: &AdminSession,
    headers: &HeaderMap,
    id: i64,
    f: &PostForm,
    signed: bool,
) -> Result<Response, PageError> {
    let app = load(state, s, id, Action::Reply).await?;
    let result = match NaiveDate::parse_from_str(f.on.trim(), "%Y-%m-%d") {
        Err(_) => Err(gongkai_store::StoreError::invalid(
            "日期格式不正确，应为“年-月-日”，如 2026-03-02。",
        )),
        Ok(on) if signed => {
            case_delivery::record_signed(&state.store, &s.user().name, id, on).await
        }
        Ok(on) => {
            case_delivery::record_mailing(
                &state.store,
                &s.user().name,
                id,
                on,
                &f.postal_tracking_no,
            )
            .await
        }
    };
    match result {
        Ok(()) => Done::to(&format!("/admin/cases/{id}/delivery"), ""),
        Err(gongkai_store::StoreError::Refused(r)) => {
            let contact = application::applicant_contact(&state.store, id).await?;
            answer(
                state,
                s,
                headers,
                app,
                View {
                    shown: Shown::masked(&contact),
                    revealed: false,
                    error: String::new(),
                    reason: String::new(),
                    delivery_error: r.to_string(),
                },
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/cases/{id}/delivery/mailed`: the reply was posted (date, 邮件号).
pub async fn mailed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::Reply, PostForm>,
) -> Result<Response, PageError> {
    record(&state, &s, &headers, id, &f, false).await
}

/// `POST /admin/cases/{id}/delivery/signed`: the applicant signed for it (送达).
pub async fn signed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::Reply, PostForm>,
) -> Result<Response, PageError> {
    record(&state, &s, &headers, id, &f, true).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_little() {
        assert_eq!(mask_email("wang.applicant@example.cn"), "w***@example.cn");
        assert_eq!(mask_address("甲县人民路88号3单元"), "甲县人****");
        assert_eq!(
            mask_address("河南省某市某县城关镇人民路88号3单元402室"),
            "河南省某市某****"
        );
        assert_eq!(mask_address(""), "****");
    }
}
