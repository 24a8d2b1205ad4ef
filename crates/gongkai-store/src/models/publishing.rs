//! The publishing gate of the back office (《政府信息公开条例》 Art. 17, 先审后发):
//! draft → 保密审查 → publish.
//!
//! An editor submits a draft ([`submit_draft`], author recorded); [`scan_item`] runs the
//! automatic scan of `gongkai-review` over the body and attachments, stores the findings
//! (masked only, with a keyed hash of each value) and puts the item in review; a reviewer
//! clears each finding by 遮盖 or an exception ([`crate::models::review_gate`]) — or returns the
//! item ([`return_to_author`]) for the editor to change the text — then approves ([`approve`]),
//! which scans the final texts again and refuses while a finding without an exception remains.
//! Nobody approves, decides on or returns their own item. Every write runs in one transaction
//! with its audit entry.

use chrono::{DateTime, NaiveDate, Utc};
/// The editable word list of the scan (re-exported from `gongkai-review`).
pub use gongkai_review::WordList;
use gongkai_review::{Finding, FindingClass};
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::keyed;
use crate::models::proactive_item::{
    self, DocType, ItemStatus, NewItem, ProactiveItem, RESERVE_SERIALS, format_index_no, index_year,
};
use crate::models::review_gate::{self, GateText, exceptions_of, gate_texts, stored_words};
use crate::models::{agency, sensitive_word};
use crate::{BeginWrite, Store, StoreError};

/// A finding of the latest scan as stored: masked text only, never the raw number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StoredFinding {
    /// Database id.
    pub id: i64,
    /// The item scanned.
    pub item_id: i64,
    /// What it is (stored as [`FindingClass::key`]).
    #[sqlx(try_from = "String")]
    pub kind: FindingClass,
    /// The Chinese label a reviewer reads (居民身份证号 …).
    pub label: String,
    /// The masked form (`4114**********123X`).
    pub masked: String,
    /// 1-based line of the body.
    pub line: i64,
    /// 1 when the finding blocks publication until cleared (every finding of a current scan).
    pub blocks: i64,
    /// The reviewer whose exception clears it.
    pub resolved_by: Option<i64>,
    /// Where it lies: empty for the body, else the attachment's file name.
    pub source: String,
    /// The line around it, every finding in it masked.
    pub excerpt: String,
    /// 1 for a 「疑似」 finding (a near miss: wrong check digit, failing Luhn …).
    pub suspect: i64,
    /// The exception that clears it ([`review_gate::record_exception`]).
    pub exception_id: Option<i64>,
}

impl StoredFinding {
    /// Whether a decision still has to be made on it.
    pub fn open(&self) -> bool {
        self.exception_id.is_none()
    }

    /// Whether 遮盖 can clear it: not a listed word (a word has no masked form), and in the
    /// body or a plain-text attachment (`.txt`), the only files the system can rewrite.
    pub fn maskable(&self) -> bool {
        self.kind.has_masked_form()
            && (self.source.is_empty() || self.source.to_ascii_lowercase().ends_with(".txt"))
    }
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
        StoreError::invalid(format!(
            "{} 无统一社会信用代码，无法生成索引号",
            agency.name
        ))
    })?;
    let mut draft = item.clone();
    draft.status = ItemStatus::Draft;
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
            return Err(StoreError::invalid(format!("{code} {year}: 索引号序号用尽")));
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

/// The editable fields of a draft or a revision: 标题, 文号, 类别, 正文.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemEdit {
    /// 标题
    pub title: String,
    /// 文号, if any.
    pub doc_number: Option<String>,
    /// 类别
    pub doc_type: DocType,
    /// 正文
    pub body: String,
    /// The 目录 fields, when the edit sets them (`None` leaves them as they are).
    pub meta: Option<MetaEdit>,
}

/// The 目录 fields an edit or a revision sets (checked by the web layer's form; the store
/// checks what it must keep true: the 有效性 key and the 解读's document and date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetaEdit {
    /// 公开类别: the item of Art. 20 (1–15).
    pub art20_item: i64,
    /// 主题分类
    pub topic: String,
    /// 主题词, space-separated.
    pub keywords: String,
    /// 成文日期
    pub written_on: NaiveDate,
    /// 有效性: `in_force`, `amended` or `expired` (已废止 only through [`repeal`]).
    pub validity: String,
    /// For a 解读, the published document it explains.
    pub interprets: Option<i64>,
}

/// The 有效性 values an edit may set: 已废止 has its own step ([`repeal`]) with date and reason.
pub const EDITABLE_VALIDITY: [&str; 3] = ["in_force", "amended", "expired"];

