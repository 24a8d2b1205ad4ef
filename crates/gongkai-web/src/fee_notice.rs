//! The 收费通知书 (信息处理费, 国办函〔2020〕109号) as the applicant reads it: on `/track`, in
//! the back office, as a page to print and as a PDF. One text for all of them, built from
//! what the store recorded with the notice (`gongkai_store::models::case_fee`): the method,
//! the quantity, the amount, how to pay, and the last day to pay from the legal clock. It
//! states nothing the handler did not decide.

use chrono::NaiveDate;
use gongkai_store::Store;
use gongkai_store::models::application::Application;
use gongkai_store::models::case_fee::{self, CaseFee};
use serde::Serialize;

/// A fee notice and its payment, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeeNoticeView {
    /// The method's name (按件计收 / 按量计收).
    pub method: &'static str,
    /// The basis cited (the article of 国办函〔2020〕109号 with its standard).
    pub basis: &'static str,
    /// What the quantity counts.
    pub quantity_label: &'static str,
    /// The quantity.
    pub quantity: u32,
    /// The amount in 元.
    pub amount_yuan: u64,
    /// How to pay.
    pub how_to_pay: String,
    /// The day the notice was sent.
    pub notice_on: NaiveDate,
    /// The last day to pay, while unpaid and the case is open.
    pub pay_by: Option<NaiveDate>,
    /// The day it was paid.
    pub paid_on: Option<NaiveDate>,
    /// The amount paid in 元.
    pub paid_yuan: Option<u64>,
    /// 票据号 of the receipt.
    pub receipt_no: Option<String>,
}

impl FeeNoticeView {
    /// The view of a recorded fee.
    pub fn of(fee: &CaseFee) -> FeeNoticeView {
        let m = fee.notice.method;
        FeeNoticeView {
            method: m.label(),
            basis: m.basis(),
            quantity_label: m.quantity_label(),
            quantity: fee.notice.quantity,
            amount_yuan: fee.notice.amount_yuan,
            how_to_pay: fee.notice.how_to_pay.clone(),
            notice_on: fee.notice_on,
            pay_by: fee.pay_by,
            paid_on: fee.paid.as_ref().map(|(on, _)| *on),
            paid_yuan: fee.paid.as_ref().map(|(_, p)| p.amount_yuan),
            receipt_no: fee.paid.as_ref().map(|(_, p)| p.receipt_no.clone()),
        }
    }

    /// The paragraphs of the notice's body (after the salutation, before the signature).
    pub fn body(&self, app: &Application) -> Vec<String> {
        let mut p = vec![
            format!(
                "本机关于{}收到您提出的政府信息公开申请（申请编号：{}），申请获取“{}”。根据《中华人民共和国政府信息公开条例》第四十二条和{}，本机关决定对该申请{}信息处理费。",
                ymd(app.received_on),
                app.tracking_no,
                app.description.trim(),
                self.basis,
                self.method
            ),
            format!(
                "计费依据：{}为{}，收费金额为人民币{}元。",
                self.quantity_label, self.quantity, self.amount_yuan
            ),
            format!("缴费方式：{}", with_stop(self.how_to_pay.trim())),
        ];
        p.push(match self.pay_by {
            Some(d) => format!(
                "请您自收到本通知次日起20个工作日内（至{}）缴纳。逾期未缴纳的，视为放弃申请，本机关将不再处理该政府信息公开申请。收费通知发出至缴费期间不计入答复期限。",
                ymd(d)
            ),
            None => "请您自收到本通知次日起20个工作日内缴纳。逾期未缴纳的，视为放弃申请，本机关将不再处理该政府信息公开申请。收费通知发出至缴费期间不计入答复期限。".to_string(),
        });
        p
    }

    /// The notice as a PDF (GB/T 9704 page): title, salutation, body, signature and date.
    pub fn pdf(&self, app: &Application, agency: &str) -> Vec<u8> {
        use gongkai_pdf::{Document, Paragraph};
        let mut doc = Document::new(TITLE, agency);
        doc.created = Some(self.notice_on);
        doc.push(Paragraph::title(TITLE).center());
        doc.push(Paragraph::new(format!("{}：", app.applicant_name)));
        for p in self.body(app) {
            doc.push(Paragraph::body(p));
        }
        doc.push(Paragraph::new(agency).right());
        doc.push(Paragraph::new(ymd(self.notice_on)).right());
        doc.render()
    }
}

/// The notice's title.
pub const TITLE: &str = "政府信息公开信息处理费收费通知书";

/// A date as letters write it (2026年3月4日).
pub fn ymd(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

/// Ends a sentence the handler wrote with one full stop, never two.
fn with_stop(s: &str) -> String {
    if s.ends_with(['。', '！', '？', '.']) {
        s.to_string()
    } else {
        format!("{s}。")
    }
}

/// The fee notice of application `id`, if one was sent.
pub async fn for_case(
    store: &Store,
    id: i64,
) -> Result<Option<FeeNoticeView>, gongkai_store::StoreError> {
    Ok(case_fee::of(store, id)
        .await?
        .as_ref()
        .map(FeeNoticeView::of))
}
