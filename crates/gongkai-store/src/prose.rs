//! The figures behind the report's prose, gathered from the records by aggregate queries over
//! an agency's subtree and one year, and the report with its prose drafted
//! ([`draft_report`]: the tables of [`crate::generate_report`] plus the sections that
//! `gongkai_report::prose` words from these figures).
//!
//! Counting rules:
//! - items: published (status `published`) with a 发布日期 in the year, split by who published
//!   them: the agency itself (its website), departments, townships, other agencies below;
//! - 专题专栏 opened by the end of the year; 解读 published in the year;
//! - mailbox letters received in the year that have a reply;
//! - the no-leak sentence needs no item published in the year with an unresolved 保密审查
//!   finding; items scanned by the gate in the year (Beijing time);
//! - 标准目录: the domains its entries cover;
//! - 政务新媒体 open on 31 December (opened by then, not closed by then), by platform;
//! - trainings, inspections and accountability cases dated in the year;
//! - 信息处理费: applications whose fee was paid in the year, each with the amount recorded
//!   with its payment (按件 or 按量, as its 收费通知书 stated), or else as 国办函〔2020〕109号
//!   prices it by the request (the applicant's n-th request to the agency in the month of
//!   receipt).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use gongkai_law::ReportFormat;
use gongkai_law::catalogue::Domain;
use gongkai_report::Report;
use gongkai_report::prose::{ProseFacts, Tier, draft_sections};
use sqlx::Row;

use crate::models::agency::{self, Agency, AgencyLevel, SUBTREE};
use crate::models::case_fee;
use crate::{Store, StoreError};

/// Platforms in the order the reports list them; others follow by name.
const PLATFORM_ORDER: [&str; 5] = ["微博", "微信公众号", "移动客户端", "抖音", "今日头条"];

fn tier(level: AgencyLevel) -> Tier {
    match level {
        AgencyLevel::Province => Tier::Province,
        AgencyLevel::City => Tier::City,
        AgencyLevel::County => Tier::County,
        AgencyLevel::Township => Tier::Township,
        AgencyLevel::Department => Tier::Department,
    }
}

fn bounds(year: i32) -> Result<(NaiveDate, NaiveDate), StoreError> {
    match (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) {
        (Some(s), Some(e)) => Ok((s, e)),
        _ => Err(StoreError::invalid(format!("year {year}"))),
    }
}

/// `(key, n)` rows of a query over the subtree: `$1` agency, `$2` first and `$3` last day of
/// the year (every query names all three, so both back ends see the same parameters).
async fn counts(
    store: &Store,
    body: &str,
    agency_id: i64,
    (start, end): (NaiveDate, NaiveDate),
) -> Result<Vec<(String, i64)>, StoreError> {
    let sql = format!("{SUBTREE} {body}");
    on_db!(store, pool => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(agency_id)
            .bind(start)
            .bind(end)
            .fetch_all(pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get::<String, _>("k")?, r.try_get::<i64, _>("n")?)))
            .collect()
    })
}

