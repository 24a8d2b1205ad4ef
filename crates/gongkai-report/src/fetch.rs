//! Reports published on the web (feature `fetch`): a URL fetched into a [`Document`] for
//! [`crate::batch::parse_document`], bounded — a timeout on connecting and on the whole
//! exchange, at most a few redirects, and a body refused as soon as it passes the size the
//! readers of `gongkai-extract` accept ([`gongkai_extract::Budget::max_file_bytes`]).
//!
//! A web page that links the report as a PDF or DOCX (an attachment link whose text names
//! 年度报告 / 年报, else the page's only such link) is followed to that file; otherwise the page
//! itself is the report. The page's charset is read from its Content-Type, then its `<meta>`.
//! Used by `gongkai report parse|check URL` and by the workbench's import by URL list.
//!
//! A server that fetches what a user names can be turned against its own network (SSRF): a URL
//! of `http://127.0.0.1:5432/` or of the cloud's metadata address. Unless
//! [`FetchLimits::allow_private`] says otherwise, every address the client would connect to —
//! the URL's own, each redirect's, each one a host name resolves to — must be public
//! ([`is_public`]); otherwise the fetch is [`FetchError::PrivateAddress`]. The command line
//! allows private addresses (it runs as the person typing the URL); the server does not,
//! unless its operator says so (`GONGKAI_FETCH_PRIVATE=1`, for reports kept on an intranet).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
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
    /// Whether loopback, private, link-local and other non-public addresses may be fetched.
    pub allow_private: bool,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits {
            max_bytes: gongkai_extract::Budget::default().max_file_bytes,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_redirects: 5,
            allow_private: false,
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
    /// The URL, a redirect or its host's name leads to an address that is not public.
    #[error("{0}：不能获取内网或本机地址的文件")]
    PrivateAddress(String),
    /// The page could not be decoded within the readers' budget.
    #[error("{0}")]
    Extract(#[from] gongkai_extract::ExtractError),
}

/// Whether `ip` is an address of the public Internet: not loopback, private (RFC 1918, IPv6
/// unique local), link-local (which holds the cloud metadata address), shared (100.64/10),
/// unspecified, broadcast, multicast, documentation or reserved. An IPv4 address written as
/// IPv6 (`::ffff:127.0.0.1`) is judged as IPv4.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || a >= 240
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && v4.octets()[2] == 0)
                || (a == 198 && (b == 18 || b == 19)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8
                || first == 0x0064 && v6.segments()[1] == 0xff9b)
        }
    }
}

/// The host name a resolver refused: it named only non-public addresses.
#[derive(Debug)]
struct PrivateHost(String);

impl std::fmt::Display for PrivateHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} resolves to non-public addresses only", self.0)
    }
}

impl std::error::Error for PrivateHost {}

/// A resolver that hands the client only the public addresses of a name (the system's
/// resolver, filtered), so a name that points inside cannot be used to reach inside.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let all: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = all.into_iter().filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                return Err(Box::new(PrivateHost(host)) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// Whether the URL's host is an address literal that is not public.
fn private_literal(u: &Url) -> bool {
    match u.host() {
        Some(url::Host::Ipv4(v4)) => !is_public(IpAddr::V4(v4)),
        Some(url::Host::Ipv6(v6)) => !is_public(IpAddr::V6(v6)),
        _ => false,
    }
}

/// Whether a client error was the resolver refusing a name.
fn is_private_host(e: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if s.is::<PrivateHost>() {
            return true;
        }
        source = s.source();
    }
    false
}

/// The HTTP client of [`fetch`] with the timeouts and redirect limit of `limits`, and unless
/// they allow private addresses, a resolver and a redirect policy that keep to public ones.
pub fn client(limits: &FetchLimits) -> Result<reqwest::Client, FetchError> {
    let builder = reqwest::Client::builder()
        .user_agent(concat!("gongkai-report/", env!("CARGO_PKG_VERSION")))
        .connect_timeout(limits.connect_timeout)
        .timeout(limits.timeout);
    let builder = if limits.allow_private {
        builder.redirect(Policy::limited(limits.max_redirects))
    } else {
        let max = limits.max_redirects;
        builder
            .no_proxy()
            .dns_resolver(Arc::new(PublicOnly))
            .redirect(Policy::custom(move |attempt| {
                if attempt.previous().len() > max {
                    attempt.error("too many redirects")
                } else if private_literal(attempt.url()) {
                    let url = attempt.url().to_string();
                    attempt.error(PrivateHost(url))
                } else {
                    attempt.follow()
                }
            }))
    };
    builder
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
    if !limits.allow_private && private_literal(&parsed) {
        return Err(FetchError::PrivateAddress(url.to_string()));
    }
    let (final_url, content_type, bytes) = get(client, parsed, limits).await?;
    let name = doc_name(&final_url, content_type.as_deref());
    if DocKind::of(&name) == Some(DocKind::Html) {
        let page = match content_type.as_deref().and_then(charset_of) {
            Some(cs) => decode_with(&cs, &bytes),
            None => gongkai_extract::read_html(&name, &bytes, &gongkai_extract::Budget::default())?,
        };
        if let Some(link) = report_link(&page, &final_url) {
            if !limits.allow_private && private_literal(&link) {
                return Err(FetchError::PrivateAddress(link.to_string()));
            }
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
    let unreachable = |e: reqwest::Error| {
        if is_private_host(&e) {
            return FetchError::PrivateAddress(shown.clone());
        }
        FetchError::Unreachable {
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
        }
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

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(private.parse().unwrap()), "{private}");
        }
        for public in [
            "1.1.1.1",
            "114.114.114.114",
            "202.96.128.86",
            "2400:3200::1",
        ] {
            assert!(is_public(public.parse().unwrap()), "{public}");
        }
    }

    #[tokio::test]
    async fn the_server_refuses_to_fetch_inside_and_the_command_line_may() {
        // A server on loopback: refused by address, by a redirect to it and by a name that
        // resolves to it, unless private addresses are allowed.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            loop {
                let Ok((mut sock, _)) = listener.accept().await else {
                    return;
                };
                tokio::spawn(async move {
                    use tokio::io::{AsyncReadExt, AsyncWriteExt};
                    let mut buf = [0u8; 1024];
                    let _ = sock.read(&mut buf).await;
                    let body = "2024年政府信息公开工作年度报告";
                    let resp = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = sock.write_all(resp.as_bytes()).await;
                });
            }
        });
        let closed = FetchLimits::default();
        let client = super::client(&closed).unwrap();
        for url in [
            format!("http://127.0.0.1:{port}/r.txt"),
            format!("http://[::ffff:127.0.0.1]:{port}/r.txt"),
            format!("http://localhost:{port}/r.txt"),
        ] {
            match fetch(&client, &url, &closed).await {
                Err(FetchError::PrivateAddress(u)) => assert!(u.contains("/r.txt"), "{u}"),
                other => panic!("{url}: {other:?}"),
            }
        }
        let open = FetchLimits {
            allow_private: true,
            ..FetchLimits::default()
        };
        let client = super::client(&open).unwrap();
        let doc = fetch(&client, &format!("http://127.0.0.1:{port}/r.txt"), &open)
            .await
            .unwrap();
        assert!(String::from_utf8(doc.bytes).unwrap().contains("年度报告"));
    }
}
