//! Cell-level reading: numbers as agencies write them, and label matching (width normalisation
//! is `crate::normalize`).
//!
//! Everything here works on one cell or one line and allocates at most once, because the
//! parser calls it for every cell of every report (the target is ≥ 10,000 reports/s).

use crate::normalize::normalize_char;
use gongkai_law::{Table3Row, outcome::label_core};
use std::sync::OnceLock;

/// The unit written after an amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// No unit: the form's own unit.
    None,
    /// 元 (the form asks for 万元).
    Yuan,
    /// 万元 / 万 written out.
    Wan,
}

/// A number as written in a cell: sign, digits and scale kept exactly so that amounts convert
/// between 元 and 万元 without binary rounding noise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Written {
    /// A leading minus sign.
    pub negative: bool,
    /// A leading sign of either kind (`+2`, `-18`).
    pub signed: bool,
    /// All digits as an integer (`111.1` → 1111).
    pub mantissa: u64,
    /// Digits after the decimal point as written (`111.1` → 1).
    pub scale: u32,
    /// The unit written after the digits.
    pub unit: Unit,
}

/// What a value cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CellValue {
    /// Empty, or `/`, `-`, `—`, `无`: the form's blank.
    Blank,
    /// A number.
    Number(Written),
    /// Something else: not a value cell.
    Text,
}

impl Written {
    /// The value as a count when it is a whole number (`5.0` counts as 5).
    pub fn as_count(&self) -> Option<i64> {
        let pow = 10u64.checked_pow(self.scale)?;
        if !self.mantissa.is_multiple_of(pow) {
            return None;
        }
        let v = i64::try_from(self.mantissa / pow).ok()?;
        Some(if self.negative { -v } else { v })
    }

    /// The value in 万元, converting 元 (÷ 10,000). Dividing an exactly representable
    /// mantissa by an exact power of ten rounds once, so `75394432.52元` gives exactly the
    /// double nearest 7539.443252.
    pub fn as_wan(&self) -> f64 {
        let scale = self.scale + if self.unit == Unit::Yuan { 4 } else { 0 };
        let v = self.mantissa as f64 / 10f64.powi(scale as i32);
        if self.negative { -v } else { v }
    }
}

/// Whether a cell says "blank" (spec: empty, `/`, `-`, `—`, `无`).
fn is_blank_marker(s: &[u8]) -> bool {
    const MARKERS: [&str; 8] = ["", "/", "-", "—", "——", "--", "无", "\\"];
    MARKERS.iter().any(|m| m.as_bytes() == s)
}

/// Reads one cell. Spaces anywhere are ignored (`1 808`, `2 件`), thousands separators are
/// accepted when every group has three digits, a sign may lead, and a unit may follow.
pub(crate) fn read_cell(cell: &str) -> CellValue {
    // The ASCII head (digits, sign, separators) goes to a stack buffer, the non-ASCII tail (a
    // unit or a blank marker: at most two characters) to a small array. No allocation: this
    // runs on every cell of every report.
    let mut buf = [0u8; 48];
    let mut n = 0usize;
    let mut tail_buf = [0u8; 12];
    let mut t = 0usize;
    // Most cells are ASCII digits: read the ASCII start byte by byte (`normalize_char` leaves
    // ASCII alone; ASCII whitespace is \t…\r and the space), the rest character by character.
    let bytes = cell.as_bytes();
    let mut i = 0;
    while let Some(&x) = bytes.get(i).filter(|x| x.is_ascii()) {
        i += 1;
        if matches!(x, b'\t'..=b'\r' | b' ') {
            continue;
        }
        if n == buf.len() {
            return CellValue::Text;
        }
        buf[n] = x;
        n += 1;
    }
    for c in cell.get(i..).unwrap_or("").chars() {
        let c = normalize_char(c);
        if c.is_whitespace() {
            continue;
        }
        if c.is_ascii() && t == 0 {
            if n == buf.len() {
                return CellValue::Text;
            }
            buf[n] = c as u8;
            n += 1;
        } else {
            let len = c.len_utf8();
            if t + len > tail_buf.len() {
                return CellValue::Text;
            }
            c.encode_utf8(&mut tail_buf[t..t + len]);
            t += len;
        }
    }
    // Compared as bytes: both buffers hold whole characters, so no UTF-8 check is needed.
    let head = &buf[..n];
    let tail = &tail_buf[..t];
    if (tail.is_empty() && is_blank_marker(head)) || (head.is_empty() && is_blank_marker(tail)) {
        return CellValue::Blank;
    }
    const UNITS: [(&str, Unit); 9] = [
        ("", Unit::None),
        ("件", Unit::None),
        ("条", Unit::None),
        ("个", Unit::None),
        ("项", Unit::None),
        ("次", Unit::None),
        ("元", Unit::Yuan),
        ("万元", Unit::Wan),
        ("万", Unit::Wan),
    ];
    match parse_number(head) {
        Some(mut w) => {
            w.unit = match UNITS.iter().find(|(u, _)| u.as_bytes() == tail) {
                Some((_, u)) => *u,
                None => return CellValue::Text,
            };
            CellValue::Number(w)
        }
        None => CellValue::Text,
    }
}

