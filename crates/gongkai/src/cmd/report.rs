//! `gongkai report`: see `spec/annual-report.md`.

use super::Global;
use std::path::PathBuf;
use std::process::ExitCode;

/// Subcommands of `gongkai report`.
#[derive(Debug, clap::Subcommand)]
pub enum ReportCommand {
    /// Read a published report (text, HTML or JSON) and print its canonical JSON.
    Parse {
        /// The report file.
        file: PathBuf,
        /// Print canonical JSON (the default and only output for now).
        #[arg(long)]
        json: bool,
    },
}

/// Runs `gongkai report`.
pub fn run(_global: &Global, _c: ReportCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the report engine is being built (issue 2)")
}
