//! Acceptance 6: the SQLite file and its WAL never hold a stored ID number (nor phone) in
//! clear; on PostgreSQL the stored bytes never do either. The keyed hash still finds the
//! person's earlier requests. Query codes are stored only as keyed hashes.

#[macro_use]
mod common;

use common::TestStore;
use gongkai_store::demo;
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::application::{self, Applicant, NewApplication};
use gongkai_store::{ApplicantKind, Channel};
use sqlx::Row;

/// The first secret found in `haystack`, in one pass (a debug build scans 50 MB quickly).
fn find_any<'a>(haystack: &[u8], secrets: &'a [String]) -> Option<&'a str> {
    let firsts: Vec<u8> = secrets
        .iter()
        .filter_map(|s| s.as_bytes().first().copied())
        .collect();
    for (i, b) in haystack.iter().enumerate() {
        if firsts.contains(b) {
            for s in secrets {
                if haystack[i..].starts_with(s.as_bytes()) {
                    return Some(s);
                }
            }
        }
    }
    None
}

/// The query_code column as stored.
async fn stored_query_code(t: &TestStore, id: i64) -> String {
    let sql = "SELECT query_code FROM applications WHERE id = $1";
    let row = match t.store.sqlite_pool() {
        Some(pool) => sqlx::query(sql)
            .bind(id)
            .fetch_one(pool)
            .await
            .map(|r| r.get::<String, _>(0)),
        None => sqlx::query(sql)
            .bind(id)
            .fetch_one(&pg_pool(t).await)
            .await
            .map(|r| r.get::<String, _>(0)),
    };
    row.expect("query_code")
}

async fn id_numbers_are_sealed(t: &TestStore) {
    demo::load_demo(&t.store, &|_| {}).await.expect("demo");
    let a = agency::ensure(
        &t.store,
        "test",
        "加密测试局",
        AgencyLevel::Department,
        None,
        None,
    )
    .await
    .expect("agency");
    let id_number = "41142619881231457X";
    let phone = "13903701234";
    let mut ids = Vec::new();
    let mut codes = Vec::new();
    for i in 0..3 {
        let app = application::create(
            &t.store,
            "test",
            &NewApplication {
                agency_id: a.id,
                tracking_no: None,
                channel: Channel::Online,
                sent_on: None,
                arrived: chrono::NaiveDate::from_ymd_opt(2024, 3, 4 + i).expect("date"),
                confirmed: chrono::NaiveDate::from_ymd_opt(2024, 3, 4 + i),
                applicant: Applicant {
                    kind: Some(ApplicantKind::NaturalPerson),
                    name: "赵某".into(),
                    id_type: Some("居民身份证".into()),
                    id_number: Some(if i == 1 {
                        id_number.to_lowercase()
                    } else {
                        id_number.into()
                    }),
                    phone: Some(phone.into()),
                    email: Some("zhao@example.cn".into()),
                    address: Some("夏邑县某路1号".into()),
                },
                description: "某信息".into(),
                document_number: None,
                delivery: "electronic".into(),
                note: String::new(),
            },
        )
        .await
        .expect("create");
        ids.push(app.id);
        // The query code works like a password for /track: only its keyed hash is stored.
        let tracked = application::track(&t.store, &app.tracking_no, &app.query_code)
            .await
            .expect("track");
        assert_eq!(tracked.map(|x| x.id), Some(app.id));
        let stored = stored_query_code(t, app.id).await;
        assert_ne!(stored, app.query_code);
        assert!(
            application::track(&t.store, &app.tracking_no, &stored)
                .await
                .expect("track by hash")
                .is_none(),
            "the stored hash must not open the application"
        );
        codes.push(app.query_code);
    }
    // Repeat-request lookup works through the keyed hash, however the number was typed.
    assert_eq!(
        application::by_id_number(&t.store, " 41142619881231457x")
            .await
            .expect("lookup")
            .len(),
        3
    );
    let contact = application::applicant_contact(&t.store, ids[0])
        .await
        .expect("open");
    assert_eq!(contact.id_number.as_deref(), Some(id_number));
    assert_eq!(contact.phone.as_deref(), Some(phone));

    let mut secrets: Vec<String> = vec![id_number.into(), phone.into()];
    secrets.extend((0..16).map(demo::demo_id_number));
    secrets.extend(codes);

    match t.store.sqlite_pool() {
        Some(pool) => {
            // Look while the WAL still holds recent pages, then after a checkpoint.
            let db_path = t.dir.path().join("gongkai.db");
            let wal_path = t.dir.path().join("gongkai.db-wal");
            for round in 0..2 {
                for path in [&db_path, &wal_path] {
                    let Ok(bytes) = std::fs::read(path) else {
                        continue;
                    };
                    if let Some(s) = find_any(&bytes, &secrets) {
                        panic!("{s} in clear in {} (round {round})", path.display());
                    }
                }
                sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(pool)
                    .await
                    .expect("checkpoint");
            }
            // Control: the search does see what is stored in clear.
            let bytes = std::fs::read(&db_path).expect("db file");
            assert!(find_any(&bytes, &["加密测试局".to_string()]).is_some());
        }
        None => {
            let rows = sqlx::query("SELECT id_number_enc, phone_enc FROM applications")
                .fetch_all(&pg_pool(t).await)
                .await
                .expect("select");
            for r in rows {
                for col in ["id_number_enc", "phone_enc"] {
                    let bytes: Option<Vec<u8>> = r.try_get(col).expect("bytes");
                    let bytes = bytes.unwrap_or_default();
                    assert_eq!(
                        find_any(&bytes, &secrets),
                        None,
                        "{col} holds a secret in clear"
                    );
                }
            }
        }
    }
}

async fn pg_pool(t: &TestStore) -> sqlx::PgPool {
    sqlx::PgPool::connect(&t.url).await.expect("pg")
}

on_both!(sealed, super::id_numbers_are_sealed);
