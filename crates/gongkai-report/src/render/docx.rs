//! DOCX with docx-rs: headings, prose and the three tables merged as on the national form.

use super::RenderError;
use super::layout::{self, Cell, Grid, PLACEHOLDER, Role, SECTION_TITLES, TableId};
use crate::model::Report;
use docx_rs::{
    AlignmentType, Docx, LineSpacing, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType,
    Style, StyleType, Table, TableCell, TableLayoutType, TableRow, VAlignType, VMergeType,
    WidthType,
};

// Fonts of the GB/T 9704 official document style: 仿宋 for the body, 黑体 for headings,
// 宋体 (standing in for 方正小标宋) for the title and the tables. Declared as East Asian fonts
// so WPS and Word pick them for Chinese; Latin digits use Times New Roman.
const BODY_FONT: &str = "仿宋";
const HEADING_FONT: &str = "黑体";
const TITLE_FONT: &str = "宋体";
const TABLE_FONT: &str = "宋体";
const LATIN_FONT: &str = "Times New Roman";

// Sizes in half-points: 三号 (16 pt) body, 二号 (22 pt) title, 五号/小五 tables.
const BODY_SIZE: usize = 32;
const TITLE_SIZE: usize = 44;

// A4 with 2.5 cm / 2.8 cm margins leaves 15.6 cm = 8845 twips for the tables.
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const TEXT_WIDTH: usize = 8845;

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii(LATIN_FONT)
        .hi_ansi(LATIN_FONT)
        .cs(LATIN_FONT)
}

/// The report as a Word document: the title, the six section headings (real Heading 1
/// paragraphs, so they show in the navigation pane), the prose, and the three tables with
/// borders and their header cells merged as on the national form (`gridSpan` across, `vMerge`
/// down). Chinese fonts (仿宋, 黑体, 宋体) are declared on every run style.
pub fn docx(r: &Report) -> Result<Vec<u8>, RenderError> {
    let mut doc = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(PageMargin {
            top: 2098,
            left: 1588,
            bottom: 1984,
            right: 1474,
            header: 851,
            footer: 992,
            gutter: 0,
        })
        .default_fonts(fonts(BODY_FONT))
        .default_size(BODY_SIZE)
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .fonts(fonts(TITLE_FONT))
                .size(TITLE_SIZE)
                .bold()
                .align(AlignmentType::Center),
        )
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("heading 1")
                .fonts(fonts(HEADING_FONT))
                .size(BODY_SIZE)
                .outline_lvl(0),
        );
    let grids = layout::grids(r);
    doc = doc.add_paragraph(
        Paragraph::new()
            .style("Title")
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().after(300))
            .add_run(Run::new().add_text(layout::title(r))),
    );
    for (i, heading) in SECTION_TITLES.iter().enumerate() {
        let n = i + 1;
        doc = doc.add_paragraph(
            Paragraph::new()
                .style("Heading1")
                .outline_lvl(0)
                .keep_next(true)
                .line_spacing(LineSpacing::new().before(200).after(100))
                .add_run(Run::new().add_text(*heading).fonts(fonts(HEADING_FONT))),
        );
        let table = layout::section_table(n).and_then(|t| grids.get(t));
        let lines = match layout::prose(r, n) {
            Some(lines) => lines,
            None if table.is_none() => vec![PLACEHOLDER],
            None => Vec::new(),
        };
        for l in lines {
            doc = doc.add_paragraph(
                Paragraph::new()
                    .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
                    .align(AlignmentType::Both)
                    .add_run(Run::new().add_text(l)),
            );
        }
        if let Some(g) = table {
            doc = doc.add_table(table_of(g));
            // Word needs a paragraph between consecutive tables and after the last one.
            doc = doc.add_paragraph(Paragraph::new());
        }
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .map_err(|e| RenderError::Docx(e.to_string()))?;
    Ok(buf.into_inner())
}

/// Twip widths of a grid's columns, proportional to its relative widths.
fn twips(g: &Grid) -> Vec<usize> {
    let total: usize = g.widths.iter().sum::<usize>().max(1);
    g.widths.iter().map(|w| TEXT_WIDTH * w / total).collect()
}

fn table_of(g: &Grid) -> Table {
    let widths = twips(g);
    let size = match g.id {
        TableId::Proactive => 21,
        TableId::Requests | TableId::Appeals => 18,
    };
    let coverage = g.coverage();
    let mut rows = Vec::with_capacity(g.nrows);
    for (r, cover) in coverage.iter().enumerate() {
        let mut cells = Vec::new();
        let mut k = 0;
        while k < g.ncols {
            let Some(cell) = cover.get(k).copied().flatten().and_then(|i| g.cells.get(i)) else {
                k += 1;
                continue;
            };
            let width: usize = widths.iter().skip(cell.col).take(cell.colspan).sum();
            // Keeping every row with the next keeps a table on one page, as the form is
            // printed (docx-rs cannot mark header rows to repeat after a page break).
            let keep = r + 1 < g.nrows;
            let mut tc = if cell.row == r {
                content_cell(cell, size, keep)
            } else {
                // The continuation of a cell merged from above: Word wants an empty cell with
                // the same span, marked to continue the merge.
                TableCell::new()
                    .add_paragraph(Paragraph::new().keep_next(keep))
                    .vertical_merge(VMergeType::Continue)
            };
            if cell.row == r && cell.rowspan > 1 {
                tc = tc.vertical_merge(VMergeType::Restart);
            }
            if cell.colspan > 1 {
                tc = tc.grid_span(cell.colspan);
            }
            cells.push(
                tc.width(width, WidthType::Dxa)
                    .vertical_align(VAlignType::Center),
            );
            k = cell.col + cell.colspan;
        }
        let mut row = TableRow::new(cells);
        if r < g.header_rows {
            row = row.cant_split();
        }
        rows.push(row);
    }
    Table::new(rows)
        .set_grid(widths)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
}

fn content_cell(cell: &Cell, size: usize, keep_next: bool) -> TableCell {
    let mut run = Run::new()
        .add_text(cell.content.text())
        .size(size)
        .fonts(fonts(TABLE_FONT));
    if cell.role == Role::ColHeader {
        run = run.bold();
    }
    let align = match cell.role {
        Role::RowHeader if cell.colspan > 1 || cell.rowspan == 1 => AlignmentType::Left,
        _ => AlignmentType::Center,
    };
    TableCell::new().add_paragraph(
        Paragraph::new()
            .align(align)
            .keep_next(keep_next)
            .line_spacing(LineSpacing::new().before(0).after(0))
            .add_run(run),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test that cannot unwrap should fail loudly
mod tests {
    use super::*;
    use crate::model::ReportFormat;

    #[test]
    fn a_zip_starting_with_the_local_file_header() {
        for f in [ReportFormat::Trial2019, ReportFormat::Current2021] {
            let bytes = docx(&Report::zero("某局", 2021, f)).unwrap();
            assert_eq!(&bytes[..4], b"PK\x03\x04");
        }
    }
}
