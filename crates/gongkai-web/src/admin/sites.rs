//! 网站管理 (`/admin/sites`, issue 17.1): the sites of a 集约化 platform — which agency's
//! portal answers on which host names — listed with their 网站标识码, and a site (or a host of
//! one) added by the 系统管理员, within the agencies of their subtree (a platform's system
//! admin, without an agency, reaches all). Stored by `gongkai_store::models::site` (audited);
//! the nodes serve a new site after a restart, which the page says.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use gongkai_store::StoreError;
use gongkai_store::models::{agency, site, site_settings};
use serde::Deserialize;

use super::access::{self, Action, Target};
use super::extract::{Done, Read, Write, act};
use super::pages::Bar;
use super::{AdminSession, frame};
use crate::error::render;
use crate::{AppState, Page, PageError};

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/sites", get(page).post(add))
}

/// One site as listed.
struct Row {
    name: String,
    agency: String,
    hosts: String,
    site_code: String,
    here: bool,
}

#[derive(Template)]
#[template(path = "admin/sites.html")]
struct SitesPage {
    page: Page,
    bar: Bar,
    rows: Vec<Row>,
    agencies: Vec<(i64, String, bool)>,
    name: String,
    hosts: String,
    notice: &'static str,
    error: String,
    max: usize,
}

/// The form.
#[derive(Debug, Default, Deserialize)]
pub struct AddForm {
    #[serde(default)]
    agency: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    hosts: String,
}

/// `?msg=` after a redirect.
#[derive(Debug, Default, Deserialize)]
pub struct Msg {
    #[serde(default)]
    msg: Option<String>,
}

async fn show(
    state: &AppState,
    s: &AdminSession,
    headers: &HeaderMap,
    form: &AddForm,
    notice: &'static str,
    error: String,
) -> Result<Response, PageError> {
    let user = s.user();
    let all = agency::list(&state.store).await?;
    let scope = match user.agency_id {
        Some(root) => Some(agency::subtree_ids(&state.store, root).await?),
        None => None,
    };
    let visible = |id: i64| scope.as_ref().is_none_or(|ids| ids.contains(&id));
    let name_of = |id: i64| {
        all.iter()
            .find(|a| a.id == id)
            .map_or_else(|| id.to_string(), |a| a.name.clone())
    };
    let mut rows = Vec::new();
    for st in site::list(&state.store).await? {
        if !visible(st.agency_id) {
            continue;
        }
        let code = site_settings::get(&state.store, st.agency_id)
            .await?
            .map(|x| x.site_code)
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| "—".to_string());
        rows.push(Row {
            agency: name_of(st.agency_id),
            hosts: st.hosts.join("、"),
            here: st.agency_id == state.site.agency_id,
            name: st.name,
            site_code: code,
        });
    }
    let chosen = form.agency.trim().parse::<i64>().ok();
    let agencies = all
        .iter()
        .filter(|a| visible(a.id))
        .map(|a| (a.id, a.name.clone(), Some(a.id) == chosen))
        .collect();
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut resp = render(&SitesPage {
        page: frame(state, headers, "/admin/sites", "网站管理", Some(user)),
        bar: Bar::of(state, s).await?,
        rows,
        agencies,
        name: form.name.clone(),
        hosts: form.hosts.clone(),
        notice,
        error,
        max: site::NAME_MAX,
    });
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /admin/sites`
pub async fn page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ManageSites>,
    headers: HeaderMap,
    Query(q): Query<Msg>,
) -> Result<Response, PageError> {
    let notice = match q.msg.as_deref() {
        Some("added") => "已保存。请在各节点重启服务后按新域名访问，并在反向代理中加入该域名。",
        _ => "",
    };
    show(
        &state,
        &s,
        &headers,
        &AddForm::default(),
        notice,
        String::new(),
    )
    .await
}

/// `POST /admin/sites`: adds a site, or host names to a site.
pub async fn add(
    State(state): State<AppState>,
    headers: HeaderMap,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::ManageSites, AddForm>,
) -> Result<Response, PageError> {
    access::require(&state, s.user(), Action::ManageSites, Target::Unscoped).await?;
    let Some(agency_id) = f.agency.trim().parse::<i64>().ok() else {
        return show(&state, &s, &headers, &f, "", "请选择机关。".to_string()).await;
    };
    // The agency must lie in the admin's subtree (audited refusal otherwise).
    access::require(
        &state,
        s.user(),
        Action::ManageSites,
        Target::Agency(Some(agency_id)),
    )
    .await?;
    let hosts: Vec<String> = f
        .hosts
        .split(|c: char| c.is_whitespace() || c == ',' || c == '，' || c == '、')
        .filter(|h| !h.is_empty())
        .map(str::to_string)
        .collect();
    if hosts.is_empty() {
        return show(
            &state,
            &s,
            &headers,
            &f,
            "",
            "请填写至少一个域名。".to_string(),
        )
        .await;
    }
    if let Some(bad) = hosts.iter().find(|h| site::normalize_host(h).is_none()) {
        let error =
            format!("域名「{bad}」无效：只能包含字母、数字、连字符和点，如 jyj.xiayi.gov.cn。");
        return show(&state, &s, &headers, &f, "", error).await;
    }
    let name = match f.name.trim() {
        "" => agency::get(&state.store, agency_id).await?.name,
        n => n.to_string(),
    };
    match site::add(&state.store, &s.user().name, agency_id, &name, &hosts).await {
        Ok(_) => Done::to("/admin/sites", "added"),
        Err(StoreError::Refused(why)) => {
            show(&state, &s, &headers, &f, "", format!("{why}。")).await
        }
        Err(e) => Err(e.into()),
    }
}
