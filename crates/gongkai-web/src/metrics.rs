//! Prometheus metrics, served on their own listen address (`gongkai serve --metrics-listen`),
//! never on the public one: requests by status class, a latency histogram, the page cache's
//! hits, misses and bytes, and how far this node trails the change feed.
//!
//! Counters are plain atomics written by [`layer`] and read by [`render`] in the text format
//! (version 0.0.4). The same middleware logs each request (method, path without the query,
//! status, microseconds) at INFO, which `gongkai serve --log-json` writes as JSON lines.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

/// Request counters and latencies of this node.
#[derive(Debug, Default)]
pub struct Metrics {
    /// Answers by status class: 1xx … 5xx.
    by_class: [AtomicU64; 5],
    /// Requests that took at most each bucket's bound (not cumulative; summed when rendered).
    buckets: [AtomicU64; BUCKETS.len()],
    /// Requests slower than the last bucket.
    over: AtomicU64,
    /// Sum of latencies, microseconds.
    sum_micros: AtomicU64,
}

impl Metrics {
    fn observe(&self, status: u16, seconds: f64) {
        let class = usize::from(status / 100).clamp(1, 5) - 1;
        self.by_class[class].fetch_add(1, Ordering::Relaxed);
        match BUCKETS.iter().position(|b| seconds <= *b) {
            Some(i) => self.buckets[i].fetch_add(1, Ordering::Relaxed),
            None => self.over.fetch_add(1, Ordering::Relaxed),
        };
        // Saturating float → integer conversion; a latency never exceeds u64 microseconds.
        self.sum_micros
            .fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }
}

/// The middleware: times every request of the public router.
pub async fn layer(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    // The path only: a query may carry what an applicant typed.
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let resp = next.run(req).await;
    let seconds = start.elapsed().as_secs_f64();
    metrics.observe(resp.status().as_u16(), seconds);
    tracing::info!(
        target: "gongkai::request",
        method = %method,
        path = %path,
        status = resp.status().as_u16(),
        micros = (seconds * 1e6) as u64,
        "request"
    );
    resp
}

/// The metrics of `state` in Prometheus' text format.
pub fn render(state: &AppState) -> String {
    use std::fmt::Write;
    let m = &state.metrics;
    let mut out = String::with_capacity(2048);
    let _ = writeln!(
        out,
        "# HELP gongkai_http_requests_total Answers of the public listener by status class.\n\
         # TYPE gongkai_http_requests_total counter"
    );
    for (i, c) in m.by_class.iter().enumerate() {
        let _ = writeln!(
            out,
            "gongkai_http_requests_total{{class=\"{}xx\"}} {}",
            i + 1,
            c.load(Ordering::Relaxed)
        );
    }
    let _ = writeln!(
        out,
        "# HELP gongkai_http_request_duration_seconds Time from request to answer head.\n\
         # TYPE gongkai_http_request_duration_seconds histogram"
    );
    let mut cumulative = 0;
    for (b, n) in BUCKETS.iter().zip(&m.buckets) {
        cumulative += n.load(Ordering::Relaxed);
        let _ = writeln!(
            out,
            "gongkai_http_request_duration_seconds_bucket{{le=\"{b}\"}} {cumulative}"
        );
    }
    cumulative += m.over.load(Ordering::Relaxed);
    let _ = writeln!(
        out,
        "gongkai_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {cumulative}\n\
         gongkai_http_request_duration_seconds_sum {}\n\
         gongkai_http_request_duration_seconds_count {cumulative}",
        m.sum_micros.load(Ordering::Relaxed) as f64 / 1e6
    );
    let (hits, misses) = state.pages.hits_misses();
    let _ = writeln!(
        out,
        "# HELP gongkai_page_cache_hits_total Public pages answered from the cache.\n\
         # TYPE gongkai_page_cache_hits_total counter\n\
         gongkai_page_cache_hits_total {hits}\n\
         # HELP gongkai_page_cache_misses_total Public pages rendered because not cached.\n\
         # TYPE gongkai_page_cache_misses_total counter\n\
         gongkai_page_cache_misses_total {misses}\n\
         # HELP gongkai_page_cache_bytes Bytes held by the page cache.\n\
         # TYPE gongkai_page_cache_bytes gauge\n\
         gongkai_page_cache_bytes {}\n\
         # HELP gongkai_page_cache_max_bytes The page cache's bound.\n\
         # TYPE gongkai_page_cache_max_bytes gauge\n\
         gongkai_page_cache_max_bytes {}\n\
         # HELP gongkai_page_cache_pages Pages held by the page cache.\n\
         # TYPE gongkai_page_cache_pages gauge\n\
         gongkai_page_cache_pages {}",
        state.pages.bytes(),
        state.pages.max_bytes(),
        state.pages.len()
    );
    let feed = &state.feed;
    let _ = writeln!(
        out,
        "# HELP gongkai_outbox_lag Changes of the feed written but not yet applied on this node.\n\
         # TYPE gongkai_outbox_lag gauge\n\
         gongkai_outbox_lag {}\n\
         # HELP gongkai_outbox_applied_seq The last change of the feed applied on this node.\n\
         # TYPE gongkai_outbox_applied_seq gauge\n\
         gongkai_outbox_applied_seq {}",
        feed.lag(),
        feed.applied.load(Ordering::Relaxed)
    );
    out
}

/// The metrics listener's router: `GET /metrics`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(metrics_page))
        .with_state(state)
}

async fn metrics_page(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        render(&state),
    )
}
