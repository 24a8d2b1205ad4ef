//! Users of the back office: roles, passwords, lockout and sessions.
//!
//! Passwords exist only as argon2id PHC strings (random 16-byte salt, the `argon2` crate's
//! defaults: 19 MiB, 2 passes, 1 lane), never in a log or an audit entry. An unknown name
//! costs the same password verification as a known one, so timing does not tell which names
//! exist.
//!
//! Guessing is limited by [`sign_in`] with counters in the database ([`crate::attempts`]),
//! reserved before the password is hashed, so parallel requests cannot exceed them and they
//! hold across nodes: 20 failures per address in 15 minutes, 5 per account name and address
//! in 15 minutes, 50 per account name from everywhere in an hour (after which only addresses
//! the account signed in from before may still try). The counters are keyed by the name as
//! typed, so an unknown name is answered exactly as a known one, and nobody can lock an
//! account for its owner by failing from elsewhere: 等保2.0 asks to limit illegal sign-in
//! attempts (登录失败处理), which these do without a hard lock of the account that would
//! hand any stranger a way to shut an administrator out. The current-password check of
//! [`change_password`] is counted the same way.
//!
//! A session is a random 256-bit token held by the browser; the database keeps only its
//! SHA-256, so a copy of the table does not let anyone sign in. A session ends after thirty
//! minutes without a request, after eight hours in any case, on sign-out, and when its user
//! is disabled or changes password.
//!
//! Every function takes `now` explicitly: the rules are about time, and tests must be able to
//! step over fifteen minutes without sleeping. Every change commits together with its audit
//! entry (who, what, which user; never a password or a token).
//!
//! Who may call what is decided above this crate, in one place (the back office's access
//! module); these functions only take the acting user's name for the audit log.

use std::sync::OnceLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2};
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::audit_append;
use crate::models::agency::SUBTREE;
pub use crate::role::Role;
use crate::{BeginWrite, Store, StoreError};

/// A session without a request for this long is over.
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
/// A session is over this long after sign-in, however busy (a working day).
pub const ABSOLUTE_LIFETIME: Duration = Duration::hours(8);
/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// The longest password accepted: hashing cost grows with length, so an unbounded field is a
/// way to tie up the server.
pub const MAX_PASSWORD_CHARS: usize = 256;

/// A user's database id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct UserId(pub i64);

impl std::fmt::Display for UserId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// The secret a browser holds for its session: 32 random bytes, hex. Its `Debug` hides it, so
/// it cannot leak into a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    /// Wraps a token read from a cookie.
    pub fn new(token: impl Into<String>) -> SessionToken {
        SessionToken(token.into())
    }

    /// The token, for the cookie.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the database keeps: the SHA-256 of the token, hex.
    fn stored_id(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(…)")
    }
}

/// A user as the back office shows it (never with the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Database id.
    pub id: UserId,
    /// Sign-in name (unique).
    pub name: String,
    /// The one role the user holds.
    pub role: Role,
    /// The root of the agency subtree the user works in; `None` is the whole tree.
    pub agency_id: Option<i64>,
    /// Sign-in failures since the last success or lock.
    pub failed_count: i64,
    /// Locked until then, if locked (may lie in the past: then the lock is over).
    pub locked_until: Option<DateTime<Utc>>,
    /// Disabled users cannot sign in.
    pub disabled: bool,
    /// Created at.
    pub created_at: DateTime<Utc>,
    /// Last changed at.
    pub changed_at: DateTime<Utc>,
}

impl User {
    /// Whether the account is locked at `now`.
    pub fn is_locked(&self, now: DateTime<Utc>) -> bool {
        self.locked_until.is_some_and(|t| t > now)
    }
}

/// What [`create_user`] needs besides the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// Sign-in name: 2 to 64 characters, no spaces or control characters.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Agency subtree; `None` for the whole tree.
    pub agency_id: Option<i64>,
}

/// A signed-in session: the token for the cookie, the CSRF token bound to it, its user.
#[derive(Debug, Clone)]
pub struct Session {
    /// The browser's secret.
    pub token: SessionToken,
    /// The CSRF token every form of this session must carry.
    pub csrf: String,
    /// Who is signed in.
    pub user: User,
    /// When the session ends at the latest.
    pub expires_at: DateTime<Utc>,
}

