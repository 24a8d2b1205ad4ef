//! 文书设置 (`/admin/letter-settings`): the agency's head names the 行政复议机关 and the court
//! that every letter's remedies state (issue 13.7). Until both are set, letters refuse to print
//! with a message that leads here.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use gongkai_store::models::agency;
use gongkai_store::models::letter_settings::{self, LetterSettings, NAME_MAX};
use serde::Deserialize;

use super::access::{self, Action, Target};
use super::cases::NoticeQuery;
use super::extract::{Done, Read, Write, act};
use super::pages::Bar;
use super::{AdminSession, frame};
use crate::error::render;
use crate::{AppState, Page, PageError};

/// The route, merged into the desk's.
pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/letter-settings", get(page).post(save))
}

#[derive(Template)]
#[template(path = "admin/letter_settings.html")]
struct SettingsPage {
    page: Page,
    bar: Bar,
    agency: String,
    review_body: String,
    court: String,
    review_body_error: String,
    court_error: String,
    saved: bool,
}

/// The form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    review_body: String,
    #[serde(default)]
    court: String,
}

/// The head's agency (the site's for a user of the whole tree).
fn agency_of(state: &AppState, s: &AdminSession) -> i64 {
    s.user().agency_id.unwrap_or(state.site.agency_id)
}

async fn show(
    state: &AppState,
    s: &AdminSession,
    headers: &HeaderMap,
    form: SettingsForm,
    errors: (String, String),
    saved: bool,
) -> Result<Response, PageError> {
    let id = agency_of(state, s);
    let user = s.user();
    let bar = Bar::naming(s, agency::get(&state.store, id).await?.name);
    let page = frame(
        state,
        headers,
        "/admin/letter-settings",
        "文书设置",
        Some(user),
    );
    let status = if errors.0.is_empty() && errors.1.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut resp = render(&SettingsPage {
        page,
        agency: bar.agency.clone(),
        bar,
        review_body: form.review_body,
        court: form.court,
        review_body_error: errors.0,
        court_error: errors.1,
        saved,
    });
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /admin/letter-settings`: the form with the current names.
pub async fn page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ApproveReply>,
    headers: HeaderMap,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let id = agency_of(&state, &s);
    access::require(
        &state,
        s.user(),
        Action::ApproveReply,
        Target::Agency(Some(id)),
    )
    .await?;
    let current = letter_settings::get(&state.store, id).await?;
    let form = SettingsForm {
        review_body: current
            .as_ref()
            .map(|c| c.review_body.clone())
            .unwrap_or_default(),
        court: current.map(|c| c.court).unwrap_or_default(),
    };
    show(&state, &s, &headers, form, Default::default(), q.is_saved()).await
}

/// `POST /admin/letter-settings`: saves both names (each required).
pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::ApproveReply, SettingsForm>,
) -> Result<Response, PageError> {
    let id = agency_of(&state, &s);
    access::require(
        &state,
        s.user(),
        Action::ApproveReply,
        Target::Agency(Some(id)),
    )
    .await?;
    let check = |v: &str, what: &str| {
        let v = v.trim();
        if v.is_empty() {
            format!("请填写{what}。")
        } else if v.chars().count() > NAME_MAX {
            format!("{what}不能超过{NAME_MAX}个字。")
        } else {
            String::new()
        }
    };
    let errors = (
        check(&f.review_body, "行政复议机关"),
        check(&f.court, "管辖法院"),
    );
    if !errors.0.is_empty() || !errors.1.is_empty() {
        return show(&state, &s, &headers, f, errors, false).await;
    }
    letter_settings::set(
        &state.store,
        &s.user().name,
        id,
        &LetterSettings {
            review_body: f.review_body,
            court: f.court,
        },
    )
    .await?;
    Done::to("/admin/letter-settings", "saved")
}
