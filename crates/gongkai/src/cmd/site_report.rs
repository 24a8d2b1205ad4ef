//! `gongkai site-report --year Y`: the 政府网站工作年度报表 (国办函〔2018〕12号) of a finished
//! year, counted from the records, as DOCX, XLSX, HTML or JSON (the form and each figure's count are
//! in `gongkai_web::site_report`). The site's header comes from the same settings as `gongkai
//! serve` (`GONGKAI_SITE_AGENCY`, `GONGKAI_SITE_URL`, `GONGKAI_SITE_CODE`, `GONGKAI_ICP`,
//! `GONGKAI_SITE_TYPE`, `GONGKAI_PSB_RECORD`, `GONGKAI_SITE_HOST`, `GONGKAI_SITE_FEATURES`).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};

use super::Global;

/// Arguments of `gongkai site-report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The year reported (a finished year, 2017 or later).
    #[arg(long)]
    pub year: String,
    /// docx, xlsx, html or json (default: from --output's extension, else html).
    #[arg(long)]
    pub format: Option<String>,
    /// Write to this file (default: standard output); its extension names the format.
    #[arg(long, visible_alias = "out")]
    pub output: Option<PathBuf>,
    /// On a 集约化 platform, the site reported: one of its host names, or its agency's id or
    /// name (`gongkai site list`). Default: the portal served for hosts no site holds.
    #[arg(long)]
    pub site: Option<String>,
    /// Database URL: sqlite://PATH or postgres://… (default: sqlite://<data-dir>/gongkai.db).
    #[arg(long, env = "GONGKAI_DB")]
    pub db: Option<String>,
}

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Docx,
    Xlsx,
    Html,
    Json,
}

fn format_of(args: &Args) -> anyhow::Result<Format> {
    let name = match (&args.format, &args.output) {
        (Some(f), _) => f.to_ascii_lowercase(),
        (None, Some(p)) => p
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("html")
            .to_ascii_lowercase(),
        (None, None) => "html".to_string(),
    };
    Ok(match name.as_str() {
        "docx" => Format::Docx,
        "xlsx" => Format::Xlsx,
        "html" | "htm" => Format::Html,
        "json" => Format::Json,
        other => bail!("--format: 「{other}」应为 docx、xlsx、html 或 json"),
    })
}

/// A standalone HTML page of the report (the portal's table without the portal's frame).
fn html(r: &gongkai_web::site_report::SiteReport) -> String {
    fn esc(s: &str) -> String {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    }
    let mut rows = String::new();
    for (section, l) in r.all_lines() {
        let section = if section.is_empty() {
            "基本信息"
        } else {
            section
        };
        rows.push_str(&format!(
            "<tr><td>{}</td><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>\n",
            esc(section),
            esc(&l.label),
            esc(l.unit),
            esc(&l.value)
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>body{{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em;color:#1a1a1a}}table{{border-collapse:collapse;width:100%}}th,td{{border:1px solid #767676;padding:.3em .5em;text-align:left}}</style>\n</head>\n<body>\n<h1>{title}</h1>\n<p>填报单位：{host}</p>\n<table>\n<thead><tr><th scope=\"col\">类别</th><th scope=\"col\">指标</th><th scope=\"col\">单位</th><th scope=\"col\">数值</th></tr></thead>\n<tbody>\n{rows}</tbody>\n</table>\n<p>{note}</p>\n</body>\n</html>\n",
        title = esc(&r.title()),
        host = esc(&r.header.host),
        note = esc(&r.note()),
    )
}

/// Runs `gongkai site-report`.
pub fn run(global: &Global, args: Args) -> anyhow::Result<ExitCode> {
    let format = format_of(&args)?;
    let Some(year) = gongkai_web::site_report::finished_year(&args.year) else {
        bail!(
            "--year: 「{}」应为 {} 年至去年之间的年份",
            args.year,
            gongkai_web::site_report::FIRST_YEAR
        );
    };
    let profile = super::serve::site_profile()?;
    let runtime = super::db::runtime()?;
    let report = runtime.block_on(async {
        let store = super::db::open(global, args.db.as_deref()).await?;
        let Some(agency) = super::serve::site_agency(&store).await? else {
            bail!("数据库中还没有机关（可先运行 gongkai demo --load-only）");
        };
        let home = std::env::var("GONGKAI_SITE_URL")
            .ok()
            .filter(|u| !u.trim().is_empty());
        let (site, home, visits_counted) = match args.site.as_deref() {
            None => (
                super::serve::site_settings(agency.id, agency.name),
                home,
                true,
            ),
            Some(which) => {
                let sites = gongkai_store::models::site::list(&store).await?;
                let host = gongkai_store::models::site::normalize_host(which);
                let Some(found) = sites.into_iter().find(|s| {
                    s.agency_id.to_string() == which.trim()
                        || s.name == which.trim()
                        || host.as_ref().is_some_and(|h| s.hosts.contains(h))
                }) else {
                    bail!("--site: 没有网站「{which}」（gongkai site list 列出各网站）");
                };
                let home = found.hosts.first().map(|h| {
                    gongkai_web::platform::public_url(home.as_deref().unwrap_or("http://"), h)
                });
                let counted = found.agency_id == agency.id;
                (
                    super::serve::site_settings(found.agency_id, found.name),
                    home,
                    counted,
                )
            }
        };
        let home = home.unwrap_or_else(|| gongkai_web::site_report::NONE.to_string());
        let r =
            gongkai_web::site_report::build(&store, &site, &profile, &home, year, visits_counted)
                .await;
        store.close().await;
        Ok(r?)
    })?;
    let bytes = match format {
        Format::Docx => report.docx().map_err(anyhow::Error::msg)?,
        Format::Xlsx => report.xlsx().map_err(anyhow::Error::msg)?,
        Format::Html => html(&report).into_bytes(),
        Format::Json => serde_json::to_vec_pretty(&report)?,
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, &bytes).with_context(|| format!("{}: 无法写入", path.display()))?
        }
        None => std::io::stdout()
            .write_all(&bytes)
            .context("无法写入标准输出")?,
    }
    Ok(ExitCode::SUCCESS)
}
