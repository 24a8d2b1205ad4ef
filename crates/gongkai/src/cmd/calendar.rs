//! `gongkai calendar`: the working-day calendar.

use super::Global;
use std::process::ExitCode;

/// Subcommands of `gongkai calendar`.
#[derive(Debug, clap::Subcommand)]
pub enum CalendarCommand {
    /// Load a year's arrangement (a holiday-cn JSON file) into the data directory.
    Load {
        /// The JSON file.
        file: std::path::PathBuf,
    },
}

/// Runs `gongkai calendar`.
pub fn run(_global: &Global, _c: CalendarCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the calendar is being built (issue 3)")
}
