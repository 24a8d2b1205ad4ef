//! Turns text into rows of cells: tab- or `|`-separated lines, or the one-cell-per-line layout
//! (`|` alone on a line between cells) that PDF and web extraction produce.

use super::cells::is_value_like;
use super::{Row, sections::is_section_heading};
use crate::normalize::normalize;
use std::borrow::Cow;

/// Whether a line is a page footer (`- 1 -`, `第 2 页`, `第2页 共9页`).
pub(crate) fn is_footer(line: &str) -> bool {
    const MAX: usize = 40;
    if line.len() > MAX {
        return false;
    }
    // A footer starts (once spaces are dropped) with a dash or 第: most lines are not looked at
    // any further.
    if !line.trim_start().starts_with(['-', '—', '－', '第']) {
        return false;
    }
    // The line without whitespace, in a stack buffer: this runs on every line of every report.
    let mut buf = [0u8; MAX];
    let mut n = 0;
    for c in line.chars().filter(|c| !c.is_whitespace()) {
        let len = c.len_utf8();
        let Some(slot) = buf.get_mut(n..n + len) else {
            return false;
        };
        c.encode_utf8(slot);
        n += len;
    }
    let Ok(s) = std::str::from_utf8(&buf[..n]) else {
        return false;
    };
    if s.is_empty() {
        return false;
    }
    let dash = |c: char| matches!(c, '-' | '—' | '－');
    let b = s.trim_start_matches(dash).trim_end_matches(dash);
    let framed = s.starts_with(dash) && s.ends_with(dash);
    if framed && !b.is_empty() && b.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    if let Some(rest) = s.strip_prefix('第') {
        let digits = rest.trim_start_matches(|c: char| c.is_ascii_digit());
        if digits.len() < rest.len() && (digits == "页" || digits.starts_with("页共")) {
            return true;
        }
    }
    false
}

/// Splits text into rows. Cells are normalised (see [`normalize`]) and trimmed; `text` keeps the
/// original line for prose.
pub(crate) fn rows_from_text(input: &str) -> Vec<Row<'_>> {
    let lines: Vec<&str> = input.lines().collect();
    let bars = lines.iter().filter(|l| l.trim() == "|").count();
    if bars >= 8 {
        return rows_one_cell_per_line(&lines);
    }
    let mut rows = Vec::with_capacity(lines.len());
    for line in lines {
        if is_footer(line) {
            continue;
        }
        let cells: Vec<Cow<'_, str>> = if line.contains('\t') {
            line.split('\t').map(|c| normalize(c.trim())).collect()
        } else if line.contains('|') {
            line.split('|').map(|c| normalize(c.trim())).collect()
        } else {
            vec![normalize(line.trim())]
        };
        rows.push(Row::new(cells, Cow::Borrowed(line)));
    }
    rows
}

/// The layout where every cell stands on its own line(s) and `|` lines separate cells. A cell's
/// lines are joined without a space (`本年新` + `制作数量`); rows are rebuilt by starting a new
/// row at a label cell that follows a value cell.
fn rows_one_cell_per_line<'a>(lines: &[&'a str]) -> Vec<Row<'a>> {
    let is_bar = |l: &str| l.trim() == "|";
    // A line belongs to the table when a bar follows it and a bar precedes it or it is the
    // line right before a bar (the table's first cell).
    let n = lines.len();
    let mut next_bar = vec![false; n];
    let mut seen = false;
    for k in (0..n).rev() {
        next_bar[k] = seen;
        if is_bar(lines[k]) {
            seen = true;
        }
    }
    let mut rows = Vec::new();
    let mut row: Vec<Cow<'a, str>> = Vec::new();
    let mut row_has_value = false;
    let mut cell: Option<Cow<'a, str>> = None;
    let mut prev_bar = false;
    let flush = |row: &mut Vec<Cow<'a, str>>, rows: &mut Vec<Row<'a>>, has_value: &mut bool| {
        if !row.is_empty() {
            let text = row.join("|");
            rows.push(Row::new(std::mem::take(row), Cow::Owned(text)));
        }
        *has_value = false;
    };
    for k in 0..n {
        let line = lines[k];
        if is_bar(line) {
            let c = cell.take().unwrap_or_default();
            let value = is_value_like(&c);
            if !value && row_has_value {
                flush(&mut row, &mut rows, &mut row_has_value);
            }
            row.push(c);
            row_has_value |= value;
            prev_bar = true;
            continue;
        }
        if is_footer(line) {
            continue;
        }
        let norm = normalize(line.trim());
        let in_table = next_bar[k] && (prev_bar || lines.get(k + 1).is_some_and(|l| is_bar(l)));
        if !in_table || is_section_heading(&norm).is_some() {
            flush(&mut row, &mut rows, &mut row_has_value);
            rows.push(Row::new(vec![norm], Cow::Borrowed(line)));
            if !next_bar[k] {
                prev_bar = false;
            }
            continue;
        }
        match cell.as_mut() {
            Some(c) => c.to_mut().push_str(&norm),
            None => cell = Some(norm),
        }
    }
    if let Some(c) = cell.take() {
        row.push(c);
    }
    flush(&mut row, &mut rows, &mut row_has_value);
    rows
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn footers_are_recognised() {
        assert!(is_footer("- 1 -"));
        assert!(is_footer("—2—"));
        assert!(is_footer("第 3 页"));
        assert!(is_footer("第3页共9页"));
        assert!(!is_footer("-18"));
        assert!(!is_footer("规章"));
        assert!(!is_footer("12"));
    }

    #[test]
    fn one_cell_per_line_rebuilds_rows() {
        let text = "二、主动公开政府信息情况\n第二十条第(一)项\n|\n信息内容\n|\n本年新\n制作数量\n|\n本年新\n公开数量\n|\n对外公开总数量\n|\n规章\n|\n0\n|\n0\n|\n0\n|\n规范性文件\n|\n2\n|\n2\n|\n2\n|\n";
        let rows = rows_from_text(text);
        let cells: Vec<Vec<Cow<'_, str>>> = rows.into_iter().map(|r| r.cells).collect();
        assert_eq!(cells[0], ["二、主动公开政府信息情况"]);
        assert_eq!(
            cells[1],
            [
                "第二十条第(一)项",
                "信息内容",
                "本年新制作数量",
                "本年新公开数量",
                "对外公开总数量",
                "规章",
                "0",
                "0",
                "0"
            ]
        );
        assert_eq!(cells[2], ["规范性文件", "2", "2", "2"]);
    }
}
