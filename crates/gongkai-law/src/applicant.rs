//! Applicant kinds (申请人情况): the columns of table 三.

use serde::{Deserialize, Serialize};

/// Who filed an application, as table 三 of the annual report distinguishes them.
///
/// The Regulation (Art. 27) lets citizens, legal persons and other organisations apply; the
/// report splits 法人或其他组织 into five kinds. The order of [`ApplicantKind::ALL`] is the
/// order of the report's columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    /// 自然人
    NaturalPerson,
    /// 商业企业
    Commercial,
    /// 科研机构
    Research,
    /// 社会公益组织
    SocialWelfare,
    /// 法律服务机构
    LegalService,
    /// 其他 (法人或其他组织)
    OtherOrg,
}

impl ApplicantKind {
    /// Every kind, in the order of table 三's columns (总计 follows them).
    pub const ALL: [ApplicantKind; 6] = [
        ApplicantKind::NaturalPerson,
        ApplicantKind::Commercial,
        ApplicantKind::Research,
        ApplicantKind::SocialWelfare,
        ApplicantKind::LegalService,
        ApplicantKind::OtherOrg,
    ];

    /// The column label as the form prints it.
    pub fn label(self) -> &'static str {
        match self {
            ApplicantKind::NaturalPerson => "自然人",
            ApplicantKind::Commercial => "商业企业",
            ApplicantKind::Research => "科研机构",
            ApplicantKind::SocialWelfare => "社会公益组织",
            ApplicantKind::LegalService => "法律服务机构",
            ApplicantKind::OtherOrg => "其他",
        }
    }

    /// The label the public reads (the application form, the portal's charts): the column
    /// label, with 其他 said in full as 其他组织 (it is one of the 法人或其他组织).
    pub fn public_label(self) -> &'static str {
        match self {
            ApplicantKind::OtherOrg => "其他组织",
            k => k.label(),
        }
    }

    /// The key used in JSON (the API's `applicant.kind`).
    pub fn key(self) -> &'static str {
        match self {
            ApplicantKind::NaturalPerson => "natural_person",
            ApplicantKind::Commercial => "commercial",
            ApplicantKind::Research => "research",
            ApplicantKind::SocialWelfare => "social_welfare",
            ApplicantKind::LegalService => "legal_service",
            ApplicantKind::OtherOrg => "other_org",
        }
    }

    /// Index of this kind's column in a table 三 row (0..6; 6 is 总计).
    pub fn column(self) -> usize {
        self as usize
    }

    /// Reads a kind from its JSON key or its Chinese label (ledgers write 自然人, 其他 …).
    pub fn parse(s: &str) -> Option<ApplicantKind> {
        let s = s.trim();
        ApplicantKind::ALL
            .into_iter()
            .find(|k| k.key() == s || k.label() == s)
            .or(match s {
                "公民" | "个人" => Some(ApplicantKind::NaturalPerson),
                "企业" => Some(ApplicantKind::Commercial),
                "其他组织" | "其他法人" => Some(ApplicantKind::OtherOrg),
                _ => None,
            })
    }
}

impl TryFrom<String> for ApplicantKind {
    type Error = crate::UnknownKey;

    /// Reads a stored key (or anything [`ApplicantKind::parse`] reads).
    fn try_from(s: String) -> Result<Self, Self::Error> {
        ApplicantKind::parse(&s).ok_or_else(|| crate::UnknownKey::new("申请人类型", s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_follow_the_form() {
        for (i, k) in ApplicantKind::ALL.iter().enumerate() {
            assert_eq!(k.column(), i);
            assert_eq!(ApplicantKind::parse(k.key()), Some(*k));
            assert_eq!(ApplicantKind::parse(k.label()), Some(*k));
            assert_eq!(ApplicantKind::try_from(k.key().to_string()), Ok(*k));
        }
    }
}
