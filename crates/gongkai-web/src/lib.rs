//! Gongkai's web: the public portal, the JSON API and (later) the back office, server-rendered
//! with askama and served by axum.
//!
//! Start with [`router`], which takes an [`AppState`] (the store, the search index and the
//! site's settings) and returns the whole application; [`serve`] binds it to an address.
//! Pages work without JavaScript; every form carries a CSRF token ([`security`]); every text
//! from the database is escaped by the templates.
//!
//! Architecture invariant: handlers never write SQL; they call `gongkai-store`.

pub mod admin;
pub mod api;
pub mod application_form;
pub mod apply;
pub mod cache;
pub mod catalog;
pub mod charts;
pub mod checker;
pub mod client_ip;
pub mod correction;
pub mod download;
pub mod error;
pub mod fee_notice;
pub mod feed;
pub mod feeds;
pub mod fmt;
pub mod indexing;
pub mod layout;
pub mod mailbox;
pub mod metrics;
pub mod multipart;
pub mod openapi;
pub mod paging;
pub mod platform;
pub mod portal;
pub mod registry;
pub mod released;
pub mod reports;
pub mod rules;
pub mod security;
pub mod server;
pub mod site_info;
pub mod site_report;
pub mod track_downloads;
pub mod visits;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use gongkai_search::SearchIndex;
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
    /// 网站标识码 the footer shows until the system admin sets one ([`site_info`]).
    pub site_code: String,
    /// ICP 备案号 the footer shows until the system admin sets one ([`site_info`]).
    pub icp: String,
}

/// The default limit on applications per client address: 10 an hour.
pub const APPLY_PER_ADDRESS: gongkai_store::attempts::Limit = gongkai_store::attempts::Limit {
    scope: "apply.addr",
    limit: 10,
    window_secs: 3600,
};

/// What every handler can reach: one `Arc` around [`AppStateInner`], so that the per-request
/// clones axum makes of it (each middleware with state, each handler) cost one reference count
/// instead of one per field (issue 17.3 measured those at about 8% of a cached page's CPU).
/// Fields are read and set through `Deref`/`DerefMut`; setting one on a clone that is shared
/// copies the inner value first (`Arc::make_mut`), so a clone never changes another.
#[derive(Clone)]
pub struct AppState(Arc<AppStateInner>);

impl std::ops::Deref for AppState {
    type Target = AppStateInner;

    fn deref(&self) -> &AppStateInner {
        &self.0
    }
}

impl std::ops::DerefMut for AppState {
    fn deref_mut(&mut self) -> &mut AppStateInner {
        Arc::make_mut(&mut self.0)
    }
}

/// The fields of [`AppState`].
#[derive(Clone)]
pub struct AppStateInner {
    /// The records.
    pub store: Store,
    /// The site's settings.
    pub site: Arc<SiteSettings>,
    /// What the system admin set for the site (footer codes, the 指南's office), as last read.
    pub settings: Arc<site_info::LiveSettings>,
    /// Per-IP limits on submissions (letters, 补正 answers).
    pub limiter: Arc<security::RateLimiter>,
    /// Valid applications per client address (`/apply` and `POST /api/v1/applications`),
    /// counted in the database after validation; `gongkai serve` reads it from
    /// `GONGKAI_APPLY_LIMIT` and `GONGKAI_APPLY_WINDOW_SECS` (default 10 an hour).
    pub apply_limit: gongkai_store::attempts::Limit,
    /// The full-text index of published items (a cache of the database; see [`indexing`]).
    pub search: Arc<SearchIndex>,
    /// Rendered public pages, kept until the records they show change ([`cache`]).
    pub pages: Arc<cache::PageCache>,
    /// This node's place in the change feed ([`feed`]).
    pub feed: Arc<feed::FeedPosition>,
    /// Request counters and latencies for `/metrics` ([`metrics`]).
    pub metrics: Arc<metrics::Metrics>,
    /// The proxies whose `X-Forwarded-For` names the client ([`server::TrustedProxies`]).
    pub proxies: server::TrustedProxies,
    /// The site's public address (`https://www.example.gov.cn`, no trailing slash): absolute
    /// links in the feed and the sitemap are made from it, never from the request's `Host`;
    /// when it is `https://`, every answer carries HSTS.
    pub public_url: Arc<str>,
    /// What the 政府网站工作年度报表 says of the site beyond its name ([`site_report`]).
    pub site_profile: Arc<site_report::SiteProfile>,
    /// The day's visit counting ([`visits`]): counts only, never addresses.
    pub visits: Arc<visits::VisitCounter>,
    /// Whether reports may be fetched from loopback, private and link-local addresses (the
    /// workbench's URL list, `POST /api/v1/reports/check` with a `url`); off by default so
    /// that no user can make the server reach inside its own network. `gongkai serve` reads
    /// `GONGKAI_FETCH_PRIVATE=1` for a deployment whose reports sit on an intranet.
    pub fetch_private: bool,
    /// Anonymous calls of the report checker per client address (`POST /api/v1/reports/check`
    /// and `/parse` without a token); `gongkai serve` reads `GONGKAI_CHECK_LIMIT` and
    /// `GONGKAI_CHECK_WINDOW_SECS` (default 20 an hour).
    pub check_limit: gongkai_store::attempts::Limit,
    /// The agencies whose subtrees the search index covers: this site's alone, or on a
    /// 集约化 platform every site's ([`platform`]), the index being shared by all sites.
    pub index_roots: Arc<[i64]>,
}

