//! The 基层政务公开标准目录 import: a table with one bad row imports nothing and names the row
//! and why; fixed, it imports; imported again, nothing is added. Entries linked to items show
//! as fulfilled, unlinked ones as empty, stale ones as overdue.

#[macro_use]
mod common;

use std::path::Path;

use chrono::NaiveDate;
use common::TestStore;
use gongkai_law::catalogue::{Domain, Level, Mode};
use gongkai_store::audit;
use gongkai_store::catalogue_import::{CatalogueImportError, CatalogueOptions, import_catalogue};
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::catalogue;
use gongkai_store::models::proactive_item::{self, DocType, NewItem};
use gongkai_store::views::registry::{self, EntryState};
use rust_xlsxwriter::Workbook;

const AGENCY: &str = "目录测试县人民政府";

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

/// A sheet as counties publish it: a title, a two-row header whose lower row splits 公开事项
/// and ticks 对象/方式/层级, and 一级事项 merged down over its 二级事项 (blank below).
fn write_two_row(path: &Path, bad: bool) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("社会救助").expect("name");
    ws.write_string(0, 0, "社会救助领域基层政务公开标准目录")
        .expect("title");
    let top = [
        "序号",
        "公开事项",
        "",
        "公开内容（要素）",
        "公开依据",
        "公开时限",
        "公开主体",
        "公开渠道和载体",
        "公开对象",
        "",
        "公开方式",
        "",
        "公开层级",
        "",
    ];
    let sub = [
        "",
        "一级事项",
        "二级事项",
        "",
        "",
        "",
        "",
        "",
        "全社会",
        "特定群体",
        "主动",
        "依申请",
        "县级",
        "乡级",
    ];
    for (c, h) in top.iter().enumerate() {
        if !h.is_empty() {
            ws.write_string(1, c as u16, *h).expect("header");
        }
    }
    for (c, h) in sub.iter().enumerate() {
        if !h.is_empty() {
            ws.write_string(2, c as u16, *h).expect("header");
        }
    }
    let rows: [[&str; 14]; 3] = [
        [
            "1",
            "最低生活保障",
            "审核确认",
            "低保审核确认办理流程、条件、结果",
            "《社会救助暂行办法》",
            "信息形成或者变更之日起20个工作日内",
            "县民政局、乡镇人民政府",
            "政府网站、公开栏",
            "√",
            "",
            "√",
            "",
            "√",
            "√",
        ],
        [
            "2",
            "",
            "资金发放",
            "低保资金发放情况",
            "《社会救助暂行办法》",
            "每季度结束后10个工作日内",
            "县民政局",
            "政府网站",
            "√",
            "",
            "√",
            "",
            "√",
            "",
        ],
        // Sheet row 6: the bad one (no 公开层级 ticked) or its fixed form.
        [
            "3",
            "特困人员救助供养",
            "供养标准",
            "特困人员供养标准",
            "《社会救助暂行办法》",
            "每年",
            "县民政局",
            "政府网站",
            "",
            "√",
            "",
            "√",
            "",
            if bad { "" } else { "√" },
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 3, c as u16, *v).expect("cell");
            }
        }
    }
    wb.save(path).expect("save");
}

/// A one-row-header sheet with a 领域 column.
fn write_one_row(path: &Path) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let header = [
        "领域",
        "一级事项",
        "二级事项",
        "公开内容（要素）",
        "公开依据",
        "公开时限",
        "公开主体",
        "公开渠道和载体",
        "公开对象",
        "公开方式",
        "公开层级",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    let row = [
        "义务教育",
        "招生入学",
        "招生计划",
        "学校招生计划",
        "《义务教育法》",
        "每年5月底前",
        "县教育局",
        "政府网站",
        "全社会",
        "主动",
        "县级",
    ];
    for (c, v) in row.iter().enumerate() {
        ws.write_string(1, c as u16, *v).expect("cell");
    }
    wb.save(path).expect("save");
}

