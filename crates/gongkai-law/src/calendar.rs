//! The working-day calendar (工作日): weekends, statutory holidays and make-up working days
//! (调休上班) from the State Council's yearly arrangements (《国务院办公厅关于XXXX年部分节假日安排的通知》).
//!
//! The arrangements 2007–2026 are embedded from `data/holidays/` (NateScarlet/holiday-cn, MIT;
//! see `data/holidays/SOURCE.md` and `LICENSE`). A year without data is **unknown**: the
//! calendar still knows the statutory holidays fixed by law in it ([`crate::statutory`]) and
//! answers with the Monday–Friday rule for the other days, but says so ([`Calendar::is_known`]), and the legal clock marks any deadline that reaches such a year
//! as provisional. Newer arrangements are handed in by the caller as JSON text
//! ([`Calendar::with_year`]); this module reads no files.
//!
//! ```
//! use chrono::NaiveDate;
//! use gongkai_law::Calendar;
//!
//! let cal = Calendar::embedded();
//! let base = NaiveDate::from_ymd_opt(2020, 9, 25).unwrap();
//! // 2020-09-27 (Sunday) and 2020-10-10 (Saturday) were make-up working days.
//! assert_eq!(cal.nth_working_day_after(base, 20), NaiveDate::from_ymd_opt(2020, 10, 29));
//! ```

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The embedded arrangements, one file per notice year, as copied from holiday-cn.
const EMBEDDED: &[(i32, &str)] = &[
    (2007, include_str!("../data/holidays/2007.json")),
    (2008, include_str!("../data/holidays/2008.json")),
    (2009, include_str!("../data/holidays/2009.json")),
    (2010, include_str!("../data/holidays/2010.json")),
    (2011, include_str!("../data/holidays/2011.json")),
    (2012, include_str!("../data/holidays/2012.json")),
    (2013, include_str!("../data/holidays/2013.json")),
    (2014, include_str!("../data/holidays/2014.json")),
    (2015, include_str!("../data/holidays/2015.json")),
    (2016, include_str!("../data/holidays/2016.json")),
    (2017, include_str!("../data/holidays/2017.json")),
    (2018, include_str!("../data/holidays/2018.json")),
    (2019, include_str!("../data/holidays/2019.json")),
    (2020, include_str!("../data/holidays/2020.json")),
    (2021, include_str!("../data/holidays/2021.json")),
    (2022, include_str!("../data/holidays/2022.json")),
    (2023, include_str!("../data/holidays/2023.json")),
    (2024, include_str!("../data/holidays/2024.json")),
    (2025, include_str!("../data/holidays/2025.json")),
    (2026, include_str!("../data/holidays/2026.json")),
    (2027, include_str!("../data/holidays/2027.json")),
];

/// The attribution that must accompany the embedded data (MIT licence of holiday-cn).
pub const DATA_ATTRIBUTION: &str = "节假日数据来自 NateScarlet/holiday-cn（MIT 许可，Copyright (c) 2019 NateScarlet），依据国务院办公厅历年部分节假日安排的通知。";

/// The MIT licence text of the embedded holiday data.
pub const DATA_LICENSE: &str = include_str!("../data/holidays/LICENSE");

/// Why a year's arrangement was refused.
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    /// The text is not JSON of the holiday-cn schema (`year`, `papers`, `days`).
    #[error("不是有效的节假日安排 JSON（需要 year、papers、days）：{0}")]
    Json(#[from] serde_json::Error),
    /// `year` is not a plausible year of a State Council notice.
    #[error("year 字段 {0} 不是有效年份")]
    BadYear(i64),
    /// A day's `date` is not an ISO 8601 date.
    #[error("days 中的日期 “{0}” 不是 YYYY-MM-DD 格式的日期")]
    BadDate(String),
    /// A day lies outside the notice year (only the previous December is allowed).
    #[error("日期 {date} 不属于 {year} 年的安排（只允许该年及上一年十二月的日期）")]
    DateOutsideYear {
        /// The offending date.
        date: NaiveDate,
        /// The file's year.
        year: i32,
    },
    /// The same date is listed twice in one file.
    #[error("日期 {0} 在文件中重复出现")]
    DuplicateDate(NaiveDate),
    /// The file lists no days: loading it would turn a year into "no holidays".
    #[error("{0} 年的 days 为空：安排尚未公布的年份不能载入")]
    NoDays(i32),
}

/// One day listed in an arrangement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedDay {
    /// The date.
    pub date: NaiveDate,
    /// The holiday's name as the notice spells it (a label, never a key).
    pub name: String,
    /// `true`: a rest day (放假); `false`: a make-up working day (调休上班).
    pub off: bool,
}

