//! render → parse gives the report back: for every expected report (and a zero report of each
//! format), the text and the HTML renderings parse to the same report (prose sections aside),
//! and the Markdown tables to the same cells.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap should fail loudly

use gongkai_report::Report;
use gongkai_report::model::ReportFormat;
use gongkai_report::render;
use std::path::PathBuf;

/// Reads a rendered report back with the parser of published reports.
fn parse_back(s: &str) -> Result<Report, String> {
    gongkai_report::parse::parse_str(s, &gongkai_report::parse::ParseOptions::default())
        .map(|p| p.report)
        .map_err(|e| e.to_string())
}

fn fixtures() -> Vec<(String, Report)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reports/expected");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    let mut out: Vec<(String, Report)> = paths
        .iter()
        .map(|p| {
            let r = Report::from_json(&std::fs::read_to_string(p).unwrap()).unwrap();
            (p.file_name().unwrap().to_string_lossy().into_owned(), r)
        })
        .collect();
    out.push((
        "zero-2019".into(),
        Report::zero("某县人民政府", 2020, ReportFormat::Trial2019),
    ));
    out.push((
        "zero-2021".into(),
        Report::zero("某县人民政府", 2023, ReportFormat::Current2021),
    ));
    out
}

/// Full-width ASCII variants as their ASCII forms: the parser reads `（` and `(` alike and
/// may hand back the agency's name in either.
fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c as u32 {
            0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            0x3000 => ' ',
            _ => c,
        })
        .collect()
}

/// What differs between the report read back and the one rendered, cell for cell (prose
/// sections aside, the agency's name up to full/half-width punctuation).
fn differences(name: &str, how: &str, rendered: &str, want: &Report) -> Vec<String> {
    // The parser knows no Markdown: a `# ` title reaches it as part of the agency's name.
    let check_agency = how != "markdown";
    let got = match parse_back(rendered) {
        Ok(r) => r,
        Err(e) => return vec![format!("{name} ({how}): {e}")],
    };
    let mut out = Vec::new();
    if check_agency && fold_width(&got.agency) != fold_width(&want.agency) {
        out.push(format!(
            "{name} ({how}): agency {:?} != {:?}",
            got.agency, want.agency
        ));
    }
    if (got.year, got.format) != (want.year, want.format) {
        out.push(format!(
            "{name} ({how}): year/format {:?} != {:?}",
            (got.year, got.format),
            (want.year, want.format)
        ));
    }
    if got.proactive != want.proactive {
        out.push(format!(
            "{name} ({how}): table 二 {:?} != {:?}",
            got.proactive, want.proactive
        ));
    }
    for row in want.requests.keys().chain(got.requests.keys()) {
        if got.requests.get(row) != want.requests.get(row) {
            out.push(format!(
                "{name} ({how}): table 三 {} {:?} != {:?}",
                row.key(),
                got.requests.get(row),
                want.requests.get(row)
            ));
        }
    }
    if got.appeals != want.appeals {
        out.push(format!(
            "{name} ({how}): table 四 {:?} != {:?}",
            got.appeals, want.appeals
        ));
    }
    out
}

fn check_all(how: &str, render: fn(&Report) -> String) {
    let mut failures = Vec::new();
    for (name, r) in fixtures() {
        failures.extend(differences(&name, how, &render(&r), &r));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn text_rendering_parses_back_to_the_same_report() {
    check_all("text", render::text);
}

#[test]
fn html_rendering_parses_back_to_the_same_report() {
    check_all("html", render::html);
}

#[test]
fn markdown_tables_parse_back_to_the_same_cells() {
    check_all("markdown", render::markdown);
}
