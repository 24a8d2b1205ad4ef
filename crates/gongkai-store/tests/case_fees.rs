//! Issue 13 point 5 (acceptance 4): the 信息处理费 of one application — 按件 by the applicant's
//! requests in the natural month, 按量 by the pages, never both — the payment matching the
//! notice, the report's prose summing what was received, and the automatic 逾期未缴费 on the
//! 21st working day after the notice. On SQLite and PostgreSQL.

#[macro_use]
mod common;

use chrono::NaiveDate;
use common::TestStore;
use gongkai_law::FeeMethod;
use gongkai_store::due::calendar;
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::application::{self, Applicant, NewApplication};
use gongkai_store::models::auto_outcome;
use gongkai_store::models::case_fee::{self, request_ordinal};
use gongkai_store::prose::gather_facts;
use gongkai_store::{Channel, Outcome, StoreError};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

async fn apply(t: &TestStore, agency: i64, id_number: &str, on: NaiveDate) -> i64 {
    application::create(
        &t.store,
        "test",
        &NewApplication {
            agency_id: agency,
            tracking_no: None,
            channel: Channel::InPerson,
            sent_on: None,
            arrived: on,
            confirmed: None,
            applicant: Applicant {
                name: "王某".into(),
                id_number: Some(id_number.into()),
                ..Applicant::default()
            },
            description: "某文件".into(),
            document_number: None,
            delivery: "paper".into(),
            note: String::new(),
        },
    )
    .await
    .expect("create")
    .id
}

