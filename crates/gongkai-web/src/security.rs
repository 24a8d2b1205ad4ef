//! Request-level security shared by every form: CSRF tokens, per-address submission limits,
//! and the client's address.
//!
//! CSRF uses the double-submit pattern for the public portal (no session there): a random token
//! in an HttpOnly, SameSite=Strict cookie, repeated in a hidden form field; a POST whose field
//! does not equal its cookie is refused. The back office binds its token to the session.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use rand::RngCore;
use subtle::ConstantTimeEq;

/// Name of the cookie carrying the portal's CSRF token.
pub const CSRF_COOKIE: &str = "gk_csrf";

/// A fresh random token: 32 bytes, hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Reads a cookie's value from the request headers.
pub fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The CSRF token a form page should embed, and the `Set-Cookie` value to send when the
/// browser does not hold one yet.
pub fn csrf_token(headers: &HeaderMap) -> (String, Option<String>) {
    match cookie(headers, CSRF_COOKIE).filter(|t| t.len() == 64) {
        Some(t) => (t.to_string(), None),
        None => {
            let t = random_token();
            let set = format!("{CSRF_COOKIE}={t}; Path=/; HttpOnly; SameSite=Strict");
            (t.clone(), Some(set))
        }
    }
}

/// Whether a submitted form's token matches the browser's cookie (compared in constant time).
pub fn csrf_ok(headers: &HeaderMap, submitted: &str) -> bool {
    match cookie(headers, CSRF_COOKIE) {
        Some(t) if !t.is_empty() => t.as_bytes().ct_eq(submitted.as_bytes()).into(),
        _ => false,
    }
}

/// The place to send a browser back to, if `target` is a path of this site; otherwise `/`.
/// The one check every redirect that takes a target from the request goes through.
///
/// Accepted: `/` followed by visible ASCII only (what a `Location` header can carry as it is),
/// not `//` or `/\\` (a host to a browser), no backslash anywhere (browsers read it as `/`),
/// no control character or space anywhere (browsers drop tabs and newlines, so `/\t/evil`
/// becomes `//evil`; a CR or LF would split the header), and no percent-encoded slash,
/// backslash or control character right after the first slash (`/%2F/evil`, `/%09/evil`).
pub fn safe_redirect(target: &str) -> &str {
    let b = target.as_bytes();
    let visible = b.iter().all(|c| (0x21..=0x7E).contains(c));
    let second = b.get(1).copied();
    let encoded_second = b.get(1) == Some(&b'%') && {
        let hex = target.get(2..4).unwrap_or("");
        u8::from_str_radix(hex, 16).is_ok_and(|c| c < 0x20 || c == b'/' || c == b'\\' || c == 0x7F)
    };
    if b.first() == Some(&b'/')
        && visible
        && second != Some(b'/')
        && !b.contains(&b'\\')
        && !encoded_second
    {
        target
    } else {
        "/"
    }
}

/// A fixed-window limit on submissions per client address.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    seen: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl RateLimiter {
    /// At most `limit` submissions per `window` from one address.
    pub fn new(limit: u32, window: Duration) -> RateLimiter {
        RateLimiter {
            limit,
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one submission from `ip`; false when the address is over its limit.
    pub fn allow(&self, ip: IpAddr) -> bool {
        let now = Instant::now();
        let Ok(mut seen) = self.seen.lock() else {
            // A poisoned lock means a panic elsewhere; refusing is the safe answer.
            return false;
        };
        if seen.len() > 100_000 {
            let window = self.window;
            seen.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = seen.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.limit
    }
}

/// `Cache-Control: no-store`, for every answer that shows a query code or personal data.
pub fn no_store(mut resp: Response) -> Response {
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// A 429 answer's `Retry-After`.
pub fn retry_after(mut resp: Response, seconds: i64) -> Response {
    *resp.status_mut() = StatusCode::TOO_MANY_REQUESTS;
    if let Ok(v) = HeaderValue::from_str(&seconds.max(1).to_string()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn csrf_needs_the_cookie_and_the_same_field() {
        let mut h = HeaderMap::new();
        let (t, set) = csrf_token(&h);
        assert!(set.is_some());
        assert!(!csrf_ok(&h, &t), "no cookie, no pass");
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("a=b; {CSRF_COOKIE}={t}")).unwrap(),
        );
        assert!(csrf_ok(&h, &t));
        assert!(!csrf_ok(&h, "forged"));
        assert_eq!(csrf_token(&h), (t, None));
    }

    #[test]
    fn redirects_stay_on_the_site() {
        let table = [
            ("/xxgk?page=2", "/xxgk?page=2"),
            ("/", "/"),
            ("/a/b#c", "/a/b#c"),
            ("", "/"),
            ("xxgk", "/"),
            ("//evil.example.com", "/"),
            ("///evil.example.com", "/"),
            ("/\\evil.example.com", "/"),
            ("\\\\evil.example.com", "/"),
            ("/a\\b", "/"),
            ("/\t/evil.example.com", "/"),
            ("/\n/evil.example.com", "/"),
            ("/x\r\nSet-Cookie: a=b", "/"),
            (" /evil", "/"),
            ("/ /evil", "/"),
            ("https://evil.example.com/", "/"),
            ("javascript:alert(1)", "/"),
            ("HTTP://evil.example.com", "/"),
            ("/%2F/evil.example.com", "/"),
            ("/%2f/evil.example.com", "/"),
            ("/%5C/evil.example.com", "/"),
            ("/%09/evil.example.com", "/"),
            ("/%0d%0a", "/"),
            ("/%E5%85%AC%E5%BC%80", "/%E5%85%AC%E5%BC%80"),
            ("/公开", "/"),
            ("/\u{0}x", "/"),
            ("/\u{7f}x", "/"),
            ("/\u{3000}/evil", "/"),
        ];
        for (input, want) in table {
            assert_eq!(safe_redirect(input), want, "{input:?}");
            // Whatever it answers is a valid header value.
            assert!(
                HeaderValue::from_str(safe_redirect(input)).is_ok(),
                "{input:?}"
            );
        }
    }

    #[test]
    fn limiter_counts_per_address() {
        let l = RateLimiter::new(2, Duration::from_secs(60));
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        assert!(l.allow(a) && l.allow(a));
        assert!(!l.allow(a));
        assert!(l.allow(b));
    }
}