/// What can go wrong signing in or managing users.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Wrong name or password (which one is not said).
    #[error("用户名或密码错误 / wrong user name or password")]
    BadCredentials,
    /// Too many attempts from this address or for this name: nothing was checked. The same
    /// answer for every name, known or not.
    #[error("尝试次数过多，请 {} 分钟后再试 / too many attempts", (retry_after + 59) / 60)]
    TooManyAttempts {
        /// Seconds until the attempt may be made again.
        retry_after: i64,
    },
    /// The account is disabled.
    #[error("账号已停用 / account disabled")]
    Disabled,
    /// The new password breaks the policy; the message says how.
    #[error("密码不符合要求：{0}")]
    WeakPassword(String),
    /// The user name is malformed.
    #[error("用户名无效：{0}")]
    BadName(String),
    /// The user name is taken.
    #[error("用户名已存在：{0}")]
    NameTaken(String),
    /// Hashing failed (should not happen; the details are in the message).
    #[error("密码处理失败 / password hashing failed: {0}")]
    Hash(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AuthError {
    fn from(e: sqlx::Error) -> AuthError {
        AuthError::Store(StoreError::Db(e))
    }
}

/// Checks a new password against the policy: 10 to 256 characters, at least three of the
/// four classes (lower case, upper case, digits, other characters), and not containing the
/// user name.
pub fn check_password_policy(name: &str, password: &str) -> Result<(), AuthError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(AuthError::WeakPassword(format!(
            "至少{MIN_PASSWORD_CHARS}个字符"
        )));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(AuthError::WeakPassword(format!(
            "不能超过{MAX_PASSWORD_CHARS}个字符"
        )));
    }
    let classes = [
        password.chars().any(|c| c.is_lowercase()),
        password.chars().any(|c| c.is_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password
            .chars()
            .any(|c| !c.is_lowercase() && !c.is_uppercase() && !c.is_ascii_digit()),
    ]
    .into_iter()
    .filter(|b| *b)
    .count();
    if classes < 3 {
        return Err(AuthError::WeakPassword(
            "须包含小写字母、大写字母、数字、其他符号中的至少三类".to_string(),
        ));
    }
    let lname = name.trim().to_lowercase();
    if lname.chars().count() >= 3 && password.to_lowercase().contains(&lname) {
        return Err(AuthError::WeakPassword("不能包含用户名".to_string()));
    }
    if guessable(name, password) {
        return Err(AuthError::WeakPassword(
            "过于常见或容易猜中（如 Password123、P@ssw0rd2024 这类常用密码及其变形），请换一个"
                .to_string(),
        ));
    }
    Ok(())
}

/// The least zxcvbn score a new password must reach: 3, "safely unguessable" (about 10^8
/// guesses and more), zxcvbn's own advice for a password that guards something of value.
const MIN_ZXCVBN_SCORE: zxcvbn::Score = zxcvbn::Score::Three;

/// Words of this site that make a password guessable here, given to zxcvbn beside the name.
const SITE_WORDS: [&str; 6] = ["gongkai", "xxgk", "zhengwu", "zhengfu", "admin", "xinxi"];

/// Whether `password` is a common password or an easy variant of one: zxcvbn (Dropbox's
/// estimator) matches it against its embedded frequency lists — the most used passwords of
/// the big leaks, names, words — and patterns (keyboard walks, dates, sequences, repeats,
/// l33t and reversed forms), with the user name and the site's words as extra dictionary.
/// Only the first 64 characters are weighed: the rest can only add strength, and the work
/// grows with length.
fn guessable(name: &str, password: &str) -> bool {
    let head: String = password.chars().take(64).collect();
    let mut inputs = vec![name.trim()];
    inputs.extend(SITE_WORDS);
    zxcvbn::zxcvbn(&head, &inputs).score() < MIN_ZXCVBN_SCORE
}

fn check_name(name: &str) -> Result<(), AuthError> {
    let n = name.chars().count();
    if !(2..=64).contains(&n) {
        return Err(AuthError::BadName("长度须为2至64个字符".to_string()));
    }
    if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(AuthError::BadName("不能包含空格或控制字符".to_string()));
    }
    Ok(())
}

