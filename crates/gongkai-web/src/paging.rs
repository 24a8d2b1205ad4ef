//! Paged listings: the `?page=` query and the links to the pages around the current one, for
//! the portal's listings and the back office's tables alike.

use serde::Deserialize;

/// Items per page of a listing.
pub const PER_PAGE: i64 = 20;

/// Links to the pages of a paged listing.
#[derive(Debug, Clone, Default)]
pub struct Pager {
    /// Current page (1-based).
    pub page: i64,
    /// Number of pages.
    pub pages: i64,
    /// Link to the previous page.
    pub prev: Option<String>,
    /// Link to the next page.
    pub next: Option<String>,
}

impl Pager {
    /// The pager of page `page` of `total` rows, links built from `base` (which ends in `?` or
    /// `&`).
    pub fn new(page: i64, total: i64, per_page: i64, base: &str) -> Pager {
        let pages = ((total + per_page - 1) / per_page).max(1);
        let page = page.clamp(1, pages);
        Pager {
            page,
            pages,
            prev: (page > 1).then(|| format!("{base}page={}", page - 1)),
            next: (page < pages).then(|| format!("{base}page={}", page + 1)),
        }
    }
}

/// `?page=`
#[derive(Debug, Deserialize, Default)]
pub struct PageQuery {
    /// 1-based page.
    #[serde(default)]
    pub page: Option<String>,
}

impl PageQuery {
    /// The page asked for, 1 when missing or unreadable, at most 100,000.
    pub fn number(&self) -> i64 {
        self.page
            .as_deref()
            .and_then(|p| p.trim().parse::<i64>().ok())
            .unwrap_or(1)
            .clamp(1, 100_000)
    }
}
