//! The annual report editor's records: the prose being edited for an agency's report of a
//! year ([`save_draft`], one draft per agency and year) and its publications ([`publish`]:
//! a snapshot of the whole report, tables and prose, as canonical JSON).
//!
//! Publishing is a snapshot so that later edits of the records never silently change a
//! published report; the portal serves the latest snapshot ([`published`]). A report with an
//! error of the checker (`gongkai_report::rules`) is never published. Every write runs in one
//! transaction with its audit entry.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use gongkai_law::ReportFormat;
use gongkai_report::Report;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// The refusal when the report to publish has an error of the checker.
pub const HAS_ERRORS: &str = "年报存在错误，不能发布";

/// Whether the saved prose is what was last published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DraftStatus {
    /// 草稿: saved since the last publication (or never published).
    Draft,
    /// 已发布: the prose last published, unchanged since.
    Published,
}

impl DraftStatus {
    /// Both statuses.
    pub const ALL: [DraftStatus; 2] = [DraftStatus::Draft, DraftStatus::Published];

    /// The stored key.
    pub fn key(self) -> &'static str {
        match self {
            DraftStatus::Draft => "draft",
            DraftStatus::Published => "published",
        }
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            DraftStatus::Draft => "草稿",
            DraftStatus::Published => "已发布",
        }
    }

    /// Reads a stored key.
    pub fn parse(s: &str) -> Option<DraftStatus> {
        let s = s.trim();
        DraftStatus::ALL.into_iter().find(|k| k.key() == s)
    }

    /// Whether the saved prose is what was last published.
    pub fn is_published(self) -> bool {
        self == DraftStatus::Published
    }
}

impl TryFrom<String> for DraftStatus {
    type Error = gongkai_law::UnknownKey;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        DraftStatus::parse(&s).ok_or_else(|| gongkai_law::UnknownKey::new("年报草稿状态", s))
    }
}

/// The saved prose of an agency's report of a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportDraft {
    /// The agency whose report it is.
    pub agency_id: i64,
    /// The report year.
    pub year: i32,
    /// The national format of the report.
    pub format: ReportFormat,
    /// The prose sections keyed `"1"`…`"6"` (as `Report::sections`).
    pub sections: BTreeMap<String, String>,
    /// [`DraftStatus::Published`] while it is what was last published.
    pub status: DraftStatus,
    /// Who saved it last.
    pub saved_by: String,
    /// When (Unix seconds, UTC).
    pub saved_at: i64,
}

/// A published report: the snapshot and who published it when.
#[derive(Debug, Clone, PartialEq)]
pub struct PublishedReport {
    /// Database id (the latest publication has the highest).
    pub id: i64,
    /// The report as published, prose included.
    pub report: Report,
    /// Who published it.
    pub published_by: String,
    /// When (Unix seconds, UTC).
    pub published_at: i64,
}

fn sections_json(sections: &BTreeMap<String, String>) -> Result<String, StoreError> {
    serde_json::to_string(sections).map_err(|e| StoreError::invalid(e.to_string()))
}

/// Only the six sections' keys, and only the prose ones (tables are computed, not edited).
fn check_sections(sections: &BTreeMap<String, String>) -> Result<(), StoreError> {
    match sections
        .keys()
        .find(|k| !matches!(k.as_str(), "1" | "5" | "6"))
    {
        Some(k) => Err(StoreError::invalid(format!("第{k}部分不是正文部分"))),
        None => Ok(()),
    }
}

/// Writes the draft row (insert or replace) in the caller's transaction `$tx`.
macro_rules! upsert {
    ($tx:ident, $agency:expr, $year:expr, $format:expr, $json:expr, $status:expr, $actor:expr, $at:expr) => {
        sqlx::query(
            "INSERT INTO report_drafts (agency_id, year, format, sections_json, status, saved_by, saved_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (agency_id, year) DO UPDATE SET format = excluded.format, \
               sections_json = excluded.sections_json, status = excluded.status, \
               saved_by = excluded.saved_by, saved_at = excluded.saved_at",
        )
        .bind($agency)
        .bind(i64::from($year))
        .bind($format.id())
        .bind($json)
        .bind($status)
        .bind($actor)
        .bind($at)
        .execute(&mut *$tx)
        .await?
    };
}

