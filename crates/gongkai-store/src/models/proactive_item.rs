//! Proactive items (主动公开) with the catalogue metadata of 《政府信息公开目录系统实施指引》:
//! 索引号, 名称, 内容概述, 发布机构, 成文日期, 发布日期, 文号, 主题/体裁分类, 主题词, 公开方式,
//! 有效性, and the Art. 20 item they fulfil; 政策解读 links both ways.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::models::agency;
use crate::{BeginWrite, Store, StoreError};

/// What kind of document an item is, as table 二 distinguishes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocType {
    /// 规章
    Regulation,
    /// 规范性文件
    NormativeDocument,
    /// 政策解读
    Interpretation,
    /// Anything else published proactively.
    Other,
}

impl DocType {
    /// The stored key.
    pub fn key(self) -> &'static str {
        match self {
            DocType::Regulation => "regulation",
            DocType::NormativeDocument => "normative_document",
            DocType::Interpretation => "interpretation",
            DocType::Other => "other",
        }
    }
}

/// 有效性.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Validity {
    /// 有效
    InForce,
    /// 已修改
    Amended,
    /// 已废止
    Repealed,
    /// 已失效
    Expired,
}

impl Validity {
    /// The stored key.
    pub fn key(self) -> &'static str {
        match self {
            Validity::InForce => "in_force",
            Validity::Amended => "amended",
            Validity::Repealed => "repealed",
            Validity::Expired => "expired",
        }
    }

    /// The label the portal prints.
    pub fn label(self) -> &'static str {
        match self {
            Validity::InForce => "有效",
            Validity::Amended => "已修改",
            Validity::Repealed => "已废止",
            Validity::Expired => "已失效",
        }
    }
}

/// Where an item stands in the publishing gate (先审后发).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// 草稿: being drafted (or changed after a return).
    Draft,
    /// 待审核: scanned, waiting for the 保密审查 reviewer.
    InReview,
    /// 已发布: public.
    Published,
    /// 已退回: returned to its author by the reviewer.
    Returned,
    /// 已撤回: withdrawn from the portal.
    Withdrawn,
}

impl ItemStatus {
    /// Every status, in the order of the gate.
    pub const ALL: [ItemStatus; 5] = [
        ItemStatus::Draft,
        ItemStatus::InReview,
        ItemStatus::Published,
        ItemStatus::Returned,
        ItemStatus::Withdrawn,
    ];

    /// The stored key.
    pub fn key(self) -> &'static str {
        match self {
            ItemStatus::Draft => "draft",
            ItemStatus::InReview => "in_review",
            ItemStatus::Published => "published",
            ItemStatus::Returned => "returned",
            ItemStatus::Withdrawn => "withdrawn",
        }
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            ItemStatus::Draft => "草稿",
            ItemStatus::InReview => "待审核",
            ItemStatus::Published => "已发布",
            ItemStatus::Returned => "已退回",
            ItemStatus::Withdrawn => "已撤回",
        }
    }

    /// Reads a stored key.
    pub fn parse(s: &str) -> Option<ItemStatus> {
        let s = s.trim();
        ItemStatus::ALL.into_iter().find(|k| k.key() == s)
    }

    /// Whether the item is public.
    pub fn is_published(self) -> bool {
        self == ItemStatus::Published
    }

    /// Whether the item was withdrawn.
    pub fn is_withdrawn(self) -> bool {
        self == ItemStatus::Withdrawn
    }

    /// Whether the item is still before publication (a draft, in review or returned): its
    /// text and attachments may change.
    pub fn is_unpublished(self) -> bool {
        matches!(
            self,
            ItemStatus::Draft | ItemStatus::InReview | ItemStatus::Returned
        )
    }
}

impl TryFrom<String> for ItemStatus {
    type Error = gongkai_law::UnknownKey;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        ItemStatus::parse(&s).ok_or_else(|| gongkai_law::UnknownKey::new("信息状态", s))
    }
}

