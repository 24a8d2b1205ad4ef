//! The publishing gate of the back office (《政府信息公开条例》 Art. 17, 先审后发):
//! draft → 保密审查 → publish.
//!
//! An editor submits a draft ([`submit_draft`], author recorded); [`scan_item`] runs the
//! automatic scan of `gongkai-review` over the body, stores the findings (masked only) and puts
//! the item in review; a reviewer resolves each blocking finding ([`resolve_finding`]), then
//! approves ([`approve`]) or returns it ([`return_to_author`]). Nobody approves, resolves or
//! returns their own item, and an item with an unresolved blocking finding is never published.
//! Every write runs in one transaction with its audit entry.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_review::Finding;
/// The editable word list of the scan (re-exported from `gongkai-review`).
pub use gongkai_review::WordList;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::models::agency;
use crate::models::proactive_item::{
    self, NewItem, ProactiveItem, RESERVE_SERIALS, format_index_no, index_year,
};
use crate::{BeginWrite, Store, StoreError};

/// The refusal when a reviewer acts on an item they drafted.
pub const SELF_REVIEW: &str = "不能审核本人起草的信息";

/// A finding of the latest scan as stored: masked text only, never the raw number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StoredFinding {
    /// Database id.
    pub id: i64,
    /// The item scanned.
    pub item_id: i64,
    /// Stable key (`id_number`, `mobile_number`, `bank_card`, `sensitive_word` …).
    pub kind: String,
    /// The Chinese label a reviewer reads (居民身份证号 …).
    pub label: String,
    /// The masked form (`4114**********123X`).
    pub masked: String,
    /// 1-based line of the body.
    pub line: i64,
    /// 1 when the finding blocks publication until resolved.
    pub blocks: i64,
    /// The reviewer who resolved it.
    pub resolved_by: Option<i64>,
}

/// The author and body of an item in the gate.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The item.
    pub item: ProactiveItem,
    /// The user who drafted it.
    pub author_id: Option<i64>,
    /// The text scanned.
    pub body: String,
}

/// Creates a draft (status `draft`, no 发布日期) drafted by `author_id`, drawing its 索引号.
pub async fn submit_draft(
    store: &Store,
    actor: &str,
    author_id: i64,
    item: &NewItem,
    body: &str,
) -> Result<ProactiveItem, StoreError> {
    let agency = agency::get(store, item.agency_id).await?;
    let code = agency.credit_code.ok_or_else(|| {
        StoreError::Invalid(format!(
            "{} 无统一社会信用代码，无法生成索引号",
            agency.name
        ))
    })?;
    let mut draft = item.clone();
    draft.status = "draft".to_string();
    draft.published_on = None;
    let year = index_year(&draft);
    let id: i64 = on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let last: i64 = sqlx::query(RESERVE_SERIALS)
            .bind(&code)
            .bind(year as i64)
            .bind(1i64)
            .fetch_one(&mut *tx)
            .await?
            .try_get("last_serial")?;
        if last > 99_999 {
            return Err(StoreError::Invalid(format!("{code} {year}: 索引号序号用尽")));
        }
        let index_no = format_index_no(&code, year, last);
        let id: i64 = sqlx::query(
            "INSERT INTO proactive_items (agency_id, index_no, title, summary, publisher, written_on, \
             published_on, doc_number, topic, genre, doc_type, art20_item, unit, status, author_id, body) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, $9, $10, $11, $12, 'draft', $13, $14) RETURNING id",
        )
        .bind(draft.agency_id)
        .bind(&index_no)
        .bind(&draft.title)
        .bind(&draft.summary)
        .bind(&draft.publisher)
        .bind(draft.written_on)
        .bind(&draft.doc_number)
        .bind(&draft.topic)
        .bind(&draft.genre)
        .bind(draft.doc_type.key())
        .bind(draft.art20_item)
        .bind(&draft.unit)
        .bind(author_id)
        .bind(body)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let detail = serde_json::json!({"index_no": index_no, "status": "draft", "author_id": author_id}).to_string();
        audit_append!(tx, actor, "item.draft", "proactive_item", &id.to_string(), &detail);
        tx.commit().await?;
        id
    });
    proactive_item::get(store, id).await
}

