//! Gongkai's records and the queries over them.
//!
//! Open a [`Store`] with [`Store::open`] on a `sqlite://PATH` or `postgres://…` URL; the
//! migrations of that back end run on open. Every entity lives in its own module under
//! [`models`], owning its type and its queries; [`report::generate_report`] builds an annual
//! report from the records by aggregate queries; [`demo`] loads the seed county and [`ledger`]
//! imports agencies' application ledgers.
//!
//! Both back ends run the same SQL text: repository functions are written once and expanded for
//! each pool by the crate's internal `on_db!` macro, so back-end differences stay in the two
//! migration sets and in [`Store::open`].
//!
//! Architecture invariant: nothing above this crate writes SQL. Personal data (ID numbers,
//! phones, addresses) is sealed before it reaches the database ([`crypto`]). Every state change
//! commits together with its entry in the hash-chained [`audit`] log.

#![cfg_attr(test, allow(clippy::unwrap_used))]

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

/// Runs `$body` with `$pool` bound to the store's pool, whichever back end it is. The body is
/// compiled once per back end, so it must only use SQL and types both understand.
///
/// The second form also names the back end's `sqlx::Database` type, for `QueryBuilder`.
macro_rules! on_db {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
    ($store:expr, $pool:ident, $dbt:ident => $body:expr) => {
        match &$store.db {
            $crate::Db::Sqlite($pool) => {
                #[allow(dead_code)]
                type $dbt = sqlx::Sqlite;
                $body
            }
            $crate::Db::Postgres($pool) => {
                #[allow(dead_code)]
                type $dbt = sqlx::Postgres;
                $body
            }
        }
    };
}

pub mod attempts;
pub mod audit;
pub mod auth;
pub mod blocking;
pub mod catalogue_import;
pub mod changes;
pub mod crypto;
pub mod demo;
pub mod due;
pub(crate) mod keyed;
pub mod ledger;
pub mod ledger_export;
pub mod models;
pub mod prose;
pub mod refusal;
pub mod report;
pub mod role;
pub mod views;

pub use crypto::Crypto;
pub use demo::{DemoSummary, load_demo};
pub use gongkai_law::{ApplicantKind, Channel, ClockEvent, Outcome, ReportFormat, Table3Row};
pub use gongkai_report::Report;
pub use ledger::{LedgerError, LedgerOptions, LedgerOutcome, LedgerRowError, import_ledger};
pub use refusal::Refusal;
pub use report::generate_report;

/// How far a long operation (the demo load, a ledger import) has got, for progress bars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// What is being done now (Chinese, short: 「许可决定」, 「校验」 …).
    pub stage: String,
    /// Units done in this stage.
    pub done: u64,
    /// Units in this stage.
    pub total: u64,
}

/// A progress callback; called from the loading task, so it must be `Send + Sync`.
pub type ProgressFn<'a> = &'a (dyn Fn(&Progress) + Send + Sync);

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed.
    #[error("数据库错误 / database error: {0}")]
    Db(#[from] sqlx::Error),
    /// A migration failed.
    #[error("数据库迁移失败 / migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A file (the key, a ledger) could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What happened.
        source: std::io::Error,
    },
    /// The encryption key is missing or malformed, or a sealed value does not open.
    #[error("加密错误 / crypto error: {0}")]
    Crypto(String),
    /// The database URL is neither `sqlite://` nor `postgres://`.
    #[error("无法识别的数据库地址 / unsupported database URL: {0}")]
    BadUrl(String),
    /// A looked-up record does not exist.
    #[error("未找到 / not found: {0}")]
    NotFound(String),
    /// The change breaks a rule of the domain; the kind says which.
    #[error("{0}")]
    Refused(#[from] Refusal),
    /// A ledger had rows that cannot be read; nothing was imported.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The audit log's hash chain is broken at a sequence number.
    #[error("审计日志链断裂 / audit chain broken at entry {0}")]
    AuditChain(i64),
}

impl StoreError {
    /// A refusal for a broken rule that concerns no one input (see [`Refusal::invalid`]).
    pub fn invalid(message: impl Into<String>) -> StoreError {
        StoreError::Refused(Refusal::invalid(message))
    }
}

