//! Attachments of an item in the publishing gate: plain text, HTML, Word (.docx), Excel
//! (.xlsx), PDF and image (.jpg, .png) files; .ofd is refused by name. The text of each is extracted when it is added and kept beside the file, so
//! that every scan of the item ([`crate::models::publishing::scan_item`]) reads it like the
//! body and names the attachment in its findings.
//!
//! The file itself is kept in the database (with its SHA-256): one backup then holds the
//! item, its attachments and their audit entries, and adding one is a single transaction.
//! Attachments are added and removed only before publication; the portal lists them with a
//! download link once the item is published.

use chrono::{DateTime, Utc};
use gongkai_extract::Budget;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::audit_append;
use crate::models::proactive_item::ItemStatus;
use crate::{BeginWrite, Store, StoreError};

/// The largest file accepted (bytes).
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// The kinds of file accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `.txt`, UTF-8.
    Text,
    /// `.html` / `.htm`.
    Html,
    /// `.docx` (Office Open XML).
    Docx,
    /// `.xlsx` (Office Open XML).
    Xlsx,
    /// `.pdf`: its text layer is read for the scan; a PDF without one (a scan) is flagged
    /// 「无法读取文字，须人工审查」 by the gate.
    Pdf,
    /// `.jpg` / `.jpeg`: no text is read (no OCR); the gate flags it for a person to read.
    Jpeg,
    /// `.png`: as [`FileKind::Jpeg`].
    Png,
}

/// The refusal of a file of a kind not accepted.
pub const NOT_ACCEPTED: &str = "只接受 .txt、.html、.docx、.xlsx、.pdf、.jpg、.png 格式的附件。";

/// The refusal of an .ofd file, named: offices meet the format, and the gate cannot read it.
pub const OFD_NOT_SUPPORTED: &str = "暂不支持 .ofd（OFD 版式文档）格式的附件：系统无法读取其文字进行保密审查，请另存为 PDF 后上传。";

impl FileKind {
    /// The kind by the file name's extension (case-insensitive), if accepted.
    pub fn of(file_name: &str) -> Option<FileKind> {
        let ext = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "txt" => Some(FileKind::Text),
            "html" | "htm" => Some(FileKind::Html),
            "docx" => Some(FileKind::Docx),
            "xlsx" => Some(FileKind::Xlsx),
            "pdf" => Some(FileKind::Pdf),
            "jpg" | "jpeg" => Some(FileKind::Jpeg),
            "png" => Some(FileKind::Png),
            _ => None,
        }
    }

    /// The media type served with the download.
    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Text => "text/plain; charset=utf-8",
            FileKind::Html => "text/html; charset=utf-8",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
        }
    }
}

/// An attachment without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AttachmentMeta {
    /// Database id.
    pub id: i64,
    /// The item.
    pub item_id: i64,
    /// The file name as uploaded (no directory part).
    pub file_name: String,
    /// The media type of the download.
    pub media_type: String,
    /// Size in bytes.
    pub size: i64,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// When it was added (Unix seconds).
    pub added_at: i64,
}

/// The text of an attachment as the scan reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentText {
    /// The file name, which findings in it carry.
    pub file_name: String,
    /// The extracted text.
    pub text: String,
}

fn invalid(m: impl Into<String>) -> StoreError {
    StoreError::invalid(m)
}

/// The file name without any directory part, trimmed, at most 120 characters.
pub fn clean_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name).trim();
    base.chars().filter(|c| !c.is_control()).take(120).collect()
}

/// The budget one attachment is read under: the upload limit, and the crate's defaults for
/// everything inside the file.
pub fn budget() -> Budget {
    Budget {
        max_file_bytes: MAX_ATTACHMENT_BYTES as u64,
        ..Budget::default()
    }
}

/// The text of a file, by its kind, read under [`budget`]: text as it is (UTF-8, or GB18030
/// as older offices save it), HTML without tags, the paragraphs and table rows of a Word
/// file, the cells of every sheet of an Excel file (one row a line, cells separated by tabs).
/// A file over budget or unreadable is refused with a message naming it and the limit.
pub fn extract_text(kind: FileKind, file_name: &str, data: &[u8]) -> Result<String, StoreError> {
    let b = budget();
    let text = match kind {
        FileKind::Text => gongkai_extract::read_text(file_name, data, &b),
        FileKind::Html => gongkai_extract::read_html(file_name, data, &b)
            .map(|h| gongkai_review::html_to_text(&h)),
        FileKind::Docx => gongkai_extract::read_docx(file_name, data, &b).map(|d| d.text()),
        FileKind::Xlsx => gongkai_extract::read_xlsx(file_name, data, &b).map(|w| w.text()),
        FileKind::Pdf => gongkai_extract::read_pdf(file_name, data, &b).map(|p| p.text()),
        // An image has no text to read; the file must be the image it claims to be.
        FileKind::Jpeg if data.starts_with(&[0xFF, 0xD8, 0xFF]) => Ok(String::new()),
        FileKind::Png if data.starts_with(b"\x89PNG\r\n\x1a\n") => Ok(String::new()),
        FileKind::Jpeg | FileKind::Png => {
            return Err(invalid(
                "图片附件无法识别：文件内容不是 JPEG 或 PNG 图片，请检查后重新上传。",
            ));
        }
    };
    text.map_err(|e| invalid(e.to_string()))
}

