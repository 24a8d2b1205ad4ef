//! 网上巡查 runs: a run and its findings are recorded together with an audit entry; the list
//! counts findings and vetoes; the trend counts findings per rule and run; the scheduler's
//! last run is found by who started it.

#[macro_use]
mod common;

use chrono::NaiveDate;
use common::TestStore;
use gongkai_store::models::site_inspection::{self, NewFinding, NewRun};
use gongkai_store::{StoreError, audit};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn run<'a>(started_by: &'a str, findings: Vec<NewFinding<'a>>) -> NewRun<'a> {
    NewRun {
        url: "http://127.0.0.1:8080/",
        as_of: d(2020, 12, 31),
        started_by,
        veto: findings.iter().any(|f| f.veto),
        pages: 120,
        probes_sent: 3,
        probes_failed: 0,
        external_links: 2,
        score_tenths: None,
        findings,
    }
}

async fn record_list_trend(t: &TestStore) {
    let s = &t.store;
    let stale = NewFinding {
        rule: "COLUMN-STALE",
        veto: false,
        url: "http://127.0.0.1:8080/yw",
        detail: "栏目「要闻」最新信息日期为 2020-11-01",
        deduction_tenths: 0,
    };
    let pii = NewFinding {
        rule: "PII-EXPOSED",
        veto: true,
        url: "http://127.0.0.1:8080/p",
        detail: "页面显示个人信息：居民身份证号 1101**********0015",
        deduction_tenths: 0,
    };
    let first = site_inspection::record(s, "cli", &run("cli", vec![stale.clone(), pii.clone()]))
        .await
        .expect("record first");
    let second = site_inspection::record(s, "system", &run("scheduled", vec![stale.clone()]))
        .await
        .expect("record second");
    let third = site_inspection::record(s, "system", &run("scheduled", vec![]))
        .await
        .expect("record third");

    let runs = site_inspection::list(s, 10).await.expect("list");
    assert_eq!(
        runs.iter().map(|r| r.id).collect::<Vec<_>>(),
        vec![third, second, first]
    );
    let r1 = runs.iter().find(|r| r.id == first).expect("first listed");
    assert_eq!((r1.findings, r1.vetoes), (2, 1));
    assert_eq!(r1.verdict_label(), "单项否决");
    assert_eq!(r1.as_of, d(2020, 12, 31));
    assert_eq!(r1.pages, 120);
    let r3 = runs.iter().find(|r| r.id == third).expect("third listed");
    assert_eq!((r3.findings, r3.vetoes, r3.verdict_label()), (0, 0, "合格"));
    assert_eq!(site_inspection::list(s, 1).await.expect("list 1").len(), 1);

    let f = site_inspection::findings(s, first).await.expect("findings");
    assert_eq!(
        f.iter()
            .map(|f| (f.rule.as_str(), f.veto))
            .collect::<Vec<_>>(),
        vec![("COLUMN-STALE", false), ("PII-EXPOSED", true)]
    );
    assert!(f[1].detail.contains("1101**********0015"));
    assert_eq!(
        site_inspection::get(s, second)
            .await
            .expect("get")
            .map(|r| r.findings),
        Some(1)
    );
    assert_eq!(
        site_inspection::get(s, 999_999).await.expect("get none"),
        None
    );

    let trend = site_inspection::counts_by_rule(s, 10).await.expect("trend");
    let cells: Vec<_> = trend
        .iter()
        .map(|c| (c.run_id, c.rule.as_str(), c.count))
        .collect();
    assert_eq!(
        cells,
        vec![
            (first, "COLUMN-STALE", 1),
            (first, "PII-EXPOSED", 1),
            (second, "COLUMN-STALE", 1)
        ]
    );

    assert!(
        site_inspection::last_ran_at(s, "scheduled")
            .await
            .expect("last")
            .is_some()
    );
    assert_eq!(
        site_inspection::last_ran_at(s, "nobody")
            .await
            .expect("none"),
        None
    );

    // Each run is audited.
    let log = audit::recent(s, 100).await.expect("audit");
    assert_eq!(
        log.iter()
            .filter(|e| e.action == "site_inspection.record")
            .count(),
        3
    );
    audit::verify(s).await.expect("chain intact");

    // A blank URL records nothing.
    let mut bad = run("cli", vec![]);
    bad.url = " ";
    assert!(matches!(
        site_inspection::record(s, "cli", &bad).await,
        Err(StoreError::Refused(_))
    ));
    assert_eq!(site_inspection::list(s, 10).await.expect("list").len(), 3);
}

