//! The applicant's side of a 补正 notice (Art. 30) on /track: the notice's items and the date
//! the correction is due, as the letter says them, and the answer form (text and optional
//! files, the attachments' limits), posted to `POST /track/correction` with the tracking
//! number and query code in the body, never in the URL.
//!
//! The answer becomes a case event through [`correction::answer`]: in time, the corrected
//! application (the 20 working days restart from it); late, it is kept and the handler decides.
//! The form is a plain multipart form without JavaScript, with the site's double-submit CSRF
//! token, behind the per-address submission limit.

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::Response;
use axum::routing::post;
use chrono::NaiveDate;
use gongkai_store::models::attachment::MAX_ATTACHMENT_BYTES;
use gongkai_store::models::correction::{self, CorrectionChannel, MAX_FILES, NewFile};

use crate::client_ip::ClientIp;
use crate::error::render;
use crate::layout::Section;
use crate::layout::frame;
use crate::multipart;
use crate::security::csrf_ok;
use crate::{AppState, Page, PageError};

/// The largest answer body: two files of the largest size, or more smaller ones.
pub const ANSWER_BODY_LIMIT: usize = 2 * MAX_ATTACHMENT_BYTES + 64 * 1024;

/// The answer route, with a body limit of its own (mounted outside the site's small limit for
/// forms).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/track/correction", post(submit))
        .layer(DefaultBodyLimit::max(ANSWER_BODY_LIMIT))
}

/// An answer as /track shows it.
#[derive(Debug, Clone)]
pub struct AnswerLine {
    /// The day it was received.
    pub received_on: NaiveDate,
    /// 网上提交 / 邮寄 / 当面提交.
    pub channel: &'static str,
    /// What the applicant wrote.
    pub text: String,
    /// The files' names.
    pub files: Vec<String>,
    /// What became of it.
    pub state: &'static str,
}

/// The 补正 section of /track.
#[derive(Debug, Clone)]
pub struct TrackCorrection {
    /// The day the notice went out.
    pub sent_on: NaiveDate,
    /// The last day of the correction period.
    pub due: Option<NaiveDate>,
    /// What to correct, as the notice lists it.
    pub items: Vec<String>,
    /// Whether the applicant may answer now.
    pub open: bool,
    /// Whether today is after the period (the answer is still taken; the office decides).
    pub overdue: bool,
    /// Answers sent so far.
    pub answers: Vec<AnswerLine>,
}

/// The 补正 section of application `app_id` on `today`, if it ever had a notice.
pub async fn for_track(
    state: &AppState,
    app_id: i64,
    today: NaiveDate,
) -> Result<Option<TrackCorrection>, PageError> {
    let Some(notice) = correction::latest_notice(&state.store, app_id).await? else {
        return Ok(None);
    };
    let open = correction::open_notice(&state.store, app_id)
        .await?
        .is_some_and(|o| o.event_id == notice.event_id);
    let answers = correction::answers(&state.store, app_id)
        .await?
        .into_iter()
        .map(|a| AnswerLine {
            received_on: a.received_on,
            channel: a.channel.label(),
            text: a.text,
            files: a.files.into_iter().map(|f| f.file_name).collect(),
            state: match (a.event_id, a.late) {
                (Some(_), _) => "已收到补正，答复期限自收到之日起重新计算",
                (None, true) => "逾期提交，待行政机关决定是否受理",
                (None, false) => "已收到",
            },
        })
        .collect();
    Ok(Some(TrackCorrection {
        sent_on: notice.sent_on,
        overdue: notice.due.is_some_and(|d| today > d),
        due: notice.due,
        items: notice.items,
        open,
        answers,
    }))
}

#[derive(Template)]
#[template(path = "correction_answer.html")]
struct AnswerPage {
    page: Page,
    no: String,
    /// Set when the answer was recorded.
    done: Option<AnswerLine>,
    /// The notice (to answer again after an error).
    correction: Option<TrackCorrection>,
    csrf: String,
    code: String,
    text: String,
    error: String,
}

