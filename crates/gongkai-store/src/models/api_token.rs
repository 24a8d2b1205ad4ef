//! API tokens (issue 18.3): what lets a provincial system or a superior office's script call
//! the report checker (`POST /api/v1/reports/check|parse`) beyond the anonymous per-address
//! allowance. The 安全管理员 issues a token to a named caller with its scopes; the secret
//! (`gk_` and 43 characters of base64url, 256 random bits) is shown once and only its SHA-256
//! is stored, so a copy of the database lets no one call as the token. Revoking stamps the row
//! (never deletes it); issuing and revoking are audited; each use updates `last_used_at`.

use rand::RngCore;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// The longest caller name, in characters.
pub const CALLER_MAX: usize = 100;

/// What a token may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum Scope {
    /// 年报检查: `POST /api/v1/reports/check` and `/reports/parse`.
    CheckReports,
}

impl Scope {
    /// Every scope, in the order forms list them.
    pub const ALL: [Scope; 1] = [Scope::CheckReports];

    /// The key stored and shown to callers.
    pub fn key(self) -> &'static str {
        match self {
            Scope::CheckReports => "reports:check",
        }
    }

    /// The Chinese name shown on the back office.
    pub fn label(self) -> &'static str {
        match self {
            Scope::CheckReports => "年度报告检查与解析",
        }
    }

    /// The scope a key names.
    pub fn from_key(key: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// A token as the back office lists it (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    /// Row id.
    pub id: i64,
    /// Who it was issued to (a system or an office).
    pub caller: String,
    /// The secret's first characters, to tell tokens apart.
    pub prefix: String,
    /// What it may be used for.
    pub scopes: Vec<Scope>,
    /// The security admin who issued it.
    pub issued_by: String,
    /// When (Unix seconds).
    pub issued_at: i64,
    /// Who revoked it, and when (Unix seconds); `None` while it is valid.
    pub revoked: Option<(String, i64)>,
    /// The last time it was used (Unix seconds).
    pub last_used_at: Option<i64>,
}

impl ApiToken {
    /// Whether the token may still be used.
    pub fn is_active(&self) -> bool {
        self.revoked.is_none()
    }

    /// Whether it carries `scope`.
    pub fn allows(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }
}

/// A token just issued: the row and the secret, which is shown this once.
#[derive(Debug, Clone)]
pub struct Issued {
    /// The stored token.
    pub token: ApiToken,
    /// The secret the caller sends as `Authorization: Bearer …`.
    pub secret: String,
}

fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn scopes_text(scopes: &[Scope]) -> String {
    scopes.iter().map(|s| s.key()).collect::<Vec<_>>().join(" ")
}

fn from_row<R: Row>(r: &R) -> Result<ApiToken, sqlx::Error>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    i64: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    String: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let scopes: String = r.try_get("scopes")?;
    let revoked_by: Option<String> = r.try_get("revoked_by")?;
    let revoked_at: Option<i64> = r.try_get("revoked_at")?;
    Ok(ApiToken {
        id: r.try_get("id")?,
        caller: r.try_get("caller")?,
        prefix: r.try_get("prefix")?,
        // A key this build does not know (written by a newer one) grants nothing here.
        scopes: scopes
            .split_whitespace()
            .filter_map(Scope::from_key)
            .collect(),
        issued_by: r.try_get("issued_by")?,
        issued_at: r.try_get("issued_at")?,
        revoked: revoked_at.map(|at| (revoked_by.unwrap_or_default(), at)),
        last_used_at: r.try_get("last_used_at")?,
    })
}

/// `SELECT` of every column but the secret's hash, then `$rest` (a literal, as sqlx wants).
macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT id, caller, prefix, scopes, issued_by, issued_at, revoked_by, revoked_at, \
             last_used_at FROM api_tokens ",
            $rest
        )
    };
}

