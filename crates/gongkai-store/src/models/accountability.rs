//! Accountability cases (责任追究): date, the unit concerned, the role of the person held to
//! account (never a name), the reason and the measure taken. The report's prose (section 一,
//! and the government's paragraph on 考核、社会评议和责任追究) counts them with [`list`] or
//! [`count`]; a year with none reads 「未出现因信息公开不到位进行责任追究的情况」.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// An accountability case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AccountabilityCase {
    /// Database id.
    pub id: i64,
    /// The unit concerned (an agency of the tree).
    pub agency_id: i64,
    /// Date of the decision.
    pub decided_on: NaiveDate,
    /// The role of the person held to account, e.g. 「信息公开工作分管负责人」.
    pub person_role: String,
    /// Why (e.g. 「应主动公开信息逾期未公开」).
    pub reason: String,
    /// The measure (e.g. 「约谈」, 「通报批评」).
    pub measure: String,
}

/// What [`record`] needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCase<'a> {
    /// The unit concerned.
    pub agency_id: i64,
    /// Date of the decision.
    pub decided_on: NaiveDate,
    /// The person's role (no name).
    pub person_role: &'a str,
    /// Why.
    pub reason: &'a str,
    /// The measure.
    pub measure: &'a str,
}

/// Records a case (once per unit, date, role and reason: recording it again updates the
/// measure). Role, reason and measure must not be blank.
pub async fn record(store: &Store, actor: &str, case: &NewCase<'_>) -> Result<i64, StoreError> {
    for (value, what) in [
        (case.person_role, "责任人职务"),
        (case.reason, "追责事由"),
        (case.measure, "处理措施"),
    ] {
        if value.trim().is_empty() {
            return Err(StoreError::invalid(format!("{what}不能为空")));
        }
    }
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO accountability_cases (agency_id, decided_on, person_role, reason, measure) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (agency_id, decided_on, person_role, reason) DO UPDATE SET measure = excluded.measure \
             RETURNING id",
        )
        .bind(case.agency_id)
        .bind(case.decided_on)
        .bind(case.person_role.trim())
        .bind(case.reason.trim())
        .bind(case.measure.trim())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let detail = serde_json::json!({
            "agency_id": case.agency_id,
            "decided_on": case.decided_on,
            "person_role": case.person_role.trim(),
            "measure": case.measure.trim(),
        })
        .to_string();
        audit_append!(tx, actor, "accountability.record", "accountability_case", &id.to_string(), &detail);
        tx.commit().await?;
        Ok(id)
    })
}

/// Cases of an agency's subtree decided from `from` to `to` (both inclusive), oldest first.
pub async fn list(
    store: &Store,
    agency_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<AccountabilityCase>, StoreError> {
    let sql = format!(
        "{} SELECT id, agency_id, decided_on, person_role, reason, measure FROM accountability_cases \
         WHERE agency_id IN (SELECT id FROM sub) AND decided_on >= $2 AND decided_on <= $3 \
         ORDER BY decided_on, id",
        crate::models::agency::SUBTREE
    );
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, AccountabilityCase>(sqlx::AssertSqlSafe(sql)).bind(agency_id).bind(from).bind(to).fetch_all(pool).await?)
    })
}

/// How many cases of an agency's subtree were decided from `from` to `to` (inclusive).
pub async fn count(
    store: &Store,
    agency_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<i64, StoreError> {
    let sql = format!(
        "{} SELECT COUNT(*) AS n FROM accountability_cases \
         WHERE agency_id IN (SELECT id FROM sub) AND decided_on >= $2 AND decided_on <= $3",
        crate::models::agency::SUBTREE
    );
    on_db!(store, pool => {
        Ok(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(agency_id).bind(from).bind(to).fetch_one(pool).await?.try_get("n")?)
    })
}
