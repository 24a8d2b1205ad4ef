//! The demo data set: the seed county (夏邑县人民政府, its 县直部门 and 乡镇) as records, not
//! totals, so that its 2020 report generated from them equals the published one cell for cell.
//!
//! About 250,000 records, most of them 双公示 decisions, loaded with multi-row INSERTs inside
//! transactions. Each part is loaded in one transaction that also writes a `meta` marker and
//! an audit entry, so a second run adds nothing and an interrupted run resumes where it stopped.
//! Names of people and companies are synthetic; ID numbers and phones are made up and sealed.

use std::time::{Duration, Instant};

use chrono::{Datelike, Days, NaiveDate};
use gongkai_law::{ApplicantKind, Channel, ClockEvent, Outcome};
use sqlx::Row;

use crate::audit::audit_append;
use crate::models::BATCH_ROWS;
use crate::models::agency::{self, AgencyLevel};
use crate::models::application::{self, Applicant, NewApplication};
use crate::models::proactive_item::{RESERVE_SERIALS, format_index_no};
use crate::{BeginWrite, Progress, ProgressFn, Store, StoreError};

pub mod texts;

use texts::Publisher;

/// The county whose 2020 report the demo reproduces.
pub const DEMO_COUNTY: &str = "夏邑县人民政府";
/// The year of the seed report.
pub const DEMO_YEAR: i32 = 2020;
const ACTOR: &str = "demo";

/// What a demo run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    /// Records added by this run (0 when everything was loaded before).
    pub added: u64,
    /// Parts skipped because an earlier run loaded them.
    pub parts_skipped: usize,
    /// Wall time.
    pub elapsed: Duration,
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The `i`-th of `n` dates spread over the demo year.
fn spread(i: usize, n: usize) -> NaiveDate {
    let offset = (i as u64 * 366) / n.max(1) as u64;
    day(DEMO_YEAR, 1, 1)
        .checked_add_days(Days::new(offset.min(365)))
        .unwrap_or(NaiveDate::MIN)
}

const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "高", "罗",
];
const GIVEN: [&str; 16] = [
    "明", "华", "强", "丽", "军", "敏", "静", "磊", "洋", "艳", "勇", "杰", "娟", "涛", "超", "霞",
];
const TRADES: [&str; 12] = [
    "商贸", "农业", "建材", "食品", "物流", "餐饮", "纺织", "医药", "电子", "运输", "种植", "养殖",
];

/// A synthetic person's name.
fn person(i: usize) -> String {
    format!(
        "{}{}{}",
        SURNAMES[i % SURNAMES.len()],
        GIVEN[(i / 20) % GIVEN.len()],
        GIVEN[(i / 7) % GIVEN.len()]
    )
}

const FIRM_NAMES: [&str; 16] = [
    "恒达", "鑫源", "宏远", "瑞丰", "金穗", "华晟", "永盛", "德顺", "天润", "福临", "安康", "兴业",
    "嘉禾", "润泽", "隆昌", "博远",
];

/// A synthetic company: 夏邑县 + a 字号 + a trade + 有限公司.
fn company(i: usize) -> String {
    format!(
        "夏邑县{}{}有限公司",
        FIRM_NAMES[(i / TRADES.len()) % FIRM_NAMES.len()],
        TRADES[i % TRADES.len()],
    )
}

/// The demo agencies: (name, level, parent name, credit code).
const AGENCIES: [(&str, AgencyLevel, Option<&str>, &str); 13] = [
    (
        "河南省人民政府",
        AgencyLevel::Province,
        None,
        "11410000005184246J",
    ),
    (
        "商丘市人民政府",
        AgencyLevel::City,
        Some("河南省人民政府"),
        "11411400006089574X",
    ),
    (
        DEMO_COUNTY,
        AgencyLevel::County,
        Some("商丘市人民政府"),
        "11411426005560141A",
    ),
    (
        "夏邑县发展和改革委员会",
        AgencyLevel::Department,
        Some(DEMO_COUNTY),
        "11411426005560150B",
    ),
    (
        "夏邑县市场监督管理局",
        AgencyLevel::Department,
        Some(DEMO_COUNTY),
        "11411426MB1C2D3E4F",
    ),
    (
        "夏邑县人力资源和社会保障局",
        AgencyLevel::Department,
        Some(DEMO_COUNTY),
        "11411426005560177C",
    ),
    (
        "夏邑县行政审批服务局",
        AgencyLevel::Department,
        Some(DEMO_COUNTY),
        "11411426MB0A1B2C3D",
    ),
    (
        "夏邑县自然资源局",
        AgencyLevel::Department,
        Some(DEMO_COUNTY),
        "11411426005560185D",
    ),
    (
        "夏邑县卫生健康委员会",
        AgencyLevel::Department,
        Some(DEMO_COUNTY),
        "11411426005560193E",
    ),
    (
        "夏邑县城关镇人民政府",
        AgencyLevel::Township,
        Some(DEMO_COUNTY),
        "11411426005560200F",
    ),
    (
        "夏邑县会亭镇人民政府",
        AgencyLevel::Township,
        Some(DEMO_COUNTY),
        "11411426005560219G",
    ),
    (
        "夏邑县济阳镇人民政府",
        AgencyLevel::Township,
        Some(DEMO_COUNTY),
        "11411426005560227H",
    ),
    (
        "夏邑县车站镇人民政府",
        AgencyLevel::Township,
        Some(DEMO_COUNTY),
        "11411426005560235J",
    ),
];

