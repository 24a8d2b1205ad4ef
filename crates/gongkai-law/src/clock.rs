//! The legal clock of 依申请公开 (Regulation Arts. 30–35): when an application counts as
//! received, when the reply is due, and why.
//!
//! A case's clock is computed from its list of [`ClockEvent`]s and a [`Calendar`], never
//! stored on its own: when the calendar changes (a newly published year, or an amended one as
//! in 2020) every case is recomputed from its events, and [`moved_deadlines`] says whose
//! deadlines moved.
//!
//! Periods are counted in working days; the day that starts a period is not counted
//! ([`Calendar::nth_working_day_after`]). The result, [`Deadlines`], carries the trail of every
//! day looked at, so the due date can always be explained.
//!
//! ```
//! use chrono::NaiveDate;
//! use gongkai_law::{Calendar, Channel, ClockEvent, compute};
//!
//! let day = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
//! let events = [ClockEvent::Received {
//!     channel: Channel::Online,
//!     arrived: day("2020-09-25"),
//!     confirmed: Some(day("2020-09-25")),
//! }];
//! let clock = compute(&Calendar::embedded(), &events).unwrap();
//! assert_eq!(clock.due, Some(day("2020-10-29")));
//! ```

use crate::calendar::{Calendar, DayKind};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The reply period: 20 working days from receipt (Art. 33 ¶1).
pub const REPLY_PERIOD: u32 = 20;
/// The one extension: at most 20 more working days after the original end (Art. 33 ¶2).
pub const EXTENSION_PERIOD: u32 = 20;
/// The 补正 notice must go out within 7 working days of receipt (Art. 30).
pub const CORRECTION_NOTICE_PERIOD: u32 = 7;
/// A consulted third party or agency answers within 15 working days (Arts. 32, 34).
pub const CONSULTATION_PERIOD: u32 = 15;
/// The applicant pays the information-processing fee within 20 working days of the notice
/// (《政府信息公开信息处理费管理办法》, 国办函〔2020〕109号).
pub const FEE_PAYMENT_PERIOD: u32 = 20;
/// The period a 补正 notice gives the applicant to correct the application: 15 working days
/// from receiving the notice, as the 补正告知书 states. Art. 30 leaves the period to the
/// notice; without a correction within it the application is treated as abandoned (其他处理 /
/// 逾期不补正).
pub const CORRECTION_PERIOD: u32 = 15;

/// The last day for the corrected application after a 补正 notice sent on `notice_sent`: the
/// applicant is deemed to receive the notice the following day, which starts
/// [`CORRECTION_PERIOD`] and is not counted in it (the same convention as a consultation
/// letter or a fee notice). `None` beyond the calendar's range.
pub fn correction_due(calendar: &Calendar, notice_sent: NaiveDate) -> Option<NaiveDate> {
    pause_rule::counterparty_due(calendar, notice_sent, CORRECTION_PERIOD)
}

/// How an application reached the agency; decides its legal receipt date (Art. 31).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// 当面提交: received the day it is handed in.
    InPerson,
    /// 邮寄（挂号信、EMS、快递等需签收）: received the day the agency signs for it.
    Post,
    /// 平常信函: received the day the agency confirms with the applicant.
    OrdinaryLetter,
    /// 政府信息公开平台（网上申请）: received the day both sides confirm.
    Online,
    /// 电子邮件: received the day both sides confirm.
    Email,
    /// 传真（本机关公开工作机构的传真）: received the day both sides confirm.
    Fax,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 6] = [
        Channel::InPerson,
        Channel::Post,
        Channel::OrdinaryLetter,
        Channel::Online,
        Channel::Email,
        Channel::Fax,
    ];

    /// The key used on the command line and in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Channel::InPerson => "in-person",
            Channel::Post => "post",
            Channel::OrdinaryLetter => "letter",
            Channel::Online => "online",
            Channel::Email => "email",
            Channel::Fax => "fax",
        }
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Channel::InPerson => "当面提交",
            Channel::Post => "邮寄（需签收）",
            Channel::OrdinaryLetter => "平常信函",
            Channel::Online => "网上申请",
            Channel::Email => "电子邮件",
            Channel::Fax => "传真",
        }
    }

    /// What the receipt date is for this channel, as Art. 31 puts it.
    pub fn receipt_rule(self) -> &'static str {
        match self {
            Channel::InPerson => "以申请人提交之日为收到申请之日",
            Channel::Post => "以行政机关签收之日为收到申请之日",
            Channel::OrdinaryLetter => "以行政机关与申请人确认之日为收到申请之日",
            Channel::Online | Channel::Email | Channel::Fax => "以双方确认之日为收到申请之日",
        }
    }

    /// Reads a channel from its key, its serde name or its Chinese label.
    pub fn parse(s: &str) -> Option<Channel> {
        let s = s.trim();
        Channel::ALL
            .into_iter()
            .find(|c| c.key() == s || c.label() == s || c.key().replace('-', "_") == s)
            .or(match s {
                "ordinary_letter" | "ordinary-letter" => Some(Channel::OrdinaryLetter),
                "当面" | "现场" => Some(Channel::InPerson),
                "挂号" | "EMS" | "快递" | "邮寄" | "registered" => Some(Channel::Post),
                "网上" | "在线" | "网上申请平台" => Some(Channel::Online),
                _ => None,
            })
    }

    /// Whether the receipt date is a confirmation or signature date rather than the arrival.
    pub fn needs_confirmation(self) -> bool {
        !matches!(self, Channel::InPerson | Channel::Post)
    }

    /// The legal receipt date (Art. 31) of an application that arrived on `arrived`.
    ///
    /// `confirmed` is the day of the agency's signature (post; defaults to the arrival) or of
    /// the confirmation (ordinary letter, online, e-mail, fax; required). It may not precede
    /// the arrival; in person it must be the arrival day if given.
    pub fn receipt_date(
        self,
        arrived: NaiveDate,
        confirmed: Option<NaiveDate>,
    ) -> Result<NaiveDate, ClockError> {
        if let Some(c) = confirmed
            && c < arrived
        {
            return Err(ClockError::ConfirmedBeforeArrival {
                arrived,
                confirmed: c,
            });
        }
        match (self, confirmed) {
            (Channel::InPerson, Some(c)) if c != arrived => {
                Err(ClockError::ConfirmationNotApplicable)
            }
            (Channel::InPerson, _) => Ok(arrived),
            (Channel::Post, c) => Ok(c.unwrap_or(arrived)),
            (_, Some(c)) => Ok(c),
            (ch, None) => Err(ClockError::Unconfirmed(ch)),
        }
    }
}

