//! The 目录 fields of the drafting form (《政府信息公开目录系统实施指引》): 公开类别 (the item of
//! Art. 20 it fulfils, required for 主动公开), 主题分类 (the fixed list in
//! [`gongkai_law::TOPICS`]), 主题词, 成文日期 (Beijing date, today by default, never in the
//! future), 有效性 (有效, 已修改 or 已失效; 已废止 is its own step) and, for a 政策解读, the
//! published document it explains. 发布机构 is not a field: it is the drafting agency. The same
//! fields sit on the drafting form, the edit form of a returned item and the revision form of a
//! published one (prefilled with the item's or the revision's values). Parsed and checked here
//! so the publishing handlers stay small.

use chrono::NaiveDate;
use gongkai_store::models::proactive_item::DocType;
use gongkai_store::models::{ProactiveItem, proactive_item};
use gongkai_store::views::portal::{self as views, ItemFilter};
use serde::Deserialize;

use crate::catalog::{CATEGORIES, Category};
use crate::{AppState, PageError};

/// The fields as posted (all text; checked by [`MetaForm::check`]).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MetaForm {
    /// 公开类别: 1–15.
    #[serde(default)]
    pub art20: String,
    /// 主题分类: one of the fixed list.
    #[serde(default)]
    pub topic: String,
    /// 主题词, space-separated.
    #[serde(default)]
    pub keywords: String,
    /// 成文日期, `YYYY-MM-DD`; empty means today.
    #[serde(default)]
    pub written_on: String,
    /// For a 解读: the id of the document it explains.
    #[serde(default)]
    pub interprets: String,
    /// 有效性: `in_force` (the default), `amended` or `expired`.
    #[serde(default)]
    pub validity: String,
}

/// The checked fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemMeta {
    /// 公开类别
    pub art20: i64,
    /// 主题分类
    pub topic: &'static str,
    /// 主题词
    pub keywords: String,
    /// 成文日期
    pub written_on: NaiveDate,
    /// The document a 解读 explains.
    pub interprets: Option<i64>,
    /// 有效性
    pub validity: &'static str,
}

impl ItemMeta {
    /// The fields as the store writes them with an edit or a revision.
    pub fn to_edit(&self) -> gongkai_store::models::publishing::MetaEdit {
        gongkai_store::models::publishing::MetaEdit {
            art20_item: self.art20,
            topic: self.topic.to_string(),
            keywords: self.keywords.clone(),
            written_on: self.written_on,
            validity: self.validity.to_string(),
            interprets: self.interprets,
        }
    }
}

impl MetaForm {
    /// Checks the fields of an item of kind `doc_type` drafted on `today` (Beijing) with
    /// `body`: every refusal names its field in Chinese.
    pub fn check(
        &self,
        doc_type: DocType,
        body: &str,
        today: NaiveDate,
    ) -> Result<ItemMeta, PageError> {
        let art20 = self
            .art20
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=15).contains(n))
            .ok_or_else(|| {
                PageError::unprocessable(
                    "请选择“公开类别”（《政府信息公开条例》第二十条所列事项）。",
                )
            })?;
        let topic = gongkai_law::Topic::parse(&self.topic)
            .ok_or_else(|| PageError::unprocessable("请选择“主题分类”。"))?
            .label();
        let keywords = self
            .keywords
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if keywords.chars().count() > 100 {
            return Err(PageError::unprocessable("“主题词”不能超过100个字。"));
        }
        let written_on = match self.written_on.trim() {
            "" => today,
            s => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| PageError::unprocessable("“成文日期”须为有效日期，如 2026-03-02。"))?,
        };
        if written_on > today {
            return Err(PageError::unprocessable("“成文日期”不能晚于今天。"));
        }
        if doc_type == DocType::NormativeDocument && body.trim().is_empty() {
            return Err(PageError::unprocessable("规范性文件须填写“正文”。"));
        }
        let interprets = if doc_type == DocType::Interpretation {
            Some(
                self.interprets
                    .trim()
                    .parse::<i64>()
                    .map_err(|_| PageError::unprocessable("政策解读须选择“所解读的文件”。"))?,
            )
        } else {
            None
        };
        let validity = match self.validity.trim() {
            "" => "in_force",
            v => gongkai_store::models::publishing::EDITABLE_VALIDITY
                .into_iter()
                .find(|k| *k == v)
                .ok_or_else(|| {
                    PageError::unprocessable(
                        "“有效性”只能选择有效、已修改或已失效（废止请用“废止”操作）。",
                    )
                })?,
        };
        Ok(ItemMeta {
            art20,
            topic,
            keywords,
            written_on,
            interprets,
            validity,
        })
    }
}

