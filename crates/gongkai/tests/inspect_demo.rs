//! `gongkai inspect` on the demo portal (issue 7, acceptance b): the seed county's portal, as
//! `gongkai demo` loads and serves it, passes the 网上巡查 as of 2020-12-31 — no stale or blank
//! column, no broken link, every item page dated, no personal data shown, every published
//! letter answered.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn gongkai(data_dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    c.arg("--data-dir")
        .arg(data_dir)
        .env_remove("GONGKAI_DB")
        .env_remove("GONGKAI_KEY");
    c
}

/// Stops the server however the test ends.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_demo_portal_passes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let mut server = Server(
        gongkai(dir.path())
            .args(["demo", "--listen", &format!("127.0.0.1:{port}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn"),
    );
    let started = Instant::now();
    let mut answer = String::new();
    while started.elapsed() < Duration::from_secs(300) {
        answer.clear();
        if let Ok(mut s) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            let _ = s.write_all(
                b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
            );
            let _ = s.read_to_string(&mut answer);
            if answer.starts_with("HTTP/1.1 200") {
                break;
            }
        }
        assert!(
            server.0.try_wait().expect("wait").is_none(),
            "demo exited instead of serving"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");

    let out = gongkai(dir.path())
        .args([
            "inspect",
            &format!("http://127.0.0.1:{port}/"),
            "--as-of",
            "2020-12-31",
            "--max-pages",
            "1500",
            "--probes",
            "3",
            "--json",
        ])
        .output()
        .expect("inspect");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON report");
    let findings = json["findings"].as_array().expect("findings");
    for kind in [
        "COLUMN-STALE",
        "COLUMN-BLANK",
        "LINK-BROKEN",
        "DATE-MISSING",
        "PII-EXPOSED",
        "LETTER-UNANSWERED",
        "HOME-STALE",
        "SITE-UNREACHABLE",
    ] {
        assert!(
            !findings.iter().any(|f| f["rule"] == kind),
            "{kind}: {stdout}"
        );
    }
    // 19号 part two: the score and every deduction, each with its rule, URL and points.
    let score = &json["score"];
    println!(
        "19号 score of the demo portal as of 2020-12-31: {} ({})",
        score["points"], score["band"]
    );
    for i in score["indicators"].as_array().expect("indicators") {
        println!(
            "  {}: {} findings, {} deducted, {} counted",
            i["label"], i["findings"], i["deducted"], i["counted"]
        );
    }
    let mut total = 0u64;
    for f in findings {
        let tenths = f["deduction_tenths"].as_u64().expect("deduction");
        total += tenths;
        println!(
            "  -{}.{} {} {} — {}",
            tenths / 10,
            tenths % 10,
            f["rule"].as_str().unwrap_or(""),
            f["url"].as_str().unwrap_or(""),
            f["detail"].as_str().unwrap_or("")
        );
        assert!(
            f["veto"] == false && !f["url"].as_str().unwrap_or("").is_empty(),
            "{f}"
        );
    }
    for n in json["notes"].as_array().expect("notes") {
        println!("  note: {} — {}", n["url"], n["detail"]);
    }
    let points = score["points"].as_f64().expect("scored: no veto");
    assert!(points >= 60.0, "{stdout}");
    // 100 less the deductions, each indicator's capped.
    let counted: f64 = score["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .filter_map(|i| i["counted"].as_f64())
        .sum();
    let deducted: f64 = score["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .filter_map(|i| i["deducted"].as_f64())
        .sum();
    assert!((deducted - total as f64 / 10.0).abs() < 1e-9, "{stdout}");
    assert!((points - (100.0 - counted)).abs() < 1e-9, "{stdout}");
    assert_eq!(json["verdict"], "合格", "{stdout}");
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert_eq!(
        json["pages"].as_u64(),
        Some(1500),
        "the demo portal has more pages than that"
    );
    assert_eq!(json["probes"]["sent"].as_u64(), Some(3));
}
