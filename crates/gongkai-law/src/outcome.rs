//! How an application ends (办理结果), the rows of table 三 that count them, and the two
//! national report formats.
//!
//! [`Outcome`] is the single source of truth for the statutory reply categories: each leaf of
//! table 三's 「三、本年度办理结果」 with its Chinese label, the articles it rests on and what the
//! reply letter must say. [`Table3Row`] lists every row the form prints, in order, per
//! [`ReportFormat`].

use serde::{Deserialize, Serialize};

/// The two national formats of the annual report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ReportFormat {
    /// 国办公开办函〔2019〕60号 (trial format), for report years 2019 and 2020.
    #[serde(rename = "2019")]
    Trial2019,
    /// 国办公开办函〔2021〕30号, for report years 2021 onward.
    #[serde(rename = "2021")]
    Current2021,
}

impl ReportFormat {
    /// The format id used on the command line and in JSON: `"2019"` or `"2021"`.
    pub fn id(self) -> &'static str {
        match self {
            ReportFormat::Trial2019 => "2019",
            ReportFormat::Current2021 => "2021",
        }
    }

    /// Reads a format id (`2019` or `2021`).
    pub fn parse(s: &str) -> Option<ReportFormat> {
        match s.trim() {
            "2019" => Some(ReportFormat::Trial2019),
            "2021" => Some(ReportFormat::Current2021),
            _ => None,
        }
    }

    /// The format in force for a report year.
    pub fn for_year(year: i32) -> ReportFormat {
        if year >= 2021 {
            ReportFormat::Current2021
        } else {
            ReportFormat::Trial2019
        }
    }

    /// The document that fixed the format.
    pub fn issued_by(self) -> &'static str {
        match self {
            ReportFormat::Trial2019 => "国办公开办函〔2019〕60号",
            ReportFormat::Current2021 => "国办公开办函〔2021〕30号",
        }
    }
}

/// A statutory reply category: how one application was concluded.
///
/// Procedural notices (补正, 延期, 收费) are not outcomes: an application with only such a
/// notice is still pending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// （一）予以公开
    Disclosed,
    /// （二）部分公开
    PartiallyDisclosed,
    /// （三）不予公开 1.属于国家秘密
    WithheldStateSecret,
    /// （三）不予公开 2.其他法律行政法规禁止公开
    WithheldProhibitedByLaw,
    /// （三）不予公开 3.危及“三安全一稳定”
    WithheldSecurityStability,
    /// （三）不予公开 4.保护第三方合法权益
    WithheldThirdParty,
    /// （三）不予公开 5.属于三类内部事务信息
    WithheldInternalAffairs,
    /// （三）不予公开 6.属于四类过程性信息
    WithheldProcessInformation,
    /// （三）不予公开 7.属于行政执法案卷
    WithheldEnforcementFile,
    /// （三）不予公开 8.属于行政查询事项
    WithheldAdministrativeQuery,
    /// （四）无法提供 1.本机关不掌握相关政府信息
    UnableNotHeld,
    /// （四）无法提供 2.没有现成信息需要另行制作
    UnableNeedsCreation,
    /// （四）无法提供 3.补正后申请内容仍不明确
    UnableUnclearAfterCorrection,
    /// （五）不予处理 1.信访举报投诉类申请
    DeclinedPetitionComplaint,
    /// （五）不予处理 2.重复申请
    DeclinedRepeat,
    /// （五）不予处理 3.要求提供公开出版物
    DeclinedPublication,
    /// （五）不予处理 4.无正当理由大量反复申请
    DeclinedExcessive,
    /// （五）不予处理 5.要求行政机关确认或重新出具已获取信息
    DeclinedConfirmOrReissue,
    /// （六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请
    OtherNoCorrection,
    /// （六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请
    OtherUnpaidFee,
    /// （六）其他处理 3.其他
    OtherOther,
}

impl TryFrom<String> for Outcome {
    type Error = crate::UnknownKey;

