//! `gongkai site add|list`, `gongkai demo --sites N` and `gongkai site-report --site S` as a
//! platform's operator runs them (issue 17.1), through the built binary over a real SQLite file.

#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};

fn gongkai(data_dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("GONGKAI_DB")
        .env_remove("GONGKAI_KEY")
        .env_remove("GONGKAI_SITE_URL")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn sites_are_added_listed_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = gongkai(d, &["site", "list"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("还没有网站"), "{}", text(&out));

    let out = gongkai(d, &["demo", "--load-only", "--sites", "2"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("夏邑县市场监督管理局：http://scjg.xiayi.localhost:8080/"),
        "{}",
        text(&out)
    );

    let out = gongkai(
        d,
        &[
            "site",
            "add",
            "--agency",
            "夏邑县会亭镇人民政府",
            "--host",
            "HuiTing.Xiayi.localhost:8080",
            "--host",
            "www.huiting.gov.cn",
            "--site-code",
            "4114260009",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("huiting.xiayi.localhost、www.huiting.gov.cn"),
        "{}",
        text(&out)
    );
    // A host another site holds, a malformed host, an unknown agency: refused, exit 1 or 2.
    for args in [
        &[
            "site",
            "add",
            "--agency",
            "夏邑县自然资源局",
            "--host",
            "scjg.xiayi.localhost",
        ][..],
        &[
            "site",
            "add",
            "--agency",
            "夏邑县自然资源局",
            "--host",
            "a b",
        ][..],
        &[
            "site",
            "add",
            "--agency",
            "没有这个机关",
            "--host",
            "x.gov.cn",
        ][..],
    ] {
        let out = gongkai(d, args);
        assert!(!out.status.success(), "{args:?}: {}", text(&out));
    }
    let out = gongkai(d, &["site", "list", "--json"]);
    let sites: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sites = sites.as_array().unwrap();
    assert_eq!(sites.len(), 3, "{sites:?}");
    let huiting = sites
        .iter()
        .find(|s| s["name"] == "夏邑县会亭镇人民政府")
        .unwrap();
    assert_eq!(
        huiting["hosts"],
        serde_json::json!(["huiting.xiayi.localhost", "www.huiting.gov.cn"])
    );
    assert_eq!(huiting["site_code"], "4114260009");

    // The 政府网站工作年度报表 of one site: its name, its host, its code; its visits are not
    // counted apart from the platform's, so they show nothing.
    let report = d.join("huiting.json");
    let out = gongkai(
        d,
        &[
            "site-report",
            "--year",
            "2020",
            "--site",
            "www.huiting.gov.cn",
            "--output",
            report.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(r["header"]["site_name"], "夏邑县会亭镇人民政府");
    assert_eq!(r["header"]["home_url"], "http://huiting.xiayi.localhost");
    assert_eq!(r["header"]["site_code"], "4114260009");
    assert!(r["figures"]["visitors"].is_null());
    let out = gongkai(
        d,
        &["site-report", "--year", "2020", "--site", "nowhere.gov.cn"],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("没有网站"), "{}", text(&out));
}
