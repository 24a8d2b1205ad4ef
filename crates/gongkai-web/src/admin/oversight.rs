//! The superior office's workbench (`/admin/oversight`, 下级年报审查) for 上级政务公开办: the
//! region tree, every unit's report of a year (imported from files or a .zip, or copied from
//! reports published in Gongkai), missing and late reports, each finding confirmed or
//! dismissed with a note, a unit's report beside its last year's, the roll-up per level with
//! its double-count flags, the ranking by risk score with every term, and the 通报 as XLSX and
//! DOCX.
//!
//! Every handler asks [`access::require`] for [`Action::CheckSubordinateReports`] before it
//! looks anything up; a stored report is reached only within the user's agency subtree (its
//! superior must be in scope). The workbench belongs to the user's agency (or, for a user of
//! the whole tree, the site's agency): its reports are stored under that agency.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::{Datelike, NaiveDate};
use gongkai_report::Report;
use gongkai_report::batch::{self, DocKind, Document, ZipLimits};
use gongkai_report::compare::{CellPair, compare};
use gongkai_report::parse::{ParseOptions, check_parsed};
use gongkai_report::rules::Finding;
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::oversight::{self, NewReport, NewUnit, Origin, StoredReport, Verdict};
use gongkai_store::models::report_draft;
use serde::Deserialize;

use super::access::{self, Action, Target};
use super::extract::{self, Done, Read, Upload, Write, act};
use super::oversight_model::{
    self as model, DecidedFinding, LevelSum, ROLLUP_ROWS, UnitYear, level_label,
};
use super::pages::Bar;
use super::{AdminSession, frame};
use crate::error::render;
use crate::{AppState, Page, PageError};

/// The largest upload: a .zip of a region's reports.
pub const IMPORT_BODY_LIMIT: usize = IMPORT_LIMIT_MB * 1024 * 1024;

/// [`IMPORT_BODY_LIMIT`] in MB, as the 413 page names it.
pub const IMPORT_LIMIT_MB: usize = 64;

/// The workbench's routes, merged into the back office's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/oversight", get(page))
        .route("/admin/oversight/units", post(register_unit))
        .route("/admin/oversight/sync", post(sync))
        .route("/admin/oversight/reports/{id}", get(report_page))
        .route("/admin/oversight/reports/{id}/source", get(source))
        .route("/admin/oversight/reports/{id}/decide", post(decide))
        .route("/admin/oversight/export", get(export))
}

/// The import route, with a body limit of its own (mounted outside the site's small form
/// limit, like the attachment upload).
pub fn upload_routes() -> Router<AppState> {
    Router::new()
        .route("/admin/oversight/import", post(import))
        .layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT))
}

fn bad_request(message: impl Into<String>) -> PageError {
    PageError {
        status: StatusCode::BAD_REQUEST,
        message: message.into(),
    }
}

/// The agency whose workbench this is: the user's, or the site's for a user of the whole
/// tree. Asked after the role check.
fn superior(state: &AppState, s: &AdminSession) -> i64 {
    s.user().agency_id.unwrap_or(state.site.agency_id)
}

/// The role check every handler makes first.
async fn allow(state: &AppState, s: &AdminSession) -> Result<i64, PageError> {
    access::require(
        state,
        s.user(),
        Action::CheckSubordinateReports,
        Target::Unscoped,
    )
    .await?;
    Ok(superior(state, s))
}

/// A stored report, only within the user's subtree (403 otherwise, audited; a missing id
/// answers the same 404 to every permitted user).
async fn load_report(
    state: &AppState,
    s: &AdminSession,
    id: i64,
) -> Result<StoredReport, PageError> {
    allow(state, s).await?;
    let r = oversight::report(&state.store, id)
        .await?
        .ok_or_else(|| PageError::not_found("没有这份报告。"))?;
    access::require(
        state,
        s.user(),
        Action::CheckSubordinateReports,
        Target::Agency(Some(r.superior_id)),
    )
    .await?;
    Ok(r)
}

/// The year the workbench opens on: last year (reports are due in the first months).
fn default_year(s: &AdminSession) -> i32 {
    s.settings.now().year() - 1
}

