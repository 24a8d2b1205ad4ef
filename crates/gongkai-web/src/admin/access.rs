//! Who may do what in the back office: the one place where access is decided.
//!
//! Two questions, both asked by [`require`], which every admin handler calls before it does
//! anything:
//! 1. may this role perform this action at all? ([`allowed`], a plain table of actions × roles);
//! 2. does the record belong to the user's agency subtree? ([`in_scope`]).
//!
//! The table keeps the three administrators (三员) apart, as 等保2.0 expects: the security
//! admin manages users but handles no cases; the audit admin only reads the audit log; the
//! system admin configures the system but reads no personal data. No business role holds any
//! of their powers, and each user holds exactly one role (the store enforces that).
//!
//! Accounts of the three administrators are made and repaired only from the command line
//! (`gongkai user add`), by whoever runs the server: a security admin in the browser manages
//! the business roles of its subtree, so it cannot hand itself (or anyone) the auditor's or
//! the system admin's powers.
//!
//! A refusal answers 403 and leaves an `access.denied` entry in the audit log.

use axum::http::StatusCode;
use gongkai_store::StoreError;
use gongkai_store::audit;
use gongkai_store::auth::{Role, User};
use gongkai_store::models::agency;

use crate::{AppState, PageError};

/// Something a back-office user can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See the dashboard of one's role.
    ViewDashboard,
    /// Change one's own password.
    ChangeOwnPassword,
    /// Draft an item (信息员).
    DraftItem,
    /// Review an item before publication: 保密审查 (审核人).
    ReviewItem,
    /// Publish a reviewed item (审核人: 先审后发).
    PublishItem,
    /// 废止 a published item: it stays public marked 已废止 (审核人 or 负责人).
    RepealItem,
    /// 撤回 a published item from the portal (审核人 or 负责人).
    WithdrawItem,
    /// Edit the sensitive-word list of the 保密审查 scan (审核人).
    ManageWords,
    /// Register an application, also by post, in person or by phone (承办人).
    RegisterApplication,
    /// Read applications with the applicant's personal data.
    ReadApplications,
    /// Draft and send the reply to an application (承办人).
    Reply,
    /// Approve a reply (负责人).
    ApproveReply,
    /// Approve an extension of the time limit (负责人).
    ApproveExtension,
    /// Read, check and sum the reports of subordinate agencies (上级政务公开办).
    CheckSubordinateReports,
    /// Edit the annual report's prose and save its draft (承办人, 负责人).
    EditReport,
    /// Publish the annual report (负责人).
    PublishReport,
    /// Add users, disable them, reset passwords (安全管理员).
    ManageUsers,
    /// Issue and revoke the API tokens of the report checker's callers (安全管理员: who may
    /// call is an access decision, like an account).
    ManageApiTokens,
    /// Read the audit log and check its hash chain (审计管理员).
    ReadAuditLog,
    /// Change the system's settings (系统管理员).
    SystemSettings,
    /// Add the sites of a 集约化 platform and their host names (系统管理员, within the
    /// agencies of their subtree).
    ManageSites,
    /// See the supervision page: trainings, inspections, 责任追究, the quarterly assessment.
    ViewSupervision,
    /// Record a training session or an inspection (审核人, 负责人).
    RecordSupervision,
    /// Record an accountability case (负责人).
    RecordAccountability,
    /// Confirm a quarter's 通报表扬 (负责人).
    ConfirmCommendation,
    /// Keep the 政务新媒体 registry and see to the standard catalogue (信息员, 审核人).
    ManageRegistry,
    /// Read the letters of the 县长信箱 with the writer's contact (masked on screen).
    ReadMailbox,
    /// Reply to a letter (承办人, who drafts every reply of the office).
    ReplyMailbox,
    /// Publish a replied letter on the portal (负责人 or 审核人: publishing is the same 先审后发
    /// step as for any item, so the reviewer may do it; the handler who wrote the reply may
    /// not publish it alone).
    PublishMailbox,
    /// Enter 复议/诉讼 cases and their results (承办人, 负责人: the office that answers them).
    RecordAppeal,
    /// See the 网上巡查 runs of the portal and their findings (审核人, 负责人, 上级政务公开办).
    ViewSiteInspections,
    /// Read and download the 政府网站工作年度报表 (国办函〔2018〕12号) before it is published
    /// (系统管理员, who keeps the site's settings the header comes from; 负责人, who answers for
    /// the site; 上级政务公开办, who collects the reports of its subordinate sites).
    ViewSiteReport,
    /// Read the exceptions reviewers recorded in the 保密审查 gate (负责人, who answers for what
    /// the agency publishes, and 审核人, who record them).
    ViewReviewExceptions,
    /// Open an applicant's masked personal data in clear, with a reason, audited (承办人,
    /// 负责人 of the owning agency only: see [`require_owning_agency`]).
    RevealContact,
}

