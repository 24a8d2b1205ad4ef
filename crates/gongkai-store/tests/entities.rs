//! Each entity's repository functions, round trip, on both back ends: 索引号 generation,
//! 解读 links both ways, 专题, 事项 lists, decisions, fees, procurement, 复议/诉讼, letters,
//! new-media accounts, trainings, inspections, application events and due dates.

#[macro_use]
mod common;

use chrono::NaiveDate;
use common::TestStore;
use gongkai_report::model::Proactive;
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::appeal::{self, AppealKind, AppealResult};
use gongkai_store::models::application::{self, Applicant, NewApplication};
use gongkai_store::models::decision::{self, DecisionKind};
use gongkai_store::models::proactive_item::{self, DocType, NewItem, Validity};
use gongkai_store::models::{
    fee, inspection, letter, matter, media_account, procurement, topic, training,
};
use gongkai_store::{
    ApplicantKind, Channel, ClockEvent, Outcome, ReportFormat, audit, generate_report,
};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn item(agency_id: i64, title: &str, doc_type: DocType, published: &str) -> NewItem {
    NewItem {
        agency_id,
        title: title.into(),
        summary: String::new(),
        publisher: "实体测试县人民政府".into(),
        written_on: Some(day(published)),
        published_on: Some(day(published)),
        doc_number: None,
        topic: "综合政务".into(),
        genre: "通知".into(),
        doc_type,
        art20_item: Some(1),
        unit: "办公室".into(),
        status: gongkai_store::models::ItemStatus::Published,
    }
}

