//! Acceptance 4: a ledger with one bad row imports nothing and names the row and why; fixed,
//! it imports; imported again, nothing is added. Also CSV and header variants.

#[macro_use]
mod common;

use std::path::Path;

use common::TestStore;
use gongkai_store::ledger::{LedgerOptions, read_ledger};
use gongkai_store::models::agency;
use gongkai_store::{
    ApplicantKind, ReportFormat, StoreError, Table3Row, generate_report, import_ledger,
};
use rust_xlsxwriter::Workbook;

const HEADER: [&str; 9] = [
    "申请编号",
    "收到日期",
    "申请方式",
    "申请人",
    "申请人类型",
    "申请内容",
    "答复日期",
    "办理结果",
    "备注",
];

fn write_xlsx(path: &Path, rows: &[[&str; 9]]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, *v).expect("cell");
            }
        }
    }
    wb.save(path).expect("save xlsx");
}

fn rows(bad: bool) -> Vec<[&'static str; 9]> {
    vec![
        [
            "TZ-2021-001",
            "2021-03-02",
            "网上申请",
            "王某",
            "自然人",
            "某项目批复",
            "2021-03-20",
            "予以公开",
            "",
        ],
        [
            "TZ-2021-002",
            "2021/4/6",
            "当面",
            "某公司",
            "商业企业",
            "某规划",
            "2021-04-28",
            "部分公开",
            "",
        ],
        // Row 4 in the sheet: the bad one, or its fixed form.
        if bad {
            [
                "TZ-2021-003",
                "2021-13-45",
                "信函",
                "李某",
                "自然人",
                "某文件",
                "",
                "",
                "",
            ]
        } else {
            [
                "TZ-2021-003",
                "2021-12-20",
                "信函",
                "李某",
                "自然人",
                "某文件",
                "",
                "",
                "跨年办理",
            ]
        },
        [
            "TZ-2021-004",
            "2021年5月6日",
            "电子邮件",
            "某律所",
            "法律服务机构",
            "某合同",
            "2021-05-25",
            "本机关不掌握相关政府信息",
            "",
        ],
    ]
}

async fn one_bad_row_imports_nothing(t: &TestStore) {
    let path = t.dir.path().join("台账.xlsx");
    let opts = LedgerOptions {
        agency: Some("台账测试县人民政府".into()),
        dry_run: false,
        actor: "test".into(),
    };
    write_xlsx(&path, &rows(true));
    let err = import_ledger(&t.store, &path, &opts, &|_| {})
        .await
        .expect_err("bad row");
    let StoreError::Ledger(e) = err else {
        panic!("not a ledger error: {err}")
    };
    assert_eq!(e.errors.len(), 1, "{e}");
    assert_eq!(e.errors[0].row, 4);
    assert_eq!(e.errors[0].field.as_deref(), Some("收到日期"));
    let msg = e.to_string();
    assert!(msg.contains("第4行") && msg.contains("2021-13-45"), "{msg}");
    // Nothing at all was written: not even the agency.
    assert!(
        agency::find_by_name(&t.store, "台账测试县人民政府")
            .await
            .expect("lookup")
            .is_none()
    );

    write_xlsx(&path, &rows(false));
    let dry = import_ledger(
        &t.store,
        &path,
        &LedgerOptions {
            dry_run: true,
            ..opts.clone()
        },
        &|_| {},
    )
    .await
    .expect("dry run");
    assert_eq!((dry.rows, dry.imported), (4, 0));
    let first = import_ledger(&t.store, &path, &opts, &|_| {})
        .await
        .expect("import");
    assert_eq!(
        (first.rows, first.imported, first.already_present),
        (4, 4, 0)
    );
    let second = import_ledger(&t.store, &path, &opts, &|_| {})
        .await
        .expect("import again");
    assert_eq!((second.imported, second.already_present), (0, 4));

    let r = generate_report(
        &t.store,
        "台账测试县人民政府",
        2021,
        ReportFormat::Current2021,
    )
    .await
    .expect("report");
    assert_eq!(r.requests[&Table3Row::NewReceived][6], Some(4));
    assert_eq!(r.requests[&Table3Row::CarriedOut][6], Some(1));
    assert_eq!(
        r.requests[&Table3Row::PartiallyDisclosed][ApplicantKind::Commercial.column()],
        Some(1)
    );
    assert_eq!(
        r.requests[&Table3Row::UnableNotHeld][ApplicantKind::LegalService.column()],
        Some(1)
    );
}