/// A published (or drafted) item with its catalogue metadata.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct ProactiveItem {
    /// Database id.
    pub id: i64,
    /// Owning agency.
    pub agency_id: i64,
    /// 索引号, e.g. `113708280043326001/2024-02411`; never changes.
    pub index_no: String,
    /// 名称
    pub title: String,
    /// 内容概述
    pub summary: String,
    /// 发布机构
    pub publisher: String,
    /// 成文日期
    pub written_on: Option<NaiveDate>,
    /// 发布日期
    pub published_on: Option<NaiveDate>,
    /// 文号
    pub doc_number: Option<String>,
    /// 主题分类
    pub topic: String,
    /// 体裁分类
    pub genre: String,
    /// 主题词
    pub keywords: String,
    /// 公开方式
    pub disclosure_mode: String,
    /// `regulation`, `normative_document`, `interpretation` or `other` ([`DocType::key`]).
    pub doc_type: String,
    /// The item of Regulation Art. 20 (1–15) it fulfils.
    pub art20_item: Option<i64>,
    /// The unit (科室) responsible.
    pub unit: String,
    /// Where it stands in the gate.
    #[sqlx(try_from = "String")]
    pub status: ItemStatus,
    /// 有效性 ([`Validity::key`]).
    pub validity: String,
    /// When the validity last changed.
    pub validity_changed_on: Option<NaiveDate>,
}

/// A new item, before it has an 索引号.
#[derive(Debug, Clone)]
pub struct NewItem {
    /// Owning agency (must have a 统一社会信用代码).
    pub agency_id: i64,
    /// 名称
    pub title: String,
    /// 内容概述
    pub summary: String,
    /// 发布机构
    pub publisher: String,
    /// 成文日期
    pub written_on: Option<NaiveDate>,
    /// 发布日期 (None while a draft)
    pub published_on: Option<NaiveDate>,
    /// 文号
    pub doc_number: Option<String>,
    /// 主题分类
    pub topic: String,
    /// 体裁分类
    pub genre: String,
    /// Document kind.
    pub doc_type: DocType,
    /// Art. 20 item.
    pub art20_item: Option<i64>,
    /// Responsible unit.
    pub unit: String,
    /// [`ItemStatus::Draft`], [`ItemStatus::InReview`] or [`ItemStatus::Published`].
    pub status: ItemStatus,
}

const COLUMNS: &str = "id, agency_id, index_no, title, summary, publisher, written_on, published_on, \
     doc_number, topic, genre, keywords, disclosure_mode, doc_type, art20_item, unit, status, \
     validity, validity_changed_on";

/// Formats an 索引号: 18-character code, `/`, year, `-`, five-digit serial.
pub fn format_index_no(credit_code: &str, year: i32, serial: i64) -> String {
    format!("{credit_code}/{year}-{serial:05}")
}

/// The year an item's 索引号 is drawn in: its publication year, else the year it was written.
pub(crate) fn index_year(item: &NewItem) -> i32 {
    item.published_on
        .or(item.written_on)
        .map(|d| d.year())
        .unwrap_or_else(|| gongkai_law::beijing_today().year())
}

/// The SQL that reserves `$3` consecutive serials for code `$1` and year `$2` and returns the
/// last one: the range is `last - n + 1 ..= last`.
pub(crate) const RESERVE_SERIALS: &str = "INSERT INTO index_serials (credit_code, year, last_serial) VALUES ($1, $2, $3) \
     ON CONFLICT (credit_code, year) DO UPDATE SET last_serial = index_serials.last_serial + $3 \
     RETURNING last_serial";

