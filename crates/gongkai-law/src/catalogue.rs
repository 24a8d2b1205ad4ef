//! 基层政务公开标准目录: the 26 domains of the standard catalogue that county and township
//! governments publish (one national guideline per domain), the vocabulary of an entry's nine
//! columns that has a closed set of values (公开对象, 公开方式, 公开层级), and how often an
//! entry must be refreshed, read from its 公开时限.
//!
//! Pure data: the store keeps an entry's domain by [`Domain::key`] and the portal prints
//! [`Domain::label`].

use serde::{Deserialize, Serialize};

/// One of the 26 domains of the 基层政务公开标准目录, in the order the guidelines list them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Domain {
    /// 重大建设项目
    MajorProjects,
    /// 公共资源交易
    PublicResourceTrading,
    /// 财政预决算
    Budget,
    /// 安全生产
    WorkSafety,
    /// 税收管理
    Taxation,
    /// 征地补偿
    LandAcquisition,
    /// 国有土地上房屋征收与补偿
    HousingExpropriation,
    /// 农村危房改造
    RuralHousingRenovation,
    /// 城市综合执法
    UrbanEnforcement,
    /// 扶贫
    PovertyAlleviation,
    /// 救灾
    DisasterRelief,
    /// 社会救助
    SocialAssistance,
    /// 养老服务
    ElderlyCare,
    /// 户籍管理
    HouseholdRegistration,
    /// 涉农补贴
    AgriculturalSubsidies,
    /// 就业
    Employment,
    /// 社会保险
    SocialInsurance,
    /// 生态环境
    Environment,
    /// 公共文化服务
    PublicCulture,
    /// 公共法律服务
    PublicLegalServices,
    /// 食品药品监管
    FoodDrugSupervision,
    /// 义务教育
    CompulsoryEducation,
    /// 卫生健康
    Health,
    /// 市政服务
    MunicipalServices,
    /// 保障性住房
    AffordableHousing,
    /// 城乡规划
    UrbanRuralPlanning,
}

impl Domain {
    /// All 26 domains, in the guidelines' order.
    pub const ALL: [Domain; 26] = [
        Domain::MajorProjects,
        Domain::PublicResourceTrading,
        Domain::Budget,
        Domain::WorkSafety,
        Domain::Taxation,
        Domain::LandAcquisition,
        Domain::HousingExpropriation,
        Domain::RuralHousingRenovation,
        Domain::UrbanEnforcement,
        Domain::PovertyAlleviation,
        Domain::DisasterRelief,
        Domain::SocialAssistance,
        Domain::ElderlyCare,
        Domain::HouseholdRegistration,
        Domain::AgriculturalSubsidies,
        Domain::Employment,
        Domain::SocialInsurance,
        Domain::Environment,
        Domain::PublicCulture,
        Domain::PublicLegalServices,
        Domain::FoodDrugSupervision,
        Domain::CompulsoryEducation,
        Domain::Health,
        Domain::MunicipalServices,
        Domain::AffordableHousing,
        Domain::UrbanRuralPlanning,
    ];

