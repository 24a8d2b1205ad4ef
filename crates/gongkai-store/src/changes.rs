//! The change feed (an outbox) and the cluster's job claims: what lets many `gongkai serve`
//! nodes share one database.
//!
//! **The feed.** Every audited change of a record kind that pages may show is written to
//! `change_feed` by `audit_append!`, in the transaction of the change, numbered by the audit
//! log's sequence. Writers are serialised on the audit head, so a higher number always commits
//! later: a reader that has applied everything up to `seq` asks for what follows
//! ([`since`]) and misses nothing, whether it was woken by PostgreSQL's `NOTIFY` (a trigger on
//! the table, delivered at commit) or by its own poll. [`Listener`] is that wake-up: LISTEN on
//! PostgreSQL (with a poll as the safety net for a lost notification or a reconnect), a poll on
//! SQLite. Kinds no public page shows (sign-ins, users, access) are not fed.
//!
//! **Jobs.** A periodic job (the sweep, the daily self-inspection) must run once across the
//! cluster. [`claim_job`] takes PostgreSQL's advisory lock for the job (`pg_try_advisory_lock`,
//! held on one connection while the job runs, released by [`JobClaim::release`] or when the
//! node dies) and then claims the run in `job_runs` in one statement that succeeds only if the
//! last run is at least the interval old; on SQLite (one node) the claim statement alone.

use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest, Sha256};
use sqlx::pool::PoolConnection;

use crate::{Db, Store, StoreError};

/// Audit entity kinds that no public page shows: not fed.
const PRIVATE_KINDS: &[&str] = &["auth", "user", "access"];

/// The PostgreSQL notification channel the feed's trigger notifies.
pub const CHANNEL: &str = "gongkai_changes";

/// Whether changes of audit entity kind `entity` go into the feed.
pub fn feeds(entity: &str) -> bool {
    !PRIVATE_KINDS.contains(&entity)
}

/// One change of the feed.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Change {
    /// The audit sequence number of the change.
    pub seq: i64,
    /// The audit entity kind (`proactive_item`, `mailbox_letter`, `decision`, …).
    ///
    /// Text on purpose, unlike every status and kind of a row (`tests/typed_rows.rs` lists it
    /// as the one open name): the feed is read by every node of a cluster, and while an
    /// upgrade rolls out a node may meet a kind a newer node wrote. It must read that change
    /// and drop every cached page for it (what `gongkai_web::cache::change_kinds` does with a
    /// kind it does not know) rather than fail to decode the feed and stop following it.
    pub kind: String,
    /// Which record (an id or a natural key, as the audit log names it).
    pub record_id: String,
    /// The audit action (`item.publish`, …).
    pub action: String,
    /// When (UTC, RFC 3339).
    pub at: String,
}

/// The sequence number of the newest change (0 when there is none).
pub async fn head(store: &Store) -> Result<i64, StoreError> {
    let n: Option<i64> = on_db!(store, pool => {
        sqlx::query_scalar("SELECT MAX(seq) FROM change_feed")
            .fetch_one(pool)
            .await?
    });
    Ok(n.unwrap_or(0))
}

/// At most `limit` changes after `after`, oldest first.
pub async fn since(store: &Store, after: i64, limit: i64) -> Result<Vec<Change>, StoreError> {
    Ok(on_db!(store, pool => {
        sqlx::query_as::<_, Change>(
            "SELECT seq, kind, record_id, action, at FROM change_feed \
             WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(pool)
        .await?
    }))
}

/// What wakes a follower of the feed: a notification on PostgreSQL, the poll interval on
/// SQLite (and on PostgreSQL as the net under a lost notification).
pub struct Listener {
    pg: Option<sqlx::postgres::PgListener>,
    poll: Duration,
}

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listener")
            .field("listening", &self.pg.is_some())
            .field("poll", &self.poll)
            .finish()
    }
}

impl Listener {
    /// Starts listening (PostgreSQL) or polling every `poll` (SQLite; and PostgreSQL without a
    /// notification for that long).
    pub async fn new(store: &Store, poll: Duration) -> Result<Listener, StoreError> {
        let pg = match &store.db {
            Db::Postgres(pool) => {
                let mut l = sqlx::postgres::PgListener::connect_with(pool).await?;
                l.listen(CHANNEL).await?;
                Some(l)
            }
            Db::Sqlite(_) => None,
        };
        Ok(Listener { pg, poll })
    }

    /// Whether this listener is woken by notifications (PostgreSQL).
    pub fn notified(&self) -> bool {
        self.pg.is_some()
    }

