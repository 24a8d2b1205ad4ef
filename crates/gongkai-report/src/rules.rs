//! The rules of `spec/annual-report.md`: what `report check` proves, each finding with its rule
//! id, severity, place and values.
//!
//! [`check`] looks at one [`Report`]; [`check_carry`] compares two consecutive years. Blank
//! cells follow the spec: a blank part counts as 0 and a blank total as the sum of its parts,
//! so a blank is reported once (CELL-BLANK) and never also as a wrong total.

use crate::model::{
    APPEAL_COLUMNS, APPEAL_GROUPS, Count, Proactive, Report, Requests, Row5, TOTAL_COLUMN,
};
use gongkai_law::{ApplicantKind, ReportFormat, Table3Group, Table3Row};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// How bad a finding is: errors are arithmetic that cannot be right, warnings likely mistakes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The report cannot be right (`report check` exits 1).
    Error,
    /// Probably a mistake; the report may still be right.
    Warning,
}

/// The rule a finding breaks, serialised as the spec's id (e.g. `"T3-BALANCE"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RuleId {
    /// T3-ROW-TOTAL: in every row of table 三, 总计 = the sum of the six applicant columns.
    #[serde(rename = "T3-ROW-TOTAL")]
    Table3RowTotal,
    /// T3-RESULTS-TOTAL: (七) 总计 = the sum of all result rows (一)…(六), in every column.
    #[serde(rename = "T3-RESULTS-TOTAL")]
    Table3ResultsTotal,
    /// T3-BALANCE: 一 + 二 = 三(七) + 四 in every column.
    #[serde(rename = "T3-BALANCE")]
    Table3Balance,
    /// T3-SUBTOTAL: a printed subtotal row or 小计 column equals its items.
    #[serde(rename = "T3-SUBTOTAL")]
    Table3Subtotal,
    /// T4-TOTAL: in each group of table 四, 总计 = 维持 + 纠正 + 其他 + 尚未审结.
    #[serde(rename = "T4-TOTAL")]
    Table4Total,
    /// NUM-INVALID: a count that is negative, fractional or not a number.
    #[serde(rename = "NUM-INVALID")]
    NumberInvalid,
    /// CELL-BLANK: a cell left empty where the form wants a number.
    #[serde(rename = "CELL-BLANK")]
    CellBlank,
    /// FMT-VERSION: the format does not fit the report year, or mixes the two formats.
    #[serde(rename = "FMT-VERSION")]
    FormatVersion,
    /// FMT-UNIT: an amount in another unit than the form's 万元.
    #[serde(rename = "FMT-UNIT")]
    FormatUnit,
    /// FMT-DECIMALS: format `2019` 采购总金额 not written with four decimals.
    #[serde(rename = "FMT-DECIMALS")]
    FormatDecimals,
    /// SECTION-MISSING: one of the six sections is absent or out of order.
    #[serde(rename = "SECTION-MISSING")]
    SectionMissing,
    /// TXT-PARTS: prose parts (「其中…」) add up to more than the whole they belong to.
    #[serde(rename = "TXT-PARTS")]
    TextParts,
    /// TXT-TABLE: a figure in the prose about applications contradicts table 三.
    #[serde(rename = "TXT-TABLE")]
    TextTable,
    /// X-CARRY: this year's 上年结转 ≠ last year's 结转下年度继续办理.
    #[serde(rename = "X-CARRY")]
    CarryOver,
    /// ROW-LABEL: a row of table 三 whose printed label differs from the form's, recognised by
    /// its place and the nearest label (the reader says which row it took it for).
    #[serde(rename = "ROW-LABEL")]
    RowLabel,
    /// YOY-ZERO: a category that counted last year counts nothing this year
    /// ([`crate::compare`]).
    #[serde(rename = "YOY-ZERO")]
    YoyZero,
    /// YOY-JUMP: 本年新收 changed by a large factor from last year ([`crate::compare`]).
    #[serde(rename = "YOY-JUMP")]
    YoyJump,
}

impl RuleId {
    /// Every rule, in the spec's order.
    pub const ALL: [RuleId; 17] = [
        RuleId::Table3RowTotal,
        RuleId::Table3ResultsTotal,
        RuleId::Table3Balance,
        RuleId::Table3Subtotal,
        RuleId::Table4Total,
        RuleId::NumberInvalid,
        RuleId::CellBlank,
        RuleId::FormatVersion,
        RuleId::FormatUnit,
        RuleId::FormatDecimals,
        RuleId::SectionMissing,
        RuleId::TextParts,
        RuleId::TextTable,
        RuleId::CarryOver,
        RuleId::RowLabel,
        RuleId::YoyZero,
        RuleId::YoyJump,
    ];

