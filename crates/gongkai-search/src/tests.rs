//! Behaviour of the index as the portal sees it.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::{ItemDoc, MAX_RESULT_WINDOW, Query, SearchError, SearchIndex, SortOrder};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn item(id: i64, title: &str, body: &str) -> ItemDoc {
    ItemDoc {
        id,
        index_no: format!("113708280043326001/2024-{id:05}"),
        title: title.to_string(),
        body: body.to_string(),
        summary: String::new(),
        doc_number: None,
        category: "other".to_string(),
        agency: "夏邑县人民政府办公室".to_string(),
        agency_id: 1,
        published_on: date(2024, 1, 1),
        url: format!("/xxgk/items/{id}"),
    }
}

fn index_with(items: &[ItemDoc]) -> SearchIndex {
    let index = SearchIndex::in_memory().expect("index");
    for i in items {
        index.upsert(i).expect("upsert");
    }
    index.commit().expect("commit");
    index
}

fn ids(index: &SearchIndex, q: &Query) -> Vec<i64> {
    index
        .search(q)
        .expect("search")
        .hits
        .iter()
        .map(|h| h.id)
        .collect()
}

fn sample() -> Vec<ItemDoc> {
    vec![
        ItemDoc {
            summary: "清理现行有效的规范性文件".into(),
            doc_number: Some("夏政办〔2020〕12号".into()),
            category: "regulations".into(),
            ..item(
                1,
                "夏邑县人民政府办公室关于公布现行有效规范性文件目录的通知",
                "根据《河南省行政规范性文件管理办法》，县政府对规范性文件进行了全面清理。",
            )
        },
        ItemDoc {
            category: "fees".into(),
            agency: "夏邑县教育局".into(),
            agency_id: 2,
            published_on: date(2021, 9, 1),
            ..item(
                2,
                "夏邑县2021年义务教育阶段收费标准公示",
                "义务教育阶段学校免收学杂费，服务性收费按规定执行。",
            )
        },
        ItemDoc {
            category: "procurement".into(),
            agency: "夏邑县财政局".into(),
            agency_id: 3,
            published_on: date(2022, 5, 20),
            ..item(
                3,
                "2022年度政府集中采购目录及限额标准",
                "集中采购目录以内的项目应当实行集中采购。",
            )
        },
    ]
}

#[test]
fn index_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<SearchIndex>();
}

#[test]
fn indexes_and_counts() {
    let index = index_with(&sample());
    assert_eq!(index.num_docs(), 3);
}

#[test]
fn writes_are_invisible_until_commit() {
    let index = SearchIndex::in_memory().expect("index");
    index.upsert(&sample()[0]).expect("upsert");
    assert_eq!(
        index
            .search(&Query::new("规范性文件"))
            .expect("search")
            .total,
        0
    );
    index.commit().expect("commit");
    assert_eq!(
        index
            .search(&Query::new("规范性文件"))
            .expect("search")
            .total,
        1
    );
}

#[test]
fn chinese_word_finds_title() {
    let index = index_with(&sample());
    let page = index.search(&Query::new("规范性文件")).expect("search");
    assert_eq!(page.total, 1);
    assert_eq!(page.hits[0].id, 1);
    assert!(
        page.hits[0].title_html.contains("<mark>规范性文件</mark>"),
        "{}",
        page.hits[0].title_html
    );
    assert!(page.hits[0].snippet_html.contains("<mark>"));
    // A sub-word of a compound and a word in another item.
    assert_eq!(ids(&index, &Query::new("采购")), vec![3]);
    assert_eq!(ids(&index, &Query::new("义务教育 收费")), vec![2]);
    // Every word must occur.
    assert!(ids(&index, &Query::new("规范性文件 采购")).is_empty());
}

#[test]
fn finds_by_doc_number_index_no_and_agency() {
    let index = index_with(&sample());
    assert_eq!(ids(&index, &Query::new("夏政办〔2020〕12号")), vec![1]);
    assert_eq!(ids(&index, &Query::new("2024-00003")), vec![3]);
    assert_eq!(ids(&index, &Query::new("财政局")), vec![3]);
}

#[test]
fn hit_carries_catalogue_fields() {
    let index = index_with(&sample());
    let hit = index
        .search(&Query::new("集中采购"))
        .expect("search")
        .hits
        .remove(0);
    assert_eq!(hit.id, 3);
    assert_eq!(hit.index_no, "113708280043326001/2024-00003");
    assert_eq!(hit.title, "2022年度政府集中采购目录及限额标准");
    assert_eq!(hit.url, "/xxgk/items/3");
    assert_eq!(hit.agency, "夏邑县财政局");
    assert_eq!(hit.published_on, date(2022, 5, 20));
    assert_eq!(hit.category, "procurement");
}

