//! Every real report in `../shared/reports` (listed in `index.tsv`): complete ones parse into
//! exactly `expected/NAME.json` and yield exactly the findings their arithmetic implies;
//! partial ones yield what they hold plus SECTION-MISSING; the HTML pages parse like the text.
//!
//! Tests as data: adding a report is adding its files and one line to `EXPECTED_FINDINGS`.
#![allow(clippy::unwrap_used)] // Tests fail loudly on bad data.

use gongkai_report::parse::{ParseOptions, Parsed, check_parsed, parse_str};
use gongkai_report::rules::{Finding, RuleId, Severity};
use std::path::PathBuf;

fn reports_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reports")
}

struct Entry {
    file: String,
    agency: String,
    year: i32,
    format: String,
    complete: bool,
}

fn index() -> Vec<Entry> {
    let text = std::fs::read_to_string(reports_dir().join("index.tsv")).expect("index.tsv");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            Entry {
                file: f[0].to_string(),
                agency: f[1].to_string(),
                year: f[2].parse().unwrap(),
                format: f[3].to_string(),
                complete: f[4] == "yes",
            }
        })
        .collect()
}

/// The findings each report's own numbers imply, worked out by hand from the source (besides
/// one CELL-BLANK per `null` of its expected JSON, counted from that file):
/// (file, errors as `RULE row/column`, warnings other than CELL-BLANK).
const EXPECTED_FINDINGS: &[(&str, &[&str], &[&str])] = &[
    // 采购总金额 written 75394432.52元: read as 7539.443252 万元.
    ("2019-004.txt", &[], &["FMT-UNIT procurement/amount_wan"]),
    // 采购总金额 251000元 → 25.1 万元; 135 blank cells, no arithmetic error (blank totals
    // count as the sum of their parts).
    ("2019-011.txt", &[], &["FMT-UNIT procurement/amount_wan"]),
    ("2020-026.txt", &[], &[]),
    ("2021-006.txt", &[], &[]),
    // 1 new + 0 carried in = 1, but 1 concluded + 1 carried out = 2.
    (
        "2021-023.txt",
        &[
            "T3-BALANCE results_total/natural_person",
            "T3-BALANCE results_total/total",
        ],
        &[],
    ),
    ("2024-001.txt", &[], &[]),
];

fn describe(f: &Finding) -> String {
    format!(
        "{} {}/{}",
        f.rule.id(),
        f.row.as_deref().unwrap_or("-"),
        f.column.as_deref().unwrap_or("-")
    )
}

fn parse_file(path: &PathBuf, e: &Entry) -> Parsed {
    let text = std::fs::read_to_string(path).unwrap();
    // The agency names in index.tsv are the catalogue's, not always the title's.
    let opts = ParseOptions {
        year: None,
        agency: Some(e.agency.clone()),
    };
    parse_str(&text, &opts).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

fn model_json(p: &Parsed) -> serde_json::Value {
    let mut v: serde_json::Value = serde_json::from_str(&p.report.to_json()).unwrap();
    v.as_object_mut().unwrap().remove("sections");
    v
}

fn count_nulls(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Null => 1,
        serde_json::Value::Array(a) => a.iter().map(count_nulls).sum(),
        serde_json::Value::Object(o) => o.values().map(count_nulls).sum(),
        _ => 0,
    }
}

