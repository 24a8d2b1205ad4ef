//! Plain text and HTML, passed through as they are once their character set is known: a byte
//! order mark, then (for HTML) a `<meta charset>` near the top, then UTF-8, then GB18030 (which
//! covers GBK and GB2312, as Chinese offices still save files).

use encoding_rs::{Encoding, GB18030, UTF_8};

use crate::meter::Meter;
use crate::{Budget, ExtractError, Format};

/// Reads a text file within `budget`, as UTF-8 text.
pub fn read_text(file: &str, data: &[u8], budget: &Budget) -> Result<String, ExtractError> {
    decode(file, Format::Text, data, budget, None)
}

/// Reads an HTML file within `budget`, as UTF-8 HTML (tags kept: the caller strips them).
pub fn read_html(file: &str, data: &[u8], budget: &Budget) -> Result<String, ExtractError> {
    let declared = meta_charset(&data[..data.len().min(2048)]);
    decode(file, Format::Html, data, budget, declared)
}

fn decode(
    file: &str,
    format: Format,
    data: &[u8],
    budget: &Budget,
    declared: Option<&'static Encoding>,
) -> Result<String, ExtractError> {
    let mut meter = Meter::start(file, format, budget, data.len())?;
    let text = if let Some((enc, bom)) = Encoding::for_bom(data) {
        strict(enc, &data[bom..])
    } else if let Some(enc) = declared.filter(|e| *e != UTF_8) {
        strict(enc, data)
    } else {
        strict(UTF_8, data).or_else(|| strict(GB18030, data))
    };
    let text = text.ok_or_else(|| ExtractError::Charset {
        file: file.to_string(),
    })?;
    meter.text(text.len())?;
    Ok(text)
}

/// Decodes without replacement characters: a byte that does not belong is a failure.
fn strict(enc: &'static Encoding, data: &[u8]) -> Option<String> {
    enc.decode_without_bom_handling_and_without_replacement(data)
        .map(|c| c.into_owned())
}

/// The character set an HTML head declares: `<meta charset="…">` or `content="…; charset=…"`.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    Encoding::for_label(label.as_bytes())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn charsets() {
        let b = Budget::default();
        assert_eq!(read_text("a.txt", b"\xEF\xBB\xBFabc", &b).unwrap(), "abc");
        // 公开 in GBK.
        assert_eq!(read_text("a.txt", b"\xB9\xAB\xBF\xAA", &b).unwrap(), "公开");
        assert_eq!(read_text("a.txt", "公开".as_bytes(), &b).unwrap(), "公开");
        let html = b"<html><head><meta charset=\"gb2312\"></head><body>\xB9\xAB\xBF\xAA</body>";
        assert!(read_html("a.html", html, &b).unwrap().contains("公开"));
        // UTF-16LE with its mark.
        assert_eq!(
            read_text("a.txt", b"\xFF\xFE\x6c\x51\x00\x5f", &b).unwrap(),
            "公开"
        );
        // Not text in any character set.
        let e = read_text("bin.txt", b"\x81\x20\xFF\xFE\x00", &b).unwrap_err();
        assert!(matches!(e, ExtractError::Charset { .. }), "{e}");
        assert!(e.to_string().contains("bin.txt"));
    }

    #[test]
    fn text_over_budget_is_refused_with_the_limit() {
        let b = Budget {
            max_text_bytes: 4,
            ..Budget::default()
        };
        let e = read_text("长.txt", b"abcdef", &b).unwrap_err();
        assert_eq!(e.limit(), Some(crate::Limit::TextBytes(4)));
        let b = Budget {
            max_file_bytes: 2,
            ..Budget::default()
        };
        let e = read_text("长.txt", b"abcdef", &b).unwrap_err();
        assert_eq!(e.limit(), Some(crate::Limit::FileBytes(2)));
    }
}
