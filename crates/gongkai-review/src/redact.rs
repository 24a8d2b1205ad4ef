//! 区分处理 (Art. 37 of the Regulation): the released copy of a document with the withheld
//! passages taken out. Each passage the handler marks (its place in the document's text, the
//! reason and the article it rests on) is replaced by 「（此处已删除：依据《条例》第X条）」; the
//! withheld text appears nowhere in the result, nor in the log, which keeps only where, how long,
//! why and under which article. [`premark`] proposes the personal numbers the scan finds (ID,
//! mobile and bank card numbers) as passages under 第十五条, for the handler to confirm.
//!
//! Pure: text in, text out. Rendering the copy as a new .txt, .docx or .pdf belongs to the
//! caller, always from [`Redacted::text`], never from the original file.

use serde::Serialize;

use crate::{FindingKind, WordList, scan};

/// One passage to withhold, as the handler marked it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    /// Byte offset of its first byte in the document's text (on a char boundary).
    pub start: usize,
    /// Byte offset one past its last byte (on a char boundary).
    pub end: usize,
    /// The article withholding it rests on, as the Regulation numbers it (`十五`, `十四`, `十六`).
    pub article: String,
    /// Why, in the handler's words.
    pub reason: String,
}

/// One line of the redaction log: never the withheld text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogEntry {
    /// The passage's position: the number of characters before it in the original text.
    pub position: usize,
    /// Its length in characters.
    pub length: usize,
    /// The article (`十五`).
    pub article: String,
    /// The reason.
    pub reason: String,
}

/// A released copy's text and its log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redacted {
    /// The text with every passage replaced by its notice.
    pub text: String,
    /// One entry per passage, in document order.
    pub log: Vec<LogEntry>,
}

/// Why passages cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedactError {
    /// A passage is empty, past the end, or not on character boundaries.
    OutOfRange {
        /// Its start.
        start: usize,
    },
    /// Two passages overlap.
    Overlap {
        /// The later one's start.
        start: usize,
    },
    /// A passage names no article or gives no reason.
    Unfounded {
        /// Its start.
        start: usize,
    },
}

impl std::fmt::Display for RedactError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RedactError::OutOfRange { .. } => f.write_str("所选删除段落不在文件正文范围内。"),
            RedactError::Overlap { .. } => f.write_str("两处删除段落相互重叠，请合并后再标注。"),
            RedactError::Unfounded { .. } => {
                f.write_str("每处删除都须写明理由并选择《条例》条款。")
            }
        }
    }
}

impl std::error::Error for RedactError {}

/// The notice that replaces a withheld passage.
pub fn notice(article: &str) -> String {
    format!("（此处已删除：依据《条例》第{}条）", article.trim())
}

/// Applies `passages` to `text`.
pub fn redact(text: &str, passages: &[Passage]) -> Result<Redacted, RedactError> {
    let mut sorted: Vec<&Passage> = passages.iter().collect();
    sorted.sort_by_key(|p| (p.start, p.end));
    let mut out = String::with_capacity(text.len());
    let mut log = Vec::with_capacity(sorted.len());
    let mut at = 0;
    for p in sorted {
        if p.start >= p.end
            || p.end > text.len()
            || !text.is_char_boundary(p.start)
            || !text.is_char_boundary(p.end)
        {
            return Err(RedactError::OutOfRange { start: p.start });
        }
        if p.start < at {
            return Err(RedactError::Overlap { start: p.start });
        }
        if p.article.trim().is_empty() || p.reason.trim().is_empty() {
            return Err(RedactError::Unfounded { start: p.start });
        }
        out.push_str(&text[at..p.start]);
        out.push_str(&notice(&p.article));
        log.push(LogEntry {
            position: text[..p.start].chars().count(),
            length: text[p.start..p.end].chars().count(),
            article: p.article.trim().to_string(),
            reason: p.reason.trim().to_string(),
        });
        at = p.end;
    }
    out.push_str(&text[at..]);
    Ok(Redacted { text: out, log })
}

/// Every place `needle` occurs in `text` (byte ranges, not overlapping): how a handler marks a
/// passage by pasting it.
pub fn find_all(text: &str, needle: &str) -> Vec<(usize, usize)> {
    if needle.is_empty() {
        return Vec::new();
    }
    text.match_indices(needle)
        .map(|(i, m)| (i, i + m.len()))
        .collect()
}

/// The personal numbers the scan finds (ID, mobile and bank card numbers), proposed as
/// passages withheld under 第十五条 (个人隐私), for the handler to confirm or drop.
pub fn premark(text: &str) -> Vec<Passage> {
    scan(text, &WordList::empty())
        .into_iter()
        .filter(|f| {
            matches!(
                f.kind,
                FindingKind::IdNumber | FindingKind::MobileNumber | FindingKind::BankCard
            )
        })
        .map(|f| Passage {
            start: f.start,
            end: f.end,
            article: "十五".into(),
            reason: format!("涉及个人隐私（{}）", f.kind.label()),
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const DOC: &str = "关于某项目征收补偿的说明\n被征收人张三，身份证号11010519491231002X，联系电话13912345678。\n补偿标准为每平方米3000元。\n内部讨论意见：拟压低补偿标准。\n";

    fn passage(text: &str, needle: &str, article: &str, reason: &str) -> Passage {
        let (start, end) = find_all(text, needle)[0];
        Passage {
            start,
            end,
            article: article.into(),
            reason: reason.into(),
        }
    }

    #[test]
    fn withheld_text_leaves_no_trace_and_the_rest_stays() {
        let mut marks = premark(DOC);
        assert_eq!(marks.len(), 2, "{marks:?}");
        marks.push(passage(
            DOC,
            "内部讨论意见：拟压低补偿标准。",
            "十六",
            "属于过程性信息",
        ));
        let r = redact(DOC, &marks).unwrap();
        for withheld in ["11010519491231002X", "13912345678", "拟压低补偿标准"] {
            assert!(!r.text.contains(withheld), "{withheld} in {}", r.text);
            assert!(!format!("{:?}", r.log).contains(withheld));
        }
        assert!(r.text.contains("补偿标准为每平方米3000元。"));
        assert!(r.text.contains("（此处已删除：依据《条例》第十五条）"));
        assert!(r.text.contains("（此处已删除：依据《条例》第十六条）"));
        assert_eq!(r.log.len(), 3);
        assert_eq!(r.log[0].length, 18);
        assert_eq!(
            r.log[0].position,
            DOC[..DOC.find("1101").unwrap()].chars().count()
        );
        assert_eq!(r.log[2].reason, "属于过程性信息");
    }

    #[test]
    fn bad_marks_are_refused() {
        let p = |start, end, article: &str| Passage {
            start,
            end,
            article: article.into(),
            reason: "理由".into(),
        };
        assert!(matches!(
            redact(DOC, &[p(0, 1, "十五")]),
            Err(RedactError::OutOfRange { .. })
        ));
        assert!(matches!(
            redact(DOC, &[p(3, 3, "十五")]),
            Err(RedactError::OutOfRange { .. })
        ));
        assert!(matches!(
            redact(DOC, &[p(0, 9, "十五"), p(6, 12, "十五")]),
            Err(RedactError::Overlap { .. })
        ));
        assert!(matches!(
            redact(DOC, &[p(0, 3, " ")]),
            Err(RedactError::Unfounded { .. })
        ));
        assert_eq!(redact(DOC, &[]).unwrap().text, DOC);
    }
}
