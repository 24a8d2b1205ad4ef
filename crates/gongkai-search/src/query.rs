//! What a visitor asks for ([`Query`]) and how it becomes a tantivy query.
//!
//! We build the tantivy query ourselves instead of handing the text to tantivy's query parser:
//! visitors type Chinese without spaces, paste 文号 with brackets, and leave quotes open.
//! Nothing they type is syntax here, so no input can make a search fail.

use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, TermQuery, TermSetQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term, query::Query as TantivyQuery};

use crate::schema::Fields;

/// Results per page when the caller asks for 0.
pub const DEFAULT_PER_PAGE: usize = 10;
/// Largest page a caller can ask for; bigger requests are cut to this.
pub const MAX_PER_PAGE: usize = 100;
/// Deepest result that can be paged to (like Elasticsearch's `max_result_window`): collecting
/// top-N costs memory in N, so a page number from a URL must not choose N freely.
pub const MAX_RESULT_WINDOW: usize = 10_000;
/// Characters of query text that are looked at; the rest is ignored (a pasted page of text
/// would otherwise become a query of hundreds of clauses).
pub const MAX_QUERY_CHARS: usize = 100;
/// Words of a query that are looked at, for the same reason.
const MAX_WORDS: usize = 16;

/// Weight of a word's match in the 名称, added to its match anywhere: a word in the title
/// says more than the same word deep in the body.
const TITLE_BOOST: f32 = 2.0;

/// Function words that match nearly every document; dropped from a query unless the query
/// consists of nothing else.
const STOP_WORDS: &[&str] = &["的", "了", "和", "与", "及", "之", "或", "是", "在"];

/// A search request, as the portal's `/search?q=` page and
/// `GET /api/v1/documents?q=&category=&agency=&page=` receive it.
///
/// `text` is free text: every word must occur somewhere in the item (名称, 内容概述, body,
/// 索引号, 文号 or 发布机构); there is no operator syntax. An empty `text` with at least one
/// filter lists the filtered items, newest first; an empty `text` without filters finds
/// nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// What the visitor typed.
    pub text: String,
    /// Only items of this Art. 20 category key.
    pub category: Option<String>,
    /// Only items published by this agency (发布机构 id).
    pub agency_id: Option<i64>,
    /// Only items published by one of these agencies: the subtree of the site searched, when
    /// the index holds the items of several sites (a 集约化 platform). A scope, not a filter
    /// the visitor chose: with an empty text it finds nothing by itself.
    pub within: Option<Vec<i64>>,
    /// Only items whose 发布日期 falls in this year.
    pub year: Option<i32>,
    /// 1-based page number; 0 is read as 1.
    pub page: usize,
    /// Hits per page; 0 means [`DEFAULT_PER_PAGE`], more than [`MAX_PER_PAGE`] is cut.
    pub per_page: usize,
    /// The order of the hits.
    pub sort: SortOrder,
}

/// The order of search hits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// Best match first; equal scores newest first.
    #[default]
    Relevance,
    /// Newest 发布日期 first; equal dates best match first.
    Newest,
}

impl Query {
    /// A first-page query for `text` with no filters.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            ..Self::default()
        }
    }

    /// Restricts to one Art. 20 category key.
    #[must_use]
    pub fn category(mut self, key: impl Into<String>) -> Self {
        self.category = Some(key.into());
        self
    }

    /// Restricts to one 发布机构.
    #[must_use]
    pub fn agency_id(mut self, id: i64) -> Self {
        self.agency_id = Some(id);
        self
    }

    /// Restricts to the items of these agencies (a site's subtree).
    #[must_use]
    pub fn within(mut self, agencies: Vec<i64>) -> Self {
        self.within = Some(agencies);
        self
    }

    /// Restricts to one publication year.
    #[must_use]
    pub fn year(mut self, year: i32) -> Self {
        self.year = Some(year);
        self
    }

    /// Orders the hits.
    #[must_use]
    pub fn sort(mut self, sort: SortOrder) -> Self {
        self.sort = sort;
        self
    }

    /// Selects a page (1-based) and its size.
    #[must_use]
    pub fn page(mut self, page: usize, per_page: usize) -> Self {
        self.page = page;
        self.per_page = per_page;
        self
    }

    /// The `(offset, limit)` this query asks for, after applying the defaults and caps.
    pub(crate) fn window(&self) -> (usize, usize) {
        let per_page = match self.per_page {
            0 => DEFAULT_PER_PAGE,
            n => n.min(MAX_PER_PAGE),
        };
        let offset = self.page.max(1).saturating_sub(1).saturating_mul(per_page);
        (offset, per_page)
    }

    fn has_filter(&self) -> bool {
        self.category.is_some() || self.agency_id.is_some() || self.year.is_some()
    }
}

