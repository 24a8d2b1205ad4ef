//! The 保密审查 gate cannot be clicked through (issue 11.1), on SQLite and PostgreSQL: a finding
//! is cleared only by a text change, by 遮盖 (the text rewritten) or by an exception with a
//! category and a reason; approval scans the final texts again; 「疑似」 findings need a
//! decision too; exceptions survive rescans, are listed for the head and audited.

#![allow(clippy::unwrap_used)] // a test: a failed step should stop it loudly

#[macro_use]
mod common;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use common::TestStore;
use gongkai_review::WordList;
use gongkai_store::StoreError;
use gongkai_store::auth::{self, NewUser, Role};
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::proactive_item::{self, DocType, NewItem};
use gongkai_store::models::review_gate::{self, ExceptionCategory};
use gongkai_store::models::{attachment, publishing, sensitive_word};

const PASSWORD: &str = "Xiayi-Gongkai-2020";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).single().unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
}

/// A synthetic ID number from 17 digits, its MOD 11-2 check character computed here.
fn id_of(base: &str) -> String {
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = base
        .chars()
        .zip(weights)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{base}{check}")
}

/// A synthetic UnionPay card number passing Luhn.
fn card_of(prefix: &str) -> String {
    let sum: u32 = prefix
        .chars()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let x = c.to_digit(10).unwrap();
            if i % 2 == 0 {
                let y = x * 2;
                if y > 9 { y - 9 } else { y }
            } else {
                x
            }
        })
        .sum();
    format!("{prefix}{}", (10 - sum % 10) % 10)
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
        doc_number: None,
        topic: String::new(),
        genre: String::new(),
        doc_type: DocType::Other,
        art20_item: None,
        unit: String::new(),
        status: gongkai_store::models::ItemStatus::Draft,
    }
}

