//! The words of the demo's published items: titles, 正文, 主题分类, 主题词 and 科室 written from
//! templates of the document kinds a county publishes (通知, 意见, 办法, 公告, 通报, 解读 and
//! 图解), per Art. 20 category and per kind of agency. Every name of a person is left out;
//! agencies are the demo's own.

use chrono::{Datelike, NaiveDate};

/// The five 规范性文件 of the demo year: (document name, 主题分类, 主题词, what it governs).
pub const NORMATIVE: [(&str, &str, &str, &str); 5] = [
    (
        "夏邑县农村人居环境整治实施方案",
        "城乡建设、环境保护",
        "人居环境 整治 实施方案",
        "农村生活垃圾治理、生活污水治理、厕所改造和村容村貌提升",
    ),
    (
        "夏邑县2020年政务公开工作要点",
        "综合政务",
        "政务公开 工作要点",
        "政策解读回应、基层政务公开标准化规范化和政府信息公开平台建设",
    ),
    (
        "夏邑县稳就业若干措施",
        "劳动、人事、监察",
        "就业 创业 补贴",
        "企业稳岗返还、重点群体就业帮扶、创业担保贷款和职业技能培训补贴",
    ),
    (
        "夏邑县城乡居民最低生活保障管理办法",
        "民政、扶贫、救灾",
        "最低生活保障 社会救助 办法",
        "最低生活保障的申请、审核确认、动态管理和资金发放",
    ),
    (
        "夏邑县优化营商环境实施意见",
        "国民经济管理、国有资产监管",
        "营商环境 放管服 意见",
        "企业开办、工程建设项目审批、获得信贷和政务服务“一网通办”",
    ),
];

/// The title of the `n`-th 规范性文件 (the 通知 that issues it).
pub fn normative_title(n: usize) -> String {
    format!("夏邑县人民政府关于印发{}的通知", NORMATIVE[n % 5].0)
}

/// The 正文 of the `n`-th 规范性文件: the 通知 and the document it issues, in articles.
pub fn normative_body(n: usize, written_on: NaiveDate) -> String {
    let (name, _, _, scope) = NORMATIVE[n % 5];
    let kind = if name.ends_with("办法") {
        "办法"
    } else if name.ends_with("意见") {
        "意见"
    } else if name.ends_with("措施") {
        "措施"
    } else if name.ends_with("要点") {
        "要点"
    } else {
        "方案"
    };
    format!(
        "各乡（镇）人民政府，县人民政府各部门：\n\
         《{name}》已经县人民政府常务会议研究同意，现印发给你们，请结合实际，认真贯彻执行。\n\
         夏邑县人民政府\n{y}年{m}月{d}日\n\
         {name}\n\
         第一条 为规范{scope}工作，根据有关法律、法规和上级规定，结合本县实际，制定本{kind}。\n\
         第二条 本{kind}适用于本县行政区域内{scope}的组织实施和监督管理。\n\
         第三条 县人民政府统一领导本县相关工作，各乡（镇）人民政府负责本辖区内的具体实施，县直有关部门按照职责分工做好相关工作。\n\
         第四条 各责任单位应当建立工作台账，明确时间节点，每季度末向县人民政府报送工作进展情况。\n\
         第五条 县人民政府督查室对落实情况进行督促检查，检查结果纳入年度目标考核。\n\
         第六条 本{kind}自印发之日起施行，有效期五年。",
        y = written_on.year(),
        m = written_on.month(),
        d = written_on.day(),
    )
}

/// The kinds of 解读 a document gets, in the order they are published after it.
const INTERPRETATION_KINDS: [&str; 7] = [
    "政策解读",
    "图解",
    "一图读懂",
    "起草部门解读",
    "答记者问",
    "政策问答",
    "专家解读",
];