/// A word of the query as jieba cut it, with shorter dictionary words that cover it without
/// overlapping (possibly leaving characters uncovered: 规范性 → 规范).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryWord {
    pub word: String,
    pub parts: Vec<String>,
}

/// Cuts query text into words, the same way documents were cut.
///
/// The analyzer runs in jieba's search mode, which emits each word followed by its sub-words.
/// A token whose character span lies strictly inside another token's span is a sub-word; the
/// others are the words the visitor meant. Keeping both lets a word match either as itself or
/// through all its parts, which survives the odd case where jieba cut the document text
/// around it differently than it cut the short query.
pub(crate) fn query_words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<QueryWord> {
    let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
    let mut tokens: Vec<(usize, usize, String)> = Vec::new();
    let mut stream = analyzer.token_stream(&text);
    while let Some(t) = stream.next() {
        tokens.push((t.position, t.position + t.position_length, t.text.clone()));
    }
    let inside = |a: &(usize, usize, String), b: &(usize, usize, String)| {
        b.0 <= a.0 && a.1 <= b.1 && (b.1 - b.0) > (a.1 - a.0)
    };
    let mut words: Vec<QueryWord> = Vec::new();
    for tok in &tokens {
        if tokens.iter().any(|other| inside(tok, other)) {
            continue;
        }
        if words.iter().any(|w| w.word == tok.2) {
            continue;
        }
        // Sub-words overlap (人民政府 → 人民, 民政, 政府); keep a left-to-right cover without
        // overlaps (人民, 政府), longest first at each start, so that a fallback to the parts
        // does not demand a stray 民政.
        let mut subs: Vec<&(usize, usize, String)> =
            tokens.iter().filter(|sub| inside(sub, tok)).collect();
        subs.sort_by_key(|s| (s.0, std::cmp::Reverse(s.1)));
        let mut parts: Vec<String> = Vec::new();
        let mut covered_to = tok.0;
        for sub in subs {
            if sub.0 >= covered_to && !parts.contains(&sub.2) {
                parts.push(sub.2.clone());
                covered_to = sub.1;
            }
        }
        words.push(QueryWord {
            word: tok.2.clone(),
            parts,
        });
    }
    if words.iter().any(|w| !STOP_WORDS.contains(&w.word.as_str())) {
        words.retain(|w| !STOP_WORDS.contains(&w.word.as_str()));
    }
    words.truncate(MAX_WORDS);
    words
}

/// Every term worth highlighting: the words and their parts, longest first so that the
/// highlighter prefers 规范性文件 over 规范.
pub(crate) fn highlight_terms(words: &[QueryWord]) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for w in words {
        for t in std::iter::once(&w.word).chain(w.parts.iter()) {
            if !terms.contains(t) {
                terms.push(t.clone());
            }
        }
    }
    terms.sort_by_key(|t| std::cmp::Reverse(t.chars().count()));
    terms
}

