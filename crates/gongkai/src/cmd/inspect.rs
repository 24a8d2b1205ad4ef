//! `gongkai inspect URL`: the 网上巡查 of one site (国办秘函〔2019〕19号) by `gongkai-inspect`.
//! Exit 0 合格, 1 单项否决, 2 could not run. `--record` stores the run and its findings.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use chrono::NaiveDate;
use gongkai_inspect::{Options, Report, Verdict};
use indicatif::{ProgressBar, ProgressStyle};

use super::Global;

/// Arguments of `gongkai inspect`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The site's home page, e.g. https://www.example.gov.cn/.
    pub url: String,
    /// At most this many page requests (the home page included).
    #[arg(long, default_value_t = 1000)]
    pub max_pages: usize,
    /// The day the freshness rules count from (YYYY-MM-DD; default: today).
    #[arg(long)]
    pub as_of: Option<NaiveDate>,
    /// Probes of the home page for availability, one second apart (≥ 5 % failing: SITE-UNREACHABLE).
    #[arg(long, default_value_t = 1)]
    pub probes: usize,
    /// Print the report as JSON (the spec's shape) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Store the run and its findings in the database (后台「网站巡查」 lists them).
    #[arg(long)]
    pub record: bool,
    /// Database URL for --record: sqlite://PATH or postgres://… (default: sqlite://<data-dir>/gongkai.db).
    #[arg(long, env = "GONGKAI_DB")]
    pub db: Option<String>,
}

/// Runs `gongkai inspect`.
pub fn run(global: &Global, args: Args) -> anyhow::Result<ExitCode> {
    let as_of = args.as_of.unwrap_or_else(gongkai_law::beijing_today);
    let mut options = Options::new(as_of);
    options.max_pages = args.max_pages.max(1);
    options.probes = args.probes.max(1);
    let bar = (!args.json && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(options.max_pages as u64);
        bar.set_style(
            ProgressStyle::with_template("巡查 {pos}/{len} 页 {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    });
    if let Some(bar) = &bar {
        let b = bar.clone();
        options.progress = Some(Arc::new(move |n, _, url: &str| {
            b.set_position(n as u64);
            b.set_message(url.to_string());
        }));
    }
    let runtime = super::db::runtime()?;
    let report = runtime.block_on(gongkai_inspect::inspect(&args.url, &options))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if args.record {
        runtime.block_on(async {
            let store = super::db::open(global, args.db.as_deref()).await?;
            let id = record(&store, &report, "cli").await?;
            store.close().await;
            eprintln!("gongkai: 巡查结果已保存（第 {id} 次）");
            anyhow::Ok(())
        })?;
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report).context("JSON")?);
    } else {
        print_text(&report);
    }
    Ok(match report.verdict {
        Verdict::Pass => ExitCode::SUCCESS,
        Verdict::Veto => ExitCode::from(1),
    })
}

/// Stores a run and its findings (`started_by`: `cli`, `scheduled`); returns the run's id.
pub(crate) async fn record(
    store: &gongkai_store::Store,
    report: &Report,
    started_by: &str,
) -> anyhow::Result<i64> {
    use gongkai_store::models::site_inspection::{self, NewFinding, NewRun};
    let as_i64 = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let run = NewRun {
        url: &report.url,
        as_of: report.as_of,
        started_by,
        veto: report.verdict == Verdict::Veto,
        pages: as_i64(report.pages),
        probes_sent: as_i64(report.probes.sent),
        probes_failed: as_i64(report.probes.failed),
        external_links: as_i64(report.external.len()),
        findings: report
            .findings
            .iter()
            .map(|f| NewFinding {
                rule: f.rule.id(),
                veto: f.veto,
                url: &f.url,
                detail: &f.detail,
            })
            .collect(),
    };
    site_inspection::record(store, started_by, &run)
        .await
        .context("无法保存巡查结果 / cannot record the inspection")
}

/// The report for a reader.
fn print_text(r: &Report) {
    println!("网上巡查 {}（截至 {}）", r.url, r.as_of);
    println!(
        "抓取页面 {} 个；首页探测 {} 次，失败 {} 次；外部链接 {} 个（各探测一次）",
        r.pages,
        r.probes.sent,
        r.probes.failed,
        r.external.len()
    );
    println!("结论：{}", r.verdict.label());
    if r.findings.is_empty() {
        println!("未发现问题。");
    }
    for f in &r.findings {
        let mark = if f.veto { "否决" } else { "扣分" };
        println!(
            "[{mark}] {} {}：{} {}",
            f.rule.id(),
            f.rule.label(),
            f.url,
            f.detail
        );
    }
    for n in &r.notes {
        println!("[说明] {}：{}", n.url, n.detail);
    }
}
