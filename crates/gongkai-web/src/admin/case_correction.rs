//! The handler's side of 补正 answers on the case page: what the applicant sent (online on
//! /track, or recorded here from post or in person), the files to download, and the decision
//! on a late answer (认可逾期补正), which records the corrected application on the day it was
//! received. Every handler resolves the role before any lookup ([`cases::load_case`]).

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use gongkai_store::models::correction::{self, CorrectionAnswer, CorrectionChannel};

use super::access::Action;
use super::cases;
use super::extract::{Done, Read, Write, act};
use crate::{AppState, PageError};

/// The routes, merged into the desk's.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/admin/cases/{id}/corrections/{answer}/accept",
            post(accept_late),
        )
        .route("/admin/cases/{id}/correction-files/{file}", get(download))
}

/// An answer as the case page lists it.
pub struct AnswerView {
    /// The answer.
    pub answer: CorrectionAnswer,
    /// 网上提交 / 邮寄 / 当面提交.
    pub channel: &'static str,
    /// What became of it.
    pub state: &'static str,
    /// Whether the handler can still accept it (late, not yet recorded).
    pub may_accept: bool,
}

/// The answers of case `id` for its page.
pub async fn for_case(state: &AppState, id: i64) -> Result<Vec<AnswerView>, PageError> {
    Ok(correction::answers(&state.store, id)
        .await?
        .into_iter()
        .map(|a| AnswerView {
            channel: a.channel.label(),
            state: match (a.event_id, a.late) {
                (Some(_), false) => "已记录为收到补正，答复期限重新计算",
                (Some(_), true) => "逾期补正，已认可并记录为收到补正",
                (None, _) => "逾期补正，待承办人决定",
            },
            may_accept: a.event_id.is_none(),
            answer: a,
        })
        .collect())
}

/// The channel of a correction the handler records (by post or in person).
pub fn offline_channel(key: &str) -> CorrectionChannel {
    match key {
        "in_person" => CorrectionChannel::InPerson,
        _ => CorrectionChannel::Post,
    }
}

/// `POST /admin/cases/{id}/corrections/{answer}/accept`: the handler accepts a late answer.
pub async fn accept_late(
    State(state): State<AppState>,
    Path((id, answer)): Path<(i64, i64)>,
    Write { session: s, .. }: Write<act::Reply>,
) -> Result<Response, PageError> {
    cases::load_case(&state, &s, id, Action::Reply).await?;
    correction::accept_late(&state.store, &s.user().name, id, answer).await?;
    Done::to(&format!("/admin/cases/{id}"), "event")
}

/// `GET /admin/cases/{id}/correction-files/{file}`: a file the applicant sent, as a download
/// (never shown inline).
pub async fn download(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ReadApplications>,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    cases::load_case(&state, &s, id, Action::ReadApplications).await?;
    let (meta, bytes) = correction::file(&state.store, id, file)
        .await?
        .ok_or_else(|| PageError::not_found("未找到该附件。"))?;
    Ok(super::publish::download_response(
        &meta.file_name,
        &meta.media_type,
        bytes,
    ))
}
