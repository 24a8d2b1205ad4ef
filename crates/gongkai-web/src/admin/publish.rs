//! The publishing gate of the back office (先审后发): an editor drafts an item (标题, 文号,
//! 类别, 正文), the automatic 保密审查 scan runs at once and the item waits in the reviewers'
//! queue with the scan's masked findings; a reviewer resolves each blocking finding and
//! approves (the item is published and search and the page cache updated at once) or returns
//! it. Nobody approves their own item: the store refuses it whatever the role.
//!
//! Every handler resolves the session, asks [`access::require`] with the item's agency and
//! checks the CSRF token of a form before it changes anything.

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use gongkai_store::StoreError;
use gongkai_store::models::agency;
use gongkai_store::models::proactive_item::{self, DocType, NewItem};
use gongkai_store::models::publishing::{self, StoredFinding, WordList};
use serde::Deserialize;

use super::access::{self, Action, Target};
use super::pages::Bar;
use super::{AdminSession, frame};
use crate::error::render;
use crate::{AppState, Page, PageError};

/// The gate's routes, merged into the back office's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/publish", get(publish_page))
        .route("/admin/publish/drafts", post(draft))
        .route("/admin/publish/{id}/findings/{finding}", post(resolve))
        .route("/admin/publish/{id}/approve", post(approve))
        .route("/admin/publish/{id}/return", post(return_item))
}

/// One item of the reviewers' queue.
struct QueueRow {
    id: i64,
    title: String,
    index_no: String,
    own: bool,
    findings: Vec<StoredFinding>,
}

#[derive(Template)]
#[template(path = "admin/publish.html")]
struct PublishPage {
    page: Page,
    bar: Bar,
    may_draft: bool,
    may_review: bool,
    queue: Vec<QueueRow>,
    message: &'static str,
}

/// The query of the page: `msg` names what just happened.
#[derive(Debug, Default, Deserialize)]
pub struct MsgQuery {
    #[serde(default)]
    msg: Option<String>,
}

/// The drafting form.
#[derive(Debug, Deserialize)]
pub struct DraftForm {
    csrf: String,
    title: String,
    #[serde(default)]
    doc_number: String,
    #[serde(default)]
    category: String,
    body: String,
}

/// A form with only its CSRF token (and a reason for a return).
#[derive(Debug, Deserialize)]
pub struct ActionForm {
    csrf: String,
    #[serde(default)]
    reason: String,
}

fn root(state: &AppState, s: &AdminSession) -> i64 {
    s.user().agency_id.unwrap_or(state.site.agency_id)
}

fn refused(message: impl Into<String>) -> PageError {
    PageError {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        message: message.into(),
    }
}

/// A store refusal (one's own item, an unresolved finding) is shown as it is: 403 for one's
/// own item, 422 for the rest; anything else stays a server error.
fn store_err(e: StoreError) -> PageError {
    match e {
        StoreError::Invalid(m) if m == publishing::SELF_REVIEW => PageError {
            status: StatusCode::FORBIDDEN,
            message: m,
        },
        StoreError::Invalid(m) => refused(m),
        other => other.into(),
    }
}

fn message(msg: Option<&str>) -> &'static str {
    match msg {
        Some("drafted") => "已提交，保密审查扫描已完成，等待审核。",
        Some("resolved") => "已确认处理该项发现。",
        Some("published") => "已审核通过并发布。",
        Some("returned") => "已退回起草人。",
        _ => "",
    }
}

fn doc_type(key: &str) -> DocType {
    match key {
        "regulation" => DocType::Regulation,
        "normative_document" => DocType::NormativeDocument,
        "interpretation" => DocType::Interpretation,
        _ => DocType::Other,
    }
}

/// The word list of the scan: the built-in markers (绝密, 内部资料 …).
fn words() -> WordList {
    WordList::default()
}

/// `GET /admin/publish`: the drafting form for an editor, the queue for a reviewer.
pub async fn publish_page(
    State(state): State<AppState>,
    s: AdminSession,
    headers: HeaderMap,
    Query(q): Query<MsgQuery>,
) -> Result<Response, PageError> {
    let user = s.user();
    let may_draft = access::allowed(user.role, Action::DraftItem);
    let may_review = access::allowed(user.role, Action::ReviewItem);
    let action = if may_review {
        Action::ReviewItem
    } else {
        Action::DraftItem
    };
    access::require(&state, user, action, Target::Agency(Some(root(&state, &s)))).await?;
    let mut queue = Vec::new();
    if may_review {
        for item in publishing::review_queue(&state.store).await? {
            if !access::in_scope(&state, user, Some(item.agency_id)).await? {
                continue;
            }
            let draft = publishing::get_draft(&state.store, item.id).await?;
            queue.push(QueueRow {
                id: item.id,
                own: draft.author_id == Some(user.id.0),
                findings: publishing::findings(&state.store, item.id).await?,
                title: item.title,
                index_no: item.index_no,
            });
        }
    }
    let bar = Bar {
        name: user.name.clone(),
        role: user.role.label(),
        agency: match user.agency_id {
            None => "全部机关".to_string(),
            Some(a) => agency::get(&state.store, a).await?.name,
        },
        csrf: s.session.csrf.clone(),
    };
    Ok(render(&PublishPage {
        page: frame(&state, &headers, "/admin/publish", "信息发布", Some(user)),
        bar,
        may_draft,
        may_review,
        queue,
        message: message(q.msg.as_deref()),
    }))
}

