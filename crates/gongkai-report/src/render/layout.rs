//! The three tables of the national form as grids of cells with their merges.
//!
//! Every renderer draws from this one description, so the text, Markdown, HTML, DOCX and XLSX
//! outputs cannot drift apart: a cell sits at an absolute (row, column) with a row and column
//! span exactly as the printed form merges it. Text and Markdown spread a merged cell into runs
//! of empty cells (what a reader gets when copying the form out of Word); HTML, DOCX and XLSX
//! merge them for real.

use crate::model::{
    APPEAL_COLUMNS, APPEAL_GROUPS, Amount, Appeals, Count, Proactive, Proactive2019, Proactive2021,
    Report, ReportFormat, Requests, TOTAL_COLUMN, Table3Row,
};
use gongkai_law::ApplicantKind;

/// The six section titles, in the order the form requires.
pub(crate) const SECTION_TITLES: [&str; 6] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

/// Printed when a prose section is not in the report, so the six headings stay in order.
pub(crate) const PLACEHOLDER: &str = "（本部分内容未填写。）";

// Header texts printed on the form that the model does not carry (it names rows and columns by
// key). Row labels of table 三 and the columns of table 四 come from `gongkai-law` and the model.
const RECONCILIATION: &str = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）";
const APPLICANTS: &str = "申请人情况";
const LEGAL_PERSONS: &str = "法人或其他组织";
const TOTAL: &str = "总计";
const RESULTS: &str = "三、本年度办理结果";
const CONTENT: &str = "信息内容";
const LITIGATION: &str = "行政诉讼";
const LITIGATION_DIRECT: &str = "未经复议直接起诉";
const LITIGATION_AFTER: &str = "复议后起诉";

/// Which of the three tables a grid is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TableId {
    /// 表二 主动公开
    Proactive,
    /// 表三 依申请公开
    Requests,
    /// 表四 复议诉讼
    Appeals,
}

impl TableId {
    /// The table's caption (HTML `<caption>`, the XLSX sheet's title row).
    pub(crate) fn caption(self) -> &'static str {
        match self {
            TableId::Proactive => "表二　主动公开政府信息情况",
            TableId::Requests => "表三　收到和处理政府信息公开申请情况",
            TableId::Appeals => "表四　政府信息公开行政复议、行政诉讼情况",
        }
    }

    /// The XLSX sheet name (short: Excel allows 31 characters).
    pub(crate) fn sheet_name(self) -> &'static str {
        match self {
            TableId::Proactive => "表二 主动公开",
            TableId::Requests => "表三 依申请公开",
            TableId::Appeals => "表四 复议诉讼",
        }
    }
}

/// What a cell holds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Content {
    /// A label.
    Text(String),
    /// A count; `None` prints as an empty cell.
    Count(Count),
    /// An amount in 万元, printed with at least `min_decimals` decimals.
    Amount {
        /// The value; `None` prints as an empty cell.
        value: Amount,
        /// The decimals the form asks for (4 for the 2019 procurement total, else 0).
        min_decimals: usize,
    },
}

impl Content {
    /// The cell as printed.
    pub(crate) fn text(&self) -> String {
        match self {
            Content::Text(s) => s.clone(),
            Content::Count(c) => c.map(|n| n.to_string()).unwrap_or_default(),
            Content::Amount {
                value,
                min_decimals,
            } => value
                .map(|v| amount_text(v, *min_decimals))
                .unwrap_or_default(),
        }
    }

    /// Whether the cell holds a number (or a blank where the form wants one).
    pub(crate) fn is_number(&self) -> bool {
        !matches!(self, Content::Text(_))
    }
}

/// Writes an amount with at least `min_decimals` decimals, never rounding digits away: the
/// form asks 4 decimals for the 2019 procurement total, but an agency that wrote six must get
/// its six back (render → parse has to give the same report).
pub(crate) fn amount_text(v: f64, min_decimals: usize) -> String {
    let s = format!("{v}");
    let have = s.split_once('.').map_or(0, |(_, d)| d.len());
    if have >= min_decimals {
        s
    } else {
        format!("{v:.min_decimals$}")
    }
}