/// Runs one part of the load in its own transaction: skipped if its marker is there,
/// otherwise the body runs, the marker and an audit entry are written, and all commit together.
/// The body evaluates to the number of records added.
macro_rules! part {
    ($store:expr, $key:expr, $skipped:ident, $added:ident, $tx:ident, $DB:ident => $body:block) => {{
        let key: &str = $key;
        let n: Option<u64> = on_db!($store, pool, $DB => {
            let mut $tx = pool.begin_write().await?;
            let done = sqlx::query("SELECT value FROM meta WHERE key = $1")
                .bind(key)
                .fetch_optional(&mut *$tx)
                .await?
                .is_some();
            if done {
                None
            } else {
                let n: u64 = $body;
                sqlx::query("INSERT INTO meta (key, value) VALUES ($1, 'loaded')")
                    .bind(key)
                    .execute(&mut *$tx)
                    .await?;
                let detail = serde_json::json!({"part": key, "records": n}).to_string();
                audit_append!($tx, ACTOR, "demo.load", "demo", key, &detail);
                $tx.commit().await?;
                Some(n)
            }
        });
        match n {
            Some(n) => $added += n,
            None => $skipped += 1,
        }
    }};
}

/// Multi-row INSERTs of `$rows` in chunks; evaluates to the rows inserted.
macro_rules! bulk {
    ($tx:ident, $DB:ident, $head:expr, $rows:expr, $tail:expr, |$b:ident, $r:ident| $push:block) => {{
        let mut n = 0u64;
        for chunk in $rows.chunks(BATCH_ROWS) {
            let mut qb = sqlx::QueryBuilder::<$DB>::new($head);
            qb.push_values(chunk, |mut $b, $r| $push);
            qb.push($tail);
            n += qb.build().execute(&mut *$tx).await?.rows_affected();
        }
        n
    }};
}

fn report(progress: ProgressFn<'_>, stage: &str, done: u64, total: u64) {
    progress(&Progress {
        stage: stage.to_string(),
        done,
        total,
    });
}

/// The agency tree of demo county `n`: number 0 is the seed county with its real agency names;
/// the others are synthetic copies (示范N县 under 示范M市) for scale runs.
fn demo_agencies(n: usize) -> Vec<(String, AgencyLevel, Option<String>, String)> {
    if n == 0 {
        return AGENCIES
            .iter()
            .map(|(name, level, parent, code)| {
                (
                    name.to_string(),
                    *level,
                    parent.map(str::to_string),
                    code.to_string(),
                )
            })
            .collect();
    }
    let city = format!("示范{}市人民政府", (n - 1) / 10 + 1);
    let rename = |s: &str| s.replace("夏邑县", &format!("示范{n}县"));
    AGENCIES
        .iter()
        .enumerate()
        .map(|(k, (name, level, parent, code))| match level {
            AgencyLevel::Province => (name.to_string(), *level, None, code.to_string()),
            AgencyLevel::City => (
                city.clone(),
                *level,
                parent.map(str::to_string),
                format!("1141{:04}{:02}00000000", (n - 1) / 10 + 1, 99),
            ),
            _ => (
                rename(name),
                *level,
                Some(if *level == AgencyLevel::County {
                    city.clone()
                } else {
                    rename(DEMO_COUNTY)
                }),
                format!("1142{n:04}{k:02}00000000"),
            ),
        })
        .collect()
}

/// Loads the demo data set into `store`. Idempotent: a second run adds nothing.
pub async fn load_demo(store: &Store, progress: ProgressFn<'_>) -> Result<DemoSummary, StoreError> {
    load_demo_county(store, 0, progress).await
}

/// What every stage of a demo load reads: the store, the progress callback and the county's
/// agency tree as loaded.
struct Cx<'a> {
    store: &'a Store,
    progress: ProgressFn<'a>,
    /// (name, level, parent name, credit code) of every agency.
    agencies: Vec<(String, AgencyLevel, Option<String>, String)>,
    /// Agency ids by name.
    ids: std::collections::HashMap<String, i64>,
    /// The prefix of the county's `meta` markers.
    tag: String,
    /// The prefix that makes the county's numbers (letters, accounts, cases) unique.
    uniq: String,
    county_name: String,
    county: i64,
    departments: Vec<i64>,
    townships: Vec<i64>,
}

impl Cx<'_> {
    /// The id of agency `name`.
    fn id(&self, name: &str) -> i64 {
        self.ids.get(name).copied().unwrap_or_default()
    }

    /// The credit code of agency `agency_id`.
    fn code_of(&self, agency_id: i64) -> String {
        self.agencies
            .iter()
            .find(|a| self.id(&a.0) == agency_id)
            .map(|a| a.3.to_string())
            .unwrap_or_default()
    }

    /// The department that owns the 事项 and decisions of `kind`: in the order of the tree,
    /// 审批 licenses, 人社 serves, 市场监管 punishes.
    fn matter_owner(&self, kind: &str) -> i64 {
        let i = match kind {
            "licensing" => 3,
            "other_services" => 2,
            _ => 1,
        };
        self.departments.get(i).copied().unwrap_or(self.county)
    }
}

/// What one stage added and how many of its parts an earlier run had loaded.
struct Tally {
    added: u64,
    skipped: usize,
}