/// Issues a token to `caller` with `scopes`, audited as `api_token.issue` (the caller, the
/// prefix and the scopes; never the secret).
pub async fn issue(
    store: &Store,
    actor: &str,
    caller: &str,
    scopes: &[Scope],
) -> Result<Issued, StoreError> {
    let caller = caller.trim();
    if caller.is_empty() || caller.chars().count() > CALLER_MAX {
        return Err(StoreError::invalid(format!(
            "使用单位须为1至{CALLER_MAX}个字"
        )));
    }
    if scopes.is_empty() {
        return Err(StoreError::invalid("至少选择一项权限"));
    }
    let mut raw = [0u8; 32];
    rand::rng().fill_bytes(&mut raw);
    let secret = format!("gk_{}", base64url(&raw));
    let prefix: String = secret.chars().take(11).collect();
    let now = chrono::Utc::now().timestamp();
    let scopes_key = scopes_text(scopes);
    let detail =
        serde_json::json!({"caller": caller, "prefix": prefix, "scopes": scopes_key}).to_string();
    let id: i64 = on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (caller, prefix, secret_hash, scopes, issued_by, issued_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(caller)
        .bind(&prefix)
        .bind(hash(&secret))
        .bind(&scopes_key)
        .bind(actor)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        audit_append!(tx, actor, "api_token.issue", "api_token", &id.to_string(), &detail);
        tx.commit().await?;
        id
    });
    Ok(Issued {
        token: ApiToken {
            id,
            caller: caller.to_string(),
            prefix,
            scopes: scopes.to_vec(),
            issued_by: actor.to_string(),
            issued_at: now,
            revoked: None,
            last_used_at: None,
        },
        secret,
    })
}

/// Revokes token `id`, audited as `api_token.revoke`. Revoking a revoked token changes nothing
/// and is not audited again; an unknown id is [`StoreError::NotFound`].
pub async fn revoke(store: &Store, actor: &str, id: i64) -> Result<ApiToken, StoreError> {
    let now = chrono::Utc::now().timestamp();
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let row = sqlx::query(select!("WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("接口令牌 {id}")))?;
        let mut token = from_row(&row)?;
        if token.is_active() {
            sqlx::query("UPDATE api_tokens SET revoked_by = $1, revoked_at = $2 WHERE id = $3")
                .bind(actor)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let detail = serde_json::json!({"caller": token.caller, "prefix": token.prefix})
                .to_string();
            audit_append!(tx, actor, "api_token.revoke", "api_token", &id.to_string(), &detail);
            token.revoked = Some((actor.to_string(), now));
        }
        tx.commit().await?;
        Ok(token)
    })
}

/// Every token, newest first.
pub async fn list(store: &Store) -> Result<Vec<ApiToken>, StoreError> {
    on_db!(store, pool => {
        sqlx::query(select!("ORDER BY id DESC"))
            .fetch_all(pool)
            .await?
            .iter()
            .map(from_row)
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .map_err(StoreError::from)
    })
}

/// The active token whose secret is `secret`, its use stamped; `None` for an unknown or
/// revoked secret (the caller cannot tell which).
pub async fn authenticate(store: &Store, secret: &str) -> Result<Option<ApiToken>, StoreError> {
    // Only a well-formed secret is looked up: a malformed header costs no query.
    if !secret.starts_with("gk_") || secret.len() != 46 {
        return Ok(None);
    }
    let now = chrono::Utc::now().timestamp();
    let h = hash(secret);
    on_db!(store, pool => {
        let row = sqlx::query(select!("WHERE secret_hash = $1 AND revoked_at IS NULL"))
        .bind(&h)
        .fetch_optional(pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let mut token = from_row(&row)?;
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(token.id)
            .execute(pool)
            .await?;
        token.last_used_at = Some(now);
        Ok(Some(token))
    })
}

/// RFC 4648 base64url without padding (32 bytes → 43 characters).
fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_is_gk_and_43_characters_of_base64url() {
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url(b"Man"), "TWFu");
        assert_eq!(base64url(&[0u8; 32]).len(), 43);
    }
}