/// The table: each action and the roles that may perform it. Nothing is allowed that is not
/// listed here.
const TABLE: &[(Action, &[Role])] = &[
    (Action::ViewDashboard, &Role::ALL),
    (Action::ChangeOwnPassword, &Role::ALL),
    (Action::DraftItem, &[Role::Editor]),
    (Action::ReviewItem, &[Role::Reviewer]),
    (Action::PublishItem, &[Role::Reviewer]),
    // A published item leaves the portal or loses force only by someone who did not draft it:
    // the reviewer who owns the gate, or the head who answers for the agency's publications.
    (Action::RepealItem, &[Role::Reviewer, Role::Head]),
    (Action::WithdrawItem, &[Role::Reviewer, Role::Head]),
    // The word list decides what the gate blocks, so it belongs to the 保密审查 (the
    // reviewer's duty), not to the system admin: 三员 keeps the administrators out of business
    // decisions, and a system admin who could edit the list could open or close the gate.
    (Action::ManageWords, &[Role::Reviewer]),
    (Action::RegisterApplication, &[Role::Handler]),
    (Action::ReadApplications, &[Role::Handler, Role::Head]),
    (Action::Reply, &[Role::Handler]),
    (Action::ApproveReply, &[Role::Head]),
    (Action::ApproveExtension, &[Role::Head]),
    (Action::CheckSubordinateReports, &[Role::Superior]),
    // The report restates the applications the handler answers; the head answers for what
    // the agency publishes, so only the head publishes it.
    (Action::EditReport, &[Role::Handler, Role::Head]),
    (Action::PublishReport, &[Role::Head]),
    (Action::ManageUsers, &[Role::SecurityAdmin]),
    (Action::ManageApiTokens, &[Role::SecurityAdmin]),
    (Action::ReadAuditLog, &[Role::AuditAdmin]),
    (Action::SystemSettings, &[Role::SystemAdmin]),
    (Action::ManageSites, &[Role::SystemAdmin]),
    (
        Action::ViewSupervision,
        &[Role::Reviewer, Role::Head, Role::Superior],
    ),
    (Action::RecordSupervision, &[Role::Reviewer, Role::Head]),
    (Action::RecordAccountability, &[Role::Head]),
    (Action::ConfirmCommendation, &[Role::Head]),
    (Action::ManageRegistry, &[Role::Editor, Role::Reviewer]),
    // The inspection judges the whole site: those who answer for what it publishes (审核人,
    // 负责人) and the superior office that inspects it read the runs.
    (
        Action::ViewSiteInspections,
        &[Role::Reviewer, Role::Head, Role::Superior],
    ),
    (
        Action::ReadMailbox,
        &[Role::Handler, Role::Head, Role::Reviewer],
    ),
    (Action::ReplyMailbox, &[Role::Handler]),
    (Action::PublishMailbox, &[Role::Head, Role::Reviewer]),
    (Action::RecordAppeal, &[Role::Handler, Role::Head]),
    (Action::ViewReviewExceptions, &[Role::Head, Role::Reviewer]),
    // The report holds counts only (no personal data): the system admin may read it.
    (
        Action::ViewSiteReport,
        &[Role::SystemAdmin, Role::Head, Role::Superior],
    ),
    (Action::RevealContact, &[Role::Handler, Role::Head]),
];

