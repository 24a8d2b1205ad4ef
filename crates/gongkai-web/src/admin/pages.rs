//! The pages of the back office. Each handler resolves the session, asks
//! [`access::require`] (or one of its user-management forms) and checks the CSRF token of a
//! form before it changes anything.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_store::StoreError;
use gongkai_store::auth::{self, AuthError, NewUser, Role, SessionToken, User, UserId};
use gongkai_store::models::agency;
use serde::Deserialize;

use super::access::{self, Action, Target};
use super::extract::{Done, Read, Write, act};
use super::{AdminSession, AdminSettings, SESSION_COOKIE, beijing, frame};
use crate::client_ip::ClientIp;
use crate::error::render;
use crate::security::cookie;
use crate::{AppState, Page, PageError};

/// The strip above every signed-in page: who is signed in, and the sign-out form.
#[derive(Debug, Clone)]
pub struct Bar {
    /// User name.
    pub name: String,
    /// Role, in Chinese.
    pub role: &'static str,
    /// The agency subtree, in Chinese.
    pub agency: String,
    /// The session's CSRF token, for the forms of the page.
    pub csrf: String,
}

impl Bar {
    /// The bar of the signed-in user, naming their agency (「全部机关」 for a user of the whole
    /// tree).
    pub async fn of(state: &AppState, s: &AdminSession) -> Result<Bar, PageError> {
        let agency = match s.user().agency_id {
            None => "全部机关".to_string(),
            Some(id) => agency::get(&state.store, id).await?.name,
        };
        Ok(Bar::naming(s, agency))
    }

    /// The bar naming `agency`: the agency the page is about, where that is not the user's.
    pub fn naming(s: &AdminSession, agency: String) -> Bar {
        Bar {
            name: s.user().name.clone(),
            role: s.user().role.label(),
            agency,
            csrf: s.session.csrf.clone(),
        }
    }
}

async fn agency_names(state: &AppState) -> Result<HashMap<i64, String>, PageError> {
    Ok(agency::list(&state.store)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect())
}

fn agency_label(names: &HashMap<i64, String>, id: Option<i64>) -> String {
    match id {
        None => "全部机关".to_string(),
        Some(id) => names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("机关{id}")),
    }
}

fn path_of(uri: &Uri) -> &str {
    uri.path_and_query().map_or("/admin", |p| p.as_str())
}

fn with_status(mut resp: Response, status: StatusCode) -> Response {
    *resp.status_mut() = status;
    resp
}

fn append_cookie(resp: &mut Response, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// A fixed message chosen by a code in the query (never text echoed from the request).
fn notice(code: Option<&str>) -> &'static str {
    match code {
        Some("added") => "用户已添加。",
        Some("disabled") => "用户已停用，其登录会话已全部结束。",
        Some("enabled") => "用户已启用。",
        Some("reset") => "密码已重置，该用户须使用新密码登录。",
        Some("password") => "密码已修改，请使用新密码重新登录。",
        Some("logout") => "您已安全退出。",
        Some("expired") => "登录已超时，请重新登录。",
        _ => "",
    }
}

/// The query of pages that show a notice after a redirect.
#[derive(Debug, Default, Deserialize)]
pub struct NoticeQuery {
    #[serde(default)]
    msg: Option<String>,
}

// ---------------------------------------------------------------------------------------
// Sign-in and sign-out

#[derive(Template)]
#[template(path = "admin/login.html")]
struct LoginPage {
    page: Page,
    csrf: String,
    name: String,
    error: String,
    notice: &'static str,
}

/// The sign-in form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

/// The cookie of the sign-in form's pre-session ([`auth::pre_session`]).
pub const LOGIN_COOKIE: &str = "gk_login";

