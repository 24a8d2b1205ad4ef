//! The roles of the back office, re-exported as `auth::Role`. A leaf module (serde only), so
//! the audit log can name a role without importing the users and sessions that write to it.

use serde::Serialize;

/// A role of the back office. Each user holds exactly one, which is what keeps the three
/// administrators (三员: system, security, audit) apart, as 等保2.0 expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 信息员: drafts items of a department or township.
    Editor,
    /// 审核人: reviews items before publication (先审后发).
    Reviewer,
    /// 承办人: registers and answers applications.
    Handler,
    /// 负责人: approves extensions and replies.
    Head,
    /// 上级政务公开办: reads, checks and sums the reports of subordinate agencies.
    Superior,
    /// 系统管理员: configures the system; reads no personal data.
    SystemAdmin,
    /// 安全管理员: manages users and roles; handles no cases.
    SecurityAdmin,
    /// 审计管理员: reads the audit log, nothing else.
    AuditAdmin,
}

impl Role {
    /// Every role, in the order forms list them.
    pub const ALL: [Role; 8] = [
        Role::Editor,
        Role::Reviewer,
        Role::Handler,
        Role::Head,
        Role::Superior,
        Role::SystemAdmin,
        Role::SecurityAdmin,
        Role::AuditAdmin,
    ];

    /// The key stored in the database and taken by `--role`.
    pub fn key(self) -> &'static str {
        match self {
            Role::Editor => "editor",
            Role::Reviewer => "reviewer",
            Role::Handler => "handler",
            Role::Head => "head",
            Role::Superior => "superior",
            Role::SystemAdmin => "system_admin",
            Role::SecurityAdmin => "security_admin",
            Role::AuditAdmin => "audit_admin",
        }
    }

    /// The Chinese name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Role::Editor => "信息员",
            Role::Reviewer => "审核人",
            Role::Handler => "承办人",
            Role::Head => "负责人",
            Role::Superior => "上级政务公开办",
            Role::SystemAdmin => "系统管理员",
            Role::SecurityAdmin => "安全管理员",
            Role::AuditAdmin => "审计管理员",
        }
    }

    /// Reads a key (`security_admin`, also `security-admin`) or a Chinese label (安全管理员).
    pub fn parse(s: &str) -> Option<Role> {
        let s = s.trim();
        let key = s.replace('-', "_").to_ascii_lowercase();
        Role::ALL
            .into_iter()
            .find(|r| r.key() == key || r.label() == s)
    }

    /// Whether this is one of the three administrators (三员).
    pub fn is_administrator(self) -> bool {
        matches!(
            self,
            Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin
        )
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}
