//! Turns a web page into rows: every `<tr>` a row of its `<td>`/`<th>` texts, every block of
//! text outside tables a line.
//!
//! A small hand-written tag scanner instead of a DOM: Word-exported pages are 200–400 KB of
//! inline styles, and all the parser needs is cell text in document order. `colspan` is not
//! expanded: Word spreads a single value over two grid columns (`<td colspan=2>0</td>`), and
//! the label-based reader takes a row's values as its last cells anyway.

use super::Row;
use crate::normalize::{normalize, normalize_trimmed};
use std::borrow::Cow;

/// Splits an HTML page into rows.
pub(crate) fn rows_from_html(html: &str) -> Vec<Row<'static>> {
    let mut rows = Vec::new();
    let mut line = String::new();
    let mut cells: Vec<Cow<'static, str>> = Vec::new();
    let mut cell: Option<String> = None;
    let mut in_row = false;
    let b = html.as_bytes();
    let mut i = 0;
    let push_line = |line: &mut String, rows: &mut Vec<Row<'static>>| {
        let t = line.trim();
        if !t.is_empty() {
            rows.push(Row::new(
                vec![Cow::Owned(normalize(t).into_owned())],
                Cow::Owned(t.to_string()),
            ));
        }
        line.clear();
    };
    while i < b.len() {
        if b[i] == b'<' {
            // Comments and raw-text elements are skipped whole.
            if html[i..].starts_with("<!--") {
                i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
                continue;
            }
            let end = match html[i..].find('>') {
                Some(e) => i + e,
                None => break,
            };
            let tag = &html[i + 1..end];
            let name = tag_name(tag);
            if matches!(name.as_str(), "script" | "style") {
                let close = format!("</{name}");
                i = find_ci(html, end, &close)
                    .and_then(|c| html[c..].find('>').map(|e| c + e + 1))
                    .unwrap_or(b.len());
                continue;
            }
            match name.as_str() {
                "tr" => {
                    push_line(&mut line, &mut rows);
                    cells.clear();
                    in_row = true;
                }
                "/tr" => {
                    if let Some(c) = cell.take() {
                        cells.push(Cow::Owned(normalize_trimmed(c)));
                    }
                    if in_row && !cells.is_empty() {
                        let text = cells.join("|");
                        rows.push(Row::new(std::mem::take(&mut cells), Cow::Owned(text)));
                    }
                    in_row = false;
                }
                "td" | "th" => {
                    if let Some(c) = cell.take() {
                        cells.push(Cow::Owned(normalize_trimmed(c)));
                    }
                    cell = Some(String::new());
                }
                "/td" | "/th" => {
                    if let Some(c) = cell.take() {
                        cells.push(Cow::Owned(normalize_trimmed(c)));
                    }
                }
                "table" | "/table" => push_line(&mut line, &mut rows),
                "br" | "p" | "/p" | "div" | "/div" | "li" | "/li" | "h1" | "/h1" | "h2" | "/h2"
                | "h3" | "/h3" | "h4" | "/h4" | "title" | "/title"
                    if cell.is_none() =>
                {
                    push_line(&mut line, &mut rows)
                }
                _ => {}
            }
            i = end + 1;
            continue;
        }
        let next = html[i..].find('<').map_or(b.len(), |e| i + e);
        let text = &html[i..next];
        let target = match cell.as_mut() {
            Some(c) => c,
            None => &mut line,
        };
        decode_into(text, target);
        i = next;
    }
    push_line(&mut line, &mut rows);
    rows
}

/// The lower-cased tag name with a leading `/` for end tags (`TD` → `td`, `/tr`).
fn tag_name(tag: &str) -> String {
    let t = tag.trim_start();
    let (slash, t) = match t.strip_prefix('/') {
        Some(r) => ("/", r),
        None => ("", t),
    };
    let name: String = t
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    format!("{slash}{name}")
}

fn find_ci(h: &str, from: usize, pat: &str) -> Option<usize> {
    let hb = h.as_bytes();
    let pb = pat.as_bytes();
    (from..hb.len().saturating_sub(pb.len() - 1))
        .find(|&k| hb[k..k + pb.len()].eq_ignore_ascii_case(pb))
}

/// Appends text with HTML entities decoded; source line breaks are spaces.
fn decode_into(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(a) = rest.find('&') {
        push_text(&rest[..a], out);
        let after = &rest[a..];
        match after.find(';').filter(|e| *e <= 10) {
            Some(e) => {
                let ent = &after[1..e];
                match decode_entity(ent) {
                    Some(c) => out.push(c),
                    None => out.push_str(&after[..=e]),
                }
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    push_text(rest, out);
}

fn push_text(s: &str, out: &mut String) {
    for c in s.chars() {
        out.push(if c == '\n' || c == '\r' || c == '\t' {
            ' '
        } else {
            c
        });
    }
}

fn decode_entity(e: &str) -> Option<char> {
    if let Some(num) = e.strip_prefix('#') {
        let v = match num.strip_prefix(['x', 'X']) {
            Some(h) => u32::from_str_radix(h, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(v);
    }
    Some(match e {
        "nbsp" => ' ',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "middot" => '·',
        _ => return None,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_lines_come_out_in_order() {
        let h = "<html><head><title>X县2020年政府信息公开工作年度报告</title><style>td{}</style></head>\
                 <body><p>一、总体情况</p><table><tr><td colspan=\"2\"><p><span>本年新</span><br/>制作数量</p></td>\
                 <TD>&nbsp;</TD></tr><tr><td>规章</td><td>1</td><td>0</td></tr></table><!-- <tr> --></body>";
        let rows = rows_from_html(h);
        let cells: Vec<Vec<Cow<'_, str>>> = rows.into_iter().map(|r| r.cells).collect();
        assert_eq!(cells[0], ["X县2020年政府信息公开工作年度报告"]);
        assert_eq!(cells[1], ["一、总体情况"]);
        assert_eq!(cells[2], ["本年新制作数量", ""]);
        assert_eq!(cells[3], ["规章", "1", "0"]);
        assert_eq!(cells.len(), 4);
    }
}