fn hasher() -> Argon2<'static> {
    Argon2::new(
        Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::default(),
    )
}

/// Hashes on the bounded blocking pool: argon2id is deliberately slow and must not stall the
/// server's async workers.
async fn hash_password(password: &str) -> Result<String, AuthError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let password = password.to_string();
    crate::blocking::run(move || {
        let salt = SaltString::encode_b64(&salt).map_err(|e| AuthError::Hash(e.to_string()))?;
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AuthError::Hash(e.to_string()))
    })
    .await?
}

/// Verifies on the bounded blocking pool; a malformed or non-argon2id stored hash never verifies.
async fn verify_password(password: &str, phc: &str) -> Result<bool, AuthError> {
    let password = password.to_string();
    let phc = phc.to_string();
    crate::blocking::run(move || {
        let Ok(parsed) = PasswordHash::new(&phc) else {
            return false;
        };
        if parsed.algorithm != Algorithm::Argon2id.ident() {
            return false;
        }
        hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
    .await
    .map_err(AuthError::from)
}

/// A hash to verify against when the name is unknown, so that an unknown name takes as long
/// as a wrong password. Made once per process with a random password nobody knows.
async fn dummy_hash() -> Result<&'static str, AuthError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h);
    }
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let h = hash_password(&hex::encode(secret)).await?;
    Ok(DUMMY.get_or_init(|| h))
}

fn ts(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

fn from_ts(s: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(s, 0).unwrap_or_default()
}

fn random_hex32() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

const USER_COLUMNS: &str = "u.id, u.name, u.role, u.agency_id, u.failed_count, u.locked_until, \
                            u.disabled, u.created_at, u.changed_at";

fn user_from_row<R: Row>(r: &R) -> Result<User, StoreError>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    i64: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    bool: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    String: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let role: String = r.try_get("role")?;
    Ok(User {
        id: UserId(r.try_get("id")?),
        name: r.try_get("name")?,
        role: Role::parse(&role).ok_or_else(|| StoreError::invalid(format!("role {role}")))?,
        agency_id: r.try_get("agency_id")?,
        failed_count: r.try_get("failed_count")?,
        locked_until: r.try_get::<Option<i64>, _>("locked_until")?.map(from_ts),
        disabled: r.try_get("disabled")?,
        created_at: from_ts(r.try_get("created_at")?),
        changed_at: from_ts(r.try_get("changed_at")?),
    })
}

/// Creates a user with a password that passes [`check_password_policy`]. `actor` is who
/// does it (a user name, or `cli` for the command line), for the audit log.
pub async fn create_user(
    store: &Store,
    actor: &str,
    new: &NewUser,
    password: &str,
    now: DateTime<Utc>,
) -> Result<User, AuthError> {
    let name = new.name.trim();
    check_name(name)?;
    check_password_policy(name, password)?;
    if let Some(a) = new.agency_id {
        // Fails with NotFound for an agency that does not exist.
        crate::models::agency::get(store, a).await?;
    }
    if find_user(store, name).await?.is_some() {
        return Err(AuthError::NameTaken(name.to_string()));
    }
    let phc = hash_password(password).await?;
    let id: i64 = on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO users (name, role, agency_id, password_hash, failed_count, disabled, \
             created_at, changed_at) VALUES ($1, $2, $3, $4, 0, $5, $6, $6) RETURNING id",
        )
        .bind(name)
        .bind(new.role.key())
        .bind(new.agency_id)
        .bind(&phc)
        .bind(false)
        .bind(ts(now))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                AuthError::NameTaken(name.to_string())
            }
            other => AuthError::from(other),
        })?;
        let id: i64 = row.try_get("id")?;
        let detail = serde_json::json!({
            "name": name, "role": new.role.key(), "agency_id": new.agency_id
        })
        .to_string();
        audit_append!(tx, actor, "user.create", "user", &id.to_string(), &detail);
        tx.commit().await?;
        id
    });
    Ok(get_user(store, UserId(id)).await?)
}

