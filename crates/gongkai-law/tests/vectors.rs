//! The test vectors of `spec/legal-clock.md` (A–N), read from `clock_vectors.json` and run
//! through the library. The same file drives the CLI test in `crates/gongkai/tests`.

#![allow(clippy::unwrap_used)] // tests may panic on broken fixtures

use chrono::NaiveDate;
use gongkai_law::{Calendar, ClockEvent, PauseCause, TrailKind, compute};
use serde::Deserialize;

#[derive(Deserialize)]
struct Vector {
    id: String,
    spec: String,
    events: Vec<ClockEvent>,
    expect: Expect,
}

#[derive(Deserialize)]
struct Expect {
    received: Option<NaiveDate>,
    due: Option<NaiveDate>,
    correction_notice_due: Option<NaiveDate>,
    extended_due: Option<NaiveDate>,
    consultee_due: Option<NaiveDate>,
    provisional: bool,
    carried_over: Option<i32>,
}

#[test]
fn every_spec_vector_holds() {
    let vectors: Vec<Vector> = serde_json::from_str(include_str!("clock_vectors.json")).unwrap();
    let ids: String = vectors.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(
        ids, "ABCDEFGHIJLMNKK2K3K4",
        "every vector of the spec is in the table"
    );
    let cal = Calendar::embedded();
    for v in &vectors {
        let at = format!("vector {} ({})", v.id, v.spec);
        let c = compute(&cal, &v.events).unwrap_or_else(|e| panic!("{at}: {e}"));
        let x = &v.expect;
        if let Some(r) = x.received {
            assert_eq!(c.received, r, "{at}: receipt");
        }
        if x.due.is_some() {
            assert_eq!(c.original_due, x.due, "{at}: due");
        }
        if let Some(n) = x.correction_notice_due {
            assert_eq!(c.correction_notice_due, n, "{at}: 补正 notice");
        }
        assert_eq!(c.extended_due, x.extended_due, "{at}: extension");
        assert_eq!(c.due, x.extended_due.or(c.original_due), "{at}: in force");
        if let Some(cd) = x.consultee_due {
            let p = c
                .pauses
                .iter()
                .find(|p| matches!(p.cause, PauseCause::Consultation(_)))
                .unwrap_or_else(|| panic!("{at}: no consultation"));
            assert_eq!(p.counterparty_due, Some(cd), "{at}: consultee's deadline");
        }
        assert_eq!(c.provisional, x.provisional, "{at}: provisional");
        assert_eq!(c.reason.is_some(), x.provisional, "{at}: reason");
        if let Some(year) = x.carried_over {
            assert!(c.carried_over(year), "{at}: 结转");
            assert!(!c.carried_over(year - 1), "{at}: not before receipt");
        }
        // The trail ends on the last deadline and numbers its counted days 1..=n.
        let last = c.extended_due.or(c.original_due);
        assert_eq!(c.trail.last().map(|t| t.date), last, "{at}: trail end");
        let numbers: Vec<u32> = c.trail.iter().filter_map(|t| t.n).collect();
        let n = if c.extended_due.is_some() { 40 } else { 20 };
        assert_eq!(numbers, (1..=n).collect::<Vec<_>>(), "{at}: trail numbers");
    }
}

#[test]
fn the_trail_names_holidays_and_make_up_days() {
    let cal = Calendar::embedded();
    let v: Vec<Vector> = serde_json::from_str(include_str!("clock_vectors.json")).unwrap();
    let a = v.iter().find(|v| v.id == "A").unwrap();
    let c = compute(&cal, &a.events).unwrap();
    let day = |s: &str| {
        let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        c.trail.iter().find(|t| t.date == d).unwrap().clone()
    };
    assert_eq!(day("2020-09-26").kind, TrailKind::Weekend);
    let sunday = day("2020-09-27");
    assert_eq!((sunday.kind, sunday.n), (TrailKind::Makeup, Some(1)));
    let national_day = day("2020-10-01");
    assert_eq!(national_day.kind, TrailKind::Holiday);
    assert_eq!(national_day.name.as_deref(), Some("国庆节、中秋节"));
    assert_eq!(day("2020-10-29").n, Some(20));
    let k = v.iter().find(|v| v.id == "K").unwrap();
    let c = compute(&cal, &k.events).unwrap();
    assert!(c.reason.as_deref().unwrap().contains("2027年"));
    assert!(c.trail.iter().any(|t| t.kind == TrailKind::Provisional));
}
