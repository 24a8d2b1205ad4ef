//! The JSON API under `/api/v1`, as `spec/interfaces.md` fixes it and [`crate::openapi`]
//! describes it:
//!
//! - `GET /documents?q=&category=&agency=&page=`: published items with catalogue metadata;
//! - `GET /documents/{index_no}`: one item (the 索引号 contains a `/`, URL-encoded or not);
//! - `POST /applications`: an online application, 201 with `tracking_number`, `query_code`,
//!   `received_on`, `due`; 422 with the fields at fault;
//! - `GET /applications/{tracking_number}` with header `X-Query-Code`: status, events and due
//!   date (limited per address and number: 429 with `Retry-After`); 404 without the
//!   right code;
//! - `GET /reports/{year}?format=`: the agency's published report in canonical JSON (the
//!   snapshot, in the format it was published in); 404 before publication.
//!
//! JSON bodies need `Content-Type: application/json`, which a cross-site form cannot send
//! without a CORS preflight (and no CORS is allowed), so the API needs no CSRF token; the
//! per-address limit applies as on the form.

use std::collections::BTreeMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gongkai_law::ReportFormat;
use gongkai_store::models::ProactiveItem;
use gongkai_store::models::agency;
use gongkai_store::models::application;
use gongkai_store::models::report_draft;
use gongkai_store::views::portal::{self as views, ItemFilter};
use serde_json::{Value, json};

use crate::apply::{
    ApplicationInput, ClientIp, FieldError, TrackLookup, no_store, reserve_submission, retry_after,
    track_lookup, validate,
};
use crate::{AppState, PageError};
use crate::{catalog, rules};

/// Items per page of `GET /documents`.
pub const API_PER_PAGE: usize = 20;

/// The API's routes (nested under `/api/v1`).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/documents", get(documents))
        .route("/documents/{*index_no}", get(document))
        .route("/applications", axum::routing::post(create_application))
        .route("/applications/{tracking_number}", get(application_status))
        .route("/reports/{year}", get(report))
        .fallback(|| async { api_error(StatusCode::NOT_FOUND, "not_found", "没有这个接口") })
}

/// A JSON error answer: `{"error": code, "message": text}`.
pub fn api_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        axum::Json(json!({"error": code, "message": message})),
    )
        .into_response()
}

/// Makes every error answer under `/api/` JSON: what axum and the tower layers answer by
/// themselves (405 for a method the path does not take, 413 for a body over the site's limit,
/// a rejected extractor) is `text/plain` or empty, which the document does not allow. `Allow`
/// and `Retry-After` are kept.
pub async fn json_errors(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let resp = next.run(req).await;
    let status = resp.status();
    if !api || status.as_u16() < 400 {
        return resp;
    }
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return resp;
    }
    let (code, message) = match status {
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "该接口不支持此请求方法"),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "请求体过大"),
        StatusCode::NOT_FOUND => ("not_found", "没有这个接口或资源"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            ("unsupported_media_type", "请以 application/json 提交")
        }
        s if s.is_server_error() => ("internal", "系统繁忙，请稍后再试"),
        _ => ("bad_request", "请求有误"),
    };
    let mut out = api_error(status, code, message);
    for name in [header::ALLOW, header::RETRY_AFTER, header::CACHE_CONTROL] {
        if let Some(v) = resp.headers().get(&name) {
            out.headers_mut().insert(name, v.clone());
        }
    }
    out
}

/// 500 in JSON, the cause logged (never shown).
pub(crate) fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!("api: {e}");
    api_error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "系统繁忙，请稍后再试",
    )
}

fn from_page_error(e: PageError) -> Response {
    api_error(
        e.status,
        if e.status == StatusCode::NOT_FOUND {
            "not_found"
        } else {
            "internal"
        },
        &e.message,
    )
}

/// 422 naming every field at fault: `{"error": "invalid_input", "message", "fields": {name: message}}`.
pub fn invalid(errors: &[FieldError]) -> Response {
    let fields: BTreeMap<&str, &str> = errors
        .iter()
        .map(|e| (e.field, e.message.as_str()))
        .collect();
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        axum::Json(json!({"error": "invalid_input", "message": "输入有误", "fields": fields})),
    )
        .into_response()
}

