//! The automatic scan of the 保密审查 gate (《政府信息公开条例》 Art. 17: 先审后发).
//!
//! Before an item is published, its body and its attachments' text are scanned for what must not
//! go out: 居民身份证号 with a valid check digit ([`FindingKind::IdNumber`]), mobile numbers
//! ([`FindingKind::MobileNumber`]), bank card numbers passing Luhn ([`FindingKind::BankCard`]),
//! a name standing next to a home address ([`FindingKind::NameWithAddress`], a heuristic for
//! 公示名单) and words from an editable list such as 绝密 or 内部资料
//! ([`FindingKind::SensitiveWord`], see [`WordList`]). Every [`Finding`] says what was found and
//! where (byte range and line) and carries a masked form (`4114**********123X`,
//! `138****5678`, `6222 **** **** 1234`) for showing to a reviewer; [`mask_all`] produces a
//! redacted copy of the whole text. A finding blocks publication until a reviewer resolves it;
//! the website inspection (`gongkai inspect`, rule PII-EXPOSED) uses the same scan on pages via
//! [`scan_html`].
//!
//! With [`ScanOptions::include_suspects`] (what the publishing gate asks for) near misses come
//! out as 「疑似」 findings a reviewer must decide on: an 18-character ID with a wrong check
//! character or an impossible date, a 15-digit first-generation ID, a 16–19-digit number with a
//! card issuer's prefix failing Luhn, and passport numbers ([`FindingKind::Passport`]). Numbers
//! written in blocks (`411426 19900307 001X`) or in full-width digits are read as one; a valid
//! all-digit 统一社会信用代码 (GB 32100 check and its 组织机构代码 check) is not personal data.
//!
//! Precision over recall for numbers: a digit run is a finding only when it is exactly the
//! number (not part of a longer run, not glued to letters as in a 统一社会信用代码, not the
//! front of a 索引号 `…/2024-02411`, not a decimal amount) and the number is internally valid
//! (check digit, birth date, region, mobile range, Luhn). Near misses — an 18-digit ID with a
//! wrong check digit, a 15-digit first-generation ID — are *suspects* (「疑似」): reported only
//! when [`ScanOptions::include_suspects`] asks for them (the publishing gate does, and a
//! reviewer decides on each; the website inspection does not).
//!
//! Architecture invariant: this crate does no I/O and keeps no raw number in any field: a
//! finding's `excerpt` and `masked` are already masked, so findings may be logged or shown. The
//! raw text is `&text[finding.start..finding.end]` for a caller that holds the text.
//!
//! Use [`scan`] with a [`WordList`] (the built-in markers via [`WordList::default`], or the
//! agency's own list via [`WordList::from_lines`]); [`scan_with`] takes [`ScanOptions`].

mod html;
mod names;
mod numbers;
mod passport;
pub mod redact;
mod words;

use serde::Serialize;
use std::fmt;

pub use html::html_to_text;
pub use words::WordList;

/// What a finding is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// 居民身份证号: 18 characters, valid region, birth date and ISO 7064 MOD 11-2 check digit.
    /// As a suspect: a wrong check digit, or a 15-digit first-generation number.
    IdNumber,
    /// 手机号码: 11 digits in a Chinese mobile range, optionally with a `+86` prefix.
    MobileNumber,
    /// 银行卡号: 16–19 digits with a plausible issuer prefix, passing the Luhn check.
    BankCard,
    /// 护照号码: `E` + 8 digits, `E` + letter + 7 digits, `G` + 8 digits. Always a suspect:
    /// nothing in the number can be checked.
    Passport,
    /// 敏感词: a word from the [`WordList`] (the word found).
    SensitiveWord(String),
    /// 无法读取文字: a file (a scanned PDF, an image) whose text cannot be read, so the scan
    /// cannot vouch for it; made by the caller with [`Finding::unreadable`], never by a scan.
    /// A person must read it and decide.
    Unreadable,
    /// 姓名与住址: a standalone 2–4 character name (common surname) followed on the same line by
    /// an address down to village, street or house level. A heuristic.
    NameWithAddress,
}

impl FindingKind {
    /// What it is, without the word found: its [`FindingClass`].
    pub fn class(&self) -> FindingClass {
        match self {
            FindingKind::IdNumber => FindingClass::IdNumber,
            FindingKind::MobileNumber => FindingClass::MobileNumber,
            FindingKind::BankCard => FindingClass::BankCard,
            FindingKind::Passport => FindingClass::Passport,
            FindingKind::SensitiveWord(_) => FindingClass::SensitiveWord,
            FindingKind::NameWithAddress => FindingClass::NameWithAddress,
            FindingKind::Unreadable => FindingClass::Unreadable,
        }
    }

