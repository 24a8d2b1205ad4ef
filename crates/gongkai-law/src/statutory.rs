//! The statutory holidays fixed by law (《全国年节及纪念日放假办法》, as revised by State Council
//! Decree No. 795 of 2024, in force from 1 January 2025): 元旦 1 day (1 January), 春节 4 days
//! (除夕 to 正月初三), 清明节 1 day (the day of the solar term 清明), 劳动节 2 days (1–2 May),
//! 端午节 1 day (五月初五), 中秋节 1 day (八月十五), 国庆节 3 days (1–3 October).
//!
//! These days are rest days in every year, whatever the State Council's yearly arrangement adds:
//! the arrangement only moves weekends (调休) and adds bridge days. So in a year whose
//! arrangement is not yet known the calendar still knows these days are not working days, and
//! only the 调休 stays unknown.
//!
//! The lunar and solar-term dates are a table for 2025–2100 ([`LUNAR`]), generated with the
//! tyme4rs crate (6tail's lunar calendar) and tested two ways: the table equals tyme4rs for every
//! year (`tests/statutory.rs`), and tyme4rs's 除夕/春节, 清明, 端午 and 中秋 fall on the holidays of
//! every loaded State Council arrangement 2007–2026. A table keeps this crate free of a
//! calendar dependency at run time.

use chrono::{Datelike, NaiveDate};

/// The first year the 2024 revision's holidays apply to.
pub const FIRST_YEAR: i32 = 2025;

/// A month and day.
pub type MonthDay = (u32, u32);

/// One year's movable dates: the year, 除夕, 端午, 中秋, and the April day of 清明.
pub type LunarYear = (i32, MonthDay, MonthDay, MonthDay, u32);

/// Per year: 除夕 (month, day), 端午 (month, day), 中秋 (month, day), the April day of 清明.
#[rustfmt::skip]
pub const LUNAR: &[LunarYear] = &[
    (2025, (1, 28), (5, 31), (10, 6), 4),
    (2026, (2, 16), (6, 19), (9, 25), 5),
    (2027, (2, 5), (6, 9), (9, 15), 5),
    (2028, (1, 25), (5, 28), (10, 3), 4),
    (2029, (2, 12), (6, 16), (9, 22), 4),
    (2030, (2, 2), (6, 5), (9, 12), 5),
    (2031, (1, 22), (6, 24), (10, 1), 5),
    (2032, (2, 10), (6, 12), (9, 19), 4),
    (2033, (1, 30), (6, 1), (9, 8), 4),
    (2034, (2, 18), (6, 20), (9, 27), 5),
    (2035, (2, 7), (6, 10), (9, 16), 5),
    (2036, (1, 27), (5, 30), (10, 4), 4),
    (2037, (2, 14), (6, 18), (9, 24), 4),
    (2038, (2, 3), (6, 7), (9, 13), 5),
    (2039, (1, 23), (5, 27), (10, 2), 5),
    (2040, (2, 11), (6, 14), (9, 20), 4),
    (2041, (1, 31), (6, 3), (9, 10), 4),
    (2042, (1, 21), (6, 22), (9, 28), 4),
    (2043, (2, 9), (6, 11), (9, 17), 5),
    (2044, (1, 29), (5, 31), (10, 5), 4),
    (2045, (2, 16), (6, 19), (9, 25), 4),
    (2046, (2, 5), (6, 8), (9, 15), 4),
    (2047, (1, 25), (5, 29), (10, 4), 5),
    (2048, (2, 13), (6, 15), (9, 22), 4),
    (2049, (2, 1), (6, 4), (9, 11), 4),
    (2050, (1, 22), (6, 23), (9, 30), 4),
    (2051, (2, 10), (6, 13), (9, 19), 5),
    (2052, (1, 31), (6, 1), (9, 7), 4),
    (2053, (2, 18), (6, 20), (9, 26), 4),
    (2054, (2, 7), (6, 10), (9, 16), 4),
    (2055, (1, 27), (5, 30), (10, 5), 5),
    (2056, (2, 14), (6, 17), (9, 24), 4),
    (2057, (2, 3), (6, 6), (9, 13), 4),
    (2058, (1, 23), (6, 25), (10, 2), 4),
    (2059, (2, 11), (6, 14), (9, 21), 5),
    (2060, (2, 1), (6, 3), (9, 9), 4),
    (2061, (1, 20), (6, 22), (9, 28), 4),
    (2062, (2, 8), (6, 11), (9, 17), 4),
    (2063, (1, 28), (6, 1), (10, 6), 5),
    (2064, (2, 16), (6, 19), (9, 25), 4),
    (2065, (2, 4), (6, 8), (9, 15), 4),
    (2066, (1, 25), (5, 28), (10, 3), 4),
    (2067, (2, 13), (6, 16), (9, 23), 5),
    (2068, (2, 2), (6, 4), (9, 11), 4),
    (2069, (1, 22), (6, 23), (9, 29), 4),
    (2070, (2, 10), (6, 13), (9, 19), 4),
    (2071, (1, 30), (6, 2), (9, 8), 5),
    (2072, (2, 18), (6, 20), (9, 26), 4),
    (2073, (2, 6), (6, 10), (9, 16), 4),
    (2074, (1, 26), (5, 30), (10, 5), 4),
    (2075, (2, 14), (6, 17), (9, 24), 4),
    (2076, (2, 4), (6, 6), (9, 12), 4),
    (2077, (1, 23), (6, 24), (10, 1), 4),
    (2078, (2, 11), (6, 14), (9, 20), 4),
    (2079, (2, 1), (6, 4), (9, 10), 4),
    (2080, (1, 21), (6, 22), (9, 28), 4),
    (2081, (2, 8), (6, 11), (9, 17), 4),
    (2082, (1, 28), (6, 1), (10, 6), 4),
    (2083, (2, 16), (6, 19), (9, 26), 4),
    (2084, (2, 5), (6, 7), (9, 14), 4),
    (2085, (1, 25), (5, 27), (10, 3), 4),
    (2086, (2, 13), (6, 15), (9, 22), 4),
    (2087, (2, 2), (6, 5), (9, 11), 4),
    (2088, (1, 23), (6, 23), (9, 29), 4),
    (2089, (2, 9), (6, 13), (9, 18), 4),
    (2090, (1, 29), (6, 2), (9, 8), 4),
    (2091, (2, 17), (6, 21), (9, 27), 4),
    (2092, (2, 6), (6, 9), (9, 16), 4),
    (2093, (1, 26), (5, 29), (10, 5), 4),
    (2094, (2, 14), (6, 17), (9, 24), 4),
    (2095, (2, 4), (6, 6), (9, 13), 4),
    (2096, (1, 24), (6, 24), (9, 30), 4),
    (2097, (2, 11), (6, 14), (9, 20), 4),
    (2098, (1, 31), (6, 4), (9, 9), 4),
    (2099, (1, 20), (6, 23), (9, 29), 4),
    (2100, (2, 8), (6, 12), (9, 18), 5),
];

