//! Pages cached until they change (issue 17.3), over the real router with the change feed's
//! follower running: a public page is answered from the cache the second time; a write to the
//! database by anyone (here straight through the store, as another node would) reaches the
//! follower, which drops the page, and the next answer shows the change; forms are never
//! cached. On SQLite (the poll) and PostgreSQL (LISTEN/NOTIFY).

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{Fixture, fixture, fixture_pg};
use gongkai_store::changes;
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_web::{feed, router};
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String) {
    let resp = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

/// Waits until the follower has applied everything in the feed.
async fn settle(f: &Fixture) {
    let head = changes::head(&f.state.store).await.unwrap();
    for _ in 0..400 {
        if f.state.feed.applied.load(Ordering::Acquire) >= head {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the follower did not reach {head}");
}

async fn cached_until_changed(f: Fixture) {
    let state = f.state.clone();
    let index_dir = f.dir.path().join("search-follow");
    std::fs::create_dir_all(&index_dir).unwrap();
    let (from, _) = feed::start_position(&state, &index_dir).await.unwrap();
    let follower = tokio::spawn(feed::follow(
        state.clone(),
        index_dir.clone(),
        from,
        Duration::from_millis(50),
    ));
    for _ in 0..400 {
        if state.pages.enabled() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(
        state.pages.enabled(),
        "the cache turns on once the follower caught up"
    );
    let app = router(state.clone());

    let (status, before) = get(&app, "/xxgk/units").await;
    assert_eq!(status, StatusCode::OK);
    let (_, again) = get(&app, "/xxgk/units").await;
    assert_eq!(before, again);
    let (hits, _) = state.pages.hits_misses();
    assert_eq!(hits, 1, "the second read is served from the cache");
    assert!(state.pages.bytes() > before.len());
    assert!(state.pages.bytes() <= state.pages.max_bytes());

    // Forms carry the reader's token: never cached.
    get(&app, "/apply").await;
    get(&app, "/apply").await;
    assert_eq!(state.pages.hits_misses().0, 1);

    // Another node adds a unit: the feed drops the page, the next answer shows it.
    let name = "缓存验证乡人民政府";
    assert!(!before.contains(name));
    agency::ensure(
        &state.store,
        "admin",
        name,
        AgencyLevel::Township,
        Some(f.county),
        None,
    )
    .await
    .unwrap();
    settle(&f).await;
    let (_, after) = get(&app, "/xxgk/units").await;
    assert!(after.contains(name), "the changed page is rendered anew");
    // The applied number is kept beside the index for a restart.
    let saved = std::fs::read_to_string(feed::seq_file(&index_dir)).unwrap();
    assert_eq!(
        saved.trim().parse::<i64>().unwrap(),
        changes::head(&state.store).await.unwrap()
    );
    follower.abort();
    let _ = follower.await;
    if f.schema.is_some() {
        f.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    cached_until_changed(fixture().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    if let Some(f) = fixture_pg("page_cache").await {
        cached_until_changed(f).await;
    }
}

/// A page the cache answers itself (issue 17.3: the cache sits outside every other layer)
/// still carries the security headers the inner layers gave it, and still counts as a visit.
#[tokio::test]
async fn a_cached_page_keeps_its_headers_and_counts_its_visit() {
    use axum::extract::ConnectInfo;
    let f = fixture().await;
    f.state.pages.enable();
    let app = router(f.state.clone());
    let view = |addr: &str| {
        let mut req = Request::get("/")
            .header("user-agent", "Mozilla/5.0 (X11; Linux x86_64) Chrome/120")
            .body(Body::empty())
            .unwrap();
        req.extensions_mut()
            .insert(ConnectInfo(addr.parse::<std::net::SocketAddr>().unwrap()));
        req
    };
    let first = app.clone().oneshot(view("192.0.2.1:5000")).await.unwrap();
    let second = app.clone().oneshot(view("192.0.2.1:5001")).await.unwrap();
    let third = app.clone().oneshot(view("192.0.2.2:5000")).await.unwrap();
    assert_eq!(f.state.pages.hits_misses(), (2, 1));
    for resp in [&first, &second, &third] {
        assert_eq!(resp.status(), StatusCode::OK);
        for h in [
            "content-security-policy",
            "x-frame-options",
            "x-content-type-options",
        ] {
            assert!(resp.headers().contains_key(h), "{h}");
        }
    }
    let (_, visitors, views) = f.state.visits.totals().unwrap();
    assert_eq!((visitors, views), (2, 3));
}
