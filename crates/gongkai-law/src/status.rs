//! Where an application stands (办理状态): the lifecycle the clock's events move it through.

use serde::{Deserialize, Serialize};

use crate::clock::ClockEvent;
use crate::key::UnknownKey;

/// The status of an application, as stored and as its lists filter it.
///
/// Each procedural notice sets its own status until the next event; the final reply sets
/// [`ApplicationStatus::Replied`], and the head's 办结 after it [`ApplicationStatus::Closed`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// 办理中: registered, nothing pending on anyone else.
    Registered,
    /// 待补正: a 补正 notice went out, the applicant has to correct the application.
    AwaitingCorrection,
    /// 征求意见中: a third party or another agency is consulted.
    InConsultation,
    /// 待缴费: a fee notice went out.
    AwaitingFee,
    /// 已延期: the extension was approved.
    Extended,
    /// 已答复: the final reply went out.
    Replied,
    /// 已办结: closed after the reply.
    Closed,
}

impl ApplicationStatus {
    /// Every status, in lifecycle order (the order the case list's filter offers them).
    pub const ALL: [ApplicationStatus; 7] = [
        ApplicationStatus::Registered,
        ApplicationStatus::AwaitingCorrection,
        ApplicationStatus::InConsultation,
        ApplicationStatus::AwaitingFee,
        ApplicationStatus::Extended,
        ApplicationStatus::Replied,
        ApplicationStatus::Closed,
    ];

    /// The stored key (and the API's `status`).
    pub fn key(self) -> &'static str {
        match self {
            ApplicationStatus::Registered => "registered",
            ApplicationStatus::AwaitingCorrection => "awaiting_correction",
            ApplicationStatus::InConsultation => "in_consultation",
            ApplicationStatus::AwaitingFee => "awaiting_fee",
            ApplicationStatus::Extended => "extended",
            ApplicationStatus::Replied => "replied",
            ApplicationStatus::Closed => "closed",
        }
    }

    /// The Chinese label of the back office and the 依申请公开台账 (待补正, 已延期 …).
    pub fn label(self) -> &'static str {
        match self {
            ApplicationStatus::Registered => "办理中",
            ApplicationStatus::AwaitingCorrection => "待补正",
            ApplicationStatus::InConsultation => "征求意见中",
            ApplicationStatus::AwaitingFee => "待缴费",
            ApplicationStatus::Extended => "已延期",
            ApplicationStatus::Replied => "已答复",
            ApplicationStatus::Closed => "已办结",
        }
    }

    /// The label the applicant reads (/track, the API's `status_label`): whose move it is, in
    /// full words (待申请人补正, 待缴纳信息处理费 …).
    pub fn public_label(self) -> &'static str {
        match self {
            ApplicationStatus::Registered => "已登记，正在办理",
            ApplicationStatus::AwaitingCorrection => "待申请人补正",
            ApplicationStatus::InConsultation => "征求意见中",
            ApplicationStatus::AwaitingFee => "待缴纳信息处理费",
            ApplicationStatus::Extended => "已延期答复",
            ApplicationStatus::Replied => "已答复",
            ApplicationStatus::Closed => "已办结",
        }
    }

    /// Reads a stored key.
    pub fn parse(s: &str) -> Option<ApplicationStatus> {
        let s = s.trim();
        ApplicationStatus::ALL.into_iter().find(|k| k.key() == s)
    }

    /// Whether the final reply went out (replied or closed since).
    pub fn is_concluded(self) -> bool {
        matches!(self, ApplicationStatus::Replied | ApplicationStatus::Closed)
    }

    /// Whether the final reply went out and the case is not closed yet (what 办结 closes).
    pub fn is_replied(self) -> bool {
        self == ApplicationStatus::Replied
    }

    /// Whether the case is closed (办结).
    pub fn is_closed(self) -> bool {
        self == ApplicationStatus::Closed
    }

    /// The status after an application's events, in the order recorded: each procedural
    /// notice sets its own, an answer, a payment or a pause returns to
    /// [`ApplicationStatus::Registered`] (or stays [`ApplicationStatus::Extended`] once
    /// extended), the reply sets [`ApplicationStatus::Replied`]. ([`ApplicationStatus::Closed`]
    /// is the head's act, never an event's.)
    pub fn after(events: &[ClockEvent]) -> ApplicationStatus {
        let mut status = ApplicationStatus::Registered;
        for e in events {
            status = match e {
                ClockEvent::CorrectionNoticeSent { .. } => ApplicationStatus::AwaitingCorrection,
                ClockEvent::ConsultationSent { .. } => ApplicationStatus::InConsultation,
                ClockEvent::FeeNoticeSent { .. } => ApplicationStatus::AwaitingFee,
                ClockEvent::ExtensionApproved { .. } => ApplicationStatus::Extended,
                ClockEvent::Replied { .. } => ApplicationStatus::Replied,
                ClockEvent::Received { .. }
                | ClockEvent::CorrectedApplicationReceived { .. }
                | ClockEvent::ConsultationAnswered { .. }
                | ClockEvent::FeePaid { .. }
                | ClockEvent::Paused { .. }
                | ClockEvent::AgencySetDate { .. } => {
                    if status == ApplicationStatus::Extended {
                        ApplicationStatus::Extended
                    } else {
                        ApplicationStatus::Registered
                    }
                }
            };
        }
        status
    }
}

impl TryFrom<String> for ApplicationStatus {
    type Error = UnknownKey;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        ApplicationStatus::parse(&s).ok_or_else(|| UnknownKey::new("申请状态", s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn keys_read_back_and_serde_agrees() {
        for s in ApplicationStatus::ALL {
            assert_eq!(ApplicationStatus::try_from(s.key().to_string()), Ok(s));
            assert_eq!(
                serde_json::to_value(s).ok(),
                Some(serde_json::Value::from(s.key()))
            );
        }
        assert_eq!(
            ApplicationStatus::try_from("pending".to_string()),
            Err(UnknownKey::new("申请状态", "pending"))
        );
    }

    #[test]
    fn events_move_the_status() {
        let d = |n| NaiveDate::from_ymd_opt(2024, 3, n).unwrap_or_default();
        let received = ClockEvent::Received {
            channel: crate::Channel::InPerson,
            arrived: d(1),
            confirmed: None,
        };
        assert_eq!(
            ApplicationStatus::after(std::slice::from_ref(&received)),
            ApplicationStatus::Registered
        );
        let extended = [
            received.clone(),
            ClockEvent::ExtensionApproved { on: Some(d(5)) },
            ClockEvent::FeePaid { on: d(6) },
        ];
        assert_eq!(
            ApplicationStatus::after(&extended),
            ApplicationStatus::Extended
        );
        let corrected = [
            received.clone(),
            ClockEvent::CorrectionNoticeSent { on: d(2) },
        ];
        assert_eq!(
            ApplicationStatus::after(&corrected),
            ApplicationStatus::AwaitingCorrection
        );
        let replied = [received, ClockEvent::Replied { on: d(9) }];
        assert_eq!(
            ApplicationStatus::after(&replied),
            ApplicationStatus::Replied
        );
    }
}