/// Adds a file to an item not yet published: refused when too large, empty, of a kind not
/// accepted or unreadable. An item in review goes back to `draft` until the caller scans it
/// again, so no file reaches a reviewer's approval unscanned.
pub async fn add(
    store: &Store,
    actor: &str,
    item_id: i64,
    user_id: i64,
    file_name: &str,
    data: &[u8],
    now: DateTime<Utc>,
) -> Result<AttachmentMeta, StoreError> {
    let file_name = clean_file_name(file_name);
    if data.len() > MAX_ATTACHMENT_BYTES {
        return Err(StoreError::Refused(crate::Refusal::TooLarge));
    }
    if data.is_empty() || file_name.is_empty() {
        return Err(invalid("请选择要上传的文件（文件不能为空）。"));
    }
    let kind = FileKind::of(&file_name).ok_or_else(|| {
        invalid(if file_name.to_ascii_lowercase().ends_with(".ofd") {
            OFD_NOT_SUPPORTED
        } else {
            NOT_ACCEPTED
        })
    })?;
    // Reading the file is CPU work on untrusted bytes: off the async threads, bounded.
    let text = {
        let (name, bytes) = (file_name.clone(), data.to_vec());
        crate::blocking::run(move || extract_text(kind, &name, &bytes)).await??
    };
    let sha256 = hex::encode(Sha256::digest(data));
    let size =
        i64::try_from(data.len()).map_err(|_| StoreError::Refused(crate::Refusal::TooLarge))?;
    let id: i64 = on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let row = sqlx::query("SELECT status FROM proactive_items WHERE id = $1")
            .bind(item_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("item {item_id}")))?;
        let status: ItemStatus = crate::keyed::column(&row, "status")?;
        if !status.is_unpublished() {
            return Err(invalid("信息已发布或已撤回，不能再添加附件。"));
        }
        let id: i64 = sqlx::query(
            "INSERT INTO item_attachments (item_id, file_name, media_type, size, sha256, text, data, added_by, added_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(item_id)
        .bind(&file_name)
        .bind(kind.media_type())
        .bind(size)
        .bind(&sha256)
        .bind(&text)
        .bind(data)
        .bind(user_id)
        .bind(now.timestamp())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        // The item leaves review until it is scanned again with the new file.
        sqlx::query("UPDATE proactive_items SET status = 'draft' WHERE id = $1 AND status = 'in_review'")
            .bind(item_id)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({"attachment_id": id, "file_name": file_name, "size": size, "sha256": sha256}).to_string();
        audit_append!(tx, actor, "item.attach", "proactive_item", &item_id.to_string(), &detail);
        tx.commit().await?;
        id
    });
    Ok(AttachmentMeta {
        id,
        item_id,
        file_name,
        media_type: kind.media_type().to_string(),
        size,
        sha256,
        added_at: now.timestamp(),
    })
}

/// Removes an attachment of an item not yet published; like [`add`], it takes the item out of
/// review until the next scan. Returns the removed file's name (what its findings name as
/// their source).
pub async fn remove(
    store: &Store,
    actor: &str,
    item_id: i64,
    attachment_id: i64,
) -> Result<String, StoreError> {
    let removed = on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let row = sqlx::query("SELECT status FROM proactive_items WHERE id = $1")
            .bind(item_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("item {item_id}")))?;
        let status: ItemStatus = crate::keyed::column(&row, "status")?;
        if !status.is_unpublished() {
            return Err(invalid("信息已发布或已撤回，不能再删除附件。"));
        }
        let name: String = sqlx::query("SELECT file_name FROM item_attachments WHERE id = $1 AND item_id = $2")
            .bind(attachment_id)
            .bind(item_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("attachment {attachment_id}")))?
            .try_get("file_name")?;
        sqlx::query("DELETE FROM item_attachments WHERE id = $1")
            .bind(attachment_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE proactive_items SET status = 'draft' WHERE id = $1 AND status = 'in_review'")
            .bind(item_id)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({"attachment_id": attachment_id, "file_name": name}).to_string();
        audit_append!(tx, actor, "item.detach", "proactive_item", &item_id.to_string(), &detail);
        tx.commit().await?;
        name
    });
    Ok(removed)
}

