//! The mayor's mailbox (县长信箱): letters, replies and their dates. The writer's contact is
//! sealed; what is published carries no personal data.

use chrono::{Months, NaiveDate};
use gongkai_review::{Finding, WordList};
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

/// Registers a letter whose writer did not consent to publication (letters by post or
/// phone; see [`receive_with_consent`] for the public form).
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
    receive_with_consent(
        store,
        actor,
        agency_id,
        letter_no,
        subject,
        body,
        writer_contact,
        received_on,
        false,
    )
    .await
}

/// Registers a letter with the writer's answer to 「同意公开来信内容（不含个人信息）」: without
/// that consent the letter is never published ([`publish`]).
#[allow(clippy::too_many_arguments)]
pub async fn receive_with_consent(
    store: &Store,
    actor: &str,
    agency_id: i64,
    letter_no: &str,
    subject: &str,
    body: &str,
    writer_contact: Option<&str>,
    received_on: NaiveDate,
    consent: bool,
) -> Result<i64, StoreError> {
    let contact = store.crypto.seal_opt(writer_contact)?;
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO mailbox_letters (agency_id, letter_no, subject, body, writer_contact_enc, received_on, publish_consent) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(agency_id)
        .bind(letter_no)
        .bind(subject)
        .bind(body)
        .bind(contact)
        .bind(received_on)
        .bind(consent)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        audit_append!(tx, actor, "letter.receive", "mailbox_letter", &id.to_string(), &serde_json::json!({"letter_no": letter_no, "consent": consent}).to_string());
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

/// How long a letter may wait for its reply: a valid letter unanswered for more than three
/// months fails the website inspection (国办秘函〔2019〕19号).
pub const REPLY_LIMIT_MONTHS: u32 = 3;

/// Whether a letter received on `received_on` and not replied is over [`REPLY_LIMIT_MONTHS`]
/// on `today` (「超过三个月未答复」).
pub fn unanswered_too_long(
    received_on: NaiveDate,
    replied_on: Option<NaiveDate>,
    today: NaiveDate,
) -> bool {
    replied_on.is_none()
        && received_on
            .checked_add_months(Months::new(REPLY_LIMIT_MONTHS))
            .is_some_and(|limit| limit < today)
}

/// A letter as the mailbox's back office handles it (the contact stays sealed; see
/// [`writer_contact`]).
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct DeskLetter {
    /// Database id.
    pub id: i64,
    /// Agency the letter is addressed to.
    pub agency_id: i64,
    /// Letter number.
    pub letter_no: String,
    /// Subject.
    pub subject: String,
    /// The body as written.
    pub body: String,
    /// The text published in place of the body (personal data taken out), if set.
    pub public_body: Option<String>,
    /// Date received.
    pub received_on: NaiveDate,
    /// The reply.
    pub reply: Option<String>,
    /// Date of the reply.
    pub replied_on: Option<NaiveDate>,
    /// Shown on the public mailbox.
    pub published: bool,
    /// The writer agreed to publication on the form.
    pub publish_consent: bool,
}

impl DeskLetter {
    /// The text that would be published as the letter's body.
    pub fn public_text(&self) -> &str {
        self.public_body.as_deref().unwrap_or(&self.body)
    }
}

const DESK_COLUMNS: &str = "id, agency_id, letter_no, subject, body, public_body, received_on, reply, replied_on, \
     published, publish_consent";

/// The letters of `root`'s subtree for the back office: unanswered first (the oldest first),
/// then the replied ones (the latest reply first), at most `limit`.
pub async fn desk_list(
    store: &Store,
    root: i64,
    limit: i64,
) -> Result<Vec<DeskLetter>, StoreError> {
    let sql = format!(
        "{} SELECT {DESK_COLUMNS} FROM mailbox_letters WHERE agency_id IN (SELECT id FROM sub) \
         ORDER BY CASE WHEN replied_on IS NULL THEN 0 ELSE 1 END, \
         CASE WHEN replied_on IS NULL THEN received_on END, replied_on DESC, id DESC LIMIT $2",
        crate::models::agency::SUBTREE
    );
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, DeskLetter>(sqlx::AssertSqlSafe(sql))
            .bind(root)
            .bind(limit)
            .fetch_all(pool)
            .await?)
    })
}

/// One letter by id.
pub async fn desk_get(store: &Store, id: i64) -> Result<DeskLetter, StoreError> {
    let sql = format!("SELECT {DESK_COLUMNS} FROM mailbox_letters WHERE id = $1");
    on_db!(store, pool => {
        sqlx::query_as::<_, DeskLetter>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("letter {id}")))
    })
}