/// The pool of one back end.
#[derive(Debug, Clone)]
pub enum Db {
    /// An embedded SQLite file (WAL, foreign keys on).
    Sqlite(SqlitePool),
    /// A PostgreSQL server.
    Postgres(PgPool),
}

/// Gongkai's records: a pool on one back end and the key that seals personal data.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) db: Db,
    pub(crate) crypto: Crypto,
}

/// Which back end a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

impl Store {
    /// The default database URL for a data directory: `sqlite://<data-dir>/gongkai.db`.
    pub fn default_url(data_dir: &Path) -> String {
        format!("sqlite://{}", data_dir.join("gongkai.db").display())
    }

    /// Opens the store at `url` (`sqlite://PATH` or `postgres://…`) and runs its migrations.
    /// The key sealing personal data comes from `GONGKAI_KEY` (hex) or `<data_dir>/secret.key`,
    /// created on first use.
    pub async fn open(url: &str, data_dir: &Path) -> Result<Store, StoreError> {
        let crypto = Crypto::load_or_create(data_dir)?;
        Store::open_with_crypto(url, crypto).await
    }

    /// Opens the store at `url` with an explicit key (tests, tools).
    pub async fn open_with_crypto(url: &str, crypto: Crypto) -> Result<Store, StoreError> {
        let db = if let Some(path) = url
            .strip_prefix("sqlite://")
            .or(url.strip_prefix("sqlite:"))
        {
            let path = path.split('?').next().unwrap_or(path);
            if path == ":memory:" || path.is_empty() {
                // One connection: every new in-memory connection would be a new, empty database.
                let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
                let pool = SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect_with(options)
                    .await?;
                sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
                return Ok(Store {
                    db: Db::Sqlite(pool),
                    crypto,
                });
            }
            if let Some(dir) = Path::new(path)
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
            {
                std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                    path: dir.to_path_buf(),
                    source,
                })?;
            }
            let options = SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(options)
                .await?;
            sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
            Db::Sqlite(pool)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            // JIT compilation costs more than it saves on these short aggregate queries.
            let options = PgConnectOptions::from_str(url)?.options([("jit", "off")]);
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await?;
            sqlx::migrate!("./migrations/postgres").run(&pool).await?;
            Db::Postgres(pool)
        } else {
            return Err(StoreError::BadUrl(url.to_string()));
        };
        Ok(Store { db, crypto })
    }

    /// Which back end this store runs on.
    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// The key that seals personal data.
    pub fn crypto(&self) -> &Crypto {
        &self.crypto
    }

    /// Whether the database answers (for `/healthz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_db!(self, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Closes the pool, waiting for connections to finish (SQLite checkpoints its WAL).
    pub async fn close(&self) {
        on_db!(self, pool => pool.close().await)
    }

    /// Refreshes the planner's statistics after a bulk load (SQLite `ANALYZE`; PostgreSQL
    /// `VACUUM ANALYZE`, which also lets counts use index-only scans).
    pub async fn optimize(&self) -> Result<(), StoreError> {
        match &self.db {
            Db::Sqlite(pool) => {
                sqlx::query("ANALYZE").execute(pool).await?;
            }
            Db::Postgres(pool) => {
                sqlx::query("VACUUM ANALYZE").execute(pool).await?;
            }
        }
        Ok(())
    }

    /// The SQLite pool, for tests that inspect the file (None on PostgreSQL).
    pub fn sqlite_pool(&self) -> Option<&SqlitePool> {
        match &self.db {
            Db::Sqlite(p) => Some(p),
            Db::Postgres(_) => None,
        }
    }
}

/// Begins a write transaction. SQLite takes the write lock at once (`BEGIN IMMEDIATE`), so a
/// transaction that reads before it writes cannot fail half-way with a busy snapshot;
/// PostgreSQL serialises writers on the audit head row instead.
pub(crate) trait BeginWrite {
    /// The back end.
    type Db: sqlx::Database;
    /// Begins the transaction.
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Self::Db>, sqlx::Error>;
}

impl BeginWrite for SqlitePool {
    type Db = sqlx::Sqlite;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Db = sqlx::Postgres;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}
