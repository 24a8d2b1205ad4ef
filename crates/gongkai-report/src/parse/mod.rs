//! Reads published reports: text (tabs, `|`, one cell per line), HTML tables and canonical JSON.
//!
//! Start with [`parse_str`]: it tells JSON (starts with `{`), HTML (has `<table`) and text
//! apart and returns the [`Report`] with the findings only reading can make (units, decimals,
//! cells that are not numbers or could not be placed, missing sections, printed subtotals).
//! [`check_parsed`] adds the rules of [`crate::rules::check`] and puts everything in the
//! form's order.
//!
//! The parser finds cells by their labels, never by position alone: every layout is first
//! turned into rows of cells ([`text`], [`html`]), then each table reads the rows whose label
//! it knows ([`tables`]).

mod cells;
mod html;
mod meta;
mod positioned;
mod sections;
mod tables;
mod text;

use crate::model::{Proactive, Report};
use crate::rules::{self, Finding, RuleId};
use gongkai_law::ReportFormat;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

pub use positioned::{Block, Run, lines_from_runs, parse_blocks, parse_runs};

/// Overrides for what the document says about itself (`--year`, `--agency`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// The report year, when the document's own title, 统计期限 and prose should be ignored.
    pub year: Option<i32>,
    /// The agency, when the document's title does not name it (or names it differently).
    pub agency: Option<String>,
}

/// A parsed report and what reading it found.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The report as read; cells the source leaves blank are `None`.
    pub report: Report,
    /// Parse-time findings: FMT-UNIT, FMT-DECIMALS, NUM-INVALID, SECTION-MISSING, T3-SUBTOTAL,
    /// and CELL-BLANK for cells the source does not have (with the reason).
    pub findings: Vec<Finding>,
    /// Tables (`"二"`, `"三"`, `"四"`) absent from the source altogether (a truncated copy):
    /// their cells are missing, not blank, so [`check_parsed`] reports no CELL-BLANK for them.
    pub absent_tables: Vec<String>,
}

/// Why a document could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The input looked like canonical JSON but is not a valid report.
    #[error("不是有效的年度报告 JSON：{0}")]
    Json(#[from] serde_json::Error),
    /// Neither a section heading nor a table row of the form was found.
    #[error("没有找到年度报告的任何部分或表格")]
    NotAReport,
    /// The document holds no text at all (a scanned PDF): it must be recognised (OCR) or
    /// sent as text first.
    #[error("文件中没有可读取的文字（可能是扫描件），无法识别；请提供文字版 PDF、Word 或网页")]
    NoText,
    /// The report year is in neither the title, the 统计期限 sentence nor the prose.
    #[error("无法确定报告年度：标题、统计期限和正文都没有写明年份，请用 --year 指定")]
    YearUnknown,
}

/// One row of cells. A prose line is a row of one cell.
///
/// Cells and text borrow from the input where they can (a cell that normalisation leaves
/// alone, the original line): most of a report is copied nowhere.
#[derive(Debug, Clone)]
pub(crate) struct Row<'a> {
    /// Normalised, trimmed cells.
    pub cells: Vec<Cow<'a, str>>,
    /// What each cell holds, read once (a number, a blank, text). A row of one cell is prose
    /// or a heading, never a table row, and is not read: its `kinds` and `cores` are empty.
    pub kinds: Vec<cells::CellValue>,
    /// Each text cell's label core ([`gongkai_law::outcome::label_core`]), computed once for
    /// the three table readers; empty for numbers, blanks and long cells.
    pub cores: Vec<String>,
    /// The original line (for prose sections).
    pub text: Cow<'a, str>,
}

impl<'a> Row<'a> {
    /// A row of normalised cells.
    pub(crate) fn new(cells: Vec<Cow<'a, str>>, text: Cow<'a, str>) -> Row<'a> {
        let (kinds, cores) = if cells.len() < 2 {
            // Nothing reads a one-cell row as a table row: no need to allocate for it.
            (Vec::new(), Vec::new())
        } else {
            let kinds: Vec<_> = cells.iter().map(|c| cells::read_cell(c)).collect();
            let cores = cells
                .iter()
                .zip(&kinds)
                .map(|(c, k)| {
                    if *k == cells::CellValue::Text && c.len() <= 240 {
                        cells::core(c)
                    } else {
                        String::new()
                    }
                })
                .collect();
            (kinds, cores)
        };
        Row {
            cells,
            kinds,
            cores,
            text,
        }
    }

    /// Whether the row can be a table row (two cells or more).
    pub(crate) fn is_table_row(&self) -> bool {
        self.cells.len() >= 2
    }
}

