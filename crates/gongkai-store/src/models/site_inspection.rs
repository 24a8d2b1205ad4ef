//! 网上巡查 runs (`gongkai inspect --record`, the portal's scheduled self-inspection) and their
//! findings, for the back office's list and trend. Not [`super::inspection`], which holds the
//! supervision's own inspections.
//!
//! The store does not know the crawler: a run arrives as plain values ([`NewRun`]) with rule ids
//! as strings, and is written in one transaction with its audit entry.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// A finding to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFinding<'a> {
    /// The rule id (`COLUMN-STALE` …).
    pub rule: &'a str,
    /// Whether it fails the site.
    pub veto: bool,
    /// What is at fault.
    pub url: &'a str,
    /// The detail (personal data only masked).
    pub detail: &'a str,
    /// What it took off the 19号 score, in tenths of a point.
    pub deduction_tenths: i64,
}

/// A run to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRun<'a> {
    /// The site's home page.
    pub url: &'a str,
    /// The day the freshness rules counted from.
    pub as_of: NaiveDate,
    /// Who started it: `cli`, `scheduled` …
    pub started_by: &'a str,
    /// 单项否决 (`true`) or 合格.
    pub veto: bool,
    /// Page requests made.
    pub pages: i64,
    /// Probes of the home page sent.
    pub probes_sent: i64,
    /// Probes that failed.
    pub probes_failed: i64,
    /// Links to other hosts listed.
    pub external_links: i64,
    /// The 19号 score in tenths of a point; `None` when a veto left it unscored.
    pub score_tenths: Option<i64>,
    /// The findings.
    pub findings: Vec<NewFinding<'a>>,
}

/// A recorded run with its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SiteInspection {
    /// Database id.
    pub id: i64,
    /// The site's home page.
    pub url: String,
    /// The day the freshness rules counted from.
    pub as_of: NaiveDate,
    /// When it was recorded (UTC, RFC 3339).
    pub ran_at: String,
    /// Who started it.
    pub started_by: String,
    /// `pass` or `veto`.
    pub verdict: String,
    /// Page requests made.
    pub pages: i64,
    /// Probes of the home page sent.
    pub probes_sent: i64,
    /// Probes that failed.
    pub probes_failed: i64,
    /// Links to other hosts listed.
    pub external_links: i64,
    /// Findings recorded.
    pub findings: i64,
    /// Findings that fail the site.
    pub vetoes: i64,
    /// The 19号 score in tenths of a point; `None` when a veto left it unscored (or the run was
    /// recorded before scores were).
    pub score_tenths: Option<i64>,
}

impl SiteInspection {
    /// 单项否决, 不合格 (scored under 60) or 合格.
    pub fn verdict_label(&self) -> &'static str {
        if self.verdict == "veto" {
            "单项否决"
        } else if self.score_tenths.is_some_and(|s| s < 600) {
            "不合格"
        } else {
            "合格"
        }
    }

    /// The score for a reader: `87.5`, or `—` when not scored.
    pub fn score_label(&self) -> String {
        match self.score_tenths {
            Some(t) => format!("{}.{}", t / 10, t % 10),
            None => "—".to_string(),
        }
    }
}

/// A recorded finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SiteInspectionFinding {
    /// Database id.
    pub id: i64,
    /// The run.
    pub run_id: i64,
    /// The rule id.
    pub rule: String,
    /// Whether it fails the site.
    pub veto: bool,
    /// What is at fault.
    pub url: String,
    /// The detail.
    pub detail: String,
    /// What it took off the score, in tenths of a point.
    pub deduction_tenths: i64,
}

/// How many findings of a rule a run had (for the trend).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RuleCount {
    /// The run.
    pub run_id: i64,
    /// The rule id.
    pub rule: String,
    /// Its findings in that run.
    pub count: i64,
}

