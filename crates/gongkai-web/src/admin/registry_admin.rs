//! The registries in the back office (`/admin/registry`, 新媒体与标准目录): the 政务新媒体
//! accounts of the user's subtree (platform, name, id, owner, operator, status, last update;
//! an open account silent for two weeks flagged 「超过两周未更新」; counts by platform), a form
//! to register an account with its 开设 备案, a form to file a lifecycle event (开设 / 变更 /
//! 关停 / 注销 with 备案 date and number), and the standard catalogue's entries staff must see
//! to (「逾期未公开」, 「暂无内容」) with the domains that show nothing at all.
//!
//! 信息员 and 审核人 keep the registry ([`Action::ManageRegistry`]); every form carries the
//! session's CSRF token; a refused value is shown next to its field, with the values kept.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{Datelike, NaiveDate};
use gongkai_law::catalogue::Domain;
use gongkai_store::models::agency;
use gongkai_store::models::media_account::{self, NewAccount};
use gongkai_store::models::media_event::{self, MediaEventKind};
use gongkai_store::views::registry::{self as views, EntryState, PlatformCount};
use gongkai_store::{Refusal, StoreError};
use serde::Deserialize;

use super::access::{self, Action, Target};
use super::extract::{Done, Read, Write, act};
use super::pages::Bar;
use super::{AdminSession, frame};
use crate::error::render;
use crate::{AppState, Page, PageError};

/// The platforms offered by the form (国办发〔2018〕123号 names these kinds of accounts).
const PLATFORMS: [&str; 6] = [
    "微博",
    "微信公众号",
    "移动客户端",
    "抖音",
    "快手",
    "今日头条",
];

/// The page's routes, merged into the back office's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/registry", get(page))
        .route("/admin/registry/accounts", post(add_account))
        .route("/admin/registry/events", post(add_event))
}

fn root(state: &AppState, s: &AdminSession) -> i64 {
    s.user().agency_id.unwrap_or(state.site.agency_id)
}

/// The page's query: `msg` names what just happened.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    msg: Option<String>,
}

/// The account form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    platform: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    account_id: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    operator: String,
    #[serde(default)]
    opened_on: String,
    #[serde(default)]
    filing_no: String,
}

/// The lifecycle event form.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EventForm {
    #[serde(default)]
    account: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    filed_on: String,
    #[serde(default)]
    filing_no: String,
    #[serde(default)]
    note: String,
}

/// One account as listed.
struct AccountRow {
    id: i64,
    platform: String,
    name: String,
    account_id: String,
    owner: String,
    operator: String,
    status: &'static str,
    last_update: String,
    silent: bool,
    filings: String,
}

/// One catalogue entry to see to.
struct EntryRow {
    domain: &'static str,
    item: String,
    time_limit: String,
    flag: &'static str,
    overdue: bool,
    last: String,
    due: String,
}

#[derive(Template)]
#[template(path = "admin/registry.html")]
struct RegistryPage {
    page: Page,
    bar: Bar,
    today: NaiveDate,
    accounts: Vec<AccountRow>,
    silent: usize,
    counts: Vec<PlatformCount>,
    platforms: &'static [&'static str],
    owners: Vec<(i64, String)>,
    kinds: [MediaEventKind; 4],
    entries: Vec<EntryRow>,
    empty_domains: Vec<&'static str>,
    catalogue_size: usize,
    account: AccountForm,
    event: EventForm,
    errors: Vec<(&'static str, String)>,
    message: &'static str,
}

impl RegistryPage {
    /// The error of a field (by its id), or "".
    fn error(&self, field: &str) -> &str {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, m)| m.as_str())
    }
}

fn message(msg: Option<&str>) -> &'static str {
    match msg {
        Some("account") => "账号已登记，开设备案已记录。",
        Some("event") => "备案已记录。",
        _ => "",
    }
}

