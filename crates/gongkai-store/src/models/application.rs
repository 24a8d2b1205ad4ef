//! Applications (依申请公开) with their applicant, their events and the due date the legal clock
//! computes from those events.
//!
//! The applicant's ID number, phone, e-mail and address are sealed (AES-256-GCM) before they
//! reach the database; a keyed hash of the ID number finds earlier requests of the same person
//! (Art. 35, 36(6)). Events are stored as the clock's own [`ClockEvent`] JSON so every due date
//! can be recomputed ([`recompute_due`]) when the calendar changes. The final reply is an event
//! too; its outcome and date are also kept on the application for the report's GROUP BY.

use chrono::{Datelike, NaiveDate};
use gongkai_law::{ApplicantKind, ApplicationStatus, Channel, ClockEvent, Outcome, beijing_today};
use rand::Rng;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::due::{Due, compute_due};
use crate::models::BATCH_ROWS;
use crate::{BeginWrite, Store, StoreError};

/// Reserves `$4` serials of the letter kind `$3` for agency `$1` in year `$2` and returns the
/// last one. One statement, so on PostgreSQL the counter row is locked from the read to the
/// commit and concurrent writers queue behind each other instead of taking the same number.
pub(crate) const RESERVE_SERIALS: &str = "INSERT INTO letter_counters (agency_id, year, kind, last) \
     VALUES ($1, $2, $3, $4) ON CONFLICT (agency_id, year, kind) \
     DO UPDATE SET last = letter_counters.last + excluded.last RETURNING last";

/// The events that issue a numbered letter: the 补正 notice, the extension notice and the
/// final reply.
pub const LETTER_EVENTS: [&str; 3] = ["correction_notice_sent", "extension_approved", "replied"];

/// Whether an event of this stored kind issues a numbered letter (补正告知书, 延期答复告知书,
/// 答复书).
pub fn issues_letter(kind: &str) -> bool {
    LETTER_EVENTS.contains(&kind)
}

/// An application as the back office lists it (personal data stays sealed; see
/// [`applicant_contact`]).
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Application {
    /// Database id.
    pub id: i64,
    /// The agency applied to.
    pub agency_id: i64,
    /// Tracking number (申请编号), unique within the agency.
    pub tracking_no: String,
    /// The code the applicant tracks the application with (查询码). Only its keyed hash is
    /// stored, so the clear code exists once: on the value [`create`] returns, to be shown
    /// on the receipt. Applications read back from the database carry an empty string.
    pub query_code: String,
    /// How it came (stored as [`Channel::key`]).
    #[sqlx(try_from = "String")]
    #[serde(serialize_with = "crate::keyed::channel_key")]
    pub channel: Channel,
    /// When the applicant sent it.
    pub sent_on: Option<NaiveDate>,
    /// The legal receipt date (Art. 31): what the clock and the report count from.
    pub received_on: NaiveDate,
    /// Who applies (table 三's column).
    #[sqlx(try_from = "String")]
    pub applicant_kind: ApplicantKind,
    /// The applicant's name.
    pub applicant_name: String,
    /// Kind of identity document.
    pub id_type: Option<String>,
    /// What is asked for.
    pub description: String,
    /// 文号 of the document asked for.
    pub document_number: Option<String>,
    /// `paper`, `electronic` or `inspection`.
    pub delivery: String,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: ApplicationStatus,
    /// The outcome of the final reply.
    #[sqlx(try_from = "crate::keyed::NullableKey")]
    pub outcome: Option<Outcome>,
    /// Date of the final reply.
    pub concluded_on: Option<NaiveDate>,
    /// The deadline in force.
    pub due_on: Option<NaiveDate>,
    /// Whether the deadline is provisional.
    pub due_provisional: bool,
    /// Why it is provisional.
    pub due_reason: Option<String>,
    /// 备注
    pub note: String,
}

/// The applicant as entered (plain; sealed on the way in).
#[derive(Debug, Clone, Default)]
pub struct Applicant {
    /// Applicant kind (table 三's column).
    pub kind: Option<ApplicantKind>,
    /// Name.
    pub name: String,
    /// Kind of identity document (居民身份证 …).
    pub id_type: Option<String>,
    /// Identity document number.
    pub id_number: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Postal address.
    pub address: Option<String>,
}

