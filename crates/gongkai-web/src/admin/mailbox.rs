//! The back office of the 县长信箱 (`/admin/mailbox`): the letters of the user's subtree,
//! unanswered first, those waiting more than three months flagged 「超过三个月未答复」 (the
//! website inspection fails a site on them); a letter's page with the writer's contact masked,
//! the reply form and the publishing step.
//!
//! The handler replies ([`Action::ReplyMailbox`]); the head or a reviewer publishes
//! ([`Action::PublishMailbox`]), and only a letter whose writer consented on the public form,
//! once the 保密审查 scan finds no ID, phone or card number in what would be shown (the
//! findings are listed masked and block the step). The handler may set a public text in
//! place of the body to take personal data out. Every form has its CSRF token; every change
//! is one audited transaction in the store.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use chrono::NaiveDate;
use gongkai_store::models::letter::{self, DeskLetter, PublicFinding, PublishResult};
use serde::Deserialize;

use super::access::{self, Action, Target};
use super::cases::mask_phone;
use super::extract::{Done, Read, Write, act};
use super::pages::Bar;
use super::{AdminSession, frame};
use crate::error::render;
use crate::{AppState, Page, PageError};

/// The routes, merged into the back office's router.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/mailbox", get(list))
        .route("/admin/mailbox/{id}", get(letter_page))
        .route("/admin/mailbox/{id}/reply", post(reply))
        .route("/admin/mailbox/{id}/publish", post(publish))
        .route("/admin/mailbox/{id}/withdraw", post(withdraw))
}

/// Masks a writer's contact: an e-mail keeps its first character and domain, anything else
/// its first three and last four characters.
fn mask_contact(s: &str) -> String {
    match s.trim().split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => mask_phone(s),
    }
}

/// The state of a letter, in Chinese.
fn state_label(l: &DeskLetter) -> &'static str {
    match (l.replied_on.is_some(), l.published) {
        (false, _) => "未答复",
        (true, false) => "已答复",
        (true, true) => "已答复，已公开",
    }
}

struct Line {
    letter: DeskLetter,
    state: &'static str,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "admin/mailbox.html")]
struct ListPage {
    page: Page,
    bar: Bar,
    lines: Vec<Line>,
    unanswered: usize,
    overdue: usize,
    today: NaiveDate,
}

/// `GET /admin/mailbox`: the letters of the user's subtree, unanswered first.
pub async fn list(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ReadMailbox>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let root = s.user().agency_id.unwrap_or(state.site.agency_id);
    access::require(
        &state,
        s.user(),
        Action::ReadMailbox,
        Target::Agency(Some(root)),
    )
    .await?;
    let today = s.settings.today();
    let lines: Vec<Line> = letter::desk_list(&state.store, root, 500)
        .await?
        .into_iter()
        .map(|l| Line {
            state: state_label(&l),
            overdue: letter::unanswered_too_long(l.received_on, l.replied_on, today),
            letter: l,
        })
        .collect();
    let page = frame(
        &state,
        &headers,
        "/admin/mailbox",
        "县长信箱",
        Some(s.user()),
    );
    Ok(render(&ListPage {
        page,
        bar: Bar::of(&state, &s).await?,
        unanswered: lines
            .iter()
            .filter(|l| l.letter.replied_on.is_none())
            .count(),
        overdue: lines.iter().filter(|l| l.overdue).count(),
        lines,
        today,
    }))
}

#[derive(Template)]
#[template(path = "admin/mailbox_letter.html")]
struct LetterPage {
    page: Page,
    bar: Bar,
    letter: DeskLetter,
    /// The body, the reply and the public text with personal numbers masked.
    body: String,
    reply: String,
    public_text: String,
    contact: String,
    state: &'static str,
    overdue: bool,
    findings: Vec<PublicFinding>,
    may_reply: bool,
    may_publish: bool,
    today: NaiveDate,
    notice: &'static str,
    error: &'static str,
}

/// The query of the letter page.
#[derive(Debug, Default, Deserialize)]
pub struct LetterQuery {
    #[serde(default)]
    msg: Option<String>,
}

async fn load(
    state: &AppState,
    s: &AdminSession,
    id: i64,
    action: Action,
) -> Result<DeskLetter, PageError> {
    // The role first, before any lookup: a refused role must not learn which ids exist.
    access::require(state, s.user(), action, Target::Unscoped).await?;
    let l = letter::desk_get(&state.store, id).await?;
    access::require(state, s.user(), action, Target::Agency(Some(l.agency_id))).await?;
    Ok(l)
}

async fn show(
    state: &AppState,
    s: &AdminSession,
    headers: &HeaderMap,
    l: DeskLetter,
    notice: &'static str,
    error: &'static str,
    status: StatusCode,
) -> Result<Response, PageError> {
    let contact = letter::writer_contact(&state.store, l.id)
        .await?
        .as_deref()
        .map(mask_contact)
        .unwrap_or_default();
    let today = s.settings.today();
    let user = s.user();
    let page = frame(
        state,
        headers,
        "/admin/mailbox",
        &format!("来信 {}", l.letter_no),
        Some(user),
    );
    let findings = if l.reply.is_some() {
        letter::public_findings(&l)
    } else {
        Vec::new()
    };
    let mut resp = render(&LetterPage {
        page,
        bar: Bar::of(state, s).await?,
        contact,
        state: state_label(&l),
        overdue: letter::unanswered_too_long(l.received_on, l.replied_on, today),
        findings,
        may_reply: access::allowed(user.role, Action::ReplyMailbox),
        may_publish: access::allowed(user.role, Action::PublishMailbox),
        today,
        notice,
        error,
        body: letter::masked(&l.body),
        reply: l.reply.as_deref().map(letter::masked).unwrap_or_default(),
        public_text: letter::masked(l.public_text()),
        letter: l,
    });
    *resp.status_mut() = status;
    Ok(resp)
}

/// `GET /admin/mailbox/{id}`: the letter, its reply and the publishing step.
pub async fn letter_page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ReadMailbox>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<LetterQuery>,
) -> Result<Response, PageError> {
    let l = load(&state, &s, id, Action::ReadMailbox).await?;
    let notice = match q.msg.as_deref() {
        Some("replied") => "答复已保存。",
        Some("published") => "已在县长信箱栏目公开。",
        Some("withdrawn") => "已撤回公开。",
        _ => "",
    };
    show(&state, &s, &headers, l, notice, "", StatusCode::OK).await
}