fn check_year(y: i32) -> Result<i32, PageError> {
    if (2008..=2100).contains(&y) {
        Ok(y)
    } else {
        Err(bad_request("年度不正确。"))
    }
}

/// Everything the workbench knows of a year.
struct Workbench {
    units: Vec<UnitYear>,
    unregistered: Vec<StoredReport>,
}

async fn workbench(state: &AppState, superior_id: i64, year: i32) -> Result<Workbench, PageError> {
    let ids = agency::subtree_ids(&state.store, superior_id).await?;
    let agencies: Vec<_> = agency::list(&state.store)
        .await?
        .into_iter()
        .filter(|a| ids.contains(&a.id))
        .collect();
    let outside = oversight::units(&state.store, superior_id).await?;
    let tree = model::tree(&agencies, superior_id, &outside);
    let reports = oversight::reports(&state.store, superior_id, year).await?;
    let decisions = oversight::decisions(&state.store, superior_id, year).await?;
    let (units, unregistered) = model::unit_years(&tree, reports, &decisions, year);
    Ok(Workbench {
        units,
        unregistered,
    })
}

/// The page's query.
#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    msg: String,
}

/// One line of the ranking as shown.
struct RankRow {
    rank: usize,
    name: String,
    level: &'static str,
    report_id: Option<i64>,
    terms: model::RiskTerms,
    explain: String,
    score: i64,
}

/// One unit of the tree as shown.
struct TreeRow {
    name: String,
    indent: String,
    level: &'static str,
    in_store: bool,
    summary: bool,
    report_id: Option<i64>,
    origin: &'static str,
    kind: String,
    published_on: String,
    deadline: String,
    late: bool,
    missing: bool,
    errors: usize,
    warnings: usize,
    undecided: usize,
    double_counted: bool,
}

/// One level of the roll-up as shown.
struct RollRow {
    level: &'static str,
    units: usize,
    summed: usize,
    double_counted: String,
    other_format: String,
    figures: Vec<String>,
    appeals: String,
}

#[derive(Template)]
#[template(path = "admin/oversight.html")]
struct OversightPage {
    page: Page,
    bar: Bar,
    year: i32,
    years: Vec<i32>,
    message: String,
    tree: Vec<TreeRow>,
    ranking: Vec<RankRow>,
    rollup: Vec<RollRow>,
    rollup_rows: Vec<String>,
    unregistered: Vec<(i64, String, String)>,
    reported: usize,
    missing: usize,
    late: usize,
    levels: Vec<(&'static str, &'static str)>,
}

fn message(msg: &str) -> String {
    match msg {
        "unit" => "单位已登记。".into(),
        "synced" => "已从本系统发布的年报中取得报告。".into(),
        _ => String::new(),
    }
}

fn tree_rows(units: &[UnitYear]) -> Vec<TreeRow> {
    units
        .iter()
        .map(|u| {
            let (errors, warnings) = u.findings.iter().fold((0, 0), |(e, w), f| {
                if f.finding.is_error() {
                    (e + 1, w)
                } else {
                    (e, w + 1)
                }
            });
            TreeRow {
                name: u.unit.name.clone(),
                indent: "　".repeat(u.unit.depth),
                level: level_label(u.unit.level),
                in_store: u.unit.in_store,
                summary: u.unit.summary,
                report_id: u.report.as_ref().map(|r| r.id),
                origin: u.report.as_ref().map_or("", |r| r.origin.label()),
                kind: u
                    .report
                    .as_ref()
                    .map(|r| r.kind.id().to_string())
                    .unwrap_or_default(),
                published_on: u
                    .report
                    .as_ref()
                    .and_then(|r| r.published_on)
                    .map_or("—".into(), |d| d.to_string()),
                deadline: u.deadline.map_or("—".into(), |d| d.to_string()),
                late: u.late,
                missing: u.report.is_none(),
                errors,
                warnings,
                undecided: u.findings.iter().filter(|f| f.decision.is_none()).count(),
                double_counted: u.double_counted,
            }
        })
        .collect()
}

fn rank_rows(units: &[UnitYear]) -> Vec<RankRow> {
    model::ranking(units)
        .into_iter()
        .enumerate()
        .map(|(i, u)| RankRow {
            rank: i + 1,
            name: u.unit.name.clone(),
            level: level_label(u.unit.level),
            report_id: u.report.as_ref().map(|r| r.id),
            terms: u.risk,
            explain: u.risk.explain(),
            score: u.risk.score(),
        })
        .collect()
}

