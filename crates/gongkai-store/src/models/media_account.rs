//! 政务新媒体: the registry of accounts (platform, name, id, owner, operator, 备案 dates, last
//! update). An account silent for 2 weeks is a 僵尸号.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// The kinds of platform the 网站工作年度报表 counts apart (its 微博 and 微信 lines, and
/// 其他 for every other platform), read from the platform's name as registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlatformKind {
    /// 微博 (新浪微博, 人民微博 …).
    Weibo,
    /// 微信 (公众号, 视频号 …).
    Weixin,
    /// Any other platform (移动客户端, 抖音, 今日头条 …).
    Other,
}

impl PlatformKind {
    /// The kind of a platform by its registered name.
    pub fn of(platform: &str) -> PlatformKind {
        if platform.contains("微博") {
            PlatformKind::Weibo
        } else if platform.contains("微信") {
            PlatformKind::Weixin
        } else {
            PlatformKind::Other
        }
    }
}

/// Where a registered account stands (运行状态).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// 正常运行: open and publishing.
    Open,
    /// 已关停: stopped publishing, still exists.
    Suspended,
    /// 已注销: gone.
    Closed,
}

impl AccountStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [AccountStatus; 3] = [
        AccountStatus::Open,
        AccountStatus::Suspended,
        AccountStatus::Closed,
    ];

    /// The stored key.
    pub fn key(self) -> &'static str {
        match self {
            AccountStatus::Open => "open",
            AccountStatus::Suspended => "suspended",
            AccountStatus::Closed => "closed",
        }
    }

    /// The Chinese label of the back office's registry (正常运行 …).
    pub fn label(self) -> &'static str {
        match self {
            AccountStatus::Open => "正常运行",
            AccountStatus::Suspended => "已关停",
            AccountStatus::Closed => "已注销",
        }
    }

    /// The label of the public registry (/xxgk/media), shorter for an open account (正常).
    pub fn public_label(self) -> &'static str {
        match self {
            AccountStatus::Open => "正常",
            AccountStatus::Suspended | AccountStatus::Closed => self.label(),
        }
    }

    /// Reads a stored key.
    pub fn parse(s: &str) -> Option<AccountStatus> {
        let s = s.trim();
        AccountStatus::ALL.into_iter().find(|k| k.key() == s)
    }

    /// Whether the account is open (not suspended or closed).
    pub fn is_open(self) -> bool {
        self == AccountStatus::Open
    }
}

impl TryFrom<String> for AccountStatus {
    type Error = gongkai_law::UnknownKey;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        AccountStatus::parse(&s).ok_or_else(|| gongkai_law::UnknownKey::new("账号状态", s))
    }
}

/// A registered account.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct MediaAccount {
    /// Database id.
    pub id: i64,
    /// Owner agency.
    pub agency_id: i64,
    /// 微博, 微信公众号, 移动客户端, 抖音 …
    pub platform: String,
    /// Account name.
    pub name: String,
    /// Platform's account id (unique per platform).
    pub account_id: String,
    /// Operator.
    pub operator: String,
    /// Where it stands.
    #[sqlx(try_from = "String")]
    pub status: AccountStatus,
    /// 开设备案 date.
    pub opened_on: NaiveDate,
    /// Last 变更 date.
    pub changed_on: Option<NaiveDate>,
    /// 暂停 date.
    pub suspended_on: Option<NaiveDate>,
    /// 关闭 date.
    pub closed_on: Option<NaiveDate>,
    /// Date of the last post.
    pub last_update_on: Option<NaiveDate>,
}

/// Registers an account (备案 of its opening).
#[allow(clippy::too_many_arguments)]
pub async fn register(
    store: &Store,
    actor: &str,
    agency_id: i64,
    platform: &str,
    name: &str,
    account_id: &str,
    operator: &str,
    opened_on: NaiveDate,
) -> Result<i64, StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO media_accounts (agency_id, platform, name, account_id, operator, status, opened_on, last_update_on) \
             VALUES ($1, $2, $3, $4, $5, 'open', $6, $6) RETURNING id",
        )
        .bind(agency_id)
        .bind(platform)
        .bind(name)
        .bind(account_id)
        .bind(operator)
        .bind(opened_on)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        audit_append!(tx, actor, "media_account.register", "media_account", &id.to_string(), &serde_json::json!({"platform": platform, "name": name}).to_string());
        tx.commit().await?;
        Ok(id)
    })
}

