//! The annual report editor (`/admin/report/{year}`): the prose sections 一, 五 and 六 as text
//! areas, prefilled with the saved draft or, when there is none, with the prose drafted from
//! the records (「按记录重新起草」 drafts it again); the tables computed from the records and
//! the whole report previewed with the HTML renderer's fragment; the checker's findings over
//! the report WITH the edited prose, so a figure typed into the prose that contradicts the
//! records shows as TXT-PARTS or TXT-TABLE in Chinese; save, publish (a snapshot; errors block
//! it, warnings are shown) and the DOCX and XLSX files.
//!
//! Handlers (承办人 and 负责人) edit; only the head publishes ([`Action::PublishReport`]).
//! Every handler asks [`access::require`] for the user's agency and checks the CSRF token of
//! a form before it changes anything; the store writes each change with its audit entry.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{Datelike, Utc};
use gongkai_law::ReportFormat;
use gongkai_report::Report;
use gongkai_report::render::{self, OutputFormat};
use gongkai_report::rules::{self, Severity};
use gongkai_store::models::agency::{self, Agency};
use gongkai_store::models::report_draft;
use serde::Deserialize;

use super::access::{self, Action, Target};
use super::extract::{Done, Read, Write, act};
use super::pages::Bar;
use super::{AdminSession, beijing, frame};
use crate::error::render as render_page;
use crate::{AppState, Page, PageError};

/// The editor's routes, merged into the back office's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/report", get(this_year))
        .route("/admin/report/{year}", get(editor_page))
        .route("/admin/report/{year}/save", post(save))
        .route("/admin/report/{year}/redraft", post(redraft))
        .route("/admin/report/{year}/publish", post(publish))
        .route("/admin/report/{year}/download", get(download))
}

/// The prose sections the editor edits, with their headings.
const PROSE: [(&str, &str); 3] = [
    ("1", "一、总体情况"),
    ("5", "五、存在的主要问题及改进情况"),
    ("6", "六、其他需要报告的事项"),
];

/// One text area.
struct SectionField {
    key: &'static str,
    heading: &'static str,
    text: String,
}

/// One finding of the checker, as shown.
struct FindingRow {
    rule: &'static str,
    error: bool,
    message: String,
}

/// The first year with an annual report (the 条例 took effect on 1 May 2008).
const FIRST_YEAR: i32 = 2008;

#[derive(Template)]
#[template(path = "admin/report_editor.html")]
struct EditorPage {
    page: Page,
    bar: Bar,
    year: i32,
    /// The year before, when it has a report (2008 was the first).
    prev_year: Option<i32>,
    /// The year after, unless it is still to come.
    next_year: Option<i32>,
    agency: String,
    fields: Vec<SectionField>,
    findings: Vec<FindingRow>,
    errors: usize,
    may_publish: bool,
    draft_note: String,
    published_note: String,
    message: &'static str,
    preview: String,
}

/// The query of the page: `msg` names what just happened.
#[derive(Debug, Default, Deserialize)]
pub struct MsgQuery {
    #[serde(default)]
    msg: Option<String>,
}

/// The editing form: the CSRF token and the three sections.
#[derive(Debug, Deserialize)]
pub struct SectionsForm {
    #[serde(default)]
    s1: String,
    #[serde(default)]
    s5: String,
    #[serde(default)]
    s6: String,
}

/// The download's query: `format=docx` or `format=xlsx`.
#[derive(Debug, Deserialize)]
pub struct DownloadQuery {
    // Defaulted so a request without it reaches the access check (403 before 404).
    #[serde(default)]
    format: String,
}

fn message(msg: Option<&str>) -> &'static str {
    match msg {
        Some("saved") => "草稿已保存，检查结果见下。",
        Some("redrafted") => "已按记录重新起草并保存。",
        Some("published") => "年报已发布，门户网站显示发布时的版本。",
        _ => "",
    }
}

fn parse_year(year: &str) -> Result<i32, PageError> {
    year.parse()
        .ok()
        .filter(|y| (FIRST_YEAR..=2200).contains(y))
        .ok_or_else(|| PageError::not_found("没有这一年的年度报告。"))
}