impl TryFrom<String> for Channel {
    type Error = crate::UnknownKey;

    /// Reads a stored key (or anything [`Channel::parse`] reads).
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Channel::parse(&s).ok_or_else(|| crate::UnknownKey::new("申请方式", s))
    }
}

/// Whom the agency consulted (Arts. 32, 34).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Consultee {
    /// 第三方 (Art. 32): its commercial secrets, privacy or other lawful interests are at stake.
    ThirdParty,
    /// 其他机关 (Art. 34): information made jointly with, or obtained from, another agency;
    /// silence past its period counts as consent.
    OtherAgency,
}

impl Consultee {
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Consultee::ThirdParty => "第三方",
            Consultee::OtherAgency => "其他机关",
        }
    }
}

/// Something that happened to an application and moves its clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ClockEvent {
    /// The application arrived (申请收到). Exactly one per case.
    Received {
        /// How it came.
        channel: Channel,
        /// The day it arrived (or was handed in).
        arrived: NaiveDate,
        /// The signature or confirmation day, where the channel needs one (Art. 31).
        #[serde(default)]
        confirmed: Option<NaiveDate>,
    },
    /// A 补正 notice went out (补正告知, Art. 30).
    CorrectionNoticeSent {
        /// The day it went out.
        on: NaiveDate,
    },
    /// The corrected application arrived: the reply period restarts from this day (Art. 30).
    CorrectedApplicationReceived {
        /// The day it was received.
        on: NaiveDate,
    },
    /// A consultation letter went out (征求意见, Arts. 32, 34): the clock pauses.
    ConsultationSent {
        /// Whom.
        consultee: Consultee,
        /// The day the letter went out (still counted).
        on: NaiveDate,
    },
    /// The consultee's answer arrived.
    ConsultationAnswered {
        /// Who answered.
        consultee: Consultee,
        /// The day the answer arrived (not counted).
        on: NaiveDate,
    },
    /// A fee notice went out (收费通知, Art. 42): the clock pauses until payment.
    FeeNoticeSent {
        /// The day it went out (still counted).
        on: NaiveDate,
    },
    /// The fee was paid.
    FeePaid {
        /// The day the payment arrived (not counted).
        on: NaiveDate,
    },
    /// A pause given by both ends (a consultation or fee notice sent on `sent`, answered or
    /// paid on `answered`), without the counterparty's own period: the days after `sent`
    /// through `answered` are not counted. The form of `gongkai deadline --pause`.
    Paused {
        /// The day the letter or notice went out.
        sent: NaiveDate,
        /// The day the answer or payment arrived.
        answered: NaiveDate,
    },
    /// The extension was approved by the head of the OGI office and notified (延期答复,
    /// Art. 33 ¶2). `on` is the approval date, if recorded.
    ExtensionApproved {
        /// The day of approval; it must not be after the original deadline.
        #[serde(default)]
        on: Option<NaiveDate>,
    },
    /// For excessive requests the agency set a later, reasonable reply date itself (Art. 35);
    /// it replaces the computed one.
    AgencySetDate {
        /// The date set.
        due: NaiveDate,
    },
    /// The final reply went out (答复; procedural notices are not replies).
    Replied {
        /// The day of the reply.
        on: NaiveDate,
    },
}

