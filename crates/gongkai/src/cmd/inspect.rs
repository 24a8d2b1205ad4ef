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
    /// Write the 检查报告 (verdict, score, veto items, every deduction with its URL) to this
    /// file: .docx or .xlsx.
    #[arg(long, value_name = "OUT.docx|OUT.xlsx")]
    pub report: Option<std::path::PathBuf>,
    /// Monitor availability instead of crawling (19号 站点无法访问): probe the home page
    /// --per-day times a day (15 s each) for --days days, record every probe in the store, then
    /// judge the last week (≥ 5 % failed: 单项否决).
    #[arg(long)]
    pub monitor: bool,
    /// Days to monitor.
    #[arg(long, default_value_t = gongkai_inspect::monitor::DAYS)]
    pub days: u32,
    /// Probes a day (19号: at least 20).
    #[arg(long, default_value_t = gongkai_inspect::monitor::PROBES_PER_DAY)]
    pub per_day: u32,
}

/// Runs `gongkai inspect`.
pub fn run(global: &Global, args: Args) -> anyhow::Result<ExitCode> {
    let as_of = args.as_of.unwrap_or_else(gongkai_law::beijing_today);
    if args.monitor {
        return monitor(global, &args);
    }
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
    if args.record {
        // The back office's 严重表述错误 list replaces the built-in one once it holds a word.
        let words = runtime.block_on(async {
            let store = super::db::open(global, args.db.as_deref()).await?;
            let words = gongkai_store::models::severe_word::list(&store).await;
            store.close().await;
            anyhow::Ok(words?)
        })?;
        if !words.is_empty() {
            options.severe_words = words.into_iter().map(|w| w.word).collect();
        }
    }
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
    if let Some(path) = &args.report {
        write_report(&report, path)?;
        eprintln!("gongkai: 检查报告已写入 {}", path.display());
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report).context("JSON")?);
    } else {
        print_text(&report);
    }
    Ok(match report.verdict {
        Verdict::Pass => ExitCode::SUCCESS,
        Verdict::Veto | Verdict::LowScore => ExitCode::from(1),
    })
}

/// Writes the 检查报告 of a run just made, in the format the file name asks for.
fn write_report(r: &Report, path: &std::path::Path) -> anyhow::Result<()> {
    use gongkai_web::admin::site_inspection_sheet::{Sheet, SheetFinding};
    let mut findings: Vec<SheetFinding> = r
        .findings
        .iter()
        .map(|f| SheetFinding {
            rule: f.rule.id().to_string(),
            label: f.rule.label().to_string(),
            veto: f.veto,
            deduction_tenths: i64::from(f.deduction_tenths),
            url: f.url.clone(),
            detail: f.detail.clone(),
        })
        .collect();
    findings.sort_by_key(|f| !f.veto);
    let sheet = Sheet {
        url: r.url.clone(),
        as_of: r.as_of.to_string(),
        ran_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        verdict: r.verdict.label().to_string(),
        score: r
            .score
            .points
            .map_or("—".to_string(), |p| format!("{p:.1}")),
        pages: i64::try_from(r.pages).unwrap_or(i64::MAX),
        findings,
        trend: Vec::new(),
    };
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let bytes = match ext.as_deref() {
        Some("docx") => sheet.docx(),
        Some("xlsx") => sheet.xlsx(),
        _ => anyhow::bail!("检查报告只能写成 .docx 或 .xlsx：{}", path.display()),
    }
    .map_err(|e| anyhow::anyhow!("检查报告生成失败：{e}"))?;
    std::fs::write(path, bytes).with_context(|| format!("无法写入 {}", path.display()))
}

/// `gongkai inspect URL --monitor`: probes for days on the wall clock, each probe recorded as
/// it is made, then the week judged from the store (so an interrupted monitor resumed later
/// still counts what it measured).
fn monitor(global: &Global, args: &Args) -> anyhow::Result<ExitCode> {
    use gongkai_inspect::monitor::{self, Probe, SystemClock};
    use gongkai_store::models::site_probe;
    let runtime = super::db::runtime()?;
    runtime.block_on(async {
        let store = super::db::open(global, args.db.as_deref()).await?;
        let url = args.url.trim().to_string();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Probe>();
        let writer = {
            let store = store.clone();
            let url = url.clone();
            tokio::spawn(async move {
                while let Some(p) = rx.recv().await {
                    let failed = p.failed();
                    if let Err(e) =
                        site_probe::record(&store, &url, p.at, p.status, failed, p.millis).await
                    {
                        eprintln!("gongkai: 无法保存探测记录: {e}");
                    }
                }
            })
        };
        eprintln!(
            "gongkai: 可用性监测 {url}：{} 天，每天 {} 次，每次限 {} 秒",
            args.days,
            args.per_day,
            monitor::TIMEOUT.as_secs()
        );
        monitor::monitor(
            &url,
            &SystemClock,
            args.days,
            args.per_day,
            monitor::TIMEOUT,
            |p| {
                let _ = tx.send(p.clone());
            },
        )
        .await?;
        drop(tx);
        let _ = writer.await;
        let end = chrono::Utc::now();
        let last_day = monitor::beijing_day(end);
        let stored =
            site_probe::between(&store, &url, end - chrono::Duration::days(8), end).await?;
        store.close().await;
        let probes: Vec<Probe> = stored
            .iter()
            .filter_map(|p| {
                Some(Probe {
                    at: p.at()?,
                    status: p.status.and_then(|s| u16::try_from(s).ok()),
                    millis: u64::try_from(p.millis).unwrap_or(0),
                })
            })
            .collect();
        let a = monitor::availability(&probes, last_day);
        for d in &a.days {
            println!("{} 探测 {} 次，失败 {} 次", d.date, d.sent, d.failed);
        }
        println!(
            "一周合计：探测 {} 次，失败 {} 次（{:.1}%）",
            a.sent,
            a.failed,
            a.percent()
        );
        let code = if !a.complete {
            println!(
                "结论：监测不足（每天少于 {} 次），不作判定",
                monitor::PROBES_PER_DAY
            );
            ExitCode::from(2)
        } else if a.veto {
            println!("结论：单项否决（站点无法访问，失败比例 ≥ 5%）");
            ExitCode::from(1)
        } else {
            println!("结论：合格（失败比例低于 5%）");
            ExitCode::SUCCESS
        };
        anyhow::Ok(code)
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
        score_tenths: report.score.points.map(|p| (p * 10.0).round() as i64),
        findings: report
            .findings
            .iter()
            .map(|f| NewFinding {
                rule: f.rule.id(),
                veto: f.veto,
                url: &f.url,
                detail: &f.detail,
                deduction_tenths: i64::from(f.deduction_tenths),
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
    match r.score.points {
        Some(p) => println!("得分：{p:.1}（{}）", r.score.band),
        None => println!("得分：不评分（存在单项否决项）"),
    }
    for i in r.score.indicators.iter().filter(|i| i.findings > 0) {
        println!(
            "  {}：{} 项，扣 {:.1} 分，计 {:.1} 分",
            i.label, i.findings, i.deducted, i.counted
        );
    }
    if r.findings.is_empty() {
        println!("未发现问题。");
    }
    for f in &r.findings {
        let mark = if f.veto {
            "否决".to_string()
        } else {
            format!("扣{:.1}分", f64::from(f.deduction_tenths) / 10.0)
        };
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
