//! Released copies (区分处理, Art. 37): a document the applicant receives with the withheld
//! passages taken out. The original's text is read with the bounded readers of
//! `gongkai-extract` (.txt, .html, .docx, .pdf), the passages applied by
//! [`gongkai_review::redact`], and the copy written **anew** from the redacted text in the
//! original's format — a new .txt, a new .docx (docx-rs), a new PDF (gongkai-pdf) — so no
//! withheld text survives under a box, in metadata or in an embedded original.

use gongkai_extract::{Budget, ExtractError, read_docx, read_html, read_pdf, read_text};
use gongkai_review::redact::{self, LogEntry, Passage, RedactError};

/// Why a copy cannot be released.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    /// The file is not one of .txt, .html, .docx, .pdf.
    #[error("不支持的文件类型：{0}（可上传 .txt、.html、.docx、.pdf）")]
    Unsupported(String),
    /// The reader refused it (over budget, unreadable).
    #[error("{0}")]
    Extract(#[from] ExtractError),
    /// The marked passages do not fit the text.
    #[error("{0}")]
    Redact(#[from] RedactError),
    /// Writing the new file failed.
    #[error("生成公开文本失败：{0}")]
    Write(String),
}

/// The kinds of document that can be released.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plain text.
    Txt,
    /// A web page (released as plain text: its markup may carry anything).
    Html,
    /// Word.
    Docx,
    /// PDF.
    Pdf,
}

impl Kind {
    /// The kind of a file by its name.
    pub fn of(file_name: &str) -> Option<Kind> {
        let ext = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "txt" => Some(Kind::Txt),
            "html" | "htm" => Some(Kind::Html),
            "docx" => Some(Kind::Docx),
            "pdf" => Some(Kind::Pdf),
            _ => None,
        }
    }
}

/// The text of an original, the one the handler marks passages in.
pub fn original_text(file_name: &str, data: &[u8]) -> Result<String, ReleaseError> {
    let budget = Budget::default();
    match Kind::of(file_name) {
        Some(Kind::Txt) => Ok(read_text(file_name, data, &budget)?),
        Some(Kind::Html) => Ok(gongkai_review::html_to_text(&read_html(
            file_name, data, &budget,
        )?)),
        Some(Kind::Docx) => Ok(read_docx(file_name, data, &budget)?.text()),
        Some(Kind::Pdf) => Ok(read_pdf(file_name, data, &budget)?.text()),
        None => Err(ReleaseError::Unsupported(file_name.to_string())),
    }
}

/// A released copy: its file name, bytes and the redaction log.
#[derive(Debug, Clone)]
pub struct Released {
    /// `（公开版）` added before the extension; an HTML original is released as .txt.
    pub file_name: String,
    /// The new file.
    pub data: Vec<u8>,
    /// Where, how long, why and under which article (never the withheld text).
    pub log: Vec<LogEntry>,
}

/// Releases `file_name` with `passages` (offsets into [`original_text`]) withheld.
pub fn release(
    file_name: &str,
    data: &[u8],
    passages: &[Passage],
) -> Result<Released, ReleaseError> {
    let kind =
        Kind::of(file_name).ok_or_else(|| ReleaseError::Unsupported(file_name.to_string()))?;
    let text = original_text(file_name, data)?;
    let redacted = redact::redact(&text, passages)?;
    let stem = file_name.rsplit_once('.').map_or(file_name, |(s, _)| s);
    let title = format!("{stem}（公开版）");
    let (ext, bytes) = match kind {
        Kind::Txt | Kind::Html => ("txt", redacted.text.clone().into_bytes()),
        Kind::Docx => ("docx", docx(&redacted.text)?),
        Kind::Pdf => ("pdf", pdf(&title, &redacted.text)),
    };
    Ok(Released {
        file_name: format!("{title}.{ext}"),
        data: bytes,
        log: redacted.log,
    })
}

/// A new Word file of `text`, one paragraph a line (docx-rs writes its own core properties:
/// nothing of the original's survives).
fn docx(text: &str) -> Result<Vec<u8>, ReleaseError> {
    use docx_rs::{Docx, Paragraph, Run};
    let mut doc = Docx::new();
    for line in text.lines() {
        doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(line)));
    }
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| ReleaseError::Write(e.to_string()))?;
    Ok(out.into_inner())
}

