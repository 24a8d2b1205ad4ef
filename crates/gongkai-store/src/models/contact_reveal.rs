//! The deliberate reveal of an applicant's personal data (「查看完整信息」): the back office
//! shows ID number, phone, e-mail and address masked; opening them in clear needs a reason
//! and leaves an audit entry naming who, which case and why, written *before* the data is
//! opened, so no reveal goes unrecorded. Who may ask is the web layer's `access` decision.

use crate::audit;
use crate::models::application::{self, ApplicantContact};
use crate::{Store, StoreError};

/// The longest reason kept (characters).
pub const MAX_REASON: usize = 200;

/// Opens the sealed contact data of application `id` for `actor`, auditing the reason.
/// An empty reason is refused ([`StoreError::Refused`]) and nothing is opened.
pub async fn reveal(
    store: &Store,
    actor: &str,
    id: i64,
    reason: &str,
) -> Result<ApplicantContact, StoreError> {
    let reason: String = reason.trim().chars().take(MAX_REASON).collect();
    if reason.is_empty() {
        return Err(StoreError::invalid("请填写查看完整信息的理由。"));
    }
    // The case must exist before anything is written about it.
    application::get(store, id).await?;
    let detail = serde_json::json!({ "reason": reason }).to_string();
    audit::record(
        store,
        actor,
        "application.reveal_contact",
        "application",
        &id.to_string(),
        &detail,
    )
    .await?;
    application::applicant_contact(store, id).await
}
