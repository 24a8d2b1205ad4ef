//! Answers to a 补正 notice on both back ends (issue 13.1): the notice's items read back; an
//! answer in time is the corrected application at once (the 20 working days restart from it);
//! a late one waits for the handler, who accepts it; files are sealed at rest and read back
//! whole; bad files and a second answer are refused and leave nothing behind.

#[macro_use]
mod common;

use chrono::NaiveDate;
use common::TestStore;
use gongkai_law::Channel;
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::application::{self, Applicant, NewApplication};
use gongkai_store::models::application_desk;
use gongkai_store::models::correction::{self, CorrectionChannel, NewFile};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

fn new(agency_id: i64, name: &str) -> NewApplication {
    NewApplication {
        agency_id,
        tracking_no: None,
        channel: Channel::InPerson,
        sent_on: None,
        arrived: d(2026, 3, 2),
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

async fn corrections_case(t: &TestStore) {
    let s = &t.store;
    let county = agency::ensure(s, "test", "补正测试县", AgencyLevel::County, None, None)
        .await
        .expect("county");
    let a = application::create(s, "t", &new(county.id, "甲"))
        .await
        .expect("a");
    let items = vec!["写明文件名称".to_string(), " ".into(), "写明年份".into()];
    // Nothing to answer before a notice.
    assert!(
        correction::open_notice(s, a.id)
            .await
            .expect("open")
            .is_none()
    );
    application_desk::send_correction_notice(s, "h", a.id, d(2026, 3, 4), &items)
        .await
        .expect("notice");
    let open = correction::open_notice(s, a.id)
        .await
        .expect("open")
        .expect("notice");
    assert_eq!(open.items, ["写明文件名称", "写明年份"]);
    assert_eq!(open.sent_on, d(2026, 3, 4));
    // The clock's correction period (gongkai_law::correction_due) after the 03-04 notice.
    assert_eq!(open.due, Some(d(2026, 3, 26)));
    assert_eq!(
        application::get(s, a.id).await.expect("get").status.key(),
        "awaiting_correction"
    );

    // A file of a kind not accepted is refused, and nothing is recorded.
    let exe = NewFile {
        file_name: "a.exe".into(),
        data: b"MZ".to_vec(),
    };
    assert!(
        correction::answer(
            s,
            "portal",
            a.id,
            CorrectionChannel::Online,
            d(2026, 3, 9),
            "补正",
            &[exe]
        )
        .await
        .is_err()
    );
    assert!(
        correction::answers(s, a.id)
            .await
            .expect("answers")
            .is_empty()
    );

    // In time: the corrected application, the reply period restarts from 03-09.
    let pdf = NewFile {
        file_name: "C:\\docs\\补正说明.pdf".into(),
        data: b"%PDF-1.4 applicant's scan 11010519491231002X".to_vec(),
    };
    let ans = correction::answer(
        s,
        "portal",
        a.id,
        CorrectionChannel::Online,
        d(2026, 3, 9),
        "所需文件为《2025年道路改造工程招标文件》",
        std::slice::from_ref(&pdf),
    )
    .await
    .expect("answer");
    assert!(!ans.late && ans.event_id.is_some());
    assert_eq!(ans.files.len(), 1);
    assert_eq!(ans.files[0].file_name, "补正说明.pdf");
    let app = application::get(s, a.id).await.expect("get");
    assert_eq!(app.status.key(), "registered");
    // 20 working days after 2026-03-09.
    assert_eq!(app.due_on, Some(d(2026, 4, 7)));
    let (meta, bytes) = correction::file(s, a.id, ans.files[0].id)
        .await
        .expect("file")
        .expect("found");
    assert_eq!(bytes, pdf.data);
    assert_eq!(meta.media_type, "application/pdf");
    // Another application's id does not reach the file.
    assert!(
        correction::file(s, a.id + 1, ans.files[0].id)
            .await
            .expect("file")
            .is_none()
    );
    // Sealed at rest: neither the text nor the file is in the database in clear.
    let raw = std::fs::read(t.dir.path().join("gongkai.db")).unwrap_or_default();
    let needle = "11010519491231002X".as_bytes();
    assert!(!raw.windows(needle.len()).any(|w| w == needle));
    // Answered: no second answer.
    assert!(
        correction::open_notice(s, a.id)
            .await
            .expect("open")
            .is_none()
    );
    assert!(
        correction::answer(
            s,
            "portal",
            a.id,
            CorrectionChannel::Online,
            d(2026, 3, 10),
            "再次",
            &[]
        )
        .await
        .is_err()
    );

    // Late: kept and shown, no event until the handler accepts it.
    let b = application::create(s, "t", &new(county.id, "乙"))
        .await
        .expect("b");
    application_desk::send_correction_notice(s, "h", b.id, d(2026, 3, 4), &items[..1])
        .await
        .expect("notice");
    let late = correction::answer(
        s,
        "h",
        b.id,
        CorrectionChannel::Post,
        d(2026, 3, 27),
        "",
        &[],
    )
    .await
    .expect("late answer");
    assert!(late.late && late.event_id.is_none());
    assert_eq!(late.channel, CorrectionChannel::Post);
    assert_eq!(
        application::get(s, b.id).await.expect("get").status.key(),
        "awaiting_correction"
    );
    correction::accept_late(s, "h", b.id, late.id)
        .await
        .expect("accept");
    let app = application::get(s, b.id).await.expect("get");
    assert_eq!(app.status.key(), "registered");
    // 20 working days after 2026-03-27 (清明 2026-04-04…06 off).
    assert_eq!(app.due_on, Some(d(2026, 4, 27)));
    assert!(
        correction::accept_late(s, "h", b.id, late.id)
            .await
            .is_err()
    );
    assert!(
        correction::answers(s, b.id).await.expect("answers")[0]
            .event_id
            .is_some()
    );
}

on_both!(corrections_answer_restart_and_wait, super::corrections_case);

async fn letter_settings_case(t: &TestStore) {
    use gongkai_store::models::letter_settings::{self, LetterSettings};
    let s = &t.store;
    let county = agency::ensure(s, "test", "文书设置测试县", AgencyLevel::County, None, None)
        .await
        .expect("county");
    assert_eq!(letter_settings::get(s, county.id).await.expect("get"), None);
    let blank = LetterSettings {
        review_body: " ".into(),
        court: "某县人民法院".into(),
    };
    assert!(
        letter_settings::set(s, "head", county.id, &blank)
            .await
            .is_err()
    );
    let set = LetterSettings {
        review_body: "某市人民政府".into(),
        court: "某县人民法院".into(),
    };
    letter_settings::set(s, "head", county.id, &set)
        .await
        .expect("set");
    let again = LetterSettings {
        review_body: "某市人民政府".into(),
        court: "某区人民法院".into(),
    };
    letter_settings::set(s, "head", county.id, &again)
        .await
        .expect("update");
    assert_eq!(
        letter_settings::get(s, county.id).await.expect("get"),
        Some(again)
    );
}

on_both!(letter_settings_set_and_read, super::letter_settings_case);

async fn demo_letter_settings_case(t: &TestStore) {
    use gongkai_store::models::letter_settings;
    let s = &t.store;
    gongkai_store::demo::load_demo(s, &|_| {})
        .await
        .expect("demo");
    let county = agency::find_by_name(s, gongkai_store::demo::DEMO_COUNTY)
        .await
        .expect("find")
        .expect("county");
    let set = letter_settings::get(s, county.id)
        .await
        .expect("get")
        .expect("set");
    assert_eq!(set.review_body, "商丘市人民政府");
    assert_eq!(set.court, "夏邑县人民法院");
    let dept = agency::find_by_name(s, "夏邑县市场监督管理局")
        .await
        .expect("find")
        .expect("dept");
    let set = letter_settings::get(s, dept.id)
        .await
        .expect("get")
        .expect("set");
    assert_eq!(set.review_body, gongkai_store::demo::DEMO_COUNTY);
}

on_both!(
    demo_names_the_review_body_and_court,
    super::demo_letter_settings_case
);