fn roll_rows(sums: &[LevelSum]) -> Vec<RollRow> {
    sums.iter()
        .map(|l| RollRow {
            level: level_label(l.level),
            units: l.units,
            summed: l.summed,
            double_counted: l.double_counted.join("、"),
            other_format: l.other_format.join("、"),
            figures: ROLLUP_ROWS
                .iter()
                .map(|r| {
                    l.sum
                        .as_ref()
                        .map_or("—".into(), |s| model::total(s, *r).to_string())
                })
                .collect(),
            appeals: l
                .sum
                .as_ref()
                .map_or("—".into(), |s| model::appeals_total(s).to_string()),
        })
        .collect()
}

/// `GET /admin/oversight[?year=Y]`: the workbench of a year.
pub async fn page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::CheckSubordinateReports>,
    headers: HeaderMap,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    let superior_id = allow(&state, &s).await?;
    let year = check_year(q.year.unwrap_or_else(|| default_year(&s)))?;
    let wb = workbench(&state, superior_id, year).await?;
    let sums = model::rollup(&wb.units, year);
    let now_year = s.settings.now().year();
    let page = OversightPage {
        page: frame(
            &state,
            &headers,
            "/admin/oversight",
            "下级年报审查",
            Some(s.user()),
        ),
        bar: Bar::of(&state, &s).await?,
        year,
        years: (2019..now_year).rev().collect(),
        message: message(&q.msg),
        reported: wb.units.iter().filter(|u| u.report.is_some()).count(),
        missing: wb.units.iter().filter(|u| u.report.is_none()).count(),
        late: wb.units.iter().filter(|u| u.late).count(),
        tree: tree_rows(&wb.units),
        ranking: rank_rows(&wb.units),
        rollup: roll_rows(&sums),
        rollup_rows: ROLLUP_ROWS
            .iter()
            .map(|r| gongkai_report::rules::table3_row_label(*r))
            .collect(),
        unregistered: wb
            .unregistered
            .iter()
            .map(|r| (r.id, r.unit_name.clone(), r.file_name.clone()))
            .collect(),
        levels: model::LEVELS
            .iter()
            .map(|l| (l.key(), level_label(*l)))
            .collect(),
    };
    Ok(render(&page))
}

/// The unit registration form.
#[derive(Debug, Default, Deserialize)]
pub struct UnitForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    parent: String,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    year: Option<i32>,
}

/// `POST /admin/oversight/units`: registers a unit outside the agency tree.
pub async fn register_unit(
    State(state): State<AppState>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::CheckSubordinateReports, UnitForm>,
) -> Result<Response, PageError> {
    let superior_id = allow(&state, &s).await?;
    let level = AgencyLevel::parse(&f.level).ok_or_else(|| bad_request("请选择单位层级。"))?;
    oversight::register_unit(
        &state.store,
        &s.user().name,
        superior_id,
        &NewUnit {
            name: &f.name,
            level,
            parent_name: Some(f.parent.as_str()),
            summary: f.summary.is_some(),
        },
        s.settings.now(),
    )
    .await?;
    let year = f.year.unwrap_or_else(|| default_year(&s));
    Done::to(&format!("/admin/oversight?year={year}"), "unit")
}

/// A form with only the CSRF token and a year.
#[derive(Debug, Default, Deserialize)]
pub struct YearForm {
    #[serde(default)]
    year: Option<i32>,
}

