//! `gongkai report generate` after `gongkai demo --load-only`: the seed county's 2020 report
//! comes out of the records equal to the seed's canonical JSON, on SQLite and on PostgreSQL
//! (when `GONGKAI_TEST_PG_URL` is set; scripts/test always sets it).

#![allow(clippy::unwrap_used)] // a broken fixture should fail the test loudly

use std::path::{Path, PathBuf};
use std::process::Command;

fn gongkai(data_dir: &Path, db: &str, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env("GONGKAI_DB", db)
        .env_remove("GONGKAI_KEY")
        .env_remove("GONGKAI_SITE_AGENCY")
        .output()
        .unwrap()
}

fn seed_json() -> serde_json::Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../gongkai-report/tests/data/seed-2020.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("sections");
    v
}

fn generate_equals_the_seed(db: &str) {
    let dir = tempfile::tempdir().unwrap();
    let load = gongkai(dir.path(), db, &["demo", "--load-only"]);
    assert_eq!(
        load.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&load.stderr)
    );
    let json_out = dir.path().join("x.json");
    let out = gongkai(
        dir.path(),
        db,
        &[
            "report",
            "generate",
            "--year",
            "2020",
            "--format",
            "2019",
            "--output",
            json_out.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut got: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_out).unwrap()).unwrap();
    got.as_object_mut().unwrap().remove("sections");
    assert_eq!(got, seed_json());

    // The national text layout, which the parser reads back to the same cells.
    let txt_out = dir.path().join("x.txt");
    let out = gongkai(
        dir.path(),
        db,
        &[
            "report",
            "generate",
            "--year",
            "2020",
            "--output",
            txt_out.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(&txt_out).unwrap();
    assert!(text.starts_with("夏邑县人民政府2020年政府信息公开工作年度报告"));
    for heading in [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ] {
        assert!(text.contains(heading), "{heading}");
    }
    let back = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["report", "parse", txt_out.to_str().unwrap()])
        .output()
        .unwrap();
    let mut back: serde_json::Value = serde_json::from_slice(&back.stdout).unwrap();
    back.as_object_mut().unwrap().remove("sections");
    assert_eq!(back, seed_json());

    // An unknown agency is bad input: exit 2, one line naming the option.
    let out = gongkai(
        dir.path(),
        db,
        &[
            "report",
            "generate",
            "--year",
            "2020",
            "--agency",
            "不存在的机关",
            "--output",
            json_out.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--agency"));
}

#[test]
fn generated_2020_report_equals_the_seed_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("g.db").display());
    generate_equals_the_seed(&db);
}

#[test]
fn generated_2020_report_equals_the_seed_on_postgres() {
    let Ok(base) = std::env::var("GONGKAI_TEST_PG_URL") else {
        eprintln!("skipped on PostgreSQL: GONGKAI_TEST_PG_URL is not set");
        return;
    };
    let schema = format!("cli_generate_{}", std::process::id());
    let made = Command::new("psql")
        .args([base.as_str(), "-qc", &format!("CREATE SCHEMA {schema}")])
        .output()
        .unwrap();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let sep = if base.contains('?') { '&' } else { '?' };
    generate_equals_the_seed(&format!("{base}{sep}options[search_path]={schema}"));
    let _ = Command::new("psql")
        .args([
            base.as_str(),
            "-qc",
            &format!("DROP SCHEMA {schema} CASCADE"),
        ])
        .output();
}
