//! Many sites on one deployment (集约化, issue 17.1): requests are routed by `Host` to the
//! site that holds the host name (`gongkai_store::models::site`), each site served by the same
//! router over its own [`AppState`] — its agency, name, footer settings and public address —
//! so that every page, the search, the feed, the sitemap and `/api/v1` show that site's
//! subtree only, by the same code as a single portal. Everything else is shared: the store,
//! the limits, the page cache (keyed by site), the metrics, and one search index holding every
//! site's items ([`AppState::index_roots`]), which each site searches within its own subtree.
//!
//! A host no site holds is served by the default site (the one `gongkai serve` was started
//! for), as a single portal is. A deployment without sites is a single portal and this module
//! is not involved. Sites are read when the server starts; a site added later is served after
//! a restart of each node (`gongkai site add` says so).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use axum::http::header;
use gongkai_store::StoreError;
use gongkai_store::models::site::{self, Site, normalize_host};
use tower::ServiceExt;

use crate::{AppState, SiteSettings, site_info};

/// The agencies the shared search index must cover: the default site's and every site's.
pub async fn index_roots(
    store: &gongkai_store::Store,
    default_root: i64,
) -> Result<Arc<[i64]>, StoreError> {
    let mut roots = vec![default_root];
    for s in site::list(store).await? {
        if !roots.contains(&s.agency_id) {
            roots.push(s.agency_id);
        }
    }
    Ok(Arc::from(roots))
}

/// The public address of a site: the default's scheme and port with the site's first host.
pub fn public_url(default: &str, host: &str) -> String {
    let (scheme, rest) = default.split_once("://").unwrap_or(("http", default));
    let authority = rest.split('/').next().unwrap_or(rest);
    let port = if authority.ends_with(']') {
        None
    } else {
        authority.rsplit_once(':').map(|(_, p)| p)
    };
    match port {
        Some(p) => format!("{scheme}://{host}:{p}"),
        None => format!("{scheme}://{host}"),
    }
}

/// The state of one site, derived from the default site's: the same shared parts, this
/// site's agency, name, public address and its own copy of the footer settings.
pub fn site_state(default: &AppState, site: &Site) -> AppState {
    let mut s = default.clone();
    s.site = Arc::new(SiteSettings {
        site_name: site.name.clone(),
        agency_id: site.agency_id,
        site_code: default.site.site_code.clone(),
        icp: default.site.icp.clone(),
    });
    s.settings = Arc::new(site_info::LiveSettings::new(
        &default.site.site_code,
        &default.site.icp,
    ));
    if let Some(host) = site.hosts.first() {
        s.public_url = Arc::from(public_url(&default.public_url, host).as_str());
    }
    s
}

/// The application for every site of the store: the default state's router for hosts no site
/// holds (and when there is no site at all), each site's router for its hosts. The default
/// state's `index_roots` must already cover every site ([`index_roots`]).
pub async fn router(default: AppState) -> Result<Router, StoreError> {
    let sites = site::list(&default.store).await?;
    if sites.is_empty() {
        return Ok(crate::router(default));
    }
    let mut by_host: HashMap<String, Router> = HashMap::new();
    let mut default_app = None;
    for s in &sites {
        let app = if s.agency_id == default.site.agency_id {
            // The default site keeps its state (and its name from the sites table).
            let mut d = default.clone();
            d.site = Arc::new(SiteSettings {
                site_name: s.name.clone(),
                ..(*default.site).clone()
            });
            if let Some(host) = s.hosts.first() {
                d.public_url = Arc::from(public_url(&default.public_url, host).as_str());
            }
            let app = crate::router(d);
            default_app = Some(app.clone());
            app
        } else {
            crate::router(site_state(&default, s))
        };
        for h in &s.hosts {
            by_host.insert(h.clone(), app.clone());
        }
    }
    let fallback = default_app.unwrap_or_else(|| crate::router(default));
    let by_host = Arc::new(by_host);
    Ok(
        Router::new().fallback_service(tower::service_fn(move |req: Request| {
            let app = host_of(&req)
                .and_then(|h| by_host.get(&h).cloned())
                .unwrap_or_else(|| fallback.clone());
            app.oneshot(req)
        })),
    )
}

/// The request's host name, as the sites table spells it: the `Host` header (HTTP/1.1, and
/// what nginx passes on with `proxy_set_header Host $host`), else the URI's authority.
fn host_of(req: &Request) -> Option<String> {
    req.headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| req.uri().host())
        .and_then(normalize_host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sites_address_keeps_the_scheme_and_port() {
        assert_eq!(
            public_url("http://127.0.0.1:8080", "jiaoyu.localhost"),
            "http://jiaoyu.localhost:8080"
        );
        assert_eq!(
            public_url("https://www.xiayi.gov.cn", "jyj.xiayi.gov.cn"),
            "https://jyj.xiayi.gov.cn"
        );
        assert_eq!(public_url("http://[::1]", "a.cn"), "http://a.cn");
    }
}
