//! 专题专栏: topics grouping published items.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// A 专题专栏.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Topic {
    /// Database id.
    pub id: i64,
    /// Owning agency.
    pub agency_id: i64,
    /// Name, unique within the agency.
    pub name: String,
    /// When the column opened.
    pub opened_on: NaiveDate,
}

/// Creates a topic (or returns the agency's topic of that name).
pub async fn ensure(
    store: &Store,
    actor: &str,
    agency_id: i64,
    name: &str,
    opened_on: NaiveDate,
) -> Result<Topic, StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO topics (agency_id, name, opened_on) VALUES ($1, $2, $3) \
             ON CONFLICT (agency_id, name) DO UPDATE SET name = excluded.name RETURNING id",
        )
        .bind(agency_id)
        .bind(name)
        .bind(opened_on)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        audit_append!(tx, actor, "topic.ensure", "topic", &id.to_string(), &serde_json::json!({"name": name}).to_string());
        tx.commit().await?;
        Ok(Topic { id, agency_id, name: name.to_string(), opened_on })
    })
}

/// Adds an item to a topic.
pub async fn add_item(
    store: &Store,
    actor: &str,
    topic_id: i64,
    item_id: i64,
) -> Result<(), StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("INSERT INTO topic_items (topic_id, item_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(topic_id)
            .bind(item_id)
            .execute(&mut *tx)
            .await?;
        audit_append!(tx, actor, "topic.add_item", "topic", &topic_id.to_string(), &serde_json::json!({"item_id": item_id}).to_string());
        tx.commit().await?;
    });
    Ok(())
}

/// The topics of an agency.
pub async fn list(store: &Store, agency_id: i64) -> Result<Vec<Topic>, StoreError> {
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, Topic>("SELECT id, agency_id, name, opened_on FROM topics WHERE agency_id = $1 ORDER BY id")
            .bind(agency_id)
            .fetch_all(pool)
            .await?)
    })
}

/// The ids of a topic's items.
pub async fn item_ids(store: &Store, topic_id: i64) -> Result<Vec<i64>, StoreError> {
    on_db!(store, pool => {
        let rows = sqlx::query("SELECT item_id FROM topic_items WHERE topic_id = $1 ORDER BY item_id")
            .bind(topic_id)
            .fetch_all(pool)
            .await?;
        rows.iter().map(|r| r.try_get::<i64, _>("item_id").map_err(StoreError::from)).collect()
    })
}
