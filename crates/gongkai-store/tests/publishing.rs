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
use gongkai_store::models::{publishing, review_gate};

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
        status: gongkai_store::models::ItemStatus::Published, // ignored: a submission is always a draft
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
    assert_eq!(item.status.key(), "draft");
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
        matches!(err, StoreError::Refused(ref r) if r.to_string().contains("保密审查")),
        "{err:?}"
    );

    // The author can neither decide on nor approve their own item.
    let err = publishing::approve(s, "bianji", item.id, editor, today(), now())
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Refused(gongkai_store::Refusal::SelfReview)
    ));
    let err = review_gate::mask_finding(s, "bianji", item.id, stored[0].id, editor, &words, now())
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Refused(gongkai_store::Refusal::SelfReview)
    ));

    // The reviewer masks the number (遮盖): the body now holds the masked form; it publishes.
    review_gate::mask_finding(s, "shenhe", item.id, stored[0].id, reviewer, &words, now())
        .await
        .unwrap();
    assert!(publishing::findings(s, item.id).await.unwrap().is_empty());
    let published = publishing::approve(s, "shenhe", item.id, reviewer, today(), now())
        .await
        .unwrap();
    let body = publishing::get_draft(s, item.id).await.unwrap().body;
    assert!(
        !body.contains(&synthetic_id()) && body.contains("1101**********"),
        "{body}"
    );
    assert_eq!(published.status.key(), "published");

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
    assert!(matches!(
        err,
        StoreError::Refused(gongkai_store::Refusal::SelfReview)
    ));
    let published = publishing::approve(s, "shenhe", clean.id, reviewer, today(), now())
        .await
        .unwrap();
    assert_eq!(published.status.key(), "published");
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
    assert_eq!(d.item.status.key(), "returned");
    assert_eq!(d.author_id, Some(editor));

    // Every step is in the audit chain.
    let entries = gongkai_store::audit::verify(s).await;
    assert!(entries.is_ok(), "{entries:?}");
}

on_both!(publishing_gate, super::gate);

/// A minimal Word file whose one paragraph is `text`.
fn docx_with(text: &str) -> Vec<u8> {
    gongkai_extract::hostile::docx_with_body(&format!(
        r#"<w:p><w:r><w:t>附表</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#
    ))
}

/// An Excel file with a header row and one row carrying `text`.
fn xlsx_with(text: &str) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "姓名").unwrap();
    ws.write_string(0, 1, "证件号码").unwrap();
    ws.write_string(1, 0, "张三").unwrap();
    ws.write_string(1, 1, text).unwrap();
    wb.save_to_buffer().unwrap()
}

fn edit(title: &str, body: &str) -> publishing::ItemEdit {
    publishing::ItemEdit {
        title: title.to_string(),
        doc_number: Some("夏政〔2026〕3号".to_string()),
        doc_type: DocType::NormativeDocument,
        body: body.to_string(),
        meta: None,
    }
}

