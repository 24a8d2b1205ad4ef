//! Read models of the registries: the 政务新媒体 accounts (silent ones flagged, counts by
//! platform) and the 基层政务公开标准目录 (each entry with the items that fulfil it, and the
//! entries staff must see to: empty or overdue). Nothing here writes.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use serde::Serialize;
use sqlx::Row;

use crate::models::MediaAccount;
use crate::models::agency::SUBTREE;
use crate::models::catalogue::{self, CatalogueEntry};
use crate::{Store, StoreError};

/// Days without an update after which an account is a 僵尸号 (国办秘函〔2019〕19号).
pub const SILENT_DAYS: u64 = 14;

/// The open accounts of an agency's subtree with no update for [`SILENT_DAYS`] or more as of
/// `as_of` (an account never updated counts from its opening). Suspended and closed accounts
/// are not expected to post.
pub async fn silent_accounts(
    store: &Store,
    agency_id: i64,
    as_of: NaiveDate,
) -> Result<Vec<MediaAccount>, StoreError> {
    let cutoff = as_of
        .checked_sub_days(Days::new(SILENT_DAYS))
        .unwrap_or(NaiveDate::MIN);
    let sql = format!(
        "{SUBTREE} SELECT id, agency_id, platform, name, account_id, operator, status, opened_on, changed_on, \
         suspended_on, closed_on, last_update_on FROM media_accounts WHERE agency_id IN (SELECT id FROM sub) \
         AND status = 'open' AND COALESCE(last_update_on, opened_on) <= $2 ORDER BY id"
    );
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, MediaAccount>(sqlx::AssertSqlSafe(sql))
            .bind(agency_id)
            .bind(cutoff)
            .fetch_all(pool)
            .await?)
    })
}

/// Whether an account is silent as of a date (the rule of [`silent_accounts`], for one row).
pub fn is_silent(account: &MediaAccount, as_of: NaiveDate) -> bool {
    let last = account.last_update_on.unwrap_or(account.opened_on);
    account.status.is_open()
        && as_of
            .checked_sub_days(Days::new(SILENT_DAYS))
            .is_some_and(|cutoff| last <= cutoff)
}

/// Accounts of one platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlatformCount {
    /// 微博, 微信公众号 …
    pub platform: String,
    /// Every registered account, whatever its status.
    pub accounts: i64,
    /// Accounts open now.
    pub open: i64,
}

/// Counts of an agency's subtree's accounts by platform, the biggest platform first.
pub async fn counts_by_platform(
    store: &Store,
    agency_id: i64,
) -> Result<Vec<PlatformCount>, StoreError> {
    let sql = format!(
        "{SUBTREE} SELECT platform, COUNT(*) AS accounts, \
         SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END) AS open_accounts \
         FROM media_accounts WHERE agency_id IN (SELECT id FROM sub) GROUP BY platform \
         ORDER BY accounts DESC, platform"
    );
    on_db!(store, pool => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(agency_id).fetch_all(pool).await?;
        rows.iter()
            .map(|r| {
                Ok(PlatformCount {
                    platform: r.try_get("platform")?,
                    accounts: r.try_get("accounts")?,
                    open: r.try_get::<Option<i64>, _>("open_accounts")?.unwrap_or(0),
                })
            })
            .collect()
    })
}

/// A published item as an entry lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkedItem {
    /// Item id.
    pub id: i64,
    /// 名称
    pub title: String,
    /// 发布日期
    pub published_on: Option<NaiveDate>,
}

/// Where an entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    /// Fulfilled, and fresh enough.
    Fulfilled,
    /// No published item fulfils it (a proactive entry that shows nothing).
    Empty,
    /// Its newest item is older than the entry's refresh period.
    Overdue,
    /// Published on request only: nothing is expected on the portal.
    OnRequest,
}

impl EntryState {
    /// The Chinese label staff and readers see.
    pub fn label(self) -> &'static str {
        match self {
            EntryState::Fulfilled => "已公开",
            EntryState::Empty => "暂无内容",
            EntryState::Overdue => "逾期未更新",
            EntryState::OnRequest => "依申请公开",
        }
    }
}

/// An entry with the published items that fulfil it, newest first, and its state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryStatus {
    /// The entry.
    pub entry: CatalogueEntry,
    /// Published items linked to it, newest first.
    pub items: Vec<LinkedItem>,
    /// Its state as of the day asked.
    pub state: EntryState,
    /// The day its next publication was due, when it has a refresh period and an item.
    pub due_on: Option<NaiveDate>,
}

/// The state of an entry with these items (newest first) as of a date.
pub fn entry_state(
    entry: &CatalogueEntry,
    items: &[LinkedItem],
    as_of: NaiveDate,
) -> (EntryState, Option<NaiveDate>) {
    if entry.mode == "on_request" {
        return (EntryState::OnRequest, None);
    }
    let Some(newest) = items.iter().filter_map(|i| i.published_on).max() else {
        return (EntryState::Empty, None);
    };
    let due = entry
        .refresh_days
        .and_then(|d| u64::try_from(d).ok())
        .and_then(|d| newest.checked_add_days(Days::new(d)));
    match due {
        Some(due) if due < as_of => (EntryState::Overdue, Some(due)),
        _ => (EntryState::Fulfilled, due),
    }
}

/// The catalogue of an agency, entries in the guidelines' domain order, each with its
/// published items and state as of `as_of`.
pub async fn catalogue(
    store: &Store,
    agency_id: i64,
    as_of: NaiveDate,
) -> Result<Vec<EntryStatus>, StoreError> {
    let entries = catalogue::list(store, agency_id).await?;
    let mut items: HashMap<i64, Vec<LinkedItem>> = HashMap::new();
    on_db!(store, pool => {
        let rows = sqlx::query(
            "SELECT l.entry_id, p.id, p.title, p.published_on FROM catalogue_links l \
             JOIN catalogue_entries e ON e.id = l.entry_id \
             JOIN proactive_items p ON p.id = l.item_id \
             WHERE e.agency_id = $1 AND p.status = 'published' \
             ORDER BY p.published_on DESC, p.id DESC",
        )
        .bind(agency_id)
        .fetch_all(pool)
        .await?;
        for r in &rows {
            items.entry(r.try_get("entry_id")?).or_default().push(LinkedItem {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                published_on: r.try_get("published_on")?,
            });
        }
    });
    Ok(entries
        .into_iter()
        .map(|entry| {
            let items = items.remove(&entry.id).unwrap_or_default();
            let (state, due_on) = entry_state(&entry, &items, as_of);
            EntryStatus {
                entry,
                items,
                state,
                due_on,
            }
        })
        .collect())
}

/// The entries staff must see to: empty or overdue as of `as_of`.
pub async fn overdue_or_empty(
    store: &Store,
    agency_id: i64,
    as_of: NaiveDate,
) -> Result<Vec<EntryStatus>, StoreError> {
    Ok(catalogue(store, agency_id, as_of)
        .await?
        .into_iter()
        .filter(|e| matches!(e.state, EntryState::Empty | EntryState::Overdue))
        .collect())
}
