//! The cases in `tests/data/cases.tsv`: text in, finding kinds out.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

mod common;

use gongkai_review::{ScanOptions, WordList, html_to_text, scan_with};

#[test]
fn cases_from_data() {
    let data = include_str!("data/cases.tsv");
    let words = WordList::default();
    let opts = ScanOptions {
        max_birth_year: 2026,
        include_suspects: true,
        ..ScanOptions::default()
    };
    let mut failures = Vec::new();
    let mut count = 0;
    for (n, line) in data.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(
            cols.len() >= 3,
            "line {}: needs mode, input, expected",
            n + 1
        );
        let input = common::expand(cols[1]);
        let text = match cols[0] {
            "text" => input.clone(),
            "html" => html_to_text(&input),
            other => panic!("line {}: unknown mode {other}", n + 1),
        };
        let found = scan_with(&text, &words, &opts);
        let got: Vec<String> = found
            .iter()
            .map(|f| format!("{}{}", f.kind.key(), if f.suspect { "?" } else { "" }))
            .collect();
        let want: Vec<String> = match cols[2].trim() {
            "-" => Vec::new(),
            w => w.split_whitespace().map(str::to_owned).collect(),
        };
        for f in &found {
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        }
        if got != want {
            failures.push(format!(
                "line {} ({}): {:?}\n   want {want:?}\n   got  {got:?} {:?}",
                n + 1,
                cols.get(3).unwrap_or(&""),
                input,
                found
                    .iter()
                    .map(|f| (&f.masked, &f.excerpt))
                    .collect::<Vec<_>>()
            ));
        }
        count += 1;
    }
    assert!(count >= 60, "only {count} cases read");
    assert!(
        failures.is_empty(),
        "{} of {count} cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