/// Loads demo county `n`: 0 is the seed county (what [`load_demo`] loads); 1, 2, … are
/// synthetic copies with the same records under other names, for province-sized scale runs
/// (each adds about 250,000 records). Idempotent per county.
pub async fn load_demo_county(
    store: &Store,
    n: usize,
    progress: ProgressFn<'_>,
) -> Result<DemoSummary, StoreError> {
    let agencies = demo_agencies(n);
    let tag = if n == 0 {
        "demo/xiayi-2020".to_string()
    } else {
        format!("demo/county-{n}/2020")
    };
    // Globally unique numbers (letters, accounts, cases) carry the county's number.
    let uniq = if n == 0 {
        String::new()
    } else {
        format!("{n}-")
    };
    let county_name = agencies[2].0.clone();
    let started = Instant::now();
    let mut added = 0u64;
    let mut skipped = 0usize;

    // The tree: `ensure` keeps existing agencies as they are.
    let mut ids = std::collections::HashMap::new();
    for (i, (name, level, parent, code)) in agencies.iter().enumerate() {
        let parent_id = parent.as_deref().and_then(|p| ids.get(p).copied());
        if agency::find_by_name(store, name).await?.is_none() {
            added += 1;
        }
        let a = agency::ensure(store, ACTOR, name, *level, parent_id, Some(code)).await?;
        ids.insert(name.clone(), a.id);
        report(progress, "机关", i as u64 + 1, agencies.len() as u64);
    }
    let id = |name: &str| ids.get(name).copied().unwrap_or_default();
    let county = id(&county_name);
    // The demo's heads have named the bodies every letter states (文书设置): a county's
    // departments and townships answer to the county government (行政复议法 2023 revision,
    // Art. 24), the county government to its superior; the county's court hears all of them.
    let court = format!("{}人民法院", county_name.trim_end_matches("人民政府"));
    for (name, level, parent, _) in agencies.iter() {
        let review_body = match level {
            AgencyLevel::County => parent.clone(),
            AgencyLevel::Department | AgencyLevel::Township => Some(county_name.clone()),
            _ => None,
        };
        if let Some(review_body) = review_body
            && crate::models::letter_settings::get(store, id(name))
                .await?
                .is_none()
        {
            crate::models::letter_settings::set(
                store,
                ACTOR,
                id(name),
                &crate::models::letter_settings::LetterSettings {
                    review_body: review_body.to_string(),
                    court: court.clone(),
                },
            )
            .await?;
        }
    }
    // What the county's site says about itself (footer codes, the 指南's office); synthetic
    // numbers, set once like the letter settings.
    if n == 0
        && crate::models::site_settings::get(store, county)
            .await?
            .is_none()
    {
        crate::models::site_settings::set(
            store,
            ACTOR,
            county,
            &crate::models::site_settings::SiteSettings {
                site_code: "4114260001".into(),
                icp: "豫ICP备20200001号".into(),
                police_record: "豫公网安备 41142602000101号".into(),
                office_name: "夏邑县人民政府办公室（县政务公开办）".into(),
                office_address: "夏邑县城关镇县府路1号县政府办公楼二楼".into(),
                postcode: "476400".into(),
                phone: "0370-6123456".into(),
                fax: "0370-6123457".into(),
                office_hours: "工作日上午8:30—12:00，下午15:00—18:00（法定节假日除外）".into(),
                email: "zwgk@example.gov.cn".into(),
            },
        )
        .await?;
    }
    let of_level = |level: AgencyLevel| -> Vec<i64> {
        agencies
            .iter()
            .filter(|a| a.1 == level)
            .map(|a| id(&a.0))
            .collect()
    };
    let (departments, townships) = (
        of_level(AgencyLevel::Department),
        of_level(AgencyLevel::Township),
    );
    let cx = Cx {
        store,
        progress,
        agencies,
        ids,
        tag,
        uniq,
        county_name,
        county,
        departments,
        townships,
    };
    // The stages, in order; each part commits on its own, so a rerun resumes.
    for tally in [
        items(&cx).await?,
        lists(&cx).await?,
        decisions(&cx).await?,
        applications(&cx).await?,
        appeals(&cx).await?,
        catalogue(&cx).await?,
        interaction(&cx).await?,
        registry(&cx).await?,
    ] {
        added += tally.added;
        skipped += tally.skipped;
    }

    Ok(DemoSummary {
        added,
        parts_skipped: skipped,
        elapsed: started.elapsed(),
    })
}

