//! Casework on both back ends: letter numbers from the counters (20 letters issued
//! concurrently get 20 distinct consecutive numbers), the automatic outcomes of a lapsed 补正
//! or fee (idempotent, audited, counted in table 三), 复议/诉讼 cases in table 四, and the
//! mailbox's reply and publishing gate (consent, the scan, the public text).

#[macro_use]
mod common;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use common::TestStore;
use gongkai_law::{Channel, ClockEvent, Outcome, ReportFormat, Table3Row};
use gongkai_store::audit;
use gongkai_store::generate_report;
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::appeal::{self, AppealKind, AppealResult, NewAppeal};
use gongkai_store::models::application::{self, Applicant, NewApplication};
use gongkai_store::models::auto_outcome;
use gongkai_store::models::letter::{self, PublishResult};
use gongkai_store::views::desk;
use gongkai_store::views::portal::published_letters;

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

async fn county(s: &gongkai_store::Store, name: &str) -> i64 {
    agency::ensure(s, "test", name, AgencyLevel::County, None, None)
        .await
        .expect("county")
        .id
}

async fn audit_actions(s: &gongkai_store::Store, action: &str) -> usize {
    audit::recent(s, 10_000)
        .await
        .expect("audit")
        .iter()
        .filter(|e| e.action == action)
        .count()
}

/// 20 tasks each record a 补正 notice on their own application of the same agency at once:
/// the 20 letters carry 20 distinct numbers, 1 to 20; the other kinds and years have their
/// own series.
async fn concurrent_letters(t: &TestStore) {
    let s = &t.store;
    let c = county(s, "文号测试县").await;
    let mut ids = Vec::new();
    for i in 0..20 {
        let app = application::create(s, "t", &new(c, &format!("申请人{i}"), d(2026, 3, 2)))
            .await
            .expect("create");
        ids.push(app.id);
    }
    let mut tasks = Vec::new();
    for id in ids.clone() {
        let store = s.clone();
        tasks.push(tokio::spawn(async move {
            application::record_event(
                &store,
                "t",
                id,
                ClockEvent::CorrectionNoticeSent { on: d(2026, 3, 4) },
            )
            .await
            .expect("notice");
        }));
    }
    for task in tasks {
        task.await.expect("join");
    }
    let mut serials = Vec::new();
    for id in &ids {
        let ev = application::events(s, *id).await.expect("events");
        let notice = ev
            .iter()
            .find(|e| matches!(e.event, ClockEvent::CorrectionNoticeSent { .. }))
            .expect("notice");
        serials.push(
            desk::letter_serial(s, notice.id)
                .await
                .expect("serial")
                .expect("has a number"),
        );
    }
    let distinct: BTreeSet<i64> = serials.iter().copied().collect();
    assert_eq!(distinct, (1..=20).collect::<BTreeSet<i64>>(), "{serials:?}");

    // The reply series of the same agency and year starts at 1; so does the next year's.
    application::reply(s, "t", ids[0], d(2026, 3, 20), Outcome::Disclosed)
        .await
        .expect("reply");
    application::reply(s, "t", ids[1], d(2027, 1, 5), Outcome::Disclosed)
        .await
        .expect("reply");
    for (id, want) in [(ids[0], 1), (ids[1], 1)] {
        let ev = application::events(s, id).await.expect("events");
        let replied = ev
            .iter()
            .find(|e| matches!(e.event, ClockEvent::Replied { .. }))
            .expect("reply");
        assert_eq!(
            desk::letter_serial(s, replied.id).await.expect("serial"),
            Some(want)
        );
    }
    assert!(audit::verify(s).await.expect("chain") > 0);
}

on_both!(
    letters_from_20_concurrent_tasks_get_20_consecutive_numbers,
    super::concurrent_letters
);

