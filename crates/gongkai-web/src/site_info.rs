//! The site's own facts as every page shows them: the footer's 网站标识码, ICP and 公安 备案
//! numbers, kept in the database (`gongkai_store::models::site_settings`, edited by the system
//! admin at `/admin/site-settings`) and held here so the synchronous page frame can read them.
//!
//! The values the server was started with (`GONGKAI_SITE_CODE`, `GONGKAI_ICP`, carried in
//! [`crate::SiteSettings`]) are the defaults a field falls back to while it is not set. A save
//! on this node takes effect at once ([`LiveSettings::replace`]); every node re-reads the row
//! when its copy is older than [`FRESH`] ([`refresh`], a middleware), so several `gongkai
//! serve` processes over one database agree within that time.

use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use gongkai_store::Store;
use gongkai_store::models::agency;
use gongkai_store::models::site_settings::SiteSettings as Stored;

use crate::AppState;

/// How long a node keeps its copy of the settings before reading them again.
pub const FRESH: Duration = Duration::from_secs(10);

/// The footer's identifiers as shown.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Footer {
    /// 网站标识码
    pub site_code: String,
    /// ICP 备案号
    pub icp: String,
    /// 公安机关备案号 (empty: not shown).
    pub police_record: String,
}

#[derive(Debug)]
struct Copy {
    read_at: Option<Instant>,
    stored: Arc<Stored>,
}

/// The settings of this node's site, refreshed from the database.
#[derive(Debug)]
pub struct LiveSettings {
    default_site_code: String,
    default_icp: String,
    copy: RwLock<Copy>,
}

impl LiveSettings {
    /// Settings falling back to `site_code` and `icp` (the start-up values) until the database
    /// says otherwise.
    pub fn new(site_code: &str, icp: &str) -> LiveSettings {
        LiveSettings {
            default_site_code: site_code.to_string(),
            default_icp: icp.to_string(),
            copy: RwLock::new(Copy {
                read_at: None,
                stored: Arc::new(Stored::default()),
            }),
        }
    }

    /// The stored settings as last read (empty fields are not set).
    pub fn stored(&self) -> Arc<Stored> {
        match self.copy.read() {
            Ok(c) => c.stored.clone(),
            Err(poisoned) => poisoned.into_inner().stored.clone(),
        }
    }

    /// The footer: each stored value, or the start-up default while it is not set.
    pub fn footer(&self) -> Footer {
        let s = self.stored();
        let or = |v: &str, d: &str| {
            if v.is_empty() {
                d.to_string()
            } else {
                v.to_string()
            }
        };
        Footer {
            site_code: or(&s.site_code, &self.default_site_code),
            icp: or(&s.icp, &self.default_icp),
            police_record: s.police_record.clone(),
        }
    }

    /// Takes `stored` as the current settings (after a save on this node).
    pub fn replace(&self, stored: Stored) {
        let copy = Copy {
            read_at: Some(Instant::now()),
            stored: Arc::new(stored),
        };
        match self.copy.write() {
            Ok(mut c) => *c = copy,
            Err(poisoned) => *poisoned.into_inner() = copy,
        }
    }

    fn stale(&self) -> bool {
        let read_at = match self.copy.read() {
            Ok(c) => c.read_at,
            Err(poisoned) => poisoned.into_inner().read_at,
        };
        read_at.is_none_or(|t| t.elapsed() >= FRESH)
    }

    /// Reads the settings of the site of `agency_id` again when this copy is older than
    /// [`FRESH`]. A database error keeps the old copy (the footer must not fail a page).
    pub async fn refresh(&self, store: &Store, agency_id: i64) {
        if !self.stale() {
            return;
        }
        if let Ok(found) = gongkai_store::models::site_settings::get(store, agency_id).await {
            self.replace(found.unwrap_or_default());
        }
    }
}

/// Middleware: brings the node's copy of the settings up to date before the page is built.
pub async fn refresh(State(state): State<AppState>, req: Request, next: Next) -> Response {
    state
        .settings
        .refresh(&state.store, state.site.agency_id)
        .await;
    next.run(req).await
}

/// The name of the site's agency (the site's name when the agency is not in the database).
pub async fn agency_name(state: &AppState) -> String {
    match agency::get(&state.store, state.site.agency_id).await {
        Ok(a) => a.name,
        Err(_) => state.site.site_name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_value_wins_and_an_empty_one_falls_back() {
        let live = LiveSettings::new("4114260001", "豫ICP备00000001号");
        assert_eq!(live.footer().site_code, "4114260001");
        assert!(live.stale());
        live.replace(Stored {
            icp: "豫ICP备05012345号".into(),
            police_record: "豫公网安备 41142602000101号".into(),
            ..Stored::default()
        });
        let f = live.footer();
        assert_eq!(
            (
                f.site_code.as_str(),
                f.icp.as_str(),
                f.police_record.as_str()
            ),
            (
                "4114260001",
                "豫ICP备05012345号",
                "豫公网安备 41142602000101号"
            )
        );
        assert!(!live.stale());
    }
}
