//! Users and sessions of the back office, on SQLite and PostgreSQL: passwords only as
//! argon2id, lockout after five failures and its release fifteen minutes later, the idle and
//! absolute session limits, sessions ending on sign-out, disabling and password changes,
//! agency scope of the user list, and an audit entry for every change (never a password).
//! Time is passed explicitly; nothing sleeps.

#![allow(clippy::unwrap_used)] // a test: a failed step should stop it loudly

#[macro_use]
mod common;

use chrono::{DateTime, Duration, TimeZone, Utc};
use common::TestStore;
use gongkai_store::auth::{
    self, ABSOLUTE_LIFETIME, AuthError, IDLE_TIMEOUT, NewUser, Role, SessionToken,
};
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::{Backend, audit};
use sqlx::Row;

const PASSWORD: &str = "Xiayi-Gongkai-2020";

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).single().unwrap()
}

async fn user(t: &TestStore, name: &str, role: Role, agency_id: Option<i64>) -> auth::User {
    auth::create_user(
        &t.store,
        "cli",
        &NewUser {
            name: name.to_string(),
            role,
            agency_id,
        },
        PASSWORD,
        t0(),
    )
    .await
    .unwrap()
}

async fn stored_text(t: &TestStore) -> Vec<String> {
    let sql = "SELECT name || ' ' || password_hash AS t FROM users \
               UNION ALL SELECT actor || ' ' || action || ' ' || detail AS t FROM audit_log";
    match t.store.backend() {
        Backend::Sqlite => {
            let pool = t.store.sqlite_pool().unwrap();
            sqlx::query(sql)
                .fetch_all(pool)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get::<String, _>("t"))
                .collect()
        }
        Backend::Postgres => {
            let pool = sqlx::PgPool::connect(&t.url).await.unwrap();
            let rows = sqlx::query(sql).fetch_all(&pool).await.unwrap();
            pool.close().await;
            rows.iter().map(|r| r.get::<String, _>("t")).collect()
        }
    }
}

async fn password_hash_of(t: &TestStore, name: &str) -> String {
    let rows = stored_text(t).await;
    let line = rows
        .iter()
        .find(|l| l.starts_with(&format!("{name} $")))
        .unwrap();
    line.split_once(' ').unwrap().1.to_string()
}

async fn passwords_only_as_argon2id(t: &TestStore) {
    let u = user(t, "zhang.san", Role::Editor, None).await;
    assert_eq!(u.role, Role::Editor);
    let hash = password_hash_of(t, "zhang.san").await;
    assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
    // A second user with the same password gets a different salt, so a different string.
    user(t, "li.si", Role::Editor, None).await;
    assert_ne!(password_hash_of(t, "li.si").await, hash);
    // Changing and resetting passwords leave only argon2id strings too.
    let s = auth::login(&t.store, "zhang.san", PASSWORD, t0())
        .await
        .unwrap();
    auth::change_password(
        &t.store,
        s.user.id,
        PASSWORD,
        "Another-Secret-77",
        t0() + Duration::minutes(1),
    )
    .await
    .unwrap();
    auth::reset_password(&t.store, "sec", s.user.id, "Reset-Secret-88", t0())
        .await
        .unwrap();
    for line in stored_text(t).await {
        for pw in [PASSWORD, "Another-Secret-77", "Reset-Secret-88"] {
            assert!(!line.contains(pw), "password stored in {line}");
        }
    }
    if t.store.backend() == Backend::Sqlite {
        // The file (and its write-ahead log) byte by byte.
        t.store.close().await;
        for file in ["gongkai.db", "gongkai.db-wal"] {
            let path = t.dir.path().join(file);
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            for pw in [PASSWORD, "Another-Secret-77", "Reset-Secret-88"] {
                assert!(
                    !bytes.windows(pw.len()).any(|w| w == pw.as_bytes()),
                    "{pw} found in {file}"
                );
            }
            // The hashes are there, so the check looked at the right file.
            if file == "gongkai.db" {
                assert!(bytes.windows(10).any(|w| w == b"$argon2id$"));
            }
        }
    }
}
on_both!(
    passwords_are_argon2id_only,
    super::passwords_only_as_argon2id
);