/// What a re-rendered page keeps: the posted form and its errors.
#[derive(Default)]
struct Posted {
    account: AccountForm,
    event: EventForm,
    errors: Vec<(&'static str, String)>,
}

async fn build(
    state: &AppState,
    s: &AdminSession,
    headers: &HeaderMap,
    posted: Posted,
    message: &'static str,
) -> Result<RegistryPage, PageError> {
    let user = s.user();
    let root = root(state, s);
    let today = s.settings.today();
    let names: HashMap<i64, String> = agency::list(&state.store)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let owners = agency::subtree_ids(&state.store, root)
        .await?
        .into_iter()
        .filter_map(|id| names.get(&id).map(|n| (id, n.clone())))
        .collect();
    let mut filings: HashMap<i64, Vec<String>> = HashMap::new();
    for e in media_event::list_for_agency(&state.store, root).await? {
        filings.entry(e.account_id).or_default().push(format!(
            "{} {}（{}）",
            e.kind_label(),
            e.filed_on,
            e.filing_no
        ));
    }
    let accounts: Vec<AccountRow> = media_account::list(&state.store, root)
        .await?
        .into_iter()
        .map(|a| AccountRow {
            silent: views::is_silent(&a, today),
            id: a.id,
            owner: names.get(&a.agency_id).cloned().unwrap_or_default(),
            status: a.status.label(),
            last_update: a
                .last_update_on
                .map_or_else(|| "—".to_string(), |d| d.to_string()),
            filings: filings
                .remove(&a.id)
                .map_or_else(|| "未备案".to_string(), |f| f.join("；")),
            platform: a.platform,
            name: a.name,
            account_id: a.account_id,
            operator: a.operator,
        })
        .collect();
    let silent = accounts.iter().filter(|a| a.silent).count();
    let counts = views::counts_by_platform(&state.store, root).await?;

    let catalogue = views::catalogue(&state.store, root, today).await?;
    let entries = catalogue
        .iter()
        .filter(|e| matches!(e.state, EntryState::Overdue | EntryState::Empty))
        .map(|e| {
            let overdue = e.state == EntryState::Overdue;
            EntryRow {
                domain: e.entry.domain().map_or("其他", Domain::label),
                item: if e.entry.item_l2.is_empty() {
                    e.entry.item_l1.clone()
                } else {
                    format!("{} / {}", e.entry.item_l1, e.entry.item_l2)
                },
                time_limit: e.entry.time_limit.clone(),
                flag: if overdue {
                    "逾期未公开"
                } else {
                    "暂无内容"
                },
                overdue,
                last: e
                    .items
                    .iter()
                    .filter_map(|i| i.published_on)
                    .max()
                    .map_or_else(|| "—".to_string(), |d| d.to_string()),
                due: e.due_on.map_or_else(|| "—".to_string(), |d| d.to_string()),
            }
        })
        .collect();
    // A domain shows nothing when none of its entries has a published item.
    let empty_domains = Domain::ALL
        .into_iter()
        .filter(|d| {
            !catalogue.iter().any(|e| {
                e.entry.domain() == Some(*d)
                    && matches!(e.state, EntryState::Fulfilled | EntryState::Overdue)
            })
        })
        .map(Domain::label)
        .collect();
    Ok(RegistryPage {
        page: frame(
            state,
            headers,
            "/admin/registry",
            "新媒体与标准目录",
            Some(user),
        ),
        bar: Bar::of(state, s).await?,
        today,
        accounts,
        silent,
        counts,
        platforms: &PLATFORMS,
        owners,
        kinds: MediaEventKind::ALL,
        entries,
        empty_domains,
        catalogue_size: catalogue.len(),
        account: posted.account,
        event: posted.event,
        errors: posted.errors,
        message,
    })
}

/// `GET /admin/registry`.
pub async fn page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ManageRegistry>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    access::require(
        &state,
        s.user(),
        Action::ManageRegistry,
        Target::Agency(Some(root(&state, &s))),
    )
    .await?;
    let page = build(
        &state,
        &s,
        &headers,
        Posted::default(),
        message(q.msg.as_deref()),
    )
    .await?;
    Ok(render(&page))
}

async fn refused(
    state: &AppState,
    s: &AdminSession,
    headers: &HeaderMap,
    posted: Posted,
) -> Result<Response, PageError> {
    let page = build(state, s, headers, posted, "").await?;
    let mut resp = render(&page);
    *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(resp)
}

fn date_field(
    value: &str,
    field: &'static str,
    what: &str,
    today: NaiveDate,
    errors: &mut Vec<(&'static str, String)>,
) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        errors.push((field, format!("请填写{what}。")));
        return None;
    }
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) if d > today => {
            errors.push((field, format!("{what}不能晚于今天。")));
            None
        }
        Ok(d) if d.year() >= 2000 => Some(d),
        _ => {
            errors.push((
                field,
                format!("{what}格式不正确，应为“年-月-日”，如 2020-03-01。"),
            ));
            None
        }
    }
}

