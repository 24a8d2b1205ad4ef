//! The information-processing fee of one application (Art. 42, 国办函〔2020〕109号): the
//! 收费通知书 (method, quantity, amount, how to pay, the period to pay in) and the payment the
//! handler records (date, amount, 票据号). Both are clock events (the notice pauses the reply
//! period, the payment resumes it; unpaid after the period, [`crate::models::auto_outcome`]
//! concludes the case 逾期未缴费), with the fee's facts stored on the event's payload so the
//! notice prints the same figures every time.
//!
//! One application is charged once and by one method; a payment must match the notice.

use chrono::{Datelike, NaiveDate};
use gongkai_law::{Awaiting, ClockEvent, FeeMethod};
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::due::calendar;
use crate::models::application::{self, append_event};
use crate::{Store, StoreError};

/// The facts of a 收费通知书.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeNotice {
    /// 按件 or 按量.
    pub method: FeeMethod,
    /// The request's ordinal in the applicant's month (按件) or the pages (按量).
    pub quantity: u32,
    /// The amount in 元.
    pub amount_yuan: u64,
    /// How to pay (account, place, online payment), as the office wrote it.
    pub how_to_pay: String,
}

/// A recorded payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeePayment {
    /// The amount paid in 元.
    pub amount_yuan: u64,
    /// 票据号 of the receipt issued.
    pub receipt_no: String,
}

/// An application's fee as recorded: the notice (with its event id and date) and the payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFee {
    /// The event that sent the notice.
    pub event_id: i64,
    /// The day the notice was sent.
    pub notice_on: NaiveDate,
    /// What it says.
    pub notice: FeeNotice,
    /// The payment, once recorded, with its date.
    pub paid: Option<(NaiveDate, FeePayment)>,
    /// The last day to pay, while the case waits for the payment (the legal clock's period:
    /// 20 working days from the day after the notice).
    pub pay_by: Option<NaiveDate>,
}

