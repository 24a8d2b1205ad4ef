//! 网站设置 (`/admin/site-settings`): the system admin keeps what the site says about itself —
//! the footer's 网站标识码, ICP and 公安 备案 numbers, and the 政府信息公开工作机构 the 指南
//! names (address, postcode, phone, fax, hours, e-mail). Configuration, not a business
//! decision, so it is the system admin's (三员); stored by `gongkai_store::models::
//! site_settings`, shown through [`crate::site_info`].

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use gongkai_store::StoreError;
use gongkai_store::models::site_settings::{self, FIELD_MAX, SiteSettings};
use serde::Deserialize;

use super::access::{self, Action, Target};
use super::cases::NoticeQuery;
use super::extract::{Done, Read, Write, act};
use super::pages::Bar;
use super::{AdminSession, frame};
use crate::error::render;
use crate::{AppState, Page, PageError};

/// The route.
pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/site-settings", get(page).post(save))
}

/// One field of the form.
struct Field {
    name: &'static str,
    label: &'static str,
    value: String,
    hint: &'static str,
}

#[derive(Template)]
#[template(path = "admin/site_settings.html")]
struct SettingsPage {
    page: Page,
    bar: Bar,
    footer: Vec<Field>,
    office: Vec<Field>,
    error: String,
    saved: bool,
    max: usize,
}

/// The form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    site_code: String,
    #[serde(default)]
    icp: String,
    #[serde(default)]
    police_record: String,
    #[serde(default)]
    office_name: String,
    #[serde(default)]
    office_address: String,
    #[serde(default)]
    postcode: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    fax: String,
    #[serde(default)]
    office_hours: String,
    #[serde(default)]
    email: String,
}

impl SettingsForm {
    fn settings(&self) -> SiteSettings {
        SiteSettings {
            site_code: self.site_code.clone(),
            icp: self.icp.clone(),
            police_record: self.police_record.clone(),
            office_name: self.office_name.clone(),
            office_address: self.office_address.clone(),
            postcode: self.postcode.clone(),
            phone: self.phone.clone(),
            fax: self.fax.clone(),
            office_hours: self.office_hours.clone(),
            email: self.email.clone(),
        }
    }
}

fn hint(name: &str) -> &'static str {
    match name {
        "site_code" => "10位，如 4114260001；不填时显示启动时设定的标识码",
        "icp" => "如 豫ICP备05012345号；不填时显示启动时设定的备案号",
        "police_record" => "如 豫公网安备 41142602000101号；不填则页脚不显示",
        "postcode" => "6位数字",
        "office_hours" => "如 工作日上午8:30—12:00，下午15:00—18:00（法定节假日除外）",
        _ => "",
    }
}

async fn show(
    state: &AppState,
    s: &AdminSession,
    headers: &HeaderMap,
    values: &SiteSettings,
    error: String,
    saved: bool,
) -> Result<Response, PageError> {
    let user = s.user();
    let agency = crate::site_info::agency_name(state).await;
    let bar = Bar::naming(s, agency);
    let fields: Vec<Field> = values
        .fields()
        .into_iter()
        .map(|(name, label, value)| Field {
            name,
            label,
            value: value.to_string(),
            hint: hint(name),
        })
        .collect();
    let (footer, office): (Vec<Field>, Vec<Field>) = fields
        .into_iter()
        .partition(|f| matches!(f.name, "site_code" | "icp" | "police_record"));
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut resp = render(&SettingsPage {
        page: frame(
            state,
            headers,
            "/admin/site-settings",
            "网站设置",
            Some(user),
        ),
        bar,
        footer,
        office,
        error,
        saved,
        max: FIELD_MAX,
    });
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /admin/site-settings`: the form with the stored values.
pub async fn page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::SystemSettings>,
    headers: HeaderMap,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let id = state.site.agency_id;
    access::require(
        &state,
        s.user(),
        Action::SystemSettings,
        Target::Agency(Some(id)),
    )
    .await?;
    let current = site_settings::get(&state.store, id)
        .await?
        .unwrap_or_default();
    show(&state, &s, &headers, &current, String::new(), q.is_saved()).await
}

/// `POST /admin/site-settings`: saves every field (each may be empty); the footer of this node
/// changes at once, of other nodes within [`crate::site_info::FRESH`].
pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::SystemSettings, SettingsForm>,
) -> Result<Response, PageError> {
    let id = state.site.agency_id;
    access::require(
        &state,
        s.user(),
        Action::SystemSettings,
        Target::Agency(Some(id)),
    )
    .await?;
    let wanted = f.settings();
    match site_settings::set(&state.store, &s.user().name, id, &wanted).await {
        Ok(saved) => {
            state.settings.replace(saved);
            Done::to("/admin/site-settings", "saved")
        }
        Err(StoreError::Refused(r)) => {
            show(&state, &s, &headers, &wanted, r.to_string(), false).await
        }
        Err(e) => Err(e.into()),
    }
}
