//! Queries behind the back office's application desk: the open cases of an agency subtree,
//! the most urgent first, each flagged due soon or overdue against a given day, and the
//! number of a letter (告知书 / 答复书) stored with the event that issued it.
//!
//! Nothing here writes: the desk's writes go through [`crate::models::application`].

use chrono::NaiveDate;
use gongkai_law::ApplicationStatus;
use serde::Serialize;
use sqlx::Row;

use crate::models::agency::SUBTREE;
use crate::{Store, StoreError};

/// Working days are not needed to flag urgency: a case is "due soon" when its deadline is at
/// most this many calendar days away. A week keeps one working week of warning.
pub const DUE_SOON_DAYS: i64 = 7;

/// How urgent an open case is on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Urgency {
    /// The deadline has passed.
    Overdue,
    /// The deadline is within [`DUE_SOON_DAYS`].
    DueSoon,
    /// The deadline is further away.
    OnTime,
    /// No running clock (waiting for the applicant's correction or payment).
    Stopped,
}

impl Urgency {
    /// The urgency of a deadline seen from `today`.
    pub fn of(due: Option<NaiveDate>, today: NaiveDate) -> Urgency {
        match due {
            None => Urgency::Stopped,
            Some(d) if d < today => Urgency::Overdue,
            Some(d) if (d - today).num_days() <= DUE_SOON_DAYS => Urgency::DueSoon,
            Some(_) => Urgency::OnTime,
        }
    }

    /// The Chinese label shown on the desk.
    pub fn label(self) -> &'static str {
        match self {
            Urgency::Overdue => "已超期",
            Urgency::DueSoon => "即将到期",
            Urgency::OnTime => "期限内",
            Urgency::Stopped => "暂停计时",
        }
    }

    /// Whether the deadline has passed.
    pub fn is_overdue(self) -> bool {
        self == Urgency::Overdue
    }

    /// A stable key (CSS class, tests).
    pub fn key(self) -> &'static str {
        match self {
            Urgency::Overdue => "overdue",
            Urgency::DueSoon => "due-soon",
            Urgency::OnTime => "on-time",
            Urgency::Stopped => "stopped",
        }
    }
}

/// One open case on the desk (no sealed personal data).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeskRow {
    /// Application id.
    pub id: i64,
    /// The agency applied to.
    pub agency_id: i64,
    /// 申请编号.
    pub tracking_no: String,
    /// The applicant's name.
    pub applicant_name: String,
    /// What is asked for.
    pub description: String,
    /// The legal receipt date.
    pub received_on: NaiveDate,
    /// Where it stands (never [`ApplicationStatus::Closed`]: closed cases are not listed).
    pub status: ApplicationStatus,
    /// The deadline in force.
    pub due_on: Option<NaiveDate>,
    /// Whether that deadline is provisional.
    pub due_provisional: bool,
    /// How urgent it is on the day asked about.
    pub urgency: Urgency,
}

/// Open (not yet concluded) applications of `root`'s subtree, overdue first, then by due date
/// (cases whose clock is stopped last), at most `limit`.
pub async fn open_cases(
    store: &Store,
    root: i64,
    today: NaiveDate,
    limit: i64,
) -> Result<Vec<DeskRow>, StoreError> {
    // `due_on IS NULL` sorts last on both back ends through the CASE key.
    let sql = format!(
        "{SUBTREE} SELECT id, agency_id, tracking_no, applicant_name, description, received_on, status, \
         due_on, due_provisional FROM applications \
         WHERE agency_id IN (SELECT id FROM sub) AND concluded_on IS NULL AND status <> 'closed' \
         ORDER BY CASE WHEN due_on IS NULL THEN 1 ELSE 0 END, due_on, id LIMIT $2"
    );
    let rows = on_db!(store, pool => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(root).bind(limit).fetch_all(pool).await?;
        rows.iter()
            .map(|r| {
                let due_on: Option<NaiveDate> = r.try_get("due_on")?;
                Ok::<_, StoreError>(DeskRow {
                    id: r.try_get("id")?,
                    agency_id: r.try_get("agency_id")?,
                    tracking_no: r.try_get("tracking_no")?,
                    applicant_name: r.try_get("applicant_name")?,
                    description: r.try_get("description")?,
                    received_on: r.try_get("received_on")?,
                    status: crate::keyed::column(r, "status")?,
                    due_on,
                    due_provisional: r.try_get("due_provisional")?,
                    urgency: Urgency::of(due_on, today),
                })
            })
            .collect::<Result<Vec<_>, _>>()?
    });
    Ok(rows)
}

/// How many open cases of `root`'s subtree are overdue and how many are due soon on `today`:
/// what the head's dashboard lists as waiting. Counted in the database so a county with many
/// open cases does not load them all.
pub async fn urgency_counts(
    store: &Store,
    root: i64,
    today: NaiveDate,
) -> Result<UrgencyCounts, StoreError> {
    let soon = today + chrono::Duration::days(DUE_SOON_DAYS);
    let sql = format!(
        "{SUBTREE} SELECT \
         COALESCE(SUM(CASE WHEN due_on < $2 THEN 1 ELSE 0 END), 0) AS overdue, \
         COALESCE(SUM(CASE WHEN due_on >= $2 AND due_on <= $3 THEN 1 ELSE 0 END), 0) AS due_soon \
         FROM applications \
         WHERE agency_id IN (SELECT id FROM sub) AND concluded_on IS NULL AND status <> 'closed'"
    );
    let counts = on_db!(store, pool => {
        let r = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(root)
            .bind(today)
            .bind(soon)
            .fetch_one(pool)
            .await?;
        UrgencyCounts {
            overdue: r.try_get("overdue")?,
            due_soon: r.try_get("due_soon")?,
        }
    });
    Ok(counts)
}

/// The open cases of a subtree by urgency (see [`urgency_counts`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct UrgencyCounts {
    /// Cases past their deadline.
    pub overdue: i64,
    /// Cases due within [`DUE_SOON_DAYS`].
    pub due_soon: i64,
}

pub use crate::models::application::LETTER_EVENTS;

/// The serial of the letter issued by event `event_id`, per agency, year and kind of letter.
///
/// The serial is taken from `letter_counters` in the transaction that records the event
/// ([`crate::models::application`]) and stored with it, so it is unique per agency, year and
/// kind even when letters are issued concurrently, and stays the same however often the
/// letter is printed. `None` if the event issues no letter.
pub async fn letter_serial(store: &Store, event_id: i64) -> Result<Option<i64>, StoreError> {
    let row = on_db!(store, pool => {
        sqlx::query("SELECT letter_serial FROM application_events WHERE id = $1")
            .bind(event_id)
            .fetch_optional(pool)
            .await?
            .map(|r| r.try_get::<Option<i64>, _>("letter_serial"))
            .transpose()?
    });
    match row {
        None => Err(StoreError::NotFound(format!("event {event_id}"))),
        Some(serial) => Ok(serial),
    }
}
