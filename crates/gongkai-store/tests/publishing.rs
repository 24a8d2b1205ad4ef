//! The publishing gate on SQLite and PostgreSQL: a body with a valid 居民身份证号 blocks approval
//! until a reviewer resolves the finding; nobody approves their own item; a clean item approved
//! by another reviewer is published with its 发布日期; every step is audited.

#![allow(clippy::unwrap_used)] // a test: a failed step should stop it loudly

#[macro_use]
mod common;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use common::TestStore;
use gongkai_review::WordList;
use gongkai_store::StoreError;
use gongkai_store::auth::{self, NewUser, Role};
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::proactive_item::{DocType, NewItem};
use gongkai_store::models::publishing;

const PASSWORD: &str = "Xiayi-Gongkai-2020";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).single().unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

/// A synthetic 居民身份证号 with its ISO 7064 MOD 11-2 check digit computed here.
fn synthetic_id() -> String {
    let base = "11010119900307123";
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = base
        .chars()
        .zip(weights)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{base}{check}")
}

async fn user(t: &TestStore, name: &str, role: Role) -> i64 {
    auth::create_user(
        &t.store,
        "cli",
        &NewUser {
            name: name.to_string(),
            role,
            agency_id: None,
        },
        PASSWORD,
        now(),
    )
    .await
    .unwrap()
    .id
    .0
}

fn new_item(agency_id: i64, title: &str) -> NewItem {
    NewItem {
        agency_id,
        title: title.to_string(),
        summary: String::new(),
        publisher: "夏邑县人民政府".to_string(),
        written_on: Some(today()),
        published_on: None,
        doc_number: Some("夏政〔2026〕3号".to_string()),
        topic: String::new(),
        genre: String::new(),
        doc_type: DocType::NormativeDocument,
        art20_item: None,
        unit: String::new(),
        status: "published".to_string(), // ignored: a submission is always a draft
    }
}

async fn gate(t: &TestStore) {
    let s = &t.store;
    let county = agency::ensure(
        s,
        "cli",
        "夏邑县人民政府",
        AgencyLevel::County,
        None,
        Some("11410000MB0000000X"),
    )
    .await
    .unwrap();
    let editor = user(t, "bianji", Role::Editor).await;
    let reviewer = user(t, "shenhe", Role::Reviewer).await;
    let words = WordList::default();

    // A body with a valid ID number: scanned, blocked until resolved.
    let body = format!("经公示，申请人身份证号{}，符合条件。", synthetic_id());
    let item = publishing::submit_draft(s, "bianji", editor, &new_item(county.id, "公示"), &body)
        .await
        .unwrap();
    assert_eq!(item.status, "draft");
    assert_eq!(item.published_on, None);
    let found = publishing::scan_item(s, "bianji", item.id, &words, now())
        .await
        .unwrap();
    assert!(
        found
            .iter()
            .any(|f| f.kind.key() == "id_number" && f.blocks())
    );
    let stored = publishing::findings(s, item.id).await.unwrap();
    assert!(stored.iter().all(|f| !f.masked.contains(&synthetic_id())));
    let queue = publishing::review_queue(s).await.unwrap();
    assert!(queue.iter().any(|i| i.id == item.id));
    let err = publishing::approve(s, "shenhe", item.id, reviewer, today(), now())
        .await
        .unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid(ref m) if m.contains("保密审查")),
        "{err:?}"
    );

    // The author can neither resolve nor approve their own item.
    let err = publishing::resolve_finding(s, "bianji", stored[0].id, editor, "已核", now())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(ref m) if m == publishing::SELF_REVIEW));
    let err = publishing::approve(s, "bianji", item.id, editor, today(), now())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(ref m) if m == "不能审核本人起草的信息"));

    // The reviewer resolves every blocking finding; then it publishes.
    for f in stored.iter().filter(|f| f.blocks == 1) {
        publishing::resolve_finding(s, "shenhe", f.id, reviewer, "已隐去", now())
            .await
            .unwrap();
    }
    let published = publishing::approve(s, "shenhe", item.id, reviewer, today(), now())
        .await
        .unwrap();
    assert_eq!(published.status, "published");

    // A clean item by another reviewer publishes at once; self-approval of it is refused.
    let clean = publishing::submit_draft(
        s,
        "bianji",
        editor,
        &new_item(county.id, "关于做好春耕工作的通知"),
        "各乡镇：请做好春耕备耕工作。",
    )
    .await
    .unwrap();
    // Approval before the scan is refused (not in review).
    assert!(
        publishing::approve(s, "shenhe", clean.id, reviewer, today(), now())
            .await
            .is_err()
    );
    let found = publishing::scan_item(s, "bianji", clean.id, &words, now())
        .await
        .unwrap();
    assert!(found.is_empty(), "{found:?}");
    let err = publishing::approve(s, "bianji", clean.id, editor, today(), now())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Invalid(ref m) if m == publishing::SELF_REVIEW));
    let published = publishing::approve(s, "shenhe", clean.id, reviewer, today(), now())
        .await
        .unwrap();
    assert_eq!(published.status, "published");
    assert_eq!(published.published_on, Some(today()));

    // Returning: a third draft goes back to its author.
    let third = publishing::submit_draft(s, "bianji", editor, &new_item(county.id, "草稿"), "正文")
        .await
        .unwrap();
    publishing::scan_item(s, "bianji", third.id, &words, now())
        .await
        .unwrap();
    publishing::return_to_author(s, "shenhe", third.id, reviewer, "请补充文号", now())
        .await
        .unwrap();
    let d = publishing::get_draft(s, third.id).await.unwrap();
    assert_eq!(d.item.status, "returned");
    assert_eq!(d.author_id, Some(editor));

    // Every step is in the audit chain.
    let entries = gongkai_store::audit::verify(s).await;
    assert!(entries.is_ok(), "{entries:?}");
}

on_both!(publishing_gate, super::gate);