    /// The spec's id, e.g. `T3-BALANCE`.
    pub fn id(self) -> &'static str {
        match self {
            RuleId::Table3RowTotal => "T3-ROW-TOTAL",
            RuleId::Table3ResultsTotal => "T3-RESULTS-TOTAL",
            RuleId::Table3Balance => "T3-BALANCE",
            RuleId::Table3Subtotal => "T3-SUBTOTAL",
            RuleId::Table4Total => "T4-TOTAL",
            RuleId::NumberInvalid => "NUM-INVALID",
            RuleId::CellBlank => "CELL-BLANK",
            RuleId::FormatVersion => "FMT-VERSION",
            RuleId::FormatUnit => "FMT-UNIT",
            RuleId::FormatDecimals => "FMT-DECIMALS",
            RuleId::SectionMissing => "SECTION-MISSING",
            RuleId::TextParts => "TXT-PARTS",
            RuleId::TextTable => "TXT-TABLE",
            RuleId::CarryOver => "X-CARRY",
            RuleId::RowLabel => "ROW-LABEL",
            RuleId::YoyZero => "YOY-ZERO",
            RuleId::YoyJump => "YOY-JUMP",
        }
    }

    /// Reads a spec id.
    pub fn parse(id: &str) -> Option<RuleId> {
        RuleId::ALL.into_iter().find(|r| r.id() == id)
    }

    /// The severity the spec gives the rule.
    pub fn severity(self) -> Severity {
        match self {
            RuleId::CellBlank
            | RuleId::FormatVersion
            | RuleId::FormatUnit
            | RuleId::FormatDecimals
            | RuleId::TextParts
            | RuleId::TextTable
            | RuleId::RowLabel
            | RuleId::YoyZero
            | RuleId::YoyJump => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

impl fmt::Display for RuleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// One thing `report check` found, serialised exactly as the spec's `check --json` objects.
///
/// The place: `table` is the report part as printed (`"二"`, `"三"`, `"四"` for the tables,
/// `"一"`, `"五"`, `"六"` for prose), `row` the canonical JSON key of the row (table 三 row key,
/// table 二 item such as `procurement`, table 四 group), `column` the column key (table 三:
/// `natural_person` … `other_org`, `subtotal`, `total`; table 四: `upheld`, `corrected`,
/// `other`, `pending`, `total`; table 二: the field, e.g. `amount_wan`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule broken.
    pub rule: RuleId,
    /// Its severity.
    pub severity: Severity,
    /// The report part (一 … 六), when the finding has a place.
    pub table: Option<String>,
    /// The row key, when the finding is about a row.
    pub row: Option<String>,
    /// The column key, when the finding is about a cell or column.
    pub column: Option<String>,
    /// What the cell should hold (a number, or a format id).
    pub expected: Option<Value>,
    /// What it holds.
    pub found: Option<Value>,
    /// A sentence in Chinese naming the cells as the form prints them.
    pub message: String,
}

impl Finding {
    /// A finding of `rule` with the rule's severity and no place yet.
    pub fn new(rule: RuleId, message: impl Into<String>) -> Finding {
        Finding {
            rule,
            severity: rule.severity(),
            table: None,
            row: None,
            column: None,
            expected: None,
            found: None,
            message: message.into(),
        }
    }

    /// Sets the place.
    pub fn at(mut self, table: &str, row: Option<&str>, column: Option<&str>) -> Finding {
        self.table = Some(table.to_string());
        self.row = row.map(str::to_string);
        self.column = column.map(str::to_string);
        self
    }

    /// Sets the expected and found values.
    pub fn values(mut self, expected: impl Into<Value>, found: impl Into<Value>) -> Finding {
        self.expected = Some(expected.into());
        self.found = Some(found.into());
        self
    }

    /// Whether the finding is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Column keys of table 三 in the form's order (the six applicant kinds, then 总计).
pub const TABLE3_COLUMNS: [&str; 7] = [
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
    "total",
];

/// Column keys of a table 四 group, in the form's order.
pub const TABLE4_COLUMNS: [&str; 5] = ["upheld", "corrected", "other", "pending", "total"];

/// The printed name of a table 三 column.
pub fn table3_column_label(c: usize) -> &'static str {
    match c {
        0 => ApplicantKind::NaturalPerson.label(),
        1 => ApplicantKind::Commercial.label(),
        2 => ApplicantKind::Research.label(),
        3 => ApplicantKind::SocialWelfare.label(),
        4 => ApplicantKind::LegalService.label(),
        5 => ApplicantKind::OtherOrg.label(),
        _ => "总计",
    }
}

/// A table 三 row named as the form prints it, with its group for the numbered leaves
/// (`（三）不予公开 1.属于国家秘密`).
pub fn table3_row_label(r: Table3Row) -> String {
    match r.group() {
        Table3Group::Withheld | Table3Group::Unable | Table3Group::Declined => {
            format!("{} {}", r.group().label(), r.label())
        }
        Table3Group::Other if r != Table3Row::Other => {
            format!("{} {}", r.group().label(), r.label())
        }
        _ => r.label().to_string(),
    }
}

/// One cell of table 二 as the checker sees it.
pub enum ProactiveCell {
    /// A count; `signed` for 本年增/减, which may be negative.
    Count {
        /// The count (`None`: blank).
        value: Count,
        /// Whether the column may be negative (本年增/减).
        signed: bool,
    },
    /// An amount in 万元.
    Amount(Option<f64>),
}

/// A table 二 cell with its place: (row key, row label, column key, column label, cell).
pub type ProactiveEntry = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    ProactiveCell,
);

