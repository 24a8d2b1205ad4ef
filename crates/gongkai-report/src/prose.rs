//! Drafting the prose sections of the report (一、总体情况, 五、存在的主要问题及改进情况,
//! 六、其他需要报告的事项) from figures that the caller gathered from its records.
//!
//! The wording follows the shape of the published reports (the seed's six paragraphs (一)…(六)
//! of section 一). Every number in a draft comes from [`ProseFacts`] or from the report's own
//! tables, so a draft never contradicts its tables: the checker's TXT-PARTS and TXT-TABLE rules
//! find nothing in it (tested below). Sections 五 and 六 are templates meant to be edited.
//!
//! Numbers are written as plain digits (no thousands separators), which is how the reports
//! print them and how the checker reads them.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use gongkai_law::catalogue::Domain;
use gongkai_law::{Table3Group, Table3Row};
use serde::{Deserialize, Serialize};

use crate::model::{Report, Requests, Row5, TOTAL_COLUMN};

/// Where the reporting agency sits in the tree: it decides how the prose names the agency
/// (我县, 我市 …), its area and its leader's mailbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// A provincial government.
    Province,
    /// A city government.
    City,
    /// A county government.
    County,
    /// A township government (乡镇).
    Township,
    /// A department.
    Department,
}

impl Tier {
    /// How the agency names itself: 我省, 我市, 我县, 我镇 (我乡), 本机关.
    pub fn we(self, agency: &str) -> &'static str {
        match self {
            Tier::Province => "我省",
            Tier::City => "我市",
            Tier::County => "我县",
            Tier::Township if agency.contains('镇') => "我镇",
            Tier::Township => "我乡",
            Tier::Department => "本机关",
        }
    }

    /// The area it speaks for: 全省, 全市, 全县, 全乡（镇）, 本系统.
    pub fn area(self) -> &'static str {
        match self {
            Tier::Province => "全省",
            Tier::City => "全市",
            Tier::County => "全县",
            Tier::Township => "全乡（镇）",
            Tier::Department => "本系统",
        }
    }

    /// The leader's public mailbox.
    pub fn mailbox(self) -> &'static str {
        match self {
            Tier::Province => "省长信箱",
            Tier::City => "市长信箱",
            Tier::County => "县长信箱",
            Tier::Township => "乡（镇）长信箱",
            Tier::Department => "领导信箱",
        }
    }

    /// The name of the departments below it: 省直部门, 市直部门, 县直部门, 所属部门.
    pub fn departments(self) -> &'static str {
        match self {
            Tier::Province => "省直部门",
            Tier::City => "市直部门",
            Tier::County => "县直部门",
            Tier::Township | Tier::Department => "所属部门",
        }
    }

    /// Whether the agency is a government of county level or above (their section 一 ends with
    /// the paragraph on 考核、社会评议和责任追究 under the form's own title).
    pub fn county_or_above(self) -> bool {
        matches!(self, Tier::Province | Tier::City | Tier::County)
    }
}

/// The figures behind the prose, all of one agency's subtree and one year. Gathered by the
/// store from its records (`gongkai_store::prose`), never typed by hand.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProseFacts {
    /// Where the agency sits (decides 我县 / 我市 …); `None` reads as a department.
    pub tier: Option<Tier>,
    /// Items published in the year by the agency itself on its website.
    pub published_by_self: i64,
    /// Items published in the year by its departments (level department).
    pub published_by_departments: i64,
    /// Items published in the year by its townships (level township).
    pub published_by_townships: i64,
    /// Items published in the year by other agencies below it (lower governments).
    pub published_by_others: i64,
    /// 专题专栏 open at the end of the year.
    pub topics: i64,
    /// 政策解读 published in the year.
    pub interpretations: i64,
    /// Mailbox letters received in the year that have a reply.
    pub letters_replied: i64,
    /// Items published in the year that still carry an unresolved 保密审查 finding.
    pub published_with_open_findings: i64,
    /// Items scanned by the 保密审查 gate in the year.
    pub items_reviewed: i64,
    /// The domains of the 基层政务公开标准目录 its entries cover, in the guidelines' order.
    pub catalogue_domains: Vec<Domain>,
    /// The entries of its 标准目录.
    pub catalogue_entries: i64,
    /// 政务新媒体 accounts open at the end of the year, by platform (in a stable order).
    pub media_accounts: Vec<(String, i64)>,
    /// Trainings held in the year.
    pub trainings: i64,
    /// Attendances of those trainings.
    pub training_attendees: i64,
    /// Inspections of websites and new-media accounts held in the year.
    pub inspections: i64,
    /// Accountability cases (责任追究) decided in the year.
    pub accountability_cases: i64,
    /// Applications for which 信息处理费 was paid in the year.
    pub fee_requests: i64,
    /// The 信息处理费 paid in the year, in 元.
    pub fee_yuan: i64,
}

