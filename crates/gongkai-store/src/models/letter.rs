//! The mayor's mailbox (县长信箱): letters, replies and their dates. The writer's contact is
//! sealed; what is published carries no personal data.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// A letter as the back office sees it (the writer's contact stays sealed).
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct MailboxLetter {
    /// Database id.
    pub id: i64,
    /// Agency the letter is addressed to.
    pub agency_id: i64,
    /// Letter number (unique).
    pub letter_no: String,
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
    /// Date received.
    pub received_on: NaiveDate,
    /// The reply.
    pub reply: Option<String>,
    /// Date of the reply.
    pub replied_on: Option<NaiveDate>,
    /// Published on the portal (with the writer's consent).
    pub published: bool,
}

/// Registers a letter.
#[allow(clippy::too_many_arguments)]
pub async fn receive(
    store: &Store,
    actor: &str,
    agency_id: i64,
    letter_no: &str,
    subject: &str,
    body: &str,
    writer_contact: Option<&str>,
    received_on: NaiveDate,
) -> Result<i64, StoreError> {
    let contact = store.crypto.seal_opt(writer_contact)?;
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO mailbox_letters (agency_id, letter_no, subject, body, writer_contact_enc, received_on) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(agency_id)
        .bind(letter_no)
        .bind(subject)
        .bind(body)
        .bind(contact)
        .bind(received_on)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        audit_append!(tx, actor, "letter.receive", "mailbox_letter", &id.to_string(), &serde_json::json!({"letter_no": letter_no}).to_string());
        tx.commit().await?;
        Ok(id)
    })
}

/// Records the reply to a letter and whether it is published.
pub async fn reply(
    store: &Store,
    actor: &str,
    id: i64,
    reply: &str,
    replied_on: NaiveDate,
    publish: bool,
) -> Result<(), StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let n = sqlx::query("UPDATE mailbox_letters SET reply = $1, replied_on = $2, published = $3 WHERE id = $4")
            .bind(reply)
            .bind(replied_on)
            .bind(publish)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("letter {id}")));
        }
        audit_append!(tx, actor, "letter.reply", "mailbox_letter", &id.to_string(), &serde_json::json!({"on": replied_on, "published": publish}).to_string());
        tx.commit().await?;
    });
    Ok(())
}

/// Letters of an agency received before `before` and still without a reply (inspection:
/// LETTER-UNANSWERED after 3 months).
pub async fn unanswered_before(
    store: &Store,
    agency_id: i64,
    before: NaiveDate,
) -> Result<Vec<MailboxLetter>, StoreError> {
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, MailboxLetter>(
            "SELECT id, agency_id, letter_no, subject, body, received_on, reply, replied_on, published \
             FROM mailbox_letters WHERE agency_id = $1 AND replied_on IS NULL AND received_on < $2 ORDER BY received_on",
        )
        .bind(agency_id)
        .bind(before)
        .fetch_all(pool)
        .await?)
    })
}

/// The number of letters of an agency replied in a date range.
pub async fn count_replied(
    store: &Store,
    agency_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<i64, StoreError> {
    on_db!(store, pool => {
        Ok(sqlx::query("SELECT COUNT(*) AS n FROM mailbox_letters WHERE agency_id = $1 AND replied_on >= $2 AND replied_on <= $3")
            .bind(agency_id)
            .bind(from)
            .bind(to)
            .fetch_one(pool)
            .await?
            .try_get("n")?)
    })
}
