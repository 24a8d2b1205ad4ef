//! Supervision records: 责任追究 cases by subtree and date range (recorded once, blanks
//! refused, audited), the quarterly assessment computed from items and applications, and the
//! head's 通报表扬.

#[macro_use]
mod common;

use chrono::NaiveDate;
use common::TestStore;
use gongkai_law::{Channel, Outcome};
use gongkai_store::models::accountability::{self, NewCase};
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::application::{self, Applicant, NewApplication};
use gongkai_store::models::commendation;
use gongkai_store::models::proactive_item::{self, DocType, NewItem};
use gongkai_store::models::{inspection, training};
use gongkai_store::views::supervision::{self, Quarter};
use gongkai_store::{StoreError, audit};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

async fn accountability_cases(t: &TestStore) {
    let s = &t.store;
    let county = agency::ensure(s, "test", "追责测试县", AgencyLevel::County, None, None)
        .await
        .expect("county");
    let dept = agency::ensure(
        s,
        "test",
        "追责测试县民政局",
        AgencyLevel::Department,
        Some(county.id),
        None,
    )
    .await
    .expect("dept");
    let other = agency::ensure(s, "test", "追责另一县", AgencyLevel::County, None, None)
        .await
        .expect("other");
    let case = |agency_id, decided_on, role| NewCase {
        agency_id,
        decided_on,
        person_role: role,
        reason: "应主动公开信息逾期未公开",
        measure: "约谈",
    };
    let first = accountability::record(s, "head", &case(dept.id, d(2021, 3, 5), "分管负责人"))
        .await
        .expect("first");
    // Recording the same case again updates it instead of adding a second one.
    let again = accountability::record(
        s,
        "head",
        &NewCase {
            measure: "通报批评",
            ..case(dept.id, d(2021, 3, 5), "分管负责人")
        },
    )
    .await
    .expect("again");
    assert_eq!(first, again);
    accountability::record(s, "head", &case(county.id, d(2021, 12, 31), "经办人员"))
        .await
        .expect("county case");
    accountability::record(s, "head", &case(dept.id, d(2022, 1, 1), "经办人员"))
        .await
        .expect("next year");
    accountability::record(s, "head", &case(other.id, d(2021, 6, 1), "经办人员"))
        .await
        .expect("other county");
    let blank = accountability::record(
        s,
        "head",
        &NewCase {
            reason: "  ",
            ..case(dept.id, d(2021, 4, 1), "经办人员")
        },
    )
    .await
    .expect_err("blank reason");
    assert!(
        matches!(blank, StoreError::Refused(ref r) if r.to_string().contains("追责事由")),
        "{blank}"
    );

    let year = accountability::list(s, county.id, d(2021, 1, 1), d(2021, 12, 31))
        .await
        .expect("list");
    assert_eq!(
        year.iter()
            .map(|c| (
                c.agency_id,
                c.decided_on,
                c.person_role.as_str(),
                c.measure.as_str()
            ))
            .collect::<Vec<_>>(),
        vec![
            (dept.id, d(2021, 3, 5), "分管负责人", "通报批评"),
            (county.id, d(2021, 12, 31), "经办人员", "约谈"),
        ]
    );
    assert_eq!(
        accountability::count(s, county.id, d(2021, 1, 1), d(2021, 12, 31))
            .await
            .expect("count"),
        2
    );
    // A department sees only its own cases; another county's case is nobody's here.
    assert_eq!(
        accountability::count(s, dept.id, d(2021, 1, 1), d(2022, 12, 31))
            .await
            .expect("dept count"),
        2
    );
    assert_eq!(
        accountability::count(s, county.id, d(2020, 1, 1), d(2020, 12, 31))
            .await
            .expect("empty year"),
        0
    );
    let log = audit::recent(s, 100).await.expect("audit");
    assert_eq!(
        log.iter()
            .filter(|e| e.action == "accountability.record")
            .count(),
        5
    );
}
on_both!(accountability_records, super::accountability_cases);

fn item(agency_id: i64, written: Option<NaiveDate>, published: NaiveDate, status: &str) -> NewItem {
    NewItem {
        agency_id,
        title: format!("考核测试信息{published}"),
        summary: String::new(),
        publisher: "考核测试".into(),
        written_on: written,
        published_on: (status == "published").then_some(published),
        doc_number: None,
        topic: String::new(),
        genre: String::new(),
        doc_type: DocType::Other,
        art20_item: None,
        unit: String::new(),
        status: gongkai_store::models::ItemStatus::parse(status).expect("status"),
    }
}

fn app(agency_id: i64, arrived: NaiveDate) -> NewApplication {
    NewApplication {
        agency_id,
        tracking_no: None,
        channel: Channel::InPerson,
        sent_on: None,
        arrived,
        confirmed: None,
        applicant: Applicant {
            name: "甲".into(),
            ..Applicant::default()
        },
        description: "某文件".into(),
        document_number: None,
        delivery: "paper".into(),
        note: String::new(),
    }
}

