//! Read models of supervision (监督保障): the quarterly assessment of units computed from the
//! records, and a year's supervision records in one place (for the back office and the
//! report's prose). Nothing here writes.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use sqlx::Row;

use crate::models::accountability::{self, AccountabilityCase};
use crate::models::agency::{self, AgencyLevel, SUBTREE};
use crate::models::commendation::{self, Commendation};
use crate::models::inspection::{self, Inspection};
use crate::models::training::{self, Training};
use crate::{Store, StoreError};

/// Working days within which a proactive item must be published after it was made
/// (《条例》第二十六条: 自该政府信息形成或者变更之日起20个工作日内).
pub const PUBLISH_WORKING_DAYS: u32 = 20;

/// A calendar quarter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Quarter {
    /// Year.
    pub year: i32,
    /// 1 to 4.
    pub quarter: u32,
}

impl Quarter {
    /// The quarter `q` (1–4) of `year`, or `None` for another `q`.
    pub fn new(year: i32, quarter: u32) -> Option<Quarter> {
        ((1..=4).contains(&quarter) && NaiveDate::from_ymd_opt(year, 1, 1).is_some())
            .then_some(Quarter { year, quarter })
    }

    /// The quarter a date falls in.
    pub fn of(date: NaiveDate) -> Quarter {
        Quarter {
            year: date.year(),
            quarter: (date.month() - 1) / 3 + 1,
        }
    }

    /// Its first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, (self.quarter - 1) * 3 + 1, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Its last day.
    pub fn last_day(self) -> NaiveDate {
        let next = if self.quarter == 4 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year, self.quarter * 3 + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
    }

    /// 「2020年第一季度」.
    pub fn label(self) -> String {
        let q = ["一", "二", "三", "四"][(self.quarter.clamp(1, 4) - 1) as usize];
        format!("{}年第{q}季度", self.year)
    }
}

/// One unit's quarter, computed from its records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitAssessment {
    /// The unit (a 县直部门 or 乡镇; its own subtree counts with it).
    pub agency_id: i64,
    /// Its name.
    pub name: String,
    /// 县直部门 or 乡镇.
    pub level: AgencyLevel,
    /// Items published in the quarter.
    pub items: i64,
    /// Of those, items published within [`PUBLISH_WORKING_DAYS`] working days of their
    /// 成文日期. An item without a 成文日期 cannot show it was on time and does not count here.
    pub items_on_time: i64,
    /// Applications settled in the quarter: answered on time in it, or their due date passed
    /// in it without a reply (each application counts once, in one quarter).
    pub replies: i64,
    /// Of those, answered by their due date.
    pub replies_on_time: i64,
    /// Already commended (通报表扬) for this quarter.
    pub commended: bool,
}

impl UnitAssessment {
    /// Share of items published on time, in per cent; `None` with no item.
    pub fn publish_percent(&self) -> Option<f64> {
        percent(self.items_on_time, self.items)
    }

    /// Share of replies on time, in per cent; `None` with no reply due.
    pub fn reply_percent(&self) -> Option<f64> {
        percent(self.replies_on_time, self.replies)
    }

    /// Whether the unit qualifies for 通报表扬 (按时按质完成): at least one item published in
    /// the quarter, every item published within 20 working days of its 成文日期 (100 %), and
    /// every application settled in the quarter answered by its due date (100 %; a unit with
    /// no application due had none late, so it counts as 100 %).
    pub fn qualifies(&self) -> bool {
        self.items >= 1 && self.items_on_time == self.items && self.replies_on_time == self.replies
    }
}

fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// The quarterly assessment of the 县直部门 and 乡镇 below `county_id`, computed from their
/// records as of `as_of` (an application not yet answered counts as late only once its due
/// date is before `as_of`). Units in tree order.
///
/// Publishing on time is judged with the working-day calendar in force
/// ([`crate::due::calendar`]), counting from the day after the 成文日期.
pub async fn assessment(
    store: &Store,
    county_id: i64,
    quarter: Quarter,
    as_of: NaiveDate,
) -> Result<Vec<UnitAssessment>, StoreError> {
    let subtree: std::collections::HashSet<i64> = agency::subtree_ids(store, county_id)
        .await?
        .into_iter()
        .collect();
    let agencies: Vec<agency::Agency> = agency::list(store)
        .await?
        .into_iter()
        .filter(|a| subtree.contains(&a.id))
        .collect();
    let parent: HashMap<i64, Option<i64>> = agencies.iter().map(|a| (a.id, a.parent_id)).collect();
    let mut units: Vec<UnitAssessment> = agencies
        .iter()
        .filter(|a| matches!(a.level, AgencyLevel::Department | AgencyLevel::Township))
        .map(|a| UnitAssessment {
            agency_id: a.id,
            name: a.name.clone(),
            level: a.level,
            items: 0,
            items_on_time: 0,
            replies: 0,
            replies_on_time: 0,
            commended: false,
        })
        .collect();
    let index: HashMap<i64, usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.agency_id, i))
        .collect();
    // The unit a record belongs to: its agency, or the nearest unit above it.
    let unit_of = |mut id: i64| -> Option<usize> {
        for _ in 0..64 {
            if let Some(i) = index.get(&id) {
                return Some(*i);
            }
            id = (*parent.get(&id)?)?;
        }
        None
    };

    let (first, last) = (quarter.first_day(), quarter.last_day());
    let items_sql = format!(
        "{SUBTREE} SELECT agency_id, written_on, published_on FROM proactive_items \
         WHERE agency_id IN (SELECT id FROM sub) AND status = 'published' \
         AND published_on >= $2 AND published_on <= $3"
    );
    let items: Vec<(i64, Option<NaiveDate>, NaiveDate)> = on_db!(store, pool => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(items_sql)).bind(county_id).bind(first).bind(last).fetch_all(pool).await?;
        rows.iter()
            .map(|r| Ok((r.try_get("agency_id")?, r.try_get("written_on")?, r.try_get("published_on")?)))
            .collect::<Result<_, sqlx::Error>>()?
    });
    let calendar = crate::due::calendar();
    for (agency_id, written, published) in items {
        let Some(u) = unit_of(agency_id) else {
            continue;
        };
        units[u].items += 1;
        let on_time = written.is_some_and(|w| {
            published >= w
                && calendar
                    .nth_working_day_after(w, PUBLISH_WORKING_DAYS)
                    .is_some_and(|limit| published <= limit)
        });
        if on_time {
            units[u].items_on_time += 1;
        }
    }

    // Applications that may settle in the quarter: answered in it, or due in it.
    let apps_sql = format!(
        "{SUBTREE} SELECT agency_id, concluded_on, due_on FROM applications \
         WHERE agency_id IN (SELECT id FROM sub) \
         AND ((concluded_on >= $2 AND concluded_on <= $3) OR (due_on >= $2 AND due_on <= $3))"
    );
    let apps: Vec<(i64, Option<NaiveDate>, Option<NaiveDate>)> = on_db!(store, pool => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(apps_sql)).bind(county_id).bind(first).bind(last).fetch_all(pool).await?;
        rows.iter()
            .map(|r| Ok((r.try_get("agency_id")?, r.try_get("concluded_on")?, r.try_get("due_on")?)))
            .collect::<Result<_, sqlx::Error>>()?
    });
    let in_quarter = |d: NaiveDate| d >= first && d <= last;
    for (agency_id, concluded, due) in apps {
        let Some(u) = unit_of(agency_id) else {
            continue;
        };
        // Answered by the due date (or with no clock running): settles when answered. Late,
        // answered or not: settles (as late) when the due date passed.
        let answered_on_time = concluded.filter(|c| due.is_none_or(|d| *c <= d));
        if let Some(c) = answered_on_time {
            if in_quarter(c) {
                units[u].replies += 1;
                units[u].replies_on_time += 1;
            }
        } else if due.is_some_and(|d| in_quarter(d) && d < as_of) {
            units[u].replies += 1;
        }
    }

    for c in commendation::list(store, county_id, quarter.year).await? {
        if c.quarter == quarter.quarter
            && let Some(i) = index.get(&c.unit_id)
        {
            units[*i].commended = true;
        }
    }
    Ok(units)
}

/// An agency's supervision records of one year (its subtree), as the back office lists them
/// and the report's prose counts them: 培训, 检查, 责任追究 and 通报表扬.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupervisionYear {
    /// Training sessions.
    pub trainings: Vec<Training>,
    /// Inspections of sites and accounts.
    pub inspections: Vec<Inspection>,
    /// Accountability cases.
    pub accountability: Vec<AccountabilityCase>,
    /// Units commended (issued by this agency).
    pub commendations: Vec<Commendation>,
}

/// The supervision records of `agency_id`'s subtree in `year`.
pub async fn year(store: &Store, agency_id: i64, year: i32) -> Result<SupervisionYear, StoreError> {
    let (from, to) = (
        Quarter { year, quarter: 1 }.first_day(),
        Quarter { year, quarter: 4 }.last_day(),
    );
    Ok(SupervisionYear {
        trainings: training::list(store, agency_id, from, to).await?,
        inspections: inspection::list(store, agency_id, from, to).await?,
        accountability: accountability::list(store, agency_id, from, to).await?,
        commendations: commendation::list(store, agency_id, year).await?,
    })
}
