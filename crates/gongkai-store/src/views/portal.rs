//! Queries behind the portal's pages: the 「政府信息公开」 column (items by Art. 20 category, by
//! unit, by topic), the 双公示 listing, published mailbox replies, the rows that feed the search
//! index, and the application statistics the report charts draw.
//!
//! Every listing is paged. Items are few (thousands), so they page with LIMIT/OFFSET and a
//! COUNT; decisions are many (250,000 in the demo), so they page by keyset on the primary key
//! (`id < $cursor ORDER BY id DESC`), which stays fast at any depth and needs no COUNT.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::Row;

use crate::models::agency::SUBTREE;
use crate::models::decision::{COLUMNS, Decision, DecisionKind};
use crate::models::proactive_item::ProactiveItem;
use crate::{Store, StoreError};

const ITEM_COLUMNS: &str = "id, agency_id, index_no, title, summary, publisher, written_on, published_on, \
     doc_number, topic, genre, keywords, disclosure_mode, doc_type, art20_item, unit, status, \
     validity, validity_changed_on";

/// Which published items a listing shows. Unset fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFilter {
    /// Only items fulfilling this item of Art. 20 (1–15).
    pub art20_item: Option<i64>,
    /// Only items of exactly this agency (a 县直部门 or 乡镇 page); otherwise the whole subtree.
    pub agency_id: Option<i64>,
    /// Only items of this 专题专栏.
    pub topic_id: Option<i64>,
    /// Only items of this document kind ([`crate::models::DocType::key`]).
    pub doc_type: Option<String>,
}

/// One page of items and how many there are in all.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemPage {
    /// The items of the page, newest first.
    pub items: Vec<ProactiveItem>,
    /// All items matching the filter.
    pub total: i64,
}

/// Published items of `root`'s subtree matching `filter`, newest first.
pub async fn list_items(
    store: &Store,
    root: i64,
    filter: &ItemFilter,
    limit: i64,
    offset: i64,
) -> Result<ItemPage, StoreError> {
    // Optional filters are written as `($n IS NULL OR col = $n)` so the SQL text stays fixed
    // (one prepared statement per back end); the bound types tell PostgreSQL what `$n` is.
    let cond = "agency_id IN (SELECT id FROM sub) AND status = 'published' \
         AND ($2 IS NULL OR art20_item = $2) AND ($3 IS NULL OR agency_id = $3) \
         AND ($4 IS NULL OR id IN (SELECT item_id FROM topic_items WHERE topic_id = $4)) \
         AND ($5 IS NULL OR doc_type = $5)";
    let list_sql = format!(
        "{SUBTREE} SELECT {ITEM_COLUMNS} FROM proactive_items WHERE {cond} \
         ORDER BY published_on DESC, id DESC LIMIT $6 OFFSET $7"
    );
    let count_sql = format!("{SUBTREE} SELECT COUNT(*) AS n FROM proactive_items WHERE {cond}");
    let limit = limit.clamp(1, 200);
    let offset = offset.max(0);
    on_db!(store, pool => {
        let items = sqlx::query_as::<_, ProactiveItem>(sqlx::AssertSqlSafe(list_sql))
            .bind(root)
            .bind(filter.art20_item)
            .bind(filter.agency_id)
            .bind(filter.topic_id)
            .bind(filter.doc_type.as_deref())
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?;
        let total: i64 = sqlx::query(sqlx::AssertSqlSafe(count_sql))
            .bind(root)
            .bind(filter.art20_item)
            .bind(filter.agency_id)
            .bind(filter.topic_id)
            .bind(filter.doc_type.as_deref())
            .fetch_one(pool)
            .await?
            .try_get("n")?;
        Ok(ItemPage { items, total })
    })
}

/// A published item by id, if it belongs to `root`'s subtree (drafts are never shown).
pub async fn published_item(
    store: &Store,
    root: i64,
    id: i64,
) -> Result<Option<ProactiveItem>, StoreError> {
    let sql = format!(
        "{SUBTREE} SELECT {ITEM_COLUMNS} FROM proactive_items \
         WHERE id = $2 AND status = 'published' AND agency_id IN (SELECT id FROM sub)"
    );
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, ProactiveItem>(sqlx::AssertSqlSafe(sql))
            .bind(root)
            .bind(id)
            .fetch_optional(pool)
            .await?)
    })
}

