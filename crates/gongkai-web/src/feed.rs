//! This node's follower of the change feed (`gongkai_store::changes`): whichever node wrote a
//! change, every node's search index and page cache follow it.
//!
//! The follower keeps the sequence number it has applied. It wakes on PostgreSQL's NOTIFY (or
//! its poll, on SQLite and as the net under a missed notification), reads every change after
//! that number, refreshes the search index for the items among them (a full rebuild for a bulk
//! load), then drops the cached pages of the changed kinds ([`crate::cache`]), in that order,
//! so a page rendered after the drop finds the index already new. The applied number is saved
//! beside the search index (`feed.seq`), so a node that restarts catches up from where it
//! stopped instead of rebuilding.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use gongkai_store::changes::{self, Change};

use crate::AppState;
use crate::indexing::{self, IndexingError};

/// More item changes than this in one pass rebuild the index instead of one upsert each.
const REBUILD_ABOVE: usize = 500;
/// Changes read per query.
const BATCH: i64 = 1000;

/// Where this node stands in the feed (for `/readyz` and the metrics).
#[derive(Debug, Default)]
pub struct FeedPosition {
    /// The last change applied.
    pub applied: AtomicI64,
    /// The newest change seen in the database.
    pub head: AtomicI64,
    /// Whether the follower has caught up once since start.
    pub caught_up: AtomicBool,
}

impl FeedPosition {
    /// Changes written but not yet applied here.
    pub fn lag(&self) -> i64 {
        (self.head.load(Ordering::Relaxed) - self.applied.load(Ordering::Relaxed)).max(0)
    }
}

/// The file beside the search index that holds the applied sequence number.
pub fn seq_file(index_dir: &Path) -> PathBuf {
    index_dir.join("feed.seq")
}

fn read_seq(path: &Path) -> Option<i64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
}

fn write_seq(path: &Path, seq: i64) {
    // Written aside then renamed, so a crash never leaves half a number. A failure only costs
    // a longer catch-up after the next restart.
    let tmp = path.with_extension("seq.tmp");
    if std::fs::write(&tmp, seq.to_string()).is_ok() {
        let _ = std::fs::rename(&tmp, path);
    }
}

/// Brings this node's search index to the database at start: catches up from the saved number
/// when the index has one, else rebuilds it. Returns the number to follow from and how many
/// items a rebuild indexed (None when it caught up instead).
pub async fn start_position(
    state: &AppState,
    index_dir: &Path,
) -> Result<(i64, Option<u64>), IndexingError> {
    let saved = read_seq(&seq_file(index_dir));
    if let Some(seq) = saved
        && state.search.num_docs() > 0
    {
        return Ok((seq, None));
    }
    // The head before the rebuild: changes committed during it are applied again after it
    // (an upsert twice is harmless); none is missed.
    let head = changes::head(&state.store).await?;
    let n = indexing::index_all(&state.store, &state.search, &state.index_roots).await?;
    write_seq(&seq_file(index_dir), head);
    Ok((head, Some(n)))
}

/// Applies a batch of changes: the index first, then the cache.
async fn apply(state: &AppState, batch: &[Change]) -> Result<(), IndexingError> {
    let mut items = BTreeSet::new();
    let mut rebuild = false;
    let mut kinds = 0;
    for c in batch {
        kinds |= crate::cache::change_kinds(&c.kind);
        match c.kind.as_str() {
            "proactive_item" => match c.record_id.parse::<i64>() {
                Ok(id) => {
                    items.insert(id);
                }
                Err(_) => rebuild = true,
            },
            // A bulk load, a change of what every item's search document names, or a site
            // added to the platform (its items join the index once the nodes restart).
            "demo" | "agency" | "site" => rebuild = true,
            _ => {}
        }
    }
    if rebuild || items.len() > REBUILD_ABOVE {
        indexing::index_all(&state.store, &state.search, &state.index_roots).await?;
    } else {
        for id in items {
            indexing::upsert_item(&state.store, &state.search, &state.index_roots, id).await?;
        }
    }
    state.pages.invalidate_kinds(kinds);
    Ok(())
}

/// Reads and applies everything after the applied number; returns whether anything was read.
async fn catch_up(state: &AppState, seq_path: &Path) -> Result<bool, IndexingError> {
    let pos = &state.feed;
    let mut any = false;
    loop {
        let after = pos.applied.load(Ordering::Acquire);
        let batch = changes::since(&state.store, after, BATCH).await?;
        let Some(last) = batch.last().map(|c| c.seq) else {
            break;
        };
        apply(state, &batch).await?;
        pos.applied.store(last, Ordering::Release);
        pos.head.fetch_max(last, Ordering::Relaxed);
        write_seq(seq_path, last);
        any = true;
    }
    pos.caught_up.store(true, Ordering::Release);
    Ok(any)
}

/// Follows the feed from `from` until the process ends: waits for a notification or the
/// poll, catches up, and turns the page cache on once the first catch-up is done. Errors
/// (a lost database) are logged and retried at the next wake-up.
pub async fn follow(state: AppState, index_dir: PathBuf, from: i64, poll: Duration) {
    let seq_path = seq_file(&index_dir);
    state.feed.applied.store(from, Ordering::Release);
    state.feed.head.fetch_max(from, Ordering::Relaxed);
    let mut listener = loop {
        match changes::Listener::new(&state.store, poll).await {
            Ok(l) => break l,
            Err(e) => {
                tracing::warn!(error = %e, "change feed: cannot listen, retrying");
                tokio::time::sleep(poll).await;
            }
        }
    };
    let mut first = true;
    loop {
        if !first {
            listener.wait().await;
        }
        match catch_up(&state, &seq_path).await {
            Ok(_) => {
                if first {
                    state.pages.enable();
                    first = false;
                }
            }
            Err(e) => tracing::warn!(error = %e, "change feed: catch-up failed"),
        }
        if let Ok(h) = changes::head(&state.store).await {
            state.feed.head.fetch_max(h, Ordering::Relaxed);
        }
    }
}
