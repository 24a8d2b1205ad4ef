//! What the workbench shows, computed from the stored records without I/O: the region tree,
//! each unit's state for a year (reported, late, missing), the risk score with its terms, the
//! region roll-up with its double-count flags, and the 通报 (XLSX and DOCX) drafted from the
//! same figures.
//!
//! ## The risk score (风险评分)
//!
//! Each unit's score is the sum of these terms, every one shown on the page and in the export:
//!
//! | term | points |
//! |---|---|
//! | 确认错误: an error finding a person confirmed | 10 each |
//! | 待核错误: an error finding nobody decided yet | 5 each |
//! | 警告: a warning not dismissed (other than the year-over-year ones) | 1 each |
//! | 同比异常: a YOY-ZERO / YOY-JUMP / X-CARRY finding not dismissed | 3 each |
//! | 逾期: published after the deadline | 10 |
//! | 未报送: no report for the year | 30 |
//!
//! A dismissed finding counts nothing. X-CARRY is an error of arithmetic across two years, but
//! it is counted with the year-over-year terms (3) rather than as an error of the report (it
//! may be last year's report that is wrong).
//!
//! ## Deadlines
//!
//! Art. 50 of the 条例: departments (and townships) publish by 31 January of the next year;
//! county-level and higher governments by 31 March.

use chrono::NaiveDate;
use gongkai_law::Table3Row;
use gongkai_report::Report;
use gongkai_report::aggregate::names_a_summary;
use gongkai_report::rules::{Finding, RuleId};
use gongkai_store::models::agency::{Agency, AgencyLevel};
use gongkai_store::models::oversight::{Decision, OutsideUnit, StoredReport, Verdict, finding_key};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Points per confirmed error.
pub const W_CONFIRMED_ERROR: i64 = 10;
/// Points per undecided error.
pub const W_OPEN_ERROR: i64 = 5;
/// Points per warning not dismissed.
pub const W_WARNING: i64 = 1;
/// Points per year-over-year anomaly not dismissed.
pub const W_ANOMALY: i64 = 3;
/// Points for a late report.
pub const W_LATE: i64 = 10;
/// Points for a missing report.
pub const W_MISSING: i64 = 30;

/// A level's name in Chinese.
pub fn level_label(l: AgencyLevel) -> &'static str {
    match l {
        AgencyLevel::Province => "省级",
        AgencyLevel::City => "市级",
        AgencyLevel::County => "县（区）级",
        AgencyLevel::Department => "部门",
        AgencyLevel::Township => "乡镇（街道）",
    }
}

/// Every level, from the top.
pub const LEVELS: [AgencyLevel; 5] = [
    AgencyLevel::Province,
    AgencyLevel::City,
    AgencyLevel::County,
    AgencyLevel::Department,
    AgencyLevel::Township,
];

/// The day by which a unit of `level` publishes its report of `year` (条例 Art. 50).
pub fn deadline(level: AgencyLevel, year: i32) -> Option<NaiveDate> {
    match level {
        AgencyLevel::Province | AgencyLevel::City | AgencyLevel::County => {
            NaiveDate::from_ymd_opt(year + 1, 3, 31)
        }
        AgencyLevel::Department | AgencyLevel::Township => NaiveDate::from_ymd_opt(year + 1, 1, 31),
    }
}

/// A unit of the region tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Its name (reports are matched to it by this name).
    pub name: String,
    /// Level.
    pub level: AgencyLevel,
    /// The unit above it in the tree.
    pub parent: Option<String>,
    /// Depth in the tree (0 at the top).
    pub depth: usize,
    /// Whether it is an agency of the store (else an outside unit registered by name).
    pub in_store: bool,
    /// Whether its report sums its units' (汇总): registered so, or its report says 汇总.
    pub summary: bool,
}

/// Children of each unit of the tree (by parent name; `None` the top): (name, level, in the
/// store, summary).
type Children = BTreeMap<Option<String>, Vec<(String, AgencyLevel, bool, bool)>>;

