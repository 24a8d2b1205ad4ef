//! `gongkai report`: read, check, render and sum annual reports (see `spec/annual-report.md`).
//!
//! Exit codes: 0 no errors; 1 errors found; 2 a file could not be read or bad usage.

use super::Global;
use anyhow::{Context, bail};
use gongkai_report::Report;
use gongkai_report::batch::{Checked, DocKind, Document, ZipLimits, parse_document, unzip};
use gongkai_report::model::ReportFormat;
use gongkai_report::parse::{ParseOptions, Parsed, check_parsed};
use gongkai_report::render;
use gongkai_report::rules::{Finding, Severity, check_carry};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Subcommands of `gongkai report`.
#[derive(Debug, clap::Subcommand)]
pub enum ReportCommand {
    /// Read a published report (text, HTML or canonical JSON) and print its canonical JSON.
    Parse {
        /// The report file.
        file: PathBuf,
        /// Print canonical JSON (the default).
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        overrides: Overrides,
    },
    /// Check reports against the rules of the form (勾稽关系 and more). A directory or a .zip
    /// is a batch: every report file in it is checked.
    Check {
        /// The report files, directories or .zip archives.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the findings as JSON (one object per file; a list when there are several).
        #[arg(long)]
        json: bool,
        /// Last year's report: this year's 上年结转 must equal its 结转下年度 (X-CARRY).
        #[arg(long)]
        previous: Option<PathBuf>,
        /// Also write the results as a workbook: one row per report, one per finding.
        #[arg(long)]
        xlsx: Option<PathBuf>,
        #[command(flatten)]
        overrides: Overrides,
    },
    /// Set one unit's report beside its report of the year before (同比): the cells that
    /// changed, the carry-over (X-CARRY), the prose against the tables and the anomalies.
    Compare {
        /// Last year's report.
        last: PathBuf,
        /// This year's report.
        this: PathBuf,
        /// Print the comparison as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write a report as .json .txt .md .html .docx or .xlsx (chosen by the extension).
    Render {
        /// The report (canonical JSON, or any form `parse` reads).
        file: PathBuf,
        /// The file to write.
        #[arg(long, short)]
        output: PathBuf,
    },
    /// Generate an agency's report for a year from the records in the database (由记录生成年报):
    /// the tables, and the prose of sections 一, 五 and 六 drafted from the same records.
    Generate {
        /// The report year.
        #[arg(long)]
        year: i32,
        /// The agency (id or name; its subtree is counted). Default: the portal's agency.
        #[arg(long)]
        agency: Option<String>,
        /// The national format; default: the one in force for the year.
        #[arg(long, value_parser = ["2019", "2021"])]
        format: Option<String>,
        /// Database URL: sqlite://PATH or postgres://… (default: sqlite://<data-dir>/gongkai.db).
        #[arg(long, env = "GONGKAI_DB")]
        db: Option<String>,
        /// The file to write: .json .txt .md .html .docx or .xlsx.
        #[arg(long, short)]
        output: PathBuf,
    },
    /// Sum the reports of several agencies for one year and format (汇总).
    Aggregate {
        /// The reports to sum.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The file to write (any extension `render` knows); canonical JSON on stdout without it.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The name the summed report carries.
        #[arg(long, default_value = "汇总")]
        agency: String,
    },
}

/// What the document says about itself, overridden.
#[derive(Debug, Clone, clap::Args)]
pub struct Overrides {
    /// The report year, when the document's title does not say it.
    #[arg(long)]
    year: Option<i32>,
    /// The agency, when the document's title does not name it.
    #[arg(long)]
    agency: Option<String>,
}

impl Overrides {
    fn options(&self) -> ParseOptions {
        ParseOptions {
            year: self.year,
            agency: self.agency.clone(),
        }
    }
}

/// Runs `gongkai report`.
pub fn run(global: &Global, c: ReportCommand) -> anyhow::Result<ExitCode> {
    match c {
        ReportCommand::Parse {
            file, overrides, ..
        } => {
            let parsed = read(&file, &overrides.options())?;
            println!("{}", parsed.report.to_json());
            Ok(ExitCode::SUCCESS)
        }
        ReportCommand::Check {
            files,
            json,
            previous,
            xlsx,
            overrides,
        } => check(
            &files,
            json,
            previous.as_deref(),
            xlsx.as_deref(),
            &overrides.options(),
        ),
        ReportCommand::Compare { last, this, json } => compare(&last, &this, json),
        ReportCommand::Render { file, output } => {
            let parsed = read(&file, &ParseOptions::default())?;
            render::to_file(&parsed.report, &output)?;
            eprintln!("已写出 {}", output.display());
            Ok(ExitCode::SUCCESS)
        }
        ReportCommand::Generate {
            year,
            agency,
            format,
            db,
            output,
        } => {
            let format = match format.as_deref() {
                Some(f) => ReportFormat::parse(f)
                    .with_context(|| format!("--format: 「{f}」不是 2019 或 2021"))?,
                None => ReportFormat::for_year(year),
            };
            // Refuse an unknown extension before any database work.
            render::OutputFormat::for_path(&output)?;
            let rt = super::db::runtime()?;
            let report = rt.block_on(async {
                let store = super::db::open(global, db.as_deref()).await?;
                let agency = match agency {
                    Some(a) => a,
                    None => super::serve::site_agency(&store)
                        .await?
                        .map(|a| a.id.to_string())
                        .context(
                            "--agency: 数据库中还没有机关（可先运行 gongkai demo --load-only）",
                        )?,
                };
                let report = gongkai_store::prose::draft_report(&store, &agency, year, format)
                    .await
                    .with_context(|| format!("--agency {agency}"))?;
                store.close().await;
                anyhow::Ok(report)
            })?;
            render::to_file(&report, &output)?;
            eprintln!(
                "已生成 {} {} 年度报告（{} 格式），写出 {}",
                report.agency,
                year,
                format.id(),
                output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        ReportCommand::Aggregate {
            files,
            output,
            agency,
        } => {
            let reports = files
                .iter()
                .map(|f| read(f, &ParseOptions::default()).map(|p| p.report))
                .collect::<anyhow::Result<Vec<Report>>>()?;
            let sum = gongkai_report::aggregate::aggregate(&reports, &agency)?;
            match output {
                Some(out) => {
                    render::to_file(&sum, &out)?;
                    eprintln!("已汇总 {} 份报告，写出 {}", reports.len(), out.display());
                }
                None => println!("{}", sum.to_json()),
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Reads and parses one report file by its extension (.txt .html .htm .json .pdf .docx; any
/// other name is read as text); an unreadable file is an error naming it (exit 2).
pub fn read(path: &Path, opts: &ParseOptions) -> anyhow::Result<Parsed> {
    let doc = match path.to_str().filter(|p| is_url(p)) {
        Some(u) => fetch(u)?,
        None => Document {
            name: path.display().to_string(),
            bytes: std::fs::read(path)
                .with_context(|| format!("{}: 无法读取文件", path.display()))?,
        },
    };
    Ok(parse_document(&doc, opts)?)
}

fn is_url(s: &str) -> bool {
    gongkai_report::fetch::is_url(s)
}

/// Fetches a report from a URL within the default limits (gongkai_report::fetch).
fn fetch(url: &str) -> anyhow::Result<Document> {
    let rt = super::db::runtime()?;
    rt.block_on(async {
        // The command line fetches as the person typing: an intranet address is theirs to name.
        let limits = gongkai_report::fetch::FetchLimits {
            allow_private: true,
            ..Default::default()
        };
        let client = gongkai_report::fetch::client(&limits)?;
        Ok(gongkai_report::fetch::fetch(&client, url, &limits).await?)
    })
}

/// The report files the arguments name: a file as itself, a directory's report files (and
/// archives) at any depth in name order, an archive's report files named `ARCHIVE/inner`.
/// Whether any argument was a directory or an archive (a batch) is returned too.
fn expand(paths: &[PathBuf]) -> anyhow::Result<(Vec<Document>, bool)> {
    let mut docs = Vec::new();
    let mut batch = paths.len() > 1;
    for p in paths {
        if p.is_dir() {
            batch = true;
            let mut files = Vec::new();
            walk(p, &mut files)?;
            files.sort();
            for f in files {
                push_file(&f, &mut docs)?;
            }
        } else {
            batch |= is_zip(p);
            push_file(p, &mut docs)?;
        }
    }
    Ok((docs, batch))
}

fn is_zip(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("{}: 无法读取目录", dir.display()))?;
    for e in entries {
        let path = e?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if is_zip(&path) || DocKind::of(&path.to_string_lossy()).is_some() {
            out.push(path);
        }
    }
    Ok(())
}

fn push_file(p: &Path, docs: &mut Vec<Document>) -> anyhow::Result<()> {
    if let Some(u) = p.to_str().filter(|u| is_url(u)) {
        docs.push(fetch(u)?);
        return Ok(());
    }
    let bytes = std::fs::read(p).with_context(|| format!("{}: 无法读取文件", p.display()))?;
    let name = p.display().to_string();
    if is_zip(p) {
        docs.extend(unzip(&name, &bytes, ZipLimits::default())?);
    } else {
        docs.push(Document { name, bytes });
    }
    Ok(())
}

fn check(
    files: &[PathBuf],
    json: bool,
    previous: Option<&Path>,
    xlsx: Option<&Path>,
    opts: &ParseOptions,
) -> anyhow::Result<ExitCode> {
    let previous = previous
        .map(|p| read(p, &ParseOptions::default()))
        .transpose()?;
    let (docs, batch) = expand(files)?;
    if docs.is_empty() {
        bail!("没有找到年度报告文件（.txt .html .htm .json .pdf .docx）");
    }
    let mut results = Vec::with_capacity(docs.len());
    for doc in &docs {
        let outcome = match parse_document(doc, opts) {
            Ok(parsed) => {
                let mut findings = check_parsed(&parsed);
                if let Some(prev) = &previous {
                    findings.extend(check_carry(&prev.report, &parsed.report));
                }
                Ok((parsed.report, findings))
            }
            // One file alone that cannot be read is the command's error (exit 2); in a batch
            // it is reported beside the others.
            Err(e) if !batch => return Err(e.into()),
            Err(e) => Err(e.to_string()),
        };
        results.push(Checked {
            file: doc.name.clone(),
            kind: DocKind::of(&doc.name),
            outcome,
        });
    }
    let any_error = results
        .iter()
        .any(|r| matches!(&r.outcome, Ok((_, f)) if f.iter().any(Finding::is_error)));
    let unreadable = results.iter().any(|r| r.outcome.is_err());
    let mut out = std::io::stdout().lock();
    if json {
        let docs: Vec<serde_json::Value> = results.iter().map(Checked::to_json).collect();
        let doc = match <[_; 1]>::try_from(docs) {
            Ok([one]) if !batch => one,
            Ok([one]) => serde_json::Value::Array(vec![one]),
            Err(many) => serde_json::Value::Array(many),
        };
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        for r in &results {
            let (rep, findings) = match &r.outcome {
                Ok(x) => x,
                Err(e) => {
                    writeln!(out, "{}：无法读取：{e}", r.file)?;
                    continue;
                }
            };
            writeln!(
                out,
                "{}：{} {} 年度报告（{} 格式）",
                r.file,
                rep.agency,
                rep.year,
                rep.format.id()
            )?;
            for f in findings {
                let sev = match f.severity {
                    Severity::Error => "错误",
                    Severity::Warning => "警告",
                };
                writeln!(out, "  [{sev}] {} {}", f.rule.id(), f.message)?;
            }
            let errors = findings.iter().filter(|f| f.is_error()).count();
            writeln!(
                out,
                "  共 {} 个错误，{} 个警告",
                errors,
                findings.len() - errors
            )?;
        }
    }
    if let Some(path) = xlsx {
        let bytes = gongkai_report::batch::to_xlsx(&results)?;
        std::fs::write(path, bytes).with_context(|| format!("{}: 无法写入", path.display()))?;
        eprintln!("已写出 {}（{} 份报告）", path.display(), results.len());
    }
    Ok(if unreadable {
        ExitCode::from(2)
    } else if any_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn compare(last: &Path, this: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let last = read(last, &ParseOptions::default())?;
    let this = read(this, &ParseOptions::default())?;
    if last.report.year >= this.report.year {
        bail!(
            "第一个文件应是上一年度的报告：{} 年不早于 {} 年",
            last.report.year,
            this.report.year
        );
    }
    let c = gongkai_report::compare::compare(&last.report, &this.report);
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&c)?)?;
    } else {
        writeln!(
            out,
            "{}：{} 年与 {} 年对比，共 {} 格，{} 格有变化",
            c.agency,
            c.this_year,
            c.last_year,
            c.cells.len(),
            c.changed().count()
        )?;
        let show = |v: Option<f64>| v.map_or("空白".to_string(), |v| v.to_string());
        for p in c.changed() {
            let delta = p.delta().map_or(String::new(), |d| format!("（{d:+}）"));
            writeln!(
                out,
                "  表{}「{}」{}：{} → {}{delta}",
                p.table,
                p.row_label,
                p.column_label,
                show(p.last),
                show(p.this)
            )?;
        }
        for f in c.findings() {
            let sev = if f.is_error() { "错误" } else { "警告" };
            writeln!(out, "  [{sev}] {} {}", f.rule.id(), f.message)?;
        }
    }
    Ok(if c.findings().any(Finding::is_error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