impl Action {
    /// Every action, in the order the dashboard lists them.
    pub const ALL: [Action; 34] = [
        Action::ViewDashboard,
        Action::ChangeOwnPassword,
        Action::DraftItem,
        Action::ReviewItem,
        Action::PublishItem,
        Action::RepealItem,
        Action::WithdrawItem,
        Action::ManageWords,
        Action::RegisterApplication,
        Action::ReadApplications,
        Action::Reply,
        Action::ApproveReply,
        Action::ApproveExtension,
        Action::CheckSubordinateReports,
        Action::EditReport,
        Action::PublishReport,
        Action::ManageUsers,
        Action::ManageApiTokens,
        Action::ReadAuditLog,
        Action::SystemSettings,
        Action::ManageSites,
        Action::ViewSupervision,
        Action::RecordSupervision,
        Action::RecordAccountability,
        Action::ConfirmCommendation,
        Action::ManageRegistry,
        Action::ReadMailbox,
        Action::ReplyMailbox,
        Action::PublishMailbox,
        Action::RecordAppeal,
        Action::ViewSiteInspections,
        Action::ViewSiteReport,
        Action::ViewReviewExceptions,
        Action::RevealContact,
    ];

    /// A stable key, for the audit log.
    pub fn key(self) -> &'static str {
        match self {
            Action::ViewDashboard => "view_dashboard",
            Action::ChangeOwnPassword => "change_own_password",
            Action::DraftItem => "draft_item",
            Action::ReviewItem => "review_item",
            Action::PublishItem => "publish_item",
            Action::RepealItem => "repeal_item",
            Action::WithdrawItem => "withdraw_item",
            Action::ManageWords => "manage_words",
            Action::RegisterApplication => "register_application",
            Action::ReadApplications => "read_applications",
            Action::Reply => "reply",
            Action::ApproveReply => "approve_reply",
            Action::ApproveExtension => "approve_extension",
            Action::CheckSubordinateReports => "check_subordinate_reports",
            Action::EditReport => "edit_report",
            Action::PublishReport => "publish_report",
            Action::ManageUsers => "manage_users",
            Action::ManageApiTokens => "manage_api_tokens",
            Action::ReadAuditLog => "read_audit_log",
            Action::SystemSettings => "system_settings",
            Action::ManageSites => "manage_sites",
            Action::ViewSupervision => "view_supervision",
            Action::RecordSupervision => "record_supervision",
            Action::RecordAccountability => "record_accountability",
            Action::ConfirmCommendation => "confirm_commendation",
            Action::ManageRegistry => "manage_registry",
            Action::ViewSiteInspections => "view_site_inspections",
            Action::ViewSiteReport => "view_site_report",
            Action::ReadMailbox => "read_mailbox",
            Action::ReplyMailbox => "reply_mailbox",
            Action::PublishMailbox => "publish_mailbox",
            Action::RecordAppeal => "record_appeal",
            Action::ViewReviewExceptions => "view_review_exceptions",
            Action::RevealContact => "reveal_contact",
        }
    }

    /// The Chinese name shown on the dashboard.
    pub fn label(self) -> &'static str {
        match self {
            Action::ViewDashboard => "工作台",
            Action::ChangeOwnPassword => "修改密码",
            Action::DraftItem => "信息起草",
            Action::ReviewItem => "保密审查",
            Action::PublishItem => "审核发布",
            Action::RepealItem => "信息废止",
            Action::WithdrawItem => "信息撤回",
            Action::ManageWords => "敏感词表",
            Action::RegisterApplication => "申请登记",
            Action::ReadApplications => "申请查阅",
            Action::Reply => "答复办理",
            Action::ApproveReply => "答复审批",
            Action::ApproveExtension => "延期审批",
            Action::CheckSubordinateReports => "下级年报审查",
            Action::EditReport => "年报编辑",
            Action::PublishReport => "年报发布",
            Action::ManageUsers => "用户管理",
            Action::ManageApiTokens => "接口令牌",
            Action::ReadAuditLog => "审计日志",
            Action::SystemSettings => "系统设置",
            Action::ManageSites => "网站管理",
            Action::ViewSupervision => "监督考核",
            Action::RecordSupervision => "培训检查登记",
            Action::RecordAccountability => "责任追究登记",
            Action::ConfirmCommendation => "确认通报表扬",
            Action::ManageRegistry => "新媒体与标准目录",
            Action::ViewSiteInspections => "网站巡查",
            Action::ViewSiteReport => "网站年度报表",
            Action::ReadMailbox => "县长信箱",
            Action::ReplyMailbox => "来信答复",
            Action::PublishMailbox => "来信公开",
            Action::RecordAppeal => "复议诉讼",
            Action::ViewReviewExceptions => "保密审查例外",
            Action::RevealContact => "查看完整信息",
        }
    }

    /// The page of the back office where this is done. Every action has one, so the dashboard
    /// never lists a function without its page (the test `every_action_has_a_routed_page`
    /// checks each path is routed).
    pub fn path(self) -> &'static str {
        match self {
            Action::ViewDashboard => "/admin",
            Action::ChangeOwnPassword => "/admin/password",
            Action::ManageUsers => "/admin/users",
            Action::ManageApiTokens => "/admin/api-tokens",
            Action::ReadAuditLog => "/admin/audit",
            Action::ReadApplications
            | Action::Reply
            | Action::ApproveReply
            | Action::ApproveExtension
            | Action::RevealContact => "/admin/cases",
            Action::DraftItem
            | Action::ReviewItem
            | Action::PublishItem
            | Action::RepealItem
            | Action::WithdrawItem => "/admin/publish",
            Action::ManageWords => "/admin/words",
            Action::RegisterApplication => "/admin/cases/new",
            Action::ViewSupervision
            | Action::RecordSupervision
            | Action::RecordAccountability
            | Action::ConfirmCommendation => "/admin/supervision",
            Action::EditReport | Action::PublishReport => "/admin/report",
            Action::ManageRegistry => "/admin/registry",
            Action::ViewSiteInspections => "/admin/site-inspections",
            Action::ViewSiteReport => "/admin/site-report",
            Action::ReadMailbox | Action::ReplyMailbox | Action::PublishMailbox => "/admin/mailbox",
            Action::RecordAppeal => "/admin/appeals",
            Action::ViewReviewExceptions => "/admin/publish/exceptions",
            Action::CheckSubordinateReports => "/admin/oversight",
            Action::SystemSettings => "/admin/site-settings",
            Action::ManageSites => "/admin/sites",
        }
    }
}