/// The region tree: the agencies of the superior's subtree and the outside units, depth-first
/// in name order; outside units without a known parent sit under the top.
pub fn tree(agencies: &[Agency], root: i64, outside: &[OutsideUnit]) -> Vec<Unit> {
    let by_id: HashMap<i64, &Agency> = agencies.iter().map(|a| (a.id, a)).collect();
    let mut children: Children = BTreeMap::new();
    let root_name = by_id.get(&root).map(|a| a.name.clone());
    for a in agencies {
        let parent = if a.id == root {
            None
        } else {
            a.parent_id
                .and_then(|p| by_id.get(&p))
                .map(|p| p.name.clone())
        };
        children
            .entry(parent)
            .or_default()
            .push((a.name.clone(), a.level, true, false));
    }
    let known: HashSet<String> = agencies
        .iter()
        .map(|a| a.name.clone())
        .chain(outside.iter().map(|u| u.name.clone()))
        .collect();
    for u in outside {
        let parent = u
            .parent_name
            .clone()
            .filter(|p| known.contains(p))
            .or_else(|| root_name.clone());
        children
            .entry(parent)
            .or_default()
            .push((u.name.clone(), u.level, false, u.summary));
    }
    for v in children.values_mut() {
        v.sort_by(|a, b| {
            let rank = |l: AgencyLevel| LEVELS.iter().position(|x| *x == l).unwrap_or(9);
            rank(a.1).cmp(&rank(b.1)).then(a.0.cmp(&b.0))
        });
    }
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    fn walk(
        parent: Option<String>,
        depth: usize,
        children: &Children,
        seen: &mut HashSet<String>,
        out: &mut Vec<Unit>,
    ) {
        let Some(kids) = children.get(&parent) else {
            return;
        };
        for (name, level, in_store, summary) in kids {
            if !seen.insert(name.clone()) {
                continue;
            }
            out.push(Unit {
                name: name.clone(),
                level: *level,
                parent: parent.clone(),
                depth,
                in_store: *in_store,
                summary: *summary,
            });
            walk(Some(name.clone()), depth + 1, children, seen, out);
        }
    }
    walk(None, 0, &children, &mut seen, &mut out);
    out
}

/// A finding with the decision in force on it.
#[derive(Debug, Clone)]
pub struct DecidedFinding {
    /// The finding.
    pub finding: Finding,
    /// Its key ([`finding_key`]).
    pub key: String,
    /// The decision in force, if any.
    pub decision: Option<Decision>,
    /// Whether it is a year-over-year finding.
    pub cross: bool,
}

impl DecidedFinding {
    /// Whether a person dismissed it.
    pub fn dismissed(&self) -> bool {
        self.decision
            .as_ref()
            .is_some_and(|d| d.verdict == Verdict::Dismissed)
    }

    /// Whether a person confirmed it.
    pub fn confirmed(&self) -> bool {
        self.decision
            .as_ref()
            .is_some_and(|d| d.verdict == Verdict::Confirmed)
    }

    /// The decision's label, or 「待核」.
    pub fn state_label(&self) -> &'static str {
        self.decision.as_ref().map_or("待核", |d| d.verdict.label())
    }
}

/// A report's findings with the decisions in force (`decisions` of its year).
pub fn decided(report: &StoredReport, decisions: &[Decision]) -> Vec<DecidedFinding> {
    let mine: HashMap<&str, &Decision> = decisions
        .iter()
        .filter(|d| d.unit_name == report.unit_name)
        .map(|d| (d.finding_key.as_str(), d))
        .collect();
    report
        .findings
        .iter()
        .map(|f| (f, false))
        .chain(report.cross.iter().map(|f| (f, true)))
        .map(|(f, cross)| {
            let key = finding_key(f);
            DecidedFinding {
                decision: mine.get(key.as_str()).map(|d| (*d).clone()),
                finding: f.clone(),
                key,
                cross,
            }
        })
        .collect()
}

/// The terms of a unit's risk score.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RiskTerms {
    /// Errors confirmed.
    pub confirmed_errors: i64,
    /// Errors nobody decided yet.
    pub open_errors: i64,
    /// Warnings not dismissed (other than year-over-year).
    pub warnings: i64,
    /// Year-over-year findings not dismissed.
    pub anomalies: i64,
    /// Published after the deadline.
    pub late: bool,
    /// No report.
    pub missing: bool,
}

impl RiskTerms {
    /// The terms of a report's decided findings.
    pub fn of(findings: &[DecidedFinding], late: bool) -> RiskTerms {
        let mut t = RiskTerms {
            late,
            ..RiskTerms::default()
        };
        for f in findings.iter().filter(|f| !f.dismissed()) {
            let yoy = f.cross
                || matches!(
                    f.finding.rule,
                    RuleId::YoyZero | RuleId::YoyJump | RuleId::CarryOver
                );
            if yoy {
                t.anomalies += 1;
            } else if f.finding.is_error() {
                if f.confirmed() {
                    t.confirmed_errors += 1;
                } else {
                    t.open_errors += 1;
                }
            } else {
                t.warnings += 1;
            }
        }
        t
    }

    /// A missing report's terms.
    pub fn missing() -> RiskTerms {
        RiskTerms {
            missing: true,
            ..RiskTerms::default()
        }
    }

    /// The score: the sum of the terms' points (see the module's table).
    pub fn score(&self) -> i64 {
        self.confirmed_errors * W_CONFIRMED_ERROR
            + self.open_errors * W_OPEN_ERROR
            + self.warnings * W_WARNING
            + self.anomalies * W_ANOMALY
            + if self.late { W_LATE } else { 0 }
            + if self.missing { W_MISSING } else { 0 }
    }

