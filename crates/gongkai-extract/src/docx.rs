//! Word (.docx): the paragraphs and tables of the body, then of headers, footers and notes.

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::meter::Meter;
use crate::zipped::unzip;
use crate::{Budget, ExtractError, Format};

/// A block of a Word document, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A paragraph's text (tabs as `\t`, line breaks as `\n`).
    Paragraph(String),
    /// A table: rows of cells, each cell's paragraphs joined by `\n`. A table nested in a
    /// cell is flattened into that cell's text.
    Table(Vec<Vec<String>>),
}

/// The text of a Word document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Docx {
    /// The body's blocks, then those of headers, footers, footnotes and endnotes.
    pub blocks: Vec<Block>,
}

impl Docx {
    /// All text: a paragraph a line, a table row a line with cells separated by tabs.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            match block {
                Block::Paragraph(p) => {
                    out.push_str(p);
                    out.push('\n');
                }
                Block::Table(rows) => push_rows(&mut out, rows),
            }
        }
        out
    }

    /// The tables, in order.
    pub fn tables(&self) -> impl Iterator<Item = &Vec<Vec<String>>> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
    }
}

fn push_rows(out: &mut String, rows: &[Vec<String>]) {
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| c.replace('\n', " ")).collect();
        out.push_str(&cells.join("\t"));
        out.push('\n');
    }
}

/// Reads a .docx within `budget`. `file` names the file in errors.
pub fn read_docx(file: &str, data: &[u8], budget: &Budget) -> Result<Docx, ExtractError> {
    let mut meter = Meter::start(file, Format::Docx, budget, data.len())?;
    let parts = unzip(&mut meter, data)?;
    let main = parts
        .get("word/document.xml")
        .ok_or_else(|| meter.unreadable("缺少正文部分 word/document.xml"))?;
    let mut doc = Docx::default();
    word_part(&mut meter, "word/document.xml", main, &mut doc.blocks)?;
    // BTreeMap order: header1, header2 …, then footers, then the notes.
    for prefix in [
        "word/header",
        "word/footer",
        "word/footnotes",
        "word/endnotes",
    ] {
        for (name, xml) in parts.range(prefix.to_string()..) {
            if !name.starts_with(prefix) {
                break;
            }
            if name.ends_with(".xml") && !name[prefix.len()..].contains('/') {
                word_part(&mut meter, name, xml, &mut doc.blocks)?;
            }
        }
    }
    Ok(doc)
}

/// A table being read: its rows, the row and the cell open now.
#[derive(Default)]
struct OpenTable {
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    cell: String,
}

/// Reads the blocks of one WordprocessingML part (depth already checked by `unzip`).
fn word_part(
    meter: &mut Meter<'_>,
    part: &str,
    xml: &[u8],
    blocks: &mut Vec<Block>,
) -> Result<(), ExtractError> {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    let mut para = String::new();
    let mut in_text = false;
    let mut tables: Vec<OpenTable> = Vec::new();
    loop {
        buf.clear();
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| meter.unreadable(format!("{part} 不是有效的 XML（{e}）")))?;
        meter.tick()?;
        match event {
            Event::Start(e) => match e.name().as_ref() {
                "w:t" => in_text = true,
                "w:tbl" => tables.push(OpenTable::default()),
                _ => {}
            },
            Event::Empty(e) => match e.name().as_ref() {
                "w:tab" => para.push('\t'),
                "w:br" | "w:cr" => para.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => {
                let s = t.xml10_content();
                meter.text(s.len())?;
                para.push_str(&s);
            }
            Event::GeneralRef(r) if in_text => {
                let ch = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    _ => match r.as_ref() {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "amp" => Some('&'),
                        "quot" => Some('"'),
                        "apos" => Some('\''),
                        _ => None,
                    },
                };
                if let Some(c) = ch {
                    meter.text(c.len_utf8())?;
                    para.push(c);
                }
            }
            Event::End(e) => match e.name().as_ref() {
                "w:t" => in_text = false,
                "w:p" => {
                    let text = std::mem::take(&mut para);
                    match tables.last_mut() {
                        Some(t) => {
                            if !t.cell.is_empty() {
                                t.cell.push('\n');
                            }
                            t.cell.push_str(&text);
                        }
                        None => blocks.push(Block::Paragraph(text)),
                    }
                }
                "w:tc" => {
                    if let Some(t) = tables.last_mut() {
                        let cell = std::mem::take(&mut t.cell);
                        t.row.push(cell);
                    }
                }
                "w:tr" => {
                    if let Some(t) = tables.last_mut() {
                        let row = std::mem::take(&mut t.row);
                        t.rows.push(row);
                    }
                }
                "w:tbl" => {
                    if let Some(done) = tables.pop() {
                        match tables.last_mut() {
                            Some(outer) => {
                                let mut flat = String::new();
                                push_rows(&mut flat, &done.rows);
                                if !outer.cell.is_empty() {
                                    outer.cell.push('\n');
                                }
                                outer.cell.push_str(flat.trim_end());
                            }
                            None => blocks.push(Block::Table(done.rows)),
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(())
}
