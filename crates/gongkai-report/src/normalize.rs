//! Width normalisation of report text, shared by the parser (cells and labels) and the rules
//! (the prose checks): full-width ASCII variants and odd spaces compare equal to their plain
//! forms. A leaf module: it imports nothing of this crate, so `parse` and `rules` both use it
//! without importing each other.

use std::borrow::Cow;

/// Maps full-width ASCII variants to ASCII and the odd spaces to a plain space, so that `（一）`
/// and `(一)`, `１２` and `12`, `：` and `:` compare equal. CJK punctuation without an ASCII
/// twin (`、`, `。`, `“”`) is kept. Text without such characters is borrowed, not copied.
pub(crate) fn normalize(s: &str) -> Cow<'_, str> {
    // Every character `normalize_char` changes is encoded with one of four lead bytes (0xC2:
    // U+00A0; 0xE2: U+2002…U+2212; 0xE3: U+3000; 0xEF: U+FF01…U+FF5E), and a lead byte always
    // starts a character. So the text is copied in runs between those bytes, and only there is
    // a character decoded: most cells (digits, CJK text) are copied in one piece.
    let b = s.as_bytes();
    let mut out: Option<String> = None;
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        // Continuation bytes (0x80…0xBF) never equal these lead bytes: a plain byte scan.
        let Some(p) = b[i..]
            .iter()
            .position(|&x| matches!(x, 0xC2 | 0xE2 | 0xE3 | 0xEF))
        else {
            break;
        };
        i += p;
        let Some(c) = s.get(i..).and_then(|t| t.chars().next()) else {
            i += 1;
            continue;
        };
        let n = normalize_char(c);
        if n != c {
            let o = out.get_or_insert_with(|| String::with_capacity(s.len()));
            o.push_str(s.get(run..i).unwrap_or(""));
            o.push(n);
            run = i + c.len_utf8();
        }
        i += c.len_utf8();
    }
    match out {
        None => Cow::Borrowed(s),
        Some(mut o) => {
            o.push_str(s.get(run..).unwrap_or(""));
            Cow::Owned(o)
        }
    }
}

/// [`normalize`] of a cell's text with surrounding whitespace trimmed, reusing `s` when
/// neither changes it.
pub(crate) fn normalize_trimmed(s: String) -> String {
    let t = s.trim();
    if t.len() == s.len() {
        return match normalize(t) {
            Cow::Borrowed(_) => s,
            Cow::Owned(o) => o,
        };
    }
    normalize(t).into_owned()
}

/// The per-character rule of [`normalize`].
pub(crate) fn normalize_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' | '\u{2002}' | '\u{2003}' | '\u{2009}' | '\u{200B}' => ' ',
        '\u{2212}' | '\u{2013}' => '-',
        _ => c,
    }
}
