//! The rules an application must meet, as constants that both the validators
//! ([`crate::apply::validate`], the API's query checks) and the OpenAPI document
//! ([`crate::openapi`]) read, so the document cannot state a rule the server does not enforce
//! or miss one it does.
//!
//! The patterns are written so that JSON Schema tools (Python's `re`, as schemathesis and
//! `jsonschema` use it) and this server (the `regex` crate) agree on every string: ASCII
//! classes only (`[0-9]`, never `\d`, which is Unicode in both but not alike), and [`matches`]
//! reproduces `re.search`'s `$`, which also matches before one final newline. "Blank" is what
//! Python's `\s` calls white space ([`is_space`]), so the document's `\S` and the server's
//! "required" are the same test.

use std::sync::LazyLock;

use regex::Regex;

/// Longest 姓名或名称 (characters).
pub const NAME_MAX: usize = 100;
/// Longest 身份证明类型.
pub const ID_TYPE_MAX: usize = 30;
/// Longest 身份证明号码.
pub const ID_NUMBER_MAX: usize = 40;
/// Longest e-mail address.
pub const EMAIL_MAX: usize = 100;
/// Longest 通信地址.
pub const ADDRESS_MAX: usize = 200;
/// Longest description of the information sought.
pub const DESCRIPTION_MAX: usize = 2000;
/// Longest 文号.
pub const DOCUMENT_NUMBER_MAX: usize = 100;
/// The identity document whose number must carry a valid GB 11643 check digit.
pub const ID_CARD: &str = "居民身份证";
/// Shape of a 居民身份证号码 (the check digit is checked on top: format `cn-resident-id`).
pub const ID_CARD_PATTERN: &str = "^[0-9]{17}[0-9Xx]$";
/// The OpenAPI format name of a 居民身份证号码 with a valid check digit.
pub const ID_CARD_FORMAT: &str = "cn-resident-id";
/// A required text field: at least one character that is not white space.
pub const NOT_BLANK_PATTERN: &str = "\\S";
/// A phone number: a mobile number (11 digits, 1 then 3–9; `+86`/`86` in front allowed;
/// single spaces or hyphens between digits), or a landline with its area code (010 and
/// 020–029 three digits, others four; then 7–8 digits not starting with 0; an extension of
/// 1–6 digits after a space or hyphen), spaces around the whole allowed.
pub const PHONE_PATTERN: &str = "^ *(?:(?:\\+?86[ -]?)?1[3-9](?:[ -]?[0-9]){9}|0(?:[12][0-9]|[3-9][0-9]{2})(?:[ -]?[1-9][0-9]{6,7}|[ -][1-9][0-9]{6,7}[ -][0-9]{1,6})) *$";
/// An e-mail address, or nothing: printable ASCII without `@` on both sides of one `@`, and a
/// dot in the domain.
pub const EMAIL_PATTERN: &str = "^(?:[!-?A-~]+@[!-?A-~]+\\.[!-?A-~]+)?$";
/// Longest full-text query of `GET /documents`.
pub const Q_MAX: usize = gongkai_search::MAX_QUERY_CHARS;
/// Pages of `GET /documents`.
pub const PAGE_RANGE: std::ops::RangeInclusive<u32> = 1..=10_000;
/// Report years the API answers for.
pub const YEAR_RANGE: std::ops::RangeInclusive<i32> = 2008..=2200;
/// Report formats (`?format=`).
pub const REPORT_FORMATS: [&str; 2] = ["2019", "2021"];
/// The report checker's files (`POST /api/v1/reports/check|parse`): the extensions the
/// readers know ([`gongkai_report::batch::DocKind::of`]).
pub const REPORT_EXTENSIONS: [&str; 6] = ["txt", "html", "htm", "json", "pdf", "docx"];
/// The largest report file the checker reads: the readers' budget
/// (`gongkai_extract::Budget::default().max_file_bytes`, checked by a test).
pub const REPORT_FILE_MAX: usize = 10 * 1024 * 1024;
/// Longest report URL given to the checker (characters).
pub const URL_MAX: usize = 2000;
/// Longest agency name given to the checker as an override (characters).
pub const AGENCY_MAX: usize = 100;

static PHONE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(PHONE_PATTERN).ok());
static EMAIL: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(EMAIL_PATTERN).ok());

/// Whether `c` is white space as Python's `str.isspace` (and so `\s` in a document's pattern)
/// has it: Rust's white space plus the four information separators U+001C–U+001F.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Whether `s` is empty or only white space (fails [`NOT_BLANK_PATTERN`]).
pub fn blank(s: &str) -> bool {
    s.chars().all(is_space)
}

/// `s` without white space ([`is_space`]) around it: the value that is stored.
pub fn tidy(s: &str) -> &str {
    s.trim_matches(is_space)
}

/// Whether `re` matches `s` as JSON Schema tools in Python test it (`re.search`, where `$` also
/// matches before one final newline).
fn matches(re: &LazyLock<Option<Regex>>, s: &str) -> bool {
    let Some(re) = re.as_ref() else {
        return false;
    };
    re.is_match(s) || s.strip_suffix('\n').is_some_and(|t| re.is_match(t))
}

/// Whether `s` is a phone number ([`PHONE_PATTERN`]).
pub fn phone_ok(s: &str) -> bool {
    matches(&PHONE, s)
}

/// Whether `s` is an e-mail address or nothing ([`EMAIL_PATTERN`]).
pub fn email_ok(s: &str) -> bool {
    matches(&EMAIL, s)
}

/// Whether an 18-digit 居民身份证号码 has the right check digit (GB 11643).
pub fn id_card_ok(s: &str) -> bool {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let b = s.strip_suffix('\n').unwrap_or(s).as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = b[..17]
        .iter()
        .zip(W)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK[(sum % 11) as usize] == b[17].to_ascii_uppercase()
}

/// Whether `s` is longer than `max` characters.
pub fn too_long(s: &str, max: usize) -> bool {
    s.chars().count() > max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checkers_rules_are_the_readers() {
        assert_eq!(
            REPORT_FILE_MAX as u64,
            gongkai_extract::Budget::default().max_file_bytes
        );
        for ext in REPORT_EXTENSIONS {
            assert!(
                gongkai_report::batch::DocKind::of(&format!("r.{ext}")).is_some(),
                "{ext}"
            );
        }
        assert!(gongkai_report::batch::DocKind::of("r.zip").is_none());
    }

    #[test]
    fn patterns_compile() {
        assert!(PHONE.is_some());
        assert!(EMAIL.is_some());
        assert!(Regex::new(ID_CARD_PATTERN).is_ok());
    }

    #[test]
    fn dollar_matches_before_a_final_newline_as_in_python() {
        assert!(phone_ok("13912345678\n"));
        assert!(!phone_ok("13912345678\n\n"));
        assert!(email_ok("\n"));
        assert!(email_ok(""));
        assert!(!email_ok(" "));
    }

    #[test]
    fn blank_is_pythons_white_space() {
        assert!(blank(""));
        assert!(blank(" \t\u{3000}\u{1c}"));
        assert!(!blank(" a "));
        assert_eq!(tidy("\u{1f} 张三 \n"), "张三");
    }

    #[test]
    fn emails() {
        for ok in ["a@b.cn", "first.last+x@mail.example.gov.cn", ""] {
            assert!(email_ok(ok), "{ok}");
        }
        for bad in [
            "a@b", "@b.cn", "a@.", "a b@c.cn", "张@b.cn", "a@b@c.cn", " a@b.cn",
        ] {
            assert!(!email_ok(bad), "{bad}");
        }
    }
}