/// One user by id.
pub async fn get_user(store: &Store, id: UserId) -> Result<User, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1");
    on_db!(store, pool => {
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.0)
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("user {id}")))?;
        user_from_row(&row)
    })
}

/// One user by exact name.
pub async fn find_user(store: &Store, name: &str) -> Result<Option<User>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.name = $1");
    on_db!(store, pool => {
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(name).fetch_optional(pool).await?;
        row.map(|r| user_from_row(&r)).transpose()
    })
}

/// When each user last signed in, by user id, read from the audit log's `user.login` entries
/// (the log is the record of sign-ins; no second copy is kept on the user row). Users who never
/// signed in are absent.
pub async fn last_sign_ins(
    store: &Store,
) -> Result<std::collections::HashMap<i64, DateTime<Utc>>, StoreError> {
    let rows: Vec<(String, String)> = on_db!(store, pool => {
        let rows = sqlx::query(
            "SELECT entity_id, MAX(at) AS last FROM audit_log WHERE action = 'user.login' \
             GROUP BY entity_id",
        )
        .fetch_all(pool)
        .await?;
        rows.iter()
            .map(|r| Ok::<_, StoreError>((r.try_get("entity_id")?, r.try_get("last")?)))
            .collect::<Result<Vec<_>, _>>()?
    });
    // Every entry's time is RFC 3339 in UTC with a fixed precision, so MAX is the latest.
    Ok(rows
        .into_iter()
        .filter_map(|(id, at)| {
            let id = id.parse::<i64>().ok()?;
            let at = DateTime::parse_from_rfc3339(&at).ok()?.with_timezone(&Utc);
            Some((id, at))
        })
        .collect())
}

/// The users whose agency lies in the subtree of `scope`, by name; `None` lists every user.
/// A user without an agency (the whole tree) is listed only for `None`: a scoped
/// administrator does not see the site's own administrators.
pub async fn list_users(store: &Store, scope: Option<i64>) -> Result<Vec<User>, StoreError> {
    match scope {
        None => {
            let sql = format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.name");
            on_db!(store, pool => {
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await?;
                rows.iter().map(user_from_row).collect()
            })
        }
        Some(root) => {
            let sql = format!(
                "{SUBTREE} SELECT {USER_COLUMNS} FROM users u \
                 WHERE u.agency_id IN (SELECT id FROM sub) ORDER BY u.name"
            );
            on_db!(store, pool => {
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(root).fetch_all(pool).await?;
                rows.iter().map(user_from_row).collect()
            })
        }
    }
}

/// Checks the password and opens a session, without the limits on guessing (those are
/// [`sign_in`]'s, which every sign-in form goes through). Counts and audits a wrong password;
/// says that an account is disabled only after its password was right. Success resets the
/// count and opens a session.
pub async fn login(
    store: &Store,
    name: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<Session, AuthError> {
    let name = name.trim();
    // An over-long password is refused before hashing (it can only be wrong anyway).
    let too_long = password.chars().count() > MAX_PASSWORD_CHARS;
    let Some((user, phc)) = user_with_hash(store, name).await? else {
        let _ = verify_password(password, dummy_hash().await?).await?;
        let shown: String = name.chars().take(64).collect();
        let detail = serde_json::json!({"name": shown, "reason": "unknown_user"}).to_string();
        crate::audit::record(store, "anonymous", "user.login_failed", "user", "", &detail).await?;
        return Err(AuthError::BadCredentials);
    };
    let ok = !too_long && verify_password(password, &phc).await?;
    if !ok {
        return Err(record_failure(store, &user, now).await?);
    }
    if user.disabled {
        crate::audit::record(
            store,
            &user.name,
            "user.login_refused",
            "user",
            &user.id.to_string(),
            r#"{"reason":"disabled"}"#,
        )
        .await?;
        return Err(AuthError::Disabled);
    }
    let token = SessionToken(random_hex32());
    let csrf = random_hex32();
    let expires_at = now + ABSOLUTE_LIFETIME;
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("UPDATE users SET failed_count = 0, locked_until = NULL WHERE id = $1")
            .bind(user.id.0)
            .execute(&mut *tx)
            .await?;
        // Sessions that ran out are cleared here rather than by a timer.
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR last_seen <= $2")
            .bind(ts(now))
            .bind(ts(now - IDLE_TIMEOUT))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (id, user_id, csrf, created_at, last_seen, expires_at) \
             VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(token.stored_id())
        .bind(user.id.0)
        .bind(&csrf)
        .bind(ts(now))
        .bind(ts(expires_at))
        .execute(&mut *tx)
        .await?;
        audit_append!(tx, &user.name, "user.login", "user", &user.id.to_string(), "{}");
        tx.commit().await?;
    });
    let user = get_user(store, user.id).await?;
    Ok(Session {
        token,
        csrf,
        user,
        expires_at,
    })
}

