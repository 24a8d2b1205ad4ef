//! Dates as pages show them: `2020-12-31`, `2020/12/31`, `2020.12.31`, `2020年12月31日`
//! (one-digit months and days too), and the calendar arithmetic of the freshness rules.

use chrono::{Datelike, Months, NaiveDate};

/// A date found in a text, with the byte offset where it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FoundDate {
    /// The date.
    pub date: NaiveDate,
    /// Byte offset of its first digit in the text.
    pub start: usize,
}

/// Every valid date in `text`, in order. A digit run that is part of a longer number (an
/// index number such as `2020-00001`, a phone number) is not a date; neither is an impossible
/// day (`2020-02-30`) nor a year outside 1990–2100.
pub fn find_dates(text: &str) -> Vec<FoundDate> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let starts_run = bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_digit());
        if starts_run && let Some((date, used)) = date_at(text, i) {
            out.push(FoundDate { date, start: i });
            i += used;
            continue;
        }
        i += 1;
    }
    out
}

/// Reads a date starting at byte `at` (a digit that starts a run); returns it and the bytes it
/// used.
fn date_at(text: &str, at: usize) -> Option<(NaiveDate, usize)> {
    let rest = &text[at..];
    let (year, after_year) = digits(rest, 4, 4)?;
    let rest2 = &rest[after_year..];
    // The separator after the year decides the style.
    let (sep_len, chinese) = if rest2.starts_with("年") {
        ("年".len(), true)
    } else if rest2.starts_with(['-', '/', '.']) {
        (1, false)
    } else {
        return None;
    };
    let after_sep = after_year + sep_len;
    let rest3 = &rest[after_sep..];
    let (month, m_len) = digits(skip_spaces(rest3, chinese).1, 1, 2)?;
    let m_off = after_sep + skip_spaces(rest3, chinese).0;
    let after_month = m_off + m_len;
    let rest4 = &rest[after_month..];
    let sep2 = if chinese {
        let r = skip_spaces(rest4, true);
        if !r.1.starts_with("月") {
            return None;
        }
        r.0 + "月".len()
    } else {
        // The same separator again: 2020-12-31, not 2020-12/31.
        let first = rest2.as_bytes()[0];
        if rest4.as_bytes().first() != Some(&first) {
            return None;
        }
        1
    };
    let after_sep2 = after_month + sep2;
    let rest5 = &rest[after_sep2..];
    let (sp, r5) = skip_spaces(rest5, chinese);
    let (day, d_len) = digits(r5, 1, 2)?;
    let mut used = after_sep2 + sp + d_len;
    if chinese {
        let r = skip_spaces(&rest[used..], true);
        if r.1.starts_with("日") || r.1.starts_with("号") {
            used += r.0 + "日".len();
        }
    } else if rest[used..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if !(1990..=2100).contains(&year) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(year as i32, month, day)?;
    Some((date, used))
}

/// `min..=max` ASCII digits at the start of `s` (and no more digits after them).
fn digits(s: &str, min: usize, max: usize) -> Option<(u32, usize)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n < min || n > max {
        return None;
    }
    s[..n].parse().ok().map(|v| (v, n))
}

/// Chinese dates are sometimes typed `2020年 5月 1日`: spaces are skipped there only.
fn skip_spaces(s: &str, chinese: bool) -> (usize, &str) {
    if !chinese {
        return (0, s);
    }
    let t = s.trim_start_matches([' ', '\u{3000}']);
    (s.len() - t.len(), t)
}

/// The dates of a listing's row: its full dates, else its month-day dates (`06-29`, `06/29`,
/// `6月29日`, the year left out as many lists do) in the year of `as_of` — or the year before
/// when that day would lie after `as_of` (a list read in January shows December's items).
pub fn entry_dates(text: &str, as_of: NaiveDate) -> Vec<NaiveDate> {
    let full: Vec<NaiveDate> = find_dates(text).into_iter().map(|f| f.date).collect();
    if !full.is_empty() {
        return full;
    }
    month_days(text)
        .into_iter()
        .filter_map(|(m, d)| {
            let this = NaiveDate::from_ymd_opt(as_of.year(), m, d);
            match this {
                Some(t) if t <= as_of => Some(t),
                _ => NaiveDate::from_ymd_opt(as_of.year() - 1, m, d),
            }
        })
        .collect()
}

