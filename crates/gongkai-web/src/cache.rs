//! Public pages cached until they change (issue 17.3).
//!
//! Every public GET page ([`cacheable_path`]: the portal, search, the feed and sitemap, the
//! annual reports, the documents API) is kept as rendered, in one LRU bounded by bytes. A page
//! leaves the cache when the records it shows change, not by age: the node's follower of the
//! change feed ([`crate::feed`]) calls [`PageCache::invalidate_kind`] for each change of the
//! database, whichever node made it.
//!
//! **Keys by kind.** Invalidation is per kind of record, not per record: each page carries the
//! set of kinds it may show ([`page_kinds`]), each change names one kind ([`change_kinds`]),
//! and a change drops every page whose set holds its kind. Most pages list items, letters and
//! agencies together (the home page, the column, search, the sitemap), so finer keys would save
//! little; publishing is rare next to reading. Kinds no public page shows (applications and
//! their casework, the word lists, inspections) drop nothing, so a stream of /apply submissions
//! leaves the cache alone.
//!
//! **Dates.** A page may show "today" (the catalogue's overdue entries, the year lists), so no
//! entry outlives the Beijing day it was rendered in: it expires at the next Beijing midnight.
//!
//! **What is never cached**: forms (they embed the reader's CSRF token), answers that set a
//! cookie or say `no-store`/`private`, anything but a 200, requests of a signed-in back-office user, and bodies larger than
//! a sixteenth of the bound. The key is the path with its query and the reader's font size
//! (the only per-reader part of a public page).
//!
//! The cache stays off until a follower of the feed runs ([`PageCache::enable`]): without one
//! it would never learn of a change (tests that build a router without serving it see every
//! write at once).

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use lru::LruCache;

use crate::AppState;

/// The default bound of the page cache: 256 MiB.
pub const DEFAULT_MAX_BYTES: usize = 256 << 20;

/// Kind bit: published items (and their attachments, 解读, the catalogue they sit in).
pub const ITEM: u32 = 1;
/// Kind bit: letters of the mailbox.
pub const LETTER: u32 = 1 << 1;
/// Kind bit: annual reports.
pub const REPORT: u32 = 1 << 2;
/// Kind bit: administrative decisions (许可、处罚).
pub const DECISION: u32 = 1 << 3;
/// Kind bit: everything else a page may show (agencies, topics, the standard catalogue,
/// matters, new media, registers, the demo load): every page holds it.
pub const OTHER: u32 = 1 << 4;
/// Every kind.
pub const ALL: u32 = ITEM | LETTER | REPORT | DECISION | OTHER;

/// The kinds of record a change of audit entity `kind` may alter on public pages.
pub fn change_kinds(kind: &str) -> u32 {
    match kind {
        "proactive_item" => ITEM,
        "mailbox_letter" => LETTER,
        "published_report" => REPORT,
        "decision" => DECISION,
        // Casework and back-office records no public page shows.
        "application" | "appeal_case" | "report_draft" | "oversight_report" | "oversight_unit"
        | "sensitive_word" | "severe_word" | "site_inspection" | "user" | "auth" | "access" => 0,
        // Anything else (or a kind added later) drops every page: never stale by omission.
        _ => ALL,
    }
}

/// Whether GET `path` is a public page the cache may keep.
pub fn cacheable_path(path: &str) -> bool {
    path == "/"
        || path == "/xxgk"
        || path.starts_with("/xxgk/")
        || path == "/search"
        || path == "/feed.atom"
        || path == "/sitemap.xml"
        || path == "/openapi.json"
        || path.starts_with("/reports/")
        || path.starts_with("/api/v1/documents")
        || path.starts_with("/api/v1/reports/")
}

/// The kinds of record the page at `path` may show.
pub fn page_kinds(path: &str) -> u32 {
    if path == "/xxgk/annual"
        || path.starts_with("/reports/")
        || path.starts_with("/api/v1/reports/")
    {
        REPORT | OTHER
    } else if path == "/xxgk/decisions" {
        DECISION | OTHER
    } else if path.starts_with("/api/v1/documents") {
        ITEM | OTHER
    } else {
        ALL
    }
}

struct Entry {
    body: Bytes,
    /// The answer's headers (content type, disposition, cache control), as the handler set them.
    headers: HeaderMap,
    kinds: u32,
    expires: Instant,
}

struct Inner {
    lru: LruCache<String, Entry>,
    bytes: usize,
}

