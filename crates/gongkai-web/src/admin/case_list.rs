//! 「全部申请」: every case of the user's subtree — open, answered, closed — with filters
//! (status, outcome, year, channel, overdue, tracking number or applicant name) and paging,
//! and the 依申请公开台账 of the same filter as XLSX, in the format `gongkai import ledger`
//! reads (`gongkai_store::ledger_export`).
//!
//! Both are [`Action::ReadApplications`] over the user's subtree; the role is checked before
//! anything is read. The list shows no sealed personal data.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{Datelike, NaiveDate};
use gongkai_law::{Channel, Outcome};
use gongkai_store::ledger_export;
use gongkai_store::views::case_search::{self, CaseFilter, CaseLine, StatusFilter};
use serde::Deserialize;

use super::access::{self, Action, Target};
use super::cases::desk_root;
use super::extract::{Read, act};
use super::frame;
use super::pages::Bar;
use crate::error::render;
use crate::fmt::urlencode;
use crate::paging::Pager;
use crate::{AppState, Page, PageError};

/// Cases per page.
pub const PER_PAGE: i64 = 50;

/// The routes, merged into the back office's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/cases/all", get(list))
        .route("/admin/cases/ledger.xlsx", get(export))
}

/// The filter as the query string carries it (every field optional, unknown values ignored).
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<i64>,
}

impl ListQuery {
    /// The store's filter; values not on offer are dropped rather than refused, so an edited
    /// link lists everything instead of failing.
    fn filter(&self) -> CaseFilter {
        let status = self.status.trim();
        let outcome = self.outcome.trim();
        let channel = self.channel.trim();
        CaseFilter {
            status: StatusFilter::parse(status),
            outcome: Outcome::parse(outcome).filter(|o| o.key() == outcome),
            year: self
                .year
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|y| (2000..=2100).contains(y)),
            channel: Channel::parse(channel).filter(|c| c.key() == channel),
            overdue: self.overdue == "1",
            text: self.q.trim().chars().take(100).collect(),
        }
    }
}

/// An outcome as the office names it: the result group of table 三 without its numbering
/// and footnote, and the row within it (「不予公开：属于国家秘密」).
fn outcome_name(o: Outcome) -> String {
    let row = o.row(gongkai_law::ReportFormat::Current2021);
    let strip = |s: &'static str| -> &'static str {
        let s = s.split_once('）').map_or(s, |(_, rest)| rest);
        let s = s.split_once('.').map_or(s, |(_, rest)| rest);
        s.split('（').next().unwrap_or(s)
    };
    let group = strip(row.group().label());
    let leaf = strip(row.label());
    if group.is_empty() || group == leaf {
        leaf.to_string()
    } else {
        format!("{group}：{leaf}")
    }
}

/// The query string of a filter (without the page), for the pager and the export link.
fn query_of(f: &CaseFilter) -> String {
    format!(
        "status={}&outcome={}&year={}&channel={}&overdue={}&q={}",
        f.status.map_or("", StatusFilter::key),
        f.outcome.map_or("", Outcome::key),
        f.year.map_or_else(String::new, |y| y.to_string()),
        f.channel.map_or("", Channel::key),
        if f.overdue { "1" } else { "" },
        urlencode(&f.text)
    )
}

struct Choice {
    value: String,
    label: String,
    selected: bool,
}

struct Line {
    case: CaseLine,
    channel: &'static str,
    status: &'static str,
    outcome: String,
    due: String,
}

#[derive(Template)]
#[template(path = "admin/case_list.html")]
struct ListPage {
    page: Page,
    bar: Bar,
    lines: Vec<Line>,
    total: i64,
    pager: Pager,
    statuses: Vec<Choice>,
    outcomes: Vec<Choice>,
    channels: Vec<Choice>,
    years: Vec<Choice>,
    overdue: bool,
    q: String,
    export: String,
}