/// The agency whose report the user edits: their own (the root of their subtree), or the
/// site's agency for a user of the whole tree.
async fn agency_of(state: &AppState, s: &AdminSession) -> Result<Agency, PageError> {
    let id = s.user().agency_id.unwrap_or(state.site.agency_id);
    Ok(agency::get(&state.store, id).await?)
}

/// Checks the role and scope for `action` on the user's agency.
async fn allow(state: &AppState, s: &AdminSession, action: Action) -> Result<Agency, PageError> {
    let a = agency_of(state, s).await?;
    access::require(state, s.user(), action, Target::Agency(Some(a.id))).await?;
    Ok(a)
}

/// The report as it stands: tables from the records, prose from the saved draft or, without
/// one, drafted from the records.
async fn current_report(
    state: &AppState,
    agency: &Agency,
    year: i32,
) -> Result<(Report, Option<report_draft::ReportDraft>), PageError> {
    let draft = report_draft::get_draft(&state.store, agency.id, year).await?;
    let format = draft
        .as_ref()
        .map_or_else(|| ReportFormat::for_year(year), |d| d.format);
    let mut report =
        gongkai_store::generate_report(&state.store, &agency.id.to_string(), year, format).await?;
    report.sections = match &draft {
        Some(d) => d.sections.clone(),
        None => gongkai_store::prose::draft_sections_for(&state.store, agency, &report).await?,
    };
    Ok((report, draft))
}

/// The form's sections: line breaks normalised, blank sections left out (the renderer prints
/// its placeholder for them).
fn sections_of(f: &SectionsForm) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (key, text) in [("1", &f.s1), ("5", &f.s5), ("6", &f.s6)] {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let text = text.trim();
        if !text.is_empty() {
            out.insert(key.to_string(), text.to_string());
        }
    }
    out
}

fn timestamp(at: i64) -> String {
    chrono::DateTime::<Utc>::from_timestamp(at, 0)
        .map(beijing)
        .unwrap_or_default()
}