/// Every cell of table 二 in the form's order.
pub fn proactive_cells(p: &Proactive) -> Vec<ProactiveEntry> {
    use ProactiveCell::{Amount, Count as C};
    let c = |v: &Count| C {
        value: *v,
        signed: false,
    };
    let s = |v: &Count| C {
        value: *v,
        signed: true,
    };
    match p {
        Proactive::Trial2019(t) => {
            let mut out: Vec<ProactiveEntry> = Vec::with_capacity(22);
            for (key, label, d) in [
                ("regulations", "规章", &t.regulations),
                ("normative_documents", "规范性文件", &t.normative_documents),
            ] {
                out.push((key, label, "made", "本年新制作数量", c(&d.made)));
                out.push((key, label, "published", "本年新公开数量", c(&d.published)));
                out.push((
                    key,
                    label,
                    "total_published",
                    "对外公开总数量",
                    c(&d.total_published),
                ));
            }
            for (key, label, m) in [
                ("licensing", "行政许可", &t.licensing),
                ("other_services", "其他对外管理服务事项", &t.other_services),
                ("penalty", "行政处罚", &t.penalty),
                ("enforcement", "行政强制", &t.enforcement),
            ] {
                out.push((key, label, "prev_items", "上一年项目数量", c(&m.prev_items)));
                out.push((key, label, "change", "本年增/减", s(&m.change)));
                out.push((key, label, "decisions", "处理决定数量", c(&m.decisions)));
            }
            out.push((
                "fees",
                "行政事业性收费",
                "prev_items",
                "上一年项目数量",
                c(&t.fees.prev_items),
            ));
            out.push((
                "fees",
                "行政事业性收费",
                "change",
                "本年增/减",
                s(&t.fees.change),
            ));
            out.push((
                "procurement",
                "政府集中采购",
                "items",
                "采购项目数量",
                c(&t.procurement.items),
            ));
            out.push((
                "procurement",
                "政府集中采购",
                "amount_wan",
                "采购总金额",
                Amount(t.procurement.amount_wan),
            ));
            out
        }
        Proactive::Current2021(t) => {
            let mut out: Vec<ProactiveEntry> = Vec::with_capacity(10);
            for (key, label, d) in [
                ("regulations", "规章", &t.regulations),
                (
                    "normative_documents",
                    "行政规范性文件",
                    &t.normative_documents,
                ),
            ] {
                out.push((key, label, "issued", "本年制发件数", c(&d.issued)));
                out.push((key, label, "repealed", "本年废止件数", c(&d.repealed)));
                out.push((key, label, "in_force", "现行有效件数", c(&d.in_force)));
            }
            for (key, label, d) in [
                ("licensing", "行政许可", &t.licensing),
                ("penalty", "行政处罚", &t.penalty),
                ("enforcement", "行政强制", &t.enforcement),
            ] {
                out.push((key, label, "decisions", "本年处理决定数量", c(&d.decisions)));
            }
            out.push((
                "fees",
                "行政事业性收费",
                "amount_wan",
                "本年收费金额",
                Amount(t.fees.amount_wan),
            ));
            out
        }
    }
}

/// The value arithmetic uses for a table 三 cell: the cell, or for a blank 总计 the sum of its
/// parts, for a blank (七) 总计 the sum of the result rows, for any other blank 0.
pub fn effective(req: &Requests, row: Table3Row, c: usize) -> i64 {
    let Some(cells) = req.get(&row) else { return 0 };
    if let Some(v) = cells[c] {
        return v;
    }
    if c == TOTAL_COLUMN {
        return (0..TOTAL_COLUMN).map(|k| effective(req, row, k)).sum();
    }
    if row == Table3Row::ResultsTotal {
        return req
            .keys()
            .filter(|r| r.is_result())
            .map(|r| effective(req, *r, c))
            .sum();
    }
    0
}

/// Checks one report: arithmetic, blanks, numbers, format and version, and the prose rules
/// over `report.sections`. Findings come in the form's order.
pub fn check(report: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    check_version(report, &mut out);
    check_proactive(report, &mut out);
    check_requests(&report.requests, &mut out);
    check_appeals(report, &mut out);
    check_prose(report, &mut out);
    out
}

fn check_version(report: &Report, out: &mut Vec<Finding>) {
    let want = ReportFormat::for_year(report.year);
    if report.format != want {
        out.push(
            Finding::new(
                RuleId::FormatVersion,
                format!(
                    "{}年度报告使用了{}年版格式（{}），应使用{}年版格式（{}）",
                    report.year,
                    report.format.id(),
                    report.format.issued_by(),
                    want.id(),
                    want.issued_by()
                ),
            )
            .values(want.id(), report.format.id()),
        );
    }
    let has_2021_other = [
        Table3Row::OtherNoCorrection,
        Table3Row::OtherUnpaidFee,
        Table3Row::OtherOther,
    ]
    .iter()
    .any(|r| report.requests.contains_key(r));
    let has_2019_other = report.requests.contains_key(&Table3Row::Other);
    if report.format == ReportFormat::Current2021 && has_2019_other {
        out.push(
            Finding::new(
                RuleId::FormatVersion,
                "表三按2021年版格式填报，却仍印有2019年版的单行「（六）其他处理」，应分列为三项",
            )
            .at("三", Some("other"), None)
            .values("2021", "2019"),
        );
    }
    if report.format == ReportFormat::Trial2019 && has_2021_other {
        out.push(
            Finding::new(
                RuleId::FormatVersion,
                "表三按2019年版格式填报，却印有2021年版「（六）其他处理」的分项",
            )
            .at("三", Some("other_other"), None)
            .values("2019", "2021"),
        );
    }
}

