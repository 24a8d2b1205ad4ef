//! Synthetic published items and visitor queries for the search benchmarks.
//!
//! Shared by `benches/search.rs` (criterion) and `examples/bench_search.rs` (the latency
//! report) through `#[path]`, so both measure the same data. Everything is deterministic: the
//! same seed gives the same corpus and queries, so figures from two runs are comparable.
//!
//! Titles and bodies are assembled from the vocabulary of county-level disclosure work (the
//! 基层政务公开标准目录 domains, document kinds, agencies, townships), so that jieba cuts them the
//! way it cuts real items and term frequencies are skewed the way real ones are.

use std::path::Path;
use std::time::Instant;

use chrono::NaiveDate;
use gongkai_search::{IndexOptions, ItemDoc, Query, SearchError, SearchIndex};

/// Bumped when the generator changes, so that an index built by an older generator is rebuilt
/// instead of reused.
const GENERATOR_VERSION: u32 = 1;
const MARKER: &str = "bench-corpus";

/// A small, fast, deterministic PRNG (SplitMix64); statistical quality is plenty for this.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// An element, uniformly.
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }

    /// An element with a Zipf-like skew: the first ones come up far more often, as the big
    /// topics do on a real portal.
    fn pick_skewed<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        let a = self.below(xs.len());
        let b = self.below(xs.len());
        xs[a.min(b)]
    }
}

const SUBJECTS: &[&str] = &[
    "安全生产",
    "义务教育",
    "医疗保障",
    "环境保护",
    "财政预算",
    "政府集中采购",
    "行政许可",
    "行政处罚",
    "社会救助",
    "养老服务",
    "就业创业",
    "社会保险",
    "扶贫",
    "乡村振兴",
    "食品药品",
    "公共资源交易",
    "城乡规划",
    "保障性住房",
    "农村危房改造",
    "涉农补贴",
    "征地补偿",
    "国有土地上房屋征收",
    "城市综合执法",
    "税收管理",
    "救灾",
    "重大建设项目",
    "公共文化服务",
    "公共法律服务",
    "户籍管理",
    "生态环境",
    "卫生健康",
    "市政服务",
    "规范性文件",
    "行政事业性收费",
    "统计信息",
    "突发公共事件",
    "公务员招考",
    "产品质量",
    "河长制",
    "营商环境",
    "疫情防控",
    "秸秆禁烧",
    "防汛抗旱",
    "森林防火",
    "高标准农田",
    "农村人居环境整治",
    "文明城市创建",
    "双随机一公开",
    "政务公开",
    "信访工作",
    "安全隐患排查",
    "消防安全",
    "道路交通安全",
    "校园安全",
    "残疾人保障",
    "退役军人服务",
    "最低生活保障",
    "特困人员供养",
    "医疗救助",
    "临时救助",
    "耕地保护",
    "土地整治",
    "农民工工资",
    "劳动保障监察",
    "中小企业发展",
    "招商引资",
    "科技创新",
    "电子商务",
    "旅游发展",
    "文物保护",
    "体育健身",
    "住房公积金",
    "燃气安全",
    "饮用水安全",
];

const ACTIONS: &[&str] = &[
    "加强",
    "进一步做好",
    "开展",
    "规范",
    "推进",
    "做好",
    "落实",
    "调整",
    "公布",
    "深化",
    "实施",
    "组织开展",
    "全面推行",
    "完善",
    "印发",
    "切实抓好",
    "扎实推进",
    "加快推进",
];

const KINDS: &[&str] = &[
    "工作的通知",
    "实施方案",
    "管理办法",
    "暂行办法",
    "实施意见",
    "工作方案",
    "通告",
    "公告",
    "公示",
    "情况的报告",
    "考核办法",
    "专项行动方案",
    "指导意见",
    "实施细则",
    "工作要点",
];

const LAWS: &[&str] = &[
    "中华人民共和国政府信息公开条例",
    "河南省行政规范性文件管理办法",
    "中华人民共和国安全生产法",
    "中华人民共和国环境保护法",
    "中华人民共和国义务教育法",
    "中华人民共和国预算法",
    "中华人民共和国政府采购法",
    "社会救助暂行办法",
    "中华人民共和国行政许可法",
    "中华人民共和国行政处罚法",
    "优化营商环境条例",
    "中华人民共和国食品安全法",
];

const PLACES: &[&str] = &[
    "会亭镇",
    "马头镇",
    "济阳镇",
    "李集镇",
    "车站镇",
    "杨集镇",
    "韩道口镇",
    "太平镇",
    "罗庄镇",
    "火店镇",
    "北岭镇",
    "业庙乡",
    "中峰乡",
    "桑堌乡",
    "何营乡",
    "王集乡",
    "刘店集乡",
    "骆集乡",
    "歧河乡",
    "郭店乡",
    "胡桥乡",
    "孔庄乡",
    "曹集乡",
    "郭庄镇",
];

