//! Bounded readers of untrusted files.
//!
//! Every office or PDF file the product opens — attachments, ledger and catalogue imports,
//! published reports — is read here, under one [`Budget`] per file: its compressed size, the
//! number of zip entries, the inflated bytes of ALL entries or streams together, the sheet
//! dimensions taken from the cells actually present, the extracted text, the XML nesting depth
//! and the wall time. The limits are checked inside the readers while they read, never after,
//! so a 1.5 KB file that declares a 16,384 × 1,048,576 sheet or inflates to gigabytes is
//! refused before it costs memory. Each refusal is an [`ExtractError`] whose message, in
//! Chinese, names the file and the limit.
//!
//! Readers: [`read_docx`] (paragraphs and tables, in order), [`read_xlsx`] (the cells
//! present), [`read_pdf`] (text runs with page, position and font size, and lines rebuilt from
//! them), [`read_text`] and [`read_html`] (passthrough, charset detected).
//!
//! The readers are synchronous and CPU-bound: async callers run them on the blocking pool.

mod docx;
mod error;
#[cfg(feature = "hostile")]
pub mod hostile;
mod meter;
mod pdf;
mod text;
mod xlsx;
mod xml;
mod zipped;

use std::io::Read;
use std::path::Path;
use std::time::Duration;

pub use docx::{Block, Docx, read_docx};
pub use error::{ExtractError, Format, Limit};
pub use pdf::{PdfPage, PdfText, TextRun, read_pdf};
pub use text::{read_html, read_text};
pub use xlsx::{Cell, Sheet, Value, Workbook, read_xlsx};

/// The limits under which one untrusted file is read. [`Budget::default`] suits an
/// attachment or an import of an agency's office; callers may tighten or widen a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    /// The file's own size (bytes), compressed as uploaded.
    pub max_file_bytes: u64,
    /// Entries of a zip container (.docx/.xlsx).
    pub max_entries: usize,
    /// Bytes inflated from all entries (zip) or all streams (PDF) of the file together.
    pub max_inflated_bytes: u64,
    /// Rows of one sheet, counted to the last row that holds a cell.
    pub max_rows: u32,
    /// Columns of one sheet, counted to the last column that holds a cell.
    pub max_cols: u32,
    /// Cells present in the whole workbook.
    pub max_cells: u64,
    /// Bytes of text extracted from the file (UTF-8).
    pub max_text_bytes: usize,
    /// Nesting depth of any XML part.
    pub max_xml_depth: usize,
    /// Pages of a PDF.
    pub max_pages: usize,
    /// Wall time spent reading the file.
    pub max_time: Duration,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_file_bytes: 10 * 1024 * 1024,
            max_entries: 1_000,
            max_inflated_bytes: 64 * 1024 * 1024,
            max_rows: 100_000,
            max_cols: 1_000,
            max_cells: 2_000_000,
            max_text_bytes: 16 * 1024 * 1024,
            max_xml_depth: 128,
            max_pages: 2_000,
            max_time: Duration::from_secs(20),
        }
    }
}

/// Reads a file from disk, refusing it without reading it whole when it is larger than
/// `budget.max_file_bytes` (a path can name a file of any size, or a device that never ends).
pub fn read_path(path: &Path, budget: &Budget) -> Result<Vec<u8>, ExtractError> {
    let name = path.display().to_string();
    let io = |e: std::io::Error| ExtractError::Io {
        file: name.clone(),
        reason: e.to_string(),
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::new();
    file.take(budget.max_file_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > budget.max_file_bytes {
        return Err(ExtractError::OverBudget {
            file: name,
            limit: Limit::FileBytes(budget.max_file_bytes),
        });
    }
    Ok(bytes)
}