    /// The Chinese label a reviewer reads (居民身份证号, 手机号码 …): [`FindingClass::label`].
    pub fn label(&self) -> &'static str {
        self.class().label()
    }

    /// A stable key for JSON, test data and the store: [`FindingClass::key`].
    pub fn key(&self) -> &'static str {
        self.class().key()
    }

    /// Whether this is personal data (as opposed to a listed word): what the inspection's
    /// PII-EXPOSED rule counts.
    pub fn is_personal(&self) -> bool {
        !matches!(
            self,
            FindingKind::SensitiveWord(_) | FindingKind::Unreadable
        )
    }
}

/// What a finding is, without the word a [`FindingKind::SensitiveWord`] found: the form a
/// finding is stored and exempted under (one key per class).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingClass {
    /// 居民身份证号
    IdNumber,
    /// 手机号码
    MobileNumber,
    /// 银行卡号
    BankCard,
    /// 护照号码
    Passport,
    /// 敏感词
    SensitiveWord,
    /// 无法读取文字，须人工审查
    Unreadable,
    /// 姓名与住址
    NameWithAddress,
}

impl FindingClass {
    /// Every class.
    pub const ALL: [FindingClass; 7] = [
        FindingClass::IdNumber,
        FindingClass::MobileNumber,
        FindingClass::BankCard,
        FindingClass::Passport,
        FindingClass::SensitiveWord,
        FindingClass::Unreadable,
        FindingClass::NameWithAddress,
    ];

    /// The stable key (`id_number`, `mobile_number`, `bank_card`, `passport`,
    /// `sensitive_word`, `name_with_address`, `unreadable`).
    pub fn key(self) -> &'static str {
        match self {
            FindingClass::IdNumber => "id_number",
            FindingClass::MobileNumber => "mobile_number",
            FindingClass::BankCard => "bank_card",
            FindingClass::Passport => "passport",
            FindingClass::SensitiveWord => "sensitive_word",
            FindingClass::NameWithAddress => "name_with_address",
            FindingClass::Unreadable => "unreadable",
        }
    }

    /// The Chinese label a reviewer reads.
    pub fn label(self) -> &'static str {
        match self {
            FindingClass::IdNumber => "居民身份证号",
            FindingClass::MobileNumber => "手机号码",
            FindingClass::BankCard => "银行卡号",
            FindingClass::Passport => "护照号码",
            FindingClass::SensitiveWord => "敏感词",
            FindingClass::NameWithAddress => "姓名与住址",
            FindingClass::Unreadable => "无法读取文字，须人工审查",
        }
    }

    /// Reads a key.
    pub fn parse(s: &str) -> Option<FindingClass> {
        let s = s.trim();
        FindingClass::ALL.into_iter().find(|c| c.key() == s)
    }

    /// Whether 遮盖 can clear a finding of this class at all: a listed word has no masked
    /// form, an unreadable file no text to mask.
    pub fn has_masked_form(self) -> bool {
        !matches!(self, FindingClass::SensitiveWord | FindingClass::Unreadable)
    }
}

/// A key that names no [`FindingClass`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的审查发现类别「{0}」 / unknown finding class")]
pub struct UnknownFindingClass(pub String);

impl TryFrom<String> for FindingClass {
    type Error = UnknownFindingClass;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        FindingClass::parse(&s).ok_or(UnknownFindingClass(s))
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FindingKind::SensitiveWord(w) => write!(f, "{}「{w}」", self.label()),
            _ => f.write_str(self.label()),
        }
    }
}

/// One thing the scan found, and where.
///
/// No field holds the raw number: `excerpt` and `masked` are masked, so a finding may be logged,
/// stored or shown. Slice the scanned text with `start..end` to get the raw value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Finding {
    /// What was found.
    pub kind: FindingKind,
    /// Byte offset of the first byte in the scanned text (on a char boundary).
    pub start: usize,
    /// Byte offset one past the last byte (on a char boundary).
    pub end: usize,
    /// 1-based line number of `start`.
    pub line: usize,
    /// The surrounding text on the same line (up to 20 characters each side), with this and
    /// every other finding in it masked; tabs and carriage returns shown as spaces.
    pub excerpt: String,
    /// The finding's text masked: `4114**********123X`, `138****5678`, `6222 **** **** 1234`,
    /// `张** … 河南省商丘市*******`; a listed word is shown as it is.
    pub masked: String,
    /// A near miss (「疑似」: wrong ID check digit, 15-digit old ID …): a typo of a real number
    /// as often as not, so it needs a reviewer's decision like any other finding. Only returned
    /// when [`ScanOptions::include_suspects`] is set.
    pub suspect: bool,
}

