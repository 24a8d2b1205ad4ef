//! The one shape of a back-office request: who asks, whether their role may, whether the form
//! is theirs, and only then what it says.
//!
//! A handler names what it does by a permit type ([`act`]) and takes one extractor:
//! - [`Write<P, F>`] for a posted form: it resolves the session, asks [`access`] whether the
//!   role holds one of `P`'s actions (an audited 403 otherwise), checks the CSRF field, then
//!   parses the form into `F` — in that order, so a role that is refused learns nothing from a
//!   parse error and a forged post never reaches the parser.
//! - [`Upload<P>`] for a posted `multipart/form-data` body: the same checks, with the file
//!   parts parsed on demand by the handler.
//! - [`Read<P>`] for a page: the session and the role.
//!
//! What the record concerns (its agency) is known only once it is loaded, so the scope check
//! stays with the handler's loader ("load in scope"), which calls [`access::require`] with the
//! record's agency. A handler then is: load in scope → call the store → [`Done::to`].

use std::marker::PhantomData;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;

use super::AdminSession;
use super::access::{self, Action};
use crate::multipart::{self, Part};
use crate::{AppState, PageError};

/// What a request may do, as a type: the actions of which the role must hold at least one.
/// The handler asks for the exact one (with the record's scope) when the form says which.
pub trait Permit {
    /// The actions that open the door.
    const ACTIONS: &'static [Action];
}

