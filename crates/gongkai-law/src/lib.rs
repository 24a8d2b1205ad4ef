//! The law of open government information (《政府信息公开条例》, State Council Decree 711) as
//! types and pure functions.
//!
//! This crate is the single source of truth for the legal vocabulary every other Gongkai crate
//! uses: who may apply ([`ApplicantKind`]), how an application can end ([`Outcome`]), which row
//! of the annual report's table 三 that ending is counted in ([`Table3Row`], per
//! [`ReportFormat`]), and the working-day calendar and legal clock.
//!
//! Architecture invariant: this crate does no I/O. Data it needs (the State Council holiday
//! arrangements) is embedded at compile time; newer data is handed in by the caller.
//!
//! The legal clock: take [`Calendar::embedded`] (plus any newer year the caller read, via
//! [`Calendar::with_year`]) and [`compute`] a case's [`Deadlines`] from its [`ClockEvent`]s;
//! after a calendar change, [`moved_deadlines`] says which cases' deadlines moved. Fees per
//! request: [`fee_for_request`].

pub mod applicant;
pub mod calendar;
pub mod catalogue;
pub mod clock;
pub mod fees;
pub mod key;
pub mod outcome;
pub mod status;
pub mod statutory;
pub mod today;
pub mod topic;

pub use applicant::ApplicantKind;
pub use calendar::{
    Calendar, CalendarError, DayChange, DayKind, ListedDay, YearFile, YearSource, weekday_zh,
};
pub use clock::{
    Awaiting, Channel, ClockError, ClockEvent, ClockNote, Consultee, Deadlines, DueDates,
    MovedDeadline, PauseCause, PauseSpan, TrailDay, TrailKind, compute, correction_due,
    moved_deadlines,
};
pub use fees::{FeeMethod, fee_for_pages, fee_for_request, monthly_fee};
pub use key::UnknownKey;
pub use outcome::{Outcome, ReportFormat, Table3Group, Table3Row};
pub use status::ApplicationStatus;
pub use statutory::{StatutoryHoliday, statutory_holiday_on, statutory_holidays};
pub use today::{beijing_date, beijing_midnight, beijing_offset, beijing_today};
pub use topic::{TOPICS, Topic};
