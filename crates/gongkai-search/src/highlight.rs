//! HTML-escaped excerpts with `<mark>` around the words that matched.
//!
//! Items are written by editors and can contain anything, including markup; the portal puts
//! these strings into pages unescaped (that is their purpose), so every character that is not
//! part of a `<mark>` tag we add is escaped here, and nowhere else needs to remember it.
//!
//! Matching is by substring of the query's words and sub-words rather than by re-running jieba
//! over the stored text: it is cheap enough for long bodies and marks every visible occurrence
//! of a word, which is what a reader of Chinese expects.

/// Characters of context shown before the first match in a snippet.
const LEAD_CHARS: usize = 20;

const ELLIPSIS: &str = "…";

/// Appends `s` to `out` with `& < > " '` escaped.
pub(crate) fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// `s` HTML-escaped.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

/// The whole of `text`, escaped, with every occurrence of `terms` marked.
///
/// `terms` must be lower-case and sorted longest first (see `query::highlight_terms`).
pub(crate) fn highlight(text: &str, terms: &[String]) -> String {
    let ranges = match_ranges(text, terms);
    render(text, &ranges)
}

/// An excerpt of about `max_chars` characters starting a little before the first match, escaped
/// and marked; `None` when no term occurs in `text`.
pub(crate) fn snippet(text: &str, terms: &[String], max_chars: usize) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let first = terms
        .iter()
        .filter(|t| !t.is_empty())
        .filter_map(|t| lower.find(t.as_str()))
        .min()?;
    let start = text[..first]
        .char_indices()
        .rev()
        .nth(LEAD_CHARS - 1)
        .map_or(0, |(i, _)| i);
    let end = text[start..]
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(i, _)| start + i);
    let window = &text[start..end];
    let mut out = String::new();
    if start > 0 {
        out.push_str(ELLIPSIS);
    }
    out.push_str(&render(window, &match_ranges(window, terms)));
    if end < text.len() {
        out.push_str(ELLIPSIS);
    }
    Some(out)
}

/// The first `max_chars` characters of `text`, escaped, for items that matched on a field other
/// than the one the snippet is cut from.
pub(crate) fn lead(text: &str, max_chars: usize) -> String {
    let end = text
        .char_indices()
        .nth(max_chars)
        .map_or(text.len(), |(i, _)| i);
    let mut out = escape(&text[..end]);
    if end < text.len() {
        out.push_str(ELLIPSIS);
    }
    out
}

/// Byte ranges of `text` to mark: sorted, non-overlapping, adjacent ones merged.
fn match_ranges(text: &str, terms: &[String]) -> Vec<(usize, usize)> {
    // ASCII lower-casing keeps byte offsets, so ranges found in `lower` are valid in `text`.
    let lower = text.to_ascii_lowercase();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    // Longest terms first: a shorter term inside an already marked longer one is skipped.
    for term in terms.iter().filter(|t| !t.is_empty()) {
        for (at, _) in lower.match_indices(term.as_str()) {
            let r = (at, at + term.len());
            let pos = ranges.partition_point(|x| x.0 < r.0);
            let overlaps_prev = pos > 0 && ranges[pos - 1].1 > r.0;
            let overlaps_next = pos < ranges.len() && ranges[pos].0 < r.1;
            if !overlaps_prev && !overlaps_next {
                ranges.insert(pos, r);
            }
        }
    }
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if last.1 == r.0 => last.1 = r.1,
            _ => merged.push(r),
        }
    }
    merged
}

fn render(text: &str, ranges: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 13);
    let mut at = 0;
    for &(from, to) in ranges {
        escape_into(&mut out, &text[at..from]);
        out.push_str("<mark>");
        escape_into(&mut out, &text[from..to]);
        out.push_str("</mark>");
        at = to;
    }
    escape_into(&mut out, &text[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(t: &[&str]) -> Vec<String> {
        t.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn escapes_everything_outside_marks() {
        let html = highlight("<script>alert('x')</script> & 教育", &terms(&["教育"]));
        assert_eq!(
            html,
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; <mark>教育</mark>"
        );
    }

    #[test]
    fn longest_term_wins_and_adjacent_marks_merge() {
        let html = highlight("规范性文件管理", &terms(&["规范性", "文件", "规范"]));
        assert_eq!(html, "<mark>规范性文件</mark>管理");
    }

    #[test]
    fn ascii_matches_case_insensitively() {
        assert_eq!(highlight("PDF版", &terms(&["pdf"])), "<mark>PDF</mark>版");
    }

    #[test]
    fn snippet_windows_around_first_match() {
        let text = format!("{}关键{}", "前".repeat(50), "后".repeat(200));
        let s = snippet(&text, &terms(&["关键"]), 40).unwrap_or_default();
        assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
        assert!(s.contains("<mark>关键</mark>"));
        assert_eq!(s.matches('前').count(), LEAD_CHARS);
        assert!(snippet("没有", &terms(&["关键"]), 40).is_none());
    }

    #[test]
    fn lead_cuts_on_char_boundary() {
        assert_eq!(lead("一二三四", 2), "一二…");
        assert_eq!(lead("<b>", 10), "&lt;b&gt;");
    }
}
