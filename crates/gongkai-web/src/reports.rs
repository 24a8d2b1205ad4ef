//! Annual reports (政府信息公开工作年度报告) on the portal: only what the head published.
//!
//! `/xxgk/annual` lists the published reports with their 发布日期 and files; `/reports/{year}`
//! shows the published snapshot (tables, prose and charts drawn from the snapshot's own
//! numbers) with DOCX, XLSX, PDF and JSON downloads; a finished year without a publication answers a
//! page saying the report is not yet published (never a draft generated from the records), and
//! the current year, future years and years before the Regulation are 404.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use chrono::Datelike;
use gongkai_report::render::OutputFormat;
use gongkai_store::models::report_draft::{self, PublishedReport};
use gongkai_store::views::portal as views;
use serde::Deserialize;

use crate::charts::bar_chart;
use crate::error::render;
use crate::layout::Section;
use crate::layout::frame;
use crate::{AppState, Page, PageError};

/// The first year with annual reports: the Regulation took effect on 2008-05-01.
const FIRST_YEAR: i32 = 2008;

/// A published report as the list shows it.
#[derive(Debug, Clone)]
pub struct ListedReport {
    /// The year.
    pub year: i32,
    /// 发布日期 (Beijing), `YYYY-MM-DD`.
    pub published_on: String,
    /// The date of the latest corrected version, when there is one.
    pub updated_on: Option<String>,
}

#[derive(Template)]
#[template(path = "annual.html")]
struct AnnualPage {
    page: Page,
    agency: String,
    reports: Vec<ListedReport>,
}

/// The Beijing date of a Unix time, `YYYY-MM-DD`.
fn beijing_day(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0).map_or_else(
        || "—".to_string(),
        |t| gongkai_law::beijing_date(t).format("%Y-%m-%d").to_string(),
    )
}

/// The years of the site's published reports, newest first.
pub async fn published_years(state: &AppState) -> Result<Vec<ListedReport>, PageError> {
    let current = gongkai_law::beijing_today().year();
    let years = views::report_years(&state.store, state.site.agency_id, current).await?;
    Ok(years
        .into_iter()
        .map(|y| {
            let published_on = beijing_day(y.first_published_at);
            let last = beijing_day(y.last_published_at);
            ListedReport {
                year: y.year,
                updated_on: (last != published_on).then_some(last),
                published_on,
            }
        })
        .collect())
}

/// `/xxgk/annual`: the published reports.
pub async fn annual_list(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let reports = published_years(&state).await?;
    let agency = crate::site_info::agency_name(&state).await;
    let page = frame(&state, &headers, &uri, "政府信息公开年报", Section::Reports);
    Ok(render(&AnnualPage {
        page,
        agency,
        reports,
    }))
}

/// One chart with its data table.
#[derive(Debug, Clone)]
pub struct Chart {
    /// Element id.
    pub id: String,
    /// Heading.
    pub title: String,
    /// The SVG (trusted: drawn here, every text escaped).
    pub svg: String,
    /// The numbers: (label, value).
    pub rows: Vec<(String, i64)>,
    /// Header of the label column.
    pub label_header: String,
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    page: Page,
    agency: String,
    year: i32,
    published_on: String,
    updated_on: Option<String>,
    report_html: String,
    charts: Vec<Chart>,
}

#[derive(Template)]
#[template(path = "report_pending.html")]
struct PendingPage {
    page: Page,
    agency: String,
    year: i32,
    published: Vec<ListedReport>,
}

fn chart(
    id: &str,
    title: &str,
    label_header: &str,
    rows: Vec<(String, i64)>,
) -> Result<Chart, PageError> {
    let desc = if rows.is_empty() {
        "暂无数据".to_string()
    } else {
        rows.iter()
            .map(|(l, v)| format!("{l}：{v}件"))
            .collect::<Vec<_>>()
            .join("；")
    };
    let svg = bar_chart(id, title, &desc, &rows).map_err(PageError::internal)?;
    Ok(Chart {
        id: id.to_string(),
        title: title.to_string(),
        svg,
        rows,
        label_header: label_header.to_string(),
    })
}

/// The year of a `/reports/{year}` path when the year is over and could have a report;
/// anything else (not a number, before 2008, the current year, the future) is 404.
fn finished_year(year: &str) -> Result<i32, PageError> {
    let current = gongkai_law::beijing_today().year();
    year.parse::<i32>()
        .ok()
        .filter(|y| (FIRST_YEAR..current).contains(y))
        .ok_or_else(|| PageError::not_found("没有这一年的年度报告。"))
}

