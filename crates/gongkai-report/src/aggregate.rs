//! Sums the reports of several agencies for one year and format (汇总).
//!
//! A county government's report sums its departments' and townships' reports cell by cell.
//! Blanks stay honest: a blank plus a number is that number, and a cell blank in every input
//! stays blank (so the checker still reports it instead of seeing a made-up zero).
//!
//! ```
//! use gongkai_report::{Report, aggregate::aggregate, model::ReportFormat};
//! let a = Report::zero("甲局", 2021, ReportFormat::Current2021);
//! let b = Report::zero("乙局", 2021, ReportFormat::Current2021);
//! let sum = aggregate(&[a, b], "某县人民政府").unwrap();
//! assert_eq!(sum.agency, "某县人民政府");
//! ```

use crate::model::{
    Amount, Count, Decisions2021, Documents2019, Documents2021, Fees2019, Fees2021, Matters2019,
    Proactive, Proactive2019, Proactive2021, Procurement2019, Report,
};
use std::collections::BTreeMap;

/// Whether a report names itself a sum of others (汇总) in its agency or its file name, as
/// a region's summary of its units does: summing it again with those units counts them twice.
pub fn names_a_summary(agency: &str, file_name: &str) -> bool {
    [agency, file_name].iter().any(|t| t.contains("汇总"))
}

/// Why reports could not be summed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AggregateError {
    /// No report was given.
    #[error("没有可汇总的报告 / no reports to aggregate")]
    Empty,
    /// A report is for another year than the first one.
    #[error(
        "不能汇总不同年度的报告：「{agency}」{year}年（{format}格式）与第一份报告的{expected}年不同 / \
         cannot aggregate reports of different years: {agency} {year} (format {format}) is not \
         for {expected} like the first report"
    )]
    MixedYears {
        /// The offending report's agency.
        agency: String,
        /// Its year.
        year: i32,
        /// Its format id.
        format: &'static str,
        /// The year of the first report.
        expected: i32,
    },
    /// A report follows another format than the first one.
    #[error(
        "不能汇总不同格式的报告：「{agency}」{year}年为{format}格式，第一份报告为{expected}格式 / \
         cannot aggregate reports of different formats: {agency} {year} is in format {format}, \
         the first report in format {expected}"
    )]
    MixedFormats {
        /// The offending report's agency.
        agency: String,
        /// Its year.
        year: i32,
        /// Its format id.
        format: &'static str,
        /// The format id of the first report.
        expected: &'static str,
    },
    /// A sum does not fit in a count.
    #[error("汇总数值溢出 / a sum overflows: {what}")]
    Overflow {
        /// The cell that overflowed.
        what: String,
    },
}

/// Sums `reports` cell by cell into one report for `agency`.
///
/// All reports must be of one year and one format (the year and format of the first; a
/// report whose table 二 is of another format than it claims counts as that other format).
/// A blank plus a number is the number; blanks everywhere stay blank. Every table 三 row that
/// any input prints is in the result (e.g. a 2021 report's single `other` row). Amounts are
/// rounded to six decimals after summing, so binary fractions do not leave `0.30000000000000004`
/// behind. Prose sections are not summed: the result has none.
pub fn aggregate(reports: &[Report], agency: &str) -> Result<Report, AggregateError> {
    let first = reports.first().ok_or(AggregateError::Empty)?;
    let (year, format) = (first.year, first.format);
    for r in reports {
        if r.year != year {
            return Err(AggregateError::MixedYears {
                agency: r.agency.clone(),
                year: r.year,
                format: r.format.id(),
                expected: year,
            });
        }
        for f in [r.format, r.proactive.format()] {
            if f != format {
                return Err(AggregateError::MixedFormats {
                    agency: r.agency.clone(),
                    year: r.year,
                    format: f.id(),
                    expected: format.id(),
                });
            }
        }
    }

    let mut out = Report::empty(agency, year, format);
    out.requests = BTreeMap::new();
    for r in reports {
        add_proactive(&mut out.proactive, &r.proactive)?;
        for (row, cells) in &r.requests {
            let acc = out.requests.entry(*row).or_insert([None; 7]);
            for (i, (a, b)) in acc.iter_mut().zip(cells).enumerate() {
                add(a, *b, || format!("requests.{}[{i}]", row.key()))?;
            }
        }
        for ((key, row), acc) in r.appeals.groups().iter().zip(out.appeals.groups_mut()) {
            for (i, (a, b)) in acc.iter_mut().zip(row.iter()).enumerate() {
                add(a, *b, || format!("appeals.{key}[{i}]"))?;
            }
        }
    }
    Ok(out)
}

