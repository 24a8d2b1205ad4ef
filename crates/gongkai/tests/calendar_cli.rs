//! `gongkai calendar load` and `show`: a loaded year replaces the embedded one, says which
//! dates changed, and moves the deadlines computed afterwards.

#![allow(clippy::unwrap_used)] // tests may panic on broken fixtures

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn data_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "gongkai-calendar-cli-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn gongkai(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .output()
        .unwrap()
}

fn due(data: &Path, received: &str) -> serde_json::Value {
    let out = gongkai(data, &["deadline", "--received", received, "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    json
}

#[test]
fn loading_a_year_with_an_extra_holiday_moves_the_deadline() {
    let data = data_dir("extra");
    assert_eq!(due(&data, "2025-10-20")["due"], "2025-11-17");

    let mut file: serde_json::Value =
        serde_json::from_str(include_str!("../../gongkai-law/data/holidays/2025.json")).unwrap();
    file["days"].as_array_mut().unwrap().push(serde_json::json!(
        {"name": "临时休假", "date": "2025-11-07", "isOffDay": true}
    ));
    let path = data.join("2025-amended.json");
    std::fs::write(&path, file.to_string()).unwrap();
    let out = gongkai(&data, &["calendar", "load", path.to_str().unwrap()]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("2025-11-07"), "{stdout}");
    assert!(stdout.contains("临时休假"), "{stdout}");
    assert!(data.join("calendar/2025.json").is_file());

    assert_eq!(due(&data, "2025-10-20")["due"], "2025-11-18");
    let show = gongkai(&data, &["calendar", "show", "2025"]);
    assert!(String::from_utf8(show.stdout).unwrap().contains("已载入"));
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn loading_2027_makes_its_deadlines_final() {
    let data = data_dir("2027");
    assert_eq!(due(&data, "2026-12-10")["provisional"], true);
    let path = data.join("2027.json");
    std::fs::write(
        &path,
        r#"{"year": 2027, "papers": [], "days": [{"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}"#,
    )
    .unwrap();
    let out = gongkai(&data, &["calendar", "load", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let json = due(&data, "2026-12-10");
    assert_eq!(json["provisional"], false);
    assert!(json["reason"].is_null());
    let _ = std::fs::remove_dir_all(&data);
}

#[test]
fn invalid_files_are_refused_with_exit_2() {
    let data = data_dir("bad");
    for (name, text) in [
        ("empty.json", r#"{"year": 2027, "papers": [], "days": []}"#),
        ("broken.json", "{not json"),
        ("noyear.json", r#"{"papers": [], "days": []}"#),
    ] {
        let path = data.join(name);
        std::fs::write(&path, text).unwrap();
        let out = gongkai(&data, &["calendar", "load", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains(name), "{stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    }
    assert!(!data.join("calendar").exists());
    let _ = std::fs::remove_dir_all(&data);
}
