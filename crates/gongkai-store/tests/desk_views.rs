//! The application desk's read queries on both back ends: open cases of a subtree ordered by
//! due date with their urgency, replied cases left off, other agencies left off; letter serials
//! per agency, year and kind of letter, unique and without gaps, stable across calls.

#[macro_use]
mod common;

use chrono::NaiveDate;
use common::TestStore;
use gongkai_law::{Channel, ClockEvent, Outcome};
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::application::{self, Applicant, NewApplication};
use gongkai_store::models::application_desk::{self, ReplyDetails};
use gongkai_store::views::desk::{self, Urgency};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn new(agency_id: i64, name: &str, arrived: NaiveDate) -> NewApplication {
    NewApplication {
        agency_id,
        tracking_no: None,
        channel: Channel::InPerson,
        sent_on: None,
        arrived,
        confirmed: None,
        applicant: Applicant {
            name: name.into(),
            ..Applicant::default()
        },
        description: "某文件".into(),
        document_number: None,
        delivery: "paper".into(),
        note: String::new(),
    }
}

async fn desk_case(t: &TestStore) {
    let s = &t.store;
    let county = agency::ensure(s, "test", "办理台测试县", AgencyLevel::County, None, None)
        .await
        .expect("county");
    let dept = agency::ensure(
        s,
        "test",
        "办理台测试县教育局",
        AgencyLevel::Department,
        Some(county.id),
        None,
    )
    .await
    .expect("dept");
    let other = agency::ensure(s, "test", "办理台另一县", AgencyLevel::County, None, None)
        .await
        .expect("other");
    let late = application::create(s, "t", &new(county.id, "甲", d(2026, 2, 2)))
        .await
        .expect("late");
    let soon = application::create(s, "t", &new(dept.id, "乙", d(2026, 3, 6)))
        .await
        .expect("soon");
    let waiting = application::create(s, "t", &new(county.id, "丙", d(2026, 3, 20)))
        .await
        .expect("waiting");
    application::record_event(
        s,
        "t",
        waiting.id,
        ClockEvent::CorrectionNoticeSent { on: d(2026, 3, 23) },
    )
    .await
    .expect("补正");
    let done = application::create(s, "t", &new(county.id, "丁", d(2026, 3, 2)))
        .await
        .expect("done");
    application::reply(s, "t", done.id, d(2026, 3, 10), Outcome::Disclosed)
        .await
        .expect("reply");
    application::create(s, "t", &new(other.id, "戊", d(2026, 3, 2)))
        .await
        .expect("other");

    let rows = desk::open_cases(s, county.id, d(2026, 4, 1), 100)
        .await
        .expect("desk");
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    assert_eq!(ids, vec![late.id, soon.id, waiting.id]);
    let urg: Vec<Urgency> = rows.iter().map(|r| r.urgency).collect();
    assert_eq!(
        urg,
        vec![Urgency::Overdue, Urgency::DueSoon, Urgency::Stopped]
    );

    // Letter serials count per agency, year and kind of letter: the 补正 notice is the
    // county's first 补正告知书 of 2026, the reply its first 答复书; procedural events without
    // a letter have none.
    let ev = application::events(s, waiting.id).await.expect("events");
    let notice = ev
        .iter()
        .find(|e| matches!(e.event, ClockEvent::CorrectionNoticeSent { .. }));
    let notice = notice.expect("notice").id;
    assert_eq!(
        desk::letter_serial(s, notice).await.expect("serial"),
        Some(1)
    );
    let ev = application::events(s, done.id).await.expect("events");
    let replied = ev
        .iter()
        .find(|e| matches!(e.event, ClockEvent::Replied { .. }));
    let replied = replied.expect("reply").id;
    assert_eq!(
        desk::letter_serial(s, replied).await.expect("serial"),
        Some(1)
    );
    assert_eq!(
        desk::letter_serial(s, replied).await.expect("serial"),
        Some(1)
    );
    assert_eq!(
        desk::letter_serial(s, ev[0].id).await.expect("serial"),
        None
    );

    // The reply letter's reasons and responsible agency stay on the reply event; the events
    // still read back as the clock's.
    let details = ReplyDetails {
        reasons: Some("理由".into()),
        responsible_agency: Some("某局".into()),
        basis: vec!["第三十六条第（四）项".into()],
    };
    application_desk::set_reply_details(s, "t", done.id, &details)
        .await
        .expect("details");
    assert_eq!(
        application_desk::reply_details(s, done.id)
            .await
            .expect("read"),
        details
    );
    assert_eq!(
        application::events(s, done.id).await.expect("events").len(),
        2
    );
    assert!(
        application_desk::set_reply_details(s, "t", late.id, &details)
            .await
            .is_err()
    );
    // Only a replied case closes, once.
    assert!(application_desk::close(s, "t", late.id).await.is_err());
    application_desk::close(s, "t", done.id)
        .await
        .expect("close");
    assert!(application_desk::close(s, "t", done.id).await.is_err());
    let closed = application::get(s, done.id).await.expect("get");
    assert_eq!(closed.status.key(), "closed");
    assert_eq!(closed.outcome.map(|o| o.key()), Some("disclosed"));

    // A reply stores its letter's words with it, in one write; a basis the outcome does not
    // allow is refused and nothing is recorded.
    let wrong = ReplyDetails {
        reasons: Some("属于国家秘密".into()),
        responsible_agency: None,
        basis: vec!["第三十七条".into()],
    };
    assert!(
        application_desk::reply(
            s,
            "t",
            soon.id,
            d(2026, 3, 20),
            Outcome::WithheldStateSecret,
            &wrong
        )
        .await
        .is_err()
    );
    assert_eq!(
        application::events(s, soon.id).await.expect("events").len(),
        1
    );
    let right = ReplyDetails {
        basis: vec!["第十四条".into()],
        ..wrong
    };
    let replied = application_desk::reply(
        s,
        "t",
        soon.id,
        d(2026, 3, 20),
        Outcome::WithheldStateSecret,
        &right,
    )
    .await
    .expect("reply");
    assert_eq!(
        replied.outcome.map(|o| o.key()),
        Some("withheld_state_secret")
    );
    assert_eq!(
        application_desk::reply_details(s, soon.id)
            .await
            .expect("read"),
        right
    );
}

on_both!(desk_open_cases_and_letter_serials, super::desk_case);
