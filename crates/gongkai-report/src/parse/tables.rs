//! Reads tables 二, 三 and 四 from rows by their labels.
//!
//! A data row is found by its label cell (the last cell in the row that names a row of the
//! table); its values are the cells after the label. Word and PDF layouts put merged label
//! cells and stray separators around the values, so the value cells are fitted to the expected
//! count by dropping blank cells first at the start, then at the end — the rule that reads both
//! `⇥(一) 予以公开⇥⇥3⇥…⇥3` and `|（一）予以公开||258|12|||1|1|` (blank 总计) right.

use super::cells::{
    CellValue, GroupLabel, Unit, Written, contains_str, squeeze, squeeze_into, table3_row,
};
use super::{Row, cells};
use crate::model::{
    Appeals, Count, Documents2019, Documents2021, Proactive, Proactive2019, Proactive2021,
    Requests, Row5, Row7,
};
use crate::rules::{self, Finding, RuleId, TABLE3_COLUMNS, TABLE4_COLUMNS, table3_column_label};
use gongkai_law::{ReportFormat, Table3Group, Table3Row};
use std::borrow::Cow;

/// Reads the format from the table headers (本年制发件数 ⇒ 2021, 本年新制作数量 ⇒ 2019, …).
pub(crate) fn detect_format(rows: &[Row<'_>]) -> Option<ReportFormat> {
    const F2021: [&str; 6] = [
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年处理决定数量",
        "本年收费金额",
        "逾期不补正",
    ];
    const F2019: [&str; 7] = [
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "采购项目数量",
        "采购总金额",
        "其他对外管理服务事项",
    ];
    let (mut a, mut b) = (0, 0);
    for row in rows.iter().filter(|r| r.is_table_row()) {
        for (cell, kind) in row.cells.iter().zip(&row.kinds) {
            if cell.len() < 6 || cell.len() > 240 || *kind != CellValue::Text {
                continue;
            }
            let squeezed;
            let s = if cell.contains(' ') {
                squeezed = squeeze(cell);
                squeezed.as_str()
            } else {
                cell.as_ref()
            };
            // Each header counts once per cell, as `s.contains(header)` would; one pass over
            // the cell instead of thirteen substring searches.
            // Every header starts with a CJK character (lead byte ≥ 0xE4), so only those
            // positions are tried, and a header only when its first byte matches.
            let (mut seen19, mut seen21) = (0u32, 0u32);
            let bytes = s.as_bytes();
            for i in 0..bytes.len() {
                if bytes[i] < 0xE4 {
                    continue;
                }
                let rest = &bytes[i..];
                // Compare the first character's three bytes before the whole header.
                let hit = |h: &&str| {
                    h.as_bytes().get(..3) == rest.get(..3) && rest.starts_with(h.as_bytes())
                };
                for (k, h) in F2019.iter().enumerate() {
                    if hit(h) {
                        seen19 |= 1 << k;
                    }
                }
                for (k, h) in F2021.iter().enumerate() {
                    if hit(h) {
                        seen21 |= 1 << k;
                    }
                }
            }
            a += seen19.count_ones() as usize;
            b += seen21.count_ones() as usize;
        }
    }
    match (a, b) {
        (0, 0) => None,
        _ if b > a => Some(ReportFormat::Current2021),
        _ => Some(ReportFormat::Trial2019),
    }
}

/// Value cells with what each holds (the row's `cells` and `kinds`, sliced alike).
#[derive(Clone, Copy)]
struct Values<'a> {
    cells: &'a [Cow<'a, str>],
    kinds: &'a [CellValue],
}

impl<'a> Values<'a> {
    /// The cells of `row` from index `from` on.
    fn after(row: &'a Row<'_>, from: usize) -> Values<'a> {
        Values {
            cells: row.cells.get(from..).unwrap_or(&[]),
            kinds: row.kinds.get(from..).unwrap_or(&[]),
        }
    }

    fn len(&self) -> usize {
        self.cells.len().min(self.kinds.len())
    }

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn get(&self, i: usize) -> Option<(&'a str, CellValue)> {
        Some((self.cells.get(i)?.as_ref(), *self.kinds.get(i)?))
    }

    fn slice(&self, from: usize, to: usize) -> Values<'a> {
        Values {
            cells: self.cells.get(from..to).unwrap_or(&[]),
            kinds: self.kinds.get(from..to).unwrap_or(&[]),
        }
    }
}