const AGENCIES: &[&str] = &[
    "夏邑县人民政府办公室",
    "夏邑县教育局",
    "夏邑县财政局",
    "夏邑县卫生健康委员会",
    "夏邑县自然资源局",
    "夏邑县生态环境分局",
    "夏邑县住房和城乡建设局",
    "夏邑县交通运输局",
    "夏邑县水利局",
    "夏邑县农业农村局",
    "夏邑县商务局",
    "夏邑县文化广电和旅游局",
    "夏邑县应急管理局",
    "夏邑县市场监督管理局",
    "夏邑县医疗保障局",
    "夏邑县人力资源和社会保障局",
    "夏邑县民政局",
    "夏邑县司法局",
    "夏邑县公安局",
    "夏邑县统计局",
    "夏邑县审计局",
    "夏邑县发展和改革委员会",
    "夏邑县工业和信息化局",
    "夏邑县退役军人事务局",
    "夏邑县乡村振兴局",
    "夏邑县城市管理局",
    "夏邑县林业局",
    "夏邑县税务局",
    "夏邑县住房公积金管理中心",
    "夏邑县政务服务和大数据管理局",
];

/// Art. 20 category keys, (一) to (十五).
pub const CATEGORIES: &[&str] = &[
    "art20-01", "art20-02", "art20-03", "art20-04", "art20-05", "art20-06", "art20-07", "art20-08",
    "art20-09", "art20-10", "art20-11", "art20-12", "art20-13", "art20-14", "art20-15",
];

/// Number of distinct agencies; agency ids run from 1 to this.
pub const AGENCY_COUNT: usize = AGENCIES.len();

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2010, 1, 1).unwrap_or_default()
}

/// Days in the publication range (2010-01-01 to 2026-06-30).
const DAY_SPAN: u64 = 6024;

fn sentence(rng: &mut Rng, subject: &str, out: &mut String) {
    let s = match rng.below(10) {
        0 => format!(
            "为{}{}工作，根据《{}》有关规定，结合我县实际，制定本方案。",
            rng.pick(ACTIONS),
            subject,
            rng.pick(LAWS)
        ),
        1 => format!(
            "各乡镇人民政府、县直各单位要高度重视{}工作，切实加强组织领导，明确责任分工。",
            subject
        ),
        2 => format!(
            "{}工作由{}牵头，{}配合，{}具体实施。",
            subject,
            rng.pick(AGENCIES),
            rng.pick(AGENCIES),
            rng.pick(PLACES)
        ),
        3 => format!(
            "截至{}年底，全县累计完成{}项目{}个，投入资金{}万元。",
            rng.between(2010, 2026),
            rng.pick_skewed(SUBJECTS),
            rng.between(3, 300),
            rng.between(10, 90_000)
        ),
        4 => format!(
            "对{}中发现的问题，要立即整改，在{}个工作日内办结并报送整改情况。",
            subject,
            rng.between(5, 30)
        ),
        5 => format!(
            "{}{}情况总体良好，群众满意度达到{}%。",
            rng.pick(PLACES),
            subject,
            rng.between(80, 99)
        ),
        6 => format!(
            "要把{}与{}结合起来，统筹推进，确保各项任务落到实处。",
            subject,
            rng.pick_skewed(SUBJECTS)
        ),
        7 => format!(
            "对工作不力、造成不良影响的单位和个人，依照《{}》严肃追究责任。",
            rng.pick(LAWS)
        ),
        8 => format!(
            "本{}自发布之日起施行，有效期{}年。",
            if rng.below(2) == 0 {
                "办法"
            } else {
                "方案"
            },
            rng.between(2, 5)
        ),
        _ => format!(
            "{}将{}纳入年度目标考核，定期通报进展情况，接受社会监督。",
            rng.pick(AGENCIES),
            subject
        ),
    };
    out.push_str(&s);
}