    /// Reads a stored key (or anything [`Outcome::parse`] reads).
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Outcome::parse(&s).ok_or_else(|| crate::UnknownKey::new("办理结果", s))
    }
}

/// The remedies every letter states (Regulation Art. 51; 行政复议法 Art. 20; 行政诉讼法
/// Art. 46) against `act` (「本答复」, or 「本告知」 for a procedural notice), naming the body
/// that hears the reconsideration and the court, as the agency set them (a letter never
/// guesses them).
pub fn remedies(act: &str, review_body: &str, court: &str) -> String {
    format!(
        "如对{act}不服，可以自收到{act}之日起六十日内向{review_body}申请行政复议，或者自收到{act}之日起六个月内向{court}提起行政诉讼。"
    )
}

impl Outcome {
    /// Every outcome, in the order of table 三.
    pub const ALL: [Outcome; 21] = [
        Outcome::Disclosed,
        Outcome::PartiallyDisclosed,
        Outcome::WithheldStateSecret,
        Outcome::WithheldProhibitedByLaw,
        Outcome::WithheldSecurityStability,
        Outcome::WithheldThirdParty,
        Outcome::WithheldInternalAffairs,
        Outcome::WithheldProcessInformation,
        Outcome::WithheldEnforcementFile,
        Outcome::WithheldAdministrativeQuery,
        Outcome::UnableNotHeld,
        Outcome::UnableNeedsCreation,
        Outcome::UnableUnclearAfterCorrection,
        Outcome::DeclinedPetitionComplaint,
        Outcome::DeclinedRepeat,
        Outcome::DeclinedPublication,
        Outcome::DeclinedExcessive,
        Outcome::DeclinedConfirmOrReissue,
        Outcome::OtherNoCorrection,
        Outcome::OtherUnpaidFee,
        Outcome::OtherOther,
    ];

    /// The row of table 三 that counts this outcome in a report of `format`.
    ///
    /// The 2019 trial format has a single (六) 其他处理 row for the three `Other*` outcomes.
    pub fn row(self, format: ReportFormat) -> Table3Row {
        use Outcome as O;
        use Table3Row as R;
        match self {
            O::Disclosed => R::Disclosed,
            O::PartiallyDisclosed => R::PartiallyDisclosed,
            O::WithheldStateSecret => R::WithheldStateSecret,
            O::WithheldProhibitedByLaw => R::WithheldProhibitedByLaw,
            O::WithheldSecurityStability => R::WithheldSecurityStability,
            O::WithheldThirdParty => R::WithheldThirdParty,
            O::WithheldInternalAffairs => R::WithheldInternalAffairs,
            O::WithheldProcessInformation => R::WithheldProcessInformation,
            O::WithheldEnforcementFile => R::WithheldEnforcementFile,
            O::WithheldAdministrativeQuery => R::WithheldAdministrativeQuery,
            O::UnableNotHeld => R::UnableNotHeld,
            O::UnableNeedsCreation => R::UnableNeedsCreation,
            O::UnableUnclearAfterCorrection => R::UnableUnclearAfterCorrection,
            O::DeclinedPetitionComplaint => R::DeclinedPetitionComplaint,
            O::DeclinedRepeat => R::DeclinedRepeat,
            O::DeclinedPublication => R::DeclinedPublication,
            O::DeclinedExcessive => R::DeclinedExcessive,
            O::DeclinedConfirmOrReissue => R::DeclinedConfirmOrReissue,
            O::OtherNoCorrection | O::OtherUnpaidFee | O::OtherOther
                if format == ReportFormat::Trial2019 =>
            {
                R::Other
            }
            O::OtherNoCorrection => R::OtherNoCorrection,
            O::OtherUnpaidFee => R::OtherUnpaidFee,
            O::OtherOther => R::OtherOther,
        }
    }

