//! The append-only audit log. Each entry's hash is sha256 of the previous entry's hash and the
//! entry itself, so removing, reordering or editing an entry breaks the chain at that point and
//! [`verify`] says where. Triggers on both back ends refuse UPDATE and DELETE on the log.
//!
//! Entries are written by the crate-internal `audit_append!` macro inside the transaction of
//! the change they record: both commit or neither does. The same macro writes the change feed
//! ([`crate::changes`]): every audited change of a record kind that pages may show.
//!
//! Each entry carries the client address of the request that made it. The web layer runs each
//! request inside [`with_address`], and the macro reads it from there, so no repository
//! function has to pass it along; outside a request (the command line, the demo) it is empty.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::{Store, StoreError};

/// The hash that precedes the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// Who: a user name, or `system`, `demo`, `import`.
    pub actor: String,
    /// What was done, e.g. `application.create`.
    pub action: String,
    /// The kind of record.
    pub entity: String,
    /// Which record (an id or a natural key).
    pub entity_id: String,
    /// Details as JSON; never personal data.
    pub detail: String,
    /// The client address of the request that made the change; empty outside a request.
    pub address: String,
    /// The previous entry's hash.
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

impl AuditEntry {
    /// The hash of an entry's contents chained to `prev_hash`. The address counts only when
    /// there is one, so entries written before addresses were kept hash as they did.
    #[allow(clippy::too_many_arguments)]
    pub fn compute_hash(
        prev_hash: &str,
        seq: i64,
        at: &str,
        actor: &str,
        action: &str,
        entity: &str,
        entity_id: &str,
        detail: &str,
        address: &str,
    ) -> String {
        let mut h = Sha256::new();
        h.update(prev_hash.as_bytes());
        for part in [
            &seq.to_string() as &str,
            at,
            actor,
            action,
            entity,
            entity_id,
            detail,
        ] {
            // A unit separator keeps ("ab","c") and ("a","bc") apart.
            h.update([0x1f]);
            h.update(part.as_bytes());
        }
        if !address.is_empty() {
            h.update([0x1f]);
            h.update(address.as_bytes());
        }
        hex::encode(h.finalize())
    }

    /// Builds the entry that follows `prev_hash` at `seq`, stamped now, with the address of
    /// the request it is written in ([`with_address`]).
    pub fn next(
        seq: i64,
        prev_hash: String,
        actor: &str,
        action: &str,
        entity: &str,
        entity_id: &str,
        detail: &str,
    ) -> AuditEntry {
        let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let address = current_address();
        let hash = AuditEntry::compute_hash(
            &prev_hash, seq, &at, actor, action, entity, entity_id, detail, &address,
        );
        AuditEntry {
            seq,
            at,
            actor: actor.into(),
            action: action.into(),
            entity: entity.into(),
            entity_id: entity_id.into(),
            detail: detail.into(),
            address,
            prev_hash,
            hash,
        }
    }
}

tokio::task_local! {
    /// The client address of the request the current task serves.
    static CLIENT_ADDRESS: String;
}

/// Runs `work` (a request's handling) with `address` as the client address of every audit
/// entry it writes.
pub async fn with_address<F: std::future::Future>(address: String, work: F) -> F::Output {
    CLIENT_ADDRESS.scope(address, work).await
}

/// The client address of the request being served; empty outside one.
fn current_address() -> String {
    CLIENT_ADDRESS.try_with(|a| a.clone()).unwrap_or_default()
}

