//! `gongkai import`: bring records in from the files agencies keep.

use super::Global;
use std::process::ExitCode;

/// Subcommands of `gongkai import`.
#[derive(Debug, clap::Subcommand)]
pub enum ImportCommand {
    /// Import an application ledger (依申请公开台账), .xlsx or .csv.
    Ledger {
        /// The ledger file.
        file: std::path::PathBuf,
    },
}

/// Runs `gongkai import`.
pub fn run(_global: &Global, _c: ImportCommand) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the ledger import is being built (issue 4)")
}