fn check_proactive(report: &Report, out: &mut Vec<Finding>) {
    for (row, row_label, col, col_label, cell) in proactive_cells(&report.proactive) {
        match cell {
            ProactiveCell::Count { value: None, .. } | ProactiveCell::Amount(None) => {
                out.push(blank(
                    "二",
                    row,
                    col,
                    &format!("「{row_label}」行 {col_label}"),
                ));
            }
            ProactiveCell::Count {
                value: Some(v),
                signed: false,
            } if v < 0 => {
                out.push(negative(
                    "二",
                    row,
                    col,
                    &format!("「{row_label}」行 {col_label}"),
                    v,
                ));
            }
            ProactiveCell::Amount(Some(v)) if v < 0.0 => {
                out.push(
                    Finding::new(
                        RuleId::NumberInvalid,
                        format!("表二「{row_label}」行 {col_label}为负数 {v}，金额不能为负"),
                    )
                    .at("二", Some(row), Some(col))
                    .values(0, v),
                );
            }
            ProactiveCell::Amount(Some(v))
                if report.format == ReportFormat::Trial2019
                    && row == "procurement"
                    && !four_decimals_possible(v) =>
            {
                out.push(decimals_finding(v));
            }
            _ => {}
        }
    }
}

/// Whether an amount read from the model can be written with four decimals as the form asks:
/// anything with at most four decimals can (`25.1` → `25.1000`). How the source wrote it is
/// the parser's finding, not the model's: canonical JSON (and a report generated from records)
/// carries values, not their printed form, so only more than four decimals is a fault here.
fn four_decimals_possible(v: f64) -> bool {
    if v.fract() == 0.0 {
        return true;
    }
    let s = format!("{v}");
    s.split_once('.').is_some_and(|(_, f)| f.len() <= 4)
}

/// The FMT-DECIMALS finding for 采购总金额 `v` as written.
pub(crate) fn decimals_finding(v: impl fmt::Display) -> Finding {
    Finding::new(
        RuleId::FormatDecimals,
        format!("表二「政府集中采购」行 采购总金额 {v} 未按表格要求以万元保留4位小数填写"),
    )
    .at("二", Some("procurement"), Some("amount_wan"))
}

fn blank(table: &str, row: &str, col: &str, place: &str) -> Finding {
    Finding::new(
        RuleId::CellBlank,
        format!("表{table}{place}为空：表格要求填写数字，没有的应填 0"),
    )
    .at(table, Some(row), Some(col))
    .values(0, Value::Null)
}

fn negative(table: &str, row: &str, col: &str, place: &str, v: i64) -> Finding {
    Finding::new(
        RuleId::NumberInvalid,
        format!("表{table}{place}为负数 {v}：件数不能为负"),
    )
    .at(table, Some(row), Some(col))
    .values(0, v)
}

fn check_requests(req: &Requests, out: &mut Vec<Finding>) {
    // Blanks and negatives, row by row, then the arithmetic.
    for (row, cells) in req {
        // Labels and places are only formatted for a finding: most cells are fine.
        let place = |c: usize| {
            format!(
                "「{}」行 {}列",
                table3_row_label(*row),
                table3_column_label(c)
            )
        };
        for (c, cell) in cells.iter().enumerate() {
            match cell {
                None => out.push(blank("三", row.key(), TABLE3_COLUMNS[c], &place(c))),
                Some(v) if *v < 0 => {
                    out.push(negative("三", row.key(), TABLE3_COLUMNS[c], &place(c), *v))
                }
                _ => {}
            }
        }
        let label = || table3_row_label(*row);
        if let Some(total) = cells[TOTAL_COLUMN] {
            // Parts as the arithmetic sees them: a blank (七) 总计 cell is its column's sum.
            // `effective` of a filled cell is the cell: look the row up only for blanks.
            let parts: [i64; TOTAL_COLUMN] =
                std::array::from_fn(|c| cells[c].unwrap_or_else(|| effective(req, *row, c)));
            let sum: i64 = parts.iter().sum();
            if sum != total {
                let shown: Vec<String> = parts.iter().map(i64::to_string).collect();
                out.push(
                    Finding::new(
                        RuleId::Table3RowTotal,
                        format!(
                            "表三「{}」行：总计 {total} ≠ 六类申请人之和（{}={sum}）",
                            label(),
                            shown.join("+")
                        ),
                    )
                    .at("三", Some(row.key()), Some("total"))
                    .values(sum, total),
                );
            }
        }
    }
    if let Some(totals) = req.get(&Table3Row::ResultsTotal) {
        for (c, t) in totals.iter().enumerate() {
            let Some(t) = *t else { continue };
            let sum: i64 = req
                .iter()
                .filter(|(r, _)| r.is_result())
                .map(|(r, cells)| cells[c].unwrap_or_else(|| effective(req, *r, c)))
                .sum();
            if sum != t {
                out.push(
                    Finding::new(
                        RuleId::Table3ResultsTotal,
                        format!(
                            "表三 {}列：（七）总计 {t} ≠ （一）至（六）各项之和 {sum}",
                            table3_column_label(c)
                        ),
                    )
                    .at("三", Some("results_total"), Some(TABLE3_COLUMNS[c]))
                    .values(sum, t),
                );
            }
        }
    }
    let rows = [
        Table3Row::NewReceived,
        Table3Row::CarriedIn,
        Table3Row::ResultsTotal,
        Table3Row::CarriedOut,
    ];
    if rows.iter().all(|r| req.contains_key(r)) {
        for (c, col) in TABLE3_COLUMNS.iter().enumerate() {
            let [n, i, t, o] = rows.map(|r| effective(req, r, c));
            if n + i != t + o {
                out.push(
                    Finding::new(
                        RuleId::Table3Balance,
                        format!(
                            "表三 {}列：第一项+第二项（{n}+{i}）≠ 第三项+第四项（{t}+{o}）",
                            table3_column_label(c)
                        ),
                    )
                    .at("三", Some("results_total"), Some(col))
                    .values(n + i, t + o),
                );
            }
        }
    }
}