impl ItemEdit {
    fn check(&self) -> Result<(), StoreError> {
        if self.title.trim().is_empty() || self.body.trim().is_empty() {
            return Err(StoreError::invalid("标题和正文不能为空"));
        }
        if let Some(m) = &self.meta {
            if !EDITABLE_VALIDITY.contains(&m.validity.as_str()) {
                return Err(StoreError::invalid(
                    "“有效性”只能设为有效、已修改或已失效；废止请用“废止”操作",
                ));
            }
            if !(1..=15).contains(&m.art20_item) {
                return Err(StoreError::invalid("请选择“公开类别”"));
            }
        }
        Ok(())
    }

    /// Checks the 解读's document against the database (outside the write transaction).
    async fn check_document(&self, store: &Store) -> Result<(), StoreError> {
        if let Some(m) = &self.meta
            && let Some(document) = m.interprets
        {
            crate::models::proactive_item::check_document(store, document, m.written_on).await?;
        }
        Ok(())
    }
}

/// Writes the 目录 fields `$m` of a [`MetaEdit`] into the revision rows matching `$cond`
/// (whose one parameter, `$7`, is `$key`).
macro_rules! set_revision_meta {
    ($tx:ident, $m:expr, $cond:literal, $key:expr) => {
        sqlx::query(concat!(
            "UPDATE item_revisions SET art20_item = $1, topic = $2, keywords = $3, written_on = $4, \
             validity = $5, interprets = $6 WHERE ",
            $cond
        ))
        .bind($m.art20_item)
        .bind(&$m.topic)
        .bind(&$m.keywords)
        .bind($m.written_on)
        .bind(&$m.validity)
        .bind($m.interprets)
        .bind($key)
        .execute(&mut *$tx)
        .await?;
    };
}

/// What changed since an item's last scan, so that [`rescan_files`] reads only that.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileChange {
    /// The attachment of this id was added.
    Added(i64),
    /// The attachment of this file name was removed.
    Removed(String),
}

/// Scans what waits in the gate for item `id` and puts it in review: the body and every
/// attachment of a `draft`, `returned` or `in_review` item, or the body of the open revision
/// of a `published` item (its attachments were reviewed at publication). `words` is the base
/// list (the built-in markers as a rule); the agency's stored words are always added. The
/// stored findings are replaced by the new ones (masked only, each with its source); returns
/// every finding, body first.
pub async fn scan_item(
    store: &Store,
    actor: &str,
    id: i64,
    words: &WordList,
    now: DateTime<Utc>,
) -> Result<Vec<Finding>, StoreError> {
    scan(store, actor, id, words, None, now).await
}

/// Scans an item after one of its attachments was added or removed, reading only what
/// changed: the body (short, and it may have been edited since) and the files of the changed
/// file name; the other files' findings stay as the last scan stored them, so a 1-byte upload
/// to an item holding hundreds of megabytes of text does not read them all again. An item
/// never scanned before (or a revision) is scanned whole, like [`scan_item`]. [`approve`]
/// still scans every text once, in its own transaction, so a word added to the list since
/// is caught before publication. Returns the findings of the texts read.
pub async fn rescan_files(
    store: &Store,
    actor: &str,
    id: i64,
    words: &WordList,
    change: &FileChange,
    now: DateTime<Utc>,
) -> Result<Vec<Finding>, StoreError> {
    let scanned_before: i64 = on_db!(store, pool => {
        sqlx::query(
            "SELECT COUNT(*) AS n FROM item_reviews \
             WHERE item_id = $1 AND decision = 'scanned' AND revision_id IS NULL",
        )
        .bind(id)
        .fetch_one(pool)
        .await?
        .try_get("n")?
    });
    let name = match change {
        FileChange::Removed(name) => name.clone(),
        FileChange::Added(att) => on_db!(store, pool => {
            sqlx::query("SELECT file_name FROM item_attachments WHERE id = $1 AND item_id = $2")
                .bind(att)
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("attachment {att}")))?
                .try_get::<String, _>("file_name")?
        }),
    };
    let only = (scanned_before > 0).then_some(name.as_str());
    scan(store, actor, id, words, only, now).await
}