    /// The stable key (the row key of the 2021 format), used in JSON and in the database.
    pub fn key(self) -> &'static str {
        self.row(ReportFormat::Current2021).key()
    }

    /// Reads an outcome from its key or from a table 三 label (a ledger's 办理结果 column).
    pub fn parse(s: &str) -> Option<Outcome> {
        let s = s.trim();
        if let Some(o) = Outcome::ALL.into_iter().find(|o| o.key() == s) {
            return Some(o);
        }
        let row = Table3Row::from_label(s)?;
        Outcome::ALL
            .into_iter()
            .find(|o| o.row(ReportFormat::Current2021) == row)
            .or(if row == Table3Row::Other {
                Some(Outcome::OtherOther)
            } else {
                None
            })
    }

    /// The leaf label as the form prints it (without its group).
    pub fn label(self) -> &'static str {
        self.row(ReportFormat::Current2021).label()
    }

    /// The result group (table 三's heading) this outcome belongs to.
    pub fn group(self) -> Table3Group {
        self.row(ReportFormat::Current2021).group()
    }

    /// The outcome in words for the applicant (/track, the receipt, the API): the group's plain
    /// heading, with the leaf in brackets where the group has several (「部分公开」,
    /// 「不予公开（属于国家秘密）」). Never the statistics form's numbering or footnotes.
    pub fn plain_label(self) -> &'static str {
        use Outcome as O;
        match self {
            O::Disclosed => "予以公开",
            O::PartiallyDisclosed => "部分公开",
            O::WithheldStateSecret => "不予公开（属于国家秘密）",
            O::WithheldProhibitedByLaw => "不予公开（法律、行政法规禁止公开）",
            O::WithheldSecurityStability => {
                "不予公开（危及国家安全、公共安全、经济安全、社会稳定）"
            }
            O::WithheldThirdParty => "不予公开（保护第三方合法权益）",
            O::WithheldInternalAffairs => "不予公开（属于内部事务信息）",
            O::WithheldProcessInformation => "不予公开（属于过程性信息）",
            O::WithheldEnforcementFile => "不予公开（属于行政执法案卷）",
            O::WithheldAdministrativeQuery => "不予公开（属于行政查询事项）",
            O::UnableNotHeld => "无法提供（本机关不掌握相关政府信息）",
            O::UnableNeedsCreation => "无法提供（没有现成信息，需要另行制作）",
            O::UnableUnclearAfterCorrection => "无法提供（补正后申请内容仍不明确）",
            O::DeclinedPetitionComplaint => "不予处理（信访、举报、投诉类申请）",
            O::DeclinedRepeat => "不予处理（重复申请）",
            O::DeclinedPublication => "不予处理（要求提供公开出版物）",
            O::DeclinedExcessive => "不予处理（无正当理由大量、反复申请）",
            O::DeclinedConfirmOrReissue => "不予处理（要求确认或重新出具已获取的信息）",
            O::OtherNoCorrection => "其他处理（逾期未补正，不再处理）",
            O::OtherUnpaidFee => "其他处理（逾期未缴纳信息处理费，不再处理）",
            O::OtherOther => "其他处理",
        }
    }

    /// The articles of the Regulation a reply of this outcome may rest on: the handler chooses
    /// which of them the letter cites (at least one where the list is not empty), and the
    /// letter cites only those.
    pub fn articles(self) -> &'static [&'static str] {
        use Outcome as O;
        match self {
            O::Disclosed => &["第三十六条第（一）项", "第三十六条第（二）项"],
            O::PartiallyDisclosed => &["第三十七条"],
            O::WithheldStateSecret | O::WithheldProhibitedByLaw | O::WithheldSecurityStability => {
                &["第十四条", "第三十六条第（三）项"]
            }
            O::WithheldThirdParty => &["第十五条", "第三十二条", "第三十六条第（三）项"],
            O::WithheldInternalAffairs | O::WithheldProcessInformation => {
                &["第十六条", "第三十六条第（三）项"]
            }
            O::WithheldEnforcementFile => &["第十六条第二款", "第三十六条第（三）项"],
            O::WithheldAdministrativeQuery => &["第三十六条第（七）项"],
            O::UnableNotHeld => &["第三十六条第（四）项", "第三十六条第（五）项"],
            O::UnableNeedsCreation => &["第三十八条"],
            O::UnableUnclearAfterCorrection | O::OtherNoCorrection => &["第三十条"],
            O::DeclinedPetitionComplaint | O::DeclinedPublication => &["第三十九条"],
            O::DeclinedRepeat => &["第三十六条第（六）项"],
            O::DeclinedExcessive => &["第三十五条"],
            O::DeclinedConfirmOrReissue => &["第三十八条"],
            O::OtherUnpaidFee => &["第四十二条"],
            O::OtherOther => &[],
        }
    }

    /// What the reply letter says the agency decided, in the letter's own words.
    pub fn letter_decision(self) -> &'static str {
        use Outcome as O;
        match self {
            O::Disclosed => "经审查，您申请公开的政府信息属于可以公开的政府信息，本机关予以公开。",
            O::PartiallyDisclosed => {
                "经审查，您申请公开的政府信息中含有不应当公开的内容，但能够作区分处理，本机关向您提供可以公开的部分。"
            }
            O::WithheldStateSecret => "经审查，您申请公开的政府信息属于国家秘密，依法不予公开。",
            O::WithheldProhibitedByLaw => {
                "经审查，您申请公开的政府信息属于法律、行政法规禁止公开的政府信息，依法不予公开。"
            }
            O::WithheldSecurityStability => {
                "经审查，您申请公开的政府信息公开后可能危及国家安全、公共安全、经济安全、社会稳定，依法不予公开。"
            }
            O::WithheldThirdParty => {
                "经审查，您申请公开的政府信息涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害，依法不予公开。"
            }
            O::WithheldInternalAffairs => {
                "经审查，您申请公开的政府信息属于人事管理、后勤管理、内部工作流程等内部事务信息，不予公开。"
            }
            O::WithheldProcessInformation => {
                "经审查，您申请公开的政府信息属于讨论记录、过程稿、磋商信函、请示报告等过程性信息，不予公开。"
            }
            O::WithheldEnforcementFile => {
                "经审查，您申请公开的政府信息属于行政执法案卷信息，不予公开。"
            }
            O::WithheldAdministrativeQuery => {
                "经审查，您申请获取的信息属于有关法律、行政法规对信息获取有特别规定的行政查询事项，请依照有关规定办理。"
            }
            O::UnableNotHeld => {
                "经检索，本机关未制作或获取您申请公开的政府信息，该政府信息不存在或不属于本机关负责公开。"
            }
            O::UnableNeedsCreation => {
                "经审查，本机关没有现成的您所申请的信息，需要对现有政府信息进行加工、分析，本机关不予提供。"
            }
            O::UnableUnclearAfterCorrection => "经补正后，您的申请内容仍不明确，本机关无法提供。",
            O::DeclinedPetitionComplaint => {
                "您以政府信息公开申请的形式进行信访、投诉、举报等活动，本机关不作为政府信息公开申请处理，您可以通过相应渠道提出。"
            }
            O::DeclinedRepeat => {
                "本机关已就您提出的政府信息公开申请作出答复，您重复申请公开相同政府信息，本机关不予重复处理。"
            }
            O::DeclinedPublication => {
                "您申请提供的是政府公报、报刊、书籍等公开出版物，请通过相应途径获取。"
            }
            O::DeclinedExcessive => {
                "您申请公开政府信息的数量、频次明显超过合理范围，且未能说明理由或理由不合理，本机关不予处理。"
            }
            O::DeclinedConfirmOrReissue => {
                "您要求本机关确认或者重新出具已获取的信息，不属于政府信息公开申请的处理范围，本机关不予处理。"
            }
            O::OtherNoCorrection => {
                "您无正当理由逾期未补正，视为放弃申请，本机关不再处理您的政府信息公开申请。"
            }
            O::OtherUnpaidFee => {
                "您逾期未按收费通知要求缴纳信息处理费，本机关不再处理您的政府信息公开申请。"
            }
            O::OtherOther => "本机关已对您的申请作出其他处理。",
        }
    }

    /// Whether the handler must write the reasons and choose the legal basis (every outcome
    /// but 予以公开). No default reason exists: a letter prints only what the handler wrote.
    pub fn needs_reasons(self) -> bool {
        !matches!(self, Outcome::Disclosed)
    }

    /// Whether the letter must name the agency responsible for the information, when it can be
    /// determined (Art. 36(5)).
    pub fn names_responsible_agency(self) -> bool {
        self == Outcome::UnableNotHeld
    }
}