/// Fits value cells to `n`: drop leading blanks, then trailing blanks, while there are too
/// many; if still too many keep the last `n`. Works on the kinds read once per row.
fn fit(v: Values<'_>, n: usize) -> Values<'_> {
    let (mut a, mut b) = (0, v.len());
    while b - a > n && v.kinds.get(a) == Some(&CellValue::Blank) {
        a += 1;
    }
    while b - a > n && b > 0 && v.kinds.get(b - 1) == Some(&CellValue::Blank) {
        b -= 1;
    }
    if b - a > n {
        a = b - n;
    }
    v.slice(a, b)
}

/// Reads a count cell already read as `kind`; NUM-INVALID for a fraction or text. `place`
/// names the cell for the message and is only formatted when there is a finding.
fn count(
    (cell, kind): (&str, CellValue),
    table: &str,
    row: &str,
    col: &str,
    place: impl Fn() -> String,
    out: &mut Vec<Finding>,
) -> Count {
    match kind {
        CellValue::Blank => None,
        CellValue::Number(w) => match w.as_count() {
            Some(v) => Some(v),
            None => {
                out.push(invalid(table, row, col, &place(), cell, "不是整数"));
                None
            }
        },
        CellValue::Text => {
            out.push(invalid(table, row, col, &place(), cell, "不是数字"));
            None
        }
    }
}

fn invalid(table: &str, row: &str, col: &str, place: &str, cell: &str, why: &str) -> Finding {
    Finding::new(
        RuleId::NumberInvalid,
        format!("表{table}{place}填写为「{cell}」，{why}，无法计入"),
    )
    .at(table, Some(row), Some(col))
    .values(serde_json::Value::Null, cell)
}

/// A parse-time CELL-BLANK for a cell the source does not have at all.
fn missing(table: &str, row: &str, col: &str, place: &str, why: &str) -> Finding {
    Finding::new(
        RuleId::CellBlank,
        format!("表{table}{place}无法读取：{why}"),
    )
    .at(table, Some(row), Some(col))
    .values(0, serde_json::Value::Null)
}

/// Index of the last text cell of a table row for which `f` says something, with what it
/// said.
/// `f` gets the cell and its label core.
fn last_label<T>(row: &Row<'_>, mut f: impl FnMut(&str, &str) -> Option<T>) -> Option<(usize, T)> {
    if !row.is_table_row() {
        return None;
    }
    let mut hit = None;
    for (k, (c, kind)) in row.cells.iter().zip(&row.kinds).enumerate() {
        if *kind != CellValue::Text || c.is_empty() || c.len() > 240 {
            continue;
        }
        if let Some(t) = f(c, &row.cores[k]) {
            hit = Some((k, t));
        }
    }
    hit
}

/// The row's last non-empty cell.
fn last_non_empty<'r>(row: &'r Row<'_>) -> Option<&'r str> {
    row.cells
        .iter()
        .rev()
        .find(|c| !c.is_empty())
        .map(|c| c.as_ref())
}

/// How many of `kinds` are numbers and how many text.
fn tally(kinds: &[CellValue]) -> (usize, usize) {
    kinds.iter().fold((0, 0), |(n, t), k| match k {
        CellValue::Number(_) => (n + 1, t),
        CellValue::Text => (n, t + 1),
        CellValue::Blank => (n, t),
    })
}

/// Whether a cell reads `want` once spaces are ignored (`小 计`), without allocating.
fn is_word(cell: &str, want: &str) -> bool {
    cell.len() <= want.len() * 3 && cell.chars().filter(|c| !c.is_whitespace()).eq(want.chars())
}

// ---------------------------------------------------------------------------------------------
// Table 二

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Count,
    Signed,
    Amount,
}

struct Spec2 {
    key: &'static str,
    labels: &'static [&'static str],
    label: &'static str,
    cols: &'static [(&'static str, &'static str, Kind)],
}

