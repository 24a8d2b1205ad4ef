//! The 严重表述错误 list of 网上巡查 (国办秘函〔2019〕19号, a 单项否决 item): wrong forms of
//! leaders' names and titles and banned words that no page of the site may show. Kept in the
//! database and edited in the back office like the 保密审查 list ([`super::sensitive_word`]);
//! `gongkai inspect` uses the stored list, or `gongkai_inspect::DEFAULT_SEVERE_WORDS` while it
//! is empty. Adding and removing a word are audited.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// The longest word accepted (characters).
pub const MAX_WORD_CHARS: usize = 50;

/// A word of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SevereWord {
    /// Database id.
    pub id: i64,
    /// The wrong form or banned word, trimmed.
    pub word: String,
    /// Who added it (user name).
    pub added_by: String,
    /// When (Unix seconds).
    pub added_at: i64,
}

/// The stored words, sorted by word.
pub async fn list(store: &Store) -> Result<Vec<SevereWord>, StoreError> {
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, SevereWord>(
            "SELECT id, word, added_by, added_at FROM severe_words ORDER BY word",
        )
        .fetch_all(pool)
        .await?)
    })
}

/// Adds a word (trimmed). Refused when empty, longer than [`MAX_WORD_CHARS`], spanning lines,
/// or already stored.
pub async fn add(
    store: &Store,
    actor: &str,
    word: &str,
    now: DateTime<Utc>,
) -> Result<SevereWord, StoreError> {
    let w = word.trim();
    if w.is_empty() {
        return Err(StoreError::Invalid("错误表述不能为空".to_string()));
    }
    if w.chars().count() > MAX_WORD_CHARS || w.contains(['\n', '\r']) {
        return Err(StoreError::Invalid(format!(
            "错误表述不能超过 {MAX_WORD_CHARS} 个字且不能换行"
        )));
    }
    let id: i64 = on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let exists = sqlx::query("SELECT id FROM severe_words WHERE word = $1")
            .bind(w)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Err(StoreError::Invalid(format!("「{w}」已在词表中")));
        }
        let id: i64 = sqlx::query(
            "INSERT INTO severe_words (word, added_by, added_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(w)
        .bind(actor)
        .bind(now.timestamp())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let detail = serde_json::json!({"word": w}).to_string();
        audit_append!(tx, actor, "severe_word.add", "severe_word", &id.to_string(), &detail);
        tx.commit().await?;
        id
    });
    Ok(SevereWord {
        id,
        word: w.to_string(),
        added_by: actor.to_string(),
        added_at: now.timestamp(),
    })
}

/// Removes a word.
pub async fn remove(store: &Store, actor: &str, id: i64) -> Result<(), StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let word: String = sqlx::query("SELECT word FROM severe_words WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("severe word {id}")))?
            .try_get("word")?;
        sqlx::query("DELETE FROM severe_words WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({"word": word}).to_string();
        audit_append!(tx, actor, "severe_word.remove", "severe_word", &id.to_string(), &detail);
        tx.commit().await?;
    });
    Ok(())
}
