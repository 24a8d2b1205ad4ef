//! Every hand-checked canonical JSON in `../shared/reports/expected` reads into the model and
//! writes back to the same JSON value.

use gongkai_report::Report;
use std::path::PathBuf;

fn expected_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reports/expected")
}

#[test]
fn expected_reports_round_trip_through_the_model() {
    let mut n = 0;
    for entry in std::fs::read_dir(expected_dir()).expect("shared/reports/expected") {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let report = Report::from_json(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let want: serde_json::Value = serde_json::from_str(&text).unwrap();
        let got: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(got, want, "{}", path.display());
        n += 1;
    }
    assert!(n >= 6);
}
