//! A small PDF writer for the documents Gongkai issues: reply letters, released copies of
//! redacted documents, the annual report.
//!
//! Chinese text is set in `STSong-Light`, one of Adobe's standard CJK fonts (the Adobe-GB1
//! character collection with the `UniGB-UCS2-H` encoding). The font is **not embedded**: every
//! PDF reader that handles Chinese carries it or substitutes a Song face (Acrobat, PDFium in
//! Chromium, poppler with `poppler-data`), and the binary stays small — an embedded CJK font
//! would add megabytes to every letter. Each font resource carries a `ToUnicode` map, so the
//! text can be searched, copied and extracted exactly (the redaction tests rely on that: they
//! extract every released copy and look for the withheld passages).
//!
//! Layout is deliberately simple: full-width characters advance one em, the characters of ASCII
//! half an em (the font's widths are declared so, so the reader sets them exactly where the
//! layout put them); lines break anywhere between CJK characters, keep Latin words and numbers
//! together, and never start a line with closing punctuation (the simple 禁则 of Chinese
//! typesetting). Paragraphs and table rows flow over pages. Characters outside the Basic
//! Multilingual Plane are printed as U+FFFD, because `UniGB-UCS2-H` has no code for them.
//!
//! The page defaults follow GB/T 9704-2012 (党政机关公文格式): A4, margins 37/35/28/26 mm, body
//! text in 三号 (16 pt), page numbers 「— 1 —」 in 四号.
//!
//! No I/O: [`Document::render`] returns the bytes.

use chrono::NaiveDate;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, TextRenderingMode};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// Millimetres to PDF points.
pub fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

/// Common Chinese font sizes (字号) in points.
pub mod size {
    /// 二号: the title of an official document.
    pub const ER_HAO: f32 = 22.0;
    /// 三号: the body text of an official document.
    pub const SAN_HAO: f32 = 16.0;
    /// 四号: page numbers, notes.
    pub const SI_HAO: f32 = 14.0;
    /// 小四: dense text.
    pub const XIAO_SI: f32 = 12.0;
    /// 五号: table cells of a report.
    pub const WU_HAO: f32 = 10.5;
    /// 小五: small print.
    pub const XIAO_WU: f32 = 9.0;
}

/// Horizontal alignment of a paragraph or a cell's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Flush left (the default).
    #[default]
    Left,
    /// Centred (titles).
    Center,
    /// Flush right (signature and date).
    Right,
}

/// The page: size and margins in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageSetup {
    /// Page width.
    pub width: f32,
    /// Page height.
    pub height: f32,
    /// Top margin (天头).
    pub top: f32,
    /// Bottom margin.
    pub bottom: f32,
    /// Left margin (订口).
    pub left: f32,
    /// Right margin.
    pub right: f32,
    /// Print 「— n —」 page numbers below the text block.
    pub page_numbers: bool,
}

impl PageSetup {
    /// A4 portrait with the margins of GB/T 9704-2012 and page numbers.
    pub fn gbt9704() -> Self {
        PageSetup {
            width: mm(210.0),
            height: mm(297.0),
            top: mm(37.0),
            bottom: mm(35.0),
            left: mm(28.0),
            right: mm(26.0),
            page_numbers: true,
        }
    }

    /// A4 landscape with 15 mm margins, for wide tables (the annual report's table 三).
    pub fn a4_landscape() -> Self {
        PageSetup {
            width: mm(297.0),
            height: mm(210.0),
            top: mm(15.0),
            bottom: mm(18.0),
            left: mm(15.0),
            right: mm(15.0),
            page_numbers: true,
        }
    }

    fn text_width(&self) -> f32 {
        self.width - self.left - self.right
    }
}

impl Default for PageSetup {
    fn default() -> Self {
        PageSetup::gbt9704()
    }
}

/// A paragraph of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    /// The text; `\n` starts a new line within the paragraph.
    pub text: String,
    /// Font size in points.
    pub size: f32,
    /// Alignment of every line.
    pub align: Align,
    /// Drawn heavier (fill and stroke), for titles.
    pub bold: bool,
    /// Indent of the first line in ems (公文 body text: 2).
    pub first_line_indent: f32,
    /// Line height as a multiple of the size.
    pub line_height: f32,
    /// Space after the paragraph, in points.
    pub space_after: f32,
}

