//! XLSX with rust_xlsxwriter: one sheet per table, merged header cells, numbers as numbers.

use super::RenderError;
use super::layout::{self, Cell, Content, Grid, Role};
use crate::model::Report;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet};

const FONT: &str = "宋体";
const FONT_SIZE: f64 = 10.0;
/// Excel column width units per unit of the layout's relative widths; a CJK character is
/// about two units wide.
const WIDTH_SCALE: f64 = 1.7;
/// Points per line of 10-point text.
const LINE_HEIGHT: f64 = 14.0;
/// Rows above each table: the report title and the table's caption.
const TOP: u32 = 2;

/// The report as a workbook: sheets 「表二 主动公开」, 「表三 依申请公开」 and 「表四 复议诉讼」,
/// each headed by the report's title and the table's caption, with the form's merged header
/// cells, borders, counts written as numbers and amounts as numbers in 万元 (the 2019
/// procurement total shown with the four decimals the form asks for). A blank cell stays empty.
pub fn xlsx(r: &Report) -> Result<Vec<u8>, RenderError> {
    let mut wb = Workbook::new();
    let title = layout::title(r);
    for g in layout::grids(r) {
        let ws = wb.add_worksheet();
        ws.set_name(g.id.sheet_name())?;
        write_grid(ws, &g, &title)?;
    }
    Ok(wb.save_to_buffer()?)
}

struct Formats {
    title: Format,
    caption: Format,
    col_header: Format,
    row_header: Format,
    count: Format,
    amount4: Format,
    amount: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new()
            .set_font_name(FONT)
            .set_font_size(FONT_SIZE)
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        let centered = base.clone().set_align(FormatAlign::Center);
        Formats {
            title: Format::new()
                .set_font_name(FONT)
                .set_font_size(14)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            caption: Format::new()
                .set_font_name(FONT)
                .set_font_size(11)
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            col_header: centered.clone().set_bold(),
            row_header: base.clone().set_align(FormatAlign::Left),
            count: centered.clone().set_num_format("0"),
            amount4: centered.clone().set_num_format("0.0000"),
            amount: centered,
        }
    }

    fn for_cell(&self, c: &Cell) -> &Format {
        match (&c.role, &c.content) {
            (Role::ColHeader, _) => &self.col_header,
            (Role::RowHeader, _) if c.rowspan > 1 => &self.col_header,
            (Role::RowHeader, _) | (Role::Data, Content::Text(_)) => &self.row_header,
            (Role::Data, Content::Count(_)) => &self.count,
            (
                Role::Data,
                Content::Amount {
                    min_decimals: 4, ..
                },
            ) => &self.amount4,
            (Role::Data, Content::Amount { .. }) => &self.amount,
        }
    }
}

fn write_grid(ws: &mut Worksheet, g: &Grid, title: &str) -> Result<(), RenderError> {
    let f = Formats::new();
    let last_col = col(g.ncols.saturating_sub(1));
    ws.merge_range(0, 0, 0, last_col, title, &f.title)?;
    ws.set_row_height(0, 24)?;
    ws.merge_range(1, 0, 1, last_col, g.id.caption(), &f.caption)?;
    ws.set_row_height(1, 20)?;
    let widths: Vec<f64> = g.widths.iter().map(|w| *w as f64 * WIDTH_SCALE).collect();
    for (k, w) in widths.iter().enumerate() {
        ws.set_column_width(col(k), *w)?;
    }
    let mut heights = vec![LINE_HEIGHT + 4.0; g.nrows];
    for c in &g.cells {
        let (r, k) = (TOP + row(c.row), col(c.col));
        let fmt = f.for_cell(c);
        if c.rowspan > 1 || c.colspan > 1 {
            let (r2, k2) = (r + row(c.rowspan - 1), k + col(c.colspan - 1));
            let text = if c.content.is_number() {
                String::new()
            } else {
                c.content.text()
            };
            ws.merge_range(r, k, r2, k2, &text, fmt)?;
        }
        match &c.content {
            Content::Text(s) if c.rowspan == 1 && c.colspan == 1 => {
                ws.write_string_with_format(r, k, s, fmt)?;
            }
            Content::Text(_) => {}
            Content::Count(Some(n)) => {
                ws.write_number_with_format(r, k, *n as f64, fmt)?;
            }
            Content::Amount { value: Some(v), .. } => {
                ws.write_number_with_format(r, k, *v, fmt)?;
            }
            Content::Count(None) | Content::Amount { value: None, .. } => {
                if c.rowspan == 1 && c.colspan == 1 {
                    ws.write_blank(r, k, fmt)?;
                }
            }
        }
        // Merged cells do not grow with their text: size the rows so wrapped labels show.
        let room: f64 = widths.iter().skip(c.col).take(c.colspan).sum();
        let lines = (display_width(&c.content.text()) / room.max(1.0))
            .ceil()
            .max(1.0);
        let per_row = (lines * LINE_HEIGHT + 4.0) / c.rowspan as f64;
        for h in heights.iter_mut().skip(c.row).take(c.rowspan) {
            *h = h.max(per_row);
        }
    }
    for (i, h) in heights.iter().enumerate() {
        ws.set_row_height(TOP + row(i), *h)?;
    }
    ws.set_paper_size(9); // A4
    if g.ncols > 10 {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// Width of text in Excel column units: CJK characters count double.
fn display_width(s: &str) -> f64 {
    s.chars()
        .map(|c| if (c as u32) < 0x2E80 { 1.1 } else { 2.1 })
        .sum()
}

// The form's tables are a few dozen cells: positions always fit Excel's row and column types.
fn row(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn col(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test that cannot unwrap should fail loudly
mod tests {
    use super::*;
    use crate::model::ReportFormat;

    #[test]
    fn a_workbook_for_either_format() {
        for f in [ReportFormat::Trial2019, ReportFormat::Current2021] {
            let bytes = xlsx(&Report::zero("某局", 2021, f)).unwrap();
            assert_eq!(&bytes[..4], b"PK\x03\x04");
        }
    }

    #[test]
    fn cjk_text_is_twice_as_wide() {
        assert!(display_width("自然人") > 1.5 * display_width("abc"));
    }
}