/// The applicant's sealed contact data, opened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApplicantContact {
    /// Identity document number.
    pub id_number: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Postal address.
    pub address: Option<String>,
}

/// A new application.
#[derive(Debug, Clone)]
pub struct NewApplication {
    /// The agency applied to.
    pub agency_id: i64,
    /// A tracking number to keep (a ledger's 申请编号); generated when `None`.
    pub tracking_no: Option<String>,
    /// How it came.
    pub channel: Channel,
    /// When the applicant sent it.
    pub sent_on: Option<NaiveDate>,
    /// When it arrived.
    pub arrived: NaiveDate,
    /// Signature or confirmation date where the channel needs one (Art. 31).
    pub confirmed: Option<NaiveDate>,
    /// Who applies.
    pub applicant: Applicant,
    /// What is asked for.
    pub description: String,
    /// 文号 of the document asked for.
    pub document_number: Option<String>,
    /// `paper`, `electronic` or `inspection`.
    pub delivery: String,
    /// 备注
    pub note: String,
}

/// One stored event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApplicationEvent {
    /// Database id.
    pub id: i64,
    /// The clock's event.
    pub event: ClockEvent,
    /// The outcome, for the final reply.
    pub outcome: Option<Outcome>,
    /// Recorded by the Regulation's rule, not by a handler (逾期不补正 / 逾期未缴费, see
    /// [`crate::models::auto_outcome`]).
    pub automatic: bool,
}

/// An application with everything computed, ready for a multi-row INSERT.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub agency_id: i64,
    pub tracking_no: String,
    /// The clear code; the row gets [`crate::crypto::Crypto::query_code_mac`] of it.
    pub query_code: String,
    pub channel: Channel,
    pub sent_on: Option<NaiveDate>,
    pub received_on: NaiveDate,
    pub kind: ApplicantKind,
    pub name: String,
    pub id_type: Option<String>,
    pub id_number_enc: Option<Vec<u8>>,
    pub id_number_mac: Option<String>,
    pub phone_enc: Option<Vec<u8>>,
    pub email_enc: Option<Vec<u8>>,
    pub address_enc: Option<Vec<u8>>,
    pub description: String,
    pub document_number: Option<String>,
    pub delivery: String,
    pub status: ApplicationStatus,
    pub outcome: Option<Outcome>,
    pub concluded_on: Option<NaiveDate>,
    pub due: Due,
    pub note: String,
    /// Events (stored kind, date, payload JSON).
    pub events: Vec<(&'static str, NaiveDate, String)>,
}

fn random_code(len: usize) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut rng = rand::rng();
    (0..len)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

pub(crate) fn event_row(
    event: &ClockEvent,
    outcome: Option<Outcome>,
) -> Result<(&'static str, NaiveDate, String), StoreError> {
    // An event the clock dates itself by others (an extension approved without a recorded
    // date) is filed under the Beijing date it was recorded.
    let date = event.date().unwrap_or_else(beijing_today);
    let mut payload =
        serde_json::to_value(event).map_err(|e| StoreError::invalid(e.to_string()))?;
    if let (Some(o), Some(obj)) = (outcome, payload.as_object_mut()) {
        obj.insert("outcome".into(), o.key().into());
    }
    Ok((event.key(), date, payload.to_string()))
}