/// Proactive items with their 目录 fields, their 解读 links and the 专题专栏.
async fn items(cx: &Cx<'_>) -> Result<Tally, StoreError> {
    let store = cx.store;
    let progress = cx.progress;
    let tag = &cx.tag;
    let county_name = &cx.county_name;
    let county = cx.county;
    let departments = &cx.departments;
    let townships = &cx.townships;
    let agencies = &cx.agencies;
    let id = |name: &str| cx.id(name);
    let code_of = |agency_id: i64| cx.code_of(agency_id);
    let (mut added, mut skipped) = (0u64, 0usize);
    // Proactive items: 5,998 in 2020 (4,884 by the county government on its website, 589 by
    // departments, 525 by townships), 5 of them 规范性文件 and 32 解读; 39 专题专栏. The
    // seed's prose prints these three parts but a total of 5,863 (a hand count that left out
    // 135 of the website's items: its TXT-PARTS warning); the records hold the parts.
    let mut owners: Vec<i64> = vec![county; 4884];
    owners.extend((0..589).map(|i| departments[i % departments.len()]));
    owners.extend((0..525).map(|i| townships[i % townships.len()]));
    let total_items = owners.len() as u64;
    part!(store, &format!("{tag}/items"), skipped, added, tx, DB => {
        // Reserve each agency's serials for the year in one statement.
        let mut next = std::collections::HashMap::<i64, i64>::new();
        let mut counts = std::collections::BTreeMap::<i64, i64>::new();
        for o in &owners {
            *counts.entry(*o).or_default() += 1;
        }
        for (agency_id, n) in &counts {
            let last: i64 = sqlx::query(RESERVE_SERIALS)
                .bind(code_of(*agency_id))
                .bind(DEMO_YEAR as i64)
                .bind(*n)
                .fetch_one(&mut *tx)
                .await?
                .try_get("last_serial")?;
            next.insert(*agency_id, last - n + 1);
        }
        struct Item {
            agency_id: i64,
            index_no: String,
            title: String,
            body: String,
            publisher: String,
            unit: &'static str,
            topic: &'static str,
            keywords: &'static str,
            written_on: NaiveDate,
            published_on: NaiveDate,
            doc_number: Option<String>,
            doc_type: &'static str,
            art20: i64,
        }
        // 发布机构 is the agency that owns the item; the words follow the kind of agency.
        let name_of = |agency_id: i64| {
            agencies
                .iter()
                .find(|a| id(&a.0) == agency_id)
                .map(|a| (a.0.clone(), match a.1 {
                    AgencyLevel::Department => Publisher::Department,
                    AgencyLevel::Township => Publisher::Township,
                    _ => Publisher::County,
                }))
                .unwrap_or_else(|| (county_name.clone(), Publisher::County))
        };
        let mut per_agency = std::collections::HashMap::<i64, usize>::new();
        let mut items = Vec::with_capacity(owners.len());
        for (i, agency_id) in owners.iter().enumerate() {
            let serial = next.entry(*agency_id).or_default();
            let index_no = format_index_no(&code_of(*agency_id), DEMO_YEAR, *serial);
            *serial += 1;
            let (publisher, kind) = name_of(*agency_id);
            let nth = per_agency.entry(*agency_id).or_default();
            *nth += 1;
            let it = if i < 5 {
                // The five 规范性文件 are written and published well inside the year.
                let published_on = day(DEMO_YEAR, 3 + 2 * i as u32, 10);
                let written_on = published_on.checked_sub_days(Days::new(3)).unwrap_or(published_on);
                let (_, topic, keywords, _) = texts::NORMATIVE[i];
                Item { agency_id: *agency_id, index_no, title: texts::normative_title(i), body: texts::normative_body(i, written_on), publisher, unit: kind.unit(), topic, keywords, written_on, published_on, doc_number: Some(format!("夏政〔2020〕{}号", i + 1)), doc_type: "normative_document", art20: 1 }
            } else if i < 37 {
                // 解读 j of document n follows it by j + 1 days (written the day before).
                let (n, j) = ((i - 5) % 5, (i - 5) / 5);
                let document_on = day(DEMO_YEAR, 3 + 2 * n as u32, 10);
                let written_on = document_on.checked_add_days(Days::new(j as u64)).unwrap_or(document_on);
                let published_on = written_on.checked_add_days(Days::new(1)).unwrap_or(written_on);
                let (_, topic, keywords, _) = texts::NORMATIVE[n];
                Item { agency_id: *agency_id, index_no, title: texts::interpretation_title(n, j), body: texts::interpretation_body(n, j), publisher, unit: kind.unit(), topic, keywords, written_on, published_on, doc_number: None, doc_type: "interpretation", art20: 1 }
            } else {
                let published_on = spread(i, owners.len());
                let art20 = [2, 4, 5, 6, 11, 13, 15][i % 7];
                let t = texts::other_item(&publisher, art20, *nth, published_on);
                Item { agency_id: *agency_id, index_no, title: t.title, body: t.body, publisher, unit: kind.unit(), topic: t.topic, keywords: t.keywords, written_on: published_on.checked_sub_days(Days::new(3)).unwrap_or(published_on), published_on, doc_number: None, doc_type: "other", art20 }
            };
            items.push(it);
        }
        let mut n = 0u64;
        let mut item_ids = Vec::with_capacity(items.len());
        for chunk in items.chunks(BATCH_ROWS / 2) {
            let mut qb = sqlx::QueryBuilder::<DB>::new(
                "INSERT INTO proactive_items (agency_id, index_no, title, body, publisher, unit, topic, keywords, \
                 written_on, published_on, doc_number, doc_type, art20_item, status) ",
            );
            qb.push_values(chunk, |mut b, it| {
                b.push_bind(it.agency_id)
                    .push_bind(it.index_no.clone())
                    .push_bind(it.title.clone())
                    .push_bind(it.body.clone())
                    .push_bind(it.publisher.clone())
                    .push_bind(it.unit)
                    .push_bind(it.topic)
                    .push_bind(it.keywords)
                    .push_bind(it.written_on)
                    .push_bind(it.published_on)
                    .push_bind(it.doc_number.clone())
                    .push_bind(it.doc_type)
                    .push_bind(it.art20)
                    .push_bind("published");
            });
            qb.push(" RETURNING id");
            for r in qb.build().fetch_all(&mut *tx).await? {
                item_ids.push(r.try_get::<i64, _>("id")?);
            }
            n += chunk.len() as u64;
            report(progress, "主动公开信息", n, total_items);
        }
        // 解读 i (items 5..37) explains normative document i % 5.
        let links: Vec<(i64, i64)> = (5..37).map(|i| (item_ids[i], item_ids[(i - 5) % 5])).collect();
        n += bulk!(tx, DB, "INSERT INTO interpretations (interpretation_id, document_id) ", links, "", |b, l| {
            b.push_bind(l.0).push_bind(l.1);
        });
        // 专题 opened from January 2019 to December 2020, in order.
        let topics: Vec<(String, NaiveDate)> = texts::TOPIC_NAMES
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let months = (i * 24 / texts::TOPIC_NAMES.len()) as u32;
                (name.to_string(), day(2019 + (months / 12) as i32, 1 + months % 12, 1 + (i as u32 * 7) % 28))
            })
            .collect();
        let mut topic_ids = Vec::new();
        for t in &topics {
            let r = sqlx::query("INSERT INTO topics (agency_id, name, opened_on) VALUES ($1, $2, $3) RETURNING id")
                .bind(county)
                .bind(&t.0)
                .bind(t.1)
                .fetch_one(&mut *tx)
                .await?;
            topic_ids.push(r.try_get::<i64, _>("id")?);
        }
        n += topics.len() as u64;
        let members: Vec<(i64, i64)> = (0..topic_ids.len() * 5).map(|k| (topic_ids[k % topic_ids.len()], item_ids[37 + k])).collect();
        n += bulk!(tx, DB, "INSERT INTO topic_items (topic_id, item_id) ", members, "", |b, m| {
            b.push_bind(m.0).push_bind(m.1);
        });
        n
    });
    Ok(Tally { added, skipped })
}