impl Paragraph {
    /// Body text: 三号, flush left, first line indented two characters.
    pub fn new(text: impl Into<String>) -> Self {
        Paragraph {
            text: text.into(),
            size: size::SAN_HAO,
            align: Align::Left,
            bold: false,
            first_line_indent: 0.0,
            line_height: 1.6,
            space_after: 0.0,
        }
    }

    /// Body text with the first line indented two characters.
    pub fn body(text: impl Into<String>) -> Self {
        Paragraph::new(text).indent(2.0)
    }

    /// A document title: 二号, bold, centred, space after.
    pub fn title(text: impl Into<String>) -> Self {
        Paragraph::new(text)
            .size(size::ER_HAO)
            .center()
            .bold()
            .space_after(size::SAN_HAO)
    }

    /// Sets the font size.
    pub fn size(mut self, size: f32) -> Self {
        self.size = size;
        self
    }

    /// Centres every line.
    pub fn center(mut self) -> Self {
        self.align = Align::Center;
        self
    }

    /// Sets every line flush right.
    pub fn right(mut self) -> Self {
        self.align = Align::Right;
        self
    }

    /// Draws heavier.
    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }

    /// Indents the first line by `ems` characters.
    pub fn indent(mut self, ems: f32) -> Self {
        self.first_line_indent = ems;
        self
    }

    /// Sets the space after the paragraph.
    pub fn space_after(mut self, points: f32) -> Self {
        self.space_after = points;
        self
    }
}

/// One cell of a table row.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The cell's text (wrapped to the cell's width).
    pub text: String,
    /// Columns the cell spans (at least 1).
    pub colspan: usize,
    /// Rows the cell spans (at least 1).
    pub rowspan: usize,
    /// Alignment of the text.
    pub align: Align,
}

impl Cell {
    /// A cell of one column and one row, text flush left.
    pub fn new(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            colspan: 1,
            rowspan: 1,
            align: Align::Left,
        }
    }

    /// A centred cell (headers, figures).
    pub fn centered(text: impl Into<String>) -> Self {
        Cell {
            align: Align::Center,
            ..Cell::new(text)
        }
    }

    /// Spans `n` columns.
    pub fn colspan(mut self, n: usize) -> Self {
        self.colspan = n.max(1);
        self
    }

    /// Spans `n` rows.
    pub fn rowspan(mut self, n: usize) -> Self {
        self.rowspan = n.max(1);
        self
    }

    /// Sets the alignment.
    pub fn align(mut self, align: Align) -> Self {
        self.align = align;
        self
    }
}

/// A ruled table. Rows hold only the cells that start in them (as in HTML): a cell spanning
/// rows occupies its columns in the following rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Relative column widths; the table fills the text width.
    pub columns: Vec<f32>,
    /// The rows.
    pub rows: Vec<Vec<Cell>>,
    /// The first `header_rows` rows are repeated at the top of every page the table continues on.
    pub header_rows: usize,
    /// Font size of the cells.
    pub size: f32,
    /// Space after the table, in points.
    pub space_after: f32,
}

impl Table {
    /// A table with the given relative column widths, 五号 text.
    pub fn new(columns: Vec<f32>) -> Self {
        Table {
            columns,
            rows: Vec::new(),
            header_rows: 0,
            size: size::WU_HAO,
            space_after: size::WU_HAO,
        }
    }

    /// Appends a row.
    pub fn row(mut self, cells: Vec<Cell>) -> Self {
        self.rows.push(cells);
        self
    }

    /// Marks the first `n` rows as the header.
    pub fn header_rows(mut self, n: usize) -> Self {
        self.header_rows = n;
        self
    }

    /// Sets the font size of the cells.
    pub fn size(mut self, size: f32) -> Self {
        self.size = size;
        self
    }
}

/// A block of the document's flow.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A paragraph.
    Paragraph(Paragraph),
    /// A table.
    Table(Table),
    /// Vertical space in points.
    Space(f32),
    /// Continue on a new page.
    PageBreak,
}