/// `POST /admin/publish/drafts`: records the draft (author: the user) and scans it.
pub async fn draft(
    State(state): State<AppState>,
    s: AdminSession,
    Form(f): Form<DraftForm>,
) -> Result<Response, PageError> {
    let agency_id = root(&state, &s);
    access::require(
        &state,
        s.user(),
        Action::DraftItem,
        Target::Agency(Some(agency_id)),
    )
    .await?;
    s.check_csrf(&f.csrf)?;
    let title = f.title.trim();
    if title.is_empty() || f.body.trim().is_empty() {
        return Err(refused("标题和正文不能为空。"));
    }
    let now = s.settings.now();
    let publisher = agency::get(&state.store, agency_id).await?.name;
    let doc_number = f.doc_number.trim();
    let item = NewItem {
        agency_id,
        title: title.to_string(),
        summary: String::new(),
        publisher,
        written_on: Some(now.date_naive()),
        published_on: None,
        doc_number: (!doc_number.is_empty()).then(|| doc_number.to_string()),
        topic: String::new(),
        genre: String::new(),
        doc_type: doc_type(f.category.trim()),
        art20_item: None,
        unit: String::new(),
        status: "draft".to_string(),
    };
    let user = s.user();
    let created = publishing::submit_draft(&state.store, &user.name, user.id.0, &item, &f.body)
        .await
        .map_err(store_err)?;
    publishing::scan_item(&state.store, &user.name, created.id, &words(), now)
        .await
        .map_err(store_err)?;
    Ok(Redirect::to("/admin/publish?msg=drafted").into_response())
}

/// Loads an item and checks the user may act on it (`action`, the item's agency).
async fn load(
    state: &AppState,
    s: &AdminSession,
    id: i64,
    action: Action,
) -> Result<proactive_item::ProactiveItem, PageError> {
    let item = proactive_item::get(&state.store, id).await?;
    access::require(
        state,
        s.user(),
        action,
        Target::Agency(Some(item.agency_id)),
    )
    .await?;
    Ok(item)
}

/// `POST /admin/publish/{id}/findings/{finding}`: the reviewer resolves one finding.
pub async fn resolve(
    State(state): State<AppState>,
    s: AdminSession,
    Path((id, finding)): Path<(i64, i64)>,
    Form(f): Form<ActionForm>,
) -> Result<Response, PageError> {
    load(&state, &s, id, Action::ReviewItem).await?;
    s.check_csrf(&f.csrf)?;
    if !publishing::findings(&state.store, id)
        .await?
        .iter()
        .any(|x| x.id == finding)
    {
        return Err(PageError::not_found("该项发现不存在。"));
    }
    let user = s.user();
    publishing::resolve_finding(
        &state.store,
        &user.name,
        finding,
        user.id.0,
        f.reason.trim(),
        s.settings.now(),
    )
    .await
    .map_err(store_err)?;
    Ok(Redirect::to("/admin/publish?msg=resolved").into_response())
}

/// `POST /admin/publish/{id}/approve`: publishes (not one's own item, no open finding) and
/// updates search and the page cache at once.
pub async fn approve(
    State(state): State<AppState>,
    s: AdminSession,
    Path(id): Path<i64>,
    Form(f): Form<ActionForm>,
) -> Result<Response, PageError> {
    load(&state, &s, id, Action::PublishItem).await?;
    s.check_csrf(&f.csrf)?;
    let user = s.user();
    let now = s.settings.now();
    // 发布日期: the Beijing date (UTC+8, no daylight saving).
    let on = (now + chrono::Duration::hours(8)).date_naive();
    publishing::approve(&state.store, &user.name, id, user.id.0, on, now)
        .await
        .map_err(store_err)?;
    state.item_changed(id).await.map_err(PageError::internal)?;
    Ok(Redirect::to("/admin/publish?msg=published").into_response())
}