/// A published item by its 索引号, if it belongs to `root`'s subtree.
pub async fn published_item_by_index_no(
    store: &Store,
    root: i64,
    index_no: &str,
) -> Result<Option<ProactiveItem>, StoreError> {
    let sql = format!(
        "{SUBTREE} SELECT {ITEM_COLUMNS} FROM proactive_items \
         WHERE index_no = $2 AND status = 'published' AND agency_id IN (SELECT id FROM sub)"
    );
    on_db!(store, pool => {
        Ok(sqlx::query_as::<_, ProactiveItem>(sqlx::AssertSqlSafe(sql))
            .bind(root)
            .bind(index_no)
            .fetch_optional(pool)
            .await?)
    })
}

/// Published items per Art. 20 item (1–15) in `root`'s subtree: `(item, count)`.
pub async fn count_by_art20(store: &Store, root: i64) -> Result<Vec<(i64, i64)>, StoreError> {
    let sql = format!(
        "{SUBTREE} SELECT art20_item AS k, COUNT(*) AS n FROM proactive_items \
         WHERE agency_id IN (SELECT id FROM sub) AND status = 'published' AND art20_item IS NOT NULL \
         GROUP BY art20_item ORDER BY art20_item"
    );
    on_db!(store, pool => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(root).fetch_all(pool).await?;
        rows.iter()
            .map(|r| Ok((r.try_get::<i64, _>("k")?, r.try_get::<i64, _>("n")?)))
            .collect()
    })
}

/// Published items per agency of `root`'s subtree: `(agency id, count)`.
pub async fn count_by_agency(store: &Store, root: i64) -> Result<Vec<(i64, i64)>, StoreError> {
    let sql = format!(
        "{SUBTREE} SELECT agency_id AS k, COUNT(*) AS n FROM proactive_items \
         WHERE agency_id IN (SELECT id FROM sub) AND status = 'published' GROUP BY agency_id"
    );
    on_db!(store, pool => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(root).fetch_all(pool).await?;
        rows.iter()
            .map(|r| Ok((r.try_get::<i64, _>("k")?, r.try_get::<i64, _>("n")?)))
            .collect()
    })
}

/// A 专题专栏 with the number of its published items.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TopicSummary {
    /// Topic id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// When it opened.
    pub opened_on: NaiveDate,
    /// Published items in it.
    pub items: i64,
}

/// The topics of `root`'s subtree with their item counts, by id.
pub async fn topics(store: &Store, root: i64) -> Result<Vec<TopicSummary>, StoreError> {
    let sql = format!(
        "{SUBTREE} SELECT t.id AS id, t.name AS name, t.opened_on AS opened_on, \
         (SELECT COUNT(*) FROM topic_items ti JOIN proactive_items p ON p.id = ti.item_id \
          WHERE ti.topic_id = t.id AND p.status = 'published') AS n \
         FROM topics t WHERE t.agency_id IN (SELECT id FROM sub) ORDER BY t.id"
    );
    on_db!(store, pool => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(root).fetch_all(pool).await?;
        rows.iter()
            .map(|r| {
                Ok(TopicSummary {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    opened_on: r.try_get("opened_on")?,
                    items: r.try_get("n")?,
                })
            })
            .collect()
    })
}

/// One page of 双公示 decisions. `next` is the cursor of the following page, if there is one.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionPage {
    /// The decisions, newest record first.
    pub decisions: Vec<Decision>,
    /// Pass as `before` to get the next page.
    pub next: Option<i64>,
}

