//! Reading a closed vocabulary back from its stored key.

/// A key that names no value of a closed vocabulary: what reading an enum back from the
/// database, a form or a file refuses (`TryFrom<String>` of [`crate::ApplicantKind`],
/// [`crate::Channel`], [`crate::Outcome`], [`crate::ApplicationStatus`] …).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知的{what}「{key}」 / unknown {what} key")]
pub struct UnknownKey {
    /// What the key should have named (申请状态, 申请方式 …).
    pub what: &'static str,
    /// The key as read.
    pub key: String,
}

impl UnknownKey {
    /// The refusal of `key` as a `what`.
    pub fn new(what: &'static str, key: impl Into<String>) -> UnknownKey {
        UnknownKey {
            what,
            key: key.into(),
        }
    }
}