impl Finding {
    /// The finding for a file without readable text ([`FindingKind::Unreadable`]): it blocks
    /// until a person has read the file and decided; it points at no text.
    pub fn unreadable() -> Finding {
        Finding {
            kind: FindingKind::Unreadable,
            start: 0,
            end: 0,
            line: 1,
            excerpt: String::new(),
            masked: "（无可读文字）".to_string(),
            suspect: false,
        }
    }

    /// Whether this finding blocks publication until a reviewer decides on it: every finding,
    /// suspects included (a leaked number with a typo is still a leak).
    pub fn blocks(&self) -> bool {
        true
    }

    /// The value found in `text` (the text that was scanned), normalised so the same value
    /// compares equal however it was typed: for numbers only the digits (full-width made ASCII)
    /// and a trailing `X` (upper case), for words and names the text as it stands. The caller
    /// keeps it to itself (a keyed hash of it identifies a value for a reviewer's decision);
    /// it is the raw number and must never be shown or stored in clear. Empty when the
    /// finding's range does not fit `text`.
    pub fn value(&self, text: &str) -> String {
        let Some(raw) = text.get(self.start..self.end) else {
            return String::new();
        };
        match self.kind {
            FindingKind::Passport => raw.to_uppercase(),
            FindingKind::IdNumber | FindingKind::MobileNumber | FindingKind::BankCard => raw
                .chars()
                .filter_map(|c| match c {
                    '0'..='9' => Some(c),
                    '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
                    'x' | 'X' | 'ｘ' | 'Ｘ' => Some('X'),
                    _ => None,
                })
                .collect(),
            _ => raw.to_string(),
        }
    }
}

impl fmt::Display for Finding {
    /// `第3行 居民身份证号 4114**********123X` (with `（疑似）` for a suspect): only masked text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "第{}行 {} {}", self.line, self.kind, self.masked)?;
        if self.suspect {
            f.write_str("（疑似）")?;
        }
        Ok(())
    }
}

/// How to scan. [`ScanOptions::default`]: birth years up to 2100, no suspects, names next to
/// addresses looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScanOptions {
    /// The latest birth year an ID number may carry (the caller's current year; 2100 when the
    /// caller does not say). The earliest is 1900.
    pub max_birth_year: u16,
    /// Also return suspects (IDs with a wrong check digit, 15-digit old IDs), flagged
    /// [`Finding::suspect`].
    pub include_suspects: bool,
    /// Look for names next to addresses ([`FindingKind::NameWithAddress`]).
    pub names_with_addresses: bool,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            max_birth_year: 2100,
            include_suspects: false,
            names_with_addresses: true,
        }
    }
}

/// A finding before its line and excerpt are known.
pub(crate) struct Raw {
    pub kind: FindingKind,
    pub start: usize,
    pub end: usize,
    pub masked: String,
    pub suspect: bool,
}

/// Scans plain text with the default [`ScanOptions`]; findings are sorted by position.
pub fn scan(text: &str, words: &WordList) -> Vec<Finding> {
    scan_with(text, words, &ScanOptions::default())
}

/// Scans an HTML page or fragment: tags, scripts, styles and comments are dropped and entities
/// decoded by [`html_to_text`] first, and the findings' offsets index **that** text (call
/// [`html_to_text`] to get it).
pub fn scan_html(html: &str, words: &WordList) -> Vec<Finding> {
    scan(&html_to_text(html), words)
}

/// Scans plain text; findings are sorted by start (the longer first where two start together).
pub fn scan_with(text: &str, words: &WordList, options: &ScanOptions) -> Vec<Finding> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut raws = numbers::scan(&chars, options);
    raws.extend(passport::scan(&chars));
    if !options.include_suspects {
        raws.retain(|r| !r.suspect);
    }
    raws.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    if options.names_with_addresses {
        // Names go after numbers: their masked form masks the numbers lying between name and
        // address (the ID column of a 公示名单).
        let found = names::scan(text, &chars, &raws);
        raws.extend(found);
    }
    raws.extend(words.find_all(text, &chars));
    raws.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    finish(text, raws)
}