    /// The Chinese name of the domain, as the guidelines title it.
    pub fn label(self) -> &'static str {
        match self {
            Domain::MajorProjects => "重大建设项目",
            Domain::PublicResourceTrading => "公共资源交易",
            Domain::Budget => "财政预决算",
            Domain::WorkSafety => "安全生产",
            Domain::Taxation => "税收管理",
            Domain::LandAcquisition => "征地补偿",
            Domain::HousingExpropriation => "国有土地上房屋征收与补偿",
            Domain::RuralHousingRenovation => "农村危房改造",
            Domain::UrbanEnforcement => "城市综合执法",
            Domain::PovertyAlleviation => "扶贫",
            Domain::DisasterRelief => "救灾",
            Domain::SocialAssistance => "社会救助",
            Domain::ElderlyCare => "养老服务",
            Domain::HouseholdRegistration => "户籍管理",
            Domain::AgriculturalSubsidies => "涉农补贴",
            Domain::Employment => "就业",
            Domain::SocialInsurance => "社会保险",
            Domain::Environment => "生态环境",
            Domain::PublicCulture => "公共文化服务",
            Domain::PublicLegalServices => "公共法律服务",
            Domain::FoodDrugSupervision => "食品药品监管",
            Domain::CompulsoryEducation => "义务教育",
            Domain::Health => "卫生健康",
            Domain::MunicipalServices => "市政服务",
            Domain::AffordableHousing => "保障性住房",
            Domain::UrbanRuralPlanning => "城乡规划",
        }
    }

    /// The stored key (snake_case English, stable across releases).
    pub fn key(self) -> &'static str {
        match self {
            Domain::MajorProjects => "major_projects",
            Domain::PublicResourceTrading => "public_resource_trading",
            Domain::Budget => "budget",
            Domain::WorkSafety => "work_safety",
            Domain::Taxation => "taxation",
            Domain::LandAcquisition => "land_acquisition",
            Domain::HousingExpropriation => "housing_expropriation",
            Domain::RuralHousingRenovation => "rural_housing_renovation",
            Domain::UrbanEnforcement => "urban_enforcement",
            Domain::PovertyAlleviation => "poverty_alleviation",
            Domain::DisasterRelief => "disaster_relief",
            Domain::SocialAssistance => "social_assistance",
            Domain::ElderlyCare => "elderly_care",
            Domain::HouseholdRegistration => "household_registration",
            Domain::AgriculturalSubsidies => "agricultural_subsidies",
            Domain::Employment => "employment",
            Domain::SocialInsurance => "social_insurance",
            Domain::Environment => "environment",
            Domain::PublicCulture => "public_culture",
            Domain::PublicLegalServices => "public_legal_services",
            Domain::FoodDrugSupervision => "food_drug_supervision",
            Domain::CompulsoryEducation => "compulsory_education",
            Domain::Health => "health",
            Domain::MunicipalServices => "municipal_services",
            Domain::AffordableHousing => "affordable_housing",
            Domain::UrbanRuralPlanning => "urban_rural_planning",
        }
    }

    /// The domain with this stored key.
    pub fn from_key(key: &str) -> Option<Domain> {
        Domain::ALL.into_iter().find(|d| d.key() == key.trim())
    }

    /// The domain a spreadsheet names: its key, its label, or its label with the usual
    /// suffixes (「领域」, 「领域基层政务公开标准目录」) that county tables add.
    pub fn parse(s: &str) -> Option<Domain> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(d) = Domain::from_key(&s) {
            return Some(d);
        }
        let core = s
            .trim_end_matches("基层政务公开标准目录")
            .trim_end_matches("政务公开标准目录")
            .trim_end_matches("领域");
        Domain::ALL.into_iter().find(|d| d.label() == core)
    }

    /// Position in [`Domain::ALL`] (1-based), for ordering the public page.
    pub fn number(self) -> usize {
        Domain::ALL
            .iter()
            .position(|d| *d == self)
            .map_or(0, |i| i + 1)
    }
}

/// 公开对象: who an entry is published to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// 全社会
    Public,
    /// 特定群体
    SpecificGroup,
}

impl Audience {
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Audience::Public => "全社会",
            Audience::SpecificGroup => "特定群体",
        }
    }

    /// The stored key.
    pub fn key(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::SpecificGroup => "specific_group",
        }
    }

    /// Reads a key or label (tables write 「特定群众」 too).
    pub fn parse(s: &str) -> Option<Audience> {
        match s.trim() {
            "全社会" | "社会公众" | "public" => Some(Audience::Public),
            "特定群体" | "特定群众" | "特定对象" | "specific_group" => {
                Some(Audience::SpecificGroup)
            }
            _ => None,
        }
    }
}

/// 公开方式: published proactively or on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// 主动
    Proactive,
    /// 依申请
    OnRequest,
}

impl Mode {
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Proactive => "主动",
            Mode::OnRequest => "依申请",
        }
    }

    /// The stored key.
    pub fn key(self) -> &'static str {
        match self {
            Mode::Proactive => "proactive",
            Mode::OnRequest => "on_request",
        }
    }

    /// Reads a key or label (「主动公开」 and 「依申请公开」 too).
    pub fn parse(s: &str) -> Option<Mode> {
        match s.trim() {
            "主动" | "主动公开" | "proactive" => Some(Mode::Proactive),
            "依申请" | "依申请公开" | "on_request" => Some(Mode::OnRequest),
            _ => None,
        }
    }
}