/// The lists of 事项, fee items and procurement projects.
async fn lists(cx: &Cx<'_>) -> Result<Tally, StoreError> {
    let store = cx.store;
    let tag = &cx.tag;
    let county = cx.county;
    let departments = &cx.departments;
    let matter_owner = |kind: &str| cx.matter_owner(kind);
    let (mut added, mut skipped) = (0u64, 0usize);
    // Lists of 事项 at the end of 2019 (231 licensing, 551 other services, 1,808 penalty, 111
    // enforcement), one licensing 事项 added in 2020; 7 fee items; 3 procurement projects.
    part!(store, &format!("{tag}/lists"), skipped, added, tx, DB => {
        let mut matters: Vec<(i64, &str, String, NaiveDate)> = Vec::new();
        for (kind, label, n) in [("licensing", "许可", 231), ("other_services", "服务", 551), ("penalty", "处罚", 1808), ("enforcement", "强制", 111)] {
            for i in 0..n {
                matters.push((matter_owner(kind), kind, format!("{label}事项{:04}", i + 1), day(2019, 1 + (i % 12) as u32, 1)));
            }
        }
        matters.push((matter_owner("licensing"), "licensing", "许可事项0232（2020年新增）".into(), day(2020, 6, 1)));
        let mut n = bulk!(tx, DB, "INSERT INTO matters (agency_id, kind, name, listed_on) ", matters, "", |b, m| {
            b.push_bind(m.0).push_bind(m.1).push_bind(m.2.clone()).push_bind(m.3);
        });
        let fees: Vec<(i64, String)> = (0..7).map(|i| (departments[i % departments.len()], format!("行政事业性收费项目{}", i + 1))).collect();
        n += bulk!(tx, DB, "INSERT INTO fee_items (agency_id, name, basis, standard, listed_on) ", fees, "", |b, f| {
            b.push_bind(f.0).push_bind(f.1.clone()).push_bind("豫财预〔2018〕号文").push_bind("按核定标准").push_bind(day(2018, 1, 1));
        });
        // 111.1 万元 = 1,111,000 元 in three projects.
        let projects = [("办公设备采购项目", day(2020, 4, 20), 50_000_000i64), ("政务服务中心改造项目", day(2020, 7, 8), 41_100_000), ("公共卫生防控物资采购项目", day(2020, 2, 14), 20_000_000)];
        n += bulk!(tx, DB, "INSERT INTO procurement_projects (agency_id, name, catalogue, contracted_on, amount_fen) ", projects, "", |b, p| {
            b.push_bind(county).push_bind(p.0).push_bind("政府集中采购目录").push_bind(p.1).push_bind(p.2);
        });
        n
    });
    Ok(Tally { added, skipped })
}

/// The 双公示 decisions of the year, one transaction per kind.
async fn decisions(cx: &Cx<'_>) -> Result<Tally, StoreError> {
    let store = cx.store;
    let progress = cx.progress;
    let tag = &cx.tag;
    let matter_owner = |kind: &str| cx.matter_owner(kind);
    let (mut added, mut skipped) = (0u64, 0usize);
    // 双公示 decisions of 2020: 27,269 licensing, 220,809 other services, 1,668 penalty, 6
    // enforcement. One transaction per kind keeps each under a few seconds.
    let kinds = [
        ("licensing", "许", 27_269usize),
        ("other_services", "服", 220_809),
        ("penalty", "罚", 1_668),
        ("enforcement", "强", 6),
    ];
    let total_decisions: u64 = kinds.iter().map(|k| k.2 as u64).sum();
    let mut done = 0u64;
    for (kind, abbr, count) in kinds {
        let key = format!("{tag}/decisions/{kind}");
        let owner = matter_owner(kind);
        part!(store, &key, skipped, added, tx, DB => {
            let mut n = 0u64;
            let mut start = 0usize;
            while start < count {
                let end = (start + BATCH_ROWS).min(count);
                let mut qb = sqlx::QueryBuilder::<DB>::new(
                    "INSERT INTO decisions (agency_id, kind, number, party, decided_on, content, \
                     party_kind, credit_code, reason, basis) ",
                );
                qb.push_values(start..end, |mut b, i| {
                    // The 人社 services go to people; every third licence or penalty too. A
                    // natural person has no 信用代码 and is shown masked.
                    let natural = kind == "other_services" || i % 3 == 0;
                    let (party, code) = if natural { (person(i), None) } else { (company(i), Some(texts::credit_code(i))) };
                    let (reason, basis, content) = texts::decision_text(kind, i);
                    b.push_bind(owner)
                        .push_bind(kind)
                        .push_bind(format!("夏{abbr}〔{DEMO_YEAR}〕{:06}号", i + 1))
                        .push_bind(party)
                        .push_bind(spread(i, count))
                        .push_bind(content)
                        .push_bind(if natural { "natural" } else { "legal" })
                        .push_bind(code)
                        .push_bind(reason)
                        .push_bind(basis);
                });
                n += qb.build().execute(&mut *tx).await?.rows_affected();
                done += (end - start) as u64;
                report(progress, "双公示决定", done, total_decisions);
                start = end;
            }
            n
        });
        if done < total_decisions {
            // A skipped part still moves the bar.
            done = done.max(
                kinds
                    .iter()
                    .take_while(|k| k.0 != kind)
                    .map(|k| k.2 as u64)
                    .sum::<u64>()
                    + count as u64,
            );
            report(progress, "双公示决定", done, total_decisions);
        }
    }
    Ok(Tally { added, skipped })
}

