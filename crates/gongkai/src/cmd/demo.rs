//! `gongkai demo`: load the demo data set (the seed county as records), then serve.

use super::Global;
use std::process::ExitCode;

/// Arguments of `gongkai demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only load the data set; do not start the portal.
    #[arg(long)]
    pub load_only: bool,
}

/// Runs `gongkai demo`.
pub fn run(_global: &Global, _args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("the demo data set is being built (issue 4)")
}