impl ClockEvent {
    /// The event's date, if it has one.
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            ClockEvent::Received {
                arrived, confirmed, ..
            } => Some(confirmed.unwrap_or(*arrived)),
            ClockEvent::CorrectionNoticeSent { on }
            | ClockEvent::CorrectedApplicationReceived { on }
            | ClockEvent::ConsultationSent { on, .. }
            | ClockEvent::ConsultationAnswered { on, .. }
            | ClockEvent::FeeNoticeSent { on }
            | ClockEvent::FeePaid { on }
            | ClockEvent::Replied { on } => Some(*on),
            ClockEvent::Paused { sent, .. } => Some(*sent),
            ClockEvent::ExtensionApproved { on } => *on,
            ClockEvent::AgencySetDate { due } => Some(*due),
        }
    }

    /// The stored kind of the event (its serde tag: `received`, `correction_notice_sent`,
    /// `replied` …).
    pub fn key(&self) -> &'static str {
        match self {
            ClockEvent::Received { .. } => "received",
            ClockEvent::CorrectionNoticeSent { .. } => "correction_notice_sent",
            ClockEvent::CorrectedApplicationReceived { .. } => "corrected_application_received",
            ClockEvent::ConsultationSent { .. } => "consultation_sent",
            ClockEvent::ConsultationAnswered { .. } => "consultation_answered",
            ClockEvent::FeeNoticeSent { .. } => "fee_notice_sent",
            ClockEvent::FeePaid { .. } => "fee_paid",
            ClockEvent::Paused { .. } => "paused",
            ClockEvent::ExtensionApproved { .. } => "extension_approved",
            ClockEvent::AgencySetDate { .. } => "agency_set_date",
            ClockEvent::Replied { .. } => "replied",
        }
    }

    /// A short Chinese name of the event, for messages.
    pub fn label(&self) -> &'static str {
        match self {
            ClockEvent::Received { .. } => "收到申请",
            ClockEvent::CorrectionNoticeSent { .. } => "补正告知",
            ClockEvent::CorrectedApplicationReceived { .. } => "收到补正后的申请",
            ClockEvent::ConsultationSent { .. } => "发出征求意见函",
            ClockEvent::ConsultationAnswered { .. } => "收到征求意见答复",
            ClockEvent::FeeNoticeSent { .. } => "发出收费通知",
            ClockEvent::FeePaid { .. } => "缴纳信息处理费",
            ClockEvent::Paused { .. } => "暂停计算",
            ClockEvent::ExtensionApproved { .. } => "批准延期答复",
            ClockEvent::AgencySetDate { .. } => "行政机关确定答复期限",
            ClockEvent::Replied { .. } => "作出答复",
        }
    }
}

/// Why a list of events has no clock.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    /// No `Received` event.
    #[error("没有收到申请的记录，无法起算期限")]
    NoReceipt,
    /// More than one `Received` event.
    #[error("收到申请的记录不止一条")]
    MoreThanOneReceipt,
    /// The channel needs a confirmation date and none was given (Art. 31).
    #[error("{}：{}，缺少确认日期", .0.label(), .0.receipt_rule())]
    Unconfirmed(Channel),
    /// The confirmation precedes the arrival.
    #[error("确认日期 {confirmed} 早于收到日期 {arrived}")]
    ConfirmedBeforeArrival {
        /// The arrival.
        arrived: NaiveDate,
        /// The confirmation.
        confirmed: NaiveDate,
    },
    /// A confirmation date other than the day itself was given for an application handed in.
    #[error("当面提交以提交之日为收到申请之日，不另行确认")]
    ConfirmationNotApplicable,
    /// An event is dated before the application was received.
    #[error("“{event}”的日期 {date} 早于收到申请之日 {received}")]
    EventBeforeReceipt {
        /// The event's label.
        event: &'static str,
        /// Its date.
        date: NaiveDate,
        /// The receipt date.
        received: NaiveDate,
    },
    /// A pause ends before it starts.
    #[error("暂停的结束日期 {answered} 早于开始日期 {sent}")]
    PauseEndsBeforeStart {
        /// The start.
        sent: NaiveDate,
        /// The end.
        answered: NaiveDate,
    },
    /// The dates run past what chrono represents.
    #[error("日期超出可计算的范围")]
    OutOfRange,
}

/// Why a paused day is not counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PauseCause {
    /// Consultation (征求意见) of a third party or another agency.
    Consultation(Consultee),
    /// A fee notice awaiting payment (收费).
    Fee,
    /// A pause given by both ends ([`ClockEvent::Paused`]).
    Stated,
}

impl PauseCause {
    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            PauseCause::Consultation(Consultee::ThirdParty) => "征求第三方意见",
            PauseCause::Consultation(Consultee::OtherAgency) => "征求其他机关意见",
            PauseCause::Fee => "收费通知至缴费",
            PauseCause::Stated => "暂停计算",
        }
    }
}

/// One pause of the reply period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PauseSpan {
    /// Why.
    pub cause: PauseCause,
    /// The day the letter or notice went out (still counted).
    pub sent: NaiveDate,
    /// The day the answer or payment arrived, if it did.
    pub answered: Option<NaiveDate>,
    /// The counterparty's own deadline: the consultee's 15 working days, or the applicant's
    /// 20 working days to pay. `None` for a stated pause.
    pub counterparty_due: Option<NaiveDate>,
    /// The last day not counted; `None` while the pause is open (a fee not yet paid).
    pub last_paused: Option<NaiveDate>,
}

/// The pause-boundary convention of the spec, kept here and nowhere else.
///
/// Working days up to and including the day the letter (or fee notice) goes out count. The
/// counterparty is deemed to receive it on the following day, which starts its own period
/// and, like every day that starts a period, is not counted in it (vector L: a letter sent
/// on 2024-04-08 gives the third party until 2024-04-29). Counting resumes on the first
/// working day after the answer (or payment) arrives, or after the counterparty's own period
/// ends if that comes first — except for a fee, where only payment ends the pause.
mod pause_rule {
    use super::{Calendar, NaiveDate, PauseCause, PauseSpan};

    /// The counterparty's deadline for a letter or notice sent on `sent`.
    pub(super) fn counterparty_due(
        cal: &Calendar,
        sent: NaiveDate,
        period: u32,
    ) -> Option<NaiveDate> {
        cal.nth_working_day_after(sent.succ_opt()?, period)
    }

