//! The 网上巡查 page of the back office (`/admin/site-inspections`, 网站巡查): the recorded runs of
//! `gongkai inspect --record` and of the portal's scheduled self-inspection, with their
//! verdicts, a trend of the findings per rule over the latest runs, and the findings of one run.
//!
//! Read-only: runs are recorded by the command and the scheduler, never from the browser, so the
//! page has no form. Who may read it is in [`access`] (审核人, 负责人, 上级政务公开办). The runs
//! concern the whole site, not one agency's records, and their details hold personal data
//! only masked, so the check is unscoped.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use gongkai_store::models::agency;
use gongkai_store::models::site_inspection::{self, SiteInspection, SiteInspectionFinding};
use serde::Deserialize;

use super::access::{self, Action, Target};
use super::extract::{Read, act};
use super::pages::Bar;
use super::{AdminSession, frame};
use crate::error::render;
use crate::{AppState, Page, PageError};

/// Runs listed on the page.
const LISTED: i64 = 50;
/// Runs in the trend table.
const TREND: usize = 10;

/// The rule ids of the spec with their Chinese names, in the order the trend lists them.
const RULES: [(&str, &str); 15] = [
    ("SITE-UNREACHABLE", "站点无法访问"),
    ("HOME-STALE", "首页长期未更新"),
    ("COLUMN-STALE", "栏目不更新"),
    ("COLUMN-BLANK", "空白栏目"),
    ("LINK-BROKEN", "链接不可用"),
    ("DATE-MISSING", "未标注发布日期"),
    ("PII-EXPOSED", "泄露个人信息"),
    ("LETTER-UNANSWERED", "留言超期未回复"),
    ("COLUMN-DORMANT", "应更新而长期未更新"),
    ("INTERACTION-MISSING", "无咨询建言渠道"),
    ("GUIDE-INCOMPLETE", "办事指南要素缺失"),
    ("SEVERE-WORDING", "严重表述错误"),
    ("CLASSIFIED-MARK", "涉密标志"),
    ("HIDDEN-LINK", "暗链"),
    ("INJECTED-FRAME", "被植入的隐藏框架"),
];

/// The page's routes, merged into the back office's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/site-inspections", get(page))
        .route("/admin/site-inspections/{id}/report.docx", get(report_docx))
        .route("/admin/site-inspections/{id}/report.xlsx", get(report_xlsx))
}

/// The 检查报告 of run `id` for a reader allowed the page.
async fn sheet(
    state: &AppState,
    s: &AdminSession,
    id: &str,
) -> Result<(i64, super::site_inspection_sheet::Sheet), PageError> {
    // The role first; only then is the id even read.
    access::require(
        state,
        s.user(),
        Action::ViewSiteInspections,
        Target::Unscoped,
    )
    .await?;
    let id: i64 = id
        .parse()
        .map_err(|_| PageError::not_found("没有这次巡查记录。"))?;
    let run = site_inspection::get(&state.store, id)
        .await?
        .ok_or_else(|| PageError::not_found("没有这次巡查记录。"))?;
    let findings = site_inspection::findings(&state.store, id).await?;
    let latest = site_inspection::list(&state.store, TREND as i64).await?;
    Ok((
        id,
        super::site_inspection_sheet::Sheet::from_stored(&run, &findings, &latest, label),
    ))
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

/// `/admin/site-inspections/{id}/report.docx`: the 检查报告 as a Word document.
pub async fn report_docx(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ViewSiteInspections>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Response, PageError> {
    let (id, sheet) = sheet(&state, &s, &id).await?;
    let bytes = sheet
        .docx()
        .map_err(|e| PageError::internal(format!("检查报告生成失败：{e}")))?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        format!("site-inspection-{id}.docx"),
    ))
}

/// `/admin/site-inspections/{id}/report.xlsx`: the 检查报告 as a workbook.
pub async fn report_xlsx(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ViewSiteInspections>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> Result<Response, PageError> {
    let (id, sheet) = sheet(&state, &s, &id).await?;
    let bytes = sheet
        .xlsx()
        .map_err(|e| PageError::internal(format!("检查报告生成失败：{e}")))?;
    Ok(download(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("site-inspection-{id}.xlsx"),
    ))
}

/// The page's query: which run's findings to show (default: the latest).
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    run: Option<i64>,
}

/// One rule's counts over the trend's runs.
struct TrendRow {
    id: &'static str,
    label: &'static str,
    counts: Vec<i64>,
}

/// One finding as shown.
struct FindingRow {
    rule: String,
    label: &'static str,
    veto: bool,
    /// The deduction for a reader (`5.0`).
    points: String,
    url: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "admin/site_inspections.html")]
struct SiteInspectionsPage {
    page: Page,
    bar: Bar,
    runs: Vec<SiteInspection>,
    trend_runs: Vec<SiteInspection>,
    trend: Vec<TrendRow>,
    selected: Option<SiteInspection>,
    findings: Vec<FindingRow>,
    /// Whether the user keeps the 严重表述错误 list (the page links to it only then).
    may_edit_words: bool,
}