/// Reads a report in any supported form: canonical JSON, HTML or text.
pub fn parse_str(input: &str, opts: &ParseOptions) -> Result<Parsed, ParseError> {
    let trimmed = input.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        let mut report = Report::from_json(trimmed)?;
        if let Some(y) = opts.year {
            report.year = y;
        }
        if let Some(a) = &opts.agency {
            report.agency = a.clone();
        }
        return Ok(Parsed {
            report,
            findings: Vec::new(),
            absent_tables: Vec::new(),
        });
    }
    if has_table_tag(trimmed) {
        return parse_html(trimmed, opts);
    }
    parse_text(trimmed, opts)
}

fn has_table_tag(s: &str) -> bool {
    // Jump from `<` to `<` (a memchr search) instead of comparing every six-byte window.
    let mut from = 0;
    while let Some(p) = s.get(from..).and_then(|t| t.find('<')) {
        let at = from + p;
        if s.as_bytes()
            .get(at..at + 6)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"<table"))
        {
            return true;
        }
        from = at + 1;
    }
    false
}

/// Reads a report from text: tab-separated (the seed), `|`-separated, or one cell per line.
pub fn parse_text(input: &str, opts: &ParseOptions) -> Result<Parsed, ParseError> {
    from_rows(&text::rows_from_text(input), opts)
}

/// Reads a report from a web page (`<table>` markup, rowspan/colspan, `&nbsp;` cells).
pub fn parse_html(input: &str, opts: &ParseOptions) -> Result<Parsed, ParseError> {
    from_rows(&html::rows_from_html(input), opts)
}