    /// The terms written out: 「确认错误 2×10=20」 …, only those that count.
    pub fn explain(&self) -> String {
        let mut parts = Vec::new();
        for (label, n, w) in [
            ("确认错误", self.confirmed_errors, W_CONFIRMED_ERROR),
            ("待核错误", self.open_errors, W_OPEN_ERROR),
            ("警告", self.warnings, W_WARNING),
            ("同比异常", self.anomalies, W_ANOMALY),
        ] {
            if n > 0 {
                parts.push(format!("{label} {n}×{w}={}", n * w));
            }
        }
        if self.late {
            parts.push(format!("逾期 {W_LATE}"));
        }
        if self.missing {
            parts.push(format!("未报送 {W_MISSING}"));
        }
        if parts.is_empty() {
            "无扣分项".to_string()
        } else {
            parts.join("；")
        }
    }
}

/// One unit's line for a year.
#[derive(Debug, Clone)]
pub struct UnitYear {
    /// The unit.
    pub unit: Unit,
    /// Its report, if held.
    pub report: Option<StoredReport>,
    /// The findings with their decisions.
    pub findings: Vec<DecidedFinding>,
    /// The deadline of its level.
    pub deadline: Option<NaiveDate>,
    /// Whether the report was published after the deadline.
    pub late: bool,
    /// The score's terms.
    pub risk: RiskTerms,
    /// Whether its report is a summary that also counts units reported separately.
    pub double_counted: bool,
}

/// Every unit's line for `year`, in tree order, plus the reports of units not in the tree
/// (shown so the office can register them).
pub fn unit_years(
    tree: &[Unit],
    reports: Vec<StoredReport>,
    decisions: &[Decision],
    year: i32,
) -> (Vec<UnitYear>, Vec<StoredReport>) {
    let mut by_unit: HashMap<String, StoredReport> = reports
        .into_iter()
        .map(|r| (r.unit_name.clone(), r))
        .collect();
    let reported: HashSet<String> = by_unit.keys().cloned().collect();
    let mut out = Vec::with_capacity(tree.len());
    for (i, u) in tree.iter().enumerate() {
        let report = by_unit.remove(&u.name);
        let deadline = deadline(u.level, year);
        let late = match (&report, deadline) {
            (Some(r), Some(d)) => r.published_on.is_some_and(|p| p > d),
            _ => false,
        };
        let findings = report
            .as_ref()
            .map(|r| decided(r, decisions))
            .unwrap_or_default();
        let risk = if report.is_some() {
            RiskTerms::of(&findings, late)
        } else {
            RiskTerms::missing()
        };
        let summary = u.summary
            || report
                .as_ref()
                .is_some_and(|r| names_a_summary(&r.report.agency, &r.file_name));
        // A summary whose descendants also reported: summing both counts them twice.
        let double_counted = summary
            && report.is_some()
            && tree[i + 1..]
                .iter()
                .take_while(|d| d.depth > u.depth)
                .any(|d| reported.contains(&d.name));
        out.push(UnitYear {
            unit: Unit {
                summary,
                ..u.clone()
            },
            report,
            findings,
            deadline,
            late,
            risk,
            double_counted,
        });
    }
    let mut rest: Vec<StoredReport> = by_unit.into_values().collect();
    rest.sort_by(|a, b| a.unit_name.cmp(&b.unit_name));
    (out, rest)
}

/// The ranking: units by score, highest first (ties by name).
pub fn ranking(units: &[UnitYear]) -> Vec<&UnitYear> {
    let mut v: Vec<&UnitYear> = units.iter().collect();
    v.sort_by(|a, b| {
        b.risk
            .score()
            .cmp(&a.risk.score())
            .then(a.unit.name.cmp(&b.unit.name))
    });
    v
}

/// The roll-up of one level: the sum of its units' tables.
#[derive(Debug, Clone)]
pub struct LevelSum {
    /// The level.
    pub level: AgencyLevel,
    /// Units of the level in the tree.
    pub units: usize,
    /// Of them, with a report summed.
    pub summed: usize,
    /// Units left out of the sum because they would count their units twice.
    pub double_counted: Vec<String>,
    /// Units left out because their report is in the other national format than the majority.
    pub other_format: Vec<String>,
    /// The sum (`None` when no report of the level could be summed).
    pub sum: Option<Report>,
}

