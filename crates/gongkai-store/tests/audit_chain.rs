//! The audit log: every change leaves an entry in the same transaction; the chain verifies;
//! the log refuses UPDATE and DELETE; an entry edited behind the triggers' back breaks the
//! chain at that entry, its address included.

#[macro_use]
mod common;

use chrono::NaiveDate;
use common::TestStore;
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::decision::{self, DecisionKind};
use gongkai_store::{Backend, StoreError, audit};

async fn chain_holds_and_tampering_shows(t: &TestStore) {
    let a = agency::ensure(
        &t.store,
        "admin",
        "审计测试县人民政府",
        AgencyLevel::County,
        None,
        None,
    )
    .await
    .expect("agency");
    for i in 0..5 {
        let number = format!("罚〔2024〕{i}号");
        let create = decision::create(
            &t.store,
            "editor",
            a.id,
            DecisionKind::Penalty,
            &number,
            "某公司",
            NaiveDate::from_ymd_opt(2024, 5, 1).expect("date"),
            "",
        );
        // Odd ones as a web request would make them: with the client's address.
        if i % 2 == 1 {
            audit::with_address("203.0.113.7".into(), create).await
        } else {
            create.await
        }
        .expect("decision");
    }
    // A refused change leaves no entry: the duplicate number rolls back with its audit entry.
    let dup = decision::create(
        &t.store,
        "editor",
        a.id,
        DecisionKind::Penalty,
        "罚〔2024〕0号",
        "某公司",
        NaiveDate::from_ymd_opt(2024, 5, 2).expect("date"),
        "",
    )
    .await;
    assert!(dup.is_err());
    assert_eq!(audit::verify(&t.store).await.expect("verify"), 6);
    let recent = audit::recent(&t.store, 1).await.expect("recent");
    assert_eq!(recent[0].action, "decision.create");
    assert_eq!(recent[0].actor, "editor");
    let addresses: Vec<String> = audit::recent(&t.store, 6)
        .await
        .expect("recent")
        .into_iter()
        .rev()
        .map(|e| e.address)
        .collect();
    assert_eq!(addresses, ["", "", "203.0.113.7", "", "203.0.113.7", ""]);

    let url = t.url.clone();
    match t.store.backend() {
        Backend::Sqlite => {
            let pool = t.store.sqlite_pool().expect("sqlite").clone();
            assert!(
                sqlx::query("DELETE FROM audit_log WHERE seq = 3")
                    .execute(&pool)
                    .await
                    .is_err()
            );
            assert!(
                sqlx::query("UPDATE audit_log SET actor = 'x' WHERE seq = 3")
                    .execute(&pool)
                    .await
                    .is_err()
            );
            sqlx::query("DROP TRIGGER audit_log_no_update")
                .execute(&pool)
                .await
                .expect("drop trigger");
            sqlx::query("UPDATE audit_log SET address = '198.51.100.1' WHERE seq = 3")
                .execute(&pool)
                .await
                .expect("tamper");
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&url).await.expect("pg");
            assert!(
                sqlx::query("DELETE FROM audit_log WHERE seq = 3")
                    .execute(&pool)
                    .await
                    .is_err()
            );
            sqlx::query("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update")
                .execute(&pool)
                .await
                .expect("disable");
            sqlx::query("UPDATE audit_log SET address = '198.51.100.1' WHERE seq = 3")
                .execute(&pool)
                .await
                .expect("tamper");
            pool.close().await;
        }
    }
    match audit::verify(&t.store).await {
        Err(StoreError::AuditChain(3)) => {}
        other => panic!("tampering not detected at 3: {other:?}"),
    }
}

on_both!(audit_log, super::chain_holds_and_tampering_shows);
