//! The editable list of sensitive words (敏感词表).

use crate::{FindingKind, Raw};

/// Words that must not appear in a published item: 密级 marks and distribution notes by
/// default, extended or replaced by the agency's own list.
///
/// Matching is exact (case-sensitive for Latin letters), leftmost-longest, without overlaps:
/// where `秘密★` and `秘密` both are listed, `秘密★1年` is one finding for `秘密★`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordList {
    /// Sorted, deduplicated, no empty word.
    words: Vec<String>,
}

/// The built-in markers. Bare 秘密 is not among them: 国家秘密 and 商业秘密 appear in every
/// 政府信息公开指南 (the Regulation's exemptions), so only the mark 秘密★ is listed.
const DEFAULT_WORDS: [&str; 11] = [
    "绝密",
    "机密",
    "秘密★",
    "内部资料",
    "内部文件",
    "内部使用",
    "注意保密",
    "注意保存",
    "不得外传",
    "严禁外传",
    "请勿外传",
];

impl Default for WordList {
    /// The built-in markers: 绝密, 机密, 秘密★, 内部资料, 内部文件, 内部使用, 注意保密, 注意保存,
    /// 不得外传, 严禁外传, 请勿外传.
    fn default() -> Self {
        let mut list = WordList::empty();
        for w in DEFAULT_WORDS {
            list.add(w);
        }
        list
    }
}

impl WordList {
    /// A list with no word (the scan then looks for numbers and names only).
    pub fn empty() -> Self {
        WordList { words: Vec::new() }
    }

    /// Reads a list: one word per line, surrounding whitespace trimmed, blank lines and lines
    /// starting with `#` skipped.
    pub fn from_lines(text: &str) -> Self {
        let mut list = WordList::empty();
        for line in text.lines() {
            let w = line.trim();
            if !w.is_empty() && !w.starts_with('#') {
                list.add(w);
            }
        }
        list
    }

    /// Adds a word (trimmed); returns false when it was empty or already listed.
    pub fn add(&mut self, word: &str) -> bool {
        let w = word.trim();
        if w.is_empty() {
            return false;
        }
        match self.words.binary_search_by(|x| x.as_str().cmp(w)) {
            Ok(_) => false,
            Err(at) => {
                self.words.insert(at, w.to_owned());
                true
            }
        }
    }

    /// Removes a word (trimmed); returns whether it was listed.
    pub fn remove(&mut self, word: &str) -> bool {
        match self.words.binary_search_by(|x| x.as_str().cmp(word.trim())) {
            Ok(at) => {
                self.words.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    /// Whether a word is listed.
    pub fn contains(&self, word: &str) -> bool {
        self.words
            .binary_search_by(|x| x.as_str().cmp(word.trim()))
            .is_ok()
    }

    /// The words, sorted.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(String::as_str)
    }

    /// The list as [`WordList::from_lines`] reads it back.
    pub fn to_lines(&self) -> String {
        self.words.iter().map(|w| format!("{w}\n")).collect()
    }

    /// Every occurrence, leftmost-longest, not overlapping. `chars` is `text.char_indices()`.
    pub(crate) fn find_all(&self, text: &str, chars: &[(usize, char)]) -> Vec<Raw> {
        let mut out = Vec::new();
        // The distinct first characters, sorted: most positions are rejected by one binary
        // search in a handful of characters, without touching the words.
        let mut firsts: Vec<char> = self.words.iter().filter_map(|w| w.chars().next()).collect();
        firsts.dedup(); // the words are sorted, so equal first characters are adjacent
        // A one-instruction filter before the binary search: bit (c mod 64) of every first
        // character. With a dozen words, most characters of a page fail it.
        let filter = firsts
            .iter()
            .fold(0u64, |m, &c| m | 1 << (u32::from(c) % 64));
        let mut next_free = 0;
        for &(i, c) in chars {
            if filter & (1 << (u32::from(c) % 64)) == 0
                || i < next_free
                || firsts.binary_search(&c).is_err()
            {
                continue;
            }
            let rest = &text[i..];
            // Sorted words starting with `c` are contiguous; take the longest that matches.
            let from = self.words.partition_point(|w| w.chars().next() < Some(c));
            let hit = self.words[from..]
                .iter()
                .take_while(|w| w.starts_with(c))
                .filter(|w| rest.starts_with(w.as_str()))
                .max_by_key(|w| w.len());
            if let Some(w) = hit {
                out.push(Raw {
                    kind: FindingKind::SensitiveWord(w.clone()),
                    start: i,
                    end: i + w.len(),
                    masked: w.clone(),
                    suspect: false,
                });
                next_free = i + w.len();
            }
        }
        out
    }
}
