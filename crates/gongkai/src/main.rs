//! `gongkai`: the one binary. It parses arguments, wires the library crates together and maps
//! outcomes to exit codes: 0 success, 1 the work found problems, 2 bad input or usage.

mod cmd;

use clap::Parser;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: a cached page is a few small allocations per
/// request, and glibc's malloc was their largest cost (docs/PERFORMANCE.md, issue 17.3).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Gongkai（公开）— 政府信息公开平台 / the open-government-information platform.
#[derive(Debug, Parser)]
#[command(name = "gongkai", version, about, long_about = None)]
struct Cli {
    #[command(flatten)]
    global: cmd::Global,
    #[command(subcommand)]
    command: cmd::Command,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cmd::run(cli.global, cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("gongkai: {e:#}");
            ExitCode::from(2)
        }
    }
}
