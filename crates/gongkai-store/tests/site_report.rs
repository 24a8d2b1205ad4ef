//! The figures of the 政府网站工作年度报表 (views::site_report) on both back ends: items,
//! topics, matters, letters, accounts, 网上巡查 runs and visit days of the year are counted;
//! those of other years, of drafts and of agencies outside the subtree are not.

#[macro_use]
mod common;

use chrono::NaiveDate;
use common::TestStore;
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::decision::DecisionKind;
use gongkai_store::models::proactive_item::{self, DocType, NewItem};
use gongkai_store::models::site_inspection::{self, NewFinding, NewRun};
use gongkai_store::models::{letter, matter, media_account, site_visit, topic};
use gongkai_store::views::site_report;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn item(
    agency_id: i64,
    published_on: NaiveDate,
    art20: i64,
    doc_type: DocType,
    status: &str,
) -> NewItem {
    NewItem {
        agency_id,
        title: "某信息".into(),
        summary: String::new(),
        publisher: "甲县".into(),
        written_on: Some(published_on),
        published_on: Some(published_on),
        doc_number: None,
        topic: String::new(),
        genre: String::new(),
        doc_type,
        art20_item: Some(art20),
        unit: String::new(),
        status: gongkai_store::models::ItemStatus::parse(status).expect("status"),
    }
}

async fn figures_of_a_year(t: &TestStore) {
    let s = &t.store;
    let county = agency::ensure(
        s,
        "t",
        "甲县人民政府",
        AgencyLevel::County,
        None,
        Some("11411426005547081A"),
    )
    .await
    .expect("county");
    let other = agency::ensure(
        s,
        "t",
        "乙县人民政府",
        AgencyLevel::County,
        None,
        Some("11411426005547082A"),
    )
    .await
    .expect("other");
    for (a, on, art20, kind, status) in [
        (county.id, d(2020, 3, 1), 2, DocType::Other, "published"),
        (
            county.id,
            d(2020, 4, 1),
            5,
            DocType::Interpretation,
            "published",
        ),
        (county.id, d(2020, 5, 1), 5, DocType::Other, "withdrawn"),
        (county.id, d(2020, 6, 1), 5, DocType::Other, "draft"),
        (county.id, d(2019, 6, 1), 2, DocType::Other, "published"),
        (other.id, d(2020, 6, 1), 2, DocType::Other, "published"),
    ] {
        proactive_item::create(s, "t", &item(a, on, art20, kind, status))
            .await
            .expect("item");
    }
    topic::ensure(s, "t", county.id, "专题一", d(2019, 1, 1))
        .await
        .expect("topic");
    topic::ensure(s, "t", county.id, "专题二", d(2020, 7, 1))
        .await
        .expect("topic");
    topic::ensure(s, "t", county.id, "专题三", d(2021, 1, 2))
        .await
        .expect("topic");
    matter::add(
        s,
        "t",
        county.id,
        DecisionKind::Licensing,
        "某许可",
        d(2019, 1, 1),
    )
    .await
    .expect("matter");
    matter::add(
        s,
        "t",
        county.id,
        DecisionKind::Penalty,
        "某处罚",
        d(2019, 1, 1),
    )
    .await
    .expect("matter");
    // Letters: answered in 4 and 6 days (one published), one answered next year, one of 2019.
    for (no, received, replied, public) in [
        ("L1", d(2020, 1, 10), Some(d(2020, 1, 14)), true),
        ("L2", d(2020, 2, 10), Some(d(2020, 2, 16)), false),
        ("L3", d(2020, 12, 30), Some(d(2021, 1, 5)), true),
        ("L4", d(2019, 12, 1), Some(d(2019, 12, 2)), true),
    ] {
        let id = letter::receive(s, "t", county.id, no, "来信", "内容", None, received)
            .await
            .expect("letter");
        if let Some(on) = replied {
            letter::reply(s, "t", id, "答复", on, public)
                .await
                .expect("reply");
        }
    }
    media_account::register(
        s,
        "t",
        county.id,
        "微博",
        "甲县发布",
        "jx1",
        "",
        d(2019, 5, 1),
    )
    .await
    .expect("account");
    media_account::register(
        s,
        "t",
        county.id,
        "微信公众号",
        "甲县微信",
        "jx2",
        "",
        d(2021, 5, 1),
    )
    .await
    .expect("account");
    let f = |rule, url| NewFinding {
        rule,
        veto: false,
        url,
        detail: "",
        deduction_tenths: 10,
    };
    for (as_of, findings) in [
        (
            d(2020, 6, 30),
            vec![
                f("LINK-BROKEN", "http://s/a"),
                f("DATE-MISSING", "http://s/b"),
            ],
        ),
        (d(2020, 12, 31), vec![f("LINK-BROKEN", "http://s/a")]),
        (d(2021, 1, 31), vec![]),
    ] {
        site_inspection::record(
            s,
            "t",
            &NewRun {
                url: "http://s/",
                as_of,
                started_by: "cli",
                veto: false,
                pages: 1,
                probes_sent: 1,
                probes_failed: 0,
                external_links: 0,
                score_tenths: Some(990),
                findings,
            },
        )
        .await
        .expect("run");
    }
    site_visit::set_day(s, d(2020, 1, 1), 10, 30)
        .await
        .expect("day");
    site_visit::set_day(s, d(2020, 1, 1), 12, 40)
        .await
        .expect("day again");
    site_visit::set_day(s, d(2020, 12, 31), 5, 6)
        .await
        .expect("day");
    site_visit::set_day(s, d(2021, 1, 1), 100, 100)
        .await
        .expect("day");
    assert!(site_visit::set_day(s, d(2021, 1, 1), -1, 0).await.is_err());

    let r = site_report::figures(s, county.id, 2020)
        .await
        .expect("figures");
    assert_eq!(
        (r.visitors, r.page_views, r.counted_days),
        (Some(17), Some(46), 2)
    );
    assert_eq!(
        (r.items_total, r.items_overview, r.items_catalogue),
        (3, 1, 3)
    );
    assert_eq!(r.interpretations, 1);
    assert_eq!((r.topics_maintained, r.topics_opened), (2, 1));
    assert_eq!(r.service_matters, Some(1));
    assert_eq!(
        (r.letters_received, r.letters_done, r.letters_public),
        (3, 2, 1)
    );
    assert_eq!(r.letters_avg_days, Some(5.0));
    assert_eq!(
        (r.inspections, r.problems_found, r.problems_fixed),
        (Some(2), Some(2), Some(1))
    );
    assert_eq!(r.media.len(), 1);
    assert_eq!(r.media[0].name, "甲县发布");

    // A year with no records of any kind: counts are 0, what was never recorded is None.
    let r = site_report::figures(s, other.id, 2018)
        .await
        .expect("figures");
    assert_eq!(
        (
            r.visitors,
            r.inspections,
            r.service_matters,
            r.letters_avg_days
        ),
        (None, None, None, None)
    );
    assert_eq!((r.items_total, r.letters_received), (0, 0));
}

on_both!(figures_of_a_year, crate::figures_of_a_year);
