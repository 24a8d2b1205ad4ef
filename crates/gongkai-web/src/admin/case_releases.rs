//! 区分处理 on the case (Art. 37): the handler uploads a document to release (.txt, .html,
//! .docx, .pdf) and marks the passages to withhold by pasting each one with its article and
//! reason (one a line: `原文|条款|理由`), optionally with the scan's ID, mobile and bank card
//! numbers proposed under 第十五条; Gongkai writes the released copy anew
//! ([`crate::released`]) and keeps it with its redaction log (`case_release`). The page lists
//! the copies with their logs and downloads.
//!
//! Reading is [`Action::ReadApplications`], releasing [`Action::Reply`], each in the case's
//! agency scope, role first; the upload checks the CSRF token inside the multipart body and is
//! mounted on the site's router with its own body limit, like the publishing upload.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gongkai_review::redact::{self, Passage};
use gongkai_store::models::application::{self, Application};
use gongkai_store::models::case_release::{self, NewRelease, Release};

use super::access::{self, Action, Target};
use super::extract::{self, Done, Read, Upload, act};
use super::pages::Bar;
use super::{AdminSession, frame};
use crate::error::render;
use crate::released;
use crate::{AppState, Page, PageError};

/// The largest original accepted (the readers' own budget is 10 MB).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// The list and downloads, merged into the back office's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/cases/{id}/releases", get(page))
        .route("/admin/cases/{id}/releases/{release}", get(download))
}

/// The upload, mounted on the site's router after its 64 KB limit, with its own.
pub fn upload_routes() -> Router<AppState> {
    Router::new()
        .route("/admin/cases/{id}/releases", post(upload))
        .layer(DefaultBodyLimit::max(MAX_BYTES + 64 * 1024))
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

#[derive(Template)]
#[template(path = "admin/case_releases.html")]
struct ReleasesPage {
    page: Page,
    bar: Bar,
    app: Application,
    releases: Vec<Release>,
    may_release: bool,
    error: String,
}

async fn answer(
    state: &AppState,
    s: &AdminSession,
    headers: &HeaderMap,
    app: Application,
    error: String,
) -> Result<Response, PageError> {
    let releases = case_release::list(&state.store, app.id).await?;
    let page = frame(
        state,
        headers,
        "/admin/cases",
        &format!("区分处理 {}", app.tracking_no),
        Some(s.user()),
    );
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut resp = render(&ReleasesPage {
        page,
        bar: Bar::of(state, s).await?,
        may_release: access::allowed(s.user().role, Action::Reply) && !app.status.is_closed(),
        app,
        releases,
        error,
    });
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /admin/cases/{id}/releases`: the released copies with their logs.
pub async fn page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ReadApplications>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let app = load(&state, &s, id, Action::ReadApplications).await?;
    answer(&state, &s, &headers, app, String::new()).await
}

/// The passages of the form: each line `原文|条款|理由` marks every occurrence of 原文.
fn marked(text: &str, lines: &str, premark: bool) -> Result<Vec<Passage>, String> {
    let mut out = if premark {
        redact::premark(text)
    } else {
        Vec::new()
    };
    for (n, line) in lines
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let cols: Vec<&str> = line.split('|').map(str::trim).collect();
        let [needle, article, reason] = cols[..] else {
            return Err(format!(
                "第{}行应为“原文|条款|理由”三项，用竖线分隔。",
                n + 1
            ));
        };
        let found = redact::find_all(text, needle);
        if needle.is_empty() || found.is_empty() {
            return Err(format!(
                "第{}行的原文在文件中未找到，请从文件中原样复制。",
                n + 1
            ));
        }
        for (start, end) in found {
            // A passage the scan proposed inside a marked one is covered by it.
            out.retain(|p| p.end <= start || p.start >= end);
            out.push(Passage {
                start,
                end,
                article: article
                    .trim_start_matches('第')
                    .trim_end_matches('条')
                    .to_string(),
                reason: reason.to_string(),
            });
        }
    }
    if out.is_empty() {
        return Err("请标注至少一处要删除的内容。".into());
    }
    Ok(out)
}

/// `POST /admin/cases/{id}/releases`: releases an uploaded document with the marked passages
/// withheld.
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    up: Upload<act::Reply>,
) -> Result<Response, PageError> {
    let s = &up.session;
    let app = load(&state, s, id, Action::Reply).await?;
    let parts = up.parts()?;
    let field = |name: &str| extract::field(&parts, name);
    let Some(file) = extract::file(&parts, "file") else {
        return answer(&state, s, &headers, app, "请选择要公开的文件。".into()).await;
    };
    let name = file.file_name.clone().unwrap_or_default();
    let result = released::original_text(&name, file.data)
        .map_err(|e| e.to_string())
        .and_then(|text| marked(&text, &field("passages"), field("premark") == "1"))
        .and_then(|passages| {
            released::release(&name, file.data, &passages).map_err(|e| e.to_string())
        });
    let r = match result {
        Ok(r) => r,
        Err(m) => return answer(&state, s, &headers, app, m).await,
    };
    let media = match r.file_name.rsplit_once('.').map(|(_, e)| e) {
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("pdf") => "application/pdf",
        _ => "text/plain; charset=utf-8",
    };
    case_release::add(
        &state.store,
        &s.user().name,
        id,
        &NewRelease {
            original_name: &name,
            file_name: &r.file_name,
            media_type: media,
            data: &r.data,
            log: &r.log,
            on: s.settings.today(),
        },
    )
    .await?;
    Done::to(&format!("/admin/cases/{id}/releases"), "")
}

/// `GET /admin/cases/{id}/releases/{release}`: a released copy.
pub async fn download(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ReadApplications>,
    Path((id, release)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    load(&state, &s, id, Action::ReadApplications).await?;
    let listed = case_release::list(&state.store, id).await?;
    let r = listed
        .iter()
        .find(|r| r.id == release)
        .ok_or_else(|| PageError::not_found("未找到该公开文本。"))?;
    let data = case_release::data(&state.store, id, release).await?;
    let mut resp = data.into_response();
    if let Ok(v) = HeaderValue::from_str(&r.media_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    let disposition = format!(
        "attachment; filename=\"release-{release}\"; filename*=UTF-8''{}",
        crate::fmt::urlencode(&r.file_name)
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}