/// An item as the API shows it.
pub fn document_json(item: &ProactiveItem) -> Value {
    let category = item.art20_item.and_then(catalog::category_by_number);
    json!({
        "index_no": item.index_no,
        "title": item.title,
        "url": crate::indexing::item_url(item.id),
        "summary": item.summary,
        "publisher": item.publisher,
        "agency_id": item.agency_id,
        "written_on": item.written_on,
        "published_on": item.published_on,
        "doc_number": item.doc_number,
        "topic": item.topic,
        "genre": item.genre,
        "keywords": item.keywords,
        "disclosure_mode": item.disclosure_mode,
        "doc_type": item.doc_type,
        "art20_item": item.art20_item,
        "category": category.map(|c| c.key),
        "category_label": category.map(|c| c.label),
        "validity": item.validity,
        "validity_label": catalog::validity_label(&item.validity),
        "validity_changed_on": item.validity_changed_on,
    })
}

/// The query string as name → value for the parameters an operation knows (others are
/// ignored), or the fields at fault (answered as the JSON 422) for a known one given twice
/// (`page=1&page=1`): axum's own rejection would be `text/plain`, which no `/api` answer is.
pub fn query_params(
    raw: Option<&str>,
    known: &[&'static str],
) -> Result<BTreeMap<&'static str, String>, Vec<FieldError>> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|_| {
            vec![FieldError {
                field: "query",
                message: "查询字符串无法解析".into(),
            }]
        })?;
    let mut out = BTreeMap::new();
    let mut repeated = Vec::new();
    for (name, value) in pairs {
        let Some(&key) = known.iter().find(|k| **k == name) else {
            continue;
        };
        if out.insert(key, value).is_some() {
            repeated.push(FieldError {
                field: key,
                message: "参数只能出现一次".into(),
            });
        }
    }
    if repeated.is_empty() {
        Ok(out)
    } else {
        Err(repeated)
    }
}

/// A decimal number as the document's `integer` has it: digits only (no sign, no spaces).
fn strict_int<T: std::str::FromStr>(s: &str) -> Option<T> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// The values `?category=` takes: each 公开类别's key and its number.
pub fn category_values() -> Vec<String> {
    catalog::CATEGORIES
        .iter()
        .flat_map(|c| [c.key.to_string(), c.number.to_string()])
        .collect()
}

async fn documents(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let p = match query_params(raw.as_deref(), &["q", "category", "agency", "page"]) {
        Ok(p) => p,
        Err(errors) => return invalid(&errors),
    };
    match documents_inner(&state, &p).await {
        Ok(r) => r,
        Err(e) => from_page_error(e),
    }
}

async fn documents_inner(
    state: &AppState,
    p: &BTreeMap<&'static str, String>,
) -> Result<Response, PageError> {
    let mut errors = Vec::new();
    let page: usize = match p.get("page") {
        None => 1,
        Some(v) => match strict_int::<u32>(v).filter(|n| rules::PAGE_RANGE.contains(n)) {
            Some(n) => n as usize,
            None => {
                errors.push(FieldError {
                    field: "page",
                    message: "页码须为1至10000的整数".into(),
                });
                1
            }
        },
    };
    let category = match p.get("category") {
        None => None,
        Some(v) => {
            let c = catalog::CATEGORIES
                .iter()
                .find(|c| c.key == v.as_str() || c.number.to_string() == *v);
            if c.is_none() {
                errors.push(FieldError {
                    field: "category",
                    message: "没有这个公开类别".into(),
                });
            }
            c
        }
    };
    let q_raw = p.get("q").map(String::as_str).unwrap_or("");
    if rules::too_long(q_raw, rules::Q_MAX) {
        errors.push(FieldError {
            field: "q",
            message: "关键词不能超过100个字".into(),
        });
    }
    if !errors.is_empty() {
        return Ok(invalid(&errors));
    }
    let root = state.site.agency_id;
    let ids = agency::subtree_ids(&state.store, root).await?;
    // An agency this portal does not publish for (or no agency of that id or name) has
    // published nothing here: an empty page, as the document says.
    let agency_filter = p.get("agency").map(|a| a.trim()).filter(|a| !a.is_empty());
    let agency_id = match agency_filter {
        None => None,
        Some(a) => match agency::resolve(&state.store, a).await {
            Ok(found) if ids.contains(&found.id) => Some(found.id),
            _ => {
                return Ok(axum::Json(json!({
                    "total": 0,
                    "page": page,
                    "per_page": API_PER_PAGE,
                    "items": [],
                }))
                .into_response());
            }
        },
    };
    let q: String = q_raw.trim().to_string();
    let (total, items): (usize, Vec<ProactiveItem>) =
        if q.is_empty() && category.is_none() && agency_id.is_none() {
            let r = views::list_items(
                &state.store,
                root,
                &ItemFilter::default(),
                API_PER_PAGE as i64,
                ((page - 1) * API_PER_PAGE) as i64,
            )
            .await?;
            (usize::try_from(r.total).unwrap_or(0), r.items)
        } else {
            let mut query = gongkai_search::Query::new(q).page(page, API_PER_PAGE);
            if let Some(c) = category {
                query = query.category(c.key);
            }
            if let Some(a) = agency_id {
                query = query.agency_id(a);
            }
            // A platform's index holds every site's items; this site's are its subtree's.
            if state.index_roots.len() > 1 {
                query = query.within(ids.clone());
            }
            let found = state.search.search(&query).map_err(PageError::internal)?;
            let mut items = Vec::with_capacity(found.hits.len());
            for h in &found.hits {
                // The index is a cache: an item withdrawn since it was indexed is left out.
                if let Some(item) = views::published_item(&state.store, root, h.id).await? {
                    items.push(item);
                }
            }
            (found.total, items)
        };
    let body = json!({
        "total": total,
        "page": page,
        "per_page": API_PER_PAGE,
        "items": items.iter().map(document_json).collect::<Vec<_>>(),
    });
    Ok(axum::Json(body).into_response())
}