    /// The span of a pause from its cause, its start and its end (if any).
    pub(super) fn span(
        cal: &Calendar,
        cause: PauseCause,
        sent: NaiveDate,
        answered: Option<NaiveDate>,
    ) -> Option<PauseSpan> {
        let (counterparty_due, last_paused) = match cause {
            PauseCause::Consultation(_) => {
                let due = counterparty_due(cal, sent, super::CONSULTATION_PERIOD)?;
                (Some(due), Some(answered.map_or(due, |a| a.min(due))))
            }
            PauseCause::Fee => (
                Some(counterparty_due(cal, sent, super::FEE_PAYMENT_PERIOD)?),
                answered,
            ),
            PauseCause::Stated => (None, answered),
        };
        Some(PauseSpan {
            cause,
            sent,
            answered,
            counterparty_due,
            last_paused,
        })
    }

    /// Whether `day` is one of the days the pause takes out of the count.
    pub(super) fn covers(span: &PauseSpan, day: NaiveDate) -> bool {
        day > span.sent && span.last_paused.is_none_or(|last| day <= last)
    }
}

/// What a day of the trail was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrailKind {
    /// An ordinary working day, counted.
    Counted,
    /// A make-up working day (调休上班), counted.
    Makeup,
    /// A statutory holiday, skipped.
    Holiday,
    /// A weekend, skipped.
    Weekend,
    /// A working day inside a pause, not counted.
    Paused,
    /// A day of a year whose arrangement is unknown: counted (with `n`) if Monday–Friday,
    /// skipped otherwise — a guess, which makes the deadline provisional.
    Provisional,
}

impl TrailKind {
    /// The key used in JSON.
    pub fn key(self) -> &'static str {
        match self {
            TrailKind::Counted => "counted",
            TrailKind::Makeup => "makeup",
            TrailKind::Holiday => "holiday",
            TrailKind::Weekend => "weekend",
            TrailKind::Paused => "paused",
            TrailKind::Provisional => "provisional",
        }
    }
}

/// One day of the trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrailDay {
    /// The date.
    pub date: NaiveDate,
    /// What it was.
    pub kind: TrailKind,
    /// Its number among the counted working days, if counted.
    pub n: Option<u32>,
    /// The holiday's name (holidays and make-up days), from the data.
    pub name: Option<String>,
}

/// What the clock waits for, when it is not running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "for", rename_all = "snake_case")]
pub enum Awaiting {
    /// The corrected application (补正): the reply period restarts when it arrives.
    Correction {
        /// The day the notice went out.
        notice_sent: NaiveDate,
    },
    /// Payment of the fee; unpaid by `pay_by`, the application ends as 其他处理 / 逾期未缴费.
    Payment {
        /// The day the fee notice went out.
        notice_sent: NaiveDate,
        /// The last day to pay.
        pay_by: NaiveDate,
    },
}

/// Something irregular the clock noticed in the events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "note", rename_all = "snake_case")]
pub enum ClockNote {
    /// The 补正 notice went out after its 7 working days.
    LateCorrectionNotice {
        /// When it went out.
        sent: NaiveDate,
        /// When it was due.
        due: NaiveDate,
    },
    /// The extension was approved after the original deadline: it is not applied.
    LateExtension {
        /// When it was approved.
        approved: NaiveDate,
        /// The original deadline.
        original_due: NaiveDate,
    },
    /// A second extension: the Regulation allows one; it is ignored.
    SecondExtension,
    /// An answer with no consultation letter before it: ignored.
    AnswerWithoutLetter {
        /// The answer's date.
        on: NaiveDate,
    },
    /// A payment with no fee notice before it: ignored.
    PaymentWithoutNotice {
        /// The payment's date.
        on: NaiveDate,
    },
    /// The consultee answered after its period: the pause ended with the period.
    LateAnswer {
        /// Who.
        consultee: Consultee,
        /// When the answer came.
        answered: NaiveDate,
        /// The consultee's deadline.
        due: NaiveDate,
    },
    /// The fee was paid after the period to pay.
    LatePayment {
        /// When it was paid.
        paid: NaiveDate,
        /// The last day to pay.
        due: NaiveDate,
    },
    /// The reply went out after the deadline in force.
    LateReply {
        /// When it went out.
        replied: NaiveDate,
        /// The deadline.
        due: NaiveDate,
    },
}

impl ClockNote {
    /// The note in Chinese.
    pub fn text(&self) -> String {
        match self {
            ClockNote::LateCorrectionNotice { sent, due } => {
                format!("补正告知于 {sent} 发出，晚于应发出的期限 {due}（第三十条）")
            }
            ClockNote::LateExtension {
                approved,
                original_due,
            } => format!(
                "延期于 {approved} 批准，晚于原答复期限 {original_due}，不产生延期效果（第三十三条）"
            ),
            ClockNote::SecondExtension => "延期只能一次，第二次延期不予计算（第三十三条）".into(),
            ClockNote::AnswerWithoutLetter { on } => {
                format!("{on} 的征求意见答复没有对应的征求意见函，未计入")
            }
            ClockNote::PaymentWithoutNotice { on } => {
                format!("{on} 的缴费没有对应的收费通知，未计入")
            }
            ClockNote::LateAnswer {
                consultee,
                answered,
                due,
            } => format!(
                "{}于 {answered} 答复，已超过其答复期限 {due}，自期限届满后恢复计算",
                consultee.label()
            ),
            ClockNote::LatePayment { paid, due } => {
                format!("申请人于 {paid} 缴费，晚于缴费期限 {due}（可按逾期未缴费处理）")
            }
            ClockNote::LateReply { replied, due } => {
                format!("于 {replied} 答复，超过答复期限 {due}")
            }
        }
    }
}

