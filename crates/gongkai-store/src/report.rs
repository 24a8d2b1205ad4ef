//! Generating the annual report from the records, for an agency and its subtree, by aggregate
//! queries (GROUP BY over indexed columns; no record is loaded one by one).
//!
//! Counting rules (`spec/annual-report.md`):
//! - table 三: 新收 = receipt date in the year; 上年结转 = received before 1 January and not
//!   concluded by 31 December of the year before; results = concluded (final reply) in the
//!   year, by outcome row of the format; 结转 = received by 31 December and not concluded by
//!   then. Procedural notices never conclude an application.
//! - table 四: cases filed in the year, by their result as it stood on 31 December (a case
//!   decided later is 尚未审结 in this year's report).
//! - table 二 (2019): 事项 on the list at the end of the year before, the net change over the
//!   year, decisions dated in the year; 规章/规范性文件 written in the year, published in the
//!   year and published in total by 31 December; procurement contracted in the year.
//! - table 二 (2021): documents published in the year, repealed in the year and in force on
//!   31 December; decisions dated in the year; fees collected in the year (万元).

use chrono::NaiveDate;
use gongkai_law::{ApplicantKind, Outcome, ReportFormat, Table3Row};
use gongkai_report::model::{
    Decisions2021, Documents2019, Documents2021, Fees2019, Fees2021, Matters2019, Proactive,
    Proactive2019, Proactive2021, Procurement2019, Report, Row7,
};
use sqlx::Row;

use crate::models::agency::{self, SUBTREE};
use crate::{Store, StoreError};

fn year_bounds(year: i32) -> Result<(NaiveDate, NaiveDate, NaiveDate), StoreError> {
    let start = NaiveDate::from_ymd_opt(year, 1, 1);
    let end = NaiveDate::from_ymd_opt(year, 12, 31);
    let prev_end = NaiveDate::from_ymd_opt(year - 1, 12, 31);
    match (start, end, prev_end) {
        (Some(s), Some(e), Some(p)) => Ok((s, e, p)),
        _ => Err(StoreError::invalid(format!("year {year}"))),
    }
}

/// `(group key, second key, count)` rows of an aggregate query. Queries bind `$1` = agency,
/// `$2` = first day, `$3` = last day of the year, `$4` = last day of the year before.
async fn grouped(
    store: &Store,
    sql: String,
    agency_id: i64,
    (start, end, prev_end): (NaiveDate, NaiveDate, NaiveDate),
) -> Result<Vec<(String, String, i64)>, StoreError> {
    on_db!(store, pool => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(agency_id)
            .bind(start)
            .bind(end)
            .bind(prev_end)
            .fetch_all(pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get::<String, _>("k1")?, r.try_get::<String, _>("k2")?, r.try_get::<i64, _>("n")?)))
            .collect()
    })
}

fn subtree_query(body: &str) -> String {
    // `$4` is referenced in every query so both back ends see the same parameter list.
    format!("{SUBTREE} {body}")
}

fn add_to_row(row: &mut Row7, kind: ApplicantKind, n: i64) {
    let c = kind.column();
    row[c] = Some(row[c].unwrap_or(0) + n);
    row[6] = Some(row[6].unwrap_or(0) + n);
}

