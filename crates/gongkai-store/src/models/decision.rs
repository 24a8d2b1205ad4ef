//! 双公示: individual licensing, other-service, penalty and enforcement decisions, each
//! published with its number, party and date. Table 二 counts them.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// The kind of a decision (and of the 事项 list it belongs to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// 行政许可
    Licensing,
    /// 其他对外管理服务事项
    OtherServices,
    /// 行政处罚
    Penalty,
    /// 行政强制
    Enforcement,
}

impl DecisionKind {
    /// Every kind, in table 二's order.
    pub const ALL: [DecisionKind; 4] = [
        DecisionKind::Licensing,
        DecisionKind::OtherServices,
        DecisionKind::Penalty,
        DecisionKind::Enforcement,
    ];

    /// The stored key (and table 二's JSON key).
    pub fn key(self) -> &'static str {
        match self {
            DecisionKind::Licensing => "licensing",
            DecisionKind::OtherServices => "other_services",
            DecisionKind::Penalty => "penalty",
            DecisionKind::Enforcement => "enforcement",
        }
    }

    /// The Chinese label the portal prints.
    pub fn label(self) -> &'static str {
        match self {
            DecisionKind::Licensing => "行政许可",
            DecisionKind::OtherServices => "其他对外管理服务",
            DecisionKind::Penalty => "行政处罚",
            DecisionKind::Enforcement => "行政强制",
        }
    }

    /// Reads a stored key.
    pub fn parse(s: &str) -> Option<DecisionKind> {
        DecisionKind::ALL.into_iter().find(|k| k.key() == s)
    }
}

impl TryFrom<String> for DecisionKind {
    type Error = gongkai_law::UnknownKey;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        DecisionKind::parse(&s).ok_or_else(|| gongkai_law::UnknownKey::new("决定类别", s))
    }
}

/// Who a decision is about, as 信用信息公示 tells them apart (行政相对人类别).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    /// 法人及非法人组织: named in full, with its 统一社会信用代码.
    Legal,
    /// 自然人: named with every character after the surname masked.
    Natural,
}

impl PartyKind {
    /// Both kinds.
    pub const ALL: [PartyKind; 2] = [PartyKind::Legal, PartyKind::Natural];

    /// The stored key.
    pub fn key(self) -> &'static str {
        match self {
            PartyKind::Legal => "legal",
            PartyKind::Natural => "natural",
        }
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            PartyKind::Legal => "法人及非法人组织",
            PartyKind::Natural => "自然人",
        }
    }

    /// Reads a stored key.
    pub fn parse(s: &str) -> Option<PartyKind> {
        let s = s.trim();
        PartyKind::ALL.into_iter().find(|k| k.key() == s)
    }

    /// Whether this is a natural person.
    pub fn is_natural(self) -> bool {
        self == PartyKind::Natural
    }
}

impl TryFrom<String> for PartyKind {
    type Error = gongkai_law::UnknownKey;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        PartyKind::parse(&s).ok_or_else(|| gongkai_law::UnknownKey::new("行政相对人类别", s))
    }
}

/// The columns of [`Decision`], in its order, for every query that reads one.
pub const COLUMNS: &str = "id, agency_id, kind, number, party, decided_on, content, party_kind, credit_code, reason, basis";

/// One published decision, with the items of the 信用信息公示 data standard
/// (《行政许可和行政处罚等信用信息公示工作数据标准》): the party and its kind, a legal person's
/// 统一社会信用代码, the 事由, the 依据 and the content; the 决定机关 is the agency.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Decision {
    /// Database id.
    pub id: i64,
    /// Deciding agency (决定机关).
    pub agency_id: i64,
    /// Its kind.
    #[sqlx(try_from = "String")]
    pub kind: DecisionKind,
    /// Decision number (决定书文号), unique per agency and kind.
    pub number: String,
    /// The party (行政相对人名称) as recorded; a natural person's name is shown only through
    /// [`Decision::shown_party`].
    pub party: String,
    /// Date of the decision.
    pub decided_on: NaiveDate,
    /// Content (许可内容 / 处罚内容).
    pub content: String,
    /// 行政相对人类别.
    #[sqlx(try_from = "String")]
    pub party_kind: PartyKind,
    /// A legal person's 统一社会信用代码.
    pub credit_code: Option<String>,
    /// 事由: the 许可事项 of a licence, the 违法事实 of a penalty.
    pub reason: String,
    /// 依据: the provisions the decision rests on.
    pub basis: String,
}

