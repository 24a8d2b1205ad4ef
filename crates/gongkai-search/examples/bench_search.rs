//! Search latency on a large synthetic corpus: p50 / p95 / p99 of `SearchIndex::search`.
//!
//! Run it through `scripts/bench-search.sh` (release build, index kept under the target dir):
//!
//! ```text
//! cargo run --release -p gongkai-search --example bench_search -- \
//!     [--docs 1000000] [--queries 1000] [--index-dir DIR] [--heap-mb 1024] [--threads 2]
//! ```
//!
//! The index is built once (the marker file in DIR records its size and generator version)
//! and reused by later runs. Each query is timed end to end as the portal calls it: query
//! building, collection with the total count, stored-field reads and snippets.

#[path = "../benches/support/synth.rs"]
mod synth;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use gongkai_search::{IndexOptions, Query};

struct Args {
    docs: u64,
    queries: usize,
    index_dir: PathBuf,
    heap_mb: usize,
    threads: usize,
}

fn usage() -> String {
    "usage: bench_search [--docs N] [--queries N] [--index-dir DIR] [--heap-mb MB] [--threads N]"
        .to_string()
}

fn parse_args() -> Result<Args, String> {
    let mut docs: u64 = 1_000_000;
    let mut queries: usize = 1000;
    let mut index_dir: Option<PathBuf> = None;
    let mut heap_mb: usize = 1024;
    let mut threads: usize = 2;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(usage)?;
        let num = |v: &str| v.parse::<u64>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--docs" => docs = num(&value)?,
            "--queries" => queries = num(&value)? as usize,
            "--index-dir" => index_dir = Some(PathBuf::from(value)),
            "--heap-mb" => heap_mb = num(&value)? as usize,
            "--threads" => threads = num(&value)? as usize,
            _ => return Err(usage()),
        }
    }
    let index_dir = index_dir.unwrap_or_else(|| default_dir(docs));
    Ok(Args {
        docs,
        queries,
        index_dir,
        heap_mb,
        threads,
    })
}

/// `<target dir>/search-bench/index-<docs>`, found from this binary's own path
/// (`<target dir>/release/examples/bench_search`).
fn default_dir(docs: u64) -> PathBuf {
    let target = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.ancestors().nth(3).map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("target"));
    target.join("search-bench").join(format!("index-{docs}"))
}

fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    // Nearest-rank: the smallest value with at least p% of the samples at or below it.
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn describe(q: &Query) -> String {
    let mut s = format!("{:?}", q.text);
    if let Some(c) = &q.category {
        s.push_str(&format!(" category={c}"));
    }
    if let Some(a) = q.agency_id {
        s.push_str(&format!(" agency={a}"));
    }
    if let Some(y) = q.year {
        s.push_str(&format!(" year={y}"));
    }
    if q.page > 1 {
        s.push_str(&format!(" page={}", q.page));
    }
    s
}

fn run(args: &Args) -> Result<(), String> {
    let options = IndexOptions {
        rebuild_heap_bytes: args.heap_mb * 1_000_000,
        rebuild_threads: args.threads,
        ..IndexOptions::default()
    };
    println!("index: {} ({} items)", args.index_dir.display(), args.docs);
    let started = Instant::now();
    let (index, built) =
        synth::open_or_build(&args.index_dir, args.docs, options).map_err(|e| e.to_string())?;
    if built {
        println!(
            "built in {:.1} s ({} threads, {} MB writer heap)",
            started.elapsed().as_secs_f64(),
            args.threads,
            args.heap_mb
        );
    } else {
        println!(
            "reused the existing index (opened in {:.2} s)",
            started.elapsed().as_secs_f64()
        );
    }
    println!(
        "{} items, {:.0} MB on disk",
        index.num_docs(),
        dir_size(&args.index_dir) as f64 / 1e6
    );

    // Warm-up on other queries than the measured ones: the page cache and the reader's
    // caches are warm, but no measured query has been seen before.
    for q in synth::queries(0xC0FFEE, 100) {
        index.search(&q).map_err(|e| e.to_string())?;
    }

    let queries = synth::queries(0x5EED, args.queries);
    let mut samples: Vec<(Duration, usize, usize)> = Vec::with_capacity(queries.len());
    let wall = Instant::now();
    for (i, q) in queries.iter().enumerate() {
        let t = Instant::now();
        let page = index
            .search(q)
            .map_err(|e| format!("{}: {e}", describe(q)))?;
        samples.push((t.elapsed(), page.total, i));
    }
    let wall = wall.elapsed();

    let mut times: Vec<Duration> = samples.iter().map(|s| s.0).collect();
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len().max(1) as u32;
    let zero = samples.iter().filter(|s| s.1 == 0).count();
    let median_total = {
        let mut totals: Vec<usize> = samples.iter().map(|s| s.1).collect();
        totals.sort_unstable();
        totals.get(totals.len() / 2).copied().unwrap_or(0)
    };
    println!(
        "{} queries in {:.2} s (single thread): mean {:.2} ms",
        times.len(),
        wall.as_secs_f64(),
        ms(mean)
    );
    println!(
        "p50 {:.2} ms · p95 {:.2} ms · p99 {:.2} ms · max {:.2} ms",
        ms(percentile(&times, 50.0)),
        ms(percentile(&times, 95.0)),
        ms(percentile(&times, 99.0)),
        ms(percentile(&times, 100.0)),
    );
    println!("matches per query: median {median_total}, {zero} queries with none");
    samples.sort_by_key(|s| std::cmp::Reverse(s.0));
    println!("slowest:");
    for (t, total, i) in samples.iter().take(5) {
        println!(
            "  {:>7.2} ms  {:>7} hits  {}",
            ms(*t),
            total,
            describe(&queries[*i])
        );
    }
    Ok(())
}

fn main() -> ExitCode {
    match parse_args().and_then(|args| run(&args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench_search: {e}");
            ExitCode::from(2)
        }
    }
}
