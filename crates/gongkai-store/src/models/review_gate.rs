//! The reviewer's decisions in the 保密审查 gate (issue 11): how a finding is cleared.
//!
//! A finding of the scan is cleared in one of three ways only, and never by a click that
//! changes nothing:
//! 1. the text changes and the next scan no longer finds it (the editor's edit, resubmitted);
//! 2. 遮盖 ([`mask_finding`]): the system rewrites the body (or a plain-text attachment) with
//!    the value's masked form in place of every occurrence, and scans again;
//! 3. an exception ([`record_exception`]) with a category ([`ExceptionCategory`]) and a written
//!    reason, kept for the value (a keyed hash of it) in every later scan of the item, listed
//!    for the head ([`recent_exceptions`]) and written to the audit log.
//!
//! Approval ([`crate::models::publishing::approve`]) scans the final texts again inside its
//! transaction and refuses while a finding without an exception remains.

use chrono::{DateTime, Datelike, Utc};
/// A piece of a text as shown to a reviewer (re-exported from `gongkai-review`).
pub use gongkai_review::Segment;
use gongkai_review::{Finding, FindingClass, ScanOptions, WordList};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::audit_append;
use crate::models::proactive_item::ItemStatus;
use crate::models::publishing::check_reviewer;
use crate::{BeginWrite, Crypto, Store, StoreError};

/// Why a reviewer lets a finding be published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExceptionCategory {
    /// 单位公开电话: the number is an office's published phone, not a person's.
    AgencyPhone,
    /// 依法应公示的信息: a law or rule requires the data to be disclosed (e.g. 双公示 of a
    /// legal person, a 公示 the rule prescribes).
    LegalDisclosure,
    /// 经本人书面同意公开: the person consented in writing (《条例》 Art. 15).
    Consent,
    /// 经核实非个人信息: the reviewer checked it (a 「疑似」 serial or code, not a number of a
    /// person).
    NotPersonal,
    /// 其他: the reason says what.
    Other,
}

impl ExceptionCategory {
    /// Every category, in the order the form lists them.
    pub const ALL: [ExceptionCategory; 5] = [
        ExceptionCategory::AgencyPhone,
        ExceptionCategory::LegalDisclosure,
        ExceptionCategory::Consent,
        ExceptionCategory::NotPersonal,
        ExceptionCategory::Other,
    ];

    /// The stored key.
    pub fn key(self) -> &'static str {
        match self {
            ExceptionCategory::AgencyPhone => "agency_phone",
            ExceptionCategory::LegalDisclosure => "legal_disclosure",
            ExceptionCategory::Consent => "consent",
            ExceptionCategory::NotPersonal => "not_personal",
            ExceptionCategory::Other => "other",
        }
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            ExceptionCategory::AgencyPhone => "单位公开电话",
            ExceptionCategory::LegalDisclosure => "依法应公示的信息",
            ExceptionCategory::Consent => "经本人书面同意公开",
            ExceptionCategory::NotPersonal => "经核实非个人信息",
            ExceptionCategory::Other => "其他",
        }
    }

    /// The category of a stored key.
    pub fn from_key(key: &str) -> Option<ExceptionCategory> {
        ExceptionCategory::ALL.into_iter().find(|c| c.key() == key)
    }
}

impl TryFrom<String> for ExceptionCategory {
    type Error = gongkai_law::UnknownKey;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        ExceptionCategory::from_key(&s).ok_or_else(|| gongkai_law::UnknownKey::new("例外类别", s))
    }
}

/// The shortest written reason of an exception (characters).
pub const MIN_REASON_CHARS: usize = 4;

/// The refusal of 遮盖 on a listed word: a word has no masked form.
pub const WORD_NOT_MASKABLE: &str = "敏感词不能遮盖：请退回起草人删改，或登记例外并写明理由。";

/// The refusal of 遮盖 on a file without readable text: there is nothing to mask.
pub const UNREADABLE_NOT_MASKABLE: &str =
    "该附件无法读取文字，不能遮盖：须人工审查全文后登记例外，或退回起草人换成可读取文字的文件。";

/// The options of every scan of the gate: suspects included (they need a decision too), birth
/// years up to the current year in Beijing.
pub fn scan_options(now: DateTime<Utc>) -> ScanOptions {
    let year = gongkai_law::beijing_date(now).year();
    ScanOptions {
        max_birth_year: u16::try_from(year).unwrap_or(2100),
        include_suspects: true,
        ..ScanOptions::default()
    }
}

