//! The back office through its router (`Router::new().merge(router_with(..))`), on a
//! temporary SQLite store with a fixed clock: sign-in with CSRF, cookie attributes and
//! security headers, the lockout message, CSRF refusals on every form, the Role × action
//! table answered as 403, agency scope of user management, the 三员 accounts out of the
//! browser's reach, the audit-log check, idle timeout and sign-out.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, Duration, TimeZone, Utc};
use gongkai_store::audit;
use gongkai_store::auth::{self, Role, User};
use gongkai_store::models::agency::{self, AgencyLevel};

use super::{AdminSettings, CookieSecurity, SESSION_COOKIE};
use crate::AppState;
use crate::admin::test_support::{self as support, Answer, PASSWORD, urlencode};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).single().unwrap()
}

struct Fx {
    app: Router,
    state: AppState,
    clock: Arc<Mutex<DateTime<Utc>>>,
    _dir: tempfile::TempDir,
    county: i64,
    edu: i64,
    town: i64,
    other_county: i64,
}

impl Fx {
    async fn new() -> Fx {
        let (store, dir) = support::store().await;
        let county = agency::ensure(&store, "t", "甲县人民政府", AgencyLevel::County, None, None)
            .await
            .unwrap()
            .id;
        let edu = agency::ensure(
            &store,
            "t",
            "甲县教育局",
            AgencyLevel::Department,
            Some(county),
            None,
        )
        .await
        .unwrap()
        .id;
        let town = agency::ensure(
            &store,
            "t",
            "甲县城关镇人民政府",
            AgencyLevel::Township,
            Some(county),
            None,
        )
        .await
        .unwrap()
        .id;
        let other_county =
            agency::ensure(&store, "t", "乙县人民政府", AgencyLevel::County, None, None)
                .await
                .unwrap()
                .id;
        let state = support::state(store, county);
        let clock = Arc::new(Mutex::new(t0()));
        let c = clock.clone();
        let settings = AdminSettings {
            secure_cookie: CookieSecurity::Auto,
            clock: Arc::new(move || *c.lock().unwrap()),
        };
        let app = support::app(&state, settings);
        Fx {
            app,
            state,
            clock,
            _dir: dir,
            county,
            edu,
            town,
            other_county,
        }
    }

    fn advance(&self, d: Duration) {
        *self.clock.lock().unwrap() += d;
    }

    fn now(&self) -> DateTime<Utc> {
        *self.clock.lock().unwrap()
    }

    async fn user(&self, name: &str, role: Role, agency_id: Option<i64>) -> User {
        support::account(&self.state, name, role, agency_id, self.now()).await
    }

    /// Signs `name` in through the store and returns (cookie header, CSRF token).
    async fn session(&self, name: &str) -> (String, String) {
        let s = auth::login(&self.state.store, name, PASSWORD, self.now())
            .await
            .unwrap();
        (
            format!("{SESSION_COOKIE}={}", s.token.as_str()),
            s.csrf.clone(),
        )
    }

    async fn send(&self, req: Request<Body>) -> Answer {
        support::send(&self.app, req).await
    }

    async fn get(&self, path: &str, cookie: &str) -> Answer {
        support::get(&self.app, path, cookie).await
    }

    async fn post(&self, path: &str, cookie: &str, form: &[(&str, &str)]) -> Answer {
        support::post(&self.app, path, cookie, form).await
    }

    async fn post_from(&self, ip: &str, path: &str, cookie: &str, form: &[(&str, &str)]) -> Answer {
        support::post_from(&self.app, ip, path, cookie, form).await
    }
}

fn set_cookies(h: &header::HeaderMap) -> Vec<String> {
    h.get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect()
}

fn location(h: &header::HeaderMap) -> &str {
    h.get(header::LOCATION).unwrap().to_str().unwrap()
}

/// The sign-in form's pre-session: (cookie header, token).
async fn login_csrf(fx: &Fx) -> (String, String) {
    support::login_form(&fx.app).await
}

