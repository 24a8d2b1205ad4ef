//! Properties of the legal clock that must hold for any receipt date and any pause.

#![allow(clippy::unwrap_used)] // tests may panic on broken fixtures

use chrono::{Datelike, Days, NaiveDate};
use gongkai_law::{Calendar, Channel, ClockEvent, Consultee, compute};
use proptest::prelude::*;
use std::sync::LazyLock;

static CAL: LazyLock<Calendar> = LazyLock::new(Calendar::embedded);

fn day(offset: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2006, 6, 1).unwrap() + Days::new(u64::from(offset))
}

/// Any day from mid-2006 (unknown) to 2028 (unknown), mostly within the known years.
fn any_day() -> impl Strategy<Value = NaiveDate> {
    (0u32..8200).prop_map(day)
}

fn received(on: NaiveDate) -> ClockEvent {
    ClockEvent::Received {
        channel: Channel::InPerson,
        arrived: on,
        confirmed: None,
    }
}

fn due(events: &[ClockEvent]) -> NaiveDate {
    compute(&CAL, events).unwrap().due.unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn a_due_date_is_always_a_working_day(r in any_day(), extend in any::<bool>()) {
        let mut events = vec![received(r)];
        if extend {
            events.push(ClockEvent::ExtensionApproved { on: None });
        }
        let c = compute(&CAL, &events).unwrap();
        for d in [c.original_due, c.extended_due, Some(c.correction_notice_due)].into_iter().flatten() {
            prop_assert!(CAL.is_working_day(d), "{d} from {r}");
            prop_assert!(d > r);
        }
    }

    #[test]
    fn a_later_receipt_never_gives_an_earlier_due_date(r in any_day(), later in 0u32..60) {
        let r2 = r + Days::new(u64::from(later));
        prop_assert!(due(&[received(r)]) <= due(&[received(r2)]));
    }

    #[test]
    fn a_pause_never_makes_it_earlier(
        r in any_day(),
        after in 0u32..30,
        len in 0u32..40,
        third_party in any::<bool>(),
    ) {
        let sent = r + Days::new(u64::from(after));
        let answered = sent + Days::new(u64::from(len));
        let plain = due(&[received(r)]);
        let stated = due(&[received(r), ClockEvent::Paused { sent, answered }]);
        prop_assert!(stated >= plain);
        let consultee = if third_party { Consultee::ThirdParty } else { Consultee::OtherAgency };
        let consulted = due(&[
            received(r),
            ClockEvent::ConsultationSent { consultee, on: sent },
            ClockEvent::ConsultationAnswered { consultee, on: answered },
        ]);
        prop_assert!(consulted >= plain);
        // An unanswered consultation pauses at least as long as any answered one.
        let silent = due(&[received(r), ClockEvent::ConsultationSent { consultee, on: sent }]);
        prop_assert!(silent >= consulted);
    }

    #[test]
    fn an_extension_ends_20_working_days_after_the_original_end(r in any_day()) {
        let c = compute(&CAL, &[received(r), ClockEvent::ExtensionApproved { on: None }]).unwrap();
        let original = c.original_due.unwrap();
        prop_assert_eq!(c.extended_due, CAL.nth_working_day_after(original, 20));
        prop_assert_eq!(c.due, c.extended_due);
    }

    #[test]
    fn the_trail_counts_exactly_n_days(
        r in any_day(),
        extend in any::<bool>(),
        after in 0u32..30,
        len in 0u32..20,
    ) {
        let sent = r + Days::new(u64::from(after));
        let answered = sent + Days::new(u64::from(len));
        let mut events = vec![received(r), ClockEvent::Paused { sent, answered }];
        if extend {
            events.push(ClockEvent::ExtensionApproved { on: None });
        }
        let c = compute(&CAL, &events).unwrap();
        let n = if extend { 40 } else { 20 };
        let numbers: Vec<u32> = c.trail.iter().filter_map(|t| t.n).collect();
        prop_assert_eq!(numbers, (1..=n).collect::<Vec<u32>>());
        // Every calendar day after the start is in the trail, once, through the due date.
        for (i, t) in c.trail.iter().enumerate() {
            prop_assert_eq!(t.date, r + Days::new(i as u64 + 1));
        }
        prop_assert_eq!(c.trail.last().map(|t| t.date), c.due);
        prop_assert!(c.trail.iter().filter(|t| t.n.is_some()).all(|t| t.date <= sent || t.date > answered));
    }

    #[test]
    fn a_date_past_the_known_calendar_is_provisional(offset in 0u32..900) {
        // Receipts from 2026-09 to 2029: a deadline in 2027 or later runs into unknown data.
        let r = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap() + Days::new(u64::from(offset));
        let c = compute(&CAL, &[received(r)]).unwrap();
        let due = c.due.unwrap();
        let unknown = (r.year()..=due.year()).any(|y| !CAL.is_year_known(y));
        prop_assert_eq!(c.provisional, unknown);
        prop_assert_eq!(c.reason.is_some(), unknown);
        if due.year() >= 2027 {
            prop_assert!(c.provisional);
        }
    }
}

#[test]
fn years_before_the_data_are_provisional_too() {
    let r = NaiveDate::from_ymd_opt(2006, 11, 1).unwrap();
    let c = compute(&CAL, &[received(r)]).unwrap();
    assert!(c.provisional);
    assert!(c.reason.unwrap().contains("2006年"));
}