/// The sums per level for `year`: each level's reports summed with
/// [`gongkai_report::aggregate::aggregate`], summaries flagged as double counting left out.
pub fn rollup(units: &[UnitYear], year: i32) -> Vec<LevelSum> {
    let mut out = Vec::new();
    for level in LEVELS {
        let of_level: Vec<&UnitYear> = units.iter().filter(|u| u.unit.level == level).collect();
        if of_level.is_empty() {
            continue;
        }
        let double_counted: Vec<String> = of_level
            .iter()
            .filter(|u| u.double_counted)
            .map(|u| u.unit.name.clone())
            .collect();
        let reports: Vec<&Report> = of_level
            .iter()
            .filter(|u| !u.double_counted)
            .filter_map(|u| u.report.as_ref().map(|r| &r.report))
            .collect();
        // The format most reports of the level use; the others cannot be summed with them.
        let f2021 = reports
            .iter()
            .filter(|r| r.format == gongkai_law::ReportFormat::Current2021)
            .count();
        let format = if f2021 * 2 >= reports.len() {
            gongkai_law::ReportFormat::Current2021
        } else {
            gongkai_law::ReportFormat::Trial2019
        };
        let other_format: Vec<String> = reports
            .iter()
            .filter(|r| r.format != format)
            .map(|r| r.agency.clone())
            .collect();
        let same: Vec<Report> = reports
            .into_iter()
            .filter(|r| r.format == format)
            .map(|r| {
                let mut r = r.clone();
                r.year = year;
                r
            })
            .collect();
        let sum = if same.is_empty() {
            None
        } else {
            gongkai_report::aggregate::aggregate(&same, level_label(level)).ok()
        };
        out.push(LevelSum {
            level,
            units: of_level.len(),
            summed: same.len(),
            double_counted,
            other_format,
            sum,
        });
    }
    out
}

/// The table 三 rows shown in the roll-up (总计 column).
pub const ROLLUP_ROWS: [Table3Row; 5] = [
    Table3Row::NewReceived,
    Table3Row::CarriedIn,
    Table3Row::Disclosed,
    Table3Row::ResultsTotal,
    Table3Row::CarriedOut,
];

/// A table 三 row's 总计 in a summed report (blank totals count as the sum of their parts).
pub fn total(r: &Report, row: Table3Row) -> i64 {
    gongkai_report::rules::effective(&r.requests, row, 6)
}

/// Table 四's 总计 over its three groups.
pub fn appeals_total(r: &Report) -> i64 {
    r.appeals
        .groups()
        .iter()
        .map(|(_, g)| g[4].unwrap_or_else(|| g[..4].iter().map(|v| v.unwrap_or(0)).sum()))
        .sum()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn agency(id: i64, name: &str, level: AgencyLevel, parent: Option<i64>) -> Agency {
        Agency {
            id,
            name: name.into(),
            level,
            parent_id: parent,
            credit_code: None,
        }
    }

    #[test]
    fn the_tree_puts_outside_units_under_their_parent_or_the_top() {
        let ags = vec![
            agency(1, "甲市人民政府", AgencyLevel::City, None),
            agency(2, "甲市乙县人民政府", AgencyLevel::County, Some(1)),
            agency(3, "甲市教育局", AgencyLevel::Department, Some(1)),
        ];
        let outside = vec![
            OutsideUnit {
                id: 1,
                name: "乙县财政局".into(),
                level: AgencyLevel::Department,
                parent_name: Some("甲市乙县人民政府".into()),
                summary: false,
            },
            OutsideUnit {
                id: 2,
                name: "丙镇人民政府".into(),
                level: AgencyLevel::Township,
                parent_name: Some("不存在".into()),
                summary: false,
            },
        ];
        let t = tree(&ags, 1, &outside);
        let names: Vec<(&str, usize)> = t.iter().map(|u| (u.name.as_str(), u.depth)).collect();
        assert_eq!(
            names,
            [
                ("甲市人民政府", 0),
                ("甲市乙县人民政府", 1),
                ("乙县财政局", 2),
                ("甲市教育局", 1),
                ("丙镇人民政府", 1),
            ]
        );
    }

    #[test]
    fn the_score_is_the_sum_of_its_terms() {
        let t = RiskTerms {
            confirmed_errors: 2,
            open_errors: 1,
            warnings: 3,
            anomalies: 1,
            late: true,
            missing: false,
        };
        assert_eq!(t.score(), 20 + 5 + 3 + 3 + 10);
        assert_eq!(
            t.explain(),
            "确认错误 2×10=20；待核错误 1×5=5；警告 3×1=3；同比异常 1×3=3；逾期 10"
        );
        assert_eq!(RiskTerms::missing().score(), 30);
        assert_eq!(RiskTerms::default().explain(), "无扣分项");
    }

    #[test]
    fn deadlines_follow_article_50() {
        assert_eq!(
            deadline(AgencyLevel::Department, 2024),
            NaiveDate::from_ymd_opt(2025, 1, 31)
        );
        assert_eq!(
            deadline(AgencyLevel::County, 2024),
            NaiveDate::from_ymd_opt(2025, 3, 31)
        );
    }
}