fn refused_with(err: &StoreError, part: &str) -> bool {
    matches!(err, StoreError::Refused(r) if r.to_string().contains(part))
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
    let id = id_of("41142619900307001");
    let card = card_of("622202123456789012");

    // An ID number and a card number in the body: two findings, approval refused.
    let body = format!(
        "经公示，申请人身份证号{id}，补贴发放至银行卡{card}。\n咨询电话：13812345678（县民政局）"
    );
    let item =
        publishing::submit_draft(s, "bianji", editor, &new_item(county.id, "补贴公示"), &body)
            .await
            .unwrap();
    publishing::scan_item(s, "bianji", item.id, &words, now())
        .await
        .unwrap();
    let found = publishing::findings(s, item.id).await.unwrap();
    let kinds: Vec<&str> = found.iter().map(|f| f.kind.key()).collect();
    assert_eq!(
        kinds,
        ["id_number", "bank_card", "mobile_number"],
        "{found:?}"
    );
    for f in &found {
        assert!(f.open() && f.blocks == 1);
        assert!(!f.masked.contains(&id) && !f.excerpt.contains(&id) && !f.excerpt.contains(&card));
    }
    let err = publishing::approve(s, "shenhe", item.id, reviewer, today(), now())
        .await
        .unwrap_err();
    assert!(refused_with(&err, "尚有 3 项"), "{err:?}");

    // An exception needs a written reason; the author may not record one.
    let phone = found[2].id;
    let err = review_gate::record_exception(
        s,
        "shenhe",
        item.id,
        phone,
        reviewer,
        ExceptionCategory::AgencyPhone,
        " ",
        now(),
    )
    .await
    .unwrap_err();
    assert!(refused_with(&err, "例外理由"), "{err:?}");
    let err = review_gate::record_exception(
        s,
        "bianji",
        item.id,
        phone,
        editor,
        ExceptionCategory::AgencyPhone,
        "县民政局公开电话",
        now(),
    )
    .await
    .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Refused(gongkai_store::Refusal::SelfReview)
    ));
    review_gate::record_exception(
        s,
        "shenhe",
        item.id,
        phone,
        reviewer,
        ExceptionCategory::AgencyPhone,
        "县民政局对外公开的咨询电话",
        now(),
    )
    .await
    .unwrap();

    // 遮盖 of the ID number rewrites the body and rescans; the exception survives the rescan.
    review_gate::mask_finding(s, "shenhe", item.id, found[0].id, reviewer, &words, now())
        .await
        .unwrap();
    let after = publishing::findings(s, item.id).await.unwrap();
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(
        after
            .iter()
            .any(|f| f.kind.key() == "mobile_number" && !f.open())
    );
    let body_now = publishing::get_draft(s, item.id).await.unwrap().body;
    assert!(!body_now.contains(&id) && body_now.contains(&card));
    // One finding (the card) remains: still refused.
    let err = publishing::approve(s, "shenhe", item.id, reviewer, today(), now())
        .await
        .unwrap_err();
    assert!(refused_with(&err, "尚有 1 项"), "{err:?}");
    // The reviewer masks the card too; then it publishes, the excepted phone in clear.
    let card_finding = after.iter().find(|f| f.kind.key() == "bank_card").unwrap();
    review_gate::mask_finding(
        s,
        "shenhe",
        item.id,
        card_finding.id,
        reviewer,
        &words,
        now(),
    )
    .await
    .unwrap();
    let published = publishing::approve(s, "shenhe", item.id, reviewer, today(), now())
        .await
        .unwrap();
    assert_eq!(published.status.key(), "published");
    let final_body = publishing::get_draft(s, item.id).await.unwrap().body;
    assert!(!final_body.contains(&id) && !final_body.contains(&card));
    assert!(
        final_body.contains("13812345678"),
        "the excepted phone stays"
    );

    // The head's list holds the exception with its category, reason and reviewer.
    let listed = review_gate::recent_exceptions(s, 0, 50).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].category_label(), "单位公开电话");
    assert_eq!(listed[0].reviewer, "shenhe");
    assert_eq!(listed[0].masked, "138****5678");
    assert_eq!(listed[0].status.key(), "published");

    // 「疑似」: an ID with a wrong check digit blocks until decided; a word cannot be masked.
    let typo = format!("{}{}", &id[..17], if id.ends_with('0') { '1' } else { '0' });
    let sus = publishing::submit_draft(
        s,
        "bianji",
        editor,
        &new_item(county.id, "名单"),
        &format!("身份证号：{typo}\n本文件属内部资料"),
    )
    .await
    .unwrap();
    publishing::scan_item(s, "bianji", sus.id, &words, now())
        .await
        .unwrap();
    let found = publishing::findings(s, sus.id).await.unwrap();
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(found[0].suspect, 1);
    assert!(
        publishing::approve(s, "shenhe", sus.id, reviewer, today(), now())
            .await
            .is_err()
    );
    let err = review_gate::mask_finding(s, "shenhe", sus.id, found[1].id, reviewer, &words, now())
        .await
        .unwrap_err();
    assert!(refused_with(&err, "敏感词不能遮盖"), "{err:?}");
    // Returned, the editor changes the text: the next scan no longer finds the word.
    publishing::return_to_author(s, "shenhe", sus.id, reviewer, "删去内部资料字样", now())
        .await
        .unwrap();
    publishing::edit(
        s,
        "bianji",
        editor,
        sus.id,
        &publishing::ItemEdit {
            title: "名单".into(),
            doc_number: None,
            doc_type: DocType::Other,
            body: format!("身份证号：{typo}"),
            meta: None,
        },
    )
    .await
    .unwrap();
    publishing::scan_item(s, "bianji", sus.id, &words, now())
        .await
        .unwrap();
    let found = publishing::findings(s, sus.id).await.unwrap();
    assert_eq!(found.len(), 1);
    review_gate::record_exception(
        s,
        "shenhe",
        sus.id,
        found[0].id,
        reviewer,
        ExceptionCategory::NotPersonal,
        "经核实为档案编号，非身份证号",
        now(),
    )
    .await
    .unwrap();
    publishing::approve(s, "shenhe", sus.id, reviewer, today(), now())
        .await
        .unwrap();

    // Attachments: a .txt is masked in the file itself; a .docx cannot be, so it is refused.
    let att = publishing::submit_draft(
        s,
        "bianji",
        editor,
        &new_item(county.id, "附件"),
        "见附件。",
    )
    .await
    .unwrap();
    attachment::add(
        s,
        "bianji",
        att.id,
        editor,
        "名单.txt",
        format!("张三\t{id}\n").as_bytes(),
        now(),
    )
    .await
    .unwrap();
    publishing::scan_item(s, "bianji", att.id, &words, now())
        .await
        .unwrap();
    let found = publishing::findings(s, att.id).await.unwrap();
    let f = found.iter().find(|f| f.kind.key() == "id_number").unwrap();
    assert!(f.maskable());
    review_gate::mask_finding(s, "shenhe", att.id, f.id, reviewer, &words, now())
        .await
        .unwrap();
    let files = attachment::list(s, att.id).await.unwrap();
    let (meta, bytes) = attachment::file(s, att.id, files[0].id)
        .await
        .unwrap()
        .unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        !text.contains(&id) && text.contains("4114**********"),
        "{text}"
    );
    assert_eq!(meta.size as usize, text.len());
    assert!(publishing::findings(s, att.id).await.unwrap().is_empty());
    assert_eq!(
        proactive_item::get(s, att.id).await.unwrap().status.key(),
        "in_review"
    );

    // A revision of a published item passes the same gate: 遮盖 rewrites the revision's body,
    // and the published body takes the masked text on approval.
    publishing::propose_revision(
        s,
        "bianji",
        editor,
        item.id,
        &publishing::ItemEdit {
            title: "补贴公示（更正）".into(),
            doc_number: None,
            doc_type: DocType::Other,
            body: format!("更正：申请人身份证号{id}。"),
            meta: None,
        },
        now(),
    )
    .await
    .unwrap();
    publishing::scan_item(s, "bianji", item.id, &words, now())
        .await
        .unwrap();
    let found = publishing::findings(s, item.id).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        publishing::approve(s, "shenhe", item.id, reviewer, today(), now())
            .await
            .is_err()
    );
    review_gate::mask_finding(s, "shenhe", item.id, found[0].id, reviewer, &words, now())
        .await
        .unwrap();
    publishing::approve(s, "shenhe", item.id, reviewer, today(), now())
        .await
        .unwrap();
    let revised = publishing::get_draft(s, item.id).await.unwrap().body;
    assert!(
        revised.starts_with("更正") && !revised.contains(&id),
        "{revised}"
    );

    let entries = gongkai_store::audit::verify(s).await;
    assert!(entries.is_ok(), "{entries:?}");
}