const DOCS19: &[(&str, &str, Kind)] = &[
    ("made", "本年新制作数量", Kind::Count),
    ("published", "本年新公开数量", Kind::Count),
    ("total_published", "对外公开总数量", Kind::Count),
];
const MATTERS19: &[(&str, &str, Kind)] = &[
    ("prev_items", "上一年项目数量", Kind::Count),
    ("change", "本年增/减", Kind::Signed),
    ("decisions", "处理决定数量", Kind::Count),
];
const SPEC2019: &[Spec2] = &[
    Spec2 {
        key: "regulations",
        labels: &["规章"],
        label: "规章",
        cols: DOCS19,
    },
    Spec2 {
        key: "normative_documents",
        labels: &["规范性文件", "行政规范性文件"],
        label: "规范性文件",
        cols: DOCS19,
    },
    Spec2 {
        key: "licensing",
        labels: &["行政许可"],
        label: "行政许可",
        cols: MATTERS19,
    },
    Spec2 {
        key: "other_services",
        labels: &["其他对外管理服务事项"],
        label: "其他对外管理服务事项",
        cols: MATTERS19,
    },
    Spec2 {
        key: "penalty",
        labels: &["行政处罚"],
        label: "行政处罚",
        cols: MATTERS19,
    },
    Spec2 {
        key: "enforcement",
        labels: &["行政强制"],
        label: "行政强制",
        cols: MATTERS19,
    },
    Spec2 {
        key: "fees",
        labels: &["行政事业性收费"],
        label: "行政事业性收费",
        cols: &[
            ("prev_items", "上一年项目数量", Kind::Count),
            ("change", "本年增/减", Kind::Signed),
        ],
    },
    Spec2 {
        key: "procurement",
        labels: &["政府集中采购"],
        label: "政府集中采购",
        cols: &[
            ("items", "采购项目数量", Kind::Count),
            ("amount_wan", "采购总金额", Kind::Amount),
        ],
    },
];
const DOCS21: &[(&str, &str, Kind)] = &[
    ("issued", "本年制发件数", Kind::Count),
    ("repealed", "本年废止件数", Kind::Count),
    ("in_force", "现行有效件数", Kind::Count),
];
const DEC21: &[(&str, &str, Kind)] = &[("decisions", "本年处理决定数量", Kind::Count)];
const SPEC2021: &[Spec2] = &[
    Spec2 {
        key: "regulations",
        labels: &["规章"],
        label: "规章",
        cols: DOCS21,
    },
    Spec2 {
        key: "normative_documents",
        labels: &["行政规范性文件", "规范性文件"],
        label: "行政规范性文件",
        cols: DOCS21,
    },
    Spec2 {
        key: "licensing",
        labels: &["行政许可"],
        label: "行政许可",
        cols: DEC21,
    },
    Spec2 {
        key: "penalty",
        labels: &["行政处罚"],
        label: "行政处罚",
        cols: DEC21,
    },
    Spec2 {
        key: "enforcement",
        labels: &["行政强制"],
        label: "行政强制",
        cols: DEC21,
    },
    Spec2 {
        key: "fees",
        labels: &["行政事业性收费"],
        label: "行政事业性收费",
        cols: &[("amount_wan", "本年收费金额", Kind::Amount)],
    },
];

/// A table 二 cell as read.
#[derive(Clone, Copy)]
enum Val {
    Count(Count),
    Amount(Option<f64>),
}

