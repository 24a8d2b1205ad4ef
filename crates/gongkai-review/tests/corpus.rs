//! Precision and recall of the scan on the labelled corpus (`tests/data/corpus.tsv`, written by
//! `tests/data/make_corpus.py`; issue 11.2): personal data in real layouts (公示 tables, lists,
//! spaced, hyphenated and full-width digits, HTML), typos that must come out as 「疑似」, and
//! numbers that are not personal data (统一社会信用代码, 文号, dates, agency phones marked as
//! such, amounts, codes). Prints the figures (`cargo test -p gongkai-review --test corpus --
//! --nocapture`); fails unless every valid number is found and nothing is found in the
//! 信用代码, 文号, date and agency-phone snippets.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on broken fixtures

mod common;

use std::collections::BTreeMap;

use gongkai_review::{ScanOptions, WordList, html_to_text, scan_with};

#[derive(Default)]
struct Tally {
    snippets: usize,
    expected: usize,
    found: usize,
    hits: usize,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.snippets += other.snippets;
        self.expected += other.expected;
        self.found += other.found;
        self.hits += other.hits;
    }

    fn precision(&self) -> f64 {
        if self.found == 0 {
            1.0
        } else {
            self.hits as f64 / self.found as f64
        }
    }

    fn recall(&self) -> f64 {
        if self.expected == 0 {
            1.0
        } else {
            self.hits as f64 / self.expected as f64
        }
    }
}

/// How many of `want` are in `got`, each counted once (a multiset intersection).
fn matched(want: &[String], got: &[String]) -> usize {
    let mut left: Vec<&String> = got.iter().collect();
    want.iter()
        .filter(|w| {
            left.iter()
                .position(|g| g == w)
                .map(|i| left.remove(i))
                .is_some()
        })
        .count()
}

#[test]
fn corpus_precision_and_recall() {
    let data = include_str!("data/corpus.tsv");
    let words = WordList::default();
    let opts = ScanOptions {
        max_birth_year: 2026,
        include_suspects: true,
        ..ScanOptions::default()
    };
    let mut by_tag: BTreeMap<&str, Tally> = BTreeMap::new();
    // By what is found: valid numbers (blocking at once) and suspects.
    let mut valid = Tally::default();
    let mut suspects = Tally::default();
    let mut misses = Vec::new();
    for (n, line) in data.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 4, "line {}: tag, mode, input, expected", n + 1);
        let input = common::expand(cols[2]);
        let text = match cols[1] {
            "text" => input.clone(),
            "html" => html_to_text(&input),
            other => panic!("line {}: unknown mode {other}", n + 1),
        };
        let got: Vec<String> = scan_with(&text, &words, &opts)
            .iter()
            .map(|f| format!("{}{}", f.kind.key(), if f.suspect { "?" } else { "" }))
            .collect();
        let want: Vec<String> = match cols[3].trim() {
            "-" => Vec::new(),
            w => w.split_whitespace().map(str::to_owned).collect(),
        };
        let hits = matched(&want, &got);
        let t = Tally {
            snippets: 1,
            expected: want.len(),
            found: got.len(),
            hits,
        };
        by_tag.entry(cols[0]).or_default().add(&t);
        for (sink, suspect) in [(&mut valid, false), (&mut suspects, true)] {
            let w: Vec<String> = want
                .iter()
                .filter(|k| k.ends_with('?') == suspect)
                .cloned()
                .collect();
            let g: Vec<String> = got
                .iter()
                .filter(|k| k.ends_with('?') == suspect)
                .cloned()
                .collect();
            sink.add(&Tally {
                snippets: 0,
                expected: w.len(),
                found: g.len(),
                hits: matched(&w, &g),
            });
        }
        if hits != want.len() || got.len() != hits {
            misses.push(format!(
                "line {} [{}] want {want:?} got {got:?}",
                n + 1,
                cols[0]
            ));
        }
    }
    let mut all = Tally::default();
    println!("tag             snippets  expected  found  correct  precision  recall");
    for (tag, t) in &by_tag {
        all.add(t);
        println!(
            "{tag:<15} {:>8} {:>9} {:>6} {:>8} {:>9.1}% {:>6.1}%",
            t.snippets,
            t.expected,
            t.found,
            t.hits,
            100.0 * t.precision(),
            100.0 * t.recall()
        );
    }
    for (name, t) in [
        ("valid numbers", &valid),
        ("suspects", &suspects),
        ("all", &all),
    ] {
        println!(
            "{name:<15} {:>8} {:>9} {:>6} {:>8} {:>9.1}% {:>6.1}%",
            if name == "all" { all.snippets } else { 0 },
            t.expected,
            t.found,
            t.hits,
            100.0 * t.precision(),
            100.0 * t.recall()
        );
    }
    for m in &misses {
        println!("miss: {m}");
    }

    assert!(all.snippets >= 300, "only {} snippets", all.snippets);
    assert_eq!(
        valid.hits, valid.expected,
        "recall on valid numbers must be 100 %"
    );
    for tag in ["uscc", "docno", "date", "agency_phone"] {
        let t = &by_tag[tag];
        assert_eq!(t.found, 0, "a false finding among {tag}");
    }
    // Floors, so a regression shows: the figures in docs/PERFORMANCE.md are above them.
    assert!(all.precision() >= 0.95, "precision {:.3}", all.precision());
    assert!(all.recall() >= 0.95, "recall {:.3}", all.recall());
}