async fn weak_passwords_and_bad_names_are_refused(t: &TestStore) {
    let new = |name: &str| NewUser {
        name: name.to_string(),
        role: Role::Handler,
        agency_id: None,
    };
    for pw in [
        "short1A!",
        "alllowercaseletters",
        "ALLUPPER12345",
        "wang.wu-Secret-1",
        // Common passwords and their variants (zxcvbn's lists and patterns).
        "Password123",
        "P@ssw0rd2024",
    ] {
        let e = auth::create_user(&t.store, "cli", &new("wang.wu"), pw, t0()).await;
        assert!(matches!(e, Err(AuthError::WeakPassword(_))), "{pw}: {e:?}");
    }
    let e = auth::create_user(&t.store, "cli", &new("has space"), PASSWORD, t0()).await;
    assert!(matches!(e, Err(AuthError::BadName(_))), "{e:?}");
    auth::create_user(&t.store, "cli", &new("wang.wu"), PASSWORD, t0())
        .await
        .unwrap();
    let e = auth::create_user(&t.store, "cli", &new("wang.wu"), PASSWORD, t0()).await;
    assert!(matches!(e, Err(AuthError::NameTaken(_))), "{e:?}");
    // An agency that does not exist is refused.
    let e = auth::create_user(
        &t.store,
        "cli",
        &NewUser {
            name: "zhao.liu".into(),
            role: Role::Handler,
            agency_id: Some(999_999),
        },
        PASSWORD,
        t0(),
    )
    .await;
    assert!(e.is_err());
    assert_eq!(auth::list_users(&t.store, None).await.unwrap().len(), 1);
}
on_both!(
    weak_passwords_refused,
    super::weak_passwords_and_bad_names_are_refused
);

fn failed_checks(entries: &[audit::AuditEntry]) -> usize {
    entries
        .iter()
        .filter(|e| e.action == "user.login_failed")
        .count()
}

/// The limits of `sign_in`: 5 per name and address, the same answer for an unknown name, the
/// owner not locked out from another address, the account-wide limit sparing known addresses.
async fn sign_in_limits_hold_and_spare_the_owner(t: &TestStore) {
    user(t, "handler1", Role::Handler, None).await;
    let now = t0();
    // The owner has signed in from the office before.
    auth::sign_in(&t.store, "handler1", PASSWORD, "10.1.1.1", now)
        .await
        .unwrap();
    for name in ["handler1", "nobody"] {
        for i in 1..=5 {
            let e = auth::sign_in(&t.store, name, "Wrong-password-1", "10.0.0.1", now).await;
            assert!(
                matches!(e, Err(AuthError::BadCredentials)),
                "{name} failure {i}"
            );
        }
        let e = auth::sign_in(&t.store, name, PASSWORD, "10.0.0.1", now).await;
        assert!(
            matches!(e, Err(AuthError::TooManyAttempts { retry_after: 900 })),
            "{name}: {e:?}"
        );
    }
    // Never a lock on the account: the owner signs in from the office meanwhile.
    let s = auth::sign_in(&t.store, "handler1", PASSWORD, "10.1.1.1", now)
        .await
        .unwrap();
    assert_eq!(s.user.locked_until, None);
    // 50 failures spread over 50 addresses stop strangers for the hour, not the office.
    for i in 0..50 {
        let _ = auth::sign_in(
            &t.store,
            "handler1",
            "Wrong-password-1",
            &format!("10.2.0.{i}"),
            now,
        )
        .await;
    }
    let e = auth::sign_in(&t.store, "handler1", PASSWORD, "10.3.0.1", now).await;
    assert!(matches!(e, Err(AuthError::TooManyAttempts { .. })), "{e:?}");
    auth::sign_in(&t.store, "handler1", PASSWORD, "10.1.1.1", now)
        .await
        .unwrap();
    // The window ends.
    let later = now + Duration::minutes(61);
    auth::sign_in(&t.store, "handler1", PASSWORD, "10.3.0.1", later)
        .await
        .unwrap();
    let actions: Vec<String> = audit::recent(&t.store, 500)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.iter().any(|a| a == "auth.limited"));
    assert!(!actions.iter().any(|a| a == "user.lock"));
}

on_both!(
    sign_in_limits,
    super::sign_in_limits_hold_and_spare_the_owner
);