/// `POST /admin/oversight/sync`: takes the year's reports published in Gongkai by the agencies
/// of the subtree into the workbench (origin 「本系统发布」).
pub async fn sync(
    State(state): State<AppState>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::CheckSubordinateReports, YearForm>,
) -> Result<Response, PageError> {
    let superior_id = allow(&state, &s).await?;
    let year = check_year(f.year.unwrap_or_else(|| default_year(&s)))?;
    for id in agency::subtree_ids(&state.store, superior_id).await? {
        let Some(p) = report_draft::published(&state.store, id, year).await? else {
            continue;
        };
        let parsed = gongkai_report::parse::Parsed {
            report: p.report.clone(),
            findings: Vec::new(),
            absent_tables: Vec::new(),
        };
        let findings = check_parsed(&parsed);
        // The day of publication in Beijing time (UTC+8).
        let published_on =
            chrono::DateTime::from_timestamp(p.published_at + 8 * 3600, 0).map(|t| t.date_naive());
        oversight::import(
            &state.store,
            &s.user().name,
            superior_id,
            &NewReport {
                origin: Origin::Gongkai,
                file_name: &format!("本系统发布（第{}号）", p.id),
                kind: DocKind::Json,
                source: p.report.to_json().as_bytes(),
                report: &p.report,
                findings: &findings,
                published_on,
            },
            s.settings.now(),
        )
        .await?;
    }
    Done::to(&format!("/admin/oversight?year={year}"), "synced")
}

/// One file's outcome of an import.
struct ImportRow {
    file: String,
    unit: String,
    year: String,
    report_id: Option<i64>,
    outcome: String,
    ok: bool,
}

#[derive(Template)]
#[template(path = "admin/oversight_import.html")]
struct ImportPage {
    page: Page,
    bar: Bar,
    rows: Vec<ImportRow>,
    years: Vec<i32>,
}

/// `POST /admin/oversight/import` (multipart: `files` — reports or .zip archives —, `urls` —
/// a list of report addresses, one a line, fetched within bounds —, optional
/// `published_on`): reads, checks and stores every report (the source file kept), and lists
/// what happened to each file.
pub async fn import(
    State(state): State<AppState>,
    headers: HeaderMap,
    up: Upload<act::CheckSubordinateReports, IMPORT_LIMIT_MB>,
) -> Result<Response, PageError> {
    let s = &up.session;
    let superior_id = allow(&state, s).await?;
    let parts = up.parts()?;
    let field = |name: &str| extract::field(&parts, name);
    let published_on = match field("published_on").trim() {
        "" => None,
        d => Some(
            NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map_err(|_| bad_request("发布日期格式不正确，应为“年-月-日”，如 2025-01-20。"))?,
        ),
    };
    let mut docs = Vec::new();
    let mut rows = Vec::new();
    for p in parts.iter().filter(|p| p.name == "files") {
        let Some(name) = p.file_name.as_deref().filter(|n| !n.is_empty()) else {
            continue;
        };
        if name.to_ascii_lowercase().ends_with(".zip") {
            match batch::unzip(name, p.data, ZipLimits::default()) {
                Ok(d) => docs.extend(d),
                Err(e) => rows.push(failed(name, e.to_string())),
            }
        } else if DocKind::of(name).is_some() {
            docs.push(Document {
                name: name.to_string(),
                bytes: p.data.to_vec(),
            });
        } else {
            rows.push(failed(
                name,
                "不是年度报告支持的格式（.txt .html .htm .json .pdf .docx 或 .zip）".into(),
            ));
        }
    }
    let urls: Vec<String> = field("urls")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    if urls.len() > MAX_URLS {
        return Err(bad_request(format!(
            "一次最多导入 {MAX_URLS} 个网址，请分批导入。"
        )));
    }
    let (fetched, refused) = fetch_all(urls, state.fetch_private).await;
    docs.extend(fetched);
    rows.extend(refused);
    if docs.is_empty() && rows.is_empty() {
        return Err(bad_request(
            "请选择要导入的报告文件或 .zip 压缩包，或填写报告的网址。",
        ));
    }
    // Reading is CPU work: off the async threads.
    let parsed = gongkai_store::blocking::run(move || {
        docs.into_iter()
            .map(|d| {
                let r = batch::parse_document(&d, &ParseOptions::default()).map(|p| {
                    let f = check_parsed(&p);
                    (p.report, f)
                });
                (d, r)
            })
            .collect::<Vec<_>>()
    })
    .await?;
    store_parsed(&state, s, superior_id, parsed, published_on, &mut rows).await?;
    let now_year = s.settings.now().year();
    let page = ImportPage {
        page: frame(
            &state,
            &headers,
            "/admin/oversight",
            "导入结果",
            Some(s.user()),
        ),
        bar: Bar::of(&state, s).await?,
        years: {
            let mut y: Vec<i32> = rows.iter().filter_map(|r| r.year.parse().ok()).collect();
            y.sort_unstable();
            y.dedup();
            if y.is_empty() {
                y.push(now_year - 1);
            }
            y
        },
        rows,
    };
    Ok(render(&page))
}

