//! Opening the store for a subcommand: `--db URL`, else `GONGKAI_DB`, else
//! `sqlite://<data-dir>/gongkai.db`.

use super::Global;
use anyhow::Context;
use gongkai_store::Store;

/// The database URL a subcommand uses: its `--db` (clap also reads `GONGKAI_DB` into it), else
/// the SQLite file in the data directory.
pub fn url(global: &Global, db: Option<&str>) -> String {
    match db {
        Some(u) if !u.trim().is_empty() => u.trim().to_string(),
        _ => Store::default_url(&global.data_dir),
    }
}

/// Opens the store (running its migrations) on a runtime the caller owns.
pub async fn open(global: &Global, db: Option<&str>) -> anyhow::Result<Store> {
    let url = url(global, db);
    Store::open(&url, &global.data_dir)
        .await
        .with_context(|| format!("无法打开数据库 / cannot open the database {url}"))
}

/// A runtime for the store's async API.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("tokio runtime")
}