/// An item with its author and body.
pub async fn get_draft(store: &Store, id: i64) -> Result<Draft, StoreError> {
    let item = proactive_item::get(store, id).await?;
    let (author_id, body): (Option<i64>, String) = on_db!(store, pool => {
        let row = sqlx::query("SELECT author_id, body FROM proactive_items WHERE id = $1")
            .bind(id)
            .fetch_one(pool)
            .await?;
        (row.try_get("author_id")?, row.try_get("body")?)
    });
    Ok(Draft {
        item,
        author_id,
        body,
    })
}

/// Scans the item's body, replaces its stored findings with the new ones and puts a `draft` or
/// `returned` item in review (`in_review`). Returns the findings (masked fields only are kept).
pub async fn scan_item(
    store: &Store,
    actor: &str,
    id: i64,
    words: &WordList,
    now: DateTime<Utc>,
) -> Result<Vec<Finding>, StoreError> {
    let draft = get_draft(store, id).await?;
    if !matches!(
        draft.item.status.as_str(),
        "draft" | "returned" | "in_review"
    ) {
        return Err(StoreError::Invalid(format!(
            "信息状态为 {}，不能送审",
            draft.item.status
        )));
    }
    let findings = gongkai_review::scan(&draft.body, words);
    let summary: Vec<serde_json::Value> = findings
        .iter()
        .map(|f| {
            serde_json::json!({"kind": f.kind.key(), "masked": f.masked, "line": f.line, "blocks": f.blocks()})
        })
        .collect();
    let findings_json = serde_json::Value::Array(summary).to_string();
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("DELETE FROM item_findings WHERE item_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        for f in &findings {
            sqlx::query(
                "INSERT INTO item_findings (item_id, kind, label, masked, line, blocks) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(f.kind.key())
            .bind(f.kind.label())
            .bind(&f.masked)
            .bind(f.line as i64)
            .bind(i64::from(f.blocks()))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO item_reviews (item_id, author_id, reviewer_id, decision, findings_json, decided_at) \
             VALUES ($1, $2, NULL, 'scanned', $3, $4)",
        )
        .bind(id)
        .bind(draft.author_id)
        .bind(&findings_json)
        .bind(now.timestamp())
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE proactive_items SET status = 'in_review' WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit_append!(tx, actor, "item.scan", "proactive_item", &id.to_string(), &findings_json);
        tx.commit().await?;
    });
    Ok(findings)
}

/// The stored findings of an item's latest scan.
pub async fn findings(store: &Store, item_id: i64) -> Result<Vec<StoredFinding>, StoreError> {
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, StoredFinding>(
            "SELECT id, item_id, kind, label, masked, line, blocks, resolved_by FROM item_findings \
             WHERE item_id = $1 ORDER BY id",
        )
        .bind(item_id)
        .fetch_all(pool)
        .await?)
    })
}

/// Items waiting for a reviewer (`in_review`), oldest first.
pub async fn review_queue(store: &Store) -> Result<Vec<ProactiveItem>, StoreError> {
    let ids: Vec<i64> = on_db!(store, pool => {
        sqlx::query("SELECT id FROM proactive_items WHERE status = 'in_review' ORDER BY id")
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>("id"))
            .collect::<Result<Vec<_>, _>>()?
    });
    let mut items = Vec::with_capacity(ids.len());
    for id in ids {
        items.push(proactive_item::get(store, id).await?);
    }
    Ok(items)
}

/// Checks inside a transaction that the item is in review and `reviewer_id` did not draft it;
/// returns its author.
macro_rules! check_reviewer {
    ($tx:expr, $item_id:expr, $reviewer_id:expr) => {{
        let row = sqlx::query("SELECT author_id, status FROM proactive_items WHERE id = $1")
            .bind($item_id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("item {}", $item_id)))?;
        let author: Option<i64> = row.try_get("author_id")?;
        let status: String = row.try_get("status")?;
        if author == Some($reviewer_id) {
            return Err(StoreError::Invalid(SELF_REVIEW.to_string()));
        }
        if status != "in_review" {
            return Err(StoreError::Invalid(format!(
                "信息状态为 {status}，不在待审核状态"
            )));
        }
        author
    }};
}

