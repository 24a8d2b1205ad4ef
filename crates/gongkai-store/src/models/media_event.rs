//! The 备案 trail of a 政务新媒体 account: 开设, 变更, 关停 and 注销, each filed with a date and
//! a 备案 number. Recording an event also moves the account's own status and dates, in the same
//! transaction, so the registry's columns and its trail never disagree.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::models::media_account::AccountStatus;
use crate::{BeginWrite, Store, StoreError};

/// What was filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MediaEventKind {
    /// 开设
    Open,
    /// 变更 (name, operator …)
    Change,
    /// 关停: the account stops publishing but still exists.
    Suspend,
    /// 注销: the account is gone.
    Close,
}

impl MediaEventKind {
    /// All kinds, in lifecycle order.
    pub const ALL: [MediaEventKind; 4] = [
        MediaEventKind::Open,
        MediaEventKind::Change,
        MediaEventKind::Suspend,
        MediaEventKind::Close,
    ];

    /// The stored key.
    pub fn key(self) -> &'static str {
        match self {
            MediaEventKind::Open => "open",
            MediaEventKind::Change => "change",
            MediaEventKind::Suspend => "suspend",
            MediaEventKind::Close => "close",
        }
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            MediaEventKind::Open => "开设",
            MediaEventKind::Change => "变更",
            MediaEventKind::Suspend => "关停",
            MediaEventKind::Close => "注销",
        }
    }

    /// Reads a key or label.
    pub fn parse(s: &str) -> Option<MediaEventKind> {
        let s = s.trim();
        MediaEventKind::ALL
            .into_iter()
            .find(|k| k.key() == s || k.label() == s)
    }
}

impl TryFrom<String> for MediaEventKind {
    type Error = gongkai_law::UnknownKey;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        MediaEventKind::parse(&s).ok_or_else(|| gongkai_law::UnknownKey::new("备案类别", s))
    }
}

/// One filed event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct MediaEvent {
    /// Database id.
    pub id: i64,
    /// The account (`media_accounts.id`).
    pub account_id: i64,
    /// What was filed.
    #[sqlx(try_from = "String")]
    pub kind: MediaEventKind,
    /// 备案 date.
    pub filed_on: NaiveDate,
    /// 备案 number.
    pub filing_no: String,
    /// What changed, for a 变更.
    pub note: String,
}

impl MediaEvent {
    /// The kind's Chinese label.
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }
}

/// Files an event for an account and moves its status: 开设 opens it (and sets its 开设 date),
/// 变更 sets its 变更 date, 关停 suspends it, 注销 closes it. A closed account takes no more
/// events; the same 备案 number filed twice for the same kind is refused.
pub async fn record(
    store: &Store,
    actor: &str,
    account_id: i64,
    kind: MediaEventKind,
    filed_on: NaiveDate,
    filing_no: &str,
    note: &str,
) -> Result<i64, StoreError> {
    let filing_no = filing_no.trim();
    if filing_no.is_empty() {
        return Err(StoreError::Refused(crate::Refusal::field(
            "filing_no",
            "备案编号不能为空",
        )));
    }
    let update = match kind {
        MediaEventKind::Open => {
            "UPDATE media_accounts SET status = 'open', opened_on = $1 WHERE id = $2"
        }
        MediaEventKind::Change => "UPDATE media_accounts SET changed_on = $1 WHERE id = $2",
        MediaEventKind::Suspend => {
            "UPDATE media_accounts SET status = 'suspended', suspended_on = $1 WHERE id = $2"
        }
        MediaEventKind::Close => {
            "UPDATE media_accounts SET status = 'closed', closed_on = $1 WHERE id = $2"
        }
    };
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let status: Option<AccountStatus> = sqlx::query("SELECT status FROM media_accounts WHERE id = $1")
            .bind(account_id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| crate::keyed::column(&r, "status"))
            .transpose()?;
        match status {
            None => return Err(StoreError::NotFound(format!("media account {account_id}"))),
            Some(AccountStatus::Closed) => {
                return Err(StoreError::Refused(crate::Refusal::ClosedAccount(format!(
                    "账号已注销，不能再备案「{}」",
                    kind.label()
                ))))
            }
            Some(_) => {}
        }
        let id: Option<i64> = sqlx::query(
            "INSERT INTO media_account_events (account_id, kind, filed_on, filing_no, note) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id, kind, filing_no) DO NOTHING RETURNING id",
        )
        .bind(account_id)
        .bind(kind.key())
        .bind(filed_on)
        .bind(filing_no)
        .bind(note)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| r.try_get("id"))
        .transpose()?;
        let Some(id) = id else {
            return Err(StoreError::Refused(crate::Refusal::duplicate(
                Some("filing_no"),
                format!("备案编号「{filing_no}」已登记"),
            )));
        };
        sqlx::query(update).bind(filed_on).bind(account_id).execute(&mut *tx).await?;
        let detail = serde_json::json!({"kind": kind.key(), "filed_on": filed_on, "filing_no": filing_no}).to_string();
        audit_append!(tx, actor, "media_account.event", "media_account", &account_id.to_string(), &detail);
        tx.commit().await?;
        Ok(id)
    })
}

/// The trail of one account, oldest first.
pub async fn list_for(store: &Store, account_id: i64) -> Result<Vec<MediaEvent>, StoreError> {
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, MediaEvent>(
            "SELECT id, account_id, kind, filed_on, filing_no, note FROM media_account_events \
             WHERE account_id = $1 ORDER BY filed_on, id",
        )
        .bind(account_id)
        .fetch_all(pool)
        .await?)
    })
}

/// The trails of every account of an agency's subtree, oldest first.
pub async fn list_for_agency(store: &Store, agency_id: i64) -> Result<Vec<MediaEvent>, StoreError> {
    let sql = format!(
        "{} SELECT e.id, e.account_id, e.kind, e.filed_on, e.filing_no, e.note FROM media_account_events e \
         JOIN media_accounts a ON a.id = e.account_id WHERE a.agency_id IN (SELECT id FROM sub) \
         ORDER BY e.account_id, e.filed_on, e.id",
        crate::models::agency::SUBTREE
    );
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, MediaEvent>(sqlx::AssertSqlSafe(sql)).bind(agency_id).fetch_all(pool).await?)
    })
}
