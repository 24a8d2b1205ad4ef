//! Delivery of the reply (送达): by post, the handler records the mailing date and the postal
//! tracking number, then the day the applicant signed for it; electronically, the first
//! download on `/track` serves it. Served is recorded once and never moved: a later download
//! or a second signature changes nothing.
//!
//! Only a replied application is delivered. Each write is one transaction with its audit
//! entry (migration 0230).

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::models::application;
use crate::{BeginWrite, Store, StoreError};

/// How the reply was served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Served {
    /// Signed for (post).
    Signed,
    /// First downloaded on /track (electronic).
    Downloaded,
}

impl Served {
    fn key(self) -> &'static str {
        match self {
            Served::Signed => "signed",
            Served::Downloaded => "downloaded",
        }
    }

    /// How it reads on the case page.
    pub fn label(self) -> &'static str {
        match self {
            Served::Signed => "申请人签收",
            Served::Downloaded => "申请人在线下载",
        }
    }
}

/// The delivery of one application's reply as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Delivery {
    /// The day the reply was posted.
    pub mailed_on: Option<NaiveDate>,
    /// The postal (EMS, 挂号信) tracking number.
    pub postal_tracking_no: Option<String>,
    /// The day it was served (送达) and how.
    pub served: Option<(NaiveDate, Served)>,
}

/// The delivery of application `id` (empty when nothing was recorded).
pub async fn of(store: &Store, id: i64) -> Result<Delivery, StoreError> {
    on_db!(store, pool => {
        let row = sqlx::query(
            "SELECT mailed_on, postal_tracking_no, served_on, served_how FROM case_deliveries WHERE application_id = $1",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?;
        let Some(r) = row else { return Ok(Delivery::default()) };
        let served_on: Option<NaiveDate> = r.try_get("served_on")?;
        let how: Option<String> = r.try_get("served_how")?;
        Ok(Delivery {
            mailed_on: r.try_get("mailed_on")?,
            postal_tracking_no: r.try_get("postal_tracking_no")?,
            served: served_on.zip(how.map(|h| if h == "signed" { Served::Signed } else { Served::Downloaded })),
        })
    })
}

async fn replied_on(store: &Store, id: i64) -> Result<NaiveDate, StoreError> {
    application::get(store, id)
        .await?
        .concluded_on
        .ok_or_else(|| StoreError::invalid("尚未答复，没有可送达的答复书。"))
}

/// Records that the reply was posted on `mailed_on` under `postal_tracking_no`.
pub async fn record_mailing(
    store: &Store,
    actor: &str,
    id: i64,
    mailed_on: NaiveDate,
    postal_tracking_no: &str,
) -> Result<(), StoreError> {
    let no = postal_tracking_no.trim();
    if no.is_empty() {
        return Err(StoreError::invalid(
            "请填写邮件号（快递单号或挂号信号码）。",
        ));
    }
    let replied = replied_on(store, id).await?;
    if mailed_on < replied {
        return Err(StoreError::invalid(format!(
            "寄出日期 {mailed_on} 早于答复日期 {replied}。"
        )));
    }
    if of(store, id).await?.served.is_some() {
        return Err(StoreError::invalid("答复书已送达，不能再登记寄出。"));
    }
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query(
            "INSERT INTO case_deliveries (application_id, mailed_on, postal_tracking_no) VALUES ($1, $2, $3) \
             ON CONFLICT (application_id) DO UPDATE SET mailed_on = excluded.mailed_on, \
             postal_tracking_no = excluded.postal_tracking_no",
        )
        .bind(id)
        .bind(mailed_on)
        .bind(no)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({"mailed_on": mailed_on, "postal_tracking_no": no}).to_string();
        audit_append!(tx, actor, "delivery.mailed", "application", &id.to_string(), &detail);
        tx.commit().await?;
    });
    Ok(())
}

async fn serve(
    store: &Store,
    actor: &str,
    id: i64,
    on: NaiveDate,
    how: Served,
) -> Result<bool, StoreError> {
    let done = on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("INSERT INTO case_deliveries (application_id) VALUES ($1) ON CONFLICT (application_id) DO NOTHING")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let n = sqlx::query(
            "UPDATE case_deliveries SET served_on = $1, served_how = $2 WHERE application_id = $3 AND served_on IS NULL",
        )
        .bind(on)
        .bind(how.key())
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n > 0 {
            let detail = serde_json::json!({"served_on": on, "how": how.key()}).to_string();
            audit_append!(tx, actor, "delivery.served", "application", &id.to_string(), &detail);
        }
        tx.commit().await?;
        n > 0
    });
    Ok(done)
}

/// Records that the applicant signed for the posted reply on `signed_on` (送达).
pub async fn record_signed(
    store: &Store,
    actor: &str,
    id: i64,
    signed_on: NaiveDate,
) -> Result<(), StoreError> {
    let d = of(store, id).await?;
    let Some(mailed) = d.mailed_on else {
        return Err(StoreError::invalid("请先登记寄出日期和邮件号。"));
    };
    if signed_on < mailed {
        return Err(StoreError::invalid(format!(
            "签收日期 {signed_on} 早于寄出日期 {mailed}。"
        )));
    }
    if !serve(store, actor, id, signed_on, Served::Signed).await? {
        return Err(StoreError::invalid("答复书已送达。"));
    }
    Ok(())
}

/// Records a download of the reply on `/track` on `on`: the first one serves it (送达);
/// later ones change nothing. Returns whether this download served it.
pub async fn record_download(store: &Store, id: i64, on: NaiveDate) -> Result<bool, StoreError> {
    replied_on(store, id).await?;
    serve(store, "申请人（在线下载）", id, on, Served::Downloaded).await
}
