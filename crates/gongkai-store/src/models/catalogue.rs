//! 基层政务公开标准目录: an agency's catalogue entries (the nine columns of the national tables,
//! under one of the 26 domains) and the proactive items that fulfil each entry. An entry no
//! item fulfils is empty; one whose newest item is older than its refresh period is overdue
//! (see [`crate::views::registry`]).

use gongkai_law::catalogue::{Audience, Domain, Level, Mode};
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::models::BATCH_ROWS;
use crate::{BeginWrite, Store, StoreError};

/// One stored entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CatalogueEntry {
    /// Database id.
    pub id: i64,
    /// The agency whose catalogue it is.
    pub agency_id: i64,
    /// The domain's key ([`Domain::key`]).
    pub domain: String,
    /// 公开事项（一级事项）
    pub item_l1: String,
    /// 公开事项（二级事项）; empty when the table has none.
    pub item_l2: String,
    /// 公开内容（要素）
    pub content: String,
    /// 公开依据
    pub basis: String,
    /// 公开时限
    pub time_limit: String,
    /// 公开主体
    pub subject: String,
    /// 公开渠道和载体
    pub channels: String,
    /// 公开对象 ([`Audience::key`]).
    pub audience: String,
    /// 公开方式 ([`Mode::key`]).
    pub mode: String,
    /// 公开层级 ([`Level::key`]).
    pub level: String,
    /// Days allowed between two publications (from 公开时限); `None`: event-driven.
    pub refresh_days: Option<i64>,
}

impl CatalogueEntry {
    /// The domain, if the stored key is known.
    pub fn domain(&self) -> Option<Domain> {
        Domain::from_key(&self.domain)
    }

    /// 公开对象 as printed.
    pub fn audience_label(&self) -> &'static str {
        match self.audience.as_str() {
            "specific_group" => Audience::SpecificGroup.label(),
            _ => Audience::Public.label(),
        }
    }

    /// 公开方式 as printed.
    pub fn mode_label(&self) -> &'static str {
        match self.mode.as_str() {
            "on_request" => Mode::OnRequest.label(),
            _ => Mode::Proactive.label(),
        }
    }

    /// 公开层级 as printed.
    pub fn level_label(&self) -> &'static str {
        match self.level.as_str() {
            "township" => Level::Township.label(),
            "both" => Level::Both.label(),
            _ => Level::County.label(),
        }
    }
}

/// An entry before it is stored (what an import row becomes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    /// Domain.
    pub domain: Domain,
    /// 一级事项
    pub item_l1: String,
    /// 二级事项
    pub item_l2: String,
    /// 公开内容（要素）
    pub content: String,
    /// 公开依据
    pub basis: String,
    /// 公开时限
    pub time_limit: String,
    /// 公开主体
    pub subject: String,
    /// 公开渠道和载体
    pub channels: String,
    /// 公开对象
    pub audience: Audience,
    /// 公开方式
    pub mode: Mode,
    /// 公开层级
    pub level: Level,
}

impl NewEntry {
    /// The key an agency's catalogue holds once: domain and both levels of 公开事项.
    pub fn key(&self) -> (Domain, &str, &str) {
        (self.domain, &self.item_l1, &self.item_l2)
    }
}

const COLUMNS: &str = "id, agency_id, domain, item_l1, item_l2, content, basis, time_limit, \
     subject, channels, audience, mode, level, refresh_days";

