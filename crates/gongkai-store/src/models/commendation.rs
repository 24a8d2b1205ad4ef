//! Quarterly 通报表扬: the units an issuing agency (the county) commends for a quarter, each
//! confirmed by a head. Which units qualify is computed by
//! [`crate::views::supervision::assessment`]; this module only keeps what was confirmed.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// One commended unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commendation {
    /// Database id.
    pub id: i64,
    /// The agency that issued the 通报.
    pub issuer_id: i64,
    /// Year.
    pub year: i32,
    /// Quarter, 1 to 4.
    pub quarter: u32,
    /// The unit commended.
    pub unit_id: i64,
    /// Its name.
    pub unit_name: String,
    /// The head who confirmed it (user name).
    pub confirmed_by: String,
    /// When.
    pub confirmed_on: NaiveDate,
}

/// Records the 通报表扬 of `unit_ids` for a quarter, confirmed by `actor` on `on`. A unit
/// already commended for that quarter stays as it was. Returns how many were added.
pub async fn confirm(
    store: &Store,
    actor: &str,
    issuer_id: i64,
    year: i32,
    quarter: u32,
    unit_ids: &[i64],
    on: NaiveDate,
) -> Result<u64, StoreError> {
    if !(1..=4).contains(&quarter) {
        return Err(StoreError::invalid(format!("季度须为1至4：{quarter}")));
    }
    if unit_ids.is_empty() {
        return Err(StoreError::invalid("没有符合通报表扬条件的单位"));
    }
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let mut added = 0u64;
        for unit in unit_ids {
            added += sqlx::query(
                "INSERT INTO commendations (issuer_id, year, quarter, unit_id, confirmed_by, confirmed_on) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (issuer_id, year, quarter, unit_id) DO NOTHING",
            )
            .bind(issuer_id)
            .bind(i64::from(year))
            .bind(i64::from(quarter))
            .bind(unit)
            .bind(actor)
            .bind(on)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        let detail = serde_json::json!({"year": year, "quarter": quarter, "units": unit_ids, "added": added}).to_string();
        audit_append!(tx, actor, "commendation.confirm", "commendation", &format!("{issuer_id}/{year}Q{quarter}"), &detail);
        tx.commit().await?;
        Ok(added)
    })
}

/// The units an agency commended in a year, by quarter then unit.
pub async fn list(
    store: &Store,
    issuer_id: i64,
    year: i32,
) -> Result<Vec<Commendation>, StoreError> {
    let sql = "SELECT c.id, c.issuer_id, c.year, c.quarter, c.unit_id, a.name AS unit_name, c.confirmed_by, c.confirmed_on \
               FROM commendations c JOIN agencies a ON a.id = c.unit_id \
               WHERE c.issuer_id = $1 AND c.year = $2 ORDER BY c.quarter, c.unit_id";
    on_db!(store, pool => {
        let rows = sqlx::query(sql).bind(issuer_id).bind(i64::from(year)).fetch_all(pool).await?;
        rows.iter()
            .map(|r| -> Result<Commendation, StoreError> {
                let year: i64 = r.try_get("year")?;
                let quarter: i64 = r.try_get("quarter")?;
                Ok(Commendation {
                    id: r.try_get("id")?,
                    issuer_id: r.try_get("issuer_id")?,
                    year: i32::try_from(year).map_err(|_| StoreError::invalid(format!("year {year}")))?,
                    quarter: u32::try_from(quarter).map_err(|_| StoreError::invalid(format!("quarter {quarter}")))?,
                    unit_id: r.try_get("unit_id")?,
                    unit_name: r.try_get("unit_name")?,
                    confirmed_by: r.try_get("confirmed_by")?,
                    confirmed_on: r.try_get("confirmed_on")?,
                })
            })
            .collect()
    })
}
