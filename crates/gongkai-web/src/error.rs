//! Errors as pages (Chinese, with the status) and as API answers (JSON naming the fields).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use gongkai_store::{Refusal, StoreError};

/// A page that could not be shown: the status and a message for the reader.
#[derive(Debug)]
pub struct PageError {
    /// The HTTP status.
    pub status: StatusCode,
    /// What the reader is told, in Chinese.
    pub message: String,
}

impl PageError {
    /// 404 with a message.
    pub fn not_found(message: impl Into<String>) -> PageError {
        PageError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }

    /// 422: the request was understood and breaks a rule; the message says which, in Chinese.
    pub fn unprocessable(message: impl Into<String>) -> PageError {
        PageError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: message.into(),
        }
    }

    /// 500: the details go to the log, the reader gets an apology.
    pub fn internal(e: impl std::fmt::Display) -> PageError {
        tracing::error!("internal error: {e}");
        PageError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "系统繁忙，请稍后再试。".to_string(),
        }
    }
}

/// The status a refusal of the store answers with: 403 where the rule is about who asks (one's
/// own draft), 413 for a file over the limit, 422 for the rest (the request was understood and
/// breaks a rule of the domain).
pub fn refusal_status(r: &Refusal) -> StatusCode {
    match r {
        Refusal::SelfReview | Refusal::SelfChange => StatusCode::FORBIDDEN,
        Refusal::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

/// The one mapping of store errors to pages: a missing record is 404, a refusal is shown as it
/// is with the status of its kind ([`refusal_status`]), anything else is a 500 whose details go
/// to the log only.
impl From<StoreError> for PageError {
    fn from(e: StoreError) -> PageError {
        match e {
            StoreError::NotFound(what) => PageError::not_found(format!("未找到：{what}")),
            StoreError::Refused(r) => PageError {
                status: refusal_status(&r),
                message: r.to_string(),
            },
            other => PageError::internal(other),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    message: &'a str,
}

/// What a page error said, kept on the answer so that [`framed`] can show it in the site's
/// frame.
#[derive(Debug, Clone)]
struct Shown {
    status: StatusCode,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let body = ErrorPage {
            status: self.status.as_u16(),
            message: &self.message,
        }
        .render()
        .unwrap_or_else(|_| self.message.clone());
        let mut resp = (self.status, Html(body)).into_response();
        resp.extensions_mut().insert(Shown {
            status: self.status,
            message: self.message,
        });
        resp
    }
}

#[derive(Template)]
#[template(path = "error_framed.html")]
struct FramedErrorPage<'a> {
    page: crate::Page,
    status: u16,
    message: &'a str,
    gone: bool,
}

/// Middleware: a portal page that answers 404 or 410 keeps the site's header, navigation and a
/// search box, so a reader who followed a dead link can go on from there. The back office and
/// the API keep their own error answers.
pub async fn framed(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = req.uri().path().to_string();
    let portal = !(path.starts_with("/admin") || path.starts_with("/api/"));
    let headers = req.headers().clone();
    let resp = next.run(req).await;
    let Some(shown) = resp.extensions().get::<Shown>().cloned() else {
        return resp;
    };
    if !portal || !matches!(shown.status, StatusCode::NOT_FOUND | StatusCode::GONE) {
        return resp;
    }
    let gone = shown.status == StatusCode::GONE;
    let title = if gone {
        "信息已撤回"
    } else {
        "页面不存在"
    };
    let page = crate::Page::new(
        &state,
        &headers,
        &path,
        title,
        crate::layout::Section::Other,
    );
    match (FramedErrorPage {
        page,
        status: shown.status.as_u16(),
        message: &shown.message,
        gone,
    })
    .render()
    {
        Ok(body) => (shown.status, Html(body)).into_response(),
        Err(_) => resp,
    }
}

/// Renders a template into an HTML answer, or a 500 page if rendering fails.
pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(body) => Html(body).into_response(),
        Err(e) => PageError::internal(e).into_response(),
    }
}

/// The fallback for unknown paths.
pub async fn not_found() -> PageError {
    PageError::not_found("您访问的页面不存在。")
}
