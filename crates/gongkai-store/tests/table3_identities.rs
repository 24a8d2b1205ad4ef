//! Acceptance 3: for random sets of applications (kinds, dates, procedural events, outcomes),
//! the generated report passes every arithmetic identity of table 三 — row totals, results
//! total, 一 + 二 = 三(七) + 四 per column — and the report checker finds no error.

#[macro_use]
mod common;

use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{Days, NaiveDate};
use common::TestStore;
use gongkai_report::rules::{Severity, check};
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::application::{self, Applicant, NewApplication};
use gongkai_store::{
    ApplicantKind, Channel, ClockEvent, Outcome, Report, ReportFormat, Table3Row, generate_report,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

#[derive(Debug, Clone)]
struct Spec {
    kind: usize,
    received: u64,
    correction: bool,
    extension: bool,
    reply: Option<(usize, u64)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        0..6usize,
        0..1100u64,
        any::<bool>(),
        any::<bool>(),
        proptest::option::of((0..21usize, 0..400u64)),
    )
        .prop_map(|(kind, received, correction, extension, reply)| Spec {
            kind,
            received,
            correction,
            extension,
            reply,
        })
}

static AGENCY: AtomicUsize = AtomicUsize::new(0);

fn base() -> NaiveDate {
    NaiveDate::from_ymd_opt(2019, 1, 1).expect("date")
}

async fn run_case(
    t: &TestStore,
    specs: &[Spec],
    year: i32,
    format: ReportFormat,
) -> Result<Report, String> {
    let name = format!("随机县{}", AGENCY.fetch_add(1, Ordering::Relaxed));
    let a = agency::ensure(&t.store, "test", &name, AgencyLevel::County, None, None)
        .await
        .map_err(|e| e.to_string())?;
    // A township below it, so the subtree is exercised.
    let town = agency::ensure(
        &t.store,
        "test",
        &format!("{name}某镇"),
        AgencyLevel::Township,
        Some(a.id),
        None,
    )
    .await
    .map_err(|e| e.to_string())?;
    for (i, s) in specs.iter().enumerate() {
        let received = base() + Days::new(s.received);
        let app = application::create(
            &t.store,
            "test",
            &NewApplication {
                agency_id: if i % 3 == 0 { town.id } else { a.id },
                tracking_no: None,
                channel: Channel::InPerson,
                sent_on: None,
                arrived: received,
                confirmed: None,
                applicant: Applicant {
                    kind: Some(ApplicantKind::ALL[s.kind]),
                    name: format!("申请人{i}"),
                    ..Applicant::default()
                },
                description: "随机申请".into(),
                document_number: None,
                delivery: "electronic".into(),
                note: String::new(),
            },
        )
        .await
        .map_err(|e| e.to_string())?;
        if s.correction {
            let on = received + Days::new(2);
            application::record_event(
                &t.store,
                "test",
                app.id,
                ClockEvent::CorrectionNoticeSent { on },
            )
            .await
            .map_err(|e| e.to_string())?;
        }
        if s.extension {
            application::record_event(
                &t.store,
                "test",
                app.id,
                ClockEvent::ExtensionApproved { on: None },
            )
            .await
            .map_err(|e| e.to_string())?;
        }
        if let Some((o, delay)) = s.reply {
            // Replies come after the procedural events.
            let on = received + Days::new(delay + 3);
            application::reply(&t.store, "test", app.id, on, Outcome::ALL[o])
                .await
                .map_err(|e| e.to_string())?;
        }
    }
    generate_report(&t.store, &name, year, format)
        .await
        .map_err(|e| e.to_string())
}

fn identities(r: &Report, specs: &[Spec]) -> Result<(), String> {
    let cell = |row: Table3Row, c: usize| r.requests.get(&row).and_then(|v| v[c]).unwrap_or(0);
    for (row, v) in &r.requests {
        let sum: i64 = v[..6].iter().map(|c| c.unwrap_or(0)).sum();
        if Some(sum) != v[6] {
            return Err(format!("row total of {row:?}: {v:?}"));
        }
    }
    for c in 0..7 {
        let results: i64 = Table3Row::rows(r.format)
            .iter()
            .filter(|row| row.is_result())
            .map(|row| cell(*row, c))
            .sum();
        if results != cell(Table3Row::ResultsTotal, c) {
            return Err(format!("results total, column {c}"));
        }
        let left = cell(Table3Row::NewReceived, c) + cell(Table3Row::CarriedIn, c);
        let right = cell(Table3Row::ResultsTotal, c) + cell(Table3Row::CarriedOut, c);
        if left != right {
            return Err(format!("balance, column {c}: {left} != {right}"));
        }
    }
    let new_total = cell(Table3Row::NewReceived, 6);
    let year_start = NaiveDate::from_ymd_opt(r.year, 1, 1).expect("date");
    let year_end = NaiveDate::from_ymd_opt(r.year, 12, 31).expect("date");
    let expected_new = specs
        .iter()
        .filter(|s| {
            let d = base() + Days::new(s.received);
            d >= year_start && d <= year_end
        })
        .count() as i64;
    if new_total != expected_new {
        return Err(format!("新收 {new_total}, expected {expected_new}"));
    }
    let errors: Vec<_> = check(r)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        return Err(format!("checker errors: {errors:?}"));
    }
    Ok(())
}

async fn random_applications_balance(t: &TestStore) {
    let mut runner = TestRunner::new(Config {
        cases: 12,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (
        proptest::collection::vec(spec(), 0..14),
        2019..2023i32,
        any::<bool>(),
    );
    let handle = tokio::runtime::Handle::current();
    tokio::task::block_in_place(|| {
        runner
            .run(&strategy, |(specs, year, f2021)| {
                let format = if f2021 {
                    ReportFormat::Current2021
                } else {
                    ReportFormat::Trial2019
                };
                let report = handle
                    .block_on(run_case(t, &specs, year, format))
                    .map_err(TestCaseError::fail)?;
                identities(&report, &specs).map_err(TestCaseError::fail)
            })
            .expect("table 三 identities");
    });
}

on_both!(table3, super::random_applications_balance);
