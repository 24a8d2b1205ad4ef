//! Criterion benchmarks of `SearchIndex::search` on the synthetic corpus.
//!
//! `cargo bench -p gongkai-search --bench search` builds (once) an index of
//! `GONGKAI_SEARCH_BENCH_DOCS` items, default 100,000, under `<target dir>/search-bench/`, the
//! same place `scripts/bench-search.sh` keeps its million-item index, so
//! `GONGKAI_SEARCH_BENCH_DOCS=1000000` reuses that one. The latency percentiles over a
//! thousand varied queries come from `scripts/bench-search.sh`; this bench follows a few
//! representative queries over time.

#[path = "support/synth.rs"]
mod synth;

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use gongkai_search::{IndexOptions, Query, SearchIndex};

fn corpus() -> Option<SearchIndex> {
    let docs: u64 = std::env::var("GONGKAI_SEARCH_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    // CARGO_TARGET_TMPDIR is `<target dir>/tmp`; keep the index beside it, where the
    // latency script's example binary looks too.
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("..")
        .join("search-bench")
        .join(format!("index-{docs}"));
    let options = IndexOptions {
        rebuild_heap_bytes: 1_000_000_000,
        rebuild_threads: 2,
        ..IndexOptions::default()
    };
    match synth::open_or_build(&dir, docs, options) {
        Ok((index, _)) => Some(index),
        Err(e) => {
            eprintln!(
                "search bench: cannot build the corpus in {}: {e}",
                dir.display()
            );
            None
        }
    }
}

fn bench(c: &mut Criterion) {
    let Some(index) = corpus() else {
        return;
    };
    let cases = [
        ("common word", Query::new("安全生产")),
        ("two words", Query::new("义务教育 实施方案")),
        ("title phrase", Query::new("加强规范性文件管理")),
        ("filtered", Query::new("环境保护").year(2020).agency_id(3)),
        ("listing by category", Query::new("").category("art20-01")),
        ("page 5", Query::new("社会救助").page(5, 10)),
        ("doc number", Query::new("夏政办〔2019〕12号")),
        ("no match", Query::new("量子计算")),
    ];
    let mut group = c.benchmark_group("search");
    for (name, q) in &cases {
        group.bench_function(*name, |b| {
            b.iter(|| index.search(black_box(q)).map(|p| p.total).unwrap_or(0))
        });
    }
    group.finish();

    let mixed = synth::queries(0x5EED, 200);
    c.bench_function("search/200 mixed queries", |b| {
        b.iter(|| {
            mixed
                .iter()
                .map(|q| index.search(q).map(|p| p.total).unwrap_or(0))
                .sum::<usize>()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