/// Acceptance 2 of issue 12: 200 parallel wrong sign-ins from one address get exactly the
/// limit's number of password checks (each check of a wrong password is audited), whether they
/// try one account (5 per name and address) or many (20 per address).
async fn parallel_wrong_sign_ins_get_exactly_the_limit(t: &TestStore) {
    user(t, "target", Role::Handler, None).await;
    let now = t0();
    for (names, addr, want) in [(1usize, "10.5.0.1", 5usize), (200, "10.5.0.2", 20)] {
        let before = failed_checks(&audit::recent(&t.store, 10_000).await.unwrap());
        let mut tasks = Vec::new();
        for i in 0..200 {
            let store = t.store.clone();
            let name = if names == 1 {
                "target".to_string()
            } else {
                format!("user{i}")
            };
            tasks.push(tokio::spawn(async move {
                auth::sign_in(&store, &name, "Wrong-password-1", addr, now).await
            }));
        }
        let mut refused = 0;
        for task in tasks {
            match task.await.unwrap() {
                Err(AuthError::TooManyAttempts { .. }) => refused += 1,
                Err(AuthError::BadCredentials) => {}
                other => panic!("{other:?}"),
            }
        }
        let checks = failed_checks(&audit::recent(&t.store, 10_000).await.unwrap()) - before;
        assert_eq!(checks, want, "{names} name(s)");
        assert_eq!(refused, 200 - want);
    }
}

on_both!(
    parallel_sign_ins,
    super::parallel_wrong_sign_ins_get_exactly_the_limit
);

/// The current password on the password form is limited and audited like a sign-in.
async fn current_password_checks_are_limited(t: &TestStore) {
    let id = user(t, "head9", Role::Head, None).await.id;
    let now = t0();
    for _ in 0..5 {
        let e = auth::change_password(&t.store, id, "Wrong-Secret-1", "New-Secret-123", now).await;
        assert!(matches!(e, Err(AuthError::BadCredentials)), "{e:?}");
    }
    let e = auth::change_password(&t.store, id, PASSWORD, "New-Secret-123", now).await;
    assert!(matches!(e, Err(AuthError::TooManyAttempts { .. })), "{e:?}");
    let entries = audit::recent(&t.store, 100).await.unwrap();
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.action == "user.password_check_failed")
            .count(),
        5
    );
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.action == "user.password_check_limited")
            .count(),
        1
    );
    auth::change_password(
        &t.store,
        id,
        PASSWORD,
        "New-Secret-123",
        now + Duration::minutes(16),
    )
    .await
    .unwrap();
}

on_both!(
    current_password_limited,
    super::current_password_checks_are_limited
);

async fn sessions_end_when_idle_or_old(t: &TestStore) {
    user(t, "reviewer1", Role::Reviewer, None).await;
    let s = auth::login(&t.store, "reviewer1", PASSWORD, t0())
        .await
        .unwrap();
    assert_eq!(s.token.as_str().len(), 64);
    assert_eq!(s.expires_at, t0() + ABSOLUTE_LIFETIME);
    // Active use slides the idle timer.
    let mut now = t0();
    for _ in 0..3 {
        now += IDLE_TIMEOUT - Duration::minutes(1);
        let seen = auth::session_user(&t.store, &s.token, now).await.unwrap();
        assert_eq!(seen.unwrap().user.name, "reviewer1");
    }
    // Thirty minutes without a request end it, for good.
    now += IDLE_TIMEOUT;
    assert!(
        auth::session_user(&t.store, &s.token, now)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        auth::session_user(&t.store, &s.token, now - IDLE_TIMEOUT)
            .await
            .unwrap()
            .is_none(),
        "an ended session is deleted, not merely refused"
    );
    // However busy, a session ends after its absolute lifetime.
    let s = auth::login(&t.store, "reviewer1", PASSWORD, t0())
        .await
        .unwrap();
    let mut now = t0();
    while now + Duration::minutes(20) < t0() + ABSOLUTE_LIFETIME {
        now += Duration::minutes(20);
        assert!(
            auth::session_user(&t.store, &s.token, now)
                .await
                .unwrap()
                .is_some()
        );
    }
    assert!(
        auth::session_user(&t.store, &s.token, t0() + ABSOLUTE_LIFETIME)
            .await
            .unwrap()
            .is_none()
    );
    // An unknown or forged token is nobody.
    let forged = SessionToken::new("0".repeat(64));
    assert!(
        auth::session_user(&t.store, &forged, t0())
            .await
            .unwrap()
            .is_none()
    );
}
on_both!(idle_timeout, super::sessions_end_when_idle_or_old);