/// The clock of one application, computed from its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deadlines {
    /// How the application came.
    pub channel: Channel,
    /// The day it arrived.
    pub arrived: NaiveDate,
    /// The legal receipt date (Art. 31): the only date that starts the clock.
    pub received: NaiveDate,
    /// The last day to send the 补正 notice (7 working days after receipt, Art. 30).
    pub correction_notice_due: NaiveDate,
    /// The day the current reply period starts from (the receipt, or the corrected
    /// application's receipt); not itself counted.
    pub period_start: NaiveDate,
    /// The end of the 20 working days (with pauses); `None` while awaiting the applicant.
    pub original_due: Option<NaiveDate>,
    /// The end of the extension, 20 working days after `original_due`, if one was approved
    /// in time.
    pub extended_due: Option<NaiveDate>,
    /// A date the agency set itself (Art. 35), which replaces the computed one.
    pub agency_set_due: Option<NaiveDate>,
    /// The deadline in force: the agency's date, else the extended, else the original one.
    pub due: Option<NaiveDate>,
    /// What the clock waits for, if it is stopped.
    pub awaiting: Option<Awaiting>,
    /// The pauses of the current reply period.
    pub pauses: Vec<PauseSpan>,
    /// Whether any date of the computation lies in a year without a known arrangement.
    pub provisional: bool,
    /// Why the deadline is provisional (Chinese), if it is.
    pub reason: Option<String>,
    /// Every day after `period_start` through the last computed deadline.
    pub trail: Vec<TrailDay>,
    /// The day of the final reply, if sent.
    pub replied: Option<NaiveDate>,
    /// Irregularities noticed.
    pub notes: Vec<ClockNote>,
}

impl Deadlines {
    /// Whether the application is pending on `date`: received, and no final reply by then.
    /// Procedural notices (补正, 延期, 收费) do not end it.
    pub fn is_pending_on(&self, date: NaiveDate) -> bool {
        self.received <= date && self.replied.is_none_or(|r| r > date)
    }

    /// Whether the application is carried over (结转) into the year after `year`: pending on
    /// 31 December.
    pub fn carried_over(&self, year: i32) -> bool {
        NaiveDate::from_ymd_opt(year, 12, 31).is_some_and(|d| self.is_pending_on(d))
    }

    /// The deadlines only, for comparing two computations.
    pub fn due_dates(&self) -> DueDates {
        DueDates {
            correction_notice_due: self.correction_notice_due,
            original_due: self.original_due,
            extended_due: self.extended_due,
            due: self.due,
            provisional: self.provisional,
        }
    }
}

/// The deadlines of one computation, without the trail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DueDates {
    /// See [`Deadlines::correction_notice_due`].
    pub correction_notice_due: NaiveDate,
    /// See [`Deadlines::original_due`].
    pub original_due: Option<NaiveDate>,
    /// See [`Deadlines::extended_due`].
    pub extended_due: Option<NaiveDate>,
    /// See [`Deadlines::due`].
    pub due: Option<NaiveDate>,
    /// See [`Deadlines::provisional`].
    pub provisional: bool,
}

