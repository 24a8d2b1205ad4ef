//! Every case of an agency subtree, findable: the back office's 「全部申请」 list and the
//! 依申请公开台账 export read the same filtered query, so the export holds exactly the cases
//! the list shows (all pages of them).
//!
//! Filters combine (AND); an empty filter lists every case, the open ones first (most urgent
//! first), then the concluded ones, the latest first. Nothing here writes.

use chrono::NaiveDate;
use gongkai_law::{ApplicantKind, ApplicationStatus, Channel, Outcome};
use serde::Serialize;
use sqlx::Row;

use crate::keyed;
use crate::models::agency::SUBTREE;
use crate::views::desk::Urgency;
use crate::{Store, StoreError};

/// Which cases a status filter keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// 在办（未答复）: not concluded.
    Open,
    /// 已答复或已办结: concluded.
    Concluded,
    /// Exactly this status.
    Is(ApplicationStatus),
}

impl StatusFilter {
    /// Every filter, in the order the list offers them.
    pub fn all() -> impl Iterator<Item = StatusFilter> {
        [StatusFilter::Open, StatusFilter::Concluded]
            .into_iter()
            .chain(ApplicationStatus::ALL.into_iter().map(StatusFilter::Is))
    }

    /// The key in the list's query string (`open`, `concluded`, or the status's key).
    pub fn key(self) -> &'static str {
        match self {
            StatusFilter::Open => "open",
            StatusFilter::Concluded => "concluded",
            StatusFilter::Is(s) => s.key(),
        }
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::Open => "在办（未答复）",
            StatusFilter::Concluded => "已答复或已办结",
            StatusFilter::Is(s) => s.label(),
        }
    }

    /// Reads a key.
    pub fn parse(s: &str) -> Option<StatusFilter> {
        let s = s.trim();
        StatusFilter::all().find(|f| f.key() == s)
    }
}

/// Which cases to list. Every field is optional (`None` / `false` / empty = no filter).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    /// Open, concluded, or in one status.
    pub status: Option<StatusFilter>,
    /// The outcome of the final reply.
    pub outcome: Option<Outcome>,
    /// The year the application was received.
    pub year: Option<i32>,
    /// How the application came.
    pub channel: Option<Channel>,
    /// Only open cases past their deadline on the day asked about.
    pub overdue: bool,
    /// Part of the tracking number or of the applicant's name.
    pub text: String,
}

