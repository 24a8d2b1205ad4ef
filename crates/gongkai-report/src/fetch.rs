//! Reports published on the web (feature `fetch`): a URL fetched into a [`Document`] for
//! [`crate::batch::parse_document`], bounded — a timeout on connecting and on the whole
//! exchange, at most a few redirects, and a body refused as soon as it passes the size the
//! readers of `gongkai-extract` accept ([`gongkai_extract::Budget::max_file_bytes`]).
//!
//! A web page that links the report as a PDF or DOCX (an attachment link whose text names
//! 年度报告 / 年报, else the page's only such link) is followed to that file; otherwise the page
//! itself is the report. The page's charset is read from its Content-Type, then its `<meta>`.
//! Used by `gongkai report parse|check URL` and by the workbench's import by URL list.

use std::time::Duration;

use reqwest::redirect::Policy;
use url::Url;

use crate::batch::{DocKind, Document};

/// What a fetch may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchLimits {
    /// Bytes of one fetched file (the page, and the file it links).
    pub max_bytes: u64,
    /// Connecting to the server.
    pub connect_timeout: Duration,
    /// One whole request, from connecting to the last byte.
    pub timeout: Duration,
    /// Redirects followed.
    pub max_redirects: usize,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits {
            max_bytes: gongkai_extract::Budget::default().max_file_bytes,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_redirects: 5,
        }
    }
}