/// Computes the clock of one application from its events.
///
/// Events may come in any order. Errors only for event lists that cannot describe an
/// application (no receipt, a confirmation missing, an event before the receipt …);
/// irregular but possible histories are computed and reported in [`Deadlines::notes`].
pub fn compute(calendar: &Calendar, events: &[ClockEvent]) -> Result<Deadlines, ClockError> {
    let mut receipts = events.iter().filter_map(|e| match e {
        ClockEvent::Received {
            channel,
            arrived,
            confirmed,
        } => Some((*channel, *arrived, *confirmed)),
        _ => None,
    });
    let (channel, arrived, confirmed) = receipts.next().ok_or(ClockError::NoReceipt)?;
    if receipts.next().is_some() {
        return Err(ClockError::MoreThanOneReceipt);
    }
    let received = channel.receipt_date(arrived, confirmed)?;
    for e in events {
        if let Some(date) = e.date()
            && date < received
            && !matches!(e, ClockEvent::Received { .. })
        {
            return Err(ClockError::EventBeforeReceipt {
                event: e.label(),
                date,
                received,
            });
        }
        if let ClockEvent::Paused { sent, answered } = e
            && answered < sent
        {
            return Err(ClockError::PauseEndsBeforeStart {
                sent: *sent,
                answered: *answered,
            });
        }
    }
    let mut notes = Vec::new();
    let correction_notice_due = calendar
        .nth_working_day_after(received, CORRECTION_NOTICE_PERIOD)
        .ok_or(ClockError::OutOfRange)?;

    // 补正: the reply period restarts from the last corrected application; a notice after it
    // (or with none yet) stops the clock until the applicant answers.
    let dates_of = |f: fn(&ClockEvent) -> Option<NaiveDate>| -> Vec<NaiveDate> {
        let mut v: Vec<NaiveDate> = events.iter().filter_map(f).collect();
        v.sort();
        v
    };
    let notices = dates_of(|e| match e {
        ClockEvent::CorrectionNoticeSent { on } => Some(*on),
        _ => None,
    });
    let corrected = dates_of(|e| match e {
        ClockEvent::CorrectedApplicationReceived { on } => Some(*on),
        _ => None,
    });
    if let Some(first) = notices.first()
        && *first > correction_notice_due
    {
        notes.push(ClockNote::LateCorrectionNotice {
            sent: *first,
            due: correction_notice_due,
        });
    }
    let period_start = corrected.last().copied().unwrap_or(received);
    let mut awaiting = notices
        .last()
        .filter(|n| corrected.last().is_none_or(|c| c < *n))
        .map(|n| Awaiting::Correction { notice_sent: *n });

    let pauses = pauses_of(calendar, events, period_start, &mut notes)?;
    if awaiting.is_none()
        && let Some(open) = pauses.iter().find(|p| p.last_paused.is_none())
        && let Some(pay_by) = open.counterparty_due
    {
        awaiting = Some(Awaiting::Payment {
            notice_sent: open.sent,
            pay_by,
        });
    }

    let mut extensions = events.iter().filter_map(|e| match e {
        ClockEvent::ExtensionApproved { on } => Some(*on),
        _ => None,
    });
    let extension = extensions.next();
    if extensions.next().is_some() {
        notes.push(ClockNote::SecondExtension);
    }

    let mut trail = Vec::new();
    let (mut original_due, mut extended_due) = (None, None);
    if awaiting.is_none() {
        let (t, original) = walk(calendar, period_start, &pauses, REPLY_PERIOD, 0)?;
        trail = t;
        original_due = Some(original);
        match extension {
            Some(Some(approved)) if approved > original => {
                notes.push(ClockNote::LateExtension {
                    approved,
                    original_due: original,
                });
            }
            Some(_) => {
                let (more, end) =
                    walk(calendar, original, &pauses, EXTENSION_PERIOD, REPLY_PERIOD)?;
                trail.extend(more);
                extended_due = Some(end);
            }
            None => {}
        }
    }

    let agency_set_due = events
        .iter()
        .filter_map(|e| match e {
            ClockEvent::AgencySetDate { due } => Some(*due),
            _ => None,
        })
        .next_back();
    let due = if awaiting.is_none() {
        agency_set_due.or(extended_due).or(original_due)
    } else {
        None
    };
    let replied = dates_of(|e| match e {
        ClockEvent::Replied { on } => Some(*on),
        _ => None,
    })
    .first()
    .copied();
    if let (Some(r), Some(d)) = (replied, due)
        && r > d
    {
        notes.push(ClockNote::LateReply { replied: r, due: d });
    }

    // Every day from the receipt to the last computed date was looked up in the calendar.
    let last_computed = [Some(correction_notice_due), original_due, extended_due]
        .into_iter()
        .flatten()
        .chain(pauses.iter().filter_map(|p| p.counterparty_due))
        .max()
        .unwrap_or(correction_notice_due);
    let unknown: Vec<i32> = (received.year()..=last_computed.year())
        .filter(|y| !calendar.is_year_known(*y))
        .collect();
    let reason = (!unknown.is_empty()).then(|| provisional_reason(&unknown));

    Ok(Deadlines {
        channel,
        arrived,
        received,
        correction_notice_due,
        period_start,
        original_due,
        extended_due,
        agency_set_due,
        due,
        awaiting,
        pauses,
        provisional: reason.is_some(),
        reason,
        trail,
        replied,
        notes,
    })
}

fn provisional_reason(years: &[i32]) -> String {
    let list: Vec<String> = years.iter().map(|y| format!("{y}年")).collect();
    format!(
        "{}的节假日安排不在日历中（国务院尚未公布或尚未载入）：其间已按《全国年节及纪念日放假办法》扣除法定节假日（元旦、春节、清明节、劳动节、端午节、中秋节、国庆节），调休上班和调休放假尚不可知，其余日期暂按周一至周五为工作日推算；载入该年安排后须重新计算。",
        list.join("、")
    )
}

/// The pauses of the reply period starting after `period_start`, from the events.
fn pauses_of(
    cal: &Calendar,
    events: &[ClockEvent],
    period_start: NaiveDate,
    notes: &mut Vec<ClockNote>,
) -> Result<Vec<PauseSpan>, ClockError> {
    let mut spans = Vec::new();
    // Pair each letter or notice with the first answer or payment on or after it.
    let mut pair = |cause: PauseCause,
                    starts: Vec<NaiveDate>,
                    mut ends: Vec<NaiveDate>,
                    notes: &mut Vec<ClockNote>|
     -> Result<(), ClockError> {
        for sent in starts {
            let answered = ends.iter().position(|e| *e >= sent).map(|i| ends.remove(i));
            let span =
                pause_rule::span(cal, cause, sent, answered).ok_or(ClockError::OutOfRange)?;
            match (cause, answered, span.counterparty_due) {
                (PauseCause::Consultation(consultee), Some(a), Some(due)) if a > due => {
                    notes.push(ClockNote::LateAnswer {
                        consultee,
                        answered: a,
                        due,
                    });
                }
                (PauseCause::Fee, Some(paid), Some(due)) if paid > due => {
                    notes.push(ClockNote::LatePayment { paid, due });
                }
                _ => {}
            }
            spans.push(span);
        }
        for on in ends {
            notes.push(match cause {
                PauseCause::Fee => ClockNote::PaymentWithoutNotice { on },
                _ => ClockNote::AnswerWithoutLetter { on },
            });
        }
        Ok(())
    };
    for consultee in [Consultee::ThirdParty, Consultee::OtherAgency] {
        let mut starts = Vec::new();
        let mut ends = Vec::new();
        for e in events {
            match e {
                ClockEvent::ConsultationSent { consultee: c, on } if *c == consultee => {
                    starts.push(*on)
                }
                ClockEvent::ConsultationAnswered { consultee: c, on } if *c == consultee => {
                    ends.push(*on)
                }
                _ => {}
            }
        }
        starts.sort();
        ends.sort();
        pair(PauseCause::Consultation(consultee), starts, ends, notes)?;
    }
    let mut starts = Vec::new();
    let mut ends = Vec::new();
    let mut stated = Vec::new();
    for e in events {
        match e {
            ClockEvent::FeeNoticeSent { on } => starts.push(*on),
            ClockEvent::FeePaid { on } => ends.push(*on),
            ClockEvent::Paused { sent, answered } => stated.push(
                pause_rule::span(cal, PauseCause::Stated, *sent, Some(*answered))
                    .ok_or(ClockError::OutOfRange)?,
            ),
            _ => {}
        }
    }
    starts.sort();
    ends.sort();
    pair(PauseCause::Fee, starts, ends, notes)?;
    spans.extend(stated);
    // A pause that ended before the period started (e.g. before a 补正 restart) does not
    // touch it.
    spans.retain(|p| p.last_paused.is_none_or(|last| last > period_start));
    spans.sort_by_key(|p| p.sent);
    Ok(spans)
}