/// Seals and computes everything about a new application, with the events that followed its
/// receipt (procedural ones and, optionally, the final reply).
pub(crate) fn prepare(
    store: &Store,
    new: &NewApplication,
    later: &[ClockEvent],
    reply: Option<(NaiveDate, Outcome)>,
) -> Result<Prepared, StoreError> {
    let received_on = new
        .channel
        .receipt_date(new.arrived, new.confirmed)
        .map_err(|e| StoreError::invalid(e.to_string()))?;
    let mut clock: Vec<ClockEvent> = vec![ClockEvent::Received {
        channel: new.channel,
        arrived: new.arrived,
        confirmed: new.confirmed,
    }];
    clock.extend(later.iter().cloned());
    if let Some((on, _)) = reply {
        if on < received_on {
            return Err(StoreError::invalid(format!(
                "答复日期 {on} 早于收到日期 {received_on}"
            )));
        }
        clock.push(ClockEvent::Replied { on });
    }
    let mut events = Vec::with_capacity(clock.len());
    for e in &clock {
        let outcome = match e {
            ClockEvent::Replied { .. } => reply.map(|(_, o)| o),
            _ => None,
        };
        events.push(event_row(e, outcome)?);
    }
    let a = &new.applicant;
    let crypto = &store.crypto;
    let tracking_no = match &new.tracking_no {
        Some(t) => t.clone(),
        None => format!("YSQ{}{}", received_on.format("%Y%m%d"), random_code(6)),
    };
    Ok(Prepared {
        agency_id: new.agency_id,
        tracking_no,
        query_code: random_code(8),
        channel: new.channel,
        sent_on: new.sent_on,
        received_on,
        kind: a.kind.unwrap_or(ApplicantKind::NaturalPerson),
        name: a.name.clone(),
        id_type: a.id_type.clone(),
        id_number_enc: crypto.seal_opt(a.id_number.as_deref())?,
        id_number_mac: a
            .id_number
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| crypto.id_number_mac(s)),
        phone_enc: crypto.seal_opt(a.phone.as_deref())?,
        email_enc: crypto.seal_opt(a.email.as_deref())?,
        address_enc: crypto.seal_opt(a.address.as_deref())?,
        description: new.description.clone(),
        document_number: new.document_number.clone(),
        delivery: new.delivery.clone(),
        status: ApplicationStatus::after(&clock),
        outcome: reply.map(|(_, o)| o),
        concluded_on: reply.map(|(d, _)| d),
        due: compute_due(&clock),
        note: new.note.clone(),
        events,
    })
}

