//! The superior office's workbench (上级政务公开办, 下级年报审查): the reports of its units as it
//! holds them, the outside units it registered, and the decisions on their findings.
//!
//! A report is stored once per superior, year and unit ([`import`]): imported from a file (the
//! source kept) or copied from a report published in Gongkai. Importing the same unit's report
//! of a year again replaces it; the decisions on its findings hold while its tables stay the
//! same (`cells_hash`) and are cleared, in the same transaction, when its cells change. The
//! comparison with the unit's report of the year before (`cross_json`: X-CARRY, YOY-ZERO,
//! YOY-JUMP) is kept current for both years an import touches. Every write runs in one
//! transaction with its audit entry.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_report::Report;
use gongkai_report::batch::DocKind;
use gongkai_report::rules::Finding;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::audit::audit_append;
use crate::models::agency::AgencyLevel;
use crate::{BeginWrite, Store, StoreError};

/// A unit outside the agency tree, registered by the superior.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutsideUnit {
    /// Database id.
    pub id: i64,
    /// Its name as its reports print it.
    pub name: String,
    /// Its level.
    pub level: AgencyLevel,
    /// The unit it sits under in the region tree (a name of the tree), if any.
    pub parent_name: Option<String>,
    /// Whether its report sums its units' (汇总).
    pub summary: bool,
}

/// A unit to register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUnit<'a> {
    /// Name.
    pub name: &'a str,
    /// Level.
    pub level: AgencyLevel,
    /// Parent in the region tree.
    pub parent_name: Option<&'a str>,
    /// A summary report (汇总).
    pub summary: bool,
}

/// Where a stored report came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Imported from a file or archive.
    Import,
    /// Copied from a report published in Gongkai.
    Gongkai,
}

impl Origin {
    /// The stored key.
    pub fn key(self) -> &'static str {
        match self {
            Origin::Import => "import",
            Origin::Gongkai => "gongkai",
        }
    }

    /// Whether it was imported from a file (whose source is kept).
    pub fn is_import(self) -> bool {
        self == Origin::Import
    }

    /// Shown as.
    pub fn label(self) -> &'static str {
        match self {
            Origin::Import => "导入",
            Origin::Gongkai => "本系统发布",
        }
    }
}

/// A report to store.
#[derive(Debug, Clone)]
pub struct NewReport<'a> {
    /// Where it came from.
    pub origin: Origin,
    /// The file's name as the upload gave it (`县区.zip/甲县.pdf`).
    pub file_name: &'a str,
    /// The form it came in.
    pub kind: DocKind,
    /// The source file (kept for imports).
    pub source: &'a [u8],
    /// The report as read.
    pub report: &'a Report,
    /// What reading and checking it found.
    pub findings: &'a [Finding],
    /// When the unit published it, if known.
    pub published_on: Option<NaiveDate>,
}

/// A stored report.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredReport {
    /// Database id.
    pub id: i64,
    /// The superior agency that holds it.
    pub superior_id: i64,
    /// Report year.
    pub year: i32,
    /// The unit (as the report names it).
    pub unit_name: String,
    /// Where it came from.
    pub origin: Origin,
    /// The file's name.
    pub file_name: String,
    /// The form it came in.
    pub kind: DocKind,
    /// SHA-256 of the source.
    pub source_sha256: String,
    /// SHA-256 of its tables.
    pub cells_hash: String,
    /// The report.
    pub report: Report,
    /// Findings of reading and checking it.
    pub findings: Vec<Finding>,
    /// Findings of comparing it with the year before.
    pub cross: Vec<Finding>,
    /// When the unit published it, if known.
    pub published_on: Option<NaiveDate>,
    /// Who imported it.
    pub imported_by: String,
    /// When (Unix seconds).
    pub imported_at: i64,
}

impl StoredReport {
    /// All findings: the report's own, then the year-over-year ones.
    pub fn all_findings(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().chain(&self.cross)
    }
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Imported {
    /// The stored report's id.
    pub id: i64,
    /// Whether it replaced a report of the same unit and year.
    pub replaced: bool,
    /// Whether the tables changed from the replaced report (its decisions were cleared).
    pub cells_changed: bool,
    /// Decisions cleared because the cells changed.
    pub cleared: u64,
}

/// A decision on a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The finding is a real fault of the report.
    Confirmed,
    /// Not a fault (explained in the note).
    Dismissed,
}