fn refused(status: StatusCode, message: &str) -> PageError {
    PageError {
        status,
        message: message.to_string(),
    }
}

/// `POST /track/correction` (multipart): the applicant's answer to the open 补正 notice.
pub async fn submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, PageError> {
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            refused(
                StatusCode::PAYLOAD_TOO_LARGE,
                "上传的附件合计超过 20 MB，请压缩或减少附件后重新提交。",
            )
        } else {
            refused(StatusCode::BAD_REQUEST, "提交中断，请重新提交。")
        }
    })?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let parts = multipart::boundary(content_type)
        .and_then(|b| multipart::parse(&b, &body))
        .map_err(|e| refused(StatusCode::BAD_REQUEST, &e.to_string()))?;
    let field = |name: &str| {
        parts
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.text())
            .unwrap_or_default()
    };
    let (csrf, no, code, text) = (field("csrf"), field("no"), field("code"), field("text"));
    if !csrf_ok(&headers, &csrf) {
        return Err(refused(
            StatusCode::FORBIDDEN,
            "页面已过期，请重新查询后提交补正。",
        ));
    }
    if !state.limiter.allow(ip) {
        return Err(refused(
            StatusCode::TOO_MANY_REQUESTS,
            "提交过于频繁，请稍后再试。",
        ));
    }
    let code = code.trim().to_uppercase();
    // The same guessing limits as /track: a wrong code here counts like one there.
    match crate::apply::track_lookup(&state, ip, &no, &code).await? {
        crate::apply::TrackLookup::Found(_) => {}
        crate::apply::TrackLookup::NotFound => {
            return Err(refused(
                StatusCode::NOT_FOUND,
                "未找到该申请，请核对申请编号和查询码。",
            ));
        }
        crate::apply::TrackLookup::Limited { .. } => {
            return Err(refused(
                StatusCode::TOO_MANY_REQUESTS,
                "查询次数过多，请稍后再试。",
            ));
        }
    }
    let app = crate::apply::find_tracked(&state, &no, &code)
        .await?
        .ok_or_else(|| {
            refused(
                StatusCode::NOT_FOUND,
                "未找到该申请，请核对申请编号和查询码。",
            )
        })?;
    let files: Vec<NewFile> = parts
        .iter()
        .filter(|p| p.name == "files" && p.file_name.as_deref().is_some_and(|n| !n.is_empty()))
        .map(|p| NewFile {
            file_name: p.file_name.clone().unwrap_or_default(),
            data: p.data.to_vec(),
        })
        .collect();
    let today = gongkai_law::beijing_today();
    let page = frame(&state, &headers, &uri, "提交补正", Section::Apply);
    let error = if text.trim().is_empty() {
        Some("补正内容：请写明补正的内容。".to_string())
    } else if files.len() > MAX_FILES {
        Some(format!("附件最多{MAX_FILES}个。"))
    } else {
        None
    };
    let result = match error {
        Some(e) => Err(e),
        None => correction::answer(
            &state.store,
            "portal",
            app.id,
            CorrectionChannel::Online,
            today,
            &text,
            &files,
        )
        .await
        .map_err(|e| match e {
            gongkai_store::StoreError::Refused(r) => r.to_string(),
            other => other.to_string(),
        }),
    };
    match result {
        Ok(a) => Ok(render(&AnswerPage {
            page,
            no: app.tracking_no,
            done: Some(AnswerLine {
                received_on: a.received_on,
                channel: a.channel.label(),
                text: a.text,
                files: a.files.into_iter().map(|f| f.file_name).collect(),
                state: if a.late {
                    "逾期提交，待行政机关决定是否受理"
                } else {
                    "已收到补正，答复期限自收到之日起重新计算"
                },
            }),
            correction: None,
            csrf,
            code: String::new(),
            text: String::new(),
            error: String::new(),
        })),
        Err(error) => {
            let mut resp = render(&AnswerPage {
                page,
                no: app.tracking_no,
                done: None,
                correction: for_track(&state, app.id, today).await?,
                csrf,
                code,
                text,
                error,
            });
            *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(resp)
        }
    }
}