on_both!(xlsx_ledger, super::one_bad_row_imports_nothing);

async fn csv_with_variant_headers(t: &TestStore) {
    let path = t.dir.path().join("ledger.csv");
    std::fs::write(
        &path,
        "\u{feff}序号,受理编号,受理日期,申请渠道,申请人姓名,申请人类别,申请公开内容,答复时间,答复结果\n\
         1,A-1,2022-01-04,网上申请,张某,自然人,某信息,2022-01-20,予以公开\n\
         2,A-2,2022-01-05,当面,某研究院,科研机构,某数据,2022-01-05,2021-12-31\n\
         3,A-2,2022-01-06,邮寄,某公司,公司,某文件,,重复申请\n",
    )
    .expect("write csv");
    let err = read_ledger(&path).expect_err("bad rows");
    let found: Vec<(usize, Option<&str>)> = err
        .errors
        .iter()
        .map(|e| (e.row, e.field.as_deref()))
        .collect();
    // Row 3: the outcome is a date. Row 4: duplicate number, unknown kind, outcome without date.
    assert!(found.contains(&(3, Some("办理结果"))), "{err}");
    assert!(found.contains(&(4, Some("申请编号"))), "{err}");
    assert!(found.contains(&(4, Some("申请人类型"))), "{err}");
    assert!(found.contains(&(4, Some("答复日期"))), "{err}");
    let opts = LedgerOptions {
        agency: Some("台账测试县人民政府".into()),
        dry_run: false,
        actor: "test".into(),
    };
    assert!(
        import_ledger(&t.store, &path, &opts, &|_| {})
            .await
            .is_err()
    );
    std::fs::write(
        &path,
        "受理编号,受理日期,申请渠道,申请人姓名,申请人类别,申请公开内容,答复时间,答复结果\n\
         A-1,2022-01-04,网上申请,张某,自然人,某信息,2022-01-20,予以公开\n",
    )
    .expect("write csv");
    let ok = import_ledger(&t.store, &path, &opts, &|_| {})
        .await
        .expect("import");
    assert_eq!(ok.imported, 1);
}

on_both!(csv_ledger, super::csv_with_variant_headers);

/// The hostile files of issue 12 as ledgers: each refused with its limit named, nothing
/// imported (none is ever inflated or allocated in full).
#[test]
fn hostile_ledgers_are_refused_with_their_limit() {
    use gongkai_extract::hostile;
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: [(&str, Vec<u8>, &str); 5] = [
        (
            "多部件.xlsx",
            hostile::many_part_docx(3, 22 << 20),
            "解压后的总大小不得超过 64 MB",
        ),
        (
            "稀疏.xlsx",
            hostile::sparse_xlsx(),
            "工作表不得超过 100000 行",
        ),
        (
            "多部件.xlsx",
            hostile::xlsx_with_sheet(&format!(
                "<worksheet><sheetData>{}</sheetData></worksheet>",
                "<x>".repeat(200) + &"</x>".repeat(200)
            )),
            "XML 嵌套不得超过 128 层",
        ),
        (
            "重叠.xlsx",
            hostile::overlapping_docx(4, 1024),
            "条目不得相互重叠",
        ),
        ("台账.ods", b"PK".to_vec(), "另存为 .xlsx 或 .csv"),
    ];
    for (name, bytes, limit) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        // How fast they are refused is measured by scripts/hostile-load.sh (no timing
        // assertions in tests).
        let err = read_ledger(&path).expect_err(name);
        let text = err.to_string();
        assert!(
            text.contains(limit) && text.contains(name),
            "{name}: {text}"
        );
    }
}
