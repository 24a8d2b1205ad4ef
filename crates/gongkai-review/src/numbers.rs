//! ID, mobile and bank card numbers: a hand-written scanner over the text's characters.
//!
//! The text is cut into *groups*: digit runs (ASCII or full-width digits) joined by single
//! separators (space, ideographic space, hyphen), with an optional X right after the last digit.
//! A group is first tried whole, as a grouped number (`138 1234 5678`, `6222 0212 3456 7890`,
//! `+86 138-1234-5678`); failing that, each run is tried alone. A group or run glued to letters,
//! or to `.`/`/` followed by more digits (decimals, 索引号 `…/2024-02411`), is part of something
//! longer and never a finding; runs joined by hyphens are one code (`0370-1234567`).

use crate::{FindingKind, Raw, ScanOptions};

/// The value of an ASCII or full-width digit.
fn digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8 - b'0'),
        '０'..='９' => u8::try_from(c as u32 - '０' as u32).ok(),
        _ => None,
    }
}

fn is_sep(c: char) -> bool {
    matches!(c, ' ' | '\u{3000}' | '\u{a0}' | '-' | '－' | '‐' | '‑')
}

fn is_space_sep(c: char) -> bool {
    matches!(c, ' ' | '\u{3000}' | '\u{a0}')
}

fn is_x(c: char) -> bool {
    matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ')
}

fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '_')
}

fn is_alnum(c: char) -> bool {
    is_letter(c) || digit(c).is_some()
}

/// `.` or `/` (half or full width): joins the digits on both sides into one token.
fn is_joiner(c: char) -> bool {
    matches!(c, '.' | '/' | '．' | '／')
}

/// One contiguous digit run: indices into the char array, and where its digits' values lie in
/// the group's digit buffer.
#[derive(Clone, Copy)]
struct Run {
    from: usize,
    to: usize,
    d0: usize,
    d1: usize,
}

/// Scans for numbers. Returns findings (suspects included, flagged) sorted by position.
pub(crate) fn scan(chars: &[(usize, char)], opts: &ScanOptions) -> Vec<Raw> {
    let n = chars.len();
    let ch = |i: usize| chars.get(i).map(|&(_, c)| c);
    let byte = |i: usize| chars.get(i).map_or_else(|| end_byte(chars), |&(b, _)| b);
    let mut out = Vec::new();
    // Reused for every group: a page has thousands of short digit groups (dates, 文号, money),
    // and allocating per group would cost more than the scan itself.
    let mut runs: Vec<Run> = Vec::new();
    let mut all: Vec<u8> = Vec::new();
    let mut i = 0;
    while i < n {
        if digit(chars[i].1).is_none() {
            i += 1;
            continue;
        }
        // Collect the group.
        runs.clear();
        all.clear();
        let mut j = i;
        loop {
            let from = j;
            let d0 = all.len();
            while let Some(d) = ch(j).and_then(digit) {
                all.push(d);
                j += 1;
            }
            runs.push(Run {
                from,
                to: j,
                d0,
                d1: all.len(),
            });
            match (ch(j), ch(j + 1)) {
                (Some(s), Some(d)) if is_sep(s) && digit(d).is_some() => j += 1,
                _ => break,
            }
        }
        let x = ch(j).is_some_and(is_x);
        let group_end = if x { j + 1 } else { j };
        let prev = if i > 0 { ch(i - 1) } else { None };
        let prev2 = if i > 1 { ch(i - 2) } else { None };
        let glued_start = prev.is_some_and(is_letter)
            || (prev.is_some_and(is_joiner) && prev2.is_some_and(is_alnum));
        let next = ch(group_end);
        let next2 = ch(group_end + 1);
        let glued_end = next.is_some_and(|c| is_letter(c) || (x && digit(c).is_some()))
            || (next.is_some_and(is_joiner) && next2.is_some_and(is_alnum));
        let plus = prev.is_some_and(|c| c == '+' || c == '＋');
        i = group_end;

        // The whole group as one grouped number.
        if runs.len() > 1 && !glued_start && !glued_end && !x {
            let mut lens = [0usize; 6];
            let count = runs.len().min(6);
            for (l, r) in lens.iter_mut().zip(&runs) {
                *l = r.d1 - r.d0;
            }
            // More than 5 runs matches no pattern (6 is never a pattern's count).
            let lens = &lens[..count];
            let first86 = all[runs[0].d0..runs[0].d1] == [8, 6];
            let start = byte(runs[0].from);
            let end = byte(runs[runs.len() - 1].to);
            let found = match lens {
                [3, 4, 4] => mobile(&all, false, false),
                [2, 11] | [2, 3, 4, 4] if first86 => mobile(&all[2..], true, plus),
                [4, 4, 4, 4] | [4, 4, 4, 4, 1..=3] => bank_card(&all),
                _ => None,
            };
            if let Some((kind, masked)) = found {
                let start = if plus && first86 {
                    start - chars[runs[0].from - 1].1.len_utf8()
                } else {
                    start
                };
                out.push(Raw {
                    kind,
                    start,
                    end,
                    masked,
                    suspect: false,
                });
                continue;
            }
        }

        // The whole group as one number written in blocks of any size (`411426 19900307 001X`,
        // `6222-0212-3456-7890-128`): every block but the last at least 3 digits, so dates
        // (`2020 12 31`) and codes with short parts never join.
        if runs.len() > 1
            && !glued_start
            && !glued_end
            && runs[..runs.len() - 1].iter().all(|r| r.d1 - r.d0 >= 3)
        {
            let with_x = x && all.len() == 17;
            if (!x || with_x)
                && let Some((kind, masked, suspect)) = single(&all, with_x, false, opts)
            {
                let end = if with_x {
                    byte(group_end)
                } else {
                    byte(runs[runs.len() - 1].to)
                };
                out.push(Raw {
                    kind,
                    start: byte(runs[0].from),
                    end,
                    masked,
                    suspect,
                });
                continue;
            }
        }

        // Each run alone.
        let last = runs.len() - 1;
        for (k, run) in runs.iter().enumerate() {
            let digits = &all[run.d0..run.d1];
            let left_glued = if k == 0 {
                glued_start
            } else {
                !ch(run.from - 1).is_some_and(is_space_sep)
            };
            let (right_glued, with_x) = if k == last {
                if x && digits.len() == 17 {
                    (glued_end, true)
                } else {
                    (glued_end || x, false)
                }
            } else {
                (!ch(run.to).is_some_and(is_space_sep), false)
            };
            if left_glued || right_glued {
                continue;
            }
            let plus = k == 0 && plus;
            let Some((kind, masked, suspect)) = single(digits, with_x, plus, opts) else {
                continue;
            };
            let mut start = byte(run.from);
            if plus && kind == FindingKind::MobileNumber && digits.len() == 13 {
                start -= chars[run.from - 1].1.len_utf8();
            }
            let end = if with_x {
                byte(run.to + 1)
            } else {
                byte(run.to)
            };
            out.push(Raw {
                kind,
                start,
                end,
                masked,
                suspect,
            });
        }
    }
    out
}