impl Verdict {
    /// The stored key.
    pub fn key(self) -> &'static str {
        match self {
            Verdict::Confirmed => "confirmed",
            Verdict::Dismissed => "dismissed",
        }
    }

    /// Reads a stored key.
    pub fn parse(s: &str) -> Option<Verdict> {
        match s {
            "confirmed" => Some(Verdict::Confirmed),
            "dismissed" => Some(Verdict::Dismissed),
            _ => None,
        }
    }

    /// Shown as.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Confirmed => "已确认",
            Verdict::Dismissed => "已排除",
        }
    }
}

/// A decision in force (its report's tables are still those it was made on).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The unit.
    pub unit_name: String,
    /// The finding ([`finding_key`]).
    pub finding_key: String,
    /// Confirmed or dismissed.
    pub verdict: Verdict,
    /// The person's note.
    pub note: String,
    /// Who decided.
    pub decided_by: String,
    /// When (Unix seconds).
    pub decided_at: i64,
}

/// A finding's identity within its report: rule and place (and, for a finding without a
/// place, its message). The same finding of the same report imported again has the same key.
pub fn finding_key(f: &Finding) -> String {
    let place = |s: &Option<String>| s.clone().unwrap_or_default();
    let msg = if f.row.is_none() && f.column.is_none() {
        f.message.as_str()
    } else {
        ""
    };
    format!(
        "{}|{}|{}|{}|{msg}",
        f.rule.id(),
        place(&f.table),
        place(&f.row),
        place(&f.column)
    )
}

/// SHA-256 of the report's tables: its canonical JSON without the prose.
pub fn cells_hash(r: &Report) -> String {
    let mut tables = r.clone();
    tables.sections.clear();
    hex::encode(Sha256::digest(tables.to_json().as_bytes()))
}

fn json<T: Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::invalid(e.to_string()))
}

fn findings_from(s: &str) -> Result<Vec<Finding>, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::invalid(e.to_string()))
}

/// The comparison findings of `this` against `last`.
fn cross(last: Option<&Report>, this: &Report) -> Vec<Finding> {
    match last {
        Some(l) => {
            let c = gongkai_report::compare::compare(l, this);
            c.carry.into_iter().chain(c.anomalies).collect()
        }
        None => Vec::new(),
    }
}

/// Registers a unit outside the agency tree under `superior_id`, audited. A name already
/// registered is refused.
pub async fn register_unit(
    store: &Store,
    actor: &str,
    superior_id: i64,
    unit: &NewUnit<'_>,
    now: DateTime<Utc>,
) -> Result<OutsideUnit, StoreError> {
    let name = unit.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(StoreError::invalid("单位名称不能为空，且不超过100字"));
    }
    let parent = unit.parent_name.map(str::trim).filter(|p| !p.is_empty());
    let id: i64 = on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let exists = sqlx::query("SELECT id FROM oversight_units WHERE superior_id = $1 AND name = $2")
            .bind(superior_id)
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_some() {
            return Err(StoreError::invalid(format!("单位「{name}」已登记")));
        }
        let id: i64 = sqlx::query(
            "INSERT INTO oversight_units (superior_id, name, level, parent_name, summary, added_by, added_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(superior_id)
        .bind(name)
        .bind(unit.level.key())
        .bind(parent)
        .bind(i64::from(unit.summary))
        .bind(actor)
        .bind(now.timestamp())
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let detail = serde_json::json!({"superior_id": superior_id, "name": name, "level": unit.level.key(), "parent": parent, "summary": unit.summary}).to_string();
        audit_append!(tx, actor, "oversight.register_unit", "oversight_unit", &id.to_string(), &detail);
        tx.commit().await?;
        id
    });
    Ok(OutsideUnit {
        id,
        name: name.to_string(),
        level: unit.level,
        parent_name: parent.map(str::to_string),
        summary: unit.summary,
    })
}

/// The outside units of `superior_id`, by name.
pub async fn units(store: &Store, superior_id: i64) -> Result<Vec<OutsideUnit>, StoreError> {
    on_db!(store, pool => {
        let rows = sqlx::query(
            "SELECT id, name, level, parent_name, summary FROM oversight_units \
             WHERE superior_id = $1 ORDER BY name",
        )
        .bind(superior_id)
        .fetch_all(pool)
        .await?;
        rows.iter()
            .map(|r| {
                let level: String = r.try_get("level")?;
                Ok(OutsideUnit {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    level: AgencyLevel::parse(&level)
                        .ok_or_else(|| StoreError::invalid(format!("level {level}")))?,
                    parent_name: r.try_get("parent_name")?,
                    summary: r.try_get::<i64, _>("summary")? != 0,
                })
            })
            .collect()
    })
}

