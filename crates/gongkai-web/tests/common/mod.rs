//! A small county on a temporary SQLite file, built through the store's own functions, and the
//! real router or a real server on a random port over it.

#![allow(dead_code, clippy::unwrap_used)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use gongkai_law::{ApplicantKind, Channel, Outcome};
use gongkai_search::SearchIndex;
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::application::{self, NewApplication};
use gongkai_store::models::decision::{self, DecisionKind};
use gongkai_store::models::proactive_item::{self, DocType, NewItem};
use gongkai_store::models::{Applicant, letter, topic};
use gongkai_store::{Crypto, Store};
use gongkai_web::security::RateLimiter;
use gongkai_web::{AppState, SiteSettings};
use tempfile::TempDir;

/// Text that must never reach a page unescaped.
pub const HOSTILE: &str = "<script>alert(\"x\")</script>'\"&";

/// Everything a test needs; the temp dir lives as long as this.
pub struct Fixture {
    pub state: AppState,
    pub dir: TempDir,
    pub county: i64,
    pub normative_id: i64,
    pub normative_index_no: String,
    pub interpretation_id: i64,
    pub hostile_item_id: i64,
    pub schema: Option<String>,
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn item(
    agency_id: i64,
    title: &str,
    doc_type: DocType,
    art20: i64,
    on: NaiveDate,
    doc_number: Option<&str>,
) -> NewItem {
    NewItem {
        agency_id,
        title: title.to_string(),
        summary: format!("{title}的内容概述。"),
        publisher: "测试县人民政府".to_string(),
        written_on: Some(on),
        published_on: Some(on),
        doc_number: doc_number.map(str::to_string),
        topic: "综合政务".to_string(),
        genre: String::new(),
        doc_type,
        art20_item: Some(art20),
        unit: "县政府办公室".to_string(),
        status: gongkai_store::models::ItemStatus::Published,
    }
}

/// A county with a department and a township, items (规范性文件, a linked 解读, one with
/// hostile text), a topic, a published letter, and applications of 2019 and 2020 with replies.
pub async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    fixture_on(&url, dir, None).await
}

