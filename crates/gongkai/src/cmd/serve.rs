//! `gongkai serve`: the portal, the JSON API and (later) the back office on one address.
//!
//! Start-up: the calendar in force (embedded years plus those loaded into the data dir) becomes
//! the store's calendar for due dates; the store opens (migrations run); the site's agency is
//! chosen; the search index under `<data-dir>/search` is rebuilt from the database if it is
//! empty; then the server runs until Ctrl-C.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use gongkai_store::Store;
use gongkai_store::models::agency::{self, AgencyLevel};

use super::Global;

/// Arguments of `gongkai serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Database URL: sqlite://PATH or postgres://… (default: sqlite://<data-dir>/gongkai.db).
    #[arg(long, env = "GONGKAI_DB")]
    pub db: Option<String>,
    /// Address to listen on.
    #[arg(long, env = "GONGKAI_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
}

/// Runs `gongkai serve`.
pub fn run(global: &Global, args: Args) -> anyhow::Result<ExitCode> {
    let url = super::db::url(global, args.db.as_deref());
    block_on_serve(&global.data_dir, &url, &args.listen)?;
    Ok(ExitCode::SUCCESS)
}

/// Serves the portal from a synchronous caller (`gongkai serve`, `gongkai demo` after loading).
pub fn block_on_serve(data_dir: &Path, db_url: &str, listen: &str) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("无法启动运行时 / cannot start the runtime")?;
    runtime.block_on(serve(data_dir, db_url, listen))
}

/// The agency whose portal this is: `GONGKAI_SITE_AGENCY` (id or name) if set, else the first
/// county-level agency, else the first agency without a superior.
pub(crate) async fn site_agency(store: &Store) -> anyhow::Result<Option<agency::Agency>> {
    if let Ok(wanted) = std::env::var("GONGKAI_SITE_AGENCY")
        && !wanted.trim().is_empty()
    {
        let a = agency::resolve(store, &wanted)
            .await
            .with_context(|| format!("GONGKAI_SITE_AGENCY: 找不到机关「{wanted}」"))?;
        return Ok(Some(a));
    }
    let all = agency::list(store).await?;
    Ok(all
        .iter()
        .find(|a| a.level == AgencyLevel::County)
        .or_else(|| all.iter().find(|a| a.parent_id.is_none()))
        .cloned())
}

/// Opens everything and serves until Ctrl-C.
pub async fn serve(data_dir: &Path, db_url: &str, listen: &str) -> anyhow::Result<()> {
    let addr: SocketAddr = listen
        .parse()
        .with_context(|| format!("--listen: 「{listen}」不是有效的地址（例如 127.0.0.1:8080）"))?;
    gongkai_store::due::set_calendar(super::calendar::in_force(data_dir)?);
    let store = Store::open(db_url, data_dir)
        .await
        .with_context(|| format!("--db {db_url}: 无法打开数据库"))?;
    let (agency_id, site_name) = match site_agency(&store).await? {
        Some(a) => (a.id, a.name),
        None => {
            eprintln!(
                "gongkai: 数据库中还没有机关，门户将为空（可先运行 gongkai demo --load-only）"
            );
            (0, "政府信息公开平台".to_string())
        }
    };
    let index_dir = data_dir.join("search");
    std::fs::create_dir_all(&index_dir)
        .with_context(|| format!("{}: 无法创建检索索引目录", index_dir.display()))?;
    let index = Arc::new(
        gongkai_search::SearchIndex::open_or_create(&index_dir)
            .with_context(|| format!("{}: 无法打开检索索引", index_dir.display()))?,
    );
    let n = gongkai_web::indexing::index_if_empty(&store, &index, agency_id).await?;
    if n > 0 {
        eprintln!("gongkai: 检索索引已重建（{n} 条）");
    }
    let site = gongkai_web::SiteSettings {
        site_name,
        agency_id,
        site_code: std::env::var("GONGKAI_SITE_CODE").unwrap_or_else(|_| "0000000000".to_string()),
        icp: std::env::var("GONGKAI_ICP").unwrap_or_else(|_| "ICP备案号待填".to_string()),
    };
    let mut state = gongkai_web::AppState::new(store.clone(), site, index);
    // How long rendered item pages are kept (seconds; 0 turns the micro-cache off).
    if let Ok(secs) = std::env::var("GONGKAI_PAGE_CACHE_SECS") {
        let secs: u64 = secs
            .trim()
            .parse()
            .with_context(|| format!("GONGKAI_PAGE_CACHE_SECS: 「{secs}」不是秒数"))?;
        state.pages = Arc::new(gongkai_web::cache::PageCache::new(
            std::time::Duration::from_secs(secs),
            10_000,
        ));
    }
    eprintln!("gongkai: 门户已启动 / serving on http://{addr}");
    gongkai_web::serve(state, addr)
        .await
        .with_context(|| format!("--listen {addr}: 无法监听"))?;
    store.close().await;
    Ok(())
}
