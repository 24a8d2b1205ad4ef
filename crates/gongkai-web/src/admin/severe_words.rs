//! The 严重表述错误 list of 网上巡查 (`/admin/severe-words`; 国办秘函〔2019〕19号 单项否决):
//! wrong forms of leaders' names and titles and banned words no page of the site may show.
//! `gongkai inspect --record` and the portal's daily self-inspection use the stored list, or
//! the built-in common wrong forms while it is empty.
//!
//! Edited like the 保密审查 list ([`super::words`]) and by the same role
//! ([`Action::ManageWords`], the reviewer): which wording is wrong is a business decision of
//! the review, not an administrator's.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use gongkai_store::models::severe_word;
use serde::Deserialize;

use super::extract::{Done, Read, Write, act};
use super::frame;
use super::pages::Bar;
use crate::error::render;
use crate::{AppState, Page, PageError};

/// The word list's routes, merged into the back office's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/severe-words", get(page).post(add))
        .route("/admin/severe-words/{id}/delete", post(remove))
}

/// A stored word as the page lists it.
struct WordRow {
    id: i64,
    word: String,
    added_by: String,
}

#[derive(Template)]
#[template(path = "admin/severe_words.html")]
struct WordsPage {
    page: Page,
    bar: Bar,
    words: Vec<WordRow>,
    message: &'static str,
    max: usize,
}

/// The query of the page: `msg` names what just happened.
#[derive(Debug, Default, Deserialize)]
pub struct MsgQuery {
    #[serde(default)]
    msg: Option<String>,
}

/// The form adding a word (or, with an empty word, removing one).
#[derive(Debug, Deserialize)]
pub struct WordForm {
    #[serde(default)]
    word: String,
}

/// `GET /admin/severe-words`: the stored words, with the forms.
pub async fn page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ManageWords>,
    headers: HeaderMap,
    Query(q): Query<MsgQuery>,
) -> Result<Response, PageError> {
    let user = s.user();
    let words = severe_word::list(&state.store)
        .await?
        .into_iter()
        .map(|w| WordRow {
            id: w.id,
            word: w.word,
            added_by: w.added_by,
        })
        .collect();
    let bar = Bar::of(&state, &s).await?;
    Ok(render(&WordsPage {
        page: frame(
            &state,
            &headers,
            "/admin/severe-words",
            "严重表述错误词表",
            Some(user),
        ),
        bar,
        words,
        message: match q.msg.as_deref() {
            Some("added") => "已添加；此后的每次网上巡查都会查找该表述。",
            Some("removed") => "已删除。",
            _ => "",
        },
        max: severe_word::MAX_WORD_CHARS,
    }))
}

/// `POST /admin/severe-words`: adds a word (audited).
pub async fn add(
    State(state): State<AppState>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::ManageWords, WordForm>,
) -> Result<Response, PageError> {
    severe_word::add(&state.store, &s.user().name, &f.word, s.settings.now()).await?;
    Done::to("/admin/severe-words", "added")
}

/// `POST /admin/severe-words/{id}/delete`: removes a stored word (audited).
pub async fn remove(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Write { session: s, .. }: Write<act::ManageWords>,
) -> Result<Response, PageError> {
    severe_word::remove(&state.store, &s.user().name, id).await?;
    Done::to("/admin/severe-words", "removed")
}

#[cfg(test)]
mod tests {
    use crate::AppState;
    use crate::SiteSettings;
    use crate::admin::test_support::{self as support, PASSWORD};
    use crate::admin::{AdminSettings, CookieSecurity, SESSION_COOKIE, router_with};
    use axum::http::StatusCode;
    use gongkai_store::auth::{self, NewUser, Role};
    use gongkai_store::models::agency::{self, AgencyLevel};
    use gongkai_store::models::severe_word;
    use gongkai_store::{Crypto, Store};
    use std::sync::Arc;

    /// The reviewer adds and removes a wrong form (CSRF checked, bad input refused in
    /// Chinese); an editor is refused.
    #[tokio::test]
    async fn the_reviewer_keeps_the_list() {
        let dir = tempfile::tempdir().expect("tempdir");
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = Store::open_with_crypto(&url, Crypto::random())
            .await
            .expect("store");
        let county = agency::ensure(&store, "t", "甲县人民政府", AgencyLevel::County, None, None)
            .await
            .expect("agency")
            .id;
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
                PASSWORD,
                chrono::Utc::now(),
            )
            .await
            .expect("user");
            let s = auth::login(&store, name, PASSWORD, chrono::Utc::now())
                .await
                .expect("login");
            users.push((format!("{SESSION_COOKIE}={}", s.token.as_str()), s.csrf));
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
        let (reviewer, csrf) = &users[0];
        let (status, _, html) = support::get(&app, "/admin/severe-words", reviewer).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("<h1>严重表述错误词表</h1>") && html.contains("暂无"));
        let (status, _, _) = support::post(
            &app,
            "/admin/severe-words",
            reviewer,
            &[("csrf", "forged"), ("word", "社会主意核心价值观")],
        )
        .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _, _) = support::post(
            &app,
            "/admin/severe-words",
            reviewer,
            &[("csrf", csrf), ("word", "社会主意核心价值观")],
        )
        .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let (status, _, html) = support::post(
            &app,
            "/admin/severe-words",
            reviewer,
            &[("csrf", csrf), ("word", "社会主意核心价值观")],
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(html.contains("已在词表中"), "{html}");
        let (_, _, html) = support::get(&app, "/admin/severe-words?msg=added", reviewer).await;
        assert!(html.contains("社会主意核心价值观") && html.contains("已添加"));
        let stored = severe_word::list(&store).await.expect("list");
        assert_eq!(stored.len(), 1);
        let (editor, editor_csrf) = &users[1];
        let (status, _, _) = support::get(&app, "/admin/severe-words", editor).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let delete = format!("/admin/severe-words/{}/delete", stored[0].id);
        let (status, _, _) = support::post(&app, &delete, editor, &[("csrf", editor_csrf)]).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, _, _) = support::post(&app, &delete, reviewer, &[("csrf", csrf)]).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        assert!(severe_word::list(&store).await.expect("list").is_empty());
    }
}