/// 2021 Q1 of four units, by hand (the 2021 arrangement: 春节 11–17 February off, Sunday 7
/// and Saturday 20 February worked):
/// - A (department): one item made Monday 4 January, published 1 February, the 20th working
///   day after (on time); one reply on its due date. 100 % and 100 %: qualifies.
/// - B (township): one item made Friday 5 February, published 10 March, the 20th working day
///   counting both make-up days and skipping 春节 (on time); one reply a day after its due
///   date (late), one application unanswered past its due date (late once `as_of` is past
///   it). 100 % and 0 %: does not qualify.
/// - C (department): one item made 5 February, published 11 March (the 21st working day:
///   late) and one without a 成文日期 (cannot show it was on time). 0 %: does not qualify.
/// - D (department): nothing: no item, so no commendation.
///
/// Left out: the county's own item (not a unit), A's item of April and its draft, and A's
/// application received in late March and due in April.
async fn quarterly_assessment(t: &TestStore) {
    let s = &t.store;
    let code = |n: u32| format!("11411426TEST{n:06}");
    let county = agency::ensure(
        s,
        "test",
        "考核测试县",
        AgencyLevel::County,
        None,
        Some(&code(1)),
    )
    .await
    .expect("county");
    let unit = |name: &'static str, level, n| {
        let code = code(n);
        async move {
            agency::ensure(s, "test", name, level, Some(county.id), Some(&code))
                .await
                .expect("unit")
        }
    };
    let a = unit("考核测试县教育局", AgencyLevel::Department, 2).await;
    let b = unit("考核测试县城关镇人民政府", AgencyLevel::Township, 3).await;
    let c = unit("考核测试县民政局", AgencyLevel::Department, 4).await;
    let _d = unit("考核测试县水利局", AgencyLevel::Department, 5).await;

    for it in [
        item(a.id, Some(d(2021, 1, 4)), d(2021, 2, 1), "published"),
        item(a.id, Some(d(2021, 3, 30)), d(2021, 4, 1), "published"),
        item(a.id, Some(d(2021, 3, 1)), d(2021, 3, 2), "draft"),
        item(b.id, Some(d(2021, 2, 5)), d(2021, 3, 10), "published"),
        item(c.id, Some(d(2021, 2, 5)), d(2021, 3, 11), "published"),
        item(c.id, None, d(2021, 3, 12), "published"),
        item(county.id, Some(d(2021, 1, 1)), d(2021, 3, 31), "published"),
    ] {
        proactive_item::create(s, "test", &it).await.expect("item");
    }

    let on_time = application::create(s, "test", &app(a.id, d(2021, 1, 11)))
        .await
        .expect("a app");
    let due = on_time.due_on.expect("due");
    assert_eq!(Quarter::of(due), Quarter::new(2021, 1).expect("q"));
    application::reply(s, "test", on_time.id, due, Outcome::Disclosed)
        .await
        .expect("reply on time");
    application::create(s, "test", &app(a.id, d(2021, 3, 22)))
        .await
        .expect("a app due in April");
    let late = application::create(s, "test", &app(b.id, d(2021, 1, 11)))
        .await
        .expect("b app");
    let late_due = late.due_on.expect("due");
    application::reply(
        s,
        "test",
        late.id,
        late_due.succ_opt().expect("next day"),
        Outcome::Disclosed,
    )
    .await
    .expect("late reply");
    let open = application::create(s, "test", &app(b.id, d(2021, 3, 1)))
        .await
        .expect("b open");
    let open_due = open.due_on.expect("due");
    assert_eq!(Quarter::of(open_due), Quarter::new(2021, 1).expect("q"));

    let q1 = Quarter::new(2021, 1).expect("q1");
    assert_eq!(
        (q1.first_day(), q1.last_day()),
        (d(2021, 1, 1), d(2021, 3, 31))
    );
    assert_eq!(q1.label(), "2021年第一季度");
    assert!(Quarter::new(2021, 5).is_none());

    let rows = supervision::assessment(s, county.id, q1, d(2021, 4, 15))
        .await
        .expect("assessment");
    let got: Vec<_> = rows
        .iter()
        .map(|u| {
            (
                u.name.as_str(),
                u.items,
                u.items_on_time,
                u.replies,
                u.replies_on_time,
                u.qualifies(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("考核测试县教育局", 1, 1, 1, 1, true),
            ("考核测试县城关镇人民政府", 1, 1, 2, 0, false),
            ("考核测试县民政局", 2, 0, 0, 0, false),
            ("考核测试县水利局", 0, 0, 0, 0, false),
        ]
    );
    assert_eq!(rows[0].publish_percent(), Some(100.0));
    assert_eq!(rows[1].reply_percent(), Some(0.0));
    assert_eq!(rows[3].publish_percent(), None);

    // Before B's open application fell due, it is not late yet.
    let early = supervision::assessment(s, county.id, q1, open_due)
        .await
        .expect("early");
    assert_eq!((early[1].replies, early[1].replies_on_time), (1, 0));

    // The head confirms the 通报表扬 of the qualifying units; confirming again adds nothing.
    let qualifying: Vec<i64> = rows
        .iter()
        .filter(|u| u.qualifies())
        .map(|u| u.agency_id)
        .collect();
    assert_eq!(qualifying, vec![a.id]);
    assert_eq!(
        commendation::confirm(s, "head", county.id, 2021, 1, &qualifying, d(2021, 4, 16))
            .await
            .expect("confirm"),
        1
    );
    assert_eq!(
        commendation::confirm(s, "head", county.id, 2021, 1, &qualifying, d(2021, 4, 17))
            .await
            .expect("again"),
        0
    );
    let bad = commendation::confirm(s, "head", county.id, 2021, 5, &qualifying, d(2021, 4, 16))
        .await
        .expect_err("quarter 5");
    assert!(matches!(bad, StoreError::Refused(_)), "{bad}");
    let listed = commendation::list(s, county.id, 2021).await.expect("list");
    assert_eq!(
        listed
            .iter()
            .map(|c| (
                c.quarter,
                c.unit_name.as_str(),
                c.confirmed_by.as_str(),
                c.confirmed_on
            ))
            .collect::<Vec<_>>(),
        vec![(1, "考核测试县教育局", "head", d(2021, 4, 16))]
    );
    let after = supervision::assessment(s, county.id, q1, d(2021, 4, 15))
        .await
        .expect("after");
    assert!(after[0].commended && !after[1].commended);

    // The year in one place, as the report's prose reads it.
    training::record(s, "test", county.id, d(2021, 5, 12), "条例培训", 40)
        .await
        .expect("training");
    inspection::record(s, "test", a.id, d(2021, 6, 1), "网站检查", "无", "无")
        .await
        .expect("inspection");
    let year = supervision::year(s, county.id, 2021).await.expect("year");
    assert_eq!(
        (
            year.trainings.len(),
            year.inspections.len(),
            year.accountability.len(),
            year.commendations.len()
        ),
        (1, 1, 0, 1)
    );
    assert_eq!(
        audit::recent(s, 200)
            .await
            .expect("audit")
            .iter()
            .filter(|e| e.action == "commendation.confirm")
            .count(),
        2
    );
}
on_both!(quarterly, super::quarterly_assessment);

/// An account registered with its 开设 备案 in one transaction: the filing is there at once;
/// the same account id on the platform, or a blank filing number, is refused and leaves
/// nothing behind.
async fn account_with_filing(t: &TestStore) {
    use gongkai_store::models::media_account::{self, NewAccount};
    use gongkai_store::models::media_event;
    let s = &t.store;
    let county = agency::ensure(s, "test", "备案测试县", AgencyLevel::County, None, None)
        .await
        .expect("county");
    let new = NewAccount {
        agency_id: county.id,
        platform: "抖音",
        name: "备案测试发布",
        account_id: "bacs01",
        operator: "融媒体中心",
        opened_on: d(2021, 3, 1),
        filing_no: "BA-KS-2021-01",
    };
    let id = media_account::register_filed(s, "editor", &new)
        .await
        .expect("register");
    let trail = media_event::list_for(s, id).await.expect("trail");
    assert_eq!(
        trail
            .iter()
            .map(|e| (e.kind.key(), e.filed_on, e.filing_no.as_str()))
            .collect::<Vec<_>>(),
        vec![("open", d(2021, 3, 1), "BA-KS-2021-01")]
    );
    let again = media_account::register_filed(
        s,
        "editor",
        &NewAccount {
            name: "重复",
            filing_no: "BA-KS-2021-02",
            ..new.clone()
        },
    )
    .await
    .expect_err("same id");
    assert!(
        matches!(again, StoreError::Refused(ref r) if r.to_string().contains("已登记")),
        "{again}"
    );
    let blank = media_account::register_filed(
        s,
        "editor",
        &NewAccount {
            account_id: "bacs02",
            filing_no: " ",
            ..new.clone()
        },
    )
    .await
    .expect_err("blank filing");
    assert!(
        matches!(blank, StoreError::Refused(ref r) if r.to_string().contains("备案编号")),
        "{blank}"
    );
    let accounts = media_account::list(s, county.id).await.expect("list");
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].last_update_on, Some(d(2021, 3, 1)));
}
on_both!(register_filed, super::account_with_filing);