async fn every_entity_round_trips(t: &TestStore) {
    let s = &t.store;
    let province = agency::ensure(
        s,
        "admin",
        "实体测试省人民政府",
        AgencyLevel::Province,
        None,
        Some("11000000000000000A"),
    )
    .await
    .expect("province");
    let county = agency::ensure(
        s,
        "admin",
        "实体测试县人民政府",
        AgencyLevel::County,
        Some(province.id),
        Some("113708280043326001"),
    )
    .await
    .expect("county");
    let town = agency::ensure(
        s,
        "admin",
        "实体测试镇人民政府",
        AgencyLevel::Township,
        Some(county.id),
        None,
    )
    .await
    .expect("town");
    assert_eq!(
        agency::subtree_ids(s, province.id).await.expect("subtree"),
        vec![province.id, county.id, town.id]
    );
    assert_eq!(
        agency::resolve(s, "实体测试县人民政府")
            .await
            .expect("resolve")
            .id,
        county.id
    );
    assert!(
        agency::ensure(
            s,
            "admin",
            "坏代码局",
            AgencyLevel::Department,
            None,
            Some("123")
        )
        .await
        .is_err()
    );

    // 索引号: code/year-serial, serials per code and year, never reused.
    let doc = proactive_item::create(
        s,
        "editor",
        &item(
            county.id,
            "规范性文件一",
            DocType::NormativeDocument,
            "2024-03-01",
        ),
    )
    .await
    .expect("item");
    assert_eq!(doc.index_no, "113708280043326001/2024-00001");
    let second = proactive_item::create(
        s,
        "editor",
        &item(
            county.id,
            "规范性文件二",
            DocType::NormativeDocument,
            "2024-05-01",
        ),
    )
    .await
    .expect("item");
    assert_eq!(second.index_no, "113708280043326001/2024-00002");
    let next_year = proactive_item::create(
        s,
        "editor",
        &item(county.id, "次年文件", DocType::Regulation, "2025-01-02"),
    )
    .await
    .expect("item");
    assert_eq!(next_year.index_no, "113708280043326001/2025-00001");
    assert!(
        proactive_item::create(
            s,
            "editor",
            &item(town.id, "无代码", DocType::Other, "2024-01-01")
        )
        .await
        .is_err()
    );
    assert_eq!(
        proactive_item::find_by_index_no(s, &doc.index_no)
            .await
            .expect("find")
            .map(|i| i.id),
        Some(doc.id)
    );

    let interp = proactive_item::create(
        s,
        "editor",
        &item(county.id, "解读", DocType::Interpretation, "2024-03-02"),
    )
    .await
    .expect("item");
    proactive_item::link_interpretation(s, "editor", interp.id, doc.id)
        .await
        .expect("link");
    assert_eq!(
        proactive_item::interpretations_of(s, doc.id)
            .await
            .expect("of")[0]
            .id,
        interp.id
    );
    assert_eq!(
        proactive_item::documents_explained_by(s, interp.id)
            .await
            .expect("by")[0]
            .id,
        doc.id
    );
    proactive_item::set_validity(
        s,
        "editor",
        second.id,
        Validity::Repealed,
        day("2024-11-01"),
    )
    .await
    .expect("repeal");
    assert_eq!(
        proactive_item::get(s, second.id)
            .await
            .expect("get")
            .validity,
        "repealed"
    );
    assert_eq!(
        proactive_item::list_published(s, province.id, 10, 0)
            .await
            .expect("list")
            .len(),
        4
    );

    let tp = topic::ensure(s, "editor", county.id, "优化营商环境", day("2024-01-01"))
        .await
        .expect("topic");
    topic::add_item(s, "editor", tp.id, doc.id)
        .await
        .expect("add");
    topic::add_item(s, "editor", tp.id, doc.id)
        .await
        .expect("add twice");
    assert_eq!(
        topic::item_ids(s, tp.id).await.expect("items"),
        vec![doc.id]
    );
    assert_eq!(topic::list(s, county.id).await.expect("topics").len(), 1);

    // 事项 lists and decisions → table 二.
    let m = matter::add(
        s,
        "editor",
        county.id,
        DecisionKind::Licensing,
        "食品经营许可",
        day("2023-02-01"),
    )
    .await
    .expect("matter");
    matter::add(
        s,
        "editor",
        county.id,
        DecisionKind::Licensing,
        "药品经营许可",
        day("2024-02-01"),
    )
    .await
    .expect("matter");
    matter::remove(s, "editor", m, day("2024-06-30"))
        .await
        .expect("remove");
    assert_eq!(
        matter::listed_on(s, county.id, DecisionKind::Licensing, day("2024-12-31"))
            .await
            .expect("listed")
            .len(),
        1
    );
    decision::create(
        s,
        "editor",
        town.id,
        DecisionKind::Licensing,
        "许〔2024〕1号",
        "某公司",
        day("2024-04-01"),
        "准予许可",
    )
    .await
    .expect("decision");
    assert!(
        decision::create(
            s,
            "editor",
            town.id,
            DecisionKind::Licensing,
            "许〔2024〕1号",
            "某公司",
            day("2024-04-01"),
            ""
        )
        .await
        .is_err()
    );
    assert_eq!(
        decision::list(
            s,
            town.id,
            DecisionKind::Licensing,
            day("2024-01-01"),
            day("2024-12-31"),
            10
        )
        .await
        .expect("list")
        .len(),
        1
    );
    let f = fee::add(
        s,
        "editor",
        county.id,
        "不动产登记费",
        "发改价格规〔2019〕",
        "80元/件",
        day("2020-01-01"),
    )
    .await
    .expect("fee");
    fee::collect(s, "editor", f, day("2024-05-01"), 1_234_500)
        .await
        .expect("collect");
    assert_eq!(fee::list(s, county.id).await.expect("fees").len(), 1);
    procurement::create(
        s,
        "editor",
        county.id,
        "办公家具",
        "家具",
        day("2024-03-03"),
        12_345_678,
    )
    .await
    .expect("project");
    assert_eq!(
        procurement::list(s, county.id).await.expect("projects")[0].amount_fen,
        12_345_678
    );

    let r2019 = generate_report(s, "实体测试省人民政府", 2024, ReportFormat::Trial2019)
        .await
        .expect("report");
    let Proactive::Trial2019(p) = &r2019.proactive else {
        panic!("format")
    };
    assert_eq!(
        (
            p.licensing.prev_items,
            p.licensing.change,
            p.licensing.decisions
        ),
        (Some(1), Some(0), Some(1))
    );
    assert_eq!(
        (
            p.normative_documents.made,
            p.normative_documents.total_published
        ),
        (Some(2), Some(2))
    );
    assert_eq!(
        (
            p.fees.prev_items,
            p.procurement.items,
            p.procurement.amount_wan
        ),
        (Some(1), Some(1), Some(12.3457))
    );
    let r2021 = generate_report(s, "实体测试省人民政府", 2024, ReportFormat::Current2021)
        .await
        .expect("report");
    let Proactive::Current2021(p) = &r2021.proactive else {
        panic!("format")
    };
    assert_eq!(
        (
            p.normative_documents.issued,
            p.normative_documents.repealed,
            p.normative_documents.in_force
        ),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(p.fees.amount_wan, Some(1.2345));

    // An application with its events; the clock gives the due date (vector D of the spec).
    let app = application::create(
        s,
        "handler",
        &NewApplication {
            agency_id: county.id,
            tracking_no: Some("YSQ-2024-001".into()),
            channel: Channel::Online,
            sent_on: None,
            arrived: day("2024-09-10"),
            confirmed: Some(day("2024-09-10")),
            applicant: Applicant {
                kind: Some(ApplicantKind::NaturalPerson),
                name: "钱某".into(),
                ..Applicant::default()
            },
            description: "某文件".into(),
            document_number: Some("实政〔2024〕1号".into()),
            delivery: "electronic".into(),
            note: String::new(),
        },
    )
    .await
    .expect("application");
    assert!(
        application::create(
            s,
            "handler",
            &NewApplication {
                tracking_no: Some("YSQ-2024-001".into()),
                ..application_clone(&app, county.id)
            }
        )
        .await
        .is_err()
    );
    let a = application::record_event(
        s,
        "handler",
        app.id,
        ClockEvent::CorrectionNoticeSent {
            on: day("2024-09-18"),
        },
    )
    .await
    .expect("notice");
    assert_eq!(a.status.key(), "awaiting_correction");
    let a = application::record_event(
        s,
        "handler",
        app.id,
        ClockEvent::CorrectedApplicationReceived {
            on: day("2024-09-27"),
        },
    )
    .await
    .expect("corrected");
    assert_eq!(a.due_on, Some(day("2024-10-30")));
    let a = application::reply(
        s,
        "handler",
        app.id,
        day("2024-10-20"),
        Outcome::PartiallyDisclosed,
    )
    .await
    .expect("reply");
    assert_eq!(
        (a.status.key(), a.outcome, a.concluded_on),
        (
            "replied",
            Some(Outcome::PartiallyDisclosed),
            Some(day("2024-10-20"))
        )
    );
    assert!(
        application::reply(s, "handler", app.id, day("2024-10-21"), Outcome::Disclosed)
            .await
            .is_err()
    );
    let events = application::events(s, app.id).await.expect("events");
    assert_eq!(events.len(), 4);
    assert_eq!(events[3].outcome, Some(Outcome::PartiallyDisclosed));
    assert!(
        application::track(s, "YSQ-2024-001", &app.query_code)
            .await
            .expect("track")
            .is_some()
    );
    assert!(
        application::track(s, "YSQ-2024-001", "WRONG")
            .await
            .expect("track")
            .is_none()
    );
    assert_eq!(
        application::recompute_due(s, "admin")
            .await
            .expect("recompute"),
        0
    );

    let case = appeal::file(
        s,
        "handler",
        app.id,
        "复〔2024〕1号",
        AppealKind::Reconsideration,
        day("2024-11-05"),
    )
    .await
    .expect("file");
    appeal::decide(
        s,
        "handler",
        case,
        AppealResult::Corrected,
        day("2025-01-10"),
    )
    .await
    .expect("decide");
    assert_eq!(
        appeal::for_application(s, app.id).await.expect("cases")[0]
            .result
            .key(),
        "corrected"
    );
    // Decided after the year: still 尚未审结 in 2024's report.
    let r = generate_report(s, &county.id.to_string(), 2024, ReportFormat::Current2021)
        .await
        .expect("report");
    assert_eq!(
        r.appeals.reconsideration,
        [Some(0), Some(0), Some(0), Some(1), Some(1)]
    );

    // Letters, accounts, trainings, inspections.
    let l = letter::receive(
        s,
        "clerk",
        county.id,
        "XX-1",
        "咨询",
        "内容",
        Some("13800000000"),
        day("2024-01-05"),
    )
    .await
    .expect("letter");
    assert_eq!(
        letter::unanswered_before(s, county.id, day("2024-04-06"))
            .await
            .expect("unanswered")
            .len(),
        1
    );
    letter::reply(s, "clerk", l, "答复", day("2024-01-09"), true)
        .await
        .expect("reply");
    assert_eq!(
        letter::count_replied(s, county.id, day("2024-01-01"), day("2024-12-31"))
            .await
            .expect("count"),
        1
    );
    let acc = media_account::register(
        s,
        "admin",
        town.id,
        "微信公众号",
        "实体测试发布",
        "sttest",
        "宣传办",
        day("2023-01-01"),
    )
    .await
    .expect("account");
    media_account::touch(s, "admin", acc, day("2024-06-01"))
        .await
        .expect("touch");
    assert_eq!(
        media_account::list(s, county.id).await.expect("accounts")[0].last_update_on,
        Some(day("2024-06-01"))
    );
    training::record(s, "admin", county.id, day("2024-05-05"), "条例培训", 40)
        .await
        .expect("training");
    assert_eq!(
        training::list(s, province.id, day("2024-01-01"), day("2024-12-31"))
            .await
            .expect("trainings")
            .len(),
        1
    );
    inspection::record(
        s,
        "admin",
        county.id,
        day("2024-06-06"),
        "网站检查",
        "无",
        "无",
    )
    .await
    .expect("inspection");
    assert_eq!(
        inspection::list(s, county.id, day("2024-01-01"), day("2024-12-31"))
            .await
            .expect("inspections")
            .len(),
        1
    );

    assert!(audit::verify(s).await.expect("audit") > 30);
}

fn application_clone(a: &application::Application, agency_id: i64) -> NewApplication {
    NewApplication {
        agency_id,
        tracking_no: Some(a.tracking_no.clone()),
        channel: Channel::InPerson,
        sent_on: None,
        arrived: a.received_on,
        confirmed: None,
        applicant: Applicant::default(),
        description: a.description.clone(),
        document_number: None,
        delivery: "paper".into(),
        note: String::new(),
    }
}

on_both!(entities, super::every_entity_round_trips);

/// `sqlite::memory:` opens one migrated in-memory database (tools and quick tests).
#[tokio::test]
async fn in_memory_store_opens() {
    let s =
        gongkai_store::Store::open_with_crypto("sqlite::memory:", gongkai_store::Crypto::random())
            .await
            .expect("open");
    agency::ensure(&s, "t", "内存县", AgencyLevel::County, None, None)
        .await
        .expect("agency");
    assert_eq!(agency::list(&s).await.expect("list").len(), 1);
}
