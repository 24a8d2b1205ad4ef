//! The audit log for the 审计管理员: the hash chain checked on every view, entries in Chinese
//! (who, when, what, which record, a readable summary), filters by actor, action, record and
//! Beijing date range, paging, and the same selection as CSV.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use gongkai_store::{StoreError, audit};
use serde::Deserialize;

use super::extract::{Read, act};
use super::pages::Bar;
use super::{beijing, frame};
use crate::error::render;
use crate::fmt::urlencode;
use crate::paging::Pager;
use crate::{AppState, Page, PageError};

const PER_PAGE: i64 = 50;
/// The most rows one CSV export carries; the page says so when the selection is larger.
const CSV_MAX: i64 = 100_000;

/// The filter form's fields, as typed (kept as text so a bad date can be shown back).
#[derive(Debug, Deserialize, Default, Clone)]
pub struct AuditQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    entity: String,
    #[serde(default)]
    entity_id: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    page: Option<String>,
}

impl AuditQuery {
    /// The store's filter, or the Chinese error naming the field that is wrong.
    fn filter(&self) -> Result<audit::AuditFilter, String> {
        let date = |v: &str, field: &str| -> Result<Option<NaiveDate>, String> {
            let v = v.trim();
            if v.is_empty() {
                return Ok(None);
            }
            NaiveDate::parse_from_str(v, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| format!("「{field}」应为 年-月-日 格式的日期，例如 2026-12-07。"))
        };
        let from = date(&self.from, "起始日期")?;
        let to = date(&self.to, "截止日期")?;
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err("「起始日期」不能晚于「截止日期」。".to_string());
        }
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        Ok(audit::AuditFilter {
            actor: opt(&self.actor),
            action: opt(&self.action),
            entity: opt(&self.entity),
            entity_id: opt(&self.entity_id),
            from,
            to,
        })
    }

    /// The query string of the filter (without the page), for links.
    fn query_string(&self) -> String {
        let pairs = [
            ("actor", &self.actor),
            ("action", &self.action),
            ("entity", &self.entity),
            ("entity_id", &self.entity_id),
            ("from", &self.from),
            ("to", &self.to),
        ];
        pairs
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", urlencode(v.trim())))
            .collect::<Vec<_>>()
            .join("&")
    }

    fn page_number(&self) -> i64 {
        self.page
            .as_deref()
            .and_then(|p| p.parse().ok())
            .unwrap_or(1)
            .max(1)
    }
}

/// An entry as the page shows it.
#[derive(Debug, Clone)]
struct AuditRow {
    seq: i64,
    at: String,
    actor: String,
    /// Where the change came from: the request's client address, or 「本机（命令行）」.
    address: String,
    action: String,
    action_code: String,
    entity: String,
    entity_id: String,
    summary: String,
}

impl From<audit::AuditEntry> for AuditRow {
    fn from(e: audit::AuditEntry) -> Self {
        AuditRow {
            seq: e.seq,
            at: chrono::DateTime::parse_from_rfc3339(&e.at)
                .map(|t| beijing(t.to_utc()))
                .unwrap_or_else(|_| e.at.clone()),
            actor: e.actor,
            address: if e.address.is_empty() {
                "本机（命令行）".to_string()
            } else {
                e.address
            },
            action: audit::action_label(&e.action),
            action_code: e.action,
            entity: audit::entity_label(&e.entity).to_string(),
            entity_id: e.entity_id,
            summary: audit::summarize_detail(&e.detail),
        }
    }
}

/// A choice of the filter's select lists.
#[derive(Debug, Clone)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    page: Page,
    bar: Bar,
    intact: bool,
    count: i64,
    broken_at: i64,
    q: AuditQuery,
    error: String,
    actors: Vec<Choice>,
    actions: Vec<Choice>,
    entities: Vec<Choice>,
    rows: Vec<AuditRow>,
    total: i64,
    pager: Pager,
    csv_href: String,
    filtered: bool,
}

