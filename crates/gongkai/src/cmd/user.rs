//! `gongkai user`: accounts of the back office from the command line. This is how the first
//! accounts are made, and the only way to make or repair the accounts of the three
//! administrators (系统管理员, 安全管理员, 审计管理员), which the browser's user management
//! does not touch.
//!
//! Passwords are never taken as arguments (they would sit in the shell history and in `ps`):
//! from a terminal they are prompted twice without echo; otherwise the first line of standard
//! input is the password, for scripts (`printf '%s\n' "$PW" | gongkai user add …`).

use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::Utc;
use gongkai_store::auth::{self, AuthError, NewUser, Role};
use gongkai_store::models::agency;
use gongkai_store::{Store, StoreError};

use super::{Global, db};

/// Subcommands of `gongkai user`.
#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Add a user of the back office (添加后台用户). The password is prompted, or read from
    /// standard input when it is not a terminal.
    Add {
        /// Sign-in name (2–64 characters, no spaces).
        name: String,
        /// Role: editor 信息员, reviewer 审核人, handler 承办人, head 负责人, superior
        /// 上级政务公开办, system_admin 系统管理员, security_admin 安全管理员, audit_admin
        /// 审计管理员 (the key or the Chinese name).
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// The agency (id or name) whose subtree the user works in; without it, the whole tree.
        #[arg(long)]
        agency: Option<String>,
        /// Database: sqlite://PATH or postgres://… (default: sqlite://<data-dir>/gongkai.db).
        #[arg(long, env = "GONGKAI_DB")]
        db: Option<String>,
    },
    /// Set a new password for a user and lift a lock (重置密码); its sessions end.
    Passwd {
        /// Sign-in name.
        name: String,
        /// Database: sqlite://PATH or postgres://….
        #[arg(long, env = "GONGKAI_DB")]
        db: Option<String>,
    },
    /// Disable a user (停用); its sessions end at once.
    Disable {
        /// Sign-in name.
        name: String,
        /// Database: sqlite://PATH or postgres://….
        #[arg(long, env = "GONGKAI_DB")]
        db: Option<String>,
    },
    /// Enable a disabled user again (启用).
    Enable {
        /// Sign-in name.
        name: String,
        /// Database: sqlite://PATH or postgres://….
        #[arg(long, env = "GONGKAI_DB")]
        db: Option<String>,
    },
    /// List the users (用户列表): name, role, agency, state.
    List {
        /// Database: sqlite://PATH or postgres://….
        #[arg(long, env = "GONGKAI_DB")]
        db: Option<String>,
    },
}

/// The actor the audit log names for changes made here.
const ACTOR: &str = "cli";

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| {
        let keys: Vec<String> = Role::ALL
            .iter()
            .map(|r| format!("{} ({})", r.key(), r.label()))
            .collect();
        format!(
            "无效的角色 / unknown role 「{s}」; one of: {}",
            keys.join(", ")
        )
    })
}

/// Reads a new password: twice without echo from a terminal, else the first line of `input`
/// (without its line ending).
fn read_new_password(is_tty: bool, input: &mut impl BufRead) -> anyhow::Result<String> {
    if is_tty {
        let first = rpassword::prompt_password("密码 / password: ").context("读取密码")?;
        let second = rpassword::prompt_password("再次输入 / again: ").context("读取密码")?;
        if first != second {
            bail!("两次输入的密码不一致 / the passwords differ");
        }
        return Ok(first);
    }
    let mut line = String::new();
    input
        .read_line(&mut line)
        .context("从标准输入读取密码 / reading the password from stdin")?;
    let pw = line.trim_end_matches(['\r', '\n']).to_string();
    if pw.is_empty() {
        bail!("标准输入中没有密码 / no password on standard input");
    }
    Ok(pw)
}

fn stdin_password() -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    read_new_password(stdin.is_terminal(), &mut stdin.lock())
}

/// An error the user can fix (exit 2, one line on stderr), or a failure.
fn report(e: AuthError) -> anyhow::Result<ExitCode> {
    match e {
        AuthError::Store(StoreError::Db(_)) | AuthError::Hash(_) => Err(e.into()),
        other => {
            eprintln!("gongkai user: {other}");
            Ok(ExitCode::from(2))
        }
    }
}

/// Adds the user; the password was read already.
async fn add(
    store: &Store,
    name: &str,
    role: Role,
    agency: Option<&str>,
    password: &str,
) -> Result<String, AuthError> {
    let agency = match agency {
        Some(a) => Some(agency::resolve(store, a).await?),
        None => None,
    };
    let user = auth::create_user(
        store,
        ACTOR,
        &NewUser {
            name: name.to_string(),
            role,
            agency_id: agency.as_ref().map(|a| a.id),
        },
        password,
        Utc::now(),
    )
    .await?;
    let scope = agency.map_or_else(|| "全部机关".to_string(), |a| a.name);
    Ok(format!(
        "已添加用户 {}（{}，{}）/ user added",
        user.name,
        user.role.label(),
        scope
    ))
}

async fn find(store: &Store, name: &str) -> Result<auth::User, AuthError> {
    auth::find_user(store, name)
        .await?
        .ok_or_else(|| AuthError::Store(StoreError::NotFound(format!("用户 / user 「{name}」"))))
}

