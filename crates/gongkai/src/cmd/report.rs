//! `gongkai report`: read, check, render and sum annual reports (see `spec/annual-report.md`).
//!
//! Exit codes: 0 no errors; 1 errors found; 2 a file could not be read or bad usage.

use super::Global;
use anyhow::{Context, bail};
use gongkai_report::Report;
use gongkai_report::model::ReportFormat;
use gongkai_report::parse::{ParseOptions, Parsed, check_parsed, parse_str};
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
    /// Check reports against the rules of the form (勾稽关系 and more).
    Check {
        /// The report files (text, HTML or canonical JSON).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print the findings as JSON.
        #[arg(long)]
        json: bool,
        /// Last year's report: this year's 上年结转 must equal its 结转下年度 (X-CARRY).
        #[arg(long)]
        previous: Option<PathBuf>,
        #[command(flatten)]
        overrides: Overrides,
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
            overrides,
        } => check(&files, json, previous.as_deref(), &overrides.options()),
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

/// Reads and parses one report file; an unreadable file is an error naming it (exit 2).
pub fn read(path: &Path, opts: &ParseOptions) -> anyhow::Result<Parsed> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: 无法读取文件", path.display()))?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) => bail!("{}: 不是 UTF-8 文本（请先转换编码）", path.display()),
    };
    parse_str(&text, opts).with_context(|| format!("{}", path.display()))
}

fn check(
    files: &[PathBuf],
    json: bool,
    previous: Option<&Path>,
    opts: &ParseOptions,
) -> anyhow::Result<ExitCode> {
    let previous = previous
        .map(|p| read(p, &ParseOptions::default()))
        .transpose()?;
    let mut any_error = false;
    let mut results = Vec::new();
    for file in files {
        let parsed = read(file, opts)?;
        let mut findings = check_parsed(&parsed);
        if let Some(prev) = &previous {
            findings.extend(check_carry(&prev.report, &parsed.report));
        }
        any_error |= findings.iter().any(Finding::is_error);
        results.push((file.clone(), parsed.report, findings));
    }
    let mut out = std::io::stdout().lock();
    if json {
        let docs: Vec<serde_json::Value> = results
            .iter()
            .map(|(file, r, findings)| {
                serde_json::json!({
                    "file": file.display().to_string(),
                    "agency": r.agency,
                    "year": r.year,
                    "format": r.format,
                    "findings": findings,
                })
            })
            .collect();
        let doc = match <[_; 1]>::try_from(docs) {
            Ok([one]) => one,
            Err(many) => serde_json::Value::Array(many),
        };
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
    } else {
        for (file, r, findings) in &results {
            writeln!(
                out,
                "{}：{} {} 年度报告（{} 格式）",
                file.display(),
                r.agency,
                r.year,
                r.format.id()
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
    Ok(if any_error {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