/// `a += b` with blanks kept: blank + n = n, blank + blank = blank.
fn add(a: &mut Count, b: Count, what: impl Fn() -> String) -> Result<(), AggregateError> {
    *a = match (*a, b) {
        (None, b) => b,
        (a, None) => a,
        (Some(x), Some(y)) => Some(
            x.checked_add(y)
                .ok_or_else(|| AggregateError::Overflow { what: what() })?,
        ),
    };
    Ok(())
}

fn add_amount(a: &mut Amount, b: Amount) {
    *a = match (*a, b) {
        (None, b) => b,
        (a, None) => a,
        (Some(x), Some(y)) => Some(((x + y) * 1e6).round() / 1e6),
    };
}

fn add_proactive(acc: &mut Proactive, p: &Proactive) -> Result<(), AggregateError> {
    match (acc, p) {
        (Proactive::Trial2019(a), Proactive::Trial2019(p)) => add_2019(a, p),
        (Proactive::Current2021(a), Proactive::Current2021(p)) => add_2021(a, p),
        // Formats were checked before summing; a mismatch cannot reach here.
        _ => Ok(()),
    }
}

fn add_2019(a: &mut Proactive2019, p: &Proactive2019) -> Result<(), AggregateError> {
    let docs = |a: &mut Documents2019, p: &Documents2019, k: &str| {
        add(&mut a.made, p.made, || format!("proactive.{k}.made"))?;
        add(&mut a.published, p.published, || {
            format!("proactive.{k}.published")
        })?;
        add(&mut a.total_published, p.total_published, || {
            format!("proactive.{k}.total_published")
        })
    };
    let matters = |a: &mut Matters2019, p: &Matters2019, k: &str| {
        add(&mut a.prev_items, p.prev_items, || {
            format!("proactive.{k}.prev_items")
        })?;
        add(&mut a.change, p.change, || format!("proactive.{k}.change"))?;
        add(&mut a.decisions, p.decisions, || {
            format!("proactive.{k}.decisions")
        })
    };
    docs(&mut a.regulations, &p.regulations, "regulations")?;
    docs(
        &mut a.normative_documents,
        &p.normative_documents,
        "normative_documents",
    )?;
    matters(&mut a.licensing, &p.licensing, "licensing")?;
    matters(&mut a.other_services, &p.other_services, "other_services")?;
    matters(&mut a.penalty, &p.penalty, "penalty")?;
    matters(&mut a.enforcement, &p.enforcement, "enforcement")?;
    let Fees2019 { prev_items, change } = &p.fees;
    add(&mut a.fees.prev_items, *prev_items, || {
        "proactive.fees.prev_items".into()
    })?;
    add(&mut a.fees.change, *change, || {
        "proactive.fees.change".into()
    })?;
    let Procurement2019 { items, amount_wan } = &p.procurement;
    add(&mut a.procurement.items, *items, || {
        "proactive.procurement.items".into()
    })?;
    add_amount(&mut a.procurement.amount_wan, *amount_wan);
    Ok(())
}

