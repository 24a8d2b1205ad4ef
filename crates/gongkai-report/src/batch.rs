//! Many reports at once: the files of a directory or a .zip, each read by its kind.
//!
//! A superior office receives its units' reports as a folder or an archive of files in every
//! form they were published in. [`unzip`] lists the reports inside an archive (bytes in, bytes
//! out: no I/O here), [`DocKind::of`] tells a report's form from its name, and
//! [`parse_document`] reads one. The names are kept as the batch gave them
//! (`reports.zip/县/2024.html`), so a finding can be traced to its file.

use crate::model::Report;
use crate::parse::{
    Block, ParseError, ParseOptions, Parsed, Run, parse_blocks, parse_runs, parse_str,
};
use crate::render::RenderError;
use crate::rules::Finding;
use std::io::Read;

/// The forms a published report comes in, told by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    /// `.txt`: text copied out of a page or a PDF.
    Text,
    /// `.html` / `.htm`: the web page.
    Html,
    /// `.json`: the canonical JSON.
    Json,
    /// `.pdf`.
    Pdf,
    /// `.docx`.
    Docx,
}

impl DocKind {
    /// The kind of a file by its extension (case-insensitive); `None` for anything else.
    pub fn of(name: &str) -> Option<DocKind> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" => DocKind::Text,
            "html" | "htm" => DocKind::Html,
            "json" => DocKind::Json,
            "pdf" => DocKind::Pdf,
            "docx" => DocKind::Docx,
            _ => return None,
        })
    }

    /// Every kind.
    pub const ALL: [DocKind; 5] = [
        DocKind::Text,
        DocKind::Html,
        DocKind::Json,
        DocKind::Pdf,
        DocKind::Docx,
    ];

    /// The short name shown in lists and exports (`txt`, `html`, …), and stored.
    pub fn id(self) -> &'static str {
        match self {
            DocKind::Text => "txt",
            DocKind::Html => "html",
            DocKind::Json => "json",
            DocKind::Pdf => "pdf",
            DocKind::Docx => "docx",
        }
    }

    /// Reads a short name ([`DocKind::id`]).
    pub fn parse(s: &str) -> Option<DocKind> {
        let s = s.trim();
        DocKind::ALL.into_iter().find(|k| k.id() == s)
    }
}

impl TryFrom<String> for DocKind {
    type Error = gongkai_law::UnknownKey;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        DocKind::parse(&s).ok_or_else(|| gongkai_law::UnknownKey::new("年报文件格式", s))
    }
}

/// One report file of a batch: its name as the batch gives it and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The path as given, joined with the name inside an archive (`a.zip/x/2024.pdf`).
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Limits on one archive, so that a hostile .zip cannot exhaust memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZipLimits {
    /// Report files taken from one archive.
    pub max_files: usize,
    /// Bytes one report may inflate to.
    pub max_file_bytes: u64,
    /// Bytes all reports of the archive may inflate to together: 128 MB by default, room for
    /// a county's or a city's batch of PDF reports (which hardly compress) while a batch of
    /// highly compressible text cannot push the server's memory past its budget (a larger
    /// batch is sent in parts).
    pub max_total_bytes: u64,
}

impl Default for ZipLimits {
    fn default() -> Self {
        ZipLimits {
            max_files: 5_000,
            max_file_bytes: 20 * 1024 * 1024,
            max_total_bytes: 128 * 1024 * 1024,
        }
    }
}

/// Why a report file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// The archive is not a readable .zip.
    #[error("{name}：不是有效的 ZIP 压缩包（{reason}）")]
    Zip {
        /// The archive's name.
        name: String,
        /// What the zip reader said.
        reason: String,
    },
    /// The archive holds more than the limits allow.
    #[error("{name}：压缩包超出限制（{what}）")]
    ZipLimit {
        /// The archive's name.
        name: String,
        /// Which limit, in words.
        what: String,
    },
    /// The file could not be read within its budget (not a PDF, too large, a bomb…).
    #[error("{0}")]
    Extract(#[from] gongkai_extract::ExtractError),
    /// The text was read but is not a report.
    #[error("{name}：{source}")]
    Parse {
        /// The file.
        name: String,
        /// Why.
        #[source]
        source: ParseError,
    },
}