fn invalid(r: Result<impl std::fmt::Debug, StoreError>) -> String {
    match r {
        Err(StoreError::Refused(r)) => r.to_string(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn fees_by_the_request_and_the_page(t: &TestStore) {
    let s = &t.store;
    let county = agency::ensure(
        s,
        "test",
        "收费测试县人民政府",
        AgencyLevel::County,
        None,
        None,
    )
    .await
    .expect("county")
    .id;
    // 31 requests of one applicant in March 2026 (one on 1 April starts a new month), and one
    // of someone else.
    let mut march = Vec::new();
    for i in 0..31u32 {
        march.push(apply(t, county, "11010519491231002X", d(2026, 3, 2 + i % 20)).await);
    }
    let april = apply(t, county, "11010519491231002X", d(2026, 4, 1)).await;
    let other = apply(t, county, "110105194912310039", d(2026, 3, 31)).await;
    let mut by_n = std::collections::BTreeMap::new();
    for id in &march {
        by_n.insert(request_ordinal(s, *id).await.expect("ordinal"), *id);
    }
    assert_eq!(
        by_n.keys().copied().collect::<Vec<u32>>(),
        (1..=31).collect::<Vec<u32>>()
    );
    assert_eq!(request_ordinal(s, april).await.expect("april"), 1);
    assert_eq!(request_ordinal(s, other).await.expect("other"), 1);

    // 按件 band edges: the 10th is free, the 11th and 30th 100 元, the 31st 200 元.
    let by_ordinal = |n: u32| by_n[&n];
    let on = d(2026, 4, 3);
    let tenth = by_ordinal(10);
    let m = invalid(
        case_fee::send_notice(s, "h", tenth, on, FeeMethod::PerRequest, 10, "现场缴纳").await,
    );
    assert!(m.contains("不收费"), "{m}");
    for (n, yuan) in [(11, 100), (30, 100), (31, 200)] {
        let id = by_ordinal(n);
        let notice = case_fee::send_notice(s, "h", id, on, FeeMethod::PerRequest, n, "现场缴纳")
            .await
            .expect("notice");
        assert_eq!(notice.amount_yuan, yuan, "request no. {n}");
        let app = application::get(s, id).await.expect("get");
        assert_eq!(app.status.key(), "awaiting_fee");
    }
    // Never both methods, never twice.
    let eleventh = by_ordinal(11);
    let m = invalid(
        case_fee::send_notice(s, "h", eleventh, on, FeeMethod::PerPage, 150, "现场缴纳").await,
    );
    assert!(m.contains("不得同时按件和按量"), "{m}");

    // 按量 band edges on fresh applications.
    for (pages, yuan) in [(31, 10), (100, 700), (101, 720), (200, 2_700), (201, 2_740)] {
        let id = apply(t, county, "110105194912310039", d(2026, 5, 6)).await;
        let notice = case_fee::send_notice(
            s,
            "h",
            id,
            d(2026, 5, 7),
            FeeMethod::PerPage,
            pages,
            "银行转账至某账户",
        )
        .await
        .expect("notice");
        assert_eq!(notice.amount_yuan, yuan, "{pages} pages");
    }
    let thirty = apply(t, county, "110105194912310039", d(2026, 5, 6)).await;
    invalid(
        case_fee::send_notice(
            s,
            "h",
            thirty,
            d(2026, 5, 7),
            FeeMethod::PerPage,
            30,
            "现场缴纳",
        )
        .await,
    );
    invalid(
        case_fee::send_notice(s, "h", thirty, d(2026, 5, 7), FeeMethod::PerPage, 31, "  ").await,
    );

    // The payment must match the notice and carry its 票据号.
    let m = invalid(case_fee::record_payment(s, "h", eleventh, d(2026, 4, 10), 99, "NO.1").await);
    assert!(m.contains("100"), "{m}");
    invalid(case_fee::record_payment(s, "h", eleventh, d(2026, 4, 10), 100, " ").await);
    invalid(case_fee::record_payment(s, "h", eleventh, d(2026, 4, 2), 100, "NO.1").await);
    invalid(case_fee::record_payment(s, "h", tenth, d(2026, 4, 10), 0, "NO.1").await);
    case_fee::record_payment(s, "h", eleventh, d(2026, 4, 10), 100, "豫财票 0012345")
        .await
        .expect("paid");
    invalid(case_fee::record_payment(s, "h", eleventh, d(2026, 4, 11), 100, "NO.2").await);
    let fee = case_fee::of(s, eleventh).await.expect("of").expect("fee");
    assert_eq!(
        fee.paid
            .as_ref()
            .map(|(on, p)| (*on, p.receipt_no.as_str())),
        Some((d(2026, 4, 10), "豫财票 0012345"))
    );
    assert_eq!(
        application::get(s, eleventh)
            .await
            .expect("get")
            .status
            .key(),
        "registered"
    );
    // The 201-page one pays too: the prose sums what was received (100 + 2,740 元).
    let apps = gongkai_store::views::case_search::find_cases(
        s,
        county,
        &gongkai_store::views::case_search::CaseFilter {
            status: Some(gongkai_store::views::case_search::StatusFilter::Is(
                gongkai_law::ApplicationStatus::AwaitingFee,
            )),
            ..Default::default()
        },
        d(2026, 5, 8),
        0,
        None,
    )
    .await
    .expect("list");
    let mut paid_201 = false;
    for a in &apps {
        let f = case_fee::of(s, a.id).await.expect("of").expect("fee");
        if f.notice.quantity == 201 && f.notice.method == FeeMethod::PerPage {
            case_fee::record_payment(s, "h", a.id, d(2026, 5, 20), 2_740, "豫财票 0012346")
                .await
                .expect("paid");
            paid_201 = true;
        }
    }
    assert!(paid_201);
    let county_agency = agency::resolve(s, "收费测试县人民政府")
        .await
        .expect("agency");
    let facts = gather_facts(s, &county_agency, 2026).await.expect("facts");
    assert_eq!((facts.fee_requests, facts.fee_yuan), (2, 2_840));
}

on_both!(fees, super::fees_by_the_request_and_the_page);

async fn unpaid_on_the_21st_working_day(t: &TestStore) {
    let s = &t.store;
    let county = agency::ensure(
        s,
        "test",
        "逾期缴费县人民政府",
        AgencyLevel::County,
        None,
        None,
    )
    .await
    .expect("county")
    .id;
    let id = apply(t, county, "11010519491231002X", d(2026, 3, 2)).await;
    let sent = d(2026, 3, 4);
    case_fee::send_notice(s, "h", id, sent, FeeMethod::PerPage, 120, "现场缴纳")
        .await
        .expect("notice");
    // The applicant has the notice the day after it is sent (the clock's convention for every
    // letter to a counterparty) and 20 working days from then; the day after that period is
    // the 21st working day.
    let cal = calendar();
    let received_notice = sent.succ_opt().expect("next day");
    let twentieth = cal
        .nth_working_day_after(received_notice, 20)
        .expect("20th");
    let twenty_first = cal
        .nth_working_day_after(received_notice, 21)
        .expect("21st");
    assert_eq!(twentieth, d(2026, 4, 2));
    let events: Vec<_> = application::events(s, id)
        .await
        .expect("events")
        .into_iter()
        .map(|e| e.event)
        .collect();
    match gongkai_law::compute(&cal, &events).expect("clock").awaiting {
        Some(gongkai_law::Awaiting::Payment { pay_by, .. }) => assert_eq!(pay_by, twentieth),
        other => panic!("awaiting payment, got {other:?}"),
    }
    let fee = case_fee::of(s, id).await.expect("of").expect("fee");
    assert_eq!(
        fee.pay_by,
        Some(twentieth),
        "the notice states the clock's last day"
    );
    assert!(
        auto_outcome::sweep(s, "sweep", Some(county), twentieth)
            .await
            .expect("sweep")
            .is_empty()
    );
    let concluded = auto_outcome::sweep(s, "sweep", Some(county), twenty_first)
        .await
        .expect("sweep");
    assert_eq!(concluded.len(), 1);
    assert_eq!(concluded[0].outcome, Outcome::OtherUnpaidFee);
    assert_eq!(concluded[0].period_end, twentieth);
    let app = application::get(s, id).await.expect("get");
    assert_eq!(app.outcome, Some(Outcome::OtherUnpaidFee));
    // Too late to pay now.
    invalid(case_fee::record_payment(s, "h", id, twenty_first, 1_100, "NO.9").await);
}

on_both!(unpaid_fee, super::unpaid_on_the_21st_working_day);

async fn served_once(t: &TestStore) {
    use gongkai_store::models::case_delivery::{self, Served};
    let s = &t.store;
    let county = agency::ensure(
        s,
        "test",
        "送达测试县人民政府",
        AgencyLevel::County,
        None,
        None,
    )
    .await
    .expect("county")
    .id;
    let id = apply(t, county, "11010519491231002X", d(2026, 3, 2)).await;
    invalid(case_delivery::record_download(s, id, d(2026, 3, 3)).await);
    application::reply(s, "h", id, d(2026, 3, 20), Outcome::Disclosed)
        .await
        .expect("reply");
    assert!(
        case_delivery::record_download(s, id, d(2026, 3, 21))
            .await
            .expect("first")
    );
    assert!(
        !case_delivery::record_download(s, id, d(2026, 3, 22))
            .await
            .expect("again")
    );
    let d1 = case_delivery::of(s, id).await.expect("of");
    assert_eq!(d1.served, Some((d(2026, 3, 21), Served::Downloaded)));
    invalid(case_delivery::record_mailing(s, "h", id, d(2026, 3, 22), "EA1").await);
}

on_both!(delivery_served_once, super::served_once);

async fn releases_keep_the_log_not_the_text(t: &TestStore) {
    use gongkai_review::redact::{self, Passage};
    use gongkai_store::models::case_release::{self, NewRelease};
    let s = &t.store;
    let county = agency::ensure(
        s,
        "test",
        "公开版测试县人民政府",
        AgencyLevel::County,
        None,
        None,
    )
    .await
    .expect("county")
    .id;
    let id = apply(t, county, "11010519491231002X", d(2026, 3, 2)).await;
    let text = "被征收人张三，联系电话13912345678。补偿标准为每平方米3000元。内部讨论意见：拟压低补偿标准。";
    let mut marks = redact::premark(text);
    let (start, end) = redact::find_all(text, "拟压低补偿标准")[0];
    marks.push(Passage {
        start,
        end,
        article: "十六".into(),
        reason: "属于过程性信息".into(),
    });
    let r = redact::redact(text, &marks).expect("redact");
    let release = case_release::add(
        s,
        "承办人甲",
        id,
        &NewRelease {
            original_name: "说明.txt",
            file_name: "说明（公开版）.txt",
            media_type: "text/plain; charset=utf-8",
            data: r.text.as_bytes(),
            log: &r.log,
            on: d(2026, 3, 20),
        },
    )
    .await
    .expect("add");
    let listed = case_release::list(s, id).await.expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].log, r.log);
    assert_eq!(listed[0].log.len(), 2);
    assert_eq!(listed[0].released_by, "承办人甲");
    let bytes = case_release::data(s, id, release).await.expect("data");
    let stored = String::from_utf8(bytes).expect("utf-8");
    assert!(stored.contains("补偿标准为每平方米3000元") && !stored.contains("13912345678"));
    assert!(matches!(
        case_release::data(s, id + 1, release).await,
        Err(StoreError::NotFound(_))
    ));
}

on_both!(releases, super::releases_keep_the_log_not_the_text);
