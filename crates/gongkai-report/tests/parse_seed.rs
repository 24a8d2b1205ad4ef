//! The seed (夏邑县人民政府 2020, tab-separated 2019 format) parses into the hand-written
//! canonical JSON in `tests/data/seed-2020.json`, and checks with exactly the two warnings the
//! spec names.
#![allow(clippy::unwrap_used)] // Tests fail loudly on bad data.

use gongkai_report::parse::{ParseOptions, check_parsed, parse_str};
use gongkai_report::rules::{RuleId, check};
use std::path::PathBuf;

fn seed() -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seed/xiayi-2020-annual-report.txt");
    std::fs::read_to_string(p).unwrap()
}

fn expected() -> serde_json::Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/seed-2020.json");
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[test]
fn the_seed_parses_into_its_canonical_json() {
    let p = parse_str(&seed(), &ParseOptions::default()).unwrap();
    let mut got: serde_json::Value = serde_json::from_str(&p.report.to_json()).unwrap();
    let sections = got.as_object_mut().unwrap().remove("sections").unwrap();
    assert_eq!(got, expected());
    let keys: Vec<&String> = sections.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["1", "5", "6"]);
    assert!(sections["1"].as_str().unwrap().starts_with("2020年以来"));
    assert_eq!(sections["6"], "无其他需要报告事项。");
}

#[test]
fn the_seed_checks_with_exactly_two_warnings() {
    let p = parse_str(&seed(), &ParseOptions::default()).unwrap();
    let findings = check_parsed(&p);
    let mut ids: Vec<RuleId> = findings.iter().map(|f| f.rule).collect();
    ids.sort();
    assert_eq!(
        ids,
        [RuleId::FormatDecimals, RuleId::TextParts],
        "{findings:#?}"
    );
    assert!(findings.iter().all(|f| !f.is_error()));
    // The model holds values, not how they were printed: 111.1 can be printed as the form
    // asks (111.1000), so FMT-DECIMALS is the parser's finding about the source text, and a
    // report generated from records or read from JSON does not get it.
    let model_only: Vec<RuleId> = check(&p.report).iter().map(|f| f.rule).collect();
    assert_eq!(model_only, [RuleId::TextParts]);
    let f = check_parsed(&p);
    let parts = f.iter().find(|f| f.rule == RuleId::TextParts).unwrap();
    assert_eq!(parts.expected, Some(5863.into()));
    assert_eq!(parts.found, Some(5998.into()));
    assert!(
        parts.message.contains("4884+589+525=5998"),
        "{}",
        parts.message
    );
}

#[test]
fn the_seed_json_reads_back_as_the_same_report() {
    let p = parse_str(&seed(), &ParseOptions::default()).unwrap();
    let mut report = p.report.clone();
    report.sections.clear();
    let again = parse_str(&report.to_json(), &ParseOptions::default()).unwrap();
    assert_eq!(again.report, report);
}