/// The report files inside a .zip, in the archive's order, named `zip_name/inner`. Entries that
/// are not reports (by extension) and directories are skipped; names written in GBK by Windows
/// archivers (no UTF-8 flag) are decoded as GB18030.
pub fn unzip(
    zip_name: &str,
    bytes: &[u8],
    limits: ZipLimits,
) -> Result<Vec<Document>, DocumentError> {
    let zip_err = |e: zip::result::ZipError| DocumentError::Zip {
        name: zip_name.to_string(),
        reason: e.to_string(),
    };
    let limit = |what: String| DocumentError::ZipLimit {
        name: zip_name.to_string(),
        what,
    };
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(zip_err)?;
    // Several directory entries pointing at one stream would inflate it once each: a few
    // kilobytes standing for hundreds of megabytes (issue 12.1).
    if archive.has_overlapping_entries().map_err(zip_err)? {
        return Err(limit("压缩包内的条目不得相互重叠".to_string()));
    }
    let mut out = Vec::new();
    let mut total = 0u64;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(zip_err)?;
        if entry.is_dir() {
            continue;
        }
        let inner = entry_name(entry.name_raw());
        if DocKind::of(&inner).is_none()
            || inner
                .rsplit('/')
                .next()
                .is_some_and(|b| b.starts_with("._"))
        {
            continue;
        }
        if out.len() == limits.max_files {
            return Err(limit(format!("报告文件超过 {} 个", limits.max_files)));
        }
        let mut buf = Vec::new();
        // Read one byte past the limit: the declared size of an entry is not to be trusted.
        (&mut entry)
            .take(limits.max_file_bytes + 1)
            .read_to_end(&mut buf)
            .map_err(|e| DocumentError::Zip {
                name: zip_name.to_string(),
                reason: e.to_string(),
            })?;
        if buf.len() as u64 > limits.max_file_bytes {
            return Err(limit(format!(
                "{inner} 解压后超过 {} MB",
                limits.max_file_bytes / 1024 / 1024
            )));
        }
        total += buf.len() as u64;
        if total > limits.max_total_bytes {
            return Err(limit(format!(
                "解压后合计超过 {} MB",
                limits.max_total_bytes / 1024 / 1024
            )));
        }
        out.push(Document {
            name: format!("{zip_name}/{inner}"),
            bytes: buf,
        });
    }
    Ok(out)
}

/// An entry's name: UTF-8 when it is, else GB18030 (what Chinese Windows archivers write).
fn entry_name(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(raw).0.into_owned(),
    }
}

/// Reads one report file by its kind, under `gongkai-extract`'s default budget: text and web
/// pages in their charset (BOM, `<meta charset>`, UTF-8, else GB18030), PDF from its
/// positioned text, DOCX from its paragraphs and tables. A name with no known extension is
/// read as text (which also recognises HTML and JSON by their content).
pub fn parse_document(doc: &Document, opts: &ParseOptions) -> Result<Parsed, DocumentError> {
    let kind = DocKind::of(&doc.name).unwrap_or(DocKind::Text);
    let budget = gongkai_extract::Budget::default();
    let name = doc.name.as_str();
    let parsed = match kind {
        DocKind::Html => parse_str(
            &gongkai_extract::read_html(name, &doc.bytes, &budget)?,
            opts,
        ),
        DocKind::Text | DocKind::Json => parse_str(
            &gongkai_extract::read_text(name, &doc.bytes, &budget)?,
            opts,
        ),
        DocKind::Pdf => {
            let pdf = gongkai_extract::read_pdf(name, &doc.bytes, &budget)?;
            let runs: Vec<Run> = pdf
                .runs()
                .map(|r| Run {
                    page: r.page,
                    x: r.x,
                    y: r.y,
                    width: r.width,
                    size: r.font_size,
                    text: r.text.clone(),
                })
                .collect();
            parse_runs(&runs, opts)
        }
        DocKind::Docx => {
            let docx = gongkai_extract::read_docx(name, &doc.bytes, &budget)?;
            let blocks: Vec<Block> = docx
                .blocks
                .into_iter()
                .map(|b| match b {
                    gongkai_extract::Block::Paragraph(p) => Block::Paragraph(p),
                    gongkai_extract::Block::Table(t) => Block::Table(t),
                })
                .collect();
            parse_blocks(&blocks, opts)
        }
    };
    parsed.map_err(|source| DocumentError::Parse {
        name: doc.name.clone(),
        source,
    })
}

/// What checking one file of a batch gave.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The file's name as the batch gave it.
    pub file: String,
    /// Its form, when its extension names one.
    pub kind: Option<DocKind>,
    /// The report and its findings, or why the file could not be read.
    pub outcome: Result<(Report, Vec<Finding>), String>,
}

impl Checked {
    /// The `check --json` object: `file`, `agency`, `year`, `format`, `findings` — or `file`
    /// and `error` for a file that could not be read.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.outcome {
            Ok((r, findings)) => serde_json::json!({
                "file": self.file,
                "agency": r.agency,
                "year": r.year,
                "format": r.format,
                "findings": findings,
            }),
            Err(e) => serde_json::json!({"file": self.file, "error": e}),
        }
    }
}