on_both!(review_gate_decisions, super::gate);

/// A PDF with a text layer, as an office's system writes it (gongkai-pdf, CJK text).
fn pdf_with(text: &str) -> Vec<u8> {
    let mut doc = gongkai_pdf::Document::new("名单", "县民政局");
    doc.push(gongkai_pdf::Paragraph::body(text));
    doc.render()
}

/// A PDF whose page has no text (a scan): one page, an empty content stream.
fn scanned_pdf() -> Vec<u8> {
    gongkai_extract::hostile::pdf_of(&[
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>".to_vec(),
        b"<< /Length 12 >>\nstream\nq 1 0 0 1 0 0 cm Q\nendstream".to_vec(),
    ])
}

/// PDF and image attachments (issue 11.3): .ofd is refused by name; a PDF's text is scanned
/// like the body; a scanned PDF or an image gets 「无法读取文字，须人工审查」, which 遮盖 cannot
/// clear and an exception can, tied to that very file.
async fn pdf_and_images(t: &TestStore) {
    let s = &t.store;
    let county = agency::ensure(
        s,
        "cli",
        "乙县人民政府",
        AgencyLevel::County,
        None,
        Some("11410000MB0000001X"),
    )
    .await
    .unwrap();
    let editor = user(t, "bianji", Role::Editor).await;
    let reviewer = user(t, "shenhe", Role::Reviewer).await;
    let words = WordList::default();
    let item = publishing::submit_draft(
        s,
        "bianji",
        editor,
        &new_item(county.id, "名单"),
        "见附件。",
    )
    .await
    .unwrap();

    let err = attachment::add(
        s,
        "bianji",
        item.id,
        editor,
        "名单.ofd",
        b"PK\x03\x04",
        now(),
    )
    .await
    .unwrap_err();
    assert!(
        refused_with(&err, ".ofd") && refused_with(&err, "PDF"),
        "{err:?}"
    );
    let err = attachment::add(
        s,
        "bianji",
        item.id,
        editor,
        "照片.png",
        b"not a png",
        now(),
    )
    .await
    .unwrap_err();
    assert!(refused_with(&err, "图片"), "{err:?}");

    // A PDF with the ID number in its text: found, named by the file.
    let id = id_of("41142619900307001");
    attachment::add(
        s,
        "bianji",
        item.id,
        editor,
        "名单.pdf",
        &pdf_with(&format!("公示对象身份证号：{id}")),
        now(),
    )
    .await
    .unwrap();
    // A scanned PDF and a photo: nothing to read.
    attachment::add(
        s,
        "bianji",
        item.id,
        editor,
        "扫描件.pdf",
        &scanned_pdf(),
        now(),
    )
    .await
    .unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&[0u8; 32]);
    attachment::add(s, "bianji", item.id, editor, "现场照片.png", &png, now())
        .await
        .unwrap();
    publishing::scan_item(s, "bianji", item.id, &words, now())
        .await
        .unwrap();
    let found = publishing::findings(s, item.id).await.unwrap();
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (f.source.as_str(), f.kind.key()))
        .collect();
    assert_eq!(
        got,
        [
            ("名单.pdf", "id_number"),
            ("扫描件.pdf", "unreadable"),
            ("现场照片.png", "unreadable")
        ],
        "{found:?}"
    );
    assert_eq!(found[1].label, "无法读取文字，须人工审查");
    for f in &found {
        assert!(
            !f.maskable(),
            "a PDF or an image cannot be masked in place: {f:?}"
        );
    }
    let err = review_gate::mask_finding(s, "shenhe", item.id, found[1].id, reviewer, &words, now())
        .await
        .unwrap_err();
    assert!(refused_with(&err, "无法读取文字"), "{err:?}");
    // Exceptions for all three: the two unreadable files are decided one by one.
    for (f, why) in found.iter().zip([
        "公示对象本人书面同意公开",
        "已人工逐页审查，无个人信息",
        "现场照片，已人工审查无个人信息",
    ]) {
        let category = if f.kind.key() == "id_number" {
            ExceptionCategory::Consent
        } else {
            ExceptionCategory::NotPersonal
        };
        review_gate::record_exception(s, "shenhe", item.id, f.id, reviewer, category, why, now())
            .await
            .unwrap();
    }
    publishing::scan_item(s, "bianji", item.id, &words, now())
        .await
        .unwrap();
    assert!(
        publishing::findings(s, item.id)
            .await
            .unwrap()
            .iter()
            .all(|f| !f.open())
    );
    // A different scan under the same name needs a new decision.
    let files = attachment::list(s, item.id).await.unwrap();
    attachment::remove(s, "bianji", item.id, files[1].id)
        .await
        .unwrap();
    let mut other = scanned_pdf();
    other.extend_from_slice(b"% another scan\n");
    attachment::add(s, "bianji", item.id, editor, "扫描件.pdf", &other, now())
        .await
        .unwrap();
    publishing::scan_item(s, "bianji", item.id, &words, now())
        .await
        .unwrap();
    let open: Vec<_> = publishing::findings(s, item.id)
        .await
        .unwrap()
        .into_iter()
        .filter(|f| f.open())
        .collect();
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(
        (open[0].source.as_str(), open[0].kind.key()),
        ("扫描件.pdf", "unreadable")
    );
    assert!(
        publishing::approve(s, "shenhe", item.id, reviewer, today(), now())
            .await
            .is_err()
    );
}

