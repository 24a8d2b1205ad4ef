//! One unit's report beside its report of the year before (同比), cell by cell.
//!
//! [`compare`] lines up every cell both reports print (tables 二, 三 and 四, by row and column
//! key, so a 2019-format year beside a 2021-format year compares the cells the two forms
//! share), checks the carry-over (X-CARRY), keeps the prose findings of this year's report
//! (TXT-TABLE, TXT-PARTS: the text's figures against its tables) and names the year-over-year
//! anomalies a superior office looks at first:
//!
//! - **YOY-ZERO** — a row that counted at least [`ZERO_FLOOR`] last year and counts 0 (or is
//!   blank) this year: a category dropping to zero is usually a row left out, not a real change
//!   (the 总计 column of table 三's rows, the 处理决定数量 of table 二, the 总计 of table 四);
//! - **YOY-JUMP** — 本年新收 (table 三 row 一, 总计) changing by a factor of [`JUMP_FACTOR`] or
//!   more while the larger year counts at least [`JUMP_FLOOR`]: a unit whose applications grow
//!   tenfold or vanish deserves a look.
//!
//! Both are warnings: they ask a person to look, they prove nothing.

use crate::model::Report;
use crate::rules::{
    self, Finding, ProactiveCell, RuleId, TABLE3_COLUMNS, TABLE4_COLUMNS, table3_column_label,
    table3_row_label,
};
use gongkai_law::Table3Row;
use serde::Serialize;

/// Last year's count below which a drop to zero is not reported.
pub const ZERO_FLOOR: f64 = 5.0;
/// The factor of change of 本年新收 that is reported.
pub const JUMP_FACTOR: f64 = 5.0;
/// The larger year's 本年新收 below which a jump is not reported.
pub const JUMP_FLOOR: f64 = 20.0;

/// One cell both reports print.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellPair {
    /// The table: `"二"`, `"三"` or `"四"`.
    pub table: &'static str,
    /// The row key (canonical JSON).
    pub row: String,
    /// The row as printed.
    pub row_label: String,
    /// The column key.
    pub column: &'static str,
    /// The column as printed.
    pub column_label: &'static str,
    /// Last year's value (`None`: blank).
    pub last: Option<f64>,
    /// This year's value.
    pub this: Option<f64>,
}

impl CellPair {
    /// This year minus last year, when both hold a value.
    pub fn delta(&self) -> Option<f64> {
        Some(self.this? - self.last?)
    }

    /// Whether the cell differs between the years (a blank differs from 0).
    pub fn changed(&self) -> bool {
        self.last != self.this
    }
}

/// The comparison of one unit's two years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The unit, as this year's report names it.
    pub agency: String,
    /// Last year.
    pub last_year: i32,
    /// This year.
    pub this_year: i32,
    /// Every cell both reports print, in the form's order.
    pub cells: Vec<CellPair>,
    /// X-CARRY: this year's 上年结转 against last year's 结转下年度继续办理.
    pub carry: Vec<Finding>,
    /// This year's prose against its tables (TXT-TABLE, TXT-PARTS).
    pub text: Vec<Finding>,
    /// YOY-ZERO and YOY-JUMP.
    pub anomalies: Vec<Finding>,
}

impl Comparison {
    /// The cells that changed.
    pub fn changed(&self) -> impl Iterator<Item = &CellPair> {
        self.cells.iter().filter(|c| c.changed())
    }

    /// The findings of the comparison: carry-over, prose and anomalies.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.carry.iter().chain(&self.text).chain(&self.anomalies)
    }
}

/// Every cell of a report with its place, in the form's order; its value in `this`.
fn cells_of(r: &Report) -> Vec<CellPair> {
    let mut out = Vec::with_capacity(200);
    let mut push = |table, row: String, row_label: String, column, column_label, v| {
        out.push(CellPair {
            table,
            row,
            row_label,
            column,
            column_label,
            last: None,
            this: v,
        });
    };
    for (row, row_label, col, col_label, cell) in rules::proactive_cells(&r.proactive) {
        let v = match cell {
            ProactiveCell::Count { value, .. } => value.map(|v| v as f64),
            ProactiveCell::Amount(a) => a,
        };
        push(
            "二",
            row.to_string(),
            row_label.to_string(),
            col,
            col_label,
            v,
        );
    }
    for row in Table3Row::EVERY {
        let Some(cells) = r.requests.get(row) else {
            continue;
        };
        for (c, v) in cells.iter().enumerate() {
            push(
                "三",
                row.key().to_string(),
                table3_row_label(*row),
                TABLE3_COLUMNS[c],
                table3_column_label(c),
                v.map(|v| v as f64),
            );
        }
    }
    for ((key, cells), (_, label)) in r
        .appeals
        .groups()
        .into_iter()
        .zip(crate::model::APPEAL_GROUPS)
    {
        for (c, v) in cells.iter().enumerate() {
            push(
                "四",
                key.to_string(),
                label.to_string(),
                TABLE4_COLUMNS[c],
                crate::model::APPEAL_COLUMNS[c],
                v.map(|v| v as f64),
            );
        }
    }
    out
}

