//! The editable word list of the 保密审查 scan (`/admin/words`): the built-in markers of
//! `gongkai-review`, which stay, and the agency's own words, which a reviewer adds and
//! removes. Every scan of the publishing gate uses both.
//!
//! The page belongs to the reviewer ([`Action::ManageWords`]), not to the system admin: the
//! list decides what the gate blocks, a business decision of the 保密审查, and the 三员 keep
//! the administrators out of business decisions.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use gongkai_store::models::publishing::WordList;
use gongkai_store::models::sensitive_word;
use serde::Deserialize;

use super::extract::{Done, Read, Write, act};
use super::frame;
use super::pages::Bar;
use crate::error::render;
use crate::{AppState, Page, PageError};

/// The word list's routes, merged into the back office's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/words", get(page).post(add))
        .route("/admin/words/{id}/delete", post(remove))
}

/// A stored word as the page lists it.
struct WordRow {
    id: i64,
    word: String,
    added_by: String,
}

#[derive(Template)]
#[template(path = "admin/words.html")]
struct WordsPage {
    page: Page,
    bar: Bar,
    builtin: Vec<String>,
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

/// `GET /admin/words`: the built-in markers and the stored words, with the forms.
pub async fn page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ManageWords>,
    headers: HeaderMap,
    Query(q): Query<MsgQuery>,
) -> Result<Response, PageError> {
    let user = s.user();
    let words = sensitive_word::list(&state.store)
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
        page: frame(&state, &headers, "/admin/words", "敏感词表", Some(user)),
        bar,
        builtin: WordList::default().words().map(str::to_string).collect(),
        words,
        message: match q.msg.as_deref() {
            Some("added") => "已添加；此后的每次保密审查扫描都会查找该词。",
            Some("removed") => "已删除。",
            _ => "",
        },
        max: sensitive_word::MAX_WORD_CHARS,
    }))
}

/// `POST /admin/words`: adds a word (audited).
pub async fn add(
    State(state): State<AppState>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::ManageWords, WordForm>,
) -> Result<Response, PageError> {
    sensitive_word::add(&state.store, &s.user().name, &f.word, s.settings.now()).await?;
    Done::to("/admin/words", "added")
}

/// `POST /admin/words/{id}/delete`: removes a stored word (audited).
pub async fn remove(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Write { session: s, .. }: Write<act::ManageWords>,
) -> Result<Response, PageError> {
    sensitive_word::remove(&state.store, &s.user().name, id).await?;
    Done::to("/admin/words", "removed")
}