/// Creates an item, drawing its 索引号 in the same transaction.
pub async fn create(
    store: &Store,
    actor: &str,
    item: &NewItem,
) -> Result<ProactiveItem, StoreError> {
    let agency = agency::get(store, item.agency_id).await?;
    let code = agency.credit_code.ok_or_else(|| {
        StoreError::invalid(format!(
            "{} 无统一社会信用代码，无法生成索引号",
            agency.name
        ))
    })?;
    let year = index_year(item);
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
            return Err(StoreError::invalid(format!("{code} {year}: 索引号序号用尽")));
        }
        let index_no = format_index_no(&code, year, last);
        let id: i64 = sqlx::query(
            "INSERT INTO proactive_items (agency_id, index_no, title, summary, publisher, written_on, \
             published_on, doc_number, topic, genre, doc_type, art20_item, unit, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
        )
        .bind(item.agency_id)
        .bind(&index_no)
        .bind(&item.title)
        .bind(&item.summary)
        .bind(&item.publisher)
        .bind(item.written_on)
        .bind(item.published_on)
        .bind(&item.doc_number)
        .bind(&item.topic)
        .bind(&item.genre)
        .bind(item.doc_type.key())
        .bind(item.art20_item)
        .bind(&item.unit)
        .bind(item.status.key())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let detail = serde_json::json!({"index_no": index_no, "status": item.status.key()}).to_string();
        audit_append!(tx, actor, "item.create", "proactive_item", &id.to_string(), &detail);
        tx.commit().await?;
        id
    });
    get(store, id).await
}

/// One item by id.
pub async fn get(store: &Store, id: i64) -> Result<ProactiveItem, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM proactive_items WHERE id = $1");
    on_db!(store, pool => {
        sqlx::query_as::<_, ProactiveItem>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("item {id}")))
    })
}

/// The 正文 of an item (the published text once it is published).
pub async fn body(store: &Store, id: i64) -> Result<String, StoreError> {
    on_db!(store, pool => {
        sqlx::query("SELECT body FROM proactive_items WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?
            .map(|r| r.try_get::<String, _>("body"))
            .transpose()?
            .ok_or_else(|| StoreError::NotFound(format!("item {id}")))
    })
}

/// One item by its 索引号.
pub async fn find_by_index_no(
    store: &Store,
    index_no: &str,
) -> Result<Option<ProactiveItem>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM proactive_items WHERE index_no = $1");
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, ProactiveItem>(sqlx::AssertSqlSafe(sql))
            .bind(index_no)
            .fetch_optional(pool)
            .await?)
    })
}

/// Published items of an agency's subtree, newest first, one page.
pub async fn list_published(
    store: &Store,
    agency_id: i64,
    limit: i64,
    offset: i64,
) -> Result<Vec<ProactiveItem>, StoreError> {
    let sql = format!(
        "{} SELECT {COLUMNS} FROM proactive_items WHERE agency_id IN (SELECT id FROM sub) \
         AND status = 'published' ORDER BY published_on DESC, id DESC LIMIT $2 OFFSET $3",
        agency::SUBTREE
    );
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, ProactiveItem>(sqlx::AssertSqlSafe(sql))
            .bind(agency_id)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?)
    })
}

/// Changes an item's 有效性 (a repealed document stays online, marked).
pub async fn set_validity(
    store: &Store,
    actor: &str,
    id: i64,
    validity: Validity,
    on: NaiveDate,
) -> Result<(), StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let n = sqlx::query("UPDATE proactive_items SET validity = $1, validity_changed_on = $2 WHERE id = $3")
            .bind(validity.key())
            .bind(on)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("item {id}")));
        }
        let detail = serde_json::json!({"validity": validity.key(), "on": on}).to_string();
        audit_append!(tx, actor, "item.validity", "proactive_item", &id.to_string(), &detail);
        tx.commit().await?;
    });
    Ok(())
}

/// Why a 解读 cannot explain a document.
pub const INTERPRETATION_BEFORE_DOCUMENT: &str = "解读的日期早于所解读的文件，不能关联";
/// The document a 解读 explains must be published.
pub const DOCUMENT_NOT_PUBLISHED: &str = "所解读的文件尚未公开，不能关联";

/// The date an item carries: its 发布日期, else its 成文日期.
fn dated(item: &ProactiveItem) -> Option<NaiveDate> {
    item.published_on.or(item.written_on)
}