/// A 补正 without a correction and a fee never paid end by themselves, once, audited, dated
/// the day after their period, and table 三 counts them under 其他处理.
async fn automatic_outcomes(t: &TestStore) {
    let s = &t.store;
    let c = county(s, "自动结案测试县").await;
    let no_correction = application::create(s, "t", &new(c, "甲", d(2025, 2, 26)))
        .await
        .expect("a");
    application::record_event(
        s,
        "t",
        no_correction.id,
        ClockEvent::CorrectionNoticeSent { on: d(2025, 3, 3) },
    )
    .await
    .expect("补正");
    let unpaid = application::create(s, "t", &new(c, "乙", d(2025, 3, 3)))
        .await
        .expect("b");
    application::record_event(
        s,
        "t",
        unpaid.id,
        ClockEvent::FeeNoticeSent { on: d(2025, 3, 10) },
    )
    .await
    .expect("收费");
    let corrected = application::create(s, "t", &new(c, "丙", d(2025, 2, 26)))
        .await
        .expect("c");
    for ev in [
        ClockEvent::CorrectionNoticeSent { on: d(2025, 3, 3) },
        ClockEvent::CorrectedApplicationReceived { on: d(2025, 3, 10) },
    ] {
        application::record_event(s, "t", corrected.id, ev)
            .await
            .expect("event");
    }

    // The 补正 period ends 2025-03-25: nothing lapses that day.
    assert!(
        auto_outcome::lapsed(s, Some(c), d(2025, 3, 25))
            .await
            .expect("lapsed")
            .iter()
            .all(|l| l.id != no_correction.id)
    );
    let today = d(2025, 6, 2);
    let found = auto_outcome::lapsed(s, Some(c), today)
        .await
        .expect("lapsed");
    assert_eq!(found.len(), 2, "{found:?}");
    let done = auto_outcome::sweep(s, "desk", Some(c), today)
        .await
        .expect("sweep");
    assert_eq!(done.len(), 2);
    let a = application::get(s, no_correction.id).await.expect("a");
    assert_eq!(a.outcome, Some(Outcome::OtherNoCorrection));
    assert_eq!(a.concluded_on, Some(d(2025, 3, 26)));
    assert_eq!(a.status.key(), "replied");
    let b = application::get(s, unpaid.id).await.expect("b");
    assert_eq!(b.outcome, Some(Outcome::OtherUnpaidFee));
    assert!(b.concluded_on.expect("date") > d(2025, 4, 1));
    let c2 = application::get(s, corrected.id).await.expect("c");
    assert_eq!(c2.outcome, None);
    // The reply event is a numbered letter like any other.
    let ev = application::events(s, no_correction.id).await.expect("ev");
    let replied = ev.last().expect("reply");
    assert_eq!(replied.outcome, Some(Outcome::OtherNoCorrection));
    assert!(replied.automatic);
    assert!(!ev[0].automatic);
    assert!(
        desk::letter_serial(s, replied.id)
            .await
            .expect("serial")
            .is_some()
    );

    // Idempotent: again, nothing; the audit log holds one entry per case.
    assert!(
        auto_outcome::sweep(s, "desk", None, today)
            .await
            .expect("again")
            .is_empty()
    );
    assert_eq!(audit_actions(s, "application.auto_outcome").await, 2);
    assert!(audit::verify(s).await.expect("chain") > 0);

    let r = generate_report(s, &c.to_string(), 2025, ReportFormat::for_year(2025))
        .await
        .expect("report");
    let cell = |row: Table3Row| r.requests.get(&row).map(|cells| cells[0]);
    assert_eq!(cell(Table3Row::OtherNoCorrection), Some(Some(1)));
    assert_eq!(cell(Table3Row::OtherUnpaidFee), Some(Some(1)));
}

on_both!(
    lapsed_correction_and_fee_end_by_themselves_once,
    super::automatic_outcomes
);

