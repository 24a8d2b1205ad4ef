//! 主题分类: the subject classes of a government information item in the 政府信息公开目录.
//!
//! Source: the 22 top-level 主题分类 of the State Council's policy document library on the
//! Central Government portal (中国政府网「国务院政策文件库」, www.gov.cn/zhengce/, field
//! 「主题分类」), the national classification that county and township 目录 follow. Only the
//! top level is fixed here; a portal may show finer sub-classes under these as text.

use serde::{Deserialize, Serialize};

/// The 22 top-level 主题分类, in the order the library lists them.
pub const TOPICS: [&str; 22] = [
    "国务院组织机构",
    "综合政务",
    "国民经济管理、国有资产监管",
    "财政、金融、审计",
    "国土资源、能源",
    "农业、林业、水利",
    "工业、交通",
    "商贸、海关、旅游",
    "市场监管、安全生产监管",
    "城乡建设、环境保护",
    "科技、教育",
    "文化、广电、新闻出版",
    "卫生、体育",
    "人口与计划生育、妇女儿童工作",
    "劳动、人事、监察",
    "公安、安全、司法",
    "民政、扶贫、救灾",
    "民族、宗教",
    "对外事务",
    "港澳台侨工作",
    "国防",
    "其他",
];

/// A 主题分类 that is one of [`TOPICS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Topic(&'static str);

impl Topic {
    /// The class named `label` exactly, if it is one of the list.
    pub fn parse(label: &str) -> Option<Topic> {
        TOPICS
            .iter()
            .find(|t| **t == label.trim())
            .map(|t| Topic(t))
    }

    /// Every class, in order.
    pub fn all() -> impl Iterator<Item = Topic> {
        TOPICS.iter().map(|t| Topic(t))
    }

    /// The label, as stored and printed.
    pub fn label(self) -> &'static str {
        self.0
    }
}

impl TryFrom<String> for Topic {
    type Error = String;
    fn try_from(s: String) -> Result<Topic, String> {
        Topic::parse(&s).ok_or_else(|| format!("不是政府信息公开主题分类：{s}"))
    }
}

impl From<Topic> for String {
    fn from(t: Topic) -> String {
        t.0.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_two_distinct_classes_that_parse_back() {
        let mut seen = std::collections::HashSet::new();
        for t in Topic::all() {
            assert!(seen.insert(t.label()));
            assert_eq!(Topic::parse(t.label()), Some(t));
        }
        assert_eq!(seen.len(), 22);
        assert_eq!(
            Topic::parse("综合政务 ").map(Topic::label),
            Some("综合政务")
        );
        assert_eq!(
            Topic::parse("政务公开"),
            None,
            "a sub-class is not a top class"
        );
    }
}
