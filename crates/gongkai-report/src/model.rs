//! The report model: one type per table of the national form, keyed exactly as the canonical
//! JSON of `spec/annual-report.md`.
//!
//! A cell is `Option`: `None` is a cell the source left blank (or filled with `/`, `-`, `—`,
//! `无`). A blank is a finding (CELL-BLANK), never silently a zero.

use std::collections::BTreeMap;

pub use gongkai_law::{ApplicantKind, ReportFormat, Table3Row};
use serde::{Deserialize, Serialize};

/// A count cell: `None` when the source left it blank.
pub type Count = Option<i64>;
/// An amount cell in 万元: `None` when blank.
pub type Amount = Option<f64>;
/// A row of table 三: the six applicant columns then 总计, in the form's order.
pub type Row7 = [Count; 7];
/// A group of table 四: 结果维持 · 结果纠正 · 其他结果 · 尚未审结 · 总计.
pub type Row5 = [Count; 5];

/// Index of 总计 in a [`Row7`].
pub const TOTAL_COLUMN: usize = 6;

/// One agency's annual report for one year, in one of the two national formats.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The agency that publishes the report, e.g. 夏邑县人民政府.
    pub agency: String,
    /// The report year (统计期限).
    pub year: i32,
    /// Which national format the tables follow (read from the table headers, not the year).
    pub format: ReportFormat,
    /// Table 二 — 主动公开政府信息情况.
    pub proactive: Proactive,
    /// Table 三 — 收到和处理政府信息公开申请情况.
    pub requests: Requests,
    /// Table 四 — 行政复议、行政诉讼情况.
    pub appeals: Appeals,
    /// The prose sections (`"1"`, `"5"`, `"6"` …) when known; readers must not require them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub sections: BTreeMap<String, String>,
}

/// Table 二 in either format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Proactive {
    /// Format `2019`.
    Trial2019(Proactive2019),
    /// Format `2021`.
    Current2021(Proactive2021),
}

/// Table 二 of format `2019`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Proactive2019 {
    /// 规章 (第二十条第（一）项)
    pub regulations: Documents2019,
    /// 规范性文件
    pub normative_documents: Documents2019,
    /// 行政许可 (第二十条第（五）项)
    pub licensing: Matters2019,
    /// 其他对外管理服务事项
    pub other_services: Matters2019,
    /// 行政处罚 (第二十条第（六）项)
    pub penalty: Matters2019,
    /// 行政强制
    pub enforcement: Matters2019,
    /// 行政事业性收费 (第二十条第（八）项)
    pub fees: Fees2019,
    /// 政府集中采购 (第二十条第（九）项)
    pub procurement: Procurement2019,
}

/// 规章 / 规范性文件 in format `2019`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Documents2019 {
    /// 本年新制作数量
    pub made: Count,
    /// 本年新公开数量
    pub published: Count,
    /// 对外公开总数量
    pub total_published: Count,
}

/// 行政许可, 其他对外管理服务事项, 行政处罚, 行政强制 in format `2019`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Matters2019 {
    /// 上一年项目数量
    pub prev_items: Count,
    /// 本年增/减 (may be negative)
    pub change: Count,
    /// 处理决定数量
    pub decisions: Count,
}

/// 行政事业性收费 in format `2019`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Fees2019 {
    /// 上一年项目数量
    pub prev_items: Count,
    /// 本年增/减 (may be negative)
    pub change: Count,
}

/// 政府集中采购 in format `2019`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Procurement2019 {
    /// 采购项目数量
    pub items: Count,
    /// 采购总金额（单位：万元，保留4位小数）
    #[serde(serialize_with = "serialize_amount")]
    pub amount_wan: Amount,
}

/// Table 二 of format `2021`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Proactive2021 {
    /// 规章 (第二十条第（一）项)
    pub regulations: Documents2021,
    /// 行政规范性文件
    pub normative_documents: Documents2021,
    /// 行政许可 (第二十条第（五）项)
    pub licensing: Decisions2021,
    /// 行政处罚 (第二十条第（六）项)
    pub penalty: Decisions2021,
    /// 行政强制
    pub enforcement: Decisions2021,
    /// 行政事业性收费 (第二十条第（八）项)
    pub fees: Fees2021,
}

/// 规章 / 行政规范性文件 in format `2021`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Documents2021 {
    /// 本年制发件数
    pub issued: Count,
    /// 本年废止件数
    pub repealed: Count,
    /// 现行有效件数
    pub in_force: Count,
}

/// 行政许可, 行政处罚, 行政强制 in format `2021`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Decisions2021 {
    /// 本年处理决定数量
    pub decisions: Count,
}

/// 行政事业性收费 in format `2021`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Fees2021 {
    /// 本年收费金额（单位：万元）
    #[serde(serialize_with = "serialize_amount")]
    pub amount_wan: Amount,
}

/// Writes a whole amount as a JSON integer (`0`, not `0.0`), so canonical JSON compares equal
/// to what people write by hand.
fn serialize_amount<S: serde::Serializer>(a: &Amount, s: S) -> Result<S::Ok, S::Error> {
    match a {
        Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => s.serialize_i64(*v as i64),
        Some(v) => s.serialize_f64(*v),
        None => s.serialize_none(),
    }
}

