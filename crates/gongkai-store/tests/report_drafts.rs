//! The annual report's prose drafted from records and the editor's records: the figures the
//! prose states (items by who published them, 专题, 解读, letters, accounts at year end by
//! platform, trainings, inspections, the 信息处理费 of the 11th request in a month), the draft
//! saved and read back, publication as a snapshot that later records do not change, and a
//! report with an arithmetic error refused. On SQLite and PostgreSQL.

#[macro_use]
mod common;

use std::collections::BTreeMap;

use chrono::{NaiveDate, Utc};
use common::TestStore;
use gongkai_law::{Channel, ClockEvent, Outcome, ReportFormat, Table3Row};
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::application::{self, Applicant, NewApplication};
use gongkai_store::models::proactive_item::{self, DocType, NewItem};
use gongkai_store::models::report_draft::{self, HAS_ERRORS};
use gongkai_store::models::{inspection, letter, media_account, topic, training};
use gongkai_store::{StoreError, audit, prose};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn item(agency_id: i64, title: &str, doc_type: DocType, on: NaiveDate) -> NewItem {
    NewItem {
        agency_id,
        title: title.to_string(),
        summary: String::new(),
        publisher: "年报测试县人民政府".to_string(),
        written_on: Some(on),
        published_on: Some(on),
        doc_number: None,
        topic: String::new(),
        genre: String::new(),
        doc_type,
        art20_item: Some(1),
        unit: String::new(),
        status: gongkai_store::models::ItemStatus::Published,
    }
}

