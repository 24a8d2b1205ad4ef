//! `gongkai site add|list`: the sites of a 集约化 platform (issue 17.1) — an agency's portal
//! with its host names, and optionally its 网站标识码 and ICP 备案号 (kept in the site's
//! settings, which the system admin can also edit on the back office). The nodes read the
//! sites when they start: after adding a site, restart `gongkai serve` on each node (and point
//! the host's DNS and the proxy's `server_name` at them).

use std::process::ExitCode;

use anyhow::Context;
use gongkai_store::models::{agency, site, site_settings};

use super::{Global, db};

/// Who the command line acts as in the audit log.
const ACTOR: &str = "cli";

/// Subcommands of `gongkai site`.
#[derive(Debug, clap::Subcommand)]
pub enum SiteCommand {
    /// Add a site, or more host names to a site (添加网站或域名).
    Add {
        /// The agency (id or full name) whose portal this is: its subtree is what the site shows.
        #[arg(long)]
        agency: String,
        /// A host name that routes to the site (repeat for more), e.g. jyj.xiayi.gov.cn.
        #[arg(long = "host", required = true)]
        hosts: Vec<String>,
        /// The site's name (default: the agency's name).
        #[arg(long)]
        name: Option<String>,
        /// 政府网站标识码 (10 characters), shown in the site's footer.
        #[arg(long)]
        site_code: Option<String>,
        /// ICP 备案号, shown in the site's footer.
        #[arg(long)]
        icp: Option<String>,
        /// Database: sqlite://PATH or postgres://… (default: sqlite://<data-dir>/gongkai.db).
        #[arg(long, env = "GONGKAI_DB")]
        db: Option<String>,
    },
    /// List the sites and their host names (网站列表).
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Database: sqlite://PATH or postgres://….
        #[arg(long, env = "GONGKAI_DB")]
        db: Option<String>,
    },
}

/// Runs `gongkai site`.
pub fn run(global: &Global, c: SiteCommand) -> anyhow::Result<ExitCode> {
    let rt = db::runtime()?;
    match c {
        SiteCommand::Add {
            agency: which,
            hosts,
            name,
            site_code,
            icp,
            db: url,
        } => rt.block_on(async {
            let store = db::open(global, url.as_deref()).await?;
            let a = agency::resolve(&store, &which)
                .await
                .with_context(|| format!("--agency: 没有机关「{which}」"))?;
            let name = name.unwrap_or_else(|| a.name.clone());
            let added = site::add(&store, ACTOR, a.id, &name, &hosts)
                .await
                .context("--host")?;
            if site_code.is_some() || icp.is_some() {
                let mut s = site_settings::get(&store, a.id).await?.unwrap_or_default();
                if let Some(c) = site_code {
                    s.site_code = c;
                }
                if let Some(i) = icp {
                    s.icp = i;
                }
                site_settings::set(&store, ACTOR, a.id, &s)
                    .await
                    .context("--site-code / --icp")?;
            }
            store.close().await;
            println!(
                "网站「{}」（机关 {}）：{}",
                added.name,
                added.agency_id,
                added.hosts.join("、")
            );
            eprintln!("请在各节点重启 gongkai serve 后生效 / restart each node to serve it");
            Ok(ExitCode::SUCCESS)
        }),
        SiteCommand::List { json, db: url } => rt.block_on(async {
            let store = db::open(global, url.as_deref()).await?;
            let sites = site::list(&store).await?;
            let mut rows = Vec::with_capacity(sites.len());
            for s in &sites {
                let settings = site_settings::get(&store, s.agency_id)
                    .await?
                    .unwrap_or_default();
                rows.push((s, settings));
            }
            store.close().await;
            if json {
                let v: Vec<serde_json::Value> = rows
                    .iter()
                    .map(|(s, set)| {
                        serde_json::json!({
                            "agency_id": s.agency_id,
                            "name": s.name,
                            "hosts": s.hosts,
                            "site_code": set.site_code,
                            "icp": set.icp,
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else if rows.is_empty() {
                println!("还没有网站：本部署作为单一门户运行（gongkai site add 添加网站）");
            } else {
                for (s, set) in &rows {
                    println!(
                        "{}\t{}\t{}\t{}",
                        s.agency_id,
                        s.name,
                        s.hosts.join(","),
                        if set.site_code.is_empty() {
                            "—"
                        } else {
                            &set.site_code
                        }
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }),
    }
}
