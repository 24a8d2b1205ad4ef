//! Answers to a 补正 notice (Art. 30): what the applicant sent, online on /track with the
//! query code or by post or in person (recorded by the handler), with optional files.
//!
//! An answer within the correction period is the clock's corrected application at once: the
//! [`ClockEvent::CorrectedApplicationReceived`] event is written in the same transaction, and
//! the 20 working days restart from it (the clock's rule). A late answer is kept and shown, and
//! the handler decides ([`accept_late`]); the law leaves that to the agency (无正当理由逾期不补正
//! 的，视为放弃). The text and the files are sealed like the applicant's other personal data.

use chrono::NaiveDate;
use gongkai_law::ClockEvent;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::audit_append;
use crate::due::calendar;
use crate::models::application::{self, pending_event, write_event};
use crate::models::application_desk::correction_items;
use crate::models::attachment::{FileKind, MAX_ATTACHMENT_BYTES, clean_file_name};
use crate::{BeginWrite, Store, StoreError};

/// The most files one answer carries.
pub const MAX_FILES: usize = 5;

/// The most characters of an answer's text.
pub const TEXT_MAX: usize = 5000;

/// How the answer reached the agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrectionChannel {
    /// On /track with the query code.
    Online,
    /// By post.
    Post,
    /// In person.
    InPerson,
}

impl CorrectionChannel {
    /// The stored key.
    pub fn key(self) -> &'static str {
        match self {
            CorrectionChannel::Online => "online",
            CorrectionChannel::Post => "post",
            CorrectionChannel::InPerson => "in_person",
        }
    }

    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            CorrectionChannel::Online => "网上提交",
            CorrectionChannel::Post => "邮寄",
            CorrectionChannel::InPerson => "当面提交",
        }
    }

    /// Reads a stored key.
    pub fn parse(s: &str) -> Option<CorrectionChannel> {
        [
            CorrectionChannel::Online,
            CorrectionChannel::Post,
            CorrectionChannel::InPerson,
        ]
        .into_iter()
        .find(|c| c.key() == s)
    }
}

/// A file as uploaded.
#[derive(Debug, Clone)]
pub struct NewFile {
    /// The name as uploaded.
    pub file_name: String,
    /// Its bytes.
    pub data: Vec<u8>,
}

/// The media type of a file an applicant may send with an answer: the attachments' kinds
/// (.txt, .html, .docx, .xlsx) and the scans people send (.pdf, .jpg, .png). Served only as
/// downloads, never inline.
pub fn media_type_of(file_name: &str) -> Option<&'static str> {
    if let Some(k) = FileKind::of(file_name) {
        return Some(k.media_type());
    }
    let ext = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => Some("application/pdf"),
        "jpg" | "jpeg" => Some("image/jpeg"),
        "png" => Some("image/png"),
        _ => None,
    }
}

/// A file of an answer, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorrectionFile {
    /// Database id.
    pub id: i64,
    /// The name as uploaded.
    pub file_name: String,
    /// Media type of the download.
    pub media_type: String,
    /// Size in bytes.
    pub size: i64,
}

/// An answer to a 补正 notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorrectionAnswer {
    /// Database id.
    pub id: i64,
    /// The application.
    pub application_id: i64,
    /// The notice answered.
    pub notice_event_id: i64,
    /// How it came.
    pub channel: CorrectionChannel,
    /// The day it was received.
    pub received_on: NaiveDate,
    /// What the applicant wrote (or the handler's note of what came by post or in person).
    pub text: String,
    /// Received after the correction period.
    pub late: bool,
    /// The corrected-application event it was recorded as (none while a late answer waits for
    /// the handler).
    pub event_id: Option<i64>,
    /// Who recorded it (`portal` for the applicant online).
    pub recorded_by: String,
    /// Its files.
    pub files: Vec<CorrectionFile>,
}

