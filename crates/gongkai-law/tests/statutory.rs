//! The statutory holiday table of `src/statutory.rs` against an independent lunar calendar
//! (tyme4rs) and against every State Council arrangement embedded (2007–2026).

#![allow(clippy::unwrap_used)]

use chrono::{Datelike, NaiveDate};
use gongkai_law::statutory::{FIRST_YEAR, LUNAR, StatutoryHoliday, statutory_holidays};
use gongkai_law::{Calendar, DayKind};
use tyme4rs::tyme::Tyme;
use tyme4rs::tyme::lunar::LunarDay;
use tyme4rs::tyme::solar::{SolarDay, SolarTerm};

fn date(s: &SolarDay) -> NaiveDate {
    NaiveDate::from_ymd_opt(
        i32::try_from(s.get_year()).unwrap(),
        u32::try_from(s.get_month()).unwrap(),
        u32::try_from(s.get_day()).unwrap(),
    )
    .unwrap()
}

struct Lunar {
    chuxi: NaiveDate,
    new_year: NaiveDate,
    duanwu: NaiveDate,
    zhongqiu: NaiveDate,
    qingming: NaiveDate,
}

fn tyme(year: i32) -> Lunar {
    let y = year as isize;
    Lunar {
        chuxi: date(&LunarDay::from_ymd(y, 1, 1).next(-1).get_solar_day()),
        new_year: date(&LunarDay::from_ymd(y, 1, 1).get_solar_day()),
        duanwu: date(&LunarDay::from_ymd(y, 5, 5).get_solar_day()),
        zhongqiu: date(&LunarDay::from_ymd(y, 8, 15).get_solar_day()),
        qingming: date(
            &SolarTerm::from_name(y, "清明")
                .get_julian_day()
                .get_solar_day(),
        ),
    }
}

#[test]
fn the_table_equals_the_lunar_calendar_for_every_year() {
    assert_eq!(LUNAR.first().map(|r| r.0), Some(FIRST_YEAR));
    assert_eq!(LUNAR.last().map(|r| r.0), Some(2100));
    for (i, &(year, chuxi, duanwu, zhongqiu, qingming)) in LUNAR.iter().enumerate() {
        assert_eq!(year, FIRST_YEAR + i as i32, "years in order without gaps");
        let t = tyme(year);
        let md = |d: NaiveDate| (d.month(), d.day());
        assert_eq!(chuxi, md(t.chuxi), "{year} 除夕");
        assert_eq!(duanwu, md(t.duanwu), "{year} 端午");
        assert_eq!(zhongqiu, md(t.zhongqiu), "{year} 中秋");
        assert_eq!((4, qingming), md(t.qingming), "{year} 清明");
    }
}

#[test]
fn the_lunar_calendar_agrees_with_every_loaded_arrangement() {
    let cal = Calendar::embedded();
    let holiday = |d: NaiveDate, name: &str| match cal.day_kind(d) {
        DayKind::Holiday(n) => assert!(n.contains(name), "{d}: {n} is not {name}"),
        other => panic!("{d} should be {name}, is {other:?}"),
    };
    for year in 2007..=2026 {
        assert!(cal.is_year_known(year));
        let t = tyme(year);
        holiday(t.new_year, "春节");
        // 清明, 端午 and 中秋 became holidays in 2008.
        if year >= 2008 {
            holiday(t.qingming, "清明");
            holiday(t.duanwu, "端午");
            holiday(t.zhongqiu, "中秋");
        }
    }
}

#[test]
fn every_statutory_day_of_the_revised_rules_is_a_holiday_in_2025_and_2026() {
    let cal = Calendar::embedded();
    for year in [2025, 2026] {
        let days = statutory_holidays(year);
        assert_eq!(days.len(), 13, "{year}: 1 + 4 + 1 + 2 + 1 + 1 + 3 days");
        for (d, h) in days {
            assert!(
                matches!(cal.day_kind(d), DayKind::Holiday(_)),
                "{year}: {d} ({}) is not a holiday in the State Council's arrangement",
                h.label()
            );
        }
    }
}

#[test]
fn an_unknown_year_still_rests_on_its_statutory_holidays() {
    let cal = Calendar::embedded();
    assert!(!cal.is_year_known(2027));
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    for (day, name) in [
        ("2027-01-01", "元旦"),
        ("2027-02-05", "春节"),
        ("2027-02-08", "春节"),
        ("2027-04-05", "清明节"),
        ("2027-05-03", ""),
        ("2027-06-09", "端午节"),
        ("2027-09-15", "中秋节"),
        ("2027-10-01", "国庆节"),
    ] {
        let kind = cal.day_kind(d(day));
        if name.is_empty() {
            assert_eq!(
                kind,
                DayKind::Workday,
                "{day}: 调休 unknown, a Monday counts"
            );
        } else {
            assert_eq!(kind, DayKind::Holiday(name.to_string()), "{day}");
        }
    }
    // Before the revision the rule does not apply: years before 2025 are all loaded anyway,
    // and an unknown year before it gets nothing invented.
    assert!(statutory_holidays(2024).is_empty());
    assert_eq!(
        statutory_holidays(2031)
            .iter()
            .filter(|(_, h)| *h == StatutoryHoliday::MidAutumn)
            .count(),
        1
    );
    // 2031: 中秋 falls on 1 October, named after both.
    assert_eq!(
        cal.day_kind(d("2031-10-01")),
        DayKind::Holiday("国庆节、中秋节".to_string()),
        "2031: 中秋 on 1 October"
    );
}