impl AppState {
    /// State for a store and site, with the default submission limit (10 an hour per address).
    pub fn new(store: Store, site: SiteSettings, search: Arc<SearchIndex>) -> AppState {
        let root = site.agency_id;
        AppState(Arc::new(AppStateInner {
            store,
            search,
            pages: Arc::new(cache::PageCache::new(cache::DEFAULT_MAX_BYTES)),
            feed: Arc::new(feed::FeedPosition::default()),
            metrics: Arc::new(metrics::Metrics::default()),
            proxies: server::TrustedProxies::default(),
            settings: Arc::new(site_info::LiveSettings::new(&site.site_code, &site.icp)),
            site: Arc::new(site),
            limiter: Arc::new(security::RateLimiter::new(
                10,
                std::time::Duration::from_secs(3600),
            )),
            public_url: Arc::from("http://localhost"),
            apply_limit: APPLY_PER_ADDRESS,
            site_profile: Arc::new(site_report::SiteProfile::default()),
            visits: Arc::new(visits::VisitCounter::default()),
            fetch_private: false,
            check_limit: gongkai_store::attempts::CHECK_PER_ADDRESS,
            index_roots: Arc::from([root]),
        }))
    }
}

impl AppState {
    /// Whether the visit counts in the records are this site's: a single portal's, or on a
    /// 集约化 platform the default site's (the first of [`AppState::index_roots`]), under which
    /// the nodes count every site's visits together.
    pub fn counts_visits(&self) -> bool {
        self.index_roots.first() == Some(&self.site.agency_id)
    }

    /// Brings this node's search index and page cache in step with item `id` at once after
    /// its back office published, changed or withdrew it (the change feed does the same on
    /// every node a moment later).
    pub async fn item_changed(&self, id: i64) -> Result<(), indexing::IndexingError> {
        indexing::upsert_item(&self.store, &self.search, &self.index_roots, id).await?;
        self.pages.invalidate_kinds(cache::ITEM);
        Ok(())
    }
}