/// 公开层级: which level of government publishes an entry. A table may tick both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// 县级
    County,
    /// 乡级
    Township,
    /// 县级、乡级
    Both,
}

impl Level {
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Level::County => "县级",
            Level::Township => "乡级",
            Level::Both => "县级、乡级",
        }
    }

    /// The stored key.
    pub fn key(self) -> &'static str {
        match self {
            Level::County => "county",
            Level::Township => "township",
            Level::Both => "both",
        }
    }

    /// Reads a key or label: 县级, 乡级 (乡镇级), or both joined by 、/，/和/ and ✓ style ticks.
    pub fn parse(s: &str) -> Option<Level> {
        let s = s.trim();
        match s {
            "county" => return Some(Level::County),
            "township" => return Some(Level::Township),
            "both" => return Some(Level::Both),
            _ => {}
        }
        let county = s.contains("县");
        let township = s.contains("乡");
        match (county, township) {
            (true, true) => Some(Level::Both),
            (true, false) => Some(Level::County),
            (false, true) => Some(Level::Township),
            (false, false) => None,
        }
    }
}

/// How many days may pass between two publications of an entry, read from its 公开时限: a
/// yearly entry (「每年」, 「年度」) 366, a quarterly one 92, a monthly one 31. `None` when the
/// time limit is event-driven (「信息形成或者变更之日起20个工作日内」): such an entry is only
/// checked for being empty, never for being late.
pub fn refresh_days(time_limit: &str) -> Option<i64> {
    let t = time_limit;
    if t.contains("每月") || t.contains("月度") || t.contains("按月") {
        Some(31)
    } else if t.contains("每季度") || t.contains("季度") || t.contains("按季") {
        Some(92)
    } else if t.contains("每年") || t.contains("年度") || t.contains("按年") || t.contains("年初")
    {
        Some(366)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_six_domains_with_distinct_keys_and_labels() {
        let mut keys: Vec<_> = Domain::ALL.iter().map(|d| d.key()).collect();
        let mut labels: Vec<_> = Domain::ALL.iter().map(|d| d.label()).collect();
        keys.sort_unstable();
        keys.dedup();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(keys.len(), 26);
        assert_eq!(labels.len(), 26);
        for d in Domain::ALL {
            assert_eq!(Domain::from_key(d.key()), Some(d));
            assert_eq!(Domain::parse(d.label()), Some(d));
        }
        assert_eq!(Domain::MajorProjects.number(), 1);
        assert_eq!(Domain::UrbanRuralPlanning.number(), 26);
    }

    #[test]
    fn domains_as_county_tables_name_them() {
        assert_eq!(
            Domain::parse("社会救助领域"),
            Some(Domain::SocialAssistance)
        );
        assert_eq!(
            Domain::parse("义务教育领域基层政务公开标准目录"),
            Some(Domain::CompulsoryEducation)
        );
        assert_eq!(Domain::parse(" 就 业 "), Some(Domain::Employment));
        assert_eq!(Domain::parse("教育"), None);
    }

    #[test]
    fn closed_columns() {
        assert_eq!(Audience::parse("特定群体"), Some(Audience::SpecificGroup));
        assert_eq!(Mode::parse("主动公开"), Some(Mode::Proactive));
        assert_eq!(Mode::parse("依申请"), Some(Mode::OnRequest));
        assert_eq!(Level::parse("县级、乡级"), Some(Level::Both));
        assert_eq!(Level::parse("乡镇级"), Some(Level::Township));
        assert_eq!(Level::parse("市级"), None);
    }

    #[test]
    fn refresh_from_time_limit() {
        assert_eq!(refresh_days("信息形成或者变更之日起20个工作日内"), None);
        assert_eq!(refresh_days("每季度结束后10个工作日内"), Some(92));
        assert_eq!(refresh_days("每年3月底前"), Some(366));
        assert_eq!(refresh_days("每月10日前"), Some(31));
    }
}