/// The 补正 notice an application waits on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenNotice {
    /// The notice's event.
    pub event_id: i64,
    /// The day it went out.
    pub sent_on: NaiveDate,
    /// The last day of the correction period (the clock's).
    pub due: Option<NaiveDate>,
    /// What to correct.
    pub items: Vec<String>,
}

/// The latest 补正 notice of the application that has not been answered, if any. A case the
/// Regulation concluded because the period passed (逾期不补正) still takes a late answer, so
/// the handler sees it.
pub async fn open_notice(store: &Store, app_id: i64) -> Result<Option<OpenNotice>, StoreError> {
    let app = application::get(store, app_id).await?;
    if app.concluded_on.is_some() && app.outcome != Some(gongkai_law::Outcome::OtherNoCorrection) {
        return Ok(None);
    }
    let events = application::events(store, app_id).await?;
    let Some(pos) = events
        .iter()
        .rposition(|e| matches!(e.event, ClockEvent::CorrectionNoticeSent { .. }))
    else {
        return Ok(None);
    };
    if events[pos..]
        .iter()
        .any(|e| matches!(e.event, ClockEvent::CorrectedApplicationReceived { .. }))
    {
        return Ok(None);
    }
    let notice = &events[pos];
    let answered: Option<i64> = on_db!(store, pool => {
        sqlx::query("SELECT id FROM correction_answers WHERE notice_event_id = $1 LIMIT 1")
            .bind(notice.id)
            .fetch_optional(pool)
            .await?
            .map(|r| r.try_get::<i64, _>("id"))
            .transpose()?
    });
    if answered.is_some() {
        return Ok(None);
    }
    let Some(sent_on) = notice.event.date() else {
        return Ok(None);
    };
    Ok(Some(OpenNotice {
        event_id: notice.id,
        sent_on,
        due: gongkai_law::correction_due(&calendar(), sent_on),
        items: correction_items(store, notice.id).await?,
    }))
}

/// The latest 补正 notice of the application (answered or not) with its items, for /track.
pub async fn latest_notice(store: &Store, app_id: i64) -> Result<Option<OpenNotice>, StoreError> {
    let events = application::events(store, app_id).await?;
    let Some(notice) = events
        .iter()
        .rev()
        .find(|e| matches!(e.event, ClockEvent::CorrectionNoticeSent { .. }))
    else {
        return Ok(None);
    };
    let Some(sent_on) = notice.event.date() else {
        return Ok(None);
    };
    Ok(Some(OpenNotice {
        event_id: notice.id,
        sent_on,
        due: gongkai_law::correction_due(&calendar(), sent_on),
        items: correction_items(store, notice.id).await?,
    }))
}

fn invalid(m: impl Into<String>) -> StoreError {
    StoreError::invalid(m)
}

