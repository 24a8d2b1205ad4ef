//! Annual reports (政府信息公开工作年度报告): the list by year `/xxgk/annual`, and
//! `/reports/{year}`: the published report (the snapshot the back office's editor published,
//! prose included) or, before one is published, the tables generated from the records
//! (`gongkai_store::generate_report` for the site's agency); rendered with `gongkai_report`'s
//! HTML fragment, with SVG charts of the applications (by outcome, by applicant kind, new per
//! year) and the same numbers as tables.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use gongkai_law::ReportFormat;
use gongkai_store::models::report_draft;
use gongkai_store::views::portal as views;

use crate::catalog;
use crate::charts::bar_chart;
use crate::error::render;
use crate::layout::Section;
use crate::portal::frame;
use crate::{AppState, Page, PageError};

#[derive(Template)]
#[template(path = "annual.html")]
struct AnnualPage {
    page: Page,
    agency: String,
    years: Vec<i32>,
}

/// `/xxgk/annual`: the years with a report.
pub async fn annual_list(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let years = views::report_years(&state.store, state.site.agency_id).await?;
    let agency = crate::portal::agency_name(&state).await;
    let page = frame(&state, &headers, &uri, "政府信息公开年报", Section::Reports);
    Ok(render(&AnnualPage {
        page,
        agency,
        years,
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
    year: i32,
    report_html: String,
    charts: Vec<Chart>,
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

/// `/reports/{year}`: the year's published report, or the one generated from the records, with
/// charts.
pub async fn report_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Path(year): Path<String>,
) -> Result<Response, PageError> {
    let year: i32 = year
        .parse()
        .ok()
        .filter(|y| (2008..=2200).contains(y))
        .ok_or_else(|| PageError::not_found("没有这一年的年度报告。"))?;
    let root = state.site.agency_id;
    // A published report is a snapshot (back office, 年报编辑): shown as published, whatever
    // the records say now. Without one, the tables are generated from the records live.
    let published = report_draft::published(&state.store, root, year).await?;
    let snapshot = published.is_some();
    let report = match published {
        Some(p) => p.report,
        None => {
            gongkai_store::generate_report(
                &state.store,
                &root.to_string(),
                year,
                ReportFormat::for_year(year),
            )
            .await?
        }
    };
    let report_html = gongkai_report::render::html_fragment(&report);
    let stats = views::application_stats(&state.store, root, year).await?;
    // The year's two charts show the same numbers as the tables above them: from the snapshot
    // when the report is published, from the records otherwise.
    let (by_outcome, by_kind) = if snapshot {
        snapshot_charts(&report)
    } else {
        let by_outcome = stats
            .by_outcome
            .iter()
            .map(|(k, n)| (catalog::outcome_label(k), *n))
            .collect();
        let by_kind = gongkai_law::ApplicantKind::ALL
            .iter()
            .map(|k| {
                let n = stats
                    .by_kind
                    .iter()
                    .find(|(key, _)| key == k.key())
                    .map_or(0, |(_, n)| *n);
                (catalog::applicant_kind_label(k.key()).to_string(), n)
            })
            .collect();
        (by_outcome, by_kind)
    };
    let per_year = stats
        .per_year
        .iter()
        .map(|(y, n)| (format!("{y}年"), *n))
        .collect();
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
        chart("chart-years", "历年新收申请数量", "年份", per_year)?,
    ];
    let page = frame(
        &state,
        &headers,
        &uri,
        &format!("{year}年政府信息公开工作年度报告"),
        Section::Reports,
    );
    Ok(render(&ReportPage {
        page,
        year,
        report_html,
        charts,
    }))
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
                .map_or_else(
                    || row.label().to_string(),
                    |o| catalog::outcome_label(o.key()),
                );
            (label, total(*row))
        })
        .collect();
    let new = report.requests.get(&gongkai_law::Table3Row::NewReceived);
    let by_kind = gongkai_law::ApplicantKind::ALL
        .iter()
        .map(|k| {
            let n = new.and_then(|r| r[k.column()]).unwrap_or(0);
            (catalog::applicant_kind_label(k.key()).to_string(), n)
        })
        .collect();
    (by_outcome, by_kind)
}