/// Appends an audit entry inside the open transaction `$tx` (a `Transaction` of either back
/// end). The first statement bumps the chain head, which takes the write lock that keeps two
/// writers from chaining onto the same tip.
macro_rules! audit_append {
    ($tx:expr, $actor:expr, $action:expr, $entity:expr, $entity_id:expr, $detail:expr) => {{
        let row = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
            .fetch_one(&mut *$tx)
            .await?;
        let seq: i64 = sqlx::Row::try_get(&row, "seq")?;
        let prev: String = sqlx::Row::try_get(&row, "hash")?;
        let entry = $crate::audit::AuditEntry::next(
            seq, prev, $actor, $action, $entity, $entity_id, $detail,
        );
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
            .bind(&entry.hash)
            .execute(&mut *$tx)
            .await?;
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, detail, address, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(entry.seq)
        .bind(&entry.at)
        .bind(&entry.actor)
        .bind(&entry.action)
        .bind(&entry.entity)
        .bind(&entry.entity_id)
        .bind(&entry.detail)
        .bind(&entry.address)
        .bind(&entry.prev_hash)
        .bind(&entry.hash)
        .execute(&mut *$tx)
        .await?;
        // The change feed (outbox) in the same transaction, numbered by the audit sequence.
        if $crate::changes::feeds(&entry.entity) {
            sqlx::query(
                "INSERT INTO change_feed (seq, kind, record_id, action, at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(entry.seq)
            .bind(&entry.entity)
            .bind(&entry.entity_id)
            .bind(&entry.action)
            .bind(&entry.at)
            .execute(&mut *$tx)
            .await?;
        }
    }};
}
pub(crate) use audit_append;

/// Appends one entry in a transaction of its own (for events that change nothing else, such as
/// a sign-in).
pub async fn record(
    store: &Store,
    actor: &str,
    action: &str,
    entity: &str,
    entity_id: &str,
    detail: &str,
) -> Result<(), StoreError> {
    use crate::BeginWrite;
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        audit_append!(tx, actor, action, entity, entity_id, detail);
        tx.commit().await?;
    });
    Ok(())
}

/// The last `limit` entries, newest first.
pub async fn recent(store: &Store, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
    let sql = "SELECT seq, at, actor, action, entity, entity_id, detail, address, prev_hash, hash \
               FROM audit_log ORDER BY seq DESC LIMIT $1";
    on_db!(store, pool => {
        let rows = sqlx::query(sql).bind(limit).fetch_all(pool).await?;
        rows.iter().map(entry_from_row).collect()
    })
}

fn entry_from_row<R: Row>(r: &R) -> Result<AuditEntry, StoreError>
where
    for<'a> &'a str: sqlx::ColumnIndex<R>,
    i64: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
    String: for<'a> sqlx::Decode<'a, R::Database> + sqlx::Type<R::Database>,
{
    Ok(AuditEntry {
        seq: r.try_get("seq")?,
        at: r.try_get("at")?,
        actor: r.try_get("actor")?,
        action: r.try_get("action")?,
        entity: r.try_get("entity")?,
        entity_id: r.try_get("entity_id")?,
        detail: r.try_get("detail")?,
        address: r.try_get("address")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}

/// Walks the whole chain in pages and checks every link and hash, and that the head matches the
/// last entry. Returns the number of entries; a break is [`StoreError::AuditChain`] with the
/// first sequence number at fault.
pub async fn verify(store: &Store) -> Result<i64, StoreError> {
    const PAGE: i64 = 1000;
    let mut prev = GENESIS.to_string();
    let mut expected_seq = 1i64;
    loop {
        let sql = "SELECT seq, at, actor, action, entity, entity_id, detail, address, prev_hash, hash \
                   FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT $2";
        let page: Vec<AuditEntry> = on_db!(store, pool => {
            let rows = sqlx::query(sql).bind(expected_seq).bind(PAGE).fetch_all(pool).await?;
            rows.iter().map(entry_from_row).collect::<Result<_, _>>()?
        });
        let n = page.len() as i64;
        for e in page {
            let recomputed = AuditEntry::compute_hash(
                &e.prev_hash,
                e.seq,
                &e.at,
                &e.actor,
                &e.action,
                &e.entity,
                &e.entity_id,
                &e.detail,
                &e.address,
            );
            if e.seq != expected_seq || e.prev_hash != prev || e.hash != recomputed {
                return Err(StoreError::AuditChain(expected_seq));
            }
            prev = e.hash;
            expected_seq += 1;
        }
        if n < PAGE {
            break;
        }
    }
    let (head_seq, head_hash): (i64, String) = on_db!(store, pool => {
        let r = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(pool).await?;
        (r.try_get("seq")?, r.try_get("hash")?)
    });
    if head_seq != expected_seq - 1 || head_hash != prev {
        return Err(StoreError::AuditChain(expected_seq));
    }
    Ok(expected_seq - 1)
}

/// What to look for in the log (every field optional; all given ones must hold).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Exactly this actor (a user name, `system`, `demo`, `import`).
    pub actor: Option<String>,
    /// This action code (`item.approve`) or, ending in `.`, every action of a kind (`item.`).
    pub action: Option<String>,
    /// This kind of record (`application`).
    pub entity: Option<String>,
    /// This record's id or key.
    pub entity_id: Option<String>,
    /// From this Beijing date on.
    pub from: Option<chrono::NaiveDate>,
    /// Up to and including this Beijing date.
    pub to: Option<chrono::NaiveDate>,
}

/// One page of a search, and how many entries match in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditSearch {
    /// The entries of the page, newest first.
    pub entries: Vec<AuditEntry>,
    /// All matching entries.
    pub total: i64,
}