/// The saved draft of `agency_id`'s report of `year`, if any.
pub async fn get_draft(
    store: &Store,
    agency_id: i64,
    year: i32,
) -> Result<Option<ReportDraft>, StoreError> {
    let row: Option<(String, String, DraftStatus, String, i64)> = on_db!(store, pool => {
        let r = sqlx::query(
            "SELECT format, sections_json, status, saved_by, saved_at FROM report_drafts \
             WHERE agency_id = $1 AND year = $2",
        )
        .bind(agency_id)
        .bind(i64::from(year))
        .fetch_optional(pool)
        .await?;
        match r {
            Some(r) => Some((r.try_get("format")?, r.try_get("sections_json")?, crate::keyed::column(&r, "status")?, r.try_get("saved_by")?, r.try_get("saved_at")?)),
            None => None,
        }
    });
    let Some((format, sections, status, saved_by, saved_at)) = row else {
        return Ok(None);
    };
    Ok(Some(ReportDraft {
        agency_id,
        year,
        format: ReportFormat::parse(&format)
            .ok_or_else(|| StoreError::invalid(format!("format {format}")))?,
        sections: serde_json::from_str(&sections)
            .map_err(|e| StoreError::invalid(e.to_string()))?,
        status,
        saved_by,
        saved_at,
    }))
}

/// Saves the prose of `agency_id`'s report of `year` (replacing the saved draft, status
/// `draft`), audited.
pub async fn save_draft(
    store: &Store,
    actor: &str,
    agency_id: i64,
    year: i32,
    format: ReportFormat,
    sections: &BTreeMap<String, String>,
    now: DateTime<Utc>,
) -> Result<ReportDraft, StoreError> {
    check_sections(sections)?;
    let json = sections_json(sections)?;
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        upsert!(tx, agency_id, year, format, &json, DraftStatus::Draft.key(), actor, now.timestamp());
        let detail = serde_json::json!({"agency_id": agency_id, "year": year, "format": format.id(), "chars": json.chars().count()}).to_string();
        audit_append!(tx, actor, "report.save_draft", "report_draft", &format!("{agency_id}/{year}"), &detail);
        tx.commit().await?;
    });
    get_draft(store, agency_id, year)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("report draft {agency_id}/{year}")))
}

/// Publishes `report` (tables and prose) as `agency_id`'s report of its year: a snapshot in
/// `published_reports`, and the draft saved with the same prose, status `published`, in one
/// transaction with its audit entry. A report with an error of the checker is refused
/// ([`HAS_ERRORS`]); warnings do not block.
pub async fn publish(
    store: &Store,
    actor: &str,
    agency_id: i64,
    report: &Report,
    now: DateTime<Utc>,
) -> Result<PublishedReport, StoreError> {
    check_sections(&report.sections)?;
    let errors: Vec<String> = gongkai_report::rules::check(report)
        .into_iter()
        .filter(|f| f.is_error())
        .map(|f| f.message)
        .collect();
    if !errors.is_empty() {
        return Err(StoreError::invalid(format!(
            "{HAS_ERRORS}：{}",
            errors.join("；")
        )));
    }
    let snapshot = report.to_json();
    let json = sections_json(&report.sections)?;
    let at = now.timestamp();
    let year = report.year;
    let id: i64 = on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO published_reports (agency_id, year, report_json, published_by, published_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(agency_id)
        .bind(i64::from(year))
        .bind(&snapshot)
        .bind(actor)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        upsert!(tx, agency_id, year, report.format, &json, DraftStatus::Published.key(), actor, at);
        let detail = serde_json::json!({"agency_id": agency_id, "year": year, "format": report.format.id(), "published_report": id}).to_string();
        audit_append!(tx, actor, "report.publish", "published_report", &id.to_string(), &detail);
        tx.commit().await?;
        id
    });
    Ok(PublishedReport {
        id,
        report: report.clone(),
        published_by: actor.to_string(),
        published_at: at,
    })
}

/// The latest publication of `agency_id`'s report of `year`, if it was ever published.
pub async fn published(
    store: &Store,
    agency_id: i64,
    year: i32,
) -> Result<Option<PublishedReport>, StoreError> {
    let row: Option<(i64, String, String, i64)> = on_db!(store, pool => {
        let r = sqlx::query(
            "SELECT id, report_json, published_by, published_at FROM published_reports \
             WHERE agency_id = $1 AND year = $2 ORDER BY id DESC LIMIT 1",
        )
        .bind(agency_id)
        .bind(i64::from(year))
        .fetch_optional(pool)
        .await?;
        match r {
            Some(r) => Some((r.try_get("id")?, r.try_get("report_json")?, r.try_get("published_by")?, r.try_get("published_at")?)),
            None => None,
        }
    });
    let Some((id, json, published_by, published_at)) = row else {
        return Ok(None);
    };
    Ok(Some(PublishedReport {
        id,
        report: Report::from_json(&json).map_err(|e| StoreError::invalid(e.to_string()))?,
        published_by,
        published_at,
    }))
}