fn from_rows(rows: &[Row<'_>], opts: &ParseOptions) -> Result<Parsed, ParseError> {
    let mut findings = Vec::new();

    // Sections: the first heading of each, in document order.
    let mut starts: Vec<(usize, usize)> = Vec::new(); // (section 1..6, row index)
    for (i, row) in rows.iter().enumerate() {
        let Some(first) = row.cells.iter().find(|c| !c.is_empty()) else {
            continue;
        };
        if let Some(s) = sections::is_section_heading(first)
            && !starts.iter().any(|(x, _)| *x == s)
        {
            starts.push((s, i));
        }
    }

    let format_seen = tables::detect_format(rows);
    let requests = tables::read_requests(rows, &mut findings);
    let appeals = tables::read_appeals(rows, &mut findings);
    let first_section_row = starts.iter().map(|(_, i)| *i).min().unwrap_or(rows.len());

    let year = match opts.year {
        Some(y) => Some(y),
        None => meta::year(rows, first_section_row),
    };
    if starts.is_empty() && format_seen.is_none() && requests.is_empty() && appeals.is_none() {
        return Err(ParseError::NotAReport);
    }
    let year = year.ok_or(ParseError::YearUnknown)?;
    let format = format_seen.unwrap_or_else(|| ReportFormat::for_year(year));
    let (proactive, proactive_found) = tables::read_proactive(rows, format, &mut findings);
    let agency = match &opts.agency {
        Some(a) => a.clone(),
        None => meta::agency(rows, first_section_row).unwrap_or_default(),
    };

    // SECTION-MISSING: absent, or out of order.
    for (k, title) in sections::TITLES.iter().enumerate() {
        if !starts.iter().any(|(s, _)| *s == k + 1) {
            findings.push(
                Finding::new(
                    RuleId::SectionMissing,
                    format!("缺少第{}部分「{title}」", &title[..3]),
                )
                .values(*title, serde_json::Value::Null),
            );
        }
    }
    for w in starts.windows(2) {
        if w[1].0 < w[0].0 {
            let (a, b) = (sections::TITLES[w[0].0 - 1], sections::TITLES[w[1].0 - 1]);
            findings.push(
                Finding::new(
                    RuleId::SectionMissing,
                    format!("「{b}」出现在「{a}」之后，部分顺序不对"),
                )
                .values(b, a),
            );
        }
    }

    let mut absent_tables = Vec::new();
    let has = |s: usize| starts.iter().any(|(x, _)| *x == s);
    if !proactive_found {
        absent_tables.push("二".to_string());
        if has(2) && has(3) {
            findings.push(
                Finding::new(
                    RuleId::SectionMissing,
                    "第二部分没有找到表格「主动公开政府信息情况」",
                )
                .at("二", None, None),
            );
        }
    }
    if requests.is_empty() {
        absent_tables.push("三".to_string());
        if has(3) && has(4) {
            findings.push(
                Finding::new(
                    RuleId::SectionMissing,
                    "第三部分没有找到表格「收到和处理政府信息公开申请情况」",
                )
                .at("三", None, None),
            );
        }
    }
    let appeals = match appeals {
        Some(a) => a,
        None => {
            absent_tables.push("四".to_string());
            if has(4) && has(5) {
                findings.push(
                    Finding::new(
                        RuleId::SectionMissing,
                        "第四部分没有找到行政复议、行政诉讼情况的数据行",
                    )
                    .at("四", None, None),
                );
            }
            crate::model::Appeals::default()
        }
    };

    let report = Report {
        agency,
        year,
        format,
        proactive: if proactive_found {
            proactive
        } else {
            Proactive::empty(format)
        },
        requests,
        appeals,
        sections: prose_sections(rows, &starts),
    };
    Ok(Parsed {
        report,
        findings,
        absent_tables,
    })
}

/// The prose of sections 一, 五 and 六 (original text, heading removed, lines joined by `\n`).
fn prose_sections(rows: &[Row<'_>], starts: &[(usize, usize)]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (k, &(s, i)) in starts.iter().enumerate() {
        if !matches!(s, 1 | 5 | 6) {
            continue;
        }
        let end = starts
            .iter()
            .map(|(_, j)| *j)
            .filter(|j| *j > i)
            .min()
            .unwrap_or(rows.len());
        let _ = k;
        let mut text = String::new();
        let head = &rows[i].text;
        let skip = sections::title_chars(head.trim_start());
        let rest: String = head.trim_start().chars().skip(skip).collect();
        let rest = rest.trim();
        if !rest.is_empty() {
            text.push_str(rest);
        }
        for row in &rows[i + 1..end] {
            let t = row.text.trim();
            if t.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(t);
        }
        out.insert(s.to_string(), text);
    }
    out
}

/// Parse findings plus [`rules::check`], deduplicated (one finding per rule and cell; a cell
/// that is not a number is not also blank; an amount in the wrong unit is not also wrongly
/// rounded), in the form's order.
pub fn check_parsed(p: &Parsed) -> Vec<Finding> {
    let mut all = p.findings.clone();
    all.extend(rules::check(&p.report));
    let place = |f: &Finding| (f.table.clone(), f.row.clone(), f.column.clone());
    let mut invalid_or_blank = HashSet::new();
    let mut unit = HashSet::new();
    for f in &p.findings {
        match f.rule {
            RuleId::NumberInvalid => {
                invalid_or_blank.insert(place(f));
            }
            RuleId::FormatUnit => {
                unit.insert(place(f));
            }
            _ => {}
        }
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(all.len());
    for f in all {
        let pl = place(&f);
        if f.rule == RuleId::CellBlank {
            let absent = f
                .table
                .as_ref()
                .is_some_and(|t| p.absent_tables.contains(t));
            if absent || !invalid_or_blank.insert(pl.clone()) {
                continue;
            }
        }
        if f.rule == RuleId::FormatDecimals && unit.contains(&pl) {
            continue;
        }
        let key = (
            f.rule,
            pl,
            if f.row.is_none() && f.column.is_none() {
                f.message.clone()
            } else {
                String::new()
            },
        );
        if seen.insert(key) {
            out.push(f);
        }
    }
    out.sort_by_key(rules::order_key);
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(matches!(
            parse_str("", &ParseOptions::default()),
            Err(ParseError::NotAReport)
        ));
        assert!(matches!(
            parse_str("{", &ParseOptions::default()),
            Err(ParseError::Json(_))
        ));
        assert!(parse_str("<table><tr><td>x", &ParseOptions::default()).is_err());
    }

    #[test]
    fn overrides_win() {
        let p = parse_str(
            "一、总体情况\n2019年，本单位……\n",
            &ParseOptions {
                year: Some(2020),
                agency: Some("某局".into()),
            },
        )
        .unwrap();
        assert_eq!((p.report.year, p.report.agency.as_str()), (2020, "某局"));
    }
}