/// The title of the `j`-th 解读 of 规范性文件 `n`.
pub fn interpretation_title(n: usize, j: usize) -> String {
    let name = NORMATIVE[n % 5].0;
    match INTERPRETATION_KINDS[j % 7] {
        "图解" => format!("图解：《{name}》"),
        "一图读懂" => format!("一图读懂《{name}》"),
        "起草部门解读" => format!("起草部门解读《{name}》"),
        "答记者问" => format!("县政府办公室负责人就《{name}》答记者问"),
        "政策问答" => format!("《{name}》政策问答"),
        "专家解读" => format!("专家解读《{name}》"),
        _ => format!("《{name}》政策解读"),
    }
}

/// The 正文 of the `j`-th 解读 of 规范性文件 `n`; a 图解 is written as the panels of its graphic.
pub fn interpretation_body(n: usize, j: usize) -> String {
    let (name, _, _, scope) = NORMATIVE[n % 5];
    if matches!(INTERPRETATION_KINDS[j % 7], "图解" | "一图读懂") {
        format!(
            "【图解】{name}\n\
             图一 为什么制定：落实上级部署，解决{scope}中群众反映集中的问题。\n\
             图二 适用范围：本县行政区域内的相关单位和群众。\n\
             图三 主要内容：明确责任分工、工作流程和完成时限。\n\
             图四 怎么办理：可到县政务服务中心或所在乡（镇）便民服务中心咨询办理。\n\
             （图解文字版，图片见原文页面）"
        )
    } else {
        format!(
            "一、制定背景\n为贯彻落实上级有关部署，进一步做好{scope}工作，县人民政府制定了《{name}》。\n\
             二、主要内容\n文件共六条，明确了适用范围、职责分工、工作台账、督促检查和施行日期。\n\
             三、主要特点\n一是责任明确，县乡两级和县直部门各负其责；二是程序清楚，时间节点可查可考；三是注重实效，落实情况纳入年度目标考核。\n\
             四、解读机关及联系方式\n解读机关：夏邑县人民政府办公室；联系电话：0370-6221000（工作日上午8:30-12:00，下午15:00-18:00）。"
        )
    }
}

/// What kind of agency published an item, for its wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publisher {
    /// 县人民政府 (its 办公室 publishes)
    County,
    /// A 县直部门
    Department,
    /// A 乡镇人民政府
    Township,
}

impl Publisher {
    /// The 科室 that handles its publishing.
    pub fn unit(self) -> &'static str {
        match self {
            Publisher::County => "县人民政府办公室",
            Publisher::Department => "办公室",
            Publisher::Township => "党政综合办公室",
        }
    }
}

/// The words of one of the demo's other published items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemText {
    /// 名称
    pub title: String,
    /// 正文
    pub body: String,
    /// 主题分类 (one of [`gongkai_law::TOPICS`])
    pub topic: &'static str,
    /// 主题词
    pub keywords: &'static str,
}