/// Stores `new` as `superior_id`'s report of its unit and year (replacing one already held),
/// keeps the source, clears the decisions when the tables changed, and brings the
/// year-over-year findings of this year and the next up to date — one transaction, audited.
pub async fn import(
    store: &Store,
    actor: &str,
    superior_id: i64,
    new: &NewReport<'_>,
    now: DateTime<Utc>,
) -> Result<Imported, StoreError> {
    import_many(store, actor, superior_id, std::slice::from_ref(new), now)
        .await?
        .pop()
        .unwrap_or_else(|| Err(StoreError::invalid("nothing imported")))
}

/// What a report to store turns into before the transaction: its unit, hashes and JSON.
struct Prepared<'a> {
    new: &'a NewReport<'a>,
    unit: &'a str,
    year: i64,
    hash: String,
    sha: String,
    report_json: String,
    findings_json: String,
    errors: i64,
    warnings: i64,
    published_on: Option<String>,
}

fn prepare<'a>(new: &'a NewReport<'a>) -> Result<Prepared<'a>, StoreError> {
    let r = new.report;
    let unit = r.agency.trim();
    if unit.is_empty() {
        return Err(StoreError::invalid(format!(
            "{}：报告没有写明单位名称",
            new.file_name
        )));
    }
    let errors = new.findings.iter().filter(|f| f.is_error()).count() as i64;
    Ok(Prepared {
        new,
        unit,
        year: i64::from(r.year),
        hash: cells_hash(r),
        sha: hex::encode(Sha256::digest(new.source)),
        report_json: r.to_json(),
        findings_json: json(&new.findings)?,
        errors,
        warnings: new.findings.len() as i64 - errors,
        published_on: new.published_on.map(|d| d.to_string()),
    })
}

/// Stores a batch of reports as [`import`] stores one, all in ONE transaction (a region's
/// .zip of two thousand reports is one commit, not two thousand), each audited. A report
/// that cannot be stored for what it is (no unit name) is an `Err` in its place of the
/// answer and the others are stored; a database error stores none.
pub async fn import_many(
    store: &Store,
    actor: &str,
    superior_id: i64,
    news: &[NewReport<'_>],
    now: DateTime<Utc>,
) -> Result<Vec<Result<Imported, StoreError>>, StoreError> {
    let prepared: Vec<Result<Prepared<'_>, StoreError>> = news.iter().map(prepare).collect();
    let at = now.timestamp();
    let out = on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let mut out = Vec::with_capacity(prepared.len());
        for p in prepared {
            let p = match p {
                Ok(p) => p,
                Err(e) => {
                    out.push(Err(e));
                    continue;
                }
            };
            let (new, unit, year, hash) = (p.new, p.unit, p.year, &p.hash);
            let r = new.report;
            // This unit's reports of the year before, the year and the year after, in one query
            // (three seeks of the (superior, year, unit) index).
            let rows = sqlx::query(
                "SELECT id, year, cells_hash, report_json FROM oversight_reports \
                 WHERE superior_id = $1 AND unit_name = $2 AND year IN ($3, $4, $5)",
            )
            .bind(superior_id)
            .bind(unit)
            .bind(year - 1)
            .bind(year)
            .bind(year + 1)
            .fetch_all(&mut *tx)
            .await?;
            let mut old: Option<(i64, String)> = None;
            let mut last: Option<Report> = None;
            let mut next: Option<(i64, Report)> = None;
            for row in &rows {
                let y: i64 = row.try_get("year")?;
                if y == year {
                    old = Some((row.try_get("id")?, row.try_get("cells_hash")?));
                    continue;
                }
                let rep = Report::from_json(&row.try_get::<String, _>("report_json")?)
                    .map_err(|e| StoreError::invalid(e.to_string()))?;
                if y < year {
                    last = Some(rep);
                } else {
                    next = Some((row.try_get("id")?, rep));
                }
            }
            let cross_json = json(&cross(last.as_ref(), r))?;
            let id: i64 = match &old {
                Some((id, _)) => {
                    sqlx::query(
                        "UPDATE oversight_reports SET origin = $1, file_name = $2, kind = $3, source_sha256 = $4, \
                         cells_hash = $5, report_json = $6, findings_json = $7, cross_json = $8, errors = $9, \
                         warnings = $10, published_on = $11, imported_by = $12, imported_at = $13 WHERE id = $14",
                    )
                    .bind(new.origin.key())
                    .bind(new.file_name)
                    .bind(new.kind.id())
                    .bind(&p.sha)
                    .bind(hash)
                    .bind(&p.report_json)
                    .bind(&p.findings_json)
                    .bind(&cross_json)
                    .bind(p.errors)
                    .bind(p.warnings)
                    .bind(&p.published_on)
                    .bind(actor)
                    .bind(at)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                    sqlx::query("DELETE FROM oversight_sources WHERE report_id = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    *id
                }
                None => sqlx::query(
                    "INSERT INTO oversight_reports (superior_id, year, unit_name, origin, file_name, kind, source_sha256, \
                     cells_hash, report_json, findings_json, cross_json, errors, warnings, published_on, imported_by, imported_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id",
                )
                .bind(superior_id)
                .bind(year)
                .bind(unit)
                .bind(new.origin.key())
                .bind(new.file_name)
                .bind(new.kind.id())
                .bind(&p.sha)
                .bind(hash)
                .bind(&p.report_json)
                .bind(&p.findings_json)
                .bind(&cross_json)
                .bind(p.errors)
                .bind(p.warnings)
                .bind(&p.published_on)
                .bind(actor)
                .bind(at)
                .fetch_one(&mut *tx)
                .await?
                .try_get("id")?,
            };
            if !new.source.is_empty() {
                sqlx::query("INSERT INTO oversight_sources (report_id, data) VALUES ($1, $2)")
                    .bind(id)
                    .bind(new.source)
                    .execute(&mut *tx)
                    .await?;
            }
            let cells_changed = old.as_ref().is_some_and(|(_, h)| h != hash);
            // Only a replaced report can have decisions to clear.
            let cleared = if old.is_some() {
                sqlx::query(
                    "DELETE FROM oversight_decisions WHERE superior_id = $1 AND year = $2 AND unit_name = $3 AND cells_hash <> $4",
                )
                .bind(superior_id)
                .bind(year)
                .bind(unit)
                .bind(hash)
                .execute(&mut *tx)
                .await?
                .rows_affected()
            } else {
                0
            };
            // The next year's comparison now has this year to compare with.
            if let Some((next_id, next_report)) = next {
                sqlx::query("UPDATE oversight_reports SET cross_json = $1 WHERE id = $2")
                    .bind(json(&cross(Some(r), &next_report))?)
                    .bind(next_id)
                    .execute(&mut *tx)
                    .await?;
            }
            let detail = serde_json::json!({
                "superior_id": superior_id, "year": year, "unit": unit, "origin": new.origin.key(),
                "file": new.file_name, "sha256": p.sha, "cells_hash": hash, "errors": p.errors,
                "warnings": p.warnings, "replaced": old.is_some(), "decisions_cleared": cleared,
            })
            .to_string();
            audit_append!(tx, actor, "oversight.import", "oversight_report", &id.to_string(), &detail);
            out.push(Ok(Imported { id, replaced: old.is_some(), cells_changed, cleared }));
        }
        tx.commit().await?;
        out
    });
    Ok(out)
}