/// Runs `gongkai user`. Exit codes: 0 done; 2 bad input (unknown role or agency, weak
/// password, name taken, unknown user).
pub fn run(global: &Global, c: UserCommand) -> anyhow::Result<ExitCode> {
    let rt = db::runtime()?;
    match c {
        UserCommand::Add {
            name,
            role,
            agency,
            db: url,
        } => {
            let password = stdin_password()?;
            let result = rt.block_on(async {
                let store = db::open(global, url.as_deref()).await?;
                let r = add(&store, &name, role, agency.as_deref(), &password).await;
                store.close().await;
                anyhow::Ok(r)
            })?;
            match result {
                Ok(msg) => {
                    println!("{msg}");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => report(e),
            }
        }
        UserCommand::Passwd { name, db: url } => {
            let password = stdin_password()?;
            let result = rt.block_on(async {
                let store = db::open(global, url.as_deref()).await?;
                let r = async {
                    let u = find(&store, &name).await?;
                    auth::reset_password(&store, ACTOR, u.id, &password, Utc::now()).await
                }
                .await;
                store.close().await;
                anyhow::Ok(r)
            })?;
            match result {
                Ok(()) => {
                    println!("已重置 {name} 的密码 / password reset");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => report(e),
            }
        }
        UserCommand::Disable { name, db: url } => set_disabled(global, &rt, &name, url, true),
        UserCommand::Enable { name, db: url } => set_disabled(global, &rt, &name, url, false),
        UserCommand::List { db: url } => rt.block_on(async {
            let store = db::open(global, url.as_deref()).await?;
            let names: std::collections::HashMap<i64, String> = agency::list(&store)
                .await?
                .into_iter()
                .map(|a| (a.id, a.name))
                .collect();
            let now = Utc::now();
            for u in auth::list_users(&store, None).await? {
                let scope = u
                    .agency_id
                    .and_then(|id| names.get(&id).cloned())
                    .unwrap_or_else(|| "全部机关".to_string());
                let state = if u.disabled {
                    "已停用"
                } else if u.is_locked(now) {
                    "已锁定"
                } else {
                    "正常"
                };
                println!("{}\t{}\t{}\t{}", u.name, u.role.key(), scope, state);
            }
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }),
    }
}

fn set_disabled(
    global: &Global,
    rt: &tokio::runtime::Runtime,
    name: &str,
    url: Option<String>,
    disabled: bool,
) -> anyhow::Result<ExitCode> {
    let result = rt.block_on(async {
        let store = db::open(global, url.as_deref()).await?;
        let r = async {
            let u = find(&store, name).await?;
            if disabled {
                auth::disable_user(&store, ACTOR, u.id, Utc::now()).await?;
            } else {
                auth::enable_user(&store, ACTOR, u.id, Utc::now()).await?;
            }
            Ok::<(), AuthError>(())
        }
        .await;
        store.close().await;
        anyhow::Ok(r)
    })?;
    match result {
        Ok(()) => {
            if disabled {
                println!("已停用 {name} / user disabled");
            } else {
                println!("已启用 {name} / user enabled");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => report(e),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_piped_password_is_the_first_line() {
        let mut input = std::io::Cursor::new("Pipe-Secret-2026\r\nignored\n");
        assert_eq!(
            read_new_password(false, &mut input).unwrap(),
            "Pipe-Secret-2026"
        );
        let mut empty = std::io::Cursor::new("");
        assert!(read_new_password(false, &mut empty).is_err());
    }

    #[test]
    fn roles_by_key_or_chinese_name() {
        assert_eq!(parse_role("security_admin"), Ok(Role::SecurityAdmin));
        assert_eq!(parse_role("审计管理员"), Ok(Role::AuditAdmin));
        assert!(parse_role("root").unwrap_err().contains("security_admin"));
    }

    #[tokio::test]
    async fn add_scopes_the_user_to_an_agency_and_refuses_weak_passwords() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        let store = Store::open_with_crypto(&url, gongkai_store::Crypto::random())
            .await
            .unwrap();
        let county = agency::ensure(
            &store,
            "t",
            "命令行测试县人民政府",
            agency::AgencyLevel::County,
            None,
            None,
        )
        .await
        .unwrap();
        let msg = add(
            &store,
            "sec.admin",
            Role::SecurityAdmin,
            Some("命令行测试县人民政府"),
            "Cli-Secret-2026",
        )
        .await
        .unwrap();
        assert!(msg.contains("安全管理员") && msg.contains("命令行测试县人民政府"));
        let u = auth::find_user(&store, "sec.admin").await.unwrap().unwrap();
        assert_eq!(u.agency_id, Some(county.id));
        assert!(matches!(
            add(&store, "weak.one", Role::Editor, None, "password").await,
            Err(AuthError::WeakPassword(_))
        ));
        // A common password passes length and classes but not the list: the message names
        // the field and the reason.
        let err = add(&store, "weak.two", Role::Editor, None, "Password123")
            .await
            .expect_err("Password123 is common");
        assert!(matches!(err, AuthError::WeakPassword(_)));
        assert!(
            err.to_string().starts_with("密码不符合要求：过于常见"),
            "{err}"
        );
        assert!(matches!(
            add(
                &store,
                "x.y",
                Role::Editor,
                Some("不存在的机关"),
                "Cli-Secret-2026"
            )
            .await,
            Err(AuthError::Store(StoreError::NotFound(_)))
        ));
        let audit = gongkai_store::audit::recent(&store, 5).await.unwrap();
        assert!(
            audit
                .iter()
                .any(|e| e.action == "user.create" && e.actor == "cli")
        );
    }
}
