//! Writes of the back office's application desk that the clock does not model: the reasons
//! and the responsible agency a reply letter states (kept on the reply event, so the letter
//! prints the same words every time), and closing (办结) a replied case.
//!
//! Each write is one transaction with its audit entry, as everywhere in the store.

use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// What the handler wrote for the reply letter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReplyDetails {
    /// The reasons, when anything is withheld, not provided or declined.
    pub reasons: Option<String>,
    /// The agency responsible for the information when it is not ours (Art. 36(5)).
    pub responsible_agency: Option<String>,
}

fn clean(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Stores the letter's reasons and responsible agency on the application's reply event.
pub async fn set_reply_details(
    store: &Store,
    actor: &str,
    id: i64,
    details: &ReplyDetails,
) -> Result<(), StoreError> {
    let reasons = clean(details.reasons.as_deref());
    let responsible = clean(details.responsible_agency.as_deref());
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let row = sqlx::query(
            "SELECT id, payload FROM application_events WHERE application_id = $1 AND kind = 'replied' \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::Invalid(format!("申请 {id} 尚未答复 / not replied")))?;
        let event_id: i64 = row.try_get("id")?;
        let payload: String = row.try_get("payload")?;
        let mut v: serde_json::Value =
            serde_json::from_str(&payload).map_err(|e| StoreError::Invalid(e.to_string()))?;
        if let Some(obj) = v.as_object_mut() {
            obj.insert("reasons".into(), reasons.clone().into());
            obj.insert("responsible_agency".into(), responsible.clone().into());
        }
        sqlx::query("UPDATE application_events SET payload = $1 WHERE id = $2")
            .bind(v.to_string())
            .bind(event_id)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({"event": event_id, "reasons": reasons.is_some(), "responsible_agency": responsible}).to_string();
        audit_append!(tx, actor, "application.reply_details", "application", &id.to_string(), &detail);
        tx.commit().await?;
    });
    Ok(())
}

/// The letter's reasons and responsible agency stored on the application's reply event
/// (empty if none were given or the case is not replied).
pub async fn reply_details(store: &Store, id: i64) -> Result<ReplyDetails, StoreError> {
    let payload: Option<String> = on_db!(store, pool => {
        sqlx::query(
            "SELECT payload FROM application_events WHERE application_id = $1 AND kind = 'replied' \
             ORDER BY id DESC LIMIT 1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?
        .map(|r| r.try_get::<String, _>("payload"))
        .transpose()?
    });
    let Some(payload) = payload else {
        return Ok(ReplyDetails::default());
    };
    let v: serde_json::Value =
        serde_json::from_str(&payload).map_err(|e| StoreError::Invalid(e.to_string()))?;
    let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    Ok(ReplyDetails {
        reasons: field("reasons"),
        responsible_agency: field("responsible_agency"),
    })
}

/// Closes (办结) a replied application: its file is complete. Only a replied case closes;
/// the outcome and dates stay as they are.
pub async fn close(store: &Store, actor: &str, id: i64) -> Result<(), StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let done = sqlx::query("UPDATE applications SET status = 'closed' WHERE id = $1 AND status = 'replied'")
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if done == 0 {
            return Err(StoreError::Invalid(format!(
                "申请 {id} 未答复或已办结，不能办结 / only a replied case closes"
            )));
        }
        audit_append!(tx, actor, "application.close", "application", &id.to_string(), "{}");
        tx.commit().await?;
    });
    Ok(())
}
