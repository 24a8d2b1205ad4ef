//! The agency's editable list of sensitive words (敏感词表), kept in the database and merged
//! with the built-in markers of `gongkai-review` ([`WordList::default`]) for every scan of the
//! publishing gate ([`word_list`]). Adding and removing a word are audited.

use chrono::{DateTime, Utc};
use gongkai_review::WordList;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// The longest word accepted (characters): a marker or a phrase, not a paragraph.
pub const MAX_WORD_CHARS: usize = 50;

/// A word of the stored list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StoredWord {
    /// Database id.
    pub id: i64,
    /// The word, trimmed.
    pub word: String,
    /// Who added it (user name).
    pub added_by: String,
    /// When (Unix seconds).
    pub added_at: i64,
}

/// The stored words, sorted by word.
pub async fn list(store: &Store) -> Result<Vec<StoredWord>, StoreError> {
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, StoredWord>(
            "SELECT id, word, added_by, added_at FROM sensitive_words ORDER BY word",
        )
        .fetch_all(pool)
        .await?)
    })
}

/// The list every scan uses: the built-in markers plus the stored words.
pub async fn word_list(store: &Store) -> Result<WordList, StoreError> {
    let mut words = WordList::default();
    for w in list(store).await? {
        words.add(&w.word);
    }
    Ok(words)
}

/// Adds a word (trimmed). Refused when empty, longer than [`MAX_WORD_CHARS`], spanning lines,
/// built in, or already stored.
pub async fn add(
    store: &Store,
    actor: &str,
    word: &str,
    now: DateTime<Utc>,
) -> Result<StoredWord, StoreError> {
    let w = word.trim();
    if w.is_empty() {
        return Err(StoreError::Invalid("敏感词不能为空".to_string()));
    }
    if w.chars().count() > MAX_WORD_CHARS || w.contains(['\n', '\r']) {
        return Err(StoreError::Invalid(format!(
            "敏感词不能超过 {MAX_WORD_CHARS} 个字且不能换行"
        )));
    }
    if WordList::default().contains(w) {
        return Err(StoreError::Invalid(format!("「{w}」已在内置词表中")));
    }
    let id: i64 = on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let exists = sqlx::query("SELECT id FROM sensitive_words WHERE word = $1")
            .bind(w)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Err(StoreError::Invalid(format!("「{w}」已在词表中")));
        }
        let id: i64 = sqlx::query(
            "INSERT INTO sensitive_words (word, added_by, added_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(w)
        .bind(actor)
        .bind(now.timestamp())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let detail = serde_json::json!({"word": w}).to_string();
        audit_append!(tx, actor, "word.add", "sensitive_word", &id.to_string(), &detail);
        tx.commit().await?;
        id
    });
    Ok(StoredWord {
        id,
        word: w.to_string(),
        added_by: actor.to_string(),
        added_at: now.timestamp(),
    })
}

/// Removes a stored word (the built-in markers cannot be removed).
pub async fn remove(store: &Store, actor: &str, id: i64) -> Result<(), StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let word: String = sqlx::query("SELECT word FROM sensitive_words WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("sensitive word {id}")))?
            .try_get("word")?;
        sqlx::query("DELETE FROM sensitive_words WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({"word": word}).to_string();
        audit_append!(tx, actor, "word.remove", "sensitive_word", &id.to_string(), &detail);
        tx.commit().await?;
    });
    Ok(())
}