fn end_byte(chars: &[(usize, char)]) -> usize {
    chars.last().map_or(0, |&(b, c)| b + c.len_utf8())
}

/// One contiguous run (plus a trailing X where `x`): what it is, masked, and whether a suspect.
fn single(
    d: &[u8],
    x: bool,
    plus: bool,
    opts: &ScanOptions,
) -> Option<(FindingKind, String, bool)> {
    if x {
        // Only an ID number ends in X — or a 统一社会信用代码, whose check character may be X
        // (29): a valid code is not personal data unless it is a valid ID as well.
        return match id_status(&d[..17], 10, opts.max_birth_year) {
            IdStatus::Valid => Some((FindingKind::IdNumber, mask_id(d, true), false)),
            _ if credit_code(&d[..17], 29) => None,
            IdStatus::BadCheck | IdStatus::BadDate => {
                Some((FindingKind::IdNumber, mask_id(d, true), true))
            }
            IdStatus::NotId => None,
        };
    }
    let plain = |r: Option<(FindingKind, String)>| r.map(|(k, m)| (k, m, false));
    // A number shaped like a card (issuer prefix, 16–19 digits) failing Luhn: a typo of a
    // card number as often as a serial, so a suspect.
    let card_like = |d: &[u8]| card_prefix(d).then(|| (FindingKind::BankCard, mask_card(d), true));
    match d.len() {
        18 => match id_status(&d[..17], d[17], opts.max_birth_year) {
            IdStatus::Valid => Some((FindingKind::IdNumber, mask_id(d, false), false)),
            _ if credit_code(&d[..17], d[17]) => None,
            // A card passing Luhn outranks an ID with a wrong check digit or date.
            status => plain(bank_card(d))
                .or_else(|| {
                    matches!(status, IdStatus::BadCheck | IdStatus::BadDate)
                        .then(|| (FindingKind::IdNumber, mask_id(d, false), true))
                })
                .or_else(|| card_like(d)),
        },
        15 => old_id(d).then(|| (FindingKind::IdNumber, mask_digits(d, 4, 3), true)),
        16 | 17 | 19 => plain(bank_card(d)).or_else(|| card_like(d)),
        11 => plain(mobile(d, false, false)),
        13 if d[..2] == [8, 6] => plain(mobile(&d[2..], true, plus)),
        _ => None,
    }
}