/// How a cell reads to assistive technology and which style it gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A column (or column group) header.
    ColHeader,
    /// A row (or row group) header: the labels on the left.
    RowHeader,
    /// A value.
    Data,
}

/// One cell of a grid, at its top-left position.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cell {
    /// Row of the top-left corner.
    pub(crate) row: usize,
    /// Column of the top-left corner.
    pub(crate) col: usize,
    /// Rows covered (≥ 1).
    pub(crate) rowspan: usize,
    /// Columns covered (≥ 1).
    pub(crate) colspan: usize,
    /// Header or data.
    pub(crate) role: Role,
    /// What it holds.
    pub(crate) content: Content,
}

/// One table of the form.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Grid {
    /// Which table.
    pub(crate) id: TableId,
    /// Number of columns.
    pub(crate) ncols: usize,
    /// Number of rows.
    pub(crate) nrows: usize,
    /// Rows at the top that are the column header (HTML `<thead>`).
    pub(crate) header_rows: usize,
    /// Relative column widths (in characters, roughly), one per column.
    pub(crate) widths: Vec<usize>,
    /// The cells, in reading order (row, then column).
    pub(crate) cells: Vec<Cell>,
}

impl Grid {
    fn new(id: TableId, widths: Vec<usize>) -> Grid {
        Grid {
            id,
            ncols: widths.len(),
            nrows: 0,
            header_rows: 0,
            widths,
            cells: Vec::new(),
        }
    }

    fn put(&mut self, row: usize, col: usize, span: (usize, usize), role: Role, content: Content) {
        self.nrows = self.nrows.max(row + span.0);
        self.cells.push(Cell {
            row,
            col,
            rowspan: span.0,
            colspan: span.1,
            role,
            content,
        });
    }

    fn label(&mut self, row: usize, col: usize, span: (usize, usize), role: Role, s: &str) {
        self.put(row, col, span, role, Content::Text(s.to_string()));
    }

    /// The cells of one row, in column order.
    pub(crate) fn row_cells(&self, row: usize) -> impl Iterator<Item = &Cell> {
        self.cells.iter().filter(move |c| c.row == row)
    }

    /// The grid spread out: every position, with a merged cell's text at its top-left corner
    /// and empty strings where it spans. This is how a merged table reads once copied as text.
    pub(crate) fn spread(&self) -> Vec<Vec<String>> {
        let mut m = vec![vec![String::new(); self.ncols]; self.nrows];
        for c in &self.cells {
            if let Some(slot) = m.get_mut(c.row).and_then(|r| r.get_mut(c.col)) {
                *slot = c.content.text();
            }
        }
        m
    }

    /// For each position, the cell covering it (its index in `cells`), if any.
    pub(crate) fn coverage(&self) -> Vec<Vec<Option<usize>>> {
        let mut m = vec![vec![None; self.ncols]; self.nrows];
        for (i, c) in self.cells.iter().enumerate() {
            for r in c.row..c.row + c.rowspan {
                for k in c.col..c.col + c.colspan {
                    if let Some(slot) = m.get_mut(r).and_then(|row| row.get_mut(k)) {
                        *slot = Some(i);
                    }
                }
            }
        }
        m
    }
}

/// The three tables of a report, in the form's order.
pub(crate) fn grids(r: &Report) -> [Grid; 3] {
    [
        proactive(&r.proactive),
        requests(r.format, &r.requests),
        appeals(&r.appeals),
    ]
}

fn count(c: Count) -> Content {
    Content::Count(c)
}