on_both!(review_gate_pdf_and_images, super::pdf_and_images);

/// Approval scans the final text itself: a stored finding list that says nothing does not let
/// anything through.
async fn approval_rescans(t: &TestStore) {
    let s = &t.store;
    let county = agency::ensure(
        s,
        "cli",
        "甲县人民政府",
        AgencyLevel::County,
        None,
        Some("11410000MB0000001X"),
    )
    .await
    .unwrap();
    let editor = user(t, "bianji", Role::Editor).await;
    let reviewer = user(t, "shenhe", Role::Reviewer).await;
    let words = WordList::default();
    let item = publishing::submit_draft(
        s,
        "bianji",
        editor,
        &new_item(county.id, "通知"),
        "请做好春耕工作。",
    )
    .await
    .unwrap();
    publishing::scan_item(s, "bianji", item.id, &words, now())
        .await
        .unwrap();
    // A word added to the list after the scan: the stored findings say nothing, the approval's
    // own scan finds it.
    assert!(publishing::findings(s, item.id).await.unwrap().is_empty());
    sensitive_word::add(s, "shenhe", "春耕", now())
        .await
        .unwrap();
    let err = publishing::approve(s, "shenhe", item.id, reviewer, today(), now())
        .await
        .unwrap_err();
    assert!(refused_with(&err, "保密审查"), "{err:?}");
}

