//! Availability as 19号 measures it (站点无法访问): the home page probed over one week, at least
//! 20 times a day at intervals, a probe that gets no answer within 15 s (or an error status)
//! counts as failed; the site is vetoed when the failures reach 5 % of the week's probes.
//!
//! [`monitor`] sends the probes on a [`Clock`] (the real one sleeps; a test's fake one jumps)
//! and hands each to a sink (the CLI records them in the store); [`availability`] judges a
//! week of recorded probes. A week with fewer than 20 probes on some day is not complete and is
//! not judged — a veto needs the measurement the text describes.

use std::future::Future;
use std::time::{Duration, Instant};

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::Serialize;
use url::Url;

use crate::InspectError;

/// Probes a day the text asks for, at least.
pub const PROBES_PER_DAY: u32 = 20;
/// Days monitored.
pub const DAYS: u32 = 7;
/// The time a probe may take.
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// Where the monitor's time comes from.
pub trait Clock: Sync {
    /// The time now.
    fn now(&self) -> DateTime<Utc>;
    /// Waits `d`.
    fn sleep(&self, d: Duration) -> impl Future<Output = ()> + Send;
}

/// The wall clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
    fn sleep(&self, d: Duration) -> impl Future<Output = ()> + Send {
        tokio::time::sleep(d)
    }
}

/// One probe of the home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Probe {
    /// When it was sent.
    pub at: DateTime<Utc>,
    /// The HTTP status; `None` without an answer in time.
    pub status: Option<u16>,
    /// How long the answer took, in milliseconds.
    pub millis: u64,
}

impl Probe {
    /// Whether it failed: no answer in time, or a 4xx/5xx status.
    pub fn failed(&self) -> bool {
        self.status.is_none_or(|s| s >= 400)
    }
}

/// Probes `url` `per_day` times a day for `days` days, evenly spaced on `clock`; each probe
/// goes to `sink` as it is made (so a run stopped half-way keeps what it measured).
pub async fn monitor<C: Clock>(
    url: &str,
    clock: &C,
    days: u32,
    per_day: u32,
    timeout: Duration,
    mut sink: impl FnMut(&Probe),
) -> Result<Vec<Probe>, InspectError> {
    let url = Url::parse(url.trim()).map_err(|_| InspectError::BadUrl(url.to_string()))?;
    if !(url.scheme() == "http" || url.scheme() == "https") {
        return Err(InspectError::BadUrl(url.to_string()));
    }
    let client = reqwest::Client::builder()
        .user_agent(crate::USER_AGENT)
        .timeout(timeout)
        .connect_timeout(timeout)
        .build()
        .map_err(|e| InspectError::Client(e.to_string()))?;
    let per_day = per_day.max(1);
    let interval = Duration::from_secs(86_400 / u64::from(per_day));
    let mut out = Vec::new();
    for n in 0..days * per_day {
        if n > 0 {
            clock.sleep(interval).await;
        }
        let at = clock.now();
        let started = Instant::now();
        let status = match client.get(url.clone()).send().await {
            Ok(r) => {
                let s = r.status().as_u16();
                // The whole answer counts, within the same time limit.
                match r.bytes().await {
                    Ok(_) => Some(s),
                    Err(_) => None,
                }
            }
            Err(_) => None,
        };
        let probe = Probe {
            at,
            status,
            millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        };
        sink(&probe);
        out.push(probe);
    }
    Ok(out)
}

/// The day a probe belongs to: the calendar day in Beijing (UTC+8), the days the agency and
/// the checkers count.
pub fn beijing_day(at: DateTime<Utc>) -> NaiveDate {
    (at + chrono::Duration::hours(8)).date_naive()
}

/// One day of a week's probes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Day {
    /// The day (Beijing).
    pub date: NaiveDate,
    /// Probes sent.
    pub sent: usize,
    /// Probes failed.
    pub failed: usize,
}

/// The availability of a site over the week ending on `last_day`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Availability {
    /// The seven days, oldest first.
    pub days: Vec<Day>,
    /// Probes sent in the week.
    pub sent: usize,
    /// Probes failed.
    pub failed: usize,
    /// Whether every day had at least [`PROBES_PER_DAY`] probes.
    pub complete: bool,
    /// 单项否决: a complete week with failures at 5 % or more.
    pub veto: bool,
}

impl Availability {
    /// The failure rate in per cent (0 without probes).
    pub fn percent(&self) -> f64 {
        if self.sent == 0 {
            0.0
        } else {
            self.failed as f64 * 100.0 / self.sent as f64
        }
    }
}

/// Judges the probes of the seven Beijing days ending on `last_day` (others are ignored).
pub fn availability(probes: &[Probe], last_day: NaiveDate) -> Availability {
    let first = last_day - Days::new(u64::from(DAYS) - 1);
    let days: Vec<Day> = first
        .iter_days()
        .take(DAYS as usize)
        .map(|date| {
            let of_day = probes.iter().filter(|p| beijing_day(p.at) == date);
            Day {
                date,
                sent: of_day.clone().count(),
                failed: of_day.filter(|p| p.failed()).count(),
            }
        })
        .collect();
    let sent: usize = days.iter().map(|d| d.sent).sum();
    let failed: usize = days.iter().map(|d| d.failed).sum();
    let complete = days.iter().all(|d| d.sent >= PROBES_PER_DAY as usize);
    Availability {
        veto: complete && sent > 0 && failed * 100 >= sent * 5,
        days,
        sent,
        failed,
        complete,
    }
}
