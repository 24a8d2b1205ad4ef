//! Robust row recognition (issue 15.2): a table 三 row whose printed label lost, gained or
//! swapped characters — as in a template copied from county to county — is still read, by its
//! place in the form and the nearest label, and the reader says so with ROW-LABEL naming the
//! row and the label as printed.
//!
//! Tests as data: every misprint of `MISPRINTS` is applied to every real report under
//! `../shared/reports` whose table prints the label, and the report must read exactly as the
//! unaltered one, with one ROW-LABEL per misprinted row and no other finding changed.
#![allow(clippy::unwrap_used)] // Tests fail loudly on bad data.

use gongkai_report::parse::{ParseOptions, check_parsed, parse_str};
use gongkai_report::rules::RuleId;
use std::path::PathBuf;

/// (label as the form prints it, as a template misprinted it, row key, what went wrong).
const MISPRINTS: &[(&str, &str, &str, &str)] = &[
    (
        "3.危及“三安全一稳定”",
        "3.危及“三安一稳定”",
        "withheld_security_stability",
        "lost a character",
    ),
    (
        "7.属于行政执法案卷",
        "7.属于行政执法卷案",
        "withheld_enforcement_file",
        "swapped two",
    ),
    (
        "1.本机关不掌握相关政府信息",
        "1.本机关不掌握相关的政府信息",
        "unable_not_held",
        "gained one",
    ),
    (
        "2.没有现成信息需要另行制作",
        "2.没有现成信息需另制作",
        "unable_needs_creation",
        "lost two",
    ),
    (
        "2.重复申请",
        "2.重夏申请",
        "declined_repeat",
        "one wrong character in a short label",
    ),
    (
        "3.要求提供公开出版物",
        "3.要求提公开版物",
        "declined_publication",
        "lost two",
    ),
];

fn reports() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reports");
    let mut out = Vec::new();
    for sub in ["", "html"] {
        let d = dir.join(sub);
        let mut names: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("txt" | "html")))
            .collect();
        names.sort();
        for p in names {
            out.push((
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            ));
        }
    }
    out
}

/// Replaces `from` by `to` only where it is a table cell (the label of a data row), never in
/// the prose.
fn misprint(text: &str, from: &str, to: &str) -> Option<String> {
    let mut changed = false;
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if !changed && line.contains(from) && (line.contains('|') || line.contains("<td")) {
            out.push_str(&line.replacen(from, to, 1));
            changed = true;
        } else {
            out.push_str(line);
        }
    }
    changed.then_some(out)
}

/// The two reports are equal; a difference is shown row by row, not as two whole reports.
fn assert_same(got: &gongkai_report::Report, want: &gongkai_report::Report, what: &str) {
    for (r, cells) in &want.requests {
        assert_eq!(
            got.requests.get(r),
            Some(cells),
            "{what}: table 三 row {}",
            r.key()
        );
    }
    assert_eq!(
        got.requests.len(),
        want.requests.len(),
        "{what}: rows of table 三"
    );
    assert_eq!(got.proactive, want.proactive, "{what}: table 二");
    assert_eq!(got.appeals, want.appeals, "{what}: table 四");
    assert!(got == want, "{what}: the reports differ elsewhere");
}

#[test]
fn misprinted_labels_are_read_by_place_and_nearest_label() {
    let opts = ParseOptions::default();
    let mut tried = 0;
    for (name, text) in reports() {
        let Ok(clean) = parse_str(&text, &opts) else {
            continue;
        };
        let clean_findings = check_parsed(&clean);
        // One misprint at a time, then all of them in one report.
        let mut all = text.clone();
        let mut keys = Vec::new();
        for (from, to, key, what) in MISPRINTS {
            let Some(bad) = misprint(&text, from, to) else {
                continue;
            };
            all = misprint(&all, from, to).unwrap();
            keys.push(*key);
            tried += 1;
            let p = parse_str(&bad, &opts).unwrap();
            assert_same(
                &p.report,
                &clean.report,
                &format!("{name}: «{to}» ({what})"),
            );
            let findings = check_parsed(&p);
            let row_label: Vec<_> = findings
                .iter()
                .filter(|f| f.rule == RuleId::RowLabel)
                .collect();
            assert_eq!(row_label.len(), 1, "{name}: «{to}»: {row_label:?}");
            let f = row_label[0];
            assert_eq!(f.row.as_deref(), Some(*key), "{name}: «{to}»");
            assert!(f.message.contains(to), "{name}: the printed label named");
            assert_eq!(f.found, Some(serde_json::json!(to)));
            let others: Vec<_> = findings
                .into_iter()
                .filter(|f| f.rule != RuleId::RowLabel)
                .collect();
            assert_eq!(
                others, clean_findings,
                "{name}: «{to}» changed other findings"
            );
        }
        if keys.len() > 1 {
            let p = parse_str(&all, &opts).unwrap();
            assert_same(
                &p.report,
                &clean.report,
                &format!("{name}: all misprints together"),
            );
            let mut got: Vec<_> = check_parsed(&p)
                .into_iter()
                .filter(|f| f.rule == RuleId::RowLabel)
                .filter_map(|f| f.row)
                .collect();
            got.sort();
            keys.sort();
            assert_eq!(got, keys, "{name}: all misprints together");
        }
    }
    assert!(tried >= 20, "only {tried} misprints applied");
}

#[test]
fn a_label_far_from_every_row_is_not_guessed() {
    // The row after 2.重复申请 printed as something unrelated: not taken for 3.要求提供公开出版物.
    let text = "2021年度政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n\
        |一、本年新收政府信息公开申请数量|1|0|0|0|0|0|1\n\
        |二、上年结转政府信息公开申请数量|0|0|0|0|0|0|0\n\
        |（一）予以公开|1|0|0|0|0|0|1\n\
        |合同金额统计表|5|0|0|0|0|0|5\n";
    let p = parse_str(text, &ParseOptions::default()).unwrap();
    assert!(
        !check_parsed(&p).iter().any(|f| f.rule == RuleId::RowLabel),
        "an unrelated row must not be guessed"
    );
    assert!(
        !p.report
            .requests
            .contains_key(&gongkai_law::Table3Row::PartiallyDisclosed)
    );
}