/// The scan of [`scan_item`] and [`rescan_files`]: everything (`only` is `None`), or the body
/// and the attachments named `only`, replacing only their findings.
async fn scan(
    store: &Store,
    actor: &str,
    id: i64,
    words: &WordList,
    only: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<Finding>, StoreError> {
    let draft = get_draft(store, id).await?;
    let stored_words: Vec<String> = sensitive_word::list(store)
        .await?
        .into_iter()
        .map(|w| w.word)
        .collect();
    let list = review_gate::merged_words(words, &stored_words);
    let (author_id, revision_id, texts, only) = match draft.item.status {
        ItemStatus::Draft | ItemStatus::Returned | ItemStatus::InReview => {
            let mut texts = vec![GateText::body(draft.body)];
            texts.extend(review_gate::attachment_texts_named(store, id, only).await?);
            (draft.author_id, None, texts, only)
        }
        ItemStatus::Published => match open_revision(store, id).await? {
            Some(r) => (r.author_id, Some(r.id), vec![GateText::body(r.body)], None),
            None => {
                return Err(StoreError::invalid("信息已发布，修改须先提出修订"));
            }
        },
        other @ ItemStatus::Withdrawn => {
            return Err(StoreError::Refused(crate::Refusal::WrongState(format!(
                "信息状态为「{}」，不能送审",
                other.label()
            ))));
        }
    };
    // The scan is CPU work over texts of any size: off the async threads, bounded.
    let scanned = {
        let crypto = store.crypto.clone();
        crate::blocking::run(move || review_gate::scan_texts(&crypto, &texts, &list, now)).await?
    };
    let summary_of = |s: &review_gate::Scanned| {
        let f = &s.finding;
        serde_json::json!({"kind": f.kind.key(), "masked": f.masked, "line": f.line, "blocks": f.blocks(), "suspect": f.suspect, "source": s.source})
    };
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let exceptions = exceptions_of!(tx, id);
        match only {
            None => {
                sqlx::query("DELETE FROM item_findings WHERE item_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            Some(name) => {
                sqlx::query(
                    "DELETE FROM item_findings WHERE item_id = $1 AND (source = '' OR source = $2)",
                )
                .bind(id)
                .bind(name)
                .execute(&mut *tx)
                .await?;
            }
        }
        for s in &scanned {
            let f = &s.finding;
            let cleared = exceptions.get(&(f.kind.key().to_string(), s.mac.clone()));
            sqlx::query(
                "INSERT INTO item_findings (item_id, kind, label, masked, line, blocks, source, value_mac, excerpt, suspect, \
                 exception_id, resolved_by, resolved_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(id)
            .bind(f.kind.key())
            .bind(f.kind.label())
            .bind(&f.masked)
            .bind(f.line as i64)
            .bind(i64::from(f.blocks()))
            .bind(&s.source)
            .bind(&s.mac)
            .bind(&f.excerpt)
            .bind(i64::from(f.suspect))
            .bind(cleared.map(|c| c.0))
            .bind(cleared.map(|c| c.1))
            .bind(cleared.map(|c| c.2))
            .execute(&mut *tx)
            .await?;
        }
        // The review record and the audit entry list every finding the item now has: a
        // partial scan's kept findings too.
        let findings_json = match only {
            None => serde_json::Value::Array(scanned.iter().map(summary_of).collect()).to_string(),
            Some(_) => {
                let mut all = Vec::new();
                for r in sqlx::query(
                    "SELECT kind, masked, line, blocks, suspect, source FROM item_findings \
                     WHERE item_id = $1 ORDER BY CASE WHEN source = '' THEN 0 ELSE 1 END, id",
                )
                .bind(id)
                .fetch_all(&mut *tx)
                .await?
                {
                    all.push(serde_json::json!({
                        "kind": r.try_get::<String, _>("kind")?,
                        "masked": r.try_get::<String, _>("masked")?,
                        "line": r.try_get::<i64, _>("line")?,
                        "blocks": r.try_get::<i64, _>("blocks")? != 0,
                        "suspect": r.try_get::<i64, _>("suspect")? != 0,
                        "source": r.try_get::<String, _>("source")?,
                    }));
                }
                serde_json::Value::Array(all).to_string()
            }
        };
        sqlx::query(
            "INSERT INTO item_reviews (item_id, author_id, reviewer_id, decision, findings_json, decided_at, revision_id) \
             VALUES ($1, $2, NULL, 'scanned', $3, $4, $5)",
        )
        .bind(id)
        .bind(author_id)
        .bind(&findings_json)
        .bind(now.timestamp())
        .bind(revision_id)
        .execute(&mut *tx)
        .await?;
        match revision_id {
            None => {
                sqlx::query("UPDATE proactive_items SET status = 'in_review' WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            Some(r) => {
                sqlx::query("UPDATE item_revisions SET status = 'in_review' WHERE id = $1")
                    .bind(r)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        audit_append!(tx, actor, "item.scan", "proactive_item", &id.to_string(), &findings_json);
        tx.commit().await?;
    });
    Ok(scanned.into_iter().map(|s| s.finding).collect())
}

/// The stored findings of an item's latest scan.
pub async fn findings(store: &Store, item_id: i64) -> Result<Vec<StoredFinding>, StoreError> {
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, StoredFinding>(
            "SELECT id, item_id, kind, label, masked, line, blocks, resolved_by, source, excerpt, suspect, exception_id \
             FROM item_findings \
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

/// Checks inside a transaction that something of the item waits in review — the item itself
/// (`in_review`) or the revision of a published item — and that `reviewer_id` did not draft
/// it; returns its author and the revision, if it is one.
macro_rules! check_reviewer {
    ($tx:expr, $item_id:expr, $reviewer_id:expr) => {{
        let row = sqlx::query("SELECT author_id, status FROM proactive_items WHERE id = $1")
            .bind($item_id)
            .fetch_optional(&mut *$tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("item {}", $item_id)))?;
        let author: Option<i64> = row.try_get("author_id")?;
        let status: ItemStatus = $crate::keyed::column(&row, "status")?;
        let revision = if status.is_published() {
            sqlx::query(
                "SELECT id, author_id FROM item_revisions WHERE item_id = $1 AND status = 'in_review'",
            )
            .bind($item_id)
            .fetch_optional(&mut *$tx)
            .await?
        } else {
            None
        };
        let (author, revision): (Option<i64>, Option<i64>) = match revision {
            Some(r) => (r.try_get("author_id")?, Some(r.try_get("id")?)),
            None if status == ItemStatus::InReview => (author, None),
            None => {
                return Err(StoreError::Refused(crate::Refusal::WrongState(format!(
                "信息状态为「{}」，不在待审核状态",
                status.label()
            ))));
            }
        };
        if author == Some($reviewer_id) {
            return Err(StoreError::Refused($crate::Refusal::SelfReview));
        }
        (author, revision)
    }};
}
pub(crate) use check_reviewer;

/// Approves what waits in review for the item: refused when `reviewer_id` drafted it
/// ([`Refusal::SelfReview`](crate::Refusal::SelfReview)), when a scan of the final texts (body, attachments; a revision's body)
/// finds anything without an exception, or when it was never scanned. A draft is
/// published with 发布日期 `on`; a revision replaces the published version (whose 发布日期
/// stays), and the version it replaces goes to the history.
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
        let (author, revision) = check_reviewer!(tx, item_id, reviewer_id);
        // The final texts are scanned again here, in the transaction that publishes them:
        // whatever the stored findings say, nothing leaves with a finding nobody decided on.
        let texts = gate_texts!(tx, item_id, revision);
        let stored = stored_words!(tx);
        let exceptions = exceptions_of!(tx, item_id);
        let list = review_gate::merged_words(&WordList::default(), &stored);
        let open = review_gate::scan_texts(&store.crypto, &texts, &list, now)
            .iter()
            .filter(|s| !exceptions.contains_key(&(s.finding.kind.key().to_string(), s.mac.clone())))
            .count();
        if open > 0 {
            return Err(StoreError::Refused(crate::Refusal::UnresolvedFindings(format!(
                "尚有 {open} 项保密审查发现未处理（须遮盖、由起草人修改或登记例外），不能发布"
            ))));
        }
        let scanned: i64 = match revision {
            None => sqlx::query(
                "SELECT COUNT(*) AS n FROM item_reviews WHERE item_id = $1 AND decision = 'scanned'",
            )
            .bind(item_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?,
            Some(r) => sqlx::query(
                "SELECT COUNT(*) AS n FROM item_reviews WHERE revision_id = $1 AND decision = 'scanned'",
            )
            .bind(r)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?,
        };
        if scanned == 0 {
            return Err(StoreError::invalid("未经保密审查扫描，不能发布"));
        }
        let (action, detail) = match revision {
            None => {
                sqlx::query("UPDATE proactive_items SET status = 'published', published_on = $1 WHERE id = $2")
                    .bind(on)
                    .bind(item_id)
                    .execute(&mut *tx)
                    .await?;
                ("item.approve", serde_json::json!({"reviewer_id": reviewer_id, "published_on": on}))
            }
            Some(r) => {
                // The published version goes to the history before the revision replaces it.
                sqlx::query(
                    "INSERT INTO item_versions (item_id, revision_id, title, doc_number, doc_type, body, replaced_at) \
                     SELECT id, $2, title, doc_number, doc_type, body, $3 FROM proactive_items WHERE id = $1",
                )
                .bind(item_id)
                .bind(r)
                .bind(now.timestamp())
                .execute(&mut *tx)
                .await?;
                let rev = sqlx::query("SELECT title, doc_number, doc_type, body FROM item_revisions WHERE id = $1")
                    .bind(r)
                    .fetch_one(&mut *tx)
                    .await?;
                let title: String = rev.try_get("title")?;
                let doc_number: Option<String> = rev.try_get("doc_number")?;
                let doc_type: String = rev.try_get("doc_type")?;
                let body: String = rev.try_get("body")?;
                sqlx::query(
                    "UPDATE proactive_items SET title = $1, doc_number = $2, doc_type = $3, body = $4 WHERE id = $5",
                )
                .bind(&title)
                .bind(&doc_number)
                .bind(&doc_type)
                .bind(&body)
                .bind(item_id)
                .execute(&mut *tx)
                .await?;
                // The revision's 目录 fields, when it set them; a changed 有效性 is dated today.
                let meta = sqlx::query(
                    "SELECT art20_item, topic, keywords, written_on, validity, interprets FROM item_revisions \
                     WHERE id = $1 AND art20_item IS NOT NULL",
                )
                .bind(r)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(m) = meta {
                    let validity: String = m.try_get("validity")?;
                    let interprets: Option<i64> = m.try_get("interprets")?;
                    sqlx::query(
                        "UPDATE proactive_items SET art20_item = $1, topic = $2, keywords = $3, written_on = $4, \
                         validity_changed_on = CASE WHEN validity = $5 THEN validity_changed_on ELSE $6 END, \
                         validity = $5 WHERE id = $7",
                    )
                    .bind(m.try_get::<i64, _>("art20_item")?)
                    .bind(m.try_get::<String, _>("topic")?)
                    .bind(m.try_get::<String, _>("keywords")?)
                    .bind(m.try_get::<Option<NaiveDate>, _>("written_on")?)
                    .bind(&validity)
                    .bind(on)
                    .bind(item_id)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("DELETE FROM interpretations WHERE interpretation_id = $1")
                        .bind(item_id)
                        .execute(&mut *tx)
                        .await?;
                    if let Some(document_id) = interprets {
                        sqlx::query("INSERT INTO interpretations (interpretation_id, document_id) VALUES ($1, $2)")
                            .bind(item_id)
                            .bind(document_id)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                sqlx::query(
                    "UPDATE item_revisions SET status = 'approved', reviewer_id = $1, decided_at = $2 WHERE id = $3",
                )
                .bind(reviewer_id)
                .bind(now.timestamp())
                .bind(r)
                .execute(&mut *tx)
                .await?;
                ("item.approve_revision", serde_json::json!({"reviewer_id": reviewer_id, "revision_id": r, "title": title}))
            }
        };
        sqlx::query(
            "INSERT INTO item_reviews (item_id, author_id, reviewer_id, decision, decided_at, revision_id) \
             VALUES ($1, $2, $3, 'approved', $4, $5)",
        )
        .bind(item_id)
        .bind(author)
        .bind(reviewer_id)
        .bind(now.timestamp())
        .bind(revision)
        .execute(&mut *tx)
        .await?;
        audit_append!(tx, actor, action, "proactive_item", &item_id.to_string(), &detail.to_string());
        tx.commit().await?;
    });
    proactive_item::get(store, item_id).await
}

/// Returns what waits in review — the item (status `returned`) or its revision — to its
/// author with the reviewer's reason.
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
        let (author, revision) = check_reviewer!(tx, item_id, reviewer_id);
        match revision {
            None => {
                sqlx::query("UPDATE proactive_items SET status = 'returned' WHERE id = $1")
                    .bind(item_id)
                    .execute(&mut *tx)
                    .await?;
            }
            Some(r) => {
                sqlx::query(
                    "UPDATE item_revisions SET status = 'returned', note = $1, reviewer_id = $2, decided_at = $3 WHERE id = $4",
                )
                .bind(reason)
                .bind(reviewer_id)
                .bind(now.timestamp())
                .bind(r)
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query(
            "INSERT INTO item_reviews (item_id, author_id, reviewer_id, decision, note, decided_at, revision_id) \
             VALUES ($1, $2, $3, 'returned', $4, $5, $6)",
        )
        .bind(item_id)
        .bind(author)
        .bind(reviewer_id)
        .bind(reason)
        .bind(now.timestamp())
        .bind(revision)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({"reviewer_id": reviewer_id, "reason": reason, "revision_id": revision}).to_string();
        audit_append!(tx, actor, "item.return", "proactive_item", &item_id.to_string(), &detail);
        tx.commit().await?;
    });
    Ok(())
}

/// The reviewer's reason of the latest return of the item or of one of its revisions.
pub async fn last_return_reason(store: &Store, item_id: i64) -> Result<Option<String>, StoreError> {
    on_db!(store, pool => {
        let row = sqlx::query(
            "SELECT note FROM item_reviews WHERE item_id = $1 AND decision = 'returned' ORDER BY id DESC LIMIT 1",
        )
        .bind(item_id)
        .fetch_optional(pool)
        .await?;
        Ok(match row {
            Some(r) => Some(r.try_get("note")?),
            None => None,
        })
    })
}

/// Edits what waits for its author: a `returned` (or never scanned `draft`) item, or the
/// returned (or never scanned) revision of a published item. The edit leaves it a draft until
/// the next [`scan_item`], which resubmits it. An item or revision in review is not edited.
pub async fn edit(
    store: &Store,
    actor: &str,
    editor_id: i64,
    item_id: i64,
    edit: &ItemEdit,
) -> Result<(), StoreError> {
    edit.check()?;
    edit.check_document(store).await?;
    let title = edit.title.trim();
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let row = sqlx::query("SELECT status FROM proactive_items WHERE id = $1")
            .bind(item_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("item {item_id}")))?;
        let status: ItemStatus = keyed::column(&row, "status")?;
        let action = match status {
            ItemStatus::Returned | ItemStatus::Draft => {
                sqlx::query(
                    "UPDATE proactive_items SET title = $1, doc_number = $2, doc_type = $3, body = $4, status = 'draft' WHERE id = $5",
                )
                .bind(title)
                .bind(&edit.doc_number)
                .bind(edit.doc_type.key())
                .bind(&edit.body)
                .bind(item_id)
                .execute(&mut *tx)
                .await?;
                if let Some(m) = &edit.meta {
                    sqlx::query(
                        "UPDATE proactive_items SET art20_item = $1, topic = $2, keywords = $3, written_on = $4, validity = $5 WHERE id = $6",
                    )
                    .bind(m.art20_item)
                    .bind(&m.topic)
                    .bind(&m.keywords)
                    .bind(m.written_on)
                    .bind(&m.validity)
                    .bind(item_id)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("DELETE FROM interpretations WHERE interpretation_id = $1")
                        .bind(item_id)
                        .execute(&mut *tx)
                        .await?;
                    if let Some(document_id) = m.interprets {
                        sqlx::query("INSERT INTO interpretations (interpretation_id, document_id) VALUES ($1, $2)")
                            .bind(item_id)
                            .bind(document_id)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                "item.edit"
            }
            ItemStatus::Published => {
                let n = sqlx::query(
                    "UPDATE item_revisions SET title = $1, doc_number = $2, doc_type = $3, body = $4, status = 'draft' \
                     WHERE item_id = $5 AND status IN ('draft', 'returned')",
                )
                .bind(title)
                .bind(&edit.doc_number)
                .bind(edit.doc_type.key())
                .bind(&edit.body)
                .bind(item_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 0 {
                    return Err(StoreError::invalid("该信息没有被退回的修订，不能修改"));
                }
                if let Some(m) = &edit.meta {
                    set_revision_meta!(tx, m, "item_id = $7 AND status = 'draft'", item_id);
                }
                "item.edit_revision"
            }
            ItemStatus::InReview => return Err(StoreError::invalid("信息正在审核中，不能修改")),
            other @ ItemStatus::Withdrawn => {
                return Err(StoreError::Refused(crate::Refusal::WrongState(format!(
                "信息状态为「{}」，不能修改",
                other.label()
            ))))
            }
        };
        let detail = serde_json::json!({"editor_id": editor_id, "title": title, "was": status.key()}).to_string();
        audit_append!(tx, actor, action, "proactive_item", &item_id.to_string(), &detail);
        tx.commit().await?;
    });
    Ok(())
}

/// Where a revision of a published item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RevisionStatus {
    /// 草稿: being drafted (or changed after a return).
    Draft,
    /// 待审核: waiting for the reviewer.
    InReview,
    /// 已退回: returned to its author.
    Returned,
    /// 已通过: approved; its text replaced the item's.
    Approved,
    /// 已取消: its item was withdrawn before it was decided.
    Cancelled,
}

impl RevisionStatus {
    /// Every status.
    pub const ALL: [RevisionStatus; 5] = [
        RevisionStatus::Draft,
        RevisionStatus::InReview,
        RevisionStatus::Returned,
        RevisionStatus::Approved,
        RevisionStatus::Cancelled,
    ];

    /// The stored key.
    pub fn key(self) -> &'static str {
        match self {
            RevisionStatus::Draft => "draft",
            RevisionStatus::InReview => "in_review",
            RevisionStatus::Returned => "returned",
            RevisionStatus::Approved => "approved",
            RevisionStatus::Cancelled => "cancelled",
        }
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            RevisionStatus::Draft => "草稿",
            RevisionStatus::InReview => "待审核",
            RevisionStatus::Returned => "已退回",
            RevisionStatus::Approved => "已通过",
            RevisionStatus::Cancelled => "已取消",
        }
    }

    /// Reads a stored key.
    pub fn parse(s: &str) -> Option<RevisionStatus> {
        let s = s.trim();
        RevisionStatus::ALL.into_iter().find(|k| k.key() == s)
    }

    /// Whether its author may still change it (a draft or returned).
    pub fn is_editable(self) -> bool {
        matches!(self, RevisionStatus::Draft | RevisionStatus::Returned)
    }
}

impl TryFrom<String> for RevisionStatus {
    type Error = gongkai_law::UnknownKey;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        RevisionStatus::parse(&s).ok_or_else(|| gongkai_law::UnknownKey::new("修订状态", s))
    }
}