/// Decisions of `root`'s subtree, optionally of one kind, whose number equals `query` or whose
/// party contains it, in pages of `limit` by keyset on the id (`before`: the previous page's
/// cursor). Only legal persons are found by name: a natural person's name is shown masked, so
/// a search by it must not confirm who was fined or licensed.
pub async fn search_decisions(
    store: &Store,
    root: i64,
    kind: Option<&str>,
    query: &str,
    before: Option<i64>,
    limit: i64,
) -> Result<DecisionPage, StoreError> {
    let q = query.trim();
    let limit = limit.clamp(1, 100);
    if !q.is_empty() && before.is_none() {
        // A decision number is looked up through the (agency_id, kind, number) unique index,
        // with the kinds spelled out so the index applies; a number found ends the search.
        let kinds: Vec<&str> = match kind {
            Some(k) => vec![k],
            None => DecisionKind::ALL.iter().map(|k| k.key()).collect(),
        };
        let by_number = format!(
            "{SUBTREE} SELECT {COLUMNS} FROM decisions \
             WHERE agency_id IN (SELECT id FROM sub) AND kind IN ($2, $3, $4, $5) AND number = $6 \
             ORDER BY id DESC LIMIT $7"
        );
        let k = |i: usize| {
            kinds
                .get(i)
                .or(kinds.first())
                .copied()
                .unwrap_or("licensing")
        };
        let found: Vec<Decision> = on_db!(store, pool => {
            sqlx::query_as::<_, Decision>(sqlx::AssertSqlSafe(by_number))
                .bind(root)
                .bind(k(0))
                .bind(k(1))
                .bind(k(2))
                .bind(k(3))
                .bind(q)
                .bind(limit)
                .fetch_all(pool)
                .await?
        });
        if !found.is_empty() {
            return Ok(DecisionPage {
                decisions: found,
                next: None,
            });
        }
    }
    if q.chars().count() >= 3 {
        // Here no decision has the number `q` (or this is a later page of party matches):
        // the party is searched through its trigram index (FTS5 on SQLite, pg_trgm on
        // PostgreSQL, migration 0240) instead of a LIKE over every row.
        let pattern = format!("%{}%", escape_like(q));
        let head = format!(
            "{SUBTREE} SELECT {COLUMNS} FROM decisions \
             WHERE agency_id IN (SELECT id FROM sub) AND ($2 IS NULL OR kind = $2) \
             AND party_kind = 'legal' AND party LIKE $3 ESCAPE '\\' AND ($4 IS NULL OR id < $4)"
        );
        let mut decisions: Vec<Decision> = match &store.db {
            crate::Db::Sqlite(pool) => {
                // A phrase of the query's trigrams; a double quote is doubled inside it.
                let phrase = format!("\"{}\"", q.replace('"', "\"\""));
                let sql = format!(
                    "{head} AND id IN (SELECT rowid FROM decisions_party WHERE decisions_party MATCH $6) \
                     ORDER BY id DESC LIMIT $5"
                );
                sqlx::query_as::<_, Decision>(sqlx::AssertSqlSafe(sql))
                    .bind(root)
                    .bind(kind)
                    .bind(&pattern)
                    .bind(before)
                    .bind(limit + 1)
                    .bind(phrase)
                    .fetch_all(pool)
                    .await?
            }
            crate::Db::Postgres(pool) => {
                let sql = format!("{head} ORDER BY id DESC LIMIT $5");
                sqlx::query_as::<_, Decision>(sqlx::AssertSqlSafe(sql))
                    .bind(root)
                    .bind(kind)
                    .bind(&pattern)
                    .bind(before)
                    .bind(limit + 1)
                    .fetch_all(pool)
                    .await?
            }
        };
        let next = if decisions.len() as i64 > limit {
            decisions.truncate(limit as usize);
            decisions.last().map(|d| d.id)
        } else {
            None
        };
        return Ok(DecisionPage { decisions, next });
    }
    let pattern = (!q.is_empty()).then(|| format!("%{}%", escape_like(q)));
    let number = (!q.is_empty()).then(|| q.to_string());
    let filter = "($2 IS NULL OR kind = $2) \
         AND ($3 IS NULL OR number = $3 OR (party_kind = 'legal' AND party LIKE $4 ESCAPE '\\')) \
         AND ($5 IS NULL OR id < $5)";
    let sql = match &store.db {
        crate::Db::Sqlite(_) => format!(
            "{SUBTREE} SELECT {COLUMNS} FROM decisions \
             WHERE agency_id IN (SELECT id FROM sub) AND {filter} ORDER BY id DESC LIMIT $6"
        ),
        // Each agency's newest rows through decisions_recent (agency_id, id), then the newest
        // of those: PostgreSQL's plan for the plain form walked the primary key backwards over
        // every agency's rows (a minute for a county's first page of a province's 25 M).
        crate::Db::Postgres(_) => format!(
            "{SUBTREE} SELECT d.* FROM sub CROSS JOIN LATERAL (SELECT {COLUMNS} FROM decisions \
             WHERE agency_id = sub.id AND {filter} ORDER BY id DESC LIMIT $6) d \
             ORDER BY d.id DESC LIMIT $6"
        ),
    };
    let mut decisions: Vec<Decision> = on_db!(store, pool => {
        sqlx::query_as::<_, Decision>(sqlx::AssertSqlSafe(sql))
            .bind(root)
            .bind(kind)
            .bind(number)
            .bind(pattern)
            .bind(before)
            .bind(limit + 1)
            .fetch_all(pool)
            .await?
    });
    let next = if decisions.len() as i64 > limit {
        decisions.truncate(limit as usize);
        decisions.last().map(|d| d.id)
    } else {
        None
    };
    Ok(DecisionPage { decisions, next })
}

