//! `gongkai cases sweep` concludes an application whose 补正 period has passed, once: a dry
//! run lists it and changes nothing, the sweep concludes it 逾期不补正, a second sweep finds
//! nothing.

#![allow(clippy::unwrap_used)] // a broken fixture should fail the test loudly

use std::path::Path;
use std::process::{Command, Output};

use chrono::NaiveDate;
use gongkai_law::{Channel, ClockEvent, Outcome};
use gongkai_store::Store;
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::application::{self, Applicant, NewApplication};

fn gongkai(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("GONGKAI_DB")
        .env_remove("GONGKAI_KEY")
        .output()
        .unwrap()
}

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sweep_concludes_a_lapsed_correction_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let store = Store::open(&Store::default_url(data), data).await.unwrap();
    let county = agency::ensure(&store, "t", "甲县人民政府", AgencyLevel::County, None, None)
        .await
        .unwrap();
    let app = application::create(
        &store,
        "t",
        &NewApplication {
            agency_id: county.id,
            tracking_no: Some("BZ-1".into()),
            channel: Channel::InPerson,
            sent_on: None,
            arrived: d("2025-02-26"),
            confirmed: None,
            applicant: Applicant {
                name: "张三".into(),
                ..Applicant::default()
            },
            description: "某文件".into(),
            document_number: None,
            delivery: "paper".into(),
            note: String::new(),
        },
    )
    .await
    .unwrap();
    application::record_event(
        &store,
        "t",
        app.id,
        ClockEvent::CorrectionNoticeSent {
            on: d("2025-03-03"),
        },
    )
    .await
    .unwrap();
    store.close().await;

    let out = gongkai(
        data,
        &["cases", "sweep", "--today", "2025-04-01", "--dry-run"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("BZ-1") && stdout.contains("待自动结案 1 件"),
        "{stdout}"
    );

    let out = gongkai(
        data,
        &[
            "cases",
            "sweep",
            "--today",
            "2025-04-01",
            "--agency",
            "甲县人民政府",
        ],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("BZ-1") && stdout.contains("逾期不补正"),
        "{stdout}"
    );
    assert!(stdout.contains("2025-03-26 结案"), "{stdout}");

    let out = gongkai(data, &["cases", "sweep", "--today", "2025-04-01"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("已自动结案 0 件"), "{stdout}");

    let store = Store::open(&Store::default_url(data), data).await.unwrap();
    let after = application::get(&store, app.id).await.unwrap();
    assert_eq!(after.outcome, Some(Outcome::OtherNoCorrection));
    store.close().await;
}
