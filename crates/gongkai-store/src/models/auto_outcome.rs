//! Outcomes the Regulation decides by itself: an application whose 补正 period passed without
//! the corrected application (Art. 30) and one whose fee was not paid within the payment period
//! (Art. 42, 国办函〔2020〕109号) are no longer processed. Each ends as a 其他处理 row of table
//! 三 ([`Outcome::OtherNoCorrection`], [`Outcome::OtherUnpaidFee`]).
//!
//! [`lapsed`] finds them with the legal clock (the 补正 period the notice set,
//! [`gongkai_law::correction_due`]; the payment period of the fee notice,
//! [`gongkai_law::Awaiting::Payment`]); [`sweep`] concludes each in a transaction of its own,
//! with its reply event (a numbered letter like any reply) and its audit entry. Sweeping again
//! finds nothing: a concluded case is no longer waiting for anything.
//!
//! The outcome is dated the first day after the period ended, the day the application counts
//! as abandoned, however late the sweep runs, so the report counts it in the right year.

use chrono::NaiveDate;
use gongkai_law::{Awaiting, ClockEvent, Outcome};
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::due::{calendar, compute_due};
use crate::models::agency::SUBTREE;
use crate::models::application::{self, RESERVE_SERIALS, event_row};
use crate::{BeginWrite, Store, StoreError};

/// An application whose period has passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lapsed {
    /// Application id.
    pub id: i64,
    /// The agency applied to.
    pub agency_id: i64,
    /// 申请编号.
    pub tracking_no: String,
    /// The outcome it gets.
    pub outcome: Outcome,
    /// The last day of the period that passed.
    pub period_end: NaiveDate,
    /// The day it is concluded: the day after `period_end`.
    pub concluded_on: NaiveDate,
    /// The id of its last event when it was found (a later event means the case moved on).
    last_event: i64,
}

/// The automatic outcome of a case with these events on `today`, if its period has passed:
/// (outcome, last day of the period).
pub fn lapse_of(events: &[ClockEvent], today: NaiveDate) -> Option<(Outcome, NaiveDate)> {
    let cal = calendar();
    let clock = gongkai_law::compute(&cal, events).ok()?;
    if clock.replied.is_some() {
        return None;
    }
    let (outcome, end) = match clock.awaiting? {
        Awaiting::Correction { notice_sent } => (
            Outcome::OtherNoCorrection,
            gongkai_law::correction_due(&cal, notice_sent)?,
        ),
        Awaiting::Payment { pay_by, .. } => (Outcome::OtherUnpaidFee, pay_by),
    };
    (end < today).then_some((outcome, end))
}

/// The open applications of `root`'s subtree (every agency when `None`) whose 补正 or payment
/// period has passed on `today`, oldest first.
pub async fn lapsed(
    store: &Store,
    root: Option<i64>,
    today: NaiveDate,
) -> Result<Vec<Lapsed>, StoreError> {
    // Only a case waiting for the applicant can lapse; the clock decides which.
    let waiting = "concluded_on IS NULL AND status IN ('awaiting_correction', 'awaiting_fee')";
    let sql = match root {
        Some(_) => format!(
            "{SUBTREE} SELECT id, agency_id, tracking_no FROM applications \
             WHERE agency_id IN (SELECT id FROM sub) AND {waiting} ORDER BY received_on, id"
        ),
        None => format!(
            "SELECT id, agency_id, tracking_no FROM applications WHERE {waiting} AND $1 = $1 \
             ORDER BY received_on, id"
        ),
    };
    let candidates: Vec<(i64, i64, String)> = on_db!(store, pool => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(root.unwrap_or(0))
            .fetch_all(pool)
            .await?;
        rows.iter()
            .map(|r| Ok::<_, StoreError>((r.try_get("id")?, r.try_get("agency_id")?, r.try_get("tracking_no")?)))
            .collect::<Result<_, _>>()?
    });
    let mut out = Vec::new();
    for (id, agency_id, tracking_no) in candidates {
        let events = application::events(store, id).await?;
        let Some(last_event) = events.iter().map(|e| e.id).max() else {
            continue;
        };
        let clock: Vec<ClockEvent> = events.into_iter().map(|e| e.event).collect();
        if let Some((outcome, period_end)) = lapse_of(&clock, today)
            && let Some(concluded_on) = period_end.succ_opt()
        {
            out.push(Lapsed {
                id,
                agency_id,
                tracking_no,
                outcome,
                period_end,
                concluded_on,
                last_event,
            });
        }
    }
    Ok(out)
}