/// The sign-in page, its form's token bound to a pre-session in the store (the browser's own
/// while it lasts, else a new one with its cookie).
#[allow(clippy::too_many_arguments)] // one page, each argument a part of it
async fn login_page(
    state: &AppState,
    settings: &AdminSettings,
    headers: &HeaderMap,
    address: &str,
    name: &str,
    error: String,
    notice: &'static str,
    status: StatusCode,
) -> Result<Response, PageError> {
    let held = cookie(headers, LOGIN_COOKIE).map(SessionToken::new);
    let now = settings.now();
    let (pre, error, status) =
        match auth::pre_session(&state.store, held.as_ref(), address, now).await {
            Ok(pre) => (Some(pre), error, status),
            Err(AuthError::TooManyAttempts { retry_after }) => (
                None,
                format!(
                    "请求过于频繁，请{}分钟后再打开登录页面。",
                    (retry_after + 59) / 60
                ),
                StatusCode::TOO_MANY_REQUESTS,
            ),
            Err(AuthError::Store(e)) => return Err(e.into()),
            Err(other) => return Err(PageError::internal(other)),
        };
    let page = frame(state, headers, "/admin/login", "后台登录", None);
    let mut resp = with_status(
        render(&LoginPage {
            page,
            csrf: pre.as_ref().map(|p| p.csrf.clone()).unwrap_or_default(),
            name: name.to_string(),
            error,
            notice,
        }),
        status,
    );
    if let Some(pre) = pre.filter(|p| p.fresh) {
        append_cookie(&mut resp, &settings.login_cookie(headers, &pre.token));
    }
    Ok(resp)
}

/// `GET /admin/login`.
pub async fn login_form(
    State(state): State<AppState>,
    Extension(settings): Extension<Arc<AdminSettings>>,
    ClientIp(ip): ClientIp,
    session: Option<AdminSession>,
    headers: HeaderMap,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    if session.is_some() {
        return Ok(Redirect::to("/admin").into_response());
    }
    login_page(
        &state,
        &settings,
        &headers,
        &ip.to_string(),
        "",
        String::new(),
        notice(q.msg.as_deref()),
        StatusCode::OK,
    )
    .await
}

