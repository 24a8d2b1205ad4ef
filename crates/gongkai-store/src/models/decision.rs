//! 双公示: individual licensing, other-service, penalty and enforcement decisions, each
//! published with its number, party and date. Table 二 counts them.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// The kind of a decision (and of the 事项 list it belongs to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// 行政许可
    Licensing,
    /// 其他对外管理服务事项
    OtherServices,
    /// 行政处罚
    Penalty,
    /// 行政强制
    Enforcement,
}

impl DecisionKind {
    /// Every kind, in table 二's order.
    pub const ALL: [DecisionKind; 4] = [
        DecisionKind::Licensing,
        DecisionKind::OtherServices,
        DecisionKind::Penalty,
        DecisionKind::Enforcement,
    ];

    /// The stored key (and table 二's JSON key).
    pub fn key(self) -> &'static str {
        match self {
            DecisionKind::Licensing => "licensing",
            DecisionKind::OtherServices => "other_services",
            DecisionKind::Penalty => "penalty",
            DecisionKind::Enforcement => "enforcement",
        }
    }

    /// Reads a stored key.
    pub fn parse(s: &str) -> Option<DecisionKind> {
        DecisionKind::ALL.into_iter().find(|k| k.key() == s)
    }
}

/// One published decision.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Decision {
    /// Database id.
    pub id: i64,
    /// Deciding agency.
    pub agency_id: i64,
    /// [`DecisionKind::key`].
    pub kind: String,
    /// Decision number (决定书文号), unique per agency and kind.
    pub number: String,
    /// The party (相对人).
    pub party: String,
    /// Date of the decision.
    pub decided_on: NaiveDate,
    /// Content.
    pub content: String,
}

/// Records a decision; a second decision with the same number is refused.
#[allow(clippy::too_many_arguments)]
pub async fn create(
    store: &Store,
    actor: &str,
    agency_id: i64,
    kind: DecisionKind,
    number: &str,
    party: &str,
    decided_on: NaiveDate,
    content: &str,
) -> Result<i64, StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO decisions (agency_id, kind, number, party, decided_on, content) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(agency_id)
        .bind(kind.key())
        .bind(number)
        .bind(party)
        .bind(decided_on)
        .bind(content)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        audit_append!(tx, actor, "decision.create", "decision", &id.to_string(), &serde_json::json!({"kind": kind.key(), "number": number}).to_string());
        tx.commit().await?;
        Ok(id)
    })
}

/// Decisions of an agency and kind in a date range, newest first, one page.
pub async fn list(
    store: &Store,
    agency_id: i64,
    kind: DecisionKind,
    from: NaiveDate,
    to: NaiveDate,
    limit: i64,
) -> Result<Vec<Decision>, StoreError> {
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, Decision>(
            "SELECT id, agency_id, kind, number, party, decided_on, content FROM decisions \
             WHERE agency_id = $1 AND kind = $2 AND decided_on >= $3 AND decided_on <= $4 \
             ORDER BY decided_on DESC, id DESC LIMIT $5",
        )
        .bind(agency_id)
        .bind(kind.key())
        .bind(from)
        .bind(to)
        .bind(limit)
        .fetch_all(pool)
        .await?)
    })
}