/// A proposed new version of a published item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Revision {
    /// Database id.
    pub id: i64,
    /// The item revised.
    pub item_id: i64,
    /// Who drafted the revision.
    pub author_id: Option<i64>,
    /// 标题
    pub title: String,
    /// 文号
    pub doc_number: Option<String>,
    /// 类别 ([`DocType::key`]).
    pub doc_type: String,
    /// 正文
    pub body: String,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: RevisionStatus,
    /// The reviewer's reason of a return.
    pub note: String,
    /// When it was proposed (Unix seconds).
    pub created_at: i64,
    /// When it was approved, returned or cancelled.
    pub decided_at: Option<i64>,
}

const REVISION_COLUMNS: &str = "id, item_id, author_id, title, doc_number, doc_type, body, status, note, created_at, decided_at";

/// The 目录 fields a revision sets, if it set them.
pub async fn revision_meta(
    store: &Store,
    revision_id: i64,
) -> Result<Option<MetaEdit>, StoreError> {
    on_db!(store, pool => {
        sqlx::query(
            "SELECT art20_item, topic, keywords, written_on, validity, interprets FROM item_revisions \
             WHERE id = $1 AND art20_item IS NOT NULL AND written_on IS NOT NULL",
        )
        .bind(revision_id)
        .fetch_optional(pool)
        .await?
        .map(|r| {
            Ok::<_, StoreError>(MetaEdit {
                art20_item: r.try_get("art20_item")?,
                topic: r.try_get("topic")?,
                keywords: r.try_get("keywords")?,
                written_on: r.try_get("written_on")?,
                validity: r.try_get("validity")?,
                interprets: r.try_get("interprets")?,
            })
        })
        .transpose()
    })
}