/// Entering a 复议 changes table 四 of its filing year: 尚未审结 until decided, then 纠正.
async fn appeals_in_table_four(t: &TestStore) {
    let s = &t.store;
    let c = county(s, "复议测试县").await;
    let app = application::create(s, "t", &new(c, "甲", d(2025, 3, 3)))
        .await
        .expect("app");
    application::reply(s, "t", app.id, d(2025, 3, 20), Outcome::UnableNotHeld)
        .await
        .expect("reply");
    let before = generate_report(s, &c.to_string(), 2025, ReportFormat::for_year(2025))
        .await
        .expect("report");
    assert_eq!(before.appeals.reconsideration[4].unwrap_or(0), 0);

    let mut entry = NewAppeal {
        application_id: app.id,
        case_number: "复议〔2025〕1号".into(),
        kind: AppealKind::Reconsideration,
        filed_on: d(2025, 4, 10),
        result: AppealResult::Pending,
        decided_on: Some(d(2025, 6, 1)),
    };
    // A pending case has no date; a decided one needs it.
    assert!(appeal::enter(s, "t", &entry).await.is_err());
    entry.decided_on = None;
    let id = appeal::enter(s, "t", &entry).await.expect("enter");
    assert!(
        appeal::enter(s, "t", &entry).await.is_err(),
        "case number taken"
    );
    let pending = generate_report(s, &c.to_string(), 2025, ReportFormat::for_year(2025))
        .await
        .expect("report");
    assert_eq!(pending.appeals.reconsideration[3], Some(1));
    assert_eq!(pending.appeals.reconsideration[4], Some(1));

    appeal::decide(s, "t", id, AppealResult::Corrected, d(2025, 6, 1))
        .await
        .expect("decide");
    let lawsuit = NewAppeal {
        application_id: app.id,
        case_number: "（2025）豫1423行初5号".into(),
        kind: AppealKind::LitigationDirect,
        filed_on: d(2025, 5, 6),
        result: AppealResult::Upheld,
        decided_on: Some(d(2025, 9, 1)),
    };
    appeal::enter(s, "t", &lawsuit).await.expect("lawsuit");
    let after = generate_report(s, &c.to_string(), 2025, ReportFormat::for_year(2025))
        .await
        .expect("report");
    assert_eq!(after.appeals.reconsideration[1], Some(1));
    assert_eq!(after.appeals.reconsideration[3].unwrap_or(0), 0);
    assert_eq!(after.appeals.litigation_direct[0], Some(1));
    assert_eq!(after.appeals.litigation_direct[4], Some(1));
    assert_eq!(
        appeal::for_application(s, app.id)
            .await
            .expect("list")
            .len(),
        2
    );
    let lines = appeal::for_subtree(s, c, 10).await.expect("subtree");
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0].tracking_no, app.tracking_no);
    assert_eq!(audit_actions(s, "appeal.enter").await, 2);
}

on_both!(appeals_change_table_four, super::appeals_in_table_four);

