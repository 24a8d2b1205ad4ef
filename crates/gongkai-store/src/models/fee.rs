//! 行政事业性收费: fee items (with the dates they entered and left the list) and the amounts
//! collected.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// A fee item on an agency's list.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct FeeItem {
    /// Database id.
    pub id: i64,
    /// Owning agency.
    pub agency_id: i64,
    /// Name, unique within the agency.
    pub name: String,
    /// 依据
    pub basis: String,
    /// 标准
    pub standard: String,
    /// When it entered the list.
    pub listed_on: NaiveDate,
    /// When it left the list.
    pub delisted_on: Option<NaiveDate>,
}

/// Adds a fee item (or returns the agency's item of that name).
pub async fn add(
    store: &Store,
    actor: &str,
    agency_id: i64,
    name: &str,
    basis: &str,
    standard: &str,
    listed_on: NaiveDate,
) -> Result<i64, StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO fee_items (agency_id, name, basis, standard, listed_on) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (agency_id, name) DO UPDATE SET name = excluded.name RETURNING id",
        )
        .bind(agency_id)
        .bind(name)
        .bind(basis)
        .bind(standard)
        .bind(listed_on)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        audit_append!(tx, actor, "fee_item.add", "fee_item", &id.to_string(), &serde_json::json!({"name": name}).to_string());
        tx.commit().await?;
        Ok(id)
    })
}

/// Records an amount collected under a fee item (in 分, so sums stay exact).
pub async fn collect(
    store: &Store,
    actor: &str,
    fee_item_id: i64,
    collected_on: NaiveDate,
    amount_fen: i64,
) -> Result<(), StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("INSERT INTO fee_collections (fee_item_id, collected_on, amount_fen) VALUES ($1, $2, $3)")
            .bind(fee_item_id)
            .bind(collected_on)
            .bind(amount_fen)
            .execute(&mut *tx)
            .await?;
        audit_append!(tx, actor, "fee.collect", "fee_item", &fee_item_id.to_string(), &serde_json::json!({"on": collected_on, "amount_fen": amount_fen}).to_string());
        tx.commit().await?;
    });
    Ok(())
}

/// The fee items of an agency.
pub async fn list(store: &Store, agency_id: i64) -> Result<Vec<FeeItem>, StoreError> {
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, FeeItem>(
            "SELECT id, agency_id, name, basis, standard, listed_on, delisted_on FROM fee_items WHERE agency_id = $1 ORDER BY id",
        )
        .bind(agency_id)
        .fetch_all(pool)
        .await?)
    })
}
