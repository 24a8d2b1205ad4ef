//! `/xxgk/catalogue` and `/xxgk/media` over the real router: the catalogue by domain with the
//! nine columns and the items that fulfil an entry; the accounts with their 备案 trail and the
//! counts by platform; hostile text escaped.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::Days;
use common::{HOSTILE, fixture};
use gongkai_law::catalogue::{Audience, Domain, Level, Mode};
use gongkai_store::models::catalogue::{self, NewEntry};
use gongkai_store::models::media_account;
use gongkai_store::models::media_event::{self, MediaEventKind};
use gongkai_web::router;
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String) {
    let resp = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

fn escaped(body: &str) -> bool {
    !body.contains(HOSTILE)
        && (body.contains("&lt;script&gt;") || body.contains("&#60;script&#62;"))
}

fn entry(domain: Domain, l1: &str, l2: &str, content: &str, mode: Mode) -> NewEntry {
    NewEntry {
        domain,
        item_l1: l1.into(),
        item_l2: l2.into(),
        content: content.into(),
        basis: "《政府信息公开条例》".into(),
        time_limit: "信息形成或者变更之日起20个工作日内".into(),
        subject: "测试县财政局".into(),
        channels: "政府网站".into(),
        audience: Audience::Public,
        mode,
        level: Level::Both,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalogue_page_by_domain_with_items() {
    let f = fixture().await;
    let s = &f.state.store;
    let entries = [
        entry(
            Domain::Budget,
            "财政预决算",
            "部门预算",
            "部门预算及说明",
            Mode::Proactive,
        ),
        entry(
            Domain::Budget,
            "财政预决算",
            "部门决算",
            HOSTILE,
            Mode::Proactive,
        ),
        entry(
            Domain::Employment,
            "就业服务",
            "失业登记",
            "失业登记名单",
            Mode::OnRequest,
        ),
        // A yearly entry whose only item is older than a year: past its time limit.
        NewEntry {
            time_limit: "每年3月底前".into(),
            ..entry(
                Domain::Budget,
                "财政预决算",
                "年度预算执行",
                "年度预算执行情况",
                Mode::Proactive,
            )
        },
    ];
    catalogue::insert_entries(s, "t", "catalogue.import", "{}", f.county, &entries)
        .await
        .unwrap();
    let list = catalogue::list(s, f.county).await.unwrap();
    let budget = list.iter().find(|e| e.item_l2 == "部门预算").unwrap();
    catalogue::link_item(s, "t", budget.id, f.normative_id)
        .await
        .unwrap();
    let yearly = list.iter().find(|e| e.item_l2 == "年度预算执行").unwrap();
    catalogue::link_item(s, "t", yearly.id, f.normative_id)
        .await
        .unwrap();

    let app = router(f.state.clone());
    let (status, body) = get(&app, "/xxgk/catalogue").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<h1>基层政务公开标准目录</h1>"));
    // All 26 domains are listed, in the guidelines' order.
    for d in Domain::ALL {
        assert!(body.contains(d.label()), "{}", d.label());
    }
    let (first, last) = (
        body.find("id=\"d-major_projects\"").unwrap(),
        body.find("id=\"d-urban_rural_planning\"").unwrap(),
    );
    assert!(first < last);
    for col in [
        "公开内容（要素）",
        "公开依据",
        "公开时限",
        "公开主体",
        "公开渠道和载体",
        "公开对象",
        "公开方式",
        "公开层级",
    ] {
        assert!(
            body.contains(&format!("<th scope=\"col\">{col}</th>")),
            "{col}"
        );
    }
    assert!(body.contains("部门预算及说明"));
    assert!(body.contains(&format!("href=\"/xxgk/items/{}\"", f.normative_id)));
    assert!(body.contains("暂无内容"));
    // Only the yearly entry is flagged: its newest item is older than its period.
    assert_eq!(
        body.matches("<strong class=\"flag\">逾期未更新</strong>")
            .count(),
        1,
        "{body}"
    );
    assert!(body.contains("依申请公开"));
    assert!(body.contains("县级、乡级"));
    assert!(escaped(&body), "hostile text not escaped");
    f.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn media_page_with_counts_and_trail() {
    let f = fixture().await;
    let s = &f.state.store;
    let today = gongkai_law::beijing_today();
    let opened = today.checked_sub_days(Days::new(400)).unwrap();
    let mut ids = Vec::new();
    for (i, platform) in ["微博", "微信公众号", "微信公众号"].iter().enumerate() {
        let name = if i == 2 {
            HOSTILE.to_string()
        } else {
            format!("测试发布{i}")
        };
        ids.push(
            media_account::register(
                s,
                "t",
                f.county,
                platform,
                &name,
                &format!("acct{i}"),
                "测试县融媒体中心",
                opened,
            )
            .await
            .unwrap(),
        );
    }
    media_event::record(
        s,
        "t",
        ids[0],
        MediaEventKind::Open,
        opened,
        "KS-2020-001",
        "",
    )
    .await
    .unwrap();
    media_event::record(
        s,
        "t",
        ids[0],
        MediaEventKind::Close,
        today,
        "ZX-2021-009",
        "",
    )
    .await
    .unwrap();

    let app = router(f.state.clone());
    let (status, body) = get(&app, "/xxgk/media").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<h1>政务新媒体</h1>"));
    assert!(body.contains("共 3 个"));
    assert!(body.contains("<th scope=\"row\">微信公众号</th><td>2</td><td>2</td>"));
    assert!(body.contains("<th scope=\"row\">微博</th><td>1</td><td>0</td>"));
    assert!(body.contains("已注销"));
    assert!(body.contains("备案编号：KS-2020-001"));
    assert!(body.contains("备案编号：ZX-2021-009"));
    assert!(body.contains("测试县人民政府"));
    assert!(escaped(&body), "hostile text not escaped");
    f.cleanup().await;
}
