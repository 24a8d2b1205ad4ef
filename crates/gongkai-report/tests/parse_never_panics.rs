//! `parse_str` never panics: not on arbitrary strings, not on the seed or a published report
//! with lines deleted, characters swapped or cells emptied. It may refuse (`Err`), and
//! whatever it returns can be checked.
#![allow(clippy::unwrap_used)] // Tests fail loudly on bad data.

use gongkai_report::parse::{ParseOptions, check_parsed, parse_html, parse_str};
use proptest::prelude::*;
use std::path::PathBuf;

fn seed() -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seed/xiayi-2020-annual-report.txt");
    std::fs::read_to_string(p).unwrap()
}

fn report_2019_011() -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reports/2019-011.txt");
    std::fs::read_to_string(p).unwrap()
}

fn run(s: &str) {
    if let Ok(p) = parse_str(s, &ParseOptions::default()) {
        let _ = check_parsed(&p);
        let _ = p.report.to_json();
    }
}

/// Every input the fuzz targets ever crashed on (`tests/data/fuzz-regressions`), read as the
/// targets read bytes (lossy UTF-8), through both entry points.
#[test]
fn fuzz_regressions_do_not_panic() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz-regressions");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n == "README.md") {
            continue;
        }
        let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
        run(&text);
        if let Ok(p) = parse_html(&text, &ParseOptions::default()) {
            let _ = check_parsed(&p);
        }
    }
}

/// One edit of a document, by line and character position (taken modulo the sizes).
#[derive(Debug, Clone)]
enum Edit {
    DeleteLine(usize),
    SwapChars(usize, usize),
    Insert(usize, String),
    DuplicateLine(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::DeleteLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapChars(a, b)),
        (
            any::<usize>(),
            prop_oneof![
                Just("\t".to_string()),
                Just("|".to_string()),
                Just("\n".to_string()),
                Just("（七）总计".to_string()),
                Just("-".to_string()),
                Just("99999999999999999999".to_string()),
                Just("元".to_string()),
                Just("<table>".to_string()),
                "\\PC{0,8}",
            ]
        )
            .prop_map(|(a, s)| Edit::Insert(a, s)),
        any::<usize>().prop_map(Edit::DuplicateLine),
    ]
}

fn apply(doc: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = doc.lines().map(str::to_string).collect();
    for e in edits {
        if lines.is_empty() {
            break;
        }
        match e {
            Edit::DeleteLine(i) => {
                lines.remove(i % lines.len());
            }
            Edit::DuplicateLine(i) => {
                let l = lines[i % lines.len()].clone();
                lines.insert(i % lines.len(), l);
            }
            Edit::SwapChars(a, b) => {
                let k = a % lines.len();
                let mut cs: Vec<char> = lines[k].chars().collect();
                if cs.len() > 1 {
                    let (x, y) = (a % cs.len(), b % cs.len());
                    cs.swap(x, y);
                    lines[k] = cs.into_iter().collect();
                }
            }
            Edit::Insert(a, s) => {
                let k = a % lines.len();
                let cs: Vec<char> = lines[k].chars().collect();
                let at = a % (cs.len() + 1);
                let mut l: String = cs[..at].iter().collect();
                l.push_str(s);
                l.extend(&cs[at..]);
                lines[k] = l;
            }
        }
    }
    lines.join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_strings_do_not_panic(s in "\\PC{0,400}") {
        run(&s);
    }

    #[test]
    fn table_like_strings_do_not_panic(s in "([一二三四五六七、（）()|\\t\\n0-9.+\\-元总计其他小计予以公开行政复议 ]{0,300})") {
        run(&s);
    }

    #[test]
    fn mutated_seed_does_not_panic(edits in proptest::collection::vec(edit(), 1..12)) {
        run(&apply(&seed(), &edits));
    }

    #[test]
    fn mutated_pipe_report_does_not_panic(edits in proptest::collection::vec(edit(), 1..12)) {
        run(&apply(&report_2019_011(), &edits));
    }
}
