//! `gongkai calendar load` recomputes the due dates of open applications in the database: an
//! application received 2026-12-10 runs into 2027, unknown in the embedded data (provisional);
//! loading 2027 with its New Year holiday moves that due date, and the command says so.

#![allow(clippy::unwrap_used)] // a broken fixture should fail the test loudly

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

#[test]
fn loading_a_new_year_recomputes_open_cases() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let ledger = data.join("ledger.csv");
    std::fs::write(
        &ledger,
        "申请编号,收到日期,申请方式,申请人,申请人类型,申请内容,答复日期,办理结果\n\
         K-1,2026-12-10,当面提交,张三,自然人,某项目审批文件,,\n",
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
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let year = data.join("2027.json");
    std::fs::write(
        &year,
        r#"{"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}"#,
    )
    .unwrap();
    let out = gongkai(data, &["calendar", "load", year.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("2027-01-01"), "{stdout}");
    assert!(
        stdout.contains("1 件的期限或其暂定状态发生变化"),
        "{stdout}"
    );

    // The same file again changes no date, so nothing is recomputed.
    let out = gongkai(data, &["calendar", "load", year.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("没有日期发生变化"), "{stdout}");
    assert!(!stdout.contains("重新计算"), "{stdout}");
}