fn check_appeals(report: &Report, out: &mut Vec<Finding>) {
    for ((key, cells), (_, label)) in report.appeals.groups().into_iter().zip(APPEAL_GROUPS) {
        check_appeal_group(key, label, cells, out);
    }
}

fn check_appeal_group(key: &str, label: &str, cells: &Row5, out: &mut Vec<Finding>) {
    let place = |c: usize| format!("{label} {}", APPEAL_COLUMNS[c]);
    for (c, cell) in cells.iter().enumerate() {
        match cell {
            None => out.push(blank("四", key, TABLE4_COLUMNS[c], &place(c))),
            Some(v) if *v < 0 => out.push(negative("四", key, TABLE4_COLUMNS[c], &place(c), *v)),
            _ => {}
        }
    }
    if let Some(total) = cells[4] {
        let parts: Vec<i64> = cells[..4].iter().map(|v| v.unwrap_or(0)).collect();
        let sum: i64 = parts.iter().sum();
        if sum != total {
            out.push(
                Finding::new(
                    RuleId::Table4Total,
                    format!(
                        "表四 {label}：总计 {total} ≠ 结果维持+结果纠正+其他结果+尚未审结（{}+{}+{}+{}={sum}）",
                        parts[0], parts[1], parts[2], parts[3]
                    ),
                )
                .at("四", Some(key), Some("total"))
                .values(sum, total),
            );
        }
    }
}

/// Compares this year's 上年结转 with last year's 结转下年度继续办理, column by column.
pub fn check_carry(previous: &Report, current: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    if !previous.requests.contains_key(&Table3Row::CarriedOut)
        || !current.requests.contains_key(&Table3Row::CarriedIn)
    {
        return out;
    }
    for (c, col) in TABLE3_COLUMNS.iter().enumerate() {
        let p = effective(&previous.requests, Table3Row::CarriedOut, c);
        let n = effective(&current.requests, Table3Row::CarriedIn, c);
        if p != n {
            out.push(
                Finding::new(
                    RuleId::CarryOver,
                    format!(
                        "表三 {}列：{}年「二、上年结转政府信息公开申请数量」{n} ≠ {}年报告「四、结转下年度继续办理」{p}",
                        table3_column_label(c),
                        current.year,
                        previous.year
                    ),
                )
                .at("三", Some("carried_in"), Some(col))
                .values(p, n),
            );
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Prose rules

/// The Chinese numeral of a section id `"1"`…`"6"`.
fn section_numeral(id: &str) -> &'static str {
    match id {
        "1" => "一",
        "2" => "二",
        "3" => "三",
        "4" => "四",
        "5" => "五",
        "6" => "六",
        _ => "",
    }
}

fn check_prose(report: &Report, out: &mut Vec<Finding>) {
    // One buffer for every section, sized once (a text has at most as many characters as
    // bytes): allocating and growing it per section cost more than reading the prose.
    let longest = report.sections.values().map(String::len).max().unwrap_or(0);
    let mut chars: Vec<char> = Vec::with_capacity(longest);
    for (id, text) in &report.sections {
        let numeral = section_numeral(id);
        if numeral.is_empty() {
            continue;
        }
        // Hard line breaks inside prose (PDF extraction) must not split numbers or phrases.
        chars.clear();
        for c in text.chars() {
            if c != '\n' && c != '\r' {
                chars.push(crate::normalize::normalize_char(c));
            }
        }
        text_parts(&chars, numeral, out);
        text_table(&chars, numeral, &report.requests, out);
    }
}

/// Units that count things; a part in another counting unit ends a 「其中」 list.
fn is_count_unit(c: char) -> bool {
    "条件个项次篇期场家人份起批张部".contains(c)
}

fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | ';' | '!' | '?')
}

/// Reads an integer at `i`: `(value, index after it, unit if one follows)`. Skips spaces and
/// 余/多 between number and unit. A decimal or a percentage is not a count: `None`.
fn read_count_at(t: &[char], i: usize) -> Option<(i64, usize, Option<char>)> {
    let mut j = i;
    let mut v: i64 = 0;
    while j < t.len() && t[j].is_ascii_digit() {
        v = v
            .checked_mul(10)?
            .checked_add(i64::from(t[j] as u8 - b'0'))?;
        j += 1;
    }
    if j == i {
        return None;
    }
    if j < t.len() && (t[j] == '.' || t[j] == '%') {
        return Some((-1, skip_number_tail(t, j), None));
    }
    let end = j;
    while j < t.len() && (t[j] == ' ' || t[j] == '余' || t[j] == '多') {
        j += 1;
    }
    let unit = t.get(j).copied().filter(|c| is_count_unit(*c));
    Some((v, if unit.is_some() { j + 1 } else { end }, unit))
}

