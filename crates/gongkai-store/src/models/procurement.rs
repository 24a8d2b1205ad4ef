//! 政府集中采购 projects: table 二's 采购项目数量 and 采购总金额.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// A procurement project.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct ProcurementProject {
    /// Database id.
    pub id: i64,
    /// Purchasing agency.
    pub agency_id: i64,
    /// Project name, unique within the agency.
    pub name: String,
    /// Catalogue entry (集中采购目录).
    pub catalogue: String,
    /// Contract date: the year it counts in.
    pub contracted_on: NaiveDate,
    /// Amount in 分.
    pub amount_fen: i64,
}

/// Records a project.
pub async fn create(
    store: &Store,
    actor: &str,
    agency_id: i64,
    name: &str,
    catalogue: &str,
    contracted_on: NaiveDate,
    amount_fen: i64,
) -> Result<i64, StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO procurement_projects (agency_id, name, catalogue, contracted_on, amount_fen) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(agency_id)
        .bind(name)
        .bind(catalogue)
        .bind(contracted_on)
        .bind(amount_fen)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        audit_append!(tx, actor, "procurement.create", "procurement_project", &id.to_string(), &serde_json::json!({"name": name, "amount_fen": amount_fen}).to_string());
        tx.commit().await?;
        Ok(id)
    })
}

/// The projects of an agency.
pub async fn list(store: &Store, agency_id: i64) -> Result<Vec<ProcurementProject>, StoreError> {
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, ProcurementProject>(
            "SELECT id, agency_id, name, catalogue, contracted_on, amount_fen FROM procurement_projects WHERE agency_id = $1 ORDER BY id",
        )
        .bind(agency_id)
        .fetch_all(pool)
        .await?)
    })
}