/// Month-day pairs: `MM-DD` / `MM/DD` with two digits each (shorter forms are too often other
/// numbers), or `M月D日`; never a part of a longer number, a time or a full date.
fn month_days(text: &str) -> Vec<(u32, u32)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let joined = |c: u8| c.is_ascii_digit() || matches!(c, b'-' | b'/' | b'.' | b':');
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && joined(b[i - 1])) {
            i += 1;
            continue;
        }
        let m_len = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let after_m = i + m_len;
        let month: u32 = text[i..after_m].parse().unwrap_or(0);
        let rest = &text[after_m..];
        let mut found = None;
        if m_len == 2 && rest.len() >= 3 && (rest.starts_with('-') || rest.starts_with('/')) {
            let d = &rest.as_bytes()[1..];
            let d_len = d.iter().take_while(|c| c.is_ascii_digit()).count();
            let next = d.get(d_len).copied();
            if d_len == 2 && !next.is_some_and(joined) {
                let day: u32 = rest[1..3].parse().unwrap_or(0);
                found = Some((day, after_m + 3));
            }
        } else if m_len <= 2
            && let Some(r) = rest.strip_prefix("月")
        {
            let d_len = r.bytes().take_while(u8::is_ascii_digit).count();
            if (1..=2).contains(&d_len) && r[d_len..].starts_with(['日', '号']) {
                let day: u32 = r[..d_len].parse().unwrap_or(0);
                found = Some((day, after_m + "月".len() + d_len));
            }
        }
        match found {
            Some((day, end)) if (1..=12).contains(&month) && (1..=31).contains(&day) => {
                out.push((month, day));
                i = end;
            }
            _ => i = after_m,
        }
    }
    out
}

/// How often a column must be updated, from its name (19号: 动态/要闻 within 2 weeks,
/// 通知公告/政策文件 within 6 months).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnClass {
    /// 动态、要闻 (and 新闻, 资讯): within 2 weeks.
    News,
    /// 通知公告、政策文件 (and 公告, 通知, 文件, 政策): within 6 months.
    Notices,
    /// Any other column: only blankness is checked.
    Other,
}

impl ColumnClass {
    /// The class of a column called `name`.
    pub fn of(name: &str) -> ColumnClass {
        const NEWS: [&str; 4] = ["动态", "要闻", "新闻", "资讯"];
        const NOTICES: [&str; 5] = ["通知公告", "公告", "通知", "政策文件", "文件"];
        if NEWS.iter().any(|w| name.contains(w)) {
            ColumnClass::News
        } else if NOTICES.iter().any(|w| name.contains(w)) || name.contains("政策") {
            ColumnClass::Notices
        } else {
            ColumnClass::Other
        }
    }

    /// The limit in words, for a finding's detail.
    pub fn limit_label(self) -> &'static str {
        match self {
            ColumnClass::News => "2周",
            ColumnClass::Notices => "6个月",
            ColumnClass::Other => "不限",
        }
    }

    /// Whether a column whose newest item is dated `newest` is stale on `as_of`.
    pub fn is_stale(self, newest: NaiveDate, as_of: NaiveDate) -> bool {
        match self {
            ColumnClass::News => older_than_two_weeks(newest, as_of),
            ColumnClass::Notices => older_than_months(newest, as_of, 6),
            ColumnClass::Other => false,
        }
    }
}

/// More than 14 days lie between `date` and `as_of` (a page updated exactly 2 weeks ago still
/// passes).
pub fn older_than_two_weeks(date: NaiveDate, as_of: NaiveDate) -> bool {
    (as_of - date).num_days() > 14
}

