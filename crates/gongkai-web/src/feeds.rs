//! `/feed.atom` (the newest published items) and `/sitemap.xml` (the portal's pages and items).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use gongkai_store::views::portal::{self as views, ItemFilter};

use crate::catalog::CATEGORIES;
use crate::{AppState, PageError};

/// Escapes text for XML content and attributes.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML 1.0 forbids are dropped rather than breaking the document.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// `/feed.atom`: the 50 newest published items.
pub async fn atom(State(state): State<AppState>) -> Result<Response, PageError> {
    let page = views::list_items(
        &state.store,
        state.site.agency_id,
        &ItemFilter::default(),
        50,
        0,
    )
    .await?;
    let base = state.public_url.to_string();
    let updated = page
        .items
        .iter()
        .filter_map(|i| i.published_on)
        .max()
        .map_or_else(
            || "1970-01-01".to_string(),
            |d| d.format("%Y-%m-%d").to_string(),
        );
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <title>{} - 最新信息</title>\n<id>{base}/</id>\n<link href=\"{base}/\"/>\n\
         <link rel=\"self\" href=\"{base}/feed.atom\"/>\n<updated>{updated}T00:00:00+08:00</updated>\n",
        xml_escape(&state.site.site_name)
    );
    for i in &page.items {
        let body = gongkai_store::models::proactive_item::body(&state.store, i.id).await?;
        let summary = if i.summary.trim().is_empty() {
            lead(&body)
        } else {
            i.summary.trim().to_string()
        };
        let url = format!("{base}{}", crate::indexing::item_url(i.id));
        let date = i
            .published_on
            .or(i.written_on)
            .map_or_else(|| updated.clone(), |d| d.format("%Y-%m-%d").to_string());
        out.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{url}</id>\n<link href=\"{url}\"/>\n\
             <updated>{date}T00:00:00+08:00</updated>\n<author><name>{}</name></author>\n\
             <summary>{}</summary>\n</entry>\n",
            xml_escape(&i.title),
            xml_escape(&i.publisher),
            xml_escape(if summary.is_empty() {
                &i.index_no
            } else {
                &summary
            }),
        ));
    }
    out.push_str("</feed>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        out,
    )
        .into_response())
}

/// The first lines of a 正文 for a feed summary: up to two non-empty lines and 160
/// characters, cut with 「…」.
pub fn lead(body: &str) -> String {
    const MAX: usize = 160;
    let text = body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(2)
        .collect::<Vec<_>>()
        .join(" ");
    if text.chars().count() > MAX {
        let mut cut: String = text.chars().take(MAX).collect();
        cut.push('…');
        cut
    } else {
        text
    }
}

/// `/sitemap.xml`: the column's pages and every published item.
pub async fn sitemap(State(state): State<AppState>) -> Result<Response, PageError> {
    let base = state.public_url.to_string();
    let mut urls: Vec<String> = [
        "/",
        "/xxgk",
        "/xxgk/guide",
        "/xxgk/system",
        "/xxgk/fdzdgknr",
        "/xxgk/units",
        "/xxgk/topics",
        "/xxgk/decisions",
        "/xxgk/catalogue",
        "/xxgk/media",
        "/xxgk/annual",
        "/search",
        "/apply",
        "/track",
        "/mailbox",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    urls.extend(
        CATEGORIES
            .iter()
            .map(|c| format!("/xxgk/category/{}", c.key)),
    );
    for r in crate::reports::published_years(&state).await? {
        urls.push(format!("/reports/{}", r.year));
    }
    let rows = views::index_rows(&state.store, state.site.agency_id).await?;
    urls.extend(rows.iter().map(|r| crate::indexing::item_url(r.item.id)));
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for u in urls.iter().take(50_000) {
        out.push_str(&format!(
            "<url><loc>{}</loc></url>\n",
            xml_escape(&format!("{base}{u}"))
        ));
    }
    out.push_str("</urlset>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        out,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::lead;

    #[test]
    fn lead_is_the_first_lines_of_the_body() {
        assert_eq!(
            lead("\n各乡镇：\n  现将有关事项通知如下。\n一、……"),
            "各乡镇： 现将有关事项通知如下。"
        );
        let long = "长".repeat(200);
        let l = lead(&long);
        assert_eq!(l.chars().count(), 161);
        assert!(l.ends_with('…'));
        assert_eq!(lead("   "), "");
    }
}
