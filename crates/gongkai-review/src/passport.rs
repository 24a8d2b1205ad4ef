//! 护照号码 of the People's Republic of China: `E` and 8 digits, `E`, a letter and 7 digits
//! (the electronic passports since 2012 and 2017), `G` and 8 digits (older passports). Nothing
//! in the number can be checked, so every match is a suspect (「疑似」) for a reviewer to
//! decide; the shape must stand alone (not glued to letters or digits, not the front of a
//! longer code).

use crate::{FindingKind, Raw};

fn is_ascii_digit(c: char) -> bool {
    c.is_ascii_digit()
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || matches!(c, 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '０'..='９')
}

/// `.`, `/`, `-`: joins what follows into one code (`E12345678-01`, `G12345678/2`).
fn is_joiner(c: char) -> bool {
    matches!(c, '.' | '/' | '-' | '．' | '／' | '－')
}

/// Finds passport-shaped numbers; suspects, sorted by position.
pub(crate) fn scan(chars: &[(usize, char)]) -> Vec<Raw> {
    let ch = |i: usize| chars.get(i).map(|&(_, c)| c);
    let mut out = Vec::new();
    for i in 0..chars.len() {
        let first = chars[i].1;
        if first != 'E' && first != 'G' {
            continue;
        }
        if i > 0 && ch(i - 1).is_some_and(is_word) {
            continue;
        }
        // E + 8 digits, G + 8 digits, or E + letter (not I, O) + 7 digits.
        let second = ch(i + 1);
        let digits_from = match second {
            Some(c) if is_ascii_digit(c) => i + 1,
            Some(c) if first == 'E' && c.is_ascii_uppercase() && c != 'I' && c != 'O' => i + 2,
            _ => continue,
        };
        let want = if digits_from == i + 1 { 8 } else { 7 };
        let run = (digits_from..)
            .take_while(|&j| ch(j).is_some_and(is_ascii_digit))
            .count();
        if run != want {
            continue;
        }
        let end = digits_from + want;
        let next = ch(end);
        if next.is_some_and(is_word)
            || (next.is_some_and(is_joiner) && ch(end + 1).is_some_and(is_word))
        {
            continue;
        }
        let text: String = chars[i..end].iter().map(|&(_, c)| c).collect();
        // Keep the letters and the last two digits.
        let keep = digits_from - i;
        let mut masked: String = text.chars().take(keep).collect();
        masked.extend(std::iter::repeat_n('*', want - 2));
        masked.extend(text.chars().skip(end - i - 2));
        let end_byte = chars.get(end).map_or_else(
            || chars[end - 1].0 + chars[end - 1].1.len_utf8(),
            |&(b, _)| b,
        );
        out.push(Raw {
            kind: FindingKind::Passport,
            start: chars[i].0,
            end: end_byte,
            masked,
            suspect: true,
        });
    }
    out
}
