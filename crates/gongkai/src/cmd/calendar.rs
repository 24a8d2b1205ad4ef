//! `gongkai calendar`: the working-day calendar in force, and loading a newer year.
//!
//! The calendar in force is the one embedded in `gongkai-law` with every year loaded by an
//! administrator on top of it: `<data-dir>/calendar/YYYY.json` (holiday-cn format), which
//! replaces the embedded year of the same number. The server and the CLI both go through
//! [`in_force`].

use super::Global;
use anyhow::{Context, bail};
use gongkai_law::{Calendar, DayKind, YearFile, YearSource, weekday_zh};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Subcommands of `gongkai calendar`.
#[derive(Debug, clap::Subcommand)]
pub enum CalendarCommand {
    /// Load a year's arrangement (a holiday-cn JSON file) into the data directory
    /// (载入国务院节假日安排); it replaces the embedded year and says which dates changed.
    Load {
        /// The JSON file.
        file: PathBuf,
        /// The database whose open applications get their due dates recomputed (default: the
        /// SQLite file in the data directory, when it exists).
        #[arg(long, env = "GONGKAI_DB")]
        db: Option<String>,
    },
    /// Show a year's arrangement in force (查看某年节假日安排).
    Show {
        /// The year, e.g. 2026.
        year: i32,
    },
}

/// Runs `gongkai calendar`.
pub fn run(global: &Global, c: CalendarCommand) -> anyhow::Result<ExitCode> {
    match c {
        CalendarCommand::Load { file, db } => {
            let (code, changed, after) = load(&global.data_dir, &file)?;
            if changed {
                recompute_open_cases(global, db.as_deref(), after)?;
            }
            Ok(code)
        }
        CalendarCommand::Show { year } => show(&global.data_dir, year),
    }
}

/// Where loaded years live: `<data-dir>/calendar/`.
pub fn loaded_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("calendar")
}

/// The calendar in force: the embedded arrangements, each replaced by a year loaded into
/// `<data-dir>/calendar/YYYY.json` if there is one. Fails on a loaded file that is unreadable
/// or invalid, naming it: deadlines must not be computed from a calendar silently missing a
/// year an administrator loaded.
pub fn in_force(data_dir: &Path) -> anyhow::Result<Calendar> {
    let mut cal = Calendar::embedded();
    let dir = loaded_dir(data_dir);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(cal),
        Err(e) => return Err(e).with_context(|| format!("{}: 无法读取目录", dir.display())),
    };
    let mut files: Vec<(i32, PathBuf)> = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("{}: 无法读取目录", dir.display()))?
            .path();
        let year = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".json"))
            .filter(|y| y.len() == 4)
            .and_then(|y| y.parse::<i32>().ok());
        if let Some(year) = year {
            files.push((year, path));
        }
    }
    files.sort();
    for (year, path) in files {
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("{}: 无法读取", path.display()))?;
        let file = YearFile::parse(&text).with_context(|| path.display().to_string())?;
        if file.year != year {
            bail!(
                "{}: 文件名的年份与文件中的 year（{}）不一致",
                path.display(),
                file.year
            );
        }
        cal = cal
            .with_year_file(file)
            .with_context(|| path.display().to_string())?;
    }
    Ok(cal)
}

fn describe(kind: &DayKind, known: bool) -> String {
    // A holiday of an unknown year is a statutory one, certain by law.
    if known || matches!(kind, DayKind::Holiday(_)) {
        kind.label()
    } else if kind.is_working() {
        "未知（暂按工作日）".to_string()
    } else {
        "未知（暂按休息日）".to_string()
    }
}