async fn one_bad_row_imports_nothing(t: &TestStore) {
    let county = agency::ensure(
        &t.store,
        "test",
        AGENCY,
        AgencyLevel::County,
        None,
        Some("11411426005512345X"),
    )
    .await
    .expect("agency");
    let path = t.dir.path().join("标准目录.xlsx");
    let opts = CatalogueOptions {
        agency: Some(AGENCY.into()),
        actor: "test".into(),
        ..CatalogueOptions::default()
    };
    write_two_row(&path, true);
    let err = import_catalogue(&t.store, &path, &opts)
        .await
        .expect_err("bad row");
    let CatalogueImportError::Rows(e) = err else {
        panic!("not a row error: {err}")
    };
    assert_eq!(e.errors.len(), 1, "{e}");
    assert_eq!(e.errors[0].row, 6);
    assert_eq!(e.errors[0].sheet, "社会救助");
    assert_eq!(e.errors[0].field.as_deref(), Some("公开层级"));
    let msg = e.to_string();
    assert!(
        msg.contains("第6行") && msg.contains("未导入任何条目"),
        "{msg}"
    );
    assert!(
        catalogue::list(&t.store, county.id)
            .await
            .expect("list")
            .is_empty()
    );

    write_two_row(&path, false);
    let dry = import_catalogue(
        &t.store,
        &path,
        &CatalogueOptions {
            dry_run: true,
            ..opts.clone()
        },
    )
    .await
    .expect("dry run");
    assert_eq!((dry.rows, dry.imported, dry.dry_run), (3, 0, true));
    assert!(
        catalogue::list(&t.store, county.id)
            .await
            .expect("list")
            .is_empty()
    );

    let first = import_catalogue(&t.store, &path, &opts)
        .await
        .expect("import");
    assert_eq!(
        (first.rows, first.imported, first.already_present),
        (3, 3, 0)
    );
    let audit_len = audit::verify(&t.store).await.expect("chain");
    let again = import_catalogue(&t.store, &path, &opts)
        .await
        .expect("again");
    assert_eq!((again.imported, again.already_present), (0, 3));
    assert_eq!(audit::verify(&t.store).await.expect("chain"), audit_len);

    let entries = catalogue::list(&t.store, county.id).await.expect("list");
    assert_eq!(entries.len(), 3);
    let fund = entries
        .iter()
        .find(|e| e.item_l2 == "资金发放")
        .expect("merged 一级事项 carried down");
    assert_eq!(fund.item_l1, "最低生活保障");
    assert_eq!(fund.domain(), Some(Domain::SocialAssistance));
    assert_eq!(fund.refresh_days, Some(92));
    let both = entries
        .iter()
        .find(|e| e.item_l2 == "审核确认")
        .expect("row");
    assert_eq!(both.level, Level::Both.key());
    assert_eq!(both.content, "低保审核确认办理流程、条件、结果");
    assert_eq!(both.channels, "政府网站、公开栏");
    let on_request = entries
        .iter()
        .find(|e| e.item_l2 == "供养标准")
        .expect("row");
    assert_eq!(on_request.mode, Mode::OnRequest.key());
    assert_eq!(on_request.audience_label(), "特定群体");

    // A second file, one-row header with a 领域 column, adds to the same catalogue.
    let other = t.dir.path().join("义务教育.xlsx");
    write_one_row(&other);
    let o = import_catalogue(&t.store, &other, &opts)
        .await
        .expect("one-row");
    assert_eq!(o.imported, 1);

    // Links: the fund entry is fulfilled by an item of 2021-01-10; as of 2021-03-01 it is
    // fresh, as of 2021-06-01 overdue (92 days). The audit entry is empty.
    let item = proactive_item::create(
        &t.store,
        "test",
        &NewItem {
            agency_id: county.id,
            title: "2020年第四季度低保资金发放情况".into(),
            summary: String::new(),
            publisher: AGENCY.into(),
            written_on: Some(d(2021, 1, 10)),
            published_on: Some(d(2021, 1, 10)),
            doc_number: None,
            topic: String::new(),
            genre: String::new(),
            doc_type: DocType::Other,
            art20_item: Some(11),
            unit: String::new(),
            status: gongkai_store::models::ItemStatus::Published,
        },
    )
    .await
    .expect("item");
    catalogue::link_item(&t.store, "test", fund.id, item.id)
        .await
        .expect("link");
    catalogue::link_item(&t.store, "test", fund.id, item.id)
        .await
        .expect("link twice");
    assert_eq!(
        catalogue::linked_item_ids(&t.store, fund.id)
            .await
            .expect("ids"),
        vec![item.id]
    );
    let early = registry::catalogue(&t.store, county.id, d(2021, 3, 1))
        .await
        .expect("view");
    let state_of = |v: &[registry::EntryStatus], l2: &str| {
        v.iter()
            .find(|e| e.entry.item_l2 == l2)
            .map(|e| e.state)
            .expect("entry")
    };
    assert_eq!(state_of(&early, "资金发放"), EntryState::Fulfilled);
    assert_eq!(state_of(&early, "审核确认"), EntryState::Empty);
    assert_eq!(state_of(&early, "供养标准"), EntryState::OnRequest);
    // Domains in the guidelines' order: 社会救助 (12) before 义务教育 (22).
    assert_eq!(
        early.last().map(|e| e.entry.item_l2.as_str()),
        Some("招生计划")
    );
    let fund_view = early.iter().find(|e| e.entry.id == fund.id).expect("fund");
    assert_eq!(fund_view.items.len(), 1);
    assert_eq!(fund_view.due_on, Some(d(2021, 4, 12)));

    let late = registry::overdue_or_empty(&t.store, county.id, d(2021, 6, 1))
        .await
        .expect("overdue");
    let mut late: Vec<(&str, EntryState)> = late
        .iter()
        .map(|e| (e.entry.item_l2.as_str(), e.state))
        .collect();
    late.sort_unstable_by_key(|(l2, _)| *l2);
    assert_eq!(
        late,
        vec![
            ("审核确认", EntryState::Empty),
            ("招生计划", EntryState::Empty),
            ("资金发放", EntryState::Overdue),
        ]
    );
    catalogue::unlink_item(&t.store, "test", fund.id, item.id)
        .await
        .expect("unlink");
    assert!(audit::verify(&t.store).await.is_ok());
}