async fn sessions_end_on_logout_disable_and_password_change(t: &TestStore) {
    let u = user(t, "head1", Role::Head, None).await;
    let now = t0();
    let s = auth::login(&t.store, "head1", PASSWORD, now).await.unwrap();
    auth::logout(&t.store, &s.token).await.unwrap();
    assert!(
        auth::session_user(&t.store, &s.token, now)
            .await
            .unwrap()
            .is_none()
    );

    let s = auth::login(&t.store, "head1", PASSWORD, now).await.unwrap();
    // A common new password is refused, naming why; nothing changes.
    let e = auth::change_password(&t.store, u.id, PASSWORD, "Password123!", now).await;
    assert!(
        matches!(&e, Err(AuthError::WeakPassword(why)) if why.contains("过于常见")),
        "{e:?}"
    );
    assert!(
        auth::session_user(&t.store, &s.token, now)
            .await
            .unwrap()
            .is_some()
    );
    // A wrong current password changes nothing.
    let e = auth::change_password(&t.store, u.id, "Not-the-one-1", "New-Secret-123", now).await;
    assert!(matches!(e, Err(AuthError::BadCredentials)));
    assert!(
        auth::session_user(&t.store, &s.token, now)
            .await
            .unwrap()
            .is_some()
    );
    auth::change_password(&t.store, u.id, PASSWORD, "New-Secret-123", now)
        .await
        .unwrap();
    assert!(
        auth::session_user(&t.store, &s.token, now)
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        auth::login(&t.store, "head1", PASSWORD, now).await,
        Err(AuthError::BadCredentials)
    ));

    let s = auth::login(&t.store, "head1", "New-Secret-123", now)
        .await
        .unwrap();
    auth::disable_user(&t.store, "sec", u.id, now)
        .await
        .unwrap();
    assert!(
        auth::session_user(&t.store, &s.token, now)
            .await
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        auth::login(&t.store, "head1", "New-Secret-123", now).await,
        Err(AuthError::Disabled)
    ));
    // A disabled user with a wrong password learns nothing about the account.
    assert!(matches!(
        auth::login(&t.store, "head1", "Wrong-Secret-1", now).await,
        Err(AuthError::BadCredentials)
    ));
    auth::enable_user(&t.store, "sec", u.id, now).await.unwrap();
    auth::login(&t.store, "head1", "New-Secret-123", now)
        .await
        .unwrap();
    let recent = audit::recent(&t.store, 100).await.unwrap();
    for a in [
        "user.create",
        "user.logout",
        "user.password_change",
        "user.disable",
        "user.enable",
    ] {
        let e = recent.iter().find(|e| e.action == a).unwrap();
        assert_eq!(e.entity, "user");
    }
    let disable = recent.iter().find(|e| e.action == "user.disable").unwrap();
    assert_eq!(disable.actor, "sec");
    assert_eq!(disable.entity_id, u.id.to_string());
    audit::verify(&t.store).await.unwrap();
}
on_both!(
    session_ends,
    super::sessions_end_on_logout_disable_and_password_change
);

async fn user_list_is_scoped_to_a_subtree(t: &TestStore) {
    let county = agency::ensure(
        &t.store,
        "t",
        "范围测试县人民政府",
        AgencyLevel::County,
        None,
        None,
    )
    .await
    .unwrap();
    let edu = agency::ensure(
        &t.store,
        "t",
        "范围测试县教育局",
        AgencyLevel::Department,
        Some(county.id),
        None,
    )
    .await
    .unwrap();
    let town = agency::ensure(
        &t.store,
        "t",
        "范围测试县城关镇人民政府",
        AgencyLevel::Township,
        Some(county.id),
        None,
    )
    .await
    .unwrap();
    user(t, "site.sec", Role::SecurityAdmin, None).await;
    user(t, "county.sec", Role::SecurityAdmin, Some(county.id)).await;
    user(t, "edu.editor", Role::Editor, Some(edu.id)).await;
    user(t, "town.editor", Role::Editor, Some(town.id)).await;
    let names = |v: Vec<auth::User>| v.into_iter().map(|u| u.name).collect::<Vec<_>>();
    assert_eq!(
        names(auth::list_users(&t.store, None).await.unwrap()),
        ["county.sec", "edu.editor", "site.sec", "town.editor"]
    );
    assert_eq!(
        names(auth::list_users(&t.store, Some(county.id)).await.unwrap()),
        ["county.sec", "edu.editor", "town.editor"]
    );
    assert_eq!(
        names(auth::list_users(&t.store, Some(edu.id)).await.unwrap()),
        ["edu.editor"]
    );
}
on_both!(scoped_user_list, super::user_list_is_scoped_to_a_subtree);