/// Table 二. Each 第二十条 block is a full-width row, then a header row, then its rows; where a
/// block has fewer value columns than four, its last column spans the rest, as on the form.
fn proactive(p: &Proactive) -> Grid {
    let mut g = Grid::new(TableId::Proactive, vec![20, 14, 14, 14]);
    let mut row = 0;
    let mut block = |g: &mut Grid, title: &str, heads: &[&str], rows: &[(&str, Vec<Content>)]| {
        g.label(row, 0, (1, 4), Role::ColHeader, title);
        row += 1;
        let span = |i: usize, n: usize| if i + 1 == n { 4 - n } else { 1 };
        g.label(row, 0, (1, 1), Role::ColHeader, CONTENT);
        for (i, h) in heads.iter().enumerate() {
            g.label(row, 1 + i, (1, span(i, heads.len())), Role::ColHeader, h);
        }
        row += 1;
        for (label, values) in rows {
            g.label(row, 0, (1, 1), Role::RowHeader, label);
            for (i, v) in values.iter().enumerate() {
                g.put(
                    row,
                    1 + i,
                    (1, span(i, values.len())),
                    Role::Data,
                    v.clone(),
                );
            }
            row += 1;
        }
    };
    match p {
        Proactive::Trial2019(p) => proactive_2019(&mut g, p, &mut block),
        Proactive::Current2021(p) => proactive_2021(&mut g, p, &mut block),
    }
    g
}

type Block<'a> = dyn FnMut(&mut Grid, &str, &[&str], &[(&str, Vec<Content>)]) + 'a;

fn proactive_2019(g: &mut Grid, p: &Proactive2019, block: &mut Block<'_>) {
    let docs = |d: &crate::model::Documents2019| {
        vec![count(d.made), count(d.published), count(d.total_published)]
    };
    let matters = |m: &crate::model::Matters2019| {
        vec![count(m.prev_items), count(m.change), count(m.decisions)]
    };
    let matter_heads = ["上一年项目数量", "本年增/减", "处理决定数量"];
    block(
        g,
        "第二十条第（一）项",
        &["本年新制作数量", "本年新公开数量", "对外公开总数量"],
        &[
            ("规章", docs(&p.regulations)),
            ("规范性文件", docs(&p.normative_documents)),
        ],
    );
    block(
        g,
        "第二十条第（五）项",
        &matter_heads,
        &[
            ("行政许可", matters(&p.licensing)),
            ("其他对外管理服务事项", matters(&p.other_services)),
        ],
    );
    block(
        g,
        "第二十条第（六）项",
        &matter_heads,
        &[
            ("行政处罚", matters(&p.penalty)),
            ("行政强制", matters(&p.enforcement)),
        ],
    );
    block(
        g,
        "第二十条第（八）项",
        &["上一年项目数量", "本年增/减"],
        &[(
            "行政事业性收费",
            vec![count(p.fees.prev_items), count(p.fees.change)],
        )],
    );
    block(
        g,
        "第二十条第（九）项",
        &["采购项目数量", "采购总金额（单位：万元，保留4位小数）"],
        &[(
            "政府集中采购",
            vec![
                count(p.procurement.items),
                Content::Amount {
                    value: p.procurement.amount_wan,
                    min_decimals: 4,
                },
            ],
        )],
    );
}

fn proactive_2021(g: &mut Grid, p: &Proactive2021, block: &mut Block<'_>) {
    let docs = |d: &crate::model::Documents2021| {
        vec![count(d.issued), count(d.repealed), count(d.in_force)]
    };
    let decisions = "本年处理决定数量";
    block(
        g,
        "第二十条第（一）项",
        &["本年制发件数", "本年废止件数", "现行有效件数"],
        &[
            ("规章", docs(&p.regulations)),
            ("行政规范性文件", docs(&p.normative_documents)),
        ],
    );
    block(
        g,
        "第二十条第（五）项",
        &[decisions],
        &[("行政许可", vec![count(p.licensing.decisions)])],
    );
    block(
        g,
        "第二十条第（六）项",
        &[decisions],
        &[
            ("行政处罚", vec![count(p.penalty.decisions)]),
            ("行政强制", vec![count(p.enforcement.decisions)]),
        ],
    );
    block(
        g,
        "第二十条第（八）项",
        &["本年收费金额（单位：万元）"],
        &[(
            "行政事业性收费",
            vec![Content::Amount {
                value: p.fees.amount_wan,
                min_decimals: 0,
            }],
        )],
    );
}

/// The rows table 三 prints: every row of the format, plus any other row the report holds
/// (a 2021 report that kept the 2019 single (六) row), in the order of [`Table3Row::EVERY`].
pub(crate) fn table3_rows(format: ReportFormat, requests: &Requests) -> Vec<Table3Row> {
    let of_format = Table3Row::rows(format);
    Table3Row::EVERY
        .iter()
        .copied()
        .filter(|r| of_format.contains(r) || requests.contains_key(r))
        .collect()
}