/// One year's arrangement as published (a holiday-cn `YYYY.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearFile {
    /// The year in the title of the State Council notice.
    pub year: i32,
    /// URLs of the notices used.
    pub papers: Vec<String>,
    /// The listed days (may include days of the previous December).
    pub days: Vec<ListedDay>,
}

#[derive(Deserialize)]
struct RawFile {
    year: i64,
    papers: Vec<String>,
    days: Vec<RawDay>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawDay {
    name: String,
    date: String,
    is_off_day: bool,
}

impl YearFile {
    /// Reads and checks a holiday-cn file: the schema's fields, a plausible year, ISO dates
    /// within the year (or its previous December), no date twice. An empty `days` list is
    /// accepted here (it means "not yet published"); [`Calendar::with_year`] refuses it.
    pub fn parse(json: &str) -> Result<YearFile, CalendarError> {
        let raw: RawFile = serde_json::from_str(json)?;
        let year = i32::try_from(raw.year)
            .ok()
            .filter(|y| (1949..=2999).contains(y))
            .ok_or(CalendarError::BadYear(raw.year))?;
        let first =
            NaiveDate::from_ymd_opt(year - 1, 12, 1).ok_or(CalendarError::BadYear(raw.year))?;
        let last = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(CalendarError::BadYear(raw.year))?;
        let mut days = Vec::with_capacity(raw.days.len());
        let mut seen = std::collections::BTreeSet::new();
        for d in raw.days {
            let date = NaiveDate::parse_from_str(d.date.trim(), "%Y-%m-%d")
                .map_err(|_| CalendarError::BadDate(d.date.clone()))?;
            if date < first || date > last {
                return Err(CalendarError::DateOutsideYear { date, year });
            }
            if !seen.insert(date) {
                return Err(CalendarError::DuplicateDate(date));
            }
            days.push(ListedDay {
                date,
                name: d.name,
                off: d.is_off_day,
            });
        }
        Ok(YearFile {
            year,
            papers: raw.papers,
            days,
        })
    }
}

/// What kind of day a date is, as far as working-day arithmetic is concerned.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum DayKind {
    /// An ordinary working day (Monday–Friday, not a holiday).
    Workday,
    /// A Saturday or Sunday that is not a make-up working day.
    Weekend,
    /// A rest day of a statutory holiday (放假), with the holiday's name from the data.
    Holiday(String),
    /// A weekend day turned into a working day (调休上班), with the holiday it belongs to.
    MakeUp(String),
}

impl DayKind {
    /// Whether the day is a working day (工作日).
    pub fn is_working(&self) -> bool {
        matches!(self, DayKind::Workday | DayKind::MakeUp(_))
    }

    /// A short Chinese description, e.g. `节假日（春节）`, `调休上班（国庆节）`.
    pub fn label(&self) -> String {
        match self {
            DayKind::Workday => "工作日".to_string(),
            DayKind::Weekend => "周末".to_string(),
            DayKind::Holiday(n) => format!("节假日（{n}）"),
            DayKind::MakeUp(n) => format!("调休上班（{n}）"),
        }
    }
}

/// Where a year's arrangement came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum YearSource {
    /// Embedded in this release.
    Embedded,
    /// Handed in at run time (loaded by an administrator).
    Loaded,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct YearInfo {
    papers: Vec<String>,
    source: YearSource,
    /// Whether the file listed any day; an empty file leaves the year unknown.
    known: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    name: String,
    off: bool,
    /// The notice year of the file that listed the date, so that a reloaded year replaces
    /// exactly its own days (files also hold days of the previous December).
    file_year: i32,
}

/// The working-day calendar: every listed day of every loaded arrangement, indexed by date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    days: BTreeMap<NaiveDate, Entry>,
    years: BTreeMap<i32, YearInfo>,
}

/// A date whose status differs between two calendars (see [`Calendar::changes_from`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayChange {
    /// The date.
    pub date: NaiveDate,
    /// Its kind in the calendar in force before.
    pub before: DayKind,
    /// Whether its year was known before.
    pub before_known: bool,
    /// Its kind in the new calendar.
    pub after: DayKind,
}

impl Calendar {
    /// The calendar of the arrangements embedded in this release (2007–2026 known; 2027 is an
    /// empty placeholder and therefore unknown).
    pub fn embedded() -> Calendar {
        let mut cal = Calendar {
            days: BTreeMap::new(),
            years: BTreeMap::new(),
        };
        for (year, text) in EMBEDDED {
            // The embedded files are checked by a test; should one ever fail to parse, its
            // year stays unknown, which makes every deadline touching it provisional rather
            // than silently weekends-only.
            if let Ok(file) = YearFile::parse(text)
                && file.year == *year
            {
                cal.insert(file, YearSource::Embedded);
            }
        }
        cal
    }