impl From<Paragraph> for Block {
    fn from(p: Paragraph) -> Self {
        Block::Paragraph(p)
    }
}

impl From<Table> for Block {
    fn from(t: Table) -> Self {
        Block::Table(t)
    }
}

/// A document: its properties, page setup and flow of blocks.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// Title (document property).
    pub title: String,
    /// Author (document property): the issuing agency.
    pub author: String,
    /// Subject (document property).
    pub subject: String,
    /// Creation date (document property): the letter's date, not the printing time.
    pub created: Option<NaiveDate>,
    /// The page.
    pub page: PageSetup,
    /// The flow.
    pub blocks: Vec<Block>,
}

impl Document {
    /// An empty document on GB/T 9704 pages.
    pub fn new(title: impl Into<String>, author: impl Into<String>) -> Self {
        Document {
            title: title.into(),
            author: author.into(),
            ..Document::default()
        }
    }

    /// Appends a block.
    pub fn push(&mut self, block: impl Into<Block>) -> &mut Self {
        self.blocks.push(block.into());
        self
    }

    /// Lays the flow out on pages and writes the PDF.
    pub fn render(&self) -> Vec<u8> {
        let pages = layout(self);
        write_pdf(self, &pages)
    }
}

// ---------------------------------------------------------------------------------------------
// Measuring and breaking text

/// Advance of `c` in ems: half for ASCII, full for everything else.
fn advance(c: char) -> f32 {
    if c.is_ascii() { 0.5 } else { 1.0 }
}

fn width_em(s: &str) -> f32 {
    s.chars().map(advance).sum()
}

/// Characters that keep a Latin word, number or identifier together.
fn in_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_./:@%".contains(c)
}

/// Punctuation that must not begin a line.
fn no_line_start(c: char) -> bool {
    "，。、；：？！）》」』】〕”’…—．,.;:?!)]%".contains(c)
}

/// Punctuation that must not end a line.
fn no_line_end(c: char) -> bool {
    "（《「『【〔“‘([".contains(c)
}

/// Breaks `text` into lines no wider than `width` ems, the first line `first_indent` ems
/// narrower.
fn break_lines(text: &str, width: f32, first_indent: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, hard) in text.split('\n').enumerate() {
        let mut avail = if i == 0 { width - first_indent } else { width };
        // Units: a Latin word, number or identifier (2026-0042, a URL) stays together; every
        // other character is its own unit.
        let mut units: Vec<String> = Vec::new();
        for c in hard.chars() {
            match units.last_mut() {
                Some(last) if in_word(c) && last.chars().last().is_some_and(in_word) => {
                    last.push(c)
                }
                _ => units.push(c.to_string()),
            }
        }
        let mut line: Vec<String> = Vec::new();
        let mut w = 0.0;
        for unit in units {
            let uw = width_em(&unit);
            if w + uw > avail + 1e-3 && !line.is_empty() {
                // Move a closing mark onto this line by taking the previous unit along, and an
                // opening mark off the end of this line.
                let mut carry: Vec<String> = Vec::new();
                let starts_bad = unit.chars().next().is_some_and(no_line_start);
                if starts_bad && line.len() > 1 {
                    carry.push(line.pop().unwrap_or_default());
                }
                while line.len() > 1
                    && line
                        .last()
                        .and_then(|u| u.chars().last())
                        .is_some_and(no_line_end)
                {
                    carry.insert(0, line.pop().unwrap_or_default());
                }
                lines.push(line.concat());
                avail = width;
                line = carry;
                w = line.iter().map(|u| width_em(u)).sum();
            }
            if uw > avail && line.is_empty() {
                // A unit wider than the line (a long number): split it by characters.
                let mut piece = String::new();
                let mut pw = 0.0;
                for c in unit.chars() {
                    if pw + advance(c) > avail + 1e-3 && !piece.is_empty() {
                        lines.push(std::mem::take(&mut piece));
                        pw = 0.0;
                        avail = width;
                    }
                    piece.push(c);
                    pw += advance(c);
                }
                line.push(piece);
                w = pw;
                continue;
            }
            w += uw;
            line.push(unit);
        }
        lines.push(line.concat());
    }
    lines
}

// ---------------------------------------------------------------------------------------------
// Layout: blocks to positioned marks on pages