const REPORT_COLUMNS: &str = "id, superior_id, year, unit_name, origin, file_name, kind, source_sha256, \
     cells_hash, report_json, findings_json, cross_json, published_on, imported_by, imported_at";

fn report_from_row<R: Row>(r: &R) -> Result<StoredReport, StoreError>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    i64: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    String: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    Option<String>: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let origin: String = r.try_get("origin")?;
    let published_on: Option<String> = r.try_get("published_on")?;
    Ok(StoredReport {
        id: r.try_get("id")?,
        superior_id: r.try_get("superior_id")?,
        year: i32::try_from(r.try_get::<i64, _>("year")?)
            .map_err(|e| StoreError::invalid(e.to_string()))?,
        unit_name: r.try_get("unit_name")?,
        origin: if origin == "gongkai" {
            Origin::Gongkai
        } else {
            Origin::Import
        },
        file_name: r.try_get("file_name")?,
        kind: crate::keyed::column(r, "kind")?,
        source_sha256: r.try_get("source_sha256")?,
        cells_hash: r.try_get("cells_hash")?,
        report: Report::from_json(&r.try_get::<String, _>("report_json")?)
            .map_err(|e| StoreError::invalid(e.to_string()))?,
        findings: findings_from(&r.try_get::<String, _>("findings_json")?)?,
        cross: findings_from(&r.try_get::<String, _>("cross_json")?)?,
        published_on: published_on.and_then(|d| d.parse().ok()),
        imported_by: r.try_get("imported_by")?,
        imported_at: r.try_get("imported_at")?,
    })
}

/// `superior_id`'s reports of `year`, by unit name.
pub async fn reports(
    store: &Store,
    superior_id: i64,
    year: i32,
) -> Result<Vec<StoredReport>, StoreError> {
    let sql = format!(
        "SELECT {REPORT_COLUMNS} FROM oversight_reports WHERE superior_id = $1 AND year = $2 ORDER BY unit_name"
    );
    on_db!(store, pool => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(superior_id)
            .bind(i64::from(year))
            .fetch_all(pool)
            .await?;
        rows.iter().map(report_from_row).collect()
    })
}

