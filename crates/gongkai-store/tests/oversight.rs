//! The superior office's workbench records (issue 15.3): outside units registered, reports
//! imported with their source kept, a decision on a finding that holds when the same report is
//! imported again and is cleared when its cells change (in the import's transaction, audited),
//! and the year-over-year findings kept current whichever year arrives first. On SQLite and
//! PostgreSQL.

#[macro_use]
mod common;

use chrono::{NaiveDate, Utc};
use common::TestStore;
use gongkai_law::Table3Row;
use gongkai_report::parse::{ParseOptions, check_parsed, parse_str};
use gongkai_report::rules::RuleId;
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::oversight::{self, NewReport, NewUnit, Origin, Verdict, finding_key};
use gongkai_store::{StoreError, audit};

fn shared(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/reports")
            .join(name),
    )
    .expect("shared report")
}

async fn workbench_records(t: &TestStore) {
    let s = &t.store;
    let city = agency::ensure(
        s,
        "test",
        "巡查测试市人民政府",
        AgencyLevel::City,
        None,
        None,
    )
    .await
    .expect("city");
    // An outside unit, registered once; a second registration of the name is refused.
    let unit = oversight::register_unit(
        s,
        "shangji",
        city.id,
        &NewUnit {
            name: "平潭综合实验区公安局",
            level: AgencyLevel::Department,
            parent_name: None,
            summary: false,
        },
        Utc::now(),
    )
    .await
    .expect("unit");
    assert_eq!(unit.level, AgencyLevel::Department);
    let again = oversight::register_unit(
        s,
        "shangji",
        city.id,
        &NewUnit {
            name: "平潭综合实验区公安局",
            level: AgencyLevel::Department,
            parent_name: None,
            summary: false,
        },
        Utc::now(),
    )
    .await;
    assert!(matches!(again, Err(StoreError::Refused(_))));
    assert_eq!(oversight::units(s, city.id).await.expect("units").len(), 1);

    // 2021-023 (平潭公安局 2021) has a T3-BALANCE error.
    let text = shared("2021-023.txt");
    let opts = ParseOptions {
        year: None,
        agency: Some("平潭综合实验区公安局".into()),
    };
    let parsed = parse_str(&text, &opts).expect("parse");
    let findings = check_parsed(&parsed);
    let new = NewReport {
        origin: Origin::Import,
        file_name: "县区.zip/2021-023.txt",
        kind: gongkai_report::batch::DocKind::Text,
        source: text.as_bytes(),
        report: &parsed.report,
        findings: &findings,
        published_on: NaiveDate::from_ymd_opt(2022, 1, 14),
    };
    let first = oversight::import(s, "shangji", city.id, &new, Utc::now())
        .await
        .expect("import");
    assert!(!first.replaced);
    let stored = oversight::report(s, first.id)
        .await
        .expect("get")
        .expect("one");
    assert_eq!(stored.year, 2021);
    assert_eq!(stored.report, parsed.report);
    assert_eq!(stored.findings, findings);
    assert_eq!(
        oversight::source(s, first.id)
            .await
            .expect("source")
            .as_deref(),
        Some(text.as_bytes())
    );
    let balance = stored
        .findings
        .iter()
        .find(|f| f.rule == RuleId::Table3Balance)
        .expect("T3-BALANCE");
    let key = finding_key(balance);

    // A decision needs a note and a finding of the report.
    assert!(matches!(
        oversight::decide(
            s,
            "shangji",
            &stored,
            &key,
            Verdict::Dismissed,
            " ",
            Utc::now()
        )
        .await,
        Err(StoreError::Refused(_))
    ));
    assert!(matches!(
        oversight::decide(
            s,
            "shangji",
            &stored,
            "NOPE|||",
            Verdict::Dismissed,
            "x",
            Utc::now()
        )
        .await,
        Err(StoreError::NotFound(_))
    ));
    oversight::decide(
        s,
        "shangji",
        &stored,
        &key,
        Verdict::Dismissed,
        "该局已书面说明：1件为上年度末收到",
        Utc::now(),
    )
    .await
    .expect("dismiss");
    let ds = oversight::decisions(s, city.id, 2021)
        .await
        .expect("decisions");
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0].verdict, Verdict::Dismissed);

    // The same report imported again: replaced, the dismissal holds.
    let second = oversight::import(s, "shangji", city.id, &new, Utc::now())
        .await
        .expect("again");
    assert_eq!(
        (
            second.id,
            second.replaced,
            second.cells_changed,
            second.cleared
        ),
        (first.id, true, false, 0)
    );
    assert_eq!(
        oversight::decisions(s, city.id, 2021)
            .await
            .expect("d")
            .len(),
        1
    );

    // Its cells changed: the dismissal is cleared in the import's transaction.
    let mut changed = parsed.report.clone();
    changed
        .requests
        .get_mut(&Table3Row::NewReceived)
        .expect("row")[0] = Some(2);
    let third = oversight::import(
        s,
        "shangji",
        city.id,
        &NewReport {
            report: &changed,
            ..new.clone()
        },
        Utc::now(),
    )
    .await
    .expect("changed");
    assert_eq!((third.cells_changed, third.cleared), (true, 1));
    assert!(
        oversight::decisions(s, city.id, 2021)
            .await
            .expect("d")
            .is_empty()
    );

    // Last year arrives after this year: this year's X-CARRY appears.
    let mut last = parsed.report.clone();
    last.year = 2020;
    last.requests.insert(
        Table3Row::CarriedOut,
        [
            Some(5),
            Some(0),
            Some(0),
            Some(0),
            Some(0),
            Some(0),
            Some(5),
        ],
    );
    oversight::import(
        s,
        "shangji",
        city.id,
        &NewReport {
            report: &last,
            findings: &[],
            ..new.clone()
        },
        Utc::now(),
    )
    .await
    .expect("last year");
    let now = oversight::report_of(s, city.id, 2021, "平潭综合实验区公安局")
        .await
        .expect("get")
        .expect("one");
    assert!(now.cross.iter().any(|f| f.rule == RuleId::CarryOver));
    assert_eq!(
        oversight::reports(s, city.id, 2021)
            .await
            .expect("list")
            .len(),
        1
    );
    assert!(
        oversight::reports(s, city.id + 1, 2021)
            .await
            .expect("other")
            .is_empty()
    );

    let log = audit::recent(s, 50).await.expect("audit");
    let count = |a: &str| log.iter().filter(|e| e.action == a).count();
    assert_eq!(
        (
            count("oversight.register_unit"),
            count("oversight.import"),
            count("oversight.decide")
        ),
        (1, 4, 1)
    );
}
on_both!(oversight_workbench, super::workbench_records);
