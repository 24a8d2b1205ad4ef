//! Issue 13, acceptance 5: the 依申请公开台账 exported as XLSX imports into an empty database
//! and gives the same table 三, on SQLite and PostgreSQL. Also: every case is findable by the
//! desk's filters (status, outcome, year, channel, overdue, tracking number or name) with
//! paging.

#[macro_use]
mod common;

use chrono::NaiveDate;
use common::TestStore;
use gongkai_store::ledger::LedgerOptions;
use gongkai_store::ledger_export::export_ledger;
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::application::{self, Applicant, NewApplication};
use gongkai_store::views::case_search::{CaseFilter, StatusFilter, count_cases, find_cases};
use gongkai_store::{
    ApplicantKind, Channel, ClockEvent, Outcome, ReportFormat, generate_report, import_ledger,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

struct Case {
    agency: usize,
    channel: Channel,
    arrived: NaiveDate,
    kind: ApplicantKind,
    name: &'static str,
    reply: Option<(NaiveDate, Outcome)>,
}

fn cases() -> Vec<Case> {
    use ApplicantKind as K;
    use Outcome as O;
    let c = |agency, channel, arrived, kind, name, reply| Case {
        agency,
        channel,
        arrived,
        kind,
        name,
        reply,
    };
    vec![
        // Received in 2025 and still open at its end: 结转 into 2026, answered then.
        c(
            0,
            Channel::InPerson,
            d(2025, 12, 15),
            K::NaturalPerson,
            "王某",
            Some((d(2026, 1, 9), O::Disclosed)),
        ),
        // Received in 2025, never answered (open, overdue by 2026).
        c(
            0,
            Channel::Online,
            d(2025, 11, 3),
            K::Commercial,
            "某商贸有限公司",
            None,
        ),
        c(
            0,
            Channel::Post,
            d(2025, 3, 4),
            K::NaturalPerson,
            "李某",
            Some((d(2025, 3, 20), O::PartiallyDisclosed)),
        ),
        c(
            1,
            Channel::Email,
            d(2025, 6, 2),
            K::LegalService,
            "某律师事务所",
            Some((d(2025, 6, 10), O::UnableNotHeld)),
        ),
        c(
            1,
            Channel::Fax,
            d(2026, 2, 24),
            K::Research,
            "某研究院",
            Some((d(2026, 3, 2), O::WithheldThirdParty)),
        ),
        c(
            0,
            Channel::OrdinaryLetter,
            d(2026, 4, 1),
            K::NaturalPerson,
            "张某（100%_测试）",
            Some((d(2026, 4, 20), O::DeclinedRepeat)),
        ),
        c(
            0,
            Channel::InPerson,
            d(2026, 5, 6),
            K::SocialWelfare,
            "某公益基金会",
            None,
        ),
        c(
            1,
            Channel::Online,
            d(2026, 6, 8),
            K::OtherOrg,
            "某协会",
            Some((d(2026, 6, 30), O::OtherOther)),
        ),
    ]
}

async fn seed(t: &TestStore) -> (i64, Vec<i64>) {
    let s = &t.store;
    let county = agency::ensure(
        s,
        "test",
        "台账往返县人民政府",
        AgencyLevel::County,
        None,
        None,
    )
    .await
    .expect("county");
    let dept = agency::ensure(
        s,
        "test",
        "台账往返县教育局",
        AgencyLevel::Department,
        Some(county.id),
        None,
    )
    .await
    .expect("department");
    let agencies = [county.id, dept.id];
    let mut ids = Vec::new();
    for c in cases() {
        let new = NewApplication {
            agency_id: agencies[c.agency],
            tracking_no: None,
            channel: c.channel,
            sent_on: None,
            arrived: c.arrived,
            confirmed: c.channel.needs_confirmation().then_some(c.arrived),
            applicant: Applicant {
                kind: Some(c.kind),
                name: c.name.into(),
                phone: Some("13812345678".into()),
                ..Applicant::default()
            },
            description: format!("{}申请的政府信息", c.name),
            document_number: None,
            delivery: "electronic".into(),
            note: String::new(),
        };
        let app = application::create(s, "test", &new).await.expect("create");
        if let Some((on, outcome)) = c.reply {
            application::reply(s, "test", app.id, on, outcome)
                .await
                .expect("reply");
        }
        ids.push(app.id);
    }
    // A procedural event leaves the case open: it is exported as open.
    application::record_event(
        s,
        "test",
        ids[6],
        ClockEvent::CorrectionNoticeSent { on: d(2026, 5, 8) },
    )
    .await
    .expect("补正");
    (county.id, ids)
}

async fn empty_like(t: &TestStore) -> TestStore {
    if t.schema.is_some() {
        common::postgres("ledger_roundtrip_target")
            .await
            .expect("postgres")
    } else {
        common::sqlite().await
    }
}

async fn round_trip(t: &TestStore) {
    let (county, _) = seed(t).await;
    let today = d(2026, 12, 7);
    let bytes = export_ledger(&t.store, county, &CaseFilter::default(), today)
        .await
        .expect("export");
    let path = t.dir.path().join("台账.xlsx");
    std::fs::write(&path, &bytes).expect("write");

    let target = empty_like(t).await;
    let opts = LedgerOptions {
        agency: Some("台账往返县人民政府".into()),
        dry_run: false,
        actor: "test".into(),
    };
    let outcome = import_ledger(&target.store, &path, &opts, &|_| {})
        .await
        .expect("import the export");
    assert_eq!(outcome.imported, cases().len() as u64);
    for year in [2025, 2026] {
        let before = generate_report(
            &t.store,
            "台账往返县人民政府",
            year,
            ReportFormat::Current2021,
        )
        .await
        .expect("report before");
        let after = generate_report(
            &target.store,
            "台账往返县人民政府",
            year,
            ReportFormat::Current2021,
        )
        .await
        .expect("report after");
        assert_eq!(before.requests, after.requests, "table 三 of {year}");
        // The comparison can fail: the year holds cases.
        assert!(
            before
                .requests
                .values()
                .flatten()
                .any(|c| c.is_some_and(|n| n > 0)),
            "{year} has cases"
        );
    }
    // Exported again from the imported database: the same rows (tracking numbers kept).
    let target_county = agency::find_by_name(&target.store, "台账往返县人民政府")
        .await
        .expect("find")
        .expect("agency");
    let again = find_cases(
        &target.store,
        target_county.id,
        &CaseFilter::default(),
        today,
        0,
        None,
    )
    .await
    .expect("list");
    let first = find_cases(&t.store, county, &CaseFilter::default(), today, 0, None)
        .await
        .expect("list");
    let mut a: Vec<_> = first
        .iter()
        .map(|l| (&l.tracking_no, l.received_on, &l.outcome, l.concluded_on))
        .collect();
    let mut b: Vec<_> = again
        .iter()
        .map(|l| (&l.tracking_no, l.received_on, &l.outcome, l.concluded_on))
        .collect();
    a.sort();
    b.sort();
    assert_eq!(a, b);
    target.cleanup().await;
}

on_both!(ledger_export_import_same_table3, super::round_trip);

async fn filters_find_every_case(t: &TestStore) {
    let (county, ids) = seed(t).await;
    let s = &t.store;
    let today = d(2026, 12, 7);
    let f = |edit: &dyn Fn(&mut CaseFilter)| {
        let mut f = CaseFilter::default();
        edit(&mut f);
        f
    };
    let found = |filter: CaseFilter| async move {
        let lines = find_cases(s, county, &filter, today, 0, None)
            .await
            .expect("find");
        let n = count_cases(s, county, &filter, today).await.expect("count");
        assert_eq!(n, lines.len() as i64, "{filter:?}");
        let mut got: Vec<i64> = lines.iter().map(|l| l.id).collect();
        got.sort_unstable();
        got
    };
    let all = found(CaseFilter::default()).await;
    assert_eq!(all.len(), ids.len(), "answered and open cases alike");
    assert_eq!(
        found(f(&|f| f.status = StatusFilter::parse("open"))).await,
        vec![ids[1], ids[6]]
    );
    assert_eq!(
        found(f(&|f| f.status = StatusFilter::parse("awaiting_correction"))).await,
        vec![ids[6]]
    );
    assert_eq!(
        found(f(&|f| f.status = StatusFilter::parse("concluded")))
            .await
            .len(),
        6
    );
    assert_eq!(
        found(f(&|f| f.outcome = Some(Outcome::PartiallyDisclosed))).await,
        vec![ids[2]]
    );
    assert_eq!(
        found(f(&|f| f.year = Some(2025))).await,
        vec![ids[0], ids[1], ids[2], ids[3]]
    );
    assert_eq!(
        found(f(&|f| f.channel = Some(Channel::Fax))).await,
        vec![ids[4]]
    );
    // Open past the deadline: the 2025 case nobody answered (the 补正 one has a stopped clock).
    assert_eq!(found(f(&|f| f.overdue = true)).await, vec![ids[1]]);
    assert_eq!(found(f(&|f| f.text = "律师".into())).await, vec![ids[3]]);
    // LIKE's wildcards are taken literally.
    assert_eq!(found(f(&|f| f.text = "100%_".into())).await, vec![ids[5]]);
    assert_eq!(found(f(&|f| f.text = "%".into())).await, vec![ids[5]]);
    let app = application::get(s, ids[4]).await.expect("get");
    assert_eq!(
        found(f(&|f| f.text = app.tracking_no.clone())).await,
        vec![ids[4]]
    );
    // Filters combine.
    assert_eq!(
        found(f(&|f| {
            f.year = Some(2026);
            f.status = StatusFilter::parse("concluded");
            f.channel = Some(Channel::Online);
        }))
        .await,
        vec![ids[7]]
    );
    // Paging: pages of three cover every case once, open cases first.
    let mut paged = Vec::new();
    for page in 0..3 {
        let lines = find_cases(s, county, &CaseFilter::default(), today, page * 3, Some(3))
            .await
            .expect("page");
        paged.extend(lines.iter().map(|l| l.id));
    }
    assert_eq!(paged.len(), ids.len());
    assert_eq!(
        &paged[..2],
        &[ids[1], ids[6]],
        "open cases first, the due one first"
    );
    paged.sort_unstable();
    assert_eq!(paged, all);
    // The department sees its own cases only.
    let dept = agency::find_by_name(s, "台账往返县教育局")
        .await
        .expect("find")
        .expect("dept");
    let own = find_cases(s, dept.id, &CaseFilter::default(), today, 0, None)
        .await
        .expect("dept");
    assert_eq!(own.len(), 3);
}

on_both!(desk_filters_and_paging, super::filters_find_every_case);