/// Proposes a revision of a published, not repealed item (status `draft`; [`scan_item`] puts
/// it in review). Refused while another revision of the item is open.
pub async fn propose_revision(
    store: &Store,
    actor: &str,
    author_id: i64,
    item_id: i64,
    edit: &ItemEdit,
    now: DateTime<Utc>,
) -> Result<Revision, StoreError> {
    edit.check()?;
    edit.check_document(store).await?;
    let title = edit.title.trim();
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let row = sqlx::query("SELECT status, validity FROM proactive_items WHERE id = $1")
            .bind(item_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("item {item_id}")))?;
        let status: ItemStatus = keyed::column(&row, "status")?;
        let validity: String = row.try_get("validity")?;
        if !status.is_published() {
            return Err(StoreError::invalid("只有已发布的信息可以修订"));
        }
        if validity == "repealed" {
            return Err(StoreError::invalid("已废止的信息不能修订"));
        }
        let open = sqlx::query(
            "SELECT id FROM item_revisions WHERE item_id = $1 AND status IN ('draft', 'in_review', 'returned')",
        )
        .bind(item_id)
        .fetch_optional(&mut *tx)
        .await?;
        if open.is_some() {
            return Err(StoreError::invalid("该信息已有未完成的修订"));
        }
        let id: i64 = sqlx::query(
            "INSERT INTO item_revisions (item_id, author_id, title, doc_number, doc_type, body, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7) RETURNING id",
        )
        .bind(item_id)
        .bind(author_id)
        .bind(title)
        .bind(&edit.doc_number)
        .bind(edit.doc_type.key())
        .bind(&edit.body)
        .bind(now.timestamp())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        if let Some(m) = &edit.meta {
            set_revision_meta!(tx, m, "id = $7", id);
        }
        let detail = serde_json::json!({"revision_id": id, "author_id": author_id, "title": title}).to_string();
        audit_append!(tx, actor, "item.revise", "proactive_item", &item_id.to_string(), &detail);
        tx.commit().await?;
    });
    open_revision(store, item_id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("revision of item {item_id}")))
}