/// Subjects per Art. 20 category: (subject, 主题分类, 主题词).
fn subjects(art20: i64) -> &'static [(&'static str, &'static str, &'static str)] {
    match art20 {
        2 => &[
            ("领导班子分工调整", "国务院组织机构", "机构 职能 分工"),
            ("内设机构及职责", "国务院组织机构", "机构 职能"),
            ("办公地址及办公时间", "综合政务", "办公地址 联系方式"),
        ],
        4 => &[
            (
                "主要经济指标",
                "国民经济管理、国有资产监管",
                "统计 经济指标",
            ),
            ("规模以上工业生产情况", "工业、交通", "统计 工业"),
            ("社会消费品零售总额", "商贸、海关、旅游", "统计 消费"),
            ("农业生产情况", "农业、林业、水利", "统计 农业"),
        ],
        5 => &[
            (
                "食品经营许可",
                "市场监管、安全生产监管",
                "行政许可 食品经营",
            ),
            ("建设工程规划许可", "城乡建设、环境保护", "行政许可 规划"),
            ("药品零售许可", "卫生、体育", "行政许可 药品"),
            ("道路运输经营许可", "工业、交通", "行政许可 运输"),
        ],
        6 => &[
            ("行政处罚案件", "市场监管、安全生产监管", "行政处罚 公示"),
            (
                "安全生产行政处罚",
                "市场监管、安全生产监管",
                "行政处罚 安全生产",
            ),
            ("环境违法行为处罚", "城乡建设、环境保护", "行政处罚 环境"),
        ],
        11 => &[
            (
                "城乡居民基本医疗保险参保缴费",
                "劳动、人事、监察",
                "医疗保险 参保",
            ),
            (
                "农村低保和特困供养资金发放",
                "民政、扶贫、救灾",
                "低保 特困 救助",
            ),
            ("义务教育阶段学生资助", "科技、教育", "学生资助 义务教育"),
            ("公益性岗位招聘", "劳动、人事、监察", "就业 公益性岗位"),
            ("扶贫小额信贷贴息", "民政、扶贫、救灾", "扶贫 小额信贷"),
        ],
        13 => &[
            (
                "食品安全监督抽检",
                "市场监管、安全生产监管",
                "食品安全 抽检",
            ),
            ("安全生产大检查", "市场监管、安全生产监管", "安全生产 检查"),
            ("大气污染防治督查", "城乡建设、环境保护", "大气污染 督查"),
            ("医疗机构监督检查", "卫生、体育", "医疗机构 监督检查"),
        ],
        _ => &[
            ("秸秆禁烧", "农业、林业、水利", "秸秆禁烧 通告"),
            ("冬春季森林防火", "农业、林业、水利", "森林防火 通告"),
            ("防汛抗旱工作", "农业、林业、水利", "防汛 抗旱"),
            ("疫情防控工作", "卫生、体育", "疫情防控 公告"),
            ("征兵工作", "综合政务", "征兵 公告"),
        ],
    }
}

/// The title and 正文 of one of the demo's other items: the `serial`-th of its agency, of
/// Art. 20 category `art20`, published on `on` by `agency`.
pub fn other_item(agency: &str, art20: i64, serial: usize, on: NaiveDate) -> ItemText {
    let list = subjects(art20);
    let (subject, topic, keywords) = list[serial % list.len()];
    let (y, m) = (on.year(), on.month());
    let issue = serial / list.len() + 1;
    let (title, body) = match art20 {
        2 => (
            format!("{agency}关于{subject}的公告（{y}年第{issue}号）"),
            format!(
                "根据工作需要，现将{agency}{subject}情况公告如下：\n\
                 一、相关调整自公告之日起执行。\n二、对外办公时间：工作日上午8:30-12:00，下午15:00-18:00（夏季），法定节假日除外。\n\
                 三、联系方式以{agency}政府信息公开指南所载为准。\n特此公告。"
            ),
        ),
        4 => (
            format!("{agency}{y}年{m}月{subject}"),
            format!(
                "{y}年{m}月，全县{subject}总体平稳。\n一、主要指标与上年同期相比保持增长，增速较上月有所回升。\n\
                 二、分行业看，多数行业保持增长。\n\
                 说明：本数据为初步统计数，最终数据以年度统计公报为准。数据来源：{agency}。"
            ),
        ),
        5 => (
            format!("{agency}关于{y}年{m}月{subject}办理结果的公示（第{issue}期）"),
            format!(
                "根据《中华人民共和国行政许可法》和“双公示”工作要求，现将{y}年{m}月{subject}办理结果予以公示。\n\
                 一、本期共办结{subject}事项，均在法定期限内办结。\n二、办理结果详见“双公示”栏目。\n\
                 公示期间如有异议，请向{agency}反映。"
            ),
        ),
        6 => (
            format!("{agency}{subject}信息公示（{y}年第{issue}期）"),
            format!(
                "依据《中华人民共和国行政处罚法》和“双公示”工作要求，现将{agency}{y}年{m}月作出的{subject}决定予以公示。\n\
                 公示内容包括行政处罚决定书文号、违法事实、处罚依据、处罚内容、作出处罚决定的机关和日期。\n\
                 涉及自然人的，姓名和证件号码按规定作遮盖处理。"
            ),
        ),
        11 => (
            format!("{agency}关于做好{y}年{subject}工作的通知"),
            format!(
                "各有关单位：\n为做好{y}年{subject}工作，切实保障群众合法权益，现将有关事项通知如下：\n\
                 一、提高认识，加强领导。各单位要明确分管负责同志和具体经办人员。\n\
                 二、严格程序，规范办理。严格执行申请、审核、公示和资金发放程序，做到公开、公平、公正。\n\
                 三、强化监督，确保实效。{agency}将适时开展督导检查，对工作不力的予以通报。\n{agency}\n{y}年{m}月{d}日",
                d = on.day()
            ),
        ),
        13 => (
            format!("{agency}关于{y}年{m}月{subject}情况的通报"),
            format!(
                "{y}年{m}月，{agency}组织开展{subject}工作。\n一、基本情况。本次检查覆盖全县重点单位和场所。\n\
                 二、发现的问题。个别单位存在台账不规范、整改不及时等问题。\n\
                 三、整改要求。有关单位须在15个工作日内完成整改并报送整改情况，逾期未整改的依法处理。"
            ),
        ),
        _ => (
            format!("{agency}关于{subject}的通告（{y}年第{issue}号）"),
            format!(
                "为切实做好{subject}，保障人民群众生命财产安全，现就有关事项通告如下：\n\
                 一、各乡（镇）、各部门要落实属地管理和部门监管责任。\n二、广大群众应当遵守有关规定，发现问题及时报告。\n\
                 三、对违反本通告的行为，依法依规予以处理。\n本通告自发布之日起施行。"
            ),
        ),
    };
    ItemText {
        title,
        body,
        topic,
        keywords,
    }
}