    /// A copy of this calendar with one year's arrangement (holiday-cn JSON text) replacing
    /// whatever it had for that year. Refuses invalid JSON and a file without days.
    pub fn with_year(&self, json: &str) -> Result<Calendar, CalendarError> {
        let file = YearFile::parse(json)?;
        self.with_year_file(file)
    }

    /// As [`Calendar::with_year`], for an already parsed file.
    pub fn with_year_file(&self, file: YearFile) -> Result<Calendar, CalendarError> {
        if file.days.is_empty() {
            return Err(CalendarError::NoDays(file.year));
        }
        let mut cal = self.clone();
        cal.insert(file, YearSource::Loaded);
        Ok(cal)
    }

    fn insert(&mut self, file: YearFile, source: YearSource) {
        let year = file.year;
        self.days.retain(|_, e| e.file_year != year);
        let known = !file.days.is_empty();
        for d in file.days {
            self.days.insert(
                d.date,
                Entry {
                    name: d.name,
                    off: d.off,
                    file_year: year,
                },
            );
        }
        self.years.insert(
            year,
            YearInfo {
                papers: file.papers,
                source,
                known,
            },
        );
    }

    /// Whether the arrangement for `year` is known (a file with at least one day).
    pub fn is_year_known(&self, year: i32) -> bool {
        self.years.get(&year).is_some_and(|y| y.known)
    }

    /// Whether `date`'s year has a known arrangement, so that its status is certain.
    pub fn is_known(&self, date: NaiveDate) -> bool {
        self.is_year_known(date.year())
    }

    /// The years with a known arrangement, ascending.
    pub fn known_years(&self) -> Vec<i32> {
        self.years
            .iter()
            .filter(|(_, y)| y.known)
            .map(|(y, _)| *y)
            .collect()
    }

    /// The first and last day of the known years (1 January of the first, 31 December of the
    /// last), or `None` if nothing is known. A year loaded beyond a gap leaves the years in
    /// between unknown: ask [`Calendar::is_year_known`] for a particular year.
    pub fn known_range(&self) -> Option<(NaiveDate, NaiveDate)> {
        let years = self.known_years();
        let first = NaiveDate::from_ymd_opt(*years.first()?, 1, 1)?;
        let last = NaiveDate::from_ymd_opt(*years.last()?, 12, 31)?;
        Some((first, last))
    }

    /// The notice URLs and the source of a year's arrangement, if the year has a file.
    pub fn year_source(&self, year: i32) -> Option<(YearSource, &[String])> {
        self.years
            .get(&year)
            .map(|y| (y.source, y.papers.as_slice()))
    }

    /// The days listed for dates in `year` (whichever file listed them), in date order.
    pub fn listed_days(&self, year: i32) -> Vec<ListedDay> {
        self.days
            .iter()
            .filter(|(d, _)| d.year() == year)
            .map(|(d, e)| ListedDay {
                date: *d,
                name: e.name.clone(),
                off: e.off,
            })
            .collect()
    }

    /// The kind of `date`: listed days follow the data; other days follow the weekday. In a
    /// year whose arrangement is unknown, the statutory holidays fixed by law
    /// ([`crate::statutory`]) are still holidays — they are certain — and only 调休 stays
    /// unknown (check [`Calendar::is_known`]).
    pub fn day_kind(&self, date: NaiveDate) -> DayKind {
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        if !self.is_known(date)
            && let Some(name) = crate::statutory::statutory_holiday_on(date)
        {
            return DayKind::Holiday(name);
        }
        match self.days.get(&date) {
            Some(e) if e.off => DayKind::Holiday(e.name.clone()),
            // Listed working days are make-up days when they fall on a weekend; the one
            // listed weekday (2020-02-03) was a working day anyway.
            Some(e) if weekend => DayKind::MakeUp(e.name.clone()),
            _ if weekend => DayKind::Weekend,
            _ => DayKind::Workday,
        }
    }