/// One stored report by id.
pub async fn report(store: &Store, id: i64) -> Result<Option<StoredReport>, StoreError> {
    let sql = format!("SELECT {REPORT_COLUMNS} FROM oversight_reports WHERE id = $1");
    on_db!(store, pool => {
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?;
        row.as_ref().map(report_from_row).transpose()
    })
}

/// The unit's report of `year` held by `superior_id`.
pub async fn report_of(
    store: &Store,
    superior_id: i64,
    year: i32,
    unit_name: &str,
) -> Result<Option<StoredReport>, StoreError> {
    let sql = format!(
        "SELECT {REPORT_COLUMNS} FROM oversight_reports WHERE superior_id = $1 AND year = $2 AND unit_name = $3"
    );
    on_db!(store, pool => {
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(superior_id)
            .bind(i64::from(year))
            .bind(unit_name)
            .fetch_optional(pool)
            .await?;
        row.as_ref().map(report_from_row).transpose()
    })
}

/// The source file of a stored report, if one was kept.
pub async fn source(store: &Store, report_id: i64) -> Result<Option<Vec<u8>>, StoreError> {
    on_db!(store, pool => {
        let row = sqlx::query("SELECT data FROM oversight_sources WHERE report_id = $1")
            .bind(report_id)
            .fetch_optional(pool)
            .await?;
        row.map(|r| r.try_get::<Vec<u8>, _>("data").map_err(StoreError::from)).transpose()
    })
}

/// Records a person's decision on one finding of a stored report, with a note (required),
/// audited. A finding the report does not have is refused. Deciding again replaces the
/// decision.
pub async fn decide(
    store: &Store,
    actor: &str,
    report: &StoredReport,
    key: &str,
    verdict: Verdict,
    note: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let note = note.trim();
    if note.is_empty() {
        return Err(StoreError::invalid("请填写说明（确认或排除的理由）"));
    }
    if note.chars().count() > 1000 {
        return Err(StoreError::invalid("说明不超过1000字"));
    }
    if !report.all_findings().any(|f| finding_key(f) == key) {
        return Err(StoreError::NotFound("该报告没有这一问题".into()));
    }
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query(
            "INSERT INTO oversight_decisions (superior_id, year, unit_name, finding_key, cells_hash, decision, note, decided_by, decided_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (superior_id, year, unit_name, finding_key) DO UPDATE SET cells_hash = excluded.cells_hash, \
               decision = excluded.decision, note = excluded.note, decided_by = excluded.decided_by, decided_at = excluded.decided_at",
        )
        .bind(report.superior_id)
        .bind(i64::from(report.year))
        .bind(&report.unit_name)
        .bind(key)
        .bind(&report.cells_hash)
        .bind(verdict.key())
        .bind(note)
        .bind(actor)
        .bind(now.timestamp())
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({"report": report.id, "year": report.year, "unit": report.unit_name, "finding": key, "decision": verdict.key(), "note": note}).to_string();
        audit_append!(tx, actor, "oversight.decide", "oversight_report", &report.id.to_string(), &detail);
        tx.commit().await?;
    });
    Ok(())
}

/// The decisions in force on `superior_id`'s reports of `year`: those made on the tables the
/// stored report still has.
pub async fn decisions(
    store: &Store,
    superior_id: i64,
    year: i32,
) -> Result<Vec<Decision>, StoreError> {
    on_db!(store, pool => {
        let rows = sqlx::query(
            "SELECT d.unit_name, d.finding_key, d.decision, d.note, d.decided_by, d.decided_at \
             FROM oversight_decisions d JOIN oversight_reports r \
               ON r.superior_id = d.superior_id AND r.year = d.year AND r.unit_name = d.unit_name \
              AND r.cells_hash = d.cells_hash \
             WHERE d.superior_id = $1 AND d.year = $2 ORDER BY d.unit_name, d.finding_key",
        )
        .bind(superior_id)
        .bind(i64::from(year))
        .fetch_all(pool)
        .await?;
        rows.iter()
            .map(|r| {
                let v: String = r.try_get("decision")?;
                Ok(Decision {
                    unit_name: r.try_get("unit_name")?,
                    finding_key: r.try_get("finding_key")?,
                    verdict: Verdict::parse(&v)
                        .ok_or_else(|| StoreError::invalid(format!("decision {v}")))?,
                    note: r.try_get("note")?,
                    decided_by: r.try_get("decided_by")?,
                    decided_at: r.try_get("decided_at")?,
                })
            })
            .collect()
    })
}