/// The 39 专题专栏 of the demo, in the order they were opened (dates ascending).
pub const TOPIC_NAMES: [&str; 39] = [
    "脱贫攻坚",
    "扫黑除恶专项斗争",
    "优化营商环境",
    "“放管服”改革",
    "农村人居环境整治",
    "减税降费",
    "河长制",
    "双随机一公开",
    "政务公开标准化规范化",
    "互联网+政务服务",
    "义务教育均衡发展",
    "第二次全国污染源普查",
    "秸秆禁烧",
    "森林防火",
    "大气污染防治",
    "生态环境保护督察整改",
    "全民参保",
    "退役军人服务保障",
    "平安建设",
    "法治政府建设",
    "社会信用体系建设",
    "新冠肺炎疫情防控",
    "复工复产",
    "稳就业保民生",
    "消费扶贫",
    "防汛抗旱",
    "安全生产月",
    "食品安全",
    "民法典宣传",
    "禁毒宣传",
    "全国文明城市创建",
    "厕所革命",
    "移风易俗",
    "乡村振兴",
    "农村集体产权制度改革",
    "第七次全国人口普查",
    "健康夏邑",
    "学习贯彻党的十九届五中全会精神",
    "冬季清洁取暖",
];

/// Two 公开事项 of each domain's 基层政务公开标准目录 as county guidelines word them:
/// (一级事项, 二级事项, 公开内容), in [`gongkai_law::catalogue::Domain::ALL`] order.
pub const DOMAIN_ENTRIES: [[(&str, &str, &str); 2]; 26] = [
    [
        (
            "审批服务",
            "项目审批核准备案",
            "审批、核准、备案的事项名称、依据、条件、程序和结果",
        ),
        (
            "项目实施",
            "施工有关信息",
            "项目法人单位、施工单位、监理单位及施工进度",
        ),
    ],
    [
        (
            "交易公告",
            "工程建设项目招标公告",
            "招标条件、项目概况、投标人资格要求和获取招标文件的方式",
        ),
        (
            "成交信息",
            "中标结果公示",
            "中标候选人、中标人名称、中标金额和投诉渠道",
        ),
    ],
    [
        ("财政预算", "政府预算", "本级政府预算报告、预算表及说明"),
        ("财政决算", "政府决算", "本级政府决算报告、决算表及说明"),
    ],
    [
        (
            "执法检查",
            "安全生产执法检查",
            "年度监督检查计划、检查结果和整改情况",
        ),
        (
            "事故调查",
            "生产安全事故调查报告",
            "事故经过、原因、责任认定和处理建议",
        ),
    ],
    [
        (
            "税费政策",
            "减税降费政策",
            "增值税、个人所得税等减税降费政策及办税指引",
        ),
        ("纳税服务", "办税指南", "办税地点、时间、流程和咨询电话"),
    ],
    [
        (
            "征地批复",
            "征收土地方案",
            "征地范围、面积、补偿标准和安置方式",
        ),
        ("补偿安置", "征地补偿费用发放", "被征地农户补偿费用发放情况"),
    ],
    [
        (
            "征收决定",
            "房屋征收决定公告",
            "征收范围、征收部门、补偿方案和签约期限",
        ),
        (
            "补偿结果",
            "分户补偿情况",
            "被征收户补偿金额及安置方式（隐去个人信息）",
        ),
    ],
    [
        (
            "政策文件",
            "农村危房改造实施方案",
            "补助对象、补助标准和改造方式",
        ),
        (
            "对象认定",
            "改造对象公示",
            "拟改造户所在村组、危房等级和补助金额",
        ),
    ],
    [
        (
            "执法依据",
            "城市管理执法事项清单",
            "执法事项名称、依据和实施主体",
        ),
        (
            "执法结果",
            "城市管理行政处罚结果",
            "处罚决定书文号、违法事实和处罚内容",
        ),
    ],
    [
        (
            "扶贫资金",
            "扶贫项目资金使用",
            "项目名称、实施地点、资金规模和受益对象",
        ),
        (
            "帮扶政策",
            "产业扶贫政策",
            "产业奖补标准、申报条件和办理流程",
        ),
    ],
    [
        (
            "救灾信息",
            "灾情信息发布",
            "灾害发生时间、地点、损失和救灾措施",
        ),
        ("救灾款物", "救灾款物分配", "救灾资金和物资的分配、发放情况"),
    ],
    [
        (
            "低保",
            "城乡低保对象公示",
            "低保对象所在村（社区）、家庭人口和保障金额",
        ),
        (
            "特困供养",
            "特困人员供养标准",
            "基本生活标准、照料护理标准及发放方式",
        ),
    ],
    [
        (
            "养老机构",
            "养老机构名录",
            "机构名称、地址、床位数和收费标准",
        ),
        (
            "老年福利",
            "高龄津贴发放",
            "津贴标准、发放对象条件和申领流程",
        ),
    ],
    [
        (
            "户口登记",
            "户口迁移办理指南",
            "办理条件、所需材料、办理时限和地点",
        ),
        (
            "身份证办理",
            "居民身份证办理指南",
            "申领、换领、补领的材料和收费标准",
        ),
    ],
    [
        (
            "耕地地力保护补贴",
            "补贴发放",
            "补贴标准、补贴面积和发放时间",
        ),
        (
            "农机购置补贴",
            "补贴机具目录",
            "补贴机具品目、补贴额度和申请流程",
        ),
    ],
    [
        (
            "就业服务",
            "公共就业服务机构",
            "机构名称、地址、服务项目和联系电话",
        ),
        (
            "创业扶持",
            "创业担保贷款",
            "申请条件、贷款额度、贴息标准和办理流程",
        ),
    ],
    [
        (
            "参保登记",
            "城乡居民养老保险参保",
            "参保范围、缴费档次和办理渠道",
        ),
        (
            "待遇领取",
            "养老保险待遇领取",
            "领取条件、待遇标准和资格认证方式",
        ),
    ],
    [
        (
            "环境质量",
            "空气质量状况",
            "空气质量优良天数、主要污染物浓度",
        ),
        (
            "环评审批",
            "建设项目环评审批",
            "受理情况、拟批准公示和审批决定",
        ),
    ],
    [
        (
            "文化设施",
            "公共文化场馆名录",
            "图书馆、文化馆开放时间、地址和服务项目",
        ),
        ("文化活动", "惠民演出活动", "活动名称、时间、地点和参与方式"),
    ],
    [
        (
            "法律援助",
            "法律援助办理指南",
            "受援条件、申请材料和办理时限",
        ),
        (
            "人民调解",
            "人民调解组织名录",
            "调解组织名称、地址和联系电话",
        ),
    ],
    [
        (
            "食品安全",
            "食品安全监督抽检结果",
            "抽检产品、检验项目、不合格产品及处置",
        ),
        (
            "药品监管",
            "药品零售企业检查结果",
            "检查企业、检查结果和整改要求",
        ),
    ],
    [
        (
            "招生入学",
            "义务教育招生方案",
            "招生范围、报名时间、所需材料和咨询电话",
        ),
        (
            "学生资助",
            "义务教育学生资助",
            "资助对象、资助标准和申请程序",
        ),
    ],
    [
        (
            "公共卫生",
            "国家基本公共卫生服务项目",
            "服务项目、服务对象和免费政策",
        ),
        (
            "医疗机构",
            "医疗机构执业登记",
            "机构名称、地址、诊疗科目和执业许可",
        ),
    ],
    [
        ("供水服务", "供水价格及服务", "水价标准、缴费方式和报修电话"),
        ("燃气服务", "燃气安全使用", "燃气价格、安全检查和抢修电话"),
    ],
    [
        ("保障房分配", "公租房配租", "申请条件、轮候情况和配租结果"),
        (
            "保障房建设",
            "年度建设计划",
            "项目名称、建设地点、套数和进度",
        ),
    ],
    [
        ("规划编制", "国土空间规划", "规划草案公示、批准的规划成果"),
        (
            "规划许可",
            "建设工程规划许可",
            "项目名称、建设单位、建设规模和批准文号",
        ),
    ],
];