fn add_2021(a: &mut Proactive2021, p: &Proactive2021) -> Result<(), AggregateError> {
    let docs = |a: &mut Documents2021, p: &Documents2021, k: &str| {
        add(&mut a.issued, p.issued, || format!("proactive.{k}.issued"))?;
        add(&mut a.repealed, p.repealed, || {
            format!("proactive.{k}.repealed")
        })?;
        add(&mut a.in_force, p.in_force, || {
            format!("proactive.{k}.in_force")
        })
    };
    let decisions = |a: &mut Decisions2021, p: &Decisions2021, k: &str| {
        add(&mut a.decisions, p.decisions, || {
            format!("proactive.{k}.decisions")
        })
    };
    docs(&mut a.regulations, &p.regulations, "regulations")?;
    docs(
        &mut a.normative_documents,
        &p.normative_documents,
        "normative_documents",
    )?;
    decisions(&mut a.licensing, &p.licensing, "licensing")?;
    decisions(&mut a.penalty, &p.penalty, "penalty")?;
    decisions(&mut a.enforcement, &p.enforcement, "enforcement")?;
    let Fees2021 { amount_wan } = &p.fees;
    add_amount(&mut a.fees.amount_wan, *amount_wan);
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test that cannot unwrap should fail loudly
mod tests {
    use super::*;
    use crate::model::{ReportFormat, Table3Row};

    fn r(agency: &str, year: i32, f: ReportFormat) -> Report {
        Report::zero(agency, year, f)
    }

    #[test]
    fn blanks_stay_blank_and_numbers_add() {
        let mut a = Report::empty("甲", 2020, ReportFormat::Trial2019);
        let mut b = Report::empty("乙", 2020, ReportFormat::Trial2019);
        a.requests.insert(
            Table3Row::NewReceived,
            [Some(1), None, None, None, None, None, Some(1)],
        );
        b.requests.insert(
            Table3Row::NewReceived,
            [Some(2), Some(3), None, None, None, None, None],
        );
        if let (Proactive::Trial2019(pa), Proactive::Trial2019(pb)) =
            (&mut a.proactive, &mut b.proactive)
        {
            pa.procurement.amount_wan = Some(0.1);
            pb.procurement.amount_wan = Some(0.2);
            pa.licensing.change = Some(-3);
            pb.licensing.change = Some(1);
        }
        a.appeals.reconsideration = [Some(1), None, None, None, Some(1)];
        let s = aggregate(&[a, b], "合计").unwrap();
        assert_eq!(
            s.requests[&Table3Row::NewReceived],
            [Some(3), Some(3), None, None, None, None, Some(1)]
        );
        assert_eq!(s.requests[&Table3Row::CarriedIn], [None; 7]);
        assert_eq!(
            s.appeals.reconsideration,
            [Some(1), None, None, None, Some(1)]
        );
        let Proactive::Trial2019(p) = &s.proactive else {
            panic!("format 2019 expected");
        };
        assert_eq!(p.procurement.amount_wan, Some(0.3));
        assert_eq!(p.licensing.change, Some(-2));
        assert_eq!(p.regulations.made, None);
        assert_eq!(s.agency, "合计");
        assert_eq!((s.year, s.format), (2020, ReportFormat::Trial2019));
    }

    #[test]
    fn rows_present_in_any_input_are_kept() {
        let a = r("甲", 2021, ReportFormat::Current2021);
        let mut b = r("乙", 2021, ReportFormat::Current2021);
        b.requests.insert(Table3Row::Other, [Some(2); 7]);
        let s = aggregate(&[a, b], "合计").unwrap();
        assert_eq!(s.requests[&Table3Row::Other], [Some(2); 7]);
        assert_eq!(s.requests.len(), 26);
    }

    #[test]
    fn refuses_nothing_mixed_years_and_mixed_formats() {
        assert_eq!(aggregate(&[], "x"), Err(AggregateError::Empty));
        let e = aggregate(
            &[
                r("甲", 2021, ReportFormat::Current2021),
                r("乙局", 2022, ReportFormat::Current2021),
            ],
            "x",
        )
        .unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("乙局") && m.contains("2022") && m.contains("2021"),
            "{m}"
        );
        assert!(
            m.contains("不同年度") && m.contains("different years"),
            "{m}"
        );
        let e = aggregate(
            &[
                r("甲", 2021, ReportFormat::Current2021),
                r("丙局", 2021, ReportFormat::Trial2019),
            ],
            "x",
        )
        .unwrap_err();
        let m = e.to_string();
        assert!(
            m.contains("丙局") && m.contains("2019") && m.contains("不同格式"),
            "{m}"
        );
        assert!(matches!(e, AggregateError::MixedFormats { .. }));
        // A report whose table 二 contradicts its format field is refused too.
        let mut odd = r("丁局", 2021, ReportFormat::Current2021);
        odd.proactive = Proactive::empty(ReportFormat::Trial2019);
        assert!(matches!(
            aggregate(&[r("甲", 2021, ReportFormat::Current2021), odd], "x"),
            Err(AggregateError::MixedFormats { .. })
        ));
    }

    #[test]
    fn overflow_is_an_error_not_a_wrap() {
        let mut a = r("甲", 2021, ReportFormat::Current2021);
        a.appeals.reconsideration[0] = Some(i64::MAX);
        let b = r("乙", 2021, ReportFormat::Current2021);
        let mut c = b.clone();
        c.appeals.reconsideration[0] = Some(1);
        assert!(matches!(
            aggregate(&[a, b, c], "x"),
            Err(AggregateError::Overflow { .. })
        ));
    }
}
