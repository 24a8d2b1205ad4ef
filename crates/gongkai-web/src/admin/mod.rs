//! The back office under `/admin`: sign-in, a dashboard by role, user management for the
//! security admin and the audit log (with its hash-chain check) for the audit admin.
//!
//! Mount [`router`] into the site's router with `.merge(admin::router())`. Every handler
//! takes one extractor of [`extract`]: it resolves the session ([`AdminSession`], which also
//! slides the idle timer), asks [`access`] whether the role may, checks the form's CSRF token
//! (bound to its session, [`AdminSession::check_csrf`]) and only then parses the form; the
//! handler's loader asks [`access::require`] again with the record's agency. The session cookie is `HttpOnly; SameSite=Strict;
//! Path=/admin`, and `Secure` per [`CookieSecurity`]. Answers carry the site's security
//! headers and `Cache-Control: no-store`, so no page of the back office stays in a cache.

pub mod access;
pub mod api_tokens;
pub mod appeals;
mod audit_log;
pub mod case_correction;
pub mod case_list;
pub mod case_releases;
pub mod case_reply;
pub mod cases;
pub mod delivery;
pub mod extract;
pub mod fees;
pub mod item_meta;
pub mod letter_settings;
pub mod letters;
pub mod mailbox;
pub mod oversight;
mod oversight_export;
mod oversight_model;
#[cfg(test)]
mod oversight_tests;
mod pages;
pub mod publish;
pub mod registry_admin;
pub mod report_editor;
pub mod severe_words;
pub mod site_inspection_sheet;
pub mod site_inspections;
pub mod site_report;
pub mod site_settings;
pub mod sites;
pub mod supervision;
#[cfg(test)]
mod supervision_tests;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
pub mod words;

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use gongkai_store::auth::{self, Session, SessionToken, User};
use subtle::ConstantTimeEq;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::layout::{NavLink, font_size};
use crate::security::cookie;
use crate::{AppState, Page, PageError};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "gk_admin";

/// When the session cookie carries `Secure`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CookieSecurity {
    /// When the request came over HTTPS: a TLS-terminating proxy in front says so with
    /// `X-Forwarded-Proto: https` (or `Forwarded: proto=https`). Over plain HTTP a browser
    /// would drop a `Secure` cookie and nobody could sign in.
    #[default]
    Auto,
    /// Always (deployments that are HTTPS only).
    Always,
    /// Never (local development over HTTP).
    Never,
}

/// A clock, so tests can step over the idle timeout without sleeping.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Settings of the back office.
#[derive(Clone)]
pub struct AdminSettings {
    /// When the session cookie is `Secure`.
    pub secure_cookie: CookieSecurity,
    /// Where "now" comes from (the system clock outside tests).
    pub clock: Clock,
}

impl Default for AdminSettings {
    fn default() -> Self {
        AdminSettings {
            secure_cookie: CookieSecurity::Auto,
            clock: Arc::new(Utc::now),
        }
    }
}

impl std::fmt::Debug for AdminSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminSettings")
            .field("secure_cookie", &self.secure_cookie)
            .finish_non_exhaustive()
    }
}

impl AdminSettings {
    fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Today in Beijing by the back office's clock.
    fn today(&self) -> chrono::NaiveDate {
        gongkai_law::beijing_date(self.now())
    }

    /// Whether this request's cookie should be `Secure`.
    fn secure(&self, headers: &HeaderMap) -> bool {
        match self.secure_cookie {
            CookieSecurity::Always => true,
            CookieSecurity::Never => false,
            CookieSecurity::Auto => {
                let proto = headers
                    .get("x-forwarded-proto")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
                let forwarded = headers
                    .get(header::FORWARDED)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| {
                        // RFC 7239: `for=…;proto=https, for=…`; the pairs of every element.
                        v.split([',', ';']).any(|pair| {
                            pair.split_once('=').is_some_and(|(k, val)| {
                                k.trim().eq_ignore_ascii_case("proto")
                                    && val.trim().trim_matches('"').eq_ignore_ascii_case("https")
                            })
                        })
                    });
                proto || forwarded
            }
        }
    }

    /// The `Set-Cookie` value that hands the browser its session token.
    fn session_cookie(&self, headers: &HeaderMap, token: &SessionToken) -> String {
        let secure = if self.secure(headers) { "; Secure" } else { "" };
        format!(
            "{SESSION_COOKIE}={}; Path=/admin; HttpOnly; SameSite=Strict{secure}",
            token.as_str()
        )
    }

    /// The `Set-Cookie` value that hands the browser its sign-in form's pre-session.
    fn login_cookie(&self, headers: &HeaderMap, token: &SessionToken) -> String {
        let secure = if self.secure(headers) { "; Secure" } else { "" };
        format!(
            "{}={}; Path=/admin/login; HttpOnly; SameSite=Strict{secure}",
            pages::LOGIN_COOKIE,
            token.as_str()
        )
    }

    /// The `Set-Cookie` value that removes the pre-session cookie after a sign-in.
    fn clear_login_cookie(&self, headers: &HeaderMap) -> String {
        let secure = if self.secure(headers) { "; Secure" } else { "" };
        format!(
            "{}=; Path=/admin/login; Max-Age=0; HttpOnly; SameSite=Strict{secure}",
            pages::LOGIN_COOKIE
        )
    }

    /// The `Set-Cookie` value that removes the session cookie.
    fn clear_cookie(&self, headers: &HeaderMap) -> String {
        let secure = if self.secure(headers) { "; Secure" } else { "" };
        format!("{SESSION_COOKIE}=; Path=/admin; Max-Age=0; HttpOnly; SameSite=Strict{secure}")
    }
}

