//! The index schema and the Chinese text analyzer.
//!
//! The schema is private to this crate: callers speak [`crate::ItemDoc`] and [`crate::Hit`]. A
//! change here changes the on-disk format, so bump [`SCHEMA_VERSION`] and rebuild the index
//! from the database (the index is a cache of the published items, never the source of truth).

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy_jieba::JiebaTokenizer;

/// Version of the field layout below; written next to an on-disk index so that an index made
/// by an older build is recognised and rebuilt instead of half-read.
pub(crate) const SCHEMA_VERSION: u32 = 2;

/// Name under which the jieba analyzer is registered with each index.
pub(crate) const JIEBA: &str = "gongkai_jieba";

/// Handles of every field, resolved once when the index is opened.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields {
    /// Database id of the item: the key for upsert and delete.
    pub id: Field,
    /// 索引号, stored raw for display and exact lookups.
    pub index_no: Field,
    /// 名称: tokenized (for its ranking boost) and stored (shown and highlighted).
    pub title: Field,
    /// 内容概述: stored only (fallback snippet); searched through [`Fields::text`].
    pub summary: Field,
    /// Full text: stored only (snippets are cut from it); searched through [`Fields::text`].
    pub body: Field,
    /// Everything searchable in one tokenized, unstored field: 名称, 内容概述, body, 索引号,
    /// 文号 and 发布机构. Every query word must occur here; see `query::build` for why one
    /// field and not one per part.
    pub text: Field,
    /// Art. 20 category key, raw: a filter and a fast field.
    pub category: Field,
    /// 发布机构 name as shown in results.
    pub agency: Field,
    /// 发布机构 id: a filter.
    pub agency_id: Field,
    /// Year of 发布日期: a filter.
    pub year: Field,
    /// 发布日期 as days since 0001-01-01 (CE): the recency tie-break.
    pub published: Field,
    /// The item's page on the portal.
    pub url: Field,
}

/// Fast-field name of [`Fields::published`], used by the sort key.
pub(crate) const PUBLISHED: &str = "published";

/// Builds the schema and the field handles together, so they cannot disagree.
pub(crate) fn build_schema() -> (Schema, Fields) {
    // Frequencies without positions: ranking needs term frequencies, and no query we build is
    // a phrase query, so positions would only make the index bigger and slower to build.
    let text_indexing = TextFieldIndexing::default()
        .set_tokenizer(JIEBA)
        .set_index_option(IndexRecordOption::WithFreqs);
    let title_options = TextOptions::default()
        .set_indexing_options(text_indexing.clone())
        .set_stored();
    let text_options = TextOptions::default().set_indexing_options(text_indexing);

    let mut b = Schema::builder();
    let fields = Fields {
        id: b.add_i64_field("id", INDEXED | STORED | FAST),
        index_no: b.add_text_field("index_no", STRING | STORED),
        title: b.add_text_field("title", title_options),
        summary: b.add_text_field("summary", STORED),
        body: b.add_text_field("body", STORED),
        text: b.add_text_field("text", text_options),
        category: b.add_text_field("category", STRING | STORED | FAST),
        agency: b.add_text_field("agency", STORED),
        agency_id: b.add_i64_field("agency_id", INDEXED | STORED | FAST),
        year: b.add_i64_field("year", INDEXED | FAST),
        published: b.add_i64_field(PUBLISHED, INDEXED | STORED | FAST),
        url: b.add_text_field("url", STORED),
    };
    (b.build(), fields)
}

/// The analyzer used for every tokenized field, at index time and at query time.
///
/// jieba in search mode emits each dictionary word and also its 2- and 3-character
/// sub-words (规范性文件 → 规范, 规范性, 文件, …), so a query for a shorter word still finds a
/// longer compound. Tokens without a letter or digit (spaces, punctuation) are dropped, ASCII
/// is lower-cased so `ABC` finds `abc`, and absurdly long tokens are cut off.
pub(crate) fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(JiebaTokenizer::new())
        .filter(WordOnlyFilter)
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .build()
}

/// Drops tokens that contain no alphanumeric character (CJK ideographs count as alphabetic).
///
/// tantivy's own `AlphaNumOnlyFilter` keeps only ASCII tokens, which would drop all Chinese.
#[derive(Clone, Copy, Debug)]
pub(crate) struct WordOnlyFilter;

impl TokenFilter for WordOnlyFilter {
    type Tokenizer<T: Tokenizer> = WordOnlyWrapper<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> WordOnlyWrapper<T> {
        WordOnlyWrapper(tokenizer)
    }
}

/// The tokenizer produced by [`WordOnlyFilter`].
#[derive(Clone, Debug)]
pub(crate) struct WordOnlyWrapper<T>(T);

impl<T: Tokenizer> Tokenizer for WordOnlyWrapper<T> {
    type TokenStream<'a> = WordOnlyStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        WordOnlyStream(self.0.token_stream(text))
    }
}

/// The token stream produced by [`WordOnlyWrapper`].
pub(crate) struct WordOnlyStream<S>(S);

impl<S: TokenStream> TokenStream for WordOnlyStream<S> {
    fn advance(&mut self) -> bool {
        while self.0.advance() {
            if self.0.token().text.chars().any(char::is_alphanumeric) {
                return true;
            }
        }
        false
    }

    fn token(&self) -> &Token {
        self.0.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.0.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        let mut analyzer = analyzer();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(t.text.clone());
        }
        out
    }

    #[test]
    fn search_mode_emits_sub_words_and_drops_punctuation() {
        let t = tokens("关于加强规范性文件管理的通知（试行）");
        assert!(t.contains(&"规范".to_string()), "{t:?}");
        assert!(t.contains(&"文件".to_string()), "{t:?}");
        assert!(!t.iter().any(|w| w == "（" || w == "）"), "{t:?}");
    }

    #[test]
    fn ascii_is_lower_cased() {
        assert_eq!(tokens("PDF AND Word"), vec!["pdf", "and", "word"]);
    }
}
