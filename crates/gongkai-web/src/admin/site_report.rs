//! The 政府网站工作年度报表 in the back office (`/admin/site-report`, 网站年度报表): the form of a
//! finished year as the portal will show it, with DOCX and XLSX downloads to file with the
//! superior office (国办函〔2018〕12号; the form and how each figure is counted are in
//! [`crate::site_report`]).
//!
//! Read-only. Who may read it is in [`access`] (系统管理员, 负责人, 上级政务公开办). The form
//! concerns the whole site and holds counts only, so the check is unscoped, as for the
//! 网站巡查 runs.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use chrono::Datelike;
use serde::Deserialize;

use super::access::{self, Action, Target};
use super::extract::{Read, act};
use super::pages::Bar;
use super::{AdminSession, frame};
use crate::error::render;
use crate::site_report::{self, Line, Section, SiteReport};
use crate::{AppState, Page, PageError};

/// The page's routes, merged into the back office's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/site-report", get(page))
        .route("/admin/site-report/{year}/report.docx", get(report_docx))
        .route("/admin/site-report/{year}/report.xlsx", get(report_xlsx))
}

/// The page's query: the year (default: the last finished one).
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    year: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/site_report.html")]
struct SiteReportPage {
    page: Page,
    bar: Bar,
    report: SiteReport,
    header: Vec<Line>,
    sections: Vec<Section>,
    years: Vec<i32>,
}

/// The report of `year` (a path or query value) for a reader allowed the page.
async fn report(state: &AppState, s: &AdminSession, year: &str) -> Result<SiteReport, PageError> {
    // The role first; only then is the year even read.
    access::require(state, s.user(), Action::ViewSiteReport, Target::Unscoped).await?;
    let year = site_report::finished_year(year)
        .ok_or_else(|| PageError::not_found("没有这一年的政府网站工作年度报表。"))?;
    Ok(site_report::build(
        &state.store,
        &state.site,
        &state.site_profile,
        &state.public_url,
        year,
        state.counts_visits(),
    )
    .await?)
}

/// `/admin/site-report[?year=Y]`.
pub async fn page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ViewSiteReport>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let current = gongkai_law::today::beijing_today().year();
    let year = q.year.unwrap_or_else(|| (current - 1).to_string());
    let report = report(&state, &s, &year).await?;
    let user = s.user();
    let agency = match user.agency_id {
        None => "全部机关".to_string(),
        Some(a) => gongkai_store::models::agency::get(&state.store, a)
            .await
            .map(|x| x.name)
            .unwrap_or_default(),
    };
    Ok(render(&SiteReportPage {
        page: frame(
            &state,
            &headers,
            "/admin/site-report",
            "网站年度报表",
            Some(user),
        ),
        bar: Bar::naming(&s, agency),
        header: report.header_lines(),
        sections: report.sections(),
        report,
        years: (site_report::FIRST_YEAR..current).rev().collect(),
    }))
}

fn download(bytes: Vec<u8>, mime: &'static str, name: String) -> Response {
    use axum::response::IntoResponse;
    (
        [
            (axum::http::header::CONTENT_TYPE, mime.to_string()),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// `/admin/site-report/{year}/report.docx`.
pub async fn report_docx(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ViewSiteReport>,
    Path(year): Path<String>,
) -> Result<Response, PageError> {
    let r = report(&state, &s, &year).await?;
    let bytes = r
        .docx()
        .map_err(|e| PageError::internal(format!("年度报表生成失败：{e}")))?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        format!("site-report-{}.docx", r.year),
    ))
}

/// `/admin/site-report/{year}/report.xlsx`.
pub async fn report_xlsx(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ViewSiteReport>,
    Path(year): Path<String>,
) -> Result<Response, PageError> {
    let r = report(&state, &s, &year).await?;
    let bytes = r
        .xlsx()
        .map_err(|e| PageError::internal(format!("年度报表生成失败：{e}")))?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("site-report-{}.xlsx", r.year),
    ))
}
