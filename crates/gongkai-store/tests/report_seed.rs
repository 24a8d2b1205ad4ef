//! Acceptance 1: the demo data set, loaded as records, generates the seed county's 2020 report
//! cell for cell; loading it again adds nothing; the audit chain holds.

#[macro_use]
mod common;

use common::TestStore;
use gongkai_store::models::{agency, media_event};
use gongkai_store::views::{registry, supervision};
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
    demo_registry_and_supervision(t).await;
}

/// The demo's 2020 supervision records by year (2 trainings, 3 inspections, no 责任追究), the
/// 开设 备案 of its 11 accounts and a catalogue over the 26 domains with one overdue entry.
async fn demo_registry_and_supervision(t: &TestStore) {
    let s = &t.store;
    let county = agency::find_by_name(s, demo::DEMO_COUNTY)
        .await
        .expect("county")
        .expect("demo county");
    let year = supervision::year(s, county.id, 2020).await.expect("year");
    assert_eq!(
        (
            year.trainings.len(),
            year.inspections.len(),
            year.accountability.len()
        ),
        (2, 3, 0)
    );
    let filings = media_event::list_for_agency(s, county.id)
        .await
        .expect("filings");
    assert_eq!(filings.len(), 11);
    assert!(filings.iter().all(|e| e.kind == "open"));
    let as_of = chrono::NaiveDate::from_ymd_opt(2021, 6, 30).expect("date");
    let catalogue = registry::catalogue(s, county.id, as_of)
        .await
        .expect("catalogue");
    let domains: std::collections::HashSet<_> =
        catalogue.iter().filter_map(|e| e.entry.domain()).collect();
    assert_eq!(domains.len(), 26);
    let stale = registry::overdue_or_empty(s, county.id, as_of)
        .await
        .expect("overdue");
    assert_eq!(
        stale
            .iter()
            .map(|e| (e.entry.item_l2.as_str(), e.state))
            .collect::<Vec<_>>(),
        vec![("部门预算", registry::EntryState::Overdue)]
    );
}

on_both!(demo_2020, super::demo_reproduces_the_seed);
