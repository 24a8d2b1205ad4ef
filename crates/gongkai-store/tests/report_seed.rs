//! Acceptance 1: the demo data set, loaded as records, generates the seed county's 2020 report
//! cell for cell; loading it again adds nothing; the audit chain holds.

#[macro_use]
mod common;

use common::TestStore;
use gongkai_store::{ReportFormat, audit, demo, generate_report};

fn seed_json() -> serde_json::Value {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // The report crate's canonical copy when it exists; ours otherwise.
    let theirs = here.join("../gongkai-report/tests/data/seed-2020.json");
    let path = if theirs.exists() {
        theirs
    } else {
        here.join("tests/data/seed-2020.json")
    };
    let text = std::fs::read_to_string(&path).expect("seed json");
    serde_json::from_str(&text).expect("seed json parses")
}

async fn demo_reproduces_the_seed(t: &TestStore) {
    let first = demo::load_demo(&t.store, &|_| {}).await.expect("load demo");
    assert!(first.added > 249_000, "added {}", first.added);
    let report = generate_report(&t.store, demo::DEMO_COUNTY, 2020, ReportFormat::Trial2019)
        .await
        .expect("generate");
    let got: serde_json::Value = serde_json::from_str(&report.to_json()).expect("json");
    let want = seed_json();
    assert_eq!(got, want, "generated:\n{}", report.to_json());

    let second = demo::load_demo(&t.store, &|_| {})
        .await
        .expect("load demo again");
    assert_eq!(second.added, 0);
    let again = generate_report(&t.store, demo::DEMO_COUNTY, 2020, ReportFormat::Trial2019)
        .await
        .expect("generate again");
    assert_eq!(again, report);
    assert!(audit::verify(&t.store).await.expect("audit chain") > 0);
}

on_both!(demo_2020, super::demo_reproduces_the_seed);
