//! Electronic delivery on `/track` (issue 13.4): with the tracking number and query code the
//! applicant downloads the 答复书 of the final reply (PDF or DOCX) and every copy released
//! with it (区分处理, Art. 37). Nothing else of the case leaves: not the originals, not the
//! other letters, not the redaction log.
//!
//! Each download is a POST form on the found-application page carrying `no`, `code` and
//! `csrf` in its body (the query code never goes in a URL), and goes through
//! [`track_lookup`] — the same guessing limits as `/track`. Every answer is
//! `Cache-Control: no-store`. The first download of the reply letter records 送达
//! ([`case_delivery::record_download`]).

use axum::Router;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use gongkai_law::{ClockEvent, beijing_today};
use gongkai_store::models::application::{self, Application};
use gongkai_store::models::{case_delivery, case_release};
use serde::Deserialize;

use crate::apply::{TrackLookup, find_tracked, track_lookup};
use crate::client_ip::ClientIp;
use crate::security::csrf_ok;
use crate::security::{no_store, retry_after};
use crate::{AppState, PageError};

/// The download routes, merged into the site's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/track/letter", post(letter))
        .route("/track/release", post(release))
}

/// What the found-application page offers to download.
#[derive(Debug, Clone, Default)]
pub struct TrackDownloads {
    /// Whether the case has a final reply (its 答复书 can be downloaded).
    pub letter: bool,
    /// The released copies: id and file name.
    pub releases: Vec<(i64, String)>,
}

impl TrackDownloads {
    /// Whether there is anything to download.
    pub fn any(&self) -> bool {
        self.letter || !self.releases.is_empty()
    }
}

/// The event of the final reply of case `id`, if it has been answered.
async fn final_reply(state: &AppState, id: i64) -> Result<Option<i64>, PageError> {
    let events = application::events(&state.store, id).await?;
    Ok(events
        .iter()
        .rev()
        .find(|e| matches!(e.event, ClockEvent::Replied { .. }) && e.outcome.is_some())
        .map(|e| e.id))
}

/// The downloads of `app` for `/track`: only once the case is answered (a copy prepared
/// before the reply is not yet released).
pub async fn for_track(state: &AppState, app: &Application) -> Result<TrackDownloads, PageError> {
    if final_reply(state, app.id).await?.is_none() {
        return Ok(TrackDownloads::default());
    }
    let releases = case_release::list(&state.store, app.id)
        .await?
        .into_iter()
        .map(|r| (r.id, r.file_name))
        .collect();
    Ok(TrackDownloads {
        letter: true,
        releases,
    })
}

/// A download form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct DownloadForm {
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
    /// Tracking number.
    #[serde(default)]
    pub no: String,
    /// Query code.
    #[serde(default)]
    pub code: String,
    /// `pdf` or `docx` (the letter).
    #[serde(default)]
    pub format: String,
    /// The released copy's id.
    #[serde(default)]
    pub release: Option<i64>,
}

fn refused(status: StatusCode, message: &str) -> PageError {
    PageError {
        status,
        message: message.to_string(),
    }
}

/// The application the form names, under the CSRF check and the guessing limits (a refusal
/// is an error page; when limited, a 429 with `Retry-After`).
async fn found(
    state: &AppState,
    ip: std::net::IpAddr,
    headers: &HeaderMap,
    f: &DownloadForm,
) -> Result<Application, Response> {
    match lookup(state, ip, headers, f).await {
        Ok(app) => Ok(app),
        Err(Refused::Page(e)) => Err(no_store(e.into_response())),
        Err(Refused::Limited(secs)) => Err(no_store(retry_after(
            refused(StatusCode::TOO_MANY_REQUESTS, "查询次数过多，请稍后再试。").into_response(),
            secs,
        ))),
    }
}

enum Refused {
    Page(PageError),
    Limited(i64),
}

impl From<PageError> for Refused {
    fn from(e: PageError) -> Refused {
        Refused::Page(e)
    }
}

async fn lookup(
    state: &AppState,
    ip: std::net::IpAddr,
    headers: &HeaderMap,
    f: &DownloadForm,
) -> Result<Application, Refused> {
    if !csrf_ok(headers, &f.csrf) {
        return Err(Refused::Page(refused(
            StatusCode::FORBIDDEN,
            "页面已过期，请重新查询后下载。",
        )));
    }
    let not_found = || {
        refused(
            StatusCode::NOT_FOUND,
            "未找到该申请，请核对申请编号和查询码。",
        )
    };
    match track_lookup(state, ip, &f.no, &f.code).await? {
        TrackLookup::Found(_) => {}
        TrackLookup::NotFound => return Err(Refused::Page(not_found())),
        TrackLookup::Limited { retry_after } => return Err(Refused::Limited(retry_after)),
    }
    Ok(find_tracked(state, &f.no, &f.code)
        .await?
        .ok_or_else(not_found)?)
}

/// `POST /track/letter`: the 答复书 of the final reply, as PDF or DOCX; the first download
/// serves it (送达).
pub async fn letter(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(f): Form<DownloadForm>,
) -> Result<Response, PageError> {
    let app = match found(&state, ip, &headers, &f).await {
        Ok(app) => app,
        Err(resp) => return Ok(resp),
    };
    let event_id = final_reply(&state, app.id)
        .await?
        .ok_or_else(|| PageError::not_found("该申请尚未答复，暂无答复书可下载。"))?;
    if !matches!(f.format.as_str(), "pdf" | "docx") {
        return Err(refused(
            StatusCode::BAD_REQUEST,
            "请选择 PDF 或 Word 格式。",
        ));
    }
    let letter = crate::admin::cases::event_letter(&state, &app, event_id).await?;
    let resp =
        crate::admin::cases::letter_file(&letter, &app.tracking_no, event_id, Some(&f.format))?
            .ok_or_else(|| refused(StatusCode::BAD_REQUEST, "请选择 PDF 或 Word 格式。"))?;
    case_delivery::record_download(&state.store, app.id, beijing_today()).await?;
    Ok(no_store(resp))
}

/// `POST /track/release`: a copy released with the final reply.
pub async fn release(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(f): Form<DownloadForm>,
) -> Result<Response, PageError> {
    let app = match found(&state, ip, &headers, &f).await {
        Ok(app) => app,
        Err(resp) => return Ok(resp),
    };
    let offered = for_track(&state, &app).await?;
    let id = f.release.unwrap_or_default();
    let Some((_, file_name)) = offered.releases.iter().find(|(r, _)| *r == id) else {
        return Err(PageError::not_found("未找到该公开文本。"));
    };
    let listed = case_release::list(&state.store, app.id).await?;
    let media_type = listed
        .iter()
        .find(|r| r.id == id)
        .map(|r| r.media_type.clone())
        .unwrap_or_else(|| "application/octet-stream".into());
    let data = case_release::data(&state.store, app.id, id).await?;
    let mut resp = data.into_response();
    if let Ok(v) = HeaderValue::from_str(&media_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    let disposition = format!(
        "attachment; filename=\"release-{id}\"; filename*=UTF-8''{}",
        crate::fmt::urlencode(file_name)
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(no_store(resp))
}
