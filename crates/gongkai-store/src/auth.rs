//! Users of the back office, their roles, passwords and sessions.
//!
//! Filled in by the back-office security work (issue 6); this first version only names the
//! roles so that the module's place in the crate is fixed early.

use serde::Serialize;

/// A role of the back office. The three administrators (三员) are separate roles, as 等保2.0
/// expects: none of them handles cases, and no one holds two of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 信息员: drafts items.
    Editor,
    /// 审核人: reviews items before publication.
    Reviewer,
    /// 承办人: registers and answers applications.
    Handler,
    /// 负责人: approves extensions and replies.
    Head,
    /// 上级政务公开办: reads and checks subordinates' reports.
    Superior,
    /// 系统管理员: configures the system.
    SystemAdmin,
    /// 安全管理员: manages users and roles.
    SecurityAdmin,
    /// 审计管理员: reads the audit log.
    AuditAdmin,
}