/// Concludes every lapsed application of `root`'s subtree (every agency when `None`) with its
/// automatic outcome, each in its own transaction with its audit entry. A case that moved on
/// meanwhile (a correction or payment recorded, a reply sent) is left alone. Returns the
/// cases concluded.
pub async fn sweep(
    store: &Store,
    actor: &str,
    root: Option<i64>,
    today: NaiveDate,
) -> Result<Vec<Lapsed>, StoreError> {
    let mut done = Vec::new();
    for l in lapsed(store, root, today).await? {
        if conclude(store, actor, &l).await? {
            done.push(l);
        }
    }
    Ok(done)
}

/// Concludes one lapsed case; false if it moved on since it was found.
async fn conclude(store: &Store, actor: &str, l: &Lapsed) -> Result<bool, StoreError> {
    let mut clock: Vec<ClockEvent> = application::events(store, l.id)
        .await?
        .into_iter()
        .map(|e| e.event)
        .collect();
    let reply = ClockEvent::Replied { on: l.concluded_on };
    let (kind, on, payload) = event_row(&reply, Some(l.outcome))?;
    // Mark the reply as the Regulation's, not a handler's (the case page says so).
    let mut payload: serde_json::Value =
        serde_json::from_str(&payload).map_err(|e| StoreError::invalid(e.to_string()))?;
    if let Some(obj) = payload.as_object_mut() {
        obj.insert("automatic".into(), true.into());
    }
    let payload = payload.to_string();
    clock.push(reply);
    let due = compute_due(&clock);
    let year = i64::from(chrono::Datelike::year(&on));
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let detail = serde_json::json!({
            "outcome": l.outcome.key(),
            "period_end": l.period_end,
            "on": on,
        })
        .to_string();
        audit_append!(tx, actor, "application.auto_outcome", "application", &l.id.to_string(), &detail);
        // Still waiting, still concluded by nobody, and no event since it was found.
        let n = sqlx::query(
            "UPDATE applications SET status = 'replied', outcome = $1, concluded_on = $2, due_on = $3, \
             due_provisional = $4, due_reason = $5 WHERE id = $6 AND concluded_on IS NULL \
             AND status IN ('awaiting_correction', 'awaiting_fee') \
             AND NOT EXISTS (SELECT 1 FROM application_events WHERE application_id = $6 AND id > $7)",
        )
        .bind(l.outcome.key())
        .bind(on)
        .bind(due.due_on)
        .bind(due.provisional)
        .bind(&due.reason)
        .bind(l.id)
        .bind(l.last_event)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            // Dropping the transaction rolls the audit entry back with it.
            return Ok(false);
        }
        let serial: i64 = sqlx::query(RESERVE_SERIALS)
            .bind(l.agency_id)
            .bind(year)
            .bind(kind)
            .bind(1i64)
            .fetch_one(&mut *tx)
            .await?
            .try_get("last")?;
        sqlx::query(
            "INSERT INTO application_events (application_id, kind, occurred_on, payload, letter_serial) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(l.id)
        .bind(kind)
        .bind(on)
        .bind(&payload)
        .bind(serial)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    });
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_law::Channel;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn received(on: &str) -> ClockEvent {
        ClockEvent::Received {
            channel: Channel::InPerson,
            arrived: d(on),
            confirmed: None,
        }
    }

    #[test]
    fn correction_lapses_the_day_after_fifteen_working_days() {
        let events = [
            received("2025-02-26"),
            ClockEvent::CorrectionNoticeSent {
                on: d("2025-03-03"),
            },
        ];
        // The notice's period ends 2025-03-25 (gongkai-law's vector).
        assert_eq!(lapse_of(&events, d("2025-03-25")), None);
        assert_eq!(
            lapse_of(&events, d("2025-03-26")),
            Some((Outcome::OtherNoCorrection, d("2025-03-25")))
        );
        let mut corrected = events.to_vec();
        corrected.push(ClockEvent::CorrectedApplicationReceived {
            on: d("2025-03-20"),
        });
        assert_eq!(lapse_of(&corrected, d("2025-06-01")), None);
    }

    #[test]
    fn an_unpaid_fee_lapses_after_the_payment_period() {
        let events = [
            received("2025-03-03"),
            ClockEvent::FeeNoticeSent {
                on: d("2025-03-10"),
            },
        ];
        let (outcome, end) = lapse_of(&events, d("2025-06-01")).unwrap();
        assert_eq!(outcome, Outcome::OtherUnpaidFee);
        assert_eq!(lapse_of(&events, end), None);
        let mut paid = events.to_vec();
        paid.push(ClockEvent::FeePaid {
            on: d("2025-03-20"),
        });
        assert_eq!(lapse_of(&paid, d("2025-06-01")), None);
    }
}
