//! 接口令牌 (`/admin/api-tokens`, issue 18.3): the security admin issues a token to a named
//! caller of the report checker (a provincial system, a superior office's script) with its
//! scopes, sees every token with its prefix, issuer and last use, and revokes one. The secret
//! is shown once, on the answer to the issuing post, and never again (only its hash is kept:
//! `gongkai_store::models::api_token`). Issuing and revoking are audited by the store.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{TimeZone, Utc};
use gongkai_store::StoreError;
use gongkai_store::models::api_token::{self, CALLER_MAX, Scope};
use serde::Deserialize;

use super::access::{self, Action, Target};
use super::extract::{Done, Read, Write, act};
use super::pages::Bar;
use super::{AdminSession, beijing, frame};
use crate::error::render;
use crate::{AppState, Page, PageError};

/// The routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/api-tokens", get(page).post(issue))
        .route("/admin/api-tokens/{id}/revoke", post(revoke))
}

/// One token as listed.
struct Row {
    id: i64,
    unit: String,
    prefix: String,
    scopes: String,
    issued: String,
    last_used: String,
    status: String,
    active: bool,
}

/// A scope offered on the form.
struct ScopeChoice {
    key: &'static str,
    label: &'static str,
    checked: bool,
}

#[derive(Template)]
#[template(path = "admin/api_tokens.html")]
struct TokensPage {
    page: Page,
    bar: Bar,
    rows: Vec<Row>,
    scopes: Vec<ScopeChoice>,
    caller_name: String,
    max: usize,
    notice: &'static str,
    error: String,
    /// The secret just issued, shown this once.
    issued: Option<(String, String)>,
}

/// The issuing form: `caller` and one `scope` per checked box (the extractor has read `csrf`). Read as name–value
/// pairs, because a struct cannot take a repeated name from serde_urlencoded.
#[derive(Debug, Default)]
pub struct IssueForm {
    caller: String,
    scope: Vec<String>,
}

impl IssueForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> IssueForm {
        let mut f = IssueForm::default();
        for (name, value) in pairs {
            match name.as_str() {
                "caller" => f.caller = value,
                "scope" => f.scope.push(value),
                _ => {}
            }
        }
        f
    }
}

/// `?msg=` after a redirect.
#[derive(Debug, Default, Deserialize)]
pub struct Msg {
    #[serde(default)]
    msg: Option<String>,
}

fn at(secs: i64) -> String {
    Utc.timestamp_opt(secs, 0)
        .single()
        .map_or_else(|| "—".to_string(), beijing)
}

struct Shown<'a> {
    caller: &'a str,
    checked: &'a [Scope],
    notice: &'static str,
    error: String,
    issued: Option<(String, String)>,
    status: StatusCode,
}

async fn show(
    state: &AppState,
    s: &AdminSession,
    headers: &HeaderMap,
    shown: Shown<'_>,
) -> Result<Response, PageError> {
    let rows = api_token::list(&state.store)
        .await?
        .into_iter()
        .map(|t| Row {
            id: t.id,
            scopes: t
                .scopes
                .iter()
                .map(|s| s.label())
                .collect::<Vec<_>>()
                .join("、"),
            issued: format!("{}（{}）", at(t.issued_at), t.issued_by),
            last_used: t.last_used_at.map_or_else(|| "从未使用".to_string(), at),
            status: match &t.revoked {
                None => "有效".to_string(),
                Some((by, when)) => format!("已吊销（{}，{by}）", at(*when)),
            },
            active: t.is_active(),
            unit: t.caller,
            prefix: t.prefix,
        })
        .collect();
    let scopes = Scope::ALL
        .iter()
        .map(|sc| ScopeChoice {
            key: sc.key(),
            label: sc.label(),
            checked: shown.checked.contains(sc),
        })
        .collect();
    let mut resp = render(&TokensPage {
        page: frame(
            state,
            headers,
            "/admin/api-tokens",
            "接口令牌",
            Some(s.user()),
        ),
        bar: Bar::of(state, s).await?,
        rows,
        scopes,
        caller_name: shown.caller.to_string(),
        max: CALLER_MAX,
        notice: shown.notice,
        error: shown.error,
        issued: shown.issued,
    });
    *resp.status_mut() = shown.status;
    Ok(resp)
}

/// `GET /admin/api-tokens`: the tokens and the issuing form.
pub async fn page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ManageApiTokens>,
    headers: HeaderMap,
    Query(q): Query<Msg>,
) -> Result<Response, PageError> {
    let notice = match q.msg.as_deref() {
        Some("revoked") => "已吊销。使用该令牌的调用立即被拒绝。",
        _ => "",
    };
    show(
        &state,
        &s,
        &headers,
        Shown {
            caller: "",
            checked: &Scope::ALL,
            notice,
            error: String::new(),
            issued: None,
            status: StatusCode::OK,
        },
    )
    .await
}

/// `POST /admin/api-tokens`: issues a token and shows its secret this once (no redirect: the
/// secret must not be put in an address or kept anywhere the server can show it again).
pub async fn issue(
    State(state): State<AppState>,
    headers: HeaderMap,
    Write {
        session: s,
        form: pairs,
        ..
    }: Write<act::ManageApiTokens, Vec<(String, String)>>,
) -> Result<Response, PageError> {
    access::require(&state, s.user(), Action::ManageApiTokens, Target::Unscoped).await?;
    let f = IssueForm::from_pairs(pairs);
    let scopes: Vec<Scope> = f.scope.iter().filter_map(|k| Scope::from_key(k)).collect();
    let caller = f.caller.trim();
    let error = if caller.is_empty() {
        "请填写使用单位（调用接口的系统或单位名称）。".to_string()
    } else if caller.chars().count() > CALLER_MAX {
        format!("使用单位至多{CALLER_MAX}个字。")
    } else if scopes.is_empty() {
        "请至少选择一项权限。".to_string()
    } else {
        String::new()
    };
    if !error.is_empty() {
        return show(
            &state,
            &s,
            &headers,
            Shown {
                caller,
                checked: &scopes,
                notice: "",
                error,
                issued: None,
                status: StatusCode::UNPROCESSABLE_ENTITY,
            },
        )
        .await;
    }
    let issued = api_token::issue(&state.store, &s.user().name, caller, &scopes).await?;
    let mut resp = show(
        &state,
        &s,
        &headers,
        Shown {
            caller: "",
            checked: &Scope::ALL,
            notice: "",
            error: String::new(),
            issued: Some((issued.token.caller, issued.secret)),
            status: StatusCode::OK,
        },
    )
    .await?;
    resp.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    Ok(resp)
}

/// `POST /admin/api-tokens/{id}/revoke`
pub async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Write { session: s, .. }: Write<act::ManageApiTokens>,
) -> Result<Response, PageError> {
    access::require(&state, s.user(), Action::ManageApiTokens, Target::Unscoped).await?;
    match api_token::revoke(&state.store, &s.user().name, id).await {
        Ok(_) => Done::to("/admin/api-tokens", "revoked"),
        Err(StoreError::NotFound(_)) => Err(PageError {
            status: StatusCode::NOT_FOUND,
            message: "没有这个接口令牌。".to_string(),
        }),
        Err(e) => Err(e.into()),
    }
}