/// An item's attachments, in the order they were added.
pub async fn list(store: &Store, item_id: i64) -> Result<Vec<AttachmentMeta>, StoreError> {
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, AttachmentMeta>(
            "SELECT id, item_id, file_name, media_type, size, sha256, added_at FROM item_attachments \
             WHERE item_id = $1 ORDER BY id",
        )
        .bind(item_id)
        .fetch_all(pool)
        .await?)
    })
}

/// The extracted texts of an item's attachments, for the scan.
pub async fn texts(store: &Store, item_id: i64) -> Result<Vec<AttachmentText>, StoreError> {
    on_db!(store, pool => {
        let rows = sqlx::query("SELECT file_name, text FROM item_attachments WHERE item_id = $1 ORDER BY id")
            .bind(item_id)
            .fetch_all(pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(AttachmentText {
                    file_name: r.try_get("file_name")?,
                    text: r.try_get("text")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()
    })
}

/// One attachment of an item with its bytes, if it exists.
pub async fn file(
    store: &Store,
    item_id: i64,
    attachment_id: i64,
) -> Result<Option<(AttachmentMeta, Vec<u8>)>, StoreError> {
    on_db!(store, pool => {
        let row = sqlx::query(
            "SELECT id, item_id, file_name, media_type, size, sha256, added_at, data FROM item_attachments \
             WHERE id = $1 AND item_id = $2",
        )
        .bind(attachment_id)
        .bind(item_id)
        .fetch_optional(pool)
        .await?;
        match row {
            None => Ok(None),
            Some(r) => Ok(Some((
                AttachmentMeta {
                    id: r.try_get("id")?,
                    item_id: r.try_get("item_id")?,
                    file_name: r.try_get("file_name")?,
                    media_type: r.try_get("media_type")?,
                    size: r.try_get("size")?,
                    sha256: r.try_get("sha256")?,
                    added_at: r.try_get("added_at")?,
                },
                r.try_get("data")?,
            ))),
        }
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn kinds_by_extension() {
        assert_eq!(FileKind::of("a.DOCX"), Some(FileKind::Docx));
        assert_eq!(FileKind::of("公示.xlsx"), Some(FileKind::Xlsx));
        assert_eq!(FileKind::of("x.htm"), Some(FileKind::Html));
        assert_eq!(FileKind::of("x.pdf"), Some(FileKind::Pdf));
        assert_eq!(FileKind::of("x.ofd"), None);
        assert_eq!(FileKind::of("noext"), None);
        assert_eq!(clean_file_name("C:\\tmp\\名单.txt"), "名单.txt");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
    }

    #[test]
    fn text_in_its_charset_and_garbage_is_refused_by_name() {
        assert_eq!(
            extract_text(FileKind::Text, "a.txt", b"\xEF\xBB\xBFabc").unwrap(),
            "abc"
        );
        // 公开 as GBK: older offices still save text so.
        assert_eq!(
            extract_text(FileKind::Text, "a.txt", b"\xB9\xAB\xBF\xAA").unwrap(),
            "公开"
        );
        let e = extract_text(FileKind::Docx, "坏.docx", b"not a zip").unwrap_err();
        assert!(e.to_string().contains("坏.docx"), "{e}");
        assert!(extract_text(FileKind::Xlsx, "坏.xlsx", b"not a zip").is_err());
    }

    #[test]
    fn hostile_files_are_refused_with_the_limit_named() {
        use gongkai_extract::hostile;
        let e = extract_text(FileKind::Xlsx, "稀疏.xlsx", &hostile::sparse_xlsx()).unwrap_err();
        assert!(
            e.to_string().contains("稀疏.xlsx") && e.to_string().contains("行"),
            "{e}"
        );
        let e = extract_text(
            FileKind::Docx,
            "重叠.docx",
            &hostile::overlapping_docx(4, 1024),
        )
        .unwrap_err();
        assert!(e.to_string().contains("重叠"), "{e}");
        let e = extract_text(FileKind::Docx, "深.docx", &hostile::deep_docx(10_000)).unwrap_err();
        assert!(e.to_string().contains("XML 嵌套不得超过 128 层"), "{e}");
    }
}