/// Marks one blocking finding resolved by `reviewer_id` (who must not be the author).
pub async fn resolve_finding(
    store: &Store,
    actor: &str,
    finding_id: i64,
    reviewer_id: i64,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let item_id: i64 = sqlx::query("SELECT item_id FROM item_findings WHERE id = $1")
            .bind(finding_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("finding {finding_id}")))?
            .try_get("item_id")?;
        let author = check_reviewer!(tx, item_id, reviewer_id);
        sqlx::query("UPDATE item_findings SET resolved_by = $1, resolved_at = $2 WHERE id = $3")
            .bind(reviewer_id)
            .bind(now.timestamp())
            .bind(finding_id)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({"finding_id": finding_id, "note": note}).to_string();
        sqlx::query(
            "INSERT INTO item_reviews (item_id, author_id, reviewer_id, decision, findings_json, note, decided_at) \
             VALUES ($1, $2, $3, 'resolved', $4, $5, $6)",
        )
        .bind(item_id)
        .bind(author)
        .bind(reviewer_id)
        .bind(&detail)
        .bind(note)
        .bind(now.timestamp())
        .execute(&mut *tx)
        .await?;
        audit_append!(tx, actor, "item.resolve_finding", "proactive_item", &item_id.to_string(), &detail);
        tx.commit().await?;
    });
    Ok(())
}

/// Publishes an item in review: refused when `reviewer_id` drafted it ([`SELF_REVIEW`]) or a
/// blocking finding is unresolved. Sets status `published` and 发布日期 `on`.
pub async fn approve(
    store: &Store,
    actor: &str,
    item_id: i64,
    reviewer_id: i64,
    on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<ProactiveItem, StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let author = check_reviewer!(tx, item_id, reviewer_id);
        let open: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM item_findings WHERE item_id = $1 AND blocks = 1 AND resolved_by IS NULL",
        )
        .bind(item_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        if open > 0 {
            return Err(StoreError::Invalid(format!("尚有 {open} 项保密审查发现未处理，不能发布")));
        }
        let scanned: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM item_reviews WHERE item_id = $1 AND decision = 'scanned'",
        )
        .bind(item_id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        if scanned == 0 {
            return Err(StoreError::Invalid("未经保密审查扫描，不能发布".to_string()));
        }
        sqlx::query("UPDATE proactive_items SET status = 'published', published_on = $1 WHERE id = $2")
            .bind(on)
            .bind(item_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO item_reviews (item_id, author_id, reviewer_id, decision, decided_at) \
             VALUES ($1, $2, $3, 'approved', $4)",
        )
        .bind(item_id)
        .bind(author)
        .bind(reviewer_id)
        .bind(now.timestamp())
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({"reviewer_id": reviewer_id, "published_on": on}).to_string();
        audit_append!(tx, actor, "item.approve", "proactive_item", &item_id.to_string(), &detail);
        tx.commit().await?;
    });
    proactive_item::get(store, item_id).await
}

/// Returns an item in review to its author (status `returned`) with the reviewer's reason.
pub async fn return_to_author(
    store: &Store,
    actor: &str,
    item_id: i64,
    reviewer_id: i64,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let author = check_reviewer!(tx, item_id, reviewer_id);
        sqlx::query("UPDATE proactive_items SET status = 'returned' WHERE id = $1")
            .bind(item_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO item_reviews (item_id, author_id, reviewer_id, decision, note, decided_at) \
             VALUES ($1, $2, $3, 'returned', $4, $5)",
        )
        .bind(item_id)
        .bind(author)
        .bind(reviewer_id)
        .bind(reason)
        .bind(now.timestamp())
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({"reviewer_id": reviewer_id, "reason": reason}).to_string();
        audit_append!(tx, actor, "item.return", "proactive_item", &item_id.to_string(), &detail);
        tx.commit().await?;
    });
    Ok(())
}