on_both!(review_gate_approval_rescans, super::approval_rescans);

/// An upload or a delete scans only what changed (issue 12.2): the body and the changed file;
/// the other files keep the findings of their last scan, even when the word list has grown
/// since (proving they were not read again); approval still scans everything once.
async fn rescans_read_only_what_changed(t: &TestStore) {
    let s = &t.store;
    let county = agency::ensure(
        s,
        "cli",
        "甲县人民政府",
        AgencyLevel::County,
        None,
        Some("11410000MB0000001X"),
    )
    .await
    .unwrap();
    let editor = user(t, "bianji", Role::Editor).await;
    let reviewer = user(t, "shenhe", Role::Reviewer).await;
    let words = WordList::default();
    let item = publishing::submit_draft(
        s,
        "bianji",
        editor,
        &new_item(county.id, "春耕通知"),
        "请做好春耕工作。",
    )
    .await
    .unwrap();
    let id = id_of("41142219800101001");
    attachment::add(
        s,
        "bianji",
        item.id,
        editor,
        "名单.txt",
        format!("春耕补贴名单：张三\t{id}\n").as_bytes(),
        now(),
    )
    .await
    .unwrap();
    publishing::scan_item(s, "bianji", item.id, &words, now())
        .await
        .unwrap();
    let sources = |found: &[publishing::StoredFinding]| {
        let mut v: Vec<(String, String)> = found
            .iter()
            .map(|f| (f.source.clone(), f.kind.key().to_string()))
            .collect();
        v.sort();
        v
    };
    let first = publishing::findings(s, item.id).await.unwrap();
    assert_eq!(
        sources(&first),
        vec![("名单.txt".to_string(), "id_number".to_string())]
    );
    // A word added after the scan, present in the body, the old file and the new file.
    sensitive_word::add(s, "shenhe", "春耕", now())
        .await
        .unwrap();
    let added = attachment::add(
        s,
        "bianji",
        item.id,
        editor,
        "说明.txt",
        "春耕说明。".as_bytes(),
        now(),
    )
    .await
    .unwrap();
    let read = publishing::rescan_files(
        s,
        "bianji",
        item.id,
        &words,
        &publishing::FileChange::Added(added.id),
        now(),
    )
    .await
    .unwrap();
    // Read: the body and the new file (one hit each); not read: the old file, whose stored
    // findings are kept as they were (no hit for the new word).
    assert_eq!(read.len(), 2, "{read:?}");
    let now_found = publishing::findings(s, item.id).await.unwrap();
    let kinds = sources(&now_found);
    assert!(kinds.contains(&("名单.txt".to_string(), "id_number".to_string())));
    assert_eq!(
        kinds.iter().filter(|(src, _)| src == "名单.txt").count(),
        1,
        "the old file was not read again: {kinds:?}"
    );
    assert!(kinds.iter().any(|(src, _)| src == "说明.txt"));
    assert!(kinds.iter().any(|(src, _)| src.is_empty()));
    assert_eq!(
        proactive_item::get(s, item.id).await.unwrap().status.key(),
        "in_review"
    );
    // Deleting the new file drops its findings only.
    let files = attachment::list(s, item.id).await.unwrap();
    let name = attachment::remove(s, "bianji", item.id, files[1].id)
        .await
        .unwrap();
    assert_eq!(name, "说明.txt");
    publishing::rescan_files(
        s,
        "bianji",
        item.id,
        &words,
        &publishing::FileChange::Removed(name),
        now(),
    )
    .await
    .unwrap();
    let kinds = sources(&publishing::findings(s, item.id).await.unwrap());
    assert!(kinds.iter().all(|(src, _)| src != "说明.txt"), "{kinds:?}");
    assert_eq!(kinds.iter().filter(|(src, _)| src == "名单.txt").count(), 1);
    // Approval reads everything once and refuses while anything is open.
    let err = publishing::approve(s, "shenhe", item.id, reviewer, today(), now())
        .await
        .unwrap_err();
    assert!(refused_with(&err, "保密审查"), "{err:?}");
    // A full scan finds what the partial ones left: the old file's hit of the new word.
    publishing::scan_item(s, "bianji", item.id, &words, now())
        .await
        .unwrap();
    let kinds = sources(&publishing::findings(s, item.id).await.unwrap());
    assert_eq!(kinds.iter().filter(|(src, _)| src == "名单.txt").count(), 2);
}