/// The mailbox: unanswered first with the three-month flag; no consent, no publishing; a
/// phone number in the reply blocks publishing (masked, audited); the public text replaces
/// the body on the portal.
async fn mailbox_gate(t: &TestStore) {
    let s = &t.store;
    let c = county(s, "信箱测试县").await;
    let old = letter::receive_with_consent(
        s,
        "portal",
        c,
        "XX1",
        "路灯不亮",
        "我家门口路灯坏了，电话13812345678。",
        Some("13812345678"),
        d(2025, 1, 6),
        true,
    )
    .await
    .expect("old");
    let recent = letter::receive_with_consent(
        s,
        "portal",
        c,
        "XX2",
        "垃圾清运",
        "请增加清运次数。",
        Some("a@b.cn"),
        d(2025, 5, 20),
        false,
    )
    .await
    .expect("recent");
    let replied = letter::receive_with_consent(
        s,
        "portal",
        c,
        "XX3",
        "公交线路",
        "建议增开公交。",
        None,
        d(2025, 2, 1),
        true,
    )
    .await
    .expect("replied");
    letter::answer(
        s,
        "clerk",
        replied,
        "已转交通局研究。",
        d(2025, 2, 10),
        None,
    )
    .await
    .expect("answer");

    let list = letter::desk_list(s, c, 50).await.expect("list");
    let order: Vec<i64> = list.iter().map(|l| l.id).collect();
    assert_eq!(order, vec![old, recent, replied]);
    let today = d(2025, 6, 1);
    let flags: Vec<bool> = list
        .iter()
        .map(|l| letter::unanswered_too_long(l.received_on, l.replied_on, today))
        .collect();
    assert_eq!(flags, vec![true, false, false]);
    assert_eq!(
        letter::writer_contact(s, old)
            .await
            .expect("contact")
            .as_deref(),
        Some("13812345678")
    );

    // Not replied yet, then no consent: refused.
    assert!(letter::publish(s, "head", old).await.is_err());
    letter::answer(s, "clerk", recent, "已安排。", d(2025, 5, 25), None)
        .await
        .expect("answer");
    assert!(letter::publish(s, "head", recent).await.is_err());
    assert!(
        letter::answer(s, "clerk", old, "早于来信", d(2024, 12, 1), None)
            .await
            .is_err()
    );

    // The body carries a mobile number: blocked, shown masked.
    letter::answer(s, "clerk", old, "已安排维修。", d(2025, 6, 1), None)
        .await
        .expect("answer");
    match letter::publish(s, "head", old).await.expect("publish") {
        PublishResult::Blocked(f) => {
            assert_eq!(f.len(), 1);
            assert_eq!(f[0].part, "来信内容");
            assert!(!f[0].masked.contains("13812345678"));
            assert!(f[0].masked.contains("****"));
        }
        PublishResult::Published => panic!("published with a phone number"),
    }
    assert_eq!(audit_actions(s, "letter.publish_blocked").await, 1);
    let (public, _) = published_letters(s, c, 10, 0).await.expect("public");
    assert!(public.is_empty());

    // The public text without the number passes; the portal shows it, not the body.
    letter::answer(
        s,
        "clerk",
        old,
        "已安排维修。",
        d(2025, 6, 1),
        Some("我家门口路灯坏了。"),
    )
    .await
    .expect("answer");
    assert_eq!(
        letter::publish(s, "head", old).await.expect("publish"),
        PublishResult::Published
    );
    let (public, total) = published_letters(s, c, 10, 0).await.expect("public");
    assert_eq!(total, 1);
    assert_eq!(public[0].body, "我家门口路灯坏了。");
    assert_eq!(public[0].received_on, d(2025, 1, 6));
    assert_eq!(public[0].replied_on, Some(d(2025, 6, 1)));
    // A changed reply leaves the portal until published again.
    letter::answer(
        s,
        "clerk",
        old,
        "已修复。",
        d(2025, 6, 3),
        Some("我家门口路灯坏了。"),
    )
    .await
    .expect("answer");
    assert_eq!(published_letters(s, c, 10, 0).await.expect("public").1, 0);
    assert!(audit::verify(s).await.expect("chain") > 0);
}

on_both!(mailbox_reply_consent_and_scan, super::mailbox_gate);

/// The rows of a database from before migration 0160: two replies and a 补正 notice of 2025.
const OLD_ROWS: [&str; 3] = [
    "INSERT INTO agencies (id, name, level) VALUES (1, '旧库测试县', 'county')",
    "INSERT INTO applications (id, agency_id, tracking_no, query_code, channel, received_on, applicant_kind, \
     applicant_name, description, status, outcome, concluded_on) VALUES \
     (1, 1, 'A1', 'x', 'in_person', '2025-03-03', 'natural_person', '甲', '某文件', 'replied', 'disclosed', '2025-03-20'), \
     (2, 1, 'A2', 'y', 'in_person', '2025-03-04', 'natural_person', '乙', '某文件', 'replied', 'disclosed', '2025-03-21')",
    "INSERT INTO application_events (id, application_id, kind, occurred_on, payload) VALUES \
     (1, 1, 'received', '2025-03-03', '{\"event\":\"received\",\"channel\":\"in_person\",\"arrived\":\"2025-03-03\"}'), \
     (2, 2, 'received', '2025-03-04', '{\"event\":\"received\",\"channel\":\"in_person\",\"arrived\":\"2025-03-04\"}'), \
     (3, 2, 'correction_notice_sent', '2025-03-05', '{\"event\":\"correction_notice_sent\",\"on\":\"2025-03-05\"}'), \
     (4, 1, 'replied', '2025-03-20', '{\"event\":\"replied\",\"on\":\"2025-03-20\",\"outcome\":\"disclosed\"}'), \
     (5, 2, 'replied', '2025-03-21', '{\"event\":\"replied\",\"on\":\"2025-03-21\",\"outcome\":\"disclosed\"}')",
];