/// The whole application: pages, API and static files, with security headers on every answer.
pub fn router(state: AppState) -> Router {
    // 404 and 410 pages of the portal keep the site's frame (error::framed).
    let framed_errors = axum::middleware::from_fn_with_state(state.clone(), error::framed);
    // Page views and the day's distinct visitors, for the 政府网站工作年度报表 (counts only).
    let count_visits = axum::middleware::from_fn_with_state(state.clone(), visits::count);
    // Every page's footer reads the site settings: a copy kept fresh per node (site_info).
    let fresh_settings = axum::middleware::from_fn_with_state(state.clone(), site_info::refresh);
    let https = state.public_url.starts_with("https://");
    let app = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/static/site.css", get(site_css))
        .route("/font-size", get(layout::set_font_size))
        .route("/", get(portal::home))
        .route("/xxgk", get(portal::column))
        .route("/xxgk/guide", get(portal::guide))
        .route(
            "/xxgk/guide/application-form.docx",
            get(portal::application_form),
        )
        .route("/xxgk/system", get(portal::system))
        .route("/xxgk/fdzdgknr", get(portal::categories))
        .route("/xxgk/category/{n}", get(portal::category))
        .route("/xxgk/units", get(portal::units))
        .route("/xxgk/units/{id}", get(portal::unit))
        .route("/xxgk/items/{id}", get(portal::item))
        .route("/xxgk/items/{id}/attachments/{att}", get(portal::attachment))
        .route("/xxgk/topics", get(portal::topics))
        .route("/xxgk/topics/{id}", get(portal::topic))
        .route("/xxgk/decisions", get(portal::decisions))
        .route("/xxgk/decisions/{id}", get(portal::decision))
        .route("/xxgk/annual", get(reports::annual_list))
        .route("/search", get(portal::search))
        .route("/apply", get(apply::form).post(apply::submit))
        .route("/track", get(apply::track).post(apply::track_submit))
        .merge(track_downloads::routes())
        .route("/mailbox", get(mailbox::page).post(mailbox::submit))
        .route("/reports/{year}", get(reports::report_page))
        .route("/reports/{year}/download", get(reports::download))
        .route("/site-report", get(site_report::latest))
        .route("/site-report/{year}", get(site_report::portal_page))
        .route("/feed.atom", get(feeds::atom))
        .route("/sitemap.xml", get(feeds::sitemap))
        .route("/openapi.json", get(openapi::document))
        .nest("/api/v1", api::routes())
        .merge(admin::router())
        .merge(registry::routes())
        .fallback(error::not_found)
        // Forms and API bodies are small; a bigger body is refused before it is read.
        .layer(tower_http::limit::RequestBodyLimitLayer::new(64 * 1024))
        // Attachment uploads carry files: mounted after that limit, with a limit of their own.
        .merge(admin::publish::upload_routes())
        .merge(admin::oversight::upload_routes())
        // 补正 answers on /track carry the applicant's files: a limit of their own too.
        .merge(correction::routes())
        .merge(admin::case_releases::upload_routes())
        // The report checker of the API takes report files: a limit of its own.
        .merge(checker::routes())
        .with_state(state.clone())
        // Audit entries written while handling a request carry its client address.
        .layer(axum::middleware::from_fn(client_ip::audit_scope))
        .layer(framed_errors)
        .layer(axum::middleware::from_fn(api::json_errors))
        // Outside the page cache, so pages served from it are counted too.
        .layer(count_visits)
        .layer(fresh_settings)
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
        // The page uses no device or sensor: none may be asked for, even by injected code.
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(
                "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), interest-cohort=()",
            ),
        ))
        // The page cache outside every other layer: a page it holds is answered with the
        // headers those layers gave it, without running them again (a cached page costs about
        // what a file costs: issue 17.3); it counts the visit of a page it answers itself.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cache::layer,
        ));
    // Outermost: every answer is counted and timed, cached or not.
    let app = app.layer(axum::middleware::from_fn_with_state(
        state.metrics.clone(),
        metrics::layer,
    ));
    if https {
        // Served over HTTPS: browsers keep to HTTPS for a year, subdomains included.
        app.layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ))
    } else {
        app
    }
}

/// Serves the application on `addr` until Ctrl-C (or SIGTERM), then lets requests in flight
/// finish.
pub async fn serve(state: AppState, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    serve_on(state, listener, shutdown_signal()).await
}

/// Serves the application on a bound listener until `shutdown` completes (tests bind port 0
/// and stop the server by dropping a channel).
pub async fn serve_on(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let proxies = state.proxies.clone();
    // One portal, or every site of a 集约化 platform by host name (platform.rs).
    let app = platform::router(state)
        .await
        .map_err(std::io::Error::other)?;
    server::serve_behind(
        listener,
        app,
        server::ConnLimits::default(),
        proxies,
        shutdown,
    )
    .await
}

/// Completes on Ctrl-C or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed, run until killed.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// `/healthz`: 200 when the database answers, 503 when it does not.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable"),
    }
}

/// `/readyz`: 200 once this node may take traffic (the database answers and the node has
/// caught up with the change feed since it started), 503 before.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if state.store.ping().await.is_err() {
        return (StatusCode::SERVICE_UNAVAILABLE, "database unavailable");
    }
    if !state
        .feed
        .caught_up
        .load(std::sync::atomic::Ordering::Acquire)
    {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "catching up with the change feed",
        );
    }
    (StatusCode::OK, "ready")
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
