//! Parse + check of a report must stay far below 100 µs in release builds (≥ 10,000 reports/s
//! on one core). Tests run unoptimised and on shared machines, so this only guards against a
//! blow-up (quadratic scans, per-call compilation): the bound is 200× the release target.
#![allow(clippy::unwrap_used)] // Tests fail loudly on bad data.

use gongkai_report::parse::{ParseOptions, check_parsed, parse_str};
use std::path::PathBuf;
use std::time::Instant;

#[test]
fn parse_and_check_do_not_blow_up() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    for file in [
        "seed/xiayi-2020-annual-report.txt",
        "reports/2024-001.txt",
        "reports/2019-004.txt",
    ] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let runs = 50;
        let t = Instant::now();
        for _ in 0..runs {
            let p = parse_str(&text, &ParseOptions::default()).unwrap();
            assert!(!check_parsed(&p).is_empty() || p.report.year > 0);
        }
        let per = t.elapsed() / runs;
        eprintln!("{file}: {per:?} per parse+check (unoptimised)");
        assert!(per.as_micros() < 20_000, "{file}: {per:?}");
    }
}
