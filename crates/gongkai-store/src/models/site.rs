//! The sites of a 集约化 platform (issue 17.1; 国办发〔2017〕47号, 国办函〔2018〕71号): county
//! departments, townships and whole counties publishing through one deployment, each with its
//! own portal. A site is an agency (the root of the subtree it publishes for), a name, and the
//! host names that route requests to it; its footer codes and 指南 office are its
//! [`super::site_settings`]. A deployment without sites serves one portal, as `gongkai serve`
//! is told. Adding a site or a host is audited (`site.add`), and reaches every node through the
//! change feed (kind `site`).

use serde::Serialize;
use sqlx::Row;

use crate::audit::audit_append;
use crate::{BeginWrite, Store, StoreError};

/// The longest site name, in characters.
pub const NAME_MAX: usize = 100;

/// A site of the platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Site {
    /// The agency whose portal this is.
    pub agency_id: i64,
    /// The name its pages carry (e.g. 夏邑县人民政府).
    pub name: String,
    /// Its host names, lower case, without ports, in the order added.
    pub hosts: Vec<String>,
}

/// A host name as stored: trimmed, lower case, without a port or a final dot; `None` when it
/// is not a DNS name or an IP address (letters, digits, `-` and `.`, or an IPv6 literal in
/// brackets), or longer than 253 characters.
pub fn normalize_host(raw: &str) -> Option<String> {
    let h = raw.trim().to_ascii_lowercase();
    let port_ok = |p: &str| p.is_empty() || p.chars().all(|c| c.is_ascii_digit());
    let h = if h.starts_with('[') {
        // [v6]:port → [v6]
        let end = h.find(']')?;
        port_ok(h[end + 1..].strip_prefix(':').unwrap_or(&h[end + 1..])).then_some(())?;
        h[..=end].to_string()
    } else {
        let (host, port) = h.split_once(':').unwrap_or((&h, ""));
        port_ok(port).then_some(())?;
        host.to_string()
    };
    let h = h.trim_end_matches('.').to_string();
    let ok = !h.is_empty()
        && h.len() <= 253
        && if h.starts_with('[') {
            h[1..h.len() - 1].parse::<std::net::Ipv6Addr>().is_ok()
        } else {
            h.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
        };
    ok.then_some(h)
}

/// Adds a site for `agency_id` named `name` with `hosts`, or — when the agency already has a
/// site — adds the hosts it does not have yet (and renames it when `name` differs). A host
/// another site holds, a malformed host or name, or an unknown agency is refused and nothing
/// is written. Audited as `site.add` with the hosts added.
pub async fn add(
    store: &Store,
    actor: &str,
    agency_id: i64,
    name: &str,
    hosts: &[String],
) -> Result<Site, StoreError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > NAME_MAX {
        return Err(StoreError::invalid(format!(
            "网站名称须为1至{NAME_MAX}个字"
        )));
    }
    let mut wanted = Vec::new();
    for h in hosts {
        let n = normalize_host(h)
            .ok_or_else(|| StoreError::invalid(format!("「{h}」不是有效的域名")))?;
        if !wanted.contains(&n) {
            wanted.push(n);
        }
    }
    if wanted.is_empty() {
        return Err(StoreError::invalid("至少需要一个域名"));
    }
    crate::models::agency::get(store, agency_id).await?;
    let now = chrono::Utc::now().timestamp();
    on_db!(store, pool => {
        let mut tx = pool.begin_write().await?;
        let existing: Option<String> =
            sqlx::query_scalar("SELECT name FROM sites WHERE agency_id = $1")
                .bind(agency_id)
                .fetch_optional(&mut *tx)
                .await?;
        match existing {
            None => {
                sqlx::query(
                    "INSERT INTO sites (agency_id, name, created_by, created_at) VALUES ($1, $2, $3, $4)",
                )
                .bind(agency_id)
                .bind(name)
                .bind(actor)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            Some(old) if old != name => {
                sqlx::query("UPDATE sites SET name = $1 WHERE agency_id = $2")
                    .bind(name)
                    .bind(agency_id)
                    .execute(&mut *tx)
                    .await?;
            }
            Some(_) => {}
        }
        let mut added = Vec::new();
        for h in &wanted {
            let holder: Option<i64> =
                sqlx::query_scalar("SELECT agency_id FROM site_hosts WHERE host = $1")
                    .bind(h)
                    .fetch_optional(&mut *tx)
                    .await?;
            match holder {
                Some(a) if a == agency_id => {}
                Some(_) => {
                    return Err(StoreError::invalid(format!("域名 {h} 已属于另一个网站")));
                }
                None => {
                    sqlx::query("INSERT INTO site_hosts (host, agency_id) VALUES ($1, $2)")
                        .bind(h)
                        .bind(agency_id)
                        .execute(&mut *tx)
                        .await?;
                    added.push(h.clone());
                }
            }
        }
        let detail = serde_json::json!({"name": name, "hosts_added": added}).to_string();
        audit_append!(tx, actor, "site.add", "site", &agency_id.to_string(), &detail);
        tx.commit().await?;
        Ok::<(), StoreError>(())
    })?;
    get(store, agency_id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("网站 {agency_id}")))
}

/// Every site, by agency id, with its hosts.
pub async fn list(store: &Store) -> Result<Vec<Site>, StoreError> {
    let rows: Vec<(i64, String, Option<String>)> = on_db!(store, pool => {
        sqlx::query(
            "SELECT s.agency_id, s.name, h.host FROM sites s \
             LEFT JOIN site_hosts h ON h.agency_id = s.agency_id \
             ORDER BY s.agency_id, h.host",
        )
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("agency_id")?, r.try_get("name")?, r.try_get("host")?)))
        .collect::<Result<Vec<_>, sqlx::Error>>()?
    });
    let mut out: Vec<Site> = Vec::new();
    for (agency_id, name, host) in rows {
        if out.last().is_none_or(|s| s.agency_id != agency_id) {
            out.push(Site {
                agency_id,
                name,
                hosts: Vec::new(),
            });
        }
        if let (Some(h), Some(site)) = (host, out.last_mut()) {
            site.hosts.push(h);
        }
    }
    Ok(out)
}

/// The site of `agency_id`, if it has one.
pub async fn get(store: &Store, agency_id: i64) -> Result<Option<Site>, StoreError> {
    // The platform has tens or hundreds of sites: reading them all is one small query.
    Ok(list(store)
        .await?
        .into_iter()
        .find(|s| s.agency_id == agency_id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_stored_in_one_spelling() {
        assert_eq!(
            normalize_host(" WWW.Xiayi.gov.cn.:443 ").as_deref(),
            Some("www.xiayi.gov.cn")
        );
        assert_eq!(
            normalize_host("127.0.0.1:8080").as_deref(),
            Some("127.0.0.1")
        );
        assert_eq!(normalize_host("[::1]:8080").as_deref(), Some("[::1]"));
        assert_eq!(
            normalize_host("jiaoyu.localhost").as_deref(),
            Some("jiaoyu.localhost")
        );
        for bad in [
            "",
            "a b.cn",
            "-x.cn",
            "x..cn",
            "http://x.cn",
            "[zz]",
            "政府.cn",
        ] {
            assert_eq!(normalize_host(bad), None, "{bad}");
        }
    }
}