/// Compares `this` year's report of a unit with its `last` year's.
pub fn compare(last: &Report, this: &Report) -> Comparison {
    let before = cells_of(last);
    let mut cells = Vec::with_capacity(before.len());
    for mut pair in cells_of(this) {
        if let Some(b) = before
            .iter()
            .find(|b| b.table == pair.table && b.row == pair.row && b.column == pair.column)
        {
            pair.last = b.this;
            cells.push(pair);
        }
    }
    let text = rules::check(this)
        .into_iter()
        .filter(|f| matches!(f.rule, RuleId::TextTable | RuleId::TextParts))
        .collect();
    let anomalies = anomalies(&cells, last.year, this.year);
    Comparison {
        agency: this.agency.clone(),
        last_year: last.year,
        this_year: this.year,
        carry: rules::check_carry(last, this),
        text,
        cells,
        anomalies,
    }
}

/// YOY-ZERO and YOY-JUMP over the paired cells.
fn anomalies(cells: &[CellPair], last_year: i32, this_year: i32) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in cells {
        let watched = match c.table {
            "三" => c.column == "total",
            "二" => c.column == "decisions",
            "四" => c.column == "total",
            _ => false,
        };
        let last = c.last.unwrap_or(0.0);
        let this = c.this.unwrap_or(0.0);
        if watched && last >= ZERO_FLOOR && this == 0.0 && c.row != "carried_in" {
            out.push(
                Finding::new(
                    RuleId::YoyZero,
                    format!(
                        "表{}「{}」{}：{last_year}年 {last}，{this_year}年 {}——整类降为零，请核对是否漏填",
                        c.table,
                        c.row_label,
                        c.column_label,
                        c.this.map_or("空白".to_string(), |v| v.to_string())
                    ),
                )
                .at(c.table, Some(&c.row), Some(c.column))
                .values(last, c.this.map_or(serde_json::Value::Null, |v| v.into())),
            );
        }
        if c.table == "三" && c.row == "new_received" && c.column == "total" {
            let (lo, hi) = if last < this {
                (last, this)
            } else {
                (this, last)
            };
            if hi >= JUMP_FLOOR && (lo == 0.0 || hi / lo >= JUMP_FACTOR) {
                out.push(
                    Finding::new(
                        RuleId::YoyJump,
                        format!(
                            "表三「本年新收政府信息公开申请数量」总计：{last_year}年 {last}，{this_year}年 {this}，变化达 {JUMP_FACTOR} 倍以上"
                        ),
                    )
                    .at("三", Some("new_received"), Some("total"))
                    .values(last, this),
                );
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use gongkai_law::ReportFormat;

    fn report(year: i32, new: i64, disclosed: i64, carried_out: i64) -> Report {
        let mut r = Report::zero("某局", year, ReportFormat::Current2021);
        let row = |v: i64| {
            [
                Some(v),
                Some(0),
                Some(0),
                Some(0),
                Some(0),
                Some(0),
                Some(v),
            ]
        };
        r.requests.insert(Table3Row::NewReceived, row(new));
        r.requests.insert(Table3Row::Disclosed, row(disclosed));
        r.requests.insert(Table3Row::CarriedOut, row(carried_out));
        r
    }

    #[test]
    fn cells_changes_carry_and_anomalies() {
        let last = report(2023, 10, 8, 2);
        let this = report(2024, 100, 0, 0);
        let c = compare(&last, &this);
        let new = c
            .cells
            .iter()
            .find(|p| p.row == "new_received" && p.column == "total")
            .unwrap();
        assert_eq!(
            (new.last, new.this, new.delta()),
            (Some(10.0), Some(100.0), Some(90.0))
        );
        // carried_in 0 this year vs carried_out 2 last year, in two columns.
        assert_eq!(c.carry.len(), 2);
        let rules: Vec<_> = c
            .anomalies
            .iter()
            .map(|f| (f.rule, f.row.clone()))
            .collect();
        assert!(rules.contains(&(RuleId::YoyZero, Some("disclosed".into()))));
        assert!(rules.contains(&(RuleId::YoyJump, Some("new_received".into()))));
        assert!(c.changed().count() >= 4);
    }

    #[test]
    fn the_same_report_twice_changes_nothing() {
        let r = report(2024, 10, 8, 2);
        let mut last = r.clone();
        last.year = 2023;
        let mut this = r;
        this.requests.insert(
            Table3Row::CarriedIn,
            [
                Some(2),
                Some(0),
                Some(0),
                Some(0),
                Some(0),
                Some(0),
                Some(2),
            ],
        );
        last.requests.insert(
            Table3Row::CarriedIn,
            [
                Some(2),
                Some(0),
                Some(0),
                Some(0),
                Some(0),
                Some(0),
                Some(2),
            ],
        );
        let c = compare(&last, &this);
        assert_eq!(c.changed().count(), 0);
        assert!(c.findings().next().is_none(), "{:?}", c.anomalies);
    }
}