/// `date` plus `months` calendar months is before `as_of` (for 3 months, a letter received on
/// 2020-09-30 is still in time on 2020-12-30 and late from 2020-12-31 on).
pub fn older_than_months(date: NaiveDate, as_of: NaiveDate, months: u32) -> bool {
    match date.checked_add_months(Months::new(months)) {
        Some(limit) => limit < as_of,
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid test date")
    }

    fn dates(text: &str) -> Vec<NaiveDate> {
        find_dates(text).into_iter().map(|f| f.date).collect()
    }

    #[test]
    fn finds_the_styles_pages_use() {
        assert_eq!(dates("发布日期：2020-12-31"), vec![d(2020, 12, 31)]);
        assert_eq!(
            dates("2020/3/5 与 2020.03.06"),
            vec![d(2020, 3, 5), d(2020, 3, 6)]
        );
        assert_eq!(dates("成文日期 2020年5月1日"), vec![d(2020, 5, 1)]);
        assert_eq!(dates("2020年 5月 1日"), vec![d(2020, 5, 1)]);
        assert_eq!(dates("<time>2019-01-02</time>"), vec![d(2019, 1, 2)]);
    }

    #[test]
    fn numbers_that_are_not_dates_are_left_alone() {
        // An index number, a longer digit run, an impossible day, mixed separators.
        assert!(dates("11411426005560141A/2020-00001").is_empty());
        assert!(dates("120200-12-31").is_empty());
        assert!(dates("2020-02-30").is_empty());
        assert!(dates("2020-12/31").is_empty());
        assert!(dates("2020-12-311").is_empty());
        assert!(dates("1800-01-01").is_empty());
        assert!(dates("共 2020 条").is_empty());
    }

    #[test]
    fn month_days_take_the_year_of_the_day_counted_from() {
        let as_of = d(2021, 1, 10);
        assert_eq!(entry_dates("通知 01-05", as_of), vec![d(2021, 1, 5)]);
        // A month-day after the day counted from is last year's.
        assert_eq!(entry_dates("通知 12-29", as_of), vec![d(2020, 12, 29)]);
        assert_eq!(entry_dates("[06/29]", d(2026, 7, 1)), vec![d(2026, 6, 29)]);
        assert_eq!(entry_dates("6月29日", d(2026, 7, 1)), vec![d(2026, 6, 29)]);
        // A full date wins; a time, a phone number or a short pair is no month-day.
        assert_eq!(entry_dates("2020-12-01 12-29", as_of), vec![d(2020, 12, 1)]);
        assert!(entry_dates("10:30-12:00", as_of).is_empty());
        assert!(entry_dates("0371-12345678", as_of).is_empty());
        assert!(entry_dates("第3-4期", as_of).is_empty());
        assert!(entry_dates("13-45", as_of).is_empty());
    }

    #[test]
    fn column_classes_come_from_names() {
        assert_eq!(ColumnClass::of("工作动态"), ColumnClass::News);
        assert_eq!(ColumnClass::of("要闻"), ColumnClass::News);
        assert_eq!(ColumnClass::of("通知公告"), ColumnClass::Notices);
        assert_eq!(ColumnClass::of("政策文件"), ColumnClass::Notices);
        assert_eq!(ColumnClass::of("双公示"), ColumnClass::Other);
        assert_eq!(ColumnClass::of("专题专栏"), ColumnClass::Other);
    }

    #[test]
    fn two_weeks_and_six_months() {
        let as_of = d(2020, 12, 31);
        assert!(!ColumnClass::News.is_stale(d(2020, 12, 17), as_of));
        assert!(ColumnClass::News.is_stale(d(2020, 12, 16), as_of));
        assert!(!ColumnClass::Notices.is_stale(d(2020, 7, 1), as_of));
        assert!(ColumnClass::Notices.is_stale(d(2020, 6, 30), as_of));
        assert!(!ColumnClass::Other.is_stale(d(2000, 1, 1), as_of));
        // A date after the day counted from is fresh.
        assert!(!ColumnClass::News.is_stale(d(2021, 1, 5), as_of));
    }

    #[test]
    fn three_months_of_a_letter() {
        assert!(!older_than_months(d(2020, 9, 30), d(2020, 12, 30), 3));
        assert!(older_than_months(d(2020, 9, 30), d(2020, 12, 31), 3));
        // 100 days is more than 3 months.
        let as_of = d(2020, 12, 31);
        assert!(older_than_months(as_of - chrono::Days::new(100), as_of, 3));
        assert!(!older_than_months(as_of - chrono::Days::new(80), as_of, 3));
    }
}