fn skip_number_tail(t: &[char], mut j: usize) -> usize {
    while j < t.len() && (t[j].is_ascii_digit() || t[j] == '.' || t[j] == '%') {
        j += 1;
    }
    j
}

fn find_seq(t: &[char], from: usize, to: usize, pat: &[char]) -> Option<usize> {
    let to = to.min(t.len());
    (from..to).find(|&k| t[k..].starts_with(pat))
}

/// TXT-PARTS: 「共 N 条 … 其中 a 条，b 条 …」 where a + b + … > N. Parts inside brackets opened
/// after 其中 break a part down further and are skipped; a part in another counting unit (39个
/// after a run of 条) ends the list.
fn text_parts(t: &[char], numeral: &str, out: &mut Vec<Finding>) {
    let mut i = 0;
    while i < t.len() {
        if t[i] != '共' {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < t.len() && j < i + 30 && !t[j].is_ascii_digit() && !is_sentence_end(t[j]) {
            j += 1;
        }
        let Some((whole, after, Some(unit))) = read_count_at(t, j) else {
            i += 1;
            continue;
        };
        if whole < 0 {
            i = after;
            continue;
        }
        let Some(q) = find_seq(t, after, after + 12, &['其', '中']) else {
            i = after;
            continue;
        };
        let (parts, end) = collect_parts(t, q + 2, unit);
        if parts.len() >= 2 {
            let sum: i64 = parts.iter().sum();
            if sum > whole {
                let shown: Vec<String> = parts.iter().map(i64::to_string).collect();
                out.push(
                    Finding::new(
                        RuleId::TextParts,
                        format!(
                            "第{numeral}部分正文：共{whole}{unit}，其中各项 {}={sum}{unit}，超过总数",
                            shown.join("+")
                        ),
                    )
                    .at(numeral, None, None)
                    .values(whole, sum),
                );
            }
        }
        i = end.max(i + 1);
    }
}

fn collect_parts(t: &[char], start: usize, unit: char) -> (Vec<i64>, usize) {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut j = start;
    while j < t.len() {
        let c = t[j];
        match c {
            '(' | '【' | '[' => depth += 1,
            ')' | '】' | ']' => {
                depth -= 1;
                if depth < 0 {
                    break;
                }
            }
            _ if depth == 0 && is_sentence_end(c) => break,
            _ if c.is_ascii_digit() => {
                let Some((v, after, u)) = read_count_at(t, j) else {
                    break;
                };
                if depth == 0 && v >= 0 {
                    match u {
                        Some(u) if u == unit => parts.push(v),
                        Some(_) => break,
                        None => {}
                    }
                }
                j = after;
                continue;
            }
            _ => {}
        }
        j += 1;
    }
    (parts, j)
}

/// TXT-TABLE: 「受理/收到/新收 … N 件」, 「办结 N 件」, 「上年结转 N 件」, 「N 件结转下年度」
/// against table 三's 总计 column.
fn text_table(t: &[char], numeral: &str, req: &Requests, out: &mut Vec<Finding>) {
    let total = |r: Table3Row| req.get(&r).map(|_| effective(req, r, TOTAL_COLUMN));
    let new = total(Table3Row::NewReceived);
    let carried_in = total(Table3Row::CarriedIn);
    let results = total(Table3Row::ResultsTotal);
    let carried_out = total(Table3Row::CarriedOut);
    let mut i = 0;
    while i + 1 < t.len() {
        let pair = [t[i], t[i + 1]];
        match pair {
            ['受', '理'] | ['收', '到'] | ['新', '收'] => {
                let negated = i >= 2 && matches!([t[i - 2], t[i - 1]], ['不', '予'] | ['未', '予'])
                    || i >= 1 && t[i - 1] == '未';
                if let (false, Some((n, end))) = (negated, clause_count(t, i + 2)) {
                    let about_applications = t[i..(end + 6).min(t.len())].contains(&'申');
                    if let (true, Some(new)) = (about_applications, new) {
                        let kw: String = pair.iter().collect();
                        let with_carried = new + carried_in.unwrap_or(0);
                        if n != new && n != with_carried {
                            out.push(prose_vs_table(
                                numeral,
                                &format!("{kw}申请 {n} 件"),
                                "一、本年新收政府信息公开申请数量",
                                Table3Row::NewReceived,
                                new,
                                n,
                            ));
                        }
                    }
                    i = end;
                    continue;
                }
            }
            ['办', '结'] => {
                let negated = i >= 1 && t[i - 1] == '未';
                if let (false, Some((n, end)), Some(res)) =
                    (negated, clause_count(t, i + 2), results)
                {
                    if n != res {
                        out.push(prose_vs_table(
                            numeral,
                            &format!("办结 {n} 件"),
                            "（七）总计",
                            Table3Row::ResultsTotal,
                            res,
                            n,
                        ));
                    }
                    i = end;
                    continue;
                }
            }
            ['结', '转'] => {
                let before: String = t[i.saturating_sub(3)..i].iter().collect();
                let after: String = t[i + 2..(i + 6).min(t.len())].iter().collect();
                if before.contains("上年") || before.contains("上一年") {
                    if let (Some((n, end)), Some(v)) = (clause_count(t, i + 2), carried_in) {
                        if n != v {
                            out.push(prose_vs_table(
                                numeral,
                                &format!("上年结转 {n} 件"),
                                "二、上年结转政府信息公开申请数量",
                                Table3Row::CarriedIn,
                                v,
                                n,
                            ));
                        }
                        i = end;
                        continue;
                    }
                } else if after.contains("下") {
                    let n = count_before(t, i).or_else(|| clause_count(t, i + 2).map(|x| x.0));
                    if let (Some(n), Some(v)) = (n, carried_out)
                        && n != v
                    {
                        out.push(prose_vs_table(
                            numeral,
                            &format!("结转下年度 {n} 件"),
                            "四、结转下年度继续办理",
                            Table3Row::CarriedOut,
                            v,
                            n,
                        ));
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
}

/// The first 「N件」 in the clause starting at `from` (up to 25 characters, not crossing a
/// comma or full stop): `(N, index after 件)`.
fn clause_count(t: &[char], from: usize) -> Option<(i64, usize)> {
    let mut j = from;
    while j < t.len() && j < from + 25 {
        let c = t[j];
        if matches!(c, ',' | '。' | ';' | ':' | '(' | '、') {
            return None;
        }
        if c.is_ascii_digit() {
            let (v, after, unit) = read_count_at(t, j)?;
            return match unit {
                Some('件') if v >= 0 => Some((v, after)),
                _ => None,
            };
        }
        j += 1;
    }
    None
}

/// 「N件」 right before index `i` (e.g. 「1件结转下年度」).
fn count_before(t: &[char], i: usize) -> Option<i64> {
    let mut j = i;
    while j > 0 && t[j - 1] == ' ' {
        j -= 1;
    }
    if j == 0 || t[j - 1] != '件' {
        return None;
    }
    j -= 1;
    while j > 0 && t[j - 1] == ' ' {
        j -= 1;
    }
    let end = j;
    while j > 0 && t[j - 1].is_ascii_digit() {
        j -= 1;
    }
    if j == end {
        return None;
    }
    t[j..end].iter().collect::<String>().parse().ok()
}

fn prose_vs_table(
    numeral: &str,
    said: &str,
    row_label: &str,
    row: Table3Row,
    table: i64,
    prose: i64,
) -> Finding {
    Finding::new(
        RuleId::TextTable,
        format!("第{numeral}部分正文称「{said}」，而表三「{row_label}」总计为 {table}"),
    )
    .at(numeral, Some(row.key()), Some("total"))
    .values(table, prose)
}

// ---------------------------------------------------------------------------------------------
// Order and de-duplication (used by `parse::check_parsed`)

/// Sort key putting findings in the form's order: report-wide first, then by part (一…六), row
/// and column as printed.
pub(crate) fn order_key(f: &Finding) -> (usize, usize, usize) {
    const PARTS: [&str; 6] = ["一", "二", "三", "四", "五", "六"];
    const PRO_ROWS: [&str; 8] = [
        "regulations",
        "normative_documents",
        "licensing",
        "other_services",
        "penalty",
        "enforcement",
        "fees",
        "procurement",
    ];
    const PRO_COLS: [&str; 11] = [
        "made",
        "published",
        "total_published",
        "prev_items",
        "change",
        "decisions",
        "items",
        "amount_wan",
        "issued",
        "repealed",
        "in_force",
    ];
    let part = f
        .table
        .as_deref()
        .and_then(|t| PARTS.iter().position(|p| *p == t))
        .map_or(0, |p| p + 1);
    let row = f.row.as_deref().map_or(0, |r| {
        1 + match part {
            2 => PRO_ROWS.iter().position(|k| *k == r).unwrap_or(99),
            3 => Table3Row::from_key(r)
                .and_then(|row| Table3Row::EVERY.iter().position(|x| *x == row))
                .unwrap_or(99),
            4 => APPEAL_GROUPS
                .iter()
                .position(|(k, _)| *k == r)
                .unwrap_or(99),
            _ => 0,
        }
    });
    let col = f.column.as_deref().map_or(0, |c| {
        1 + match part {
            2 => PRO_COLS.iter().position(|k| *k == c).unwrap_or(99),
            3 if c == "subtotal" => 6,
            3 => TABLE3_COLUMNS
                .iter()
                .position(|k| *k == c)
                .map_or(99, |p| if p == 6 { 7 } else { p }),
            4 => TABLE4_COLUMNS.iter().position(|k| *k == c).unwrap_or(99),
            _ => 0,
        }
    });
    (part, row, col)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_serialise_as_the_spec_writes_them() {
        for r in RuleId::ALL {
            let s = serde_json::to_string(&r).unwrap();
            assert_eq!(s, format!("\"{}\"", r.id()));
            assert_eq!(RuleId::parse(r.id()), Some(r));
        }
        let f = Finding::new(RuleId::Table3Balance, "x")
            .at("三", Some("results_total"), Some("total"))
            .values(1, 2);
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["rule"], "T3-BALANCE");
        assert_eq!(v["severity"], "error");
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        for k in [
            "rule", "severity", "table", "row", "column", "expected", "found", "message",
        ] {
            assert!(keys.contains(&k), "{k}");
        }
    }

    #[test]
    fn a_zero_report_is_clean_and_blanks_are_counted_once() {
        let mut r = Report::zero("x", 2020, ReportFormat::Trial2019);
        assert!(check(&r).is_empty());
        // A blank total is the sum of its parts: one CELL-BLANK, no T3-ROW-TOTAL.
        r.requests.get_mut(&Table3Row::NewReceived).unwrap()[0] = Some(3);
        r.requests.get_mut(&Table3Row::NewReceived).unwrap()[6] = None;
        r.requests.get_mut(&Table3Row::Disclosed).unwrap()[0] = Some(3);
        r.requests.get_mut(&Table3Row::Disclosed).unwrap()[6] = Some(3);
        r.requests.get_mut(&Table3Row::ResultsTotal).unwrap()[0] = None;
        r.requests.get_mut(&Table3Row::ResultsTotal).unwrap()[6] = Some(3);
        let f = check(&r);
        let ids: Vec<&str> = f.iter().map(|f| f.rule.id()).collect();
        assert_eq!(ids, ["CELL-BLANK", "CELL-BLANK"], "{f:#?}");
    }

    #[test]
    fn balance_message_names_the_cells_as_printed() {
        let mut r = Report::zero("x", 2020, ReportFormat::Trial2019);
        let set = |r: &mut Report, row, v: [i64; 7]| {
            *r.requests.get_mut(&row).unwrap() = v.map(Some);
        };
        set(&mut r, Table3Row::NewReceived, [10, 2, 0, 0, 0, 0, 12]);
        set(&mut r, Table3Row::CarriedIn, [2, 0, 0, 0, 0, 0, 2]);
        set(&mut r, Table3Row::Disclosed, [11, 2, 0, 0, 0, 0, 13]);
        set(&mut r, Table3Row::ResultsTotal, [11, 2, 0, 0, 0, 0, 13]);
        let f = check(&r);
        assert_eq!(f.len(), 2, "{f:#?}");
        assert_eq!(
            f[0].message,
            "表三 自然人列：第一项+第二项（10+2）≠ 第三项+第四项（11+0）"
        );
        assert_eq!(f[0].rule, RuleId::Table3Balance);
        assert_eq!(f[1].column.as_deref(), Some("total"));
    }

    #[test]
    fn prose_parts_stop_at_another_unit_and_skip_nested_breakdowns() {
        let mut r = Report::zero("x", 2020, ReportFormat::Trial2019);
        r.sections.insert(
            "1".into(),
            "全年共主动公开政府信息5863条。其中，通过政府网站主动公开信息4884条，县直部门公开589条，乡镇公开525条，维护专题专栏39个，解读政策材料32条。\n今年共发布380条财政资金信息，其中专项资金152条，预决算公开197条（政府预决算32条、部门预决算公开165条）、“三公”经费27条、债券发行4条。".into(),
        );
        let f = check(&r);
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].rule, RuleId::TextParts);
        assert_eq!(f[0].found, Some(Value::from(5998)));
    }

    #[test]
    fn prose_figures_are_compared_with_table_3() {
        let mut r = Report::zero("x", 2021, ReportFormat::Current2021);
        *r.requests.get_mut(&Table3Row::NewReceived).unwrap() = [70, 0, 0, 0, 0, 0, 70].map(Some);
        *r.requests.get_mut(&Table3Row::OtherOther).unwrap() = [69, 0, 0, 0, 0, 0, 69].map(Some);
        *r.requests.get_mut(&Table3Row::ResultsTotal).unwrap() = [69, 0, 0, 0, 0, 0, 69].map(Some);
        *r.requests.get_mut(&Table3Row::CarriedOut).unwrap() = [1, 0, 0, 0, 0, 0, 1].map(Some);
        r.sections.insert(
            "1".into(),
            "本年度全区共收到70件申请，及时依法依规办结69件，1件结转下年度继续办理。".into(),
        );
        assert!(check(&r).is_empty(), "{:#?}", check(&r));
        r.sections.insert(
            "1".into(),
            "全年共受理政府信息公开申请 72 件，办结 68 件，2件结转下年度。".into(),
        );
        let f = check(&r);
        let ids: Vec<_> = f
            .iter()
            .map(|f| (f.rule.id(), f.row.clone().unwrap()))
            .collect();
        assert_eq!(ids.len(), 3, "{f:#?}");
        assert!(f.iter().all(|f| f.rule == RuleId::TextTable));
    }

    #[test]
    fn carry_over_compares_columns() {
        let mut prev = Report::zero("x", 2019, ReportFormat::Trial2019);
        let cur = Report::zero("x", 2020, ReportFormat::Trial2019);
        *prev.requests.get_mut(&Table3Row::CarriedOut).unwrap() = [2, 0, 0, 0, 0, 0, 2].map(Some);
        let f = check_carry(&prev, &cur);
        assert_eq!(f.len(), 2);
        assert!(
            f.iter()
                .all(|f| f.rule == RuleId::CarryOver && f.is_error())
        );
    }

    #[test]
    fn version_mismatch_and_negative_counts() {
        let mut r = Report::zero("x", 2022, ReportFormat::Trial2019);
        if let Proactive::Trial2019(p) = &mut r.proactive {
            p.licensing.change = Some(-18);
            p.licensing.decisions = Some(-1);
        }
        let ids: Vec<&str> = check(&r).iter().map(|f| f.rule.id()).collect();
        assert_eq!(ids, ["FMT-VERSION", "NUM-INVALID"]);
    }
}
