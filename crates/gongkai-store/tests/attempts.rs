//! Attempt limits in the database: exact under parallel load, per key, windows that end.
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::TestStore;
use gongkai_store::attempts::{self, Limit, Reserved};

const LIMIT: Limit = Limit {
    scope: "test.scope",
    limit: 20,
    window_secs: 900,
};

async fn parallel_reservations_grant_exactly_the_limit(t: &TestStore) {
    let now = Utc.with_ymd_and_hms(2026, 12, 7, 1, 0, 0).unwrap();
    let mut tasks = Vec::new();
    for _ in 0..200 {
        let store = t.store.clone();
        tasks.push(tokio::spawn(async move {
            attempts::reserve(&store, LIMIT, "10.0.0.1", now)
                .await
                .unwrap()
        }));
    }
    let mut granted = 0;
    let mut first = 0;
    for task in tasks {
        match task.await.unwrap() {
            Reserved::Granted => granted += 1,
            Reserved::Refused {
                retry_after,
                first: f,
            } => {
                assert!(retry_after > 0 && retry_after <= 900);
                first += usize::from(f);
            }
        }
    }
    assert_eq!(granted, 20);
    assert_eq!(first, 1, "exactly one refusal is the first");
    // Another key has its own count.
    assert!(
        attempts::reserve(&t.store, LIMIT, "10.0.0.2", now)
            .await
            .unwrap()
            .granted()
    );
    assert!(
        attempts::exhausted(&t.store, LIMIT, "10.0.0.1", now)
            .await
            .unwrap()
    );
    // The window ends: the count starts again.
    let later = now + Duration::seconds(901);
    assert!(
        !attempts::exhausted(&t.store, LIMIT, "10.0.0.1", later)
            .await
            .unwrap()
    );
    assert!(
        attempts::reserve(&t.store, LIMIT, "10.0.0.1", later)
            .await
            .unwrap()
            .granted()
    );
    // A right answer gives its attempt back; clearing starts afresh.
    let k = "forgiven";
    for _ in 0..20 {
        assert!(
            attempts::reserve(&t.store, LIMIT, k, now)
                .await
                .unwrap()
                .granted()
        );
    }
    attempts::forgive(&t.store, LIMIT, k).await.unwrap();
    assert!(
        attempts::reserve(&t.store, LIMIT, k, now)
            .await
            .unwrap()
            .granted()
    );
    assert!(
        !attempts::reserve(&t.store, LIMIT, k, now)
            .await
            .unwrap()
            .granted()
    );
    attempts::clear(&t.store, LIMIT, k).await.unwrap();
    assert!(
        attempts::reserve(&t.store, LIMIT, k, now)
            .await
            .unwrap()
            .granted()
    );
    assert_eq!(
        attempts::purge(&t.store, now + Duration::days(2))
            .await
            .unwrap(),
        3
    );
}

on_both!(
    parallel_limits,
    super::parallel_reservations_grant_exactly_the_limit
);