/// The groups of 「三、本年度办理结果」, plus the rows outside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Table3Group {
    /// 一、本年新收 / 二、上年结转 / (七) 总计 / 四、结转下年度: not a result group.
    Header,
    /// （一）予以公开
    Disclosed,
    /// （二）部分公开
    PartiallyDisclosed,
    /// （三）不予公开
    Withheld,
    /// （四）无法提供
    Unable,
    /// （五）不予处理
    Declined,
    /// （六）其他处理
    Other,
}

impl Table3Group {
    /// The result groups in the order of the form, as the reply picker shows them.
    pub const RESULTS: [Table3Group; 6] = [
        Table3Group::Disclosed,
        Table3Group::PartiallyDisclosed,
        Table3Group::Withheld,
        Table3Group::Unable,
        Table3Group::Declined,
        Table3Group::Other,
    ];

    /// The group's heading in plain words, without numbering or the form's footnote
    /// (`部分公开`); empty for [`Table3Group::Header`].
    pub fn plain_label(self) -> &'static str {
        match self {
            Table3Group::Header => "",
            Table3Group::Disclosed => "予以公开",
            Table3Group::PartiallyDisclosed => "部分公开",
            Table3Group::Withheld => "不予公开",
            Table3Group::Unable => "无法提供",
            Table3Group::Declined => "不予处理",
            Table3Group::Other => "其他处理",
        }
    }

    /// The group's label as printed, e.g. `（三）不予公开`.
    pub fn label(self) -> &'static str {
        match self {
            Table3Group::Header => "",
            Table3Group::Disclosed => "（一）予以公开",
            Table3Group::PartiallyDisclosed => {
                "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
            }
            Table3Group::Withheld => "（三）不予公开",
            Table3Group::Unable => "（四）无法提供",
            Table3Group::Declined => "（五）不予处理",
            Table3Group::Other => "（六）其他处理",
        }
    }
}