/// The UTC instant (as stored: RFC 3339 with microseconds) at which a Beijing date begins.
fn beijing_start_utc(d: chrono::NaiveDate) -> String {
    let utc = gongkai_law::beijing_midnight(d);
    utc.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// The entries matching `filter`, newest first, `limit` from `offset`.
pub async fn search(
    store: &Store,
    filter: &AuditFilter,
    offset: i64,
    limit: i64,
) -> Result<AuditSearch, StoreError> {
    let mut clauses: Vec<String> = Vec::new();
    let mut binds: Vec<String> = Vec::new();
    let mut add = |clause: &str, value: String| {
        binds.push(value);
        clauses.push(clause.replace('?', &format!("${}", binds.len())));
    };
    if let Some(a) = filter.actor.as_deref().filter(|s| !s.is_empty()) {
        add("actor = ?", a.to_string());
    }
    match filter.action.as_deref().filter(|s| !s.is_empty()) {
        Some(a) if a.ends_with('.') => {
            // A prefix: escape LIKE's wildcards in the given text.
            let escaped = a
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            add("action LIKE ? ESCAPE '\\'", format!("{escaped}%"));
        }
        Some(a) => add("action = ?", a.to_string()),
        None => {}
    }
    if let Some(e) = filter.entity.as_deref().filter(|s| !s.is_empty()) {
        add("entity = ?", e.to_string());
    }
    if let Some(e) = filter.entity_id.as_deref().filter(|s| !s.is_empty()) {
        add("entity_id = ?", e.to_string());
    }
    if let Some(d) = filter.from {
        add("at >= ?", beijing_start_utc(d));
    }
    if let Some(d) = filter.to.and_then(|d| d.succ_opt()) {
        add("at < ?", beijing_start_utc(d));
    }
    let where_sql = if clauses.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", clauses.join(" AND "))
    };
    let n = binds.len();
    let count_sql = format!("SELECT COUNT(*) AS n FROM audit_log{where_sql}");
    let page_sql = format!(
        "SELECT seq, at, actor, action, entity, entity_id, detail, address, prev_hash, hash \
         FROM audit_log{where_sql} ORDER BY seq DESC LIMIT ${} OFFSET ${}",
        n + 1,
        n + 2
    );
    on_db!(store, pool => {
        let mut count = sqlx::query(sqlx::AssertSqlSafe(count_sql));
        for b in &binds {
            count = count.bind(b);
        }
        let total: i64 = count.fetch_one(pool).await?.try_get("n")?;
        let mut page = sqlx::query(sqlx::AssertSqlSafe(page_sql));
        for b in &binds {
            page = page.bind(b);
        }
        let rows = page.bind(limit).bind(offset).fetch_all(pool).await?;
        let entries = rows.iter().map(entry_from_row).collect::<Result<_, _>>()?;
        Ok(AuditSearch { entries, total })
    })
}

/// The distinct actors of the log, for the filter's choice.
pub async fn actors(store: &Store) -> Result<Vec<String>, StoreError> {
    on_db!(store, pool => {
        let rows = sqlx::query("SELECT DISTINCT actor FROM audit_log ORDER BY actor")
            .fetch_all(pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get("actor")?)).collect()
    })
}

/// The distinct kinds of record the log names, for the filter's choice.
pub async fn entities(store: &Store) -> Result<Vec<String>, StoreError> {
    on_db!(store, pool => {
        let rows = sqlx::query("SELECT DISTINCT entity FROM audit_log ORDER BY entity")
            .fetch_all(pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get("entity")?)).collect()
    })
}

/// The Chinese name of an action code, as staff and auditors read it. Codes not in the table
/// (a new action) are named by their kind and the code itself, never left blank.
pub fn action_label(code: &str) -> String {
    let known = ACTION_LABELS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| (*l).to_string());
    known.unwrap_or_else(|| {
        let kind = code.split('.').next().unwrap_or(code);
        format!("{}（{code}）", entity_label(kind))
    })
}