async fn user_with_hash(store: &Store, name: &str) -> Result<Option<(User, String)>, StoreError> {
    let sql = format!("SELECT {USER_COLUMNS}, u.password_hash FROM users u WHERE u.name = $1");
    on_db!(store, pool => {
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(name).fetch_optional(pool).await?;
        match row {
            None => Ok(None),
            Some(r) => {
                let phc: String = r.try_get("password_hash")?;
                Ok(Some((user_from_row(&r)?, phc)))
            }
        }
    })
}

/// Records a failed sign-in with its running count (the limits on guessing are
/// [`sign_in`]'s; the account is never locked by failures, see the module docs).
async fn record_failure(
    store: &Store,
    user: &User,
    now: DateTime<Utc>,
) -> Result<AuthError, AuthError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let row = sqlx::query(
            "UPDATE users SET \
               failed_count = CASE WHEN locked_until IS NOT NULL AND locked_until <= $2 \
                              THEN 1 ELSE failed_count + 1 END, \
               locked_until = NULL \
             WHERE id = $1 RETURNING failed_count",
        )
        .bind(user.id.0)
        .bind(ts(now))
        .fetch_one(&mut *tx)
        .await?;
        let failures: i64 = row.try_get("failed_count")?;
        let detail = serde_json::json!({"failures": failures}).to_string();
        audit_append!(tx, &user.name, "user.login_failed", "user", &user.id.to_string(), &detail);
        tx.commit().await?;
    });
    Ok(AuthError::BadCredentials)
}

/// Signs in from `address` under the limits on guessing (module docs): each limit is reserved
/// in the store before the password is hashed, so 200 parallel wrong sign-ins from one address
/// get exactly 20 password checks; a success gives its reservations back and remembers the
/// address for the account. Refusals are the same for every name and audited once a window.
pub async fn sign_in(
    store: &Store,
    name: &str,
    password: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<Session, AuthError> {
    use crate::attempts::{
        self, Reserved, SIGNIN_PER_ACCOUNT, SIGNIN_PER_ACCOUNT_ADDRESS, SIGNIN_PER_ADDRESS,
    };
    let account: String = name
        .trim()
        .chars()
        .take(64)
        .collect::<String>()
        .to_lowercase();
    let pair = format!("{account}|{address}");
    let refused = |retry_after: i64, first: bool, scope: &'static str| async move {
        if first {
            let detail = serde_json::json!({"scope": scope, "address": address, "name": account_shown(name)})
                .to_string();
            crate::audit::record(
                store,
                "anonymous",
                "auth.limited",
                "address",
                address,
                &detail,
            )
            .await?;
        }
        Ok::<AuthError, AuthError>(AuthError::TooManyAttempts { retry_after })
    };
    for (limit, key) in [
        (SIGNIN_PER_ADDRESS, address),
        (SIGNIN_PER_ACCOUNT_ADDRESS, pair.as_str()),
    ] {
        if let Reserved::Refused { retry_after, first } =
            attempts::reserve(store, limit, key, now).await?
        {
            return Err(refused(retry_after, first, limit.scope).await?);
        }
    }
    if let Reserved::Refused { retry_after, first } =
        attempts::reserve(store, SIGNIN_PER_ACCOUNT, &account, now).await?
    {
        // Spread over many addresses: only the account's own known addresses may go on.
        let known = match user_with_hash(store, name.trim()).await? {
            Some((user, _)) => attempts::known_address(store, user.id.0, address, now).await?,
            None => false,
        };
        if !known {
            return Err(refused(retry_after, first, SIGNIN_PER_ACCOUNT.scope).await?);
        }
    }
    let session = login(store, name, password, now).await?;
    attempts::forgive(store, SIGNIN_PER_ADDRESS, address).await?;
    attempts::forgive(store, SIGNIN_PER_ACCOUNT, &account).await?;
    attempts::clear(store, SIGNIN_PER_ACCOUNT_ADDRESS, &pair).await?;
    attempts::remember_address(store, session.user.id.0, address, now).await?;
    Ok(session)
}