/// Refuses a 解读 whose document is not a published item of `root`'s subtree or that would be
/// dated before it; returns the document.
pub async fn check_document(
    state: &AppState,
    root: i64,
    meta: &ItemMeta,
) -> Result<Option<ProactiveItem>, PageError> {
    let Some(id) = meta.interprets else {
        return Ok(None);
    };
    let document = views::published_item(&state.store, root, id)
        .await?
        .ok_or_else(|| PageError::unprocessable("“所解读的文件”须为已公开的信息。"))?;
    if let Some(on) = document.published_on.or(document.written_on)
        && meta.written_on < on
    {
        return Err(PageError::unprocessable(format!(
            "解读的“成文日期”（{}）早于所解读的文件（{}），不能提交。",
            meta.written_on, on
        )));
    }
    Ok(Some(document))
}

/// A published document a 解读 may explain.
#[derive(Debug, Clone)]
pub struct DocumentChoice {
    /// Item id.
    pub id: i64,
    /// 名称 with its 文号 and 发布日期.
    pub label: String,
}

/// The values the fields start with: a new draft's defaults, or an item's or revision's own.
#[derive(Debug, Clone, Default)]
pub struct MetaValues {
    /// 公开类别 (0: none chosen).
    pub art20: i64,
    /// 主题分类 (empty: none chosen).
    pub topic: String,
    /// 主题词
    pub keywords: String,
    /// 成文日期, `YYYY-MM-DD`.
    pub written_on: String,
    /// The explained document's id (0: none).
    pub interprets: i64,
    /// 有效性 key.
    pub validity: String,
}

impl MetaValues {
    /// The values a revision set, or else those of the item (and the document it explains).
    pub async fn of(
        state: &AppState,
        item: &ProactiveItem,
        revision: Option<i64>,
    ) -> Result<MetaValues, PageError> {
        if let Some(r) = revision
            && let Some(m) =
                gongkai_store::models::publishing::revision_meta(&state.store, r).await?
        {
            return Ok(MetaValues {
                art20: m.art20_item,
                topic: m.topic,
                keywords: m.keywords,
                written_on: m.written_on.format("%Y-%m-%d").to_string(),
                interprets: m.interprets.unwrap_or_default(),
                validity: m.validity,
            });
        }
        let explained = proactive_item::documents_explained_by(&state.store, item.id).await?;
        Ok(MetaValues {
            art20: item.art20_item.unwrap_or_default(),
            topic: item.topic.clone(),
            keywords: item.keywords.clone(),
            written_on: item
                .written_on
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            interprets: explained.first().map_or(0, |d| d.id),
            validity: item.validity.clone(),
        })
    }
}

/// The 有效性 values a form offers: (key, label).
pub const VALIDITY_CHOICES: [(&str, &str); 3] = [
    ("in_force", "有效"),
    ("amended", "已修改"),
    ("expired", "已失效"),
];

/// What the form offers: the 15 categories, the topics, the documents to explain and today.
#[derive(Debug, Clone)]
pub struct MetaChoices {
    /// 公开类别
    pub categories: &'static [Category],
    /// 主题分类
    pub topics: &'static [&'static str],
    /// Published 规章 and 规范性文件, newest first.
    pub documents: Vec<DocumentChoice>,
    /// Today in Beijing, the latest 成文日期.
    pub today: String,
    /// 有效性 choices.
    pub validities: &'static [(&'static str, &'static str)],
    /// What the fields start with.
    pub current: MetaValues,
}