#[test]
fn filters_by_category_agency_and_year() {
    let mut items = sample();
    for (n, i) in items.iter_mut().enumerate() {
        i.body.push_str(" 夏邑县");
        i.published_on = date(2020 + n as i32, 6, 1);
    }
    let index = index_with(&items);
    assert_eq!(index.search(&Query::new("夏邑县")).expect("s").total, 3);
    assert_eq!(ids(&index, &Query::new("夏邑县").category("fees")), vec![2]);
    assert_eq!(ids(&index, &Query::new("夏邑县").agency_id(3)), vec![3]);
    assert_eq!(ids(&index, &Query::new("夏邑县").year(2020)), vec![1]);
    assert!(ids(&index, &Query::new("夏邑县").year(2019)).is_empty());
    assert!(ids(&index, &Query::new("夏邑县").category("fees").agency_id(3)).is_empty());
    // No text but a filter: a listing, newest first.
    assert_eq!(ids(&index, &Query::new("").agency_id(1)), vec![1]);
    let mut listing = Query::new("");
    listing.year = Some(2022);
    assert_eq!(ids(&index, &listing), vec![3]);
    // A site's scope (the agencies of its subtree) keeps the other sites' items out.
    let mut scoped = ids(&index, &Query::new("夏邑县").within(vec![1, 3, 99]));
    scoped.sort_unstable();
    assert_eq!(scoped, vec![1, 3]);
    assert!(ids(&index, &Query::new("夏邑县").within(vec![99])).is_empty());
    assert!(ids(&index, &Query::new("").within(vec![1, 3])).is_empty());
}

#[test]
fn listing_without_text_is_newest_first() {
    let items: Vec<ItemDoc> = (1..=3)
        .map(|n| ItemDoc {
            published_on: date(2020, n as u32, 1),
            ..item(n, "通知", "正文")
        })
        .collect();
    let index = index_with(&items);
    assert_eq!(
        ids(&index, &Query::new("").category("other")),
        vec![3, 2, 1]
    );
}

#[test]
fn relevance_first_then_recency() {
    let old_title = ItemDoc {
        published_on: date(2019, 1, 1),
        ..item(1, "医疗保障政策解读", "正文")
    };
    let new_body = ItemDoc {
        published_on: date(2024, 1, 1),
        ..item(2, "一则通知", "涉及医疗保障的正文")
    };
    let index = index_with(&[new_body, old_title]);
    // The title match wins although it is older.
    assert_eq!(ids(&index, &Query::new("医疗保障")), vec![1, 2]);

    // Equal relevance: the newer item first, whatever the insertion order.
    let twins: Vec<ItemDoc> = [(10, 2018), (11, 2023), (12, 2020)]
        .into_iter()
        .map(|(id, y)| ItemDoc {
            published_on: date(y, 1, 1),
            ..item(id, "扶贫项目公示", "扶贫项目资金使用情况")
        })
        .collect();
    let index = index_with(&twins);
    assert_eq!(ids(&index, &Query::new("扶贫")), vec![11, 12, 10]);
}

#[test]
fn newest_first_when_asked() {
    let old_title = ItemDoc {
        published_on: date(2019, 1, 1),
        ..item(1, "医疗保障政策解读", "正文")
    };
    let new_body = ItemDoc {
        published_on: date(2024, 1, 1),
        ..item(2, "一则通知", "涉及医疗保障的正文")
    };
    let same_day = ItemDoc {
        published_on: date(2024, 1, 1),
        ..item(3, "医疗保障通知", "医疗保障")
    };
    let index = index_with(&[old_title, new_body, same_day]);
    // By relevance the body-only match comes last although it is new.
    assert_eq!(ids(&index, &Query::new("医疗保障")).last(), Some(&2));
    // By date: newest first, the better match first on the same day.
    assert_eq!(
        ids(&index, &Query::new("医疗保障").sort(SortOrder::Newest)),
        vec![3, 2, 1]
    );
}

