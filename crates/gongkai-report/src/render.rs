//! Renders a report: the printed national text layout, Markdown, HTML, canonical JSON, DOCX,
//! XLSX and PDF.
//!
//! All formats draw the three tables from one description of the national form (which cells
//! are merged, which are headers), so they agree with each other and with the form. The text
//! layout is the one people copy out of Word (merged cells spread into runs of empty cells,
//! tab-separated) and reads back with [`crate::parse`].
//!
//! ```
//! use gongkai_report::{Report, model::ReportFormat, render};
//! let r = Report::zero("夏邑县人民政府", 2020, ReportFormat::Trial2019);
//! let text = render::text(&r);
//! assert!(text.starts_with("夏邑县人民政府2020年政府信息公开工作年度报告"));
//! assert!(render::html(&r).contains("<table"));
//! ```

mod docx;
mod html;
mod layout;
mod markdown;
mod pdf;
mod text;
mod xlsx;

use crate::model::Report;
use std::path::{Path, PathBuf};

pub use docx::docx;
pub use html::{html, html_fragment};
pub use markdown::markdown;
pub use pdf::pdf;
pub use text::text;
pub use xlsx::xlsx;

/// Why a report could not be rendered or written.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The output file's extension names no format we write.
    #[error(
        "不支持的输出格式「{extension}」（{path}）；可用 .json .txt .md .html .docx .xlsx .pdf / \
         unsupported output extension `{extension}` for {path}: use .json .txt .md .html .docx .xlsx .pdf"
    )]
    UnknownExtension {
        /// The extension as given (empty when the path has none).
        extension: String,
        /// The path asked for.
        path: PathBuf,
    },
    /// docx-rs could not pack the document.
    #[error("无法生成 DOCX 文件 / could not build the DOCX file: {0}")]
    Docx(String),
    /// rust_xlsxwriter could not build the workbook.
    #[error("无法生成 XLSX 文件 / could not build the XLSX file: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// Writing the output file failed.
    #[error("无法写入 {path} / could not write {path}: {source}")]
    Io {
        /// The file being written.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// The canonical JSON of the report (the same as [`Report::to_json`]).
pub fn json(r: &Report) -> String {
    r.to_json()
}

/// The output formats [`to_file`] knows, by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// `.json`: canonical JSON.
    Json,
    /// `.txt`: the printed national layout.
    Text,
    /// `.md`: Markdown with GFM tables.
    Markdown,
    /// `.html` / `.htm`: a standalone page.
    Html,
    /// `.docx`: a Word document.
    Docx,
    /// `.xlsx`: a workbook with one sheet per table.
    Xlsx,
    /// `.pdf`: GB/T 9704 pages written by `gongkai-pdf`.
    Pdf,
}

impl OutputFormat {
    /// The format a path's extension asks for (case-insensitive), or the error naming it.
    pub fn for_path(path: &Path) -> Result<OutputFormat, RenderError> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        Ok(match ext.as_str() {
            "json" => OutputFormat::Json,
            "txt" => OutputFormat::Text,
            "md" | "markdown" => OutputFormat::Markdown,
            "html" | "htm" => OutputFormat::Html,
            "docx" => OutputFormat::Docx,
            "xlsx" => OutputFormat::Xlsx,
            "pdf" => OutputFormat::Pdf,
            _ => {
                return Err(RenderError::UnknownExtension {
                    extension: if ext.is_empty() {
                        "(none)".to_string()
                    } else {
                        format!(".{ext}")
                    },
                    path: path.to_path_buf(),
                });
            }
        })
    }
}

/// Renders `r` in `format` as bytes (UTF-8 for the text formats).
pub fn render(r: &Report, format: OutputFormat) -> Result<Vec<u8>, RenderError> {
    Ok(match format {
        OutputFormat::Json => json(r).into_bytes(),
        OutputFormat::Text => text(r).into_bytes(),
        OutputFormat::Markdown => markdown(r).into_bytes(),
        OutputFormat::Html => html(r).into_bytes(),
        OutputFormat::Docx => docx(r)?,
        OutputFormat::Xlsx => xlsx(r)?,
        OutputFormat::Pdf => pdf(r),
    })
}

/// Writes `r` to `path` in the format its extension names (.json .txt .md .html .docx .xlsx
/// .pdf).
///
/// An unknown extension is an error naming it; nothing is written then.
pub fn to_file(r: &Report, path: &Path) -> Result<(), RenderError> {
    let bytes = render(r, OutputFormat::for_path(path)?)?;
    std::fs::write(path, bytes).map_err(|source| RenderError::Io {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test that cannot unwrap should fail loudly
mod tests {
    use super::*;
    use crate::model::ReportFormat;

    #[test]
    fn the_extension_chooses_the_format_and_an_unknown_one_is_named() {
        assert_eq!(
            OutputFormat::for_path(Path::new("a/b.DOCX")).unwrap(),
            OutputFormat::Docx
        );
        let e = OutputFormat::for_path(Path::new("out.odt")).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains(".odt") && msg.contains("out.odt"), "{msg}");
        let e = OutputFormat::for_path(Path::new("out")).unwrap_err();
        assert!(e.to_string().contains("(none)"));
    }

    #[test]
    fn to_file_writes_every_format_and_refuses_unknown_ones() {
        let dir = std::env::temp_dir().join(format!("gongkai-render-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let r = Report::zero("某机关", 2022, ReportFormat::Current2021);
        for ext in ["json", "txt", "md", "html", "docx", "xlsx", "pdf"] {
            let p = dir.join(format!("r.{ext}"));
            to_file(&r, &p).unwrap();
            assert!(std::fs::metadata(&p).unwrap().len() > 100, "{ext}");
        }
        let bad = dir.join("r.odt");
        assert!(to_file(&r, &bad).is_err());
        assert!(!bad.exists());
        let back = Report::from_json(&std::fs::read_to_string(dir.join("r.json")).unwrap());
        assert_eq!(back.unwrap(), r);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
