//! Availability probes of `gongkai inspect --monitor` (国办秘函〔2019〕19号 站点无法访问): each
//! probe of a home page is appended as it is made and never edited — a measurement, not a
//! decision, so it is not audited one by one (the monitor's start is). The week is judged by
//! `gongkai_inspect::monitor::availability` over what [`between`] returns.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::{BeginWrite, Store, StoreError};

/// A stored probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct StoredProbe {
    /// Database id.
    pub id: i64,
    /// The home page probed.
    pub url: String,
    /// When (UTC, RFC 3339 to the second).
    pub probed_at: String,
    /// The HTTP status; `None` without an answer in time.
    pub status: Option<i64>,
    /// Whether it failed (no answer, or 4xx/5xx).
    pub failed: bool,
    /// How long the answer took (ms).
    pub millis: i64,
}

impl StoredProbe {
    /// When it was made.
    pub fn at(&self) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(&self.probed_at)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Appends one probe.
pub async fn record(
    store: &Store,
    url: &str,
    at: DateTime<Utc>,
    status: Option<u16>,
    failed: bool,
    millis: u64,
) -> Result<i64, StoreError> {
    if url.trim().is_empty() {
        return Err(StoreError::invalid("探测网址不能为空"));
    }
    let millis = i64::try_from(millis).unwrap_or(i64::MAX);
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::Row::try_get(&sqlx::query(
            "INSERT INTO site_probes (url, probed_at, status, failed, millis) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(url)
        .bind(stamp(at))
        .bind(status.map(i64::from))
        .bind(failed)
        .bind(millis)
        .fetch_one(&mut *tx)
        .await?, "id")?;
        tx.commit().await?;
        Ok(id)
    })
}

/// The probes of `url` made in `[from, to)`, oldest first.
pub async fn between(
    store: &Store,
    url: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<StoredProbe>, StoreError> {
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, StoredProbe>(
            "SELECT id, url, probed_at, status, failed, millis FROM site_probes \
             WHERE url = $1 AND probed_at >= $2 AND probed_at < $3 ORDER BY probed_at, id",
        )
        .bind(url)
        .bind(stamp(from))
        .bind(stamp(to))
        .fetch_all(pool)
        .await?)
    })
}