on_both!(
    review_gate_rescans_read_only_what_changed,
    super::rescans_read_only_what_changed
);

/// An item never scanned is scanned whole by `rescan_files` (nothing to keep).
async fn first_rescan_reads_everything(t: &TestStore) {
    let s = &t.store;
    let county = agency::ensure(
        s,
        "cli",
        "乙县人民政府",
        AgencyLevel::County,
        None,
        Some("11410000MB0000001X"),
    )
    .await
    .unwrap();
    let editor = user(t, "bianji", Role::Editor).await;
    let item = publishing::submit_draft(
        s,
        "bianji",
        editor,
        &new_item(county.id, "名单"),
        "见附件。",
    )
    .await
    .unwrap();
    let id = id_of("41142219800101002");
    attachment::add(
        s,
        "bianji",
        item.id,
        editor,
        "甲.txt",
        format!("{id}\n").as_bytes(),
        now(),
    )
    .await
    .unwrap();
    let b = attachment::add(
        s,
        "bianji",
        item.id,
        editor,
        "乙.txt",
        "无。".as_bytes(),
        now(),
    )
    .await
    .unwrap();
    publishing::rescan_files(
        s,
        "bianji",
        item.id,
        &WordList::default(),
        &publishing::FileChange::Added(b.id),
        now(),
    )
    .await
    .unwrap();
    let found = publishing::findings(s, item.id).await.unwrap();
    assert!(
        found
            .iter()
            .any(|f| f.source == "甲.txt" && f.kind.key() == "id_number")
    );
}

on_both!(
    review_gate_first_rescan_reads_everything,
    super::first_rescan_reads_everything
);