/// A new PDF of `text`.
fn pdf(title: &str, text: &str) -> Vec<u8> {
    use gongkai_pdf::{Document, Paragraph};
    let mut doc = Document::new(title, "");
    for line in text.lines() {
        doc.push(Paragraph::new(line));
    }
    doc.render()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const KEPT: &str = "补偿标准为每平方米3000元";
    const WITHHELD: [&str; 3] = ["11010519491231002X", "13912345678", "拟压低补偿标准"];
    const LINES: [&str; 4] = [
        "关于某项目征收补偿的说明",
        "被征收人张三，身份证号11010519491231002X，联系电话13912345678。",
        "补偿标准为每平方米3000元。",
        "内部讨论意见：拟压低补偿标准。",
    ];

    fn original_docx() -> Vec<u8> {
        use docx_rs::{Docx, Paragraph, Run};
        let mut doc = Docx::new();
        for l in LINES {
            doc = doc.add_paragraph(Paragraph::new().add_run(Run::new().add_text(l)));
        }
        let mut out = std::io::Cursor::new(Vec::new());
        doc.build().pack(&mut out).unwrap();
        out.into_inner()
    }

    fn original_pdf() -> Vec<u8> {
        let mut doc = gongkai_pdf::Document::new("征收补偿说明", "某县");
        for l in LINES {
            doc.push(gongkai_pdf::Paragraph::new(l));
        }
        doc.render()
    }

    /// Passages as the handler marks them: the scan's numbers, and a pasted sentence.
    fn marks(text: &str) -> Vec<Passage> {
        let mut p = redact::premark(text);
        let (start, end) = redact::find_all(text, "拟压低补偿标准")[0];
        p.push(Passage {
            start,
            end,
            article: "十六".into(),
            reason: "属于过程性信息".into(),
        });
        p
    }

    fn pdftotext(bytes: &[u8]) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.pdf");
        std::fs::write(&path, bytes).unwrap();
        let out = std::process::Command::new("pdftotext")
            .args(["-enc", "UTF-8"])
            .arg(&path)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils) is installed");
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn every_released_copy_is_new_and_holds_no_withheld_text() {
        let originals: [(&str, Vec<u8>); 4] = [
            ("说明.txt", LINES.join("\n").into_bytes()),
            (
                "说明.html",
                format!("<html><body><p>{}</p></body></html>", LINES.join("</p><p>")).into_bytes(),
            ),
            ("说明.docx", original_docx()),
            ("说明.pdf", original_pdf()),
        ];
        for (name, data) in originals {
            let text = original_text(name, &data).unwrap();
            for w in WITHHELD {
                assert!(text.contains(w), "{name}: the original holds {w}");
            }
            let r = release(name, &data, &marks(&text)).unwrap();
            assert_eq!(r.log.len(), 3, "{name}");
            // Read back the way an applicant's software would: every extractor we have.
            let mut readings = vec![original_text(&r.file_name, &r.data).unwrap()];
            if r.file_name.ends_with(".pdf") {
                readings.push(pdftotext(&r.data));
            }
            if r.file_name.ends_with(".docx") {
                // The whole package, every part: no metadata or embedded original either.
                let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&r.data)).unwrap();
                for i in 0..zip.len() {
                    let mut part = String::new();
                    let _ = std::io::Read::read_to_string(&mut zip.by_index(i).unwrap(), &mut part);
                    readings.push(part);
                }
            }
            for reading in &readings {
                let flat: String = reading.split_whitespace().collect();
                for w in WITHHELD {
                    assert!(!flat.contains(w), "{name} → {}: {w} released", r.file_name);
                }
            }
            let flat: String = readings[0].split_whitespace().collect();
            assert!(
                flat.contains(KEPT),
                "{name}: the kept text is released: {flat}"
            );
            assert!(
                flat.contains("（此处已删除：依据《条例》第十五条）"),
                "{name}: {flat}"
            );
            assert!(flat.contains("（此处已删除：依据《条例》第十六条）"));
            assert!(r.file_name.contains("（公开版）"));
        }
        assert!(matches!(
            release("说明.doc", b"x", &[]),
            Err(ReleaseError::Unsupported(_))
        ));
    }
}
