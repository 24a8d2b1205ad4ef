//! `gongkai report` through the built binary: the acceptance of issue 2 that names commands.

#![allow(clippy::unwrap_used)] // a broken fixture should fail the test loudly

use std::path::PathBuf;
use std::process::{Command, Output};

fn shared(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(p)
}

fn seed() -> String {
    shared("seed/xiayi-2020-annual-report.txt")
        .display()
        .to_string()
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

fn without_sections(mut v: serde_json::Value) -> serde_json::Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("sections");
    }
    v
}

#[test]
fn parse_gives_the_seeds_canonical_json() {
    let out = gongkai(&["report", "parse", &seed(), "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let want: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../gongkai-report/tests/data/seed-2020.json"),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(without_sections(json(&out)), without_sections(want));
}

#[test]
fn check_on_the_seed_exits_0_with_exactly_two_warnings() {
    let out = gongkai(&["report", "check", &seed(), "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    assert_eq!(v["agency"], "夏邑县人民政府");
    assert_eq!(v["year"], 2020);
    assert_eq!(v["format"], "2019");
    let mut rules: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["severity"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    rules.sort();
    assert_eq!(
        rules,
        [
            ("FMT-DECIMALS".to_string(), "warning".to_string()),
            ("TXT-PARTS".to_string(), "warning".to_string())
        ]
    );
    let text = gongkai(&["report", "check", &seed()]);
    let s = String::from_utf8_lossy(&text.stdout);
    assert!(s.contains("5998") && s.contains("5863"), "{s}");
}

#[test]
fn check_exits_1_on_errors_and_2_on_unreadable_files() {
    let bad = shared("reports/2021-023.txt").display().to_string();
    let out = gongkai(&["report", "check", &bad, "--agency", "平潭综合实验区公安局"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("T3-BALANCE"));
    let partial = shared("reports/2022-012.txt").display().to_string();
    let out = gongkai(&["report", "check", &partial, "--json"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        json(&out)["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "SECTION-MISSING")
    );
    let out = gongkai(&["report", "check", "/nonexistent/report.txt"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("/nonexistent/report.txt") && err.lines().count() == 1,
        "{err}"
    );
}

#[test]
fn render_then_parse_gives_the_same_cells_for_every_format_that_parses() {
    let dir = tempfile::tempdir().unwrap();
    let input = shared("reports/expected/2019-011.json");
    let want: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&input).unwrap()).unwrap();
    for ext in ["json", "txt", "html"] {
        let out_path = dir.path().join(format!("r.{ext}"));
        let out = gongkai(&[
            "report",
            "render",
            &input.display().to_string(),
            "--output",
            &out_path.display().to_string(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{ext}");
        let back = gongkai(&["report", "parse", &out_path.display().to_string()]);
        let mut got = without_sections(json(&back));
        // The parser normalises punctuation in names; the cells are what must survive.
        got["agency"] = want["agency"].clone();
        assert_eq!(got, want, "{ext}");
    }
    // PDF too (gongkai-pdf, session 4), read back by the parser's PDF reader elsewhere.
    for ext in ["docx", "xlsx", "md", "pdf"] {
        let out_path = dir.path().join(format!("r.{ext}"));
        let out = gongkai(&[
            "report",
            "render",
            &input.display().to_string(),
            "-o",
            &out_path.display().to_string(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{ext}");
        assert!(std::fs::metadata(&out_path).unwrap().len() > 500, "{ext}");
    }
    let out = gongkai(&[
        "report",
        "render",
        &input.display().to_string(),
        "-o",
        &dir.path().join("r.odt").display().to_string(),
    ]);
    // A format it cannot write is bad usage.
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn aggregate_sums_refuses_mixed_years_and_previous_flags_carry() {
    let a = shared("reports/expected/2021-006.json")
        .display()
        .to_string();
    let b = shared("reports/expected/2021-023.json")
        .display()
        .to_string();
    let out = gongkai(&["report", "aggregate", &a, &b, "--agency", "平潭汇总"]);
    assert_eq!(out.status.code(), Some(0));
    let sum = json(&out);
    let va: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&a).unwrap()).unwrap();
    let vb: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&b).unwrap()).unwrap();
    for col in 0..7 {
        assert_eq!(
            sum["requests"]["new_received"][col].as_i64().unwrap(),
            va["requests"]["new_received"][col].as_i64().unwrap()
                + vb["requests"]["new_received"][col].as_i64().unwrap()
        );
    }
    assert_eq!(sum["agency"], "平潭汇总");

    let other_year = shared("reports/expected/2020-026.json")
        .display()
        .to_string();
    let out = gongkai(&["report", "aggregate", &a, &other_year]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2020"));

    // Last year's 结转 must be this year's 上年结转: 2021-006 carries 1 natural-person
    // application out; a 2022 report claiming none carried in breaks X-CARRY.
    let dir = tempfile::tempdir().unwrap();
    let mut next = va.clone();
    next["year"] = 2022.into();
    next["requests"]["carried_in"] = serde_json::json!([0, 0, 0, 0, 0, 0, 0]);
    next["requests"]["results_total"] = serde_json::json!([62, 0, 0, 2, 0, 4, 68]);
    next["requests"]["disclosed"] = serde_json::json!([26, 0, 0, 2, 0, 1, 29]);
    let next_path = dir.path().join("next.json");
    std::fs::write(&next_path, next.to_string()).unwrap();
    let out = gongkai(&[
        "report",
        "check",
        &next_path.display().to_string(),
        "--previous",
        &a,
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let findings = json(&out)["findings"].as_array().unwrap().clone();
    assert!(
        findings.iter().any(|f| f["rule"] == "X-CARRY"),
        "{findings:?}"
    );
}
