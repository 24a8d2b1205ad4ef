//! The 严重表述错误 list of 网上巡查 (国办秘函〔2019〕19号, a 单项否决 item): wrong forms of
//! leaders' names and titles and banned words that no page of the site may show. Kept in the
//! database and edited in the back office like the 保密审查 list ([`super::sensitive_word`]),
//! with the same rules ([`super::word_table`]); `gongkai inspect` uses the stored list, or
//! `gongkai_inspect::DEFAULT_SEVERE_WORDS` while it is empty. Adding and removing a word are
//! audited.

use chrono::{DateTime, Utc};

use super::word_table::WordTable;
pub use super::word_table::{MAX_WORD_CHARS, StoredWord as SevereWord};
use crate::{Store, StoreError};

const TABLE: WordTable = WordTable {
    table: "severe_words",
    entity: "severe_word",
    add_action: "severe_word.add",
    remove_action: "severe_word.remove",
    noun: "错误表述",
};

/// The stored words, sorted by word.
pub async fn list(store: &Store) -> Result<Vec<SevereWord>, StoreError> {
    TABLE.list(store).await
}

/// Adds a word (trimmed). Refused when empty, longer than [`MAX_WORD_CHARS`], spanning lines,
/// or already stored.
pub async fn add(
    store: &Store,
    actor: &str,
    word: &str,
    now: DateTime<Utc>,
) -> Result<SevereWord, StoreError> {
    TABLE.add(store, actor, word, now, |_| None).await
}

/// Removes a word.
pub async fn remove(store: &Store, actor: &str, id: i64) -> Result<(), StoreError> {
    TABLE.remove(store, actor, id).await
}