/// Records an answer to the application's open 补正 notice, received on `on`. In time, the
/// corrected-application event is written with it (the reply period restarts); late, it waits
/// for the handler. One transaction with its audit entry.
pub async fn answer(
    store: &Store,
    actor: &str,
    app_id: i64,
    channel: CorrectionChannel,
    on: NaiveDate,
    text: &str,
    files: &[NewFile],
) -> Result<CorrectionAnswer, StoreError> {
    let text = text.trim();
    if channel == CorrectionChannel::Online && text.is_empty() {
        return Err(invalid("补正内容：请写明补正的内容。"));
    }
    if text.chars().count() > TEXT_MAX {
        return Err(invalid(format!("补正内容不能超过{TEXT_MAX}个字。")));
    }
    if files.len() > MAX_FILES {
        return Err(invalid(format!("附件最多{MAX_FILES}个。")));
    }
    let mut sealed = Vec::with_capacity(files.len());
    for f in files {
        let name = clean_file_name(&f.file_name);
        let media = media_type_of(&name).ok_or_else(|| {
            invalid(format!(
                "附件“{name}”的格式不能接收：请上传 txt、html、docx、xlsx、pdf、jpg 或 png 文件。"
            ))
        })?;
        if f.data.is_empty() {
            return Err(invalid(format!("附件“{name}”是空文件。")));
        }
        if f.data.len() > MAX_ATTACHMENT_BYTES {
            return Err(invalid(format!(
                "附件“{name}”：{}",
                crate::Refusal::TooLarge
            )));
        }
        let sha = hex::encode(Sha256::digest(&f.data));
        sealed.push((
            name,
            media,
            f.data.len() as i64,
            sha,
            store.crypto.seal_bytes(&f.data)?,
        ));
    }
    let notice = open_notice(store, app_id)
        .await?
        .ok_or_else(|| invalid("该申请没有待补正的告知，或者已经补正。"))?;
    if on < notice.sent_on {
        return Err(invalid(format!(
            "收到补正的日期 {on} 早于补正告知日期 {}。",
            notice.sent_on
        )));
    }
    let app = application::get(store, app_id).await?;
    let late = app.concluded_on.is_some() || notice.due.is_some_and(|d| on > d);
    let pending = if late {
        None
    } else {
        Some(
            pending_event(
                store,
                app_id,
                ClockEvent::CorrectedApplicationReceived { on },
                None,
                None,
            )
            .await?,
        )
    };
    let text_enc = store.crypto.seal(text)?;
    let now = chrono::Utc::now().timestamp();
    let answer_id: i64 = on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let detail = serde_json::json!({"notice": notice.event_id, "channel": channel.key(), "on": on, "late": late, "files": sealed.len()}).to_string();
        audit_append!(tx, actor, "application.correction_answer", "application", &app_id.to_string(), &detail);
        let event_id: Option<i64> = match &pending {
            Some(p) => Some(write_event!(tx, actor, p)),
            None => None,
        };
        let answer_id: i64 = sqlx::query(
            "INSERT INTO correction_answers (application_id, notice_event_id, channel, received_on, text_enc, late, event_id, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(app_id)
        .bind(notice.event_id)
        .bind(channel.key())
        .bind(on)
        .bind(&text_enc)
        .bind(late)
        .bind(event_id)
        .bind(actor)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for (name, media, size, sha, data) in &sealed {
            sqlx::query(
                "INSERT INTO correction_files (answer_id, file_name, media_type, size, sha256, data_enc) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(answer_id)
            .bind(name)
            .bind(*media)
            .bind(*size)
            .bind(sha)
            .bind(data)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        answer_id
    });
    answers(store, app_id)
        .await?
        .into_iter()
        .find(|a| a.id == answer_id)
        .ok_or_else(|| StoreError::NotFound(format!("correction answer {answer_id}")))
}

/// The handler accepts a late answer: the corrected-application event is recorded on the day
/// it was received, and the reply period restarts from it.
pub async fn accept_late(
    store: &Store,
    actor: &str,
    app_id: i64,
    answer_id: i64,
) -> Result<(), StoreError> {
    let a = answers(store, app_id)
        .await?
        .into_iter()
        .find(|a| a.id == answer_id)
        .ok_or_else(|| StoreError::NotFound(format!("correction answer {answer_id}")))?;
    if a.event_id.is_some() {
        return Err(invalid("该补正已经记录。"));
    }
    let pending = pending_event(
        store,
        app_id,
        ClockEvent::CorrectedApplicationReceived { on: a.received_on },
        None,
        None,
    )
    .await
    .map_err(|e| match e {
        StoreError::Refused(_) => StoreError::Refused(crate::Refusal::WrongState(
            "该申请已经办结（逾期不补正），不能再认可逾期的补正；如需处理，请作为新的申请登记。"
                .to_string(),
        )),
        other => other,
    })?;
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let detail = serde_json::json!({"answer": answer_id, "accepted_late": true}).to_string();
        audit_append!(tx, actor, "application.correction_accept", "application", &app_id.to_string(), &detail);
        let event_id = write_event!(tx, actor, &pending);
        sqlx::query("UPDATE correction_answers SET event_id = $1 WHERE id = $2 AND event_id IS NULL")
            .bind(event_id)
            .bind(answer_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    });
    Ok(())
}

