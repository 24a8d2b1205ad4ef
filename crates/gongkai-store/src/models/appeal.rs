//! 行政复议 and 行政诉讼 cases, each linked to its application: table 四.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// The three groups of table 四.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealKind {
    /// 行政复议
    Reconsideration,
    /// 行政诉讼 未经复议直接起诉
    LitigationDirect,
    /// 行政诉讼 复议后起诉
    LitigationAfterReconsideration,
}

impl AppealKind {
    /// The stored key (table 四's JSON key).
    pub fn key(self) -> &'static str {
        match self {
            AppealKind::Reconsideration => "reconsideration",
            AppealKind::LitigationDirect => "litigation_direct",
            AppealKind::LitigationAfterReconsideration => "litigation_after_reconsideration",
        }
    }
}

/// How a case ended (or that it has not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealResult {
    /// 结果维持
    Upheld,
    /// 结果纠正
    Corrected,
    /// 其他结果
    Other,
    /// 尚未审结
    Pending,
}

impl AppealResult {
    /// The stored key.
    pub fn key(self) -> &'static str {
        match self {
            AppealResult::Upheld => "upheld",
            AppealResult::Corrected => "corrected",
            AppealResult::Other => "other",
            AppealResult::Pending => "pending",
        }
    }

    /// The column of a table 四 group (0..4; 4 is 总计).
    pub fn column(self) -> usize {
        self as usize
    }

    /// Reads a stored key.
    pub fn parse(s: &str) -> Option<AppealResult> {
        [
            AppealResult::Upheld,
            AppealResult::Corrected,
            AppealResult::Other,
            AppealResult::Pending,
        ]
        .into_iter()
        .find(|r| r.key() == s)
    }
}

/// A 复议 or 诉讼 case.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct AppealCase {
    /// Database id.
    pub id: i64,
    /// The agency whose reply is contested.
    pub agency_id: i64,
    /// The application the case is about.
    pub application_id: i64,
    /// Case number (unique).
    pub case_number: String,
    /// [`AppealKind::key`].
    pub kind: String,
    /// Filing date: the report year it counts in.
    pub filed_on: NaiveDate,
    /// [`AppealResult::key`].
    pub result: String,
    /// Date of the decision or judgment.
    pub decided_on: Option<NaiveDate>,
}

/// Files a case against an application's reply (pending until [`decide`]).
pub async fn file(
    store: &Store,
    actor: &str,
    application_id: i64,
    case_number: &str,
    kind: AppealKind,
    filed_on: NaiveDate,
) -> Result<i64, StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO appeal_cases (agency_id, application_id, case_number, kind, filed_on, result) \
             SELECT agency_id, id, $2, $3, $4, 'pending' FROM applications WHERE id = $1 RETURNING id",
        )
        .bind(application_id)
        .bind(case_number)
        .bind(kind.key())
        .bind(filed_on)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("application {application_id}")))?
        .try_get("id")?;
        audit_append!(tx, actor, "appeal.file", "appeal_case", &id.to_string(), &serde_json::json!({"application_id": application_id, "kind": kind.key(), "filed_on": filed_on}).to_string());
        tx.commit().await?;
        Ok(id)
    })
}

/// Records the result of a case.
pub async fn decide(
    store: &Store,
    actor: &str,
    id: i64,
    result: AppealResult,
    decided_on: NaiveDate,
) -> Result<(), StoreError> {
    if result == AppealResult::Pending {
        return Err(StoreError::Invalid("a decision cannot be 尚未审结".into()));
    }
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let n = sqlx::query("UPDATE appeal_cases SET result = $1, decided_on = $2 WHERE id = $3")
            .bind(result.key())
            .bind(decided_on)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("appeal case {id}")));
        }
        audit_append!(tx, actor, "appeal.decide", "appeal_case", &id.to_string(), &serde_json::json!({"result": result.key(), "on": decided_on}).to_string());
        tx.commit().await?;
    });
    Ok(())
}

/// The cases about one application.
pub async fn for_application(
    store: &Store,
    application_id: i64,
) -> Result<Vec<AppealCase>, StoreError> {
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, AppealCase>(
            "SELECT id, agency_id, application_id, case_number, kind, filed_on, result, decided_on \
             FROM appeal_cases WHERE application_id = $1 ORDER BY id",
        )
        .bind(application_id)
        .fetch_all(pool)
        .await?)
    })
}