impl ProseFacts {
    /// Items published in the year by the whole subtree: the sum of the parts, so the draft's
    /// 「共…条，其中…」 always adds up.
    pub fn published_total(&self) -> i64 {
        self.published_by_self
            + self.published_by_departments
            + self.published_by_townships
            + self.published_by_others
    }

    /// New-media accounts open at the end of the year.
    pub fn media_total(&self) -> i64 {
        self.media_accounts.iter().map(|(_, n)| n).sum()
    }

    fn tier(&self) -> Tier {
        self.tier.unwrap_or(Tier::Department)
    }
}

/// The three prose sections drafted from `facts` and the report's tables: keys `"1"`, `"5"`,
/// `"6"` as in [`Report::sections`]. Paragraphs are separated by a line break.
pub fn draft_sections(facts: &ProseFacts, report: &Report) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    out.insert("1".to_string(), section_one(facts, report));
    out.insert("5".to_string(), section_five(facts, report));
    out.insert("6".to_string(), section_six(facts, report));
    out
}

/// The 总计 of a row of table 三 (0 when absent or blank).
fn total(req: &Requests, row: Table3Row) -> i64 {
    req.get(&row).and_then(|r| r[TOTAL_COLUMN]).unwrap_or(0)
}

/// 一、总体情况: an opening paragraph and (一)…(六).
pub fn section_one(f: &ProseFacts, r: &Report) -> String {
    let year = r.year;
    let we = f.tier().we(&r.agency);
    let paragraphs = [
        format!(
            "{year}年，{we}认真贯彻落实《中华人民共和国政府信息公开条例》及上级有关文件要求，深化政务公开，优化政务服务，强化交流互动，不断完善政府信息公开工作，确保政府信息公开工作依法、及时、高效开展。"
        ),
        proactive_paragraph(f, r),
        requests_paragraph(f, r),
        catalogue_paragraph(f, r),
        platform_paragraph(f, r),
        training_paragraph(f, r),
        supervision_paragraph(f, r),
    ];
    paragraphs.join("\n")
}

/// (一) 主动公开情况.
fn proactive_paragraph(f: &ProseFacts, r: &Report) -> String {
    let tier = f.tier();
    let mut p = format!(
        "（一）主动公开情况。{}年，{}按照政务信息公开范围，全年共主动公开政府信息{}条",
        r.year,
        r.agency,
        f.published_total()
    );
    // The parts, in the unit of the whole (条) and in one sentence that ends before anything
    // else is counted, so that the checker's 「共…其中…」 reading sees exactly these parts.
    let mut parts = vec![format!("通过政府网站主动公开信息{}条", f.published_by_self)];
    if f.published_by_departments > 0 {
        parts.push(format!(
            "{}公开{}条",
            tier.departments(),
            f.published_by_departments
        ));
    }
    if f.published_by_townships > 0 {
        parts.push(format!("乡镇公开{}条", f.published_by_townships));
    }
    if f.published_by_others > 0 {
        parts.push(format!("下级人民政府公开{}条", f.published_by_others));
    }
    if parts.len() > 1 {
        let _ = write!(p, "。其中，{}。", parts.join("，"));
    } else {
        p.push_str("，均通过政府网站主动公开。");
    }
    let _ = write!(
        p,
        "全年维护专题专栏{}个，发布政策解读材料{}条，回复{}来信及咨询{}条。",
        f.topics,
        f.interpretations,
        tier.mailbox(),
        f.letters_replied
    );
    if f.published_with_open_findings == 0 {
        p.push_str(
            "在公开发布的信息中，没有出现涉密内容和不宜公开的政府信息，也没有发生任何泄密事件。",
        );
    } else {
        let _ = write!(
            p,
            "经核对保密审查记录，已公开信息中有{}条仍有未处理的审查提示，正在逐条核查处理。",
            f.published_with_open_findings
        );
    }
    p
}