/// URLs one import may list.
pub const MAX_URLS: usize = 200;
/// URLs fetched at the same time.
const FETCH_CONCURRENCY: usize = 4;
/// The longest a whole URL list may take; what is not fetched by then is reported as such.
const FETCH_ALL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// Fetches every URL of an import's list (a few at a time, each within the fetch limits of
/// gongkai-report, the whole list within [`FETCH_ALL_TIMEOUT`]): the documents fetched, in the
/// list's order, and a failed line for each URL that could not be.
async fn fetch_all(urls: Vec<String>, allow_private: bool) -> (Vec<Document>, Vec<ImportRow>) {
    use gongkai_report::fetch::{self as web, FetchLimits};
    if urls.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let limits = FetchLimits {
        allow_private,
        ..FetchLimits::default()
    };
    let client = match web::client(&limits) {
        Ok(c) => c,
        Err(e) => {
            let rows = urls.iter().map(|u| failed(u, e.to_string())).collect();
            return (Vec::new(), rows);
        }
    };
    let deadline = tokio::time::Instant::now() + FETCH_ALL_TIMEOUT;
    let semaphore = std::sync::Arc::new(tokio::sync::Semaphore::new(FETCH_CONCURRENCY));
    let mut tasks = tokio::task::JoinSet::new();
    for (i, url) in urls.into_iter().enumerate() {
        let (client, semaphore) = (client.clone(), semaphore.clone());
        tasks.spawn(async move {
            let fetched = tokio::time::timeout_at(deadline, async {
                let _permit = semaphore.acquire().await;
                web::fetch(&client, &url, &limits).await
            })
            .await;
            (i, url, fetched)
        });
    }
    let mut done = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        if let Ok(x) = joined {
            done.push(x);
        }
    }
    done.sort_by_key(|(i, _, _)| *i);
    let mut docs = Vec::new();
    let mut rows = Vec::new();
    for (_, url, fetched) in done {
        match fetched {
            Ok(Ok(d)) => docs.push(d),
            Ok(Err(e)) => rows.push(failed(&url, e.to_string())),
            Err(_) => rows.push(failed(
                &url,
                format!(
                    "{url}：网址清单超过 {} 秒未能全部取得，请分批导入",
                    FETCH_ALL_TIMEOUT.as_secs()
                ),
            )),
        }
    }
    (docs, rows)
}

/// A document's name as shown and kept: a fetched URL without the `#.pdf` that tells the
/// reader its type (the type is kept as the report's `kind`).
fn shown_name(name: &str) -> &str {
    match name.rsplit_once("#.") {
        Some((url, _)) if gongkai_report::fetch::is_url(url) => url,
        _ => name,
    }
}

/// One imported file and what reading it gave.
type ParsedDocument = (
    Document,
    Result<(Report, Vec<Finding>), batch::DocumentError>,
);

/// Stores the reports read from an import's files in one transaction and adds a line per
/// file to `rows` (a file that could not be read or stored says why).
async fn store_parsed(
    state: &AppState,
    s: &AdminSession,
    superior_id: i64,
    parsed: Vec<ParsedDocument>,
    published_on: Option<NaiveDate>,
    rows: &mut Vec<ImportRow>,
) -> Result<(), PageError> {
    let mut read = Vec::with_capacity(parsed.len());
    for (doc, result) in parsed {
        match result {
            Ok((report, findings)) => {
                let kind = DocKind::of(&doc.name).unwrap_or(DocKind::Text);
                read.push((doc, kind, report, findings));
            }
            Err(e) => rows.push(failed(shown_name(&doc.name), e.to_string())),
        }
    }
    let news: Vec<NewReport<'_>> = read
        .iter()
        .map(|(doc, kind, report, findings)| NewReport {
            origin: Origin::Import,
            file_name: shown_name(&doc.name),
            kind: *kind,
            source: &doc.bytes,
            report,
            findings,
            published_on,
        })
        .collect();
    let stored = oversight::import_many(
        &state.store,
        &s.user().name,
        superior_id,
        &news,
        s.settings.now(),
    )
    .await?;
    for ((doc, _, report, findings), imported) in read.iter().zip(stored) {
        match imported {
            Ok(i) => rows.push(ImportRow {
                file: shown_name(&doc.name).to_string(),
                unit: report.agency.clone(),
                year: report.year.to_string(),
                report_id: Some(i.id),
                outcome: match (i.replaced, i.cells_changed) {
                    (false, _) => format!(
                        "已导入：{} 个错误，{} 个警告",
                        errors(findings),
                        findings.len() - errors(findings)
                    ),
                    (true, false) => "已重新导入：表格未变，原有判定保留".into(),
                    (true, true) => {
                        format!("已重新导入：表格有变化，清除原有判定 {} 条", i.cleared)
                    }
                },
                ok: true,
            }),
            Err(e) => rows.push(failed(shown_name(&doc.name), PageError::from(e).message)),
        }
    }
    Ok(())
}