/// Rendered public pages, bounded by bytes, least recently used out first.
pub struct PageCache {
    max_bytes: usize,
    enabled: AtomicBool,
    inner: Mutex<Inner>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache")
            .field("max_bytes", &self.max_bytes)
            .field("bytes", &self.bytes())
            .finish()
    }
}

/// The bytes an entry is counted as: its body and key, plus a fixed overhead.
fn cost(key: &str, body: &Bytes) -> usize {
    key.len() + body.len() + 128
}

impl PageCache {
    /// An empty cache holding at most `max_bytes` (0: nothing is kept); off until
    /// [`PageCache::enable`].
    pub fn new(max_bytes: usize) -> PageCache {
        PageCache {
            max_bytes,
            enabled: AtomicBool::new(false),
            inner: Mutex::new(Inner {
                lru: LruCache::unbounded(),
                bytes: 0,
            }),
            hits: AtomicU64::new(0),
            misses: AtomicU64::new(0),
        }
    }

    /// Turns the cache on (a follower of the change feed runs).
    pub fn enable(&self) {
        self.enabled.store(self.max_bytes > 0, Ordering::Release);
    }

    /// Whether pages are kept.
    pub fn enabled(&self) -> bool {
        self.enabled.load(Ordering::Acquire)
    }

    /// The bound in bytes.
    pub fn max_bytes(&self) -> usize {
        self.max_bytes
    }

    /// The bytes held now.
    pub fn bytes(&self) -> usize {
        self.inner.lock().map_or(0, |i| i.bytes)
    }

    /// Pages held now.
    pub fn len(&self) -> usize {
        self.inner.lock().map_or(0, |i| i.lru.len())
    }