fn choices(pairs: impl IntoIterator<Item = (String, String)>, current: &str) -> Vec<Choice> {
    pairs
        .into_iter()
        .map(|(value, label)| Choice {
            selected: value == current.trim(),
            value,
            label,
        })
        .collect()
}

/// `GET /admin/audit`: verifies the whole hash chain and shows the entries the filter selects.
pub async fn page(
    State(state): State<AppState>,
    Read { session: s, .. }: Read<act::ReadAuditLog>,
    headers: HeaderMap,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let (intact, count, broken_at) = match audit::verify(&state.store).await {
        Ok(n) => (true, n, 0),
        Err(StoreError::AuditChain(seq)) => (false, 0, seq),
        Err(e) => return Err(e.into()),
    };
    let (filter, error) = match q.filter() {
        Ok(f) => (f, String::new()),
        Err(msg) => (audit::AuditFilter::default(), msg),
    };
    let page_no = q.page_number();
    let found = audit::search(&state.store, &filter, (page_no - 1) * PER_PAGE, PER_PAGE).await?;
    let qs = q.query_string();
    let base = if qs.is_empty() {
        "/admin/audit?".to_string()
    } else {
        format!("/admin/audit?{qs}&")
    };
    let actors = choices(
        audit::actors(&state.store)
            .await?
            .into_iter()
            .map(|a| (a.clone(), a)),
        &q.actor,
    );
    let mut action_pairs: Vec<(String, String)> = audit::ENTITY_LABELS
        .iter()
        .map(|(e, l)| (format!("{e}."), format!("{l}（全部）")))
        .collect();
    action_pairs.extend(audit::ACTION_LABELS.iter().map(|(c, l)| {
        (
            c.to_string(),
            format!(
                "{}：{l}",
                audit::entity_label(c.split('.').next().unwrap_or(c))
            ),
        )
    }));
    action_pairs.sort();
    // The kinds of record the log holds, by their Chinese names.
    let entities = choices(
        audit::entities(&state.store).await?.into_iter().map(|e| {
            let label = audit::entity_label(&e).to_string();
            (e, label)
        }),
        &q.entity,
    );
    let filtered = !qs.is_empty();
    Ok(render(&AuditPage {
        page: frame(&state, &headers, "/admin/audit", "审计日志", Some(s.user())),
        bar: Bar::of(&state, &s).await?,
        intact,
        count,
        broken_at,
        actors,
        actions: choices(action_pairs, &q.action),
        entities,
        error,
        rows: found.entries.into_iter().map(AuditRow::from).collect(),
        total: found.total,
        pager: Pager::new(page_no, found.total, PER_PAGE, &base),
        csv_href: if qs.is_empty() {
            "/admin/audit.csv".to_string()
        } else {
            format!("/admin/audit.csv?{qs}")
        },
        filtered,
        q,
    }))
}

/// `GET /admin/audit.csv`: the selected entries as CSV (UTF-8 with BOM, so spreadsheet programs
/// read the Chinese), at most [`CSV_MAX`] rows, with each entry's hash for checking.
pub async fn csv(
    State(state): State<AppState>,
    _: Read<act::ReadAuditLog>,
    Query(q): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let filter = q.filter().map_err(|message| PageError {
        status: axum::http::StatusCode::BAD_REQUEST,
        message,
    })?;
    let found = audit::search(&state.store, &filter, 0, CSV_MAX).await?;
    let mut w = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let header = [
        "序号",
        "时间（北京时间）",
        "操作人",
        "来源地址",
        "操作",
        "操作代码",
        "对象类型",
        "对象",
        "摘要",
        "哈希",
    ];
    let io = PageError::internal;
    w.write_record(header).map_err(io)?;
    for e in found.entries {
        let hash = e.hash.clone();
        let r = AuditRow::from(e);
        w.write_record([
            r.seq.to_string(),
            r.at,
            r.actor,
            r.address,
            r.action,
            r.action_code,
            r.entity,
            r.entity_id,
            r.summary,
            hash,
        ])
        .map_err(io)?;
    }
    let body = w.into_inner().map_err(PageError::internal)?;
    let mut resp = body.into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"audit-log.csv\""),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}