/// Walks the days after `from` until `count` more working days outside pauses have been
/// counted; numbers them from `numbered_before + 1`. Returns the trail and the last day.
fn walk(
    cal: &Calendar,
    from: NaiveDate,
    pauses: &[PauseSpan],
    count: u32,
    numbered_before: u32,
) -> Result<(Vec<TrailDay>, NaiveDate), ClockError> {
    let mut trail = Vec::new();
    let mut day = from;
    let mut counted = 0;
    while counted < count {
        day = day.succ_opt().ok_or(ClockError::OutOfRange)?;
        let kind = cal.day_kind(day);
        let known = cal.is_known(day);
        let paused = pauses.iter().any(|p| pause_rule::covers(p, day));
        let (trail_kind, n) = if !kind.is_working() {
            // A holiday is certain even in an unknown year: there the calendar names only the
            // statutory holidays fixed by law, which no arrangement can make working days.
            let k = match (&kind, known) {
                (DayKind::Holiday(_), _) => TrailKind::Holiday,
                (_, false) => TrailKind::Provisional,
                _ => TrailKind::Weekend,
            };
            (k, None)
        } else if paused {
            (TrailKind::Paused, None)
        } else {
            counted += 1;
            let k = match (&kind, known) {
                (_, false) => TrailKind::Provisional,
                (DayKind::MakeUp(_), true) => TrailKind::Makeup,
                _ => TrailKind::Counted,
            };
            (k, Some(numbered_before + counted))
        };
        let name = match kind {
            DayKind::Holiday(n) | DayKind::MakeUp(n) => Some(n),
            _ => None,
        };
        trail.push(TrailDay {
            date: day,
            kind: trail_kind,
            n,
            name,
        });
    }
    Ok((trail, day))
}

/// A case whose deadlines differ between two calendars.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MovedDeadline<K> {
    /// The caller's key of the case.
    pub case: K,
    /// The deadlines under the old calendar.
    pub before: DueDates,
    /// The deadlines under the new calendar.
    pub after: DueDates,
}

