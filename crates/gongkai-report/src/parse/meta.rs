//! What a report says about itself: its year and agency.

use super::Row;
use super::cells::{contains_str, find_str};

const TITLE_PHRASES: [&str; 5] = [
    "政府信息公开工作年度报告",
    "政府信息公开年度报告",
    "政务公开工作年度报告",
    "信息公开工作年度报告",
    "政府信息公开工作报告",
];

/// The title's text before the phrase, with a leading document number (岚经发〔2021〕17号)
/// removed: `(segment, row index)`.
fn title(rows: &[Row<'_>], limit: usize) -> Option<(String, usize)> {
    for (i, row) in rows.iter().enumerate().take(limit.clamp(1, 40)) {
        let Some(text) = row.cells.first() else {
            continue;
        };
        let Some(p) = TITLE_PHRASES
            .iter()
            .filter_map(|ph| find_str(text, ph))
            .min()
        else {
            continue;
        };
        let mut seg = &text[..p];
        if let Some(close) = seg.find('〕')
            && let Some(h) = seg[close..].find('号')
        {
            seg = &seg[close + h + '号'.len_utf8()..];
        }
        let seg = seg.trim();
        if seg.chars().count() > 40
            || contains_str(seg, "根据")
            || seg.contains('《')
            || contains_str(seg, "关于")
        {
            continue;
        }
        return Some((seg.to_string(), i));
    }
    None
}

/// Every 「YYYY年」 in `s` (spaces allowed before 年), with its byte range.
fn years_in(s: &str) -> impl Iterator<Item = (i32, usize, usize)> + '_ {
    let b = s.as_bytes();
    (0..b.len()).filter_map(move |i| {
        if i + 4 > b.len() || (i > 0 && b[i - 1].is_ascii_digit()) {
            return None;
        }
        if !b[i..i + 4].iter().all(u8::is_ascii_digit)
            || b.get(i + 4).is_some_and(u8::is_ascii_digit)
        {
            return None;
        }
        let mut j = i + 4;
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        if !s[j..].starts_with('年') {
            return None;
        }
        let y: i32 = s[i..i + 4].parse().ok()?;
        (1990..=2100)
            .contains(&y)
            .then_some((y, i, j + '年'.len_utf8()))
    })
}

/// The report year: from the title, else the 统计期限 sentence, else the year the prose names
/// most (ties go to the earlier year: reports name the next year in their plans).
pub(crate) fn year(rows: &[Row<'_>], first_section: usize) -> Option<i32> {
    if let Some((seg, _)) = title(rows, first_section + 1)
        && let Some((y, _, _)) = years_in(&seg).last()
    {
        return Some(y);
    }
    for row in rows {
        for cell in &row.cells {
            for key in ["统计期限", "统计时限", "统计期间", "统计时间"] {
                if let Some(p) = find_str(cell, key) {
                    let window: String = cell[p..].chars().take(40).collect();
                    if let Some((y, _, _)) = years_in(&window).next() {
                        return Some(y);
                    }
                }
            }
        }
    }
    let mut counts: Vec<(i32, usize)> = Vec::new();
    for row in rows {
        for cell in &row.cells {
            for (y, _, _) in years_in(cell) {
                match counts.iter_mut().find(|(x, _)| *x == y) {
                    Some(c) => c.1 += 1,
                    None => counts.push((y, 1)),
                }
            }
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts.first().map(|(y, _)| *y)
}

/// The agency: the title without its year, else the short line just above the title.
pub(crate) fn agency(rows: &[Row<'_>], first_section: usize) -> Option<String> {
    let (seg, i) = title(rows, first_section + 1)?;
    let mut name = seg.clone();
    if let Some((_, a, b)) = years_in(&seg).last() {
        let tail = seg[b..].trim_start_matches('度');
        name = format!("{}{}", &seg[..a], tail);
    }
    let name = name.trim().trim_end_matches(['(', '（']).trim().to_string();
    if !name.is_empty() {
        return Some(name);
    }
    rows[..i]
        .iter()
        .rev()
        .filter_map(|r| r.cells.first())
        .find(|c| !c.trim().is_empty())
        .map(|c| c.trim().to_string())
        .filter(|c| c.chars().count() <= 30 && !c.contains('、'))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn rows(s: &str) -> Vec<Row<'_>> {
        s.lines()
            .map(|l| Row::new(vec![l.into()], l.into()))
            .collect()
    }

    #[test]
    fn year_and_agency_from_titles() {
        let r = rows("夏邑县人民政府2020年政府信息公开工作年度报告\n一、总体情况");
        assert_eq!(year(&r, 1), Some(2020));
        assert_eq!(agency(&r, 1).as_deref(), Some("夏邑县人民政府"));
        let r = rows(
            "岚经发〔2021〕17号 平潭综合实验区经济发展局 2020年政府信息公开工作年度报告 根据《条例》…",
        );
        assert_eq!(year(&r, 1), Some(2020));
        assert_eq!(agency(&r, 1).as_deref(), Some("平潭综合实验区经济发展局"));
        let r = rows("淮安市人民政府\n2024 年政府信息公开工作年度报告\n本报告…");
        assert_eq!(year(&r, 3), Some(2024));
        assert_eq!(agency(&r, 3).as_deref(), Some("淮安市人民政府"));
        let r = rows("2019年上海市人民政府办公厅政府信息公开工作年度报告");
        assert_eq!(agency(&r, 1).as_deref(), Some("上海市人民政府办公厅"));
        let r = rows("平潭综合实验区2021年度政府信息公开工作年度报告");
        assert_eq!(agency(&r, 1).as_deref(), Some("平潭综合实验区"));
    }

    #[test]
    fn year_from_period_then_prose() {
        let r = rows(
            "乌海市工业和信息化局\n政府信息公开工作年度报告\n本报告所列数据的统计期限自2020年1月1日起",
        );
        assert_eq!(year(&r, 3), Some(2020));
        let r = rows("根据…特编制此报告：\n2021年，我局……2021年……2022年将……");
        assert_eq!(year(&r, 2), Some(2021));
    }
}
