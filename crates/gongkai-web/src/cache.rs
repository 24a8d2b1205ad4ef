//! A micro-cache of rendered item pages.
//!
//! Item pages are the most read pages of a portal and change rarely (publication, a change of
//! 有效性, a new 解读), so a rendered page is kept for a few seconds: under a burst of readers
//! the database answers once per item and interval instead of once per request. The key includes
//! the reader's font size, the only per-reader part of an item page; pages that set a cookie
//! (the forms, with their CSRF token) are never cached. [`PageCache::invalidate`] drops an
//! item's pages at once when the back office publishes or changes it.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use axum::body::Bytes;

/// A cached page: the item and font size it is for, when it was rendered, and the HTML.
type Entries = HashMap<(i64, &'static str), (Instant, Bytes)>;

/// Rendered pages by key, each with the time it was rendered.
#[derive(Debug)]
pub struct PageCache {
    ttl: Duration,
    max_entries: usize,
    pages: RwLock<Entries>,
}

impl PageCache {
    /// A cache keeping pages for `ttl`, at most `max_entries` of them.
    pub fn new(ttl: Duration, max_entries: usize) -> PageCache {
        PageCache {
            ttl,
            max_entries,
            pages: RwLock::new(HashMap::new()),
        }
    }

    /// The page of item `id` at font size `font`, if rendered less than the TTL ago.
    pub fn get(&self, id: i64, font: &'static str) -> Option<Bytes> {
        if self.ttl.is_zero() {
            return None;
        }
        let pages = self.pages.read().ok()?;
        let (at, body) = pages.get(&(id, font))?;
        (at.elapsed() < self.ttl).then(|| body.clone())
    }

    /// Keeps a freshly rendered page.
    pub fn put(&self, id: i64, font: &'static str, body: Bytes) {
        if self.ttl.is_zero() {
            return;
        }
        let Ok(mut pages) = self.pages.write() else {
            return;
        };
        if pages.len() >= self.max_entries {
            let ttl = self.ttl;
            pages.retain(|_, (at, _)| at.elapsed() < ttl);
            if pages.len() >= self.max_entries {
                pages.clear();
            }
        }
        pages.insert((id, font), (Instant::now(), body));
    }

    /// Drops every cached page of item `id` (after it was published or changed).
    pub fn invalidate(&self, id: i64) {
        if let Ok(mut pages) = self.pages.write() {
            pages.retain(|(item, _), _| *item != id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_expire_and_are_invalidated() {
        let c = PageCache::new(Duration::from_millis(50), 10);
        c.put(1, "normal", Bytes::from_static(b"a"));
        assert_eq!(c.get(1, "normal"), Some(Bytes::from_static(b"a")));
        assert_eq!(c.get(1, "large"), None);
        c.invalidate(1);
        assert_eq!(c.get(1, "normal"), None);
        c.put(2, "normal", Bytes::from_static(b"b"));
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(c.get(2, "normal"), None);
        let off = PageCache::new(Duration::ZERO, 10);
        off.put(3, "normal", Bytes::from_static(b"c"));
        assert_eq!(off.get(3, "normal"), None);
    }
}