/// A path segment that could not be read (not UTF-8 once decoded): nothing has that name.
fn bad_path(_: PathRejection) -> Response {
    api_error(StatusCode::NOT_FOUND, "not_found", "没有这个接口或资源")
}

async fn document(
    State(state): State<AppState>,
    index_no: Result<Path<String>, PathRejection>,
) -> Response {
    let Path(index_no) = match index_no {
        Ok(p) => p,
        Err(e) => return bad_path(e),
    };
    let index_no = index_no.trim_start_matches('/');
    match views::published_item_by_index_no(&state.store, state.site.agency_id, index_no).await {
        Ok(Some(item)) => axum::Json(document_json(&item)).into_response(),
        Ok(None) => api_error(
            StatusCode::NOT_FOUND,
            "not_found",
            "没有这个索引号的公开信息",
        ),
        Err(e) => internal(e),
    }
}

/// Reads the application body into the form's input, naming fields of the wrong type.
fn input_from_json(v: &Value) -> Result<ApplicationInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let Some(obj) = v.as_object() else {
        return Err(vec![FieldError {
            field: "body",
            message: "请求体须为JSON对象".into(),
        }]);
    };
    let empty = serde_json::Map::new();
    let applicant = match obj.get("applicant") {
        Some(Value::Object(a)) => a,
        None | Some(Value::Null) => {
            errors.push(FieldError {
                field: "applicant",
                message: "缺少申请人信息".into(),
            });
            &empty
        }
        Some(_) => {
            errors.push(FieldError {
                field: "applicant",
                message: "申请人信息须为对象".into(),
            });
            &empty
        }
    };
    let mut text =
        |map: &serde_json::Map<String, Value>, key: &str, field: &'static str| -> String {
            match map.get(key) {
                None | Some(Value::Null) => String::new(),
                Some(Value::String(s)) => s.clone(),
                Some(_) => {
                    errors.push(FieldError {
                        field,
                        message: "须为字符串".into(),
                    });
                    String::new()
                }
            }
        };
    let input = ApplicationInput {
        kind: text(applicant, "kind", "applicant.kind"),
        name: text(applicant, "name", "applicant.name"),
        id_type: text(applicant, "id_type", "applicant.id_type"),
        id_number: text(applicant, "id_number", "applicant.id_number"),
        phone: text(applicant, "phone", "applicant.phone"),
        email: text(applicant, "email", "applicant.email"),
        address: text(applicant, "address", "applicant.address"),
        description: text(obj, "description", "description"),
        document_number: text(obj, "document_number", "document_number"),
        delivery: text(obj, "delivery", "delivery"),
    };
    let channel = match obj.get("channel") {
        None => None,
        Some(Value::String(c)) => Some(c.clone()),
        Some(_) => Some(String::new()),
    };
    if channel.is_some_and(|c| c != "online") {
        errors.push(FieldError {
            field: "channel",
            message: "网上申请的渠道只能是 online".into(),
        });
    }
    if !input.kind.is_empty()
        && !gongkai_law::ApplicantKind::ALL
            .iter()
            .any(|k| k.key() == input.kind)
    {
        errors.push(FieldError {
            field: "applicant.kind",
            message: "申请人类型须为 natural_person、commercial、research、social_welfare、legal_service 或 other_org".into(),
        });
    }
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

