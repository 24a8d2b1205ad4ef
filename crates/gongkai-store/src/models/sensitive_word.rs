//! The agency's editable list of sensitive words (敏感词表), kept in the database and merged
//! with the built-in markers of `gongkai-review` ([`WordList::default`]) for every scan of the
//! publishing gate ([`word_list`]). Adding and removing a word are audited
//! ([`super::word_table`]).

use chrono::{DateTime, Utc};
use gongkai_review::WordList;

use super::word_table::WordTable;
pub use super::word_table::{MAX_WORD_CHARS, StoredWord};
use crate::{Store, StoreError};

const TABLE: WordTable = WordTable {
    table: "sensitive_words",
    entity: "sensitive_word",
    add_action: "word.add",
    remove_action: "word.remove",
    noun: "敏感词",
};

/// The stored words, sorted by word.
pub async fn list(store: &Store) -> Result<Vec<StoredWord>, StoreError> {
    TABLE.list(store).await
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
    TABLE
        .add(store, actor, word, now, |w| {
            WordList::default()
                .contains(w)
                .then(|| format!("「{w}」已在内置词表中"))
        })
        .await
}

/// Removes a stored word (the built-in markers cannot be removed).
pub async fn remove(store: &Store, actor: &str, id: i64) -> Result<(), StoreError> {
    TABLE.remove(store, actor, id).await
}
