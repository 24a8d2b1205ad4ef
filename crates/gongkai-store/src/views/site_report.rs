//! The figures of the 政府网站工作年度报表 (国办函〔2018〕12号) of one year, counted from the
//! records of the portal's agency subtree. Nothing here writes and nothing is estimated: a
//! figure the records do not hold is `None` (the form prints "—"). The form itself (its
//! sections, fields and units) is `gongkai_web::site_report`.
//!
//! How each figure is counted (the year is the calendar year, Beijing days):
//! - 独立用户访问总量 / 网站总访问量: the sum of the portal's daily counts
//!   ([`crate::models::site_visit`]); `None` when no day of the year was counted;
//! - 信息发布: items with a 发布日期 in the year that were published (still published or
//!   withdrawn later); all of them are in the 信息公开目录; 概况类 are those filed under
//!   《条例》第二十条第（二）项 (机关职能、机构设置 …);
//! - 专栏专题: topics opened by the year's end (维护) and in the year (新开设);
//! - 解读回应: published items of type 解读 with a 发布日期 in the year;
//! - 办事服务: the 政务服务事项 (许可 and 其他公共服务 matters) listed at the year's end;
//! - 互动交流: letters of the 县长信箱 received in the year; 办结 those replied by the year's end;
//!   平均办理时间 the mean of (reply − receipt) in days over them; 公开答复 those of them
//!   published;
//! - 安全防护: 网上巡查 runs whose day checked falls in the year; a problem is a (rule, URL) pair
//!   found by any of them (counted once however many runs found it); it is 整改 when the year's
//!   last run of the same site no longer finds it;
//! - 移动新媒体: accounts of the registry that existed during the year.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::models::agency::SUBTREE;
use crate::{Store, StoreError};

/// A registered 政务新媒体 account that existed during the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MediaAccountRow {
    /// 微博, 微信公众号, 移动客户端 …
    pub platform: String,
    /// The account's name.
    pub name: String,
}

/// The figures of one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteReportFigures {
    /// The year reported.
    pub year: i32,
    /// 独立用户访问总量 (个): the sum of the daily distinct visitors; `None` without counts.
    pub visitors: Option<i64>,
    /// 网站总访问量 (次): the sum of the daily page views; `None` without counts.
    pub page_views: Option<i64>,
    /// Days of the year the portal counted.
    pub counted_days: i64,
    /// 信息发布总数 (条).
    pub items_total: i64,
    /// 概况类信息更新量 (条): items under 第二十条第（二）项.
    pub items_overview: i64,
    /// 信息公开目录信息更新量 (条).
    pub items_catalogue: i64,
    /// 专栏专题维护数量 (个).
    pub topics_maintained: i64,
    /// 专栏专题新开设数量 (个).
    pub topics_opened: i64,
    /// 解读信息发布总数 (条).
    pub interpretations: i64,
    /// 政务服务事项数量 (项): `None` when no matter is recorded at all.
    pub service_matters: Option<i64>,
    /// 收到留言数量 (条).
    pub letters_received: i64,
    /// 办结留言数量 (条).
    pub letters_done: i64,
    /// 平均办理时间 (天), one decimal; `None` when no letter was done.
    pub letters_avg_days: Option<f64>,
    /// 公开答复数量 (条).
    pub letters_public: i64,
    /// 安全检测评估次数 (次): `None` when no run of the year is recorded.
    pub inspections: Option<i64>,
    /// 发现问题数量 (个).
    pub problems_found: Option<i64>,
    /// 问题整改数量 (个).
    pub problems_fixed: Option<i64>,
    /// The registry's accounts that existed during the year.
    pub media: Vec<MediaAccountRow>,
}