fn label(rule: &str) -> &'static str {
    RULES
        .iter()
        .find(|(id, _)| *id == rule)
        .map_or("其他", |(_, l)| l)
}

/// The trend: for each rule, its findings in each of the given runs (oldest first).
fn trend(runs: &[SiteInspection], counts: &[site_inspection::RuleCount]) -> Vec<TrendRow> {
    RULES
        .iter()
        .map(|(id, l)| TrendRow {
            id,
            label: l,
            counts: runs
                .iter()
                .map(|r| {
                    counts
                        .iter()
                        .find(|c| c.run_id == r.id && c.rule == *id)
                        .map_or(0, |c| c.count)
                })
                .collect(),
        })
        .collect()
}

/// `/admin/site-inspections[?run=ID]`.
pub async fn page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ViewSiteInspections>,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let user = s.user();
    access::require(&state, user, Action::ViewSiteInspections, Target::Unscoped).await?;
    let runs = site_inspection::list(&state.store, LISTED).await?;
    let mut trend_runs: Vec<SiteInspection> = runs.iter().take(TREND).cloned().collect();
    trend_runs.reverse();
    let counts = site_inspection::counts_by_rule(&state.store, TREND as i64).await?;
    let trend = trend(&trend_runs, &counts);
    let selected = match q.run {
        Some(id) => Some(
            site_inspection::get(&state.store, id)
                .await?
                .ok_or_else(|| PageError::not_found("没有这次巡查记录。"))?,
        ),
        None => runs.first().cloned(),
    };
    let findings = match &selected {
        Some(r) => site_inspection::findings(&state.store, r.id)
            .await?
            .into_iter()
            .map(|f: SiteInspectionFinding| FindingRow {
                label: label(&f.rule),
                rule: f.rule,
                veto: f.veto,
                points: format!("{}.{}", f.deduction_tenths / 10, f.deduction_tenths % 10),
                url: f.url,
                detail: f.detail,
            })
            .collect(),
        None => Vec::new(),
    };
    let agency = match user.agency_id {
        None => "全部机关".to_string(),
        Some(a) => agency::list(&state.store)
            .await?
            .into_iter()
            .find(|x| x.id == a)
            .map(|x| x.name)
            .unwrap_or_default(),
    };
    let page = SiteInspectionsPage {
        page: frame(
            &state,
            &headers,
            "/admin/site-inspections",
            "网站巡查",
            Some(user),
        ),
        bar: Bar::naming(&s, agency),
        may_edit_words: access::allowed(user.role, Action::ManageWords),
        runs,
        trend_runs,
        trend,
        selected,
        findings,
    };
    Ok(render(&page))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn run(id: i64) -> SiteInspection {
        SiteInspection {
            id,
            url: "http://127.0.0.1/".into(),
            as_of: NaiveDate::from_ymd_opt(2020, 12, 31).unwrap_or_default(),
            ran_at: String::new(),
            started_by: "cli".into(),
            verdict: "pass".into(),
            pages: 1,
            probes_sent: 1,
            probes_failed: 0,
            external_links: 0,
            score_tenths: None,
            findings: 0,
            vetoes: 0,
        }
    }

    #[test]
    fn the_trend_has_every_rule_and_zero_where_a_run_found_nothing() {
        let counts = vec![site_inspection::RuleCount {
            run_id: 2,
            rule: "LINK-BROKEN".into(),
            count: 3,
        }];
        let t = trend(&[run(1), run(2)], &counts);
        assert_eq!(t.len(), RULES.len());
        let broken = t.iter().find(|r| r.id == "LINK-BROKEN").expect("row");
        assert_eq!(broken.counts, vec![0, 3]);
        assert!(
            t.iter()
                .filter(|r| r.id != "LINK-BROKEN")
                .all(|r| r.counts == vec![0, 0])
        );
        assert_eq!(label("PII-EXPOSED"), "泄露个人信息");
        assert_eq!(label("NOPE"), "其他");
    }

    /// The page through the back office's router: the reviewer reads the runs, the trend and a
    /// run's findings (masked); an editor is refused (403, audited); nobody signed out gets in.
    #[tokio::test]
    async fn the_page_lists_runs_trend_and_findings_for_its_roles() {
        use crate::SiteSettings;
        use crate::admin::{AdminSettings, CookieSecurity, SESSION_COOKIE, router_with};
        use axum::body::Body;
        use axum::http::{Request, StatusCode, header};
        use gongkai_store::auth::{self, NewUser, Role};
        use gongkai_store::models::agency::AgencyLevel;
        use gongkai_store::models::site_inspection::{NewFinding, NewRun};
        use gongkai_store::{Crypto, Store, audit};
        use http_body_util::BodyExt;
        use std::sync::Arc;
        use tower::ServiceExt;

        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = Store::open_with_crypto(&url, Crypto::random())
            .await
            .expect("store");
        let county = agency::ensure(&store, "t", "甲县人民政府", AgencyLevel::County, None, None)
            .await
            .expect("agency")
            .id;
        let as_of = NaiveDate::from_ymd_opt(2020, 12, 31).expect("date");
        let base = NewRun {
            url: "http://127.0.0.1:8080/",
            as_of,
            started_by: "cli",
            veto: true,
            pages: 40,
            probes_sent: 1,
            probes_failed: 0,
            external_links: 0,
            score_tenths: None,
            findings: vec![NewFinding {
                rule: "PII-EXPOSED",
                veto: true,
                url: "http://127.0.0.1:8080/p/1",
                detail: "页面显示个人信息：居民身份证号 1101**********002X",
                deduction_tenths: 0,
            }],
        };
        let first = site_inspection::record(&store, "cli", &base)
            .await
            .expect("first");
        let second = site_inspection::record(
            &store,
            "system",
            &NewRun {
                started_by: "scheduled",
                veto: false,
                findings: vec![NewFinding {
                    rule: "LINK-BROKEN",
                    veto: false,
                    url: "http://127.0.0.1:8080/gone",
                    detail: "HTTP 404",
                    deduction_tenths: 0,
                }],
                ..base.clone()
            },
        )
        .await
        .expect("second");
        let mut users = Vec::new();
        for (name, role) in [("shenhe", Role::Reviewer), ("xinxiyuan", Role::Editor)] {
            auth::create_user(
                &store,
                "cli",
                &NewUser {
                    name: name.into(),
                    role,
                    agency_id: Some(county),
                },
                "Test-Secret-2026",
                chrono::Utc::now(),
            )
            .await
            .expect("user");
            let s = auth::login(&store, name, "Test-Secret-2026", chrono::Utc::now())
                .await
                .expect("login");
            users.push(format!("{SESSION_COOKIE}={}", s.token.as_str()));
        }
        let site = SiteSettings {
            site_name: "甲县人民政府".into(),
            agency_id: county,
            site_code: "0000000000".into(),
            icp: "ICP".into(),
        };
        let state = AppState::new(
            store.clone(),
            site,
            Arc::new(gongkai_search::SearchIndex::in_memory().expect("index")),
        );
        let app = axum::Router::new()
            .merge(router_with(AdminSettings {
                secure_cookie: CookieSecurity::Never,
                ..AdminSettings::default()
            }))
            .with_state(state);
        let get = |path: String, cookie: String| {
            let app = app.clone();
            async move {
                let mut req = Request::get(path);
                if !cookie.is_empty() {
                    req = req.header(header::COOKIE, cookie);
                }
                let resp = app
                    .oneshot(req.body(Body::empty()).expect("request"))
                    .await
                    .expect("answer");
                let status = resp.status();
                let body = resp.into_body().collect().await.expect("body").to_bytes();
                (status, String::from_utf8_lossy(&body).into_owned())
            }
        };

        let (status, html) = get("/admin/site-inspections".into(), users[0].clone()).await;
        assert_eq!(status, StatusCode::OK, "{html}");
        assert!(html.contains("<h1>网站巡查</h1>"));
        assert!(html.contains(&format!("第{first}次")) && html.contains(&format!("第{second}次")));
        assert!(html.contains("每日自查") && html.contains("命令行"));
        // The latest run's findings are shown by default.
        assert!(
            html.contains(&format!("第{second}次巡查发现的问题（合格，得分 —）")),
            "{html}"
        );
        // The 检查报告 of a run downloads as DOCX and XLSX for its readers, not for an editor.
        for ext in ["docx", "xlsx"] {
            let path = format!("/admin/site-inspections/{first}/report.{ext}");
            let (status, body) = get(path.clone(), users[0].clone()).await;
            assert_eq!(status, StatusCode::OK, "{path}");
            assert!(body.starts_with("PK"), "{path}: a zip package");
            let (status, _) = get(path, users[1].clone()).await;
            assert_eq!(status, StatusCode::FORBIDDEN);
        }
        let (status, _) = get(
            "/admin/site-inspections/999999/report.docx".into(),
            users[0].clone(),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(html.contains("http://127.0.0.1:8080/gone"));
        // The trend counts each rule in each run.
        assert!(
            html.contains(
                "泄露个人信息<br><span class=\"muted\">PII-EXPOSED</span></th><td>1</td><td>0</td>"
            ),
            "{html}"
        );
        // The dashboard menu links the page.
        assert!(html.contains("href=\"/admin/site-inspections\""));

        let (status, html) = get(
            format!("/admin/site-inspections?run={first}"),
            users[0].clone(),
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("单项否决") && html.contains("1101**********002X"));
        let (status, _) = get(
            "/admin/site-inspections?run=999999".into(),
            users[0].clone(),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        let (status, _) = get("/admin/site-inspections".into(), users[1].clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let denied = audit::recent(&store, 100)
            .await
            .expect("audit")
            .iter()
            .filter(|e| e.action == "access.denied")
            .count();
        // The editor was refused the two downloads and the page, each audited.
        assert_eq!(denied, 3);
        let (status, _) = get("/admin/site-inspections".into(), String::new()).await;
        assert!(status.is_redirection(), "{status}");
    }
}
