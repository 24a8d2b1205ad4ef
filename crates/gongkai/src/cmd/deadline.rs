//! `gongkai deadline`: see `spec/legal-clock.md`.

use super::Global;
use std::process::ExitCode;

/// Arguments of `gongkai deadline`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The day the application arrived (YYYY-MM-DD).
    #[arg(long)]
    pub received: String,
}

/// Runs `gongkai deadline`.
pub fn run(_global: &Global, _args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the legal clock is being built (issue 3)")
}