/// Inserts prepared applications in one transaction with one audit entry, skipping those whose
/// (agency, tracking number) exists already. `marker`, if given, is a `meta` key written in
/// the same transaction (the demo's record that this part is loaded). Returns (inserted,
/// skipped).
pub(crate) async fn insert_prepared(
    store: &Store,
    actor: &str,
    action: &str,
    detail: &str,
    rows: &[Prepared],
    marker: Option<&str>,
    progress: &(dyn Fn(u64) + Send + Sync),
) -> Result<(u64, u64), StoreError> {
    let mut inserted = 0u64;
    on_db!(store, pool, DB => {
        let mut tx = pool.begin_write().await?;
        audit_append!(tx, actor, action, "application", "*", detail);
        for chunk in rows.chunks(BATCH_ROWS / 2) {
            let mut qb = sqlx::QueryBuilder::<DB>::new(
                "INSERT INTO applications (agency_id, tracking_no, query_code, channel, sent_on, received_on, \
                 applicant_kind, applicant_name, id_type, id_number_enc, id_number_mac, phone_enc, email_enc, \
                 address_enc, description, document_number, delivery, status, outcome, concluded_on, due_on, \
                 due_provisional, due_reason, note) ",
            );
            qb.push_values(chunk, |mut b, p| {
                b.push_bind(p.agency_id)
                    .push_bind(p.tracking_no.clone())
                    .push_bind(store.crypto.query_code_mac(&p.query_code))
                    .push_bind(p.channel.key())
                    .push_bind(p.sent_on)
                    .push_bind(p.received_on)
                    .push_bind(p.kind.key())
                    .push_bind(p.name.clone())
                    .push_bind(p.id_type.clone())
                    .push_bind(p.id_number_enc.clone())
                    .push_bind(p.id_number_mac.clone())
                    .push_bind(p.phone_enc.clone())
                    .push_bind(p.email_enc.clone())
                    .push_bind(p.address_enc.clone())
                    .push_bind(p.description.clone())
                    .push_bind(p.document_number.clone())
                    .push_bind(p.delivery.clone())
                    .push_bind(p.status.key())
                    .push_bind(p.outcome.map(|o| o.key()))
                    .push_bind(p.concluded_on)
                    .push_bind(p.due.due_on)
                    .push_bind(p.due.provisional)
                    .push_bind(p.due.reason.clone())
                    .push_bind(p.note.clone());
            });
            qb.push(" ON CONFLICT (agency_id, tracking_no) DO NOTHING RETURNING id, tracking_no");
            let returned = qb.build().fetch_all(&mut *tx).await?;
            let mut by_no = std::collections::HashMap::with_capacity(returned.len());
            for r in &returned {
                let id: i64 = r.try_get("id")?;
                let no: String = r.try_get("tracking_no")?;
                by_no.insert(no, id);
            }
            let events: Vec<(i64, i64, &(&'static str, NaiveDate, String))> = chunk
                .iter()
                .filter_map(|p| by_no.get(&p.tracking_no).map(|id| (*id, p)))
                .flat_map(|(id, p)| p.events.iter().map(move |e| (id, p.agency_id, e)))
                .collect();
            // Letters get their serials from the counters, a block per agency, year and kind
            // reserved by one upsert each, handed out in the order the events are recorded.
            let mut blocks: std::collections::BTreeMap<(i64, i64, &str), i64> = std::collections::BTreeMap::new();
            for (_, agency, (kind, on, _)) in &events {
                if issues_letter(kind) {
                    *blocks.entry((*agency, i64::from(on.year()), *kind)).or_insert(0) += 1;
                }
            }
            let mut next: std::collections::BTreeMap<(i64, i64, &str), i64> = std::collections::BTreeMap::new();
            for ((agency, year, kind), n) in &blocks {
                let last: i64 = sqlx::query(RESERVE_SERIALS)
                    .bind(*agency)
                    .bind(*year)
                    .bind(*kind)
                    .bind(*n)
                    .fetch_one(&mut *tx)
                    .await?
                    .try_get("last")?;
                next.insert((*agency, *year, *kind), last - n + 1);
            }
            let mut serials = Vec::with_capacity(events.len());
            for (_, agency, (kind, on, _)) in &events {
                serials.push(match next.get_mut(&(*agency, i64::from(on.year()), *kind)) {
                    Some(n) if issues_letter(kind) => {
                        *n += 1;
                        Some(*n - 1)
                    }
                    _ => None,
                });
            }
            let rows: Vec<_> = events.iter().zip(serials).collect();
            for ev in rows.chunks(BATCH_ROWS) {
                let mut qb = sqlx::QueryBuilder::<DB>::new(
                    "INSERT INTO application_events (application_id, kind, occurred_on, payload, letter_serial) ",
                );
                qb.push_values(ev, |mut b, ((id, _, (kind, on, payload)), serial)| {
                    b.push_bind(*id).push_bind(*kind).push_bind(*on).push_bind(payload.clone()).push_bind(*serial);
                });
                qb.build().execute(&mut *tx).await?;
            }
            inserted += returned.len() as u64;
            progress(chunk.len() as u64);
        }
        if let Some(key) = marker {
            sqlx::query("INSERT INTO meta (key, value) VALUES ($1, 'loaded') ON CONFLICT (key) DO NOTHING")
                .bind(key)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
    });
    Ok((inserted, rows.len() as u64 - inserted))
}

/// The four sealed columns of an application, as stored.
type SealedContact = (
    Option<Vec<u8>>,
    Option<Vec<u8>>,
    Option<Vec<u8>>,
    Option<Vec<u8>>,
);

const COLUMNS: &str = "id, agency_id, tracking_no, '' AS query_code, channel, sent_on, received_on, applicant_kind, \
     applicant_name, id_type, description, document_number, delivery, status, outcome, concluded_on, \
     due_on, due_provisional, due_reason, note";

/// Registers an application: stores it sealed, with its receipt event and due date.
pub async fn create(
    store: &Store,
    actor: &str,
    new: &NewApplication,
) -> Result<Application, StoreError> {
    let prepared = prepare(store, new, &[], None)?;
    let detail = serde_json::json!({"tracking_no": prepared.tracking_no, "received_on": prepared.received_on}).to_string();
    let (inserted, _) = insert_prepared(
        store,
        actor,
        "application.create",
        &detail,
        std::slice::from_ref(&prepared),
        None,
        &|_| {},
    )
    .await?;
    if inserted == 0 {
        return Err(StoreError::invalid(format!(
            "申请编号已存在：{}",
            prepared.tracking_no
        )));
    }
    let mut app = find_by_tracking_no(store, new.agency_id, &prepared.tracking_no)
        .await?
        .ok_or_else(|| StoreError::NotFound(prepared.tracking_no.clone()))?;
    app.query_code = prepared.query_code;
    Ok(app)
}

/// One application by id.
pub async fn get(store: &Store, id: i64) -> Result<Application, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM applications WHERE id = $1");
    on_db!(store, pool => {
        sqlx::query_as::<_, Application>(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("application {id}")))
    })
}

/// One application by agency and tracking number.
pub async fn find_by_tracking_no(
    store: &Store,
    agency_id: i64,
    tracking_no: &str,
) -> Result<Option<Application>, StoreError> {
    let sql =
        format!("SELECT {COLUMNS} FROM applications WHERE agency_id = $1 AND tracking_no = $2");
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, Application>(sqlx::AssertSqlSafe(sql))
            .bind(agency_id)
            .bind(tracking_no)
            .fetch_optional(pool)
            .await?)
    })
}