/// `POST /admin/login`: signs in and sets the session cookie; a session the browser held
/// before is ended, so a planted session id never becomes a signed-in one.
///
/// The form's token must be the one issued with the browser's pre-session (checked in the
/// store before anything else), which ends with the sign-in. The limits on guessing are the
/// store's ([`auth::sign_in`]: per address, per account name and address, per account
/// name), reserved before any password is hashed; a refusal reads the same for every name,
/// known or not, and answers 429 with `Retry-After`.
pub async fn login_submit(
    State(state): State<AppState>,
    Extension(settings): Extension<Arc<AdminSettings>>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, PageError> {
    let address = ip.to_string();
    let now = settings.now();
    let held = cookie(&headers, LOGIN_COOKIE).map(SessionToken::new);
    let form_ok = match &held {
        Some(h) => auth::pre_session_ok(&state.store, h, &f.csrf, now).await?,
        None => false,
    };
    let page = |name: &str, error: &str, status: StatusCode| {
        let (state, settings, headers, address) = (&state, &settings, &headers, &address);
        let (name, error) = (name.to_string(), error.to_string());
        async move { login_page(state, settings, headers, address, &name, error, "", status).await }
    };
    if !form_ok {
        return page(&f.name, "页面已过期，请重新登录。", StatusCode::FORBIDDEN).await;
    }
    let name = f.name.trim();
    if name.is_empty() || f.password.is_empty() {
        return page(
            name,
            "请输入用户名和密码。",
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    match auth::sign_in(&state.store, name, &f.password, &address, now).await {
        Ok(session) => {
            if let Some(old) = cookie(&headers, SESSION_COOKIE) {
                auth::logout(&state.store, &SessionToken::new(old)).await?;
            }
            if let Some(h) = &held {
                auth::end_pre_session(&state.store, h).await?;
            }
            let mut resp = Redirect::to("/admin").into_response();
            append_cookie(
                &mut resp,
                &settings.session_cookie(&headers, &session.token),
            );
            append_cookie(&mut resp, &settings.clear_login_cookie(&headers));
            Ok(resp)
        }
        Err(AuthError::BadCredentials) => {
            page(name, "用户名或密码错误。", StatusCode::UNAUTHORIZED).await
        }
        Err(AuthError::TooManyAttempts { retry_after: secs }) => Ok(crate::security::retry_after(
            page(
                name,
                &format!(
                    "登录失败次数过多，已暂停登录，请{}分钟后再试。",
                    (secs + 59) / 60
                ),
                StatusCode::TOO_MANY_REQUESTS,
            )
            .await?,
            secs,
        )),
        Err(AuthError::Disabled) => {
            page(
                name,
                "账号已停用，请联系安全管理员。",
                StatusCode::FORBIDDEN,
            )
            .await
        }
        Err(AuthError::Store(e)) => Err(e.into()),
        Err(other) => Err(PageError::internal(other)),
    }
}

/// `POST /admin/logout`: ends the session and removes the cookie.
pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Write { session: s, .. }: Write<act::ViewDashboard>,
) -> Result<Response, PageError> {
    auth::logout(&state.store, &s.session.token).await?;
    let mut resp = Redirect::to("/admin/login?msg=logout").into_response();
    append_cookie(&mut resp, &s.settings.clear_cookie(&headers));
    Ok(resp)
}

// ---------------------------------------------------------------------------------------
// Dashboard

/// One page of the dashboard, with what the user can do there.
#[derive(Debug, Clone)]
pub struct Card {
    /// The page's name: its first action's label (the navigation shows it).
    pub title: &'static str,
    /// What the user can do on the page, in the order of the access table ("申请查阅、答复办理").
    pub label: String,
    /// The page.
    pub href: &'static str,
}

/// The cards of a role: one per page, naming every action the role has there, in the order of
/// [`Action::ALL`] (the dashboard and the navigation).
pub fn cards_of(role: gongkai_store::auth::Role) -> Vec<Card> {
    let mut cards: Vec<Card> = Vec::new();
    for a in Action::ALL {
        if a == Action::ViewDashboard || !access::allowed(role, a) {
            continue;
        }
        match cards.iter_mut().find(|c| c.href == a.path()) {
            Some(c) => {
                c.label.push('、');
                c.label.push_str(a.label());
            }
            None => cards.push(Card {
                title: a.label(),
                label: a.label().to_string(),
                href: a.path(),
            }),
        }
    }
    cards
}

/// One thing waiting for the user (the head's 待办), with the page where it is done.
#[derive(Debug, Clone)]
pub struct Todo {
    /// What waits, with its count or deadline.
    pub text: String,
    /// Where to do it.
    pub href: String,
    /// Past a legal deadline (shown in the warning colour).
    pub urgent: bool,
}

/// What waits for the head of `agency_id`'s subtree on `today`: overdue and soon-due cases,
/// and last year's annual report while it is unpublished (Art. 49: by 31 January).
async fn head_todos(
    state: &AppState,
    agency_id: i64,
    today: chrono::NaiveDate,
) -> Result<Vec<Todo>, PageError> {
    use chrono::Datelike;
    let mut todos = Vec::new();
    let counts = gongkai_store::views::desk::urgency_counts(&state.store, agency_id, today).await?;
    if counts.overdue > 0 {
        todos.push(Todo {
            text: format!("已超期未答复的申请 {} 件", counts.overdue),
            href: "/admin/cases".into(),
            urgent: true,
        });
    }
    if counts.due_soon > 0 {
        todos.push(Todo {
            text: format!(
                "{} 日内到期的申请 {} 件",
                gongkai_store::views::desk::DUE_SOON_DAYS,
                counts.due_soon
            ),
            href: "/admin/cases".into(),
            urgent: false,
        });
    }
    let year = today.year() - 1;
    let published =
        gongkai_store::models::report_draft::published(&state.store, agency_id, year).await?;
    if published.is_none() {
        let deadline = chrono::NaiveDate::from_ymd_opt(today.year(), 1, 31);
        let late = deadline.is_some_and(|d| today > d);
        todos.push(Todo {
            text: format!(
                "{year}年度政府信息公开工作年度报告尚未发布（法定期限：{}年1月31日{}）",
                today.year(),
                if late { "，已逾期" } else { "" }
            ),
            href: format!("/admin/report/{year}"),
            urgent: late,
        });
    }
    Ok(todos)
}

#[derive(Template)]
#[template(path = "admin/dashboard.html")]
struct DashboardPage {
    page: Page,
    bar: Bar,
    cards: Vec<Card>,
    /// What waits for the user (the head's 待办); empty for other roles.
    todos: Vec<Todo>,
    /// Whether the 待办 panel applies to this role (so "nothing waits" can be said).
    has_todos: bool,
    expires: String,
    /// The latest 保密审查 exceptions, for those who read them (the head).
    exceptions: Vec<super::publish::ExceptionRow>,
}

/// `GET /admin`: what the user's role can do.
pub async fn dashboard(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ViewDashboard>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let cards = cards_of(s.user().role);
    let has_todos = s.user().role == gongkai_store::auth::Role::Head;
    let todos = if has_todos {
        head_todos(
            &state,
            s.user().agency_id.unwrap_or(state.site.agency_id),
            s.settings.today(),
        )
        .await?
    } else {
        Vec::new()
    };
    Ok(render(&DashboardPage {
        page: frame(&state, &headers, path_of(&uri), "工作台", Some(s.user())),
        bar: Bar::of(&state, &s).await?,
        cards,
        todos,
        has_todos,
        expires: beijing(s.session.expires_at),
        exceptions: if access::allowed(s.user().role, Action::ViewReviewExceptions) {
            let since = (s.settings.now() - chrono::Duration::days(90)).timestamp();
            super::publish::exceptions_in_scope(&state, s.user(), since, 10).await?
        } else {
            Vec::new()
        },
    }))
}

// ---------------------------------------------------------------------------------------
// Own password

#[derive(Template)]
#[template(path = "admin/password.html")]
struct PasswordPage {
    page: Page,
    bar: Bar,
    error: String,
}

/// The password form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    old: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    new2: String,
}

/// `GET /admin/password`.
pub async fn password_form(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ChangeOwnPassword>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    Ok(render(&PasswordPage {
        page: frame(
            &state,
            &headers,
            "/admin/password",
            "修改密码",
            Some(s.user()),
        ),
        bar: Bar::of(&state, &s).await?,
        error: String::new(),
    }))
}

/// `POST /admin/password`: changes one's own password; every session of the user ends, so
/// the user signs in again.
pub async fn password_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::ChangeOwnPassword, PasswordForm>,
) -> Result<Response, PageError> {
    access::require(
        &state,
        s.user(),
        Action::ChangeOwnPassword,
        Target::Unscoped,
    )
    .await?;
    let error = if f.new != f.new2 {
        "两次输入的新密码不一致。".to_string()
    } else {
        match auth::change_password(&state.store, s.user().id, &f.old, &f.new, s.settings.now())
            .await
        {
            Ok(()) => {
                let mut resp = Redirect::to("/admin/login?msg=password").into_response();
                append_cookie(&mut resp, &s.settings.clear_cookie(&headers));
                return Ok(resp);
            }
            Err(AuthError::BadCredentials) => "原密码错误。".to_string(),
            Err(AuthError::TooManyAttempts { retry_after }) => format!(
                "原密码错误次数过多，请{}分钟后再试。",
                (retry_after + 59) / 60
            ),
            Err(AuthError::WeakPassword(why)) => format!("新密码不符合要求：{why}。"),
            Err(AuthError::Store(e)) => return Err(e.into()),
            Err(other) => return Err(PageError::internal(other)),
        }
    };
    Ok(with_status(
        render(&PasswordPage {
            page: frame(
                &state,
                &headers,
                "/admin/password",
                "修改密码",
                Some(s.user()),
            ),
            bar: Bar::of(&state, &s).await?,
            error,
        }),
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

// ---------------------------------------------------------------------------------------
// Users (security admin)

/// A user as the list shows it.
#[derive(Debug, Clone)]
pub struct UserRow {
    /// Id, for the forms.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Role, in Chinese.
    pub role: &'static str,
    /// Agency, in Chinese.
    pub agency: String,
    /// 正常, 已停用 or 已锁定至 ….
    pub status: String,
    /// When the user last signed in (Beijing time), or 「从未登录」.
    pub last_sign_in: String,
    /// Whether the user is disabled.
    pub disabled: bool,
    /// Whether the signed-in administrator may change this account here.
    pub manageable: bool,
}

/// A choice in a select.
#[derive(Debug, Clone)]
pub struct Choice {
    /// The submitted value.
    pub value: String,
    /// What is shown.
    pub label: String,
    /// Whether it is selected.
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    page: Page,
    bar: Bar,
    users: Vec<UserRow>,
    roles: Vec<Choice>,
    agencies: Vec<Choice>,
    name: String,
    notice: &'static str,
    error: String,
}

/// The new-user form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct AddUserForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    agency: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

/// The reset form as posted.
#[derive(Debug, Default, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    password2: String,
}

#[allow(clippy::too_many_arguments)]
async fn users_page(
    state: &AppState,
    s: &AdminSession,
    headers: &HeaderMap,
    form: &AddUserForm,
    notice: &'static str,
    error: String,
    status: StatusCode,
) -> Result<Response, PageError> {
    let me = s.user();
    let now = s.settings.now();
    let names = agency_names(state).await?;
    // Only the users of the administrator's subtree are listed: others are invisible.
    let listed = auth::list_users(&state.store, me.agency_id).await?;
    let last = auth::last_sign_ins(&state.store).await?;
    let users = listed
        .into_iter()
        .map(|u| {
            let status = if u.disabled {
                "已停用".to_string()
            } else if let Some(t) = u.locked_until.filter(|t| *t > now) {
                format!("已锁定至 {}", beijing(t))
            } else {
                "正常".to_string()
            };
            UserRow {
                id: u.id.0,
                last_sign_in: last
                    .get(&u.id.0)
                    .map_or_else(|| "从未登录".to_string(), |t| beijing(*t)),
                role: u.role.label(),
                agency: agency_label(&names, u.agency_id),
                status,
                disabled: u.disabled,
                manageable: u.id != me.id && !u.role.is_administrator(),
                name: u.name,
            }
        })
        .collect();
    let roles = Role::ALL
        .into_iter()
        .filter(|r| access::may_assign(me, *r))
        .map(|r| Choice {
            value: r.key().to_string(),
            label: r.label().to_string(),
            selected: form.role == r.key(),
        })
        .collect();
    let in_scope: Vec<i64> = match me.agency_id {
        None => names.keys().copied().collect(),
        Some(root) => agency::subtree_ids(&state.store, root).await?,
    };
    let mut agencies: Vec<Choice> = agency::list(&state.store)
        .await?
        .into_iter()
        .filter(|a| in_scope.contains(&a.id))
        .map(|a| Choice {
            selected: form.agency == a.id.to_string(),
            value: a.id.to_string(),
            label: a.name,
        })
        .collect();
    if me.agency_id.is_none() {
        agencies.insert(
            0,
            Choice {
                value: String::new(),
                label: "全部机关（不限）".to_string(),
                selected: form.agency.is_empty(),
            },
        );
    }
    Ok(with_status(
        render(&UsersPage {
            page: frame(state, headers, "/admin/users", "用户管理", Some(me)),
            bar: Bar::of(state, s).await?,
            users,
            roles,
            agencies,
            name: form.name.clone(),
            notice,
            error,
        }),
        status,
    ))
}

/// `GET /admin/users`: the users of the administrator's subtree and the forms.
pub async fn users(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ManageUsers>,
    headers: HeaderMap,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    users_page(
        &state,
        &s,
        &headers,
        &AddUserForm::default(),
        notice(q.msg.as_deref()),
        String::new(),
        StatusCode::OK,
    )
    .await
}

/// `POST /admin/users`: adds a user of a business role in the administrator's subtree.
pub async fn user_add(
    State(state): State<AppState>,
    headers: HeaderMap,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::ManageUsers, AddUserForm>,
) -> Result<Response, PageError> {
    access::require(&state, s.user(), Action::ManageUsers, Target::Unscoped).await?;
    let Some(role) = Role::parse(&f.role) else {
        return users_page(
            &state,
            &s,
            &headers,
            &f,
            "",
            "请选择角色。".to_string(),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    let agency_id = match f.agency.trim() {
        "" => None,
        a => match a.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                return users_page(
                    &state,
                    &s,
                    &headers,
                    &f,
                    "",
                    "请选择所属机关。".to_string(),
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await;
            }
        },
    };
    access::require_create_user(&state, s.user(), role, agency_id).await?;
    let error = if f.password != f.password2 {
        "两次输入的密码不一致。".to_string()
    } else {
        let new = NewUser {
            name: f.name.trim().to_string(),
            role,
            agency_id,
        };
        match auth::create_user(
            &state.store,
            &s.user().name,
            &new,
            &f.password,
            s.settings.now(),
        )
        .await
        {
            Ok(_) => return Done::to("/admin/users", "added"),
            Err(AuthError::WeakPassword(why)) => format!("密码不符合要求：{why}。"),
            Err(AuthError::BadName(why)) => format!("用户名无效：{why}。"),
            Err(AuthError::NameTaken(_)) => "该用户名已存在。".to_string(),
            Err(AuthError::Store(StoreError::NotFound(_))) => "所属机关不存在。".to_string(),
            Err(AuthError::Store(e)) => return Err(e.into()),
            Err(other) => return Err(PageError::internal(other)),
        }
    };
    users_page(
        &state,
        &s,
        &headers,
        &f,
        "",
        error,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// The target of a user action, looked up; unknown ids answer 403 like foreign ones, so ids
/// outside the subtree cannot be told from missing ones.
async fn target_user(state: &AppState, s: &AdminSession, id: i64) -> Result<User, PageError> {
    match auth::get_user(&state.store, UserId(id)).await {
        Ok(u) => {
            access::require_manage_user(state, s.user(), &u).await?;
            Ok(u)
        }
        Err(StoreError::NotFound(_)) => {
            access::require(state, s.user(), Action::ManageUsers, Target::Unscoped).await?;
            Err(access::forbidden())
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/users/{id}/disable`: the user can no longer sign in; its sessions end.
pub async fn user_disable(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Write { session: s, .. }: Write<act::ManageUsers>,
) -> Result<Response, PageError> {
    let target = target_user(&state, &s, id).await?;
    auth::disable_user(&state.store, &s.user().name, target.id, s.settings.now()).await?;
    Done::to("/admin/users", "disabled")
}

/// `POST /admin/users/{id}/enable`.
pub async fn user_enable(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Write { session: s, .. }: Write<act::ManageUsers>,
) -> Result<Response, PageError> {
    let target = target_user(&state, &s, id).await?;
    auth::enable_user(&state.store, &s.user().name, target.id, s.settings.now()).await?;
    Done::to("/admin/users", "enabled")
}

/// `POST /admin/users/{id}/password`: sets a new password and lifts a lock.
pub async fn user_reset_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Write {
        session: s,
        form: f,
        ..
    }: Write<act::ManageUsers, ResetForm>,
) -> Result<Response, PageError> {
    let target = target_user(&state, &s, id).await?;
    let error = if f.password != f.password2 {
        "两次输入的密码不一致。".to_string()
    } else {
        match auth::reset_password(
            &state.store,
            &s.user().name,
            target.id,
            &f.password,
            s.settings.now(),
        )
        .await
        {
            Ok(()) => return Done::to("/admin/users", "reset"),
            Err(AuthError::WeakPassword(why)) => format!("密码不符合要求：{why}。"),
            Err(AuthError::Store(e)) => return Err(e.into()),
            Err(other) => return Err(PageError::internal(other)),
        }
    };
    users_page(
        &state,
        &s,
        &headers,
        &AddUserForm::default(),
        "",
        format!("重置「{}」的密码失败：{error}", target.name),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}