/// The same county on PostgreSQL, in a schema of its own, when `GONGKAI_TEST_PG_URL` is set.
pub async fn fixture_pg(test: &str) -> Option<Fixture> {
    let Ok(base) = std::env::var("GONGKAI_TEST_PG_URL") else {
        eprintln!("skipped {test} on PostgreSQL: GONGKAI_TEST_PG_URL is not set");
        return None;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let schema = format!("web_{test}_{nanos:x}_{:x}", std::process::id());
    let admin = sqlx::PgPool::connect(&base).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options[search_path]={schema}");
    Some(fixture_on(&url, tempfile::tempdir().unwrap(), Some(schema)).await)
}

impl Fixture {
    /// Drops the PostgreSQL schema, if any.
    pub async fn cleanup(self) {
        self.state.store.close().await;
        if let (Some(schema), Ok(base)) = (&self.schema, std::env::var("GONGKAI_TEST_PG_URL"))
            && let Ok(admin) = sqlx::PgPool::connect(&base).await
        {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                .execute(&admin)
                .await;
            admin.close().await;
        }
    }
}

async fn fixture_on(url: &str, dir: TempDir, schema: Option<String>) -> Fixture {
    let store = Store::open_with_crypto(url, Crypto::random())
        .await
        .unwrap();
    let county = agency::ensure(
        &store,
        "t",
        "测试县人民政府",
        AgencyLevel::County,
        None,
        Some("11411426005560141A"),
    )
    .await
    .unwrap()
    .id;
    let dept = agency::ensure(
        &store,
        "t",
        "测试县教育局",
        AgencyLevel::Department,
        Some(county),
        Some("11411426005560150B"),
    )
    .await
    .unwrap()
    .id;
    agency::ensure(
        &store,
        "t",
        "测试县城关镇人民政府",
        AgencyLevel::Township,
        Some(county),
        Some("11411426005560200F"),
    )
    .await
    .unwrap();
    let normative = proactive_item::create(
        &store,
        "t",
        &item(
            county,
            "测试县人民政府关于加强行政规范性文件管理的通知",
            DocType::NormativeDocument,
            1,
            d(2020, 3, 2),
            Some("测政〔2020〕1号"),
        ),
    )
    .await
    .unwrap();
    let interp = proactive_item::create(
        &store,
        "t",
        &item(
            county,
            "《关于加强行政规范性文件管理的通知》政策解读",
            DocType::Interpretation,
            1,
            d(2020, 3, 3),
            None,
        ),
    )
    .await
    .unwrap();
    proactive_item::link_interpretation(&store, "t", interp.id, normative.id)
        .await
        .unwrap();
    proactive_item::create(
        &store,
        "t",
        &item(
            dept,
            "测试县教育局2020年招生工作通知",
            DocType::Other,
            11,
            d(2020, 5, 6),
            None,
        ),
    )
    .await
    .unwrap();
    let hostile = proactive_item::create(
        &store,
        "t",
        &item(
            county,
            &format!("恶意标题{HOSTILE}通知"),
            DocType::Other,
            15,
            d(2020, 6, 1),
            Some(HOSTILE),
        ),
    )
    .await
    .unwrap();
    let t = topic::ensure(&store, "t", county, "优化营商环境", d(2020, 1, 1))
        .await
        .unwrap();
    topic::add_item(&store, "t", t.id, normative.id)
        .await
        .unwrap();
    let l = letter::receive(
        &store,
        "t",
        county,
        "XX20200001",
        &format!("来信{HOSTILE}"),
        &format!("内容{HOSTILE}"),
        Some("13800000000"),
        d(2020, 4, 1),
    )
    .await
    .unwrap();
    letter::reply(
        &store,
        "t",
        l,
        &format!("答复{HOSTILE}"),
        d(2020, 4, 8),
        true,
    )
    .await
    .unwrap();
    for (i, (received, kind, outcome)) in [
        (
            d(2019, 6, 3),
            ApplicantKind::NaturalPerson,
            Outcome::Disclosed,
        ),
        (
            d(2020, 2, 3),
            ApplicantKind::NaturalPerson,
            Outcome::Disclosed,
        ),
        (
            d(2020, 4, 7),
            ApplicantKind::Commercial,
            Outcome::UnableNotHeld,
        ),
        (
            d(2020, 7, 9),
            ApplicantKind::NaturalPerson,
            Outcome::PartiallyDisclosed,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let app = application::create(
            &store,
            "t",
            &NewApplication {
                agency_id: county,
                tracking_no: Some(format!("T{i:03}")),
                channel: Channel::InPerson,
                sent_on: None,
                arrived: received,
                confirmed: None,
                applicant: Applicant {
                    kind: Some(kind),
                    name: format!("申请人{i}"),
                    id_type: Some("居民身份证".into()),
                    id_number: Some("11010519491231002X".into()),
                    phone: Some("13800000000".into()),
                    email: None,
                    address: None,
                },
                description: "某文件".into(),
                document_number: None,
                delivery: "paper".into(),
                note: String::new(),
            },
        )
        .await
        .unwrap();
        let replied = received.checked_add_days(chrono::Days::new(10)).unwrap();
        application::reply(&store, "t", app.id, replied, outcome)
            .await
            .unwrap();
    }
    for i in 1..=25 {
        let party = if i == 25 {
            format!("商户{HOSTILE}")
        } else {
            format!("测试商贸有限公司{i}")
        };
        decision::create(
            &store,
            "t",
            dept,
            DecisionKind::Licensing,
            &format!("测许〔2020〕{i}号"),
            &party,
            d(2020, 1, 1 + (i % 28) as u32),
            "食品经营许可",
        )
        .await
        .unwrap();
    }
    decision::create(
        &store,
        "t",
        county,
        DecisionKind::Penalty,
        "测罚〔2020〕1号",
        "某某餐馆",
        d(2020, 8, 8),
        "罚款",
    )
    .await
    .unwrap();
    let index = Arc::new(SearchIndex::in_memory().unwrap());
    let n = gongkai_web::indexing::index_all(&store, &index, &[county])
        .await
        .unwrap();
    assert_eq!(n, 4);
    let site = SiteSettings {
        site_name: "测试县人民政府".into(),
        agency_id: county,
        site_code: "4114260001".into(),
        icp: "豫ICP备00000000号".into(),
    };
    let mut state = AppState::new(store, site, index);
    state.limiter = Arc::new(RateLimiter::new(1000, Duration::from_secs(3600)));
    Fixture {
        state,
        dir,
        county,
        normative_id: normative.id,
        normative_index_no: normative.index_no,
        interpretation_id: interp.id,
        hostile_item_id: hostile.id,
        schema,
    }
}

/// A running server: its address, and the sender whose drop stops it.
pub struct Server {
    pub addr: SocketAddr,
    _stop: tokio::sync::oneshot::Sender<()>,
}

/// Serves `state` on 127.0.0.1 at a random port.
pub async fn spawn(state: AppState) -> Server {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = gongkai_web::serve_on(state, listener, async {
            let _ = rx.await;
        })
        .await;
    });
    Server { addr, _stop: tx }
}

/// Publishes the county's report of `year` as the head would: the report drafted from the
/// records (tables and prose), snapshotted by `report_draft::publish`.
pub async fn publish_report(state: &AppState, county: i64, year: i32) {
    let drafted = gongkai_store::prose::draft_report(
        &state.store,
        &county.to_string(),
        year,
        gongkai_law::ReportFormat::for_year(year),
    )
    .await
    .unwrap();
    gongkai_store::models::report_draft::publish(
        &state.store,
        "fuzeren",
        county,
        &drafted,
        chrono::Utc::now(),
    )
    .await
    .unwrap();
}
