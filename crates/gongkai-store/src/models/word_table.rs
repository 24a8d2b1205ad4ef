//! A stored, audited word list: the shape both editable lists share — the 保密审查 敏感词表
//! ([`super::sensitive_word`]) and the 网上巡查 严重表述错误 list ([`super::severe_word`]).
//! Each list names its table, its audit codes and the noun its refusals use; the rules (trimmed,
//! at most [`MAX_WORD_CHARS`] characters on one line, no duplicate) and the audited writes live
//! here once.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// The longest word accepted (characters): a marker or a phrase, not a paragraph.
pub const MAX_WORD_CHARS: usize = 50;

/// A word of a stored list.
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

/// One stored list: where it lives and how its changes are audited and refused.
pub(crate) struct WordTable {
    /// The table (`id`, `word`, `added_by`, `added_at`).
    pub table: &'static str,
    /// The audit log's kind of record.
    pub entity: &'static str,
    /// The audit code of an addition.
    pub add_action: &'static str,
    /// The audit code of a removal.
    pub remove_action: &'static str,
    /// What a word of the list is called in a refusal (敏感词, 错误表述).
    pub noun: &'static str,
}

impl WordTable {
    /// The stored words, sorted by word.
    pub async fn list(&self, store: &Store) -> Result<Vec<StoredWord>, StoreError> {
        let sql = format!(
            "SELECT id, word, added_by, added_at FROM {} ORDER BY word",
            self.table
        );
        on_db!(store, pool => {
            Ok(sqlx::query_as::<_, StoredWord>(sqlx::AssertSqlSafe(sql))
                .fetch_all(pool)
                .await?)
        })
    }

    /// Adds a word (trimmed). Refused when empty, longer than [`MAX_WORD_CHARS`], spanning
    /// lines, refused by `check` (a list's own rule), or already stored.
    pub async fn add(
        &self,
        store: &Store,
        actor: &str,
        word: &str,
        now: DateTime<Utc>,
        check: impl Fn(&str) -> Option<String>,
    ) -> Result<StoredWord, StoreError> {
        let w = word.trim();
        let noun = self.noun;
        if w.is_empty() {
            return Err(StoreError::invalid(format!("{noun}不能为空")));
        }
        if w.chars().count() > MAX_WORD_CHARS || w.contains(['\n', '\r']) {
            return Err(StoreError::invalid(format!(
                "{noun}不能超过 {MAX_WORD_CHARS} 个字且不能换行"
            )));
        }
        if let Some(refusal) = check(w) {
            return Err(StoreError::invalid(refusal));
        }
        let exists_sql = format!("SELECT id FROM {} WHERE word = $1", self.table);
        let insert_sql = format!(
            "INSERT INTO {} (word, added_by, added_at) VALUES ($1, $2, $3) RETURNING id",
            self.table
        );
        let id: i64 = on_db!(store, pool => {
            let mut tx = pool.begin_write().await?;
            let exists = sqlx::query(sqlx::AssertSqlSafe(exists_sql.clone()))
                .bind(w)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_some() {
                return Err(StoreError::invalid(format!("「{w}」已在词表中")));
            }
            let id: i64 = sqlx::query(sqlx::AssertSqlSafe(insert_sql.clone()))
                .bind(w)
                .bind(actor)
                .bind(now.timestamp())
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?;
            let detail = serde_json::json!({"word": w}).to_string();
            audit_append!(tx, actor, self.add_action, self.entity, &id.to_string(), &detail);
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

    /// Removes a stored word.
    pub async fn remove(&self, store: &Store, actor: &str, id: i64) -> Result<(), StoreError> {
        let select_sql = format!("SELECT word FROM {} WHERE id = $1", self.table);
        let delete_sql = format!("DELETE FROM {} WHERE id = $1", self.table);
        on_db!(store, pool => {
            let mut tx = pool.begin_write().await?;
            let word: String = sqlx::query(sqlx::AssertSqlSafe(select_sql.clone()))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("{} {id}", self.entity.replace('_', " "))))?
                .try_get("word")?;
            sqlx::query(sqlx::AssertSqlSafe(delete_sql.clone()))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let detail = serde_json::json!({"word": word}).to_string();
            audit_append!(tx, actor, self.remove_action, self.entity, &id.to_string(), &detail);
            tx.commit().await?;
        });
        Ok(())
    }
}