#[tokio::test]
async fn sign_in_sets_a_strict_cookie_and_the_pages_carry_the_headers() {
    let fx = Fx::new().await;
    fx.user("sec.admin", Role::SecurityAdmin, None).await;
    // Not signed in: pages send to the sign-in page.
    let (status, h, _) = fx.get("/admin", "").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&h), "/admin/login");
    let (csrf_cookie, token) = login_csrf(&fx).await;
    // Without the CSRF token: refused.
    let (status, _, body) = fx
        .post(
            "/admin/login",
            &csrf_cookie,
            &[("name", "sec.admin"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("页面已过期"));
    // A wrong password: told in Chinese, no cookie.
    let (status, h, body) = fx
        .post(
            "/admin/login",
            &csrf_cookie,
            &[
                ("name", "sec.admin"),
                ("password", "Wrong-Secret-1"),
                ("csrf", &token),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("用户名或密码错误"), "{body}");
    assert!(!body.contains("Wrong-Secret-1"));
    assert!(
        set_cookies(&h)
            .iter()
            .all(|c| !c.starts_with(SESSION_COOKIE))
    );
    // The right one: a session cookie, HttpOnly, SameSite=Strict, Path=/admin, not Secure
    // over plain HTTP.
    let (status, h, _) = fx
        .post(
            "/admin/login",
            &csrf_cookie,
            &[
                ("name", "sec.admin"),
                ("password", PASSWORD),
                ("csrf", &token),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&h), "/admin");
    let session = set_cookies(&h)
        .into_iter()
        .find(|c| c.starts_with(&format!("{SESSION_COOKIE}=")))
        .unwrap();
    for attr in ["HttpOnly", "SameSite=Strict", "Path=/admin"] {
        assert!(session.contains(attr), "{session}");
    }
    assert!(!session.contains("Secure"), "{session}");
    let cookie = session.split(';').next().unwrap().to_string();
    let (status, h, body) = fx.get("/admin", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("sec.admin") && body.contains("安全管理员"));
    assert!(body.contains("用户管理"));
    for (name, value) in [
        ("cache-control", "no-store"),
        ("x-frame-options", "DENY"),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
    ] {
        assert_eq!(h.get(name).unwrap(), value, "{name}");
    }
    assert!(
        h.get("content-security-policy")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    // The form was good for that one sign-in: its pre-session is over.
    let (status, _, _) = fx
        .post(
            "/admin/login",
            &csrf_cookie,
            &[
                ("name", "sec.admin"),
                ("password", PASSWORD),
                ("csrf", &token),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Behind a TLS proxy the cookie is Secure.
    let (csrf_cookie, token) = login_csrf(&fx).await;
    let req = Request::post("/admin/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &csrf_cookie)
        .header("x-forwarded-proto", "https")
        .body(Body::from(format!(
            "name=sec.admin&password={}&csrf={token}",
            urlencode(PASSWORD)
        )))
        .unwrap();
    let (status, h, _) = fx.send(req).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        set_cookies(&h)
            .iter()
            .any(|c| c.starts_with(SESSION_COOKIE) && c.contains("; Secure"))
    );
}

/// Five wrong passwords for one name from one address stop that name from that address for
/// 15 minutes, with the same answer for a name that does not exist; the owner signs in from
/// another address meanwhile (nobody can lock an account for its owner).
#[tokio::test]
async fn sign_in_limits_answer_the_same_for_unknown_names() {
    let fx = Fx::new().await;
    fx.user("handler.a", Role::Handler, Some(fx.county)).await;
    let (csrf_cookie, token) = login_csrf(&fx).await;
    let mut answers = Vec::new();
    for name in ["handler.a", "no.such.user"] {
        let wrong = [
            ("name", name),
            ("password", "Wrong-Secret-1"),
            ("csrf", token.as_str()),
        ];
        for _ in 0..5 {
            let (status, _, body) = fx.post("/admin/login", &csrf_cookie, &wrong).await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
            assert!(body.contains("用户名或密码错误"));
        }
        let (status, h, body) = fx.post("/admin/login", &csrf_cookie, &wrong).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(h[header::RETRY_AFTER], "900");
        assert!(!body.contains("锁定至"), "{body}");
        let start = body.find("登录失败次数过多").expect("message");
        answers.push(body[start..].chars().take(30).collect::<String>());
    }
    assert_eq!(
        answers[0], answers[1],
        "unknown and known names are told apart"
    );
    // The right password from this address waits; from another address it signs in.
    let right = [
        ("name", "handler.a"),
        ("password", PASSWORD),
        ("csrf", token.as_str()),
    ];
    let (status, _, _) = fx.post("/admin/login", &csrf_cookie, &right).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let (status, _, _) = fx
        .post_from("10.9.9.9", "/admin/login", &csrf_cookie, &right)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    fx.advance(Duration::minutes(15));
    let (csrf_cookie, token) = login_csrf(&fx).await;
    let right = [
        ("name", "handler.a"),
        ("password", PASSWORD),
        ("csrf", token.as_str()),
    ];
    let (status, _, _) = fx.post("/admin/login", &csrf_cookie, &right).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

/// The sign-in form's token is bound to a pre-session kept by the server (issue 12.4): a
/// cookie and field the attacker chose together, a token of another pre-session, an expired
/// form, all are refused before any password is checked; a browser that opens the form again
/// keeps its pre-session.
#[tokio::test]
async fn the_sign_in_token_is_bound_to_a_server_side_pre_session() {
    let fx = Fx::new().await;
    fx.user("sec.admin", Role::SecurityAdmin, None).await;
    let form = |token: &str| {
        vec![
            ("name".to_string(), "sec.admin".to_string()),
            ("password".to_string(), PASSWORD.to_string()),
            ("csrf".to_string(), token.to_string()),
        ]
    };
    let post = |cookie: String, token: String| {
        let fx = &fx;
        async move {
            let f = form(&token);
            let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            fx.post("/admin/login", &cookie, &refs).await
        }
    };
    let chosen = "ab".repeat(32);
    // The old double-submit pair, set by an attacker in both places: refused.
    for cookie in [
        format!("gk_csrf={chosen}"),
        format!("gk_login={chosen}"),
        format!("gk_login={chosen}; gk_csrf={chosen}"),
    ] {
        let (status, h, body) = post(cookie.clone(), chosen.clone()).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{cookie}");
        assert!(body.contains("页面已过期"));
        assert!(
            set_cookies(&h)
                .iter()
                .all(|c| !c.starts_with(SESSION_COOKIE))
        );
    }
    // Two forms: each token goes only with its own cookie.
    let (cookie_a, token_a) = login_csrf(&fx).await;
    let (cookie_b, token_b) = login_csrf(&fx).await;
    assert_ne!(token_a, token_b);
    let (status, _, _) = post(cookie_a.clone(), token_b.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Opening the form again keeps the browser's pre-session and its token.
    let (_, h, body) = fx.get("/admin/login", &cookie_a).await;
    assert!(set_cookies(&h).iter().all(|c| !c.starts_with("gk_login=")));
    assert!(body.contains(&token_a));
    // No password was checked for any refusal above.
    let checks = audit::recent(&fx.state.store, 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action.starts_with("user.login"))
        .count();
    assert_eq!(checks, 0);
    // After 30 minutes the form is stale.
    fx.advance(Duration::minutes(31));
    let (status, _, _) = post(cookie_b, token_b).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // A fresh form signs in, and its cookie is cleared with the sign-in.
    let (cookie, token) = login_csrf(&fx).await;
    let (status, h, _) = post(cookie, token).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        set_cookies(&h)
            .iter()
            .any(|c| c.starts_with("gk_login=;") && c.contains("Max-Age=0"))
    );
}

/// A common password is refused on the password page too, naming the field.
#[tokio::test]
async fn a_common_new_password_is_refused_on_the_password_page() {
    let fx = Fx::new().await;
    fx.user("head.a", Role::Head, Some(fx.county)).await;
    let (cookie, csrf) = fx.session("head.a").await;
    let (status, _, body) = fx
        .post(
            "/admin/password",
            &cookie,
            &[
                ("csrf", &csrf),
                ("old", PASSWORD),
                ("new", "Password123!"),
                ("new2", "Password123!"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("新密码不符合要求：过于常见或容易猜中"),
        "{body}"
    );
    // Nothing changed: the session goes on, the old password still signs in.
    let (status, _, _) = fx.get("/admin", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    auth::login(&fx.state.store, "head.a", PASSWORD, fx.now())
        .await
        .unwrap();
}

#[tokio::test]
async fn admin_posts_without_the_session_token_are_refused() {
    let fx = Fx::new().await;
    fx.user("sec.admin", Role::SecurityAdmin, None).await;
    let editor = fx.user("editor.a", Role::Editor, Some(fx.edu)).await;
    let (cookie, csrf) = fx.session("sec.admin").await;
    let add = |token: &'static str| {
        [
            ("name", "new.user"),
            ("role", "editor"),
            ("agency", ""),
            ("password", PASSWORD),
            ("password2", PASSWORD),
            ("csrf", token),
        ]
    };
    let disable = format!("/admin/users/{}/disable", editor.id);
    let reset = format!("/admin/users/{}/password", editor.id);
    // The portal's double-submit token is no key to the back office: the token is bound to
    // the session.
    let with_portal_cookie = format!("{cookie}; gk_csrf={}", "a".repeat(64));
    for (path, c) in [
        ("/admin/users", cookie.as_str()),
        (disable.as_str(), cookie.as_str()),
        (reset.as_str(), cookie.as_str()),
        ("/admin/password", cookie.as_str()),
        ("/admin/logout", cookie.as_str()),
        ("/admin/users", with_portal_cookie.as_str()),
    ] {
        let (status, _, _) = fx.post(path, c, &add("")[..5]).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path} without a token");
        let forged = "a".repeat(64);
        let mut form = add("").to_vec();
        form[5] = ("csrf", forged.as_str());
        let (status, _, body) = fx.post(path, c, &form).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path} with a wrong token");
        assert!(body.contains("页面已过期"));
    }
    // Nothing happened: no user added, the editor not disabled, the session alive.
    assert!(
        auth::find_user(&fx.state.store, "new.user")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        !auth::get_user(&fx.state.store, editor.id)
            .await
            .unwrap()
            .disabled
    );
    let (status, _, _) = fx.get("/admin", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    // With the session's token the same form works.
    let mut form = add("").to_vec();
    form[5] = ("csrf", csrf.as_str());
    let (status, h, _) = fx.post("/admin/users", &cookie, &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&h), "/admin/users?msg=added");
    // A POST without any session is refused, not redirected.
    let (status, _, _) = fx.post("/admin/users", "", &form).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// Every page and action of the back office with the roles that may reach it, written out
/// here rather than read from the access table, so the test checks the table too.
fn routes(target: i64) -> Vec<(&'static str, String, &'static [Role])> {
    const ALL: &[Role] = &Role::ALL;
    const SEC: &[Role] = &[Role::SecurityAdmin];
    vec![
        ("GET", "/admin".into(), ALL),
        ("GET", "/admin/password".into(), ALL),
        ("GET", "/admin/users".into(), SEC),
        ("POST", "/admin/users".into(), SEC),
        ("POST", format!("/admin/users/{target}/disable"), SEC),
        ("POST", format!("/admin/users/{target}/enable"), SEC),
        ("POST", format!("/admin/users/{target}/password"), SEC),
        ("GET", "/admin/audit".into(), &[Role::AuditAdmin]),
        ("GET", "/admin/audit.csv".into(), &[Role::AuditAdmin]),
    ]
}

#[tokio::test]
async fn every_role_gets_403_where_it_must_not_reach() {
    let fx = Fx::new().await;
    let target = fx.user("target.editor", Role::Editor, Some(fx.edu)).await;
    for role in Role::ALL {
        let name = format!("u.{}", role.key());
        fx.user(&name, role, Some(fx.county)).await;
        let (cookie, csrf) = fx.session(&name).await;
        for (method, path, may) in routes(target.id.0) {
            let (status, _, _) = if method == "GET" {
                fx.get(&path, &cookie).await
            } else {
                fx.post(
                    &path,
                    &cookie,
                    &[
                        ("csrf", csrf.as_str()),
                        ("name", "made.by.test"),
                        ("role", "editor"),
                        ("agency", &fx.edu.to_string()),
                        ("password", "Another-Secret-9"),
                        ("password2", "Another-Secret-9"),
                    ],
                )
                .await
            };
            if may.contains(&role) {
                assert_ne!(status, StatusCode::FORBIDDEN, "{role:?} {method} {path}");
                assert!(
                    status.is_success() || status.is_redirection(),
                    "{role:?} {path}: {status}"
                );
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{role:?} {method} {path}");
            }
        }
    }
    // Every refusal is in the audit log.
    let denied = audit::recent(&fx.state.store, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "access.denied")
        .count();
    let expected: usize = Role::ALL
        .iter()
        .map(|r| {
            routes(0)
                .iter()
                .filter(|(_, _, may)| !may.contains(r))
                .count()
        })
        .sum();
    assert_eq!(denied, expected);
    // Only the security admin's requests acted: the target was re-enabled last and holds the
    // reset password; only the one user was made.
    assert!(
        auth::find_user(&fx.state.store, "made.by.test")
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn a_scoped_security_admin_sees_and_touches_only_its_subtree() {
    let fx = Fx::new().await;
    fx.user("edu.sec", Role::SecurityAdmin, Some(fx.edu)).await;
    fx.user("edu.editor", Role::Editor, Some(fx.edu)).await;
    let town = fx.user("town.editor", Role::Editor, Some(fx.town)).await;
    let other = fx
        .user("other.handler", Role::Handler, Some(fx.other_county))
        .await;
    fx.user("site.audit", Role::AuditAdmin, None).await;
    let (cookie, csrf) = fx.session("edu.sec").await;
    let (status, _, body) = fx.get("/admin/users", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("edu.editor"));
    for hidden in ["town.editor", "other.handler", "site.audit", "乙县人民政府"] {
        assert!(!body.contains(hidden), "{hidden} visible to a scoped admin");
    }
    // Acting on them is refused, and so is adding a user outside the subtree (or for the
    // whole tree).
    for u in [&town, &other] {
        let (status, _, _) = fx
            .post(
                &format!("/admin/users/{}/disable", u.id),
                &cookie,
                &[("csrf", &csrf)],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert!(
            !auth::get_user(&fx.state.store, u.id)
                .await
                .unwrap()
                .disabled
        );
    }
    for agency in [
        fx.town.to_string(),
        fx.other_county.to_string(),
        String::new(),
    ] {
        let (status, _, _) = fx
            .post(
                "/admin/users",
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("name", "outsider"),
                    ("role", "editor"),
                    ("agency", &agency),
                    ("password", PASSWORD),
                    ("password2", PASSWORD),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "agency {agency:?}");
    }
    // An unknown id answers like a foreign one.
    let (status, _, _) = fx
        .post("/admin/users/999999/disable", &cookie, &[("csrf", &csrf)])
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // The county's own security admin sees the town but not the other county.
    fx.user("county.sec", Role::SecurityAdmin, Some(fx.county))
        .await;
    let (cookie, _) = fx.session("county.sec").await;
    let (_, _, body) = fx.get("/admin/users", &cookie).await;
    assert!(body.contains("town.editor") && body.contains("edu.editor"));
    assert!(!body.contains("other.handler"));
}

#[tokio::test]
async fn the_three_administrators_are_out_of_the_browsers_reach() {
    let fx = Fx::new().await;
    let me = fx.user("sec.admin", Role::SecurityAdmin, None).await;
    let auditor = fx.user("auditor", Role::AuditAdmin, None).await;
    let sys = fx.user("sysadmin", Role::SystemAdmin, None).await;
    let (cookie, csrf) = fx.session("sec.admin").await;
    for u in [&auditor, &sys, &me] {
        for action in ["disable", "password"] {
            let (status, _, _) = fx
                .post(
                    &format!("/admin/users/{}/{action}", u.id),
                    &cookie,
                    &[
                        ("csrf", &csrf),
                        ("password", "Taken-Over-123"),
                        ("password2", "Taken-Over-123"),
                    ],
                )
                .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{} {action}", u.name);
        }
    }
    for role in ["audit_admin", "system_admin", "security_admin"] {
        let (status, _, _) = fx
            .post(
                "/admin/users",
                &cookie,
                &[
                    ("csrf", &csrf),
                    ("name", "second.admin"),
                    ("role", role),
                    ("agency", ""),
                    ("password", PASSWORD),
                    ("password2", PASSWORD),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role}");
    }
    // The auditor still signs in with the old password.
    auth::login(&fx.state.store, "auditor", PASSWORD, fx.now())
        .await
        .unwrap();
}

#[tokio::test]
async fn user_management_works_for_the_security_admin() {
    let fx = Fx::new().await;
    fx.user("sec.admin", Role::SecurityAdmin, Some(fx.county))
        .await;
    let (cookie, csrf) = fx.session("sec.admin").await;
    let edu = fx.edu.to_string();
    let form = |pw: &'static str, pw2: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("name", "li.reviewer".to_string()),
            ("role", "reviewer".to_string()),
            ("agency", edu.clone()),
            ("password", pw.to_string()),
            ("password2", pw2.to_string()),
        ]
    };
    let as_refs = |v: &Vec<(&'static str, String)>| {
        v.iter()
            .map(|(k, v)| (*k, v.clone()))
            .collect::<Vec<(&str, String)>>()
    };
    let send = |v: Vec<(&'static str, String)>| {
        let fx = &fx;
        let cookie = cookie.clone();
        async move {
            let v = as_refs(&v);
            let refs: Vec<(&str, &str)> = v.iter().map(|(k, v)| (*k, v.as_str())).collect();
            fx.post("/admin/users", &cookie, &refs).await
        }
    };
    let (status, _, body) = send(form("weak", "weak")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("密码不符合要求"));
    // A common password with every class in it: refused by the list, the field named.
    let (status, _, body) = send(form("Password123", "Password123")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("密码不符合要求：过于常见或容易猜中"),
        "{body}"
    );
    let (status, _, body) = send(form(PASSWORD, "Other-Secret-1")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("两次输入的密码不一致"));
    let (status, _, _) = send(form(PASSWORD, PASSWORD)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, body) = fx.get("/admin/users?msg=added", &cookie).await;
    assert!(body.contains("用户已添加") && body.contains("li.reviewer") && body.contains("审核人"));
    assert!(body.contains("甲县教育局"));
    let li = auth::find_user(&fx.state.store, "li.reviewer")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(li.agency_id, Some(fx.edu));
    // Reset, disable (ends the user's session), enable.
    let (li_cookie, _) = fx.session("li.reviewer").await;
    let (status, _, _) = fx
        .post(
            &format!("/admin/users/{}/password", li.id),
            &cookie,
            &[
                ("csrf", &csrf),
                ("password", "Reset-Secret-77"),
                ("password2", "Reset-Secret-77"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = fx.get("/admin", &li_cookie).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "a reset ends the sessions");
    auth::login(&fx.state.store, "li.reviewer", "Reset-Secret-77", fx.now())
        .await
        .unwrap();
    let (status, _, _) = fx
        .post(
            &format!("/admin/users/{}/disable", li.id),
            &cookie,
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, body) = fx.get("/admin/users", &cookie).await;
    assert!(body.contains("已停用"));
    let (status, _, _) = fx
        .post(
            &format!("/admin/users/{}/enable", li.id),
            &cookie,
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let actions: Vec<String> = audit::recent(&fx.state.store, 50)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.actor == "sec.admin")
        .map(|e| e.action)
        .collect();
    for a in [
        "user.create",
        "user.password_reset",
        "user.disable",
        "user.enable",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a}");
    }
}

#[tokio::test]
async fn the_audit_page_checks_the_chain() {
    let fx = Fx::new().await;
    fx.user("auditor", Role::AuditAdmin, None).await;
    let (cookie, _) = fx.session("auditor").await;
    // A refusal through the router: audited with the request's address.
    let (status, _, _) = fx.get("/admin/users", &cookie).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, body) = fx.get("/admin/audit", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("哈希链校验通过"), "{body}");
    // Actions in Chinese (the code stays in a tooltip), detail as a readable summary.
    assert!(
        body.contains(">登录</span>") && body.contains(">新建机关</span>"),
        "{body}"
    );
    assert!(!body.contains(PASSWORD));
    // Where each change came from: the refusal's client address; records made outside a
    // request (the fixture's, as the command line makes them) say so.
    assert!(
        body.contains(">127.0.0.1</td>") && body.contains(">本机（命令行）</td>"),
        "{body}"
    );
    // Filters: one action, a date range, and a bad date named in Chinese.
    let (status, _, body) = fx.get("/admin/audit?action=user.login", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains(">登录</span>") && !body.contains(">新建机关</span>"),
        "{body}"
    );
    let (_, _, body) = fx.get("/admin/audit?action=agency.", &cookie).await;
    assert!(
        body.contains(">新建机关</span>") && !body.contains(">登录</span>"),
        "{body}"
    );
    let (_, _, body) = fx
        .get("/admin/audit?from=2001-01-01&to=2001-12-31", &cookie)
        .await;
    assert!(
        body.contains("（0 条，新记录在前）") && body.contains("没有符合条件的记录"),
        "{body}"
    );
    let (status, _, body) = fx.get("/admin/audit?from=2026-13-01", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("「起始日期」应为 年-月-日 格式的日期"),
        "{body}"
    );
    // The same selection as CSV, with a BOM, Chinese headers and every entry's hash.
    let (status, h, csv) = fx.get("/admin/audit.csv?action=user.", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        h.get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(csv.starts_with('\u{feff}'), "BOM");
    assert!(
        csv.contains("序号,时间（北京时间）,操作人,来源地址,操作,操作代码"),
        "{csv}"
    );
    assert!(
        csv.contains(",登录,user.login,") && !csv.contains("agency.create"),
        "{csv}"
    );
    let (status, _, _) = fx.get("/admin/audit.csv?to=yesterday", &cookie).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // Tamper with an entry behind the triggers' back: the page says where the chain breaks.
    let pool = fx.state.store.sqlite_pool().unwrap();
    sqlx::query("DROP TRIGGER audit_log_no_update")
        .execute(pool)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET actor = 'someone' WHERE seq = 2")
        .execute(pool)
        .await
        .unwrap();
    let (status, _, body) = fx.get("/admin/audit", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("哈希链校验失败：第 2 条"), "{body}");
}

#[tokio::test]
async fn idle_sessions_end_and_sign_out_works() {
    let fx = Fx::new().await;
    fx.user("editor.a", Role::Editor, Some(fx.edu)).await;
    let (cookie, csrf) = fx.session("editor.a").await;
    fx.advance(Duration::minutes(29));
    let (status, _, body) = fx.get("/admin", &cookie).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("信息起草"));
    fx.advance(Duration::minutes(29));
    let (status, _, _) = fx.get("/admin", &cookie).await;
    assert_eq!(status, StatusCode::OK, "each request slides the idle timer");
    fx.advance(Duration::minutes(30));
    let (status, h, _) = fx.get("/admin", &cookie).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(location(&h), "/admin/login?msg=expired");
    assert!(set_cookies(&h).iter().any(|c| c.contains("Max-Age=0")));
    let (_, _, body) = fx.get("/admin/login?msg=expired", "").await;
    assert!(body.contains("登录已超时"));

    let (cookie, csrf2) = fx.session("editor.a").await;
    assert_ne!(csrf, csrf2, "each session has its own CSRF token");
    let (status, h, _) = fx.post("/admin/logout", &cookie, &[("csrf", &csrf2)]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        set_cookies(&h)
            .iter()
            .any(|c| c.starts_with(&format!("{SESSION_COOKIE}=;")) && c.contains("Max-Age=0"))
    );
    let (status, _, _) = fx.get("/admin", &cookie).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

/// Every route of the back office with the roles that may use it, written out here rather
/// than read from the access table, so a handler asking for the wrong action is caught.
/// `{app}`, `{item}`, `{letter}`, `{appeal}`, `{user}` stand for records of the signed-in
/// user's own agency; the other ids do not exist, which a refused role must never learn
/// (it gets 403 before any lookup).
const EVERY_ROUTE: &[(&str, &str, &[Role])] = {
    use Role::*;
    const ALL: &[Role] = &Role::ALL;
    &[
        ("GET", "/admin", ALL),
        ("GET", "/admin/", ALL),
        ("GET", "/admin/password", ALL),
        ("POST", "/admin/password", ALL),
        ("GET", "/admin/users", &[SecurityAdmin]),
        ("POST", "/admin/users", &[SecurityAdmin]),
        ("POST", "/admin/users/{user}/disable", &[SecurityAdmin]),
        ("POST", "/admin/users/{user}/enable", &[SecurityAdmin]),
        ("POST", "/admin/users/{user}/password", &[SecurityAdmin]),
        ("GET", "/admin/sites", &[SystemAdmin]),
        ("POST", "/admin/sites", &[SystemAdmin]),
        ("GET", "/admin/api-tokens", &[SecurityAdmin]),
        ("POST", "/admin/api-tokens", &[SecurityAdmin]),
        ("POST", "/admin/api-tokens/999999/revoke", &[SecurityAdmin]),
        ("GET", "/admin/audit", &[AuditAdmin]),
        ("GET", "/admin/audit.csv", &[AuditAdmin]),
        // 依申请公开 desk.
        ("GET", "/admin/cases", &[Handler, Head]),
        ("GET", "/admin/cases/new", &[Handler]),
        ("POST", "/admin/cases", &[Handler]),
        ("GET", "/admin/cases/{app}", &[Handler, Head]),
        ("POST", "/admin/cases/{app}/events", &[Handler]),
        ("POST", "/admin/cases/{app}/reply", &[Handler]),
        ("POST", "/admin/cases/{app}/close", &[Handler]),
        ("GET", "/admin/cases/{app}/letters/999999", &[Handler, Head]),
        (
            "POST",
            "/admin/cases/{app}/corrections/999999/accept",
            &[Handler],
        ),
        (
            "GET",
            "/admin/cases/{app}/correction-files/999999",
            &[Handler, Head],
        ),
        ("GET", "/admin/letter-settings", &[Head]),
        ("POST", "/admin/letter-settings", &[Head]),
        // 网站设置 (footer codes, the 指南's office): the system admin (三员).
        ("GET", "/admin/site-settings", &[SystemAdmin]),
        ("POST", "/admin/site-settings", &[SystemAdmin]),
        ("GET", "/admin/cases/all", &[Handler, Head]),
        ("GET", "/admin/cases/ledger.xlsx", &[Handler, Head]),
        ("GET", "/admin/cases/{app}/delivery", &[Handler, Head]),
        ("POST", "/admin/cases/{app}/reveal", &[Handler, Head]),
        ("POST", "/admin/cases/{app}/delivery/mailed", &[Handler]),
        ("POST", "/admin/cases/{app}/delivery/signed", &[Handler]),
        ("GET", "/admin/cases/{app}/fee", &[Handler, Head]),
        ("GET", "/admin/cases/{app}/releases", &[Handler, Head]),
        (
            "GET",
            "/admin/cases/{app}/releases/999999",
            &[Handler, Head],
        ),
        ("POST", "/admin/cases/{app}/fee/notice", &[Handler]),
        ("GET", "/admin/cases/{app}/fee/notice", &[Handler, Head]),
        ("POST", "/admin/cases/{app}/fee/payment", &[Handler]),
        // Publishing through the 保密审查 gate.
        ("GET", "/admin/publish", &[Editor, Reviewer, Head]),
        ("POST", "/admin/publish/drafts", &[Editor]),
        ("GET", "/admin/publish/{item}", &[Editor, Reviewer, Head]),
        (
            "POST",
            "/admin/publish/{item}/findings/999999/mask",
            &[Reviewer],
        ),
        (
            "POST",
            "/admin/publish/{item}/findings/999999/exception",
            &[Reviewer],
        ),
        ("GET", "/admin/publish/exceptions", &[Reviewer, Head]),
        ("POST", "/admin/publish/{item}/approve", &[Reviewer]),
        ("POST", "/admin/publish/{item}/return", &[Reviewer]),
        ("POST", "/admin/publish/{item}/edit", &[Editor]),
        ("POST", "/admin/publish/{item}/revise", &[Editor]),
        ("POST", "/admin/publish/{item}/repeal", &[Reviewer, Head]),
        ("POST", "/admin/publish/{item}/withdraw", &[Reviewer, Head]),
        (
            "GET",
            "/admin/publish/{item}/attachments/999999",
            &[Editor, Reviewer, Head],
        ),
        (
            "POST",
            "/admin/publish/{item}/attachments/999999/delete",
            &[Editor],
        ),
        ("GET", "/admin/words", &[Reviewer]),
        ("POST", "/admin/words", &[Reviewer]),
        ("POST", "/admin/words/999999/delete", &[Reviewer]),
        ("GET", "/admin/severe-words", &[Reviewer]),
        ("POST", "/admin/severe-words", &[Reviewer]),
        ("POST", "/admin/severe-words/999999/delete", &[Reviewer]),
        // Supervision, registry, report.
        ("GET", "/admin/supervision", &[Reviewer, Head, Superior]),
        ("POST", "/admin/supervision/trainings", &[Reviewer, Head]),
        ("POST", "/admin/supervision/inspections", &[Reviewer, Head]),
        ("POST", "/admin/supervision/accountability", &[Head]),
        ("POST", "/admin/supervision/commendations", &[Head]),
        ("GET", "/admin/registry", &[Editor, Reviewer]),
        ("POST", "/admin/registry/accounts", &[Editor, Reviewer]),
        ("POST", "/admin/registry/events", &[Editor, Reviewer]),
        ("GET", "/admin/report", &[Handler, Head]),
        ("GET", "/admin/report/2025", &[Handler, Head]),
        ("POST", "/admin/report/2025/save", &[Handler, Head]),
        ("POST", "/admin/report/2025/redraft", &[Handler, Head]),
        ("POST", "/admin/report/2025/publish", &[Head]),
        ("GET", "/admin/report/2025/download", &[Handler, Head]),
        // 县长信箱 and 复议/诉讼.
        ("GET", "/admin/mailbox", &[Handler, Head, Reviewer]),
        ("GET", "/admin/mailbox/{letter}", &[Handler, Head, Reviewer]),
        ("POST", "/admin/mailbox/{letter}/reply", &[Handler]),
        ("POST", "/admin/mailbox/{letter}/publish", &[Head, Reviewer]),
        (
            "POST",
            "/admin/mailbox/{letter}/withdraw",
            &[Head, Reviewer],
        ),
        (
            "GET",
            "/admin/site-inspections",
            &[Reviewer, Head, Superior],
        ),
        (
            "GET",
            "/admin/site-inspections/{id}/report.docx",
            &[Reviewer, Head, Superior],
        ),
        (
            "GET",
            "/admin/site-inspections/{id}/report.xlsx",
            &[Reviewer, Head, Superior],
        ),
        ("GET", "/admin/site-report", &[SystemAdmin, Head, Superior]),
        (
            "GET",
            "/admin/site-report/{year}/report.docx",
            &[SystemAdmin, Head, Superior],
        ),
        (
            "GET",
            "/admin/site-report/{year}/report.xlsx",
            &[SystemAdmin, Head, Superior],
        ),
        ("GET", "/admin/appeals", &[Handler, Head]),
        ("POST", "/admin/appeals", &[Handler, Head]),
        ("POST", "/admin/appeals/{appeal}/decide", &[Handler, Head]),
        // 下级年报审查 (the superior office's workbench).
        ("GET", "/admin/oversight", &[Superior]),
        ("POST", "/admin/oversight/units", &[Superior]),
        ("POST", "/admin/oversight/sync", &[Superior]),
        ("GET", "/admin/oversight/reports/{report}", &[Superior]),
        (
            "GET",
            "/admin/oversight/reports/{report}/source",
            &[Superior],
        ),
        (
            "POST",
            "/admin/oversight/reports/{report}/decide",
            &[Superior],
        ),
        ("GET", "/admin/oversight/export", &[Superior]),
    ]
};

/// Routes of the back office that [`EVERY_ROUTE`] leaves to other tests, with the reason.
const ROUTES_TESTED_ELSEWHERE: &[(&str, &str)] = &[
    ("/admin/login", "open to everyone: signing in"),
    ("/admin/logout", "open to everyone: signing out"),
    (
        "/admin/publish/{id}/attachments",
        "the upload lives on the site's router (its own body limit): tests/publishing.rs",
    ),
    (
        "/admin/oversight/import",
        "the upload lives on the site's router (its own body limit): admin/oversight_tests.rs",
    ),
    (
        "/admin/cases/{id}/releases",
        "the POST upload lives on the site's router (its own body limit): admin::case_list::delivery_tests",
    ),
];

/// The (method, `.route("/admin…"` path) pairs written in the web crate's sources (every file
/// of the back office, read from disk so a new module cannot be missed, and the site's router).
fn routes_in_sources() -> Vec<(&'static str, String)> {
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.join("lib.rs")];
    for entry in std::fs::read_dir(src.join("admin")).unwrap() {
        files.push(entry.unwrap().path());
    }
    let sources: Vec<String> = files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter(|p| !p.to_string_lossy().contains("tests"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let mut found = Vec::new();
    for src in &sources {
        let mut rest = src.as_str();
        while let Some(at) = rest.find(".route(") {
            rest = &rest[at + ".route(".len()..];
            let Some(open) = rest.find('"') else { break };
            let Some(len) = rest[open + 1..].find('"') else {
                break;
            };
            let path = &rest[open + 1..open + 1 + len];
            // The handlers named up to the next route: `get(…)`, `post(…)`, `get(…).post(…)`.
            let end = [".route(", "\n}", ";"]
                .iter()
                .filter_map(|t| rest.find(t))
                .min()
                .unwrap_or(rest.len());
            let handlers = &rest[..end];
            if path.starts_with("/admin") {
                for method in ["get", "post"] {
                    if handlers.contains(&format!("{method}(")) {
                        found.push((
                            if method == "get" { "GET" } else { "POST" },
                            path.to_string(),
                        ));
                    }
                }
            }
        }
    }
    found
}

/// Whether the table's concrete path is an instance of the router's pattern.
fn matches_pattern(pattern: &str, concrete: &str) -> bool {
    let p: Vec<&str> = pattern.split('/').collect();
    let c: Vec<&str> = concrete.split('/').collect();
    p.len() == c.len()
        && p.iter()
            .zip(&c)
            .all(|(p, c)| p == c || (p.starts_with('{') && p.ends_with('}')))
}

#[test]
fn the_route_table_lists_every_route_of_the_back_office() {
    let found = routes_in_sources();
    assert!(found.len() > 40, "the source scan found {}", found.len());
    for (method, pattern) in &found {
        let listed = EVERY_ROUTE
            .iter()
            .any(|(m, path, _)| m == method && matches_pattern(pattern, path))
            || ROUTES_TESTED_ELSEWHERE.iter().any(|(p, _)| p == pattern);
        assert!(
            listed,
            "{method} {pattern} is not in EVERY_ROUTE: add it with its roles"
        );
    }
    // And the table names no route that does not exist.
    for (method, path, _) in EVERY_ROUTE {
        assert!(
            found
                .iter()
                .any(|(m, pattern)| m == method && matches_pattern(pattern, path)),
            "{method} {path} is in EVERY_ROUTE but not in the router"
        );
    }
}

/// Issue 14.1: the back office's handlers take what is posted only through
/// [`super::extract`] (role, then CSRF, then the form), never as a bare `Form`, body or
/// multipart, and check no CSRF token themselves.
#[test]
fn every_write_goes_through_the_extractor() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/admin");
    let mut offenders = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.contains("test") || name == "extract.rs" || name == "mod.rs" {
            continue;
        }
        let src = std::fs::read_to_string(&path).unwrap();
        for (no, line) in src.lines().enumerate() {
            let bare = [
                "Form(",
                ": Form<",
                "BytesRejection>",
                "Multipart",
                ".check_csrf(",
            ]
            .iter()
            .any(|t| line.contains(t));
            // The sign-in form has no session yet: its token is the pre-session's, checked by
            // the store before the name is read (pages::login_submit).
            let sign_in = line.contains("Form<LoginForm>");
            if bare && !sign_in && !line.trim_start().starts_with("//") {
                offenders.push(format!("{name}:{}: {}", no + 1, line.trim()));
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}

#[tokio::test]
async fn every_route_answers_403_to_every_role_it_does_not_serve() {
    use gongkai_store::models::appeal::{self, AppealKind, AppealResult, NewAppeal};
    use gongkai_store::models::application::{self, Applicant, NewApplication};
    use gongkai_store::models::{letter, proactive_item::NewItem, publishing};

    let fx = Fx::new().await;
    let store = &fx.state.store;
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let app = application::create(
        store,
        "t",
        &NewApplication {
            agency_id: fx.county,
            tracking_no: None,
            channel: gongkai_store::Channel::InPerson,
            sent_on: None,
            arrived: day(2, 2),
            confirmed: None,
            applicant: Applicant {
                name: "某申请人".into(),
                ..Applicant::default()
            },
            description: "某文件".into(),
            document_number: None,
            delivery: "paper".into(),
            note: String::new(),
        },
    )
    .await
    .unwrap();
    let appeal = appeal::enter(
        store,
        "t",
        &NewAppeal {
            application_id: app.id,
            case_number: "甲复〔2026〕1号".into(),
            kind: AppealKind::Reconsideration,
            filed_on: day(2, 20),
            result: AppealResult::Pending,
            decided_on: None,
        },
    )
    .await
    .unwrap();
    let mail = letter::receive(
        store,
        "t",
        fx.county,
        "XX20260201",
        "来信",
        "内容",
        None,
        day(2, 1),
    )
    .await
    .unwrap();
    let author = fx.user("draft.author", Role::Editor, Some(fx.county)).await;
    // Drafts draw their 索引号 from the agency's credit code.
    let office = agency::ensure(
        store,
        "t",
        "甲县人民政府办公室",
        AgencyLevel::Department,
        Some(fx.county),
        Some("11411426005547081A"),
    )
    .await
    .unwrap();
    let item = publishing::submit_draft(
        store,
        "t",
        author.id.0,
        &NewItem {
            agency_id: office.id,
            title: "某通知".into(),
            summary: String::new(),
            publisher: office.name.clone(),
            written_on: Some(day(2, 1)),
            published_on: None,
            doc_number: None,
            topic: String::new(),
            genre: String::new(),
            doc_type: gongkai_store::models::proactive_item::DocType::Other,
            art20_item: None,
            unit: String::new(),
            status: gongkai_store::models::ItemStatus::Draft,
        },
        "正文",
    )
    .await
    .unwrap();
    let target = fx
        .user("target.editor", Role::Editor, Some(fx.county))
        .await;
    let report = {
        use gongkai_store::models::oversight::{self, NewReport, Origin};
        let r =
            gongkai_report::Report::zero("甲县某局", 2025, gongkai_law::ReportFormat::Current2021);
        let findings = gongkai_report::rules::check(&r);
        oversight::import(
            store,
            "t",
            fx.county,
            &NewReport {
                origin: Origin::Import,
                file_name: "某局.json",
                kind: gongkai_report::batch::DocKind::Json,
                source: r.to_json().as_bytes(),
                report: &r,
                findings: &findings,
                published_on: None,
            },
            chrono::Utc::now(),
        )
        .await
        .unwrap()
        .id
    };

    let mut refusals = 0usize;
    for role in Role::ALL {
        let name = format!("r.{}", role.key());
        fx.user(&name, role, Some(fx.county)).await;
        let (cookie, csrf) = fx.session(&name).await;
        // Twice: with records of the user's agency, then with ids that do not exist, where
        // the roles that may act get 404 and the others still 403.
        for ((method, path, may), missing) in EVERY_ROUTE
            .iter()
            .map(|r| (r, false))
            .chain(EVERY_ROUTE.iter().map(|r| (r, true)))
        {
            let id = |real: i64| {
                if missing {
                    "999999".to_string()
                } else {
                    real.to_string()
                }
            };
            let path = path
                .replace("{app}", &id(app.id))
                .replace("{item}", &id(item.id))
                .replace("{letter}", &id(mail))
                .replace("{appeal}", &id(appeal))
                .replace("{user}", &id(target.id.0))
                .replace("{report}", &id(report));
            if *method == "POST" {
                // A forged post is refused before anything is read of it: by the role for the
                // roles the route does not serve, by the CSRF check for the others.
                let (status, _, body) = fx
                    .post(
                        &path,
                        &cookie,
                        &[("csrf", "forged"), ("id", "not-a-number")],
                    )
                    .await;
                assert_eq!(status, StatusCode::FORBIDDEN, "{role:?} forged {path}");
                if may.contains(&role) {
                    assert!(
                        body.contains("页面已过期"),
                        "{role:?} forged {path}: {body}"
                    );
                }
            }
            let (status, _, body) = if *method == "GET" {
                fx.get(&path, &cookie).await
            } else {
                fx.post(&path, &cookie, &[("csrf", csrf.as_str())]).await
            };
            if may.contains(&role) {
                if missing {
                    continue;
                }
                assert_ne!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{role:?} {method} {path}: {body}"
                );
                assert!(
                    !status.is_server_error(),
                    "{role:?} {method} {path}: {status}"
                );
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{role:?} {method} {path}");
                refusals += 1;
            }
        }
    }
    assert!(refusals > 400, "{refusals}");
}

/// Issue 14.6: every role's dashboard names only functions that exist. Each card links to a
/// routed page the role may open (never 404 or 403), and no card says 「功能建设中」.
#[tokio::test]
async fn every_dashboard_card_opens_its_page() {
    let fx = Fx::new().await;
    for role in Role::ALL {
        let name = format!("card.{}", role.key());
        fx.user(&name, role, Some(fx.county)).await;
        let (cookie, _) = fx.session(&name).await;
        let (status, _, body) = fx.get("/admin", &cookie).await;
        assert_eq!(status, StatusCode::OK, "{role:?}");
        assert!(!body.contains("功能建设中"), "{role:?}: {body}");
        let cards = super::pages::cards_of(role);
        assert!(!cards.is_empty(), "{role:?} has nothing to do");
        for card in cards {
            assert!(
                body.contains(&format!("href=\"{}\"", card.href)),
                "{role:?}"
            );
            let (status, _, body) = fx.get(card.href, &cookie).await;
            assert!(
                status == StatusCode::OK || status == StatusCode::SEE_OTHER,
                "{role:?} {} ({}): {status} {body}",
                card.href,
                card.label
            );
        }
    }
}

/// The head's 待办 names the overdue cases and last year's unpublished report; other roles
/// have no such panel.
#[tokio::test]
async fn the_heads_dashboard_lists_what_waits() {
    let fx = Fx::new().await;
    fx.user("todo.head", Role::Head, Some(fx.county)).await;
    fx.user("todo.editor", Role::Editor, Some(fx.county)).await;
    let (cookie, _) = fx.session("todo.head").await;
    let (_, _, body) = fx.get("/admin", &cookie).await;
    assert!(body.contains("待办事项"), "{body}");
    assert!(
        body.contains(
            "2025年度政府信息公开工作年度报告尚未发布（法定期限：2026年1月31日，已逾期）"
        ),
        "{body}"
    );
    assert!(!body.contains("已超期未答复"), "{body}");
    let (cookie, _) = fx.session("todo.editor").await;
    let (_, _, body) = fx.get("/admin", &cookie).await;
    assert!(!body.contains("待办事项"), "{body}");
}

/// `Secure` cookies behind a TLS-terminating proxy: `X-Forwarded-Proto` or RFC 7239's
/// `Forwarded` pairs, read as pairs (a `for=` value that merely contains the text does not count).
#[test]
fn https_behind_a_proxy_is_read_from_its_headers() {
    let settings = AdminSettings::default();
    let with = |name: &'static str, value: &'static str| {
        let mut h = axum::http::HeaderMap::new();
        h.insert(name, axum::http::HeaderValue::from_static(value));
        settings.secure(&h)
    };
    assert!(with("x-forwarded-proto", "https"));
    assert!(with(
        "forwarded",
        "for=192.0.2.60;proto=https;by=203.0.113.43"
    ));
    assert!(with(
        "forwarded",
        "for=192.0.2.43, for=198.51.100.17;Proto=\"HTTPS\""
    ));
    assert!(!with("forwarded", "for=192.0.2.60;proto=http"));
    assert!(!with("forwarded", "for=\"proto=https\""));
    assert!(!settings.secure(&axum::http::HeaderMap::new()));
}