/// The open revision of an item (`draft`, `in_review` or `returned`), if any.
pub async fn open_revision(store: &Store, item_id: i64) -> Result<Option<Revision>, StoreError> {
    let sql = format!(
        "SELECT {REVISION_COLUMNS} FROM item_revisions \
         WHERE item_id = $1 AND status IN ('draft', 'in_review', 'returned')"
    );
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, Revision>(sqlx::AssertSqlSafe(sql))
            .bind(item_id)
            .fetch_optional(pool)
            .await?)
    })
}

/// Revisions waiting for a reviewer, oldest first.
pub async fn revision_queue(store: &Store) -> Result<Vec<Revision>, StoreError> {
    let sql = format!(
        "SELECT {REVISION_COLUMNS} FROM item_revisions WHERE status = 'in_review' ORDER BY id"
    );
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, Revision>(sqlx::AssertSqlSafe(sql))
            .fetch_all(pool)
            .await?)
    })
}

/// A version a revision replaced (修订历史).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ItemVersion {
    /// Database id.
    pub id: i64,
    /// The item.
    pub item_id: i64,
    /// The revision that replaced this version.
    pub revision_id: i64,
    /// 标题
    pub title: String,
    /// 文号
    pub doc_number: Option<String>,
    /// 类别
    pub doc_type: String,
    /// 正文
    pub body: String,
    /// When it was replaced (Unix seconds).
    pub replaced_at: i64,
}