/// Whether `role` may perform `action` at all (before any scope check).
pub fn allowed(role: Role, action: Action) -> bool {
    TABLE
        .iter()
        .any(|(a, roles)| *a == action && roles.contains(&role))
}

/// What an action touches, for the scope check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// Nothing of one agency (the dashboard, one's own password, the audit log, which holds no
    /// personal data).
    Unscoped,
    /// A record of this agency; `None` is a record of the whole tree (such as a user without
    /// an agency), which only unscoped users reach.
    Agency(Option<i64>),
}

/// Whether `agency` lies in `user`'s subtree. A user without an agency sees the whole tree.
pub async fn in_scope(
    state: &AppState,
    user: &User,
    agency: Option<i64>,
) -> Result<bool, StoreError> {
    match (user.agency_id, agency) {
        (None, _) => Ok(true),
        (Some(_), None) => Ok(false),
        (Some(root), Some(a)) => Ok(agency::subtree_ids(&state.store, root).await?.contains(&a)),
    }
}

/// Whether `actor` may give an account the role `role`: only the security admin may, and
/// only the business roles (the three administrators are made from the command line).
pub fn may_assign(actor: &User, role: Role) -> bool {
    allowed(actor.role, Action::ManageUsers) && !role.is_administrator()
}

/// The check every admin handler makes first: the role may perform `action` and `target` lies
/// in the user's subtree; otherwise a 403 page, and the refusal is audited.
pub async fn require(
    state: &AppState,
    user: &User,
    action: Action,
    target: Target,
) -> Result<(), PageError> {
    let ok = allowed(user.role, action)
        && match target {
            Target::Unscoped => true,
            Target::Agency(a) => in_scope(state, user, a).await?,
        };
    if ok {
        Ok(())
    } else {
        Err(deny(state, user, action.key(), None).await)
    }
}