fn account_shown(name: &str) -> String {
    name.trim().chars().take(64).collect()
}

/// How long a sign-in form stays good: its pre-session ends this long after it was made.
pub const PRESESSION_LIFETIME: Duration = Duration::minutes(30);

/// The sign-in form's pre-session: the secret for the browser's cookie and the CSRF token
/// bound to it in the store. Before sign-in there is no session to bind the form's token to,
/// and a double-submit token accepts any value an attacker manages to set as both cookie and
/// field; a pre-session accepts only a token this server issued with that cookie.
#[derive(Debug, Clone)]
pub struct PreSession {
    /// The browser's secret (the database keeps its SHA-256).
    pub token: SessionToken,
    /// The token the form carries.
    pub csrf: String,
    /// Whether it was made now (the cookie must be sent) or the browser's own was still good.
    pub fresh: bool,
}

/// The pre-session for a sign-in form: the browser's own (`held`) while it lasts, otherwise
/// a new one. New ones are counted per address (limit `login.form`), so a flood of form
/// requests cannot fill the table; expired ones are deleted as new ones are made.
pub async fn pre_session(
    store: &Store,
    held: Option<&SessionToken>,
    address: &str,
    now: DateTime<Utc>,
) -> Result<PreSession, AuthError> {
    use crate::attempts::{self, LOGIN_FORMS_PER_ADDRESS, Reserved};
    if let Some(token) = held {
        let id = token.stored_id();
        let csrf: Option<String> = on_db!(store, pool => {
            sqlx::query("SELECT csrf FROM login_presessions WHERE id = $1 AND expires_at > $2")
                .bind(&id)
                .bind(ts(now))
                .fetch_optional(pool)
                .await?
                .map(|r| r.try_get::<String, _>("csrf"))
                .transpose()?
        });
        if let Some(csrf) = csrf {
            return Ok(PreSession {
                token: token.clone(),
                csrf,
                fresh: false,
            });
        }
    }
    if let Reserved::Refused { retry_after, .. } =
        attempts::reserve(store, LOGIN_FORMS_PER_ADDRESS, address, now).await?
    {
        return Err(AuthError::TooManyAttempts { retry_after });
    }
    let token = SessionToken(random_hex32());
    let csrf = random_hex32();
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("DELETE FROM login_presessions WHERE expires_at <= $1")
            .bind(ts(now))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO login_presessions (id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token.stored_id())
        .bind(&csrf)
        .bind(ts(now))
        .bind(ts(now + PRESESSION_LIFETIME))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    });
    Ok(PreSession {
        token,
        csrf,
        fresh: true,
    })
}

/// Whether a sign-in form's `csrf` is the one issued with the pre-session `held` and that
/// pre-session is still good (compared in constant time).
pub async fn pre_session_ok(
    store: &Store,
    held: &SessionToken,
    csrf: &str,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    use subtle::ConstantTimeEq;
    let id = held.stored_id();
    let stored: Option<String> = on_db!(store, pool => {
        sqlx::query("SELECT csrf FROM login_presessions WHERE id = $1 AND expires_at > $2")
            .bind(&id)
            .bind(ts(now))
            .fetch_optional(pool)
            .await?
            .map(|r| r.try_get::<String, _>("csrf"))
            .transpose()?
    });
    Ok(stored.is_some_and(|s| !s.is_empty() && bool::from(s.as_bytes().ct_eq(csrf.as_bytes()))))
}

