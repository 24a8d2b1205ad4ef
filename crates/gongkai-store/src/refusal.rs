//! Why the store refused a change: the rule of the domain that the input, or the state of the
//! record, breaks.
//!
//! A refusal is an answer for the person who asked, not a fault: the web layer shows it beside
//! the form (naming the field when [`Refusal::field`] says which) with a status chosen by its
//! kind, and the command line prints it. Callers branch on the kind, never on the text.

/// A change the store would not make, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Refusal {
    /// The input breaks a rule (blank, too long, malformed, out of range, inconsistent);
    /// `field` names the input it concerns when it concerns one.
    #[error("{message}")]
    Invalid {
        /// The input concerned (the form field's name), if one.
        field: Option<&'static str>,
        /// What is wrong, in Chinese.
        message: String,
    },
    /// The thing is already on record: a filing number, an account, a case number, a word.
    #[error("{message}")]
    Duplicate {
        /// The input that repeats what is recorded, if one.
        field: Option<&'static str>,
        /// What is already recorded, in Chinese.
        message: String,
    },
    /// The record's state does not allow the change (a case already closed, an item not
    /// awaiting review, a letter changed meanwhile).
    #[error("{0}")]
    WrongState(String),
    /// 先审后发 takes two people: the author may not review their own draft.
    #[error("不能审核本人起草的信息")]
    SelfReview,
    /// The author may not repeal or withdraw their own item.
    #[error("不能由起草人本人废止或撤回信息")]
    SelfChange,
    /// The 保密审查 scan has findings nobody has resolved.
    #[error("{0}")]
    UnresolvedFindings(String),
    /// A file above the attachment limit.
    #[error("附件大小超过 10 MB 上限，请压缩或拆分后再上传。")]
    TooLarge,
    /// The account was closed (注销): it takes no further filing.
    #[error("{0}")]
    ClosedAccount(String),
}

impl Refusal {
    /// A broken rule that concerns no one input.
    pub fn invalid(message: impl Into<String>) -> Refusal {
        Refusal::Invalid {
            field: None,
            message: message.into(),
        }
    }

    /// A broken rule about one input, named as the form names it.
    pub fn field(field: &'static str, message: impl Into<String>) -> Refusal {
        Refusal::Invalid {
            field: Some(field),
            message: message.into(),
        }
    }

    /// Something already on record.
    pub fn duplicate(field: Option<&'static str>, message: impl Into<String>) -> Refusal {
        Refusal::Duplicate {
            field,
            message: message.into(),
        }
    }

    /// The input this refusal concerns, when it concerns one.
    pub fn concerns(&self) -> Option<&'static str> {
        match self {
            Refusal::Invalid { field, .. } | Refusal::Duplicate { field, .. } => *field,
            _ => None,
        }
    }
}