/// The versions of an item that revisions replaced, newest first.
pub async fn versions(store: &Store, item_id: i64) -> Result<Vec<ItemVersion>, StoreError> {
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, ItemVersion>(
            "SELECT id, item_id, revision_id, title, doc_number, doc_type, body, replaced_at \
             FROM item_versions WHERE item_id = $1 ORDER BY id DESC",
        )
        .bind(item_id)
        .fetch_all(pool)
        .await?)
    })
}

/// Checks inside a transaction that the item is published and not drafted by `reviewer_id`.
macro_rules! check_published {
    ($tx:expr, $item_id:expr, $reviewer_id:expr) => {{
        let row =
            sqlx::query("SELECT author_id, status, validity FROM proactive_items WHERE id = $1")
                .bind($item_id)
                .fetch_optional(&mut *$tx)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("item {}", $item_id)))?;
        let author: Option<i64> = row.try_get("author_id")?;
        let status: ItemStatus = $crate::keyed::column(&row, "status")?;
        let validity: String = row.try_get("validity")?;
        if author == Some($reviewer_id) {
            return Err(StoreError::Refused(crate::Refusal::SelfChange));
        }
        if !status.is_published() {
            return Err(StoreError::Refused(crate::Refusal::WrongState(format!(
                "信息状态为「{}」，不是已发布的信息",
                status.label()
            ))));
        }
        validity
    }};
}