/// Adds entries to an agency's catalogue in one transaction with one audit entry. Entries the
/// catalogue already has (same domain, 一级 and 二级事项) are left as they are. Returns how many
/// were added.
pub async fn insert_entries(
    store: &Store,
    actor: &str,
    action: &str,
    detail: &str,
    agency_id: i64,
    entries: &[NewEntry],
) -> Result<u64, StoreError> {
    on_db!(store, pool, DB => {
        let mut tx = pool.begin_write().await?;
        let mut added = 0u64;
        for chunk in entries.chunks(BATCH_ROWS / 2) {
            let mut qb = sqlx::QueryBuilder::<DB>::new(
                "INSERT INTO catalogue_entries (agency_id, domain, item_l1, item_l2, content, basis, \
                 time_limit, subject, channels, audience, mode, level, refresh_days) ",
            );
            qb.push_values(chunk, |mut b, e| {
                b.push_bind(agency_id)
                    .push_bind(e.domain.key())
                    .push_bind(e.item_l1.clone())
                    .push_bind(e.item_l2.clone())
                    .push_bind(e.content.clone())
                    .push_bind(e.basis.clone())
                    .push_bind(e.time_limit.clone())
                    .push_bind(e.subject.clone())
                    .push_bind(e.channels.clone())
                    .push_bind(e.audience.key())
                    .push_bind(e.mode.key())
                    .push_bind(e.level.key())
                    .push_bind(gongkai_law::catalogue::refresh_days(&e.time_limit));
            });
            qb.push(" ON CONFLICT (agency_id, domain, item_l1, item_l2) DO NOTHING");
            added += qb.build().execute(&mut *tx).await?.rows_affected();
        }
        audit_append!(tx, actor, action, "agency", &agency_id.to_string(), detail);
        tx.commit().await?;
        Ok(added)
    })
}

/// The entries of one agency's catalogue, in domain order as stored, then by id.
pub async fn list(store: &Store, agency_id: i64) -> Result<Vec<CatalogueEntry>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM catalogue_entries WHERE agency_id = $1 ORDER BY id");
    let mut entries: Vec<CatalogueEntry> = on_db!(store, pool => {
        sqlx::query_as::<_, CatalogueEntry>(sqlx::AssertSqlSafe(sql)).bind(agency_id).fetch_all(pool).await?
    });
    // The guidelines' order of domains, not the alphabetical order of their keys.
    entries.sort_by_key(|e| (e.domain().map_or(usize::MAX, Domain::number), e.id));
    Ok(entries)
}

/// One entry by id.
pub async fn get(store: &Store, id: i64) -> Result<CatalogueEntry, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM catalogue_entries WHERE id = $1");
    on_db!(store, pool => {
        sqlx::query_as::<_, CatalogueEntry>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("catalogue entry {id}")))
    })
}

/// Links an item to the entry it fulfils (linking twice changes nothing).
pub async fn link_item(
    store: &Store,
    actor: &str,
    entry_id: i64,
    item_id: i64,
) -> Result<(), StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("INSERT INTO catalogue_links (entry_id, item_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(entry_id)
            .bind(item_id)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({"item_id": item_id}).to_string();
        audit_append!(tx, actor, "catalogue.link", "catalogue_entry", &entry_id.to_string(), &detail);
        tx.commit().await?;
    });
    Ok(())
}

/// Removes the link between an entry and an item.
pub async fn unlink_item(
    store: &Store,
    actor: &str,
    entry_id: i64,
    item_id: i64,
) -> Result<(), StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let n = sqlx::query("DELETE FROM catalogue_links WHERE entry_id = $1 AND item_id = $2")
            .bind(entry_id)
            .bind(item_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("catalogue link {entry_id}/{item_id}")));
        }
        let detail = serde_json::json!({"item_id": item_id}).to_string();
        audit_append!(tx, actor, "catalogue.unlink", "catalogue_entry", &entry_id.to_string(), &detail);
        tx.commit().await?;
    });
    Ok(())
}

/// The ids of the items linked to an entry.
pub async fn linked_item_ids(store: &Store, entry_id: i64) -> Result<Vec<i64>, StoreError> {
    on_db!(store, pool => {
        let rows = sqlx::query("SELECT item_id FROM catalogue_links WHERE entry_id = $1 ORDER BY item_id")
            .bind(entry_id)
            .fetch_all(pool)
            .await?;
        rows.iter().map(|r| r.try_get::<i64, _>("item_id").map_err(StoreError::from)).collect()
    })
}