/// Counts the figures of `year` for `agency_id`'s subtree.
pub async fn figures(
    store: &Store,
    agency_id: i64,
    year: i32,
) -> Result<SiteReportFigures, StoreError> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1)
        .ok_or_else(|| StoreError::invalid(format!("年份 {year} 无效")))?;
    let last = NaiveDate::from_ymd_opt(year, 12, 31)
        .ok_or_else(|| StoreError::invalid(format!("年份 {year} 无效")))?;
    let count = |sql: String| {
        let sql = format!("{SUBTREE} {sql}");
        async move {
            on_db!(store, pool => {
                let n: i64 = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(agency_id)
                    .bind(first)
                    .bind(last)
                    .fetch_one(pool)
                    .await?
                    .try_get(0)?;
                Ok::<i64, StoreError>(n)
            })
        }
    };
    const ITEMS: &str = "SELECT COUNT(*) FROM proactive_items WHERE agency_id IN (SELECT id FROM sub) \
         AND status IN ('published','withdrawn') AND published_on BETWEEN $2 AND $3";
    let items_total = count(ITEMS.to_string()).await?;
    let items_overview = count(format!("{ITEMS} AND art20_item = 2")).await?;
    let interpretations = count(format!("{ITEMS} AND doc_type = 'interpretation'")).await?;
    let topics_maintained = count(
        "SELECT COUNT(*) FROM topics WHERE agency_id IN (SELECT id FROM sub) AND opened_on <= $3 \
         AND $2 <= $3"
            .to_string(),
    )
    .await?;
    let topics_opened = count(
        "SELECT COUNT(*) FROM topics WHERE agency_id IN (SELECT id FROM sub) \
         AND opened_on BETWEEN $2 AND $3"
            .to_string(),
    )
    .await?;
    let matters_recorded = count(
        "SELECT COUNT(*) FROM matters WHERE agency_id IN (SELECT id FROM sub) AND $2 <= $3"
            .to_string(),
    )
    .await?;
    let service_matters = count(
        "SELECT COUNT(*) FROM matters WHERE agency_id IN (SELECT id FROM sub) \
         AND kind IN ('licensing','other_services') AND listed_on <= $3 \
         AND (delisted_on IS NULL OR delisted_on > $3) AND $2 <= $3"
            .to_string(),
    )
    .await?;
    const LETTERS: &str = "SELECT COUNT(*) FROM mailbox_letters WHERE agency_id IN (SELECT id FROM sub) \
         AND received_on BETWEEN $2 AND $3";
    let letters_received = count(LETTERS.to_string()).await?;
    let done = format!("{LETTERS} AND replied_on IS NOT NULL AND replied_on <= $3");
    let letters_done = count(done.clone()).await?;
    let letters_public = count(format!("{done} AND published = TRUE")).await?;
    let letters_avg_days = average_days(store, agency_id, first, last).await?;
    let (visitors, page_views, counted_days) = visits(store, first, last).await?;
    let (inspections, problems_found, problems_fixed) = security(store, first, last).await?;
    let media = media(store, agency_id, first, last).await?;
    Ok(SiteReportFigures {
        year,
        visitors,
        page_views,
        counted_days,
        items_total,
        items_overview,
        items_catalogue: items_total,
        topics_maintained,
        topics_opened,
        interpretations,
        service_matters: (matters_recorded > 0).then_some(service_matters),
        letters_received,
        letters_done,
        letters_avg_days,
        letters_public,
        inspections,
        problems_found,
        problems_fixed,
        media,
    })
}

/// The mean days from receipt to reply of the letters of the year replied by its end, to one
/// decimal.
async fn average_days(
    store: &Store,
    agency_id: i64,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Option<f64>, StoreError> {
    let sql = format!(
        "{SUBTREE} SELECT received_on, replied_on FROM mailbox_letters WHERE agency_id IN (SELECT id FROM sub) \
         AND received_on BETWEEN $2 AND $3 AND replied_on IS NOT NULL AND replied_on <= $3"
    );
    let pairs: Vec<(NaiveDate, NaiveDate)> = on_db!(store, pool => {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(agency_id)
            .bind(first)
            .bind(last)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("received_on")?, r.try_get("replied_on")?)))
            .collect::<Result<Vec<_>, sqlx::Error>>()?
    });
    if pairs.is_empty() {
        return Ok(None);
    }
    let days: i64 = pairs.iter().map(|(a, b)| (*b - *a).num_days()).sum();
    let mean = days as f64 / pairs.len() as f64;
    Ok(Some((mean * 10.0).round() / 10.0))
}

