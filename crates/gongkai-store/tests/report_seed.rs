//! Acceptance 1: the demo data set, loaded as records, generates the seed county's 2020 report
//! cell for cell; loading it again adds nothing; the audit chain holds.

#[macro_use]
mod common;

use common::TestStore;
use gongkai_store::models::{agency, media_event};
use gongkai_store::views::{registry, supervision};
use gongkai_store::{ReportFormat, audit, demo, generate_report};

fn seed_json() -> serde_json::Value {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    // The report crate's canonical copy when it exists; ours otherwise.
    let theirs = here.join("../gongkai-report/tests/data/seed-2020.json");
    let path = if theirs.exists() {
        theirs
    } else {
        here.join("tests/data/seed-2020.json")
    };
    let text = std::fs::read_to_string(&path).expect("seed json");
    serde_json::from_str(&text).expect("seed json parses")
}

async fn demo_reproduces_the_seed(t: &TestStore) {
    let first = demo::load_demo(&t.store, &|_| {}).await.expect("load demo");
    assert!(first.added > 249_000, "added {}", first.added);
    let report = generate_report(&t.store, demo::DEMO_COUNTY, 2020, ReportFormat::Trial2019)
        .await
        .expect("generate");
    let got: serde_json::Value = serde_json::from_str(&report.to_json()).expect("json");
    let want = seed_json();
    assert_eq!(got, want, "generated:\n{}", report.to_json());

    let second = demo::load_demo(&t.store, &|_| {})
        .await
        .expect("load demo again");
    assert_eq!(second.added, 0);
    let again = generate_report(&t.store, demo::DEMO_COUNTY, 2020, ReportFormat::Trial2019)
        .await
        .expect("generate again");
    assert_eq!(again, report);
    assert!(audit::verify(&t.store).await.expect("audit chain") > 0);
    demo_registry_and_supervision(t).await;
    demo_items_carry_their_catalogue_metadata(t).await;
}

/// 11-acceptance 3: every published item of the demo has 公开类别, a 主题分类 of the fixed list,
/// the 发布机构 of its own agency and, for a 规范性文件, a 正文; no 解读 predates its document.
/// The same checks find a deliberately incomplete item, and a 解读 dated before its document
/// cannot be linked.
async fn demo_items_carry_their_catalogue_metadata(t: &TestStore) {
    use gongkai_store::models::proactive_item::{self, DocType, Gap, NewItem};
    let s = &t.store;
    let county = agency::find_by_name(s, demo::DEMO_COUNTY)
        .await
        .expect("county")
        .expect("demo county");
    let gaps = proactive_item::metadata_gaps(s, county.id)
        .await
        .expect("gaps");
    assert!(gaps.is_empty(), "{:?}", &gaps[..gaps.len().min(5)]);
    assert_eq!(
        proactive_item::interpretations_predating(s, county.id)
            .await
            .expect("dates"),
        vec![]
    );
    // A department's items show the department; titles are not numbered placeholders.
    let items = proactive_item::list_published(s, county.id, 6000, 0)
        .await
        .expect("items");
    assert_eq!(items.len(), 5998);
    let department = agency::find_by_name(s, "夏邑县发展和改革委员会")
        .await
        .expect("dept")
        .expect("发改委");
    let theirs: Vec<_> = items
        .iter()
        .filter(|i| i.agency_id == department.id)
        .collect();
    assert!(!theirs.is_empty());
    assert!(
        theirs
            .iter()
            .all(|i| i.publisher == "夏邑县发展和改革委员会")
    );
    assert!(items.iter().all(|i| !i.title.contains("政务信息第")));
    let normative = items
        .iter()
        .find(|i| i.doc_type == "normative_document")
        .expect("a 规范性文件");
    let interpretations = proactive_item::interpretations_of(s, normative.id)
        .await
        .expect("解读");
    assert!(!interpretations.is_empty());
    assert!(
        interpretations
            .iter()
            .all(|i| i.published_on > normative.published_on)
    );

    // The checks can fail: an item without 公开类别, 主题分类 or 正文 is listed …
    let on = chrono::NaiveDate::from_ymd_opt(2020, 12, 1);
    let bare = NewItem {
        agency_id: county.id,
        title: "缺少目录信息的规范性文件".into(),
        summary: String::new(),
        publisher: "夏邑县人民政府办公室".into(),
        written_on: on,
        published_on: on,
        doc_number: None,
        topic: String::new(),
        genre: String::new(),
        doc_type: DocType::NormativeDocument,
        art20_item: None,
        unit: String::new(),
        status: gongkai_store::models::ItemStatus::Published,
    };
    let bare = proactive_item::create(s, "test", &bare)
        .await
        .expect("bare");
    let gaps = proactive_item::metadata_gaps(s, county.id)
        .await
        .expect("gaps");
    assert_eq!(gaps.len(), 1);
    assert_eq!(gaps[0].item_id, bare.id);
    assert_eq!(
        gaps[0].missing,
        vec![Gap::Art20Item, Gap::Topic, Gap::Publisher, Gap::Body]
    );
    // … and a 解读 dated before its document is refused.
    let early = NewItem {
        title: "提前的解读".into(),
        doc_type: DocType::Interpretation,
        written_on: chrono::NaiveDate::from_ymd_opt(2020, 1, 2),
        published_on: chrono::NaiveDate::from_ymd_opt(2020, 1, 2),
        ..bare_item(county.id)
    };
    let early = proactive_item::create(s, "test", &early)
        .await
        .expect("early");
    let err = proactive_item::link_interpretation(s, "test", early.id, normative.id)
        .await
        .expect_err("refused");
    assert!(
        err.to_string()
            .contains(proactive_item::INTERPRETATION_BEFORE_DOCUMENT)
    );
}

