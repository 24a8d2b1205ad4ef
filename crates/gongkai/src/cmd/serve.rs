//! `gongkai serve`: the portal, the JSON API and (later) the back office on one address.
//!
//! Start-up: the calendar in force (embedded years plus those loaded into the data dir) becomes
//! the store's calendar for due dates; the store opens (migrations run); the site's agency is
//! chosen; the search index under `<data-dir>/search` is rebuilt from the database if it is
//! empty; then the server runs until Ctrl-C.
//!
//! With `--self-inspect` (or `GONGKAI_SELF_INSPECT=1`) the portal also inspects itself once a
//! day (网上巡查 by `gongkai-inspect` against its own listen address, at most
//! `GONGKAI_SELF_INSPECT_PAGES` pages, default 1000) and records the run, which the back
//! office's 「网站巡查」 page lists. Off by default.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use gongkai_store::Store;
use gongkai_store::changes;
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::site_inspection;

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
    /// Inspect the portal itself once a day (网上巡查) and record the run (off by default).
    /// `GONGKAI_SELF_INSPECT=1` (or true, yes, on) does the same; 0, false, no, off do not.
    #[arg(long, env = "GONGKAI_SELF_INSPECT", value_parser = clap::builder::FalseyValueParser::new())]
    pub self_inspect: bool,
    #[command(flatten)]
    pub cluster: ClusterArgs,
}

/// Options of a node in a cluster (and of any deployment behind a proxy).
#[derive(Debug, Clone, clap::Args)]
pub struct ClusterArgs {
    /// Serve Prometheus metrics at /metrics on this address (off by default; never the public
    /// address).
    #[arg(long, env = "GONGKAI_METRICS_LISTEN")]
    pub metrics_listen: Option<String>,
    /// The reverse proxies (comma-separated addresses) whose X-Forwarded-For names the client;
    /// from anyone else the header is ignored.
    #[arg(long, env = "GONGKAI_TRUSTED_PROXIES", default_value = "")]
    pub trusted_proxies: String,
    /// Log as JSON lines (one request per line, with status and latency) on stderr.
    #[arg(long, env = "GONGKAI_LOG_JSON", value_parser = clap::builder::FalseyValueParser::new())]
    pub log_json: bool,
    /// Bound of the page cache in MiB (0 turns it off).
    #[arg(long, env = "GONGKAI_PAGE_CACHE_MB", default_value_t = 256)]
    pub page_cache_mb: usize,
    /// Conclude lapsed applications (逾期不补正、逾期未缴费) every this many seconds, once
    /// across the cluster (0, the default: never; `gongkai cases sweep` does it by hand).
    #[arg(long, env = "GONGKAI_SWEEP_EVERY_SECS", default_value_t = 0)]
    pub sweep_every_secs: u64,
    /// How often the change feed is polled (ms); on PostgreSQL a NOTIFY wakes the node sooner.
    #[arg(long, env = "GONGKAI_FEED_POLL_MS", default_value_t = 500)]
    pub feed_poll_ms: u64,
    /// This node's name in the record of periodic jobs (default: the listen address).
    #[arg(long, env = "GONGKAI_NODE")]
    pub node: Option<String>,
}

impl Default for ClusterArgs {
    fn default() -> Self {
        ClusterArgs {
            metrics_listen: None,
            trusted_proxies: String::new(),
            log_json: false,
            page_cache_mb: 256,
            sweep_every_secs: 0,
            feed_poll_ms: 500,
            node: None,
        }
    }
}

/// Runs `gongkai serve`.
pub fn run(global: &Global, args: Args) -> anyhow::Result<ExitCode> {
    let url = super::db::url(global, args.db.as_deref());
    let inspect = if args.self_inspect {
        Some(self_inspect_settings()?)
    } else {
        None
    };
    init_logging(args.cluster.log_json);
    block_on_serve_with(&global.data_dir, &url, &args.listen, inspect, args.cluster)?;
    Ok(ExitCode::SUCCESS)
}

/// Installs the log subscriber: JSON lines at INFO (every request) with `json`, else plain
/// text of warnings and errors only.
fn init_logging(json: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = |default: &str| {
        EnvFilter::try_from_env("GONGKAI_LOG").unwrap_or_else(|_| EnvFilter::new(default))
    };
    let builder = tracing_subscriber::fmt().with_writer(std::io::stderr);
    // A second call (tests, the demo after loading) finds a subscriber installed: fine.
    let _ = if json {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_env_filter(filter("info"))
            .try_init()
    } else {
        builder.with_env_filter(filter("warn")).try_init()
    };
}