/// Table 三: each printed row's seven cells, keyed by [`Table3Row`].
///
/// A 2021-format report that still prints the 2019 single (六) 其他处理 row keeps it under
/// [`Table3Row::Other`]; the map holds exactly the rows the source printed.
pub type Requests = BTreeMap<Table3Row, Row7>;

/// Table 四.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Appeals {
    /// 行政复议
    pub reconsideration: Row5,
    /// 行政诉讼 未经复议直接起诉
    pub litigation_direct: Row5,
    /// 行政诉讼 复议后起诉
    pub litigation_after_reconsideration: Row5,
}

/// The groups of table 四 as (JSON key, printed label).
pub const APPEAL_GROUPS: [(&str, &str); 3] = [
    ("reconsideration", "行政复议"),
    ("litigation_direct", "行政诉讼（未经复议直接起诉）"),
    ("litigation_after_reconsideration", "行政诉讼（复议后起诉）"),
];

/// The columns of a table 四 group as printed.
pub const APPEAL_COLUMNS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

impl Appeals {
    /// The three groups in the form's order, with their JSON keys.
    pub fn groups(&self) -> [(&'static str, &Row5); 3] {
        [
            ("reconsideration", &self.reconsideration),
            ("litigation_direct", &self.litigation_direct),
            (
                "litigation_after_reconsideration",
                &self.litigation_after_reconsideration,
            ),
        ]
    }

    /// Mutable access to the three groups in order.
    pub fn groups_mut(&mut self) -> [&mut Row5; 3] {
        [
            &mut self.reconsideration,
            &mut self.litigation_direct,
            &mut self.litigation_after_reconsideration,
        ]
    }
}

impl Proactive {
    /// An empty table 二 (every cell blank) of `format`.
    pub fn empty(format: ReportFormat) -> Proactive {
        match format {
            ReportFormat::Trial2019 => Proactive::Trial2019(Proactive2019::default()),
            ReportFormat::Current2021 => Proactive::Current2021(Proactive2021::default()),
        }
    }

    /// The format this table 二 follows.
    pub fn format(&self) -> ReportFormat {
        match self {
            Proactive::Trial2019(_) => ReportFormat::Trial2019,
            Proactive::Current2021(_) => ReportFormat::Current2021,
        }
    }
}

impl Report {
    /// A report with every cell blank and every row of `format` present, to be filled in.
    pub fn empty(agency: impl Into<String>, year: i32, format: ReportFormat) -> Report {
        Report {
            agency: agency.into(),
            year,
            format,
            proactive: Proactive::empty(format),
            requests: Table3Row::rows(format)
                .iter()
                .map(|r| (*r, [None; 7]))
                .collect(),
            appeals: Appeals::default(),
            sections: BTreeMap::new(),
        }
    }

    /// A report with every cell zero: what an agency with no activity prints.
    pub fn zero(agency: impl Into<String>, year: i32, format: ReportFormat) -> Report {
        let mut r = Report::empty(agency, year, format);
        r.proactive = match format {
            ReportFormat::Trial2019 => {
                let d = Documents2019 {
                    made: Some(0),
                    published: Some(0),
                    total_published: Some(0),
                };
                let m = Matters2019 {
                    prev_items: Some(0),
                    change: Some(0),
                    decisions: Some(0),
                };
                Proactive::Trial2019(Proactive2019 {
                    regulations: d.clone(),
                    normative_documents: d,
                    licensing: m.clone(),
                    other_services: m.clone(),
                    penalty: m.clone(),
                    enforcement: m,
                    fees: Fees2019 {
                        prev_items: Some(0),
                        change: Some(0),
                    },
                    procurement: Procurement2019 {
                        items: Some(0),
                        amount_wan: Some(0.0),
                    },
                })
            }
            ReportFormat::Current2021 => {
                let d = Documents2021 {
                    issued: Some(0),
                    repealed: Some(0),
                    in_force: Some(0),
                };
                let x = Decisions2021 { decisions: Some(0) };
                Proactive::Current2021(Proactive2021 {
                    regulations: d.clone(),
                    normative_documents: d,
                    licensing: x.clone(),
                    penalty: x.clone(),
                    enforcement: x,
                    fees: Fees2021 {
                        amount_wan: Some(0.0),
                    },
                })
            }
        };
        for row in r.requests.values_mut() {
            *row = [Some(0); 7];
        }
        for g in r.appeals.groups_mut() {
            *g = [Some(0); 5];
        }
        r
    }

    /// Reads a report from canonical JSON.
    pub fn from_json(s: &str) -> Result<Report, serde_json::Error> {
        serde_json::from_str(s)
    }

    /// The canonical JSON (pretty-printed, keys in the form's order).
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_round_trips_with_the_specs_keys() {
        let r = Report::zero("夏邑县人民政府", 2020, ReportFormat::Trial2019);
        let v: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(v["format"], "2019");
        assert_eq!(v["proactive"]["procurement"]["amount_wan"], 0);
        assert_eq!(v["requests"]["withheld_state_secret"][6], 0);
        assert!(v["requests"].get("other").is_some());
        assert_eq!(Report::from_json(&r.to_json()).unwrap(), r);
        let r21 = Report::zero("x", 2021, ReportFormat::Current2021);
        let back = Report::from_json(&r21.to_json()).unwrap();
        assert_eq!(back.proactive.format(), ReportFormat::Current2021);
    }
}
