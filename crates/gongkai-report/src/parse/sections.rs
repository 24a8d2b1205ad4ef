//! The six sections: recognising their headings (and not the table rows that look like them).

/// The six section titles as the form prints them.
pub(crate) const TITLES: [&str; 6] = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
];

const NUMERALS: [char; 6] = ['一', '二', '三', '四', '五', '六'];

/// Words that identify each section's title. A numeral alone is not enough: table 三 prints
/// `三、本年度办理结果` and `四、结转下年度继续办理`, which are not sections 三 and 四.
const KEYWORDS: [&[&str]; 6] = [
    &["总体情况", "总体", "概述", "基本情况"],
    &["主动公开"],
    &["收到和处理", "收到", "依申请", "申请情况"],
    &["行政复议", "行政诉讼", "复议"],
    &["问题", "改进"],
    &["其他需要", "需要报告", "其他事项"],
];

/// If a (normalised) line opens a section, its number 1…6.
pub(crate) fn is_section_heading(line: &str) -> Option<usize> {
    let mut chars = line.trim_start().chars();
    let first = chars.next()?;
    let idx = NUMERALS.iter().position(|n| *n == first)?;
    let sep = chars.next()?;
    if !matches!(sep, '、' | '.' | ',' | ' ' | '是') || sep == '是' {
        return None;
    }
    // The title sits right after the numeral: look at its first 20 characters (in a stack
    // buffer: every line that starts with a numeral gets here).
    let mut buf = [0u8; 80];
    let mut n = 0;
    for c in chars.filter(|c| !c.is_whitespace()).take(20) {
        let len = c.len_utf8();
        c.encode_utf8(buf.get_mut(n..n + len)?);
        n += len;
    }
    let head = std::str::from_utf8(buf.get(..n)?).ok()?;
    KEYWORDS[idx]
        .iter()
        .any(|k| super::cells::contains_str(head, k))
        .then_some(idx + 1)
}

/// How many characters of a heading line are the title (through the first 「情况」/「事项」 in
/// its first 40 characters), so that prose written on the same line can be kept.
pub(crate) fn title_chars(line: &str) -> usize {
    let chars: Vec<char> = line.chars().take(40).collect();
    for k in 1..chars.len() {
        if matches!([chars[k - 1], chars[k]], ['情', '况'] | ['事', '项']) {
            return k + 1;
        }
    }
    line.chars().count()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_told_from_table_rows() {
        assert_eq!(is_section_heading("一、总体情况"), Some(1));
        assert_eq!(is_section_heading("一、总体情况2019年，在省政府…"), Some(1));
        assert_eq!(
            is_section_heading("三、收到和处理政府信息公开申请情况"),
            Some(3)
        );
        assert_eq!(
            is_section_heading("四、政府信息公开行政复议、行政诉讼情况"),
            Some(4)
        );
        assert_eq!(
            is_section_heading("五、政府信息公开工作存在的主要问题及改进情况"),
            Some(5)
        );
        assert_eq!(is_section_heading("六、其他需要报告的事项 无"), Some(6));
        assert_eq!(is_section_heading("三、本年度办理结果"), None);
        assert_eq!(is_section_heading("四、结转下年度继续办理"), None);
        assert_eq!(is_section_heading("一、本年新收政府信息公开申请数量"), None);
        assert_eq!(is_section_heading("二、上年结转政府信息公开申请数量"), None);
        assert_eq!(is_section_heading("一是加强组织领导"), None);
        assert_eq!(title_chars("六、其他需要报告的事项 无"), 11);
    }
}