#[derive(Debug, Clone)]
enum Mark {
    Text {
        x: f32,
        y: f32,
        size: f32,
        bold: bool,
        text: String,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

type Page = Vec<Mark>;

struct Flow<'a> {
    setup: &'a PageSetup,
    pages: Vec<Page>,
    /// Baseline cursor: the top of the next line, measured from the page's bottom.
    y: f32,
}

impl<'a> Flow<'a> {
    fn new(setup: &'a PageSetup) -> Self {
        Flow {
            setup,
            pages: vec![Vec::new()],
            y: setup.height - setup.top,
        }
    }

    fn bottom(&self) -> f32 {
        self.setup.bottom
    }

    fn fits(&self, h: f32) -> bool {
        self.y - h >= self.bottom() - 1e-3
    }

    fn at_page_top(&self) -> bool {
        (self.y - (self.setup.height - self.setup.top)).abs() < 1e-3
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.setup.height - self.setup.top;
    }

    fn mark(&mut self, m: Mark) {
        if let Some(page) = self.pages.last_mut() {
            page.push(m);
        }
    }

    fn paragraph(&mut self, p: &Paragraph) {
        let width_em = self.setup.text_width() / p.size;
        let lines = break_lines(&p.text, width_em, p.first_line_indent);
        let lh = p.size * p.line_height;
        for (i, line) in lines.iter().enumerate() {
            if !self.fits(lh) {
                self.new_page();
            }
            let indent = if i == 0 { p.first_line_indent } else { 0.0 };
            let w = (width_em_of(line) + indent) * p.size;
            let x = self.setup.left
                + match p.align {
                    Align::Left => indent * p.size,
                    Align::Center => (self.setup.text_width() - w) / 2.0 + indent * p.size,
                    Align::Right => self.setup.text_width() - w + indent * p.size,
                };
            // Baseline: centre the em box in the line's height.
            let baseline = self.y - (lh + p.size * 0.76) / 2.0;
            self.mark(Mark::Text {
                x,
                y: baseline,
                size: p.size,
                bold: p.bold,
                text: line.clone(),
            });
            self.y -= lh;
        }
        self.y -= p.space_after;
    }