/// Records a post (moves the last-update date forward).
pub async fn touch(store: &Store, actor: &str, id: i64, on: NaiveDate) -> Result<(), StoreError> {
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query("UPDATE media_accounts SET last_update_on = $1 WHERE id = $2 AND (last_update_on IS NULL OR last_update_on < $1)")
            .bind(on)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit_append!(tx, actor, "media_account.touch", "media_account", &id.to_string(), &serde_json::json!({"on": on}).to_string());
        tx.commit().await?;
    });
    Ok(())
}

/// Accounts of an agency's subtree.
pub async fn list(store: &Store, agency_id: i64) -> Result<Vec<MediaAccount>, StoreError> {
    let sql = format!(
        "{} SELECT id, agency_id, platform, name, account_id, operator, status, opened_on, changed_on, \
         suspended_on, closed_on, last_update_on FROM media_accounts WHERE agency_id IN (SELECT id FROM sub) ORDER BY id",
        crate::models::agency::SUBTREE
    );
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, MediaAccount>(sqlx::AssertSqlSafe(sql)).bind(agency_id).fetch_all(pool).await?)
    })
}

/// An account to register together with the 备案 of its opening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount<'a> {
    /// Owner agency.
    pub agency_id: i64,
    /// 微博, 微信公众号, 移动客户端, 抖音 …
    pub platform: &'a str,
    /// Account name.
    pub name: &'a str,
    /// Platform's account id.
    pub account_id: &'a str,
    /// Operator.
    pub operator: &'a str,
    /// 开设备案 date.
    pub opened_on: NaiveDate,
    /// 开设备案 number.
    pub filing_no: &'a str,
}

/// Registers an account and files its 开设 备案 (date and number) in one transaction, so no
/// account exists without its filing. Blank platform, name, account id or filing number, and
/// an account id already registered on the platform, are refused.
pub async fn register_filed(
    store: &Store,
    actor: &str,
    new: &NewAccount<'_>,
) -> Result<i64, StoreError> {
    for (value, what) in [
        (new.platform, "平台"),
        (new.name, "账号名称"),
        (new.account_id, "账号"),
        (new.filing_no, "备案编号"),
    ] {
        if value.trim().is_empty() {
            return Err(StoreError::invalid(format!("{what}不能为空")));
        }
    }
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let taken = sqlx::query("SELECT id FROM media_accounts WHERE platform = $1 AND account_id = $2")
            .bind(new.platform.trim())
            .bind(new.account_id.trim())
            .fetch_optional(&mut *tx)
            .await?
            .is_some();
        if taken {
            return Err(StoreError::Refused(crate::Refusal::duplicate(
                Some("account_id"),
                format!("该平台已登记账号「{}」", new.account_id.trim()),
            )));
        }
        let id: i64 = sqlx::query(
            "INSERT INTO media_accounts (agency_id, platform, name, account_id, operator, status, opened_on, last_update_on) \
             VALUES ($1, $2, $3, $4, $5, 'open', $6, $6) RETURNING id",
        )
        .bind(new.agency_id)
        .bind(new.platform.trim())
        .bind(new.name.trim())
        .bind(new.account_id.trim())
        .bind(new.operator.trim())
        .bind(new.opened_on)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        sqlx::query(
            "INSERT INTO media_account_events (account_id, kind, filed_on, filing_no, note) VALUES ($1, 'open', $2, $3, '')",
        )
        .bind(id)
        .bind(new.opened_on)
        .bind(new.filing_no.trim())
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({
            "platform": new.platform.trim(),
            "name": new.name.trim(),
            "filed_on": new.opened_on,
            "filing_no": new.filing_no.trim(),
        })
        .to_string();
        audit_append!(tx, actor, "media_account.register", "media_account", &id.to_string(), &detail);
        tx.commit().await?;
        Ok(id)
    })
}