/// (二) 依申请公开办理情况: the figures of table 三 and table 四.
fn requests_paragraph(f: &ProseFacts, r: &Report) -> String {
    let we = f.tier().we(&r.agency);
    let req = &r.requests;
    let new = total(req, Table3Row::NewReceived);
    let carried_in = total(req, Table3Row::CarriedIn);
    let concluded = total(req, Table3Row::ResultsTotal);
    let carried_out = total(req, Table3Row::CarriedOut);
    let mut p = format!(
        "（二）依申请公开办理情况。{}年，{}新收政府信息公开申请{new}件，上年结转{carried_in}件，共办结{concluded}件，结转下年度继续办理{carried_out}件。",
        r.year, we
    );
    if concluded > 0 {
        // Results by group of the form, in its order; groups with none are left out.
        let mut groups: Vec<(&str, i64)> = Vec::new();
        for (label, group) in RESULT_GROUPS {
            let n: i64 = Table3Row::EVERY
                .iter()
                .filter(|row| row.group() == group)
                .map(|row| total(req, *row))
                .sum();
            if n > 0 {
                groups.push((label, n));
            }
        }
        let listed: Vec<String> = groups.iter().map(|(l, n)| format!("{l}{n}件")).collect();
        let _ = write!(p, "办结的{concluded}件中，{}。", listed.join("，"));
    }
    p.push_str(&appeals_sentence(r));
    p
}

/// The result groups of table 三 with the short names the prose uses.
const RESULT_GROUPS: [(&str, Table3Group); 6] = [
    ("予以公开", Table3Group::Disclosed),
    ("部分公开", Table3Group::PartiallyDisclosed),
    ("不予公开", Table3Group::Withheld),
    ("无法提供", Table3Group::Unable),
    ("不予处理", Table3Group::Declined),
    ("其他处理", Table3Group::Other),
];

/// 「结果维持1件、尚未审结1件」 for a group of table 四 (the non-zero columns).
fn appeal_breakdown(row: &Row5) -> String {
    const COLUMNS: [&str; 4] = ["结果维持", "结果纠正", "其他结果", "尚未审结"];
    COLUMNS
        .iter()
        .zip(row.iter())
        .filter_map(|(label, n)| n.filter(|n| *n > 0).map(|n| format!("{label}{n}件")))
        .collect::<Vec<_>>()
        .join("、")
}

fn appeal_total(row: &Row5) -> i64 {
    row[4].unwrap_or_else(|| row[..4].iter().map(|n| n.unwrap_or(0)).sum())
}

/// The sentence on 行政复议 and 行政诉讼 from table 四.
fn appeals_sentence(r: &Report) -> String {
    let a = &r.appeals;
    let reconsideration = appeal_total(&a.reconsideration);
    let litigation =
        appeal_total(&a.litigation_direct) + appeal_total(&a.litigation_after_reconsideration);
    if reconsideration == 0 && litigation == 0 {
        return "全年未发生因政府信息公开引起的行政复议和行政诉讼。".to_string();
    }
    let mut clauses = Vec::new();
    if reconsideration > 0 {
        clauses.push(format!(
            "因政府信息公开被申请行政复议{reconsideration}件（{}）",
            appeal_breakdown(&a.reconsideration)
        ));
    }
    if litigation > 0 {
        let mut both = a.litigation_direct;
        for (cell, other) in both.iter_mut().zip(a.litigation_after_reconsideration) {
            *cell = Some(cell.unwrap_or(0) + other.unwrap_or(0));
        }
        clauses.push(format!(
            "被提起行政诉讼{litigation}件（{}）",
            appeal_breakdown(&both)
        ));
    }
    format!("全年{}。", clauses.join("，"))
}

