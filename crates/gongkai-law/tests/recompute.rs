//! A changed calendar changes the deadlines of existing cases, and says which moved.

#![allow(clippy::unwrap_used)] // tests may panic on broken fixtures

use chrono::NaiveDate;
use gongkai_law::{Calendar, Channel, ClockEvent, compute, moved_deadlines};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn in_person(s: &str) -> Vec<ClockEvent> {
    vec![ClockEvent::Received {
        channel: Channel::InPerson,
        arrived: d(s),
        confirmed: None,
    }]
}

/// The embedded 2025 arrangement with one extra rest day on Friday 2025-11-07.
fn with_extra_holiday(cal: &Calendar) -> Calendar {
    let mut file: serde_json::Value =
        serde_json::from_str(include_str!("../data/holidays/2025.json")).unwrap();
    file["days"].as_array_mut().unwrap().push(serde_json::json!(
        {"name": "临时休假", "date": "2025-11-07", "isOffDay": true}
    ));
    cal.with_year(&file.to_string()).unwrap()
}

#[test]
fn an_extra_holiday_moves_the_due_dates_that_run_over_it() {
    let old = Calendar::embedded();
    let new = with_extra_holiday(&old);
    let changes = new.changes_from(&old);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].date, d("2025-11-07"));
    assert!(changes[0].before.is_working() && !changes[0].after.is_working());

    // Vector E's extension runs over 11-07; vector M's deadline (11-05) ends before it.
    let mut e = in_person("2025-09-15");
    e.push(ClockEvent::ExtensionApproved { on: None });
    let m = vec![ClockEvent::Received {
        channel: Channel::OrdinaryLetter,
        arrived: d("2025-09-30"),
        confirmed: Some(d("2025-10-09")),
    }];
    let late = in_person("2025-10-20"); // 20 working days end on 11-17 without the holiday
    let early = in_person("2025-01-20");
    let cases: Vec<(&str, &[ClockEvent])> =
        vec![("E", &e), ("M", &m), ("late", &late), ("early", &early)];

    assert_eq!(compute(&old, &late).unwrap().due, Some(d("2025-11-17")));
    assert_eq!(compute(&new, &late).unwrap().due, Some(d("2025-11-18")));

    let moved = moved_deadlines(&old, &new, cases);
    let ids: Vec<&str> = moved.iter().map(|m| m.case).collect();
    assert_eq!(ids, ["E", "late"]);
    let e_moved = &moved[0];
    assert_eq!(e_moved.before.original_due, e_moved.after.original_due);
    assert_eq!(e_moved.before.extended_due, Some(d("2025-11-14")));
    assert_eq!(e_moved.after.extended_due, Some(d("2025-11-17")));
}

#[test]
fn publishing_2027_settles_provisional_deadlines() {
    let old = Calendar::embedded();
    // A hypothetical 2027 arrangement: 元旦 2027-01-01 off.
    let new = old
        .with_year(r#"{"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}"#)
        .unwrap();
    let k = in_person("2026-12-10");
    let moved = moved_deadlines(&old, &new, [("K", k.as_slice())]);
    assert_eq!(moved.len(), 1);
    assert!(moved[0].before.provisional && !moved[0].after.provisional);
    // 元旦 is a statutory holiday, already skipped while 2027 was unknown: the date holds and
    // only the provisional mark goes.
    assert_eq!(moved[0].after.due, moved[0].before.due);
}
