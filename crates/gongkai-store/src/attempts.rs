//! Limits on guessing that hold in parallel and across nodes: fixed-window counters in the
//! database (`attempt_counters`, migration 0240), each attempt reserved by one atomic upsert
//! *before* the work it guards (a password hash, a query-code lookup), so 200 requests at once
//! get exactly the limit's number of tries, never the limit plus whatever was in flight.
//!
//! A right answer may give its attempt back ([`forgive`]) or clear the counter ([`clear`]),
//! so the owner of an account or a query code is held back only by wrong answers.

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::{Store, StoreError};

/// One kind of limit: at most `limit` attempts per `window_secs` for one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// What is counted (`signin.addr`, `track.no` …); part of the counter's key.
    pub scope: &'static str,
    /// Attempts allowed in a window.
    pub limit: u32,
    /// The window, in seconds.
    pub window_secs: i64,
}

/// Sign-in failures per client address: 20 in 15 minutes.
pub const SIGNIN_PER_ADDRESS: Limit = Limit {
    scope: "signin.addr",
    limit: 20,
    window_secs: 15 * 60,
};

/// Sign-in failures per account name and client address: 5 in 15 minutes.
pub const SIGNIN_PER_ACCOUNT_ADDRESS: Limit = Limit {
    scope: "signin.acct_addr",
    limit: 5,
    window_secs: 15 * 60,
};

/// Sign-in failures per account name from all addresses: 50 in an hour, after which only the
/// account's known addresses may still try.
pub const SIGNIN_PER_ACCOUNT: Limit = Limit {
    scope: "signin.acct",
    limit: 50,
    window_secs: 60 * 60,
};

/// Wrong current passwords on the password-change form, per user: 5 in 15 minutes.
pub const CURRENT_PASSWORD: Limit = Limit {
    scope: "password.current",
    limit: 5,
    window_secs: 15 * 60,
};

/// Query-code lookups (/track and the status API) per client address: 20 in 15 minutes.
pub const TRACK_PER_ADDRESS: Limit = Limit {
    scope: "track.addr",
    limit: 20,
    window_secs: 15 * 60,
};

/// Query-code lookups per tracking number: 10 in an hour.
pub const TRACK_PER_NUMBER: Limit = Limit {
    scope: "track.no",
    limit: 10,
    window_secs: 60 * 60,
};

/// Anonymous calls of the report checker (`POST /api/v1/reports/check|parse` without a
/// token) per client address: 20 an hour. Reading a report is seconds of CPU; a caller that
/// needs more asks the security admin for a token.
pub const CHECK_PER_ADDRESS: Limit = Limit {
    scope: "check.addr",
    limit: 20,
    window_secs: 60 * 60,
};

/// Calls of the report checker per API token: 2,000 an hour, a province's batch a few times
/// over, still a bound on a leaked token.
pub const CHECK_PER_TOKEN: Limit = Limit {
    scope: "check.token",
    limit: 2_000,
    window_secs: 60 * 60,
};

/// New sign-in pre-sessions (sign-in forms) per client address: 300 in 15 minutes — a person
/// needs a handful; a flood of form requests must not fill the table.
pub const LOGIN_FORMS_PER_ADDRESS: Limit = Limit {
    scope: "login.form",
    limit: 300,
    window_secs: 15 * 60,
};

/// What [`reserve`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reserved {
    /// Under the limit: the attempt is counted and may go ahead.
    Granted,
    /// Over the limit: nothing may be tried until the window ends.
    Refused {
        /// Seconds until the window ends (at least 1).
        retry_after: i64,
        /// Whether this is the window's first refusal (the one worth an audit entry, so a
        /// flood cannot flood the audit log).
        first: bool,
    },
}

impl Reserved {
    /// Whether the attempt may go ahead.
    pub fn granted(self) -> bool {
        self == Reserved::Granted
    }
}