/// (三) 政府信息资源的规范化、标准化管理情况: the 标准目录.
fn catalogue_paragraph(f: &ProseFacts, r: &Report) -> String {
    let we = f.tier().we(&r.agency);
    let head = "（三）政府信息资源的规范化、标准化管理情况。";
    if f.catalogue_domains.is_empty() {
        return format!(
            "{head}{we}尚未建立基层政务公开标准目录，下步将对照国务院有关部门制定的26个试点领域基层政务公开标准指引，梳理编制标准目录并对外发布。"
        );
    }
    let named: Vec<&str> = f
        .catalogue_domains
        .iter()
        .take(4)
        .map(|d| d.label())
        .collect();
    let more = if f.catalogue_domains.len() > named.len() {
        "等"
    } else {
        ""
    };
    format!(
        "{head}按照“公开为常态，不公开为例外”的原则，{we}围绕{}{more}{}个领域，对涉及的政务事项进行“全目录、全流程”梳理，编制基层政务公开标准目录事项{}项，并对外发布。",
        named.join("、"),
        f.catalogue_domains.len(),
        f.catalogue_entries
    )
}

/// (四) 政府信息公开平台建设情况: the website and the registered new-media accounts.
fn platform_paragraph(f: &ProseFacts, r: &Report) -> String {
    let tier = f.tier();
    let mut p = format!(
        "（四）政府信息公开平台建设情况。网站管理方面，坚持把{}门户网站作为统一集中公开政府信息的第一平台，及时发布与人民群众生产、生活以及经济社会发展密切相关的各领域信息。",
        r.agency
    );
    let n = f.media_total();
    if n == 0 {
        p.push_str("政务新媒体方面，截至年底尚无备案运行的政务新媒体。");
        return p;
    }
    let _ = write!(
        p,
        "政务新媒体方面，截至{}年底，{}备案运行的政务新媒体共{n}个",
        r.year,
        tier.area()
    );
    let parts: Vec<String> = f
        .media_accounts
        .iter()
        .filter(|(_, k)| *k > 0)
        .map(|(platform, k)| format!("{platform}{k}个"))
        .collect();
    if parts.len() > 1 {
        let _ = write!(p, "。其中，{}。", parts.join("，"));
    } else {
        let platform = f
            .media_accounts
            .iter()
            .find(|(_, k)| *k > 0)
            .map(|(p, _)| p.as_str())
            .unwrap_or("");
        let _ = write!(p, "，均为{platform}。");
    }
    p
}

/// (五) 政府信息公开监督保障及教育培训情况.
fn training_paragraph(f: &ProseFacts, r: &Report) -> String {
    let mut p = "（五）政府信息公开监督保障及教育培训情况。明确各级各部门信息公开工作职责，落实信息公开审查制度，坚持先审后发，加强信息公开审核把关。".to_string();
    if f.items_reviewed > 0 {
        let _ = write!(
            p,
            "{}年对{}条拟公开信息进行了保密审查。",
            r.year, f.items_reviewed
        );
    }
    if f.trainings > 0 {
        let _ = write!(
            p,
            "同时，加强信息公开工作人员的业务培训，{}年共开展和参加政务信息公开培训{}次",
            r.year, f.trainings
        );
        if f.training_attendees > 0 {
            let _ = write!(p, "，参训{}人次", f.training_attendees);
        }
        p.push('。');
    } else {
        let _ = write!(p, "{}年未开展政务信息公开培训。", r.year);
    }
    p
}

/// (六) 考核、社会评议和责任追究结果情况.
fn supervision_paragraph(f: &ProseFacts, r: &Report) -> String {
    let tier = f.tier();
    let we = tier.we(&r.agency);
    let year = r.year;
    let head = if tier.county_or_above() {
        "（六）县级以上人民政府实施信息公开工作考核、社会评议和责任追究结果情况。"
    } else {
        "（六）政府信息公开工作考核、社会评议和责任追究结果情况。"
    };
    let mut p = format!(
        "{head}将政府信息公开工作纳入年度目标考评，完善监督考核机制，定期对门户网站及政务新媒体内容保障工作情况进行检查。"
    );
    if f.inspections > 0 {
        let _ = write!(
            p,
            "{year}年{we}共开展{}次政府网站及政务新媒体的检查。",
            f.inspections
        );
    } else {
        let _ = write!(p, "{year}年{we}未开展政府网站及政务新媒体的检查。");
    }
    if f.accountability_cases > 0 {
        let _ = write!(
            p,
            "在责任追究方面，{year}年{we}对{}起信息公开工作不到位的情形进行了责任追究。",
            f.accountability_cases
        );
    } else {
        let _ = write!(
            p,
            "在责任追究方面，{year}年{we}未出现因信息公开不到位进行责任追究的情况。"
        );
    }
    p
}