/// The role check of [`super::extract`]: the role holds at least one of `actions` (each
/// handler then asks for the one it performs, with the record's scope); otherwise 403, audited
/// under the first action.
pub async fn require_any(
    state: &AppState,
    user: &User,
    actions: &[Action],
) -> Result<(), PageError> {
    if actions.iter().any(|a| allowed(user.role, *a)) {
        Ok(())
    } else {
        let key = actions.first().map_or("", |a| a.key());
        Err(deny(state, user, key, None).await)
    }
}

/// The check for actions on a record that only its own agency may take, not a superior one
/// looking down its subtree (opening an applicant's personal data): the role may perform
/// `action` and the user belongs to exactly `agency_id`; otherwise 403, audited.
pub async fn require_owning_agency(
    state: &AppState,
    user: &User,
    action: Action,
    agency_id: i64,
) -> Result<(), PageError> {
    if allowed(user.role, action) && user.agency_id == Some(agency_id) {
        Ok(())
    } else {
        Err(deny(state, user, action.key(), None).await)
    }
}

/// The check before an administrator changes another account (disable, enable, reset the
/// password): [`Action::ManageUsers`] in scope of the target's agency, never one's own
/// account (that is [`Action::ChangeOwnPassword`]), never one of the three administrators.
pub async fn require_manage_user(
    state: &AppState,
    actor: &User,
    target: &User,
) -> Result<(), PageError> {
    require(
        state,
        actor,
        Action::ManageUsers,
        Target::Agency(target.agency_id),
    )
    .await?;
    if target.id == actor.id || target.role.is_administrator() {
        return Err(deny(state, actor, Action::ManageUsers.key(), Some(target)).await);
    }
    Ok(())
}

/// The check before an administrator creates an account: may assign that role, and the
/// agency is in scope.
pub async fn require_create_user(
    state: &AppState,
    actor: &User,
    role: Role,
    agency: Option<i64>,
) -> Result<(), PageError> {
    require(state, actor, Action::ManageUsers, Target::Agency(agency)).await?;
    if !may_assign(actor, role) {
        return Err(deny(state, actor, Action::ManageUsers.key(), None).await);
    }
    Ok(())
}

/// Records the refusal and builds the 403 answer. If the audit write fails, the refusal
/// still stands (a failing log must not open a door); the failure goes to the log.
async fn deny(state: &AppState, user: &User, action: &str, target: Option<&User>) -> PageError {
    tracing::warn!(user = %user.name, action, "access denied");
    let detail = serde_json::json!({
        "action": action,
        "role": user.role.key(),
        "target_user": target.map(|t| t.id.0),
    })
    .to_string();
    if let Err(e) = audit::record(
        &state.store,
        &user.name,
        "access.denied",
        "user",
        &user.id.to_string(),
        &detail,
    )
    .await
    {
        tracing::error!("audit of a refusal failed: {e}");
    }
    forbidden()
}