/// `/reports/{year}`: the year's published report with charts and downloads, or for a finished
/// year without one, a page saying it is not yet published.
pub async fn report_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Path(year): Path<String>,
) -> Result<Response, PageError> {
    let year = finished_year(&year)?;
    let root = state.site.agency_id;
    let agency = crate::site_info::agency_name(&state).await;
    let title = format!("{year}年政府信息公开工作年度报告");
    let Some(published) = report_draft::published(&state.store, root, year).await? else {
        let page = frame(&state, &headers, &uri, &title, Section::Reports);
        return Ok(render(&PendingPage {
            page,
            agency,
            year,
            published: published_years(&state).await?,
        }));
    };
    let listed = published_years(&state).await?;
    let this = listed.iter().find(|r| r.year == year);
    let published_on = this.map_or_else(
        || beijing_day(published.published_at),
        |r| r.published_on.clone(),
    );
    let updated_on = this.and_then(|r| r.updated_on.clone());
    let report = published.report;
    let report_html = gongkai_report::render::html_fragment(&report);
    // Every chart draws the published numbers only: this report's table 三, and the new
    // applications of each year whose report is published.
    let (by_outcome, by_kind) = snapshot_charts(&report);
    let mut per_year = Vec::new();
    for r in listed.iter().rev().filter(|r| r.year <= year) {
        let snapshot = if r.year == year {
            Some(report.clone())
        } else {
            report_draft::published(&state.store, root, r.year)
                .await?
                .map(|p| p.report)
        };
        if let Some(n) = snapshot.as_ref().and_then(new_received) {
            per_year.push((format!("{}年", r.year), n));
        }
    }
    let charts = vec![
        chart(
            "chart-outcome",
            &format!("{year}年办结申请按答复结果"),
            "答复结果",
            by_outcome,
        )?,
        chart(
            "chart-kind",
            &format!("{year}年新收申请按申请人类型"),
            "申请人类型",
            by_kind,
        )?,
        chart(
            "chart-years",
            "历年新收申请数量（已发布年报）",
            "年份",
            per_year,
        )?,
    ];
    let page = frame(&state, &headers, &uri, &title, Section::Reports);
    Ok(render(&ReportPage {
        page,
        agency,
        year,
        published_on,
        updated_on,
        report_html,
        charts,
    }))
}

/// The total of new applications (table 三, row 一) of a report, if it has one.
fn new_received(report: &gongkai_report::Report) -> Option<i64> {
    report
        .requests
        .get(&gongkai_law::Table3Row::NewReceived)
        .and_then(|r| r[gongkai_report::model::TOTAL_COLUMN])
}

/// `?format=docx|xlsx|pdf`
#[derive(Debug, Deserialize)]
pub struct DownloadQuery {
    /// `docx`, `xlsx` or `pdf`.
    #[serde(default)]
    pub format: String,
}

/// `/reports/{year}/download?format=docx|xlsx|pdf`: the published report as a Word, Excel or
/// PDF file, rendered from the published snapshot.
pub async fn download(
    State(state): State<AppState>,
    Path(year): Path<String>,
    Query(q): Query<DownloadQuery>,
) -> Result<Response, PageError> {
    let year = finished_year(&year)?;
    let (format, media_type) = match q.format.as_str() {
        "docx" => (OutputFormat::Docx, crate::download::DOCX),
        "xlsx" => (OutputFormat::Xlsx, crate::download::XLSX),
        "pdf" => (OutputFormat::Pdf, crate::download::PDF),
        _ => {
            return Err(PageError::not_found(
                "年度报告可下载 Word（docx）、Excel（xlsx）或 PDF 文件。",
            ));
        }
    };
    let Some(PublishedReport { report, .. }) =
        report_draft::published(&state.store, state.site.agency_id, year).await?
    else {
        return Err(PageError::not_found(format!(
            "{year}年政府信息公开工作年度报告尚未发布。"
        )));
    };
    let bytes = gongkai_report::render::render(&report, format).map_err(PageError::internal)?;
    let agency = crate::site_info::agency_name(&state).await;
    let name = format!("{agency}{year}年政府信息公开工作年度报告.{}", q.format);
    Ok(crate::download::file(&name, media_type, bytes))
}

/// The rows of a chart: (label, value).
type ChartRows = Vec<(String, i64)>;

/// The chart rows of a published report, read from its table 三: concluded applications by
/// result row (labelled as the live chart labels outcomes) and new ones by applicant kind.
fn snapshot_charts(report: &gongkai_report::Report) -> (ChartRows, ChartRows) {
    let total = |row: gongkai_law::Table3Row| {
        report
            .requests
            .get(&row)
            .and_then(|r| r[gongkai_report::model::TOTAL_COLUMN])
            .unwrap_or(0)
    };
    let by_outcome = gongkai_law::Table3Row::rows(report.format)
        .iter()
        .filter(|row| row.is_result() && total(**row) > 0)
        .map(|row| {
            let label = gongkai_law::Outcome::ALL
                .iter()
                .find(|o| o.row(report.format) == *row)
                .map_or_else(|| row.label().to_string(), |o| o.plain_label().to_string());
            (label, total(*row))
        })
        .collect();
    let new = report.requests.get(&gongkai_law::Table3Row::NewReceived);
    let by_kind = gongkai_law::ApplicantKind::ALL
        .iter()
        .map(|k| {
            let n = new.and_then(|r| r[k.column()]).unwrap_or(0);
            (k.public_label().to_string(), n)
        })
        .collect();
    (by_outcome, by_kind)
}
