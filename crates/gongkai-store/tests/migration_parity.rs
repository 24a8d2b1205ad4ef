//! The two migration sets (SQLite, PostgreSQL) must build the same schema: the same tables with
//! the same columns and the same NOT NULL constraints. Both sets are applied to real databases
//! by `Store::open` and the schemas read back from the catalogues, so the comparison sees what
//! the migrations did, not what a parser of their text thinks they did. This replaces the
//! "keep in step" comments as the guard (issue 14, point 5).
//!
//! Needs PostgreSQL (`GONGKAI_TEST_PG_URL`, which scripts/test always sets); without it the test
//! fails rather than passing unseen.

#![allow(clippy::unwrap_used)]

mod common;

use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};

/// Table → (column, NOT NULL) pairs.
type Schema = BTreeMap<String, BTreeSet<(String, bool)>>;

async fn sqlite_schema(url: &str) -> Schema {
    let pool = sqlx::SqlitePool::connect(url).await.unwrap();
    // FTS5 tables (a virtual table and its shadow tables) are SQLite's kind of search index;
    // PostgreSQL keeps the same search as an index on the table (migration 0240: pg_trgm).
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master t WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx_%' \
         AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.sql LIKE 'CREATE VIRTUAL TABLE%' \
                         AND (t.name = v.name OR t.name LIKE v.name || '\\_%' ESCAPE '\\')) \
         ORDER BY name",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for t in tables {
        let rows = sqlx::query("SELECT name, \"notnull\", pk FROM pragma_table_info($1)")
            .bind(&t)
            .fetch_all(&pool)
            .await
            .unwrap();
        let cols = rows
            .iter()
            .map(|r| {
                let name: String = r.get("name");
                let notnull: i64 = r.get("notnull");
                let pk: i64 = r.get("pk");
                // A PRIMARY KEY column is NOT NULL on PostgreSQL whether or not it says so.
                (name, notnull != 0 || pk != 0)
            })
            .collect();
        schema.insert(t, cols);
    }
    pool.close().await;
    schema
}

async fn postgres_schema(url: &str, schema_name: &str) -> Schema {
    let pool = sqlx::PgPool::connect(url).await.unwrap();
    let rows = sqlx::query(
        "SELECT table_name::text AS t, column_name::text AS c, is_nullable::text AS n \
         FROM information_schema.columns WHERE table_schema = $1 \
         AND table_name NOT LIKE '\\_sqlx\\_%' ORDER BY table_name, column_name",
    )
    .bind(schema_name)
    .fetch_all(&pool)
    .await
    .unwrap();
    let mut schema = Schema::new();
    for r in rows {
        let t: String = r.get("t");
        let c: String = r.get("c");
        let n: String = r.get("n");
        schema.entry(t).or_default().insert((c, n == "NO"));
    }
    pool.close().await;
    schema
}

/// Every difference, one line each; empty when the schemas agree.
fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let tables: BTreeSet<&String> = sqlite.keys().chain(postgres.keys()).collect();
    for t in tables {
        match (sqlite.get(t), postgres.get(t)) {
            (Some(_), None) => out.push(format!("table {t}: only in the SQLite set")),
            (None, Some(_)) => out.push(format!("table {t}: only in the PostgreSQL set")),
            (Some(a), Some(b)) => {
                for (c, nn) in a.difference(b) {
                    out.push(format!("{t}.{c} (NOT NULL: {nn}): SQLite differs"));
                }
                for (c, nn) in b.difference(a) {
                    out.push(format!("{t}.{c} (NOT NULL: {nn}): PostgreSQL differs"));
                }
            }
            (None, None) => {}
        }
    }
    out
}

#[tokio::test]
async fn both_migration_sets_build_the_same_schema() {
    let lite = common::sqlite().await;
    let pg = common::postgres("migration_parity")
        .await
        .expect("GONGKAI_TEST_PG_URL must name a PostgreSQL server (scripts/test sets it)");
    let a = sqlite_schema(&lite.url).await;
    let b = postgres_schema(&pg.url, pg.schema.as_deref().unwrap()).await;
    assert!(
        a.len() > 20,
        "the SQLite schema was read: {} tables",
        a.len()
    );
    assert!(b.contains_key("applications") && b.contains_key("proactive_items"));
    let diff = differences(&a, &b);
    assert!(
        diff.is_empty(),
        "the migration sets differ:\n{}",
        diff.join("\n")
    );

    // A deliberately broken copy: a column added to one set only is found.
    let pool = sqlx::SqlitePool::connect(&lite.url).await.unwrap();
    sqlx::query("ALTER TABLE proactive_items ADD COLUMN only_here TEXT")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let broken = sqlite_schema(&lite.url).await;
    assert_eq!(
        differences(&broken, &b),
        vec!["proactive_items.only_here (NOT NULL: false): SQLite differs".to_string()]
    );
    pg.cleanup().await;
}