/// Parses `[+-]digits[,ddd]*[.digits]` exactly, or `None`.
fn parse_number(b: &[u8]) -> Option<Written> {
    let mut i = 0;
    let (mut negative, mut signed) = (false, false);
    if let Some(&c) = b.first()
        && (c == b'+' || c == b'-')
    {
        signed = true;
        negative = c == b'-';
        i = 1;
    }
    let mut mantissa: u64 = 0;
    let mut int_digits = 0;
    let mut group = None::<u32>;
    let mut scale = 0u32;
    let mut in_frac = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b'0'..=b'9' => {
                mantissa = mantissa.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
                if in_frac {
                    scale += 1;
                } else {
                    int_digits += 1;
                    if let Some(g) = group.as_mut() {
                        *g += 1;
                    }
                }
            }
            b',' if !in_frac && int_digits > 0 => {
                if matches!(group, Some(g) if g != 3) {
                    return None;
                }
                group = Some(0);
            }
            b'.' if !in_frac && int_digits > 0 => in_frac = true,
            _ => return None,
        }
        i += 1;
    }
    if int_digits == 0 || matches!(group, Some(g) if g != 3) || (in_frac && scale == 0) {
        return None;
    }
    if scale > 18 {
        return None;
    }
    Some(Written {
        negative,
        signed,
        mantissa,
        scale,
        unit: Unit::None,
    })
}

/// Whether a cell can be a value cell (a number or a blank).
pub(crate) fn is_value_like(cell: &str) -> bool {
    !matches!(read_cell(cell), CellValue::Text)
}

/// A label reduced for comparison: what [`label_core`] keeps, also without the `第…项` noise
/// of table 二 and with `/` removed.
pub(crate) fn core(s: &str) -> String {
    label_core(s)
}

/// Table 三 rows with their label cores, computed once and sorted by core (a stable sort: rows
/// sharing a core stay in the form's order), so that the rows a core starts — one core
/// exactly, or every core it is a prefix of — are one run found by binary search.
fn table3_cores() -> &'static [(String, Table3Row)] {
    static CORES: OnceLock<Vec<(String, Table3Row)>> = OnceLock::new();
    CORES.get_or_init(|| {
        let mut v: Vec<_> = Table3Row::EVERY
            .iter()
            .map(|r| (label_core(r.label()), *r))
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    })
}

/// Finds the table 三 row a label cell names: exactly by its core, or — for a label cut by
/// PDF extraction (`5.要求行政机关确认或重新出`) — by a unique prefix of at least six characters.
pub(crate) fn table3_row(label: &str) -> Option<Table3Row> {
    table3_row_core(&core(label))
}

/// [`table3_row`] for a label already reduced by [`core`].
pub(crate) fn table3_row_core(c: &str) -> Option<Table3Row> {
    if c.is_empty() {
        return None;
    }
    let cores = table3_cores();
    // Cores ≥ `c` start here; those starting with `c` follow in one run, `c` itself first.
    let from = cores.partition_point(|(k, _)| k.as_str() < c);
    let run = cores.get(from..).unwrap_or(&[]);
    if let Some((k, r)) = run.first()
        && k == c
    {
        return Some(*r);
    }
    if c.chars().count() >= 6 {
        let mut hits = run.iter().take_while(|(k, _)| k.starts_with(c));
        if let (Some((_, r)), None) = (hits.next(), hits.next()) {
            return Some(*r);
        }
    }
    None
}

/// How a printed label is numbered: `一、` (a part of the table), `（一）` (a result group) or
/// `1.` (an item of a group), with the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Numbering {
    /// `一、`…`四、`.
    Part(u32),
    /// `（一）`…`（七）`.
    Group(u32),
    /// `1.` / `1、`…`8.`.
    Item(u32),
}

fn chinese_digit(c: char) -> Option<u32> {
    "一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|p| p as u32 + 1)
}

