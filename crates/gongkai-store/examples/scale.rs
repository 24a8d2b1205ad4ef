//! Scale measurements (not a test): loads the seed county and `COUNTIES - 1` synthetic copies
//! (about 250,000 records each), then times report generation for the county and for the
//! province above all of them.
//!
//! ```text
//! cargo run --release -p gongkai-store --example scale -- URL [COUNTIES]
//! ```

use std::time::Instant;

use gongkai_store::{Crypto, ReportFormat, Store, demo, generate_report};

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args.next().ok_or("usage: scale URL [COUNTIES]")?;
    let counties: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(1);
    let store = Store::open_with_crypto(&url, Crypto::random()).await?;
    let started = Instant::now();
    for n in 0..counties {
        let t = Instant::now();
        let s = demo::load_demo_county(&store, n, &|_| {}).await?;
        println!(
            "county {n:>3}: {:>7} records in {:>6.2} s",
            s.added,
            t.elapsed().as_secs_f64()
        );
    }
    println!("load: {:.1} s", started.elapsed().as_secs_f64());
    let t = Instant::now();
    store.optimize().await?;
    println!("optimize: {:.1} s", t.elapsed().as_secs_f64());
    for (agency, year, format) in [
        (demo::DEMO_COUNTY, 2020, ReportFormat::Trial2019),
        (demo::DEMO_COUNTY, 2021, ReportFormat::Current2021),
        ("河南省人民政府", 2020, ReportFormat::Trial2019),
        ("河南省人民政府", 2020, ReportFormat::Current2021),
    ] {
        for run in 0..3 {
            let t = Instant::now();
            let r = generate_report(&store, agency, year, format).await?;
            let requests = r
                .requests
                .values()
                .map(|v| v[6].unwrap_or(0))
                .max()
                .unwrap_or(0);
            println!(
                "report {agency} {year} {}: {:>8.1} ms (run {run}; largest table 三 total {requests})",
                format.id(),
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
    }
    store.close().await;
    Ok(())
}