/// Item number `n` of the corpus; the same `n` always gives the same item.
pub fn item(n: u64) -> ItemDoc {
    let mut rng = Rng::new(n.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0xD1B5_4A32_D192_ED03);
    let subject = rng.pick_skewed(SUBJECTS);
    let agency_idx = rng.below(AGENCIES.len());
    let agency = AGENCIES[agency_idx];
    let published_on = first_day() + chrono::Days::new(rng.next_u64() % DAY_SPAN);
    let year = chrono::Datelike::year(&published_on);
    let action = rng.pick(ACTIONS);
    let kind = rng.pick(KINDS);
    let title = match rng.below(5) {
        0 => format!("{agency}关于{action}{subject}{kind}"),
        1 => format!("关于{action}{subject}和{}{kind}", rng.pick_skewed(SUBJECTS)),
        2 => format!("{year}年{subject}{kind}"),
        3 => format!("{}{year}年{subject}工作总结", rng.pick(PLACES)),
        _ => format!("关于印发《夏邑县{subject}{kind}》的通知"),
    };
    let mut body = String::with_capacity(600);
    for _ in 0..rng.between(4, 8) {
        sentence(&mut rng, subject, &mut body);
    }
    let summary = format!("{action}{subject}有关事项，{}。", rng.pick(KINDS));
    let doc_number =
        (rng.below(5) < 2).then(|| format!("夏政办〔{year}〕{}号", rng.between(1, 150)));
    ItemDoc {
        id: n as i64 + 1,
        index_no: format!("11411426{:010}/{year}-{:05}", agency_idx + 1, n % 100_000),
        title,
        body,
        summary,
        doc_number,
        category: CATEGORIES[rng.below(CATEGORIES.len())].to_string(),
        agency: agency.to_string(),
        agency_id: agency_idx as i64 + 1,
        published_on,
        url: format!("/xxgk/items/{}", n + 1),
    }
}

/// `count` varied visitor queries: single topics, two words, title-like phrases, filters,
/// later pages, 文号, and a few odd inputs, in the proportions a portal roughly sees.
pub fn queries(seed: u64, count: usize) -> Vec<Query> {
    let mut rng = Rng::new(seed);
    (0..count)
        .map(|_| {
            let roll = rng.below(100);
            let mut q = match roll {
                0..=34 => Query::new(rng.pick_skewed(SUBJECTS)),
                35..=54 => Query::new(format!("{} {}", rng.pick_skewed(SUBJECTS), rng.pick(KINDS))),
                55..=64 => Query::new(format!("{}{}", rng.pick(ACTIONS), rng.pick(SUBJECTS))),
                65..=69 => Query::new(format!("{} {}", rng.pick(PLACES), rng.pick(SUBJECTS))),
                70..=74 => Query::new(format!(
                    "夏政办〔{}〕{}号",
                    rng.between(2010, 2026),
                    rng.between(1, 150)
                )),
                75..=77 => Query::new(rng.pick(AGENCIES)),
                78..=79 => Query::new(
                    *[
                        "\"安全生产",
                        "(",
                        "AND 教育",
                        "",
                        "规范性文件\"",
                        "title:采购",
                    ]
                    .get(rng.below(6))
                    .unwrap_or(&""),
                ),
                _ => Query::new(rng.pick_skewed(SUBJECTS)),
            };
            // Filters on about a fifth of the queries, later pages on some.
            match rng.below(20) {
                0 => q.category = Some(CATEGORIES[rng.below(CATEGORIES.len())].to_string()),
                1 => q.year = Some(rng.between(2010, 2026) as i32),
                2 => q.agency_id = Some(rng.between(1, AGENCY_COUNT) as i64),
                3 => {
                    q.year = Some(rng.between(2010, 2026) as i32);
                    q.agency_id = Some(rng.between(1, AGENCY_COUNT) as i64);
                }
                _ => {}
            }
            if rng.below(10) == 0 {
                q.page = rng.between(2, 10);
            }
            q
        })
        .collect()
}

/// Opens the corpus index of `docs` items in `dir`, building it first unless a complete build
/// of the same size and generator is already there. Returns the index and whether it was built.
pub fn open_or_build(
    dir: &Path,
    docs: u64,
    options: IndexOptions,
) -> Result<(SearchIndex, bool), SearchError> {
    let marker = dir.join(MARKER);
    let want = format!("{docs} {GENERATOR_VERSION}");
    if std::fs::read_to_string(&marker).is_ok_and(|m| m.trim() == want) {
        match SearchIndex::open_or_create_with(dir, options) {
            Ok(index) => return Ok((index, false)),
            // Built by an older schema: fall through and build again.
            Err(SearchError::IncompatibleIndex { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    // Missing, partial or different: start from nothing.
    let _ = std::fs::remove_dir_all(dir);
    let index = SearchIndex::open_or_create_with(dir, options)?;
    let started = Instant::now();
    let mut last = Instant::now();
    index.rebuild((0..docs).map(item), |n| {
        if last.elapsed().as_secs() >= 10 || n == docs {
            eprintln!(
                "  indexed {n} / {docs} items in {:.0} s",
                started.elapsed().as_secs_f64()
            );
            last = Instant::now();
        }
    })?;
    std::fs::write(&marker, want).map_err(|source| SearchError::Io {
        path: marker.clone(),
        source,
    })?;
    Ok((index, true))
}