/// The numbering a label starts with (after normalisation), if any.
pub(crate) fn numbering(label: &str) -> Option<Numbering> {
    let mut it = label.trim_start().chars().filter(|c| !c.is_whitespace());
    let first = it.next()?;
    match first {
        '(' | '（' => {
            let n = chinese_digit(it.next()?)?;
            matches!(it.next()?, ')' | '）').then_some(Numbering::Group(n))
        }
        '1'..='9' => {
            let n = first.to_digit(10)?;
            matches!(it.next()?, '.' | '、' | '．' | ',' | '，').then_some(Numbering::Item(n))
        }
        c => {
            let n = chinese_digit(c)?;
            matches!(it.next()?, '、' | '.' | ',' | '，').then_some(Numbering::Part(n))
        }
    }
}

/// A table 三 row recognised from a misprinted label, with how sure the recogniser is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct FuzzyRow {
    /// The row.
    pub row: Table3Row,
    /// Similarity of the printed label's core to the row's (0…1, normalised Levenshtein).
    pub similarity: f64,
}

/// Finds the table 三 row a misprinted label stands for (a label that lost, gained or swapped
/// characters in a template copied from unit to unit): among the rows not yet read
/// (`taken` says which are), the one whose label core is nearest, helped by its place in the
/// form — the row that follows the last one read (`next`) — and by the printed numbering.
/// A far label is recognised only where place and numbering both agree; two equally good
/// candidates recognise nothing.
pub(crate) fn table3_row_fuzzy(
    label: &str,
    label_core: &str,
    next: Option<Table3Row>,
    taken: impl Fn(Table3Row) -> bool,
) -> Option<FuzzyRow> {
    // The group may be printed in the same cell (`（三）不予公开 1.属于国家秘蜜`): compare the leaf.
    let mut leaf_core = label_core;
    let mut leaf_label = label;
    for g in ["不予公开", "无法提供", "不予处理", "其他处理"] {
        if let Some(rest) = label_core.strip_prefix(g)
            && !rest.is_empty()
        {
            leaf_core = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            leaf_label = label.find(g).map_or(label, |i| {
                label
                    .get(i + g.len()..)
                    .unwrap_or("")
                    .trim_start_matches([')', '）', ' '])
            });
            break;
        }
    }
    let printed = leaf_core.chars().count();
    if printed < 2 {
        return None;
    }
    let printed_numbering = numbering(leaf_label);
    let mut best: Option<(f64, f64, Table3Row)> = None;
    let mut tie = false;
    for &r in Table3Row::EVERY {
        if taken(r) {
            continue;
        }
        let want = label_core_of(r);
        let sim = strsim::normalized_levenshtein(leaf_core, want);
        let in_place = next == Some(r);
        let numbered = printed_numbering.is_some() && printed_numbering == numbering(r.label());
        let score = sim + if in_place { 0.25 } else { 0.0 } + if numbered { 0.15 } else { 0.0 };
        let acceptable =
            sim >= 0.6 || (in_place && sim >= 0.34) || (in_place && numbered && sim >= 0.2);
        if !acceptable {
            continue;
        }
        match best {
            Some((s, _, _)) if (score - s).abs() < 1e-9 => tie = true,
            Some((s, _, _)) if score < s => {}
            _ => {
                best = Some((score, sim, r));
                tie = false;
            }
        }
    }
    match best {
        Some((_, similarity, row)) if !tie => Some(FuzzyRow { row, similarity }),
        _ => None,
    }
}

/// The label core of a table 三 row (computed once per row).
fn label_core_of(r: Table3Row) -> &'static str {
    static CORES: OnceLock<Vec<String>> = OnceLock::new();
    let cores = CORES.get_or_init(|| {
        Table3Row::EVERY
            .iter()
            .map(|r| label_core(r.label()))
            .collect()
    });
    Table3Row::EVERY
        .iter()
        .position(|x| *x == r)
        .and_then(|i| cores.get(i))
        .map_or("", String::as_str)
}

/// A subtotal row's group in table 三: `（三）不予公开`, `小计`, `合计`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GroupLabel {
    /// The group heading of （三）…（六） (its own row is a subtotal when it carries numbers).
    Group(gongkai_law::Table3Group),
    /// `小计` / `合计`: subtotal of the group named earlier in the row.
    Subtotal,
}

/// Reads a group heading or a subtotal label.
#[cfg(test)]
pub(crate) fn table3_group(label: &str) -> Option<GroupLabel> {
    table3_group_core(&core(label))
}

