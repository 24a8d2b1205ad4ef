//! HTML: a standalone accessible page, or the fragment the portal embeds.

use super::layout::{self, Cell, Grid, PLACEHOLDER, Role, SECTION_TITLES};
use crate::model::Report;
use std::fmt::Write as _;

const STYLE: &str = "\
body{font-family:\"FangSong\",\"仿宋\",\"STFangsong\",\"Noto Serif CJK SC\",\"SimSun\",serif;\
max-width:60em;margin:2em auto;padding:0 1em;line-height:1.8;color:#111}\
h1{text-align:center;font-family:\"SimSun\",\"宋体\",\"Noto Serif CJK SC\",serif;font-size:1.6em}\
h2{font-family:\"SimHei\",\"黑体\",\"Noto Sans CJK SC\",sans-serif;font-size:1.2em}\
p{text-indent:2em;margin:.4em 0}\
table{border-collapse:collapse;width:100%;margin:1em 0;font-size:.9em;line-height:1.4}\
caption{font-weight:bold;padding:.3em}\
th,td{border:1px solid #000;padding:.25em .4em;text-align:center;vertical-align:middle}\
th{font-weight:normal}thead th{font-weight:bold}\
td.num{font-variant-numeric:tabular-nums}";

/// The report as a complete standalone page (`<html lang="zh-CN">`, UTF-8, print-friendly
/// styles) around [`html_fragment`].
pub fn html(r: &Report) -> String {
    let title = escape(&layout::title(r));
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        html_fragment(r)
    )
}

/// The report's body for embedding in a page: an `<article>` with the title, the six sections
/// and the three tables as real `<table>` markup (`<caption>`, `<thead>`, `<th scope>`, the
/// form's rowspan/colspan merges). All text is escaped.
pub fn html_fragment(r: &Report) -> String {
    let grids = layout::grids(r);
    let mut out = String::from("<article class=\"gongkai-report\">\n");
    let _ = writeln!(out, "<h1>{}</h1>", escape(&layout::title(r)));
    for (i, heading) in SECTION_TITLES.iter().enumerate() {
        let n = i + 1;
        let _ = writeln!(out, "<section>\n<h2>{heading}</h2>");
        let table = layout::section_table(n).and_then(|t| grids.get(t));
        match layout::prose(r, n) {
            Some(lines) => {
                for l in lines {
                    let _ = writeln!(out, "<p>{}</p>", escape(l));
                }
            }
            None if table.is_none() => {
                let _ = writeln!(out, "<p>{PLACEHOLDER}</p>");
            }
            None => {}
        }
        if let Some(g) = table {
            push_table(&mut out, g);
        }
        out.push_str("</section>\n");
    }
    out.push_str("</article>\n");
    out
}

fn push_table(out: &mut String, g: &Grid) {
    let _ = writeln!(
        out,
        "<table>\n<caption>{}</caption>",
        escape(g.id.caption())
    );
    for row in 0..g.nrows {
        if row == 0 && g.header_rows > 0 {
            out.push_str("<thead>\n");
        }
        if row == g.header_rows {
            out.push_str("<tbody>\n");
        }
        out.push_str("<tr>");
        for c in g.row_cells(row) {
            push_cell(out, c);
        }
        out.push_str("</tr>\n");
        if row + 1 == g.header_rows {
            out.push_str("</thead>\n");
        }
    }
    out.push_str("</tbody>\n</table>\n");
}

fn push_cell(out: &mut String, c: &Cell) {
    let (tag, scope, class) = match c.role {
        Role::ColHeader if c.colspan > 1 => ("th", Some("colgroup"), None),
        Role::ColHeader => ("th", Some("col"), None),
        Role::RowHeader if c.rowspan > 1 => ("th", Some("rowgroup"), None),
        Role::RowHeader => ("th", Some("row"), None),
        Role::Data if c.content.is_number() => ("td", None, Some("num")),
        Role::Data => ("td", None, None),
    };
    let _ = write!(out, "<{tag}");
    if let Some(s) = scope {
        let _ = write!(out, " scope=\"{s}\"");
    }
    if c.rowspan > 1 {
        let _ = write!(out, " rowspan=\"{}\"", c.rowspan);
    }
    if c.colspan > 1 {
        let _ = write!(out, " colspan=\"{}\"", c.colspan);
    }
    if let Some(class) = class {
        let _ = write!(out, " class=\"{class}\"");
    }
    let _ = write!(out, ">{}</{tag}>", escape(&c.content.text()));
}

/// Escapes text for element content and attribute values.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
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
    fn a_page_with_real_tables_and_header_scopes() {
        let r = Report::zero("某局", 2021, ReportFormat::Current2021);
        let h = html(&r);
        assert!(h.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
        assert_eq!(h.matches("<table>").count(), 3);
        assert_eq!(h.matches("<caption>").count(), 3);
        assert!(
            h.contains("<th scope=\"col\" rowspan=\"3\" colspan=\"3\">（本列数据的勾稽关系为")
                || h.contains(
                    "<th scope=\"colgroup\" rowspan=\"3\" colspan=\"3\">（本列数据的勾稽关系为"
                )
        );
        assert!(h.contains("<th scope=\"colgroup\" colspan=\"7\">申请人情况</th>"));
        assert!(h.contains("<th scope=\"col\" rowspan=\"2\">自然人</th>"));
        assert!(h.contains("<th scope=\"rowgroup\" rowspan=\"8\">（三）不予公开</th>"));
        assert!(
            h.contains("<th scope=\"row\">行政许可</th><td colspan=\"3\" class=\"num\">0</td>")
        );
        assert_eq!(h.matches("<thead>").count(), 2);
    }

    #[test]
    fn every_piece_of_text_is_escaped() {
        let mut r = Report::zero(
            "<script>alert(1)</script>局",
            2021,
            ReportFormat::Current2021,
        );
        r.sections.insert("1".into(), "a & b <i>\"q\"</i>".into());
        let h = html(&r);
        assert!(!h.contains("<script>"));
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;局"));
        assert!(h.contains("<p>a &amp; b &lt;i&gt;&quot;q&quot;&lt;/i&gt;</p>"));
        let f = html_fragment(&r);
        assert!(f.starts_with("<article") && !f.contains("<html"));
    }
}