/// Refuses a link of 解读 `interpretation_id` to `document_id` unless the document is
/// published and the 解读 is not dated before it.
async fn check_link(
    store: &Store,
    interpretation_id: i64,
    document_id: i64,
) -> Result<(), StoreError> {
    let interpretation = get(store, interpretation_id).await?;
    let document = get(store, document_id).await?;
    if !document.status.is_published() {
        return Err(StoreError::invalid(DOCUMENT_NOT_PUBLISHED));
    }
    let document_on = dated(&document);
    let predates =
        |d: Option<NaiveDate>| matches!((d, document_on), (Some(d), Some(doc)) if d < doc);
    if predates(interpretation.written_on) || predates(interpretation.published_on) {
        return Err(StoreError::invalid(INTERPRETATION_BEFORE_DOCUMENT));
    }
    Ok(())
}

/// Refuses a 解读 dated `written_on` that would explain `document_id`: the document must be
/// published and not dated after it.
pub async fn check_document(
    store: &Store,
    document_id: i64,
    written_on: NaiveDate,
) -> Result<(), StoreError> {
    let document = get(store, document_id).await?;
    if !document.status.is_published() {
        return Err(StoreError::invalid(DOCUMENT_NOT_PUBLISHED));
    }
    if dated(&document).is_some_and(|on| written_on < on) {
        return Err(StoreError::invalid(INTERPRETATION_BEFORE_DOCUMENT));
    }
    Ok(())
}

/// Records the 目录 fields of a draft that its creation does not carry: its 主题词, its 有效性
/// and, for a 解读, the published document it explains (checked as [`link_interpretation`] checks it);
/// one transaction, one audit entry.
pub async fn describe_draft(
    store: &Store,
    actor: &str,
    id: i64,
    keywords: &str,
    interprets: Option<i64>,
    validity: &str,
) -> Result<(), StoreError> {
    if let Some(document_id) = interprets {
        check_link(store, id, document_id).await?;
    }
    if !crate::models::publishing::EDITABLE_VALIDITY.contains(&validity) {
        return Err(StoreError::invalid("“有效性”只能设为有效、已修改或已失效"));
    }
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let n = sqlx::query("UPDATE proactive_items SET keywords = $1, validity = $3 WHERE id = $2")
            .bind(keywords)
            .bind(id)
            .bind(validity)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("item {id}")));
        }
        if let Some(document_id) = interprets {
            sqlx::query("INSERT INTO interpretations (interpretation_id, document_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(document_id)
                .execute(&mut *tx)
                .await?;
        }
        let detail = serde_json::json!({"keywords": keywords, "document_id": interprets, "validity": validity}).to_string();
        audit_append!(tx, actor, "item.describe", "proactive_item", &id.to_string(), &detail);
        tx.commit().await?;
    });
    Ok(())
}

/// Links a 解读 to the document it explains: the document must be published, and the 解读
/// may not be dated (成文日期 or 发布日期) before it.
pub async fn link_interpretation(
    store: &Store,
    actor: &str,
    interpretation_id: i64,
    document_id: i64,
) -> Result<(), StoreError> {
    check_link(store, interpretation_id, document_id).await?;
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("INSERT INTO interpretations (interpretation_id, document_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(interpretation_id)
            .bind(document_id)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({"document_id": document_id}).to_string();
        audit_append!(tx, actor, "item.link_interpretation", "proactive_item", &interpretation_id.to_string(), &detail);
        tx.commit().await?;
    });
    Ok(())
}

/// The 解读 of a document.
pub async fn interpretations_of(
    store: &Store,
    document_id: i64,
) -> Result<Vec<ProactiveItem>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM proactive_items WHERE id IN \
         (SELECT interpretation_id FROM interpretations WHERE document_id = $1) ORDER BY id"
    );
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, ProactiveItem>(sqlx::AssertSqlSafe(sql)).bind(document_id).fetch_all(pool).await?)
    })
}

/// The documents a 解读 explains.
pub async fn documents_explained_by(
    store: &Store,
    interpretation_id: i64,
) -> Result<Vec<ProactiveItem>, StoreError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM proactive_items WHERE id IN \
         (SELECT document_id FROM interpretations WHERE interpretation_id = $1) ORDER BY id"
    );
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, ProactiveItem>(sqlx::AssertSqlSafe(sql)).bind(interpretation_id).fetch_all(pool).await?)
    })
}