#[test]
fn pages_through_results() {
    let items: Vec<ItemDoc> = (1..=25)
        .map(|n| ItemDoc {
            published_on: date(2000 + n as i32, 1, 1),
            ..item(n, "安全生产监督检查情况", "安全生产")
        })
        .collect();
    let index = index_with(&items);
    let page = |p: usize| {
        index
            .search(&Query::new("安全生产").page(p, 10))
            .expect("s")
    };
    let (p1, p2, p3, p4) = (page(1), page(2), page(3), page(4));
    assert_eq!((p1.total, p2.total, p3.total, p4.total), (25, 25, 25, 25));
    assert_eq!(
        (p1.hits.len(), p2.hits.len(), p3.hits.len(), p4.hits.len()),
        (10, 10, 5, 0)
    );
    let mut seen: Vec<i64> = [p1, p2, p3]
        .iter()
        .flat_map(|p| p.hits.iter().map(|h| h.id))
        .collect();
    // Same score everywhere, so pages follow recency: 25 (newest) down to 1.
    assert_eq!(seen, (1..=25).rev().collect::<Vec<_>>());
    seen.dedup();
    assert_eq!(seen.len(), 25);
    // Page 0 is page 1; a page far beyond the window is empty but keeps the total.
    assert_eq!(page(0).hits.len(), 10);
    let far = index
        .search(&Query::new("安全生产").page(MAX_RESULT_WINDOW, 100))
        .expect("s");
    assert_eq!((far.total, far.hits.len()), (25, 0));
    let huge = index
        .search(&Query::new("安全生产").page(usize::MAX, usize::MAX))
        .expect("s");
    assert_eq!((huge.total, huge.hits.len()), (25, 0));
}

#[test]
fn upsert_replaces() {
    let index = index_with(&sample());
    let mut changed = sample()[2].clone();
    changed.title = "2023年度政府集中采购目录".into();
    changed.body = "新的正文：公共资源交易".into();
    index.upsert(&changed).expect("upsert");
    index.commit().expect("commit");
    assert_eq!(index.num_docs(), 3);
    assert!(ids(&index, &Query::new("限额标准")).is_empty());
    assert_eq!(ids(&index, &Query::new("公共资源交易")), vec![3]);
    // Upserting twice in one batch keeps one copy.
    index.upsert(&changed).expect("upsert");
    index.upsert(&changed).expect("upsert");
    index.commit().expect("commit");
    assert_eq!(
        index.search(&Query::new("公共资源交易")).expect("s").total,
        1
    );
}

#[test]
fn delete_removes() {
    let index = index_with(&sample());
    index.delete(1).expect("delete");
    index.delete(999).expect("deleting an unknown id is fine");
    index.commit().expect("commit");
    assert!(ids(&index, &Query::new("规范性文件")).is_empty());
    assert_eq!(index.num_docs(), 2);
}

#[test]
fn rebuild_replaces_everything() {
    let index = index_with(&sample());
    let fresh: Vec<ItemDoc> = (100..125)
        .map(|n| item(n, "城乡规划公示", "规划"))
        .collect();
    let mut reported = Vec::new();
    let n = index.rebuild(fresh, |k| reported.push(k)).expect("rebuild");
    assert_eq!(n, 25);
    assert_eq!(reported.last(), Some(&25));
    assert_eq!(index.num_docs(), 25);
    assert!(ids(&index, &Query::new("规范性文件")).is_empty());
    assert_eq!(index.search(&Query::new("城乡规划")).expect("s").total, 25);
    // The ordinary writer comes back after a rebuild.
    index.upsert(&sample()[0]).expect("upsert");
    index.commit().expect("commit");
    assert_eq!(index.num_docs(), 26);
}

#[test]
fn html_in_items_comes_out_escaped() {
    let index = index_with(&[item(
        1,
        "<b>环境保护</b> & 检查",
        "<script>alert('环境保护')</script>",
    )]);
    let hit = index
        .search(&Query::new("环境保护"))
        .expect("s")
        .hits
        .remove(0);
    assert_eq!(
        hit.snippet_html,
        "&lt;script&gt;alert(&#39;<mark>环境保护</mark>&#39;)&lt;/script&gt;"
    );
    assert_eq!(
        hit.title_html,
        "&lt;b&gt;<mark>环境保护</mark>&lt;/b&gt; &amp; 检查"
    );
    // The plain fields stay plain.
    assert_eq!(hit.title, "<b>环境保护</b> & 检查");
    // Markup in the query is no markup either.
    let hit = index
        .search(&Query::new("<script>环境保护"))
        .expect("s")
        .hits
        .remove(0);
    assert!(!hit.snippet_html.contains("<script"));
    assert!(hit.snippet_html.contains("<mark>script</mark>"));
}

#[test]
fn snippet_falls_back_to_summary_then_lead() {
    let index = index_with(&[ItemDoc {
        summary: "本通知说明<预算>编制".into(),
        ..item(1, "财政预算公开", "正文与标题无关")
    }]);
    let hit = index.search(&Query::new("财政")).expect("s").hits.remove(0);
    assert_eq!(hit.snippet_html, "本通知说明&lt;预算&gt;编制");
    let hit = index.search(&Query::new("预算")).expect("s").hits.remove(0);
    assert_eq!(hit.snippet_html, "本通知说明&lt;<mark>预算</mark>&gt;编制");
}