fn choices<'a>(all: impl IntoIterator<Item = (&'a str, &'a str)>, selected: &str) -> Vec<Choice> {
    std::iter::once(("", "全部"))
        .chain(all)
        .map(|(v, l)| Choice {
            value: v.to_string(),
            label: l.to_string(),
            selected: v == selected,
        })
        .collect()
}

/// `GET /admin/cases/all`: every case of the subtree, filtered and paged.
pub async fn list(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ReadApplications>,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let root = desk_root(&state, &s);
    access::require(
        &state,
        s.user(),
        Action::ReadApplications,
        Target::Agency(Some(root)),
    )
    .await?;
    let today = s.settings.today();
    let filter = q.filter();
    let total = case_search::count_cases(&state.store, root, &filter, today).await?;
    let query = query_of(&filter);
    let pager = Pager::new(
        q.page.unwrap_or(1),
        total,
        PER_PAGE,
        &format!("/admin/cases/all?{query}&"),
    );
    let rows = case_search::find_cases(
        &state.store,
        root,
        &filter,
        today,
        (pager.page - 1) * PER_PAGE,
        Some(PER_PAGE),
    )
    .await?;
    let lines = rows
        .into_iter()
        .map(|case| Line {
            channel: case.channel.label(),
            status: case.status.label(),
            outcome: case.outcome.map_or_else(|| "—".to_string(), outcome_name),
            due: match (case.concluded_on, case.due_on) {
                (Some(_), _) | (None, None) => "—".into(),
                (None, Some(d)) if case.due_provisional => format!("{d}（暂定）"),
                (None, Some(d)) => d.to_string(),
            },
            case,
        })
        .collect();
    let this_year = today.year();
    let years: Vec<(String, String)> = (2008..=this_year)
        .rev()
        .map(|y| (y.to_string(), format!("{y}年")))
        .collect();
    let outcome_names: Vec<(&str, String)> = Outcome::ALL
        .iter()
        .map(|o| (o.key(), outcome_name(*o)))
        .collect();
    let year_sel = filter.year.map_or_else(String::new, |y| y.to_string());
    let page = frame(&state, &headers, "/admin/cases", "全部申请", Some(s.user()));
    Ok(render(&ListPage {
        page,
        bar: Bar::of(&state, &s).await?,
        lines,
        total,
        pager,
        statuses: choices(
            StatusFilter::all().map(|f| (f.key(), f.label())),
            filter.status.map_or("", StatusFilter::key),
        ),
        outcomes: choices(
            outcome_names.iter().map(|(v, l)| (*v, l.as_str())),
            filter.outcome.map_or("", Outcome::key),
        ),
        channels: choices(
            Channel::ALL.iter().map(|c| (c.key(), c.label())),
            filter.channel.map_or("", Channel::key),
        ),
        years: choices(
            years.iter().map(|(v, l)| (v.as_str(), l.as_str())),
            &year_sel,
        ),
        overdue: filter.overdue,
        q: filter.text.clone(),
        export: format!("/admin/cases/ledger.xlsx?{query}"),
    }))
}

/// `GET /admin/cases/ledger.xlsx`: the 依申请公开台账 of the filter, every page of it.
pub async fn export(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ReadApplications>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let root = desk_root(&state, &s);
    access::require(
        &state,
        s.user(),
        Action::ReadApplications,
        Target::Agency(Some(root)),
    )
    .await?;
    let today: NaiveDate = s.settings.today();
    let bytes = ledger_export::export_ledger(&state.store, root, &q.filter(), today).await?;
    let mut resp = bytes.into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    // RFC 6266 / 5987: an ASCII fallback and the Chinese name.
    let disposition = format!(
        "attachment; filename=\"ledger-{today}.xlsx\"; filename*=UTF-8''{}",
        urlencode(ledger_export::FILE_NAME)
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

#[cfg(test)]
#[path = "delivery_tests.rs"]
mod delivery_tests;