/// Records a run and its findings in one transaction with an audit entry; returns the run's id.
/// A blank URL or rule id is refused.
pub async fn record(store: &Store, actor: &str, run: &NewRun<'_>) -> Result<i64, StoreError> {
    if run.url.trim().is_empty() {
        return Err(StoreError::invalid("巡查网址不能为空"));
    }
    if run.findings.iter().any(|f| f.rule.trim().is_empty()) {
        return Err(StoreError::invalid("巡查规则不能为空"));
    }
    let ran_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO site_inspections (url, as_of, ran_at, started_by, verdict, pages, probes_sent, probes_failed, external_links, score_tenths) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(run.url)
        .bind(run.as_of)
        .bind(&ran_at)
        .bind(run.started_by)
        .bind(if run.veto { "veto" } else { "pass" })
        .bind(run.pages)
        .bind(run.probes_sent)
        .bind(run.probes_failed)
        .bind(run.external_links)
        .bind(run.score_tenths)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        for f in &run.findings {
            sqlx::query(
                "INSERT INTO site_inspection_findings (run_id, rule, veto, url, detail, deduction_tenths) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(f.rule)
            .bind(f.veto)
            .bind(f.url)
            .bind(f.detail)
            .bind(f.deduction_tenths)
            .execute(&mut *tx)
            .await?;
        }
        audit_append!(tx, actor, "site_inspection.record", "site_inspection", &id.to_string(),
            &serde_json::json!({"url": run.url, "as_of": run.as_of, "verdict": if run.veto { "veto" } else { "pass" }, "score_tenths": run.score_tenths, "findings": run.findings.len()}).to_string());
        tx.commit().await?;
        Ok(id)
    })
}

const RUN_COLUMNS: &str = "r.id, r.url, r.as_of, r.ran_at, r.started_by, r.verdict, r.pages, r.probes_sent, \
     r.probes_failed, r.external_links, r.score_tenths, \
     (SELECT COUNT(*) FROM site_inspection_findings f WHERE f.run_id = r.id) AS findings, \
     (SELECT COUNT(*) FROM site_inspection_findings f WHERE f.run_id = r.id AND f.veto) AS vetoes";

/// The latest `limit` runs, newest first, with their counts.
pub async fn list(store: &Store, limit: i64) -> Result<Vec<SiteInspection>, StoreError> {
    let sql = format!("SELECT {RUN_COLUMNS} FROM site_inspections r ORDER BY r.id DESC LIMIT $1");
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, SiteInspection>(sqlx::AssertSqlSafe(sql)).bind(limit).fetch_all(pool).await?)
    })
}

/// One run.
pub async fn get(store: &Store, id: i64) -> Result<Option<SiteInspection>, StoreError> {
    let sql = format!("SELECT {RUN_COLUMNS} FROM site_inspections r WHERE r.id = $1");
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, SiteInspection>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?)
    })
}

/// A run's findings, by rule then URL.
pub async fn findings(
    store: &Store,
    run_id: i64,
) -> Result<Vec<SiteInspectionFinding>, StoreError> {
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, SiteInspectionFinding>(
            "SELECT id, run_id, rule, veto, url, detail, deduction_tenths FROM site_inspection_findings WHERE run_id = $1 ORDER BY rule, url, id",
        )
        .bind(run_id)
        .fetch_all(pool)
        .await?)
    })
}

/// Findings per rule of the latest `limit` runs (a rule a run did not find is absent), for a
/// trend over time.
pub async fn counts_by_rule(store: &Store, limit: i64) -> Result<Vec<RuleCount>, StoreError> {
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, RuleCount>(
            "SELECT f.run_id, f.rule, COUNT(*) AS count FROM site_inspection_findings f \
             WHERE f.run_id IN (SELECT id FROM site_inspections ORDER BY id DESC LIMIT $1) \
             GROUP BY f.run_id, f.rule ORDER BY f.run_id, f.rule",
        )
        .bind(limit)
        .fetch_all(pool)
        .await?)
    })
}

/// When the latest run started by `started_by` was recorded (RFC 3339), if any: the scheduler
/// runs again only a day after it.
pub async fn last_ran_at(store: &Store, started_by: &str) -> Result<Option<String>, StoreError> {
    on_db!(store, pool => {
        let row = sqlx::query("SELECT ran_at FROM site_inspections WHERE started_by = $1 ORDER BY id DESC LIMIT 1")
            .bind(started_by)
            .fetch_optional(pool)
            .await?;
        Ok(match row {
            Some(r) => Some(r.try_get("ran_at")?),
            None => None,
        })
    })
}
