//! Parses and checks a report N times, for profiling with callgrind or perf:
//! `cargo run --release -p gongkai-report --example parse_profile -- [N] [FILE]`.
//!
//! N defaults to 200 and FILE to the seed (`../shared/seed/xiayi-2020-annual-report.txt`).
//! Instruction counts under `valgrind --tool=callgrind` do not depend on machine load, so
//! they compare versions of the parser where wall-clock timings on a shared machine cannot.
//!
//! `parse_profile dump FILE…` prints, per file, the report JSON and the findings (or the
//! error) instead: two builds of the parser must print the same.

use gongkai_report::parse::{ParseOptions, check_parsed, parse_str};
use std::hint::black_box;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().is_some_and(|a| a == "dump") {
        return dump(args.skip(1));
    }
    let runs: usize = match args.next().map(|a| a.parse()) {
        None => 200,
        Some(Ok(n)) => n,
        Some(Err(e)) => {
            eprintln!("N must be a number: {e}");
            return ExitCode::FAILURE;
        }
    };
    let path = args.next().map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/seed/xiayi-2020-annual-report.txt")
    });
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    };
    let opts = ParseOptions::default();
    let mut findings = 0usize;
    for _ in 0..runs {
        match parse_str(black_box(&text), &opts) {
            Ok(p) => findings += black_box(check_parsed(&p)).len(),
            Err(e) => {
                eprintln!("{}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{runs} runs, {findings} findings in all");
    ExitCode::SUCCESS
}

/// Prints what parse + check make of each file (read as lossy UTF-8, like the fuzz targets).
fn dump(files: impl Iterator<Item = String>) -> ExitCode {
    for f in files {
        let bytes = match std::fs::read(&f) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{f}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        match parse_str(&text, &ParseOptions::default()) {
            Ok(p) => {
                let findings = serde_json::to_string(&check_parsed(&p)).unwrap_or_default();
                println!("== {f}\n{}\n{findings}", p.report.to_json());
            }
            Err(e) => println!("== {f}\nerror: {e}"),
        }
    }
    ExitCode::SUCCESS
}
