//! The change feed and the job claims (issue 17): an audited change writes its feed row in the
//! same transaction, numbered by the audit sequence; a sign-in writes none; a reader catches up
//! by number; on PostgreSQL the listener is woken by the insert's NOTIFY; a periodic job is
//! claimed once per interval whoever asks.

#[macro_use]
mod common;

use std::time::Duration;

use chrono::{TimeZone, Utc};
use common::TestStore;
use gongkai_store::changes::{self, Listener};
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::{Backend, audit};

async fn feed_follows_audited_changes(t: &TestStore) {
    let s = &t.store;
    let start = changes::head(s).await.expect("head");
    let a = agency::ensure(
        s,
        "admin",
        "变更测试县人民政府",
        AgencyLevel::County,
        None,
        None,
    )
    .await
    .expect("agency");
    // A sign-in-like audit entry of a private kind is not fed.
    audit::record(s, "someone", "user.login", "user", "1", "{}")
        .await
        .expect("audit");
    let b = agency::ensure(
        s,
        "admin",
        "变更测试乡人民政府",
        AgencyLevel::Township,
        Some(a.id),
        None,
    )
    .await
    .expect("agency");
    let fed = changes::since(s, start, 100).await.expect("since");
    let ids: Vec<&str> = fed.iter().map(|c| c.record_id.as_str()).collect();
    assert_eq!(ids, [a.id.to_string(), b.id.to_string()]);
    assert!(
        fed.iter()
            .all(|c| c.kind == "agency" && c.action == "agency.create")
    );
    assert!(fed[0].seq < fed[1].seq);
    // The numbers are the audit log's.
    let log = audit::recent(s, 10).await.expect("audit");
    let created: Vec<i64> = log
        .iter()
        .filter(|e| e.action == "agency.create")
        .map(|e| e.seq)
        .collect();
    assert!(created.contains(&fed[0].seq) && created.contains(&fed[1].seq));
    assert_eq!(changes::head(s).await.expect("head"), fed[1].seq);
    // Catching up from the first gives the second only.
    let rest = changes::since(s, fed[0].seq, 100).await.expect("since");
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].record_id, b.id.to_string());

    // On PostgreSQL the insert wakes a listener at commit; on SQLite the poll does.
    let mut l = Listener::new(s, Duration::from_secs(20))
        .await
        .expect("listen");
    assert_eq!(l.notified(), s.backend() == Backend::Postgres);
    if l.notified() {
        let s2 = s.clone();
        let writer = tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(200)).await;
            agency::ensure(
                &s2,
                "admin",
                "变更测试镇人民政府",
                AgencyLevel::Township,
                None,
                None,
            )
            .await
            .expect("agency");
        });
        let woke = std::time::Instant::now();
        l.wait().await;
        // Woken by the notification, not by the 20-second poll.
        assert!(woke.elapsed() < Duration::from_secs(15));
        writer.await.expect("writer");
        assert_eq!(
            changes::since(s, b_seq(&fed), 100)
                .await
                .expect("since")
                .len(),
            1
        );
    }
}

fn b_seq(fed: &[changes::Change]) -> i64 {
    fed[1].seq
}

async fn jobs_run_once_per_interval(t: &TestStore) {
    let s = &t.store;
    // Job names are unique per run: advisory locks are database-wide on PostgreSQL.
    let name = format!("test_job_{}", t.schema.as_deref().unwrap_or("sqlite"));
    let hour = Duration::from_secs(3600);
    let t0 = Utc
        .with_ymd_and_hms(2026, 12, 7, 1, 0, 0)
        .single()
        .expect("time");
    let first = changes::claim_job(s, &name, hour, "a", t0)
        .await
        .expect("claim")
        .expect("the first claim runs");
    assert_eq!(first.runs, 1);
    first.release().await.expect("release");
    // Another node, a minute later: not due.
    let again = changes::claim_job(s, &name, hour, "b", t0 + chrono::Duration::minutes(1))
        .await
        .expect("claim");
    assert!(again.is_none());
    // An hour later: due once more, for whoever asks first.
    let later = t0 + chrono::Duration::hours(1);
    let second = changes::claim_job(s, &name, hour, "b", later)
        .await
        .expect("claim")
        .expect("due again");
    assert_eq!(second.runs, 2);
    if s.backend() == Backend::Postgres {
        // While b holds the job, nobody else gets it, even when due.
        let held = changes::claim_job(s, &name, hour, "a", later + chrono::Duration::hours(2))
            .await
            .expect("claim");
        assert!(held.is_none());
    }
    second.release().await.expect("release");
    assert_eq!(changes::job_runs(s, &name).await.expect("runs"), 2);
}

on_both!(
    feed_follows_audited_changes,
    crate::feed_follows_audited_changes
);
on_both!(
    jobs_run_once_per_interval,
    crate::jobs_run_once_per_interval
);