/// Generates the report of `agency_id_or_name` (an id or an exact name) and its subtree for
/// `year` in `format`.
pub async fn generate_report(
    store: &Store,
    agency_id_or_name: &str,
    year: i32,
    format: ReportFormat,
) -> Result<Report, StoreError> {
    let agency = agency::resolve(store, agency_id_or_name).await?;
    let bounds = year_bounds(year)?;
    let mut report = Report::zero(agency.name.clone(), year, format);

    // Table 三.
    let apps = subtree_query(
        "SELECT 'new_received' AS k1, applicant_kind AS k2, COUNT(*) AS n FROM applications \
           WHERE agency_id IN (SELECT id FROM sub) AND received_on >= $2 AND received_on <= $3 AND $4 = $4 \
           GROUP BY applicant_kind \
         UNION ALL SELECT 'carried_in', applicant_kind, COUNT(*) FROM applications \
           WHERE agency_id IN (SELECT id FROM sub) AND received_on < $2 \
             AND (concluded_on IS NULL OR concluded_on > $4) GROUP BY applicant_kind \
         UNION ALL SELECT 'carried_out', applicant_kind, COUNT(*) FROM applications \
           WHERE agency_id IN (SELECT id FROM sub) AND received_on <= $3 \
             AND (concluded_on IS NULL OR concluded_on > $3) GROUP BY applicant_kind \
         UNION ALL SELECT 'result:' || outcome, applicant_kind, COUNT(*) FROM applications \
           WHERE agency_id IN (SELECT id FROM sub) AND concluded_on >= $2 AND concluded_on <= $3 \
           GROUP BY outcome, applicant_kind",
    );
    for (k1, k2, n) in grouped(store, apps, agency.id, bounds).await? {
        let kind = ApplicantKind::parse(&k2)
            .ok_or_else(|| StoreError::invalid(format!("applicant kind {k2}")))?;
        let row = match k1.strip_prefix("result:") {
            Some(o) => Outcome::parse(o)
                .ok_or_else(|| StoreError::invalid(format!("outcome {o}")))?
                .row(format),
            None => {
                Table3Row::from_key(&k1).ok_or_else(|| StoreError::invalid(format!("row {k1}")))?
            }
        };
        if let Some(cells) = report.requests.get_mut(&row) {
            add_to_row(cells, kind, n);
        }
        if k1.starts_with("result:")
            && let Some(cells) = report.requests.get_mut(&Table3Row::ResultsTotal)
        {
            add_to_row(cells, kind, n);
        }
    }

    // Table 四.
    let appeals = subtree_query(
        "SELECT kind AS k1, CASE WHEN decided_on IS NOT NULL AND decided_on <= $3 THEN result ELSE 'pending' END AS k2, \
           COUNT(*) AS n FROM appeal_cases \
         WHERE agency_id IN (SELECT id FROM sub) AND filed_on >= $2 AND filed_on <= $3 AND $4 = $4 \
         GROUP BY 1, 2",
    );
    for (k1, k2, n) in grouped(store, appeals, agency.id, bounds).await? {
        let group = match k1.as_str() {
            "reconsideration" => &mut report.appeals.reconsideration,
            "litigation_direct" => &mut report.appeals.litigation_direct,
            _ => &mut report.appeals.litigation_after_reconsideration,
        };
        let col = crate::models::AppealResult::parse(&k2)
            .map(|r| r.column())
            .unwrap_or(3);
        group[col] = Some(group[col].unwrap_or(0) + n);
        group[4] = Some(group[4].unwrap_or(0) + n);
    }

    // Table 二.
    report.proactive = match format {
        ReportFormat::Trial2019 => {
            Proactive::Trial2019(proactive_2019(store, agency.id, bounds).await?)
        }
        ReportFormat::Current2021 => {
            Proactive::Current2021(proactive_2021(store, agency.id, bounds).await?)
        }
    };
    Ok(report)
}

/// Counts over the lists of 事项 (and fee items): (kind, "prev"/"now", n).
fn list_counts_sql(table: &str, kind_expr: &str) -> String {
    subtree_query(&format!(
        "SELECT {kind_expr} AS k1, 'prev' AS k2, COUNT(*) AS n FROM {table} \
           WHERE agency_id IN (SELECT id FROM sub) AND listed_on <= $4 AND (delisted_on IS NULL OR delisted_on > $4) \
             AND $2 = $2 GROUP BY 1 \
         UNION ALL SELECT {kind_expr}, 'now', COUNT(*) FROM {table} \
           WHERE agency_id IN (SELECT id FROM sub) AND listed_on <= $3 AND (delisted_on IS NULL OR delisted_on > $3) \
           GROUP BY 1"
    ))
}