/// Adds line numbers and masked excerpts.
fn finish(text: &str, raws: Vec<Raw>) -> Vec<Finding> {
    let longest = raws.iter().map(|r| r.end - r.start).max().unwrap_or(0);
    let mut line = 1;
    let mut counted = 0;
    let mut out = Vec::with_capacity(raws.len());
    for r in &raws {
        line += text.as_bytes()[counted..r.start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        counted = r.start;
        let (mut ws, mut we) = window(text, r.start, r.end, 20);
        // Widen the window over findings cut by its edges, so no half number shows unmasked.
        let mut lo;
        loop {
            lo = raws.partition_point(|f| f.start + longest < ws);
            let hi = raws.partition_point(|f| f.start < we);
            let (before, after) = (ws, we);
            for f in &raws[lo..hi] {
                if f.start < we && f.end > ws {
                    ws = ws.min(f.start);
                    we = we.max(f.end);
                }
            }
            if (ws, we) == (before, after) {
                break;
            }
        }
        let excerpt = masked_range(
            text,
            ws,
            we,
            raws[lo..].iter().map(|f| (f.start, f.end, &*f.masked)),
        )
        .replace(['\t', '\r'], " ");
        out.push(Finding {
            kind: r.kind.clone(),
            start: r.start,
            end: r.end,
            line,
            excerpt,
            masked: r.masked.clone(),
            suspect: r.suspect,
        });
    }
    out
}

/// Up to `n` characters either side of `start..end`, not crossing a line break.
fn window(text: &str, start: usize, end: usize, n: usize) -> (usize, usize) {
    let mut ws = start;
    for (i, c) in text[..start].char_indices().rev().take(n) {
        if c == '\n' {
            break;
        }
        ws = i;
    }
    let mut we = end;
    for (i, c) in text[end..].char_indices().take(n) {
        if c == '\n' {
            break;
        }
        we = end + i + c.len_utf8();
    }
    (ws, we)
}

/// `text[from..to]` with every span inside it (sorted by start) replaced by its mask; a span
/// overlapping one already replaced is skipped (the outer mask covers it).
fn masked_range<'a>(
    text: &str,
    from: usize,
    to: usize,
    spans: impl IntoIterator<Item = (usize, usize, &'a str)>,
) -> String {
    let mut out = String::with_capacity(to.saturating_sub(from));
    let mut pos = from;
    for (s, e, m) in spans {
        if s >= to {
            break;
        }
        if s < pos || e > to {
            continue;
        }
        out.push_str(&text[pos..s]);
        out.push_str(m);
        pos = e;
    }
    out.push_str(&text[pos..to]);
    out
}

/// A piece of a text shown to a reviewer: plain text, or a finding's masked form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// The text of the piece (a finding's masked form where `masked`).
    pub text: String,
    /// Whether this piece stands for a finding (to be highlighted).
    pub masked: bool,
}

/// `text` cut into pieces with every finding replaced by its masked form, so a page can show
/// the whole text with the findings highlighted and no raw number in it. Same rules as
/// [`mask_all`]: a finding inside one already masked is skipped, one not fitting `text` ignored.
pub fn segments(text: &str, findings: &[Finding]) -> Vec<Segment> {
    let mut spans: Vec<(usize, usize, &str)> = findings
        .iter()
        .filter(|f| {
            f.start < f.end
                && f.end <= text.len()
                && text.is_char_boundary(f.start)
                && text.is_char_boundary(f.end)
        })
        .map(|f| (f.start, f.end, f.masked.as_str()))
        .collect();
    spans.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut out = Vec::new();
    let mut pos = 0;
    for (s, e, m) in spans {
        if s < pos {
            continue;
        }
        if s > pos {
            out.push(Segment {
                text: text[pos..s].to_string(),
                masked: false,
            });
        }
        out.push(Segment {
            text: m.to_string(),
            masked: true,
        });
        pos = e;
    }
    if pos < text.len() {
        out.push(Segment {
            text: text[pos..].to_string(),
            masked: false,
        });
    }
    out
}

/// Replaces every finding in `text` by its masked form: a copy to show a reviewer without
/// exposing the data, or to publish redacted. Findings may come in any order; one lying inside
/// or across another already masked is skipped, and one whose range does not fit `text` (from
/// another text) is ignored.
pub fn mask_all(text: &str, findings: &[Finding]) -> String {
    segments(text, findings)
        .into_iter()
        .map(|s| s.text)
        .collect()
}

#[cfg(test)]
mod class_tests {
    use super::*;

    #[test]
    fn classes_read_back_from_their_keys() {
        for c in FindingClass::ALL {
            assert_eq!(FindingClass::try_from(c.key().to_string()), Ok(c));
        }
        assert_eq!(
            FindingKind::SensitiveWord("x".into()).class(),
            FindingClass::SensitiveWord
        );
        assert!(FindingClass::try_from("phone".to_string()).is_err());
    }
}