/// Serves the portal from a synchronous caller (`gongkai demo` after loading); the daily
/// self-inspection runs when `GONGKAI_SELF_INSPECT` is set to a true value.
pub fn block_on_serve(data_dir: &Path, db_url: &str, listen: &str) -> anyhow::Result<()> {
    let on = std::env::var("GONGKAI_SELF_INSPECT")
        .is_ok_and(|v| matches!(v.trim(), "1" | "true" | "yes" | "on"));
    let inspect = if on {
        Some(self_inspect_settings()?)
    } else {
        None
    };
    init_logging(false);
    block_on_serve_with(data_dir, db_url, listen, inspect, ClusterArgs::default())
}

/// Serves the portal, with the daily self-inspection when `inspect` is set.
pub fn block_on_serve_with(
    data_dir: &Path,
    db_url: &str,
    listen: &str,
    inspect: Option<SelfInspect>,
    cluster: ClusterArgs,
) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("无法启动运行时 / cannot start the runtime")?;
    runtime.block_on(serve_with(data_dir, db_url, listen, inspect, cluster))
}

/// The portal's daily self-inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SelfInspect {
    /// At most this many page requests a run.
    pub max_pages: usize,
}

/// Who the scheduler's runs are recorded as started by.
pub(crate) const SELF_INSPECT_BY: &str = "scheduled";

/// The settings from the environment: `GONGKAI_SELF_INSPECT_PAGES` (default 1000).
fn self_inspect_settings() -> anyhow::Result<SelfInspect> {
    let max_pages = match std::env::var("GONGKAI_SELF_INSPECT_PAGES") {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse()
            .with_context(|| format!("GONGKAI_SELF_INSPECT_PAGES: 「{v}」不是页数"))?,
        _ => 1000,
    };
    Ok(SelfInspect { max_pages })
}

/// Whether a self-inspection is due at `now`: none was recorded yet, or the last one (RFC 3339)
/// is a day old or more. An unreadable time counts as none.
pub(crate) fn self_inspection_due(last: Option<&str>, now: DateTime<Utc>) -> bool {
    match last.and_then(|s| DateTime::parse_from_rfc3339(s).ok()) {
        None => true,
        Some(t) => now.signed_duration_since(t.with_timezone(&Utc)) >= chrono::Duration::hours(24),
    }
}

/// The home page the self-inspection crawls: the listen address, with an unspecified IP
/// (`0.0.0.0`, `::`) replaced by loopback.
pub(crate) fn self_url(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}/", SocketAddr::new(ip, addr.port()))
}

/// Inspects the portal at `url` as of `as_of` and records the run as the scheduler's; returns
/// the run's id and the report.
pub(crate) async fn self_inspect_once(
    store: &Store,
    url: &str,
    max_pages: usize,
    as_of: NaiveDate,
) -> anyhow::Result<(i64, gongkai_inspect::Report)> {
    let mut options = gongkai_inspect::Options::new(as_of);
    options.max_pages = max_pages.max(1);
    // The back office's 严重表述错误 list, once it holds a word.
    let words = gongkai_store::models::severe_word::list(store).await?;
    if !words.is_empty() {
        options.severe_words = words.into_iter().map(|w| w.word).collect();
    }
    let report = gongkai_inspect::inspect(url, &options).await?;
    let id = super::inspect::record(store, &report, SELF_INSPECT_BY).await?;
    Ok((id, report))
}

/// Checks every hour whether a self-inspection is due and runs it; a failure is logged and
/// retried at the next check. Across a cluster one node checks per hour (the job claim), and
/// holds the job while it crawls.
async fn self_inspection_loop(store: Store, url: String, settings: SelfInspect, node: String) {
    // Let the server start listening first.
    tokio::time::sleep(Duration::from_secs(30)).await;
    loop {
        match changes::claim_job(&store, "self_inspect", HOUR, &node, Utc::now()).await {
            Ok(Some(claim)) => {
                self_inspect_if_due(&store, &url, settings).await;
                if let Err(e) = claim.release().await {
                    eprintln!("gongkai: 每日自查无法释放任务锁：{e}");
                }
            }
            Ok(None) => {}
            Err(e) => eprintln!("gongkai: 每日自查无法登记任务：{e}"),
        }
        tokio::time::sleep(HOUR).await;
    }
}