async fn prose_draft_and_publish(t: &TestStore) {
    let s = &t.store;
    let county = agency::ensure(
        s,
        "test",
        "年报测试县人民政府",
        AgencyLevel::County,
        None,
        Some("11411426005560141A"),
    )
    .await
    .expect("county");
    let dept = agency::ensure(
        s,
        "test",
        "年报测试县教育局",
        AgencyLevel::Department,
        Some(county.id),
        Some("11411426005560150B"),
    )
    .await
    .expect("dept");
    let town = agency::ensure(
        s,
        "test",
        "年报测试县城关镇人民政府",
        AgencyLevel::Township,
        Some(county.id),
        Some("11411426005560200F"),
    )
    .await
    .expect("town");

    // Items of 2021: 3 by the county (one a 解读), 2 by the department, 1 by the township;
    // one of 2020 that the year does not count.
    for (agency_id, title, doc_type, on) in [
        (county.id, "通知一", DocType::Other, d(2021, 2, 1)),
        (county.id, "通知二", DocType::Other, d(2021, 5, 1)),
        (
            county.id,
            "政策解读",
            DocType::Interpretation,
            d(2021, 6, 1),
        ),
        (dept.id, "招生通知", DocType::Other, d(2021, 7, 1)),
        (dept.id, "收费公示", DocType::Other, d(2021, 12, 31)),
        (town.id, "低保公示", DocType::Other, d(2021, 3, 1)),
        (county.id, "去年的通知", DocType::Other, d(2020, 12, 31)),
    ] {
        proactive_item::create(s, "test", &item(agency_id, title, doc_type, on))
            .await
            .expect("item");
    }
    topic::ensure(s, "test", county.id, "优化营商环境", d(2021, 1, 1))
        .await
        .expect("topic");
    topic::ensure(s, "test", county.id, "明年的专题", d(2022, 1, 1))
        .await
        .expect("topic");
    let l = letter::receive(
        s,
        "test",
        county.id,
        "NB20210001",
        "咨询",
        "内容",
        None,
        d(2021, 4, 1),
    )
    .await
    .expect("letter");
    letter::reply(s, "test", l, "答复", d(2021, 4, 8), true)
        .await
        .expect("reply");
    letter::receive(
        s,
        "test",
        county.id,
        "NB20210002",
        "未答复的咨询",
        "内容",
        None,
        d(2021, 5, 1),
    )
    .await
    .expect("letter");
    for (platform, id, opened) in [
        ("微信公众号", "nb-wx-1", d(2019, 1, 1)),
        ("微博", "nb-wb-1", d(2020, 1, 1)),
        ("微信公众号", "nb-wx-2", d(2021, 3, 1)),
        ("抖音", "nb-dy-1", d(2022, 3, 1)),
    ] {
        media_account::register(
            s,
            "test",
            county.id,
            platform,
            "年报测试发布",
            id,
            "融媒体中心",
            opened,
        )
        .await
        .expect("account");
    }
    training::record(s, "test", county.id, d(2021, 5, 12), "条例培训", 40)
        .await
        .expect("training");
    inspection::record(s, "test", town.id, d(2021, 6, 1), "网站检查", "无", "无")
        .await
        .expect("inspection");
    inspection::record(s, "test", town.id, d(2020, 6, 1), "网站检查", "无", "无")
        .await
        .expect("inspection");

    // Twelve requests of one applicant in March 2021: from the 11th on each costs 100 元
    // (国办函〔2020〕109号); the 12th's fee was paid.
    for i in 0..11 {
        let app = application::create(
            s,
            "test",
            &NewApplication {
                agency_id: county.id,
                tracking_no: Some(format!("NB-{i:02}")),
                channel: Channel::InPerson,
                sent_on: None,
                arrived: d(2021, 3, 1 + i),
                confirmed: None,
                applicant: Applicant {
                    kind: Some(gongkai_law::ApplicantKind::NaturalPerson),
                    name: "申请人".into(),
                    id_type: Some("居民身份证".into()),
                    id_number: Some("11010519491231002X".into()),
                    phone: None,
                    email: None,
                    address: None,
                },
                description: "某文件".into(),
                document_number: None,
                delivery: "paper".into(),
                note: String::new(),
            },
        )
        .await
        .expect("application");
        application::reply(s, "test", app.id, d(2021, 4, 20), Outcome::Disclosed)
            .await
            .expect("reply");
    }
    let twelfth = application::create(
        s,
        "test",
        &NewApplication {
            agency_id: county.id,
            tracking_no: Some("NB-11".into()),
            channel: Channel::InPerson,
            sent_on: None,
            arrived: d(2021, 3, 20),
            confirmed: None,
            applicant: Applicant {
                kind: Some(gongkai_law::ApplicantKind::NaturalPerson),
                name: "申请人".into(),
                id_type: Some("居民身份证".into()),
                id_number: Some("11010519491231002X".into()),
                phone: None,
                email: None,
                address: None,
            },
            description: "第十二件".into(),
            document_number: None,
            delivery: "paper".into(),
            note: String::new(),
        },
    )
    .await
    .expect("12th application");
    application::record_event(
        s,
        "test",
        twelfth.id,
        ClockEvent::FeeNoticeSent { on: d(2021, 3, 25) },
    )
    .await
    .expect("fee notice");
    application::record_event(
        s,
        "test",
        twelfth.id,
        ClockEvent::FeePaid { on: d(2021, 3, 30) },
    )
    .await
    .expect("fee paid");

    let facts = prose::gather_facts(s, &county, 2021).await.expect("facts");
    assert_eq!(
        (
            facts.published_by_self,
            facts.published_by_departments,
            facts.published_by_townships,
            facts.published_by_others,
            facts.published_total()
        ),
        (3, 2, 1, 0, 6)
    );
    assert_eq!(
        (facts.topics, facts.interpretations, facts.letters_replied),
        (1, 1, 1)
    );
    assert_eq!(
        facts.media_accounts,
        vec![("微博".to_string(), 1), ("微信公众号".to_string(), 2)]
    );
    assert_eq!(
        (
            facts.trainings,
            facts.training_attendees,
            facts.inspections,
            facts.accountability_cases
        ),
        (1, 40, 1, 0)
    );
    // The 12th request of the month is priced as a request from the 11th on: 100 元.
    assert_eq!((facts.fee_requests, facts.fee_yuan), (1, 100));
    assert_eq!(facts.published_with_open_findings, 0);
    assert!(facts.catalogue_domains.is_empty());

    // The drafted report: tables from the records, prose from the same records.
    let drafted = prose::draft_report(s, &county.id.to_string(), 2021, ReportFormat::Current2021)
        .await
        .expect("draft");
    let one = &drafted.sections["1"];
    assert!(
        one.contains("全年共主动公开政府信息6条。其中，通过政府网站主动公开信息3条，县直部门公开2条，乡镇公开1条。"),
        "{one}"
    );
    assert!(one.contains("新收政府信息公开申请12件"), "{one}");
    assert!(
        drafted.sections["6"].contains("对1件政府信息公开申请收取信息处理费，合计100元"),
        "{}",
        drafted.sections["6"]
    );

    // No draft yet; save one, read it back, save again (replaced, not added).
    assert_eq!(
        report_draft::get_draft(s, county.id, 2021)
            .await
            .expect("get"),
        None
    );
    let mut sections = drafted.sections.clone();
    sections.insert("5".into(), "（一）编辑后的问题。".into());
    let saved = report_draft::save_draft(
        s,
        "bianji",
        county.id,
        2021,
        ReportFormat::Current2021,
        &sections,
        Utc::now(),
    )
    .await
    .expect("save");
    assert_eq!(saved.sections, sections);
    assert_eq!(
        (saved.status.key(), saved.saved_by.as_str()),
        ("draft", "bianji")
    );
    sections.insert("6".into(), "无其他需要报告的事项。".into());
    report_draft::save_draft(
        s,
        "bianji",
        county.id,
        2021,
        ReportFormat::Current2021,
        &sections,
        Utc::now(),
    )
    .await
    .expect("save again");
    let back = report_draft::get_draft(s, county.id, 2021)
        .await
        .expect("get")
        .expect("saved");
    assert_eq!(back.sections, sections);
    // Tables are computed, not edited: a section "2" is refused.
    let mut table_prose = BTreeMap::new();
    table_prose.insert("2".to_string(), "表格".to_string());
    assert!(matches!(
        report_draft::save_draft(
            s,
            "bianji",
            county.id,
            2021,
            ReportFormat::Current2021,
            &table_prose,
            Utc::now()
        )
        .await,
        Err(StoreError::Refused(_))
    ));

    // Nothing published yet; publish the edited report.
    assert!(
        report_draft::published(s, county.id, 2021)
            .await
            .expect("published")
            .is_none()
    );
    let mut report = drafted.clone();
    report.sections = sections.clone();
    let p = report_draft::publish(s, "fuzeren", county.id, &report, Utc::now())
        .await
        .expect("publish");
    let served = report_draft::published(s, county.id, 2021)
        .await
        .expect("published")
        .expect("one");
    assert_eq!(served.id, p.id);
    assert_eq!(served.report, report);
    assert_eq!(served.published_by, "fuzeren");
    assert_eq!(
        report_draft::get_draft(s, county.id, 2021)
            .await
            .expect("get")
            .expect("draft")
            .status
            .key(),
        "published"
    );

    // A record added later changes what is generated, not what was published.
    proactive_item::create(
        s,
        "test",
        &item(county.id, "补录的通知", DocType::Other, d(2021, 8, 8)),
    )
    .await
    .expect("late item");
    let again = prose::draft_report(s, &county.id.to_string(), 2021, ReportFormat::Current2021)
        .await
        .expect("draft");
    assert!(again.sections["1"].contains("共主动公开政府信息7条"));
    let served = report_draft::published(s, county.id, 2021)
        .await
        .expect("published")
        .expect("one");
    assert!(served.report.sections["1"].contains("共主动公开政府信息6条"));

    // A report whose arithmetic cannot be right is not published.
    let mut broken = report.clone();
    if let Some(row) = broken.requests.get_mut(&Table3Row::NewReceived) {
        row[6] = Some(row[6].unwrap_or(0) + 5);
    }
    match report_draft::publish(s, "fuzeren", county.id, &broken, Utc::now()).await {
        Err(StoreError::Refused(r)) => assert!(r.to_string().starts_with(HAS_ERRORS), "{r}"),
        other => panic!("published a broken report: {other:?}"),
    }
    let served = report_draft::published(s, county.id, 2021)
        .await
        .expect("published")
        .expect("one");
    assert_eq!(served.id, p.id);

    // Every write is in the audit log.
    let log = audit::recent(s, 500).await.expect("audit");
    let count = |a: &str| log.iter().filter(|e| e.action == a).count();
    assert_eq!(
        (count("report.save_draft"), count("report.publish")),
        (2, 1)
    );
}
on_both!(prose_draft_publish, super::prose_draft_and_publish);