/// The writer's contact, opened (for the back office, which shows it masked).
pub async fn writer_contact(store: &Store, id: i64) -> Result<Option<String>, StoreError> {
    let sealed: Option<Vec<u8>> = on_db!(store, pool => {
        sqlx::query("SELECT writer_contact_enc FROM mailbox_letters WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("letter {id}")))?
            .try_get("writer_contact_enc")?
    });
    sealed.map(|b| store.crypto.open(&b)).transpose()
}

/// Records (or changes) the reply to a letter, and the text to publish in place of the body
/// (`None`: the body as written). A changed letter leaves the public mailbox until it is
/// checked and published again.
pub async fn answer(
    store: &Store,
    actor: &str,
    id: i64,
    reply: &str,
    replied_on: NaiveDate,
    public_body: Option<&str>,
) -> Result<(), StoreError> {
    let reply = reply.trim();
    if reply.is_empty() {
        return Err(StoreError::invalid("请填写答复内容"));
    }
    let public_body = public_body.map(str::trim).filter(|b| !b.is_empty());
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let received: NaiveDate = sqlx::query("SELECT received_on FROM mailbox_letters WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("letter {id}")))?
            .try_get("received_on")?;
        if replied_on < received {
            return Err(StoreError::invalid(format!(
                "答复日期 {replied_on} 早于来信日期 {received}"
            )));
        }
        sqlx::query(
            "UPDATE mailbox_letters SET reply = $1, replied_on = $2, public_body = $3, published = $4 WHERE id = $5",
        )
        .bind(reply)
        .bind(replied_on)
        .bind(public_body)
        .bind(false)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({"on": replied_on, "public_body": public_body.is_some()}).to_string();
        audit_append!(tx, actor, "letter.answer", "mailbox_letter", &id.to_string(), &detail);
        tx.commit().await?;
    });
    Ok(())
}

/// Something the scan found in the text to publish, masked (never the raw value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicFinding {
    /// Which part: 标题, 来信内容 or 答复.
    pub part: &'static str,
    /// What it is (居民身份证号, 手机号码, 银行卡号 …).
    pub label: &'static str,
    /// The finding masked.
    pub masked: String,
    /// Its line in that part.
    pub line: usize,
}

/// The scan of everything the public mailbox would show of a letter (subject, public text,
/// reply) by the 保密审查 scanner. Every finding blocks publication.
pub fn public_findings(letter: &DeskLetter) -> Vec<PublicFinding> {
    let words = WordList::empty();
    let parts = [
        ("标题", letter.subject.as_str()),
        ("来信内容", letter.public_text()),
        ("答复", letter.reply.as_deref().unwrap_or("")),
    ];
    parts
        .into_iter()
        .flat_map(|(part, text)| {
            gongkai_review::scan(text, &words)
                .into_iter()
                .filter(Finding::blocks)
                .map(move |f| PublicFinding {
                    part,
                    label: f.kind.label(),
                    masked: f.masked,
                    line: f.line,
                })
        })
        .collect()
}

/// `text` with every ID, phone and card number (and name next to an address) the scan finds
/// replaced by its masked form: how the back office shows a letter.
pub fn masked(text: &str) -> String {
    let findings = gongkai_review::scan(text, &WordList::empty());
    gongkai_review::mask_all(text, &findings)
}

/// What [`publish`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublishResult {
    /// The letter and its reply are on the public mailbox.
    Published,
    /// The scan found personal data; nothing was published.
    Blocked(Vec<PublicFinding>),
}

/// Publishes a replied letter on the public mailbox: only with the writer's consent, only
/// replied, and only when the scan of what would be shown finds nothing. A blocked attempt
/// is audited with the masked findings.
pub async fn publish(store: &Store, actor: &str, id: i64) -> Result<PublishResult, StoreError> {
    let letter = desk_get(store, id).await?;
    if !letter.publish_consent {
        return Err(StoreError::invalid("来信人未同意公开，不能公开"));
    }
    if letter.reply.is_none() || letter.replied_on.is_none() {
        return Err(StoreError::invalid("尚未答复，不能公开"));
    }
    let findings = public_findings(&letter);
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        if findings.is_empty() {
            // The reply checked is the one published: a reply changed meanwhile does not go
            // out unchecked.
            let n = sqlx::query(
                "UPDATE mailbox_letters SET published = $1 WHERE id = $2 AND reply = $3 AND replied_on = $4 \
                 AND subject = $5 AND COALESCE(public_body, body) = $6 AND publish_consent = $1",
            )
            .bind(true)
            .bind(id)
            .bind(letter.reply.as_deref())
            .bind(letter.replied_on)
            .bind(&letter.subject)
            .bind(letter.public_text())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if n == 0 {
                return Err(StoreError::invalid("信件已被修改，请重新检查"));
            }
            audit_append!(tx, actor, "letter.publish", "mailbox_letter", &id.to_string(), "{}");
        } else {
            let detail = serde_json::json!({
                "findings": findings.iter().map(|f| serde_json::json!({"part": f.part, "kind": f.label, "masked": f.masked})).collect::<Vec<_>>(),
            })
            .to_string();
            audit_append!(tx, actor, "letter.publish_blocked", "mailbox_letter", &id.to_string(), &detail);
        }
        tx.commit().await?;
    });
    Ok(if findings.is_empty() {
        PublishResult::Published
    } else {
        PublishResult::Blocked(findings)
    })
}

/// Takes a letter off the public mailbox.
pub async fn withdraw(store: &Store, actor: &str, id: i64) -> Result<(), StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let n = sqlx::query("UPDATE mailbox_letters SET published = $1 WHERE id = $2")
            .bind(false)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!("letter {id}")));
        }
        audit_append!(tx, actor, "letter.withdraw", "mailbox_letter", &id.to_string(), "{}");
        tx.commit().await?;
    });
    Ok(())
}
