//! The index itself: writing items, committing, rebuilding, searching.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::{Datelike, NaiveDate};
use tantivy::collector::sort_key::{SortBySimilarityScore, SortByStaticFastValue};
use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::schema::{Field, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher, TantivyDocument,
    Term,
};

use crate::SearchError;
use crate::highlight;
use crate::query::{self, MAX_RESULT_WINDOW, Query, SortOrder};
use crate::schema::{self, Fields, JIEBA, PUBLISHED, SCHEMA_VERSION};

/// File next to an on-disk index recording the [`SCHEMA_VERSION`] it was built with. tantivy
/// only deletes files it created itself, so the marker is safe in the index directory.
const VERSION_FILE: &str = "gongkai-search.version";

/// Characters in a result's snippet.
const SNIPPET_CHARS: usize = 120;

/// How often `rebuild` reports progress, in items.
const PROGRESS_EVERY: u64 = 10_000;

/// One published item as the index receives it from the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemDoc {
    /// Database id; the key for [`SearchIndex::upsert`] and [`SearchIndex::delete`].
    pub id: i64,
    /// 索引号, e.g. `113708280043326001/2024-02411`.
    pub index_no: String,
    /// 名称.
    pub title: String,
    /// The full text of the item, as plain text.
    pub body: String,
    /// 内容概述.
    pub summary: String,
    /// 文号, when the document has one.
    pub doc_number: Option<String>,
    /// Art. 20 category key (the filter value of [`Query::category`]).
    pub category: String,
    /// 发布机构 name.
    pub agency: String,
    /// 发布机构 id (the filter value of [`Query::agency_id`]).
    pub agency_id: i64,
    /// 发布日期.
    pub published_on: NaiveDate,
    /// The item's page on the portal.
    pub url: String,
}

/// One search result, ready for a template or a JSON answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Database id of the item.
    pub id: i64,
    /// 索引号.
    pub index_no: String,
    /// 名称, plain text.
    pub title: String,
    /// The item's page on the portal.
    pub url: String,
    /// 发布机构 name.
    pub agency: String,
    /// 发布日期.
    pub published_on: NaiveDate,
    /// Art. 20 category key.
    pub category: String,
    /// An excerpt of the body (or of the 内容概述) as HTML: the matched words wrapped in
    /// `<mark>…</mark>`, every other character escaped. Safe to insert into a page as is.
    pub snippet_html: String,
    /// The 名称 as HTML in the same way as `snippet_html`.
    pub title_html: String,
}

/// One page of results.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchPage {
    /// Number of items matching the query, on all pages.
    pub total: usize,
    /// The hits of the requested page, best first (ties: newest first).
    pub hits: Vec<Hit>,
}

/// Memory and threads given to the index writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndexOptions {
    /// Heap of the writer used by `upsert` and `delete` (tantivy wants at least 15 MB).
    pub writer_heap_bytes: usize,
    /// Heap of the writer used by `rebuild`, shared by its threads; bigger means fewer segments
    /// to merge afterwards.
    pub rebuild_heap_bytes: usize,
    /// Indexing threads of `rebuild`; each tokenizes documents in parallel.
    pub rebuild_threads: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Self {
            writer_heap_bytes: 50_000_000,
            rebuild_heap_bytes: 512_000_000,
            rebuild_threads: cores.clamp(1, 4),
        }
    }
}