/// The applications of the year with their events and replies.
async fn applications(cx: &Cx<'_>) -> Result<Tally, StoreError> {
    let store = cx.store;
    let progress = cx.progress;
    let tag = &cx.tag;
    let county = cx.county;
    let (mut added, mut skipped) = (0u64, 0usize);
    // Applications: 12 received in 2020 (10 natural persons, 2 companies) and 2 carried in
    // from December 2019; all 14 replied in 2020: 3 予以公开, 6 本机关不掌握 (4 + 2), 5 补正后仍不明确.
    let marker = format!("{tag}/applications");
    let marker = marker.as_str();
    let already: bool = on_db!(store, pool => {
        sqlx::query("SELECT value FROM meta WHERE key = $1").bind(marker).fetch_optional(pool).await?.is_some()
    });
    if already {
        skipped += 1;
    } else {
        let plan = demo_applications();
        let mut prepared = Vec::with_capacity(plan.len());
        for (i, (received, kind, reply_on, outcome)) in plan.iter().enumerate() {
            let new = NewApplication {
                agency_id: county,
                tracking_no: Some(format!("XYYSQ-{}-{:03}", received.format("%Y"), i + 1)),
                channel: if i % 2 == 0 {
                    Channel::InPerson
                } else {
                    Channel::Post
                },
                sent_on: received.checked_sub_days(Days::new(2)),
                arrived: *received,
                confirmed: None,
                applicant: Applicant {
                    kind: Some(*kind),
                    name: if *kind == ApplicantKind::NaturalPerson {
                        person(i * 13 + 5)
                    } else {
                        company(i * 7)
                    },
                    id_type: Some(
                        if *kind == ApplicantKind::NaturalPerson {
                            "居民身份证"
                        } else {
                            "统一社会信用代码"
                        }
                        .into(),
                    ),
                    id_number: Some(demo_id_number(i)),
                    phone: Some(format!("1390370{:04}", 1000 + i * 37)),
                    email: None,
                    address: Some(format!("河南省商丘市夏邑县示范路{}号", 10 + i)),
                },
                description: format!("申请公开夏邑县2020年第{}项政府信息", i + 1),
                document_number: None,
                delivery: "paper".into(),
                note: String::new(),
            };
            let later: Vec<ClockEvent> = if *outcome == Outcome::UnableUnclearAfterCorrection {
                vec![
                    ClockEvent::CorrectionNoticeSent {
                        on: received.checked_add_days(Days::new(3)).unwrap_or(*received),
                    },
                    ClockEvent::CorrectedApplicationReceived {
                        on: received
                            .checked_add_days(Days::new(10))
                            .unwrap_or(*received),
                    },
                ]
            } else {
                Vec::new()
            };
            prepared.push(application::prepare(
                store,
                &new,
                &later,
                Some((*reply_on, *outcome)),
            )?);
        }
        let total = prepared.len() as u64;
        let counter = std::sync::atomic::AtomicU64::new(0);
        let (n, _) = application::insert_prepared(
            store,
            ACTOR,
            "demo.load",
            &serde_json::json!({"part": marker}).to_string(),
            &prepared,
            Some(marker),
            &|k| {
                let d = counter.fetch_add(k, std::sync::atomic::Ordering::Relaxed) + k;
                report(progress, "依申请公开", d, total);
            },
        )
        .await?;
        added += n;
    }
    Ok(Tally { added, skipped })
}

/// The reconsideration and the lawsuit over the year's replies.
async fn appeals(cx: &Cx<'_>) -> Result<Tally, StoreError> {
    let store = cx.store;
    let tag = &cx.tag;
    let uniq = &cx.uniq;
    let county = cx.county;
    let (mut added, mut skipped) = (0u64, 0usize);
    // Appeals: a reconsideration still pending at the end of 2020, a lawsuit (without prior
    // reconsideration) upheld.
    part!(store, &format!("{tag}/appeals"), skipped, added, tx, DB => {
        let mut n = 0u64;
        for (tracking, case, kind, filed, result, decided) in [
            ("XYYSQ-2020-006", format!("{uniq}商复〔2020〕47号"), "reconsideration", day(2020, 11, 20), "pending", None),
            ("XYYSQ-2020-003", format!("{uniq}（2020）豫1426行初12号"), "litigation_direct", day(2020, 6, 15), "upheld", Some(day(2020, 10, 28))),
        ] {
            n += sqlx::query(
                "INSERT INTO appeal_cases (agency_id, application_id, case_number, kind, filed_on, result, decided_on) \
                 SELECT agency_id, id, $1, $2, $3, $4, $5 FROM applications WHERE agency_id = $6 AND tracking_no = $7",
            )
            .bind(case)
            .bind(kind)
            .bind(filed)
            .bind(result)
            .bind(decided)
            .bind(county)
            .bind(tracking)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        }
        n
    });
    Ok(Tally { added, skipped })
}

/// One 基层政务公开标准目录 entry in each of the 26 domains.
async fn catalogue(cx: &Cx<'_>) -> Result<Tally, StoreError> {
    let store = cx.store;
    let tag = &cx.tag;
    let county_name = &cx.county_name;
    let county = cx.county;
    let (mut added, mut skipped) = (0u64, 0usize);
    // The 基层政务公开标准目录: one entry in each of the 26 domains (section 一 (三) of the
    // seed: 「26个领域」).
    part!(store, &format!("{tag}/catalogue"), skipped, added, tx, DB => {
        // The domain's own first 事项, as its guideline words it.
        let entries: Vec<(&str, String, String)> = gongkai_law::catalogue::Domain::ALL
            .iter()
            .zip(texts::DOMAIN_ENTRIES.iter())
            .map(|(d, e)| (d.key(), e[0].0.to_string(), format!("{}：{}", e[0].1, e[0].2)))
            .collect();
        bulk!(tx, DB, "INSERT INTO catalogue_entries (agency_id, domain, item_l1, content, time_limit, subject, channels, audience, mode, level) ", entries, "", |b, e| {
            b.push_bind(county).push_bind(e.0).push_bind(e.1.clone()).push_bind(e.2.clone())
                .push_bind("信息形成或者变更之日起20个工作日内").push_bind(county_name.clone())
                .push_bind("政府网站").push_bind("public").push_bind("proactive").push_bind("both");
        })
    });
    Ok(Tally { added, skipped })
}