    /// Whether `date` is a working day (工作日).
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.day_kind(date).is_working()
    }

    /// The `n`-th working day strictly after `base` (the day that starts a period is not
    /// counted). `n = 0` gives `base`. `None` only past the last date chrono represents.
    pub fn nth_working_day_after(&self, base: NaiveDate, n: u32) -> Option<NaiveDate> {
        let mut d = base;
        let mut left = n;
        while left > 0 {
            d = d.succ_opt()?;
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        Some(d)
    }

    /// The dates whose status differs between `old` and `self`: another kind (working or not,
    /// or another holiday name) or a year that became known. Only dates listed in either
    /// calendar can differ.
    pub fn changes_from(&self, old: &Calendar) -> Vec<DayChange> {
        let dates: std::collections::BTreeSet<NaiveDate> =
            self.days.keys().chain(old.days.keys()).copied().collect();
        dates
            .into_iter()
            .filter_map(|date| {
                let before = old.day_kind(date);
                let after = self.day_kind(date);
                let before_known = old.is_known(date);
                (before != after || before_known != self.is_known(date)).then_some(DayChange {
                    date,
                    before,
                    before_known,
                    after,
                })
            })
            .collect()
    }
}

/// The Chinese weekday name (星期一 … 星期日) of a date.
pub fn weekday_zh(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn every_embedded_file_parses_and_2007_to_2026_are_known() {
        for (year, text) in EMBEDDED {
            let f = YearFile::parse(text).unwrap();
            assert_eq!(f.year, *year);
        }
        let cal = Calendar::embedded();
        assert_eq!(cal.known_years(), (2007..=2026).collect::<Vec<_>>());
        assert!(!cal.is_year_known(2027));
        assert!(!cal.is_year_known(2006));
        assert_eq!(cal.known_range(), Some((d("2007-01-01"), d("2026-12-31"))));
    }

    #[test]
    fn spot_facts_of_source_md() {
        let cal = Calendar::embedded();
        assert_eq!(
            cal.day_kind(d("2020-01-19")),
            DayKind::MakeUp("春节".into())
        );
        assert_eq!(
            cal.day_kind(d("2020-02-01")),
            DayKind::Holiday("春节".into())
        );
        assert!(cal.is_working_day(d("2020-02-03")));
        assert!(cal.is_working_day(d("2016-10-09")));
        assert!(cal.is_working_day(d("2016-12-30")));
        // Previous-December days of a later file are found by date.
        assert!(!cal.is_working_day(d("2018-12-31")));
        assert!(cal.is_working_day(d("2018-12-29")));
        assert_eq!(
            cal.day_kind(d("2026-02-14")),
            DayKind::MakeUp("春节".into())
        );
        assert_eq!(weekday_zh(d("2020-10-29")), "星期四");
    }

    #[test]
    fn a_loaded_year_replaces_the_embedded_one_and_empty_files_are_refused() {
        let cal = Calendar::embedded();
        let empty = r#"{"year": 2027, "papers": [], "days": []}"#;
        assert!(matches!(
            cal.with_year(empty),
            Err(CalendarError::NoDays(2027))
        ));
        let y2027 = r#"{"year": 2027, "papers": ["x"], "days": [
            {"name": "元旦", "date": "2027-01-01", "isOffDay": true}]}"#;
        let new = cal.with_year(y2027).unwrap();
        assert!(new.is_year_known(2027));
        assert_eq!(
            new.day_kind(d("2027-01-01")),
            DayKind::Holiday("元旦".into())
        );
        let changes = new.changes_from(&cal);
        assert_eq!(changes.len(), 1);
        assert!(!changes[0].before_known);

        // Reloading 2020 with one day less drops exactly that day.
        let y2020 = r#"{"year": 2020, "papers": [], "days": [
            {"name": "元旦", "date": "2020-01-01", "isOffDay": true}]}"#;
        let new = cal.with_year(y2020).unwrap();
        assert!(new.is_working_day(d("2020-10-08")));
        assert!(!new.is_working_day(d("2020-01-01")));
        assert!(new.changes_from(&cal).iter().all(|c| c.date.year() == 2020));
    }

    #[test]
    fn bad_files_are_refused_with_a_reason() {
        let cal = Calendar::embedded();
        for bad in [
            "not json",
            r#"{"year": 2027, "days": []}"#,
            r#"{"year": 12, "papers": [], "days": [{"name": "x", "date": "0012-01-01", "isOffDay": true}]}"#,
            r#"{"year": 2027, "papers": [], "days": [{"name": "x", "date": "2027-13-01", "isOffDay": true}]}"#,
            r#"{"year": 2027, "papers": [], "days": [{"name": "x", "date": "2025-01-01", "isOffDay": true}]}"#,
            r#"{"year": 2027, "papers": [], "days": [{"name": "x", "date": "2027-01-01", "isOffDay": true},
                {"name": "x", "date": "2027-01-01", "isOffDay": true}]}"#,
        ] {
            assert!(cal.with_year(bad).is_err(), "{bad}");
        }
    }
}
