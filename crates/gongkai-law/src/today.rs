//! The date in Beijing: every 成文日期, 发布日期, deadline and "is this year over" of the
//! product is a date in China Standard Time (UTC+8, no daylight saving), whatever zone the
//! server runs in. One place computes it so no caller can use the server's local time or the
//! UTC date by mistake.

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, Utc};

/// China Standard Time, UTC+8.
pub fn beijing_offset() -> FixedOffset {
    // 8 h is well inside FixedOffset's ±24 h range, so the fallback is never taken.
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| Utc.fix())
}

/// The Beijing date of an instant (use this where the instant comes from an injectable clock).
pub fn beijing_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&beijing_offset()).date_naive()
}

/// Today's date in Beijing, read from the system clock.
pub fn beijing_today() -> NaiveDate {
    beijing_date(Utc::now())
}

/// The instant Beijing's day `date` begins (00:00 UTC+8), as UTC.
pub fn beijing_midnight(date: NaiveDate) -> DateTime<Utc> {
    let naive = date.and_time(chrono::NaiveTime::MIN);
    // A fixed offset has exactly one mapping for every local time.
    (naive - chrono::Duration::hours(8)).and_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_morning_in_beijing_is_still_yesterday_in_utc() {
        // 07:06 in Beijing is 23:06 UTC of the day before: the 成文日期 must be the Beijing day.
        assert_eq!(
            beijing_date(utc("2026-03-01T23:06:00Z")),
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
        );
        assert_eq!(
            beijing_date(utc("2026-03-01T15:59:59Z")),
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
        );
        assert_eq!(
            beijing_date(utc("2026-03-01T16:00:00Z")),
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
        );
    }

    #[test]
    fn midnight_is_sixteen_hundred_utc_the_day_before() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(beijing_midnight(d), utc("2025-12-31T16:00:00Z"));
        assert_eq!(beijing_date(beijing_midnight(d)), d);
    }
}