/// The application with this tracking number, if `query_code` is right (`/track`).
pub async fn track(
    store: &Store,
    tracking_no: &str,
    query_code: &str,
) -> Result<Option<Application>, StoreError> {
    let sql =
        format!("SELECT {COLUMNS} FROM applications WHERE tracking_no = $1 AND query_code = $2");
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, Application>(sqlx::AssertSqlSafe(sql))
            .bind(tracking_no)
            .bind(store.crypto.query_code_mac(query_code))
            .fetch_optional(pool)
            .await?)
    })
}

/// Earlier applications by the person with this ID number (repeat and excessive requests,
/// Art. 35, 36(6)), found by the keyed hash.
pub async fn by_id_number(store: &Store, id_number: &str) -> Result<Vec<Application>, StoreError> {
    let mac = store.crypto.id_number_mac(id_number);
    let sql = format!(
        "SELECT {COLUMNS} FROM applications WHERE id_number_mac = $1 ORDER BY received_on, id"
    );
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, Application>(sqlx::AssertSqlSafe(sql)).bind(mac).fetch_all(pool).await?)
    })
}

/// The applicant's sealed contact data, opened (for the handler writing the reply).
pub async fn applicant_contact(store: &Store, id: i64) -> Result<ApplicantContact, StoreError> {
    let (idn, phone, email, address): SealedContact = on_db!(store, pool => {
        let r = sqlx::query("SELECT id_number_enc, phone_enc, email_enc, address_enc FROM applications WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("application {id}")))?;
        (r.try_get("id_number_enc")?, r.try_get("phone_enc")?, r.try_get("email_enc")?, r.try_get("address_enc")?)
    });
    let open = |v: Option<Vec<u8>>| v.map(|b| store.crypto.open(&b)).transpose();
    Ok(ApplicantContact {
        id_number: open(idn)?,
        phone: open(phone)?,
        email: open(email)?,
        address: open(address)?,
    })
}

/// The events of an application, in the order recorded.
pub async fn events(store: &Store, id: i64) -> Result<Vec<ApplicationEvent>, StoreError> {
    let rows: Vec<(i64, String)> = on_db!(store, pool => {
        let rows = sqlx::query("SELECT id, payload FROM application_events WHERE application_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(pool)
            .await?;
        rows.iter()
            .map(|r| Ok::<_, StoreError>((r.try_get("id")?, r.try_get("payload")?)))
            .collect::<Result<_, _>>()?
    });
    rows.into_iter()
        .map(|(id, payload)| {
            let v: serde_json::Value =
                serde_json::from_str(&payload).map_err(|e| StoreError::invalid(e.to_string()))?;
            let outcome = v
                .get("outcome")
                .and_then(|o| o.as_str())
                .and_then(Outcome::parse);
            let automatic = v
                .get("automatic")
                .and_then(serde_json::Value::as_bool)
                .unwrap_or(false);
            let event: ClockEvent =
                serde_json::from_value(v).map_err(|e| StoreError::invalid(e.to_string()))?;
            Ok(ApplicationEvent {
                id,
                event,
                outcome,
                automatic,
            })
        })
        .collect()
}

/// An event checked and computed, ready to be written by [`write_event!`]: its row, and the
/// application's status and due date after it.
#[derive(Debug, Clone)]
pub(crate) struct PendingEvent {
    /// The application.
    pub id: i64,
    /// Its agency (the letter counter's).
    pub agency_id: i64,
    /// Stored kind ([`ClockEvent::key`]).
    pub kind: &'static str,
    /// Its date.
    pub on: NaiveDate,
    /// Payload JSON.
    pub payload: String,
    /// The outcome of a final reply.
    pub outcome: Option<Outcome>,
    /// The application's status after it.
    pub status: ApplicationStatus,
    /// The due date after it.
    pub due: Due,
}

/// Checks `event` (with `outcome` for the final reply) against the application's events and
/// computes the status and due date after it. `extra` fields are stored in the event's
/// payload beside the clock's own (what a letter states: the 补正 items, the reply's reasons
/// and legal basis), so the letter prints the same words every time.
pub(crate) async fn pending_event(
    store: &Store,
    id: i64,
    event: ClockEvent,
    outcome: Option<Outcome>,
    extra: Option<&serde_json::Map<String, serde_json::Value>>,
) -> Result<PendingEvent, StoreError> {
    let mut clock: Vec<ClockEvent> = events(store, id)
        .await?
        .into_iter()
        .map(|e| e.event)
        .collect();
    if clock
        .iter()
        .any(|e| matches!(e, ClockEvent::Replied { .. }))
    {
        return Err(StoreError::invalid(format!("申请 {id} 已答复")));
    }
    let (kind, on, mut payload) = event_row(&event, outcome)?;
    if let Some(extra) = extra {
        let mut v: serde_json::Value =
            serde_json::from_str(&payload).map_err(|e| StoreError::invalid(e.to_string()))?;
        if let Some(obj) = v.as_object_mut() {
            for (k, x) in extra {
                obj.entry(k.clone()).or_insert_with(|| x.clone());
            }
        }
        payload = v.to_string();
    }
    clock.push(event);
    let due = compute_due(&clock);
    let status = ApplicationStatus::after(&clock);
    let app = get(store, id).await?;
    let received_on = app.received_on;
    if outcome.is_some() && on < received_on {
        return Err(StoreError::invalid(format!(
            "答复日期 {on} 早于收到日期 {received_on}"
        )));
    }
    Ok(PendingEvent {
        id,
        agency_id: app.agency_id,
        kind,
        on,
        payload,
        outcome,
        status,
        due,
    })
}

/// Writes a [`PendingEvent`] inside the open transaction `$tx` with its audit entry (first,
/// as in every multi-table write: it takes the audit head's lock before the letter counter's,
/// in the same order as the bulk insert), its letter serial if it issues a letter, and the
/// application's new status and due date. Evaluates to the new event's id.
macro_rules! write_event {
    ($tx:expr, $actor:expr, $p:expr) => {{
        let p: &$crate::models::application::PendingEvent = $p;
        let detail = serde_json::json!({"event": p.kind, "on": p.on, "outcome": p.outcome.map(|o| o.key())}).to_string();
        $crate::audit::audit_append!($tx, $actor, "application.event", "application", &p.id.to_string(), &detail);
        let serial: Option<i64> = if $crate::models::application::issues_letter(p.kind) {
            Some(sqlx::Row::try_get(
                &sqlx::query($crate::models::application::RESERVE_SERIALS)
                    .bind(p.agency_id)
                    .bind(i64::from(chrono::Datelike::year(&p.on)))
                    .bind(p.kind)
                    .bind(1i64)
                    .fetch_one(&mut *$tx)
                    .await?,
                "last",
            )?)
        } else {
            None
        };
        let event_id: i64 = sqlx::Row::try_get(
            &sqlx::query("INSERT INTO application_events (application_id, kind, occurred_on, payload, letter_serial) VALUES ($1, $2, $3, $4, $5) RETURNING id")
                .bind(p.id)
                .bind(p.kind)
                .bind(p.on)
                .bind(&p.payload)
                .bind(serial)
                .fetch_one(&mut *$tx)
                .await?,
            "id",
        )?;
        sqlx::query(
            "UPDATE applications SET status = $1, due_on = $2, due_provisional = $3, due_reason = $4, \
             outcome = COALESCE($5, outcome), concluded_on = COALESCE($6, concluded_on) WHERE id = $7",
        )
        .bind(p.status.key())
        .bind(p.due.due_on)
        .bind(p.due.provisional)
        .bind(&p.due.reason)
        .bind(p.outcome.map(|o| o.key()))
        .bind(p.outcome.map(|_| p.on))
        .bind(p.id)
        .execute(&mut *$tx)
        .await?;
        event_id
    }};
}
pub(crate) use write_event;

/// Appends `event` (with `outcome` for the final reply; `extra` payload fields, see
/// [`pending_event`]) and recomputes the status and due date, in one transaction with its
/// audit entry.
pub(crate) async fn append_event(
    store: &Store,
    actor: &str,
    id: i64,
    event: ClockEvent,
    outcome: Option<Outcome>,
    extra: Option<&serde_json::Map<String, serde_json::Value>>,
) -> Result<Application, StoreError> {
    let pending = pending_event(store, id, event, outcome, extra).await?;
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        write_event!(tx, actor, &pending);
        tx.commit().await?;
    });
    get(store, id).await
}