/// A statutory holiday of the 2024 revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatutoryHoliday {
    /// 元旦
    NewYear,
    /// 春节
    SpringFestival,
    /// 清明节
    Qingming,
    /// 劳动节
    LabourDay,
    /// 端午节
    DragonBoat,
    /// 中秋节
    MidAutumn,
    /// 国庆节
    NationalDay,
}

impl StatutoryHoliday {
    /// The holiday's name as the State Council's notices print it.
    pub fn label(self) -> &'static str {
        match self {
            StatutoryHoliday::NewYear => "元旦",
            StatutoryHoliday::SpringFestival => "春节",
            StatutoryHoliday::Qingming => "清明节",
            StatutoryHoliday::LabourDay => "劳动节",
            StatutoryHoliday::DragonBoat => "端午节",
            StatutoryHoliday::MidAutumn => "中秋节",
            StatutoryHoliday::NationalDay => "国庆节",
        }
    }
}

/// The statutory holidays of `year` with their dates, in date order; empty for years before
/// [`FIRST_YEAR`] and after the table's last year (the caller then knows nothing more than the
/// weekday rule, and says so).
pub fn statutory_holidays(year: i32) -> Vec<(NaiveDate, StatutoryHoliday)> {
    let Some(&(_, chuxi, duanwu, zhongqiu, qingming)) =
        LUNAR.iter().find(|row| row.0 == year && year >= FIRST_YEAR)
    else {
        return Vec::new();
    };
    let ymd = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d);
    let mut days: Vec<(NaiveDate, StatutoryHoliday)> = Vec::new();
    let mut add = |date: Option<NaiveDate>, h: StatutoryHoliday| {
        if let Some(date) = date {
            days.push((date, h));
        }
    };
    add(ymd(1, 1), StatutoryHoliday::NewYear);
    if let Some(eve) = ymd(chuxi.0, chuxi.1) {
        for i in 0..4 {
            add(
                eve.checked_add_days(chrono::Days::new(i)),
                StatutoryHoliday::SpringFestival,
            );
        }
    }
    add(ymd(4, qingming), StatutoryHoliday::Qingming);
    add(ymd(5, 1), StatutoryHoliday::LabourDay);
    add(ymd(5, 2), StatutoryHoliday::LabourDay);
    add(ymd(duanwu.0, duanwu.1), StatutoryHoliday::DragonBoat);
    add(ymd(zhongqiu.0, zhongqiu.1), StatutoryHoliday::MidAutumn);
    for d in 1..=3 {
        add(ymd(10, d), StatutoryHoliday::NationalDay);
    }
    // 除夕 of the next year can fall in this year only in theory (it never does: the earliest
    // 春节 is 21 January); the filter keeps the answer to this year's dates regardless.
    days.retain(|(d, _)| d.year() == year);
    days.sort_by_key(|(d, _)| *d);
    days
}

/// The statutory holiday on `date`, if any (2024 revision; see [`statutory_holidays`]).
/// 中秋 can fall on 1–3 October: the day is then named after both, 「国庆节、中秋节」, as the
/// notices do.
pub fn statutory_holiday_on(date: NaiveDate) -> Option<String> {
    let mut on: Vec<StatutoryHoliday> = statutory_holidays(date.year())
        .into_iter()
        .filter(|(d, _)| *d == date)
        .map(|(_, h)| h)
        .collect();
    // The notices write 「国庆节、中秋节」.
    on.sort_by_key(|h| *h != StatutoryHoliday::NationalDay);
    let names: Vec<&str> = on.into_iter().map(StatutoryHoliday::label).collect();
    (!names.is_empty()).then(|| names.join("、"))
}