/// The 403 page.
pub fn forbidden() -> PageError {
    PageError {
        status: StatusCode::FORBIDDEN,
        message: "您没有权限访问此页面或执行此操作。".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table as the domain states it, written out independently of [`TABLE`]: a change
    /// of either has to be made on purpose in both.
    fn expected(role: Role, action: Action) -> bool {
        use Action::*;
        use Role::*;
        match action {
            ViewDashboard | ChangeOwnPassword => true,
            DraftItem => role == Editor,
            ReviewItem | PublishItem | ManageWords => role == Reviewer,
            RepealItem | WithdrawItem => matches!(role, Reviewer | Head),
            RegisterApplication | Reply => role == Handler,
            ReadApplications => matches!(role, Handler | Head),
            ApproveReply | ApproveExtension => role == Head,
            CheckSubordinateReports => role == Superior,
            EditReport => matches!(role, Handler | Head),
            PublishReport => role == Head,
            ManageUsers | ManageApiTokens => role == SecurityAdmin,
            ReadAuditLog => role == AuditAdmin,
            SystemSettings | ManageSites => role == SystemAdmin,
            ViewSupervision => matches!(role, Reviewer | Head | Superior),
            RecordSupervision => matches!(role, Reviewer | Head),
            RecordAccountability | ConfirmCommendation => role == Head,
            ManageRegistry => matches!(role, Editor | Reviewer),
            ViewSiteInspections => matches!(role, Reviewer | Head | Superior),
            ViewSiteReport => matches!(role, SystemAdmin | Head | Superior),
            ReadMailbox => matches!(role, Handler | Head | Reviewer),
            ReplyMailbox => role == Handler,
            PublishMailbox => matches!(role, Head | Reviewer),
            RecordAppeal => matches!(role, Handler | Head),
            ViewReviewExceptions => matches!(role, Head | Reviewer),
            RevealContact => matches!(role, Handler | Head),
        }
    }

    #[test]
    fn table_matches_the_domain_for_every_role_and_action() {
        for role in Role::ALL {
            for action in Action::ALL {
                assert_eq!(
                    allowed(role, action),
                    expected(role, action),
                    "{role:?} × {action:?}"
                );
            }
        }
    }

    #[test]
    fn the_three_administrators_are_apart() {
        let admin_actions = [
            Action::ManageUsers,
            Action::ReadAuditLog,
            Action::SystemSettings,
        ];
        for role in Role::ALL {
            let held: Vec<_> = admin_actions
                .iter()
                .filter(|a| allowed(role, **a))
                .collect();
            assert!(held.len() <= 1, "{role:?} holds {held:?}");
        }
        // The security admin handles no cases and reads no log.
        for a in [
            Action::DraftItem,
            Action::ReviewItem,
            Action::PublishItem,
            Action::RepealItem,
            Action::WithdrawItem,
            Action::ManageWords,
            Action::RegisterApplication,
            Action::ReadApplications,
            Action::Reply,
            Action::ApproveReply,
            Action::ApproveExtension,
            Action::ReadAuditLog,
            Action::SystemSettings,
            Action::ReadMailbox,
            Action::ReplyMailbox,
            Action::PublishMailbox,
            Action::RecordAppeal,
        ] {
            assert!(!allowed(Role::SecurityAdmin, a), "{a:?}");
        }
        // The audit admin reads the log and nothing else.
        for a in Action::ALL {
            let own = matches!(
                a,
                Action::ReadAuditLog | Action::ViewDashboard | Action::ChangeOwnPassword
            );
            assert_eq!(allowed(Role::AuditAdmin, a), own, "{a:?}");
        }
        // The system admin reads no personal data and does not shape the 保密审查 gate.
        assert!(!allowed(Role::SystemAdmin, Action::ReadApplications));
        assert!(!allowed(Role::SystemAdmin, Action::ManageWords));
        // Every action is in the table once.
        for a in Action::ALL {
            assert_eq!(TABLE.iter().filter(|(x, _)| *x == a).count(), 1, "{a:?}");
        }
    }
}