/// Records a procedural event (补正, consultation, fee, extension …) and recomputes the due
/// date. The final reply goes through [`reply`].
pub async fn record_event(
    store: &Store,
    actor: &str,
    id: i64,
    event: ClockEvent,
) -> Result<Application, StoreError> {
    if matches!(
        event,
        ClockEvent::Replied { .. } | ClockEvent::Received { .. }
    ) {
        return Err(StoreError::invalid("答复请用 reply，收到只在登记时记录"));
    }
    append_event(store, actor, id, event, None, None).await
}

/// Records the final reply with its outcome: the application is concluded on `on`.
pub async fn reply(
    store: &Store,
    actor: &str,
    id: i64,
    on: NaiveDate,
    outcome: Outcome,
) -> Result<Application, StoreError> {
    append_event(
        store,
        actor,
        id,
        ClockEvent::Replied { on },
        Some(outcome),
        None,
    )
    .await
}

/// Recomputes every stored due date from its events with the calendar in force (after a year's
/// arrangement was loaded or amended). Returns how many due dates changed, counting a due date
/// that stayed but is no longer provisional (its year became known), or became provisional.
pub async fn recompute_due(store: &Store, actor: &str) -> Result<u64, StoreError> {
    let ids: Vec<(i64, Option<NaiveDate>, bool)> = on_db!(store, pool => {
        let rows = sqlx::query("SELECT id, due_on, due_provisional FROM applications WHERE concluded_on IS NULL ORDER BY id").fetch_all(pool).await?;
        rows.iter().map(|r| Ok::<_, StoreError>((r.try_get("id")?, r.try_get("due_on")?, r.try_get("due_provisional")?))).collect::<Result<_, _>>()?
    });
    let mut changed = 0;
    for (id, old, old_provisional) in ids {
        let clock: Vec<ClockEvent> = events(store, id)
            .await?
            .into_iter()
            .map(|e| e.event)
            .collect();
        let due = compute_due(&clock);
        if due.due_on == old && due.provisional == old_provisional {
            continue;
        }
        changed += 1;
        on_db!(store, pool => {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE applications SET due_on = $1, due_provisional = $2, due_reason = $3 WHERE id = $4")
                .bind(due.due_on)
                .bind(due.provisional)
                .bind(&due.reason)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let detail = serde_json::json!({"from": old, "to": due.due_on, "provisional": due.provisional}).to_string();
            audit_append!(tx, actor, "application.recompute_due", "application", &id.to_string(), &detail);
            tx.commit().await?;
        });
    }
    Ok(changed)
}