/// Builds the tantivy query, or `None` when the request can match nothing (no words and no
/// filters), which the caller answers with an empty page without touching the index.
///
/// The shape is chosen for speed on a million items: each word is one required term in the
/// catch-all `text` field, so matching is an intersection of plain posting lists (which skips
/// through the long lists of common words) rather than of per-field unions; the same word in
/// the 名称 is an optional clause that only adds to the score of documents already matched.
/// A word that occurs nowhere in the index (jieba cut the documents around it differently
/// than it cut the short query) is replaced by all of its sub-words.
pub(crate) fn build(
    fields: &Fields,
    searcher: &Searcher,
    words: &[QueryWord],
    q: &Query,
) -> Result<Option<Box<dyn TantivyQuery>>, tantivy::TantivyError> {
    if words.is_empty() && !q.has_filter() {
        return Ok(None);
    }
    let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
    for w in words {
        let whole = Term::from_field_text(fields.text, &w.word);
        let use_parts = !w.parts.is_empty() && searcher.doc_freq(&whole)? == 0;
        if use_parts {
            for p in &w.parts {
                push_word(fields, &mut clauses, p);
            }
        } else {
            push_word(fields, &mut clauses, &w.word);
        }
    }
    // Filters match or not: a constant score of zero keeps them out of the ranking.
    let mut filter = |term: Term| {
        let tq = TermQuery::new(term, IndexRecordOption::Basic);
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(tq), 0.0)),
        ));
    };
    if let Some(c) = &q.category {
        filter(Term::from_field_text(fields.category, c));
    }
    if let Some(a) = q.agency_id {
        filter(Term::from_field_i64(fields.agency_id, a));
    }
    if let Some(y) = q.year {
        filter(Term::from_field_i64(fields.year, i64::from(y)));
    }
    if let Some(agencies) = &q.within {
        let terms = agencies
            .iter()
            .map(|a| Term::from_field_i64(fields.agency_id, *a));
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(
                Box::new(TermSetQuery::new(terms)),
                0.0,
            )),
        ));
    }
    Ok(Some(Box::new(BooleanQuery::new(clauses))))
}

/// The word required in `text`, and worth more when it is also in the 名称.
fn push_word(fields: &Fields, clauses: &mut Vec<(Occur, Box<dyn TantivyQuery>)>, word: &str) {
    let term = |field: Field| {
        TermQuery::new(
            Term::from_field_text(field, word),
            IndexRecordOption::WithFreqs,
        )
    };
    clauses.push((Occur::Must, Box::new(term(fields.text))));
    clauses.push((
        Occur::Should,
        Box::new(BoostQuery::new(Box::new(term(fields.title)), TITLE_BOOST)),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::analyzer;

    fn words(text: &str) -> Vec<String> {
        query_words(&mut analyzer(), text)
            .into_iter()
            .map(|w| w.word)
            .collect()
    }

    #[test]
    fn compound_word_keeps_its_parts() {
        let w = query_words(&mut analyzer(), "规范性文件");
        assert!(!w.is_empty());
        let all = highlight_terms(&w);
        assert!(all.iter().any(|t| t == "文件"), "{all:?}");
        // Longest first.
        assert!(all[0].chars().count() >= all[all.len() - 1].chars().count());
    }

    #[test]
    fn parts_do_not_overlap() {
        let w = query_words(&mut analyzer(), "夏邑县人民政府");
        let gov = w.iter().find(|w| w.word == "人民政府");
        assert_eq!(
            gov.map(|w| w.parts.clone()),
            Some(vec!["人民".to_string(), "政府".to_string()]),
            "{w:?}"
        );
    }

    #[test]
    fn punctuation_and_quotes_vanish() {
        assert!(words("\"").is_empty());
        assert!(words("(").is_empty());
        assert!(words("  ").is_empty());
        assert_eq!(words("\"教育 (收费"), vec!["教育", "收费"]);
    }

    #[test]
    fn stop_words_dropped_unless_alone() {
        assert_eq!(words("教育的收费"), vec!["教育", "收费"]);
        assert_eq!(words("的"), vec!["的"]);
    }

    #[test]
    fn window_defaults_and_caps() {
        assert_eq!(Query::new("x").window(), (0, 10));
        assert_eq!(Query::new("x").page(0, 0).window(), (0, 10));
        assert_eq!(Query::new("x").page(3, 20).window(), (40, 20));
        assert_eq!(Query::new("x").page(1, 10_000).window(), (0, MAX_PER_PAGE));
        let (offset, _) = Query::new("x").page(usize::MAX, 100).window();
        assert!(offset > MAX_RESULT_WINDOW);
    }

    #[test]
    fn long_text_is_cut() {
        let text = "教育".repeat(1000);
        assert!(query_words(&mut analyzer(), &text).len() <= MAX_WORDS);
    }
}
