//! The portal's daily visit counts (国办函〔2018〕12号 政府网站工作年度报表: 独立用户访问总量 and
//! 网站总访问量). One row a Beijing day holds two numbers and nothing else: the web layer tells
//! visitors apart in memory by a hash salted afresh each day and writes only the counts here
//! (`gongkai_web::visits`; the method is in docs/SECURITY.md). A count is a measurement the
//! server keeps up to date every minute, not a decision, so it is not audited (as the
//! availability probes of [`super::site_probe`] are not).

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::{BeginWrite, Store, StoreError};

/// The counts of one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VisitDay {
    /// The Beijing day.
    pub day: NaiveDate,
    /// Distinct visitors that day.
    pub visitors: i64,
    /// Page views that day.
    pub page_views: i64,
}

/// Sets the counts of `day` (the counter's running totals replace what was written before).
pub async fn set_day(
    store: &Store,
    day: NaiveDate,
    visitors: i64,
    page_views: i64,
) -> Result<(), StoreError> {
    if visitors < 0 || page_views < 0 {
        return Err(StoreError::invalid("访问量不能为负数"));
    }
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query(
            "INSERT INTO site_visit_days (day, visitors, page_views) VALUES ($1, $2, $3) \
             ON CONFLICT (day) DO UPDATE SET visitors = excluded.visitors, page_views = excluded.page_views",
        )
        .bind(day)
        .bind(visitors)
        .bind(page_views)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    })
}

/// The counts of one day, if any were written.
pub async fn day(store: &Store, day: NaiveDate) -> Result<Option<VisitDay>, StoreError> {
    Ok(between(store, day, day).await?.into_iter().next())
}

/// The counted days from `first` to `last` (both included), in order.
pub async fn between(
    store: &Store,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<VisitDay>, StoreError> {
    on_db!(store, pool => {
        sqlx::query(
            "SELECT day, visitors, page_views FROM site_visit_days WHERE day BETWEEN $1 AND $2 ORDER BY day",
        )
        .bind(first)
        .bind(last)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(VisitDay {
                day: r.try_get("day")?,
                visitors: r.try_get("visitors")?,
                page_views: r.try_get("page_views")?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()
        .map_err(StoreError::from)
    })
}
