//! Full-text search of the portal's published items (the `/search?q=` page and
//! `GET /api/v1/documents?q=`), on a [tantivy] index with a jieba tokenizer for Chinese.
//!
//! The database is the source of truth; this index is a derived cache that can be thrown away
//! and rebuilt from it at any time ([`SearchIndex::rebuild`]).
//!
//! # Getting started
//!
//! ```
//! use chrono::NaiveDate;
//! use gongkai_search::{ItemDoc, Query, SearchIndex};
//!
//! # fn main() -> Result<(), gongkai_search::SearchError> {
//! // In the server: `SearchIndex::open_or_create(&data_dir.join("search"))`, kept in an `Arc`.
//! let index = SearchIndex::in_memory()?;
//! index.upsert(&ItemDoc {
//!     id: 1,
//!     index_no: "113708280043326001/2024-02411".into(),
//!     title: "关于加强行政规范性文件管理的通知".into(),
//!     body: "为进一步规范行政规范性文件制定和监督管理工作……".into(),
//!     summary: "规范性文件管理".into(),
//!     doc_number: Some("夏政办发〔2024〕3号".into()),
//!     category: "regulations".into(),
//!     agency: "夏邑县人民政府办公室".into(),
//!     agency_id: 7,
//!     published_on: NaiveDate::from_ymd_opt(2024, 3, 1).unwrap_or_default(),
//!     url: "/xxgk/items/1".into(),
//! })?;
//! index.commit()?; // writes become visible to searches here
//!
//! let page = index.search(&Query::new("规范性文件").year(2024))?;
//! assert_eq!(page.total, 1);
//! assert!(page.hits[0].title_html.contains("<mark>"));
//! # Ok(())
//! # }
//! ```
//!
//! # How it behaves
//!
//! - Text is cut by jieba in search mode (words and their sub-words), at index and query time
//!   alike; every word of the query must occur in the item, in any of 名称, 内容概述, body,
//!   索引号, 文号 or 发布机构 (名称 weighs most). Ties in relevance go to the newer item.
//! - There is no query syntax, so nothing a visitor types is an error. See [`Query`].
//! - Category, agency and year filter exactly; with no text they list items, newest first.
//! - [`Hit::snippet_html`] and [`Hit::title_html`] are escaped HTML with `<mark>` highlights.
//! - One writer (behind a mutex) and any number of concurrent searches; writes show after
//!   [`SearchIndex::commit`].
//!
//! Latency on a million items is measured by `scripts/bench-search.sh`; figures are in
//! `docs/PERFORMANCE-search.md`.

mod highlight;
mod index;
mod query;
mod schema;

#[cfg(test)]
mod tests;

use std::path::PathBuf;

pub use index::{Hit, IndexOptions, ItemDoc, SearchIndex, SearchPage};
pub use query::{
    DEFAULT_PER_PAGE, MAX_PER_PAGE, MAX_QUERY_CHARS, MAX_RESULT_WINDOW, Query, SortOrder,
};

/// What can go wrong with the index. A visitor's query text never causes an error.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// tantivy failed: an I/O error under the index, a corrupt file, the directory locked by
    /// another process.
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The index directory could not be opened.
    #[error("search index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    /// A file next to the index could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The directory holds an index built by another version of this crate.
    #[error(
        "{dir}: search index has schema version {found:?}, this build needs a different one; \
         delete the directory and rebuild the index"
    )]
    IncompatibleIndex {
        /// The index directory.
        dir: PathBuf,
        /// The version found (empty when the marker file is missing).
        found: String,
    },
    /// A stored document lacks a field every document is written with.
    #[error("search index: stored document without its {0} field; rebuild the index")]
    BadDocument(&'static str),
}