/// One decision of `root`'s subtree with the name of its 决定机关, if there is one.
pub async fn decision(
    store: &Store,
    root: i64,
    id: i64,
) -> Result<Option<(Decision, String)>, StoreError> {
    let sql = format!(
        "{SUBTREE} SELECT {COLUMNS} FROM decisions WHERE id = $2 AND agency_id IN (SELECT id FROM sub)"
    );
    let found: Option<Decision> = on_db!(store, pool => {
        sqlx::query_as::<_, Decision>(sqlx::AssertSqlSafe(sql))
            .bind(root)
            .bind(id)
            .fetch_optional(pool)
            .await?
    });
    match found {
        Some(d) => {
            let authority = crate::models::agency::get(store, d.agency_id).await?.name;
            Ok(Some((d, authority)))
        }
        None => Ok(None),
    }
}

/// Escapes `%`, `_` and the escape character itself for a `LIKE … ESCAPE '\'` pattern, so a
/// visitor's text matches literally.
fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A mailbox letter as the portal publishes it: no contact data.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct PublicLetter {
    /// Database id.
    pub id: i64,
    /// Letter number.
    pub letter_no: String,
    /// Subject.
    pub subject: String,
    /// Body.
    pub body: String,
    /// Date received.
    pub received_on: NaiveDate,
    /// The reply.
    pub reply: Option<String>,
    /// Date of the reply.
    pub replied_on: Option<NaiveDate>,
}

/// Published, replied letters of `root`'s subtree, newest reply first, and their total. The
/// body is the text the office published (personal data taken out) where it set one.
pub async fn published_letters(
    store: &Store,
    root: i64,
    limit: i64,
    offset: i64,
) -> Result<(Vec<PublicLetter>, i64), StoreError> {
    let cond = "agency_id IN (SELECT id FROM sub) AND published = $2 AND replied_on IS NOT NULL";
    let list_sql = format!(
        "{SUBTREE} SELECT id, letter_no, subject, COALESCE(public_body, body) AS body, received_on, reply, replied_on \
         FROM mailbox_letters WHERE {cond} ORDER BY replied_on DESC, id DESC LIMIT $3 OFFSET $4"
    );
    let count_sql = format!("{SUBTREE} SELECT COUNT(*) AS n FROM mailbox_letters WHERE {cond}");
    let limit = limit.clamp(1, 200);
    let offset = offset.max(0);
    on_db!(store, pool => {
        let letters = sqlx::query_as::<_, PublicLetter>(sqlx::AssertSqlSafe(list_sql))
            .bind(root)
            .bind(true)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?;
        let total: i64 = sqlx::query(sqlx::AssertSqlSafe(count_sql))
            .bind(root)
            .bind(true)
            .fetch_one(pool)
            .await?
            .try_get("n")?;
        Ok((letters, total))
    })
}

/// A published item with its agency's name: what the search index stores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexRow {
    /// The item.
    pub item: ProactiveItem,
    /// The name of the agency that owns it.
    pub agency_name: String,
    /// 正文 as published.
    pub body: String,
}

/// Every published item of `root`'s subtree with its agency's name and 正文, for (re)building
/// the search index.
pub async fn index_rows(store: &Store, root: i64) -> Result<Vec<IndexRow>, StoreError> {
    let cols: String = ITEM_COLUMNS
        .split(',')
        .map(|c| format!("p.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "{SUBTREE} SELECT {cols}, a.name AS agency_name, p.body AS body FROM proactive_items p \
         JOIN agencies a ON a.id = p.agency_id \
         WHERE p.agency_id IN (SELECT id FROM sub) AND p.status = 'published' ORDER BY p.id"
    );
    on_db!(store, pool => {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(root).fetch_all(pool).await?;
        rows.iter()
            .map(|r| {
                Ok(IndexRow {
                    item: <ProactiveItem as sqlx::FromRow<_>>::from_row(r)?,
                    agency_name: r.try_get("agency_name")?,
                    body: r.try_get("body")?,
                })
            })
            .collect()
    })
}

/// Application figures of one year for the report's charts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ApplicationStats {
    /// Applications concluded in the year, by [`gongkai_law::Outcome::key`].
    pub by_outcome: Vec<(String, i64)>,
    /// Applications received in the year, by [`gongkai_law::ApplicantKind::key`].
    pub by_kind: Vec<(String, i64)>,
    /// Applications received per year, every year on record up to this one.
    pub per_year: Vec<(i32, i64)>,
}