fn text_field(
    value: &str,
    field: &'static str,
    what: &str,
    max: usize,
    errors: &mut Vec<(&'static str, String)>,
) {
    let v = value.trim();
    if v.is_empty() {
        errors.push((field, format!("请填写{what}。")));
    } else if v.chars().count() > max {
        errors.push((field, format!("{what}不能超过{max}个字。")));
    }
}

/// `POST /admin/registry/accounts`: registers an account of the subtree with its 开设 备案.
pub async fn add_account(
    State(state): State<AppState>,
    headers: HeaderMap,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::ManageRegistry, AccountForm>,
) -> Result<Response, PageError> {
    let root = root(&state, &s);
    access::require(
        &state,
        s.user(),
        Action::ManageRegistry,
        Target::Agency(Some(root)),
    )
    .await?;
    let mut errors = Vec::new();
    if !PLATFORMS.contains(&f.platform.trim()) {
        errors.push(("a_platform", "请选择平台。".to_string()));
    }
    text_field(&f.name, "a_name", "账号名称", 100, &mut errors);
    text_field(
        &f.account_id,
        "a_account_id",
        "账号（ID）",
        100,
        &mut errors,
    );
    let owner = match f.owner.trim().parse::<i64>() {
        Ok(id) if agency::subtree_ids(&state.store, root).await?.contains(&id) => Some(id),
        _ => {
            errors.push(("a_owner", "请选择本机关或下属的主办单位。".to_string()));
            None
        }
    };
    text_field(&f.operator, "a_operator", "运营单位", 100, &mut errors);
    let opened_on = date_field(
        &f.opened_on,
        "a_opened_on",
        "开设备案日期",
        s.settings.today(),
        &mut errors,
    );
    text_field(&f.filing_no, "a_filing_no", "备案编号", 100, &mut errors);
    let (Some(owner), Some(opened_on), true) = (owner, opened_on, errors.is_empty()) else {
        let posted = Posted {
            account: f,
            errors,
            ..Posted::default()
        };
        return refused(&state, &s, &headers, posted).await;
    };
    let new = NewAccount {
        agency_id: owner,
        platform: f.platform.trim(),
        name: f.name.trim(),
        account_id: f.account_id.trim(),
        operator: f.operator.trim(),
        opened_on,
        filing_no: f.filing_no.trim(),
    };
    match media_account::register_filed(&state.store, &s.user().name, &new).await {
        Ok(_) => Done::to("/admin/registry", "account"),
        Err(StoreError::Refused(r)) => {
            let field = match r.concerns() {
                Some("account_id") | None => "a_account_id",
                Some(_) => "a_filing_no",
            };
            let posted = Posted {
                account: f,
                errors: vec![(field, r.to_string())],
                ..Posted::default()
            };
            refused(&state, &s, &headers, posted).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/registry/events`: files 开设 / 变更 / 关停 / 注销 for an account of the subtree.
pub async fn add_event(
    State(state): State<AppState>,
    headers: HeaderMap,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::ManageRegistry, EventForm>,
) -> Result<Response, PageError> {
    let root = root(&state, &s);
    access::require(
        &state,
        s.user(),
        Action::ManageRegistry,
        Target::Agency(Some(root)),
    )
    .await?;
    let mut errors = Vec::new();
    // Only accounts of the user's subtree can be chosen: the list is the scope check.
    let accounts = media_account::list(&state.store, root).await?;
    let account = match f.account.trim().parse::<i64>() {
        Ok(id) if accounts.iter().any(|a| a.id == id) => Some(id),
        _ => {
            errors.push(("e_account", "请选择账号。".to_string()));
            None
        }
    };
    let kind = MediaEventKind::parse(&f.kind);
    if kind.is_none() {
        errors.push(("e_kind", "请选择备案类型。".to_string()));
    }
    let filed_on = date_field(
        &f.filed_on,
        "e_filed_on",
        "备案日期",
        s.settings.today(),
        &mut errors,
    );
    text_field(&f.filing_no, "e_filing_no", "备案编号", 100, &mut errors);
    if f.note.trim().chars().count() > 500 {
        errors.push(("e_note", "说明不能超过500个字。".to_string()));
    }
    let (Some(account), Some(kind), Some(filed_on), true) =
        (account, kind, filed_on, errors.is_empty())
    else {
        let posted = Posted {
            event: f,
            errors,
            ..Posted::default()
        };
        return refused(&state, &s, &headers, posted).await;
    };
    match media_event::record(
        &state.store,
        &s.user().name,
        account,
        kind,
        filed_on,
        f.filing_no.trim(),
        f.note.trim(),
    )
    .await
    {
        Ok(_) => Done::to("/admin/registry", "event"),
        Err(StoreError::Refused(r)) => {
            // A closed account refuses every filing; otherwise the number was filed before.
            let field = match r {
                Refusal::ClosedAccount(_) => "e_account",
                _ => "e_filing_no",
            };
            let posted = Posted {
                event: f,
                errors: vec![(field, r.to_string())],
                ..Posted::default()
            };
            refused(&state, &s, &headers, posted).await
        }
        Err(e) => Err(e.into()),
    }
}
