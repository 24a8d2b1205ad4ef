//! The portal's own visit counting, for the 政府网站工作年度报表 (国办函〔2018〕12号): 网站总访问量
//! (page views) and 独立用户访问总量 (distinct visitors), per Beijing day.
//!
//! **Privacy first.** No IP address, cookie, fingerprint or hash is ever written anywhere:
//! - a page view is a GET of a portal page answered 200 with HTML (not the back office, the
//!   API, static files or downloads), by a client that does not name itself a robot (crawlers,
//!   our own 网上巡查 `gongkai-inspect`);
//! - a visitor is told apart by `SHA-256(salt ‖ address ‖ User-Agent)`, cut to 16 bytes, where
//!   the salt is 32 random bytes drawn when the Beijing day begins and held **in memory only**;
//!   the set of the day's hashes lives in memory too. When the day ends, the salt and the set
//!   are dropped, so no hash can be linked to the next day's or recomputed later (not even by
//!   whoever reads the server's memory the day after);
//! - every minute (and at shutdown of the day) only the two counts of the day are written
//!   ([`gongkai_store::models::site_visit`]).
//!
//! What this counts: a visitor is an (address, browser) pair within one day; the year's
//! 独立用户访问总量 is the sum of the days' visitors, as the daily-reset method of the
//! statistics tools county sites use gives it. A restart during the day keeps the day's counts
//! (they are read back) but draws a new salt, so a visitor seen before and after the restart
//! counts twice that day. With several nodes behind one address each node counts its own
//! visitors and the last writer's totals win; run the counter on one node (the default of
//! `gongkai serve`) or expect the figure to be a lower bound.

use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::Mutex;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use chrono::NaiveDate;
use gongkai_store::Store;
use gongkai_store::models::site_visit;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::AppState;

/// The day being counted.
struct Day {
    day: NaiveDate,
    /// 32 random bytes, for this day only.
    salt: [u8; 32],
    /// The day's visitor hashes (16 bytes each).
    seen: HashSet<[u8; 16]>,
    /// Counts of the day written before this process began counting it (a restart).
    base_visitors: i64,
    base_views: i64,
    views: i64,
    /// Whether something changed since the last write.
    dirty: bool,
}

impl Day {
    fn new(day: NaiveDate, base: Option<&site_visit::VisitDay>) -> Day {
        let mut salt = [0u8; 32];
        rand::rng().fill_bytes(&mut salt);
        Day {
            day,
            salt,
            seen: HashSet::new(),
            base_visitors: base.map_or(0, |b| b.visitors),
            base_views: base.map_or(0, |b| b.page_views),
            views: 0,
            dirty: false,
        }
    }

    fn totals(&self) -> (NaiveDate, i64, i64) {
        (
            self.day,
            self.base_visitors + self.seen.len() as i64,
            self.base_views + self.views,
        )
    }
}

/// The counter of a running portal (one per process).
#[derive(Default)]
pub struct VisitCounter {
    today: Mutex<Option<Day>>,
    /// Totals of days that ended and are not yet written.
    finished: Mutex<Vec<(NaiveDate, i64, i64)>>,
}

impl std::fmt::Debug for VisitCounter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the salt or the hashes.
        f.write_str("VisitCounter")
    }
}

/// Whether the client names itself a robot (search engines, monitors, our own 网上巡查).
fn is_robot(user_agent: &str) -> bool {
    let ua = user_agent.to_ascii_lowercase();
    ua.is_empty()
        || [
            "bot",
            "spider",
            "crawl",
            "slurp",
            "gongkai-inspect",
            "curl/",
            "wget/",
        ]
        .iter()
        .any(|w| ua.contains(w))
}

/// Whether a path is a portal page that counts (not the back office, the API, files).
fn counts_path(path: &str) -> bool {
    ![
        "/admin",
        "/api/",
        "/static/",
        "/healthz",
        "/openapi.json",
        "/feed.atom",
        "/sitemap.xml",
    ]
    .iter()
    .any(|p| path.starts_with(p))
}

impl VisitCounter {
    /// Counts one page view on `day` by the client (`addr`, `user_agent`).
    pub fn hit(&self, day: NaiveDate, addr: IpAddr, user_agent: &str) {
        let Ok(mut today) = self.today.lock() else {
            return;
        };
        if today.as_ref().is_some_and(|d| d.day != day)
            && let (Some(old), Ok(mut done)) = (today.take(), self.finished.lock())
        {
            done.push(old.totals());
        }
        let d = today.get_or_insert_with(|| Day::new(day, None));
        let mut h = Sha256::new();
        h.update(d.salt);
        h.update(addr.to_string().as_bytes());
        h.update([0]);
        h.update(user_agent.as_bytes());
        let digest = h.finalize();
        let mut key = [0u8; 16];
        key.copy_from_slice(&digest[..16]);
        d.seen.insert(key);
        d.views += 1;
        d.dirty = true;
    }

    /// Starts counting `day` on top of what was written for it before (after a restart).
    pub async fn resume(
        &self,
        store: &Store,
        day: NaiveDate,
    ) -> Result<(), gongkai_store::StoreError> {
        let base = site_visit::day(store, day).await?;
        if let Ok(mut today) = self.today.lock()
            && today.is_none()
        {
            *today = Some(Day::new(day, base.as_ref()));
        }
        Ok(())
    }

    /// The running totals of the day being counted: (day, visitors, page views).
    pub fn totals(&self) -> Option<(NaiveDate, i64, i64)> {
        self.today.lock().ok()?.as_ref().map(Day::totals)
    }