/// The Chinese name of a kind of record.
pub fn entity_label(entity: &str) -> &str {
    ENTITY_LABELS
        .iter()
        .chain(RECORD_LABELS)
        .find(|(c, _)| *c == entity)
        .map(|(_, l)| *l)
        .unwrap_or(entity)
}

/// Every action code written by the product, with its Chinese name. A test reads the sources
/// and fails on a code that is missing here.
pub const ACTION_LABELS: &[(&str, &str)] = &[
    ("access.denied", "拒绝越权访问"),
    ("accountability.record", "登记责任追究"),
    ("agency.create", "新建机关"),
    ("agency.letter_settings", "设置文书复议机关和法院"),
    ("site.settings", "修改网站标识与公开工作机构信息"),
    ("site.add", "添加集约化平台网站或域名"),
    ("api_token.issue", "签发接口令牌"),
    ("api_token.revoke", "吊销接口令牌"),
    ("appeal.decide", "登记复议/诉讼结果"),
    ("appeal.enter", "登记复议/诉讼"),
    ("appeal.file", "登记复议/诉讼申请"),
    ("application.auto_outcome", "逾期自动结案"),
    ("application.close", "办结申请"),
    ("application.correction_accept", "采纳补正"),
    ("application.correction_answer", "收到补正"),
    ("application.create", "登记申请"),
    ("application.event", "记录办理事项"),
    ("application.recompute_due", "重新计算答复期限"),
    ("application.release", "生成区分处理公开件"),
    ("application.reply_details", "保存答复内容"),
    ("application.reveal_contact", "查看完整个人信息"),
    ("auth.address_limited", "登录次数超限（按地址）"),
    ("auth.limited", "登录次数超限"),
    ("catalogue.import", "导入标准目录"),
    ("catalogue.link", "关联标准目录"),
    ("catalogue.unlink", "取消关联标准目录"),
    ("commendation.confirm", "确认通报表扬"),
    ("decision.create", "登记行政决定"),
    ("delivery.mailed", "邮寄送达"),
    ("delivery.served", "确认送达"),
    ("demo.load", "载入示范数据"),
    ("fee.collect", "登记收费"),
    ("fee_item.add", "添加收费项目"),
    ("inspection.record", "登记监督检查"),
    ("item.approve", "审核通过并发布"),
    ("item.approve_revision", "审核通过修订"),
    ("item.attach", "上传附件"),
    ("item.create", "新建信息"),
    ("item.describe", "保存目录信息"),
    ("item.detach", "删除附件"),
    ("item.draft", "保存草稿"),
    ("item.edit", "修改信息"),
    ("item.edit_revision", "修改修订稿"),
    ("item.exception", "保密审查例外（准予公开）"),
    ("item.link_interpretation", "关联政策解读"),
    ("item.mask_finding", "遮盖审查发现"),
    ("item.repeal", "废止"),
    ("item.resolve_finding", "处理审查发现"),
    ("item.return", "退回修改"),
    ("item.revise", "提出修订"),
    ("item.scan", "保密审查扫描"),
    ("item.validity", "变更有效性"),
    ("item.withdraw", "撤回"),
    ("letter.answer", "答复来信"),
    ("letter.publish", "公开来信"),
    ("letter.publish_blocked", "来信公开被拦截"),
    ("letter.receive", "收到来信"),
    ("letter.reply", "答复来信"),
    ("letter.withdraw", "撤回来信公开"),
    ("matter.add", "添加办事事项"),
    ("matter.remove", "删除办事事项"),
    ("media_account.event", "登记新媒体备案事项"),
    ("media_account.register", "新媒体账号备案"),
    ("media_account.touch", "更新新媒体账号"),
    ("oversight.decide", "确认或排除年报问题"),
    ("oversight.import", "导入下级年报"),
    ("oversight.register_unit", "登记下级单位"),
    ("procurement.create", "登记采购信息"),
    ("report.publish", "发布年度报告"),
    ("report.save_draft", "保存年报草稿"),
    ("severe_word.add", "添加严重表述错误词"),
    ("severe_word.remove", "删除严重表述错误词"),
    ("site.audit", "网站审计"),
    ("site_inspection.record", "记录网上巡查"),
    ("topic.add_item", "专题添加信息"),
    ("topic.ensure", "建立专题"),
    ("training.record", "登记培训"),
    ("user.create", "新建账号"),
    ("user.disable", "停用账号"),
    ("user.enable", "启用账号"),
    ("user.lock", "账号锁定"),
    ("user.login", "登录"),
    ("user.login_failed", "登录失败"),
    ("user.login_refused", "拒绝登录"),
    ("user.logout", "退出登录"),
    ("user.password_change", "修改密码"),
    ("user.password_check_failed", "原密码核验失败"),
    ("user.password_check_limited", "原密码核验次数超限"),
    ("user.password_reset", "重置密码"),
    ("word.add", "添加敏感词"),
    ("word.remove", "删除敏感词"),
];

