//! Acceptance 2: an application received 2025-12-15 and answered 2026-01-10 is 新收 and 结转
//! in 2025, 上年结转 and a result in 2026.

#[macro_use]
mod common;

use chrono::NaiveDate;
use common::TestStore;
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::application::{self, Applicant, NewApplication};
use gongkai_store::{ApplicantKind, Channel, Outcome, ReportFormat, Table3Row, generate_report};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

async fn across_new_year(t: &TestStore) {
    let a = agency::ensure(
        &t.store,
        "test",
        "测试县人民政府",
        AgencyLevel::County,
        None,
        None,
    )
    .await
    .expect("agency");
    let app = application::create(
        &t.store,
        "test",
        &NewApplication {
            agency_id: a.id,
            tracking_no: None,
            channel: Channel::InPerson,
            sent_on: None,
            arrived: day("2025-12-15"),
            confirmed: None,
            applicant: Applicant {
                kind: Some(ApplicantKind::Commercial),
                name: "测试公司".into(),
                ..Applicant::default()
            },
            description: "申请公开某文件".into(),
            document_number: None,
            delivery: "electronic".into(),
            note: String::new(),
        },
    )
    .await
    .expect("create");
    // Legal-clock vector J: due 2026-01-13.
    assert_eq!(app.due_on, Some(day("2026-01-13")));
    let replied = application::reply(
        &t.store,
        "test",
        app.id,
        day("2026-01-10"),
        Outcome::Disclosed,
    )
    .await
    .expect("reply");
    assert_eq!(replied.concluded_on, Some(day("2026-01-10")));

    let col = ApplicantKind::Commercial.column();
    let r25 = generate_report(&t.store, "测试县人民政府", 2025, ReportFormat::Current2021)
        .await
        .expect("2025");
    let r26 = generate_report(&t.store, &a.id.to_string(), 2026, ReportFormat::Current2021)
        .await
        .expect("2026");
    let cell = |r: &gongkai_store::Report, row: Table3Row| r.requests[&row][col];
    assert_eq!(cell(&r25, Table3Row::NewReceived), Some(1));
    assert_eq!(cell(&r25, Table3Row::CarriedOut), Some(1));
    assert_eq!(cell(&r25, Table3Row::ResultsTotal), Some(0));
    assert_eq!(cell(&r25, Table3Row::CarriedIn), Some(0));
    assert_eq!(cell(&r26, Table3Row::CarriedIn), Some(1));
    assert_eq!(cell(&r26, Table3Row::Disclosed), Some(1));
    assert_eq!(cell(&r26, Table3Row::ResultsTotal), Some(1));
    assert_eq!(cell(&r26, Table3Row::NewReceived), Some(0));
    assert_eq!(cell(&r26, Table3Row::CarriedOut), Some(0));
    assert_eq!(r26.requests[&Table3Row::ResultsTotal][6], Some(1));
}

on_both!(received_2025_answered_2026, super::across_new_year);
