//! Due dates of applications, computed by the legal clock of `gongkai-law` from the events the
//! store keeps. This is the one place the store asks for a deadline, so a recomputation (a new
//! year's arrangement, an amended one) goes through here too.

use std::sync::{Arc, LazyLock, RwLock};

use chrono::NaiveDate;
use gongkai_law::{Calendar, ClockEvent};

/// The calendar deadlines are computed with: the embedded arrangements until an admin loads
/// another ([`set_calendar`]).
static CALENDAR: LazyLock<RwLock<Arc<Calendar>>> =
    LazyLock::new(|| RwLock::new(Arc::new(Calendar::embedded())));

/// The calendar in force.
pub fn calendar() -> Arc<Calendar> {
    match CALENDAR.read() {
        Ok(c) => Arc::clone(&c),
        Err(poisoned) => Arc::clone(&poisoned.into_inner()),
    }
}

/// Replaces the calendar in force (after loading a year's arrangement). Call
/// [`crate::models::application::recompute_due`] afterwards so stored due dates follow.
pub fn set_calendar(calendar: Calendar) {
    let new = Arc::new(calendar);
    match CALENDAR.write() {
        Ok(mut c) => *c = new,
        Err(poisoned) => *poisoned.into_inner() = new,
    }
}

/// A due date as stored with an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// The deadline in force; `None` while the clock waits for the applicant (补正, fee) or
    /// when the events have no clock.
    pub due_on: Option<NaiveDate>,
    /// Whether it runs into a year without a known arrangement.
    pub provisional: bool,
    /// Why it is provisional, or why there is no clock (Chinese).
    pub reason: Option<String>,
}

/// The due date of an application with these events.
pub fn compute_due(events: &[ClockEvent]) -> Due {
    match gongkai_law::compute(&calendar(), events) {
        Ok(d) => Due {
            due_on: d.due,
            provisional: d.provisional,
            reason: d.reason,
        },
        Err(e) => Due {
            due_on: None,
            provisional: true,
            reason: Some(e.to_string()),
        },
    }
}
