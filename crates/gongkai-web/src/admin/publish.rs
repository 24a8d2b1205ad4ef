//! The publishing gate of the back office (先审后发): an editor drafts an item (标题, 文号,
//! 类别, 正文), the automatic 保密审查 scan runs at once and the item waits in the reviewers'
//! queue with the scan's masked findings; a reviewer clears each finding — 遮盖 (the system
//! rewrites the text with the masked form and scans again) or an exception with a category and
//! a written reason — or returns the item for the editor to change the text, and approves (the
//! store scans the final texts again; the item is published and search and the page cache
//! updated at once). No button clears a finding without changing the text or recording why it
//! may be published, and no page shows a found number in clear: bodies are shown with every
//! finding masked. Nobody approves their own item: the store refuses it whatever the role.
//! The exceptions are listed for the head (`/admin/publish/exceptions` and the dashboard).
//!
//! The rest of the item's life goes through the same gate, on the item's page
//! (`/admin/publish/{id}`): the editor edits a returned item and resubmits it (scanned again);
//! a published item is changed by a revision, scanned and reviewed while the portal keeps the
//! published version; attachments (multipart upload, no JavaScript) are scanned like the body;
//! a reviewer or the head repeals (废止) or withdraws (撤回) a published item, and search and
//! the page cache follow at once.
//!
//! Every handler resolves the session, asks [`access::require`] with the item's agency and
//! checks the CSRF token of a form before it changes anything.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};

use gongkai_law::beijing_date;
use gongkai_review::FindingClass;
use gongkai_store::auth::Role;
use gongkai_store::models::agency;
use gongkai_store::models::attachment::{self, AttachmentMeta};
use gongkai_store::models::proactive_item::{self, DocType, ItemStatus, NewItem, ProactiveItem};
use gongkai_store::models::publishing::{
    self, ItemEdit, Revision, RevisionStatus, StoredFinding, WordList,
};
use gongkai_store::models::review_gate::{self, ExceptionCategory, ItemException, Segment};
use gongkai_store::models::sensitive_word;
use serde::Deserialize;

use super::extract::{self, Done, Read, Upload, Write, act};
use super::item_meta;
use crate::catalog;
use crate::fmt::human_size;

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
        .route("/admin/publish/{id}/findings/{finding}/mask", post(mask))
        .route(
            "/admin/publish/{id}/findings/{finding}/exception",
            post(except),
        )
        .route("/admin/publish/exceptions", get(exceptions_page))
        .route("/admin/publish/{id}/approve", post(approve))
        .route("/admin/publish/{id}/return", post(return_item))
        .route("/admin/publish/{id}", get(item_page))
        .route("/admin/publish/{id}/edit", post(edit_item))
        .route("/admin/publish/{id}/revise", post(revise))
        .route("/admin/publish/{id}/repeal", post(repeal))
        .route("/admin/publish/{id}/withdraw", post(withdraw))
        .route("/admin/publish/{id}/attachments/{att}", get(download))
        .route("/admin/publish/{id}/attachments/{att}/delete", post(detach))
}

/// The upload route, with a body limit of its own: the site's router mounts it outside its
/// small limit for forms. The handler answers an oversized body with a Chinese 413 page.
pub fn upload_routes() -> Router<AppState> {
    Router::new()
        .route("/admin/publish/{id}/attachments", post(upload))
        .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT))
}

/// The largest upload body: the largest file plus room for the form's other fields.
pub const UPLOAD_BODY_LIMIT: usize = attachment::MAX_ATTACHMENT_BYTES + 64 * 1024;

/// One item of the reviewers' queue.
struct QueueRow {
    id: i64,
    title: String,
    index_no: String,
    own: bool,
    /// A revision of a published item rather than a first publication.
    revision: bool,
    findings: Vec<StoredFinding>,
}

/// One line of the list of recent items.
struct RecentRow {
    id: i64,
    title: String,
    index_no: String,
    status: &'static str,
    validity: &'static str,
}