/// Why a report could not be fetched.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// Not an http(s) URL.
    #[error("{0}：不是有效的网址（应以 http:// 或 https:// 开头）")]
    BadUrl(String),
    /// No HTTP client could be built.
    #[error("无法创建网络客户端：{0}")]
    Client(String),
    /// The server did not answer in time or the connection failed.
    #[error("{url}：无法获取（{reason}）")]
    Unreachable {
        /// The URL.
        url: String,
        /// What failed.
        reason: String,
    },
    /// The server answered with an error status.
    #[error("{url}：服务器返回 {status}")]
    Status {
        /// The URL.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// The file is larger than the limit.
    #[error("{url}：文件超过 {limit_mb} MB")]
    TooLarge {
        /// The URL.
        url: String,
        /// The limit in MB.
        limit_mb: u64,
    },
    /// The page could not be decoded within the readers' budget.
    #[error("{0}")]
    Extract(#[from] gongkai_extract::ExtractError),
}

/// The HTTP client of [`fetch`] with the timeouts and redirect limit of `limits`.
pub fn client(limits: &FetchLimits) -> Result<reqwest::Client, FetchError> {
    reqwest::Client::builder()
        .user_agent(concat!("gongkai-report/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(limits.connect_timeout)
        .timeout(limits.timeout)
        .redirect(Policy::limited(limits.max_redirects))
        .build()
        .map_err(|e| FetchError::Client(e.to_string()))
}

/// Whether `s` is an http(s) URL (as opposed to a file path).
pub fn is_url(s: &str) -> bool {
    let s = s.trim_start();
    s.starts_with("http://") || s.starts_with("https://")
}

/// Fetches the report at `url` (following a page's link to its PDF or DOCX), named for the
/// batch reader by its type (`URL#.pdf`).
pub async fn fetch(
    client: &reqwest::Client,
    url: &str,
    limits: &FetchLimits,
) -> Result<Document, FetchError> {
    let url = url.trim();
    let parsed = Url::parse(url).map_err(|_| FetchError::BadUrl(url.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(FetchError::BadUrl(url.to_string()));
    }
    let (final_url, content_type, bytes) = get(client, parsed, limits).await?;
    let name = doc_name(&final_url, content_type.as_deref());
    if DocKind::of(&name) == Some(DocKind::Html) {
        let page = match content_type.as_deref().and_then(charset_of) {
            Some(cs) => decode_with(&cs, &bytes),
            None => gongkai_extract::read_html(&name, &bytes, &gongkai_extract::Budget::default())?,
        };
        if let Some(link) = report_link(&page, &final_url) {
            let (u, ct, b) = get(client, link, limits).await?;
            return Ok(Document {
                name: doc_name(&u, ct.as_deref()),
                bytes: b,
            });
        }
        return Ok(Document {
            name,
            bytes: page.into_bytes(),
        });
    }
    Ok(Document { name, bytes })
}

/// One GET, its body read chunk by chunk and refused once it passes `limits.max_bytes`.
async fn get(
    client: &reqwest::Client,
    url: Url,
    limits: &FetchLimits,
) -> Result<(Url, Option<String>, Vec<u8>), FetchError> {
    let shown = url.to_string();
    let unreachable = |e: reqwest::Error| FetchError::Unreachable {
        url: shown.clone(),
        reason: if e.is_timeout() {
            "超时".to_string()
        } else if e.is_redirect() {
            "重定向过多".to_string()
        } else if e.is_connect() {
            "无法连接".to_string()
        } else {
            e.to_string()
        },
    };
    let mut resp = client.get(url.clone()).send().await.map_err(unreachable)?;
    let status = resp.status();
    if !status.is_success() {
        return Err(FetchError::Status {
            url: shown,
            status: status.as_u16(),
        });
    }
    let too_large = || FetchError::TooLarge {
        url: shown.clone(),
        limit_mb: limits.max_bytes / 1024 / 1024,
    };
    if resp.content_length().is_some_and(|n| n > limits.max_bytes) {
        return Err(too_large());
    }
    let final_url = resp.url().clone();
    let ct = resp
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    let mut bytes = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(unreachable)? {
        if (bytes.len() + chunk.len()) as u64 > limits.max_bytes {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok((final_url, ct, bytes))
}

/// A name with the extension the document's type calls for (for the batch reader).
fn doc_name(u: &Url, content_type: Option<&str>) -> String {
    let ct = content_type.unwrap_or("");
    let ext = if ct.contains("pdf") {
        "pdf"
    } else if ct.contains("wordprocessingml") {
        "docx"
    } else if ct.contains("html") {
        "html"
    } else if ct.contains("json") {
        "json"
    } else {
        return u.to_string();
    };
    format!("{u}#.{ext}")
}

fn charset_of(content_type: &str) -> Option<String> {
    let at = content_type.find("charset=")? + "charset=".len();
    let label: String = content_type[at..]
        .trim_start_matches(['"', '\'', ' '])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!label.is_empty()).then_some(label)
}

fn decode_with(label: &str, bytes: &[u8]) -> String {
    encoding_rs::Encoding::for_label(label.as_bytes())
        .unwrap_or(encoding_rs::UTF_8)
        .decode(bytes)
        .0
        .into_owned()
}

/// The link of a page to its report as a PDF or DOCX.
fn report_link(page: &str, base: &Url) -> Option<Url> {
    let mut links = Vec::new();
    let lower = page.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("href=") {
        let start = from + at + 5;
        let quote = page[start..].chars().next()?;
        let (s, end) = if quote == '"' || quote == '\'' {
            let s = start + 1;
            (s, s + page[s..].find(quote)?)
        } else {
            (
                start,
                start + page[start..].find(|c: char| c.is_whitespace() || c == '>')?,
            )
        };
        let href = &page[s..end];
        let l = href.to_ascii_lowercase();
        if l.ends_with(".pdf") || l.ends_with(".docx") {
            // The link's text: up to the closing </a>.
            let text_end = lower[end..].find("</a>").map_or(end, |p| end + p);
            let text = &page[end..text_end];
            links.push((
                href.to_string(),
                text.contains("年报") || text.contains("年度报告"),
            ));
        }
        from = end;
    }
    let pick = links
        .iter()
        .find(|(_, named)| *named)
        .or_else(|| (links.len() == 1).then(|| &links[0]))?;
    base.join(&pick.0).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_page_names_its_report_link() {
        let base = Url::parse("http://example.org/a/b.html").unwrap();
        let page = r#"<a href="x.pdf">附件一</a> <a href='/r/2024.docx'>2024年政府信息公开工作年度报告</a>"#;
        assert_eq!(
            report_link(page, &base).map(|u| u.to_string()).as_deref(),
            Some("http://example.org/r/2024.docx")
        );
        assert_eq!(
            report_link(r#"<a href="only.pdf">附件</a>"#, &base)
                .map(|u| u.to_string())
                .as_deref(),
            Some("http://example.org/a/only.pdf")
        );
        assert!(report_link(r#"<a href="1.pdf">a</a><a href="2.pdf">b</a>"#, &base).is_none());
    }

    #[test]
    fn charset_and_names() {
        assert_eq!(charset_of("text/html; charset=GBK").as_deref(), Some("GBK"));
        assert_eq!(charset_of("text/html"), None);
        let u = Url::parse("http://x.org/r?id=1").unwrap();
        assert_eq!(
            doc_name(&u, Some("application/pdf")),
            "http://x.org/r?id=1#.pdf"
        );
        assert!(is_url(" https://x.org") && !is_url("/tmp/x.pdf"));
    }
}
