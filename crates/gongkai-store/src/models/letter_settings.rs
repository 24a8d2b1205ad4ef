//! What an agency's letters name in their remedies (issue 13.7): the 行政复议机关 and the court
//! an applicant may turn to (Regulation Art. 51; 行政复议法; 行政诉讼法). Set by the agency's
//! head on the back office; a letter refuses to print while they are unset, so no letter
//! leaves them out or guesses them.

use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// The most characters of either name.
pub const NAME_MAX: usize = 100;

/// The bodies an agency's letters name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LetterSettings {
    /// 行政复议机关, e.g. 夏邑县人民政府 (for a county department) or 商丘市人民政府.
    pub review_body: String,
    /// The court of first instance, e.g. 夏邑县人民法院.
    pub court: String,
}

/// The settings of `agency_id`, if set.
pub async fn get(store: &Store, agency_id: i64) -> Result<Option<LetterSettings>, StoreError> {
    on_db!(store, pool => {
        sqlx::query("SELECT review_body, court FROM agency_letter_settings WHERE agency_id = $1")
            .bind(agency_id)
            .fetch_optional(pool)
            .await?
            .map(|r| {
                Ok::<_, StoreError>(LetterSettings {
                    review_body: r.try_get("review_body")?,
                    court: r.try_get("court")?,
                })
            })
            .transpose()
    })
}

/// Sets the settings of `agency_id` (both names required), with its audit entry.
pub async fn set(
    store: &Store,
    actor: &str,
    agency_id: i64,
    settings: &LetterSettings,
) -> Result<(), StoreError> {
    let review_body = settings.review_body.trim();
    let court = settings.court.trim();
    if review_body.is_empty() || court.is_empty() {
        return Err(StoreError::invalid("行政复议机关和管辖法院都必须填写"));
    }
    if review_body.chars().count() > NAME_MAX || court.chars().count() > NAME_MAX {
        return Err(StoreError::invalid(format!("名称不能超过{NAME_MAX}个字")));
    }
    let now = chrono::Utc::now().timestamp();
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let detail = serde_json::json!({"review_body": review_body, "court": court}).to_string();
        audit_append!(tx, actor, "agency.letter_settings", "agency", &agency_id.to_string(), &detail);
        sqlx::query(
            "INSERT INTO agency_letter_settings (agency_id, review_body, court, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (agency_id) DO UPDATE SET \
             review_body = excluded.review_body, court = excluded.court, \
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(agency_id)
        .bind(review_body)
        .bind(court)
        .bind(actor)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    });
    Ok(())
}
