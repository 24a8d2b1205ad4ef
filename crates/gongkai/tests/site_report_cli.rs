//! `gongkai site-report` on the demo county (issue 16, acceptance 4): the 政府网站工作年度报表 of
//! 2020 renders as HTML, DOCX and XLSX, and every figure it prints equals a recount made here
//! from the database's raw rows (independent of the store's queries). Two 网上巡查 runs and
//! two days of visit counts are recorded first, so 安全防护 and the visit totals are counted
//! from records too.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::process::Command;

use chrono::NaiveDate;
use gongkai_store::Store;
use gongkai_store::models::{site_inspection, site_visit};
use sqlx::Row;

fn gongkai(data_dir: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    c.arg("--data-dir").arg(data_dir);
    for v in [
        "GONGKAI_DB",
        "GONGKAI_KEY",
        "GONGKAI_SITE_AGENCY",
        "GONGKAI_SITE_URL",
        "GONGKAI_SITE_TYPE",
        "GONGKAI_PSB_RECORD",
        "GONGKAI_SITE_HOST",
        "GONGKAI_SITE_FEATURES",
    ] {
        c.env_remove(v);
    }
    c
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, m, d).expect("date")
}

/// The value cells of the HTML table by their label (`section|label`).
fn html_values(html: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for row in html.split("<tr>").skip(2) {
        let cells: Vec<String> = row
            .split("</t")
            .filter_map(|c| c.rsplit('>').next())
            .map(str::to_string)
            .collect();
        if cells.len() >= 4 {
            out.insert(format!("{}|{}", cells[0], cells[1]), cells[3].clone());
        }
    }
    out
}