    /// Whether no page is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Answers served from the cache, and answers rendered because the page was not in it.
    pub fn hits_misses(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// The page at `key`, if held and not expired at `now`.
    fn get(&self, key: &str, now: Instant) -> Option<(Bytes, HeaderMap)> {
        let mut inner = self.inner.lock().ok()?;
        let fresh = match inner.lru.get(key) {
            Some(e) if e.expires > now => return Some((e.body.clone(), e.headers.clone())),
            Some(_) => false,
            None => return None,
        };
        if !fresh && let Some(e) = inner.lru.pop(key) {
            inner.bytes -= cost(key, &e.body);
        }
        None
    }

    /// Keeps a page, dropping the least recently used ones beyond the bound.
    fn put(&self, key: String, body: Bytes, headers: HeaderMap, kinds: u32, expires: Instant) {
        let size = cost(&key, &body);
        if size > self.max_bytes / 16 {
            return;
        }
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        if let Some(old) = inner.lru.pop(&key) {
            inner.bytes -= cost(&key, &old.body);
        }
        while inner.bytes + size > self.max_bytes {
            match inner.lru.pop_lru() {
                Some((k, e)) => inner.bytes -= cost(&k, &e.body),
                None => break,
            }
        }
        inner.bytes += size;
        inner.lru.put(
            key,
            Entry {
                body,
                headers,
                kinds,
                expires,
            },
        );
    }

    /// Drops every page that may show a record of the kinds in `kinds` (a mask of the kind
    /// bits); returns how many were dropped.
    pub fn invalidate_kinds(&self, kinds: u32) -> usize {
        if kinds == 0 {
            return 0;
        }
        let Ok(mut inner) = self.inner.lock() else {
            return 0;
        };
        let stale: Vec<String> = inner
            .lru
            .iter()
            .filter(|(_, e)| e.kinds & kinds != 0)
            .map(|(k, _)| k.clone())
            .collect();
        for k in &stale {
            if let Some(e) = inner.lru.pop(k) {
                inner.bytes -= cost(k, &e.body);
            }
        }
        stale.len()
    }

    /// Drops the pages a change of audit entity `kind` may alter.
    pub fn invalidate_kind(&self, kind: &str) -> usize {
        self.invalidate_kinds(change_kinds(kind))
    }
}

/// The next Beijing midnight as an `Instant` from now.
fn next_beijing_midnight() -> Instant {
    let now = chrono::Utc::now();
    let left = gongkai_law::beijing_date(now)
        .succ_opt()
        .map(gongkai_law::beijing_midnight)
        .and_then(|midnight| u64::try_from((midnight - now).num_seconds()).ok())
        .unwrap_or(3600);
    Instant::now() + std::time::Duration::from_secs(left.max(1))
}

/// The middleware: answers public GET pages from the cache, keeps what it renders.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let cache = &state.pages;
    if !cache.enabled() || req.method() != Method::GET || !cacheable_path(req.uri().path()) {
        return next.run(req).await;
    }
    // A signed-in back-office user may see more than the public (drafts' previews): not cached.
    if crate::security::cookie(req.headers(), crate::admin::SESSION_COOKIE).is_some() {
        return next.run(req).await;
    }
    let path = req.uri().path_and_query().map_or("/", |p| p.as_str());
    // The site is part of the key: on a 集约化 platform every site has its own `/`.
    let key = format!(
        "{}|{}|{path}",
        state.site.agency_id,
        crate::layout::font_size(req.headers())
    );
    if let Some((body, headers)) = cache.get(&key, Instant::now()) {
        cache.hits.fetch_add(1, Ordering::Relaxed);
        // Answered here, before the layers inside: the visit is counted here too.
        crate::visits::count_answer(
            &state,
            crate::visits::visitor(&req),
            StatusCode::OK,
            &headers,
        );
        let mut resp = Body::from(body).into_response();
        *resp.headers_mut() = headers;
        return resp;
    }
    cache.misses.fetch_add(1, Ordering::Relaxed);
    let kinds = page_kinds(req.uri().path());
    let resp = next.run(req).await;
    let private = resp
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            // The directives, not substrings: `private="x"` and `no-store` keep a page out.
            v.split(',').any(|d| {
                let name = d.split('=').next().unwrap_or_default().trim();
                name.eq_ignore_ascii_case("no-store") || name.eq_ignore_ascii_case("private")
            })
        });
    if resp.status() != StatusCode::OK || resp.headers().contains_key(header::SET_COOKIE) || private
    {
        return resp;
    }
    let limit = cache.max_bytes / 16;
    // Only bodies of a known size within the entry limit are read whole; others pass through.
    let size = axum::body::HttpBody::size_hint(resp.body()).exact();
    if size.is_none_or(|n| n > limit as u64) {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => {
            let mut headers = parts.headers.clone();
            // The body's length is set anew for each answer.
            headers.remove(header::CONTENT_LENGTH);
            cache.put(key, bytes.clone(), headers, kinds, next_beijing_midnight());
            Response::from_parts(parts, Body::from(bytes))
        }
        // A broken stream: the answer is lost either way.
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "页面过大，无法缓存").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn later() -> Instant {
        Instant::now() + std::time::Duration::from_secs(3600)
    }

    #[test]
    fn pages_leave_by_kind_and_by_bytes() {
        let c = PageCache::new(16 * 1024);
        let page = Bytes::from(vec![b'x'; 500]);
        c.put(
            "normal|/".into(),
            page.clone(),
            HeaderMap::new(),
            ALL,
            later(),
        );
        c.put(
            "normal|/xxgk/annual".into(),
            page.clone(),
            HeaderMap::new(),
            REPORT | OTHER,
            later(),
        );
        assert!(c.get("normal|/", Instant::now()).is_some());
        // A new application shows on no public page.
        assert_eq!(c.invalidate_kind("application"), 0);
        // A published item drops the home page but not the reports.
        assert_eq!(c.invalidate_kind("proactive_item"), 1);
        assert!(c.get("normal|/", Instant::now()).is_none());
        assert!(c.get("normal|/xxgk/annual", Instant::now()).is_some());
        // An unknown kind drops everything.
        assert_eq!(c.invalidate_kind("something_new"), 1);
        assert!(c.is_empty());
        // The byte bound holds: the oldest go first.
        for i in 0..100 {
            c.put(
                format!("normal|/xxgk/items/{i}"),
                page.clone(),
                HeaderMap::new(),
                ALL,
                later(),
            );
            assert!(c.bytes() <= c.max_bytes());
        }
        assert!(c.get("normal|/xxgk/items/0", Instant::now()).is_none());
        assert!(c.get("normal|/xxgk/items/99", Instant::now()).is_some());
        // Expired pages are not served.
        c.put(
            "normal|/x".into(),
            page,
            HeaderMap::new(),
            ALL,
            Instant::now(),
        );
        assert!(c.get("normal|/x", Instant::now()).is_none());
    }

    #[test]
    fn forms_and_the_back_office_are_not_cacheable() {
        assert!(cacheable_path("/"));
        assert!(cacheable_path("/xxgk/items/3"));
        assert!(cacheable_path("/search"));
        for p in [
            "/apply",
            "/mailbox",
            "/track",
            "/admin",
            "/api/v1/applications",
            "/healthz",
        ] {
            assert!(!cacheable_path(p), "{p}");
        }
    }
}
