//! docs/API.md's examples (issue 18, acceptance 3): every ```sh block runs in bash and every
//! ```python block in python3, against a live server on a loopback port with `API` set to its
//! address; each must exit 0 (the curl examples use `-f`, the Python ones assert).

#![allow(clippy::unwrap_used)]

mod common;

use std::process::Command;

/// The fenced blocks of `lang` in `text`.
fn blocks(text: &str, lang: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            None if line.trim_end() == format!("```{lang}") => current = Some(String::new()),
            Some(b) if line.trim_end() == "```" => {
                out.push(std::mem::take(b));
                current = None;
            }
            Some(b) => {
                b.push_str(line);
                b.push('\n');
            }
            None => {}
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_examples_of_docs_api_md_run_against_a_live_server() {
    let fx = common::fixture().await;
    common::publish_report(&fx.state, fx.county, 2020).await;
    let server = common::spawn(fx.state.clone()).await;
    let api = format!("http://{}", server.addr);
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/API.md")).unwrap();
    let sh = blocks(&doc, "sh");
    let py = blocks(&doc, "python");
    assert!(sh.len() >= 4 && !py.is_empty(), "the examples are there");
    let mut runs: Vec<(String, Vec<String>)> = sh
        .into_iter()
        .map(|b| {
            (
                "bash".to_string(),
                vec!["-euo".into(), "pipefail".into(), "-c".into(), b],
            )
        })
        .collect();
    runs.extend(
        py.into_iter()
            .map(|b| ("python3".to_string(), vec!["-c".into(), b])),
    );
    let report = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/reports/2024-001.txt"
    );
    for (program, args) in runs {
        let api = api.clone();
        let out = tokio::task::spawn_blocking(move || {
            Command::new(&program)
                .args(&args)
                .env("API", &api)
                .env("REPORT", report)
                .output()
                .map(|o| (args, o))
        })
        .await
        .unwrap()
        .unwrap();
        let (args, out) = out;
        assert!(
            out.status.success(),
            "example failed:\n{}\nstdout: {}\nstderr: {}",
            args.last().unwrap(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    drop(server);
}
