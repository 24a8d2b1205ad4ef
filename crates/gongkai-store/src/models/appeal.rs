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
    /// The three kinds, in table 四's order.
    pub const ALL: [AppealKind; 3] = [
        AppealKind::Reconsideration,
        AppealKind::LitigationDirect,
        AppealKind::LitigationAfterReconsideration,
    ];

    /// Reads a stored key.
    pub fn parse(s: &str) -> Option<AppealKind> {
        AppealKind::ALL.into_iter().find(|k| k.key() == s)
    }

    /// The Chinese name, as table 四 heads its groups.
    pub fn label(self) -> &'static str {
        match self {
            AppealKind::Reconsideration => "行政复议",
            AppealKind::LitigationDirect => "行政诉讼（未经复议直接起诉）",
            AppealKind::LitigationAfterReconsideration => "行政诉讼（复议后起诉）",
        }
    }

    /// The stored key (table 四's JSON key).
    pub fn key(self) -> &'static str {
        match self {
            AppealKind::Reconsideration => "reconsideration",
            AppealKind::LitigationDirect => "litigation_direct",
            AppealKind::LitigationAfterReconsideration => "litigation_after_reconsideration",
        }
    }
}

impl TryFrom<String> for AppealKind {
    type Error = gongkai_law::UnknownKey;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        AppealKind::parse(&s).ok_or_else(|| gongkai_law::UnknownKey::new("案件类型", s))
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
    /// The four results, in table 四's column order.
    pub const ALL: [AppealResult; 4] = [
        AppealResult::Upheld,
        AppealResult::Corrected,
        AppealResult::Other,
        AppealResult::Pending,
    ];

    /// The Chinese name, as table 四 heads its columns.
    pub fn label(self) -> &'static str {
        match self {
            AppealResult::Upheld => "结果维持",
            AppealResult::Corrected => "结果纠正",
            AppealResult::Other => "其他结果",
            AppealResult::Pending => "尚未审结",
        }
    }

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

impl TryFrom<String> for AppealResult {
    type Error = gongkai_law::UnknownKey;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        AppealResult::parse(&s).ok_or_else(|| gongkai_law::UnknownKey::new("审结结果", s))
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
    /// 复议 or 诉讼, and which.
    #[sqlx(try_from = "String")]
    pub kind: AppealKind,
    /// Filing date: the report year it counts in.
    pub filed_on: NaiveDate,
    /// How it ended ([`AppealResult::Pending`] until decided).
    #[sqlx(try_from = "String")]
    pub result: AppealResult,
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
        return Err(StoreError::invalid("a decision cannot be 尚未审结"));
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

/// A case as the back office enters it: filed, and possibly decided already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAppeal {
    /// The application whose reply is contested.
    pub application_id: i64,
    /// 案号.
    pub case_number: String,
    /// 复议 or 诉讼 (and which).
    pub kind: AppealKind,
    /// The day the reconsideration body or court received it.
    pub filed_on: NaiveDate,
    /// The result so far.
    pub result: AppealResult,
    /// The day it was decided (required unless [`AppealResult::Pending`]).
    pub decided_on: Option<NaiveDate>,
}

/// Enters a case with its result so far in one transaction (the case and its audit entry).
/// The result and its date go together: 尚未审结 has no date, any other result needs one, and
/// neither date lies before the application's receipt or the decision before the filing.
pub async fn enter(store: &Store, actor: &str, new: &NewAppeal) -> Result<i64, StoreError> {
    let case_number = new.case_number.trim();
    if case_number.is_empty() {
        return Err(StoreError::invalid("请填写案号"));
    }
    match (new.result, new.decided_on) {
        (AppealResult::Pending, Some(_)) => {
            return Err(StoreError::invalid("尚未审结的案件不填写审结日期"));
        }
        (AppealResult::Pending, None) => {}
        (_, None) => {
            return Err(StoreError::invalid("已审结的案件须填写审结日期"));
        }
        (_, Some(d)) if d < new.filed_on => {
            return Err(StoreError::invalid(format!(
                "审结日期 {d} 早于受理日期 {}",
                new.filed_on
            )));
        }
        _ => {}
    }
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let received: NaiveDate = sqlx::query("SELECT received_on FROM applications WHERE id = $1")
            .bind(new.application_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("application {}", new.application_id)))?
            .try_get("received_on")?;
        if new.filed_on < received {
            return Err(StoreError::invalid(format!(
                "受理日期 {} 早于申请收到日期 {received}",
                new.filed_on
            )));
        }
        let taken = sqlx::query("SELECT id FROM appeal_cases WHERE case_number = $1")
            .bind(case_number)
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(StoreError::invalid(format!("案号已存在：{case_number}")));
        }
        let id: i64 = sqlx::query(
            "INSERT INTO appeal_cases (agency_id, application_id, case_number, kind, filed_on, result, decided_on) \
             SELECT agency_id, id, $2, $3, $4, $5, $6 FROM applications WHERE id = $1 RETURNING id",
        )
        .bind(new.application_id)
        .bind(case_number)
        .bind(new.kind.key())
        .bind(new.filed_on)
        .bind(new.result.key())
        .bind(new.decided_on)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let detail = serde_json::json!({
            "application_id": new.application_id,
            "kind": new.kind.key(),
            "filed_on": new.filed_on,
            "result": new.result.key(),
            "decided_on": new.decided_on,
        })
        .to_string();
        audit_append!(tx, actor, "appeal.enter", "appeal_case", &id.to_string(), &detail);
        tx.commit().await?;
        Ok(id)
    })
}

/// One case by id.
pub async fn get(store: &Store, id: i64) -> Result<AppealCase, StoreError> {
    on_db!(store, pool => {
        sqlx::query_as::<_, AppealCase>(
            "SELECT id, agency_id, application_id, case_number, kind, filed_on, result, decided_on \
             FROM appeal_cases WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("appeal case {id}")))
    })
}

/// A case with the tracking number of its application, for the back office's list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppealLine {
    /// The case.
    pub case: AppealCase,
    /// 申请编号 of the application.
    pub tracking_no: String,
}

/// The cases of `root`'s subtree, the latest filed first, at most `limit`.
pub async fn for_subtree(
    store: &Store,
    root: i64,
    limit: i64,
) -> Result<Vec<AppealLine>, StoreError> {
    let sql = format!(
        "{} SELECT c.id, c.agency_id, c.application_id, c.case_number, c.kind, c.filed_on, c.result, \
         c.decided_on, a.tracking_no FROM appeal_cases c JOIN applications a ON a.id = c.application_id \
         WHERE c.agency_id IN (SELECT id FROM sub) ORDER BY c.filed_on DESC, c.id DESC LIMIT $2",
        crate::models::agency::SUBTREE
    );
    on_db!(store, pool => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(root).bind(limit).fetch_all(pool).await?;
        rows.iter()
            .map(|r| {
                Ok(AppealLine {
                    case: AppealCase {
                        id: r.try_get("id")?,
                        agency_id: r.try_get("agency_id")?,
                        application_id: r.try_get("application_id")?,
                        case_number: r.try_get("case_number")?,
                        kind: crate::keyed::column(r, "kind")?,
                        filed_on: r.try_get("filed_on")?,
                        result: crate::keyed::column(r, "result")?,
                        decided_on: r.try_get("decided_on")?,
                    },
                    tracking_no: r.try_get("tracking_no")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()
    })
}