/// Recomputes the due dates of every open application from its stored events with the calendar
/// now in force (the law's periods did not move; the days did). Only an existing database is
/// touched: loading a calendar must not create one.
fn recompute_open_cases(
    global: &Global,
    db: Option<&str>,
    calendar: gongkai_law::calendar::Calendar,
) -> anyhow::Result<()> {
    let url = super::db::url(global, db);
    if let Some(path) = url.strip_prefix("sqlite://")
        && !Path::new(path).exists()
    {
        return Ok(());
    }
    gongkai_store::due::set_calendar(calendar);
    let rt = super::db::runtime()?;
    let moved = rt.block_on(async {
        let store = super::db::open(global, db).await?;
        let n = gongkai_store::models::application::recompute_due(&store, "gongkai calendar load")
            .await?;
        store.close().await;
        anyhow::Ok(n)
    })?;
    println!(
        "已按新日历重新计算未办结申请的答复期限：{moved} 件的期限或其暂定状态发生变化（已记入审计日志）。"
    );
    Ok(())
}

/// Loads a year file; answers whether any date changed, and the calendar now in force.
fn load(
    data_dir: &Path,
    path: &Path,
) -> anyhow::Result<(ExitCode, bool, gongkai_law::calendar::Calendar)> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("{}: 无法读取", path.display()))?;
    let file = YearFile::parse(&text).with_context(|| path.display().to_string())?;
    let year = file.year;
    let days = file.days.len();
    let before = in_force(data_dir)?;
    let after = before
        .with_year_file(file)
        .with_context(|| path.display().to_string())?;
    let changes = after.changes_from(&before);

    let dir = loaded_dir(data_dir);
    std::fs::create_dir_all(&dir).with_context(|| format!("{}: 无法创建目录", dir.display()))?;
    let target = dir.join(format!("{year}.json"));
    // Write beside the target and rename, so that a reader never sees half a file.
    let tmp = dir.join(format!(".{year}.json.tmp"));
    std::fs::write(&tmp, &text).with_context(|| format!("{}: 无法写入", tmp.display()))?;
    std::fs::rename(&tmp, &target).with_context(|| format!("{}: 无法写入", target.display()))?;

    println!(
        "已载入 {year} 年节假日安排（{days} 个日期），保存为 {}",
        target.display()
    );
    if changes.is_empty() {
        println!("与此前生效的日历相比，没有日期发生变化。");
    } else {
        println!("与此前生效的日历相比，以下日期发生变化：");
        for c in &changes {
            println!(
                "  {} {}  {} → {}",
                c.date,
                weekday_zh(c.date),
                describe(&c.before, c.before_known),
                describe(&c.after, true)
            );
        }
        println!(
            "共 {} 个日期变化。已设定的期限须按各案的事件重新计算。",
            changes.len()
        );
    }
    Ok((ExitCode::SUCCESS, !changes.is_empty(), after))
}

fn show(data_dir: &Path, year: i32) -> anyhow::Result<ExitCode> {
    let cal = in_force(data_dir)?;
    if !cal.is_year_known(year) {
        println!(
            "{year} 年的节假日安排未知（国务院尚未公布或尚未载入）；可用 gongkai calendar load FILE.json 载入。"
        );
        return Ok(ExitCode::SUCCESS);
    }
    let (source, papers) = cal
        .year_source(year)
        .map(|(s, p)| (s, p.to_vec()))
        .unwrap_or((YearSource::Embedded, Vec::new()));
    let embedded = source == YearSource::Embedded;
    let source = if embedded {
        "内置数据"
    } else {
        "已载入"
    };
    println!("{year} 年节假日安排（{source}）");
    for p in papers {
        println!("依据：{p}");
    }
    for d in cal.listed_days(year) {
        let kind = cal.day_kind(d.date);
        println!("  {} {}  {}", d.date, weekday_zh(d.date), kind.label());
    }
    let working = (1..=366)
        .filter_map(|n| chrono::NaiveDate::from_yo_opt(year, n))
        .filter(|d| cal.is_working_day(*d))
        .count();
    println!("全年工作日 {working} 天。");
    if embedded {
        println!("{}", gongkai_law::calendar::DATA_ATTRIBUTION);
    }
    Ok(ExitCode::SUCCESS)
}
