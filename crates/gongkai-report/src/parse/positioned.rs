//! Reports that arrive as positioned text (PDF) or as blocks of a word-processor file (DOCX).
//!
//! Pure: the caller reads the file (with `gongkai-extract`, under its budget) and hands over
//! runs or blocks; here they become the rows the rest of the parser reads. A PDF's runs are
//! grouped into lines by page and baseline, top to bottom, and each line into cells where the
//! gap between two runs is wider than the font size (a table's next column); a page footer
//! (`- 1 -`, `第 1 页`) is dropped. A DOCX's tables become rows of cells as they are and its
//! paragraphs lines of prose, in document order.

use super::{ParseError, ParseOptions, Parsed, parse_text};

/// One piece of text as a PDF page shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Page number, from 1.
    pub page: u32,
    /// Where the run starts, in points from the page's left edge.
    pub x: f32,
    /// The baseline, in points from the page's bottom (larger is higher).
    pub y: f32,
    /// The run's advance width in points.
    pub width: f32,
    /// The font size in points.
    pub size: f32,
    /// The text.
    pub text: String,
}

/// A block of a word-processor document, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph.
    Paragraph(String),
    /// A table's rows of cells.
    Table(Vec<Vec<String>>),
}

/// Whether a line is a page footer or header that carries nothing of the report.
fn is_page_mark(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let inner = t.trim_matches(|c| matches!(c, '-' | '—' | '－' | '–'));
    (!inner.is_empty() && inner.len() < t.len() && inner.chars().all(|c| c.is_ascii_digit()))
        || (t.starts_with('第') && t.ends_with('页') && t.chars().count() <= 12)
}

/// The lines of the runs, cells separated by tabs, page footers dropped.
pub fn lines_from_runs(runs: &[Run]) -> Vec<String> {
    let mut runs: Vec<&Run> = runs.iter().filter(|r| !r.text.trim().is_empty()).collect();
    runs.sort_by(|a, b| {
        a.page
            .cmp(&b.page)
            .then(b.y.total_cmp(&a.y))
            .then(a.x.total_cmp(&b.x))
    });
    let mut lines: Vec<Vec<&Run>> = Vec::new();
    for run in runs {
        match lines.last_mut() {
            Some(line)
                if line[0].page == run.page
                    && (line[0].y - run.y).abs() <= line[0].size.max(1.0) / 2.0 =>
            {
                line.push(run);
            }
            _ => lines.push(vec![run]),
        }
    }
    lines
        .into_iter()
        .map(|mut line| {
            line.sort_by(|a, b| a.x.total_cmp(&b.x));
            let mut out = String::new();
            let mut end: Option<f32> = None;
            for run in line {
                if let Some(e) = end {
                    let gap = run.x - e;
                    let size = run.size.max(1.0);
                    if gap > size {
                        out.push('\t');
                    } else if gap > 0.2 * size {
                        out.push(' ');
                    }
                }
                out.push_str(&run.text);
                end = Some(end.map_or(run.x + run.width, |e| e.max(run.x + run.width)));
            }
            out
        })
        .filter(|l| !is_page_mark(l))
        .fold(Vec::new(), |mut acc: Vec<String>, line| {
            // A `|`-separated row wrapped at the page's edge: its tail of numbers goes back
            // onto the row (`…|0|0|0|0|0|` + `0|0`).
            let tail_of_row = line.chars().all(|c| "0123456789|.-+ ".contains(c))
                && acc.last().is_some_and(|prev: &String| {
                    prev.contains('|') && (prev.ends_with('|') || line.starts_with('|'))
                });
            match acc.last_mut() {
                Some(prev) if tail_of_row => prev.push_str(&line),
                _ => acc.push(line),
            }
            acc
        })
}

/// Reads a report from a PDF's runs. A PDF without text (a scan) is
/// [`ParseError::NoText`].
pub fn parse_runs(runs: &[Run], opts: &ParseOptions) -> Result<Parsed, ParseError> {
    let lines = lines_from_runs(runs);
    if lines.is_empty() {
        return Err(ParseError::NoText);
    }
    parse_text(&lines.join("\n"), opts)
}

/// Reads a report from a word-processor document's blocks.
pub fn parse_blocks(blocks: &[Block], opts: &ParseOptions) -> Result<Parsed, ParseError> {
    let mut text = String::new();
    for b in blocks {
        match b {
            Block::Paragraph(p) => {
                for l in p.lines() {
                    text.push_str(l);
                    text.push('\n');
                }
            }
            Block::Table(rows) => {
                for row in rows {
                    // A cell's paragraphs are one label broken over lines.
                    let cells: Vec<String> = row.iter().map(|c| c.replace('\n', "")).collect();
                    text.push_str(&cells.join("\t"));
                    text.push('\n');
                }
            }
        }
    }
    if text.trim().is_empty() {
        return Err(ParseError::NoText);
    }
    parse_text(&text, opts)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn run(page: u32, x: f32, y: f32, text: &str) -> Run {
        Run {
            page,
            x,
            y,
            width: 10.0 * text.chars().count() as f32,
            size: 10.0,
            text: text.into(),
        }
    }

    #[test]
    fn runs_become_lines_and_cells_top_to_bottom() {
        let runs = vec![
            run(1, 300.0, 700.0, "3"),
            run(1, 50.0, 700.0, "（一）予以公开"),
            run(1, 50.0, 720.0, "三、收到和处理"),
            run(1, 200.0, 700.5, "2"),
            run(1, 280.0, 40.0, "- 1 -"),
            run(2, 50.0, 700.0, "四、"),
            run(2, 72.0, 700.0, "结转"),
        ];
        assert_eq!(
            lines_from_runs(&runs),
            ["三、收到和处理", "（一）予以公开\t2\t3", "四、结转"]
        );
    }

    #[test]
    fn no_text_is_said_so() {
        assert!(matches!(
            parse_runs(&[], &ParseOptions::default()),
            Err(ParseError::NoText)
        ));
        assert!(matches!(
            parse_blocks(&[Block::Paragraph(" ".into())], &ParseOptions::default()),
            Err(ParseError::NoText)
        ));
        assert!(is_page_mark("- 12 -") && is_page_mark("第 3 页") && !is_page_mark("12"));
    }

    #[test]
    fn a_wrapped_row_gets_its_tail_back() {
        let runs = vec![
            run(1, 50.0, 700.0, "|1.申请人|0|0|"),
            run(1, 50.0, 688.0, "0|0"),
            run(1, 50.0, 676.0, "2024年"),
        ];
        assert_eq!(lines_from_runs(&runs), ["|1.申请人|0|0|0|0", "2024年"]);
    }
}