#[derive(Template)]
#[template(path = "admin/publish.html")]
struct PublishPage {
    page: Page,
    bar: Bar,
    may_draft: bool,
    may_review: bool,
    may_words: bool,
    queue: Vec<QueueRow>,
    recent: Vec<RecentRow>,
    message: &'static str,
    /// The choices of the drafting form's 目录 fields.
    meta: Option<item_meta::MetaChoices>,
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
    #[serde(default)]
    title: String,
    #[serde(default)]
    doc_number: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    body: String,
    /// The 目录 fields.
    #[serde(flatten)]
    meta: item_meta::MetaForm,
}

/// The form that edits a returned item or proposes a revision.
#[derive(Debug, Deserialize)]
pub struct EditForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    doc_number: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    body: String,
    /// The 目录 fields.
    #[serde(flatten)]
    meta: item_meta::MetaForm,
}

impl EditForm {
    /// The edit with its 目录 fields checked (as on the drafting form) on `today`, the 解读's
    /// document checked against `root`'s published items.
    async fn edit(
        &self,
        state: &AppState,
        root: i64,
        today: chrono::NaiveDate,
    ) -> Result<ItemEdit, PageError> {
        let kind = doc_type(self.category.trim());
        let meta = self.meta.check(kind, &self.body, today)?;
        item_meta::check_document(state, root, &meta).await?;
        let doc_number = self.doc_number.trim();
        Ok(ItemEdit {
            title: self.title.trim().to_string(),
            doc_number: (!doc_number.is_empty()).then(|| doc_number.to_string()),
            doc_type: kind,
            body: self.body.clone(),
            meta: Some(meta.to_edit()),
        })
    }
}

/// A form with only its CSRF token (and a reason for a return).
#[derive(Debug, Deserialize)]
pub struct ActionForm {
    #[serde(default)]
    reason: String,
}

fn root(state: &AppState, s: &AdminSession) -> i64 {
    s.user().agency_id.unwrap_or(state.site.agency_id)
}

fn message(msg: Option<&str>) -> &'static str {
    match msg {
        Some("drafted") => "已提交，保密审查扫描已完成，等待审核。",
        Some("masked") => "已遮盖：文本中该项内容已替换为遮盖形式，并已重新扫描。",
        Some("excepted") => "已登记例外：该项内容可以公开，理由已记入审计日志并报负责人。",
        Some("published") => "已审核通过并发布。",
        Some("returned") => "已退回起草人。",
        Some("resubmitted") => "已修改并重新提交，保密审查扫描已完成，等待审核。",
        Some("revision") => "修订已提交，保密审查扫描已完成；审核通过前公开页面仍显示原版本。",
        Some("attached") => "附件已上传并完成保密审查扫描。",
        Some("attached_returned") => "附件已上传；修改并重新提交后一并扫描。",
        Some("detached") => "附件已删除。",
        Some("repealed") => "已废止：信息仍然公开，有效性标注为「已废止」。",
        Some("withdrawn") => "已撤回：信息已从门户网站、检索和接口中移除。",
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

/// The base word list of the scan: the built-in markers (绝密, 内部资料 …); the store adds the
/// agency's own words (`/admin/words`) to every scan.
fn words() -> WordList {
    WordList::default()
}

/// The action that lets a role open the gate's pages: an editor drafts, a reviewer reviews, the
/// head repeals and withdraws.
fn view_action(role: Role) -> Action {
    [Action::ReviewItem, Action::DraftItem, Action::RepealItem]
        .into_iter()
        .find(|a| access::allowed(role, *a))
        .unwrap_or(Action::ReviewItem)
}

/// `GET /admin/publish`: the drafting form for an editor, the queue for a reviewer.
pub async fn publish_page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ViewPublishing>,
    headers: HeaderMap,
    Query(q): Query<MsgQuery>,
) -> Result<Response, PageError> {
    let user = s.user();
    let may_draft = access::allowed(user.role, Action::DraftItem);
    let may_review = access::allowed(user.role, Action::ReviewItem);
    let action = view_action(user.role);
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
                revision: false,
                findings: publishing::findings(&state.store, item.id).await?,
                title: item.title,
                index_no: item.index_no,
            });
        }
        for rev in publishing::revision_queue(&state.store).await? {
            let item = proactive_item::get(&state.store, rev.item_id).await?;
            if !item.status.is_published()
                || !access::in_scope(&state, user, Some(item.agency_id)).await?
            {
                continue;
            }
            queue.push(QueueRow {
                id: item.id,
                own: rev.author_id == Some(user.id.0),
                revision: true,
                findings: publishing::findings(&state.store, item.id).await?,
                title: rev.title,
                index_no: item.index_no,
            });
        }
    }
    let mut recent = Vec::new();
    for item in publishing::recent(&state.store, 50).await? {
        if access::in_scope(&state, user, Some(item.agency_id)).await? {
            recent.push(RecentRow {
                id: item.id,
                status: item.status.label(),
                validity: catalog::validity_label(&item.validity),
                title: item.title,
                index_no: item.index_no,
            });
        }
    }
    Ok(render(&PublishPage {
        page: frame(&state, &headers, "/admin/publish", "信息发布", Some(user)),
        bar: Bar::of(&state, &s).await?,
        may_draft,
        may_review,
        may_words: access::allowed(user.role, Action::ManageWords),
        queue,
        recent,
        message: message(q.msg.as_deref()),
        meta: if may_draft {
            Some(item_meta::choices(&state, root(&state, &s), s.settings.today()).await?)
        } else {
            None
        },
    }))
}

