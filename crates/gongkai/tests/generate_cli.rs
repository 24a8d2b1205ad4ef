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
    let sections = got.as_object_mut().unwrap().remove("sections").unwrap();
    assert_eq!(got, seed_json());
    drafted_prose_states_the_records(&sections);

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

    // The text report, prose included, passes `report check`: no error, and neither
    // TXT-PARTS nor TXT-TABLE (the seed's own prose gets TXT-PARTS for its 5863).
    assert!(text.contains("全年共主动公开政府信息5998条。其中，通过政府网站主动公开信息4884条，县直部门公开589条，乡镇公开525条。"), "{text}");
    let checked = Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .args(["report", "check", "--json", txt_out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        checked.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&checked.stdout)
    );
    let v: serde_json::Value = serde_json::from_slice(&checked.stdout).unwrap();
    let findings = v
        .as_array()
        .and_then(|a| a.first())
        .unwrap_or(&v)
        .get("findings")
        .and_then(|f| f.as_array())
        .cloned()
        .unwrap();
    for f in &findings {
        assert_ne!(f["severity"], "error", "{f}");
        assert!(f["rule"] != "TXT-PARTS" && f["rule"] != "TXT-TABLE", "{f}");
    }

    // Markdown, HTML and Word carry the same prose.
    for ext in ["md", "html", "docx"] {
        let out_path = dir.path().join(format!("x.{ext}"));
        let out = gongkai(
            dir.path(),
            db,
            &[
                "report",
                "generate",
                "--year",
                "2020",
                "--output",
                out_path.to_str().unwrap(),
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{ext}");
        let bytes = std::fs::read(&out_path).unwrap();
        if ext == "docx" {
            assert!(bytes.starts_with(b"PK") && bytes.len() > 5000, "{ext}");
        } else {
            let s = String::from_utf8(bytes).unwrap();
            assert!(s.contains("通过政府网站主动公开信息4884条"), "{ext}: {s}");
            assert!(s.contains("微信公众号8个"), "{ext}");
        }
    }

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

/// The prose drafted from the demo's records states the seed's figures, with the total the
/// parts give (5,998, where the seed's hand count printed 5,863).
fn drafted_prose_states_the_records(sections: &serde_json::Value) {
    let one = sections["1"].as_str().unwrap();
    for needle in [
        "全年共主动公开政府信息5998条",
        "通过政府网站主动公开信息4884条",
        "县直部门公开589条",
        "乡镇公开525条",
        "专题专栏39个",
        "政策解读材料32条",
        "来信及咨询318条",
        "没有发生任何泄密事件",
        "新收政府信息公开申请12件，上年结转2件，共办结14件，结转下年度继续办理0件",
        "行政复议1件（尚未审结1件）",
        "行政诉讼1件（结果维持1件）",
        "26个领域",
        "政务新媒体共11个。其中，微博2个，微信公众号8个，移动客户端1个。",
        "培训2次",
        "共开展3次政府网站及政务新媒体的检查",
        "未出现因信息公开不到位进行责任追究的情况",
    ] {
        assert!(one.contains(needle), "missing {needle}: {one}");
    }
    assert!(!one.contains("5863"), "{one}");
    assert!(sections["5"].as_str().unwrap().contains("（一）"));
    assert!(
        sections["6"]
            .as_str()
            .unwrap()
            .contains("未收取政府信息公开信息处理费")
    );
}