/// One case as listed (no sealed personal data).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseLine {
    /// Application id.
    pub id: i64,
    /// The agency applied to.
    pub agency_id: i64,
    /// 申请编号.
    pub tracking_no: String,
    /// How it came (serialised as [`Channel::key`]).
    #[serde(serialize_with = "crate::keyed::channel_key")]
    pub channel: Channel,
    /// The legal receipt date.
    pub received_on: NaiveDate,
    /// The applicant's name.
    pub applicant_name: String,
    /// Who applies.
    pub applicant_kind: ApplicantKind,
    /// What is asked for.
    pub description: String,
    /// Where it stands.
    pub status: ApplicationStatus,
    /// The outcome of the final reply.
    pub outcome: Option<Outcome>,
    /// Date of the final reply.
    pub concluded_on: Option<NaiveDate>,
    /// The deadline in force.
    pub due_on: Option<NaiveDate>,
    /// Whether that deadline is provisional.
    pub due_provisional: bool,
    /// 备注.
    pub note: String,
    /// How urgent it is on the day asked about (open cases; concluded ones are `OnTime`).
    pub urgency: Urgency,
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern (both back ends).
fn like_pattern(text: &str) -> String {
    let mut p = String::with_capacity(text.len() + 2);
    p.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// The WHERE clause of [`find_cases`] and [`count_cases`]: `$1` root, then the filter's
/// parameters `$2`…`$10` in the order [`bind_filter`] binds them. Every filter is always
/// bound; an empty one is switched off inside the SQL, so the text never changes.
const WHERE: &str = "WHERE agency_id IN (SELECT id FROM sub) \
     AND ($2 = '' OR ($2 = 'open' AND concluded_on IS NULL) \
          OR ($2 = 'concluded' AND concluded_on IS NOT NULL) OR status = $2) \
     AND ($3 = '' OR outcome = $3) \
     AND ($4 = 0 OR (received_on >= $5 AND received_on <= $6)) \
     AND ($7 = '' OR channel = $7) \
     AND ($8 = 0 OR (concluded_on IS NULL AND due_on < $9)) \
     AND ($10 = '' OR tracking_no LIKE $10 ESCAPE '\\' OR applicant_name LIKE $10 ESCAPE '\\')";

/// The filter's SQL parameters: the keys of its statuses and kinds (empty for none).
struct Bound {
    status: &'static str,
    outcome: &'static str,
    year: i64,
    from: NaiveDate,
    to: NaiveDate,
    channel: &'static str,
    overdue: i64,
    today: NaiveDate,
    text: String,
}

fn bound(f: &CaseFilter, today: NaiveDate) -> Bound {
    let year = f.year.unwrap_or(0);
    // Unused without a year, but bound all the same: dates PostgreSQL accepts.
    let (y, z) = if f.year.is_some() {
        (year, year)
    } else {
        (1, 9999)
    };
    let from = NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default();
    let to = NaiveDate::from_ymd_opt(z, 12, 31).unwrap_or_default();
    let text = f.text.trim();
    Bound {
        status: f.status.map_or("", StatusFilter::key),
        outcome: f.outcome.map_or("", Outcome::key),
        year: i64::from(f.year.is_some()),
        from,
        to,
        channel: f.channel.map_or("", Channel::key),
        overdue: i64::from(f.overdue),
        today,
        text: if text.is_empty() {
            String::new()
        } else {
            like_pattern(text)
        },
    }
}

macro_rules! bind_filter {
    ($q:expr, $root:expr, $b:expr) => {
        $q.bind($root)
            .bind($b.status)
            .bind($b.outcome)
            .bind($b.year)
            .bind($b.from)
            .bind($b.to)
            .bind($b.channel)
            .bind($b.overdue)
            .bind($b.today)
            .bind($b.text.clone())
    };
}

/// How many cases of `root`'s subtree match.
pub async fn count_cases(
    store: &Store,
    root: i64,
    filter: &CaseFilter,
    today: NaiveDate,
) -> Result<i64, StoreError> {
    let b = bound(filter, today);
    let sql = format!("{SUBTREE} SELECT COUNT(*) AS n FROM applications {WHERE}");
    on_db!(store, pool => {
        let q = sqlx::query(sqlx::AssertSqlSafe(sql));
        Ok(bind_filter!(q, root, b).fetch_one(pool).await?.try_get("n")?)
    })
}

/// The cases of `root`'s subtree that match, open ones first (overdue, then by deadline,
/// stopped clocks last), then concluded ones (latest reply first); `limit` rows from
/// `offset`. `limit = None` returns them all (the export).
pub async fn find_cases(
    store: &Store,
    root: i64,
    filter: &CaseFilter,
    today: NaiveDate,
    offset: i64,
    limit: Option<i64>,
) -> Result<Vec<CaseLine>, StoreError> {
    let b = bound(filter, today);
    let sql = format!(
        "{SUBTREE} SELECT id, agency_id, tracking_no, channel, received_on, applicant_name, applicant_kind, \
         description, status, outcome, concluded_on, due_on, due_provisional, note FROM applications {WHERE} \
         ORDER BY CASE WHEN concluded_on IS NULL THEN 0 ELSE 1 END, \
         CASE WHEN concluded_on IS NULL AND due_on IS NULL THEN 1 ELSE 0 END, \
         CASE WHEN concluded_on IS NULL THEN due_on END, concluded_on DESC, id DESC \
         LIMIT $11 OFFSET $12"
    );
    // No limit is i64::MAX, which both back ends accept.
    let limit = limit.unwrap_or(i64::MAX);
    on_db!(store, pool => {
        let q = sqlx::query(sqlx::AssertSqlSafe(sql));
        let rows = bind_filter!(q, root, b).bind(limit).bind(offset.max(0)).fetch_all(pool).await?;
        rows.iter()
            .map(|r| {
                let due_on: Option<NaiveDate> = r.try_get("due_on")?;
                let concluded_on: Option<NaiveDate> = r.try_get("concluded_on")?;
                Ok::<_, StoreError>(CaseLine {
                    id: r.try_get("id")?,
                    agency_id: r.try_get("agency_id")?,
                    tracking_no: r.try_get("tracking_no")?,
                    channel: keyed::column(r, "channel")?,
                    received_on: r.try_get("received_on")?,
                    applicant_name: r.try_get("applicant_name")?,
                    applicant_kind: keyed::column(r, "applicant_kind")?,
                    description: r.try_get("description")?,
                    status: keyed::column(r, "status")?,
                    outcome: keyed::optional_column(r, "outcome")?,
                    concluded_on,
                    due_on,
                    due_provisional: r.try_get("due_provisional")?,
                    note: r.try_get("note")?,
                    urgency: if concluded_on.is_some() {
                        Urgency::OnTime
                    } else {
                        Urgency::of(due_on, today)
                    },
                })
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_match_literally() {
        assert_eq!(like_pattern("王"), "%王%");
        assert_eq!(like_pattern("50%_a\\"), "%50\\%\\_a\\\\%");
    }
}