    fn table(&mut self, t: &Table) {
        let ncols = t.columns.len().max(1);
        let total: f32 = t.columns.iter().sum::<f32>().max(f32::EPSILON);
        let tw = self.setup.text_width();
        let col_w: Vec<f32> = (0..ncols)
            .map(|i| t.columns.get(i).copied().unwrap_or(1.0) / total * tw)
            .collect();
        let col_x: Vec<f32> = col_w
            .iter()
            .scan(self.setup.left, |x, w| {
                let at = *x;
                *x += w;
                Some(at)
            })
            .collect();
        let grid = place_cells(&t.rows, ncols);
        let pad = t.size * 0.3;
        let lh = t.size * 1.3;
        // Each placed cell's wrapped lines.
        let wrapped: Vec<Vec<String>> = grid
            .iter()
            .map(|pc| {
                let w: f32 = col_w[pc.col..pc.col + pc.colspan].iter().sum();
                break_lines(&pc.cell.text, ((w - 2.0 * pad) / t.size).max(1.0), 0.0)
            })
            .collect();
        // Row heights: single-row cells first, then stretch the last row of each span.
        let nrows = t.rows.len();
        let mut heights = vec![lh + 2.0 * pad; nrows];
        for (pc, lines) in grid.iter().zip(&wrapped) {
            if pc.rowspan == 1 {
                heights[pc.row] = heights[pc.row].max(lines.len() as f32 * lh + 2.0 * pad);
            }
        }
        for (pc, lines) in grid.iter().zip(&wrapped) {
            if pc.rowspan > 1 {
                let need = lines.len() as f32 * lh + 2.0 * pad;
                let last = (pc.row + pc.rowspan - 1).min(nrows - 1);
                let have: f32 = heights[pc.row..=last].iter().sum();
                if need > have {
                    heights[last] += need - have;
                }
            }
        }
        // Row groups that cannot be split across pages (joined by row spans).
        let mut group_end: Vec<usize> = (0..nrows).collect();
        for pc in &grid {
            let last = (pc.row + pc.rowspan - 1).min(nrows - 1);
            for end in &mut group_end[pc.row..=last] {
                *end = (*end).max(last);
            }
        }
        // Propagate so a row's group end covers chained spans.
        for r in (0..nrows).rev() {
            let e = group_end[r];
            if e > r {
                group_end[r] = group_end[r].max(group_end[e]);
            }
        }
        let header = t.header_rows.min(nrows);
        let header_h: f32 = heights[..header].iter().sum();
        let mut r = 0;
        let mut first = true;
        while r < nrows {
            let end = group_end[r];
            let gh: f32 = heights[r..=end].iter().sum();
            let repeat_header = !first && r >= header && header > 0;
            let need = gh + if repeat_header { header_h } else { 0.0 };
            if !self.fits(need) && !self.at_page_top() {
                self.new_page();
                if r >= header && header > 0 {
                    self.draw_rows(&grid, &wrapped, &heights, 0, header - 1, &col_x, &col_w, t);
                }
            } else if first && r >= header {
                // nothing to repeat
            }
            self.draw_rows(&grid, &wrapped, &heights, r, end, &col_x, &col_w, t);
            first = false;
            r = end + 1;
        }
        self.y -= t.space_after;
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_rows(
        &mut self,
        grid: &[Placed<'_>],
        wrapped: &[Vec<String>],
        heights: &[f32],
        from: usize,
        to: usize,
        col_x: &[f32],
        col_w: &[f32],
        t: &Table,
    ) {
        let pad = t.size * 0.3;
        let lh = t.size * 1.3;
        let top = self.y;
        let row_top = |r: usize| top - heights[from..r].iter().sum::<f32>();
        for (pc, lines) in grid.iter().zip(wrapped) {
            if pc.row < from || pc.row > to {
                continue;
            }
            let last = (pc.row + pc.rowspan - 1).min(to);
            let y_top = row_top(pc.row);
            let h: f32 = heights[pc.row..=last].iter().sum();
            let x = col_x[pc.col];
            let w: f32 = col_w[pc.col..pc.col + pc.colspan].iter().sum();
            self.mark(Mark::Rect {
                x,
                y: y_top - h,
                w,
                h,
            });
            let text_h = lines.len() as f32 * lh;
            let mut line_top = y_top - (h - text_h) / 2.0;
            for line in lines {
                let lw = width_em_of(line) * t.size;
                let lx = match pc.cell.align {
                    Align::Left => x + pad,
                    Align::Center => x + (w - lw) / 2.0,
                    Align::Right => x + w - pad - lw,
                };
                self.mark(Mark::Text {
                    x: lx,
                    y: line_top - (lh + t.size * 0.76) / 2.0,
                    size: t.size,
                    bold: false,
                    text: line.clone(),
                });
                line_top -= lh;
            }
        }
        self.y = top - heights[from..=to].iter().sum::<f32>();
    }
}

fn width_em_of(s: &str) -> f32 {
    width_em(s)
}

/// A cell with the grid position it occupies.
struct Placed<'a> {
    cell: &'a Cell,
    row: usize,
    col: usize,
    colspan: usize,
    rowspan: usize,
}

/// Places cells on the grid the way HTML tables do: each cell takes the next column not
/// covered by a row span from above.
fn place_cells(rows: &[Vec<Cell>], ncols: usize) -> Vec<Placed<'_>> {
    let mut covered = vec![vec![false; ncols]; rows.len()];
    let mut out = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let mut c = 0;
        for cell in row {
            while c < ncols && covered[r][c] {
                c += 1;
            }
            if c >= ncols {
                break;
            }
            let colspan = cell.colspan.max(1).min(ncols - c);
            let rowspan = cell.rowspan.max(1).min(rows.len() - r);
            for cov in covered.iter_mut().skip(r).take(rowspan) {
                for slot in cov.iter_mut().skip(c).take(colspan) {
                    *slot = true;
                }
            }
            out.push(Placed {
                cell,
                row: r,
                col: c,
                colspan,
                rowspan,
            });
            c += colspan;
        }
    }
    out
}