#[derive(Debug, PartialEq, Eq)]
enum IdStatus {
    /// Region, birth date and check digit all right.
    Valid,
    /// Region and birth date right, the check digit wrong: a typo, or a serial that looks like
    /// an ID.
    BadCheck,
    /// Region right, a birth year in range but no such month or day (`19901332`): a typo.
    BadDate,
    NotId,
}

/// Province codes (first two digits) of 居民身份证号, with 71 台湾 and 81/82/83 the residence
/// permits of Hong Kong, Macao and Taiwan residents (港澳台居民居住证).
const PROVINCES: [u8; 35] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,
];

fn valid_date(y: u32, m: u32, d: u32) -> bool {
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn number(d: &[u8]) -> u32 {
    d.iter().fold(0, |n, &x| n * 10 + u32::from(x))
}

/// The ISO 7064 MOD 11-2 check value of 17 digits (10 stands for X).
pub(crate) fn id_check(d17: &[u8]) -> u8 {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = d17.iter().zip(W).map(|(&d, w)| u32::from(d) * w).sum();
    // (12 - sum mod 11) mod 11: 0→1, 1→0, 2→X, 3→9 …
    ((12 - sum % 11) % 11) as u8
}

/// 17 digits and a check value (0–9, 10 for X).
fn id_status(d17: &[u8], check: u8, max_year: u16) -> IdStatus {
    if !PROVINCES.contains(&(number(&d17[..2]) as u8)) {
        return IdStatus::NotId;
    }
    let (y, m, day) = (
        number(&d17[6..10]),
        number(&d17[10..12]),
        number(&d17[12..14]),
    );
    if !(1900..=u32::from(max_year)).contains(&y) {
        return IdStatus::NotId;
    }
    if !valid_date(y, m, day) {
        // An impossible date only in a shape still close to one (month up to 19, day up to
        // 39): farther off, the digits are something else.
        return if m <= 19 && day <= 39 {
            IdStatus::BadDate
        } else {
            IdStatus::NotId
        };
    }
    if id_check(d17) == check {
        IdStatus::Valid
    } else {
        IdStatus::BadCheck
    }
}

/// A 15-digit first-generation ID (before 1999): region, then YYMMDD of a 19xx birth date.
/// Years 1900–1909 are left out: nobody in a list published now carries one, while codes
/// such as a 15-digit 营业执照注册号 (`410100000123456`) read as them.
fn old_id(d: &[u8]) -> bool {
    PROVINCES.contains(&(number(&d[..2]) as u8))
        && number(&d[6..8]) >= 10
        && valid_date(
            1900 + number(&d[6..8]),
            number(&d[8..10]),
            number(&d[10..12]),
        )
}

fn to_ascii(d: &[u8]) -> String {
    d.iter().map(|&x| char::from(b'0' + x)).collect()
}

/// The first `keep_front` and last `keep_back` digits, stars between.
fn mask_digits(d: &[u8], keep_front: usize, keep_back: usize) -> String {
    let mut s = to_ascii(&d[..keep_front]);
    s.extend(std::iter::repeat_n('*', d.len() - keep_front - keep_back));
    s.push_str(&to_ascii(&d[d.len() - keep_back..]));
    s
}

/// `4114**********123X`.
fn mask_id(d: &[u8], x: bool) -> String {
    if x {
        let mut s = mask_digits(d, 4, 3);
        s.push('X');
        s
    } else {
        let mut s = mask_digits(&d[..17], 4, 3);
        s.push(if d[17] == 10 {
            'X'
        } else {
            char::from(b'0' + d[17])
        });
        s
    }
}

/// 11 digits in a Chinese mobile range: 13x, 145–149, 15[0-35-9], 16[2567], 17[0-8], 18x,
/// 19[0-35-9]. `prefixed`: written with 86 (`plus`: with +86).
fn mobile(d: &[u8], prefixed: bool, plus: bool) -> Option<(FindingKind, String)> {
    if d.len() != 11 || d[0] != 1 {
        return None;
    }
    let ok = match (d[1], d[2]) {
        (3 | 8, _) => true,
        (4, 5..=9) => true,
        (5 | 9, t) => t != 4,
        (6, t) => matches!(t, 2 | 5 | 6 | 7),
        (7, t) => t <= 8,
        _ => false,
    };
    if !ok {
        return None;
    }
    let masked = format!("{}****{}", to_ascii(&d[..3]), to_ascii(&d[7..]));
    let masked = match (prefixed, plus) {
        (true, true) => format!("+86 {masked}"),
        (true, false) => format!("86 {masked}"),
        _ => masked,
    };
    Some((FindingKind::MobileNumber, masked))
}

fn luhn(d: &[u8]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = u32::from(x);
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 { y - 9 } else { y }
            } else {
                x
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Whether 17 digits and a check value (0–30) form a valid 统一社会信用代码 (GB 32100-2015:
/// weights 3^i mod 31, check = 31 − sum mod 31, 31 → 0), its embedded 组织机构代码 valid too.
/// Both checks together leave about one ID-shaped number in 341 that also passes as a code. Only all-digit codes reach here (a
/// code with letters is glued to them and never a number finding); the check may be a letter
/// (X is 29), which the caller passes as its value.
pub(crate) fn credit_code(d17: &[u8], check: u8) -> bool {
    const W: [u32; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    // Registration authority 1–9 (no 0), as the standard assigns them.
    if d17.first().is_none_or(|&a| a == 0) {
        return false;
    }
    let sum: u32 = d17.iter().zip(W).map(|(&c, w)| u32::from(c) * w).sum();
    let want = (31 - sum % 31) % 31;
    // Characters 9–17 are the 组织机构代码 with its own check (GB 11714-1997: weights
    // 3 7 9 10 5 8 4 2, check 11 − sum mod 11, 11 → 0; 10 would be X, not a digit here).
    const ORG: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    let org: u32 = d17[8..16]
        .iter()
        .zip(ORG)
        .map(|(&c, w)| u32::from(c) * w)
        .sum();
    let org_check = (11 - org % 11) % 11;
    want == u32::from(check) && org_check == u32::from(d17[16])
}

/// Whether the digits carry an issuer prefix plausible for their length (Luhn not checked).
fn card_prefix(d: &[u8]) -> bool {
    let len = d.len();
    if !(16..=19).contains(&len) {
        return false;
    }
    let two = number(&d[..2]);
    let four = number(&d[..4]);
    match two {
        62 | 60 | 35 => true,
        40..=49 => len == 16 || len == 19,
        51..=55 => len == 16,
        22..=27 => len == 16 && (2221..=2720).contains(&four),
        95 => d[2] == 5 && len == 19,
        _ => false,
    }
}

/// `6222 **** **** *** 0128`: the first and last four digits, the rest starred in fours.
fn mask_card(d: &[u8]) -> String {
    let len = d.len();
    let stars = len - 8;
    let mut masked = to_ascii(&d[..4]);
    for chunk in 0..stars.div_ceil(4) {
        masked.push(' ');
        let k = (stars - chunk * 4).min(4);
        masked.extend(std::iter::repeat_n('*', k));
    }
    masked.push(' ');
    masked.push_str(&to_ascii(&d[len - 4..]));
    masked
}

/// A card number: issuer prefix plausible for its length, Luhn valid. Prefixes: 62 银联
/// (16–19), 60 (16–19), 4 Visa (16, 19), 51–55 and 2221–2720 Mastercard (16), 35 JCB (16–19),
/// 955 old domestic debit cards (19). Amex (15 digits) is outside the 16–19 the gate asks for.
fn bank_card(d: &[u8]) -> Option<(FindingKind, String)> {
    (card_prefix(d) && luhn(d)).then(|| (FindingKind::BankCard, mask_card(d)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_known_vectors() {
        // GB 11643-1999's worked example: 11010519491231002 → X.
        assert_eq!(
            id_check(&[1, 1, 0, 1, 0, 5, 1, 9, 4, 9, 1, 2, 3, 1, 0, 0, 2]),
            10
        );
        // 44052418800101001 → 4 (the standard's second example).
        assert_eq!(
            id_check(&[4, 4, 0, 5, 2, 4, 1, 8, 8, 0, 0, 1, 0, 1, 0, 0, 1]),
            4
        );
    }

    #[test]
    fn luhn_vectors() {
        let d = |s: &str| s.bytes().map(|b| b - b'0').collect::<Vec<u8>>();
        assert!(luhn(&d("4111111111111111")));
        assert!(luhn(&d("79927398713")));
        assert!(!luhn(&d("4111111111111112")));
    }

    #[test]
    fn masks() {
        let d = |s: &str| s.bytes().map(|b| b - b'0').collect::<Vec<u8>>();
        assert_eq!(
            bank_card(&d("6222021234567890128"))
                .map(|x| x.1)
                .unwrap_or_default(),
            "6222 **** **** *** 0128"
        );
        assert_eq!(
            mobile(&d("13812345678"), false, false)
                .map(|x| x.1)
                .unwrap_or_default(),
            "138****5678"
        );
    }
}
