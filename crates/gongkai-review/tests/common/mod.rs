//! Synthetic numbers for tests: never a real person's, computed here.

#![allow(dead_code)] // each test file uses part of it

/// The ID check character (ISO 7064 MOD 11-2) of 17 ASCII digits.
pub fn id_check(d17: &str) -> char {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = d17
        .bytes()
        .zip(W)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize]
}

/// A valid ID from 17 digits.
pub fn id(d17: &str) -> String {
    format!("{d17}{}", id_check(d17))
}

/// The same 17 digits with a wrong check character.
pub fn bad_id(d17: &str) -> String {
    let right = id_check(d17);
    let wrong = if right == '0' { '1' } else { '0' };
    format!("{d17}{wrong}")
}

/// The Luhn check digit completing `prefix`.
pub fn luhn_digit(prefix: &str) -> char {
    let sum: u32 = prefix
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let x = u32::from(b - b'0');
            // The check digit will sit at position 0, so the prefix's last digit is doubled.
            if i % 2 == 0 {
                let y = x * 2;
                if y > 9 { y - 9 } else { y }
            } else {
                x
            }
        })
        .sum();
    char::from(b'0' + ((10 - sum % 10) % 10) as u8)
}

/// A card number passing Luhn.
pub fn card(prefix: &str) -> String {
    format!("{prefix}{}", luhn_digit(prefix))
}

/// A card number failing Luhn.
pub fn bad_card(prefix: &str) -> String {
    let d = luhn_digit(prefix) as u8 - b'0';
    format!("{prefix}{}", char::from(b'0' + (d + 1) % 10))
}

/// Digits in groups of 4 joined by `sep`.
pub fn grouped(s: &str, sep: char) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// An ID written in blocks of 6, 8 and 4 characters (region, birth date, serial and check).
pub fn blocks_6_8_4(s: &str, sep: char) -> String {
    format!("{}{sep}{}{sep}{}", &s[..6], &s[6..14], &s[14..])
}

/// ASCII digits and X as full-width characters.
pub fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| char::from_u32(c as u32 - 0x20 + 0xff00).unwrap_or(c))
        .collect()
}

/// Expands `{ID:…}`, `{IDx:…}`, `{IDFW:…}`, `{IDBAD:…}`, `{IDSP:…}` / `{IDH:…}` (blocks of
/// 6-8-4 by spaces / hyphens), `{CARD:…}`, `{CARDBAD:…}`, `{CARDG:…}`, `{CARDH:…}`,
/// `{CARDFW:…}` (full-width), `{CARDBADG:…}` (failing Luhn, grouped) and the escapes `\t`, `\n`.
pub fn expand(template: &str) -> String {
    let mut out = String::new();
    let mut rest = template.replace("\\t", "\t").replace("\\n", "\n");
    while let Some(open) = rest.find('{') {
        let close = rest[open..]
            .find('}')
            .map(|c| open + c)
            .expect("unclosed {");
        let (tag, arg) = rest[open + 1..close].split_once(':').expect("{TAG:digits}");
        out.push_str(&rest[..open]);
        out.push_str(&match tag {
            "ID" => id(arg),
            "IDx" => id(arg).to_lowercase(),
            "IDFW" => full_width(&id(arg)),
            "IDBAD" => bad_id(arg),
            "CARD" => card(arg),
            "CARDBAD" => bad_card(arg),
            "CARDG" => grouped(&card(arg), ' '),
            "CARDH" => grouped(&card(arg), '-'),
            "CARDFW" => full_width(&card(arg)),
            "CARDBADG" => grouped(&bad_card(arg), ' '),
            "IDSP" => blocks_6_8_4(&id(arg), ' '),
            "IDH" => blocks_6_8_4(&id(arg), '-'),
            other => panic!("unknown placeholder {other}"),
        });
        rest = rest[close + 1..].to_owned();
    }
    out.push_str(&rest);
    out
}