/// What a 双公示 decision of the demo says: (事由, 依据, 内容 with `{n}` for a number drawn
/// from the decision's serial). Written from the shapes of real 信用信息公示 rows; the
/// provisions are those of the laws named.
type DecisionText = (&'static str, &'static str, &'static str);

const LICENSING: [DecisionText; 6] = [
    (
        "食品经营许可（新办）",
        "《中华人民共和国食品安全法》第三十五条",
        "准予食品经营许可，许可证编号JY3411426{n}，有效期五年",
    ),
    (
        "公共场所卫生许可（新办）",
        "《公共场所卫生管理条例》第八条",
        "准予公共场所卫生许可，卫生许可证号豫卫公证字〔2020〕第{n}号",
    ),
    (
        "建设工程规划许可",
        "《中华人民共和国城乡规划法》第四十条",
        "准予建设工程规划许可，证号建字第2020-{n}号",
    ),
    (
        "药品零售企业经营许可（变更）",
        "《中华人民共和国药品管理法》第五十二条",
        "准予变更药品经营许可证登记事项，证号豫CB37{n}",
    ),
    (
        "道路货物运输经营许可",
        "《中华人民共和国道路运输条例》第二十四条",
        "准予道路货物运输经营许可，经营许可证号豫交运管许可商字411426{n}号",
    ),
    (
        "取水许可（延续）",
        "《取水许可和水资源费征收管理条例》第二十五条",
        "准予延续取水许可，取水许可证编号D411426G2020-{n}",
    ),
];

const OTHER_SERVICES: [DecisionText; 5] = [
    (
        "失业保险金申领",
        "《中华人民共和国社会保险法》第四十五条",
        "核定领取失业保险金{n}个月",
    ),
    (
        "社会保障卡申领",
        "《中华人民共和国社会保险法》第五十八条",
        "办结社会保障卡申领，制卡批次{n}",
    ),
    (
        "职业技能等级证书核发",
        "《中华人民共和国就业促进法》第五十一条",
        "核发职业技能等级证书，证书编号S2020-{n}",
    ),
    (
        "就业创业证申领",
        "《就业服务与就业管理规定》第六十三条",
        "核发就业创业证，证号XY2020-{n}",
    ),
    (
        "企业职工基本养老保险待遇核定",
        "《中华人民共和国社会保险法》第十六条",
        "核定基本养老金，待遇核定单号YL2020{n}",
    ),
];

const PENALTIES: [DecisionText; 5] = [
    (
        "经营超过保质期的食品",
        "《中华人民共和国食品安全法》第一百二十四条第一款第（二）项",
        "没收超过保质期的食品，罚款{n}00元",
    ),
    (
        "未取得食品经营许可从事食品经营活动",
        "《中华人民共和国食品安全法》第一百二十二条第一款",
        "没收违法所得，罚款{n}000元",
    ),
    (
        "使用未经检定的计量器具",
        "《中华人民共和国计量法实施细则》第四十三条",
        "责令停止使用，罚款{n}00元",
    ),
    (
        "销售不合格产品",
        "《中华人民共和国产品质量法》第四十九条",
        "没收违法销售的产品，罚款{n}00元",
    ),
    (
        "发布虚假广告",
        "《中华人民共和国广告法》第五十五条第一款",
        "责令停止发布广告，罚款{n}000元",
    ),
];

const ENFORCEMENT: [DecisionText; 2] = [
    (
        "涉嫌生产经营不符合食品安全标准的食品",
        "《中华人民共和国食品安全法》第一百一十条第（四）项",
        "查封涉案食品{n}箱，期限三十日",
    ),
    (
        "涉嫌销售假冒注册商标的商品",
        "《中华人民共和国商标法》第六十二条第一款",
        "扣押涉案商品{n}件，期限三十日",
    ),
];

/// 事由, 依据 and 内容 of the `i`-th demo decision of `kind`.
pub fn decision_text(kind: &str, i: usize) -> (&'static str, &'static str, String) {
    let list: &[DecisionText] = match kind {
        "licensing" => &LICENSING,
        "other_services" => &OTHER_SERVICES,
        "penalty" => &PENALTIES,
        _ => &ENFORCEMENT,
    };
    let (reason, basis, content) = list[i % list.len()];
    let n = match kind {
        "penalty" => 2 + i % 48,
        "enforcement" => 10 + i % 90,
        "other_services" if i.is_multiple_of(list.len()) => 1 + i % 12,
        _ => 10_000 + i % 90_000,
    };
    (reason, basis, content.replace("{n}", &n.to_string()))
}

/// A valid 统一社会信用代码 of a company registered in 夏邑县 (登记管理部门 9 工商, 类别 1 企业,
/// 区划 411426), all digits, with the 组织机构代码 check (GB 11714) and the GB 32100 check; the
/// `i`-th of the demo's companies. Synthetic: made from `i`, not any real company's.
pub fn credit_code(i: usize) -> String {
    const CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    const ORG: [usize; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
    // Bodies whose 组织机构代码 check would be X (10) are skipped: the code stays all digits.
    let mut body = 30_000_000 + (i * 7_919) % 60_000_000;
    loop {
        let digits: Vec<usize> = format!("{body:08}")
            .bytes()
            .map(|b| (b - b'0') as usize)
            .collect();
        let org = (11 - digits.iter().zip(ORG).map(|(d, w)| d * w).sum::<usize>() % 11) % 11;
        if org < 10 {
            let mut d17 = vec![9, 1, 4, 1, 1, 4, 2, 6];
            d17.extend(&digits);
            d17.push(org);
            let check = (31 - d17.iter().zip(W).map(|(d, w)| d * w).sum::<usize>() % 31) % 31;
            let mut code: String = d17.iter().map(|d| char::from(b'0' + *d as u8)).collect();
            code.push(char::from(CHARS[check]));
            return code;
        }
        body += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_law::Topic;

    #[test]
    fn every_template_names_a_listed_topic() {
        for (_, topic, _, _) in NORMATIVE {
            assert!(Topic::parse(topic).is_some(), "{topic}");
        }
        for art20 in [2, 4, 5, 6, 11, 13, 15] {
            for (_, topic, _) in subjects(art20) {
                assert!(Topic::parse(topic).is_some(), "{topic}");
            }
        }
    }
}