/// The year's visit counts: (visitors, page views, days counted).
async fn visits(
    store: &Store,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<(Option<i64>, Option<i64>, i64), StoreError> {
    let days = crate::models::site_visit::between(store, first, last).await?;
    if days.is_empty() {
        return Ok((None, None, 0));
    }
    Ok((
        Some(days.iter().map(|d| d.visitors).sum()),
        Some(days.iter().map(|d| d.page_views).sum()),
        days.len() as i64,
    ))
}

/// 安全防护: (runs, problems found, problems 整改) of the runs whose day checked is in the year.
async fn security(
    store: &Store,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<(Option<i64>, Option<i64>, Option<i64>), StoreError> {
    let rows: Vec<(i64, String, Option<String>, Option<String>)> = on_db!(store, pool => {
        sqlx::query(
            "SELECT r.id, r.url, f.rule, f.url AS at FROM site_inspections r \
             LEFT JOIN site_inspection_findings f ON f.run_id = r.id \
             WHERE r.as_of BETWEEN $1 AND $2 ORDER BY r.as_of, r.id",
        )
        .bind(first)
        .bind(last)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("url")?, r.try_get("rule")?, r.try_get("at")?)))
        .collect::<Result<Vec<_>, sqlx::Error>>()?
    });
    Ok(tally_problems(&rows))
}

/// A site's problems: (rule, URL) pairs.
type Problems<'a> = BTreeSet<(&'a str, &'a str)>;

/// Runs, problems found and problems 整改 from (run id, site, rule, URL) rows in run order
/// (a run without findings has one row with no rule).
fn tally_problems(
    rows: &[(i64, String, Option<String>, Option<String>)],
) -> (Option<i64>, Option<i64>, Option<i64>) {
    if rows.is_empty() {
        return (None, None, None);
    }
    let runs: BTreeSet<i64> = rows.iter().map(|r| r.0).collect();
    // Per site: every problem found, and the latest run with what it found.
    let mut found: BTreeMap<&str, Problems> = BTreeMap::new();
    let mut latest: BTreeMap<&str, (i64, Problems)> = BTreeMap::new();
    for (run, site, rule, at) in rows {
        let entry = latest
            .entry(site.as_str())
            .or_insert((*run, BTreeSet::new()));
        if entry.0 != *run {
            *entry = (*run, BTreeSet::new());
        }
        if let (Some(rule), Some(at)) = (rule, at) {
            found
                .entry(site.as_str())
                .or_default()
                .insert((rule.as_str(), at.as_str()));
            entry.1.insert((rule.as_str(), at.as_str()));
        }
    }
    let total: usize = found.values().map(BTreeSet::len).sum();
    let fixed: usize = found
        .iter()
        .map(|(site, problems)| {
            let still = latest.get(site).map(|l| &l.1);
            problems
                .iter()
                .filter(|p| still.is_none_or(|s| !s.contains(*p)))
                .count()
        })
        .sum();
    (
        Some(runs.len() as i64),
        Some(total as i64),
        Some(fixed as i64),
    )
}

/// The accounts that existed during the year: opened by its end and not closed before it.
async fn media(
    store: &Store,
    agency_id: i64,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<MediaAccountRow>, StoreError> {
    let sql = format!(
        "{SUBTREE} SELECT platform, name FROM media_accounts WHERE agency_id IN (SELECT id FROM sub) \
         AND opened_on <= $3 AND (closed_on IS NULL OR closed_on >= $2) ORDER BY platform, id"
    );
    on_db!(store, pool => {
        Ok(sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(agency_id)
            .bind(first)
            .bind(last)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| Ok(MediaAccountRow { platform: r.try_get("platform")?, name: r.try_get("name")? }))
            .collect::<Result<Vec<_>, sqlx::Error>>()?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(
        run: i64,
        site: &str,
        p: Option<(&str, &str)>,
    ) -> (i64, String, Option<String>, Option<String>) {
        (
            run,
            site.to_string(),
            p.map(|p| p.0.to_string()),
            p.map(|p| p.1.to_string()),
        )
    }

    #[test]
    fn a_problem_is_counted_once_and_fixed_when_the_last_run_no_longer_finds_it() {
        assert_eq!(tally_problems(&[]), (None, None, None));
        let rows = [
            row(1, "http://a/", Some(("LINK-BROKEN", "http://a/x"))),
            row(1, "http://a/", Some(("DATE-MISSING", "http://a/y"))),
            row(2, "http://a/", Some(("LINK-BROKEN", "http://a/x"))),
            row(3, "http://a/", Some(("LINK-BROKEN", "http://a/x"))),
            row(3, "http://a/", Some(("COLUMN-BLANK", "http://a/z"))),
        ];
        // Three problems; DATE-MISSING is gone by run 3; the other two remain.
        assert_eq!(tally_problems(&rows), (Some(3), Some(3), Some(1)));
        // A last run that finds nothing: everything was 整改.
        let mut all = rows.to_vec();
        all.push(row(4, "http://a/", None));
        assert_eq!(tally_problems(&all), (Some(4), Some(3), Some(3)));
    }
}