fn zipped(path: &std::path::Path, part: &str) -> String {
    let f = std::fs::File::open(path).expect("open");
    let mut z = zip::ZipArchive::new(f).expect("zip");
    let mut s = String::new();
    z.by_name(part)
        .expect("part")
        .read_to_string(&mut s)
        .expect("read");
    s
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_countys_2020_report_renders_and_its_figures_equal_a_recount() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = gongkai(dir.path())
        .args(["demo", "--load-only"])
        .output()
        .expect("demo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Records the report reads beyond the demo: two runs of 2020 (a problem found twice and
    // then gone, one still there) and two counted days.
    let store = Store::open(&Store::default_url(dir.path()), dir.path())
        .await
        .expect("store");
    let finding = |rule, url| site_inspection::NewFinding {
        rule,
        veto: false,
        url,
        detail: "测试",
        deduction_tenths: 10,
    };
    for (as_of, findings) in [
        (
            day(11, 30),
            vec![
                finding("LINK-BROKEN", "http://127.0.0.1/a"),
                finding("DATE-MISSING", "http://127.0.0.1/b"),
            ],
        ),
        (
            day(12, 31),
            vec![finding("LINK-BROKEN", "http://127.0.0.1/a")],
        ),
    ] {
        site_inspection::record(
            &store,
            "test",
            &site_inspection::NewRun {
                url: "http://127.0.0.1/",
                as_of,
                started_by: "cli",
                veto: false,
                pages: 10,
                probes_sent: 3,
                probes_failed: 0,
                external_links: 0,
                score_tenths: Some(980),
                findings,
            },
        )
        .await
        .expect("run");
    }
    site_visit::set_day(&store, day(6, 1), 120, 480)
        .await
        .expect("visits");
    site_visit::set_day(&store, day(6, 2), 80, 300)
        .await
        .expect("visits");
    // A day of another year does not count.
    site_visit::set_day(
        &store,
        NaiveDate::from_ymd_opt(2021, 1, 1).expect("d"),
        9,
        9,
    )
    .await
    .expect("visits");
    store.close().await;

    // The four formats of the fixed interface (`--output F`, the format from its extension).
    let mut files = HashMap::new();
    for ext in ["html", "docx", "xlsx", "json"] {
        let path = dir.path().join(format!("site-report-2020.{ext}"));
        let out = gongkai(dir.path())
            .args(["site-report", "--year", "2020", "--output"])
            .arg(&path)
            .output()
            .expect("site-report");
        assert!(
            out.status.success(),
            "{ext}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            std::fs::metadata(&path).expect("written").len() > 500,
            "{ext}"
        );
        files.insert(ext, path);
    }
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&files["json"]).expect("json")).expect("parse");
    assert_eq!(json["year"], 2020, "{json}");
    // A year not finished, or before the form existed, is refused.
    for bad in ["2016", "2999"] {
        let out = gongkai(dir.path())
            .args(["site-report", "--year", bad])
            .output()
            .expect("site-report");
        assert!(!out.status.success(), "{bad}");
    }

    // The recount, from raw rows.
    let pool = sqlx::SqlitePool::connect(&Store::default_url(dir.path()))
        .await
        .expect("pool");
    let agencies: Vec<(i64, Option<i64>, String)> =
        sqlx::query("SELECT id, parent_id, level FROM agencies")
            .fetch_all(&pool)
            .await
            .expect("agencies")
            .iter()
            .map(|r| (r.get("id"), r.get("parent_id"), r.get("level")))
            .collect();
    let county = agencies
        .iter()
        .find(|a| a.2 == "county")
        .map(|a| a.0)
        .expect("county");
    let mut sub: HashSet<i64> = HashSet::from([county]);
    loop {
        let more: Vec<i64> = agencies
            .iter()
            .filter(|a| a.1.is_some_and(|p| sub.contains(&p)) && !sub.contains(&a.0))
            .map(|a| a.0)
            .collect();
        if more.is_empty() {
            break;
        }
        sub.extend(more);
    }
    let in_2020 = |d: &Option<String>| d.as_deref().is_some_and(|d| d.starts_with("2020-"));
    let rows = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query(sql).fetch_all(&pool).await.expect(sql) }
    };
    let items =
        rows("SELECT agency_id, status, published_on, art20_item, doc_type FROM proactive_items")
            .await;
    let items: Vec<_> = items
        .iter()
        .filter(|r| sub.contains(&r.get::<i64, _>("agency_id")))
        .filter(|r| {
            matches!(
                r.get::<String, _>("status").as_str(),
                "published" | "withdrawn"
            )
        })
        .filter(|r| in_2020(&r.get("published_on")))
        .collect();
    let items_total = items.len();
    let overview = items
        .iter()
        .filter(|r| r.get::<Option<i64>, _>("art20_item") == Some(2))
        .count();
    let interpretations = items
        .iter()
        .filter(|r| r.get::<String, _>("doc_type") == "interpretation")
        .count();
    let topics = rows("SELECT agency_id, opened_on FROM topics").await;
    let topics: Vec<String> = topics
        .iter()
        .filter(|r| sub.contains(&r.get::<i64, _>("agency_id")))
        .map(|r| r.get("opened_on"))
        .collect();
    let maintained = topics.iter().filter(|d| d.as_str() <= "2020-12-31").count();
    let opened = topics.iter().filter(|d| d.starts_with("2020-")).count();
    let matters = rows("SELECT agency_id, kind, listed_on, delisted_on FROM matters").await;
    let services = matters
        .iter()
        .filter(|r| sub.contains(&r.get::<i64, _>("agency_id")))
        .filter(|r| {
            matches!(
                r.get::<String, _>("kind").as_str(),
                "licensing" | "other_services"
            )
        })
        .filter(|r| r.get::<String, _>("listed_on").as_str() <= "2020-12-31")
        .filter(|r| {
            r.get::<Option<String>, _>("delisted_on")
                .is_none_or(|d| d.as_str() > "2020-12-31")
        })
        .count();
    let letters =
        rows("SELECT agency_id, received_on, replied_on, published FROM mailbox_letters").await;
    let letters: Vec<(String, Option<String>, bool)> = letters
        .iter()
        .filter(|r| sub.contains(&r.get::<i64, _>("agency_id")))
        .map(|r| {
            let l: (String, Option<String>, bool) = (
                r.get("received_on"),
                r.get("replied_on"),
                r.get("published"),
            );
            l
        })
        .filter(|l| l.0.starts_with("2020-"))
        .collect();
    let done: Vec<&(String, Option<String>, bool)> = letters
        .iter()
        .filter(|l| l.1.as_deref().is_some_and(|d| d <= "2020-12-31"))
        .collect();
    let days = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
    let total_days: i64 = done
        .iter()
        .map(|l| (days(l.1.as_deref().unwrap_or_default()) - days(&l.0)).num_days())
        .sum();
    let avg = format!("{:.1}", total_days as f64 / done.len() as f64);
    let public = done.iter().filter(|l| l.2).count();
    let media =
        rows("SELECT agency_id, platform, name, opened_on, closed_on FROM media_accounts").await;
    let media: Vec<(String, String)> = media
        .iter()
        .filter(|r| sub.contains(&r.get::<i64, _>("agency_id")))
        .filter(|r| r.get::<String, _>("opened_on").as_str() <= "2020-12-31")
        .filter(|r| {
            r.get::<Option<String>, _>("closed_on")
                .is_none_or(|d| d.as_str() >= "2020-01-01")
        })
        .map(|r| (r.get("platform"), r.get("name")))
        .collect();
    let names = |p: &dyn Fn(&str) -> bool| {
        media
            .iter()
            .filter(|m| p(&m.0))
            .map(|m| m.1.clone())
            .collect::<Vec<_>>()
    };
    let weibo = names(&|p| p.contains("微博"));
    let weixin = names(&|p| p.contains("微信"));

    let html = std::fs::read_to_string(&files["html"]).expect("html");
    let v = html_values(&html);
    let want: Vec<(&str, String)> = vec![
        ("基本信息|网站名称", "夏邑县人民政府".to_string()),
        ("基本信息|独立用户访问总量", "200".to_string()),
        ("基本信息|网站总访问量", "780".to_string()),
        ("信息发布|总数", items_total.to_string()),
        ("信息发布|概况类信息更新量", overview.to_string()),
        ("信息发布|政务动态信息更新量", "—".to_string()),
        ("信息发布|信息公开目录信息更新量", items_total.to_string()),
        ("专栏专题|维护数量", maintained.to_string()),
        ("专栏专题|新开设数量", opened.to_string()),
        ("解读回应|解读信息发布 · 总数", interpretations.to_string()),
        ("办事服务|注册用户数", "—".to_string()),
        ("办事服务|政务服务事项数量", services.to_string()),
        (
            "互动交流|留言办理 · 收到留言数量",
            letters.len().to_string(),
        ),
        ("互动交流|留言办理 · 办结留言数量", done.len().to_string()),
        ("互动交流|留言办理 · 平均办理时间", avg),
        ("互动交流|留言办理 · 公开答复数量", public.to_string()),
        ("安全防护|安全检测评估次数", "2".to_string()),
        ("安全防护|发现问题数量", "2".to_string()),
        ("安全防护|问题整改数量", "1".to_string()),
        (
            "移动新媒体|是否有移动新媒体",
            if media.is_empty() { "否" } else { "是" }.to_string(),
        ),
        ("移动新媒体|微博 · 名称", weibo.join("、")),
        ("移动新媒体|微信 · 名称", weixin.join("、")),
        ("创新发展|创新发展", "—".to_string()),
    ];
    println!("政府网站工作年度报表（2020年度）of the demo county, recounted:");
    for (k, w) in &want {
        println!("  {k}: {w}");
        assert_eq!(v.get(*k), Some(w), "{k}");
    }
    assert!(items_total > 0 && !letters.is_empty() && !weibo.is_empty());

    // The DOCX and XLSX carry the same values, in the form's order.
    let doc = zipped(&files["docx"], "word/document.xml");
    let sheet = zipped(&files["xlsx"], "xl/worksheets/sheet1.xml");
    let strings = zipped(&files["xlsx"], "xl/sharedStrings.xml");
    let mut at = 0;
    for (k, w) in &want {
        let label = k.split('|').nth(1).unwrap_or_default();
        let found = doc[at..].find(&format!(">{label}<")).map(|i| i + at);
        let Some(i) = found else {
            panic!("docx: {label} not after position {at}");
        };
        at = i;
        assert!(doc[i..].contains(&format!(">{w}<")), "docx {label}: {w}");
        if let Ok(n) = w.parse::<f64>() {
            assert!(sheet.contains(&format!("<v>{n}</v>")), "xlsx {label}: {w}");
        } else {
            assert!(strings.contains(w.as_str()), "xlsx {label}: {w}");
        }
    }
}