/// Gathers the figures of the prose for `agency` and its subtree in `year`.
pub async fn gather_facts(
    store: &Store,
    agency: &Agency,
    year: i32,
) -> Result<ProseFacts, StoreError> {
    let b = bounds(year)?;
    let mut f = ProseFacts {
        tier: Some(tier(agency.level)),
        ..ProseFacts::default()
    };

    // One pass for the single figures, keyed.
    let singles = counts(
        store,
        "SELECT CASE WHEN p.agency_id = $1 THEN 'self' ELSE 'by:' || a.level END AS k, COUNT(*) AS n \
           FROM proactive_items p JOIN agencies a ON a.id = p.agency_id \
           WHERE p.agency_id IN (SELECT id FROM sub) AND p.status = 'published' \
             AND p.published_on >= $2 AND p.published_on <= $3 GROUP BY 1 \
         UNION ALL SELECT 'topics', COUNT(*) FROM topics \
           WHERE agency_id IN (SELECT id FROM sub) AND opened_on <= $3 AND $2 = $2 \
         UNION ALL SELECT 'interpretations', COUNT(*) FROM proactive_items \
           WHERE agency_id IN (SELECT id FROM sub) AND status = 'published' AND doc_type = 'interpretation' \
             AND published_on >= $2 AND published_on <= $3 \
         UNION ALL SELECT 'letters', COUNT(*) FROM mailbox_letters \
           WHERE agency_id IN (SELECT id FROM sub) AND received_on >= $2 AND received_on <= $3 \
             AND replied_on IS NOT NULL \
         UNION ALL SELECT 'open_findings', COUNT(DISTINCT p.id) FROM proactive_items p \
           JOIN item_findings x ON x.item_id = p.id \
           WHERE p.agency_id IN (SELECT id FROM sub) AND p.status = 'published' \
             AND p.published_on >= $2 AND p.published_on <= $3 AND x.resolved_at IS NULL \
         UNION ALL SELECT 'trainings', COUNT(*) FROM trainings \
           WHERE agency_id IN (SELECT id FROM sub) AND held_on >= $2 AND held_on <= $3 \
         UNION ALL SELECT 'attendees', CAST(COALESCE(SUM(attendees), 0) AS BIGINT) FROM trainings \
           WHERE agency_id IN (SELECT id FROM sub) AND held_on >= $2 AND held_on <= $3 \
         UNION ALL SELECT 'inspections', COUNT(*) FROM inspections \
           WHERE agency_id IN (SELECT id FROM sub) AND held_on >= $2 AND held_on <= $3 \
         UNION ALL SELECT 'catalogue_entries', COUNT(*) FROM catalogue_entries \
           WHERE agency_id IN (SELECT id FROM sub) AND $2 = $2 AND $3 = $3",
        agency.id,
        b,
    )
    .await?;
    for (k, n) in singles {
        match k.as_str() {
            "self" => f.published_by_self = n,
            "by:department" => f.published_by_departments += n,
            "by:township" => f.published_by_townships += n,
            "topics" => f.topics = n,
            "interpretations" => f.interpretations = n,
            "letters" => f.letters_replied = n,
            "open_findings" => f.published_with_open_findings = n,
            "trainings" => f.trainings = n,
            "attendees" => f.training_attendees = n,
            "inspections" => f.inspections = n,
            "catalogue_entries" => f.catalogue_entries = n,
            // Another government below (a county under a city …).
            _ if k.starts_with("by:") => f.published_by_others += n,
            _ => {}
        }
    }

    let domains = counts(
        store,
        "SELECT domain AS k, COUNT(*) AS n FROM catalogue_entries \
         WHERE agency_id IN (SELECT id FROM sub) AND $2 = $2 AND $3 = $3 GROUP BY domain",
        agency.id,
        b,
    )
    .await?;
    f.catalogue_domains = Domain::ALL
        .into_iter()
        .filter(|d| domains.iter().any(|(k, n)| k == d.key() && *n > 0))
        .collect();

    let mut media = counts(
        store,
        "SELECT platform AS k, COUNT(*) AS n FROM media_accounts \
         WHERE agency_id IN (SELECT id FROM sub) AND opened_on <= $3 \
           AND (closed_on IS NULL OR closed_on > $3) AND $2 = $2 GROUP BY platform",
        agency.id,
        b,
    )
    .await?;
    media.sort_by_key(|(p, _)| {
        (
            PLATFORM_ORDER
                .iter()
                .position(|x| x == p)
                .unwrap_or(PLATFORM_ORDER.len()),
            p.clone(),
        )
    });
    f.media_accounts = media;

    f.items_reviewed = items_reviewed(store, agency.id, year).await?;
    f.accountability_cases =
        crate::models::accountability::count(store, agency.id, b.0, b.1).await?;
    let (fee_requests, fee_yuan) = fees(store, agency.id, b).await?;
    f.fee_requests = fee_requests;
    f.fee_yuan = fee_yuan;
    Ok(f)
}