macro_rules! permits {
    ($($(#[$doc:meta])* $name:ident = [$($action:ident),+ $(,)?];)*) => {
        $(
            $(#[$doc])*
            #[derive(Debug, Clone, Copy)]
            pub struct $name;
            impl super::Permit for $name {
                const ACTIONS: &'static [super::Action] = &[$(super::Action::$action),+];
            }
        )*
    };
}

/// The permits, one per [`Action`] (named as it is) and a few that open to one of several.
pub mod act {
    permits! {
        /// [`Action::ViewDashboard`](super::Action::ViewDashboard): every signed-in user.
        ViewDashboard = [ViewDashboard];
        /// [`Action::ChangeOwnPassword`](super::Action::ChangeOwnPassword).
        ChangeOwnPassword = [ChangeOwnPassword];
        /// [`Action::DraftItem`](super::Action::DraftItem).
        DraftItem = [DraftItem];
        /// [`Action::ReviewItem`](super::Action::ReviewItem).
        ReviewItem = [ReviewItem];
        /// [`Action::PublishItem`](super::Action::PublishItem).
        PublishItem = [PublishItem];
        /// [`Action::RepealItem`](super::Action::RepealItem).
        RepealItem = [RepealItem];
        /// [`Action::WithdrawItem`](super::Action::WithdrawItem).
        WithdrawItem = [WithdrawItem];
        /// [`Action::ManageWords`](super::Action::ManageWords).
        ManageWords = [ManageWords];
        /// [`Action::RegisterApplication`](super::Action::RegisterApplication).
        RegisterApplication = [RegisterApplication];
        /// [`Action::ReadApplications`](super::Action::ReadApplications).
        ReadApplications = [ReadApplications];
        /// [`Action::Reply`](super::Action::Reply).
        Reply = [Reply];
        /// [`Action::ApproveReply`](super::Action::ApproveReply).
        ApproveReply = [ApproveReply];
        /// [`Action::CheckSubordinateReports`](super::Action::CheckSubordinateReports).
        CheckSubordinateReports = [CheckSubordinateReports];
        /// [`Action::EditReport`](super::Action::EditReport).
        EditReport = [EditReport];
        /// [`Action::PublishReport`](super::Action::PublishReport).
        PublishReport = [PublishReport];
        /// [`Action::ManageUsers`](super::Action::ManageUsers).
        ManageUsers = [ManageUsers];
        /// [`Action::ManageApiTokens`](super::Action::ManageApiTokens).
        ManageApiTokens = [ManageApiTokens];
        /// [`Action::ReadAuditLog`](super::Action::ReadAuditLog).
        ReadAuditLog = [ReadAuditLog];
        /// [`Action::SystemSettings`](super::Action::SystemSettings).
        SystemSettings = [SystemSettings];
        /// [`Action::ManageSites`](super::Action::ManageSites).
        ManageSites = [ManageSites];
        /// [`Action::ViewSupervision`](super::Action::ViewSupervision).
        ViewSupervision = [ViewSupervision];
        /// [`Action::RecordSupervision`](super::Action::RecordSupervision).
        RecordSupervision = [RecordSupervision];
        /// [`Action::RecordAccountability`](super::Action::RecordAccountability).
        RecordAccountability = [RecordAccountability];
        /// [`Action::ConfirmCommendation`](super::Action::ConfirmCommendation).
        ConfirmCommendation = [ConfirmCommendation];
        /// [`Action::ManageRegistry`](super::Action::ManageRegistry).
        ManageRegistry = [ManageRegistry];
        /// [`Action::ReadMailbox`](super::Action::ReadMailbox).
        ReadMailbox = [ReadMailbox];
        /// [`Action::ReplyMailbox`](super::Action::ReplyMailbox).
        ReplyMailbox = [ReplyMailbox];
        /// [`Action::PublishMailbox`](super::Action::PublishMailbox).
        PublishMailbox = [PublishMailbox];
        /// [`Action::RecordAppeal`](super::Action::RecordAppeal).
        RecordAppeal = [RecordAppeal];
        /// [`Action::ViewSiteInspections`](super::Action::ViewSiteInspections).
        ViewSiteInspections = [ViewSiteInspections];
        /// [`Action::ViewSiteReport`](super::Action::ViewSiteReport).
        ViewSiteReport = [ViewSiteReport];
        /// [`Action::ViewReviewExceptions`](super::Action::ViewReviewExceptions).
        ViewReviewExceptions = [ViewReviewExceptions];
        /// [`Action::RevealContact`](super::Action::RevealContact).
        RevealContact = [RevealContact];
        /// An event on a case: the handler's (补正, 征求意见 …) or the head's extension; the
        /// posted kind says which, and the handler asks for that one.
        CaseEvent = [Reply, ApproveExtension];
        /// The publishing desk and its items: whoever drafts, reviews or answers for them.
        ViewPublishing = [ReviewItem, DraftItem, RepealItem];
    }
}

/// The session of a request whose role holds one of `P`'s actions.
async fn permitted<P: Permit>(
    parts: &mut Parts,
    state: &AppState,
) -> Result<AdminSession, Response> {
    let session = AdminSession::from_request_parts(parts, state).await?;
    access::require_any(state, session.user(), P::ACTIONS)
        .await
        .map_err(IntoResponse::into_response)?;
    Ok(session)
}

/// A page request by a role that holds one of `P`'s actions.
pub struct Read<P> {
    /// The signed-in session.
    pub session: AdminSession,
    permit: PhantomData<P>,
}

impl<P: Permit> FromRequestParts<AppState> for Read<P> {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Read {
            session: permitted::<P>(parts, state).await?,
            permit: PhantomData,
        })
    }
}

/// A form that carries nothing but its CSRF token (which [`Write`] reads itself).
#[derive(Debug, Default, serde::Deserialize)]
pub struct NoFields {}

/// A posted form, taken only after the role and the CSRF token passed (see the module's
/// docs for the order).
pub struct Write<P, F = NoFields> {
    /// The signed-in session.
    pub session: AdminSession,
    /// The form as posted.
    pub form: F,
    permit: PhantomData<P>,
}

/// The body of a post, or the page that says why it could not be read: 413 names the route's
/// limit (`limit_mb`).
async fn body(
    parts: Parts,
    body: axum::body::Body,
    state: &AppState,
    limit_mb: usize,
) -> Result<Bytes, Response> {
    Bytes::from_request(Request::from_parts(parts, body), state)
        .await
        .map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                PageError {
                    status: StatusCode::PAYLOAD_TOO_LARGE,
                    message: format!("上传的内容超过 {limit_mb} MB 上限，请压缩、拆分或分批上传。"),
                }
            } else {
                PageError::unprocessable("提交中断，请返回重新提交。")
            }
            .into_response()
        })
}