/// `text` as a page of the gate shows it: cut into pieces with every finding of the gate's
/// scan (`words`, options of [`scan_options`]) replaced by its masked form, so the whole text
/// can be read with the findings highlighted and no number in clear.
pub fn shown(text: &str, words: &WordList, now: DateTime<Utc>) -> Vec<Segment> {
    gongkai_review::segments(
        text,
        &gongkai_review::scan_with(text, words, &scan_options(now)),
    )
}

/// One finding of a scan of the gate, with where it lies and the keyed hash of its value.
#[derive(Debug, Clone)]
pub(crate) struct Scanned {
    /// `''` for the body, else the attachment's file name.
    pub source: String,
    pub finding: Finding,
    pub mac: String,
}

/// A text the gate scans: the body (`source` empty) or an attachment's extracted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GateText {
    /// `''` for the body, else the attachment's file name.
    pub source: String,
    /// The text.
    pub text: String,
    /// The attachment's SHA-256 (empty for the body): what an exception for an unreadable
    /// file is tied to, so a new file under the same name needs a new decision.
    pub file_sha256: String,
}

impl GateText {
    /// The body (of the item or of its revision).
    pub fn body(text: String) -> GateText {
        GateText {
            source: String::new(),
            text,
            file_sha256: String::new(),
        }
    }
}

/// Whether an attachment has no text the scan can vouch for: an image (no OCR here), or a
/// PDF without a text layer (a scan) — no letter, digit or Han character extracted.
pub fn unreadable(file_name: &str, text: &str) -> bool {
    let ext = file_name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "jpg" | "jpeg" | "png" => true,
        "pdf" => !text.chars().any(char::is_alphanumeric),
        _ => false,
    }
}

/// Scans each text with the gate's options; an unreadable attachment ([`unreadable`]) gets
/// the finding [`Finding::unreadable`], keyed to the file's hash.
pub(crate) fn scan_texts(
    crypto: &Crypto,
    texts: &[GateText],
    words: &WordList,
    now: DateTime<Utc>,
) -> Vec<Scanned> {
    let opts = scan_options(now);
    let mut out = Vec::new();
    for t in texts {
        if !t.source.is_empty() && unreadable(&t.source, &t.text) {
            let f = Finding::unreadable();
            out.push(Scanned {
                mac: crypto.review_value_mac(f.kind.key(), &t.file_sha256),
                source: t.source.clone(),
                finding: f,
            });
        }
        for f in gongkai_review::scan_with(&t.text, words, &opts) {
            out.push(Scanned {
                mac: crypto.review_value_mac(f.kind.key(), &f.value(&t.text)),
                source: t.source.clone(),
                finding: f,
            });
        }
    }
    out
}

/// The attachments of an item as the gate scans them, in the order they were added: all of
/// them, or only those of one file name (`Some(name)`, what a finding's `source` names).
pub(crate) async fn attachment_texts_named(
    store: &Store,
    item_id: i64,
    name: Option<&str>,
) -> Result<Vec<GateText>, StoreError> {
    on_db!(store, pool => {
        let mut out = Vec::new();
        for row in sqlx::query(
            "SELECT file_name, text, sha256 FROM item_attachments \
             WHERE item_id = $1 AND ($2 IS NULL OR file_name = $2) ORDER BY id",
        )
        .bind(item_id)
        .bind(name)
        .fetch_all(pool)
        .await?
        {
            out.push(GateText {
                source: row.try_get("file_name")?,
                text: row.try_get("text")?,
                file_sha256: row.try_get("sha256")?,
            });
        }
        Ok(out)
    })
}

/// The word list of a scan: `base` plus the stored words.
pub(crate) fn merged_words(base: &WordList, stored: &[String]) -> WordList {
    let mut list = base.clone();
    for w in stored {
        list.add(w);
    }
    list
}