/// The choices of the form for a user drafting in `root`'s subtree.
pub async fn choices(
    state: &AppState,
    root: i64,
    today: NaiveDate,
) -> Result<MetaChoices, PageError> {
    let mut documents = Vec::new();
    for kind in [DocType::NormativeDocument, DocType::Regulation] {
        let filter = ItemFilter {
            doc_type: Some(kind.key().to_string()),
            ..ItemFilter::default()
        };
        let page = views::list_items(&state.store, root, &filter, 200, 0).await?;
        documents.extend(page.items.into_iter().map(|i| DocumentChoice {
            id: i.id,
            label: format!(
                "{}{}（{}）",
                i.title,
                i.doc_number
                    .as_deref()
                    .map(|n| format!(" {n}"))
                    .unwrap_or_default(),
                crate::fmt::fmt_date(i.published_on)
            ),
        }));
    }
    let today = today.format("%Y-%m-%d").to_string();
    Ok(MetaChoices {
        categories: &CATEGORIES,
        topics: &gongkai_law::TOPICS,
        documents,
        validities: &VALIDITY_CHOICES,
        current: MetaValues {
            written_on: today.clone(),
            validity: "in_force".to_string(),
            ..MetaValues::default()
        },
        today,
    })
}

/// Records 主题词 and the 解读 link of a new draft.
pub async fn record(
    state: &AppState,
    actor: &str,
    id: i64,
    meta: &ItemMeta,
) -> Result<(), PageError> {
    proactive_item::describe_draft(
        &state.store,
        actor,
        id,
        &meta.keywords,
        meta.interprets,
        meta.validity,
    )
    .await
    .map_err(PageError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn form(art20: &str, topic: &str, written_on: &str, interprets: &str) -> MetaForm {
        MetaForm {
            art20: art20.into(),
            topic: topic.into(),
            keywords: "  低保   公示 ".into(),
            written_on: written_on.into(),
            interprets: interprets.into(),
            validity: String::new(),
        }
    }

    #[test]
    fn every_field_is_checked_and_named() {
        let today = day("2026-03-02");
        let ok = form("11", "民政、扶贫、救灾", "", "")
            .check(DocType::Other, "正文", today)
            .unwrap();
        assert_eq!(
            (ok.art20, ok.topic, ok.keywords.as_str(), ok.written_on),
            (11, "民政、扶贫、救灾", "低保 公示", today)
        );
        for (f, kind, body, field) in [
            (
                form("", "综合政务", "", ""),
                DocType::Other,
                "x",
                "公开类别",
            ),
            (
                form("16", "综合政务", "", ""),
                DocType::Other,
                "x",
                "公开类别",
            ),
            (
                form("1", "政务公开", "", ""),
                DocType::Other,
                "x",
                "主题分类",
            ),
            (
                form("1", "综合政务", "2026-3-40", ""),
                DocType::Other,
                "x",
                "成文日期",
            ),
            (
                form("1", "综合政务", "2026-03-03", ""),
                DocType::Other,
                "x",
                "成文日期",
            ),
            (
                form("1", "综合政务", "", ""),
                DocType::NormativeDocument,
                " ",
                "正文",
            ),
            (
                form("1", "综合政务", "", ""),
                DocType::Interpretation,
                "x",
                "所解读的文件",
            ),
        ] {
            let e = f.check(kind, body, today).unwrap_err();
            assert_eq!(e.status, axum::http::StatusCode::UNPROCESSABLE_ENTITY);
            assert!(e.message.contains(field), "{field}: {}", e.message);
        }
        let interp = form("1", "综合政务", "2026-03-01", "7")
            .check(DocType::Interpretation, "x", today)
            .unwrap();
        assert_eq!(interp.interprets, Some(7));
    }
}
