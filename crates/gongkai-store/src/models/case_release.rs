//! Released copies of 区分处理 (Art. 37) and their redaction log: the copy (written anew by the
//! caller from the redacted text) and one log line per withheld passage — position, length,
//! reason, article — with who released it and when, in one transaction with its audit entry.
//! The withheld text is never handed to this module, so it cannot be stored (migration 0230).

use chrono::NaiveDate;
use gongkai_review::redact::LogEntry;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// A released copy as listed (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Release {
    /// Database id.
    pub id: i64,
    /// The original's file name.
    pub original_name: String,
    /// The copy's file name.
    pub file_name: String,
    /// Its media type.
    pub media_type: String,
    /// Who released it.
    pub released_by: String,
    /// When.
    pub released_on: NaiveDate,
    /// The redaction log.
    pub log: Vec<LogEntry>,
}

/// What to store: the copy and its log.
#[derive(Debug, Clone)]
pub struct NewRelease<'a> {
    /// The original's file name.
    pub original_name: &'a str,
    /// The copy's file name.
    pub file_name: &'a str,
    /// Its media type.
    pub media_type: &'a str,
    /// The copy.
    pub data: &'a [u8],
    /// The redaction log.
    pub log: &'a [LogEntry],
    /// The day it is released.
    pub on: NaiveDate,
}

/// Stores a released copy of application `id` with its log; returns its id.
pub async fn add(
    store: &Store,
    actor: &str,
    id: i64,
    r: &NewRelease<'_>,
) -> Result<i64, StoreError> {
    crate::models::application::get(store, id).await?;
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let release: i64 = sqlx::query(
            "INSERT INTO case_releases (application_id, original_name, file_name, media_type, data, released_by, released_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(id)
        .bind(r.original_name)
        .bind(r.file_name)
        .bind(r.media_type)
        .bind(r.data)
        .bind(actor)
        .bind(r.on)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for e in r.log {
            sqlx::query("INSERT INTO redactions (release_id, position, length, article, reason) VALUES ($1, $2, $3, $4, $5)")
                .bind(release)
                .bind(i64::try_from(e.position).unwrap_or(i64::MAX))
                .bind(i64::try_from(e.length).unwrap_or(i64::MAX))
                .bind(&e.article)
                .bind(&e.reason)
                .execute(&mut *tx)
                .await?;
        }
        let detail = serde_json::json!({"release": release, "file": r.file_name, "passages": r.log.len()}).to_string();
        audit_append!(tx, actor, "application.release", "application", &id.to_string(), &detail);
        tx.commit().await?;
        Ok(release)
    })
}

/// The released copies of application `id` with their logs, in the order released.
pub async fn list(store: &Store, id: i64) -> Result<Vec<Release>, StoreError> {
    on_db!(store, pool => {
        let rows = sqlx::query(
            "SELECT id, original_name, file_name, media_type, released_by, released_on FROM case_releases \
             WHERE application_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let release: i64 = r.try_get("id")?;
            let log = sqlx::query("SELECT position, length, article, reason FROM redactions WHERE release_id = $1 ORDER BY position, id")
                .bind(release)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|l| {
                    Ok::<_, StoreError>(LogEntry {
                        position: usize::try_from(l.try_get::<i64, _>("position")?).unwrap_or(0),
                        length: usize::try_from(l.try_get::<i64, _>("length")?).unwrap_or(0),
                        article: l.try_get("article")?,
                        reason: l.try_get("reason")?,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            out.push(Release {
                id: release,
                original_name: r.try_get("original_name")?,
                file_name: r.try_get("file_name")?,
                media_type: r.try_get("media_type")?,
                released_by: r.try_get("released_by")?,
                released_on: r.try_get("released_on")?,
                log,
            });
        }
        Ok(out)
    })
}

/// The bytes of release `release_id`, if it belongs to application `id`.
pub async fn data(store: &Store, id: i64, release_id: i64) -> Result<Vec<u8>, StoreError> {
    on_db!(store, pool => {
        sqlx::query("SELECT data FROM case_releases WHERE id = $1 AND application_id = $2")
            .bind(release_id)
            .bind(id)
            .fetch_optional(pool)
            .await?
            .map(|r| r.try_get::<Vec<u8>, _>("data"))
            .transpose()?
            .ok_or_else(|| StoreError::NotFound(format!("release {release_id}")))
    })
}
