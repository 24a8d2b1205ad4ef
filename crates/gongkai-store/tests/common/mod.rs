//! Stores for the integration tests: every test runs on SQLite and, when
//! `GONGKAI_TEST_PG_URL` is set, on PostgreSQL in a schema of its own (so tests run in
//! parallel and leave nothing behind).

#![allow(dead_code)]

use gongkai_store::{Crypto, Store};
use tempfile::TempDir;

/// A store and what keeps it alive.
pub struct TestStore {
    pub store: Store,
    pub dir: TempDir,
    pub url: String,
    pub schema: Option<String>,
}

pub async fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("gongkai.db").display());
    let store = Store::open_with_crypto(&url, Crypto::random())
        .await
        .expect("open sqlite");
    TestStore {
        store,
        dir,
        url,
        schema: None,
    }
}

/// A PostgreSQL store in a fresh schema, or None (with a note) when the variable is unset.
pub async fn postgres(test: &str) -> Option<TestStore> {
    let Ok(base) = std::env::var("GONGKAI_TEST_PG_URL") else {
        eprintln!("skipped {test} on PostgreSQL: GONGKAI_TEST_PG_URL is not set");
        return None;
    };
    let schema = format!(
        "t_{}_{}",
        test.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
        hex_suffix()
    );
    let admin = sqlx::PgPool::connect(&base)
        .await
        .expect("connect to GONGKAI_TEST_PG_URL");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .expect("create schema");
    admin.close().await;
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options[search_path]={schema}");
    let store = Store::open_with_crypto(&url, Crypto::random())
        .await
        .expect("open postgres");
    let dir = tempfile::tempdir().expect("tempdir");
    Some(TestStore {
        store,
        dir,
        url,
        schema: Some(schema),
    })
}

fn hex_suffix() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{:x}{:x}", nanos & 0xffff_ffff, std::process::id())
}

impl TestStore {
    /// Drops the test's schema (PostgreSQL).
    pub async fn cleanup(self) {
        self.store.close().await;
        if let (Some(schema), Ok(base)) = (self.schema, std::env::var("GONGKAI_TEST_PG_URL"))
            && let Ok(admin) = sqlx::PgPool::connect(&base).await
        {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                .execute(&admin)
                .await;
            admin.close().await;
        }
    }
}

/// Runs an `async fn(&TestStore)` on both back ends, as two tests `sqlite` and `postgres` in
/// a module named after the case.
#[macro_export]
macro_rules! on_both {
    ($name:ident, $case:path) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let t = $crate::common::sqlite().await;
                $case(&t).await;
                t.cleanup().await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(t) = $crate::common::postgres(stringify!($name)).await {
                    $case(&t).await;
                    t.cleanup().await;
                }
            }
        }
    };
}
