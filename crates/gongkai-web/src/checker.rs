//! The report checker as a service (issue 18.3): `POST /api/v1/reports/check` answers a
//! report's findings as `gongkai report check --json` prints them for one file, and
//! `POST /api/v1/reports/parse` its canonical JSON as `gongkai report parse` does — the same
//! reader ([`gongkai_report::batch::parse_document`]) and the same rules, so a provincial
//! system and a person at the command line get the same answer for the same file.
//!
//! The report comes as `multipart/form-data` (a `file` part, .txt .html .htm .json .pdf
//! .docx within the readers' budget, or a `url` part) or as JSON `{"url": …}`; `year` and
//! `agency` override what the title says, and `previous` (a file, multipart only) adds the
//! X-CARRY checks against last year's report. A URL is fetched under the fetch limits of
//! gongkai-report, public addresses only unless [`AppState::fetch_private`].
//!
//! Callers: anyone, limited per client address ([`AppState::check_limit`]); or a caller with
//! an API token the security admin issued (`Authorization: Bearer gk_…`, scope
//! `reports:check`), limited per token. The request is validated before it is counted, and
//! counted before the file is read (reading is the expensive part).

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use gongkai_report::batch::{Checked, DocKind, Document, parse_document};
use gongkai_report::parse::{ParseOptions, check_parsed};
use gongkai_report::rules::check_carry;
use gongkai_store::attempts::{self, Limit, Reserved};
use gongkai_store::models::api_token::{self, ApiToken, Scope};
use serde_json::Value;

use crate::api::{api_error, internal, invalid};
use crate::apply::{ClientIp, FieldError, retry_after};
use crate::{AppState, multipart, rules};

/// The largest request: a report and last year's, each within the readers' budget, and the
/// form's text.
pub const BODY_LIMIT: usize = 2 * rules::REPORT_FILE_MAX + 64 * 1024;

/// The routes, mounted outside the site's small body limit (they carry files).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/reports/check", post(check))
        .route("/api/v1/reports/parse", post(parse))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
}

/// What the caller asked to have read.
struct Request {
    /// The report: a file as sent, or a URL to fetch.
    source: Source,
    /// Last year's report (multipart only), for X-CARRY.
    previous: Option<Document>,
    /// Overrides of the year and agency the document states.
    options: ParseOptions,
}

enum Source {
    File(Document),
    Url(String),
}

/// Who is calling.
enum Caller {
    Anonymous,
    Token(ApiToken),
}

/// `POST /api/v1/reports/check`
async fn check(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let ready = match read(&state, ip, &headers, &body).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let Ready {
        name,
        doc,
        previous,
        options,
    } = ready;
    let outcome = run_blocking(move || {
        let parsed = parse_document(&doc, &options)?;
        let mut findings = check_parsed(&parsed);
        if let Some(prev) = previous {
            let prev = parse_document(&prev, &ParseOptions::default())?;
            findings.extend(check_carry(&prev.report, &parsed.report));
        }
        Ok((parsed.report, findings))
    })
    .await;
    match outcome {
        Ok(ok) => {
            let checked = Checked {
                kind: DocKind::of(&name),
                file: name,
                outcome: Ok(ok),
            };
            axum::Json(checked.to_json()).into_response()
        }
        Err(resp) => resp,
    }
}

/// `POST /api/v1/reports/parse`
async fn parse(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ready { doc, options, .. } = match read(&state, ip, &headers, &body).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    match run_blocking(move || Ok(parse_document(&doc, &options)?.report)).await {
        Ok(report) => (
            [(header::CONTENT_TYPE, "application/json")],
            report.to_json(),
        )
            .into_response(),
        Err(resp) => resp,
    }
}

/// Reads a report on the blocking pool; an unreadable one is 422 `unreadable_report` with
/// the reader's reason (what the CLI prints before exiting 2).
async fn run_blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, gongkai_report::batch::DocumentError> + Send + 'static,
) -> Result<T, Response> {
    match tokio::task::spawn_blocking(work).await {
        Ok(Ok(t)) => Ok(t),
        Ok(Err(e)) => Err(api_error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unreadable_report",
            &e.to_string(),
        )),
        Err(e) => Err(internal(format!("checker: the reader failed: {e}"))),
    }
}

/// A request with its report in hand.
struct Ready {
    /// The name the answer gives the report: the file's name as sent, or the URL.
    name: String,
    /// The report (fetched, when a URL was given).
    doc: Document,
    /// Last year's report.
    previous: Option<Document>,
    /// Overrides of the year and agency.
    options: ParseOptions,
}