/// Recomputes every case under `old` and `new` and reports those whose deadlines (or
/// provisional status) changed. Cases whose events have no clock are skipped: their error
/// does not depend on the calendar.
pub fn moved_deadlines<'a, K>(
    old: &Calendar,
    new: &Calendar,
    cases: impl IntoIterator<Item = (K, &'a [ClockEvent])>,
) -> Vec<MovedDeadline<K>> {
    cases
        .into_iter()
        .filter_map(|(case, events)| {
            let before = compute(old, events).ok()?.due_dates();
            let after = compute(new, events).ok()?.due_dates();
            (before != after).then_some(MovedDeadline {
                case,
                before,
                after,
            })
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn in_person(s: &str) -> ClockEvent {
        ClockEvent::Received {
            channel: Channel::InPerson,
            arrived: d(s),
            confirmed: None,
        }
    }

    #[test]
    fn event_keys_are_the_serde_tags() {
        let on = d("2025-03-03");
        let c = Consultee::ThirdParty;
        for e in [
            in_person("2025-03-03"),
            ClockEvent::CorrectionNoticeSent { on },
            ClockEvent::CorrectedApplicationReceived { on },
            ClockEvent::ConsultationSent { consultee: c, on },
            ClockEvent::ConsultationAnswered { consultee: c, on },
            ClockEvent::FeeNoticeSent { on },
            ClockEvent::FeePaid { on },
            ClockEvent::Paused {
                sent: on,
                answered: on,
            },
            ClockEvent::ExtensionApproved { on: None },
            ClockEvent::AgencySetDate { due: on },
            ClockEvent::Replied { on },
        ] {
            let v = serde_json::to_value(&e).unwrap();
            assert_eq!(v["event"], e.key());
        }
    }

    #[test]
    fn channels_read_back_from_their_keys() {
        for c in Channel::ALL {
            assert_eq!(Channel::try_from(c.key().to_string()), Ok(c));
        }
        assert!(Channel::try_from("pigeon".to_string()).is_err());
    }

    #[test]
    fn receipt_dates_follow_article_31() {
        let a = d("2025-09-30");
        let c = d("2025-10-09");
        assert_eq!(Channel::InPerson.receipt_date(a, None), Ok(a));
        assert_eq!(Channel::Post.receipt_date(a, None), Ok(a));
        assert_eq!(Channel::Post.receipt_date(a, Some(c)), Ok(c));
        assert_eq!(Channel::OrdinaryLetter.receipt_date(a, Some(c)), Ok(c));
        assert_eq!(
            Channel::Online.receipt_date(a, None),
            Err(ClockError::Unconfirmed(Channel::Online))
        );
        assert!(Channel::Email.receipt_date(c, Some(a)).is_err());
        assert!(Channel::InPerson.receipt_date(a, Some(c)).is_err());
        for ch in Channel::ALL {
            assert_eq!(Channel::parse(ch.key()), Some(ch));
            assert_eq!(Channel::parse(ch.label()), Some(ch));
        }
    }

    #[test]
    fn an_unanswered_consultation_resumes_after_the_consultees_period() {
        let cal = Calendar::embedded();
        let events = [
            in_person("2024-04-01"),
            ClockEvent::ConsultationSent {
                consultee: Consultee::OtherAgency,
                on: d("2024-04-08"),
            },
        ];
        let c = compute(&cal, &events).unwrap();
        assert_eq!(c.pauses[0].counterparty_due, Some(d("2024-04-29")));
        assert_eq!(c.pauses[0].last_paused, Some(d("2024-04-29")));
        // 4 days counted before, resume 04-30: 30 (5), 05-06..10 (10), 11 Sat (11), 13-17 (16),
        // 20-23 (20).
        assert_eq!(c.due, Some(d("2024-05-23")));
        // A late answer does not lengthen the pause.
        let mut late = events.to_vec();
        late.push(ClockEvent::ConsultationAnswered {
            consultee: Consultee::OtherAgency,
            on: d("2024-05-06"),
        });
        let l = compute(&cal, &late).unwrap();
        assert_eq!(l.due, c.due);
        assert!(matches!(l.notes[0], ClockNote::LateAnswer { .. }));
    }

    #[test]
    fn a_fee_notice_stops_the_clock_until_payment() {
        let cal = Calendar::embedded();
        let mut events = vec![
            in_person("2025-03-03"),
            ClockEvent::FeeNoticeSent {
                on: d("2025-03-10"),
            },
        ];
        let open = compute(&cal, &events).unwrap();
        assert_eq!(open.due, None);
        assert!(matches!(open.awaiting, Some(Awaiting::Payment { .. })));
        events.push(ClockEvent::FeePaid {
            on: d("2025-03-14"),
        });
        let paid = compute(&cal, &events).unwrap();
        let plain = compute(&cal, &events[..1]).unwrap();
        // 03-11..14 are four working days not counted.
        assert_eq!(paid.due, cal.nth_working_day_after(plain.due.unwrap(), 4));
    }

    #[test]
    fn the_correction_period_runs_fifteen_working_days_from_the_day_after_the_notice() {
        let cal = Calendar::embedded();
        // Sent Mon 2025-03-03, deemed received Tue 03-04; 03-05 is day 1, 03-25 day 15.
        assert_eq!(correction_due(&cal, d("2025-03-03")), Some(d("2025-03-25")));
        // Over the 2024 National Day holiday (10-01..07 off; Sun 09-29 and Sat 10-12 make-up
        // days): sent Fri 09-27, received Sat 09-28; 09-29 (1), 09-30 (2), 10-08..11 (6),
        // 10-12 (7), 10-14..18 (12), 10-21..23 (15).
        assert_eq!(correction_due(&cal, d("2024-09-27")), Some(d("2024-10-23")));
    }

    #[test]
    fn a_correction_notice_without_the_corrected_application_stops_the_clock() {
        let cal = Calendar::embedded();
        let events = [
            in_person("2026-04-30"),
            ClockEvent::CorrectionNoticeSent {
                on: d("2026-05-15"),
            },
        ];
        let c = compute(&cal, &events).unwrap();
        assert_eq!(c.due, None);
        assert_eq!(c.correction_notice_due, d("2026-05-13"));
        assert!(matches!(c.notes[0], ClockNote::LateCorrectionNotice { .. }));
    }

    #[test]
    fn a_late_extension_is_not_applied_and_the_agency_date_wins() {
        let cal = Calendar::embedded();
        let late = [
            in_person("2025-09-15"),
            ClockEvent::ExtensionApproved {
                on: Some(d("2025-10-20")),
            },
        ];
        let c = compute(&cal, &late).unwrap();
        assert_eq!(c.extended_due, None);
        assert_eq!(c.due, Some(d("2025-10-17")));
        let set = [
            in_person("2025-09-15"),
            ClockEvent::AgencySetDate {
                due: d("2025-12-31"),
            },
        ];
        assert_eq!(compute(&cal, &set).unwrap().due, Some(d("2025-12-31")));
    }

    #[test]
    fn bad_event_lists_are_refused() {
        let cal = Calendar::embedded();
        assert_eq!(compute(&cal, &[]), Err(ClockError::NoReceipt));
        let early = [
            in_person("2025-09-15"),
            ClockEvent::Replied {
                on: d("2025-09-01"),
            },
        ];
        assert!(matches!(
            compute(&cal, &early),
            Err(ClockError::EventBeforeReceipt { .. })
        ));
    }
}
