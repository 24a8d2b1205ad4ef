//! Markdown with GFM tables.

use super::layout::{self, Grid, PLACEHOLDER, SECTION_TITLES};
use crate::model::Report;

/// The report as Markdown: `#` title, `##` section headings, prose paragraphs and the three
/// tables as GFM tables.
///
/// GFM cannot merge cells, so a table is the form spread out as in [`super::text`] (merged
/// cells become runs of empty cells) with its first row as the GFM header; that keeps every
/// label in its place and the table readable both raw and rendered. Text is escaped so that
/// neither `|` nor inline HTML in an agency's name or prose can break the page.
pub fn markdown(r: &Report) -> String {
    let grids = layout::grids(r);
    let mut out = format!("# {}\n\n", escape(&layout::title(r)));
    for (i, heading) in SECTION_TITLES.iter().enumerate() {
        let n = i + 1;
        out.push_str(&format!("## {heading}\n\n"));
        let table = layout::section_table(n).and_then(|t| grids.get(t));
        match layout::prose(r, n) {
            Some(lines) => {
                for l in lines {
                    out.push_str(&escape(l));
                    out.push_str("\n\n");
                }
            }
            None if table.is_none() => {
                out.push_str(PLACEHOLDER);
                out.push_str("\n\n");
            }
            None => {}
        }
        if let Some(g) = table {
            out.push_str(&format!("**{}**\n\n", g.id.caption()));
            push_table(&mut out, g);
            out.push('\n');
        }
    }
    out
}

fn push_table(out: &mut String, g: &Grid) {
    for (i, row) in g.spread().iter().enumerate() {
        let cells: Vec<String> = row.iter().map(|c| escape(c).replace('|', "\\|")).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
        if i == 0 {
            out.push_str(&format!("|{}\n", "---|".repeat(g.ncols)));
        }
    }
}

/// Escapes what Markdown would otherwise read as markup at the start of a line or as HTML.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '*' | '_' | '`' | '[' | ']' | '#' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test that cannot unwrap should fail loudly
mod tests {
    use super::*;
    use crate::model::ReportFormat;

    #[test]
    fn tables_are_gfm_with_a_delimiter_row_of_the_right_width() {
        let r = Report::zero("某局", 2021, ReportFormat::Current2021);
        let md = markdown(&r);
        assert!(md.contains("|---|---|---|---|---|---|---|---|---|---|\n"));
        assert!(md.contains("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n"));
        assert!(md.contains("| 行政许可 | 0 |  |  |\n"));
        assert!(md.starts_with("# 某局2021年政府信息公开工作年度报告\n"));
    }

    #[test]
    fn markup_in_names_is_escaped() {
        let r = Report::zero("<b>x</b>|*局*", 2021, ReportFormat::Current2021);
        let md = markdown(&r);
        assert!(md.contains("&lt;b&gt;x&lt;/b&gt;|\\*局\\*"));
        assert!(!md.contains("<b>"));
    }
}