async fn create_application(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    if !is_json {
        return api_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "请以 application/json 提交",
        );
    }
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(_) => {
            return invalid(&[FieldError {
                field: "body",
                message: "请求体不是有效的JSON".into(),
            }]);
        }
    };
    let input = match input_from_json(&value) {
        Ok(i) => i,
        Err(errors) => return invalid(&errors),
    };
    let new = match validate(&input, state.site.agency_id, gongkai_law::beijing_today()) {
        Ok(n) => n,
        Err(errors) => return invalid(&errors),
    };
    // Counted only now: an invalid request does not use up the address's allowance.
    match reserve_submission(&state, ip).await {
        Ok(None) => {}
        Ok(Some(secs)) => {
            return retry_after(
                api_error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_requests",
                    "提交过于频繁，请稍后再试",
                ),
                secs,
            );
        }
        Err(e) => return from_page_error(e),
    }
    match application::create(&state.store, "api", &new).await {
        Ok(app) => no_store(
            (
                StatusCode::CREATED,
                [(
                    header::LOCATION,
                    format!("/api/v1/applications/{}", app.tracking_no),
                )],
                axum::Json(json!({
                    "tracking_number": app.tracking_no,
                    "query_code": app.query_code,
                    "received_on": app.received_on,
                    "due": app.due_on,
                    "due_provisional": app.due_provisional,
                    "status": app.status,
                })),
            )
                .into_response(),
        ),
        Err(e) => internal(e),
    }
}

/// The request header that carries the query code.
pub const QUERY_CODE_HEADER: &str = "x-query-code";

async fn application_status(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    tracking_number: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Response {
    let Path(tracking_number) = match tracking_number {
        Ok(p) => p,
        Err(e) => return bad_path(e),
    };
    // `?code=` is no longer accepted (an address ends up in logs and histories); it is read
    // only to say so.
    let code_in_url = match query_params(raw.as_deref(), &["code"]) {
        Ok(q) => q.contains_key("code"),
        // Given twice: still in the address.
        Err(_) => true,
    };
    if code_in_url {
        return no_store(api_error(
            StatusCode::BAD_REQUEST,
            "code_in_url",
            "查询码请放在 X-Query-Code 请求头中提交，不要放在网址里",
        ));
    }
    let code = headers
        .get(QUERY_CODE_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    no_store(
        match track_lookup(&state, ip, &tracking_number, code).await {
            Ok(TrackLookup::Found(v)) => axum::Json(*v).into_response(),
            // The same answer for a wrong code and an unknown number: nothing to probe.
            Ok(TrackLookup::NotFound) => api_error(
                StatusCode::NOT_FOUND,
                "not_found",
                "未找到该申请，请核对申请编号和查询码",
            ),
            Ok(TrackLookup::Limited { retry_after: secs }) => retry_after(
                api_error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "too_many_requests",
                    "查询次数过多，请稍后再试",
                ),
                secs,
            ),
            Err(e) => from_page_error(e),
        },
    )
}

async fn report(
    State(state): State<AppState>,
    year: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Response {
    let Path(year) = match year {
        Ok(p) => p,
        Err(e) => return bad_path(e),
    };
    let q = match query_params(raw.as_deref(), &["format"]) {
        Ok(q) => q,
        Err(errors) => return invalid(&errors),
    };
    let mut errors = Vec::new();
    let year = match strict_int::<i32>(&year).filter(|y| rules::YEAR_RANGE.contains(y)) {
        Some(y) => y,
        None => {
            errors.push(FieldError {
                field: "year",
                message: "年份须为2008至2200的整数".into(),
            });
            0
        }
    };
    let format = match q.get("format") {
        None => Some(ReportFormat::for_year(year)),
        Some(f) => {
            let f = rules::REPORT_FORMATS
                .contains(&f.as_str())
                .then(|| ReportFormat::parse(f))
                .flatten();
            if f.is_none() {
                errors.push(FieldError {
                    field: "format",
                    message: "格式须为 2019 或 2021".into(),
                });
            }
            f
        }
    };
    let Some(format) = format.filter(|_| errors.is_empty()) else {
        return invalid(&errors);
    };
    // Only a published report is public (as on /reports/{year}): the snapshot, prose included,
    // in the format it was published in. Nothing is generated from the records here.
    match report_draft::published(&state.store, state.site.agency_id, year).await {
        Ok(Some(p)) if p.report.format == format => (
            [(header::CONTENT_TYPE, "application/json")],
            p.report.to_json(),
        )
            .into_response(),
        Ok(Some(_)) => api_error(
            StatusCode::NOT_FOUND,
            "not_found",
            "该年度报告未以此格式发布",
        ),
        Ok(None) => api_error(StatusCode::NOT_FOUND, "not_found", "该年度报告尚未发布"),
        Err(e) => internal(e),
    }
}
