//! 县长信箱: a form to write (CSRF, per-address limit, honeypot) and the published replies.
//! Letters are registered with the store's `letter::receive_with_consent`, with the writer's
//! consent to publication; the writer's contact is sealed there and never shown.

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use gongkai_store::models::letter;
use gongkai_store::views::portal::{self as views, PublicLetter};
use rand::Rng;
use serde::Deserialize;

use crate::client_ip::ClientIp;
use crate::error::render;
use crate::layout::Section;
use crate::layout::frame;
use crate::paging::{PER_PAGE, PageQuery, Pager};
use crate::security::{csrf_ok, csrf_token};
use crate::{AppState, Page, PageError};

/// The letter form as posted.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LetterForm {
    /// Subject.
    #[serde(default)]
    pub subject: String,
    /// Body.
    #[serde(default)]
    pub body: String,
    /// Contact (phone or e-mail), sealed by the store.
    #[serde(default)]
    pub contact: String,
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
    /// Honeypot.
    #[serde(default)]
    pub website: String,
    /// The checkbox 「同意公开来信内容（不含个人信息）」: present (`yes`) when ticked.
    #[serde(default)]
    pub consent: String,
}

#[derive(Template)]
#[template(path = "mailbox.html")]
struct MailboxPage {
    page: Page,
    csrf: String,
    form: LetterForm,
    errors: Vec<(&'static str, &'static str)>,
    notice: String,
    sent: Option<String>,
    letters: Vec<PublicLetter>,
    total: i64,
    pager: Pager,
}

impl MailboxPage {
    fn error(&self, field: &str) -> &'static str {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, m)| m)
    }
}

#[allow(clippy::too_many_arguments)]
async fn show(
    state: &AppState,
    headers: &HeaderMap,
    uri: &Uri,
    page_no: i64,
    form: LetterForm,
    errors: Vec<(&'static str, &'static str)>,
    notice: &str,
    sent: Option<String>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let (letters, total) = views::published_letters(
        &state.store,
        state.site.agency_id,
        PER_PAGE,
        (page_no - 1) * PER_PAGE,
    )
    .await?;
    let pager = Pager::new(page_no, total, PER_PAGE, "/mailbox?");
    let (csrf, set) = csrf_token(headers);
    let page = frame(state, headers, uri, "县长信箱", Section::Mailbox);
    let mut resp = render(&MailboxPage {
        page,
        csrf,
        form,
        errors,
        notice: notice.to_string(),
        sent,
        letters,
        total,
        pager,
    });
    *resp.status_mut() = status;
    if let Some(v) = set.and_then(|s| HeaderValue::from_str(&s).ok()) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}

/// `GET /mailbox`: the form and the published replies.
pub async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let n = q
        .page
        .as_deref()
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 100_000);
    show(
        &state,
        &headers,
        &uri,
        n,
        LetterForm::default(),
        Vec::new(),
        "",
        None,
        StatusCode::OK,
    )
    .await
}

/// `POST /mailbox`: registers a letter.
pub async fn submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    uri: Uri,
    Form(f): Form<LetterForm>,
) -> Result<Response, PageError> {
    if !csrf_ok(&headers, &f.csrf) {
        return show(
            &state,
            &headers,
            &uri,
            1,
            f,
            Vec::new(),
            "页面已过期，请重新提交。",
            None,
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    if !f.website.is_empty() {
        return show(
            &state,
            &headers,
            &uri,
            1,
            f,
            Vec::new(),
            "提交未被受理。",
            None,
            StatusCode::BAD_REQUEST,
        )
        .await;
    }
    if !state.limiter.allow(ip) {
        return show(
            &state,
            &headers,
            &uri,
            1,
            f,
            Vec::new(),
            "提交过于频繁，请稍后再试。",
            None,
            StatusCode::TOO_MANY_REQUESTS,
        )
        .await;
    }
    let subject = f.subject.trim().to_string();
    let body = f.body.trim().to_string();
    let contact = f.contact.trim().to_string();
    let mut errors = Vec::new();
    if subject.is_empty() {
        errors.push(("subject", "请填写信件标题"));
    } else if subject.chars().count() > 100 {
        errors.push(("subject", "标题不能超过100个字"));
    }
    if body.is_empty() {
        errors.push(("body", "请填写信件内容"));
    } else if body.chars().count() > 5000 {
        errors.push(("body", "内容不能超过5000个字"));
    }
    if contact.is_empty() {
        errors.push(("contact", "请填写联系电话或电子邮箱，以便答复"));
    } else if contact.chars().count() > 100 {
        errors.push(("contact", "联系方式不能超过100个字"));
    }
    if !errors.is_empty() {
        return show(
            &state,
            &headers,
            &uri,
            1,
            f,
            errors,
            "",
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let day = gongkai_law::beijing_today();
    let suffix: u32 = rand::rng().random_range(0..1_000_000);
    let letter_no = format!("XX{}{suffix:06}", day.format("%Y%m%d"));
    letter::receive_with_consent(
        &state.store,
        "portal",
        state.site.agency_id,
        &letter_no,
        &subject,
        &body,
        Some(&contact),
        day,
        f.consent == "yes",
    )
    .await
    .map_err(PageError::from)?;
    Ok(show(
        &state,
        &headers,
        &uri,
        1,
        LetterForm::default(),
        Vec::new(),
        "",
        Some(letter_no),
        StatusCode::OK,
    )
    .await
    .into_response())
}