impl Decision {
    /// Whether the party is a natural person.
    pub fn is_natural_person(&self) -> bool {
        self.party_kind.is_natural()
    }

    /// The party as the public may read it: a legal person's name in full, a natural person's
    /// with every character after the surname replaced by 「*」 (王** for 王明华), as 信用
    /// 信息公示 shows natural persons.
    pub fn shown_party(&self) -> String {
        if self.is_natural_person() {
            mask_person(&self.party)
        } else {
            self.party.clone()
        }
    }
}

/// A natural person's name with every character after the first replaced by 「*」.
pub fn mask_person(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

/// The 信用信息公示 items of a new decision beyond number, party, date and content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Particulars {
    /// The party is a natural person (自然人).
    pub natural_person: bool,
    /// A legal person's 统一社会信用代码.
    pub credit_code: Option<String>,
    /// 事由
    pub reason: String,
    /// 依据
    pub basis: String,
}

/// Records a decision; a second decision with the same number is refused.
#[allow(clippy::too_many_arguments)]
pub async fn create(
    store: &Store,
    actor: &str,
    agency_id: i64,
    kind: DecisionKind,
    number: &str,
    party: &str,
    decided_on: NaiveDate,
    content: &str,
) -> Result<i64, StoreError> {
    create_with(
        store,
        actor,
        agency_id,
        kind,
        number,
        party,
        decided_on,
        content,
        &Particulars::default(),
    )
    .await
}

/// Records a decision with its 信用信息公示 particulars; a second decision with the same number
/// is refused, and so is a natural person with a 信用代码.
#[allow(clippy::too_many_arguments)]
pub async fn create_with(
    store: &Store,
    actor: &str,
    agency_id: i64,
    kind: DecisionKind,
    number: &str,
    party: &str,
    decided_on: NaiveDate,
    content: &str,
    particulars: &Particulars,
) -> Result<i64, StoreError> {
    if particulars.natural_person && particulars.credit_code.is_some() {
        return Err(StoreError::invalid("自然人没有统一社会信用代码。"));
    }
    let party_kind = if particulars.natural_person {
        PartyKind::Natural
    } else {
        PartyKind::Legal
    };
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO decisions (agency_id, kind, number, party, decided_on, content, \
             party_kind, credit_code, reason, basis) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(agency_id)
        .bind(kind.key())
        .bind(number)
        .bind(party)
        .bind(decided_on)
        .bind(content)
        .bind(party_kind.key())
        .bind(particulars.credit_code.as_deref())
        .bind(&particulars.reason)
        .bind(&particulars.basis)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        audit_append!(tx, actor, "decision.create", "decision", &id.to_string(), &serde_json::json!({"kind": kind.key(), "number": number}).to_string());
        tx.commit().await?;
        Ok(id)
    })
}

/// Decisions of an agency and kind in a date range, newest first, one page.
pub async fn list(
    store: &Store,
    agency_id: i64,
    kind: DecisionKind,
    from: NaiveDate,
    to: NaiveDate,
    limit: i64,
) -> Result<Vec<Decision>, StoreError> {
    on_db!(store, pool => {
        let sql = format!(
            "SELECT {COLUMNS} FROM decisions \
             WHERE agency_id = $1 AND kind = $2 AND decided_on >= $3 AND decided_on <= $4 \
             ORDER BY decided_on DESC, id DESC LIMIT $5"
        );
        Ok(sqlx::query_as::<_, Decision>(sqlx::AssertSqlSafe(sql))
        .bind(agency_id)
        .bind(kind.key())
        .bind(from)
        .bind(to)
        .bind(limit)
        .fetch_all(pool)
        .await?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_natural_persons_name_keeps_only_the_surname() {
        assert_eq!(mask_person("王明华"), "王**");
        assert_eq!(mask_person(" 欧阳娜 "), "欧**");
        assert_eq!(mask_person("李"), "李");
        assert_eq!(mask_person(""), "");
    }
}