on_both!(catalogue_xlsx, super::one_bad_row_imports_nothing);

async fn errors_name_every_row(t: &TestStore) {
    let path = t.dir.path().join("bad.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let header = [
        "一级事项",
        "二级事项",
        "公开内容（要素）",
        "公开依据",
        "公开时限",
        "公开主体",
        "公开渠道和载体",
        "公开对象",
        "公开方式",
        "公开层级",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    let rows = [
        [
            "事项",
            "甲",
            "内容",
            "",
            "",
            "",
            "",
            "全社会",
            "主动",
            "县级",
        ],
        [
            "事项",
            "甲",
            "内容",
            "",
            "",
            "",
            "",
            "所有人",
            "主动",
            "市级",
        ],
        ["", "", "", "", "", "", "", "全社会", "公告", "县级"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, *v).expect("cell");
            }
        }
    }
    wb.save(&path).expect("save");
    // No domain anywhere: every row says so; with a domain given, the other faults remain.
    let err = gongkai_store::catalogue_import::read_catalogue(&path, None).expect_err("no domain");
    for row in [2, 3, 4] {
        assert!(
            err.errors
                .iter()
                .any(|e| e.row == row && e.field.as_deref() == Some("领域")),
            "{err}"
        );
    }
    let err = gongkai_store::catalogue_import::read_catalogue(&path, Some(Domain::Employment))
        .expect_err("bad rows");
    let found: Vec<(usize, Option<&str>)> = err
        .errors
        .iter()
        .map(|e| (e.row, e.field.as_deref()))
        .collect();
    assert!(found.contains(&(3, Some("公开对象"))), "{err}");
    assert!(found.contains(&(3, Some("公开层级"))), "{err}");
    assert!(found.contains(&(3, Some("公开事项（二级事项）"))), "{err}");
    // Row 4: 一级事项 carried down from row 3, but no content and an unknown mode.
    assert!(found.contains(&(4, Some("公开内容（要素）"))), "{err}");
    assert!(found.contains(&(4, Some("公开方式"))), "{err}");
    assert!(!found.iter().any(|(r, _)| *r == 2), "{err}");
    let _ = t;
}

on_both!(catalogue_errors, super::errors_name_every_row);

/// The probe's sparse workbook as a catalogue: refused with its limit named, nothing read.
#[test]
fn hostile_catalogue_is_refused_with_its_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("稀疏.xlsx");
    std::fs::write(&path, gongkai_extract::hostile::sparse_xlsx()).expect("write");
    let err = gongkai_store::catalogue_import::read_catalogue(&path, Some(Domain::Employment))
        .expect_err("sparse");
    let text = err.to_string();
    assert!(
        text.contains("工作表不得超过 100000 行") && text.contains("稀疏.xlsx"),
        "{text}"
    );
    // The rest of the hostile set, as workbooks: each refused naming its limit.
    use gongkai_extract::hostile;
    for (name, bytes, limit) in [
        (
            "多部件.xlsx",
            hostile::many_part_docx(3, 22 << 20),
            "解压后的总大小不得超过 64 MB",
        ),
        (
            "重叠.xlsx",
            hostile::overlapping_docx(4, 1 << 20),
            "条目不得相互重叠",
        ),
        (
            "深层.xlsx",
            hostile::xlsx_with_sheet(&format!(
                "<worksheet><sheetData>{}</sheetData></worksheet>",
                "<x>".repeat(200) + &"</x>".repeat(200)
            )),
            "XML 嵌套不得超过 128 层",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let err = gongkai_store::catalogue_import::read_catalogue(&path, Some(Domain::Employment))
            .expect_err(name);
        let text = err.to_string();
        assert!(
            text.contains(limit) && text.contains(name),
            "{name}: {text}"
        );
    }
    let ods = dir.path().join("目录.ods");
    std::fs::write(&ods, b"PK").expect("write");
    let err = gongkai_store::catalogue_import::read_catalogue(&ods, None).expect_err("ods");
    assert!(err.to_string().contains("另存为 .xlsx"), "{err}");
}