on_both!(record_list_trend, crate::record_list_trend);

/// Probes are appended and read back by URL and time range; the score and deductions of a run
/// are kept; the 严重表述错误 list is edited with audit entries.
async fn probes_scores_and_severe_words(t: &TestStore) {
    use chrono::{TimeZone, Utc};
    use gongkai_store::models::{severe_word, site_probe};
    let s = &t.store;
    let url = "http://127.0.0.1:8080/";
    let t0 = Utc
        .with_ymd_and_hms(2020, 12, 24, 0, 0, 0)
        .single()
        .expect("t0");
    for i in 0..30 {
        let at = t0 + chrono::Duration::minutes(72 * i);
        let status = if i == 5 { None } else { Some(200) };
        site_probe::record(s, url, at, status, i == 5, 12)
            .await
            .expect("probe");
    }
    site_probe::record(s, "http://other/", t0, Some(200), false, 3)
        .await
        .expect("other");
    let day = site_probe::between(s, url, t0, t0 + chrono::Duration::days(1))
        .await
        .expect("between");
    assert_eq!(day.len(), 20);
    assert_eq!(day.iter().filter(|p| p.failed).count(), 1);
    assert_eq!(day[5].status, None);
    assert_eq!(day[0].at(), Some(t0));

    let id = site_inspection::record(
        s,
        "cli",
        &NewRun {
            score_tenths: Some(875),
            findings: vec![NewFinding {
                rule: "COLUMN-STALE",
                veto: false,
                url: "http://127.0.0.1:8080/yw",
                detail: "栏目「要闻」",
                deduction_tenths: 50,
            }],
            ..run("cli", vec![])
        },
    )
    .await
    .expect("scored run");
    let r = site_inspection::get(s, id)
        .await
        .expect("get")
        .expect("run");
    assert_eq!(
        (r.score_tenths, r.score_label().as_str()),
        (Some(875), "87.5")
    );
    assert_eq!(r.verdict_label(), "合格");
    let low = site_inspection::record(
        s,
        "cli",
        &NewRun {
            score_tenths: Some(550),
            ..run("cli", vec![])
        },
    )
    .await
    .expect("low run");
    let r = site_inspection::get(s, low)
        .await
        .expect("get")
        .expect("run");
    assert_eq!(r.verdict_label(), "不合格");
    let f = site_inspection::findings(s, id).await.expect("findings");
    assert_eq!(f[0].deduction_tenths, 50);

    let w = severe_word::add(s, "admin", " 社会主意核心价值观 ", t0)
        .await
        .expect("add");
    assert_eq!(w.word, "社会主意核心价值观");
    assert!(matches!(
        severe_word::add(s, "admin", "社会主意核心价值观", t0).await,
        Err(StoreError::Refused(_))
    ));
    assert!(matches!(
        severe_word::add(s, "admin", "  ", t0).await,
        Err(StoreError::Refused(_))
    ));
    assert_eq!(severe_word::list(s).await.expect("list").len(), 1);
    severe_word::remove(s, "admin", w.id).await.expect("remove");
    assert!(severe_word::list(s).await.expect("list").is_empty());
    let log = audit::recent(s, 100).await.expect("audit");
    assert!(log.iter().any(|e| e.action == "severe_word.add"));
    assert!(log.iter().any(|e| e.action == "severe_word.remove"));
    audit::verify(s).await.expect("chain intact");
}

on_both!(
    probes_scores_and_severe_words,
    crate::probes_scores_and_severe_words
);