/// 五、存在的主要问题及改进情况: a template to be edited.
pub fn section_five(f: &ProseFacts, r: &Report) -> String {
    let we = f.tier().we(&r.agency);
    [
        format!(
            "{}年，{we}在政务公开工作方面虽然取得了一定成绩，但与上级要求和群众需求相比，仍存在一定的问题和不足。下步工作中，将认真贯彻条例精神，进一步加强政务信息公开工作，推进依法行政和建设服务型机关。",
            r.year
        ),
        "（一）思想认识方面。个别单位和部门对政务公开工作的重要性认识不足，下步将组织干部职工深入学习《中华人民共和国政府信息公开条例》，强化公开即服务的理念。".to_string(),
        "（二）人才力量方面。信息公开工作人员变动较多，队伍建设相对较弱，下步将落实专人负责制，加强业务培训，提高政务公开工作的管理和服务水平。".to_string(),
        "（三）公开内容方面。群众关注度较高领域的公开力度仍需加大，下步将继续优化政府信息公开渠道，推动政府信息公开向基层延伸，加大重点热点问题的公开和解读力度。".to_string(),
    ]
    .join("\n")
}

/// 六、其他需要报告的事项: the 信息处理费 charged (国办函〔2020〕109号), and a closing line to
/// be edited.
pub fn section_six(f: &ProseFacts, r: &Report) -> String {
    let we = f.tier().we(&r.agency);
    let fee = if f.fee_requests > 0 {
        format!(
            "{}年，{we}依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）对{}件政府信息公开申请收取信息处理费，合计{}元。",
            r.year, f.fee_requests, f.fee_yuan
        )
    } else {
        format!(
            "{}年，{we}未收取政府信息公开信息处理费（《政府信息公开信息处理费管理办法》，国办函〔2020〕109号）。",
            r.year
        )
    };
    [fee, "无其他需要报告的事项。".to_string()].join("\n")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test that cannot unwrap should fail loudly
mod tests {
    use super::*;
    use crate::model::ReportFormat;
    use crate::rules::{RuleId, check};

    /// The demo county's figures (the seed's paragraphs, with the total the parts give).
    fn xiayi() -> ProseFacts {
        ProseFacts {
            tier: Some(Tier::County),
            published_by_self: 4884,
            published_by_departments: 589,
            published_by_townships: 525,
            topics: 39,
            interpretations: 32,
            letters_replied: 318,
            catalogue_domains: Domain::ALL.to_vec(),
            catalogue_entries: 26,
            media_accounts: vec![
                ("微博".into(), 2),
                ("微信公众号".into(), 8),
                ("移动客户端".into(), 1),
            ],
            trainings: 2,
            training_attendees: 150,
            inspections: 3,
            ..ProseFacts::default()
        }
    }

    fn seed_tables() -> Report {
        let mut r = Report::zero("夏邑县人民政府", 2020, ReportFormat::Trial2019);
        let mut set = |row: Table3Row, v: i64| {
            r.requests.insert(
                row,
                [
                    Some(v),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(0),
                    Some(v),
                ],
            );
        };
        set(Table3Row::NewReceived, 12);
        set(Table3Row::CarriedIn, 2);
        set(Table3Row::Disclosed, 3);
        set(Table3Row::UnableNotHeld, 6);
        set(Table3Row::UnableUnclearAfterCorrection, 5);
        set(Table3Row::ResultsTotal, 14);
        set(Table3Row::CarriedOut, 0);
        r.appeals.reconsideration = [Some(0), Some(0), Some(0), Some(1), Some(1)];
        r.appeals.litigation_direct = [Some(1), Some(0), Some(0), Some(0), Some(1)];
        r
    }

    #[test]
    fn section_one_states_the_records_figures_with_a_total_that_adds_up() {
        let s = section_one(&xiayi(), &seed_tables());
        for needle in [
            "全年共主动公开政府信息5998条。其中，通过政府网站主动公开信息4884条，县直部门公开589条，乡镇公开525条。",
            "维护专题专栏39个",
            "政策解读材料32条",
            "县长信箱来信及咨询318条",
            "没有发生任何泄密事件",
            "新收政府信息公开申请12件，上年结转2件，共办结14件，结转下年度继续办理0件",
            "予以公开3件，无法提供11件",
            "被申请行政复议1件（尚未审结1件）",
            "被提起行政诉讼1件（结果维持1件）",
            "重大建设项目、公共资源交易、财政预决算、安全生产等26个领域",
            "26个领域",
            "政务新媒体共11个。其中，微博2个，微信公众号8个，移动客户端1个。",
            "培训2次",
            "共开展3次政府网站及政务新媒体的检查",
            "未出现因信息公开不到位进行责任追究的情况",
        ] {
            assert!(s.contains(needle), "missing {needle}: {s}");
        }
        // Seven paragraphs: the opening one and (一)…(六).
        assert_eq!(s.lines().count(), 7);
        assert!(
            s.lines()
                .nth(6)
                .unwrap()
                .starts_with("（六）县级以上人民政府")
        );
    }

    #[test]
    fn drafts_pass_the_prose_rules() {
        let mut r = seed_tables();
        r.sections = draft_sections(&xiayi(), &r);
        let prose: Vec<_> = check(&r)
            .into_iter()
            .filter(|f| matches!(f.rule, RuleId::TextParts | RuleId::TextTable))
            .collect();
        assert!(prose.is_empty(), "{prose:#?}");
        // A contradicting figure typed into the draft is found.
        let one = r.sections["1"].replace("共主动公开政府信息5998条", "共主动公开政府信息5863条");
        r.sections.insert(
            "1".into(),
            one.replace("新收政府信息公开申请12件", "新收政府信息公开申请15件"),
        );
        let rules: Vec<RuleId> = check(&r).iter().map(|f| f.rule).collect();
        assert!(rules.contains(&RuleId::TextParts), "{rules:?}");
        assert!(rules.contains(&RuleId::TextTable), "{rules:?}");
    }

    #[test]
    fn a_published_item_with_an_open_finding_drops_the_no_leak_sentence() {
        let mut f = xiayi();
        f.published_with_open_findings = 2;
        let s = section_one(&f, &seed_tables());
        assert!(!s.contains("泄密事件"), "{s}");
        assert!(s.contains("有2条仍有未处理的审查提示"), "{s}");
    }

    #[test]
    fn empty_records_give_plain_sentences() {
        let f = ProseFacts {
            tier: Some(Tier::Township),
            published_by_self: 7,
            ..ProseFacts::default()
        };
        let r = Report::zero("某某镇人民政府", 2021, ReportFormat::Current2021);
        let s = section_one(&f, &r);
        assert!(
            s.contains("共主动公开政府信息7条，均通过政府网站主动公开。"),
            "{s}"
        );
        assert!(
            s.contains("未发生因政府信息公开引起的行政复议和行政诉讼"),
            "{s}"
        );
        assert!(s.contains("我镇尚未建立基层政务公开标准目录"), "{s}");
        assert!(s.contains("尚无备案运行的政务新媒体"), "{s}");
        assert!(s.contains("（六）政府信息公开工作考核"), "{s}");
        assert!(!s.contains("办结的"), "{s}");
        let six = section_six(&f, &r);
        assert!(six.contains("未收取政府信息公开信息处理费"), "{six}");
        let charged = ProseFacts {
            fee_requests: 2,
            fee_yuan: 200,
            ..f
        };
        let six = section_six(&charged, &r);
        assert!(
            six.contains("对2件政府信息公开申请收取信息处理费，合计200元"),
            "{six}"
        );
    }

    #[test]
    fn accountability_cases_are_counted() {
        let mut f = xiayi();
        f.accountability_cases = 2;
        let s = section_one(&f, &seed_tables());
        assert!(
            s.contains("对2起信息公开工作不到位的情形进行了责任追究"),
            "{s}"
        );
    }
}