/// The caller known, the request validated, the allowance counted, a URL fetched.
async fn read(
    state: &AppState,
    ip: std::net::IpAddr,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Ready, Response> {
    let caller = caller(state, headers).await?;
    let req = request(headers, body).map_err(IntoResponse::into_response)?;
    let (limit, key) = match &caller {
        Caller::Anonymous => (state.check_limit, ip.to_string()),
        Caller::Token(t) => (attempts::CHECK_PER_TOKEN, t.id.to_string()),
    };
    reserve(state, limit, &key).await?;
    let (name, doc) = match req.source {
        Source::File(d) => (d.name.clone(), d),
        Source::Url(url) => {
            use gongkai_report::fetch::{self as web, FetchLimits};
            let limits = FetchLimits {
                allow_private: state.fetch_private,
                ..FetchLimits::default()
            };
            let fetched = match web::client(&limits) {
                Ok(client) => web::fetch(&client, &url, &limits).await,
                Err(e) => Err(e),
            };
            match fetched {
                Ok(doc) => (url, doc),
                Err(e) => {
                    return Err(invalid(&[FieldError {
                        field: "url",
                        message: e.to_string(),
                    }]));
                }
            }
        }
    };
    Ok(Ready {
        name,
        doc,
        previous: req.previous,
        options: req.options,
    })
}

/// The caller a request names: none (anonymous), or a valid token carrying `reports:check`.
/// A token that is unknown or revoked is 401, one without the scope 403 — never a silent
/// fall-back to anonymous, which would hide a misconfigured caller.
async fn caller(state: &AppState, headers: &HeaderMap) -> Result<Caller, Response> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(Caller::Anonymous);
    };
    let secret = value
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or("");
    let token = match api_token::authenticate(&state.store, secret).await {
        Ok(t) => t,
        Err(e) => return Err(internal(format!("checker: token lookup failed: {e}"))),
    };
    match token {
        Some(t) if t.allows(Scope::CheckReports) => Ok(Caller::Token(t)),
        Some(_) => Err(api_error(
            StatusCode::FORBIDDEN,
            "insufficient_scope",
            "该接口令牌无权调用年度报告检查",
        )),
        None => {
            let mut resp = api_error(
                StatusCode::UNAUTHORIZED,
                "invalid_token",
                "接口令牌无效或已吊销",
            );
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer error=\"invalid_token\""),
            );
            Err(resp)
        }
    }
}

/// Counts one call against `limit` for `key`; over it, 429 with `Retry-After`.
async fn reserve(state: &AppState, limit: Limit, key: &str) -> Result<(), Response> {
    match attempts::reserve(&state.store, limit, key, chrono::Utc::now()).await {
        Ok(Reserved::Granted) => Ok(()),
        Ok(Reserved::Refused {
            retry_after: secs, ..
        }) => Err(retry_after(
            api_error(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_requests",
                "调用过于频繁，请稍后再试；需要更多次数的调用方可向安全管理员申请接口令牌",
            ),
            secs,
        )),
        Err(e) => Err(internal(format!("checker: counting failed: {e}"))),
    }
}

/// Why a request was refused before anything was counted.
enum Refused {
    /// 422 naming every field at fault.
    Invalid(Vec<FieldError>),
    /// 415: neither multipart/form-data nor JSON.
    UnsupportedMediaType,
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self {
            Refused::Invalid(errors) => invalid(&errors),
            Refused::UnsupportedMediaType => api_error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "请以 multipart/form-data（上传文件）或 application/json（网址）提交",
            ),
        }
    }
}