macro_rules! table3_rows {
    ($( $(#[$doc:meta])* $name:ident => $key:literal, $label:literal, $group:ident; )*) => {
        /// A row of table 三 as the form prints it. Its key is the canonical JSON key.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Table3Row {
            $( $(#[$doc])* $name, )*
        }

        impl Table3Row {
            /// Every row of either format.
            pub const EVERY: &'static [Table3Row] = &[$(Table3Row::$name,)*];

            /// The canonical JSON key, e.g. `withheld_state_secret`.
            pub fn key(self) -> &'static str {
                match self { $(Table3Row::$name => $key,)* }
            }

            /// The row's own label as printed (for a leaf, without its group).
            pub fn label(self) -> &'static str {
                match self { $(Table3Row::$name => $label,)* }
            }

            /// The result group the row belongs to.
            pub fn group(self) -> Table3Group {
                match self { $(Table3Row::$name => Table3Group::$group,)* }
            }
        }
    };
}

table3_rows! {
    /// 一、本年新收政府信息公开申请数量
    NewReceived => "new_received", "一、本年新收政府信息公开申请数量", Header;
    /// 二、上年结转政府信息公开申请数量
    CarriedIn => "carried_in", "二、上年结转政府信息公开申请数量", Header;
    /// （一）予以公开
    Disclosed => "disclosed", "（一）予以公开", Disclosed;
    /// （二）部分公开
    PartiallyDisclosed => "partially_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", PartiallyDisclosed;
    /// 1.属于国家秘密
    WithheldStateSecret => "withheld_state_secret", "1.属于国家秘密", Withheld;
    /// 2.其他法律行政法规禁止公开
    WithheldProhibitedByLaw => "withheld_prohibited_by_law", "2.其他法律行政法规禁止公开", Withheld;
    /// 3.危及“三安全一稳定”
    WithheldSecurityStability => "withheld_security_stability", "3.危及“三安全一稳定”", Withheld;
    /// 4.保护第三方合法权益
    WithheldThirdParty => "withheld_third_party", "4.保护第三方合法权益", Withheld;
    /// 5.属于三类内部事务信息
    WithheldInternalAffairs => "withheld_internal_affairs", "5.属于三类内部事务信息", Withheld;
    /// 6.属于四类过程性信息
    WithheldProcessInformation => "withheld_process_information", "6.属于四类过程性信息", Withheld;
    /// 7.属于行政执法案卷
    WithheldEnforcementFile => "withheld_enforcement_file", "7.属于行政执法案卷", Withheld;
    /// 8.属于行政查询事项
    WithheldAdministrativeQuery => "withheld_administrative_query", "8.属于行政查询事项", Withheld;
    /// 1.本机关不掌握相关政府信息
    UnableNotHeld => "unable_not_held", "1.本机关不掌握相关政府信息", Unable;
    /// 2.没有现成信息需要另行制作
    UnableNeedsCreation => "unable_needs_creation", "2.没有现成信息需要另行制作", Unable;
    /// 3.补正后申请内容仍不明确
    UnableUnclearAfterCorrection => "unable_unclear_after_correction", "3.补正后申请内容仍不明确", Unable;
    /// 1.信访举报投诉类申请
    DeclinedPetitionComplaint => "declined_petition_complaint", "1.信访举报投诉类申请", Declined;
    /// 2.重复申请
    DeclinedRepeat => "declined_repeat", "2.重复申请", Declined;
    /// 3.要求提供公开出版物
    DeclinedPublication => "declined_publication", "3.要求提供公开出版物", Declined;
    /// 4.无正当理由大量反复申请
    DeclinedExcessive => "declined_excessive", "4.无正当理由大量反复申请", Declined;
    /// 5.要求行政机关确认或重新出具已获取信息
    DeclinedConfirmOrReissue => "declined_confirm_or_reissue", "5.要求行政机关确认或重新出具已获取信息", Declined;
    /// （六）其他处理 — the single row of the 2019 format.
    Other => "other", "（六）其他处理", Other;
    /// 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请
    OtherNoCorrection => "other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", Other;
    /// 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请
    OtherUnpaidFee => "other_unpaid_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", Other;
    /// 3.其他
    OtherOther => "other_other", "3.其他", Other;
    /// （七）总计
    ResultsTotal => "results_total", "（七）总计", Header;
    /// 四、结转下年度继续办理
    CarriedOut => "carried_out", "四、结转下年度继续办理", Header;
}

impl Table3Row {
    /// The rows a report of `format` prints, in order.
    pub fn rows(format: ReportFormat) -> &'static [Table3Row] {
        const F2019: &[Table3Row] = &[
            Table3Row::NewReceived,
            Table3Row::CarriedIn,
            Table3Row::Disclosed,
            Table3Row::PartiallyDisclosed,
            Table3Row::WithheldStateSecret,
            Table3Row::WithheldProhibitedByLaw,
            Table3Row::WithheldSecurityStability,
            Table3Row::WithheldThirdParty,
            Table3Row::WithheldInternalAffairs,
            Table3Row::WithheldProcessInformation,
            Table3Row::WithheldEnforcementFile,
            Table3Row::WithheldAdministrativeQuery,
            Table3Row::UnableNotHeld,
            Table3Row::UnableNeedsCreation,
            Table3Row::UnableUnclearAfterCorrection,
            Table3Row::DeclinedPetitionComplaint,
            Table3Row::DeclinedRepeat,
            Table3Row::DeclinedPublication,
            Table3Row::DeclinedExcessive,
            Table3Row::DeclinedConfirmOrReissue,
            Table3Row::Other,
            Table3Row::ResultsTotal,
            Table3Row::CarriedOut,
        ];
        const F2021: &[Table3Row] = &[
            Table3Row::NewReceived,
            Table3Row::CarriedIn,
            Table3Row::Disclosed,
            Table3Row::PartiallyDisclosed,
            Table3Row::WithheldStateSecret,
            Table3Row::WithheldProhibitedByLaw,
            Table3Row::WithheldSecurityStability,
            Table3Row::WithheldThirdParty,
            Table3Row::WithheldInternalAffairs,
            Table3Row::WithheldProcessInformation,
            Table3Row::WithheldEnforcementFile,
            Table3Row::WithheldAdministrativeQuery,
            Table3Row::UnableNotHeld,
            Table3Row::UnableNeedsCreation,
            Table3Row::UnableUnclearAfterCorrection,
            Table3Row::DeclinedPetitionComplaint,
            Table3Row::DeclinedRepeat,
            Table3Row::DeclinedPublication,
            Table3Row::DeclinedExcessive,
            Table3Row::DeclinedConfirmOrReissue,
            Table3Row::OtherNoCorrection,
            Table3Row::OtherUnpaidFee,
            Table3Row::OtherOther,
            Table3Row::ResultsTotal,
            Table3Row::CarriedOut,
        ];
        match format {
            ReportFormat::Trial2019 => F2019,
            ReportFormat::Current2021 => F2021,
        }
    }

    /// Whether the row is one of the results (一)…(六) that (七) 总计 sums.
    pub fn is_result(self) -> bool {
        self.group() != Table3Group::Header
    }

    /// Reads a row from its key.
    pub fn from_key(key: &str) -> Option<Table3Row> {
        Table3Row::EVERY.iter().copied().find(|r| r.key() == key)
    }

    /// Finds the row whose printed leaf label matches `s`, ignoring numbering, brackets,
    /// width and spaces (`1、重复申请`, `2.重复申请` and `重复申请` all match).
    pub fn from_label(s: &str) -> Option<Table3Row> {
        let want = label_core(s);
        if want.is_empty() {
            return None;
        }
        Table3Row::EVERY
            .iter()
            .copied()
            .find(|r| label_core(r.label()) == want)
    }
}