fn errors(f: &[Finding]) -> usize {
    f.iter().filter(|f| f.is_error()).count()
}

fn failed(file: &str, why: String) -> ImportRow {
    ImportRow {
        file: file.to_string(),
        unit: String::new(),
        year: String::new(),
        report_id: None,
        outcome: format!("未导入：{why}"),
        ok: false,
    }
}

/// One finding as shown on a unit's page.
struct FindingRow {
    key: String,
    rule: &'static str,
    error: bool,
    cross: bool,
    place: String,
    message: String,
    state: &'static str,
    note: String,
    decided_by: String,
}

fn finding_rows(findings: &[DecidedFinding]) -> Vec<FindingRow> {
    findings
        .iter()
        .map(|f| FindingRow {
            key: f.key.clone(),
            rule: f.finding.rule.id(),
            error: f.finding.is_error(),
            cross: f.cross,
            place: [&f.finding.table, &f.finding.row, &f.finding.column]
                .iter()
                .filter_map(|x| x.as_deref())
                .collect::<Vec<_>>()
                .join(" / "),
            message: f.finding.message.clone(),
            state: f.state_label(),
            note: f
                .decision
                .as_ref()
                .map(|d| d.note.clone())
                .unwrap_or_default(),
            decided_by: f
                .decision
                .as_ref()
                .map(|d| d.decided_by.clone())
                .unwrap_or_default(),
        })
        .collect()
}

/// One cell of the comparison as shown.
struct CellRow {
    table: &'static str,
    row: String,
    column: &'static str,
    last: String,
    this: String,
    delta: String,
}

