//! `gongkai report check DIR|ZIP` and `gongkai report compare` through the built binary
//! (issue 15.1 and 15.4): a batch prints one object per file, named as given, with exactly the
//! findings of the single-file check; `--xlsx` writes them; compare sets two years side by side.

#![allow(clippy::unwrap_used)] // a broken fixture should fail the test loudly

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn reports() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reports")
}

fn gongkai(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(args)
        .output()
        .unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Every shared report (text and web page) copied into `dir`, the pages under `html/`.
fn copy_reports(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for (sub, ext) in [("", "txt"), ("html", "html")] {
        let from = reports().join(sub);
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for e in std::fs::read_dir(&from).unwrap() {
            let p = e.unwrap().path();
            if p.extension().and_then(|e| e.to_str()) == Some(ext) {
                let to = dir.join(sub).join(p.file_name().unwrap());
                std::fs::copy(&p, &to).unwrap();
                out.push(to);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_directory_is_checked_file_by_file_as_the_single_checks_do() {
    let tmp = tempfile::tempdir().unwrap();
    let files = copy_reports(tmp.path());
    assert!(files.len() >= 12);
    let out = gongkai(&["report", "check", tmp.path().to_str().unwrap(), "--json"]);
    // Some shared reports have arithmetic errors: exit 1, not 2 (every file was read).
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all = json(&out);
    let list = all.as_array().unwrap();
    assert_eq!(list.len(), files.len(), "one object per file");
    for (obj, file) in list.iter().zip(&files) {
        assert_eq!(obj["file"], file.display().to_string());
        let one = json(&gongkai(&[
            "report",
            "check",
            file.to_str().unwrap(),
            "--json",
        ]));
        assert_eq!(obj["findings"], one["findings"], "{}", file.display());
        assert_eq!(obj["agency"], one["agency"]);
        assert_eq!(obj["year"], one["year"]);
    }
}

#[test]
fn a_zip_is_a_batch_named_inside_and_the_xlsx_lists_every_report() {
    let tmp = tempfile::tempdir().unwrap();
    let files = copy_reports(&tmp.path().join("src"));
    let zip_path = tmp.path().join("县区年报.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let mut names = Vec::new();
    for f in &files {
        let inner = format!("2024/{}", f.file_name().unwrap().to_string_lossy());
        w.start_file(&inner, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&std::fs::read(f).unwrap()).unwrap();
        names.push(inner);
    }
    w.start_file("说明.doc", zip::write::SimpleFileOptions::default())
        .unwrap();
    w.write_all(b"not a report").unwrap();
    w.finish().unwrap();
    let xlsx = tmp.path().join("out.xlsx");
    let out = gongkai(&[
        "report",
        "check",
        zip_path.to_str().unwrap(),
        "--json",
        "--xlsx",
        xlsx.to_str().unwrap(),
    ]);
    let all = json(&out);
    let list = all.as_array().unwrap();
    assert_eq!(list.len(), files.len(), "the .doc is not a report form");
    for (obj, (inner, f)) in list.iter().zip(names.iter().zip(&files)) {
        assert_eq!(obj["file"], format!("{}/{inner}", zip_path.display()));
        let one = json(&gongkai(&[
            "report",
            "check",
            f.to_str().unwrap(),
            "--json",
        ]));
        assert_eq!(obj["findings"], one["findings"]);
    }
    // The workbook: every file on 「报告」, every rule id found on 「问题」.
    let mut z = zip::ZipArchive::new(std::fs::File::open(&xlsx).unwrap()).unwrap();
    let mut strings = String::new();
    z.by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut strings)
        .unwrap();
    for inner in &names {
        assert!(strings.contains(inner.as_str()), "{inner} in the workbook");
    }
    assert!(strings.contains("T3-BALANCE") && strings.contains("问题"));
}

#[test]
fn an_unreadable_file_in_a_batch_is_reported_beside_the_others_and_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(reports().join("2021-006.txt"), tmp.path().join("a.txt")).unwrap();
    std::fs::write(tmp.path().join("b.txt"), "这不是年度报告").unwrap();
    let out = gongkai(&["report", "check", tmp.path().to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let all = json(&out);
    let list = all.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert!(list[0]["findings"].is_array());
    assert!(list[1]["error"].as_str().unwrap().contains("b.txt"));
}

#[test]
fn compare_sets_two_years_of_a_unit_side_by_side() {
    let last = reports().join("2019-004.txt");
    let this = reports().join("2021-006.txt");
    let out = gongkai(&[
        "report",
        "compare",
        last.to_str().unwrap(),
        this.to_str().unwrap(),
        "--json",
    ]);
    let c = json(&out);
    assert_eq!(
        (c["last_year"].as_i64(), c["this_year"].as_i64()),
        (Some(2019), Some(2021))
    );
    let cells = c["cells"].as_array().unwrap();
    let new = cells
        .iter()
        .find(|p| p["row"] == "new_received" && p["column"] == "total")
        .unwrap();
    // 平潭 (summary of the whole zone): 23 new applications in 2019; the 2021 figure as printed.
    assert_eq!(new["last"], 23.0);
    assert!(new["this"].is_number());
    // Table 二 of the two formats shares only the 处理决定数量 cells.
    assert!(
        cells
            .iter()
            .any(|p| p["table"] == "二" && p["row"] == "licensing")
    );
    assert!(!cells.iter().any(|p| p["column"] == "made"));
    // The text form names the years and the changed cells.
    let text = gongkai(&[
        "report",
        "compare",
        last.to_str().unwrap(),
        this.to_str().unwrap(),
    ]);
    let s = String::from_utf8_lossy(&text.stdout);
    assert!(s.contains("2021 年与 2019 年对比"), "{s}");
    assert!(s.contains("本年新收政府信息公开申请数量"), "{s}");
    // The years in the wrong order are refused (exit 2).
    let wrong = gongkai(&[
        "report",
        "compare",
        this.to_str().unwrap(),
        last.to_str().unwrap(),
    ]);
    assert_eq!(wrong.status.code(), Some(2));
}
