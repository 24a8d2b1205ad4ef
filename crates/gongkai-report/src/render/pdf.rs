//! PDF with `gongkai-pdf`: the title, the six sections with their prose and the three tables
//! ruled and merged as on the national form (the same grids the DOCX and XLSX draw), on GB/T
//! 9704 pages with 「— n —」 page numbers.

use super::layout::{self, Grid, PLACEHOLDER, Role, SECTION_TITLES, TableId};
use crate::model::Report;
use gongkai_pdf::{Align, Cell, Document, Paragraph, Table, size};

/// The report as a PDF document, authored by the reporting agency.
pub fn pdf(r: &Report) -> Vec<u8> {
    let title = layout::title(r);
    let mut doc = Document::new(title.clone(), r.agency.clone());
    doc.subject = "政府信息公开工作年度报告".to_string();
    doc.push(Paragraph::title(title));
    let grids = layout::grids(r);
    for (i, heading) in SECTION_TITLES.iter().enumerate() {
        let n = i + 1;
        doc.push(Paragraph::body(*heading).bold());
        let table = layout::section_table(n).and_then(|t| grids.get(t));
        let lines = match layout::prose(r, n) {
            Some(lines) => lines,
            None if table.is_none() => vec![PLACEHOLDER],
            None => Vec::new(),
        };
        for l in lines {
            doc.push(Paragraph::body(l));
        }
        if let Some(g) = table {
            doc.push(Paragraph::new(g.id.caption()).size(size::SI_HAO).center());
            doc.push(table_of(g));
        }
    }
    doc.render()
}

fn table_of(g: &Grid) -> Table {
    let size = match g.id {
        TableId::Proactive => size::WU_HAO,
        TableId::Requests | TableId::Appeals => size::XIAO_WU,
    };
    let mut t = Table::new(g.widths.iter().map(|w| *w as f32).collect())
        .header_rows(g.header_rows)
        .size(size);
    for r in 0..g.nrows {
        let cells = g
            .row_cells(r)
            .map(|c| {
                let align = match c.role {
                    Role::RowHeader if c.colspan > 1 || c.rowspan == 1 => Align::Left,
                    _ => Align::Center,
                };
                Cell::new(c.content.text())
                    .colspan(c.colspan)
                    .rowspan(c.rowspan)
                    .align(align)
            })
            .collect();
        t = t.row(cells);
    }
    t
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test that cannot unwrap should fail loudly
mod tests {
    use super::*;
    use crate::model::ReportFormat;

    #[test]
    fn a_pdf_for_both_formats() {
        for f in [ReportFormat::Trial2019, ReportFormat::Current2021] {
            let bytes = pdf(&Report::zero("某局", 2021, f));
            assert!(bytes.starts_with(b"%PDF-"));
        }
    }
}