fn cell_rows(cells: &[CellPair]) -> Vec<CellRow> {
    let show = |v: Option<f64>| v.map_or("空白".to_string(), |v| v.to_string());
    cells
        .iter()
        .map(|c| CellRow {
            table: c.table,
            row: c.row_label.clone(),
            column: c.column_label,
            last: show(c.last),
            this: show(c.this),
            delta: c.delta().map_or(String::new(), |d| format!("{d:+}")),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/oversight_report.html")]
struct ReportPage {
    page: Page,
    bar: Bar,
    message: String,
    r: StoredReport,
    origin: &'static str,
    findings: Vec<FindingRow>,
    last_id: Option<i64>,
    last_year: i32,
    changed: Vec<CellRow>,
    unchanged: usize,
    compared: usize,
    sections: Vec<(&'static str, String)>,
    published_on: String,
}

/// `GET /admin/oversight/reports/{id}`: one unit's report of a year: its findings with their
/// decisions and the forms to decide, the cells beside last year's, and the report's text.
pub async fn report_page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::CheckSubordinateReports>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    let r = load_report(&state, &s, id).await?;
    let decisions = oversight::decisions(&state.store, r.superior_id, r.year).await?;
    let findings = model::decided(&r, &decisions);
    let last = oversight::report_of(&state.store, r.superior_id, r.year - 1, &r.unit_name).await?;
    let cmp = last.as_ref().map(|l| compare(&l.report, &r.report));
    let (changed, unchanged, compared) = match &cmp {
        Some(c) => {
            let changed: Vec<CellPair> = c.changed().cloned().collect();
            (
                cell_rows(&changed),
                c.cells.len() - changed.len(),
                c.cells.len(),
            )
        }
        None => (Vec::new(), 0, 0),
    };
    let sections = [
        ("1", "一、总体情况"),
        ("5", "五、存在的主要问题及改进情况"),
        ("6", "六、其他需要报告的事项"),
    ]
    .into_iter()
    .filter_map(|(k, t)| r.report.sections.get(k).map(|s| (t, s.clone())))
    .collect();
    let message = match q.msg.as_str() {
        "decided" => "判定已保存。".to_string(),
        _ => String::new(),
    };
    let page = ReportPage {
        page: frame(
            &state,
            &headers,
            "/admin/oversight",
            &format!("{} {} 年度报告审查", r.unit_name, r.year),
            Some(s.user()),
        ),
        bar: Bar::of(&state, &s).await?,
        message,
        origin: r.origin.label(),
        findings: finding_rows(&findings),
        last_id: last.as_ref().map(|l| l.id),
        last_year: r.year - 1,
        changed,
        unchanged,
        compared,
        sections,
        published_on: r.published_on.map_or("—".into(), |d| d.to_string()),
        r,
    };
    Ok(render(&page))
}

/// `GET /admin/oversight/reports/{id}/source`: the file as it was imported (a download, never
/// shown inline).
pub async fn source(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::CheckSubordinateReports>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let r = load_report(&state, &s, id).await?;
    let data = oversight::source(&state.store, id)
        .await?
        .ok_or_else(|| PageError::not_found("这份报告没有保存原始文件。"))?;
    let name = r
        .file_name
        .rsplit('/')
        .next()
        .unwrap_or("report")
        .to_string();
    Ok(download(&name, "application/octet-stream", data))
}

/// A file as a download, its name in RFC 5987 form.
fn download(name: &str, content_type: &'static str, data: Vec<u8>) -> Response {
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"report\"; filename*=UTF-8''{encoded}"),
            ),
        ],
        data,
    )
        .into_response()
}

/// The decision form.
#[derive(Debug, Default, Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    key: String,
    #[serde(default)]
    verdict: String,
    #[serde(default)]
    note: String,
}

/// `POST /admin/oversight/reports/{id}/decide`: confirms or dismisses one finding, with a note.
pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::CheckSubordinateReports, DecideForm>,
) -> Result<Response, PageError> {
    let r = load_report(&state, &s, id).await?;
    let verdict =
        Verdict::parse(&f.verdict).ok_or_else(|| bad_request("请选择“确认”或“排除”。"))?;
    oversight::decide(
        &state.store,
        &s.user().name,
        &r,
        &f.key,
        verdict,
        &f.note,
        s.settings.now(),
    )
    .await?;
    Done::to(&format!("/admin/oversight/reports/{id}"), "decided")
}

/// The export's query.
#[derive(Debug, Default, Deserialize)]
pub struct ExportQuery {
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    format: String,
}

/// `GET /admin/oversight/export?year=Y&format=xlsx|docx`: the 通报 of the year.
pub async fn export(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::CheckSubordinateReports>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, PageError> {
    let superior_id = allow(&state, &s).await?;
    let year = check_year(q.year.unwrap_or_else(|| default_year(&s)))?;
    let wb = workbench(&state, superior_id, year).await?;
    let office = agency::get(&state.store, superior_id).await?.name;
    let sums = model::rollup(&wb.units, year);
    match q.format.as_str() {
        "xlsx" => {
            let data =
                super::oversight_export::xlsx(&wb.units, year).map_err(PageError::internal)?;
            Ok(download(
                &format!("{year}年度政府信息公开工作年度报告审查通报.xlsx"),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                data,
            ))
        }
        "docx" => {
            // Dated in Beijing time (UTC+8).
            let dated = (s.settings.now() + chrono::Duration::hours(8)).date_naive();
            let data = super::oversight_export::docx(&office, &wb.units, &sums, year, dated)
                .map_err(PageError::internal)?;
            Ok(download(
                &format!("{year}年度政府信息公开工作年度报告审查通报.docx"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                data,
            ))
        }
        _ => Err(PageError::not_found(
            "只能导出 Excel（xlsx）或 Word（docx）文件。",
        )),
    }
}