/// Mailbox letters, new-media accounts, trainings and inspections.
async fn interaction(cx: &Cx<'_>) -> Result<Tally, StoreError> {
    let store = cx.store;
    let tag = &cx.tag;
    let uniq = &cx.uniq;
    let county = cx.county;
    let (mut added, mut skipped) = (0u64, 0usize);
    // 318 replied mailbox letters, 11 new-media accounts, 2 trainings, 3 inspections.
    let letters: Vec<(String, String, Vec<u8>, NaiveDate, NaiveDate)> = (0..318)
        .map(|i| {
            let received = spread(i, 318);
            Ok((
                format!("{uniq}XYXX2020{:04}", i + 1),
                format!(
                    "关于{}的咨询",
                    [
                        "道路维修",
                        "社保缴纳",
                        "学校招生",
                        "供暖",
                        "农村低保",
                        "营业执照办理"
                    ][i % 6]
                ),
                store.crypto.seal(&format!("1380370{:04}", i))?,
                received,
                received.checked_add_days(Days::new(5)).unwrap_or(received),
            ))
        })
        .collect::<Result<_, StoreError>>()?;
    part!(store, &format!("{tag}/interaction"), skipped, added, tx, DB => {
        let mut n = bulk!(tx, DB, "INSERT INTO mailbox_letters (agency_id, letter_no, subject, body, writer_contact_enc, received_on, reply, replied_on, published, publish_consent) ", letters, "", |b, l| {
            // Published letters were published with their writers' consent.
            b.push_bind(county).push_bind(l.0.clone()).push_bind(l.1.clone()).push_bind("来信内容（示例）").push_bind(l.2.clone()).push_bind(l.3).push_bind("您好，您反映的问题已转有关部门办理，感谢您的关注。").push_bind(l.4).push_bind(true).push_bind(true);
        });
        let accounts: Vec<(&str, String, String)> = (0..11)
            .map(|i| {
                let platform = if i < 2 { "微博" } else if i < 10 { "微信公众号" } else { "移动客户端" };
                (platform, format!("夏邑发布{}", i + 1), format!("{uniq}xiayi{:03}", i + 1))
            })
            .collect();
        n += bulk!(tx, DB, "INSERT INTO media_accounts (agency_id, platform, name, account_id, operator, status, opened_on, last_update_on) ", accounts, "", |b, a| {
            b.push_bind(county).push_bind(a.0).push_bind(a.1.clone()).push_bind(a.2.clone()).push_bind("夏邑县融媒体中心").push_bind("open").push_bind(day(2018, 3, 1)).push_bind(day(2020, 12, 30));
        });
        let trainings = [(day(2020, 5, 12), "《政府信息公开条例》专题培训", 86i64), (day(2020, 10, 21), "政务公开标准化规范化培训", 64)];
        n += bulk!(tx, DB, "INSERT INTO trainings (agency_id, held_on, topic, attendees) ", trainings, "", |b, t| {
            b.push_bind(county).push_bind(t.0).push_bind(t.1).push_bind(t.2);
        });
        let inspections = [(day(2020, 3, 30), "第一季度政府网站及政务新媒体检查"), (day(2020, 6, 29), "第二季度政府网站及政务新媒体检查"), (day(2020, 9, 28), "第三季度政府网站及政务新媒体检查")];
        n += bulk!(tx, DB, "INSERT INTO inspections (agency_id, held_on, scope, findings, fixes) ", inspections, "", |b, t| {
            b.push_bind(county).push_bind(t.0).push_bind(t.1).push_bind("个别栏目更新不及时").push_bind("已督促整改");
        });
        n
    });
    Ok(Tally { added, skipped })
}

