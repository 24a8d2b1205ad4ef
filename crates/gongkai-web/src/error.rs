//! Errors as pages (Chinese, with the status) and as API answers (JSON naming the fields).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

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

    /// 500: the details go to the log, the reader gets an apology.
    pub fn internal(e: impl std::fmt::Display) -> PageError {
        tracing::error!("internal error: {e}");
        PageError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "系统繁忙，请稍后再试。".to_string(),
        }
    }
}

impl From<gongkai_store::StoreError> for PageError {
    fn from(e: gongkai_store::StoreError) -> PageError {
        match e {
            gongkai_store::StoreError::NotFound(what) => {
                PageError::not_found(format!("未找到：{what}"))
            }
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

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let body = ErrorPage {
            status: self.status.as_u16(),
            message: &self.message,
        }
        .render()
        .unwrap_or_else(|_| self.message.clone());
        (self.status, Html(body)).into_response()
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