/// The full-text index of published items.
///
/// `SearchIndex` is `Send + Sync`: share it in an `Arc`. Searches run concurrently on the
/// snapshot of the last commit; writes go through one writer behind a mutex, and become visible
/// to searches when [`commit`](Self::commit) returns.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    /// Created on the first write, because a writer takes the directory lock and its memory.
    writer: Mutex<Option<IndexWriter>>,
    fields: Fields,
    analyzer: TextAnalyzer,
    options: IndexOptions,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("num_docs", &self.num_docs())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the directory and an empty index if needed.
    ///
    /// Fails with [`SearchError::IncompatibleIndex`] when `dir` holds an index of another
    /// schema version; delete the directory and [`rebuild`](Self::rebuild).
    pub fn open_or_create(dir: &Path) -> Result<Self, SearchError> {
        Self::open_or_create_with(dir, IndexOptions::default())
    }

    /// [`open_or_create`](Self::open_or_create) with explicit writer options.
    pub fn open_or_create_with(dir: &Path, options: IndexOptions) -> Result<Self, SearchError> {
        let io_err = |path: PathBuf| move |source| SearchError::Io { path, source };
        std::fs::create_dir_all(dir).map_err(io_err(dir.to_path_buf()))?;
        let version_path = dir.join(VERSION_FILE);
        let exists = dir.join("meta.json").exists();
        if exists {
            let found = std::fs::read_to_string(&version_path).unwrap_or_default();
            if found.trim() != SCHEMA_VERSION.to_string() {
                return Err(SearchError::IncompatibleIndex {
                    dir: dir.to_path_buf(),
                    found: found.trim().to_string(),
                });
            }
        }
        let (schema, fields) = schema::build_schema();
        let index = Index::open_or_create(MmapDirectory::open(dir)?, schema)?;
        if !exists {
            std::fs::write(&version_path, SCHEMA_VERSION.to_string())
                .map_err(io_err(version_path.clone()))?;
        }
        Self::from_index(index, fields, options)
    }

    /// A fresh index in memory, for tests and small tools.
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = schema::build_schema();
        Self::from_index(
            Index::create_in_ram(schema),
            fields,
            IndexOptions::default(),
        )
    }

    fn from_index(
        index: Index,
        fields: Fields,
        options: IndexOptions,
    ) -> Result<Self, SearchError> {
        // Tokenizers are not stored in the index: register ours every time it is opened.
        index.tokenizers().register(JIEBA, schema::analyzer());
        // Manual reload: our own `commit` reloads right away, so a search that follows a
        // commit sees it, which a reload-on-file-change policy only does after a delay.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            writer: Mutex::new(None),
            fields,
            analyzer: schema::analyzer(),
            options,
        })
    }

    /// Number of items visible to searches (as of the last commit).
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Adds `item`, replacing any item with the same id. Visible after [`commit`](Self::commit).
    pub fn upsert(&self, item: &ItemDoc) -> Result<(), SearchError> {
        let doc = self.to_document(item);
        let id_term = Term::from_field_i64(self.fields.id, item.id);
        self.with_writer(|w| {
            // A delete only affects documents added before it, so the new version survives.
            w.delete_term(id_term);
            w.add_document(doc)?;
            Ok(())
        })
    }

    /// Removes the item with this id, if present. Visible after [`commit`](Self::commit).
    pub fn delete(&self, id: i64) -> Result<(), SearchError> {
        let id_term = Term::from_field_i64(self.fields.id, id);
        self.with_writer(|w| {
            w.delete_term(id_term);
            Ok(())
        })
    }

    /// Makes every upsert and delete so far visible to searches, durably.
    pub fn commit(&self) -> Result<(), SearchError> {
        let mut guard = self.lock_writer();
        if let Some(w) = guard.as_mut() {
            w.commit()?;
        }
        drop(guard);
        self.reader.reload()?;
        Ok(())
    }

    /// Replaces the whole content of the index with `items`, calling `progress` with the
    /// number of items indexed so far (every 10,000 items and once at the end). Returns that
    /// number.
    ///
    /// Searches go on answering from the old content until the new content is committed at the
    /// end; if indexing fails, the old content stays. Uncommitted upserts and deletes made
    /// before the rebuild are discarded (the rebuild reads the database, which has them), and
    /// upserts and deletes made during it wait for it to finish (it holds the writer).
    pub fn rebuild(
        &self,
        items: impl IntoIterator<Item = ItemDoc>,
        mut progress: impl FnMut(u64),
    ) -> Result<u64, SearchError> {
        let mut guard = self.lock_writer();
        // The directory has one writer at a time: give up the small one for a big one.
        *guard = None;
        let mut w: IndexWriter = self.index.writer_with_num_threads(
            self.options.rebuild_threads,
            self.options.rebuild_heap_bytes,
        )?;
        let fill = |w: &mut IndexWriter| -> Result<u64, SearchError> {
            w.delete_all_documents()?;
            let mut n: u64 = 0;
            for item in items {
                w.add_document(self.to_document(&item))?;
                n += 1;
                if n.is_multiple_of(PROGRESS_EVERY) {
                    progress(n);
                }
            }
            w.commit()?;
            Ok(n)
        };
        let n = match fill(&mut w) {
            Ok(n) => n,
            Err(e) => {
                // Best effort: the error that stopped the rebuild is the one worth reporting.
                let _ = w.rollback();
                return Err(e);
            }
        };
        // Let the merges finish so that searches start on few, large segments.
        w.wait_merging_threads()?;
        drop(guard);
        self.reader.reload()?;
        progress(n);
        Ok(n)
    }

    /// Runs `q` and returns the requested page.
    ///
    /// Never fails because of what the visitor typed: text without searchable words (empty,
    /// only punctuation, an unbalanced quote) gives an empty page unless a filter is set.
    /// Pages beyond the first [`MAX_RESULT_WINDOW`] results come back empty, with `total`.
    pub fn search(&self, q: &Query) -> Result<SearchPage, SearchError> {
        let searcher = self.reader.searcher();
        let mut analyzer = self.analyzer.clone();
        let words = query::query_words(&mut analyzer, &q.text);
        let Some(tq) = query::build(&self.fields, &searcher, &words, q)? else {
            return Ok(SearchPage::default());
        };
        let (offset, limit) = q.window();
        if offset >= MAX_RESULT_WINDOW {
            let total = searcher.search(&*tq, &Count)?;
            return Ok(SearchPage {
                total,
                hits: Vec::new(),
            });
        }
        let top = TopDocs::with_limit(limit).and_offset(offset);
        let by_date = SortByStaticFastValue::<i64>::for_field(PUBLISHED);
        let (total, addrs): (usize, Vec<DocAddress>) = match q.sort {
            SortOrder::Relevance => {
                let top =
                    top.order_by(((SortBySimilarityScore, Order::Desc), (by_date, Order::Desc)));
                let (total, docs) = searcher.search(&*tq, &(Count, top))?;
                (total, docs.into_iter().map(|(_, a)| a).collect())
            }
            SortOrder::Newest => {
                let top =
                    top.order_by(((by_date, Order::Desc), (SortBySimilarityScore, Order::Desc)));
                let (total, docs) = searcher.search(&*tq, &(Count, top))?;
                (total, docs.into_iter().map(|(_, a)| a).collect())
            }
        };
        let terms = query::highlight_terms(&words);
        let hits = addrs
            .into_iter()
            .map(|addr| self.hit(&searcher, addr, &terms))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SearchPage { total, hits })
    }

    fn hit(
        &self,
        searcher: &Searcher,
        addr: DocAddress,
        terms: &[String],
    ) -> Result<Hit, SearchError> {
        let doc: TantivyDocument = searcher.doc(addr)?;
        let f = &self.fields;
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let int = |field: Field, name: &'static str| {
            doc.get_first(field)
                .and_then(|v| v.as_i64())
                .ok_or(SearchError::BadDocument(name))
        };
        let days = int(f.published, "published")?;
        let published_on = i32::try_from(days)
            .ok()
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .ok_or(SearchError::BadDocument("published"))?;
        let title = text(f.title);
        let body = text(f.body);
        let summary = text(f.summary);
        let snippet_html = highlight::snippet(&body, terms, SNIPPET_CHARS)
            .or_else(|| highlight::snippet(&summary, terms, SNIPPET_CHARS))
            .unwrap_or_else(|| {
                let lead = if summary.is_empty() { &body } else { &summary };
                highlight::lead(lead, SNIPPET_CHARS)
            });
        Ok(Hit {
            id: int(f.id, "id")?,
            index_no: text(f.index_no),
            title_html: highlight::highlight(&title, terms),
            title,
            url: text(f.url),
            agency: text(f.agency),
            published_on,
            category: text(f.category),
            snippet_html,
        })
    }

    fn to_document(&self, item: &ItemDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut doc = TantivyDocument::new();
        doc.add_i64(f.id, item.id);
        doc.add_text(f.index_no, &item.index_no);
        doc.add_text(f.title, &item.title);
        doc.add_text(f.summary, &item.summary);
        doc.add_text(f.body, &item.body);
        // Everything a visitor may type goes into `text`: a word from the title or body, a
        // pasted 文号 or 索引号, an agency's name.
        for part in [
            &item.title,
            &item.summary,
            &item.body,
            &item.index_no,
            &item.agency,
        ] {
            doc.add_text(f.text, part);
        }
        if let Some(no) = &item.doc_number {
            doc.add_text(f.text, no);
        }
        doc.add_text(f.category, &item.category);
        doc.add_text(f.agency, &item.agency);
        doc.add_i64(f.agency_id, item.agency_id);
        doc.add_i64(f.year, i64::from(item.published_on.year()));
        doc.add_i64(f.published, i64::from(item.published_on.num_days_from_ce()));
        doc.add_text(f.url, &item.url);
        doc
    }

    fn lock_writer(&self) -> MutexGuard<'_, Option<IndexWriter>> {
        // A panic while holding the lock leaves the writer usable: each tantivy call is atomic
        // and nothing reaches searches before a commit, so poisoning is not worth failing on.
        self.writer.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn with_writer<T>(
        &self,
        f: impl FnOnce(&mut IndexWriter) -> Result<T, SearchError>,
    ) -> Result<T, SearchError> {
        let mut guard = self.lock_writer();
        let writer = match guard.as_mut() {
            Some(w) => w,
            None => guard.insert(
                self.index
                    .writer_with_num_threads(1, self.options.writer_heap_bytes)?,
            ),
        };
        f(writer)
    }
}