/// Kinds of record with their Chinese names.
pub const ENTITY_LABELS: &[(&str, &str)] = &[
    ("api_token", "接口令牌"),
    ("access", "访问控制"),
    ("accountability", "责任追究"),
    ("agency", "机关"),
    ("appeal", "复议诉讼"),
    ("application", "依申请公开"),
    ("auth", "登录"),
    ("catalogue", "标准目录"),
    ("commendation", "通报表扬"),
    ("decision", "行政决定"),
    ("delivery", "送达"),
    ("demo", "示范数据"),
    ("fee", "收费"),
    ("fee_item", "收费项目"),
    ("inspection", "监督检查"),
    ("item", "主动公开信息"),
    ("letter", "县长信箱"),
    ("matter", "办事事项"),
    ("media_account", "政务新媒体"),
    ("oversight", "下级年报审查"),
    ("procurement", "采购"),
    ("report", "年度报告"),
    ("severe_word", "严重表述错误词"),
    ("site", "网站"),
    ("site_inspection", "网上巡查"),
    ("topic", "专题"),
    ("training", "培训"),
    ("user", "账号"),
    ("word", "敏感词"),
];

/// Kinds of record whose name is not the kind of their action codes (`item.approve` acts on a
/// `proactive_item`), with their Chinese names, for the log's 对象 column.
pub const RECORD_LABELS: &[(&str, &str)] = &[
    ("accountability_case", "责任追究"),
    ("address", "访问地址"),
    ("appeal_case", "复议诉讼"),
    ("catalogue_entry", "标准目录"),
    ("mailbox_letter", "县长信箱"),
    ("oversight_report", "下级年报"),
    ("oversight_unit", "下级单位"),
    ("proactive_item", "主动公开信息"),
    ("procurement_project", "采购项目"),
    ("published_report", "年度报告"),
    ("report_draft", "年度报告草稿"),
    ("sensitive_word", "敏感词"),
];

/// A readable summary of an entry's JSON detail: 「键：值」 pairs with Chinese key names where
/// known; text that is not a JSON object is shown as it is.
pub fn summarize_detail(detail: &str) -> String {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(detail)
    else {
        return detail.to_string();
    };
    map.iter()
        .map(|(k, v)| {
            let value = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => "—".to_string(),
                serde_json::Value::Bool(true) => "是".to_string(),
                serde_json::Value::Bool(false) => "否".to_string(),
                other => other.to_string(),
            };
            // A role is stored by its code; staff read its name.
            let value = match (k.as_str(), crate::role::Role::parse(&value)) {
                ("role", Some(role)) => role.label().to_string(),
                _ => value,
            };
            format!("{}：{value}", detail_key_label(k))
        })
        .collect::<Vec<_>>()
        .join("；")
}

fn detail_key_label(key: &str) -> &str {
    const KEYS: &[(&str, &str)] = &[
        ("from", "原值"),
        ("to", "新值"),
        ("title", "标题"),
        ("status", "状态"),
        ("outcome", "办理结果"),
        ("reason", "理由"),
        ("role", "角色"),
        ("agency", "机关"),
        ("agency_id", "机关编号"),
        ("user_id", "账号编号"),
        ("item_id", "信息编号"),
        ("name", "名称"),
        ("file", "文件"),
        ("kind", "类型"),
        ("note", "说明"),
        ("year", "年度"),
        ("count", "数量"),
        ("findings", "发现"),
        ("provisional", "暂定"),
        ("address", "地址"),
        ("event", "事项"),
        ("on", "日期"),
        ("date", "日期"),
        ("amount", "金额"),
        ("word", "词语"),
        ("source", "来源"),
        ("category", "类别"),
    ];
    KEYS.iter()
        .find(|(k, _)| *k == key)
        .map(|(_, l)| *l)
        .unwrap_or(key)
}
