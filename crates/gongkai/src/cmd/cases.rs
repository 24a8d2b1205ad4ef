//! `gongkai cases sweep`: concludes the applications whose 补正 period passed without the
//! corrected application, or whose fee was not paid in time, with their 其他处理 outcome (Arts.
//! 30, 42). The back office's desk does the same when it opens; this is for a nightly job.
//! Each case is one audited transaction; running it again concludes nothing more.

use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use gongkai_store::models::{agency, auto_outcome};

use super::{Global, db};

/// Subcommands of `gongkai cases`.
#[derive(Debug, clap::Subcommand)]
pub enum CasesCommand {
    /// Conclude lapsed applications: 逾期不补正 and 逾期未缴费 (自动结案).
    Sweep {
        /// Only this agency (id or name) and its subtree; without it, every agency.
        #[arg(long)]
        agency: Option<String>,
        /// The day to judge by (YYYY-MM-DD); default today in Beijing.
        #[arg(long)]
        today: Option<NaiveDate>,
        /// List what would be concluded, change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Database: sqlite://PATH or postgres://… (default: sqlite://<data-dir>/gongkai.db).
        #[arg(long, env = "GONGKAI_DB")]
        db: Option<String>,
    },
}

/// The actor the audit log names.
const ACTOR: &str = "cli";

/// Runs `gongkai cases …`.
pub fn run(global: &Global, c: CasesCommand) -> anyhow::Result<ExitCode> {
    let CasesCommand::Sweep {
        agency: which,
        today,
        dry_run,
        db: url,
    } = c;
    // Deadlines count with the calendar in force, loaded years included.
    gongkai_store::due::set_calendar(super::calendar::in_force(&global.data_dir)?);
    let today = today.unwrap_or_else(gongkai_law::beijing_today);
    db::runtime()?.block_on(async {
        let store = db::open(global, url.as_deref()).await?;
        let root = match which {
            Some(a) => Some(
                agency::resolve(&store, &a)
                    .await
                    .with_context(|| format!("机关 / agency {a}"))?
                    .id,
            ),
            None => None,
        };
        let cases = if dry_run {
            auto_outcome::lapsed(&store, root, today).await?
        } else {
            auto_outcome::sweep(&store, ACTOR, root, today).await?
        };
        for l in &cases {
            println!(
                "{}\t{}\t期限 {} 届满\t{} 结案",
                l.tracking_no,
                l.outcome.label(),
                l.period_end,
                l.concluded_on
            );
        }
        let verb = if dry_run {
            "待自动结案"
        } else {
            "已自动结案"
        };
        println!("{verb} {} 件（{today}）", cases.len());
        store.close().await;
        Ok(ExitCode::SUCCESS)
    })
}