/// Application statistics of `root`'s subtree for `year`.
pub async fn application_stats(
    store: &Store,
    root: i64,
    year: i32,
) -> Result<ApplicationStats, StoreError> {
    let (Some(start), Some(end)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Err(StoreError::invalid(format!("year {year}")));
    };
    let outcome_sql = format!(
        "{SUBTREE} SELECT outcome AS k, COUNT(*) AS n FROM applications \
         WHERE agency_id IN (SELECT id FROM sub) AND concluded_on >= $2 AND concluded_on <= $3 \
         AND outcome IS NOT NULL GROUP BY outcome ORDER BY n DESC, outcome"
    );
    let kind_sql = format!(
        "{SUBTREE} SELECT applicant_kind AS k, COUNT(*) AS n FROM applications \
         WHERE agency_id IN (SELECT id FROM sub) AND received_on >= $2 AND received_on <= $3 \
         GROUP BY applicant_kind ORDER BY applicant_kind"
    );
    // Dates are read back and grouped in Rust: the year of a date is spelled differently in
    // SQLite (strftime) and PostgreSQL (EXTRACT), and the rows are few.
    let dates_sql = format!(
        "{SUBTREE} SELECT received_on FROM applications \
         WHERE agency_id IN (SELECT id FROM sub) AND received_on <= $2"
    );
    on_db!(store, pool => {
        let mut stats = ApplicationStats::default();
        for (sql, slot) in [(outcome_sql, 0usize), (kind_sql, 1)] {
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(root)
                .bind(start)
                .bind(end)
                .fetch_all(pool)
                .await?;
            let v = rows
                .iter()
                .map(|r| Ok((r.try_get::<String, _>("k")?, r.try_get::<i64, _>("n")?)))
                .collect::<Result<Vec<_>, StoreError>>()?;
            if slot == 0 {
                stats.by_outcome = v;
            } else {
                stats.by_kind = v;
            }
        }
        let rows = sqlx::query(sqlx::AssertSqlSafe(dates_sql))
            .bind(root)
            .bind(end)
            .fetch_all(pool)
            .await?;
        let mut years = std::collections::BTreeMap::<i32, i64>::new();
        for r in &rows {
            let d: NaiveDate = r.try_get("received_on")?;
            *years.entry(chrono::Datelike::year(&d)).or_default() += 1;
        }
        stats.per_year = years.into_iter().collect();
        Ok(stats)
    })
}

/// One year's published annual report as the portal lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedYear {
    /// The report's year.
    pub year: i32,
    /// When it was first published (Unix seconds).
    pub first_published_at: i64,
    /// When its latest snapshot was published (Unix seconds); equals the first unless the
    /// head published a corrected version.
    pub last_published_at: i64,
}

/// The years of `root`'s published annual reports before `before` (the current year: a year
/// not over has no report), newest first. Only a published snapshot makes a report public.
pub async fn report_years(
    store: &Store,
    root: i64,
    before: i32,
) -> Result<Vec<PublishedYear>, StoreError> {
    on_db!(store, pool => {
        let rows = sqlx::query(
            "SELECT year, MIN(published_at) AS first_at, MAX(published_at) AS last_at \
             FROM published_reports WHERE agency_id = $1 AND year < $2 \
             GROUP BY year ORDER BY year DESC",
        )
        .bind(root)
        .bind(i64::from(before))
        .fetch_all(pool)
        .await?;
        rows.iter()
            .map(|r| {
                let year: i64 = r.try_get("year")?;
                Ok(PublishedYear {
                    year: i32::try_from(year).map_err(|_| StoreError::invalid(format!("year {year}")))?,
                    first_published_at: r.try_get("first_at")?,
                    last_published_at: r.try_get("last_at")?,
                })
            })
            .collect()
    })
}