const HOUR: Duration = Duration::from_secs(3600);

async fn self_inspect_if_due(store: &Store, url: &str, settings: SelfInspect) {
    match site_inspection::last_ran_at(store, SELF_INSPECT_BY).await {
        Ok(last) if self_inspection_due(last.as_deref(), Utc::now()) => {
            // The day counted from is Beijing's.
            let today = gongkai_law::beijing_today();
            match self_inspect_once(store, url, settings.max_pages, today).await {
                Ok((id, r)) => eprintln!(
                    "gongkai: 每日自查完成（第 {id} 次，{}，{} 项问题）",
                    r.verdict.label(),
                    r.findings.len()
                ),
                Err(e) => eprintln!("gongkai: 每日自查失败：{e:#}"),
            }
        }
        Ok(_) => {}
        Err(e) => eprintln!("gongkai: 每日自查无法读取上次记录：{e}"),
    }
}

/// The audit log's actor of the server's sweeps.
const SWEEP_ACTOR: &str = "scheduled";

/// Concludes lapsed applications every `every`, once across the cluster: each node tries every
/// `every`, and the job claim lets one run per interval.
async fn sweep_loop(store: Store, every: Duration, node: String) {
    loop {
        match changes::claim_job(&store, "sweep", every, &node, Utc::now()).await {
            Ok(Some(claim)) => {
                let today = gongkai_law::beijing_today();
                match gongkai_store::models::auto_outcome::sweep(&store, SWEEP_ACTOR, None, today)
                    .await
                {
                    Ok(done) => tracing::info!(
                        node = %node,
                        run = claim.runs,
                        concluded = done.len(),
                        "sweep"
                    ),
                    Err(e) => eprintln!("gongkai: 自动结案失败：{e}"),
                }
                if let Err(e) = claim.release().await {
                    eprintln!("gongkai: 自动结案无法释放任务锁：{e}");
                }
            }
            Ok(None) => {}
            Err(e) => eprintln!("gongkai: 自动结案无法登记任务：{e}"),
        }
        tokio::time::sleep(every).await;
    }
}

/// The agency whose portal this is: `GONGKAI_SITE_AGENCY` (id or name) if set, else the first
/// county-level agency, else the first agency without a superior.
/// The site's settings that pages show, from the environment (`GONGKAI_SITE_CODE`,
/// `GONGKAI_ICP`).
pub(crate) fn site_settings(agency_id: i64, site_name: String) -> gongkai_web::SiteSettings {
    gongkai_web::SiteSettings {
        site_name,
        agency_id,
        site_code: std::env::var("GONGKAI_SITE_CODE").unwrap_or_else(|_| "0000000000".to_string()),
        icp: std::env::var("GONGKAI_ICP").unwrap_or_else(|_| "ICP备案号待填".to_string()),
    }
}

/// What the 政府网站工作年度报表 says of the site beyond its name (`GONGKAI_SITE_TYPE`,
/// `GONGKAI_PSB_RECORD`, `GONGKAI_SITE_HOST`, `GONGKAI_SITE_FEATURES`).
pub(crate) fn site_profile() -> anyhow::Result<gongkai_web::site_report::SiteProfile> {
    gongkai_web::site_report::SiteProfile::from_env().map_err(anyhow::Error::msg)
}

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

