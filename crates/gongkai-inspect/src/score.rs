//! The score of 《政府网站与政务新媒体检查指标》(国办秘函〔2019〕19号), part two (扣分指标): any
//! single-veto finding makes the site 不合格 and nothing else is scored; otherwise 100 points
//! less the deductions, each indicator's deductions capped at that indicator's points, and a
//! site under 60 is 不合格 (above 80 a 门户网站 goes on to the bonus indicators, which are not
//! checked by a crawler).
//!
//! What the text fixes, as read through the search tool (国务院办公厅秘书局 2019-04-01; copies
//! of the 指标说明 at <https://51xunbu.cn/kss/c107449/202010/54336522e21e46d58c7fee8c3a412fb5.shtml>
//! and <https://ieain.com/365betazsjkhd/2019/0810/7684.html>, the earlier text at
//! <http://sntec.org.cn/info/1015/4213.htm>):
//! - 「扣分指标分值为100分」; veto first; 「评分结果低于60分，判定为不合格；高于80分，则进入加分指标
//!   评分环节」 — hence the bands below: < 60 不合格, > 80 (strictly) 合格（高于80分）;
//! - 「采用扣分方式评分的，单项指标扣分之和不超过本项指标总分值」 — the per-indicator caps;
//! - a department without public services 「不检查办事服务相关指标，得分按75分计算后乘以4/3」: so
//!   办事服务 is worth **25** points of the 100 — the cap of [`Indicator::Service`] is confirmed
//!   by the text.
//!
//! The search tool did not return the 扣分指标 table itself (its rows and points), so the caps
//! of the other two groups a crawler checks — 发布解读（日常更新） 40 and 功能设计（可用性） 15 —
//! and the points per finding remain our reading of the published self-checks under it (e.g.
//! 「监测时间点前6个月内，政策文件类一级栏目未更新，扣5分」). They live in this one table so a
//! province's variant, or the table once read, is one edit.

use serde::Serialize;

use crate::{Finding, Rule};

/// The 扣分指标 groups a crawler can check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Indicator {
    /// 发布解读 (日常更新): columns updated and dated.
    Publishing,
    /// 办事服务: 办事指南 complete.
    Service,
    /// 功能设计 (可用性): links that work.
    Design,
}

impl Indicator {
    /// Every indicator, in report order.
    pub const ALL: [Indicator; 3] = [Indicator::Publishing, Indicator::Service, Indicator::Design];

    /// Its name in the 19号 table.
    pub fn label(self) -> &'static str {
        match self {
            Indicator::Publishing => "发布解读（日常更新）",
            Indicator::Service => "办事服务",
            Indicator::Design => "功能设计（可用性）",
        }
    }

    /// Its points: the most its deductions can take, in tenths of a point.
    pub fn cap_tenths(self) -> u32 {
        match self {
            Indicator::Publishing => 400,
            Indicator::Service => 250,
            Indicator::Design => 150,
        }
    }
}

/// Where a scored finding counts and how much, in tenths of a point (`on_home`: a broken link
/// found on the home page weighs more than one deeper in the site). `None` for vetoes and for
/// rules that are not scored.
pub fn deduction(rule: Rule, on_home: bool) -> Option<(Indicator, u32)> {
    match rule {
        Rule::ColumnStale | Rule::ColumnBlank => Some((Indicator::Publishing, 50)),
        Rule::ColumnDormant | Rule::DateMissing => Some((Indicator::Publishing, 10)),
        Rule::GuideIncomplete => Some((Indicator::Service, 10)),
        Rule::LinkBroken if on_home => Some((Indicator::Design, 10)),
        Rule::LinkBroken => Some((Indicator::Design, 1)),
        _ => None,
    }
}

/// One indicator's deductions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorScore {
    /// The indicator.
    pub indicator: Indicator,
    /// Its name.
    pub label: &'static str,
    /// The sum of its findings' deductions, in points.
    pub deducted: f64,
    /// What it takes off the score: the sum capped at its points.
    pub counted: f64,
    /// Its findings.
    pub findings: usize,
}

