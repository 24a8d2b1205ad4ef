//! What the back office's router tests share: a fresh store and the state and router over it,
//! accounts signed in with the test password, and requests sent through a router, answered as
//! (status, headers, body). Each test module keeps its own fixture (its agencies, clock and
//! extra routes) and builds it from these.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use chrono::{DateTime, Utc};
use gongkai_search::SearchIndex;
use gongkai_store::auth::{self, NewUser, Role, User};
use gongkai_store::{Crypto, Store};
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

use super::{AdminSettings, SESSION_COOKIE, router_with};
use crate::{AppState, SiteSettings};

/// The password every test account gets (it passes the password policy).
pub(super) const PASSWORD: &str = "Test-Secret-2026";

/// A fresh SQLite store in a temporary folder (the folder lives as long as the guard).
pub(super) async fn store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = Store::open_with_crypto(&url, Crypto::random())
        .await
        .unwrap();
    (store, dir)
}

/// The state of a site run by `agency_id` (甲县人民政府's name and codes), searching an index
/// in memory.
pub(super) fn state(store: Store, agency_id: i64) -> AppState {
    let site = SiteSettings {
        site_name: "甲县人民政府".into(),
        agency_id,
        site_code: "0000000000".into(),
        icp: "豫ICP备00000000号".into(),
    };
    AppState::new(store, site, Arc::new(SearchIndex::in_memory().unwrap()))
}

/// The back office over `state` as the site's router serves it (audit entries carry the
/// request's client address).
pub(super) fn app(state: &AppState, settings: AdminSettings) -> Router {
    Router::new()
        .merge(router_with(settings))
        .with_state(state.clone())
        .layer(axum::middleware::from_fn(crate::client_ip::audit_scope))
}

/// Creates an account of `role` in `agency_id`, as the command line makes it, at `at`.
pub(super) async fn account(
    state: &AppState,
    name: &str,
    role: Role,
    agency_id: Option<i64>,
    at: DateTime<Utc>,
) -> User {
    auth::create_user(
        &state.store,
        "cli",
        &NewUser {
            name: name.into(),
            role,
            agency_id,
        },
        PASSWORD,
        at,
    )
    .await
    .unwrap()
}

/// Creates an account of `role` in `agency_id` and signs it in at `at`: (cookie header, CSRF
/// token).
pub(super) async fn signed_in(
    state: &AppState,
    name: &str,
    role: Role,
    agency_id: Option<i64>,
    at: DateTime<Utc>,
) -> (String, String) {
    account(state, name, role, agency_id, at).await;
    let s = auth::login(&state.store, name, PASSWORD, at).await.unwrap();
    (
        format!("{SESSION_COOKIE}={}", s.token.as_str()),
        s.csrf.clone(),
    )
}

/// A response: status, headers, body as text.
pub(super) type Answer = (StatusCode, HeaderMap, String);

/// Percent-encodes a form value (RFC 3986 unreserved characters stay).
pub(super) fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// An `application/x-www-form-urlencoded` body.
pub(super) fn form_body(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{k}={}", urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Sends a request through the router.
pub(super) async fn send(app: &Router, req: Request<Body>) -> Answer {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

/// A GET with the cookie header (none when empty).
pub(super) async fn get(app: &Router, path: &str, cookie: &str) -> Answer {
    let mut b = Request::get(path);
    if !cookie.is_empty() {
        b = b.header(header::COOKIE, cookie);
    }
    send(app, b.body(Body::empty()).unwrap()).await
}

/// A form POST with the cookie header (none when empty).
pub(super) fn post_request(path: &str, cookie: &str, form: &[(&str, &str)]) -> Request<Body> {
    let mut b =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if !cookie.is_empty() {
        b = b.header(header::COOKIE, cookie);
    }
    b.body(Body::from(form_body(form))).unwrap()
}

/// A form POST through the router from client address `ip`.
pub(super) async fn post_from(
    app: &Router,
    ip: &str,
    path: &str,
    cookie: &str,
    form: &[(&str, &str)],
) -> Answer {
    let addr: std::net::SocketAddr = format!("{ip}:40000").parse().unwrap();
    let mut req = post_request(path, cookie, form);
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(addr));
    send(app, req).await
}

/// A form POST through the router.
pub(super) async fn post(app: &Router, path: &str, cookie: &str, form: &[(&str, &str)]) -> Answer {
    send(app, post_request(path, cookie, form)).await
}

/// Opens the sign-in form as a browser does: (cookie header of its pre-session, the form's
/// token).
pub(super) async fn login_form(app: &Router) -> (String, String) {
    let (status, h, body) = get(app, "/admin/login", "").await;
    assert_eq!(status, StatusCode::OK);
    let set = h
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("gk_login="))
        .expect("the sign-in form sets its pre-session cookie");
    let cookie = set.split(';').next().unwrap().to_string();
    let marker = r#"name="csrf" value=""#;
    let start = body.find(marker).expect("the form's token") + marker.len();
    let token = body[start..].split('"').next().unwrap().to_string();
    assert_eq!(token.len(), 64);
    (cookie, token)
}
