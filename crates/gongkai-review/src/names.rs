//! Names next to addresses (姓名与住址): the shape of a 公示名单 row such as
//! `张三  男  4114…  河南省商丘市夏邑县某某乡某某村3组`.
//!
//! A heuristic kept narrow on purpose, since prose is full of place names: the name must be a
//! standalone run of 2–4 Han characters (non-Han on both sides) starting with a common surname,
//! with no address marker in it and not a common word; the address must follow on the same line
//! within [`REACH`] characters, as one run of Han characters and digits holding at least two
//! address markers, one of them below the county (乡, 镇, 村, 组, 路, 街, 号 …), and ending with
//! one of those. A name with only a city after it (`张三 郑州市`) is not a finding, nor is prose
//! going on past the place (`张三 为某某县某某乡乡长`).

use crate::Raw;
use crate::{FindingKind, masked_range};

/// How many characters after the name the address may start.
const REACH: usize = 40;

/// Common single-character surnames. Characters that are far more
/// often the start of a common word than a surname in official text (文, 时, 方 …) are left out.
const SURNAMES: &str = "张许付闫段雷毛武向葛邢庞聂耿焦柳祁滕屈饶丁万严丛乔于任伍何余侯俞倪傅冉冯凌刘卢史叶吕吴周唐夏姚姜孔孙孟宋尹岑崔左廖彭徐戴易曹曾朱李杜杨林柏柯梁欧殷毕江汤汪沈温潘熊牛狄王田白皮石祝秦章童符管米罗肖胡舒范苏苗茅莫萧董蒋蔡薛蓝袁覃谢谭贺贾赵邓邱邵邹郑郝郭金钟钱阎陆陈陶韦韩顾颜马高魏黄黎齐龙龚";

/// Compound surnames (复姓).
const COMPOUND: [&str; 12] = [
    "上官", "东方", "令狐", "公孙", "司徒", "司马", "夏侯", "尉迟", "慕容", "欧阳", "皇甫", "诸葛",
];

/// Two-character starts of common words that begin with a surname character.
const NOT_NAMES: [&str; 24] = [
    "于是", "何时", "何处", "余额", "石油", "高速", "高新", "高级", "黄金", "金额", "金融", "钱款",
    "马路", "江河", "温度", "范围", "管理", "管辖", "符合", "童年", "龙头", "任务", "任职", "严格",
];

/// Address markers; `FINE` are those below the county.
const MARKERS: &str = "省市县区乡镇村路街道号组巷弄室栋屯";
const FINE: &str = "乡镇村路街道号组巷弄室栋屯";
/// Levels kept unmasked when an address is masked.
const COARSE: &str = "省市县区";

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

fn is_surname(c: char) -> bool {
    static SORTED: std::sync::LazyLock<Vec<char>> = std::sync::LazyLock::new(|| {
        let mut v: Vec<char> = SURNAMES.chars().collect();
        v.sort_unstable();
        v
    });
    SORTED.binary_search(&c).is_ok()
}

/// Whether `word` is exactly the two characters `a`, `b`.
fn is_pair(word: &str, a: char, b: char) -> bool {
    let mut cs = word.chars();
    cs.next() == Some(a) && cs.next() == Some(b) && cs.next().is_none()
}

/// Characters of the name kept when masked (the surname), if `name` can be a name.
fn name_shape(name: &[char]) -> Option<usize> {
    if !(2..=4).contains(&name.len()) || name.iter().any(|&c| MARKERS.contains(c)) {
        return None;
    }
    let (a, b) = (name[0], name[1]);
    if NOT_NAMES.iter().any(|w| is_pair(w, a, b)) {
        return None;
    }
    if name.len() >= 3 && COMPOUND.iter().any(|w| is_pair(w, a, b)) {
        return Some(2);
    }
    (is_surname(a) && name.len() <= 3).then_some(1)
}

/// Finds names next to addresses. `numbers` (sorted) are masked inside the span's mask.
pub(crate) fn scan(text: &str, chars: &[(usize, char)], numbers: &[Raw]) -> Vec<Raw> {
    let mut out = Vec::new();
    let n = chars.len();
    let end_of = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    let mut i = 0;
    while i < n {
        if !is_han(chars[i].1) {
            i += 1;
            continue;
        }
        // A Han run starts here (the previous char, if any, is not Han): only runs of 2–4
        // characters starting with a surname can be names.
        let mut j = i + 1;
        while j < n && is_han(chars[j].1) {
            j += 1;
        }
        if !(2..=4).contains(&(j - i)) || !is_surname_start(chars[i].1) {
            i = j;
            continue;
        }
        let mut name = ['\0'; 4];
        for (slot, &(_, c)) in name.iter_mut().zip(&chars[i..j]) {
            *slot = c;
        }
        let name = &name[..j - i];
        let Some(keep) = name_shape(name) else {
            i = j;
            continue;
        };
        match address_after(chars, j) {
            Some((a, b)) => {
                let (start, end) = (chars[i].0, end_of(b));
                let mut masked: String = name[..keep].iter().collect();
                masked.extend(std::iter::repeat_n('*', name.len() - keep));
                let spans = numbers
                    .iter()
                    .filter(|r| r.start >= chars[j].0 && r.end <= chars[a].0)
                    .map(|r| (r.start, r.end, r.masked.as_str()));
                masked.push_str(&masked_range(text, chars[j].0, chars[a].0, spans));
                masked.push_str(&mask_address(&chars[a..b]));
                out.push(Raw {
                    kind: FindingKind::NameWithAddress,
                    start,
                    end,
                    masked,
                    suspect: false,
                });
                i = b;
            }
            None => i = j,
        }
    }
    out
}

fn is_surname_start(c: char) -> bool {
    is_surname(c) || COMPOUND.iter().any(|w| w.starts_with(c))
}

/// The address run (char indices `a..b`) starting within [`REACH`] characters after `from`, on
/// the same line.
fn address_after(chars: &[(usize, char)], from: usize) -> Option<(usize, usize)> {
    let n = chars.len();
    let mut k = from;
    while k < n && k < from + REACH {
        let c = chars[k].1;
        if c == '\n' {
            return None;
        }
        if !is_han(c) {
            k += 1;
            continue;
        }
        let a = k;
        let mut markers = 0;
        let mut fine = false;
        while k < n && (is_han(chars[k].1) || chars[k].1.is_ascii_digit() || chars[k].1 == '-') {
            let c = chars[k].1;
            if k > a && MARKERS.contains(c) {
                markers += 1;
                fine |= FINE.contains(c);
            }
            k += 1;
        }
        // An address ends at its finest level (…村, …3组, …12号); a run going on past its
        // markers is prose about a place (为某某县某某乡乡长, 到某某乡某某村调研).
        let ends_fine = FINE.contains(chars[k - 1].1);
        if markers >= 2 && fine && ends_fine {
            return Some((a, k));
        }
    }
    None
}

/// Keeps the leading 省/市/县/区 levels (and any 住/住址 word before them), stars the rest.
fn mask_address(addr: &[(usize, char)]) -> String {
    let mut keep = 0;
    for (k, &(_, c)) in addr.iter().enumerate() {
        if FINE.contains(c) {
            break;
        }
        if COARSE.contains(c) {
            keep = k + 1;
        }
    }
    let mut s: String = addr[..keep].iter().map(|&(_, c)| c).collect();
    s.extend(std::iter::repeat_n('*', addr.len() - keep));
    s
}