/// The batch as a workbook: sheet 「报告」 one row per file (file, unit, year, format, form,
/// errors, warnings, the rules found), sheet 「问题」 one row per finding with its place and
/// values. An unreadable file is a row of 「报告」 with the reason.
pub fn to_xlsx(results: &[Checked]) -> Result<Vec<u8>, RenderError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let head = Format::new().set_bold();
    let reports = wb.add_worksheet();
    reports.set_name("报告")?;
    let cols = [
        "文件",
        "单位",
        "年度",
        "格式",
        "文件类型",
        "错误",
        "警告",
        "问题",
    ];
    for (c, h) in cols.iter().enumerate() {
        reports.write_with_format(0, c as u16, *h, &head)?;
    }
    reports.set_column_width(0, 40)?;
    reports.set_column_width(1, 30)?;
    reports.set_column_width(7, 60)?;
    for (i, r) in results.iter().enumerate() {
        let row = i as u32 + 1;
        reports.write(row, 0, &r.file)?;
        reports.write(row, 4, r.kind.map_or("", DocKind::id))?;
        match &r.outcome {
            Ok((rep, findings)) => {
                let errors = findings.iter().filter(|f| f.is_error()).count();
                reports.write(row, 1, &rep.agency)?;
                reports.write(row, 2, rep.year)?;
                reports.write(row, 3, rep.format.id())?;
                reports.write(row, 5, errors as u32)?;
                reports.write(row, 6, (findings.len() - errors) as u32)?;
                let mut ids: Vec<&str> = findings.iter().map(|f| f.rule.id()).collect();
                ids.dedup();
                reports.write(row, 7, ids.join("、"))?;
            }
            Err(e) => {
                reports.write(row, 7, format!("无法读取：{e}"))?;
            }
        }
    }
    let sheet = wb.add_worksheet();
    sheet.set_name("问题")?;
    let cols = [
        "文件", "单位", "年度", "规则", "级别", "表", "行", "列", "应为", "实为", "说明",
    ];
    for (c, h) in cols.iter().enumerate() {
        sheet.write_with_format(0, c as u16, *h, &head)?;
    }
    sheet.set_column_width(0, 40)?;
    sheet.set_column_width(10, 80)?;
    let mut row = 1u32;
    for r in results {
        let Ok((rep, findings)) = &r.outcome else {
            continue;
        };
        for f in findings {
            let value = |v: &Option<serde_json::Value>| match v {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(v) => v.to_string(),
            };
            sheet.write(row, 0, &r.file)?;
            sheet.write(row, 1, &rep.agency)?;
            sheet.write(row, 2, rep.year)?;
            sheet.write(row, 3, f.rule.id())?;
            sheet.write(row, 4, if f.is_error() { "错误" } else { "警告" })?;
            sheet.write(row, 5, f.table.as_deref().unwrap_or(""))?;
            sheet.write(row, 6, f.row.as_deref().unwrap_or(""))?;
            sheet.write(row, 7, f.column.as_deref().unwrap_or(""))?;
            sheet.write(row, 8, value(&f.expected))?;
            sheet.write(row, 9, value(&f.found))?;
            sheet.write(row, 10, &f.message)?;
            row += 1;
        }
    }
    Ok(wb.save_to_buffer()?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn kinds_read_back_from_their_ids() {
        for k in DocKind::ALL {
            assert_eq!(DocKind::try_from(k.id().to_string()), Ok(k));
        }
        assert!(DocKind::try_from("rtf".to_string()).is_err());
    }

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default();
        for (n, b) in entries {
            w.start_file(*n, o).unwrap();
            w.write_all(b).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn kinds_by_extension() {
        assert_eq!(DocKind::of("a/b/2024.HTM"), Some(DocKind::Html));
        assert_eq!(DocKind::of("x.docx"), Some(DocKind::Docx));
        assert_eq!(DocKind::of("x.doc"), None);
        assert_eq!(DocKind::of("noext"), None);
    }

    #[test]
    fn unzip_keeps_reports_and_names_them_inside_the_archive() {
        let z = zip_of(&[
            ("县/2024.txt", b"a"),
            ("readme.md", b"b"),
            ("__MACOSX/._2024.txt", b"c"),
            ("2024.json", b"{}"),
        ]);
        let docs = unzip("r.zip", &z, ZipLimits::default()).unwrap();
        let names: Vec<_> = docs.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["r.zip/县/2024.txt", "r.zip/2024.json"]);
    }

    #[test]
    fn unzip_refuses_what_exceeds_its_limits() {
        let big = vec![b'0'; 2048];
        let z = zip_of(&[("a.txt", &big), ("b.txt", b"x")]);
        let tight = ZipLimits {
            max_files: 10,
            max_file_bytes: 1024,
            max_total_bytes: 10_000,
        };
        assert!(matches!(
            unzip("z.zip", &z, tight),
            Err(DocumentError::ZipLimit { .. })
        ));
        let few = ZipLimits {
            max_files: 1,
            ..ZipLimits::default()
        };
        assert!(matches!(
            unzip("z.zip", &z, few),
            Err(DocumentError::ZipLimit { .. })
        ));
        assert!(matches!(
            unzip("z.zip", b"not a zip", ZipLimits::default()),
            Err(DocumentError::Zip { .. })
        ));
    }
}
