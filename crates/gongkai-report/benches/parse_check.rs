//! Reports per second through parse + check, on one core: the seed and every published report
//! of `../shared/reports` (text and HTML). `cargo bench -p gongkai-report --bench parse_check`.

#![allow(clippy::unwrap_used, missing_docs)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gongkai_report::parse::{ParseOptions, check_parsed, parse_str};
use std::hint::black_box;
use std::path::PathBuf;

fn inputs() -> Vec<(String, String)> {
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let mut files = vec![shared.join("seed/xiayi-2020-annual-report.txt")];
    for dir in ["reports", "reports/html"] {
        let mut more: Vec<_> = std::fs::read_dir(shared.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt" || e == "html"))
            .collect();
        more.sort();
        files.extend(more);
    }
    files
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

fn parse_and_check(c: &mut Criterion) {
    let inputs = inputs();
    let opts = ParseOptions::default();
    let texts: Vec<&(String, String)> = inputs
        .iter()
        .filter(|(n, _)| !n.ends_with(".html"))
        .collect();

    let mut group = c.benchmark_group("parse+check");
    group.throughput(Throughput::Elements(1));
    let seed = &inputs[0].1;
    group.bench_function("seed", |b| {
        b.iter(|| {
            let p = parse_str(black_box(seed), &opts).unwrap();
            black_box(check_parsed(&p))
        })
    });
    group.throughput(Throughput::Elements(texts.len() as u64));
    group.bench_function("all text reports", |b| {
        b.iter(|| {
            for (_, t) in &texts {
                if let Ok(p) = parse_str(black_box(t), &opts) {
                    black_box(check_parsed(&p));
                }
            }
        })
    });
    for (name, html) in inputs.iter().filter(|(n, _)| n.ends_with(".html")) {
        group.throughput(Throughput::Elements(1));
        group.bench_function(format!("html {name}"), |b| {
            b.iter(|| {
                let p = parse_str(black_box(html), &opts).unwrap();
                black_box(check_parsed(&p))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, parse_and_check);
criterion_main!(benches);