/// The reply form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct ReplyForm {
    #[serde(default)]
    reply: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    public_body: String,
}

/// `POST /admin/mailbox/{id}/reply`: saves the reply (and the public text).
pub async fn reply(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::ReplyMailbox, ReplyForm>,
) -> Result<Response, PageError> {
    let l = load(&state, &s, id, Action::ReplyMailbox).await?;
    let on = NaiveDate::parse_from_str(f.on.trim(), "%Y-%m-%d")
        .map_err(|_| PageError::unprocessable("答复日期格式不正确，应为“年-月-日”。"))?;
    if f.reply.chars().count() > 5000 || f.public_body.chars().count() > 5000 {
        return Err(PageError::unprocessable(
            "答复和公开文本各不能超过5000个字。",
        ));
    }
    // The public text equal to the body is no separate text.
    let public = Some(f.public_body.trim()).filter(|p| !p.is_empty() && *p != l.body.trim());
    letter::answer(&state.store, &s.user().name, id, &f.reply, on, public).await?;
    Done::to(&format!("/admin/mailbox/{id}"), "replied")
}

/// `POST /admin/mailbox/{id}/publish`: publishes the letter and its reply if the writer
/// consented and the scan finds nothing; otherwise the page again, with the masked findings.
pub async fn publish(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Write { session: s, .. }: Write<act::PublishMailbox>,
) -> Result<Response, PageError> {
    let l = load(&state, &s, id, Action::PublishMailbox).await?;
    if !l.publish_consent {
        return show(
            &state,
            &s,
            &headers,
            l,
            "",
            "来信人未同意公开来信内容，不能公开。",
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match letter::publish(&state.store, &s.user().name, id)
        .await?
    {
        PublishResult::Published => {
            Done::to(&format!("/admin/mailbox/{id}"), "published")
        }
        PublishResult::Blocked(_) => {
            show(
                &state,
                &s,
                &headers,
                l,
                "",
                "公开内容中含有个人信息（见下方检查结果），未公开。请承办人修改公开文本或答复后再公开。",
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

/// `POST /admin/mailbox/{id}/withdraw`: takes the letter off the public mailbox.
pub async fn withdraw(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Write { session: s, .. }: Write<act::PublishMailbox>,
) -> Result<Response, PageError> {
    load(&state, &s, id, Action::PublishMailbox).await?;
    letter::withdraw(&state.store, &s.user().name, id).await?;
    Done::to(&format!("/admin/mailbox/{id}"), "withdrawn")
}

#[cfg(test)]
#[path = "casework_tests.rs"]
mod casework_tests;