/// `POST /admin/publish/drafts`: records the draft (author: the user) and scans it.
pub async fn draft(
    State(state): State<AppState>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::DraftItem, DraftForm>,
) -> Result<Response, PageError> {
    let agency_id = root(&state, &s);
    access::require(
        &state,
        s.user(),
        Action::DraftItem,
        Target::Agency(Some(agency_id)),
    )
    .await?;
    let title = f.title.trim();
    if title.is_empty() || f.body.trim().is_empty() {
        return Err(PageError::unprocessable("标题和正文不能为空。"));
    }
    let now = s.settings.now();
    let kind = doc_type(f.category.trim());
    let meta = f.meta.check(kind, &f.body, beijing_date(now))?;
    item_meta::check_document(&state, agency_id, &meta).await?;
    // 发布机构 is the drafting agency.
    let publisher = agency::get(&state.store, agency_id).await?.name;
    let doc_number = f.doc_number.trim();
    let item = NewItem {
        agency_id,
        title: title.to_string(),
        summary: String::new(),
        publisher,
        written_on: Some(meta.written_on),
        published_on: None,
        doc_number: (!doc_number.is_empty()).then(|| doc_number.to_string()),
        topic: meta.topic.to_string(),
        genre: String::new(),
        doc_type: kind,
        art20_item: Some(meta.art20),
        unit: String::new(),
        status: ItemStatus::Draft,
    };
    let user = s.user();
    let created =
        publishing::submit_draft(&state.store, &user.name, user.id.0, &item, &f.body).await?;
    item_meta::record(&state, &user.name, created.id, &meta).await?;
    publishing::scan_item(&state.store, &user.name, created.id, &words(), now).await?;
    Done::to("/admin/publish", "drafted")
}