/// The migrations of a back end before 0160.
async fn before_0160(set: &str) -> sqlx::migrate::Migrator {
    let dir = format!("{}/migrations/{set}", env!("CARGO_MANIFEST_DIR"));
    let all = sqlx::migrate::Migrator::new(std::path::Path::new(&dir))
        .await
        .expect("migrations");
    sqlx::migrate::Migrator::with_migrations(
        all.iter().filter(|m| m.version < 160).cloned().collect(),
    )
}

/// After 0160 ran on the old rows: earlier letters numbered by the order they were recorded
/// per agency, year and kind, and the series continues.
async fn check_backfill(url: &str) {
    let s = gongkai_store::Store::open_with_crypto(url, gongkai_store::Crypto::random())
        .await
        .expect("open runs 0160");
    let serial = |id| desk::letter_serial(&s, id);
    assert_eq!(serial(1).await.expect("1"), None);
    assert_eq!(serial(3).await.expect("3"), Some(1));
    assert_eq!(serial(4).await.expect("4"), Some(1));
    assert_eq!(serial(5).await.expect("5"), Some(2));
    let app = application::create(&s, "t", &new(1, "丙", d(2025, 3, 10)))
        .await
        .expect("new");
    application::reply(&s, "t", app.id, d(2025, 3, 25), Outcome::Disclosed)
        .await
        .expect("reply");
    let ev = application::events(&s, app.id).await.expect("events");
    assert_eq!(
        desk::letter_serial(&s, ev.last().expect("reply").id)
            .await
            .expect("serial"),
        Some(3)
    );
    s.close().await;
}

/// Migration 0160 on a SQLite database with letters issued before it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migration_0160_numbers_earlier_letters_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    let options = <sqlx::sqlite::SqliteConnectOptions as std::str::FromStr>::from_str(&url)
        .expect("url")
        .create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.expect("pool");
    before_0160("sqlite")
        .await
        .run(&pool)
        .await
        .expect("to 0150");
    for sql in OLD_ROWS {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&pool)
            .await
            .expect("old rows");
    }
    pool.close().await;
    check_backfill(&url).await;
}

/// Migration 0160 on a PostgreSQL database with letters issued before it (a schema of its own).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migration_0160_numbers_earlier_letters_on_postgres() {
    let Ok(base) = std::env::var("GONGKAI_TEST_PG_URL") else {
        eprintln!("skipped on PostgreSQL: GONGKAI_TEST_PG_URL is not set");
        return;
    };
    let schema = format!("t_mig0160_{}", std::process::id());
    let admin = sqlx::PgPool::connect(&base).await.expect("connect");
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE"
    )))
    .execute(&admin)
    .await
    .expect("drop");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .expect("schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options[search_path]={schema}");
    let pool = sqlx::PgPool::connect(&url).await.expect("pool");
    before_0160("postgres")
        .await
        .run(&pool)
        .await
        .expect("to 0150");
    for sql in OLD_ROWS {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&pool)
            .await
            .expect("old rows");
    }
    // Ids were given explicitly: move the sequences past them, as a real database would be.
    for table in ["agencies", "applications", "application_events"] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
        )))
        .execute(&pool)
        .await
        .expect("sequence");
    }
    pool.close().await;
    check_backfill(&url).await;
    let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .execute(&admin)
        .await;
    admin.close().await;
}
