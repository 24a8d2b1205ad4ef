//! Gongkai's web: the public portal, the JSON API and (later) the back office, server-rendered
//! with askama and served by axum.
//!
//! Start with [`router`], which takes an [`AppState`] (the store, the search index and the
//! site's settings) and returns the whole application; [`serve`] binds it to an address.
//! Pages work without JavaScript; every form carries a CSRF token ([`security`]); every text
//! from the database is escaped by the templates.
//!
//! Architecture invariant: handlers never write SQL; they call `gongkai-store`.

pub mod error;
pub mod layout;
pub mod security;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use gongkai_store::Store;
use tower_http::set_header::SetResponseHeaderLayer;

pub use error::PageError;
pub use layout::Page;

/// Settings of the site that pages show (name, the agency whose portal this is, identifiers
/// the inspection rules ask for).
#[derive(Debug, Clone)]
pub struct SiteSettings {
    /// The site's name, e.g. 夏邑县人民政府.
    pub site_name: String,
    /// The agency (root of the subtree) this portal publishes for.
    pub agency_id: i64,
    /// 网站标识码, shown in the footer.
    pub site_code: String,
    /// ICP 备案号, shown in the footer.
    pub icp: String,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The records.
    pub store: Store,
    /// The site's settings.
    pub site: Arc<SiteSettings>,
    /// Per-IP limits on submissions (applications, letters).
    pub limiter: Arc<security::RateLimiter>,
}

impl AppState {
    /// State for a store and site, with the default submission limit (10 an hour per address).
    pub fn new(store: Store, site: SiteSettings) -> AppState {
        AppState {
            store,
            site: Arc::new(site),
            limiter: Arc::new(security::RateLimiter::new(
                10,
                std::time::Duration::from_secs(3600),
            )),
        }
    }
}

/// The whole application: pages, API and static files, with security headers on every answer.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/static/site.css", get(site_css))
        .route("/font-size", get(layout::set_font_size))
        .fallback(error::not_found)
        .with_state(state)
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

/// Serves the application on `addr` until the process is stopped.
pub async fn serve(state: AppState, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await
}

/// `/healthz`: 200 when the database answers, 503 when it does not.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

/// The one style sheet, compiled into the binary.
async fn site_css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../static/site.css"),
    )
}
