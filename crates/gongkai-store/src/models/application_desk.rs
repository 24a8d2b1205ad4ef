//! Writes of the back office's application desk that the clock does not model: the reasons
//! and the responsible agency a reply letter states (kept on the reply event, so the letter
//! prints the same words every time), and closing (办结) a replied case.
//!
//! Each write is one transaction with its audit entry, as everywhere in the store.

use chrono::NaiveDate;
use gongkai_law::{ClockEvent, Outcome};
use serde::Serialize;
use sqlx::Row;

use crate::models::application::{self, Application};

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// What the handler wrote for the reply letter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReplyDetails {
    /// The reasons, when anything is withheld, not provided or declined.
    pub reasons: Option<String>,
    /// The agency responsible for the information when it is not ours (Art. 36(5)).
    pub responsible_agency: Option<String>,
    /// The articles the handler chose as the reply's legal basis (from
    /// [`Outcome::articles`]), in the order the law lists them.
    pub basis: Vec<String>,
}

/// Records the final reply with what its letter states, in one transaction with its audit
/// entry: the reasons, the legal basis and the responsible agency are stored on the reply
/// event itself, so a reply never exists without the words its letter prints.
///
/// The caller has checked them (the reasons and a basis from the outcome's own articles where
/// [`Outcome::needs_reasons`]); the store refuses a basis the outcome does not allow.
pub async fn reply(
    store: &Store,
    actor: &str,
    id: i64,
    on: NaiveDate,
    outcome: Outcome,
    details: &ReplyDetails,
) -> Result<Application, StoreError> {
    if let Some(b) = details
        .basis
        .iter()
        .find(|b| !outcome.articles().contains(&b.as_str()))
    {
        return Err(StoreError::invalid(format!(
            "{b}不是“{}”可以依据的条款",
            outcome.plain_label()
        )));
    }
    let mut extra = serde_json::Map::new();
    extra.insert("reasons".into(), clean(details.reasons.as_deref()).into());
    extra.insert(
        "responsible_agency".into(),
        clean(details.responsible_agency.as_deref()).into(),
    );
    extra.insert("basis".into(), details.basis.clone().into());
    application::append_event(
        store,
        actor,
        id,
        ClockEvent::Replied { on },
        Some(outcome),
        Some(&extra),
    )
    .await
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
        .ok_or_else(|| StoreError::invalid(format!("申请 {id} 尚未答复")))?;
        let event_id: i64 = row.try_get("id")?;
        let payload: String = row.try_get("payload")?;
        let mut v: serde_json::Value =
            serde_json::from_str(&payload).map_err(|e| StoreError::invalid(e.to_string()))?;
        if let Some(obj) = v.as_object_mut() {
            obj.insert("reasons".into(), reasons.clone().into());
            obj.insert("responsible_agency".into(), responsible.clone().into());
            obj.insert("basis".into(), details.basis.clone().into());
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
        serde_json::from_str(&payload).map_err(|e| StoreError::invalid(e.to_string()))?;
    let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
    Ok(ReplyDetails {
        reasons: field("reasons"),
        responsible_agency: field("responsible_agency"),
        basis: v
            .get("basis")
            .and_then(|x| x.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
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
            return Err(StoreError::invalid(format!(
                "申请 {id} 未答复或已办结，不能办结"
            )));
        }
        audit_append!(tx, actor, "application.close", "application", &id.to_string(), "{}");
        tx.commit().await?;
    });
    Ok(())
}

/// The most items one 补正 notice lists.
pub const CORRECTION_ITEMS_MAX: usize = 20;

/// Records a 补正 notice (Art. 30) with the items the applicant must correct, all at once
/// (一次性告知): one or more, stored on the notice's event so its letter and /track show the
/// same words. The clock's own rule sets the correction period.
pub async fn send_correction_notice(
    store: &Store,
    actor: &str,
    id: i64,
    on: NaiveDate,
    items: &[String],
) -> Result<Application, StoreError> {
    let items: Vec<String> = items
        .iter()
        .map(|i| i.trim().to_string())
        .filter(|i| !i.is_empty())
        .collect();
    if items.is_empty() {
        return Err(StoreError::invalid("请逐项写明需要补正的事项"));
    }
    if items.len() > CORRECTION_ITEMS_MAX {
        return Err(StoreError::invalid(format!(
            "补正事项不能超过{CORRECTION_ITEMS_MAX}项"
        )));
    }
    let mut extra = serde_json::Map::new();
    extra.insert("items".into(), items.into());
    application::append_event(
        store,
        actor,
        id,
        ClockEvent::CorrectionNoticeSent { on },
        None,
        Some(&extra),
    )
    .await
}

/// The items a stored 补正 notice lists (empty for a notice recorded without them).
pub async fn correction_items(store: &Store, event_id: i64) -> Result<Vec<String>, StoreError> {
    let payload: Option<String> = on_db!(store, pool => {
        sqlx::query("SELECT payload FROM application_events WHERE id = $1 AND kind = 'correction_notice_sent'")
            .bind(event_id)
            .fetch_optional(pool)
            .await?
            .map(|r| r.try_get::<String, _>("payload"))
            .transpose()?
    });
    let Some(payload) = payload else {
        return Ok(Vec::new());
    };
    let v: serde_json::Value =
        serde_json::from_str(&payload).map_err(|e| StoreError::invalid(e.to_string()))?;
    Ok(v.get("items")
        .and_then(|x| x.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default())
}
