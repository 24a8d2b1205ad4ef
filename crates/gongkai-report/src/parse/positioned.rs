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
    for line in &mut lines {
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    let lines: Vec<Vec<Run>> =
        rejoin_wrapped_labels(lines.into_iter().map(|l| segments(&l)).collect());
    lines
        .into_iter()
        .map(|line| {
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

/// A line's runs (sorted by x) with the runs that touch joined: a browser draws glyph by
/// glyph, and a word, a number or a numbering (`1.`) is one piece only once joined.
fn segments(line: &[&Run]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::with_capacity(line.len());
    for run in line {
        match out.last_mut() {
            Some(seg) if run.x - (seg.x + seg.width) <= 0.2 * run.size.max(1.0) => {
                seg.text.push_str(&run.text);
                seg.width = (run.x + run.width - seg.x).max(seg.width);
            }
            _ => out.push((*run).clone()),
        }
    }
    out
}

/// Whether a run is one number (a table's cell).
fn is_number(s: &str) -> bool {
    let t = s.trim();
    t.chars().any(|c| c.is_ascii_digit()) && t.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// Whether a run starts with the numbering of a row of the form: `1.`, `（一）`, `一、`.
fn starts_numbered(s: &str) -> bool {
    let t: Vec<char> = s.trim().chars().take(4).collect();
    let cjk = |c: char| "一二三四五六七八九十".contains(c);
    match t.as_slice() {
        [d, p, ..] if d.is_ascii_digit() && matches!(p, '.' | '．' | '、') => true,
        ['（' | '(', n, '）' | ')', ..] if cjk(*n) => true,
        [n, '、', ..] if cjk(*n) => true,
        _ => false,
    }
}

/// Whether the innermost (rightmost) piece of a label's line starts with a numbering: an
/// outer column's 「三、本年」 left of 「诉类申请」 does not number the line.
fn ends_numbered(line: &[Run]) -> bool {
    line.last().is_some_and(|r| starts_numbered(&r.text))
}

/// Where a line's cells of numbers start (runs sorted by x), when it ends in at least five:
/// a row of table 三 or 四.
fn numbers_from(line: &[Run]) -> Option<usize> {
    let start = line.len() - line.iter().rev().take_while(|r| is_number(&r.text)).count();
    (line.len() - start >= 5).then_some(start)
}

/// Rows of a table whose label wraps over several lines beside its numbers (a web page printed
/// by a browser: narrow label columns, the label vertically centred on the row) become one
/// line again: the label's lines above and below a row of numbers are joined onto it.
///
/// Per page: the lines ending in five or more numbers are rows. A line left of the numbers
/// with no number of its own is a piece of a label and goes to the row nearest to it (within
/// five font sizes, only across other pieces). Of a row's label pieces, those of an outer
/// column (a cell spanning several rows, printed letter by letter: 「不 予 公 开」) are left
/// out: only the runs from the row's own numbering (`2.`, `（一）`) on are kept. Lines of
/// other shapes pass unchanged.
fn rejoin_wrapped_labels(lines: Vec<Vec<Run>>) -> Vec<Vec<Run>> {
    let mut out = Vec::with_capacity(lines.len());
    let mut page_start = 0;
    while page_start < lines.len() {
        let page = lines[page_start][0].page;
        let page_end = page_start
            + lines[page_start..]
                .iter()
                .take_while(|l| l[0].page == page)
                .count();
        out.extend(rejoin_page(&lines[page_start..page_end]));
        page_start = page_end;
    }
    out
}

fn rejoin_page(lines: &[Vec<Run>]) -> Vec<Vec<Run>> {
    let rows: Vec<Option<usize>> = lines.iter().map(|l| numbers_from(l)).collect();
    let x_numbers = lines
        .iter()
        .zip(&rows)
        .filter_map(|(l, r)| r.map(|i| l[i].x))
        .fold(f32::INFINITY, f32::min);
    if !x_numbers.is_finite() {
        return lines.to_vec();
    }
    // A piece of a label: no number, every run ending left of the numbers.
    let piece = |i: usize| {
        rows[i].is_none()
            && lines[i]
                .iter()
                .all(|r| !is_number(&r.text) && r.x + r.width <= x_numbers)
    };
    // Each piece's row: the nearer of the rows before and after it, reached across pieces only.
    let mut owner: Vec<Option<usize>> = vec![None; lines.len()];
    for i in (0..lines.len()).filter(|&i| piece(i)) {
        let size = lines[i].iter().map(|r| r.size).fold(1.0, f32::max);
        let y = lines[i][0].y;
        let before = (0..i)
            .rev()
            .find(|&j| !piece(j))
            .filter(|&j| rows[j].is_some());
        let after = (i + 1..lines.len())
            .find(|&j| !piece(j))
            .filter(|&j| rows[j].is_some());
        let x = lines[i][0].x;
        // The row's label column: where its own label's innermost piece starts, if it has one.
        let fits = |j: usize| {
            let own = &lines[j][..rows[j].unwrap_or(0)];
            own.last()
                .is_none_or(|r| x >= r.x - 2.0 * size && x <= r.x + 0.5 * size)
        };
        let candidates = [before, after]
            .into_iter()
            .flatten()
            .map(|j| (j, (lines[j][0].y - y).abs()))
            .filter(|(_, d)| *d <= 5.0 * size);
        owner[i] = if ends_numbered(&lines[i]) {
            // A numbering starts its label: the row below it unless that one is numbered.
            after
                .filter(|&j| {
                    (lines[j][0].y - y).abs() <= 5.0 * size
                        && !ends_numbered(&lines[j][..rows[j].unwrap_or(0)])
                })
                .or_else(|| candidates.min_by(|a, b| a.1.total_cmp(&b.1)).map(|c| c.0))
        } else {
            // A label's next line: the nearer row whose label column it is in.
            candidates
                .min_by(|a, b| {
                    let key = |c: &(usize, f32)| (!fits(c.0), c.1);
                    let (ka, kb) = (key(a), key(b));
                    ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
                })
                .map(|c| c.0)
        };
    }
    // A row has one numbering, at the start of its label: a numbered piece below a row, or
    // above a row already numbered, or above the row's nearest numbered piece, is not its
    // label (a heading after the table, the next row's first line). Numbered means numbered
    // in the innermost column (ends_numbered).
    // Only the innermost column numbers a row: a numbered piece left of another (an outer
    // cell's 「（四）无法提供」 beside 「2.没有现成信息…」) is the outer cell, kept as a piece
    // and counted as no numbering.
    let numbering_x = |l: &[Run]| l.last().filter(|r| starts_numbered(&r.text)).map(|r| r.x);
    for (j, start) in rows.iter().enumerate() {
        let Some(start) = *start else { continue };
        let size = lines[j].iter().map(|r| r.size).fold(1.0, f32::max);
        let inner = (0..lines.len())
            .filter(|&i| owner[i] == Some(j))
            .filter_map(|i| numbering_x(&lines[i]))
            .chain(numbering_x(&lines[j][..start]))
            .fold(f32::NEG_INFINITY, f32::max);
        let mut numbered = ends_numbered(&lines[j][..start]);
        for i in (0..lines.len()).rev() {
            if owner[i] != Some(j) || !ends_numbered(&lines[i]) {
                continue;
            }
            if numbering_x(&lines[i]).is_some_and(|x| x < inner - size) {
                continue;
            }
            if i > j || numbered {
                owner[i] = None;
            } else {
                numbered = true;
            }
        }
    }
    let mut out = Vec::with_capacity(lines.len());
    for (j, line) in lines.iter().enumerate() {
        if owner[j].is_some() {
            continue;
        }
        let Some(start) = rows[j] else {
            out.push(line.clone());
            continue;
        };
        let pieces: Vec<usize> = (0..lines.len()).filter(|&i| owner[i] == Some(j)).collect();
        // The label's lines, top to bottom (each line's runs left to right).
        let label_lines: Vec<&[Run]> = pieces
            .iter()
            .filter(|&&i| i < j)
            .map(|&i| lines[i].as_slice())
            .chain([&line[..start]])
            .chain(
                pieces
                    .iter()
                    .filter(|&&i| i > j)
                    .map(|&i| lines[i].as_slice()),
            )
            .collect();
        let size = label_lines
            .iter()
            .flat_map(|l| l.iter())
            .map(|r| r.size)
            .fold(1.0, f32::max);
        let from = label_lines
            .iter()
            .flat_map(|l| l.iter())
            .filter(|r| starts_numbered(&r.text))
            .map(|r| r.x)
            .fold(f32::NEG_INFINITY, f32::max);
        // From the numbering on; left of it only a line's one run that starts a little
        // before it (the label's next line, flush with the cell while the first is indented).
        let label: Vec<&Run> = label_lines
            .iter()
            .flat_map(|l| {
                l.iter().filter(move |r| {
                    !from.is_finite()
                        || r.x >= from - 0.5 * size
                        || (l.len() == 1 && r.x >= from - 2.0 * size)
                })
            })
            .collect();
        if pieces.is_empty() && label.len() == start {
            out.push(line.clone());
            continue;
        }
        let mut row = Vec::with_capacity(line.len() - start + 1);
        if let Some(first) = label.first() {
            let text: String = label
                .iter()
                .map(|r| r.text.split_whitespace().collect::<String>())
                .collect();
            let x = label.iter().map(|r| r.x).fold(f32::INFINITY, f32::min);
            row.push(Run {
                page: first.page,
                x,
                y: line[0].y,
                // Ends well before the numbers: the next cell.
                width: (line[start].x - x - 2.0 * size).max(0.0),
                size: first.size,
                text,
            });
        }
        row.extend(line[start..].iter().cloned());
        out.push(row);
    }
    out
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