    /// Writes the totals of finished days and of the current day if it changed.
    pub async fn flush(&self, store: &Store) -> Result<(), gongkai_store::StoreError> {
        let done: Vec<(NaiveDate, i64, i64)> = match self.finished.lock() {
            Ok(mut f) => std::mem::take(&mut *f),
            Err(_) => Vec::new(),
        };
        for (day, v, pv) in done {
            site_visit::set_day(store, day, v, pv).await?;
        }
        let current = match self.today.lock() {
            Ok(mut t) => t.as_mut().filter(|d| d.dirty).map(|d| {
                d.dirty = false;
                d.totals()
            }),
            Err(_) => None,
        };
        if let Some((day, v, pv)) = current {
            site_visit::set_day(store, day, v, pv).await?;
        }
        Ok(())
    }
}

/// The visitor a request would count as, if it is a page view's request: the client's address
/// and user agent, for a GET of a counted path by something that is not a robot.
pub fn visitor(req: &Request) -> Option<(std::net::IpAddr, String)> {
    if req.method() != Method::GET || !counts_path(req.uri().path()) {
        return None;
    }
    let addr = req
        .extensions()
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip())?;
    let ua = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (!is_robot(&ua)).then_some((addr, ua))
}

/// Counts `visitor`'s view when the answer is an HTML page (200): the middleware's rule, also
/// applied by the page cache to the pages it answers itself ([`crate::cache::layer`]).
pub fn count_answer(
    state: &AppState,
    visitor: Option<(std::net::IpAddr, String)>,
    status: StatusCode,
    headers: &axum::http::HeaderMap,
) {
    let Some((addr, ua)) = visitor else { return };
    let html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if status == StatusCode::OK && html {
        state
            .visits
            .hit(gongkai_law::today::beijing_today(), addr, &ua);
    }
}

/// Middleware: counts the request when it is a page view (see the module doc).
pub async fn count(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let client = visitor(&req);
    let res = next.run(req).await;
    count_answer(&state, client, res.status(), res.headers());
    res
}

/// Writes the counts every minute until the process ends (spawned by `gongkai serve`).
pub async fn flush_loop(state: AppState) {
    if let Err(e) = state
        .visits
        .resume(&state.store, gongkai_law::today::beijing_today())
        .await
    {
        tracing::error!("访问量：无法读取今日已记录的数字：{e}");
    }
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        if let Err(e) = state.visits.flush(&state.store).await {
            tracing::error!("访问量写入失败：{e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2020, 6, d).unwrap_or_default()
    }

    #[test]
    fn visitors_are_distinct_per_day_and_robots_and_back_office_do_not_count() {
        let c = VisitCounter::default();
        let a: IpAddr = [10, 0, 0, 1].into();
        let b: IpAddr = [10, 0, 0, 2].into();
        c.hit(day(1), a, "Mozilla/5.0");
        c.hit(day(1), a, "Mozilla/5.0");
        c.hit(day(1), a, "Other/1.0");
        c.hit(day(1), b, "Mozilla/5.0");
        assert_eq!(c.totals(), Some((day(1), 3, 4)));
        // The next day starts afresh (a new salt: yesterday's visitor is new today).
        c.hit(day(2), a, "Mozilla/5.0");
        assert_eq!(c.totals(), Some((day(2), 1, 1)));
        assert_eq!(
            c.finished.lock().map(|f| f.clone()).unwrap_or_default(),
            vec![(day(1), 3, 4)]
        );
        assert!(is_robot("Mozilla/5.0 (compatible; Baiduspider/2.0)"));
        assert!(is_robot(gongkai_like_inspector()));
        assert!(is_robot(""));
        assert!(!is_robot("Mozilla/5.0 (X11; Linux x86_64) Chrome/120"));
        assert!(!counts_path("/admin/site-report"));
        assert!(!counts_path("/static/site.css"));
        assert!(counts_path("/xxgk/items/1"));
        assert!(counts_path("/"));
    }

    fn gongkai_like_inspector() -> &'static str {
        "gongkai-inspect/0.1 (+网上巡查; 国办秘函〔2019〕19号)"
    }

    #[tokio::test]
    async fn only_counts_reach_the_database_and_a_restart_resumes_the_day() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("v.db").display());
        let store = Store::open_with_crypto(&url, gongkai_store::Crypto::random())
            .await
            .expect("store");
        let c = VisitCounter::default();
        c.hit(day(1), [10, 0, 0, 1].into(), "Mozilla/5.0");
        c.hit(day(1), [10, 0, 0, 2].into(), "Mozilla/5.0");
        c.flush(&store).await.expect("flush");
        let d = site_visit::day(&store, day(1)).await.expect("day");
        assert_eq!(d.map(|d| (d.visitors, d.page_views)), Some((2, 2)));
        // A restart: the day's counts are read back and added to.
        let c = VisitCounter::default();
        c.resume(&store, day(1)).await.expect("resume");
        c.hit(day(1), [10, 0, 0, 3].into(), "Mozilla/5.0");
        c.flush(&store).await.expect("flush");
        let d = site_visit::day(&store, day(1)).await.expect("day");
        assert_eq!(d.map(|d| (d.visitors, d.page_views)), Some((3, 3)));
        // Nothing but the day and its two numbers is stored.
        let bytes = std::fs::read(dir.path().join("v.db")).expect("db file");
        assert!(!bytes.windows(8).any(|w| w == b"10.0.0.1"));
    }
}