impl<P: Permit, F: DeserializeOwned> FromRequest<AppState> for Write<P, F> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, raw) = req.into_parts();
        let session = permitted::<P>(&mut parts, state).await?;
        let urlencoded = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !urlencoded {
            return Err(PageError {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                message: "请通过页面上的表单提交。".to_string(),
            }
            .into_response());
        }
        let bytes = body(parts, raw, state, 2).await?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).map_err(|_| {
            PageError::unprocessable("表单内容无法读取，请返回重新提交。").into_response()
        })?;
        let csrf = pairs
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        session
            .check_csrf(csrf)
            .map_err(IntoResponse::into_response)?;
        let fields = serde_urlencoded::Deserializer::new(form_urlencoded::parse(&bytes));
        let form = serde_path_to_error::deserialize(fields).map_err(|e| {
            let field = e.path().to_string();
            let message = if field.is_empty() || field == "." {
                "表单内容不完整或格式不正确，请返回检查后重新提交。".to_string()
            } else {
                format!("表单中「{field}」的内容格式不正确，请返回检查后重新提交。")
            };
            PageError::unprocessable(message).into_response()
        })?;
        Ok(Write {
            session,
            form,
            permit: PhantomData,
        })
    }
}

/// A posted `multipart/form-data` body (a file upload), taken only after the role and the
/// CSRF token passed. `LIMIT_MB` is the route's body limit (its `DefaultBodyLimit`), named in
/// the 413 page.
pub struct Upload<P, const LIMIT_MB: usize = 10> {
    /// The signed-in session.
    pub session: AdminSession,
    body: Bytes,
    boundary: String,
    permit: PhantomData<P>,
}

impl<P, const LIMIT_MB: usize> Upload<P, LIMIT_MB> {
    /// The parts of the body (already read once to check the CSRF field, so this does not
    /// fail on a body that passed).
    pub fn parts(&self) -> Result<Vec<Part<'_>>, PageError> {
        multipart::parse(&self.boundary, &self.body)
            .map_err(|e| PageError::unprocessable(e.to_string()))
    }
}

/// The text of the part named `name` among `parts`; empty when there is none.
pub fn field(parts: &[Part<'_>], name: &str) -> String {
    parts
        .iter()
        .find(|p| p.name == name)
        .map(Part::text)
        .unwrap_or_default()
}

/// The first part named `name` that carries a file with a name.
pub fn file<'p, 'a>(parts: &'p [Part<'a>], name: &str) -> Option<&'p Part<'a>> {
    parts
        .iter()
        .find(|p| p.name == name && p.file_name.as_deref().is_some_and(|n| !n.is_empty()))
}

impl<P: Permit, const LIMIT_MB: usize> FromRequest<AppState> for Upload<P, LIMIT_MB> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, raw) = req.into_parts();
        let session = permitted::<P>(&mut parts, state).await?;
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = body(parts, raw, state, LIMIT_MB).await?;
        let boundary = multipart::boundary(&content_type)
            .map_err(|e| PageError::unprocessable(e.to_string()).into_response())?;
        let parsed = multipart::parse(&boundary, &bytes)
            .map_err(|e| PageError::unprocessable(e.to_string()).into_response())?;
        let csrf = field(&parsed, "csrf");
        drop(parsed);
        session
            .check_csrf(&csrf)
            .map_err(IntoResponse::into_response)?;
        Ok(Upload {
            session,
            body: bytes,
            boundary,
            permit: PhantomData,
        })
    }
}

/// Where a handler sends the user when it is done: back to a page, with a notice chosen by a
/// code the page knows (never text echoed from the request).
pub struct Done;

impl Done {
    /// Redirects to `url` with the notice `notice` (`msg=` in the query, before any `#`
    /// fragment); no notice when empty.
    pub fn to(url: &str, notice: &str) -> Result<Response, PageError> {
        if notice.is_empty() {
            return Ok(Redirect::to(url).into_response());
        }
        let (path, fragment) = url.split_once('#').map_or((url, ""), |(p, f)| (p, f));
        let sep = if path.contains('?') { '&' } else { '?' };
        let hash = if fragment.is_empty() { "" } else { "#" };
        Ok(Redirect::to(&format!("{path}{sep}msg={notice}{hash}{fragment}")).into_response())
    }
}