/// Reads table 二. Returns the table and whether any of its rows was found.
pub(crate) fn read_proactive(
    rows: &[Row<'_>],
    format: ReportFormat,
    out: &mut Vec<Finding>,
) -> (Proactive, bool) {
    let spec = match format {
        ReportFormat::Trial2019 => SPEC2019,
        ReportFormat::Current2021 => SPEC2021,
    };
    let mut found: Vec<Option<Vec<Val>>> = (0..spec.len()).map(|_| None).collect();
    for row in rows {
        let Some((k, si)) = last_label(row, |_, core| {
            spec.iter().position(|s| s.labels.contains(&core))
        }) else {
            continue;
        };
        let s = &spec[si];
        if found[si].is_some() {
            continue;
        }
        let values = fit(Values::after(row, k + 1), s.cols.len());
        if values.is_empty() {
            continue;
        }
        let mut vals = Vec::with_capacity(s.cols.len());
        for (ci, (col, col_label, kind)) in s.cols.iter().enumerate() {
            let place = || format!("「{}」行 {col_label}", s.label);
            let Some(cell) = values.get(ci) else {
                out.push(missing(
                    "二",
                    s.key,
                    col,
                    &place(),
                    &format!("原文该行只有 {} 格", values.len()),
                ));
                vals.push(if *kind == Kind::Amount {
                    Val::Amount(None)
                } else {
                    Val::Count(None)
                });
                continue;
            };
            vals.push(match kind {
                Kind::Amount => Val::Amount(amount(cell, format, s.key, col, place, out)),
                _ => Val::Count(count(cell, "二", s.key, col, place, out)),
            });
        }
        found[si] = Some(vals);
    }
    let any = found.iter().any(Option::is_some);
    if any {
        for (s, f) in spec.iter().zip(&found) {
            if f.is_none() {
                for (col, col_label, _) in s.cols {
                    out.push(missing(
                        "二",
                        s.key,
                        col,
                        &format!("「{}」行 {col_label}", s.label),
                        "原文没有这一行",
                    ));
                }
            }
        }
    }
    let get = |i: usize, j: usize| found[i].as_ref().and_then(|v| v.get(j).copied());
    let c = |i, j| match get(i, j) {
        Some(Val::Count(v)) => v,
        _ => None,
    };
    let a = |i, j| match get(i, j) {
        Some(Val::Amount(v)) => v,
        _ => None,
    };
    let p = match format {
        ReportFormat::Trial2019 => {
            let docs = |i| Documents2019 {
                made: c(i, 0),
                published: c(i, 1),
                total_published: c(i, 2),
            };
            let m = |i| crate::model::Matters2019 {
                prev_items: c(i, 0),
                change: c(i, 1),
                decisions: c(i, 2),
            };
            Proactive::Trial2019(Proactive2019 {
                regulations: docs(0),
                normative_documents: docs(1),
                licensing: m(2),
                other_services: m(3),
                penalty: m(4),
                enforcement: m(5),
                fees: crate::model::Fees2019 {
                    prev_items: c(6, 0),
                    change: c(6, 1),
                },
                procurement: crate::model::Procurement2019 {
                    items: c(7, 0),
                    amount_wan: a(7, 1),
                },
            })
        }
        ReportFormat::Current2021 => {
            let docs = |i| Documents2021 {
                issued: c(i, 0),
                repealed: c(i, 1),
                in_force: c(i, 2),
            };
            let d = |i| crate::model::Decisions2021 { decisions: c(i, 0) };
            Proactive::Current2021(Proactive2021 {
                regulations: docs(0),
                normative_documents: docs(1),
                licensing: d(2),
                penalty: d(3),
                enforcement: d(4),
                fees: crate::model::Fees2021 {
                    amount_wan: a(5, 0),
                },
            })
        }
    };
    (p, any)
}

/// Reads an amount cell into 万元: FMT-UNIT for 元, FMT-DECIMALS for a 2019 采购总金额 not
/// written with four decimals (a plain 0 is fine).
fn amount(
    (cell, kind): (&str, CellValue),
    format: ReportFormat,
    row: &str,
    col: &str,
    place: impl Fn() -> String,
    out: &mut Vec<Finding>,
) -> Option<f64> {
    match kind {
        CellValue::Blank => None,
        CellValue::Text => {
            out.push(invalid("二", row, col, &place(), cell, "不是数字"));
            None
        }
        CellValue::Number(w) => {
            let v = w.as_wan();
            if w.unit == Unit::Yuan {
                out.push(
                    Finding::new(
                        RuleId::FormatUnit,
                        format!(
                            "表二{}写作「{cell}」，单位是元而表格要求万元：按 {v} 万元读取",
                            place()
                        ),
                    )
                    .at("二", Some(row), Some(col))
                    .values(v, cell),
                );
            } else if format == ReportFormat::Trial2019
                && row == "procurement"
                && needs_decimals(&w)
            {
                out.push(rules::decimals_finding(cell).values(format!("{v:.4}"), cell));
            }
            Some(v)
        }
    }
}

fn needs_decimals(w: &Written) -> bool {
    w.scale != 4 && w.mantissa != 0
}

// ---------------------------------------------------------------------------------------------
// Table 三

enum Hit {
    Leaf(Table3Row),
    Group(GroupLabel),
}

/// Where the 小计 column sits among the value cells, if the table prints one.
fn subtotal_column(rows: &[Row<'_>]) -> Option<usize> {
    for row in rows.iter().filter(|r| r.is_table_row()) {
        let Some(s) = row.cells.iter().position(|c| is_word(c, "小计")) else {
            continue;
        };
        if tally(&row.kinds).0 > 0 {
            continue;
        }
        let first_org = row.cells.iter().position(|c| is_word(c, "商业企业"));
        return Some(match first_org {
            Some(f) if s < f => 1,
            _ => 6,
        });
    }
    None
}

/// Reads table 三: the rows it prints, plus T3-SUBTOTAL for printed subtotal rows and the 小计
/// column.
pub(crate) fn read_requests(rows: &[Row<'_>], out: &mut Vec<Finding>) -> Requests {
    let sub_col = subtotal_column(rows);
    let n = if sub_col.is_some() { 8 } else { 7 };
    let mut req = Requests::new();
    let mut subtotals: Vec<(Table3Group, Row7)> = Vec::new();
    let mut last_group = None;
    let mut last_read: Option<Table3Row> = None;
    // Borrowed from `rows`: most short lines are prose and never joined to anything.
    let mut pending: Option<&str> = None;
    for row in rows {
        if !row.is_table_row() {
            // A short line may be the head of a label whose tail and numbers follow.
            if let Some(c) = row.cells.first().filter(|c| !c.is_empty()) {
                pending = (c.chars().count() <= 40).then_some(c.as_ref());
            }
            continue;
        }
        let mut hit = last_label(row, |_, core| {
            cells::table3_row_core(core)
                .map(Hit::Leaf)
                .or_else(|| cells::table3_group_core(core).map(Hit::Group))
        });
        if hit.is_none() {
            // A label broken over two lines: the tail of the previous row + this row's head.
            if let Some(p) = pending.take()
                && let Some(k) = row.cells.iter().position(|c| !c.is_empty())
                && let Some(r) = table3_row(&format!("{p}{}", row.cells[k]))
            {
                hit = Some((k, Hit::Leaf(r)));
            }
        }
        let has_number = tally(&row.kinds).0 > 0;
        // A group label with a text cell after it (`（四）无法提供 | 1.本机关不掌握相关的政府信息`):
        // the group names the first item's row, whose label did not match.
        let group_then_text = matches!(&hit, Some((k, Hit::Group(GroupLabel::Group(_))))
            if row.kinds.iter().rposition(|x| *x == CellValue::Text).is_some_and(|t| t > *k));
        if (hit.is_none() || group_then_text)
            && let Some((k, r)) = fuzzy_label(row, n, &req, last_read)
        {
            let printed = row.cells[k].as_ref();
            out.push(
                Finding::new(
                    RuleId::RowLabel,
                    format!(
                        "表三有一行的标签印作「{printed}」，与表格的「{}」不一致：按它在表中的位置和最相近的标签读作该行，请核对",
                        rules::table3_row_label(r)
                    ),
                )
                .at("三", Some(r.key()), None)
                .values(rules::table3_row_label(r), printed),
            );
            hit = Some((k, Hit::Leaf(r)));
        }
        let Some((k, what)) = hit else {
            pending = if has_number {
                None
            } else {
                last_non_empty(row)
            };
            continue;
        };
        pending = None;
        let after = &row.cells[k + 1..];
        let (numbers, texts) = tally(&row.kinds[k + 1..]);
        if after.len() > n + 3 || texts > 1 || (numbers == 0 && after.len() + 1 < n) {
            // A label without its numbers may be the head of a label broken over two lines.
            if !has_number {
                pending = last_non_empty(row);
            }
            continue;
        }
        // 总计 and 其他 are also column headers: unnumbered and without a number, a header.
        if numbers == 0 && matches!(squeeze(&row.cells[k]).as_str(), "总计" | "其他") {
            continue;
        }
        let key = match &what {
            Hit::Leaf(r) => r.key(),
            Hit::Group(_) => "subtotal",
        };
        // The row's printed name, only formatted for a finding.
        let label = || match &what {
            Hit::Leaf(r) => rules::table3_row_label(*r),
            Hit::Group(_) => "小计".to_string(),
        };
        if let Hit::Leaf(r) = what
            && req.contains_key(&r)
        {
            continue;
        }
        let values = fit(Values::after(row, k + 1), n);
        let mut cells8: Vec<Count> = Vec::with_capacity(n);
        for ci in 0..n {
            let col_idx = match sub_col {
                Some(s) if ci == s => usize::MAX,
                Some(s) if ci > s => ci - 1,
                _ => ci,
            };
            let col = if col_idx == usize::MAX {
                "subtotal"
            } else {
                TABLE3_COLUMNS[col_idx]
            };
            let col_label = if col_idx == usize::MAX {
                "小计"
            } else {
                table3_column_label(col_idx)
            };
            let place = || format!("「{}」行 {col_label}列", label());
            match values.get(ci) {
                Some(cell) => cells8.push(count(cell, "三", key, col, place, out)),
                None => {
                    if col_idx != usize::MAX {
                        out.push(missing(
                            "三",
                            key,
                            col,
                            &place(),
                            &format!("原文该行只有 {} 格", values.len()),
                        ));
                    }
                    cells8.push(None);
                }
            }
        }
        let mut cells: Row7 = [None; 7];
        let mut sub = None;
        for (ci, v) in cells8.into_iter().enumerate() {
            match sub_col {
                Some(s) if ci == s => sub = v,
                Some(s) if ci > s => cells[ci - 1] = v,
                _ => cells[ci] = v,
            }
        }
        match what {
            Hit::Leaf(r) => {
                if let Some(s) = sub {
                    let sum: i64 = cells[1..6].iter().map(|v| v.unwrap_or(0)).sum();
                    if s != sum {
                        out.push(
                            Finding::new(
                                RuleId::Table3Subtotal,
                                format!(
                                    "表三「{}」行：小计 {s} ≠ 五类法人或其他组织之和 {sum}",
                                    label()
                                ),
                            )
                            .at("三", Some(r.key()), Some("subtotal"))
                            .values(sum, s),
                        );
                    }
                }
                if r.is_result() {
                    last_group = Some(r.group());
                }
                last_read = Some(r);
                req.insert(r, cells);
            }
            Hit::Group(GroupLabel::Group(g)) => subtotals.push((g, cells)),
            Hit::Group(GroupLabel::Subtotal) => {
                if let Some(g) = last_group {
                    subtotals.push((g, cells));
                }
            }
        }
    }
    // A 2021 table that prints (六) 其他处理 with numbers above its three items: a subtotal row.
    let has_2021_other = [
        Table3Row::OtherNoCorrection,
        Table3Row::OtherUnpaidFee,
        Table3Row::OtherOther,
    ]
    .iter()
    .any(|r| req.contains_key(r));
    if has_2021_other && let Some(cells) = req.remove(&Table3Row::Other) {
        subtotals.push((Table3Group::Other, cells));
    }
    for (g, cells) in subtotals {
        check_subtotal(&req, g, &cells, out);
    }
    req
}

/// A data row whose label names no row of table 三 exactly: the label cell and the row it
/// stands for by place and nearest label ([`cells::table3_row_fuzzy`]). Only a row shaped
/// like a table 三 row (a text label followed by the table's value cells, at least one a
/// number unless the row is) inside the table (after its first row, before its last) — or a label nearly
/// equal to one — is considered, so prose and the rows of tables 二 and 四 never are.
fn fuzzy_label(
    row: &Row<'_>,
    n: usize,
    req: &Requests,
    last_read: Option<Table3Row>,
) -> Option<(usize, Table3Row)> {
    let k = row.kinds.iter().rposition(|k| *k == CellValue::Text)?;
    let label = row.cells.get(k)?;
    let core = row.cores.get(k)?;
    if label.is_empty() || core.is_empty() {
        return None;
    }
    let after = &row.kinds[k + 1..];
    let (numbers, texts) = tally(after);
    let inside = !req.is_empty() && !req.contains_key(&Table3Row::CarriedOut);
    // A row of blanks (a report that leaves zeros blank) only inside the table.
    if texts > 0 || (numbers == 0 && !inside) || after.len() + 1 < n || after.len() > n + 3 {
        return None;
    }
    let next = match last_read {
        Some(l) => {
            let from = Table3Row::EVERY
                .iter()
                .position(|r| *r == l)
                .map_or(0, |p| p + 1);
            Table3Row::EVERY[from..]
                .iter()
                .copied()
                .find(|r| !req.contains_key(r))
        }
        None => Table3Row::EVERY.first().copied(),
    };
    let hit = cells::table3_row_fuzzy(label, core, next, |r| req.contains_key(&r))?;
    (inside || hit.similarity >= 0.75).then_some((k, hit.row))
}

fn check_subtotal(req: &Requests, g: Table3Group, cells: &Row7, out: &mut Vec<Finding>) {
    let key = match g {
        Table3Group::Withheld => "withheld_subtotal",
        Table3Group::Unable => "unable_subtotal",
        Table3Group::Declined => "declined_subtotal",
        Table3Group::Other => "other_subtotal",
        _ => "subtotal",
    };
    for (c, v) in cells.iter().enumerate() {
        let Some(v) = *v else { continue };
        let sum: i64 = req
            .keys()
            .filter(|r| r.group() == g)
            .map(|r| rules::effective(req, *r, c))
            .sum();
        if v != sum {
            out.push(
                Finding::new(
                    RuleId::Table3Subtotal,
                    format!(
                        "表三「{}」小计行 {}列：{v} ≠ 各分项之和 {sum}",
                        g.label(),
                        table3_column_label(c)
                    ),
                )
                .at("三", Some(key), Some(TABLE3_COLUMNS[c]))
                .values(sum, v),
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Table 四

/// Reads table 四: the 15-value row under its headers, or one labelled row per group.
pub(crate) fn read_appeals(rows: &[Row<'_>], out: &mut Vec<Finding>) -> Option<Appeals> {
    let start = rows.iter().position(|r| {
        r.cells
            .iter()
            .any(|c| c.len() < 120 && contains_str(c, "行政复议"))
    })?;
    let mut appeals = Appeals::default();
    let mut labelled = [false; 3];
    for row in &rows[start..] {
        // One labelled row per group: 行政复议 | 0 | 0 | 0 | 0 | 0.
        if let Some((k, g)) = last_label(row, |c, _| {
            if c.len() > 80 {
                return None;
            }
            let mut buf = [0u8; 80];
            let s = squeeze_into(c, &mut buf)?;
            if contains_str(s, "复议后起诉") {
                Some(2)
            } else if contains_str(s, "直接起诉") {
                Some(1)
            } else if s == "行政复议" {
                Some(0)
            } else {
                None
            }
        }) {
            let after = Values::after(row, k + 1);
            let (nums, texts) = tally(after.kinds);
            if nums > 0 && texts == 0 && after.len() >= 5 && !labelled[g] {
                let v = fit(after, 5);
                let key = crate::model::APPEAL_GROUPS[g].0;
                *appeals.groups_mut()[g] = read_row5(v, key, out);
                labelled[g] = true;
                if labelled.iter().all(|x| *x) {
                    return Some(appeals);
                }
                continue;
            }
        }
        // The national layout: all fifteen values in one row after the headers.
        if !row.is_table_row() {
            continue;
        }
        let first_value = row
            .kinds
            .iter()
            .rposition(|k| *k == CellValue::Text)
            .map_or(0, |p| p + 1);
        let values = Values::after(row, first_value);
        let has_number = tally(values.kinds).0 > 0;
        if values.len() >= 15 && (first_value == 0 || has_number) {
            let v = fit(values, 15);
            for (g, (key, _)) in crate::model::APPEAL_GROUPS.iter().enumerate() {
                *appeals.groups_mut()[g] = read_row5(v.slice(g * 5, g * 5 + 5), key, out);
            }
            return Some(appeals);
        }
    }
    labelled.iter().any(|x| *x).then_some(appeals)
}

fn read_row5(v: Values<'_>, key: &str, out: &mut Vec<Finding>) -> Row5 {
    let mut r: Row5 = [None; 5];
    let group = crate::model::APPEAL_GROUPS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, l)| *l);
    for (c, slot) in r.iter_mut().enumerate() {
        let place = || format!("{group} {}", crate::model::APPEAL_COLUMNS[c]);
        match v.get(c) {
            Some(cell) => *slot = count(cell, "四", key, TABLE4_COLUMNS[c], place, out),
            None => out.push(missing(
                "四",
                key,
                TABLE4_COLUMNS[c],
                &place(),
                "原文缺少这一格",
            )),
        }
    }
    r
}