/// 废止: the item stays public with 有效性 「已废止」, dated `on`, with `reason`. Not by its
/// author ([`Refusal::SelfChange`](crate::Refusal::SelfChange)); the reason is required.
pub async fn repeal(
    store: &Store,
    actor: &str,
    item_id: i64,
    reviewer_id: i64,
    on: NaiveDate,
    reason: &str,
) -> Result<(), StoreError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(StoreError::invalid("请填写废止理由"));
    }
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let validity = check_published!(tx, item_id, reviewer_id);
        if validity == "repealed" {
            return Err(StoreError::invalid("该信息已废止"));
        }
        sqlx::query(
            "UPDATE proactive_items SET validity = 'repealed', validity_changed_on = $1, validity_note = $2 WHERE id = $3",
        )
        .bind(on)
        .bind(reason)
        .bind(item_id)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({"reviewer_id": reviewer_id, "on": on, "reason": reason, "was": validity}).to_string();
        audit_append!(tx, actor, "item.repeal", "proactive_item", &item_id.to_string(), &detail);
        tx.commit().await?;
    });
    Ok(())
}

/// 撤回: the item leaves the portal (status `withdrawn`) on `on`, with `reason`; an open
/// revision is cancelled. Not by its author ([`Refusal::SelfChange`](crate::Refusal::SelfChange)); the reason is required.
pub async fn withdraw(
    store: &Store,
    actor: &str,
    item_id: i64,
    reviewer_id: i64,
    on: NaiveDate,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(StoreError::invalid("请填写撤回理由"));
    }
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        check_published!(tx, item_id, reviewer_id);
        sqlx::query(
            "UPDATE proactive_items SET status = 'withdrawn', withdrawn_on = $1, withdraw_reason = $2 WHERE id = $3",
        )
        .bind(on)
        .bind(reason)
        .bind(item_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE item_revisions SET status = 'cancelled', note = '信息已撤回', decided_at = $1 \
             WHERE item_id = $2 AND status IN ('draft', 'in_review', 'returned')",
        )
        .bind(now.timestamp())
        .bind(item_id)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({"reviewer_id": reviewer_id, "on": on, "reason": reason}).to_string();
        audit_append!(tx, actor, "item.withdraw", "proactive_item", &item_id.to_string(), &detail);
        tx.commit().await?;
    });
    Ok(())
}

/// What the portal shows beyond the catalogue metadata: the body, the reason of a 废止, the
/// date and reason of a 撤回.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifecycle {
    /// 正文
    pub body: String,
    /// The reason of the 废止 (empty unless repealed through the gate).
    pub validity_note: String,
    /// The date of the 撤回.
    pub withdrawn_on: Option<NaiveDate>,
    /// The reason of the 撤回.
    pub withdraw_reason: String,
}

/// The body and the 废止/撤回 notes of an item.
pub async fn lifecycle(store: &Store, item_id: i64) -> Result<Lifecycle, StoreError> {
    on_db!(store, pool => {
        let row = sqlx::query(
            "SELECT body, validity_note, withdrawn_on, withdraw_reason FROM proactive_items WHERE id = $1",
        )
        .bind(item_id)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("item {item_id}")))?;
        Ok(Lifecycle {
            body: row.try_get("body")?,
            validity_note: row.try_get("validity_note")?,
            withdrawn_on: row.try_get("withdrawn_on")?,
            withdraw_reason: row.try_get("withdraw_reason")?,
        })
    })
}

/// The most recent items of every status (newest first), for the back office's list.
pub async fn recent(store: &Store, limit: i64) -> Result<Vec<ProactiveItem>, StoreError> {
    let ids: Vec<i64> = on_db!(store, pool => {
        sqlx::query("SELECT id FROM proactive_items ORDER BY id DESC LIMIT $1")
            .bind(limit)
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
