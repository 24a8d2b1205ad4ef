//! 政务新媒体: the 备案 trail moves an account's status; an open account silent for 14 days is
//! flagged (13 days is not); counts by platform.

#[macro_use]
mod common;

use chrono::NaiveDate;
use common::TestStore;
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::media_account;
use gongkai_store::models::media_event::{self, MediaEventKind};
use gongkai_store::views::registry;
use gongkai_store::{StoreError, audit};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

async fn silent_and_counts(t: &TestStore) {
    let s = &t.store;
    let county = agency::ensure(s, "test", "新媒体测试县", AgencyLevel::County, None, None)
        .await
        .expect("agency");
    let dept = agency::ensure(
        s,
        "test",
        "新媒体测试县教育局",
        AgencyLevel::Department,
        Some(county.id),
        None,
    )
    .await
    .expect("dept");
    let weibo = media_account::register(
        s,
        "test",
        county.id,
        "微博",
        "测试发布",
        "wb1",
        "融媒体中心",
        d(2021, 1, 4),
    )
    .await
    .expect("weibo");
    let wx1 = media_account::register(
        s,
        "test",
        dept.id,
        "微信公众号",
        "测试教育",
        "wx1",
        "教育局办公室",
        d(2021, 1, 4),
    )
    .await
    .expect("wx1");
    let wx2 = media_account::register(
        s,
        "test",
        county.id,
        "微信公众号",
        "测试政务",
        "wx2",
        "融媒体中心",
        d(2021, 1, 4),
    )
    .await
    .expect("wx2");
    // Last updates: weibo on 3-01, wx1 on 3-02, wx2 on 3-15.
    media_account::touch(s, "test", weibo, d(2021, 3, 1))
        .await
        .expect("touch");
    media_account::touch(s, "test", wx1, d(2021, 3, 2))
        .await
        .expect("touch");
    media_account::touch(s, "test", wx2, d(2021, 3, 15))
        .await
        .expect("touch");

    // As of 3-15: weibo silent 14 days (flagged), wx1 13 days (not).
    let silent = registry::silent_accounts(s, county.id, d(2021, 3, 15))
        .await
        .expect("silent");
    assert_eq!(silent.iter().map(|a| a.id).collect::<Vec<_>>(), vec![weibo]);
    let all = media_account::list(s, county.id).await.expect("list");
    let flagged: Vec<i64> = all
        .iter()
        .filter(|a| registry::is_silent(a, d(2021, 3, 15)))
        .map(|a| a.id)
        .collect();
    assert_eq!(flagged, vec![weibo]);
    // A day later wx1 joins.
    let silent = registry::silent_accounts(s, county.id, d(2021, 3, 16))
        .await
        .expect("silent");
    assert_eq!(
        silent.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![weibo, wx1]
    );
    // The department's own subtree sees only its account.
    let silent = registry::silent_accounts(s, dept.id, d(2021, 3, 16))
        .await
        .expect("silent");
    assert_eq!(silent.iter().map(|a| a.id).collect::<Vec<_>>(), vec![wx1]);

    // 关停 the weibo: a suspended account is not expected to post.
    media_event::record(
        s,
        "test",
        weibo,
        MediaEventKind::Suspend,
        d(2021, 3, 20),
        "XY-GT-2021-01",
        "",
    )
    .await
    .expect("suspend");
    let silent = registry::silent_accounts(s, county.id, d(2021, 3, 25))
        .await
        .expect("silent");
    assert_eq!(silent.iter().map(|a| a.id).collect::<Vec<_>>(), vec![wx1]);

    let counts = registry::counts_by_platform(s, county.id)
        .await
        .expect("counts");
    let counts: Vec<(&str, i64, i64)> = counts
        .iter()
        .map(|c| (c.platform.as_str(), c.accounts, c.open))
        .collect();
    assert_eq!(counts, vec![("微信公众号", 2, 2), ("微博", 1, 0)]);

    // The trail: 变更 then 注销; a closed account takes no more events; a number is filed once.
    media_event::record(
        s,
        "test",
        wx2,
        MediaEventKind::Change,
        d(2021, 4, 1),
        "XY-BG-2021-03",
        "更名",
    )
    .await
    .expect("change");
    let dup = media_event::record(
        s,
        "test",
        wx2,
        MediaEventKind::Change,
        d(2021, 4, 2),
        "XY-BG-2021-03",
        "",
    )
    .await
    .expect_err("duplicate number");
    assert!(matches!(dup, StoreError::Refused(_)), "{dup}");
    media_event::record(
        s,
        "test",
        wx2,
        MediaEventKind::Close,
        d(2021, 5, 1),
        "XY-ZX-2021-07",
        "",
    )
    .await
    .expect("close");
    let after = media_event::record(
        s,
        "test",
        wx2,
        MediaEventKind::Change,
        d(2021, 5, 2),
        "XY-BG-2021-09",
        "",
    )
    .await
    .expect_err("closed");
    assert!(matches!(after, StoreError::Refused(_)), "{after}");
    let trail = media_event::list_for(s, wx2).await.expect("trail");
    assert_eq!(
        trail
            .iter()
            .map(|e| (e.kind_label(), e.filing_no.as_str()))
            .collect::<Vec<_>>(),
        vec![("变更", "XY-BG-2021-03"), ("注销", "XY-ZX-2021-07")]
    );
    let acc = media_account::list(s, county.id).await.expect("list");
    let wx2_row = acc.iter().find(|a| a.id == wx2).expect("wx2");
    assert_eq!(wx2_row.status.key(), "closed");
    assert_eq!(wx2_row.changed_on, Some(d(2021, 4, 1)));
    assert_eq!(wx2_row.closed_on, Some(d(2021, 5, 1)));
    assert_eq!(
        media_event::list_for_agency(s, county.id)
            .await
            .expect("all")
            .len(),
        3
    );
    let missing = media_event::record(
        s,
        "test",
        999_999,
        MediaEventKind::Open,
        d(2021, 1, 1),
        "N",
        "",
    )
    .await
    .expect_err("no account");
    assert!(matches!(missing, StoreError::NotFound(_)), "{missing}");
    assert!(audit::verify(s).await.is_ok());
}

on_both!(media_silent_and_counts, super::silent_and_counts);