#[test]
fn odd_queries_do_not_fail() {
    let index = index_with(&sample());
    for text in [
        "",
        " ",
        "\"",
        "(",
        ")",
        "AND",
        "OR NOT",
        "\"规范性文件",
        "规范性文件\"",
        "((采购",
        "title:采购",
        "*",
        "?",
        "-",
        "+",
        "~2",
        "[1 TO 2]",
        "{",
        "\\",
        "/",
        "采购^2",
        "<>",
        "\u{0}",
        "🙂",
        "的",
    ] {
        let page = index
            .search(&Query::new(text))
            .unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert!(page.hits.len() <= page.total, "{text:?}");
    }
    for text in ["", " ", "\"", "(", "AND", "*"] {
        assert_eq!(
            index.search(&Query::new(text)).expect("s").total,
            0,
            "{text:?}"
        );
    }
    // Operators are just words, and quotes/brackets around a word are ignored.
    assert_eq!(ids(&index, &Query::new("\"规范性文件")), vec![1]);
    assert_eq!(ids(&index, &Query::new("((采购")), vec![3]);
    assert_eq!(ids(&index, &Query::new("title:采购")), Vec::<i64>::new());
    let long = "规范性文件".repeat(500);
    assert_eq!(ids(&index, &Query::new(long)), vec![1]);
}

#[test]
fn ascii_is_case_insensitive() {
    let index = index_with(&[item(1, "PPP项目信息公开", "ppp")]);
    assert_eq!(ids(&index, &Query::new("ppp")), vec![1]);
    assert_eq!(ids(&index, &Query::new("PpP")), vec![1]);
}

/// A unique directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        Self(std::env::temp_dir().join(format!(
            "gongkai-search-{tag}-{}-{nanos}",
            std::process::id()
        )))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn on_disk_index_survives_reopening() {
    let dir = TempDir::new("reopen");
    {
        let index = SearchIndex::open_or_create(&dir.0).expect("create");
        index.upsert(&sample()[0]).expect("upsert");
        index.commit().expect("commit");
    }
    let index = SearchIndex::open_or_create(&dir.0).expect("reopen");
    assert_eq!(ids(&index, &Query::new("规范性文件")), vec![1]);
}

#[test]
fn index_of_another_version_is_refused() {
    let dir = TempDir::new("version");
    drop(SearchIndex::open_or_create(&dir.0).expect("create"));
    std::fs::write(dir.0.join("gongkai-search.version"), "0").expect("write");
    match SearchIndex::open_or_create(&dir.0) {
        Err(SearchError::IncompatibleIndex { found, .. }) => assert_eq!(found, "0"),
        other => panic!("expected IncompatibleIndex, got {other:?}"),
    }
}

#[test]
fn searches_run_while_writing() {
    let index = Arc::new(index_with(&sample()));
    let searchers: Vec<_> = (0..4)
        .map(|_| {
            let index = Arc::clone(&index);
            std::thread::spawn(move || {
                for _ in 0..50 {
                    let page = index.search(&Query::new("规范性文件")).expect("search");
                    // Item 1 is never touched by the writer below.
                    assert!(page.hits.iter().any(|h| h.id == 1));
                }
            })
        })
        .collect();
    let writer = {
        let index = Arc::clone(&index);
        std::thread::spawn(move || {
            for n in 0..20 {
                let mut doc = item(1000 + n, "规范性文件备案审查", "备案");
                doc.published_on = date(2000, 1, 1);
                index.upsert(&doc).expect("upsert");
                index.commit().expect("commit");
            }
        })
    };
    for t in searchers {
        t.join().expect("searcher thread");
    }
    writer.join().expect("writer thread");
    assert_eq!(index.search(&Query::new("备案审查")).expect("s").total, 20);
}

#[test]
fn unknown_compound_falls_back_to_its_sub_words() {
    // No document contains the word 规范性, but one contains its sub-word 规范: jieba may cut a
    // document differently from a short query, so the parts still find it.
    let index = index_with(&[item(1, "管理规范", "正文"), item(2, "其他", "正文")]);
    assert_eq!(ids(&index, &Query::new("规范性")), vec![1]);
    // A word that is in the index is not widened to its parts.
    let index = index_with(&[item(1, "规范性文件", "正文"), item(2, "规范管理", "正文")]);
    assert_eq!(ids(&index, &Query::new("规范性")), vec![1]);
}