/// The applicant's ordinal of application `id` among its applications to the same agency
/// received in the same natural month (the same ID number, or the same name when none was
/// given): what 按件计收 prices.
pub async fn request_ordinal(store: &Store, id: i64) -> Result<u32, StoreError> {
    let app = application::get(store, id).await?;
    let received = app.received_on;
    let month_start = received.with_day(1).unwrap_or(received);
    let month_end = month_start
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(received);
    let n: i64 = on_db!(store, pool => {
        sqlx::query(
            "SELECT COUNT(*) AS n FROM applications o JOIN applications a ON a.id = $1 \
             WHERE o.agency_id = a.agency_id \
               AND COALESCE(o.id_number_mac, o.applicant_name) = COALESCE(a.id_number_mac, a.applicant_name) \
               AND o.received_on >= $2 AND o.received_on <= $3 \
               AND (o.received_on < a.received_on OR (o.received_on = a.received_on AND o.id <= a.id))",
        )
        .bind(id)
        .bind(month_start)
        .bind(month_end)
        .fetch_one(pool)
        .await?
        .try_get("n")?
    });
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The fee of application `id` as recorded, if a notice was sent.
pub async fn of(store: &Store, id: i64) -> Result<Option<CaseFee>, StoreError> {
    let rows: Vec<(i64, String, NaiveDate, String)> = on_db!(store, pool => {
        let rows = sqlx::query(
            "SELECT id, kind, occurred_on, payload FROM application_events \
             WHERE application_id = $1 AND kind IN ('fee_notice_sent', 'fee_paid') ORDER BY id",
        )
        .bind(id)
        .fetch_all(pool)
        .await?;
        rows.iter()
            .map(|r| Ok::<_, StoreError>((r.try_get("id")?, r.try_get("kind")?, r.try_get("occurred_on")?, r.try_get("payload")?)))
            .collect::<Result<_, _>>()?
    });
    let mut fee: Option<CaseFee> = None;
    for (event_id, kind, on, payload) in rows {
        let v: serde_json::Value =
            serde_json::from_str(&payload).map_err(|e| StoreError::invalid(e.to_string()))?;
        match kind.as_str() {
            "fee_notice_sent" => {
                // A notice recorded before notices carried their facts has none to show.
                if let Some(n) = v.get("fee").cloned() {
                    let notice: FeeNotice = serde_json::from_value(n)
                        .map_err(|e| StoreError::invalid(e.to_string()))?;
                    fee = Some(CaseFee {
                        event_id,
                        notice_on: on,
                        notice,
                        paid: None,
                        pay_by: None,
                    });
                }
            }
            _ => {
                if let (Some(f), Some(p)) = (fee.as_mut(), v.get("payment").cloned()) {
                    let p: FeePayment = serde_json::from_value(p)
                        .map_err(|e| StoreError::invalid(e.to_string()))?;
                    f.paid = Some((on, p));
                }
            }
        }
    }
    if let Some(f) = fee.as_mut().filter(|f| f.paid.is_none()) {
        let clock: Vec<ClockEvent> = application::events(store, id)
            .await?
            .into_iter()
            .map(|e| e.event)
            .collect();
        if let Ok(c) = gongkai_law::compute(&calendar(), &clock)
            && let Some(Awaiting::Payment { pay_by, .. }) = c.awaiting
        {
            f.pay_by = Some(pay_by);
        }
    }
    Ok(fee)
}

/// Sends the 收费通知书 of application `id` on `on`: the amount is the method's price of the
/// quantity. Refused when it comes to nothing (nothing to charge), when the application was
/// already charged (one method, one notice), without payment instructions, or when the case
/// is replied.
pub async fn send_notice(
    store: &Store,
    actor: &str,
    id: i64,
    on: NaiveDate,
    method: FeeMethod,
    quantity: u32,
    how_to_pay: &str,
) -> Result<FeeNotice, StoreError> {
    let how_to_pay = how_to_pay.trim();
    if how_to_pay.is_empty() {
        return Err(StoreError::invalid(
            "请填写缴费方式（收款单位、账号或缴费地点）。",
        ));
    }
    if of(store, id).await?.is_some() {
        return Err(StoreError::invalid(
            "该申请已发出收费通知：同一申请只收一次费，不得同时按件和按量计收。",
        ));
    }
    let amount_yuan = method.amount(quantity);
    if amount_yuan == 0 {
        return Err(StoreError::invalid(format!(
            "按{}，{}为{quantity}时不收费，无需发出收费通知。",
            method.label(),
            method.quantity_label()
        )));
    }
    let notice = FeeNotice {
        method,
        quantity,
        amount_yuan,
        how_to_pay: how_to_pay.to_string(),
    };
    let mut extra = serde_json::Map::new();
    extra.insert(
        "fee".into(),
        serde_json::to_value(&notice).map_err(|e| StoreError::invalid(e.to_string()))?,
    );
    append_event(
        store,
        actor,
        id,
        ClockEvent::FeeNoticeSent { on },
        None,
        Some(&extra),
    )
    .await?;
    Ok(notice)
}

/// Records the payment of application `id`'s fee on `on`: the amount must be the notice's,
/// the 票据号 is required, and a fee is paid once.
pub async fn record_payment(
    store: &Store,
    actor: &str,
    id: i64,
    on: NaiveDate,
    amount_yuan: u64,
    receipt_no: &str,
) -> Result<(), StoreError> {
    let receipt_no = receipt_no.trim();
    let fee = of(store, id)
        .await?
        .ok_or_else(|| StoreError::invalid("该申请没有收费通知，无需登记缴费。"))?;
    if fee.paid.is_some() {
        return Err(StoreError::invalid("该申请的信息处理费已登记缴纳。"));
    }
    if on < fee.notice_on {
        return Err(StoreError::invalid(format!(
            "缴费日期 {on} 早于收费通知日期 {}。",
            fee.notice_on
        )));
    }
    if amount_yuan != fee.notice.amount_yuan {
        return Err(StoreError::invalid(format!(
            "缴费金额应为收费通知书所列的 {} 元。",
            fee.notice.amount_yuan
        )));
    }
    if receipt_no.is_empty() {
        return Err(StoreError::invalid("请填写票据号。"));
    }
    let payment = FeePayment {
        amount_yuan,
        receipt_no: receipt_no.to_string(),
    };
    let mut extra = serde_json::Map::new();
    extra.insert(
        "payment".into(),
        serde_json::to_value(&payment).map_err(|e| StoreError::invalid(e.to_string()))?,
    );
    append_event(
        store,
        actor,
        id,
        ClockEvent::FeePaid { on },
        None,
        Some(&extra),
    )
    .await?;
    Ok(())
}