/// A part of an item's 目录 entry that a published item lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Gap {
    /// No 公开类别 (the Art. 20 item).
    Art20Item,
    /// No 主题分类 of the fixed list ([`gongkai_law::TOPICS`]).
    Topic,
    /// 发布机构 is not the owning agency.
    Publisher,
    /// A 规范性文件 without 正文.
    Body,
}

/// A published item whose 目录 entry is incomplete.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MetadataGap {
    /// The item.
    pub item_id: i64,
    /// 名称
    pub title: String,
    /// What it lacks.
    pub missing: Vec<Gap>,
}

/// The published items of `root`'s subtree whose 目录 entry is incomplete: no 公开类别, a
/// 主题分类 outside the fixed list, a 发布机构 other than the owning agency, or a 规范性文件
/// without 正文.
pub async fn metadata_gaps(store: &Store, root: i64) -> Result<Vec<MetadataGap>, StoreError> {
    let sql = format!(
        "{} SELECT p.id, p.title, p.art20_item, p.topic, p.publisher, p.doc_type, \
         CAST(LENGTH(TRIM(p.body)) AS BIGINT) AS body_len, a.name AS agency_name \
         FROM proactive_items p JOIN agencies a ON a.id = p.agency_id \
         WHERE p.agency_id IN (SELECT id FROM sub) AND p.status = 'published' ORDER BY p.id",
        agency::SUBTREE
    );
    let rows = on_db!(store, pool => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(root).fetch_all(pool).await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get::<i64, _>("id")?,
                    r.try_get::<String, _>("title")?,
                    r.try_get::<Option<i64>, _>("art20_item")?,
                    r.try_get::<String, _>("topic")?,
                    r.try_get::<String, _>("publisher")?,
                    r.try_get::<String, _>("doc_type")?,
                    r.try_get::<Option<i64>, _>("body_len")?.unwrap_or(0),
                    r.try_get::<String, _>("agency_name")?,
                ))
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?
    });
    Ok(rows
        .into_iter()
        .filter_map(
            |(item_id, title, art20, topic, publisher, doc_type, body_len, agency)| {
                let mut missing = Vec::new();
                if art20.is_none() {
                    missing.push(Gap::Art20Item);
                }
                if gongkai_law::Topic::parse(&topic).is_none() {
                    missing.push(Gap::Topic);
                }
                if publisher != agency {
                    missing.push(Gap::Publisher);
                }
                if doc_type == DocType::NormativeDocument.key() && body_len == 0 {
                    missing.push(Gap::Body);
                }
                (!missing.is_empty()).then_some(MetadataGap {
                    item_id,
                    title,
                    missing,
                })
            },
        )
        .collect())
}

/// (解读, document) pairs of `root`'s subtree where the 解读 is dated (成文日期 or 发布日期)
/// before the document's 发布日期 (or 成文日期 when it has none).
pub async fn interpretations_predating(
    store: &Store,
    root: i64,
) -> Result<Vec<(i64, i64)>, StoreError> {
    let sql = format!(
        "{} SELECT i.interpretation_id, i.document_id FROM interpretations i \
         JOIN proactive_items pi ON pi.id = i.interpretation_id \
         JOIN proactive_items pd ON pd.id = i.document_id \
         WHERE pi.agency_id IN (SELECT id FROM sub) \
           AND (pi.written_on < COALESCE(pd.published_on, pd.written_on) \
             OR pi.published_on < COALESCE(pd.published_on, pd.written_on)) \
         ORDER BY i.interpretation_id",
        agency::SUBTREE
    );
    on_db!(store, pool => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(root).fetch_all(pool).await?;
        Ok(rows
            .iter()
            .map(|r| Ok((r.try_get("interpretation_id")?, r.try_get("document_id")?)))
            .collect::<Result<Vec<_>, sqlx::Error>>()?)
    })
}