/// Inside a transaction: the texts the gate scans for an item — the open revision's body
/// (`Some(revision id)`), or the item's body and every attachment's text. Evaluates to
/// `Vec<GateText>`.
macro_rules! gate_texts {
    ($tx:expr, $item_id:expr, $revision:expr) => {{
        let mut texts: Vec<$crate::models::review_gate::GateText> = Vec::new();
        match $revision {
            Some(r) => {
                let body: String = sqlx::query("SELECT body FROM item_revisions WHERE id = $1")
                    .bind(r)
                    .fetch_one(&mut *$tx)
                    .await?
                    .try_get("body")?;
                texts.push($crate::models::review_gate::GateText::body(body));
            }
            None => {
                let body: String = sqlx::query("SELECT body FROM proactive_items WHERE id = $1")
                    .bind($item_id)
                    .fetch_one(&mut *$tx)
                    .await?
                    .try_get("body")?;
                texts.push($crate::models::review_gate::GateText::body(body));
                for row in sqlx::query(
                    "SELECT file_name, text, sha256 FROM item_attachments WHERE item_id = $1 ORDER BY id",
                )
                .bind($item_id)
                .fetch_all(&mut *$tx)
                .await?
                {
                    texts.push($crate::models::review_gate::GateText {
                        source: row.try_get("file_name")?,
                        text: row.try_get("text")?,
                        file_sha256: row.try_get("sha256")?,
                    });
                }
            }
        }
        texts
    }};
}
pub(crate) use gate_texts;

/// Inside a transaction: the stored sensitive words (`Vec<String>`).
macro_rules! stored_words {
    ($tx:expr) => {{
        sqlx::query("SELECT word FROM sensitive_words ORDER BY word")
            .fetch_all(&mut *$tx)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>("word"))
            .collect::<Result<Vec<String>, _>>()?
    }};
}
pub(crate) use stored_words;

/// Inside a transaction: the item's exceptions as `(kind, value_mac) → (id, reviewer, when)`.
macro_rules! exceptions_of {
    ($tx:expr, $item_id:expr) => {{
        let mut map: std::collections::HashMap<(String, String), (i64, i64, i64)> =
            std::collections::HashMap::new();
        for row in sqlx::query(
            "SELECT id, kind, value_mac, reviewer_id, decided_at FROM item_exceptions WHERE item_id = $1 ORDER BY id",
        )
        .bind($item_id)
        .fetch_all(&mut *$tx)
        .await?
        {
            map.insert(
                (row.try_get("kind")?, row.try_get("value_mac")?),
                (
                    row.try_get("id")?,
                    row.try_get("reviewer_id")?,
                    row.try_get("decided_at")?,
                ),
            );
        }
        map
    }};
}
pub(crate) use exceptions_of;

/// The stored finding a decision is about.
struct FindingRow {
    item_id: i64,
    kind: FindingClass,
    label: String,
    masked: String,
    source: String,
    value_mac: String,
}

macro_rules! finding_row {
    ($tx:expr, $item_id:expr, $finding_id:expr) => {{
        let row = sqlx::query(
            "SELECT item_id, kind, label, masked, source, value_mac FROM item_findings WHERE id = $1 AND item_id = $2",
        )
        .bind($finding_id)
        .bind($item_id)
        .fetch_optional(&mut *$tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("finding {}", $finding_id)))?;
        FindingRow {
            item_id: row.try_get("item_id")?,
            kind: crate::keyed::column(&row, "kind")?,
            label: row.try_get("label")?,
            masked: row.try_get("masked")?,
            source: row.try_get("source")?,
            value_mac: row.try_get("value_mac")?,
        }
    }};
}