/// Ends a pre-session (after a successful sign-in: a form is good for one session).
pub async fn end_pre_session(store: &Store, held: &SessionToken) -> Result<(), StoreError> {
    let id = held.stored_id();
    on_db!(store, pool => {
        sqlx::query("DELETE FROM login_presessions WHERE id = $1")
            .bind(&id)
            .execute(pool)
            .await?;
    });
    Ok(())
}

/// The session of `token` at `now`, sliding its idle timer; `None` when there is no such
/// session or it has ended (idle, too old, or its user disabled), in which case it is
/// deleted. The touch is not audited: it changes no record anyone works with.
pub async fn session_user(
    store: &Store,
    token: &SessionToken,
    now: DateTime<Utc>,
) -> Result<Option<Session>, StoreError> {
    let id = token.stored_id();
    let sql = format!(
        "SELECT {USER_COLUMNS}, s.csrf, s.last_seen, s.expires_at \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1"
    );
    on_db!(store, pool => {
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(&id).fetch_optional(pool).await? else {
            return Ok(None);
        };
        let user = user_from_row(&row)?;
        let csrf: String = row.try_get("csrf")?;
        let last_seen = from_ts(row.try_get("last_seen")?);
        let expires_at = from_ts(row.try_get("expires_at")?);
        if user.disabled || now >= expires_at || now - last_seen >= IDLE_TIMEOUT {
            sqlx::query("DELETE FROM sessions WHERE id = $1").bind(&id).execute(pool).await?;
            return Ok(None);
        }
        // Never move last_seen backwards (requests may finish out of order).
        sqlx::query("UPDATE sessions SET last_seen = $2 WHERE id = $1 AND last_seen < $2")
            .bind(&id)
            .bind(ts(now))
            .execute(pool)
            .await?;
        Ok(Some(Session { token: token.clone(), csrf, user, expires_at }))
    })
}

/// Ends the session of `token` (nothing happens for an unknown token).
pub async fn logout(store: &Store, token: &SessionToken) -> Result<(), StoreError> {
    let id = token.stored_id();
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let row = sqlx::query(
            "SELECT u.id, u.name FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1",
        )
        .bind(&id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(r) = row {
            let user_id: i64 = r.try_get("id")?;
            let name: String = r.try_get("name")?;
            sqlx::query("DELETE FROM sessions WHERE id = $1").bind(&id).execute(&mut *tx).await?;
            audit_append!(tx, &name, "user.logout", "user", &user_id.to_string(), "{}");
        }
        tx.commit().await?;
    });
    Ok(())
}

/// Sets a new password for `target` and ends its sessions; the audit entry names the action
/// and the actor, never the password.
async fn set_password(
    store: &Store,
    actor: &str,
    action: &str,
    target: &User,
    new_password: &str,
    now: DateTime<Utc>,
) -> Result<(), AuthError> {
    check_password_policy(&target.name, new_password)?;
    let phc = hash_password(new_password).await?;
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query(
            "UPDATE users SET password_hash = $2, failed_count = 0, locked_until = NULL, \
             changed_at = $3 WHERE id = $1",
        )
        .bind(target.id.0)
        .bind(&phc)
        .bind(ts(now))
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(target.id.0)
            .execute(&mut *tx)
            .await?;
        audit_append!(tx, actor, action, "user", &target.id.to_string(), "{}");
        tx.commit().await?;
    });
    Ok(())
}

/// A user changes their own password, giving the current one. Every session of the user
/// ends, so a stolen session does not outlive the change.
pub async fn change_password(
    store: &Store,
    user_id: UserId,
    old_password: &str,
    new_password: &str,
    now: DateTime<Utc>,
) -> Result<(), AuthError> {
    use crate::attempts::{self, CURRENT_PASSWORD, Reserved};
    let user = get_user(store, user_id).await?;
    let Some((_, phc)) = user_with_hash(store, &user.name).await? else {
        return Err(AuthError::BadCredentials);
    };
    // The current password is guessed like a sign-in: counted before the hash, limited, and
    // every wrong one audited.
    let key = user.id.0.to_string();
    if let Reserved::Refused { retry_after, first } =
        attempts::reserve(store, CURRENT_PASSWORD, &key, now).await?
    {
        if first {
            crate::audit::record(
                store,
                &user.name,
                "user.password_check_limited",
                "user",
                &key,
                "{}",
            )
            .await?;
        }
        return Err(AuthError::TooManyAttempts { retry_after });
    }
    if old_password.chars().count() > MAX_PASSWORD_CHARS
        || !verify_password(old_password, &phc).await?
    {
        crate::audit::record(
            store,
            &user.name,
            "user.password_check_failed",
            "user",
            &key,
            "{}",
        )
        .await?;
        return Err(AuthError::BadCredentials);
    }
    attempts::clear(store, CURRENT_PASSWORD, &key).await?;
    if old_password == new_password {
        return Err(AuthError::WeakPassword(
            "新密码不能与原密码相同".to_string(),
        ));
    }
    set_password(
        store,
        &user.name,
        "user.password_change",
        &user,
        new_password,
        now,
    )
    .await
}

