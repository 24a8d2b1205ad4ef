//! The lists of 事项 (行政许可, 其他对外管理服务事项, 行政处罚, 行政强制) with the dates each
//! entered and left the list: table 二's 上一年项目数量 and 本年增/减 (format 2019).

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::models::decision::DecisionKind;
use crate::{BeginWrite, Store, StoreError};

/// One 事项 on an agency's list.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Matter {
    /// Database id.
    pub id: i64,
    /// Owning agency.
    pub agency_id: i64,
    /// Which list it is on.
    #[sqlx(try_from = "String")]
    pub kind: DecisionKind,
    /// Name of the 事项.
    pub name: String,
    /// When it entered the list.
    pub listed_on: NaiveDate,
    /// When it left the list.
    pub delisted_on: Option<NaiveDate>,
}

/// Puts a 事项 on an agency's list (nothing happens if it is already there).
pub async fn add(
    store: &Store,
    actor: &str,
    agency_id: i64,
    kind: DecisionKind,
    name: &str,
    listed_on: NaiveDate,
) -> Result<i64, StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO matters (agency_id, kind, name, listed_on) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (agency_id, kind, name) DO UPDATE SET name = excluded.name RETURNING id",
        )
        .bind(agency_id)
        .bind(kind.key())
        .bind(name)
        .bind(listed_on)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        audit_append!(tx, actor, "matter.add", "matter", &id.to_string(), &serde_json::json!({"kind": kind.key(), "name": name, "listed_on": listed_on}).to_string());
        tx.commit().await?;
        Ok(id)
    })
}

/// Takes a 事项 off the list on a date.
pub async fn remove(
    store: &Store,
    actor: &str,
    id: i64,
    delisted_on: NaiveDate,
) -> Result<(), StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let n = sqlx::query("UPDATE matters SET delisted_on = $1 WHERE id = $2 AND delisted_on IS NULL")
            .bind(delisted_on)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("listed matter {id}")));
        }
        audit_append!(tx, actor, "matter.remove", "matter", &id.to_string(), &serde_json::json!({"delisted_on": delisted_on}).to_string());
        tx.commit().await?;
    });
    Ok(())
}

/// The 事项 on an agency's list on a date.
pub async fn listed_on(
    store: &Store,
    agency_id: i64,
    kind: DecisionKind,
    on: NaiveDate,
) -> Result<Vec<Matter>, StoreError> {
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, Matter>(
            "SELECT id, agency_id, kind, name, listed_on, delisted_on FROM matters \
             WHERE agency_id = $1 AND kind = $2 AND listed_on <= $3 AND (delisted_on IS NULL OR delisted_on > $3) ORDER BY id",
        )
        .bind(agency_id)
        .bind(kind.key())
        .bind(on)
        .fetch_all(pool)
        .await?)
    })
}