/// A label with numbering, brackets, punctuation and spaces removed, for comparing labels as
/// people write them.
pub fn label_core(s: &str) -> String {
    // One pass, one allocation: the report parser calls this for every label cell of every
    // report. Kept characters are copied in runs between the dropped ones.
    // CJK ideographs (lead bytes 0xE4…0xE9) are neither whitespace nor punctuation: they are
    // stepped over without decoding, which is most of a Chinese label.
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut run = 0;
    let mut i = 0;
    while i < b.len() {
        let lead = b[i];
        if (0xE4..=0xE9).contains(&lead) {
            i += 3;
            continue;
        }
        let Some(c) = s.get(i..).and_then(|t| t.chars().next()) else {
            i += 1;
            continue;
        };
        let len = c.len_utf8();
        if c.is_whitespace() || is_label_punctuation(c) {
            out.push_str(s.get(run..i).unwrap_or(""));
            run = i + len;
        }
        i += len;
    }
    out.push_str(s.get(run..).unwrap_or(""));
    // A leading number (一…七, 1…8), at most one.
    if let Some(first) = out.chars().next()
        && matches!(
            first,
            '一' | '二' | '三' | '四' | '五' | '六' | '七' | '1'..='8'
        )
    {
        out.drain(..first.len_utf8());
    }
    // 部分公开's label carries a parenthetical note; compare its head only.
    if out.starts_with("部分公开")
        && let Some(i) = out.find("区分处理")
    {
        out.truncate(i);
    }
    out
}