/// [`table3_group`] for a label already reduced by [`core`].
pub(crate) fn table3_group_core(c: &str) -> Option<GroupLabel> {
    use gongkai_law::Table3Group as G;
    match c {
        "不予公开" => Some(GroupLabel::Group(G::Withheld)),
        "无法提供" => Some(GroupLabel::Group(G::Unable)),
        "不予处理" => Some(GroupLabel::Group(G::Declined)),
        "其他处理" => Some(GroupLabel::Group(G::Other)),
        "小计" | "合计" => Some(GroupLabel::Subtotal),
        _ => None,
    }
}

/// The first byte index of `needle` in `hay`, as [`str::find`] gives it, without building a
/// substring searcher: the parser looks for short CJK phrases in short cells, where setting
/// up the general search costs more than jumping between occurrences of the first character.
pub(crate) fn find_str(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    let (Some(&a), Some(&b)) = (n.first(), n.get(1)) else {
        // An empty or one-byte needle: the standard search has nothing to set up.
        return hay.find(needle);
    };
    let last = h.len().checked_sub(n.len())?;
    // A match starts at a character boundary because the needle is valid UTF-8 (it starts
    // with a lead byte), so comparing bytes gives the same index as `str::find`.
    (0..=last).find(|&i| h[i] == a && h[i + 1] == b && h[i..].starts_with(n))
}

/// Whether `hay` contains `needle` (see [`find_str`]).
pub(crate) fn contains_str(hay: &str, needle: &str) -> bool {
    find_str(hay, needle).is_some()
}

/// `s` without whitespace, in `buf` when it has any; `None` when that does not fit. Saves an
/// allocation per cell where [`squeeze`] would make one.
pub(crate) fn squeeze_into<'b>(s: &'b str, buf: &'b mut [u8]) -> Option<&'b str> {
    if !s.chars().any(char::is_whitespace) {
        return Some(s);
    }
    let mut n = 0;
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        let len = c.len_utf8();
        c.encode_utf8(buf.get_mut(n..n + len)?);
        n += len;
    }
    std::str::from_utf8(buf.get(..n)?).ok()
}