/// The back office with default settings (`Secure` cookies when the request came over
/// HTTPS, the system clock).
pub fn router() -> Router<AppState> {
    router_with(AdminSettings::default())
}

/// The back office with explicit settings.
pub fn router_with(settings: AdminSettings) -> Router<AppState> {
    Router::new()
        .route("/admin", get(pages::dashboard))
        .route("/admin/", get(pages::dashboard))
        .route("/admin/login", get(pages::login_form).post(pages::login_submit))
        .route("/admin/logout", post(pages::logout))
        .route(
            "/admin/password",
            get(pages::password_form).post(pages::password_submit),
        )
        .route("/admin/users", get(pages::users).post(pages::user_add))
        .route("/admin/users/{id}/disable", post(pages::user_disable))
        .route("/admin/users/{id}/enable", post(pages::user_enable))
        .route("/admin/users/{id}/password", post(pages::user_reset_password))
        .route("/admin/audit", get(audit_log::page))
        .route("/admin/audit.csv", get(audit_log::csv))
        .merge(cases::routes())
        .merge(publish::routes())
        .merge(words::routes())
        .merge(supervision::routes())
        .merge(registry_admin::routes())
        .merge(site_inspections::routes())
        .merge(site_report::routes())
        .merge(severe_words::routes())
        .merge(site_settings::routes())
        .merge(api_tokens::routes())
        .merge(sites::routes())
        .merge(report_editor::routes())
        .merge(mailbox::routes())
        .merge(appeals::routes())
        .merge(oversight::routes())
        .merge(case_list::routes())
        .merge(delivery::routes())
        .merge(fees::routes())
        .merge(case_releases::routes())
        .layer(axum::Extension(Arc::new(settings)))
        // The same headers as the rest of the site (the site's router adds them too; these
        // only apply when the back office is served alone), and nothing cached.
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
            ),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
}

/// The settings the router was built with.
fn settings(parts: &Parts) -> Arc<AdminSettings> {
    parts
        .extensions
        .get::<Arc<AdminSettings>>()
        .cloned()
        .unwrap_or_default()
}

/// The signed-in session of a request. Extracting it slides the idle timer; without a valid
/// session a page request is sent to the sign-in page and any other request is refused (403),
/// so a form posted after the session ended never acts.
pub struct AdminSession {
    /// The session (token, CSRF token, user).
    pub session: Session,
    /// The settings of the back office.
    pub settings: Arc<AdminSettings>,
}

impl AdminSession {
    /// The signed-in user.
    pub fn user(&self) -> &User {
        &self.session.user
    }

    /// Checks a form's CSRF token against the session's, in constant time; 403 otherwise.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), PageError> {
        let ok: bool = self
            .session
            .csrf
            .as_bytes()
            .ct_eq(submitted.as_bytes())
            .into();
        if ok && !submitted.is_empty() {
            Ok(())
        } else {
            Err(PageError {
                status: StatusCode::FORBIDDEN,
                message: "页面已过期或来源不明，请返回重新操作。".to_string(),
            })
        }
    }
}

/// Looks the session up; `None` without a cookie or when the session has ended.
async fn resolve(parts: &Parts, state: &AppState) -> Result<Option<AdminSession>, PageError> {
    let settings = settings(parts);
    let Some(token) = cookie(&parts.headers, SESSION_COOKIE).filter(|t| t.len() == 64) else {
        return Ok(None);
    };
    let token = SessionToken::new(token);
    let session = auth::session_user(&state.store, &token, settings.now()).await?;
    Ok(session.map(|session| AdminSession { session, settings }))
}

impl FromRequestParts<AppState> for AdminSession {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match resolve(parts, state).await {
            Ok(Some(s)) => Ok(s),
            Ok(None) if parts.method == Method::GET || parts.method == Method::HEAD => {
                // A cookie that no longer opens a session: the session timed out or was
                // ended elsewhere; say so, and drop the dead cookie.
                if cookie(&parts.headers, SESSION_COOKIE).is_some_and(|t| !t.is_empty()) {
                    let mut resp = Redirect::to("/admin/login?msg=expired").into_response();
                    let clear = settings(parts).clear_cookie(&parts.headers);
                    if let Ok(v) = HeaderValue::from_str(&clear) {
                        resp.headers_mut().append(header::SET_COOKIE, v);
                    }
                    Err(resp)
                } else {
                    Err(Redirect::to("/admin/login").into_response())
                }
            }
            Ok(None) => Err(PageError {
                status: StatusCode::FORBIDDEN,
                message: "登录已失效，请重新登录后再操作。".to_string(),
            }
            .into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

impl OptionalFromRequestParts<AppState> for AdminSession {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        resolve(parts, state)
            .await
            .map_err(IntoResponse::into_response)
    }
}

/// The frame of a back-office page: the site's frame with the back office's own navigation
/// (only the entries the user's role may open).
fn frame(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    title: &str,
    user: Option<&User>,
) -> Page {
    let mut page = Page::new(
        state,
        headers,
        path,
        format!("{title} - 后台管理"),
        crate::layout::Section::Other,
    );
    page.nav = match user {
        None => vec![NavLink {
            href: "/admin/login",
            label: "后台登录",
            current: true,
        }],
        Some(u) => std::iter::once(NavLink {
            href: "/admin",
            label: access::Action::ViewDashboard.label(),
            current: path == "/admin",
        })
        .chain(pages::cards_of(u.role).into_iter().map(|c| NavLink {
            href: c.href,
            label: c.title,
            current: c.href == path,
        }))
        .collect(),
    };
    page.font = font_size(headers);
    page
}

/// A time as Beijing time (UTC+8, no daylight saving), to the minute: what users read.
pub(crate) fn beijing(t: DateTime<Utc>) -> String {
    t.with_timezone(&gongkai_law::beijing_offset())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}