/// Counts one attempt for `key` under `limit` at `now`, atomically, and says whether it may go
/// ahead. Call it before the work it guards.
pub async fn reserve(
    store: &Store,
    limit: Limit,
    key: &str,
    now: DateTime<Utc>,
) -> Result<Reserved, StoreError> {
    let now_s = now.timestamp();
    let expired_before = now_s - limit.window_secs;
    // One statement: a window that has run out starts again at 1, otherwise the count grows.
    // Both back ends run the upsert atomically for the row (SQLite's single writer,
    // PostgreSQL's row lock on conflict).
    let sql = "INSERT INTO attempt_counters (scope, key, window_start, count) VALUES ($1, $2, $3, 1) \
               ON CONFLICT (scope, key) DO UPDATE SET \
               count = CASE WHEN attempt_counters.window_start <= $4 THEN 1 ELSE attempt_counters.count + 1 END, \
               window_start = CASE WHEN attempt_counters.window_start <= $4 THEN $3 ELSE attempt_counters.window_start END \
               RETURNING count, window_start";
    let (count, start): (i64, i64) = on_db!(store, pool => {
        let row = sqlx::query(sql)
            .bind(limit.scope)
            .bind(key)
            .bind(now_s)
            .bind(expired_before)
            .fetch_one(pool)
            .await?;
        (row.try_get("count")?, row.try_get("window_start")?)
    });
    if count <= i64::from(limit.limit) {
        Ok(Reserved::Granted)
    } else {
        Ok(Reserved::Refused {
            retry_after: (start + limit.window_secs - now_s).max(1),
            first: count == i64::from(limit.limit) + 1,
        })
    }
}

/// Gives back an attempt that turned out right (the count never goes below 0).
pub async fn forgive(store: &Store, limit: Limit, key: &str) -> Result<(), StoreError> {
    on_db!(store, pool => {
        sqlx::query(
            "UPDATE attempt_counters SET count = count - 1 WHERE scope = $1 AND key = $2 AND count > 0",
        )
        .bind(limit.scope)
        .bind(key)
        .execute(pool)
        .await?;
    });
    Ok(())
}

/// Clears the counter of `key` (a successful sign-in ends the run of failures).
pub async fn clear(store: &Store, limit: Limit, key: &str) -> Result<(), StoreError> {
    on_db!(store, pool => {
        sqlx::query("DELETE FROM attempt_counters WHERE scope = $1 AND key = $2")
            .bind(limit.scope)
            .bind(key)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// Whether `key` is over `limit` at `now`, without counting anything.
pub async fn exhausted(
    store: &Store,
    limit: Limit,
    key: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let now_s = now.timestamp();
    let count: Option<i64> = on_db!(store, pool => {
        sqlx::query("SELECT count FROM attempt_counters WHERE scope = $1 AND key = $2 AND window_start > $3")
            .bind(limit.scope)
            .bind(key)
            .bind(now_s - limit.window_secs)
            .fetch_optional(pool)
            .await?
            .map(|r| r.try_get("count"))
            .transpose()?
    });
    Ok(count.is_some_and(|c| c >= i64::from(limit.limit)))
}

/// Deletes counters whose window ended more than a day before `now` (run from time to time;
/// a counter past its window counts nothing either way).
pub async fn purge(store: &Store, now: DateTime<Utc>) -> Result<u64, StoreError> {
    let before = now.timestamp() - 24 * 3600;
    on_db!(store, pool => {
        Ok(sqlx::query("DELETE FROM attempt_counters WHERE window_start < $1")
            .bind(before)
            .execute(pool)
            .await?
            .rows_affected())
    })
}

/// Records a successful sign-in of `user_id` from `address`.
pub async fn remember_address(
    store: &Store,
    user_id: i64,
    address: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    on_db!(store, pool => {
        sqlx::query(
            "INSERT INTO user_known_addresses (user_id, address, last_seen) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, address) DO UPDATE SET last_seen = $3",
        )
        .bind(user_id)
        .bind(address)
        .bind(now.timestamp())
        .execute(pool)
        .await?;
    });
    Ok(())
}

/// Whether `user_id` signed in from `address` in the 90 days before `now`.
pub async fn known_address(
    store: &Store,
    user_id: i64,
    address: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let since = now.timestamp() - 90 * 24 * 3600;
    on_db!(store, pool => {
        Ok(sqlx::query("SELECT 1 AS one FROM user_known_addresses WHERE user_id = $1 AND address = $2 AND last_seen >= $3")
            .bind(user_id)
            .bind(address)
            .bind(since)
            .fetch_optional(pool)
            .await?
            .is_some())
    })
}
