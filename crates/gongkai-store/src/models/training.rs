//! Training sessions (培训): date, topic, attendees.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// A training session.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Training {
    /// Database id.
    pub id: i64,
    /// Organising agency.
    pub agency_id: i64,
    /// Date held.
    pub held_on: NaiveDate,
    /// Topic.
    pub topic: String,
    /// Number of attendees.
    pub attendees: i64,
}

/// Records a session (once per agency, date and topic).
pub async fn record(
    store: &Store,
    actor: &str,
    agency_id: i64,
    held_on: NaiveDate,
    topic: &str,
    attendees: i64,
) -> Result<i64, StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO trainings (agency_id, held_on, topic, attendees) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (agency_id, held_on, topic) DO UPDATE SET attendees = excluded.attendees RETURNING id",
        )
        .bind(agency_id)
        .bind(held_on)
        .bind(topic)
        .bind(attendees)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        audit_append!(tx, actor, "training.record", "training", &id.to_string(), &serde_json::json!({"held_on": held_on, "topic": topic}).to_string());
        tx.commit().await?;
        Ok(id)
    })
}

/// Sessions of an agency's subtree in a date range.
pub async fn list(
    store: &Store,
    agency_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Training>, StoreError> {
    let sql = format!(
        "{} SELECT id, agency_id, held_on, topic, attendees FROM trainings \
         WHERE agency_id IN (SELECT id FROM sub) AND held_on >= $2 AND held_on <= $3 ORDER BY held_on",
        crate::models::agency::SUBTREE
    );
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, Training>(sqlx::AssertSqlSafe(sql)).bind(agency_id).bind(from).bind(to).fetch_all(pool).await?)
    })
}