fn layout(doc: &Document) -> Vec<Page> {
    let mut flow = Flow::new(&doc.page);
    for block in &doc.blocks {
        match block {
            Block::Paragraph(p) => flow.paragraph(p),
            Block::Table(t) => flow.table(t),
            Block::Space(h) => {
                if flow.fits(*h) {
                    flow.y -= h;
                } else {
                    flow.new_page();
                }
            }
            Block::PageBreak => flow.new_page(),
        }
    }
    let mut pages = flow.pages;
    if doc.page.page_numbers {
        let n = pages.len();
        for (i, page) in pages.iter_mut().enumerate() {
            let text = format!("— {} —", i + 1);
            let s = size::SI_HAO;
            let w = width_em(&text) * s;
            let x = if n == 1 {
                (doc.page.width - w) / 2.0
            } else if i % 2 == 0 {
                // GB/T 9704: odd pages right, even pages left, one character in from the edge.
                doc.page.width - doc.page.right - s - w
            } else {
                doc.page.left + s
            };
            page.push(Mark::Text {
                x,
                y: doc.page.bottom - mm(7.0) - s,
                size: s,
                bold: false,
                text,
            });
        }
    }
    pages
}

// ---------------------------------------------------------------------------------------------
// Writing

const FONT_NAME: Name<'static> = Name(b"STSong-Light");
const FONT_RES: Name<'static> = Name(b"F1");

/// The code of `c` in `UniGB-UCS2-H`: its UCS-2 value (U+FFFD outside the BMP).
fn ucs2(c: char) -> u16 {
    u16::try_from(u32::from(c)).unwrap_or(0xFFFD)
}

fn encode(text: &str) -> Vec<u8> {
    text.chars().flat_map(|c| ucs2(c).to_be_bytes()).collect()
}

