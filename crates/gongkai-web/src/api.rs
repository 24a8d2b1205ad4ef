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
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gongkai_law::ReportFormat;
use gongkai_store::models::ProactiveItem;
use gongkai_store::models::agency;
use gongkai_store::models::application;
use gongkai_store::models::report_draft;
use gongkai_store::views::portal::{self as views, ItemFilter};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::apply::{
    ApplicationInput, ClientIp, FieldError, TrackLookup, no_store, retry_after, track_lookup,
    validate,
};
use crate::catalog;
use crate::{AppState, PageError};

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

fn internal(e: impl std::fmt::Display) -> Response {
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

/// `?q=&category=&agency=&page=`
#[derive(Debug, Default, Deserialize)]
pub struct DocumentsQuery {
    /// Free text.
    #[serde(default)]
    pub q: String,
    /// Art. 20 category key (or number).
    #[serde(default)]
    pub category: String,
    /// Agency id or exact name.
    #[serde(default)]
    pub agency: String,
    /// 1-based page.
    #[serde(default)]
    pub page: String,
}

async fn documents(State(state): State<AppState>, Query(p): Query<DocumentsQuery>) -> Response {
    match documents_inner(&state, &p).await {
        Ok(r) => r,
        Err(e) => from_page_error(e),
    }
}

async fn documents_inner(state: &AppState, p: &DocumentsQuery) -> Result<Response, PageError> {
    let mut errors = Vec::new();
    let page: usize = if p.page.trim().is_empty() {
        1
    } else {
        match p.page.trim().parse::<usize>() {
            Ok(n) if (1..=10_000).contains(&n) => n,
            _ => {
                errors.push(FieldError {
                    field: "page",
                    message: "页码须为1至10000的整数".into(),
                });
                1
            }
        }
    };
    let category = if p.category.trim().is_empty() {
        None
    } else {
        let c = catalog::category_by_key(&p.category);
        if c.is_none() {
            errors.push(FieldError {
                field: "category",
                message: "没有这个公开类别".into(),
            });
        }
        c
    };
    let root = state.site.agency_id;
    let ids = agency::subtree_ids(&state.store, root).await?;
    let agency_id = if p.agency.trim().is_empty() {
        None
    } else {
        let found = match agency::resolve(&state.store, &p.agency).await {
            Ok(a) if ids.contains(&a.id) => Some(a.id),
            _ => None,
        };
        if found.is_none() {
            errors.push(FieldError {
                field: "agency",
                message: "没有这个机关".into(),
            });
        }
        found
    };
    if !errors.is_empty() {
        return Ok(invalid(&errors));
    }
    let q: String =
        p.q.trim()
            .chars()
            .take(gongkai_search::MAX_QUERY_CHARS)
            .collect();
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

async fn document(State(state): State<AppState>, Path(index_no): Path<String>) -> Response {
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
    let channel = text(obj, "channel", "channel");
    if !channel.is_empty() && channel != "online" {
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
    if !state.limiter.allow(ip) {
        return api_error(
            StatusCode::TOO_MANY_REQUESTS,
            "too_many_requests",
            "提交过于频繁，请稍后再试",
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

/// `?code=`: no longer accepted (an address ends up in logs and histories); present only to
/// say so.
#[derive(Debug, Default, Deserialize)]
pub struct CodeQuery {
    /// A query code in the address.
    #[serde(default)]
    pub code: Option<String>,
}

/// The request header that carries the query code.
pub const QUERY_CODE_HEADER: &str = "x-query-code";

async fn application_status(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Path(tracking_number): Path<String>,
    Query(q): Query<CodeQuery>,
) -> Response {
    if q.code.is_some() {
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

/// `?format=2019|2021`
#[derive(Debug, Default, Deserialize)]
pub struct FormatQuery {
    /// Report format; by default the one in force for the year.
    #[serde(default)]
    pub format: String,
}

async fn report(
    State(state): State<AppState>,
    Path(year): Path<String>,
    Query(q): Query<FormatQuery>,
) -> Response {
    let mut errors = Vec::new();
    let year = match year.parse::<i32>() {
        Ok(y) if (2008..=2200).contains(&y) => y,
        _ => {
            errors.push(FieldError {
                field: "year",
                message: "年份须为2008至2200的整数".into(),
            });
            0
        }
    };
    let format = if q.format.trim().is_empty() {
        Some(ReportFormat::for_year(year))
    } else {
        let f = ReportFormat::parse(q.format.trim());
        if f.is_none() {
            errors.push(FieldError {
                field: "format",
                message: "格式须为 2019 或 2021".into(),
            });
        }
        f
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