async fn lifecycle(t: &TestStore) {
    use gongkai_store::models::{attachment, proactive_item, sensitive_word};
    use gongkai_store::views::portal;
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

    // 1. Returned, edited, resubmitted (rescanned), approved.
    let item = publishing::submit_draft(s, "bianji", editor, &new_item(county.id, "初稿"), "正文")
        .await
        .unwrap();
    publishing::scan_item(s, "bianji", item.id, &words, now())
        .await
        .unwrap();
    // Nothing is edited while in review.
    assert!(
        publishing::edit(s, "bianji", editor, item.id, &edit("改", "改"))
            .await
            .is_err()
    );
    publishing::return_to_author(s, "shenhe", item.id, reviewer, "请补充实施日期", now())
        .await
        .unwrap();
    assert_eq!(
        publishing::last_return_reason(s, item.id).await.unwrap(),
        Some("请补充实施日期".to_string())
    );
    publishing::edit(
        s,
        "bianji",
        editor,
        item.id,
        &edit("关于春耕的通知", "自2026年3月1日起施行。"),
    )
    .await
    .unwrap();
    assert_eq!(
        proactive_item::get(s, item.id).await.unwrap().status.key(),
        "draft"
    );
    publishing::scan_item(s, "bianji", item.id, &words, now())
        .await
        .unwrap();
    let published = publishing::approve(s, "shenhe", item.id, reviewer, today(), now())
        .await
        .unwrap();
    assert_eq!(published.status.key(), "published");
    assert_eq!(published.title, "关于春耕的通知");

    // 2. A revision stays invisible until approved; the old version goes to the history.
    let rev = publishing::propose_revision(
        s,
        "bianji",
        editor,
        item.id,
        &edit("关于春耕的通知（修订）", "自2026年4月1日起施行。"),
        now(),
    )
    .await
    .unwrap();
    assert_eq!(rev.status.key(), "draft");
    // A second open revision is refused.
    assert!(
        publishing::propose_revision(s, "bianji", editor, item.id, &edit("再改", "再改"), now())
            .await
            .is_err()
    );
    publishing::scan_item(s, "bianji", item.id, &words, now())
        .await
        .unwrap();
    assert!(
        publishing::revision_queue(s)
            .await
            .unwrap()
            .iter()
            .any(|r| r.id == rev.id)
    );
    let public = portal::published_item(s, county.id, item.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(public.title, "关于春耕的通知");
    // Its author may not approve it.
    let err = publishing::approve(s, "bianji", item.id, editor, today(), now())
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Refused(gongkai_store::Refusal::SelfReview)
    ));
    // Returned once, edited, rescanned, then approved.
    publishing::return_to_author(s, "shenhe", item.id, reviewer, "请注明修订依据", now())
        .await
        .unwrap();
    assert_eq!(
        publishing::open_revision(s, item.id)
            .await
            .unwrap()
            .unwrap()
            .note,
        "请注明修订依据"
    );
    publishing::edit(
        s,
        "bianji",
        editor,
        item.id,
        &edit(
            "关于春耕的通知（修订）",
            "依据省文件，自2026年4月1日起施行。",
        ),
    )
    .await
    .unwrap();
    publishing::scan_item(s, "bianji", item.id, &words, now())
        .await
        .unwrap();
    let revised = publishing::approve(s, "shenhe", item.id, reviewer, today(), now())
        .await
        .unwrap();
    assert_eq!(revised.title, "关于春耕的通知（修订）");
    assert_eq!(revised.published_on, Some(today()));
    assert!(
        publishing::open_revision(s, item.id)
            .await
            .unwrap()
            .is_none()
    );
    let history = publishing::versions(s, item.id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].title, "关于春耕的通知");
    assert_eq!(history[0].body, "自2026年3月1日起施行。");
    assert_eq!(
        publishing::lifecycle(s, item.id).await.unwrap().body,
        "依据省文件，自2026年4月1日起施行。"
    );

    // 3. 废止: not by the author; by a reviewer it stays public as 已废止 with date and reason.
    let err = publishing::repeal(s, "bianji", item.id, editor, today(), "已被替代")
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Refused(gongkai_store::Refusal::SelfChange)
    ));
    assert!(
        publishing::repeal(s, "shenhe", item.id, reviewer, today(), "  ")
            .await
            .is_err()
    );
    publishing::repeal(
        s,
        "shenhe",
        item.id,
        reviewer,
        today(),
        "已被夏政〔2026〕9号替代",
    )
    .await
    .unwrap();
    let repealed = portal::published_item(s, county.id, item.id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(repealed.validity, "repealed");
    assert_eq!(repealed.validity_changed_on, Some(today()));
    assert_eq!(
        publishing::lifecycle(s, item.id)
            .await
            .unwrap()
            .validity_note,
        "已被夏政〔2026〕9号替代"
    );

    // 4. 撤回: the item leaves the portal; date and reason kept.
    let err = publishing::withdraw(s, "bianji", item.id, editor, today(), "有误", now())
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Refused(gongkai_store::Refusal::SelfChange)
    ));
    publishing::withdraw(s, "shenhe", item.id, reviewer, today(), "内容有误", now())
        .await
        .unwrap();
    assert!(
        portal::published_item(s, county.id, item.id)
            .await
            .unwrap()
            .is_none()
    );
    let l = publishing::lifecycle(s, item.id).await.unwrap();
    assert_eq!(l.withdrawn_on, Some(today()));
    assert_eq!(l.withdraw_reason, "内容有误");

    // 5. A word added to the stored list blocks an item; a built-in one cannot be added twice.
    assert!(
        sensitive_word::add(s, "shenhe", "绝密", now())
            .await
            .is_err()
    );
    let w = sensitive_word::add(s, "shenhe", " 春耕秘方 ", now())
        .await
        .unwrap();
    assert_eq!(w.word, "春耕秘方");
    assert!(
        sensitive_word::add(s, "shenhe", "春耕秘方", now())
            .await
            .is_err()
    );
    let worded = publishing::submit_draft(
        s,
        "bianji",
        editor,
        &new_item(county.id, "经验"),
        "推广春耕秘方。",
    )
    .await
    .unwrap();
    publishing::scan_item(s, "bianji", worded.id, &words, now())
        .await
        .unwrap();
    let found = publishing::findings(s, worded.id).await.unwrap();
    assert!(
        found
            .iter()
            .any(|f| f.kind.key() == "sensitive_word" && f.masked == "春耕秘方" && f.blocks == 1),
        "{found:?}"
    );
    assert!(
        publishing::approve(s, "shenhe", worded.id, reviewer, today(), now())
            .await
            .is_err()
    );
    sensitive_word::remove(s, "shenhe", w.id).await.unwrap();
    publishing::return_to_author(s, "shenhe", worded.id, reviewer, "敏感词", now())
        .await
        .unwrap();
    publishing::scan_item(s, "bianji", worded.id, &words, now())
        .await
        .unwrap();
    assert!(publishing::findings(s, worded.id).await.unwrap().is_empty());

    // 6. Attachments are scanned like the body; findings name the file.
    let att = publishing::submit_draft(
        s,
        "bianji",
        editor,
        &new_item(county.id, "名单"),
        "见附件。",
    )
    .await
    .unwrap();
    publishing::scan_item(s, "bianji", att.id, &words, now())
        .await
        .unwrap();
    let id = synthetic_id();
    let line = format!("张三\t{id}\n");
    for (name, data) in [
        ("名单.txt", line.clone().into_bytes()),
        ("名单.docx", docx_with(&format!("身份证号{id}"))),
        ("名单.xlsx", xlsx_with(&id)),
        (
            "名单.html",
            format!("<p>身份证号 <b>{id}</b></p>").into_bytes(),
        ),
    ] {
        let meta = attachment::add(s, "bianji", att.id, editor, name, &data, now())
            .await
            .unwrap();
        assert_eq!(meta.size as usize, data.len());
        // Adding a file takes the item out of review until it is scanned again.
        assert_eq!(
            proactive_item::get(s, att.id).await.unwrap().status.key(),
            "draft"
        );
        assert!(
            publishing::approve(s, "shenhe", att.id, reviewer, today(), now())
                .await
                .is_err()
        );
        publishing::scan_item(s, "bianji", att.id, &words, now())
            .await
            .unwrap();
        let found = publishing::findings(s, att.id).await.unwrap();
        assert!(
            found
                .iter()
                .any(|f| f.kind.key() == "id_number" && f.source == name && f.blocks == 1),
            "{name}: {found:?}"
        );
        assert!(found.iter().all(|f| !f.masked.contains(&id)));
    }
    let err = publishing::approve(s, "shenhe", att.id, reviewer, today(), now())
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Refused(ref r) if r.to_string().contains("保密审查")));
    let listed = attachment::list(s, att.id).await.unwrap();
    assert_eq!(listed.len(), 4);
    let (meta, bytes) = attachment::file(s, att.id, listed[1].id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(meta.file_name, "名单.docx");
    assert_eq!(bytes, docx_with(&format!("身份证号{id}")));
    // Too large, the wrong kind, empty: refused with a clear reason.
    let big = vec![b'a'; attachment::MAX_ATTACHMENT_BYTES + 1];
    let err = attachment::add(s, "bianji", att.id, editor, "大.txt", &big, now())
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Refused(gongkai_store::Refusal::TooLarge)
    ));
    assert!(
        attachment::add(s, "bianji", att.id, editor, "a.pdf", b"%PDF", now())
            .await
            .is_err()
    );
    assert!(
        attachment::add(s, "bianji", att.id, editor, "a.txt", b"", now())
            .await
            .is_err()
    );
    // Removing the files and rescanning clears the findings; then it publishes.
    for a in &listed {
        attachment::remove(s, "bianji", att.id, a.id).await.unwrap();
    }
    publishing::scan_item(s, "bianji", att.id, &words, now())
        .await
        .unwrap();
    publishing::approve(s, "shenhe", att.id, reviewer, today(), now())
        .await
        .unwrap();
    // Published: the attachments no longer change.
    assert!(
        attachment::add(s, "bianji", att.id, editor, "后补.txt", b"x", now())
            .await
            .is_err()
    );

    let entries = gongkai_store::audit::verify(s).await;
    assert!(entries.is_ok(), "{entries:?}");
}

on_both!(publishing_lifecycle, super::lifecycle);
