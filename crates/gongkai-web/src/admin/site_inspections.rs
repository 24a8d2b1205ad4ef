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
use super::pages::Bar;
use super::{AdminSession, frame};
use crate::error::render;
use crate::{AppState, Page, PageError};

/// Runs listed on the page.
const LISTED: i64 = 50;
/// Runs in the trend table.
const TREND: usize = 10;

/// The rule ids of the spec with their Chinese names, in the order the trend lists them.
const RULES: [(&str, &str); 8] = [
    ("SITE-UNREACHABLE", "站点无法访问"),
    ("HOME-STALE", "首页长期未更新"),
    ("COLUMN-STALE", "栏目不更新"),
    ("COLUMN-BLANK", "空白栏目"),
    ("LINK-BROKEN", "链接不可用"),
    ("DATE-MISSING", "未标注发布日期"),
    ("PII-EXPOSED", "泄露个人信息"),
    ("LETTER-UNANSWERED", "留言超期未回复"),
];

/// The page's routes, merged into the back office's router.
pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/site-inspections", get(page))
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
    s: AdminSession,
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
        bar: Bar {
            name: user.name.clone(),
            role: user.role.label(),
            agency,
            csrf: s.session.csrf.clone(),
        },
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
        assert_eq!(t.len(), 8);
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
            findings: vec![NewFinding {
                rule: "PII-EXPOSED",
                veto: true,
                url: "http://127.0.0.1:8080/p/1",
                detail: "页面显示个人信息：居民身份证号 1101**********002X",
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
            html.contains(&format!("第{second}次巡查发现的问题（合格）")),
            "{html}"
        );
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
        assert_eq!(denied, 1);
        let (status, _) = get("/admin/site-inspections".into(), String::new()).await;
        assert!(status.is_redirection(), "{status}");
    }
}
