//! What every page's frame needs: the site's name, the section the page belongs to (for the
//! navigation's `aria-current`), and the reader's font size (适老化: three sizes, switched by
//! links that set a cookie, so the switch works without JavaScript).

use axum::extract::Query;
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::AppState;
use crate::security::cookie;

/// Name of the cookie holding the chosen font size.
pub const FONT_COOKIE: &str = "gk_fs";

/// A section of the site, as the main navigation lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// 首页
    Home,
    /// 政府信息公开
    Disclosure,
    /// 依申请公开
    Apply,
    /// 县长信箱
    Mailbox,
    /// 年度报告
    Reports,
    /// 搜索
    Search,
    /// Pages outside the main navigation.
    Other,
}

/// One entry of the main navigation.
#[derive(Debug, Clone)]
pub struct NavLink {
    /// Where it goes.
    pub href: &'static str,
    /// Its label.
    pub label: &'static str,
    /// Whether the current page belongs to it.
    pub current: bool,
}

/// The frame of a page: everything `base.html` shows around the content.
#[derive(Debug, Clone)]
pub struct Page {
    /// The page's own title (the `<title>` adds the site's name).
    pub title: String,
    /// The site's name.
    pub site_name: String,
    /// 网站标识码.
    pub site_code: String,
    /// ICP 备案号.
    pub icp: String,
    /// 公安机关备案号 (empty: not shown).
    pub police_record: String,
    /// The main navigation with the current section marked.
    pub nav: Vec<NavLink>,
    /// `normal`, `large` or `xlarge`.
    pub font: &'static str,
    /// The request path, for the font-size links to come back to.
    pub path: String,
}

impl Page {
    /// The frame for a page titled `title` in `section`.
    pub fn new(
        state: &AppState,
        headers: &HeaderMap,
        path: &str,
        title: impl Into<String>,
        section: Section,
    ) -> Page {
        let links = [
            ("/", "首页", Section::Home),
            ("/xxgk", "政府信息公开", Section::Disclosure),
            ("/apply", "依申请公开", Section::Apply),
            ("/mailbox", "县长信箱", Section::Mailbox),
            ("/xxgk/annual", "年度报告", Section::Reports),
            ("/search", "搜索", Section::Search),
        ];
        let footer = state.settings.footer();
        Page {
            title: title.into(),
            site_name: state.site.site_name.clone(),
            site_code: footer.site_code,
            icp: footer.icp,
            police_record: footer.police_record,
            nav: links
                .into_iter()
                .map(|(href, label, s)| NavLink {
                    href,
                    label,
                    current: s == section,
                })
                .collect(),
            font: font_size(headers),
            path: crate::security::safe_redirect(path).to_string(),
        }
    }
}

/// The reader's font size from the cookie.
pub fn font_size(headers: &HeaderMap) -> &'static str {
    match cookie(headers, FONT_COOKIE) {
        Some("large") => "large",
        Some("xlarge") => "xlarge",
        _ => "normal",
    }
}

/// The query of `/font-size`.
#[derive(Debug, Deserialize)]
pub struct FontSizeQuery {
    size: String,
    #[serde(default)]
    back: String,
}

/// `/font-size?size=large&back=/path`: remembers the size and returns to the page.
pub async fn set_font_size(Query(q): Query<FontSizeQuery>) -> Response {
    let size = match q.size.as_str() {
        "large" | "xlarge" => q.size.as_str(),
        _ => "normal",
    };
    let mut resp = Redirect::to(crate::security::safe_redirect(&q.back)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{FONT_COOKIE}={size}; Path=/; Max-Age=31536000; SameSite=Lax"
    )) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

/// The frame of a page at `uri`.
pub fn frame(
    state: &AppState,
    headers: &HeaderMap,
    uri: &Uri,
    title: &str,
    section: Section,
) -> Page {
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    Page::new(state, headers, path, title, section)
}