/// Loads an item and checks the user may act on it (`action`, the item's agency).
async fn load(
    state: &AppState,
    s: &AdminSession,
    id: i64,
    action: Action,
) -> Result<proactive_item::ProactiveItem, PageError> {
    // The role first, before any lookup: a refused role must not learn which ids exist.
    access::require(state, s.user(), action, Target::Unscoped).await?;
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

/// The exception form: a category and a written reason.
#[derive(Debug, Deserialize)]
pub struct ExceptionForm {
    #[serde(default)]
    category: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/publish/{id}/findings/{finding}/mask`: 遮盖 — the value is replaced by its
/// masked form in the text it lies in, and the item is scanned again.
pub async fn mask(
    State(state): State<AppState>,
    Path((id, finding)): Path<(i64, i64)>,
    Write { session: s, .. }: Write<act::ReviewItem>,
) -> Result<Response, PageError> {
    load(&state, &s, id, Action::ReviewItem).await?;
    let user = s.user();
    review_gate::mask_finding(
        &state.store,
        &user.name,
        id,
        finding,
        user.id.0,
        &words(),
        s.settings.now(),
    )
    .await?;
    Done::to(&format!("/admin/publish/{id}"), "masked")
}

/// `POST /admin/publish/{id}/findings/{finding}/exception`: records why the value may be
/// published (a category and a written reason); the head sees it and the audit log keeps it.
pub async fn except(
    State(state): State<AppState>,
    Path((id, finding)): Path<(i64, i64)>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::ReviewItem, ExceptionForm>,
) -> Result<Response, PageError> {
    load(&state, &s, id, Action::ReviewItem).await?;
    let category = ExceptionCategory::from_key(f.category.trim())
        .ok_or_else(|| PageError::unprocessable("请选择例外类别。"))?;
    let user = s.user();
    review_gate::record_exception(
        &state.store,
        &user.name,
        id,
        finding,
        user.id.0,
        category,
        &f.reason,
        s.settings.now(),
    )
    .await?;
    Done::to(&format!("/admin/publish/{id}"), "excepted")
}

#[derive(Template)]
#[template(path = "admin/review_exceptions.html")]
struct ExceptionsPage {
    page: Page,
    bar: Bar,
    rows: Vec<ExceptionRow>,
}

/// `GET /admin/publish/exceptions`: the exceptions of the past year in the user's scope, for
/// the head who answers for what the agency publishes.
pub async fn exceptions_page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ViewReviewExceptions>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let user = s.user();
    access::require(
        &state,
        user,
        Action::ViewReviewExceptions,
        Target::Agency(Some(root(&state, &s))),
    )
    .await?;
    let since = (s.settings.now() - chrono::Duration::days(366)).timestamp();
    let rows = exceptions_in_scope(&state, user, since, 1000).await?;
    Ok(render(&ExceptionsPage {
        page: frame(
            &state,
            &headers,
            "/admin/publish/exceptions",
            "保密审查例外",
            Some(user),
        ),
        bar: Bar::of(&state, &s).await?,
        rows,
    }))
}

/// `POST /admin/publish/{id}/approve`: publishes (not one's own item, no open finding) and
/// updates search and the page cache at once.
pub async fn approve(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Write { session: s, .. }: Write<act::PublishItem>,
) -> Result<Response, PageError> {
    load(&state, &s, id, Action::PublishItem).await?;
    let user = s.user();
    let now = s.settings.now();
    // 发布日期: the Beijing date (UTC+8, no daylight saving).
    let on = beijing_date(now);
    publishing::approve(&state.store, &user.name, id, user.id.0, on, now).await?;
    state.item_changed(id).await.map_err(PageError::internal)?;
    Done::to("/admin/publish", "published")
}

/// `POST /admin/publish/{id}/return`: returns the item to its author with a reason.
pub async fn return_item(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::ReviewItem, ActionForm>,
) -> Result<Response, PageError> {
    load(&state, &s, id, Action::ReviewItem).await?;
    let user = s.user();
    publishing::return_to_author(
        &state.store,
        &user.name,
        id,
        user.id.0,
        f.reason.trim(),
        s.settings.now(),
    )
    .await?;
    Done::to("/admin/publish", "returned")
}

/// One option of the 类别 select.
struct CategoryOption {
    key: &'static str,
    label: &'static str,
    selected: bool,
}

fn categories(current: &str) -> Vec<CategoryOption> {
    [
        ("normative_document", "规范性文件"),
        ("regulation", "规章"),
        ("interpretation", "政策解读"),
        ("other", "其他"),
    ]
    .into_iter()
    .map(|(key, label)| CategoryOption {
        key,
        label,
        selected: key == current,
    })
    .collect()
}

/// The values an edit form starts with.
struct FormValues {
    title: String,
    doc_number: String,
    body: String,
    categories: Vec<CategoryOption>,
}

impl FormValues {
    fn of(title: &str, doc_number: Option<&str>, doc_type: &str, body: &str) -> FormValues {
        FormValues {
            title: title.to_string(),
            doc_number: doc_number.unwrap_or_default().to_string(),
            body: body.to_string(),
            categories: categories(doc_type),
        }
    }
}

/// An attachment as the item page lists it.
struct AttachmentRow {
    id: i64,
    file_name: String,
    size: String,
}

/// A replaced version in the history.
struct VersionRow {
    title: String,
    doc_number: String,
    body: Vec<Segment>,
    replaced: String,
}

/// The revision waiting in the gate.
struct RevisionRow {
    title: String,
    doc_number: String,
    doc_type: &'static str,
    body: Vec<Segment>,
    status: &'static str,
}

/// A finding as the item page shows it (masked only).
struct FindingRow {
    id: i64,
    source: String,
    line: i64,
    label: String,
    masked: String,
    excerpt: String,
    suspect: bool,
    open: bool,
    maskable: bool,
    /// A file without readable text: a person must read it.
    unreadable: bool,
    /// A listed word (敏感词): no masked form.
    word: bool,
}

impl FindingRow {
    fn of(f: StoredFinding) -> FindingRow {
        FindingRow {
            unreadable: f.kind == FindingClass::Unreadable,
            word: f.kind == FindingClass::SensitiveWord,
            open: f.open(),
            maskable: f.maskable(),
            suspect: f.suspect == 1,
            id: f.id,
            source: f.source,
            line: f.line,
            label: f.label,
            masked: f.masked,
            excerpt: f.excerpt,
        }
    }
}

/// One option of the exception form's category select.
struct CategoryChoice {
    key: &'static str,
    label: &'static str,
}

fn exception_categories() -> Vec<CategoryChoice> {
    ExceptionCategory::ALL
        .into_iter()
        .map(|c| CategoryChoice {
            key: c.key(),
            label: c.label(),
        })
        .collect()
}

/// An exception as the head reads it.
pub struct ExceptionRow {
    /// The item.
    pub item_id: i64,
    /// The item's title.
    pub title: String,
    /// The item's status label (待审核, 已发布 …).
    pub status: &'static str,
    /// What was found (居民身份证号 …).
    pub label: String,
    /// The value masked.
    pub masked: String,
    /// 正文 or 附件：name.
    pub place: String,
    /// The category's label.
    pub category: &'static str,
    /// The reviewer's reason.
    pub reason: String,
    /// The reviewer.
    pub reviewer: String,
    /// The Beijing date of the decision.
    pub date: String,
}

impl ExceptionRow {
    fn of(e: ItemException) -> ExceptionRow {
        ExceptionRow {
            category: e.category_label(),
            status: e.status.label(),
            place: if e.source.is_empty() {
                "正文".to_string()
            } else {
                format!("附件：{}", e.source)
            },
            date: fmt_time(e.decided_at),
            item_id: e.item_id,
            title: e.title,
            label: e.label,
            masked: e.masked,
            reason: e.reason,
            reviewer: e.reviewer,
        }
    }
}

/// The exceptions recorded since `since` (Unix seconds) on items in the user's scope, newest
/// first, at most `limit`: what the dashboard and the exceptions page list.
pub async fn exceptions_in_scope(
    state: &AppState,
    user: &gongkai_store::auth::User,
    since: i64,
    limit: i64,
) -> Result<Vec<ExceptionRow>, PageError> {
    let mut rows = Vec::new();
    for e in review_gate::recent_exceptions(&state.store, since, limit).await? {
        if access::in_scope(state, user, Some(e.agency_id)).await? {
            rows.push(ExceptionRow::of(e));
        }
    }
    Ok(rows)
}

#[derive(Template)]
#[template(path = "admin/publish_item.html")]
struct ItemPage {
    page: Page,
    bar: Bar,
    message: &'static str,
    id: i64,
    item: ProactiveItem,
    status: &'static str,
    doc_type: &'static str,
    validity: &'static str,
    validity_changed: String,
    validity_note: String,
    withdrawn: String,
    body: Vec<Segment>,
    findings: Vec<FindingRow>,
    open_findings: usize,
    categories: Vec<CategoryChoice>,
    exceptions: Vec<ExceptionRow>,
    attachments: Vec<AttachmentRow>,
    return_reason: String,
    revision: Option<RevisionRow>,
    versions: Vec<VersionRow>,
    form: FormValues,
    /// The 目录 fields of the edit or revision form, prefilled.
    meta: Option<item_meta::MetaChoices>,
    can_edit: bool,
    can_attach: bool,
    can_revise: bool,
    can_review: bool,
    can_repeal: bool,
    can_withdraw: bool,
}

fn fmt_time(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|t| beijing_date(t).format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// `GET /admin/publish/{id}`: the item with its body, findings, attachments, open revision and
/// history, and the forms the user's role allows in its present state.
pub async fn item_page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ViewPublishing>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<MsgQuery>,
) -> Result<Response, PageError> {
    let user = s.user();
    let item = load(&state, &s, id, view_action(user.role)).await?;
    let draft = publishing::get_draft(&state.store, id).await?;
    let life = publishing::lifecycle(&state.store, id).await?;
    let revision = publishing::open_revision(&state.store, id).await?;
    let me = Some(user.id.0);
    let may = |a: Action| access::allowed(user.role, a);
    let status = item.status;
    let editable = matches!(status, ItemStatus::Draft | ItemStatus::Returned);
    let revision_editable = revision.as_ref().is_some_and(|r| r.status.is_editable());
    let waiting_author = match &revision {
        Some(r) if r.status == RevisionStatus::InReview => Some(r.author_id),
        _ if status == ItemStatus::InReview => Some(draft.author_id),
        _ => None,
    };
    let return_reason = match &revision {
        Some(r) if r.status == RevisionStatus::Returned => r.note.clone(),
        _ if status == ItemStatus::Returned => publishing::last_return_reason(&state.store, id)
            .await?
            .unwrap_or_default(),
        _ => String::new(),
    };
    let form = match &revision {
        Some(r) => FormValues::of(&r.title, r.doc_number.as_deref(), &r.doc_type, &r.body),
        None => FormValues::of(
            &item.title,
            item.doc_number.as_deref(),
            &item.doc_type,
            &draft.body,
        ),
    };
    let attachments = attachment::list(&state.store, id)
        .await?
        .into_iter()
        .map(|a: AttachmentMeta| AttachmentRow {
            id: a.id,
            size: human_size(a.size),
            file_name: a.file_name,
        })
        .collect();
    // Every text on the page is shown with the scan's findings masked: the reviewer reads the
    // context, never the number.
    let words = sensitive_word::word_list(&state.store).await?;
    let now = s.settings.now();
    let shown = |text: &str| review_gate::shown(text, &words, now);
    let versions = publishing::versions(&state.store, id)
        .await?
        .into_iter()
        .map(|v| VersionRow {
            title: v.title,
            doc_number: v.doc_number.unwrap_or_default(),
            body: shown(&v.body),
            replaced: fmt_time(v.replaced_at),
        })
        .collect();
    let findings: Vec<FindingRow> = publishing::findings(&state.store, id)
        .await?
        .into_iter()
        .map(FindingRow::of)
        .collect();
    let exceptions = review_gate::item_exceptions(&state.store, id)
        .await?
        .into_iter()
        .map(ExceptionRow::of)
        .collect();
    let published = status.is_published();
    let own_item = draft.author_id == me;
    let can_edit = may(Action::DraftItem) && (editable || revision_editable);
    let can_revise =
        may(Action::DraftItem) && published && revision.is_none() && item.validity != "repealed";
    // The edit and revision forms carry the 目录 fields, starting from the open revision's
    // values when it set them, else the item's.
    let meta = if can_edit || can_revise {
        let mut m = item_meta::choices(&state, root(&state, &s), s.settings.today()).await?;
        m.current =
            item_meta::MetaValues::of(&state, &item, revision.as_ref().map(|r| r.id)).await?;
        Some(m)
    } else {
        None
    };
    let page = ItemPage {
        page: frame(&state, &headers, "/admin/publish", &item.title, Some(user)),
        bar: Bar::of(&state, &s).await?,
        message: message(q.msg.as_deref()),
        id,
        status: status.label(),
        doc_type: catalog::doc_type_label(&item.doc_type),
        validity: catalog::validity_label(&item.validity),
        validity_changed: item
            .validity_changed_on
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        validity_note: life.validity_note,
        withdrawn: match life.withdrawn_on {
            Some(d) => format!("{}，理由：{}", d.format("%Y-%m-%d"), life.withdraw_reason),
            None => String::new(),
        },
        body: shown(&draft.body),
        open_findings: findings.iter().filter(|f| f.open).count(),
        findings,
        categories: exception_categories(),
        exceptions,
        attachments,
        return_reason,
        can_edit,
        can_attach: may(Action::DraftItem) && status.is_unpublished(),
        can_revise,
        meta,
        can_review: may(Action::ReviewItem)
            && waiting_author.is_some_and(|a| a.is_none() || a != me),
        can_repeal: may(Action::RepealItem)
            && published
            && item.validity != "repealed"
            && !own_item,
        can_withdraw: may(Action::WithdrawItem) && published && !own_item,
        revision: revision.map(|r: Revision| RevisionRow {
            doc_type: catalog::doc_type_label(&r.doc_type),
            status: r.status.label(),
            title: r.title,
            doc_number: r.doc_number.unwrap_or_default(),
            body: shown(&r.body),
        }),
        versions,
        form,
        item,
    };
    Ok(render(&page))
}

/// `POST /admin/publish/{id}/edit`: the editor edits a returned item (or revision) and
/// resubmits it; the scan runs again over the body and the attachments.
pub async fn edit_item(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::DraftItem, EditForm>,
) -> Result<Response, PageError> {
    load(&state, &s, id, Action::DraftItem).await?;
    let user = s.user();
    let edit = f
        .edit(&state, root(&state, &s), beijing_date(s.settings.now()))
        .await?;
    publishing::edit(&state.store, &user.name, user.id.0, id, &edit).await?;
    publishing::scan_item(&state.store, &user.name, id, &words(), s.settings.now()).await?;
    Done::to(&format!("/admin/publish/{id}"), "resubmitted")
}

/// `POST /admin/publish/{id}/revise`: the editor proposes a revision of a published item; it
/// is scanned at once and waits for a reviewer while the portal keeps the published version.
pub async fn revise(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::DraftItem, EditForm>,
) -> Result<Response, PageError> {
    load(&state, &s, id, Action::DraftItem).await?;
    let user = s.user();
    let now = s.settings.now();
    let edit = f.edit(&state, root(&state, &s), beijing_date(now)).await?;
    publishing::propose_revision(&state.store, &user.name, user.id.0, id, &edit, now).await?;
    publishing::scan_item(&state.store, &user.name, id, &words(), now).await?;
    Done::to(&format!("/admin/publish/{id}"), "revision")
}

/// `POST /admin/publish/{id}/repeal`: 废止 with a reason; the item stays public as 已废止.
pub async fn repeal(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::RepealItem, ActionForm>,
) -> Result<Response, PageError> {
    load(&state, &s, id, Action::RepealItem).await?;
    let user = s.user();
    let on = beijing_date(s.settings.now());
    publishing::repeal(&state.store, &user.name, id, user.id.0, on, &f.reason).await?;
    state.item_changed(id).await.map_err(PageError::internal)?;
    Done::to(&format!("/admin/publish/{id}"), "repealed")
}

/// `POST /admin/publish/{id}/withdraw`: 撤回 with a reason; the item leaves the portal, the
/// search index and the page cache.
pub async fn withdraw(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::WithdrawItem, ActionForm>,
) -> Result<Response, PageError> {
    load(&state, &s, id, Action::WithdrawItem).await?;
    let user = s.user();
    let now = s.settings.now();
    publishing::withdraw(
        &state.store,
        &user.name,
        id,
        user.id.0,
        beijing_date(now),
        &f.reason,
        now,
    )
    .await?;
    state.item_changed(id).await.map_err(PageError::internal)?;
    Done::to(&format!("/admin/publish/{id}"), "withdrawn")
}

/// Rescans an item whose attachments changed, unless it waits for its author's edit (a
/// returned item is scanned when it is resubmitted). Returns the message key.
async fn rescan_after_files(
    state: &AppState,
    s: &AdminSession,
    id: i64,
    change: &publishing::FileChange,
) -> Result<&'static str, PageError> {
    let status = proactive_item::get(&state.store, id).await?.status;
    if status == ItemStatus::Returned {
        return Ok("attached_returned");
    }
    let user = s.user();
    publishing::rescan_files(
        &state.store,
        &user.name,
        id,
        &words(),
        change,
        s.settings.now(),
    )
    .await?;
    Ok("attached")
}

/// `POST /admin/publish/{id}/attachments` (multipart): adds a file to an item not yet
/// published and scans it; too large a file is refused with a 413 page in Chinese.
pub async fn upload(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    up: Upload<act::DraftItem>,
) -> Result<Response, PageError> {
    let s = &up.session;
    load(&state, s, id, Action::DraftItem).await?;
    let parts = up.parts()?;
    let file = extract::file(&parts, "file")
        .ok_or_else(|| PageError::unprocessable("请选择要上传的文件。"))?;
    let user = s.user();
    let added = attachment::add(
        &state.store,
        &user.name,
        id,
        user.id.0,
        file.file_name.as_deref().unwrap_or_default(),
        file.data,
        s.settings.now(),
    )
    .await?;
    let change = publishing::FileChange::Added(added.id);
    let msg = rescan_after_files(&state, s, id, &change).await?;
    Done::to(&format!("/admin/publish/{id}"), msg)
}

/// `POST /admin/publish/{id}/attachments/{att}/delete`: removes a file before publication.
pub async fn detach(
    State(state): State<AppState>,
    Path((id, att)): Path<(i64, i64)>,
    Write { session: s, .. }: Write<act::DraftItem>,
) -> Result<Response, PageError> {
    load(&state, &s, id, Action::DraftItem).await?;
    let user = s.user();
    let name = attachment::remove(&state.store, &user.name, id, att).await?;
    rescan_after_files(&state, &s, id, &publishing::FileChange::Removed(name)).await?;
    Done::to(&format!("/admin/publish/{id}"), "detached")
}

/// `GET /admin/publish/{id}/attachments/{att}`: the file, for the editor and the reviewer.
pub async fn download(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ViewPublishing>,
    Path((id, att)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    load(&state, &s, id, view_action(s.user().role)).await?;
    let (meta, data) = attachment::file(&state.store, id, att)
        .await?
        .ok_or_else(|| PageError::not_found("该附件不存在。"))?;
    Ok(crate::download::attachment(&meta, data))
}

/// Bytes as a download named `file_name` (see [`crate::download::file`]).
pub fn download_response(file_name: &str, media_type: &str, data: Vec<u8>) -> Response {
    crate::download::file(file_name, media_type, data)
}

#[cfg(test)]
mod tests {
    //! The gate through its routes on a temporary SQLite store: the author is refused
    //! approving their own item; a reviewer approves another's clean item, which is published.

    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use gongkai_store::models::ItemStatus;

    use axum::Router;
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use chrono::Utc;
    use gongkai_store::auth::Role;
    use gongkai_store::models::agency::{self, AgencyLevel};
    use gongkai_store::models::{proactive_item, publishing};
    use tower::ServiceExt;

    use crate::admin::test_support as support;

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
        let (store, _dir) = support::store().await;
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
        let state = support::state(store, county);
        let app = Router::new()
            .merge(super::routes())
            .with_state(state.clone());
        let (editor, editor_csrf) =
            support::signed_in(&state, "bianji", Role::Editor, Some(county), Utc::now()).await;
        let (reviewer, reviewer_csrf) =
            support::signed_in(&state, "shenhe", Role::Reviewer, Some(county), Utc::now()).await;

        // The editor drafts a clean item; the scan runs and it waits in review.
        let form = format!(
            "csrf={editor_csrf}&title=%E9%80%9A%E7%9F%A5&doc_number=&category=other&art20=11&topic=%E7%BB%BC%E5%90%88%E6%94%BF%E5%8A%A1&body=%E8%AF%B7%E5%81%9A%E5%A5%BD%E6%98%A5%E8%80%95%E5%B7%A5%E4%BD%9C%E3%80%82"
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
            ItemStatus::InReview
        );

        // Another user, the reviewer, approves: published with its date.
        assert_eq!(
            post(&app, &approve, &reviewer, format!("csrf={reviewer_csrf}")).await,
            StatusCode::SEE_OTHER
        );
        let item = proactive_item::get(&state.store, id).await.unwrap();
        assert_eq!(item.status, ItemStatus::Published);
        assert!(item.published_on.is_some());
    }
}