/// Builds the editor page for `report` (status 200, or `status` when publishing was refused).
#[allow(clippy::too_many_arguments)] // the page's parts
async fn page(
    state: &AppState,
    s: &AdminSession,
    headers: &HeaderMap,
    agency: &Agency,
    report: &Report,
    draft: Option<&report_draft::ReportDraft>,
    message: &'static str,
    status: StatusCode,
) -> Result<Response, PageError> {
    let year = report.year;
    let findings: Vec<FindingRow> = rules::check(report)
        .into_iter()
        .map(|f| FindingRow {
            rule: f.rule.id(),
            error: f.severity == Severity::Error,
            message: f.message,
        })
        .collect();
    let errors = findings.iter().filter(|f| f.error).count();
    let fields = PROSE
        .iter()
        .map(|(key, heading)| SectionField {
            key,
            heading,
            text: report.sections.get(*key).cloned().unwrap_or_default(),
        })
        .collect();
    let draft_note = match draft {
        Some(d) => format!("草稿由 {} 保存于 {}。", d.saved_by, timestamp(d.saved_at)),
        None => "尚未保存草稿：正文为按记录起草的初稿。".to_string(),
    };
    let published_note = match report_draft::published(&state.store, agency.id, year).await? {
        Some(p) => format!(
            "已由 {} 于 {} 发布；门户网站显示发布时的版本，其后记录的变动不影响已发布的年报，需重新发布。",
            p.published_by,
            timestamp(p.published_at)
        ),
        None => "尚未发布：门户网站显示按记录实时生成的表格。".to_string(),
    };
    let mut resp = render_page(&EditorPage {
        page: frame(
            state,
            headers,
            "/admin/report",
            &format!("{year}年度报告编辑"),
            Some(s.user()),
        ),
        bar: Bar::of(state, s).await?,
        year,
        prev_year: (year > FIRST_YEAR).then_some(year - 1),
        next_year: (year < gongkai_law::beijing_today().year()).then_some(year + 1),
        agency: agency.name.clone(),
        fields,
        findings,
        errors,
        may_publish: access::allowed(s.user().role, Action::PublishReport),
        draft_note,
        published_note,
        message,
        preview: render::html_fragment(report),
    });
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /admin/report`: the editor of last year's report (the one due this year).
pub async fn this_year(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::EditReport>,
) -> Result<Response, PageError> {
    allow(&state, &s, Action::EditReport).await?;
    let year = s.settings.today().year() - 1;
    Done::to(&format!("/admin/report/{year}"), "")
}

/// `GET /admin/report/{year}`: the editor.
pub async fn editor_page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::EditReport>,
    headers: HeaderMap,
    Path(year): Path<String>,
    Query(q): Query<MsgQuery>,
) -> Result<Response, PageError> {
    let year = parse_year(&year)?;
    let agency = allow(&state, &s, Action::EditReport).await?;
    let (report, draft) = current_report(&state, &agency, year).await?;
    page(
        &state,
        &s,
        &headers,
        &agency,
        &report,
        draft.as_ref(),
        message(q.msg.as_deref()),
        StatusCode::OK,
    )
    .await
}

/// `POST /admin/report/{year}/save`: saves the prose; the page then shows the checker's
/// findings over the saved text.
pub async fn save(
    State(state): State<AppState>,
    Path(year): Path<String>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::EditReport, SectionsForm>,
) -> Result<Response, PageError> {
    let year = parse_year(&year)?;
    let agency = allow(&state, &s, Action::EditReport).await?;
    let format = report_draft::get_draft(&state.store, agency.id, year)
        .await?
        .map_or_else(|| ReportFormat::for_year(year), |d| d.format);
    report_draft::save_draft(
        &state.store,
        &s.user().name,
        agency.id,
        year,
        format,
        &sections_of(&f),
        s.settings.now(),
    )
    .await?;
    Done::to(&format!("/admin/report/{year}#findings"), "saved")
}

/// `POST /admin/report/{year}/redraft`: drafts the prose from the records again and saves it.
pub async fn redraft(
    State(state): State<AppState>,
    Path(year): Path<String>,
    Write { session: s, .. }: Write<act::EditReport>,
) -> Result<Response, PageError> {
    let year = parse_year(&year)?;
    let agency = allow(&state, &s, Action::EditReport).await?;
    let format = ReportFormat::for_year(year);
    let report =
        gongkai_store::prose::draft_report(&state.store, &agency.id.to_string(), year, format)
            .await?;
    report_draft::save_draft(
        &state.store,
        &s.user().name,
        agency.id,
        year,
        format,
        &report.sections,
        s.settings.now(),
    )
    .await?;
    Done::to(&format!("/admin/report/{year}"), "redrafted")
}

/// `POST /admin/report/{year}/publish`: publishes the report as it stands (the records' tables
/// and the saved prose) as a snapshot. An error of the checker blocks it: the editor is shown
/// again, 422, with the findings.
pub async fn publish(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(year): Path<String>,
    Write { session: s, .. }: Write<act::PublishReport>,
) -> Result<Response, PageError> {
    let year = parse_year(&year)?;
    let agency = allow(&state, &s, Action::PublishReport).await?;
    let (report, draft) = current_report(&state, &agency, year).await?;
    if rules::check(&report).iter().any(|f| f.is_error()) {
        return page(
            &state,
            &s,
            &headers,
            &agency,
            &report,
            draft.as_ref(),
            "年报存在错误，不能发布：请先改正下列错误。",
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    report_draft::publish(
        &state.store,
        &s.user().name,
        agency.id,
        &report,
        s.settings.now(),
    )
    .await?;
    Done::to(&format!("/admin/report/{year}"), "published")
}

/// `GET /admin/report/{year}/download?format=docx|xlsx`: the report as it stands as a file.
pub async fn download(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::EditReport>,
    Path(year): Path<String>,
    Query(q): Query<DownloadQuery>,
) -> Result<Response, PageError> {
    let year = parse_year(&year)?;
    let agency = allow(&state, &s, Action::EditReport).await?;
    let (format, content_type) = match q.format.as_str() {
        "docx" => (
            OutputFormat::Docx,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        "xlsx" => (
            OutputFormat::Xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        _ => {
            return Err(PageError::not_found(
                "只能下载 Word（docx）或 Excel（xlsx）文件。",
            ));
        }
    };
    let (report, _) = current_report(&state, &agency, year).await?;
    let bytes = render::render(&report, format).map_err(PageError::internal)?;
    let mut resp = bytes.into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    // ASCII file name: no RFC 5987 encoding needed.
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"annual-report-{year}.{}\"",
        q.format
    )) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}
