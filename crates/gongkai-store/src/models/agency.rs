//! The agency tree: province → city → county → 县直部门 / 乡镇. Every record belongs to one
//! agency; a superior sees its subtree.

use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// Where an agency sits in the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyLevel {
    /// 省
    Province,
    /// 市
    City,
    /// 县（区）
    County,
    /// 县直部门
    Department,
    /// 乡镇
    Township,
}

impl AgencyLevel {
    /// The key stored in the database.
    pub fn key(self) -> &'static str {
        match self {
            AgencyLevel::Province => "province",
            AgencyLevel::City => "city",
            AgencyLevel::County => "county",
            AgencyLevel::Department => "department",
            AgencyLevel::Township => "township",
        }
    }

    /// Reads a stored key.
    pub fn parse(s: &str) -> Option<AgencyLevel> {
        [
            AgencyLevel::Province,
            AgencyLevel::City,
            AgencyLevel::County,
            AgencyLevel::Department,
            AgencyLevel::Township,
        ]
        .into_iter()
        .find(|l| l.key() == s)
    }
}

/// An agency (机关).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agency {
    /// Database id.
    pub id: i64,
    /// Full name, e.g. 夏邑县人民政府 (unique).
    pub name: String,
    /// Level in the tree.
    pub level: AgencyLevel,
    /// The superior agency.
    pub parent_id: Option<i64>,
    /// 统一社会信用代码 (18 characters), the 前段码 of its 索引号.
    pub credit_code: Option<String>,
}

const COLUMNS: &str = "id, name, level, parent_id, credit_code";

fn from_row<R: Row>(r: &R) -> Result<Agency, StoreError>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    i64: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    String: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    let level: String = r.try_get("level")?;
    Ok(Agency {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        level: AgencyLevel::parse(&level)
            .ok_or_else(|| StoreError::invalid(format!("agency level {level}")))?,
        parent_id: r.try_get("parent_id")?,
        credit_code: r.try_get("credit_code")?,
    })
}

/// Adds an agency, or returns the existing one of that name unchanged.
pub async fn ensure(
    store: &Store,
    actor: &str,
    name: &str,
    level: AgencyLevel,
    parent_id: Option<i64>,
    credit_code: Option<&str>,
) -> Result<Agency, StoreError> {
    if let Some(a) = find_by_name(store, name).await? {
        return Ok(a);
    }
    if let Some(code) = credit_code
        && code.chars().count() != 18
    {
        return Err(StoreError::invalid(format!(
            "统一社会信用代码须为18位：{code}"
        )));
    }
    let id: i64 = on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let row = sqlx::query(
            "INSERT INTO agencies (name, level, parent_id, credit_code) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO UPDATE SET name = excluded.name RETURNING id",
        )
        .bind(name)
        .bind(level.key())
        .bind(parent_id)
        .bind(credit_code)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        let detail = serde_json::json!({"name": name, "level": level.key(), "parent_id": parent_id}).to_string();
        audit_append!(tx, actor, "agency.create", "agency", &id.to_string(), &detail);
        tx.commit().await?;
        id
    });
    get(store, id).await
}

/// One agency by id.
pub async fn get(store: &Store, id: i64) -> Result<Agency, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM agencies WHERE id = $1");
    on_db!(store, pool => {
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("agency {id}")))?;
        from_row(&row)
    })
}

/// One agency by its exact name.
pub async fn find_by_name(store: &Store, name: &str) -> Result<Option<Agency>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM agencies WHERE name = $1");
    on_db!(store, pool => {
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(name).fetch_optional(pool).await?;
        row.map(|r| from_row(&r)).transpose()
    })
}

/// An agency by id (digits) or by name: what `--agency` takes.
pub async fn resolve(store: &Store, id_or_name: &str) -> Result<Agency, StoreError> {
    let s = id_or_name.trim();
    if let Ok(id) = s.parse::<i64>() {
        return get(store, id).await;
    }
    find_by_name(store, s)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("机关「{s}」")))
}

/// Every agency, parents before children where ids allow.
pub async fn list(store: &Store) -> Result<Vec<Agency>, StoreError> {
    let sql = format!("SELECT {COLUMNS} FROM agencies ORDER BY id");
    on_db!(store, pool => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await?;
        rows.iter().map(from_row).collect()
    })
}

/// The ids of an agency and everything below it.
pub async fn subtree_ids(store: &Store, id: i64) -> Result<Vec<i64>, StoreError> {
    let sql = format!("{SUBTREE} SELECT id FROM sub ORDER BY id");
    on_db!(store, pool => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_all(pool).await?;
        rows.iter().map(|r| r.try_get::<i64, _>("id").map_err(StoreError::from)).collect()
    })
}

/// A `WITH` clause naming `sub(id)`: the agency `$1` and its subtree. Queries that count
/// records of a subtree start with it and filter on `agency_id IN (SELECT id FROM sub)`.
pub(crate) const SUBTREE: &str = "WITH RECURSIVE sub(id) AS (\
     SELECT id FROM agencies WHERE id = $1 \
     UNION ALL SELECT a.id FROM agencies a JOIN sub ON a.parent_id = sub.id)";