/// 遮盖: replaces every occurrence of the finding's value in its text (the body, the open
/// revision's body, or a plain-text attachment) by its masked form, records the decision and
/// scans the item again. Refused for a listed word ([`WORD_NOT_MASKABLE`]), for an attachment
/// that is not plain text (the file itself would still hold the value), and for the author.
/// Returns the scan's findings.
pub async fn mask_finding(
    store: &Store,
    actor: &str,
    item_id: i64,
    finding_id: i64,
    reviewer_id: i64,
    words: &WordList,
    now: DateTime<Utc>,
) -> Result<Vec<Finding>, StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let f = finding_row!(tx, item_id, finding_id);
        let (author, revision) = check_reviewer!(tx, f.item_id, reviewer_id);
        if f.kind == FindingClass::SensitiveWord {
            return Err(StoreError::invalid(WORD_NOT_MASKABLE));
        }
        if f.kind == FindingClass::Unreadable {
            return Err(StoreError::invalid(UNREADABLE_NOT_MASKABLE));
        }
        // The text the finding lies in, and where to write it back.
        let (text, attachment): (String, Option<i64>) = match (&revision, f.source.as_str()) {
            (Some(r), "") => (
                sqlx::query("SELECT body FROM item_revisions WHERE id = $1")
                    .bind(r)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("body")?,
                None,
            ),
            (None, "") => (
                sqlx::query("SELECT body FROM proactive_items WHERE id = $1")
                    .bind(item_id)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("body")?,
                None,
            ),
            (_, file) => {
                let row = sqlx::query(
                    "SELECT id, media_type, text FROM item_attachments WHERE item_id = $1 AND file_name = $2 ORDER BY id LIMIT 1",
                )
                .bind(item_id)
                .bind(file)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::invalid("该附件已不存在，请刷新页面。"))?;
                let media: String = row.try_get("media_type")?;
                if !media.starts_with("text/plain") {
                    return Err(StoreError::invalid(format!(
                        "附件「{file}」不是纯文本文件，系统无法在原文件中遮盖：请退回起草人修改原文件后重新上传，或登记例外。"
                    )));
                }
                (row.try_get("text")?, Some(row.try_get("id")?))
            }
        };
        let stored = stored_words!(tx);
        let list = merged_words(words, &stored);
        let one = GateText {
            source: f.source.clone(),
            text: text.clone(),
            file_sha256: String::new(),
        };
        let found = scan_texts(&store.crypto, &[one], &list, now);
        let hits: Vec<Finding> = found
            .into_iter()
            .filter(|s| s.finding.kind.class() == f.kind && s.mac == f.value_mac)
            .map(|s| s.finding)
            .collect();
        if hits.is_empty() {
            return Err(StoreError::invalid(
                "该项发现已不在文本中，请刷新页面查看最新扫描结果。",
            ));
        }
        let masked = gongkai_review::mask_all(&text, &hits);
        match (attachment, revision) {
            (Some(a), _) => {
                let data = masked.as_bytes();
                sqlx::query(
                    "UPDATE item_attachments SET text = $1, data = $2, size = $3, sha256 = $4 WHERE id = $5",
                )
                .bind(&masked)
                .bind(data)
                .bind(i64::try_from(data.len()).unwrap_or(i64::MAX))
                .bind(hex::encode(Sha256::digest(data)))
                .bind(a)
                .execute(&mut *tx)
                .await?;
            }
            (None, Some(r)) => {
                sqlx::query("UPDATE item_revisions SET body = $1 WHERE id = $2")
                    .bind(&masked)
                    .bind(r)
                    .execute(&mut *tx)
                    .await?;
            }
            (None, None) => {
                sqlx::query("UPDATE proactive_items SET body = $1 WHERE id = $2")
                    .bind(&masked)
                    .bind(item_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let detail = serde_json::json!({
            "finding_id": finding_id, "how": "mask", "kind": f.kind.key(), "label": f.label,
            "masked": f.masked, "source": f.source, "occurrences": hits.len(), "revision_id": revision,
        })
        .to_string();
        sqlx::query(
            "INSERT INTO item_reviews (item_id, author_id, reviewer_id, decision, findings_json, note, decided_at, revision_id) \
             VALUES ($1, $2, $3, 'resolved', $4, '遮盖', $5, $6)",
        )
        .bind(item_id)
        .bind(author)
        .bind(reviewer_id)
        .bind(&detail)
        .bind(now.timestamp())
        .bind(revision)
        .execute(&mut *tx)
        .await?;
        audit_append!(tx, actor, "item.mask_finding", "proactive_item", &item_id.to_string(), &detail);
        tx.commit().await?;
    });
    crate::models::publishing::scan_item(store, actor, item_id, words, now).await
}