/// Whether a result row is a whole group printed on one line ((一), (二), 2019's (六)).
fn is_group_row(r: Table3Row) -> bool {
    r.label() == r.group().label()
}

/// Table 三: three label columns (the form's merged label area) and the seven number columns.
fn requests(format: ReportFormat, requests: &Requests) -> Grid {
    let mut widths = vec![8, 10, 22];
    widths.extend([7; 7]);
    let mut g = Grid::new(TableId::Requests, widths);
    g.label(0, 0, (3, 3), Role::ColHeader, RECONCILIATION);
    g.label(0, 3, (1, 7), Role::ColHeader, APPLICANTS);
    g.label(
        1,
        3,
        (2, 1),
        Role::ColHeader,
        ApplicantKind::NaturalPerson.label(),
    );
    g.label(1, 4, (1, 5), Role::ColHeader, LEGAL_PERSONS);
    g.label(1, 3 + TOTAL_COLUMN, (2, 1), Role::ColHeader, TOTAL);
    for k in &ApplicantKind::ALL[1..] {
        g.label(2, 3 + k.column(), (1, 1), Role::ColHeader, k.label());
    }
    g.header_rows = 3;

    let rows = table3_rows(format, requests);
    let first = 3;
    // Rows (一)…(七) sit under one 三、本年度办理结果 cell.
    let results: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.is_result() || **r == Table3Row::ResultsTotal)
        .map(|(i, _)| i)
        .collect();
    if let (Some(a), Some(b)) = (results.first(), results.last()) {
        g.label(first + a, 0, (b - a + 1, 1), Role::RowHeader, RESULTS);
    }
    let mut i = 0;
    while i < rows.len() {
        let r = rows[i];
        let at = first + i;
        if r.is_result() && !is_group_row(r) {
            // A group of numbered leaves: the group's label spans them.
            let n = rows[i..]
                .iter()
                .take_while(|x| x.group() == r.group() && !is_group_row(**x))
                .count();
            g.label(at, 1, (n, 1), Role::RowHeader, r.group().label());
            for (j, leaf) in rows[i..i + n].iter().enumerate() {
                g.label(at + j, 2, (1, 1), Role::RowHeader, leaf.label());
                values7(&mut g, at + j, requests.get(leaf));
            }
            i += n;
            continue;
        }
        if r.is_result() || r == Table3Row::ResultsTotal {
            g.label(at, 1, (1, 2), Role::RowHeader, r.label());
        } else {
            g.label(at, 0, (1, 3), Role::RowHeader, r.label());
        }
        values7(&mut g, at, requests.get(&r));
        i += 1;
    }
    g
}

fn values7(g: &mut Grid, row: usize, v: Option<&[Count; 7]>) {
    for k in 0..7 {
        let c = v.and_then(|v| v.get(k).copied()).flatten();
        g.put(row, 3 + k, (1, 1), Role::Data, count(c));
    }
}

/// Table 四: 行政复议 (5 columns) then 行政诉讼 split into its two kinds (5 columns each).
fn appeals(a: &Appeals) -> Grid {
    let mut g = Grid::new(TableId::Appeals, vec![6; 15]);
    g.label(0, 0, (1, 5), Role::ColHeader, APPEAL_GROUPS[0].1);
    g.label(0, 5, (1, 10), Role::ColHeader, LITIGATION);
    for (i, h) in APPEAL_COLUMNS.iter().enumerate() {
        g.label(1, i, (2, 1), Role::ColHeader, h);
    }
    g.label(1, 5, (1, 5), Role::ColHeader, LITIGATION_DIRECT);
    g.label(1, 10, (1, 5), Role::ColHeader, LITIGATION_AFTER);
    for block in 1..3 {
        for (i, h) in APPEAL_COLUMNS.iter().enumerate() {
            g.label(2, block * 5 + i, (1, 1), Role::ColHeader, h);
        }
    }
    g.header_rows = 3;
    for (b, (_, row)) in a.groups().iter().enumerate() {
        for (i, v) in row.iter().enumerate() {
            g.put(3, b * 5 + i, (1, 1), Role::Data, count(*v));
        }
    }
    g
}