/// The request's fields, validated: 415 for another content type, 422 naming every field at
/// fault.
fn request(headers: &HeaderMap, body: &[u8]) -> Result<Request, Refused> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let mut fields = Fields::default();
    if content_type.starts_with("multipart/form-data") {
        let parts = multipart::boundary(&content_type)
            .and_then(|b| multipart::parse(&b, body))
            .map_err(|e| {
                Refused::Invalid(vec![FieldError {
                    field: "body",
                    message: e.to_string(),
                }])
            })?;
        for p in parts {
            match p.name.as_str() {
                "file" | "previous" => {
                    let doc = Document {
                        name: p.file_name.clone().unwrap_or_default(),
                        bytes: p.data.to_vec(),
                    };
                    if p.name == "file" {
                        fields.file = Some(doc);
                    } else {
                        fields.previous = Some(doc);
                    }
                }
                "url" => fields.url = Some(p.text()),
                "year" => fields.year = Some(p.text()),
                "agency" => fields.agency = Some(p.text()),
                _ => {}
            }
        }
    } else if content_type.starts_with("application/json") {
        let v: Value = serde_json::from_slice(body).map_err(|_| {
            Refused::Invalid(vec![FieldError {
                field: "body",
                message: "请求体不是有效的JSON".into(),
            }])
        })?;
        let Some(obj) = v.as_object() else {
            return Err(Refused::Invalid(vec![FieldError {
                field: "body",
                message: "请求体须为JSON对象".into(),
            }]));
        };
        let mut errors = Vec::new();
        let mut text = |name: &'static str| match obj.get(name) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) if name == "year" => Some(n.to_string()),
            Some(_) => {
                errors.push(FieldError {
                    field: name,
                    message: "类型有误".into(),
                });
                None
            }
        };
        fields.url = text("url");
        fields.year = text("year");
        fields.agency = text("agency");
        if !errors.is_empty() {
            return Err(Refused::Invalid(errors));
        }
        if fields.url.is_none() {
            return Err(Refused::Invalid(vec![FieldError {
                field: "url",
                message: "以JSON提交时须给出报告的网址；上传文件请用 multipart/form-data".into(),
            }]));
        }
    } else {
        return Err(Refused::UnsupportedMediaType);
    }
    fields.validate()
}

/// The fields as sent, before validation.
#[derive(Default)]
struct Fields {
    file: Option<Document>,
    previous: Option<Document>,
    url: Option<String>,
    year: Option<String>,
    agency: Option<String>,
}

impl Fields {
    fn validate(self) -> Result<Request, Refused> {
        let mut errors = Vec::new();
        let url = self
            .url
            .map(|u| u.trim().to_string())
            .filter(|u| !u.is_empty());
        let source = match (self.file, url) {
            (Some(_), Some(_)) => {
                errors.push(FieldError {
                    field: "url",
                    message: "文件和网址只能提交一项".into(),
                });
                None
            }
            (None, None) => {
                errors.push(FieldError {
                    field: "file",
                    message: "请上传报告文件或给出网址".into(),
                });
                None
            }
            (Some(doc), None) => {
                check_file("file", &doc, &mut errors);
                Some(Source::File(doc))
            }
            (None, Some(u)) => {
                if u.chars().count() > rules::URL_MAX || !gongkai_report::fetch::is_url(&u) {
                    errors.push(FieldError {
                        field: "url",
                        message: format!(
                            "网址须以 http:// 或 https:// 开头，至多{}个字符",
                            rules::URL_MAX
                        ),
                    });
                }
                Some(Source::Url(u))
            }
        };
        if let Some(prev) = &self.previous {
            check_file("previous", prev, &mut errors);
        }
        let year = match self
            .year
            .as_deref()
            .map(str::trim)
            .filter(|y| !y.is_empty())
        {
            None => None,
            Some(y) => match y
                .parse::<i32>()
                .ok()
                .filter(|y| rules::YEAR_RANGE.contains(y))
            {
                Some(y) => Some(y),
                None => {
                    errors.push(FieldError {
                        field: "year",
                        message: "年份须为2008至2200的整数".into(),
                    });
                    None
                }
            },
        };
        let agency = self
            .agency
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty());
        if agency
            .as_ref()
            .is_some_and(|a| a.chars().count() > rules::AGENCY_MAX)
        {
            errors.push(FieldError {
                field: "agency",
                message: format!("机关名称至多{}个字", rules::AGENCY_MAX),
            });
        }
        match source {
            Some(source) if errors.is_empty() => Ok(Request {
                source,
                previous: self.previous,
                options: ParseOptions { year, agency },
            }),
            _ => Err(Refused::Invalid(errors)),
        }
    }
}

/// A report file: some bytes, within the readers' budget. Its name picks the reader (.pdf,
/// .docx, .html …); any other name is read as text, as `gongkai report check` reads it.
fn check_file(field: &'static str, doc: &Document, errors: &mut Vec<FieldError>) {
    if doc.bytes.is_empty() {
        errors.push(FieldError {
            field,
            message: "文件为空".into(),
        });
    } else if doc.bytes.len() > rules::REPORT_FILE_MAX {
        errors.push(FieldError {
            field,
            message: format!("文件超过 {} MB", rules::REPORT_FILE_MAX / 1024 / 1024),
        });
    }
}
