//! The append-only audit log. Each entry's hash is sha256 of the previous entry's hash and the
//! entry itself, so removing, reordering or editing an entry breaks the chain at that point and
//! [`verify`] says where. Triggers on both back ends refuse UPDATE and DELETE on the log.
//!
//! Entries are written by the crate-internal `audit_append!` macro inside the transaction of
//! the change they record: both commit or neither does.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Store, StoreError};

/// The hash that precedes the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// Who: a user name, or `system`, `demo`, `import`.
    pub actor: String,
    /// What was done, e.g. `application.create`.
    pub action: String,
    /// The kind of record.
    pub entity: String,
    /// Which record (an id or a natural key).
    pub entity_id: String,
    /// Details as JSON; never personal data.
    pub detail: String,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

impl AuditEntry {
    /// The hash of an entry's contents chained to `prev_hash`.
    #[allow(clippy::too_many_arguments)]
    pub fn compute_hash(
        prev_hash: &str,
        seq: i64,
        at: &str,
        actor: &str,
        action: &str,
        entity: &str,
        entity_id: &str,
        detail: &str,
    ) -> String {
        let mut h = Sha256::new();
        h.update(prev_hash.as_bytes());
        for part in [
            &seq.to_string() as &str,
            at,
            actor,
            action,
            entity,
            entity_id,
            detail,
        ] {
            // A unit separator keeps ("ab","c") and ("a","bc") apart.
            h.update([0x1f]);
            h.update(part.as_bytes());
        }
        hex::encode(h.finalize())
    }

    /// Builds the entry that follows `prev_hash` at `seq`, stamped now.
    pub fn next(
        seq: i64,
        prev_hash: String,
        actor: &str,
        action: &str,
        entity: &str,
        entity_id: &str,
        detail: &str,
    ) -> AuditEntry {
        let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let hash = AuditEntry::compute_hash(
            &prev_hash, seq, &at, actor, action, entity, entity_id, detail,
        );
        AuditEntry {
            seq,
            at,
            actor: actor.into(),
            action: action.into(),
            entity: entity.into(),
            entity_id: entity_id.into(),
            detail: detail.into(),
            prev_hash,
            hash,
        }
    }
}

/// Appends an audit entry inside the open transaction `$tx` (a `Transaction` of either back
/// end). The first statement bumps the chain head, which takes the write lock that keeps two
/// writers from chaining onto the same tip.
macro_rules! audit_append {
    ($tx:expr, $actor:expr, $action:expr, $entity:expr, $entity_id:expr, $detail:expr) => {{
        let row = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut *$tx)
            .await?;
        let seq: i64 = sqlx::Row::try_get(&row, "seq")?;
        let prev: String = sqlx::Row::try_get(&row, "hash")?;
        let entry = $crate::audit::AuditEntry::next(
            seq, prev, $actor, $action, $entity, $entity_id, $detail,
        );
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
            .bind(&entry.hash)
            .execute(&mut *$tx)
            .await?;
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, detail, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(entry.seq)
        .bind(&entry.at)
        .bind(&entry.actor)
        .bind(&entry.action)
        .bind(&entry.entity)
        .bind(&entry.entity_id)
        .bind(&entry.detail)
        .bind(&entry.prev_hash)
        .bind(&entry.hash)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use audit_append;

/// Appends one entry in a transaction of its own (for events that change nothing else, such as
/// a sign-in).
pub async fn record(
    store: &Store,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    detail: &str,
) -> Result<(), StoreError> {
    use crate::BeginWrite;
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        audit_append!(tx, actor, action, entity, entity_id, detail);
        tx.commit().await?;
    });
    Ok(())
}

/// The last `limit` entries, newest first.
pub async fn recent(store: &Store, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
    let sql = "SELECT seq, at, actor, action, entity, entity_id, detail, prev_hash, hash \
               FROM audit_log ORDER BY seq DESC LIMIT $1";
    on_db!(store, pool => {
        let rows = sqlx::query(sql).bind(limit).fetch_all(pool).await?;
        rows.iter().map(entry_from_row).collect()
    })
}

fn entry_from_row<R: Row>(r: &R) -> Result<AuditEntry, StoreError>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    i64: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    String: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    Ok(AuditEntry {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        actor: r.try_get("actor")?,
        action: r.try_get("action")?,
        entity: r.try_get("entity")?,
        entity_id: r.try_get("entity_id")?,
        detail: r.try_get("detail")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

/// Walks the whole chain in pages and checks every link and hash, and that the head matches the
/// last entry. Returns the number of entries; a break is [`StoreError::AuditChain`] with the
/// first sequence number at fault.
pub async fn verify(store: &Store) -> Result<i64, StoreError> {
    const PAGE: i64 = 1000;
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1i64;
    loop {
        let sql = "SELECT seq, at, actor, action, entity, entity_id, detail, prev_hash, hash \
                   FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2";
        let page: Vec<AuditEntry> = on_db!(store, pool => {
            let rows = sqlx::query(sql).bind(expected_seq).bind(PAGE).fetch_all(pool).await?;
            rows.iter().map(entry_from_row).collect::<Result<_, _>>()?
        });
        let n = page.len() as i64;
        for e in page {
            let recomputed = AuditEntry::compute_hash(
                &e.prev_hash,
                e.seq,
                &e.at,
                &e.actor,
                &e.action,
                &e.entity,
                &e.entity_id,
                &e.detail,
            );
            if e.seq != expected_seq || e.prev_hash != prev || e.hash != recomputed {
                return Err(StoreError::AuditChain(expected_seq));
            }
            prev = e.hash;
            expected_seq += 1;
        }
        if n < PAGE {
            break;
        }
    }
    let (head_seq, head_hash): (i64, String) = on_db!(store, pool => {
        let r = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(pool).await?;
        (r.try_get("seq")?, r.try_get("hash")?)
    });
    if head_seq != expected_seq - 1 || head_hash != prev {
        return Err(StoreError::AuditChain(expected_seq));
    }
    Ok(expected_seq - 1)
}
