//! Many sites on one node (issue 17, acceptance 2): a 集约化 platform with two counties and a
//! department of one of them as sites, routed by `Host`; each site sees only its own subtree's
//! items in its pages, search, feed, sitemap and API, its absolute links carry its own host,
//! and the platform-wide search of the county narrows to one of its sites. On SQLite and on
//! PostgreSQL, through the real router (`gongkai_web::platform::router`).

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::proactive_item::{self, DocType};
use gongkai_store::models::site;
use gongkai_web::platform;
use http_body_util::BodyExt;
use tower::ServiceExt;

const A_ITEM: &str = "测试县人民政府关于加强行政规范性文件管理的通知";
const DEPT_ITEM: &str = "测试县教育局2020年招生工作通知";
const B_ITEM: &str = "乙县人民政府关于做好2020年春耕生产工作的通知";

async fn get(app: &axum::Router, host: &str, uri: &str) -> (StatusCode, String) {
    let req = Request::get(uri)
        .header(header::HOST, host)
        .body(Body::empty())
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

async fn two_counties_and_a_department(fx: common::Fixture) {
    let store = fx.state.store.clone();
    let dept = agency::find_by_name(&store, "测试县教育局")
        .await
        .unwrap()
        .unwrap()
        .id;
    let b = agency::ensure(
        &store,
        "t",
        "乙县人民政府",
        AgencyLevel::County,
        None,
        Some("11411427005560300C"),
    )
    .await
    .unwrap()
    .id;
    let on = chrono::NaiveDate::from_ymd_opt(2020, 3, 9).unwrap();
    let b_item = proactive_item::create(
        &store,
        "t",
        &common::item(b, B_ITEM, DocType::Other, 11, on, Some("乙政〔2020〕3号")),
    )
    .await
    .unwrap()
    .id;
    let a_item = fx.normative_id;
    site::add(
        &store,
        "t",
        fx.county,
        "测试县人民政府",
        &["www.ceshi.gov.cn".into()],
    )
    .await
    .unwrap();
    site::add(
        &store,
        "t",
        b,
        "乙县人民政府",
        &["www.yixian.gov.cn".into(), "YIXIAN.gov.cn:8443".into()],
    )
    .await
    .unwrap();
    site::add(
        &store,
        "t",
        dept,
        "测试县教育局",
        &["jyj.ceshi.gov.cn".into()],
    )
    .await
    .unwrap();
    // A host another site holds is refused.
    assert!(
        site::add(&store, "t", b, "乙县人民政府", &["jyj.ceshi.gov.cn".into()])
            .await
            .is_err()
    );

    let mut state = fx.state.clone();
    state.index_roots = platform::index_roots(&store, fx.county).await.unwrap();
    assert_eq!(state.index_roots.len(), 3);
    let n = gongkai_web::indexing::index_all(&store, &state.search, &state.index_roots)
        .await
        .unwrap();
    assert_eq!(n, 5, "the county's four items and 乙县's one, each once");
    state.pages.enable();
    let app = platform::router(state).await.unwrap();

    let a = "www.ceshi.gov.cn";
    let bh = "yixian.gov.cn:8443";
    let d = "jyj.ceshi.gov.cn";
    // Pages: each site's home page lists its own items and names itself; the home pages,
    // served from one page cache, stay apart.
    let (_, page) = get(&app, a, "/").await;
    assert!(
        page.contains(A_ITEM) && !page.contains(B_ITEM),
        "A /: {page}"
    );
    let (_, home_b) = get(&app, bh, "/").await;
    assert!(home_b.contains(B_ITEM) && !home_b.contains(A_ITEM), "B /");
    assert!(home_b.contains("乙县人民政府"));
    let (_, again_b) = get(&app, bh, "/").await;
    assert_eq!(home_b, again_b);
    let (_, page) = get(&app, a, "/").await;
    assert!(
        page.contains(A_ITEM) && !page.contains(B_ITEM),
        "A / from the cache"
    );
    let (_, page) = get(&app, d, "/").await;
    assert!(page.contains(DEPT_ITEM) && !page.contains(A_ITEM) && !page.contains(B_ITEM));
    let (_, page) = get(&app, bh, "/xxgk/category/11").await;
    assert!(page.contains(B_ITEM), "B category 11");
    let (_, page) = get(&app, a, "/xxgk/category/11").await;
    assert!(
        !page.contains(B_ITEM) && page.contains(DEPT_ITEM),
        "A category 11"
    );
    // An item of another site is not found here.
    let (status, _) = get(&app, a, &format!("/xxgk/items/{b_item}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, page) = get(&app, bh, &format!("/xxgk/items/{b_item}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(B_ITEM));
    let (status, _) = get(&app, bh, &format!("/xxgk/items/{a_item}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // 双公示: the county's list holds its own and its department's decisions, newest first
    // (on PostgreSQL the per-agency query of views::search_decisions); 乙县 has none.
    let (_, page) = get(&app, a, "/xxgk/decisions").await;
    assert!(
        page.contains("测罚〔2020〕1号") && page.contains("测许〔2020〕25号"),
        "A decisions"
    );
    let (_, page) = get(&app, bh, "/xxgk/decisions").await;
    assert!(
        !page.contains("测罚〔2020〕1号") && !page.contains("测许"),
        "B decisions"
    );

    // Search: one index, each site within its own subtree.
    let (_, page) = get(&app, a, "/search?q=%E9%80%9A%E7%9F%A5").await; // 通知
    assert!(
        page.contains("规范性文件管理") && page.contains("招生工作"),
        "A search"
    );
    assert!(!page.contains("春耕生产"), "A search shows no 乙县 item");
    let (_, page) = get(&app, bh, "/search?q=%E9%80%9A%E7%9F%A5").await;
    assert!(
        page.contains("春耕生产") && !page.contains("规范性文件管理"),
        "B search"
    );
    // The county's platform-wide search offers its department's site and narrows to it.
    let (_, page) = get(&app, a, "/search").await;
    assert!(
        page.contains("id=\"site\"") && page.contains("测试县教育局"),
        "site filter"
    );
    let (_, page) = get(
        &app,
        a,
        &format!("/search?q=%E9%80%9A%E7%9F%A5&site={dept}"),
    )
    .await;
    assert!(
        page.contains("招生工作") && !page.contains("规范性文件管理"),
        "site filter narrows"
    );
    let (_, page) = get(&app, bh, "/search").await;
    assert!(!page.contains("id=\"site\""), "乙县 has no sites within it");

    // Feed and sitemap: own items, own host in every link.
    let (_, feed) = get(&app, bh, "/feed.atom").await;
    assert!(
        feed.contains("春耕生产") && !feed.contains("规范性文件管理"),
        "B feed"
    );
    assert!(
        feed.contains("http://www.yixian.gov.cn/"),
        "B feed links: {feed}"
    );
    let (_, map) = get(&app, a, "/sitemap.xml").await;
    assert!(map.contains(&format!("/xxgk/items/{a_item}<")), "A sitemap");
    assert!(
        !map.contains(&format!("/xxgk/items/{b_item}<")),
        "A sitemap has no B item"
    );
    assert!(map.contains("http://www.ceshi.gov.cn/"), "A sitemap host");

    // The API.
    let (_, api) = get(&app, a, "/api/v1/documents?q=%E9%80%9A%E7%9F%A5").await;
    assert!(
        api.contains("规范性文件管理") && !api.contains("春耕生产"),
        "A API search"
    );
    let (_, api) = get(&app, bh, "/api/v1/documents").await;
    let v: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!(v["total"], 1, "B API: {api}");
    assert!(api.contains("春耕生产"));
    let (status, _) = get(
        &app,
        a,
        "/api/v1/documents/%E4%B9%99%E6%94%BF%E3%80%942020%E3%80%953%E5%8F%B7",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // A host no site holds is served by the default site (the county).
    let (_, page) = get(&app, "127.0.0.1:8080", "/").await;
    assert!(page.contains(A_ITEM) && !page.contains(B_ITEM));
    fx.cleanup().await;
}

#[tokio::test]
async fn two_sites_on_one_node_see_their_own_items_on_sqlite() {
    two_counties_and_a_department(common::fixture().await).await;
}

#[tokio::test]
async fn two_sites_on_one_node_see_their_own_items_on_postgres() {
    let fx = common::fixture_pg("platform")
        .await
        .expect("GONGKAI_TEST_PG_URL must name a PostgreSQL server (scripts/test sets it)");
    two_counties_and_a_department(fx).await;
}