fn bare_item(agency_id: i64) -> gongkai_store::models::proactive_item::NewItem {
    gongkai_store::models::proactive_item::NewItem {
        agency_id,
        title: String::new(),
        summary: String::new(),
        publisher: demo::DEMO_COUNTY.into(),
        written_on: None,
        published_on: None,
        doc_number: None,
        topic: "综合政务".into(),
        genre: String::new(),
        doc_type: gongkai_store::models::proactive_item::DocType::Other,
        art20_item: Some(1),
        unit: String::new(),
        status: gongkai_store::models::ItemStatus::Published,
    }
}

/// The demo's 2020 supervision records by year (2 trainings, 3 inspections, no 责任追究), the
/// 开设 备案 of its 11 accounts and a catalogue over the 26 domains with one overdue entry.
async fn demo_registry_and_supervision(t: &TestStore) {
    let s = &t.store;
    let county = agency::find_by_name(s, demo::DEMO_COUNTY)
        .await
        .expect("county")
        .expect("demo county");
    let year = supervision::year(s, county.id, 2020).await.expect("year");
    assert_eq!(
        (
            year.trainings.len(),
            year.inspections.len(),
            year.accountability.len()
        ),
        (2, 3, 0)
    );
    let filings = media_event::list_for_agency(s, county.id)
        .await
        .expect("filings");
    assert_eq!(filings.len(), 11);
    assert!(filings.iter().all(|e| e.kind.key() == "open"));
    let as_of = chrono::NaiveDate::from_ymd_opt(2021, 6, 30).expect("date");
    let catalogue = registry::catalogue(s, county.id, as_of)
        .await
        .expect("catalogue");
    let domains: std::collections::HashSet<_> =
        catalogue.iter().filter_map(|e| e.entry.domain()).collect();
    assert_eq!(domains.len(), 26);
    let stale = registry::overdue_or_empty(s, county.id, as_of)
        .await
        .expect("overdue");
    assert_eq!(
        stale
            .iter()
            .map(|e| (e.entry.item_l2.as_str(), e.state))
            .collect::<Vec<_>>(),
        vec![("部门预算", registry::EntryState::Overdue)]
    );
}

on_both!(demo_2020, super::demo_reproduces_the_seed);