/// An administrator sets a new password for `target` (and lifts a lock); its sessions end.
pub async fn reset_password(
    store: &Store,
    actor: &str,
    target: UserId,
    new_password: &str,
    now: DateTime<Utc>,
) -> Result<(), AuthError> {
    let user = get_user(store, target).await?;
    set_password(
        store,
        actor,
        "user.password_reset",
        &user,
        new_password,
        now,
    )
    .await
}

/// Disables `target`: it can no longer sign in and its sessions end at once. Users are never
/// deleted, so the audit log's names keep pointing at someone.
pub async fn disable_user(
    store: &Store,
    actor: &str,
    target: UserId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    set_disabled(store, actor, target, true, now).await
}

/// Enables a disabled user again.
pub async fn enable_user(
    store: &Store,
    actor: &str,
    target: UserId,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    set_disabled(store, actor, target, false, now).await
}

async fn set_disabled(
    store: &Store,
    actor: &str,
    target: UserId,
    disabled: bool,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let action = if disabled {
        "user.disable"
    } else {
        "user.enable"
    };
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let done = sqlx::query("UPDATE users SET disabled = $2, changed_at = $3 WHERE id = $1")
            .bind(target.0)
            .bind(disabled)
            .bind(ts(now))
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user {target}")));
        }
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(target.0)
                .execute(&mut *tx)
                .await?;
        }
        audit_append!(tx, actor, action, "user", &target.to_string(), "{}");
        tx.commit().await?;
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_by_key_and_label() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.key()), Some(r));
            assert_eq!(Role::parse(r.label()), Some(r));
        }
        assert_eq!(Role::parse("security-admin"), Some(Role::SecurityAdmin));
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn password_policy() {
        assert!(check_password_policy("zhang", "Short1!").is_err());
        assert!(check_password_policy("zhang", "alllowercase12").is_err());
        assert!(check_password_policy("zhang", "Lower-and-UPPER").is_ok());
        assert!(check_password_policy("zhang", "Kx7#pQ2mZa-v").is_ok());
        assert!(check_password_policy("zhang", "Zhang-2024-xy").is_err());
        assert!(check_password_policy("zhang", &"Aa1!".repeat(100)).is_err());
    }

    /// Common passwords and their usual variants are refused with the reason named, though
    /// they pass the length and character-class rules.
    #[test]
    fn common_passwords_are_refused() {
        for weak in [
            "Password123",
            "Password123!",
            "P@ssw0rd2024",
            "Qwerty123456",
            "Aa123456789",
            "Abc@123456",
            "Welcome2024!",
            "Gongkai@123",
            "Iloveyou2024",
        ] {
            let err = check_password_policy("zhang.san", weak).expect_err(weak);
            assert!(
                err.to_string().contains("过于常见或容易猜中"),
                "{weak}: {err}"
            );
        }
        for strong in ["Xiayi-Gongkai-2020", "Test-Secret-2026", "Kx7#pQ2mZa-v"] {
            assert!(
                check_password_policy("zhang.san", strong).is_ok(),
                "{strong}"
            );
        }
    }

    #[test]
    fn token_debug_hides_the_secret() {
        let t = SessionToken::new("secret-token");
        assert!(!format!("{t:?}").contains("secret"));
        assert_eq!(t.stored_id().len(), 64);
    }
}