/// `POST /admin/publish/{id}/return`: returns the item to its author with a reason.
pub async fn return_item(
    State(state): State<AppState>,
    s: AdminSession,
    Path(id): Path<i64>,
    Form(f): Form<ActionForm>,
) -> Result<Response, PageError> {
    load(&state, &s, id, Action::ReviewItem).await?;
    s.check_csrf(&f.csrf)?;
    let user = s.user();
    publishing::return_to_author(
        &state.store,
        &user.name,
        id,
        user.id.0,
        f.reason.trim(),
        s.settings.now(),
    )
    .await
    .map_err(store_err)?;
    Ok(Redirect::to("/admin/publish?msg=returned").into_response())
}

#[cfg(test)]
mod tests {
    //! The gate through its routes on a temporary SQLite store: the author is refused
    //! approving their own item; a reviewer approves another's clean item, which is published.

    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use std::sync::Arc;

    use axum::Router;
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use chrono::Utc;
    use gongkai_search::SearchIndex;
    use gongkai_store::auth::{self, NewUser, Role};
    use gongkai_store::models::agency::{self, AgencyLevel};
    use gongkai_store::models::{proactive_item, publishing};
    use gongkai_store::{Crypto, Store};
    use tower::ServiceExt;

    use super::super::SESSION_COOKIE;
    use crate::{AppState, SiteSettings};

    const PASSWORD: &str = "Test-Secret-2026";

    async fn sign_in(state: &AppState, name: &str, role: Role, agency_id: i64) -> (String, String) {
        auth::create_user(
            &state.store,
            "cli",
            &NewUser {
                name: name.into(),
                role,
                agency_id: Some(agency_id),
            },
            PASSWORD,
            Utc::now(),
        )
        .await
        .unwrap();
        let s = auth::login(&state.store, name, PASSWORD, Utc::now())
            .await
            .unwrap();
        (
            format!("{SESSION_COOKIE}={}", s.token.as_str()),
            s.csrf.clone(),
        )
    }

    async fn post(app: &Router, path: &str, cookie: &str, body: String) -> StatusCode {
        app.clone()
            .oneshot(
                Request::post(path)
                    .header(header::COOKIE, cookie)
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await
            .unwrap()
            .status()
    }

    #[tokio::test]
    async fn nobody_approves_their_own_item() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = Store::open_with_crypto(&url, Crypto::random())
            .await
            .unwrap();
        let county = agency::ensure(
            &store,
            "t",
            "甲县人民政府",
            AgencyLevel::County,
            None,
            Some("11410000MB0000000X"),
        )
        .await
        .unwrap()
        .id;
        let site = SiteSettings {
            site_name: "甲县人民政府".into(),
            agency_id: county,
            site_code: "0000000000".into(),
            icp: "豫ICP备00000000号".into(),
        };
        let state = AppState::new(store, site, Arc::new(SearchIndex::in_memory().unwrap()));
        let app = Router::new()
            .merge(super::routes())
            .with_state(state.clone());
        let (editor, editor_csrf) = sign_in(&state, "bianji", Role::Editor, county).await;
        let (reviewer, reviewer_csrf) = sign_in(&state, "shenhe", Role::Reviewer, county).await;

        // The editor drafts a clean item; the scan runs and it waits in review.
        let form = format!(
            "csrf={editor_csrf}&title=%E9%80%9A%E7%9F%A5&doc_number=&category=other&body=%E8%AF%B7%E5%81%9A%E5%A5%BD%E6%98%A5%E8%80%95%E5%B7%A5%E4%BD%9C%E3%80%82"
        );
        assert_eq!(
            post(&app, "/admin/publish/drafts", &editor, form).await,
            StatusCode::SEE_OTHER
        );
        let queue = publishing::review_queue(&state.store).await.unwrap();
        assert_eq!(queue.len(), 1);
        let id = queue[0].id;

        // The reviewer's queue lists it, without the approve buttons for the author.
        let page = app
            .clone()
            .oneshot(
                Request::get("/admin/publish")
                    .header(header::COOKIE, &reviewer)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(page.status(), StatusCode::OK);

        // The author may not approve it.
        let approve = format!("/admin/publish/{id}/approve");
        assert_eq!(
            post(&app, &approve, &editor, format!("csrf={editor_csrf}")).await,
            StatusCode::FORBIDDEN
        );
        // Nor may anyone without the session's CSRF token.
        assert_eq!(
            post(&app, &approve, &reviewer, "csrf=forged".into()).await,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            proactive_item::get(&state.store, id).await.unwrap().status,
            "in_review"
        );

        // Another user, the reviewer, approves: published with its date.
        assert_eq!(
            post(&app, &approve, &reviewer, format!("csrf={reviewer_csrf}")).await,
            StatusCode::SEE_OTHER
        );
        let item = proactive_item::get(&state.store, id).await.unwrap();
        assert_eq!(item.status, "published");
        assert!(item.published_on.is_some());
    }
}