/// The 备案 of the accounts and the catalogue's detail, linked to items.
async fn registry(cx: &Cx<'_>) -> Result<Tally, StoreError> {
    let store = cx.store;
    let tag = &cx.tag;
    let uniq = &cx.uniq;
    let county_name = &cx.county_name;
    let county = cx.county;
    let (mut added, mut skipped) = (0u64, 0usize);
    // Registry and catalogue detail: the 开设 备案 (date and number) of the 11 accounts; the
    // nine columns of the catalogue, two more entries in each of the 26 domains (政策文件 and
    // 办理结果 依申请公开) and every proactive entry linked to an item that fulfils it, except
    // that the yearly 部门预算 entry is left overdue (its 2020 item is its last). 2020 had no
    // 责任追究 (section 一 (六) of the seed), so none is recorded.
    part!(store, &format!("{tag}/registry"), skipped, added, tx, DB => {
        let accounts: Vec<(i64, NaiveDate)> = sqlx::query("SELECT id, opened_on FROM media_accounts WHERE agency_id = $1 ORDER BY id")
            .bind(county)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("opened_on")?)))
            .collect::<Result<_, sqlx::Error>>()?;
        let filings: Vec<(i64, NaiveDate, String)> = accounts
            .iter()
            .enumerate()
            .map(|(k, (id, opened))| (*id, *opened, format!("{uniq}夏网信备〔{}〕{:02}号", opened.year(), k + 1)))
            .collect();
        let mut n = bulk!(tx, DB, "INSERT INTO media_account_events (account_id, kind, filed_on, filing_no, note) ", filings, "", |b, f| {
            b.push_bind(f.0).push_bind("open").push_bind(f.1).push_bind(f.2.clone()).push_bind("");
        });
        n += sqlx::query("UPDATE catalogue_entries SET basis = $2, channels = $3 WHERE agency_id = $1 AND basis = ''")
            .bind(county)
            .bind("《中华人民共和国政府信息公开条例》第十九条、第二十条")
            .bind("政府网站、政务新媒体、政务公开栏")
            .execute(&mut *tx)
            .await?
            .rows_affected();
        struct Entry {
            domain: gongkai_law::catalogue::Domain,
            item_l1: String,
            item_l2: &'static str,
            content: String,
            basis: &'static str,
            time_limit: &'static str,
            channels: &'static str,
            audience: &'static str,
            mode: &'static str,
            level: &'static str,
        }
        let mut entries = Vec::new();
        for (d, e) in gongkai_law::catalogue::Domain::ALL.into_iter().zip(texts::DOMAIN_ENTRIES) {
            entries.push(Entry {
                domain: d,
                item_l1: e[1].0.to_string(),
                item_l2: e[1].1,
                content: e[1].2.to_string(),
                basis: "《中华人民共和国政府信息公开条例》第二十条第（一）项",
                time_limit: "信息形成或者变更之日起20个工作日内",
                channels: "政府网站、政务新媒体",
                audience: "public",
                mode: "proactive",
                level: "county",
            });
            entries.push(Entry {
                domain: d,
                item_l1: format!("{}办理结果", d.label()),
                item_l2: "个案办理结果",
                content: format!("涉及申请人自身的{}事项办理结果", d.label()),
                basis: "《中华人民共和国政府信息公开条例》第二十七条",
                time_limit: "收到申请之日起20个工作日内",
                channels: "当面、邮寄、电子邮件",
                audience: "specific_group",
                mode: "on_request",
                level: "both",
            });
        }
        entries.push(Entry {
            domain: gongkai_law::catalogue::Domain::Budget,
            item_l1: "财政预算".to_string(),
            item_l2: "部门预算",
            content: "年度部门预算及说明、“三公”经费预算".to_string(),
            basis: "《中华人民共和国预算法》第十四条",
            time_limit: "每年批复后20日内",
            channels: "政府网站",
            audience: "public",
            mode: "proactive",
            level: "county",
        });
        for e in &entries {
            sqlx::query(
                "INSERT INTO catalogue_entries (agency_id, domain, item_l1, item_l2, content, basis, time_limit, subject, channels, audience, mode, level, refresh_days) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
                 ON CONFLICT (agency_id, domain, item_l1, item_l2) DO NOTHING",
            )
            .bind(county)
            .bind(e.domain.key())
            .bind(&e.item_l1)
            .bind(e.item_l2)
            .bind(&e.content)
            .bind(e.basis)
            .bind(e.time_limit)
            .bind(county_name)
            .bind(e.channels)
            .bind(e.audience)
            .bind(e.mode)
            .bind(e.level)
            .bind(gongkai_law::catalogue::refresh_days(e.time_limit))
            .execute(&mut *tx)
            .await?;
        }
        n += entries.len() as u64;
        // Every proactive entry of the county (the one-per-domain entries too) gets one of the
        // county's published items, in order.
        let proactive: Vec<i64> = sqlx::query("SELECT id FROM catalogue_entries WHERE agency_id = $1 AND mode = 'proactive' ORDER BY id")
            .bind(county)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>("id"))
            .collect::<Result<_, sqlx::Error>>()?;
        let items: Vec<i64> = sqlx::query("SELECT id FROM proactive_items WHERE agency_id = $1 AND status = 'published' AND doc_type = 'other' ORDER BY id LIMIT $2")
            .bind(county)
            .bind(proactive.len() as i64)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>("id"))
            .collect::<Result<_, sqlx::Error>>()?;
        let links: Vec<(i64, i64)> = proactive.iter().copied().zip(items).collect();
        n += bulk!(tx, DB, "INSERT INTO catalogue_links (entry_id, item_id) ", links, " ON CONFLICT DO NOTHING", |b, l| {
            b.push_bind(l.0).push_bind(l.1);
        });
        n
    });
    Ok(Tally { added, skipped })
}

/// (receipt date, applicant kind, reply date, outcome) of the demo's 16 applications.
fn demo_applications() -> Vec<(NaiveDate, ApplicantKind, NaiveDate, Outcome)> {
    use ApplicantKind::{Commercial as C, NaturalPerson as P};
    use Outcome::{Disclosed as D, UnableNotHeld as N, UnableUnclearAfterCorrection as U};
    vec![
        // Carried in from 2019, replied in January 2020.
        (day(2019, 12, 16), P, day(2020, 1, 10), D),
        (day(2019, 12, 23), P, day(2020, 1, 17), N),
        // Received and replied in 2020.
        (day(2020, 3, 2), P, day(2020, 3, 25), D),
        (day(2020, 4, 8), P, day(2020, 4, 29), D),
        (day(2020, 5, 11), P, day(2020, 6, 3), N),
        (day(2020, 6, 1), C, day(2020, 6, 22), N),
        (day(2020, 7, 6), P, day(2020, 7, 27), N),
        (day(2020, 8, 3), P, day(2020, 8, 24), N),
        (day(2020, 8, 20), C, day(2020, 9, 10), N),
        (day(2020, 9, 7), P, day(2020, 10, 9), U),
        (day(2020, 9, 21), P, day(2020, 10, 23), U),
        (day(2020, 10, 12), P, day(2020, 11, 2), U),
        (day(2020, 11, 2), P, day(2020, 11, 23), U),
        (day(2020, 11, 16), P, day(2020, 12, 7), U),
        // Two received in 2019 and replied in 2019 (not in the 2020 report).
        (day(2019, 6, 3), P, day(2019, 6, 24), D),
        (day(2019, 9, 9), P, day(2019, 9, 30), N),
    ]
}

/// A made-up 18-digit number in the shape of a 居民身份证号 (not a real person's).
pub fn demo_id_number(i: usize) -> String {
    format!(
        "41142619{:02}{:02}{:02}{:03}X",
        70 + (i % 30),
        1 + (i % 12),
        1 + (i % 28),
        100 + i
    )
}