/// Records an exception for a finding's value: the finding (and every other finding of the
/// same value in the item) is cleared in this and every later scan. Refused for the author,
/// without a written reason of at least [`MIN_REASON_CHARS`] characters.
#[allow(clippy::too_many_arguments)] // one decision, each argument a part of it
pub async fn record_exception(
    store: &Store,
    actor: &str,
    item_id: i64,
    finding_id: i64,
    reviewer_id: i64,
    category: ExceptionCategory,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let reason = reason.trim();
    if reason.chars().count() < MIN_REASON_CHARS {
        return Err(StoreError::invalid(format!(
            "请填写例外理由（不少于 {MIN_REASON_CHARS} 个字），说明为何可以公开。"
        )));
    }
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let f = finding_row!(tx, item_id, finding_id);
        let (author, revision) = check_reviewer!(tx, f.item_id, reviewer_id);
        if f.value_mac.is_empty() {
            return Err(StoreError::invalid(
                "该项发现来自旧版本的扫描，请重新扫描后再登记例外。",
            ));
        }
        let id: i64 = sqlx::query(
            "INSERT INTO item_exceptions (item_id, kind, label, masked, source, value_mac, category, reason, reviewer_id, decided_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(item_id)
        .bind(f.kind.key())
        .bind(&f.label)
        .bind(&f.masked)
        .bind(&f.source)
        .bind(&f.value_mac)
        .bind(category.key())
        .bind(reason)
        .bind(reviewer_id)
        .bind(now.timestamp())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        sqlx::query(
            "UPDATE item_findings SET exception_id = $1, resolved_by = $2, resolved_at = $3 \
             WHERE item_id = $4 AND kind = $5 AND value_mac = $6",
        )
        .bind(id)
        .bind(reviewer_id)
        .bind(now.timestamp())
        .bind(item_id)
        .bind(f.kind.key())
        .bind(&f.value_mac)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({
            "finding_id": finding_id, "how": "exception", "exception_id": id, "kind": f.kind.key(),
            "label": f.label, "masked": f.masked, "source": f.source, "category": category.key(),
            "category_label": category.label(), "reason": reason, "revision_id": revision,
        })
        .to_string();
        sqlx::query(
            "INSERT INTO item_reviews (item_id, author_id, reviewer_id, decision, findings_json, note, decided_at, revision_id) \
             VALUES ($1, $2, $3, 'resolved', $4, $5, $6, $7)",
        )
        .bind(item_id)
        .bind(author)
        .bind(reviewer_id)
        .bind(&detail)
        .bind(reason)
        .bind(now.timestamp())
        .bind(revision)
        .execute(&mut *tx)
        .await?;
        audit_append!(tx, actor, "item.exception", "proactive_item", &item_id.to_string(), &detail);
        tx.commit().await?;
        Ok(id)
    })
}

/// An exception as the head reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ItemException {
    /// Database id.
    pub id: i64,
    /// The item.
    pub item_id: i64,
    /// The item's title.
    pub title: String,
    /// The item's agency (for the reader's scope).
    pub agency_id: i64,
    /// The item's status.
    #[sqlx(try_from = "String")]
    pub status: ItemStatus,
    /// The finding's label (居民身份证号 …).
    pub label: String,
    /// The value masked.
    pub masked: String,
    /// `''` for the body, else the attachment's file name.
    pub source: String,
    /// Why it was let through.
    #[sqlx(try_from = "String")]
    pub category: ExceptionCategory,
    /// The reviewer's written reason.
    pub reason: String,
    /// The reviewer's user name.
    pub reviewer: String,
    /// When (Unix seconds).
    pub decided_at: i64,
}

impl ItemException {
    /// The category's Chinese label.
    pub fn category_label(&self) -> &'static str {
        self.category.label()
    }
}

/// The select of [`ItemException`] rows, before its `WHERE`.
const EXCEPTIONS: &str = "SELECT e.id, e.item_id, p.title, p.agency_id, p.status, e.label, e.masked, \
     e.source, e.category, e.reason, u.name AS reviewer, e.decided_at \
     FROM item_exceptions e JOIN proactive_items p ON p.id = e.item_id \
     JOIN users u ON u.id = e.reviewer_id";

/// The exceptions recorded at or after `since` (Unix seconds), newest first, at most `limit`.
pub async fn recent_exceptions(
    store: &Store,
    since: i64,
    limit: i64,
) -> Result<Vec<ItemException>, StoreError> {
    on_db!(store, pool => {
        let sql = format!(
            "{EXCEPTIONS} WHERE e.decided_at >= $1 ORDER BY e.decided_at DESC, e.id DESC LIMIT $2"
        );
        Ok(sqlx::query_as::<_, ItemException>(sqlx::AssertSqlSafe(sql))
        .bind(since)
        .bind(limit)
        .fetch_all(pool)
        .await?)
    })
}

/// The exceptions of one item, oldest first.
pub async fn item_exceptions(
    store: &Store,
    item_id: i64,
) -> Result<Vec<ItemException>, StoreError> {
    on_db!(store, pool => {
        let sql = format!("{EXCEPTIONS} WHERE e.item_id = $1 ORDER BY e.id");
        Ok(sqlx::query_as::<_, ItemException>(sqlx::AssertSqlSafe(sql))
        .bind(item_id)
        .fetch_all(pool)
        .await?)
    })
}