fn decisions_sql() -> String {
    subtree_query(
        // The daily rollup kept by triggers (migration 0002), not the decisions themselves.
        "SELECT kind AS k1, '' AS k2, CAST(SUM(n) AS BIGINT) AS n FROM decision_days \
         WHERE agency_id IN (SELECT id FROM sub) AND decided_on >= $2 AND decided_on <= $3 AND $4 = $4 GROUP BY kind",
    )
}

async fn proactive_2019(
    store: &Store,
    agency_id: i64,
    bounds: (NaiveDate, NaiveDate, NaiveDate),
) -> Result<Proactive2019, StoreError> {
    let mut p = match Report::zero("", 2020, ReportFormat::Trial2019).proactive {
        Proactive::Trial2019(p) => p,
        Proactive::Current2021(_) => Proactive2019::default(),
    };
    let docs = subtree_query(
        "SELECT doc_type AS k1, 'made' AS k2, COUNT(*) AS n FROM proactive_items \
           WHERE agency_id IN (SELECT id FROM sub) AND status = 'published' AND doc_type IN ('regulation','normative_document') \
             AND written_on >= $2 AND written_on <= $3 AND $4 = $4 GROUP BY doc_type \
         UNION ALL SELECT doc_type, 'published', COUNT(*) FROM proactive_items \
           WHERE agency_id IN (SELECT id FROM sub) AND status = 'published' AND doc_type IN ('regulation','normative_document') \
             AND published_on >= $2 AND published_on <= $3 GROUP BY doc_type \
         UNION ALL SELECT doc_type, 'total', COUNT(*) FROM proactive_items \
           WHERE agency_id IN (SELECT id FROM sub) AND status = 'published' AND doc_type IN ('regulation','normative_document') \
             AND published_on <= $3 GROUP BY doc_type",
    );
    for (k1, k2, n) in grouped(store, docs, agency_id, bounds).await? {
        let d: &mut Documents2019 = if k1 == "regulation" {
            &mut p.regulations
        } else {
            &mut p.normative_documents
        };
        match k2.as_str() {
            "made" => d.made = Some(n),
            "published" => d.published = Some(n),
            _ => d.total_published = Some(n),
        }
    }
    let mut prev_now = std::collections::HashMap::<(String, String), i64>::new();
    for (k1, k2, n) in grouped(store, list_counts_sql("matters", "kind"), agency_id, bounds).await?
    {
        prev_now.insert((k1, k2), n);
    }
    for (k1, k2, n) in grouped(
        store,
        list_counts_sql("fee_items", "'fees'"),
        agency_id,
        bounds,
    )
    .await?
    {
        prev_now.insert((k1, k2), n);
    }
    let get = |k: &str, w: &str| {
        prev_now
            .get(&(k.to_string(), w.to_string()))
            .copied()
            .unwrap_or(0)
    };
    let mut decisions = std::collections::HashMap::<String, i64>::new();
    for (k1, _, n) in grouped(store, decisions_sql(), agency_id, bounds).await? {
        decisions.insert(k1, n);
    }
    let matters = |k: &str| Matters2019 {
        prev_items: Some(get(k, "prev")),
        change: Some(get(k, "now") - get(k, "prev")),
        decisions: Some(decisions.get(k).copied().unwrap_or(0)),
    };
    p.licensing = matters("licensing");
    p.other_services = matters("other_services");
    p.penalty = matters("penalty");
    p.enforcement = matters("enforcement");
    p.fees = Fees2019 {
        prev_items: Some(get("fees", "prev")),
        change: Some(get("fees", "now") - get("fees", "prev")),
    };
    let procurement = subtree_query(
        "SELECT 'procurement' AS k1, CAST(COALESCE(SUM(amount_fen), 0) AS TEXT) AS k2, COUNT(*) AS n \
         FROM procurement_projects WHERE agency_id IN (SELECT id FROM sub) \
           AND contracted_on >= $2 AND contracted_on <= $3 AND $4 = $4",
    );
    for (_, fen, n) in grouped(store, procurement, agency_id, bounds).await? {
        let fen: i64 = fen.parse().unwrap_or(0);
        p.procurement = Procurement2019 {
            items: Some(n),
            amount_wan: Some(fen_to_wan(fen)),
        };
    }
    Ok(p)
}