/// Items of the subtree scanned by the 保密审查 gate in `year` (Beijing time).
async fn items_reviewed(store: &Store, agency_id: i64, year: i32) -> Result<i64, StoreError> {
    let at = |y: i32| {
        chrono::NaiveDate::from_ymd_opt(y, 1, 1)
            .map(|d| gongkai_law::beijing_midnight(d).timestamp())
            .ok_or_else(|| StoreError::invalid(format!("year {y}")))
    };
    let (from, to) = (at(year)?, at(year + 1)?);
    let sql = format!(
        "{SUBTREE} SELECT COUNT(DISTINCT r.item_id) AS n FROM item_reviews r \
         JOIN proactive_items p ON p.id = r.item_id \
         WHERE p.agency_id IN (SELECT id FROM sub) AND r.decision = 'scanned' \
           AND r.decided_at >= $2 AND r.decided_at < $3"
    );
    on_db!(store, pool => {
        Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(agency_id)
            .bind(from)
            .bind(to)
            .fetch_one(pool)
            .await?
            .try_get::<i64, _>("n")?)
    })
}

/// Applications whose 信息处理费 was paid in the year and the fees in 元: the amount the
/// handler recorded with the payment ([`crate::models::case_fee`]), or, for a payment
/// recorded without one, the price of the applicant's n-th request to the same agency in its
/// month of receipt ([`gongkai_law::fee_for_request`]).
async fn fees(
    store: &Store,
    agency_id: i64,
    (start, end): (NaiveDate, NaiveDate),
) -> Result<(i64, i64), StoreError> {
    let sql = format!(
        "{SUBTREE} SELECT DISTINCT a.id FROM applications a JOIN application_events e ON e.application_id = a.id \
         WHERE a.agency_id IN (SELECT id FROM sub) AND e.kind = 'fee_paid' \
           AND e.occurred_on >= $2 AND e.occurred_on <= $3"
    );
    let paid: Vec<i64> = on_db!(store, pool => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(agency_id)
            .bind(start)
            .bind(end)
            .fetch_all(pool)
            .await?;
        rows.iter()
            .map(|r| r.try_get::<i64, _>("id").map_err(StoreError::from))
            .collect::<Result<_, StoreError>>()?
    });
    let mut yuan = 0i64;
    for id in &paid {
        let recorded = case_fee::of(store, *id)
            .await?
            .and_then(|f| f.paid)
            .map(|(_, p)| p.amount_yuan);
        yuan += match recorded {
            Some(amount) => i64::try_from(amount).unwrap_or(i64::MAX),
            None => i64::from(gongkai_law::fee_for_request(
                case_fee::request_ordinal(store, *id).await?,
            )),
        };
    }
    Ok((paid.len() as i64, yuan))
}

/// The prose sections drafted from the records of `agency` and its subtree for `report`
/// (whose tables the (二) paragraph restates).
pub async fn draft_sections_for(
    store: &Store,
    agency: &Agency,
    report: &Report,
) -> Result<BTreeMap<String, String>, StoreError> {
    let facts = gather_facts(store, agency, report.year).await?;
    Ok(draft_sections(&facts, report))
}

/// The report of `agency_id_or_name` (an id or an exact name) and its subtree for `year` in
/// `format`: the tables generated from the records and the prose drafted from them.
pub async fn draft_report(
    store: &Store,
    agency_id_or_name: &str,
    year: i32,
    format: ReportFormat,
) -> Result<Report, StoreError> {
    let agency = agency::resolve(store, agency_id_or_name).await?;
    let mut report = crate::generate_report(store, &agency.id.to_string(), year, format).await?;
    report.sections = draft_sections_for(store, &agency, &report).await?;
    Ok(report)
}