/// The answers of an application with their files, in the order received.
pub async fn answers(store: &Store, app_id: i64) -> Result<Vec<CorrectionAnswer>, StoreError> {
    type Row0 = (
        i64,
        i64,
        String,
        NaiveDate,
        Vec<u8>,
        bool,
        Option<i64>,
        String,
    );
    let (rows, files): (Vec<Row0>, Vec<(i64, CorrectionFile)>) = on_db!(store, pool => {
        let rows = sqlx::query(
            "SELECT id, notice_event_id, channel, received_on, text_enc, late, event_id, recorded_by \
             FROM correction_answers WHERE application_id = $1 ORDER BY id",
        )
        .bind(app_id)
        .fetch_all(pool)
        .await?;
        let rows = rows
            .iter()
            .map(|r| {
                Ok::<_, StoreError>((
                    r.try_get("id")?,
                    r.try_get("notice_event_id")?,
                    r.try_get("channel")?,
                    r.try_get("received_on")?,
                    r.try_get("text_enc")?,
                    r.try_get("late")?,
                    r.try_get("event_id")?,
                    r.try_get("recorded_by")?,
                ))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let files = sqlx::query(
            "SELECT f.id, f.answer_id, f.file_name, f.media_type, f.size FROM correction_files f \
             JOIN correction_answers a ON a.id = f.answer_id WHERE a.application_id = $1 ORDER BY f.id",
        )
        .bind(app_id)
        .fetch_all(pool)
        .await?;
        let files = files
            .iter()
            .map(|r| {
                Ok::<_, StoreError>((
                    r.try_get("answer_id")?,
                    CorrectionFile {
                        id: r.try_get("id")?,
                        file_name: r.try_get("file_name")?,
                        media_type: r.try_get("media_type")?,
                        size: r.try_get("size")?,
                    },
                ))
            })
            .collect::<Result<Vec<_>, _>>()?;
        (rows, files)
    });
    rows.into_iter()
        .map(
            |(id, notice_event_id, channel, received_on, text_enc, late, event_id, recorded_by)| {
                Ok(CorrectionAnswer {
                    id,
                    application_id: app_id,
                    notice_event_id,
                    channel: CorrectionChannel::parse(&channel)
                        .ok_or_else(|| invalid(format!("correction channel {channel}")))?,
                    received_on,
                    text: store.crypto.open(&text_enc)?,
                    late,
                    event_id,
                    recorded_by,
                    files: files
                        .iter()
                        .filter(|(a, _)| *a == id)
                        .map(|(_, f)| f.clone())
                        .collect(),
                })
            },
        )
        .collect()
}

/// One file of an application's answers with its bytes (opened), if it belongs to it.
pub async fn file(
    store: &Store,
    app_id: i64,
    file_id: i64,
) -> Result<Option<(CorrectionFile, Vec<u8>)>, StoreError> {
    let row: Option<(CorrectionFile, Vec<u8>)> = on_db!(store, pool => {
        sqlx::query(
            "SELECT f.id, f.file_name, f.media_type, f.size, f.data_enc FROM correction_files f \
             JOIN correction_answers a ON a.id = f.answer_id WHERE f.id = $1 AND a.application_id = $2",
        )
        .bind(file_id)
        .bind(app_id)
        .fetch_optional(pool)
        .await?
        .map(|r| {
            Ok::<_, StoreError>((
                CorrectionFile {
                    id: r.try_get("id")?,
                    file_name: r.try_get("file_name")?,
                    media_type: r.try_get("media_type")?,
                    size: r.try_get("size")?,
                },
                r.try_get::<Vec<u8>, _>("data_enc")?,
            ))
        })
        .transpose()?
    });
    row.map(|(f, data)| Ok((f, store.crypto.open_bytes(&data)?)))
        .transpose()
}
