//! A small reader of `multipart/form-data` bodies (RFC 7578), enough for the site's upload
//! forms (a plain HTML form with a CSRF field and a file, posted without JavaScript) and the
//! report checker of the API (`POST /api/v1/reports/check`, a file and a few text fields).
//!
//! The body is already in memory (its size bounded by the route's limit), so parts are
//! slices of it; nothing is streamed to disk.

/// One part of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part<'a> {
    /// The field name.
    pub name: String,
    /// The file name the browser sent, for a file field.
    pub file_name: Option<String>,
    /// The content.
    pub data: &'a [u8],
}

impl Part<'_> {
    /// The content as text (lossy), for a plain field.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(self.data).into_owned()
    }
}

/// Why a body could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MultipartError {
    /// The request is not `multipart/form-data` with a boundary.
    #[error("请求不是文件上传表单（multipart/form-data）")]
    NotMultipart,
    /// The body does not follow the format.
    #[error("上传的表单格式有误")]
    Malformed,
}

/// The boundary of a `multipart/form-data` content type.
pub fn boundary(content_type: &str) -> Result<String, MultipartError> {
    let mut params = content_type.split(';');
    let mime = params.next().unwrap_or("").trim();
    if !mime.eq_ignore_ascii_case("multipart/form-data") {
        return Err(MultipartError::NotMultipart);
    }
    params
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, v)| v.trim().trim_matches('"').to_string())
        .filter(|b| !b.is_empty() && b.len() <= 70)
        .ok_or(MultipartError::NotMultipart)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The value of `key="…"` in a `Content-Disposition` header.
fn param(header: &str, key: &str) -> Option<String> {
    header.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if !k.trim().eq_ignore_ascii_case(key) {
            return None;
        }
        let v = v.trim();
        let v = v
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(v);
        // Browsers escape a quote in a file name as %22 and keep every other byte.
        Some(v.replace("%22", "\""))
    })
}

/// The parts of a body with the given boundary, in order.
pub fn parse<'a>(boundary: &str, body: &'a [u8]) -> Result<Vec<Part<'a>>, MultipartError> {
    let delimiter = format!("--{boundary}");
    let next_delimiter = format!("\r\n--{boundary}");
    let start = find(body, delimiter.as_bytes()).ok_or(MultipartError::Malformed)?;
    let mut rest = &body[start + delimiter.len()..];
    let mut parts = Vec::new();
    loop {
        if rest.starts_with(b"--") {
            return Ok(parts);
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .ok_or(MultipartError::Malformed)?;
        let head_end = find(rest, b"\r\n\r\n").ok_or(MultipartError::Malformed)?;
        let head = String::from_utf8_lossy(&rest[..head_end]);
        let content = &rest[head_end + 4..];
        let end = find(content, next_delimiter.as_bytes()).ok_or(MultipartError::Malformed)?;
        let disposition = head
            .split("\r\n")
            .find_map(|line| {
                let (k, v) = line.split_once(':')?;
                k.trim()
                    .eq_ignore_ascii_case("content-disposition")
                    .then_some(v.trim())
            })
            .ok_or(MultipartError::Malformed)?;
        parts.push(Part {
            name: param(disposition, "name").ok_or(MultipartError::Malformed)?,
            file_name: param(disposition, "filename"),
            data: &content[..end],
        });
        rest = &content[end + next_delimiter.len()..];
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn reads_a_browser_form_with_a_file() {
        let ct = "multipart/form-data; boundary=----WebKitFormBoundaryAbC123";
        let b = boundary(ct).unwrap();
        let body = "------WebKitFormBoundaryAbC123\r\n\
            Content-Disposition: form-data; name=\"csrf\"\r\n\r\n\
            tok\r\n\
            ------WebKitFormBoundaryAbC123\r\n\
            Content-Disposition: form-data; name=\"file\"; filename=\"名单%22甲%22.txt\"\r\n\
            Content-Type: text/plain\r\n\r\n\
            第一行\r\n第二行\r\n\
            ------WebKitFormBoundaryAbC123--\r\n";
        let parts = parse(&b, body.as_bytes()).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].name, "csrf");
        assert_eq!(parts[0].text(), "tok");
        assert_eq!(parts[0].file_name, None);
        assert_eq!(parts[1].file_name.as_deref(), Some("名单\"甲\".txt"));
        assert_eq!(parts[1].data, "第一行\r\n第二行".as_bytes());
    }

    #[test]
    fn refuses_what_is_not_multipart() {
        assert_eq!(
            boundary("application/x-www-form-urlencoded"),
            Err(MultipartError::NotMultipart)
        );
        assert_eq!(
            boundary("multipart/form-data"),
            Err(MultipartError::NotMultipart)
        );
        assert!(parse("x", b"--x\r\nno header end").is_err());
        assert!(parse("x", b"garbage").is_err());
        assert_eq!(parse("x", b"--x--\r\n").unwrap(), vec![]);
    }
}