/// The title line of a report.
pub(crate) fn title(r: &Report) -> String {
    format!("{}{}年政府信息公开工作年度报告", r.agency, r.year)
}

/// The prose of section `n` (1-based) as non-empty trimmed lines, if the report has any.
pub(crate) fn prose(r: &Report, n: usize) -> Option<Vec<&str>> {
    let text = r.sections.get(&n.to_string())?;
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    (!lines.is_empty()).then_some(lines)
}

/// Which table, if any, section `n` (1-based) holds.
pub(crate) fn section_table(n: usize) -> Option<usize> {
    match n {
        2..=4 => Some(n - 2),
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test that cannot unwrap should fail loudly
mod tests {
    use super::*;

    fn zero(f: ReportFormat) -> Report {
        Report::zero("某机关", 2021, f)
    }

    #[test]
    fn no_two_cells_overlap_and_every_position_is_covered() {
        for f in [ReportFormat::Trial2019, ReportFormat::Current2021] {
            for g in grids(&zero(f)) {
                let mut seen = vec![vec![0; g.ncols]; g.nrows];
                for c in &g.cells {
                    assert!(c.rowspan >= 1 && c.colspan >= 1);
                    for row in seen.iter_mut().skip(c.row).take(c.rowspan) {
                        for n in row.iter_mut().skip(c.col).take(c.colspan) {
                            *n += 1;
                        }
                    }
                }
                for (r, row) in seen.iter().enumerate() {
                    for (k, n) in row.iter().enumerate() {
                        assert_eq!(*n, 1, "{:?} {f:?} at ({r}, {k})", g.id);
                    }
                }
            }
        }
    }

    #[test]
    fn table3_spreads_like_the_printed_form() {
        let g = requests(
            ReportFormat::Trial2019,
            &zero(ReportFormat::Trial2019).requests,
        );
        let s = g.spread();
        assert_eq!(s[0][0], RECONCILIATION);
        assert_eq!(s[0][3], "申请人情况");
        assert_eq!(s[1][3], "自然人");
        assert_eq!(s[1][4], "法人或其他组织");
        assert_eq!(s[1][9], "总计");
        assert_eq!(
            s[2][4..9].join("|"),
            "商业企业|科研机构|社会公益组织|法律服务机构|其他"
        );
        assert_eq!(s[3][0], "一、本年新收政府信息公开申请数量");
        assert_eq!(s[5][0], "三、本年度办理结果");
        assert_eq!(s[5][1], "（一）予以公开");
        assert_eq!(s[7][1], "（三）不予公开");
        assert_eq!(s[7][2], "1.属于国家秘密");
        assert_eq!(s[8][1], "");
        assert_eq!(s[23][1], "（六）其他处理");
        assert_eq!(s[24][1], "（七）总计");
        assert_eq!(s[25][0], "四、结转下年度继续办理");
        assert_eq!(g.nrows, 26);
    }

    #[test]
    fn a_2021_report_keeping_the_single_other_row_prints_it() {
        let mut r = zero(ReportFormat::Current2021);
        r.requests.insert(Table3Row::Other, [Some(3); 7]);
        let rows = table3_rows(r.format, &r.requests);
        assert!(rows.contains(&Table3Row::Other) && rows.contains(&Table3Row::OtherOther));
        let s = requests(r.format, &r.requests).spread();
        assert!(
            s.iter()
                .any(|row| row[1] == "（六）其他处理" && row[3] == "3")
        );
    }

    #[test]
    fn amounts_keep_their_digits_and_get_the_forms_decimals() {
        assert_eq!(amount_text(111.1, 4), "111.1000");
        assert_eq!(amount_text(7539.443252, 4), "7539.443252");
        assert_eq!(amount_text(0.0, 4), "0.0000");
        assert_eq!(amount_text(24252.311082, 0), "24252.311082");
        assert_eq!(amount_text(0.0, 0), "0");
    }
}
