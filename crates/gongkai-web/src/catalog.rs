//! The portal's vocabularies: the fifteen items of Regulation Art. 20 (the 法定主动公开内容
//! categories, with the keys the search index and the API use), and the Chinese labels of stored
//! keys (有效性, document kinds, application statuses, delivery forms).

/// One item of Art. 20: its number (1–15), the key used in URLs, the API and the search index,
/// and its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Category {
    /// The item's number in Art. 20.
    pub number: i64,
    /// Key for `?category=`.
    pub key: &'static str,
    /// Chinese label.
    pub label: &'static str,
}

impl Category {
    /// The item's number as the Regulation writes it: 一 … 十五.
    pub fn numeral(&self) -> &'static str {
        const N: [&str; 15] = [
            "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三",
            "十四", "十五",
        ];
        usize::try_from(self.number - 1)
            .ok()
            .and_then(|i| N.get(i))
            .copied()
            .unwrap_or("")
    }
}

/// The fifteen items of Art. 20, in order.
pub const CATEGORIES: [Category; 15] = [
    Category {
        number: 1,
        key: "regulations",
        label: "行政法规、规章和规范性文件",
    },
    Category {
        number: 2,
        key: "organization",
        label: "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    },
    Category {
        number: 3,
        key: "planning",
        label: "国民经济和社会发展规划、专项规划、区域规划及相关政策",
    },
    Category {
        number: 4,
        key: "statistics",
        label: "国民经济和社会发展统计信息",
    },
    Category {
        number: 5,
        key: "licensing",
        label: "行政许可和其他对外管理服务事项",
    },
    Category {
        number: 6,
        key: "penalty",
        label: "行政处罚、行政强制",
    },
    Category {
        number: 7,
        key: "budget",
        label: "财政预算、决算信息",
    },
    Category {
        number: 8,
        key: "fees",
        label: "行政事业性收费项目及其依据、标准",
    },
    Category {
        number: 9,
        key: "procurement",
        label: "政府集中采购项目的目录、标准及实施情况",
    },
    Category {
        number: 10,
        key: "projects",
        label: "重大建设项目的批准和实施情况",
    },
    Category {
        number: 11,
        key: "livelihood",
        label: "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    },
    Category {
        number: 12,
        key: "emergencies",
        label: "突发公共事件的应急预案、预警信息及应对情况",
    },
    Category {
        number: 13,
        key: "supervision",
        label: "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    },
    Category {
        number: 14,
        key: "recruitment",
        label: "公务员招考的职位、名额、报考条件等事项以及录用结果",
    },
    Category {
        number: 15,
        key: "other",
        label: "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
    },
];

/// The category of an Art. 20 item number.
pub fn category_by_number(n: i64) -> Option<&'static Category> {
    CATEGORIES.iter().find(|c| c.number == n)
}

/// The category with this key (or this number written as digits).
pub fn category_by_key(key: &str) -> Option<&'static Category> {
    let key = key.trim();
    CATEGORIES
        .iter()
        .find(|c| c.key == key || key.parse::<i64>().is_ok_and(|n| n == c.number))
}

/// 有效性 label of a stored key.
pub fn validity_label(key: &str) -> &'static str {
    match key {
        "in_force" => "有效",
        "amended" => "已修改",
        "repealed" => "已废止",
        "expired" => "已失效",
        _ => "—",
    }
}

/// Label of a document kind.
pub fn doc_type_label(key: &str) -> &'static str {
    match key {
        "regulation" => "规章",
        "normative_document" => "规范性文件",
        "interpretation" => "政策解读",
        _ => "其他",
    }
}

/// The forms of delivery an applicant can ask for: (key, label).
pub const DELIVERIES: [(&str, &str); 3] = [
    ("electronic", "电子数据（电子邮件等）"),
    ("paper", "纸质文本（邮寄）"),
    ("inspection", "当场查阅、抄录"),
];

/// Label of a delivery form.
pub fn delivery_label(key: &str) -> &'static str {
    DELIVERIES
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("—", |(_, l)| l)
}

/// The identity documents the form offers.
pub const ID_TYPES: [&str; 5] = [
    "居民身份证",
    "护照",
    "港澳台居民居住证",
    "统一社会信用代码证",
    "其他有效证件",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_numbered_and_keyed_uniquely() {
        for (i, c) in CATEGORIES.iter().enumerate() {
            assert_eq!(c.number, i as i64 + 1);
            assert_eq!(category_by_key(c.key), Some(c));
            assert_eq!(category_by_key(&c.number.to_string()), Some(c));
        }
        assert_eq!(category_by_key("nope"), None);
    }
}
