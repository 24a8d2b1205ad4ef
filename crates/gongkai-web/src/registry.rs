//! The public registries of the 「政府信息公开」 column: the 基层政务公开标准目录 (`/xxgk/catalogue`:
//! the 26 domains, each entry with its nine columns and the published items that fulfil it)
//! and the 政务新媒体 list (`/xxgk/media`: every account with its 备案 trail, and counts by
//! platform). Read-only; everything from the database is escaped by the templates.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use axum::routing::get;
use gongkai_law::catalogue::Domain;
use gongkai_store::models::{agency, media_account, media_event};
use gongkai_store::views::registry::{self as views, EntryState, PlatformCount};

use crate::error::render;
use crate::fmt::fmt_date;
use crate::layout::Section;
use crate::layout::frame;
use crate::{AppState, Page, PageError};

/// The routes of this module, merged into the site's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/xxgk/catalogue", get(catalogue))
        .route("/xxgk/media", get(media))
}

// ---------------------------------------------------------------- the standard catalogue

/// An item that fulfils an entry, as the page links it.
#[derive(Debug, Clone)]
pub struct ItemLink {
    /// The item's page.
    pub url: String,
    /// 名称
    pub title: String,
    /// 发布日期
    pub date: String,
}

/// One entry as the page prints it.
#[derive(Debug, Clone)]
pub struct EntryRow {
    /// 一级事项
    pub item_l1: String,
    /// 二级事项
    pub item_l2: String,
    /// 公开内容（要素）
    pub content: String,
    /// 公开依据
    pub basis: String,
    /// 公开时限
    pub time_limit: String,
    /// 公开主体
    pub subject: String,
    /// 公开渠道和载体
    pub channels: String,
    /// 公开对象
    pub audience: &'static str,
    /// 公开方式
    pub mode: &'static str,
    /// 公开层级
    pub level: &'static str,
    /// The published items that fulfil it, newest first.
    pub items: Vec<ItemLink>,
    /// What to say when there are none (暂无内容 / 依申请公开).
    pub none_note: &'static str,
    /// 逾期未更新 when the newest item is older than the entry's 公开时限 allows; empty otherwise.
    pub overdue: &'static str,
}

/// A domain's section of the page.
#[derive(Debug, Clone)]
pub struct DomainSection {
    /// Anchor id (`d-<key>`).
    pub anchor: String,
    /// 重大建设项目 …
    pub label: &'static str,
    /// Its entries.
    pub entries: Vec<EntryRow>,
}

#[derive(Template)]
#[template(path = "registry_catalogue.html")]
struct CataloguePage {
    page: Page,
    sections: Vec<DomainSection>,
}

/// `/xxgk/catalogue`: the standard catalogue of the site's agency, by domain.
pub async fn catalogue(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let statuses = views::catalogue(
        &state.store,
        state.site.agency_id,
        gongkai_law::beijing_today(),
    )
    .await?;
    let mut by_domain: HashMap<Domain, Vec<EntryRow>> = HashMap::new();
    for s in statuses {
        let Some(domain) = s.entry.domain() else {
            continue;
        };
        let e = &s.entry;
        by_domain.entry(domain).or_default().push(EntryRow {
            item_l1: e.item_l1.clone(),
            item_l2: e.item_l2.clone(),
            content: e.content.clone(),
            basis: e.basis.clone(),
            time_limit: e.time_limit.clone(),
            subject: e.subject.clone(),
            channels: e.channels.clone(),
            audience: e.audience_label(),
            mode: e.mode_label(),
            level: e.level_label(),
            items: s
                .items
                .iter()
                .map(|i| ItemLink {
                    url: crate::indexing::item_url(i.id),
                    title: i.title.clone(),
                    date: fmt_date(i.published_on),
                })
                .collect(),
            overdue: if s.state == EntryState::Overdue {
                EntryState::Overdue.label()
            } else {
                ""
            },
            none_note: if s.state == EntryState::OnRequest {
                EntryState::OnRequest.label()
            } else {
                EntryState::Empty.label()
            },
        });
    }
    let sections = Domain::ALL
        .into_iter()
        .map(|d| DomainSection {
            anchor: format!("d-{}", d.key()),
            label: d.label(),
            entries: by_domain.remove(&d).unwrap_or_default(),
        })
        .collect();
    let page = frame(
        &state,
        &headers,
        &uri,
        "基层政务公开标准目录",
        Section::Disclosure,
    );
    Ok(render(&CataloguePage { page, sections }))
}

// ---------------------------------------------------------------- 政务新媒体

/// One account as the page prints it.
#[derive(Debug, Clone)]
pub struct AccountRow {
    /// 平台
    pub platform: String,
    /// 账号名称
    pub name: String,
    /// 账号 ID
    pub account_id: String,
    /// 主办单位
    pub owner: String,
    /// 运维单位
    pub operator: String,
    /// 状态 (正常 / 已关停 / 已注销)
    pub status: &'static str,
    /// 开设日期
    pub opened_on: String,
    /// 最近更新
    pub last_update_on: String,
    /// The 备案 trail: (事项, 日期, 备案编号).
    pub events: Vec<(&'static str, String, String)>,
}

#[derive(Template)]
#[template(path = "registry_media.html")]
struct MediaPage {
    page: Page,
    counts: Vec<PlatformCount>,
    total: i64,
    accounts: Vec<AccountRow>,
}

/// `/xxgk/media`: the 政务新媒体 of the site's agency and its units, with counts by platform.
pub async fn media(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let root = state.site.agency_id;
    let counts = views::counts_by_platform(&state.store, root).await?;
    let names: HashMap<i64, String> = agency::list(&state.store)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let mut events: HashMap<i64, Vec<(&'static str, String, String)>> = HashMap::new();
    for e in media_event::list_for_agency(&state.store, root).await? {
        events.entry(e.account_id).or_default().push((
            e.kind_label(),
            fmt_date(Some(e.filed_on)),
            e.filing_no.clone(),
        ));
    }
    let accounts = media_account::list(&state.store, root)
        .await?
        .into_iter()
        .map(|a| AccountRow {
            owner: names.get(&a.agency_id).cloned().unwrap_or_default(),
            status: a.status.public_label(),
            opened_on: fmt_date(Some(a.opened_on)),
            last_update_on: fmt_date(a.last_update_on),
            events: events.remove(&a.id).unwrap_or_default(),
            platform: a.platform,
            name: a.name,
            account_id: a.account_id,
            operator: a.operator,
        })
        .collect();
    let total = counts.iter().map(|c| c.accounts).sum();
    let page = frame(&state, &headers, &uri, "政务新媒体", Section::Disclosure);
    Ok(render(&MediaPage {
        page,
        counts,
        total,
        accounts,
    }))
}