/// The brackets and punctuation [`label_core`] drops.
fn is_label_punctuation(c: char) -> bool {
    matches!(
        c,
        '(' | ')'
            | '（'
            | '）'
            | '、'
            | '.'
            | '．'
            | ':'
            | '：'
            | '“'
            | '”'
            | '"'
            | '\''
            | '，'
            | ','
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_has_one_row_per_format_and_rows_are_printed() {
        for f in [ReportFormat::Trial2019, ReportFormat::Current2021] {
            for o in Outcome::ALL {
                assert!(Table3Row::rows(f).contains(&o.row(f)), "{o:?} in {f:?}");
                assert!(o.row(f).is_result());
            }
        }
        assert_eq!(Table3Row::rows(ReportFormat::Trial2019).len(), 23);
        assert_eq!(Table3Row::rows(ReportFormat::Current2021).len(), 25);
    }

    #[test]
    fn outcomes_read_back_from_key_and_label() {
        for o in Outcome::ALL {
            assert_eq!(Outcome::parse(o.key()), Some(o));
            assert_eq!(Outcome::parse(o.label()), Some(o), "{}", o.label());
        }
        assert_eq!(Outcome::parse("予以公开"), Some(Outcome::Disclosed));
        assert_eq!(
            Outcome::parse("部分公开"),
            Some(Outcome::PartiallyDisclosed)
        );
        assert_eq!(Outcome::parse("3、其他"), Some(Outcome::OtherOther));
        assert_eq!(Outcome::parse("重复申请"), Some(Outcome::DeclinedRepeat));
        assert_eq!(
            Outcome::parse("本机关不掌握相关政府信息"),
            Some(Outcome::UnableNotHeld)
        );
        assert_eq!(Outcome::parse("不存在的结果"), None);
    }

    /// The straightforward version [`label_core`] replaced for speed; results must not change.
    fn label_core_reference(s: &str) -> String {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace() && !"()（）、.．:：“”\"'，,".contains(*c))
            .collect();
        let numbering = [
            "一", "二", "三", "四", "五", "六", "七", "1", "2", "3", "4", "5", "6", "7", "8",
        ];
        let mut rest = s.as_str();
        for n in numbering {
            if let Some(r) = rest.strip_prefix(n) {
                rest = r;
                break;
            }
        }
        match rest.find("区分处理") {
            Some(i) if rest.starts_with("部分公开") => rest[..i].to_string(),
            _ => rest.to_string(),
        }
    }

    proptest::proptest! {
        #[test]
        fn label_core_matches_its_reference(
            s in "[一二三七八1289０（）()、.．:：“”\"'，, \u{3000}\t部分公开区分处理其他a-z]{0,24}|\\PC{0,30}"
        ) {
            proptest::prop_assert_eq!(label_core(&s), label_core_reference(&s));
        }
    }

    #[test]
    fn label_core_on_every_row_label() {
        for r in Table3Row::EVERY {
            assert_eq!(label_core(r.label()), label_core_reference(r.label()));
        }
        for s in [
            "(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)",
            "七、总计",
            "8.x",
            "",
        ] {
            assert_eq!(label_core(s), label_core_reference(s), "{s}");
        }
    }

    #[test]
    fn plain_labels_carry_no_footnote_and_start_with_their_group() {
        for o in Outcome::ALL {
            let plain = o.plain_label();
            assert!(plain.starts_with(o.group().plain_label()), "{plain}");
            assert!(!plain.contains("只计这一情形"), "{plain}");
            assert!(
                !plain
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_digit() || c == '（')
            );
        }
        assert_eq!(Outcome::PartiallyDisclosed.plain_label(), "部分公开");
        assert_eq!(
            Table3Group::RESULTS.map(Table3Group::plain_label).join("/"),
            "予以公开/部分公开/不予公开/无法提供/不予处理/其他处理"
        );
    }

    #[test]
    fn partial_disclosure_cites_article_37() {
        assert!(
            Outcome::PartiallyDisclosed
                .articles()
                .contains(&"第三十七条")
        );
        let r = remedies("本答复", "甲市人民政府", "甲县人民法院");
        assert!(r.contains("六十日内向甲市人民政府申请行政复议"));
        assert!(r.contains("六个月内向甲县人民法院提起行政诉讼"));
    }
}