#[test]
fn complete_reports_parse_into_their_expected_json_with_the_findings_their_numbers_imply() {
    let mut n = 0;
    for e in index().into_iter().filter(|e| e.complete) {
        let path = reports_dir().join(&e.file);
        let p = parse_file(&path, &e);
        let stem = e.file.trim_end_matches(".txt");
        let want: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(reports_dir().join(format!("expected/{stem}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(model_json(&p), want, "{}", e.file);
        assert_eq!(p.report.year, e.year, "{}", e.file);
        assert_eq!(p.report.format.id(), e.format, "{}", e.file);
        for s in ["1", "5", "6"] {
            assert!(p.report.sections.contains_key(s), "{}: section {s}", e.file);
        }

        let findings = check_parsed(&p);
        let (_, errors, warnings) = EXPECTED_FINDINGS
            .iter()
            .find(|(f, _, _)| *f == e.file)
            .unwrap_or_else(|| panic!("{}: add it to EXPECTED_FINDINGS", e.file));
        let got_errors: Vec<String> = findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(describe)
            .collect();
        assert_eq!(got_errors, *errors, "{}: {findings:#?}", e.file);
        let got_warnings: Vec<String> = findings
            .iter()
            .filter(|f| f.severity == Severity::Warning && f.rule != RuleId::CellBlank)
            .map(describe)
            .collect();
        assert_eq!(got_warnings, *warnings, "{}: {findings:#?}", e.file);
        let blanks = findings
            .iter()
            .filter(|f| f.rule == RuleId::CellBlank)
            .count();
        assert_eq!(blanks, count_nulls(&want), "{}", e.file);
        n += 1;
    }
    assert_eq!(n, EXPECTED_FINDINGS.len());
}

#[test]
fn the_year_and_agency_come_from_the_document_when_not_given() {
    for (file, year, agency) in [
        ("2019-011.txt", 2019, "上海市人民政府办公厅"),
        ("2020-026.txt", 2020, "平潭综合实验区经济发展局"),
        ("2024-001.txt", 2024, "淮安市人民政府"),
        ("2021-023.txt", 2021, ""),
        ("2020-014.txt", 2020, "乌海市工业和信息化局"),
        ("2022-012.txt", 2022, "上海市人民政府参事室"),
    ] {
        let text = std::fs::read_to_string(reports_dir().join(file)).unwrap();
        let p = parse_str(&text, &ParseOptions::default()).unwrap();
        assert_eq!(
            (p.report.year, p.report.agency.as_str()),
            (year, agency),
            "{file}"
        );
    }
}

/// For each partial report: the sections it lacks, the table 三 rows it holds.
const PARTIALS: &[(&str, &[usize], usize)] = &[
    ("2019-013.txt", &[4, 5, 6], 2),
    ("2020-014.txt", &[3, 4, 5, 6], 0),
    ("2020-015.txt", &[4, 5, 6], 4),
    ("2022-012.txt", &[3, 4, 5, 6], 0),
];

#[test]
fn partial_reports_yield_what_they_hold_and_say_what_is_missing() {
    let mut n = 0;
    for e in index().into_iter().filter(|e| !e.complete) {
        let path = reports_dir().join(&e.file);
        let p = parse_file(&path, &e);
        let (_, missing, rows) = PARTIALS
            .iter()
            .find(|(f, _, _)| *f == e.file)
            .unwrap_or_else(|| panic!("{}: add it to PARTIALS", e.file));
        assert_eq!(p.report.year, e.year, "{}", e.file);
        assert_eq!(p.report.format.id(), e.format, "{}", e.file);
        assert_eq!(
            p.report.requests.len(),
            *rows,
            "{}: {:?}",
            e.file,
            p.report.requests
        );
        let findings = check_parsed(&p);
        let errors: Vec<&Finding> = findings.iter().filter(|f| f.is_error()).collect();
        assert!(
            errors.iter().all(|f| f.rule == RuleId::SectionMissing),
            "{}: {errors:#?}",
            e.file
        );
        assert_eq!(errors.len(), missing.len(), "{}: {errors:#?}", e.file);
        n += 1;
    }
    assert_eq!(n, PARTIALS.len());
}

#[test]
fn partial_reports_keep_the_cells_they_hold() {
    let e = |f: &str| index().into_iter().find(|e| e.file == f).unwrap();
    let p = parse_file(&reports_dir().join("2019-013.txt"), &e("2019-013.txt"));
    let v = model_json(&p);
    assert_eq!(v["proactive"]["licensing"]["change"], -417);
    assert_eq!(
        v["requests"]["new_received"],
        serde_json::json!([2, 0, 0, 0, 0, 0, 2])
    );
    let p = parse_file(&reports_dir().join("2020-014.txt"), &e("2020-014.txt"));
    let v = model_json(&p);
    assert_eq!(v["proactive"]["other_services"]["change"], 2);
    assert_eq!(v["proactive"]["penalty"]["change"], -1);
    let p = parse_file(&reports_dir().join("2020-015.txt"), &e("2020-015.txt"));
    let v = model_json(&p);
    assert_eq!(v["proactive"]["normative_documents"]["made"], 2);
    assert_eq!(
        v["requests"]["partially_disclosed"],
        serde_json::json!([0, 0, 0, 0, 0, 0, 0])
    );
}

#[test]
fn html_pages_parse_to_the_same_json() {
    let mut n = 0;
    for entry in std::fs::read_dir(reports_dir().join("html")).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let e = index()
            .into_iter()
            .find(|e| e.file == format!("{stem}.txt"))
            .unwrap();
        let p = parse_file(&path, &e);
        let want: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(reports_dir().join(format!("expected/{stem}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(model_json(&p), want, "{}", path.display());
        assert_eq!(p.report.year, e.year);
        let text = parse_file(&reports_dir().join(&e.file), &e);
        let rules = |p: &Parsed| check_parsed(p).iter().map(describe).collect::<Vec<_>>();
        assert_eq!(rules(&p), rules(&text), "{}", path.display());
        n += 1;
    }
    assert!(n >= 2);
}
