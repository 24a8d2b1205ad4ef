//! Inspections (检查) of the agency's sites and accounts: date, scope, findings, fixes.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// An inspection.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Inspection {
    /// Database id.
    pub id: i64,
    /// Inspecting agency.
    pub agency_id: i64,
    /// Date held.
    pub held_on: NaiveDate,
    /// What was inspected.
    pub scope: String,
    /// What was found.
    pub findings: String,
    /// What was fixed.
    pub fixes: String,
}

/// Records an inspection (once per agency, date and scope).
pub async fn record(
    store: &Store,
    actor: &str,
    agency_id: i64,
    held_on: NaiveDate,
    scope: &str,
    findings: &str,
    fixes: &str,
) -> Result<i64, StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO inspections (agency_id, held_on, scope, findings, fixes) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (agency_id, held_on, scope) DO UPDATE SET findings = excluded.findings, fixes = excluded.fixes RETURNING id",
        )
        .bind(agency_id)
        .bind(held_on)
        .bind(scope)
        .bind(findings)
        .bind(fixes)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        audit_append!(tx, actor, "inspection.record", "inspection", &id.to_string(), &serde_json::json!({"held_on": held_on, "scope": scope}).to_string());
        tx.commit().await?;
        Ok(id)
    })
}

/// Inspections of an agency's subtree in a date range.
pub async fn list(
    store: &Store,
    agency_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Inspection>, StoreError> {
    let sql = format!(
        "{} SELECT id, agency_id, held_on, scope, findings, fixes FROM inspections \
         WHERE agency_id IN (SELECT id FROM sub) AND held_on >= $2 AND held_on <= $3 ORDER BY held_on",
        crate::models::agency::SUBTREE
    );
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, Inspection>(sqlx::AssertSqlSafe(sql)).bind(agency_id).bind(from).bind(to).fetch_all(pool).await?)
    })
}