    /// Waits for a notification or the poll interval, whichever comes first. Several
    /// notifications that arrived meanwhile are taken at once. A broken connection is
    /// re-established by the listener on the next wait; what it missed the caller catches up
    /// by sequence number.
    pub async fn wait(&mut self) {
        match &mut self.pg {
            Some(l) => {
                match tokio::time::timeout(self.poll, l.try_recv()).await {
                    Ok(Ok(Some(_))) => {
                        // Drain what is already queued, so one pass serves a burst.
                        while let Ok(Ok(Some(_))) =
                            tokio::time::timeout(Duration::from_millis(1), l.try_recv()).await
                        {
                        }
                    }
                    // The connection was lost (Ok(None)) or failed: pause, then go on; the
                    // next try_recv reconnects.
                    Ok(Ok(None)) | Ok(Err(_)) => tokio::time::sleep(self.poll).await,
                    Err(_) => {}
                }
            }
            None => tokio::time::sleep(self.poll).await,
        }
    }
}

/// A claimed run of a periodic job; hold it while the job runs, then [`JobClaim::release`].
#[derive(Debug)]
pub struct JobClaim {
    lock: Option<(PoolConnection<sqlx::Postgres>, i64)>,
    /// How many runs the job has had, this one included.
    pub runs: i64,
}

impl JobClaim {
    /// Gives the cluster's lock of the job back (PostgreSQL); the claim of the run stays.
    pub async fn release(self) -> Result<(), StoreError> {
        if let Some((mut conn, key)) = self.lock {
            sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(key)
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }
}

/// The advisory-lock key of a job: the first 8 bytes of the SHA-256 of its name.
fn lock_key(name: &str) -> i64 {
    let h = Sha256::digest(format!("gongkai-job:{name}").as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(&h[..8]);
    i64::from_be_bytes(b)
}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Claims a run of job `name` for `node` at `now` if no node ran it within `every`; `None`
/// when another node holds the job or its last run is more recent.
pub async fn claim_job(
    store: &Store,
    name: &str,
    every: Duration,
    node: &str,
    now: DateTime<Utc>,
) -> Result<Option<JobClaim>, StoreError> {
    let every = chrono::Duration::from_std(every)
        .map_err(|_| StoreError::invalid(format!("job {name}: interval out of range")))?;
    let cutoff = stamp(now - every);
    let at = stamp(now);
    // One statement: inserts the first run or moves the last one on, only if it is old enough.
    const CLAIM: &str = "INSERT INTO job_runs (name, last_started, runs, node) VALUES ($1, $2, 1, $3) \
         ON CONFLICT (name) DO UPDATE SET last_started = excluded.last_started, \
         runs = job_runs.runs + 1, node = excluded.node \
         WHERE job_runs.last_started <= $4 RETURNING runs";
    match &store.db {
        Db::Sqlite(pool) => {
            let runs: Option<i64> = sqlx::query_scalar(CLAIM)
                .bind(name)
                .bind(&at)
                .bind(node)
                .bind(&cutoff)
                .fetch_optional(pool)
                .await?;
            Ok(runs.map(|runs| JobClaim { lock: None, runs }))
        }
        Db::Postgres(pool) => {
            let key = lock_key(name);
            let mut conn = pool.acquire().await?;
            // A connection that held a job's lock never goes back to the pool: if the claim is
            // dropped without release, closing the session frees the lock.
            conn.close_on_drop();
            let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                .bind(key)
                .fetch_one(&mut *conn)
                .await?;
            if !got {
                return Ok(None);
            }
            let runs: Option<i64> = sqlx::query_scalar(CLAIM)
                .bind(name)
                .bind(&at)
                .bind(node)
                .bind(&cutoff)
                .fetch_optional(&mut *conn)
                .await?;
            let claim = JobClaim {
                lock: Some((conn, key)),
                runs: 0,
            };
            match runs {
                Some(runs) => Ok(Some(JobClaim { runs, ..claim })),
                None => {
                    claim.release().await?;
                    Ok(None)
                }
            }
        }
    }
}

/// How many runs job `name` has had (0 if never).
pub async fn job_runs(store: &Store, name: &str) -> Result<i64, StoreError> {
    let n: Option<i64> = on_db!(store, pool => {
        sqlx::query_scalar("SELECT runs FROM job_runs WHERE name = $1")
            .bind(name)
            .fetch_optional(pool)
            .await?
    });
    Ok(n.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_kinds_are_not_fed() {
        assert!(feeds("item"));
        assert!(feeds("letter"));
        assert!(!feeds("auth"));
        assert!(!feeds("user"));
    }

    #[test]
    fn lock_keys_differ_by_name() {
        assert_ne!(lock_key("sweep"), lock_key("self_inspect"));
        assert_eq!(lock_key("sweep"), lock_key("sweep"));
    }
}