fn write_pdf(doc: &Document, pages: &[Page]) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog_id = alloc();
    let tree_id = alloc();
    let info_id = alloc();
    let font_id = alloc();
    let cid_id = alloc();
    let descriptor_id = alloc();
    let cmap_id = alloc();
    let page_ids: Vec<(Ref, Ref)> = pages.iter().map(|_| (alloc(), alloc())).collect();

    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id)
        .kids(page_ids.iter().map(|(p, _)| *p))
        .count(page_ids.len() as i32);

    {
        let mut info = pdf.document_info(info_id);
        info.title(TextStr(&doc.title));
        info.author(TextStr(&doc.author));
        if !doc.subject.is_empty() {
            info.subject(TextStr(&doc.subject));
        }
        info.creator(TextStr("Gongkai"));
        info.producer(TextStr("gongkai-pdf"));
        if let Some(d) = doc.created {
            use chrono::Datelike;
            info.creation_date(
                pdf_writer::Date::new(u16::try_from(d.year()).unwrap_or(2000))
                    .month(u8::try_from(d.month()).unwrap_or(1))
                    .day(u8::try_from(d.day()).unwrap_or(1)),
            );
        }
    }

    let system_info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"GB1"),
        supplement: 2,
    };
    pdf.type0_font(font_id)
        .base_font(FONT_NAME)
        .encoding_predefined(Name(b"UniGB-UCS2-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);
    {
        let mut cid = pdf.cid_font(cid_id);
        cid.subtype(CidFontType::Type0)
            .base_font(FONT_NAME)
            .system_info(system_info)
            .font_descriptor(descriptor_id)
            .default_width(1000.0);
        // ASCII is set half-width; Adobe-GB1 has it at CIDs 1–95 (proportional) and
        // 814–907 (half-width), declared both so whichever the reader maps is exact.
        let mut w = cid.widths();
        w.same(1, 95, 500.0);
        w.same(814, 907, 500.0);
        w.finish();
    }
    pdf.font_descriptor(descriptor_id)
        .name(FONT_NAME)
        .flags(FontFlags::SERIF | FontFlags::SYMBOLIC)
        .bbox(Rect::new(-25.0, -254.0, 1000.0, 880.0))
        .italic_angle(0.0)
        .ascent(880.0)
        .descent(-120.0)
        .cap_height(737.0)
        .stem_v(58.0);

    // ToUnicode: the codes are UCS-2 values, so the map is the identity over the characters used.
    let mut used: Vec<u16> = pages
        .iter()
        .flatten()
        .filter_map(|m| match m {
            Mark::Text { text, .. } => Some(text.chars().map(ucs2).collect::<Vec<_>>()),
            Mark::Rect { .. } => None,
        })
        .flatten()
        .collect();
    used.sort_unstable();
    used.dedup();
    let mut cmap = pdf_writer::types::UnicodeCmap::new(Name(b"Gongkai-UCS2"), system_info);
    for code in used {
        if let Some(c) = char::from_u32(u32::from(code)) {
            cmap.pair(code, c);
        }
    }
    let cmap_bytes = cmap.finish();
    pdf.cmap(cmap_id, &cmap_bytes)
        .name(Name(b"Gongkai-UCS2"))
        .system_info(system_info);

    let media = Rect::new(0.0, 0.0, doc.page.width, doc.page.height);
    for (marks, (page_id, content_id)) in pages.iter().zip(&page_ids) {
        let mut page = pdf.page(*page_id);
        page.media_box(media)
            .parent(tree_id)
            .contents(*content_id)
            .resources()
            .fonts()
            .pair(FONT_RES, font_id);
        page.finish();

        let mut content = Content::new();
        content.set_line_width(0.5);
        for m in marks {
            if let Mark::Rect { x, y, w, h } = m {
                content.rect(*x, *y, *w, *h);
            }
        }
        if marks.iter().any(|m| matches!(m, Mark::Rect { .. })) {
            content.stroke();
        }
        for m in marks {
            if let Mark::Text {
                x,
                y,
                size,
                bold,
                text,
            } = m
            {
                content.begin_text();
                content.set_font(FONT_RES, *size);
                if *bold {
                    content.set_text_rendering_mode(TextRenderingMode::FillStroke);
                    content.set_line_width(size * 0.03);
                }
                content.set_text_matrix([1.0, 0.0, 0.0, 1.0, *x, *y]);
                content.show(Str(&encode(text)));
                if *bold {
                    content.set_text_rendering_mode(TextRenderingMode::Fill);
                }
                content.end_text();
                if *bold {
                    content.set_line_width(0.5);
                }
            }
        }
        let bytes = content.finish();
        pdf.stream(*content_id, &bytes);
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fit_their_width_and_keep_every_character() {
        let text = "根据《中华人民共和国政府信息公开条例》第三十六条第（三）项的规定，现将您申请的信息提供如下：ABC123456789 号。";
        let lines = break_lines(text, 10.0, 2.0);
        assert_eq!(lines.concat(), text);
        assert!(width_em(&lines[0]) <= 8.0 + 1e-3, "{lines:?}");
        for l in &lines[1..] {
            assert!(width_em(l) <= 10.0 + 1e-3, "{l}");
        }
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // Ten characters fill the line exactly; the comma would start the next.
        let text = "一二三四五六七八九十，一二三";
        let lines = break_lines(text, 10.0, 0.0);
        assert_eq!(lines.concat(), text);
        for l in &lines {
            assert!(!l.starts_with('，'), "{lines:?}");
        }
    }

    #[test]
    fn latin_words_stay_together() {
        let lines = break_lines("编号 ABCDEFGH 结束", 7.0, 0.0);
        assert!(lines.iter().any(|l| l.contains("ABCDEFGH")), "{lines:?}");
    }

    #[test]
    fn row_spans_cover_the_columns_below() {
        let rows = vec![
            vec![Cell::new("a").rowspan(2), Cell::new("b").colspan(2)],
            vec![Cell::new("c"), Cell::new("d")],
        ];
        let placed = place_cells(&rows, 3);
        let at: Vec<(usize, usize)> = placed.iter().map(|p| (p.row, p.col)).collect();
        assert_eq!(at, vec![(0, 0), (0, 1), (1, 1), (1, 2)]);
    }

    #[test]
    fn long_flows_go_over_pages() {
        let mut doc = Document::new("t", "a");
        for i in 0..80 {
            doc.push(Paragraph::body(format!("第{i}段。")));
        }
        assert!(layout(&doc).len() > 2);
        let bytes = doc.render();
        assert!(bytes.starts_with(b"%PDF-"));
    }
}
