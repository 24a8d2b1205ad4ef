//! `gongkai import catalogue`: a county's 标准目录 table goes in all or nothing; the error names
//! the row; importing again adds nothing.

#![allow(clippy::unwrap_used)] // a broken fixture should fail the test loudly

use rust_xlsxwriter::Workbook;
use std::path::Path;
use std::process::{Command, Output};

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

fn write(path: &Path, level_of_second_row: &str) {
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
    let rows = [
        [
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
        ],
        [
            "社会救助",
            "最低生活保障",
            "审核确认",
            "低保对象名单",
            "《社会救助暂行办法》",
            "信息形成或者变更之日起20个工作日内",
            "县民政局",
            "政府网站、公开栏",
            "全社会",
            "主动",
            level_of_second_row,
        ],
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn catalogue_import_is_all_or_nothing_and_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let file = data.join("catalogue.xlsx");
    let agency = ["--agency", "夏邑县人民政府"];
    // The county comes into the empty store with its application ledger.
    let ledger = data.join("ledger.csv");
    std::fs::write(
        &ledger,
        "申请编号,收到日期,申请方式,申请人,申请人类型,申请内容,答复日期,办理结果\n\
         L-1,2026-03-02,当面提交,张三,自然人,某文件,2026-03-20,予以公开\n",
    )
    .unwrap();
    let out = gongkai(
        data,
        &[
            "import",
            "ledger",
            ledger.to_str().unwrap(),
            "--agency",
            "夏邑县人民政府",
        ],
    );
    assert_eq!(out.status.code(), Some(0));

    write(&file, "省级");
    let mut args = vec!["import", "catalogue", file.to_str().unwrap()];
    args.extend(agency);
    let out = gongkai(data, &args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("第3行") && err.contains("公开层级"), "{err}");

    write(&file, "县级");
    let out = gongkai(data, &args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("已导入标准目录 2 项"), "{stdout}");

    let out = gongkai(data, &args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("已导入标准目录 0 项"), "{stdout}");
}