/// Removes every whitespace character (labels like `总 计`, `结 果维持`).
pub(crate) fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::normalize::{normalize, normalize_trimmed};
    use std::borrow::Cow;

    fn count(s: &str) -> Option<i64> {
        match read_cell(s) {
            CellValue::Number(w) => w.as_count(),
            _ => None,
        }
    }

    #[test]
    fn reads_counts_as_written() {
        assert_eq!(count("12"), Some(12));
        assert_eq!(count("１２"), Some(12));
        assert_eq!(count(" 1 808 "), Some(1808));
        assert_eq!(count("27,269"), Some(27269));
        assert_eq!(count("-18"), Some(-18));
        assert_eq!(count("－18"), Some(-18));
        assert_eq!(count("+2"), Some(2));
        assert_eq!(count("5.0"), Some(5));
        assert_eq!(count("5.5"), None);
        assert_eq!(count("3件"), Some(3));
        assert!(matches!(read_cell("1,23"), CellValue::Text));
        assert!(matches!(read_cell("约5"), CellValue::Text));
        assert!(matches!(
            read_cell("99999999999999999999999"),
            CellValue::Text
        ));
    }

    #[test]
    fn normalize_matches_its_per_character_rule() {
        for s in [
            "",
            "（一）予以公开",
            "１２\u{3000}３",
            "a\u{a0}b\u{2002}c\u{2009}d\u{200b}e\u{2212}f\u{2013}g",
            "、。“”—…ｚ～｟",
            "𝄞é中文",
        ] {
            let want: String = s.chars().map(normalize_char).collect();
            assert_eq!(normalize(s), want, "{s:?}");
            assert_eq!(normalize_trimmed(format!(" {s} ")), want.trim(), "{s:?}");
        }
        assert!(matches!(normalize("规章"), Cow::Borrowed(_)));
    }

    #[test]
    fn finds_like_str_find() {
        for (h, n) in [
            ("政府信息公开工作年度报告", "年度报告"),
            ("行政行政复议", "行政复议"),
            ("abc", ""),
            ("", "x"),
            ("复议复议后起诉", "复议后起诉"),
            ("年年年", "年年"),
        ] {
            assert_eq!(find_str(h, n), h.find(n), "{h} / {n}");
        }
        let mut buf = [0u8; 16];
        assert_eq!(squeeze_into("小 计", &mut buf), Some("小计"));
        assert_eq!(squeeze_into("一二三 四五六", &mut [0u8; 6]), None);
    }

    proptest::proptest! {
        #[test]
        fn normalize_and_find_agree_with_std(s in "\\PC{0,40}", a in 0usize..40, len in 0usize..6) {
            let want: String = s.chars().map(normalize_char).collect();
            proptest::prop_assert_eq!(normalize(&s), want);
            let chars: Vec<char> = s.chars().collect();
            let a = a.min(chars.len());
            let needle: String = chars[a..(a + len).min(chars.len())].iter().collect();
            proptest::prop_assert_eq!(find_str(&s, &needle), s.find(needle.as_str()));
            proptest::prop_assert_eq!(find_str(&s, "年度"), s.find("年度"));
        }
    }

    /// The linear search [`table3_row_core`] replaced with a binary search.
    fn table3_row_core_reference(c: &str) -> Option<Table3Row> {
        if c.is_empty() {
            return None;
        }
        let cores: Vec<_> = Table3Row::EVERY
            .iter()
            .map(|r| (label_core(r.label()), *r))
            .collect();
        if let Some((_, r)) = cores.iter().find(|(k, _)| k == c) {
            return Some(*r);
        }
        if c.chars().count() >= 6 {
            let mut hits = cores.iter().filter(|(k, _)| k.starts_with(c));
            if let (Some((_, r)), None) = (hits.next(), hits.next()) {
                return Some(*r);
            }
        }
        None
    }

    #[test]
    fn table3_lookup_matches_the_linear_search() {
        for r in Table3Row::EVERY {
            let core = label_core(r.label());
            let chars: Vec<char> = core.chars().collect();
            for end in 0..=chars.len() {
                let p: String = chars[..end].iter().collect();
                assert_eq!(table3_row_core(&p), table3_row_core_reference(&p), "{p}");
                let q = format!("{p}x");
                assert_eq!(table3_row_core(&q), table3_row_core_reference(&q), "{q}");
            }
        }
        for c in [
            "其他",
            "总计",
            "小计",
            "",
            "予以公开",
            "不予公开",
            "本机关不掌握",
        ] {
            assert_eq!(table3_row_core(c), table3_row_core_reference(c), "{c}");
        }
    }

    #[test]
    fn reads_blanks() {
        for b in ["", "  ", "/", "-", "—", "无", "\u{a0}", "\u{3000}", "／"] {
            assert_eq!(read_cell(b), CellValue::Blank, "{b:?}");
        }
        assert!(is_value_like(""));
        assert!(!is_value_like("规章"));
    }

    #[test]
    fn reads_amounts_and_units() {
        let CellValue::Number(w) = read_cell("251000元") else {
            panic!()
        };
        assert_eq!(w.unit, Unit::Yuan);
        assert_eq!(w.as_wan(), 25.1);
        let CellValue::Number(w) = read_cell("75394432.52元") else {
            panic!()
        };
        assert_eq!(w.as_wan(), 7539.443252);
        let CellValue::Number(w) = read_cell("24252.311082") else {
            panic!()
        };
        assert_eq!((w.as_wan(), w.scale), (24252.311082, 6));
        let CellValue::Number(w) = read_cell("111.1") else {
            panic!()
        };
        assert_eq!((w.as_wan(), w.scale, w.unit), (111.1, 1, Unit::None));
        let CellValue::Number(w) = read_cell("3.5万元") else {
            panic!()
        };
        assert_eq!((w.as_wan(), w.unit), (3.5, Unit::Wan));
        assert!(matches!(read_cell("12美元"), CellValue::Text));
    }

    #[test]
    fn matches_labels_across_spellings() {
        assert_eq!(table3_row("（一）予以公开"), Some(Table3Row::Disclosed));
        assert_eq!(table3_row("(一) 予以公开"), Some(Table3Row::Disclosed));
        assert_eq!(table3_row("(七) 总计"), Some(Table3Row::ResultsTotal));
        assert_eq!(table3_row("总 计"), Some(Table3Row::ResultsTotal));
        assert_eq!(
            table3_row("5.要求行政机关确认或重 新出具已获取信息"),
            Some(Table3Row::DeclinedConfirmOrReissue)
        );
        assert_eq!(
            table3_row("5、要求行政机关确认或重新出"),
            Some(Table3Row::DeclinedConfirmOrReissue)
        );
        assert_eq!(
            table3_row("(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)"),
            Some(Table3Row::PartiallyDisclosed)
        );
        assert_eq!(
            table3_row("四、结转下年度继续办理"),
            Some(Table3Row::CarriedOut)
        );
        assert_eq!(table3_row("3、其他"), Some(Table3Row::OtherOther));
        assert_eq!(table3_row("三、本年度办理结果"), None);
        assert_eq!(table3_row("(四)无"), None);
        assert_eq!(
            table3_group("（三）不予 公开"),
            Some(GroupLabel::Group(gongkai_law::Table3Group::Withheld))
        );
    }
}