/// The score of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// 100 less the capped deductions; `None` when a single-veto item failed (19号: not scored).
    pub points: Option<f64>,
    /// Per indicator.
    pub indicators: Vec<IndicatorScore>,
    /// The band: 单项否决, 不合格 (< 60), 合格, or 合格（高于80分） (> 80: on to the bonus indicators).
    pub band: &'static str,
}

// The points are tenths of whole numbers: comparing them exactly is sound.
impl Eq for Score {}
impl Eq for IndicatorScore {}

/// Tenths to points.
fn points(tenths: u32) -> f64 {
    f64::from(tenths) / 10.0
}

/// Scores a run's findings (their `deduction_tenths` already set by the rules).
pub fn score(findings: &[Finding]) -> Score {
    let veto = findings.iter().any(|f| f.veto);
    let indicators: Vec<IndicatorScore> = Indicator::ALL
        .into_iter()
        .map(|i| {
            let mine: Vec<&Finding> = findings.iter().filter(|f| f.indicator == Some(i)).collect();
            let sum: u32 = mine.iter().map(|f| f.deduction_tenths).sum();
            IndicatorScore {
                indicator: i,
                label: i.label(),
                deducted: points(sum),
                counted: points(sum.min(i.cap_tenths())),
                findings: mine.len(),
            }
        })
        .collect();
    let taken: u32 = Indicator::ALL
        .into_iter()
        .map(|i| {
            findings
                .iter()
                .filter(|f| f.indicator == Some(i))
                .map(|f| f.deduction_tenths)
                .sum::<u32>()
                .min(i.cap_tenths())
        })
        .sum();
    let total = 1000u32.saturating_sub(taken);
    let band = if veto {
        "单项否决"
    } else if total < 600 {
        "不合格"
    } else if total > 800 {
        "合格（高于80分）"
    } else {
        "合格"
    };
    Score {
        points: (!veto).then(|| points(total)),
        indicators,
        band,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(rule: Rule, on_home: bool, veto: bool) -> Finding {
        let d = if veto { None } else { deduction(rule, on_home) };
        Finding {
            rule,
            veto,
            url: "http://s/".into(),
            detail: String::new(),
            indicator: d.map(|(i, _)| i),
            deduction_tenths: d.map_or(0, |(_, t)| t),
        }
    }

    #[test]
    fn deductions_are_capped_per_indicator_and_sixty_passes() {
        assert_eq!(score(&[]).points, Some(100.0));
        // Four stale columns (no veto yet): 20 points.
        let four: Vec<Finding> = (0..4).map(|_| f(Rule::ColumnStale, false, false)).collect();
        let s = score(&four);
        assert_eq!(s.points, Some(80.0));
        // 19号: 「高于80分」 goes on to the bonus indicators; exactly 80 does not.
        assert_eq!(s.band, "合格");
        let three: Vec<Finding> = (0..3).map(|_| f(Rule::ColumnStale, false, false)).collect();
        assert_eq!(score(&three).band, "合格（高于80分）");
        // 300 broken links deep in the site: 30 points, capped at 15.
        let links: Vec<Finding> = (0..300)
            .map(|_| f(Rule::LinkBroken, false, false))
            .collect();
        let s = score(&links);
        assert_eq!(s.points, Some(85.0));
        assert_eq!(s.indicators[2].deducted, 30.0);
        assert_eq!(s.indicators[2].counted, 15.0);
        // Caps reached in all three: 100 − 40 − 25 − 15 = 20: 不合格.
        let mut all: Vec<Finding> = (0..9).map(|_| f(Rule::ColumnBlank, false, false)).collect();
        all.extend((0..30).map(|_| f(Rule::GuideIncomplete, false, false)));
        all.extend((0..20).map(|_| f(Rule::LinkBroken, true, false)));
        let s = score(&all);
        assert_eq!(s.points, Some(20.0));
        assert_eq!(s.band, "不合格");
        // A veto is not scored.
        let s = score(&[f(Rule::HomeStale, true, true)]);
        assert_eq!((s.points, s.band), (None, "单项否决"));
    }
}