/// 分 to 万元, rounded to the form's four decimals.
fn fen_to_wan(fen: i64) -> f64 {
    // 1 万元 = 1,000,000 分; four decimals of 万元 = 100 分.
    ((fen as f64) / 100.0).round() / 10_000.0
}

async fn proactive_2021(
    store: &Store,
    agency_id: i64,
    bounds: (NaiveDate, NaiveDate, NaiveDate),
) -> Result<Proactive2021, StoreError> {
    let mut p = Proactive2021::default();
    let zero_docs = Documents2021 {
        issued: Some(0),
        repealed: Some(0),
        in_force: Some(0),
    };
    p.regulations = zero_docs.clone();
    p.normative_documents = zero_docs;
    let docs = subtree_query(
        "SELECT doc_type AS k1, 'issued' AS k2, COUNT(*) AS n FROM proactive_items \
           WHERE agency_id IN (SELECT id FROM sub) AND status = 'published' AND doc_type IN ('regulation','normative_document') \
             AND published_on >= $2 AND published_on <= $3 AND $4 = $4 GROUP BY doc_type \
         UNION ALL SELECT doc_type, 'repealed', COUNT(*) FROM proactive_items \
           WHERE agency_id IN (SELECT id FROM sub) AND status = 'published' AND doc_type IN ('regulation','normative_document') \
             AND validity = 'repealed' AND validity_changed_on >= $2 AND validity_changed_on <= $3 GROUP BY doc_type \
         UNION ALL SELECT doc_type, 'in_force', COUNT(*) FROM proactive_items \
           WHERE agency_id IN (SELECT id FROM sub) AND status = 'published' AND doc_type IN ('regulation','normative_document') \
             AND published_on <= $3 \
             AND NOT (validity IN ('repealed','expired') AND validity_changed_on IS NOT NULL AND validity_changed_on <= $3) \
           GROUP BY doc_type",
    );
    for (k1, k2, n) in grouped(store, docs, agency_id, bounds).await? {
        let d = if k1 == "regulation" {
            &mut p.regulations
        } else {
            &mut p.normative_documents
        };
        match k2.as_str() {
            "issued" => d.issued = Some(n),
            "repealed" => d.repealed = Some(n),
            _ => d.in_force = Some(n),
        }
    }
    let mut decisions = std::collections::HashMap::<String, i64>::new();
    for (k1, _, n) in grouped(store, decisions_sql(), agency_id, bounds).await? {
        decisions.insert(k1, n);
    }
    let d = |k: &str| Decisions2021 {
        decisions: Some(decisions.get(k).copied().unwrap_or(0)),
    };
    p.licensing = d("licensing");
    p.penalty = d("penalty");
    p.enforcement = d("enforcement");
    let fees = subtree_query(
        "SELECT 'fees' AS k1, CAST(COALESCE(SUM(c.amount_fen), 0) AS TEXT) AS k2, COUNT(*) AS n \
         FROM fee_collections c JOIN fee_items f ON f.id = c.fee_item_id \
         WHERE f.agency_id IN (SELECT id FROM sub) AND c.collected_on >= $2 AND c.collected_on <= $3 AND $4 = $4",
    );
    p.fees = Fees2021 {
        amount_wan: Some(0.0),
    };
    for (_, fen, _) in grouped(store, fees, agency_id, bounds).await? {
        p.fees.amount_wan = Some(fen_to_wan(fen.parse().unwrap_or(0)));
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fen_become_wan_with_four_decimals() {
        assert_eq!(fen_to_wan(111_100_000), 111.1);
        assert_eq!(fen_to_wan(123_456_789), 123.4568);
        assert_eq!(fen_to_wan(0), 0.0);
    }
}