/// Opens everything and serves until Ctrl-C, inspecting the portal daily when `inspect` is set.
pub async fn serve_with(
    data_dir: &Path,
    db_url: &str,
    listen: &str,
    inspect: Option<SelfInspect>,
    cluster: ClusterArgs,
) -> anyhow::Result<()> {
    let addr: SocketAddr = listen
        .parse()
        .with_context(|| format!("--listen: 「{listen}」不是有效的地址（例如 127.0.0.1:8080）"))?;
    let metrics_addr: Option<SocketAddr> = match &cluster.metrics_listen {
        Some(m) if !m.trim().is_empty() => Some(m.trim().parse().with_context(|| {
            format!("--metrics-listen: 「{m}」不是有效的地址（例如 127.0.0.1:9100）")
        })?),
        _ => None,
    };
    let proxies = gongkai_web::server::TrustedProxies::parse(&cluster.trusted_proxies)
        .with_context(|| {
            format!(
                "--trusted-proxies: 「{}」须为以逗号分隔的 IP 地址",
                cluster.trusted_proxies
            )
        })?;
    let node = cluster.node.clone().unwrap_or_else(|| listen.to_string());
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
    let site = site_settings(agency_id, site_name);
    let mut state = gongkai_web::AppState::new(store.clone(), site, index);
    state.site_profile = Arc::new(site_profile()?);
    // The public address for absolute links (feed, sitemap) and HSTS; never the Host header.
    state.public_url = match std::env::var("GONGKAI_SITE_URL") {
        Ok(u) if u.starts_with("https://") || u.starts_with("http://") => {
            Arc::from(u.trim_end_matches('/'))
        }
        Ok(u) => anyhow::bail!("GONGKAI_SITE_URL: 「{u}」须以 https:// 或 http:// 开头"),
        Err(_) => Arc::from(format!("http://{addr}").as_str()),
    };
    state.pages = Arc::new(gongkai_web::cache::PageCache::new(
        cluster.page_cache_mb.saturating_mul(1 << 20),
    ));
    state.proxies = proxies;
    // On a 集约化 platform one index holds every site's items (gongkai_web::platform).
    state.index_roots = gongkai_web::platform::index_roots(&store, agency_id).await?;
    let sites = gongkai_store::models::site::list(&store).await?;
    if !sites.is_empty() {
        eprintln!("gongkai: 集约化平台，{} 个网站：", sites.len());
        for s in &sites {
            eprintln!("  {}（{}）", s.name, s.hosts.join("、"));
        }
    }
    // The search index follows the database: caught up from where this node stopped, or
    // rebuilt; then the change feed keeps it (and the page cache) in step.
    let (from, rebuilt) = gongkai_web::feed::start_position(&state, &index_dir).await?;
    if let Some(n) = rebuilt {
        eprintln!("gongkai: 检索索引已重建（{n} 条）");
    }
    // Valid applications per client address and window (/apply and the API).
    if let Ok(v) = std::env::var("GONGKAI_APPLY_LIMIT") {
        state.apply_limit.limit = v
            .trim()
            .parse()
            .with_context(|| format!("GONGKAI_APPLY_LIMIT: 「{v}」不是次数"))?;
    }
    if let Ok(v) = std::env::var("GONGKAI_APPLY_WINDOW_SECS") {
        let secs: i64 = v
            .trim()
            .parse()
            .with_context(|| format!("GONGKAI_APPLY_WINDOW_SECS: 「{v}」不是秒数"))?;
        anyhow::ensure!(secs > 0, "GONGKAI_APPLY_WINDOW_SECS: 须大于0");
        state.apply_limit.window_secs = secs;
    }
    // Anonymous calls of the report checker per client address and window (issue 18.3).
    if let Ok(v) = std::env::var("GONGKAI_CHECK_LIMIT") {
        state.check_limit.limit = v
            .trim()
            .parse()
            .with_context(|| format!("GONGKAI_CHECK_LIMIT: 「{v}」不是次数"))?;
    }
    if let Ok(v) = std::env::var("GONGKAI_CHECK_WINDOW_SECS") {
        let secs: i64 = v
            .trim()
            .parse()
            .with_context(|| format!("GONGKAI_CHECK_WINDOW_SECS: 「{v}」不是秒数"))?;
        anyhow::ensure!(secs > 0, "GONGKAI_CHECK_WINDOW_SECS: 须大于0");
        state.check_limit.window_secs = secs;
    }
    // Reports fetched by URL may come from intranet addresses only when the operator says so.
    state.fetch_private = std::env::var("GONGKAI_FETCH_PRIVATE").is_ok_and(|v| v.trim() == "1");
    // Background tasks, stopped before the pool closes (the feed's listener holds a connection).
    let mut tasks = vec![tokio::spawn(gongkai_web::feed::follow(
        state.clone(),
        index_dir.clone(),
        from,
        Duration::from_millis(cluster.feed_poll_ms.max(10)),
    ))];
    match inspect {
        // The port is chosen by the system inside the server; there is no address to crawl.
        Some(_) if addr.port() == 0 => eprintln!(
            "gongkai: 每日自查未开启：--listen 需指定端口 / self-inspection needs a fixed port"
        ),
        Some(settings) => {
            let url = self_url(addr);
            eprintln!(
                "gongkai: 每日自查已开启（{url}，至多 {} 页）",
                settings.max_pages
            );
            tasks.push(tokio::spawn(self_inspection_loop(
                store.clone(),
                url,
                settings,
                node.clone(),
            )));
        }
        None => {}
    }
    if cluster.sweep_every_secs > 0 {
        tasks.push(tokio::spawn(sweep_loop(
            store.clone(),
            Duration::from_secs(cluster.sweep_every_secs),
            node.clone(),
        )));
    }
    if let Some(maddr) = metrics_addr {
        let listener = tokio::net::TcpListener::bind(maddr)
            .await
            .with_context(|| format!("--metrics-listen {maddr}: 无法监听"))?;
        let app = gongkai_web::metrics::router(state.clone());
        tasks.push(tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                eprintln!("gongkai: 指标端口停止：{e}");
            }
        }));
        eprintln!("gongkai: 指标 / metrics on http://{maddr}/metrics");
    }
    // The day's page views and distinct visitors, written every minute (counts only).
    tasks.push(tokio::spawn(gongkai_web::visits::flush_loop(state.clone())));
    eprintln!("gongkai: 门户已启动 / serving on http://{addr}");
    gongkai_web::serve(state, addr)
        .await
        .with_context(|| format!("--listen {addr}: 无法监听"))?;
    // Requests in flight have finished; stop the background work, then close the pool.
    for t in &tasks {
        t.abort();
    }
    for t in tasks {
        let _ = t.await;
    }
    store.close().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_self_inspection_is_due_once_a_day() {
        let now = DateTime::parse_from_rfc3339("2026-11-28T10:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .expect("time");
        assert!(self_inspection_due(None, now));
        assert!(self_inspection_due(Some("garbage"), now));
        assert!(!self_inspection_due(Some("2026-11-27T10:00:01Z"), now));
        assert!(self_inspection_due(Some("2026-11-27T10:00:00Z"), now));
    }

    #[test]
    fn the_self_inspection_crawls_the_listen_address() {
        let a: SocketAddr = "0.0.0.0:8080".parse().expect("addr");
        assert_eq!(self_url(a), "http://127.0.0.1:8080/");
        let a: SocketAddr = "[::]:8080".parse().expect("addr");
        assert_eq!(self_url(a), "http://[::1]:8080/");
        let a: SocketAddr = "192.0.2.1:80".parse().expect("addr");
        assert_eq!(self_url(a), "http://192.0.2.1:80/");
    }

    /// One self-inspection of a real (empty) portal served in-process: recorded as the
    /// scheduler's, the empty home page noted as not judgeable (never a false HOME-STALE), and
    /// not due again the same day.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_self_inspection_of_the_portal_is_recorded() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open(&Store::default_url(dir.path()), dir.path())
            .await
            .expect("store");
        let site = gongkai_web::SiteSettings {
            site_name: "自查测试县人民政府".to_string(),
            agency_id: 0,
            site_code: "0000000000".to_string(),
            icp: "ICP".to_string(),
        };
        let index = Arc::new(gongkai_search::SearchIndex::in_memory().expect("index"));
        let state = gongkai_web::AppState::new(store.clone(), site, index);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(gongkai_web::serve_on(state, listener, async move {
            let _ = stopped.await;
        }));
        let as_of = NaiveDate::from_ymd_opt(2020, 12, 31).expect("date");
        let (id, report) = self_inspect_once(&store, &self_url(addr), 50, as_of)
            .await
            .expect("inspect");
        assert!(report.pages > 1, "{report:?}");
        assert!(
            report
                .findings
                .iter()
                .all(|f| f.rule != gongkai_inspect::Rule::HomeStale),
            "{report:?}"
        );
        assert!(
            report.notes.iter().any(|n| n.url == self_url(addr)),
            "{report:?}"
        );
        let runs = site_inspection::list(&store, 10).await.expect("runs");
        assert_eq!(runs.len(), 1);
        assert_eq!(
            (runs[0].id, runs[0].started_by.as_str()),
            (id, SELF_INSPECT_BY)
        );
        assert_eq!(
            runs[0].verdict == "veto",
            report.verdict != gongkai_inspect::Verdict::Pass,
            "{report:?}"
        );
        let last = site_inspection::last_ran_at(&store, SELF_INSPECT_BY)
            .await
            .expect("last");
        assert!(!self_inspection_due(last.as_deref(), Utc::now()));
        let _ = stop.send(());
        let _ = server.await;
        store.close().await;
    }
}
