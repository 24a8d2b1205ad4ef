//! The JSON API, the forms and escaping, against the real router over a temporary SQLite file
//! (requests go through `tower::ServiceExt::oneshot`, the same service the server runs).

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{HOSTILE, fixture};
use gongkai_store::attempts::Limit;
use gongkai_web::router;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

async fn send(app: &axum::Router, req: Request<Body>) -> Answer {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).unwrap(),
    }
}

async fn get(app: &axum::Router, uri: &str) -> Answer {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post_json(app: &axum::Router, uri: &str, body: &Value) -> Answer {
    send(
        app,
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

async fn post_form(app: &axum::Router, uri: &str, cookie: &str, fields: &[(&str, &str)]) -> Answer {
    let body = fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                gongkai_web::portal::urlencode(k),
                gongkai_web::portal::urlencode(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&");
    send(
        app,
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, cookie)
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

/// `POST /track` as the form sends it (CSRF token from the form page).
async fn track(app: &axum::Router, no: &str, code: &str) -> Answer {
    let page = get(app, "/track").await;
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    let (cookie, token) = csrf_cookie(&page);
    post_form(
        app,
        "/track",
        &cookie,
        &[("no", no), ("code", code), ("csrf", &token)],
    )
    .await
}

/// The status API with the query code in its header.
async fn status(app: &axum::Router, no: &str, code: &str) -> Answer {
    send(
        app,
        Request::get(format!("/api/v1/applications/{no}"))
            .header("x-query-code", code)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

/// Whether `<script>` appears escaped (askama writes numeric entities, the report and search
/// crates named ones).
fn escaped_script(body: &str) -> bool {
    body.contains("&lt;script&gt;") || body.contains("&#60;script&#62;")
}

fn valid_application() -> Value {
    json!({
        "applicant": {"kind": "natural_person", "name": "张测试", "id_type": "居民身份证",
                      "id_number": "11010519491231002X", "phone": "13912345678",
                      "email": "zhang@example.cn", "address": "测试县人民路1号"},
        "description": "2020年测试县财政预算执行情况",
        "document_number": "测财〔2020〕8号",
        "delivery": "electronic",
        "channel": "online"
    })
}

#[tokio::test]
async fn application_201_then_status_with_code_and_404_without() {
    let fx = fixture().await;
    let app = router(fx.state.clone());
    let r = post_json(&app, "/api/v1/applications", &valid_application()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let v = r.json();
    let tn = v["tracking_number"].as_str().unwrap().to_string();
    let code = v["query_code"].as_str().unwrap().to_string();
    let received = v["received_on"].as_str().unwrap();
    let due = v["due"].as_str().unwrap();
    assert!(due > received, "due {due} after receipt {received}");
    // 20 working days: at least four weeks later.
    let (r0, d0) = (
        chrono::NaiveDate::parse_from_str(received, "%Y-%m-%d").unwrap(),
        chrono::NaiveDate::parse_from_str(due, "%Y-%m-%d").unwrap(),
    );
    assert!((d0 - r0).num_days() >= 27, "{received} → {due}");

    let s = status(&app, &tn, &code).await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.body);
    assert_eq!(s.headers[header::CACHE_CONTROL], "no-store");
    let sv = s.json();
    assert_eq!(sv["tracking_number"], tn.as_str());
    assert_eq!(sv["status"], "registered");
    assert_eq!(sv["due"], due);
    assert_eq!(sv["events"][0]["event"], "received");
    for personal in [
        "张测试",
        "11010519491231002X",
        "13912345678",
        "zhang@example.cn",
        "人民路",
    ] {
        assert!(
            !s.body.contains(personal),
            "status shows personal data {personal}"
        );
    }

    let none = get(&app, &format!("/api/v1/applications/{tn}")).await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
    let wrong = status(&app, &tn, "WRONG123").await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    assert_eq!(wrong.json()["error"], "not_found");
    // The code in the address is refused, not looked up.
    let in_url = get(&app, &format!("/api/v1/applications/{tn}?code={code}")).await;
    assert_eq!(in_url.status, StatusCode::BAD_REQUEST);
    assert_eq!(in_url.json()["error"], "code_in_url");
}

#[tokio::test]
async fn invalid_application_is_422_naming_the_fields() {
    let fx = fixture().await;
    let app = router(fx.state.clone());
    let mut bad = valid_application();
    bad["applicant"]["name"] = json!("");
    bad["applicant"]["kind"] = json!("alien");
    bad["applicant"]["id_number"] = json!("110105194912310021");
    bad["delivery"] = json!("pigeon");
    bad["description"] = json!("");
    let r = post_json(&app, "/api/v1/applications", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let fields = &r.json()["fields"];
    assert!(fields["applicant.kind"].is_string(), "{}", r.body);
    let mut bad2 = valid_application();
    bad2["applicant"]["name"] = json!("");
    bad2["applicant"]["id_number"] = json!("110105194912310021");
    bad2["delivery"] = json!("pigeon");
    bad2["description"] = json!("");
    let r = post_json(&app, "/api/v1/applications", &bad2).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let v = r.json();
    for f in [
        "applicant.name",
        "applicant.id_number",
        "delivery",
        "description",
    ] {
        assert!(v["fields"][f].is_string(), "{f} not named: {}", r.body);
    }
    assert!(
        v["fields"]["applicant.phone"].is_null(),
        "a good field is not named"
    );

    let r = post_json(&app, "/api/v1/applications", &json!({"description": 5})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let v = r.json();
    assert!(
        v["fields"]["applicant"].is_string() && v["fields"]["description"].is_string(),
        "{}",
        r.body
    );

    let r = send(
        &app,
        Request::post("/api/v1/applications")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{not json"))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["body"].is_string());
}

#[tokio::test]
async fn openapi_document_is_openapi_3_with_every_endpoint() {
    let fx = fixture().await;
    let app = router(fx.state.clone());
    let r = get(&app, "/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert!(v["openapi"].as_str().unwrap().starts_with("3."));
    for (path, method) in [
        ("/api/v1/documents", "get"),
        ("/api/v1/documents/{index_no}", "get"),
        ("/api/v1/applications", "post"),
        ("/api/v1/applications/{tracking_number}", "get"),
        ("/api/v1/reports/{year}", "get"),
    ] {
        assert!(
            v["paths"][path][method]["responses"].is_object(),
            "{method} {path}"
        );
    }
    // The reference validator, where scripts/test could install it.
    if let Ok(validator) = std::env::var("GONGKAI_OPENAPI_VALIDATOR") {
        let file = fx.dir.path().join("openapi.json");
        std::fs::write(&file, &r.body).unwrap();
        let out = std::process::Command::new(validator)
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "openapi-spec-validator: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // Every $ref resolves.
    let text = r.body.clone();
    for part in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
        let name = part.split('"').next().unwrap();
        assert!(
            v["components"]["schemas"][name].is_object(),
            "dangling $ref {name}"
        );
    }
}

#[tokio::test]
async fn documents_list_search_and_by_index_no() {
    let fx = fixture().await;
    let app = router(fx.state.clone());
    let r = get(&app, "/api/v1/documents").await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["total"], 4);
    for it in v["items"].as_array().unwrap() {
        assert!(
            it["index_no"].is_string()
                && it["title"].is_string()
                && it["url"].as_str().unwrap().starts_with("/xxgk/items/")
        );
    }
    let r = get(
        &app,
        "/api/v1/documents?q=%E8%A7%84%E8%8C%83%E6%80%A7%E6%96%87%E4%BB%B6&category=regulations",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    assert!(v["total"].as_u64().unwrap() >= 1, "{}", r.body);
    assert_eq!(v["items"][0]["category"], "regulations");
    let r = get(&app, "/api/v1/documents?category=nope&page=0").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let v = r.json();
    assert!(v["fields"]["category"].is_string() && v["fields"]["page"].is_string());

    let encoded = fx.normative_index_no.replace('/', "%2F");
    for uri in [
        format!("/api/v1/documents/{encoded}"),
        format!("/api/v1/documents/{}", fx.normative_index_no),
    ] {
        let r = get(&app, &uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
        let v = r.json();
        assert_eq!(v["index_no"], fx.normative_index_no.as_str());
        assert_eq!(v["doc_number"], "测政〔2020〕1号");
        assert_eq!(v["validity"], "in_force");
    }
    assert_eq!(
        get(&app, "/api/v1/documents/nope%2F2020-99999")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn report_json_and_page() {
    let fx = fixture().await;
    let app = router(fx.state.clone());
    common::publish_report(&fx.state, fx.county, 2019).await;
    common::publish_report(&fx.state, fx.county, 2020).await;
    let r = get(&app, "/api/v1/reports/2020").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    assert_eq!(v["year"], 2020);
    assert_eq!(v["agency"], "测试县人民政府");
    assert_eq!(
        get(&app, "/api/v1/reports/2020?format=1999").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let p = get(&app, "/reports/2020").await;
    assert_eq!(p.status, StatusCode::OK);
    assert!(p.body.contains("<table"), "tables");
    assert_eq!(p.body.matches("<svg").count(), 3, "three charts");
    assert!(
        p.body.contains("<title id=\"chart-outcome-title\">")
            && p.body.contains("<desc id=\"chart-kind-desc\">")
    );
    assert!(
        p.body.contains("2019年") && p.body.contains("2020年"),
        "year over year"
    );
}

fn csrf_cookie(a: &Answer) -> (String, String) {
    let set = a.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    let pair = set.split(';').next().unwrap().to_string();
    let token = pair.split_once('=').unwrap().1.to_string();
    (pair, token)
}

#[tokio::test]
async fn application_form_csrf_honeypot_errors_receipt_and_tracking() {
    let fx = fixture().await;
    let app = router(fx.state.clone());
    let page = get(&app, "/apply").await;
    assert_eq!(page.status, StatusCode::OK);
    let (cookie, token) = csrf_cookie(&page);
    assert!(page.body.contains(&format!("value=\"{token}\"")));
    let good: Vec<(&str, &str)> = vec![
        ("kind", "natural_person"),
        ("name", "李测试"),
        ("id_type", "居民身份证"),
        ("id_number", "11010519491231002X"),
        ("phone", "13912345678"),
        ("email", "li@example.cn"),
        ("address", ""),
        ("description", "测试县2020年道路建设规划"),
        ("document_number", ""),
        ("delivery", "electronic"),
    ];
    let with = |extra: &[(&'static str, &str)]| -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = good
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        for (k, val) in extra {
            v.retain(|(kk, _)| kk != k);
            v.push((k.to_string(), val.to_string()));
        }
        v
    };
    let as_refs = |v: &Vec<(String, String)>| -> Vec<(String, String)> { v.clone() };
    async fn post(app: &axum::Router, cookie: &str, v: Vec<(String, String)>) -> Answer {
        let refs: Vec<(&str, &str)> = v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        post_form(app, "/apply", cookie, &refs).await
    }
    // No token: refused.
    let r = post(&app, &cookie, as_refs(&with(&[]))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Honeypot filled: refused, nothing stored.
    let r = post(
        &app,
        &cookie,
        with(&[("csrf", &token), ("website", "http://spam")]),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Errors next to the fields at fault, input kept (escaped).
    let r = post(
        &app,
        &cookie,
        with(&[
            ("csrf", &token),
            ("name", ""),
            ("id_number", "123"),
            ("description", HOSTILE),
        ]),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"err-name\""), "error beside 姓名");
    assert!(r.body.contains("id=\"err-id_number\"") && r.body.contains("居民身份证号码应为18位"));
    assert!(
        r.body
            .contains("aria-invalid=\"true\" aria-describedby=\"err-name\"")
    );
    assert!(!r.body.contains("id=\"err-phone\""));
    assert!(
        !r.body.contains("<script>alert"),
        "description echoed unescaped"
    );
    assert!(escaped_script(&r.body));
    // Good: a receipt with tracking number, query code and due date.
    let r = post(&app, &cookie, with(&[("csrf", &token)])).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let grab = |id: &str| -> String {
        let start = r.body.find(&format!("id=\"{id}\">")).unwrap() + id.len() + 6;
        r.body[start..].split('<').next().unwrap().to_string()
    };
    let (tn, code, due) = (grab("tracking-no"), grab("query-code"), grab("due"));
    assert!(
        tn.starts_with("YSQ") && code.len() == 8 && due.len() == 10,
        "{tn} {code} {due}"
    );
    // Tracking shows status, events and due date, not the applicant.
    let t = track(&app, &tn, &code).await;
    assert_eq!(t.status, StatusCode::OK);
    assert_eq!(t.headers[header::CACHE_CONTROL], "no-store");
    assert!(t.body.contains("已登记") && t.body.contains("收到申请") && t.body.contains(&due));
    for personal in [
        "李测试",
        "11010519491231002X",
        "13912345678",
        "li@example.cn",
    ] {
        assert!(!t.body.contains(personal), "tracking shows {personal}");
    }
    let t = track(&app, &tn, "XXXXXXXX").await;
    assert_eq!(t.status, StatusCode::NOT_FOUND);
    assert!(t.body.contains("未找到该申请"));
    // A code in the address is not looked up.
    let t = get(&app, &format!("/track?no={tn}&code={code}")).await;
    assert_eq!(t.status, StatusCode::OK);
    assert!(!t.body.contains("track-result") && t.body.contains("不再通过网址传递"));
}

/// The per-address limit is a setting, counts only valid applications, and its 429 says when
/// to come back.
#[tokio::test]
async fn submissions_are_limited_per_address_after_validation() {
    let mut fx = fixture().await;
    fx.state.apply_limit = Limit {
        scope: "apply.addr",
        limit: 1,
        window_secs: 3600,
    };
    let app = router(fx.state.clone());
    let mut bad = valid_application();
    bad["applicant"]["phone"] = json!("110");
    for _ in 0..3 {
        let r = post_json(&app, "/api/v1/applications", &bad).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    }
    let r = post_json(&app, "/api/v1/applications", &valid_application()).await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "invalid ones used nothing: {}",
        r.body
    );
    let r = post_json(&app, "/api/v1/applications", &valid_application()).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.json()["error"], "too_many_requests");
    let secs: i64 = r.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&secs), "{secs}");
    // Over the limit, a mistake is still named as a mistake.
    let r = post_json(&app, "/api/v1/applications", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Every answer under /api is JSON, query-string mistakes included, and the document's
/// bounds are the server's.
#[tokio::test]
async fn query_mistakes_are_json_and_bounds_agree_with_the_document() {
    let fx = fixture().await;
    let app = router(fx.state.clone());
    for uri in [
        "/api/v1/documents?page=1&page=1",
        "/api/v1/documents?page=",
        "/api/v1/documents?page=%2B1",
        "/api/v1/documents?page=10001",
        "/api/v1/documents?category=",
        "/api/v1/documents?category=%203",
        "/api/v1/reports/2020?format=2019&format=2019",
        "/api/v1/reports/2020?format=",
        "/api/v1/reports/2201",
        "/api/v1/reports/2007",
        "/api/v1/reports/%2B2020",
    ] {
        let r = get(&app, uri).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{uri}: {}",
            r.body
        );
        assert!(
            r.headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
            "{uri}"
        );
        assert_eq!(r.json()["error"], "invalid_input", "{uri}");
    }
    let long = "字".repeat(gongkai_search::MAX_QUERY_CHARS + 1);
    let r = get(
        &app,
        &format!(
            "/api/v1/documents?q={}",
            gongkai_web::portal::urlencode(&long)
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["q"].is_string());
    let at = "字".repeat(gongkai_search::MAX_QUERY_CHARS);
    let r = get(
        &app,
        &format!(
            "/api/v1/documents?q={}",
            gongkai_web::portal::urlencode(&at)
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for uri in [
        "/api/v1/documents?category=1",
        "/api/v1/documents?category=regulations&page=10000",
        "/api/v1/reports/2200?format=2021",
        "/api/v1/applications/X?unknown=1&unknown=2",
    ] {
        let r = get(&app, uri).await;
        assert!(
            r.status == StatusCode::OK || r.status == StatusCode::NOT_FOUND,
            "{uri}: {} {}",
            r.status,
            r.body
        );
        r.json();
    }
    // An agency this portal does not publish for: nothing published, not an error.
    for agency in ["nobody", "999999"] {
        let r = get(&app, &format!("/api/v1/documents?agency={agency}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["total"], 0);
    }
    // A path that does not decode: JSON 404, not axum's text/plain 400.
    for uri in [
        "/api/v1/documents/%FF",
        "/api/v1/reports/%FF",
        "/api/v1/applications/%FF",
    ] {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}: {}", r.body);
        assert_eq!(r.json()["error"], "not_found");
    }
    // What axum and the body limit answer by themselves is JSON too under /api.
    let r = send(
        &app,
        Request::delete("/api/v1/documents")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.headers.contains_key(header::ALLOW));
    assert_eq!(r.json()["error"], "method_not_allowed");
    let big = "字".repeat(30_000);
    let r = send(
        &app,
        Request::post("/api/v1/applications")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_LENGTH, big.len())
            .body(Body::from(big))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.json()["error"], "payload_too_large");
    let r = get(&app, "/api/v1/applications/X?code=1&code=2").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(r.json()["error"], "code_in_url");
}

#[tokio::test]
async fn mailbox_letter_is_received_and_replies_listed() {
    let fx = fixture().await;
    let app = router(fx.state.clone());
    let page = get(&app, "/mailbox").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("答复"));
    let (cookie, token) = csrf_cookie(&page);
    let r = post_form(
        &app,
        "/mailbox",
        &cookie,
        &[
            ("subject", ""),
            ("body", "x"),
            ("contact", "1"),
            ("csrf", &token),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("id=\"err-subject\""));
    let r = post_form(
        &app,
        "/mailbox",
        &cookie,
        &[
            ("subject", HOSTILE),
            ("body", HOSTILE),
            ("contact", "13800000000"),
            ("csrf", &token),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("来信已收到"));
    let r = post_form(
        &app,
        "/mailbox",
        &cookie,
        &[
            ("subject", "a"),
            ("body", "b"),
            ("contact", "c"),
            ("csrf", "forged"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// Hostile text in an item, a letter and an application is escaped on every page that shows it.
#[tokio::test]
async fn hostile_text_is_escaped_everywhere() {
    let fx = fixture().await;
    let app = router(fx.state.clone());
    let mut bad = valid_application();
    bad["applicant"]["name"] = json!(HOSTILE);
    bad["description"] = json!(HOSTILE);
    let r = post_json(&app, "/api/v1/applications", &bad).await;
    assert_eq!(r.status, StatusCode::CREATED);
    let v = r.json();
    let tracked = track(
        &app,
        v["tracking_number"].as_str().unwrap(),
        v["query_code"].as_str().unwrap(),
    )
    .await;
    assert_eq!(tracked.status, StatusCode::OK);
    assert!(!tracked.body.contains("<script>") && !tracked.body.contains("alert(\"x\")"));
    let pages = [
        "/".to_string(),
        format!("/xxgk/items/{}", fx.hostile_item_id),
        "/xxgk/category/other".to_string(),
        "/search?q=%E6%81%B6%E6%84%8F%E6%A0%87%E9%A2%98".to_string(),
        format!("/search?q={}", gongkai_web::portal::urlencode(HOSTILE)),
        "/mailbox".to_string(),
        "/feed.atom".to_string(),
        "/xxgk/decisions?q=%3Cscript%3E".to_string(),
    ];
    for p in &pages {
        let r = get(&app, p).await;
        assert_eq!(r.status, StatusCode::OK, "{p}");
        assert!(!r.body.contains("<script>"), "{p} shows <script> unescaped");
        assert!(!r.body.contains("alert(\"x\")"), "{p} shows a raw quote");
    }
    let item = get(&app, &format!("/xxgk/items/{}", fx.hostile_item_id))
        .await
        .body;
    assert!(
        item.contains("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;&#39;&#34;&#38;"),
        "{item}"
    );
    let mailbox = get(&app, "/mailbox").await.body;
    assert!(mailbox.contains("来信&#60;script&#62;") && mailbox.contains("答复&#60;script&#62;"));
    let search = get(&app, "/search?q=%E6%81%B6%E6%84%8F%E6%A0%87%E9%A2%98")
        .await
        .body;
    assert!(
        search.contains("<mark>") && escaped_script(&search),
        "{search}"
    );
    let feed = get(&app, "/feed.atom").await.body;
    assert!(
        feed.contains("&lt;script&gt;alert(&quot;x&quot;)"),
        "{feed}"
    );
    // JSON is JSON: the API returns the text as a string value, which clients must escape.
    let doc = get(&app, "/api/v1/documents?category=other").await.json();
    assert!(doc["items"][0]["title"].as_str().unwrap().contains(HOSTILE));
}

#[tokio::test]
async fn every_page_answers() {
    let fx = fixture().await;
    let app = router(fx.state.clone());
    common::publish_report(&fx.state, fx.county, 2020).await;
    for p in [
        "/",
        "/xxgk",
        "/xxgk/guide",
        "/xxgk/system",
        "/xxgk/fdzdgknr",
        "/xxgk/category/regulations",
        "/xxgk/units",
        "/xxgk/topics",
        "/xxgk/decisions",
        "/xxgk/annual",
        "/search",
        "/apply",
        "/track",
        "/mailbox",
        "/reports/2020",
        "/feed.atom",
        "/sitemap.xml",
        "/healthz",
    ] {
        let r = get(&app, p).await;
        assert_eq!(r.status, StatusCode::OK, "{p}");
        assert!(
            r.headers.contains_key(header::CONTENT_SECURITY_POLICY),
            "{p}"
        );
    }
    let item = get(&app, &format!("/xxgk/items/{}", fx.normative_id)).await;
    for label in [
        "索引号",
        "发布机构",
        "成文日期",
        "发布日期",
        "文号",
        "有效性",
        "主题分类",
        "测政〔2020〕1号",
        "相关解读",
    ] {
        assert!(item.body.contains(label), "item page lacks {label}");
    }
    let interp = get(&app, &format!("/xxgk/items/{}", fx.interpretation_id)).await;
    assert!(
        interp.body.contains("解读的文件")
            && interp
                .body
                .contains(&format!("/xxgk/items/{}", fx.normative_id))
    );
    assert_eq!(
        get(&app, "/xxgk/items/99999").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/reports/abc").await.status,
        StatusCode::NOT_FOUND
    );
}

/// The portal's read queries and the application write on PostgreSQL: the same pages and API
/// answers as on SQLite.
#[tokio::test]
async fn pages_and_api_on_postgres() {
    let Some(fx) = common::fixture_pg("pages_api").await else {
        return;
    };
    let app = router(fx.state.clone());
    common::publish_report(&fx.state, fx.county, 2019).await;
    common::publish_report(&fx.state, fx.county, 2020).await;
    for p in [
        "/",
        "/xxgk",
        "/xxgk/fdzdgknr",
        "/xxgk/category/regulations",
        "/xxgk/units",
        "/xxgk/topics",
        "/xxgk/decisions",
        "/xxgk/decisions?q=%E7%8E%8B&kind=licensing",
        "/xxgk/annual",
        "/mailbox",
        "/reports/2020",
        "/feed.atom",
        "/sitemap.xml",
    ] {
        let r = get(&app, p).await;
        assert_eq!(r.status, StatusCode::OK, "{p}: {}", r.body);
    }
    let item = get(&app, &format!("/xxgk/items/{}", fx.normative_id)).await;
    assert_eq!(item.status, StatusCode::OK);
    assert!(item.body.contains("相关解读"));
    let docs = get(&app, "/api/v1/documents").await.json();
    assert_eq!(docs["total"], 4);
    let r = post_json(&app, "/api/v1/applications", &valid_application()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let v = r.json();
    let s = status(
        &app,
        v["tracking_number"].as_str().unwrap(),
        v["query_code"].as_str().unwrap(),
    )
    .await;
    assert_eq!(s.status, StatusCode::OK);
    let report = get(&app, "/reports/2020").await.body;
    assert!(report.contains("2019年") && report.contains("<svg"));
    fx.cleanup().await;
}

/// The back office's publish hook: the new item is searchable and its page is fresh at once.
#[tokio::test]
async fn item_changed_keeps_search_and_page_cache_in_step() {
    use gongkai_store::models::proactive_item::{self, DocType, NewItem, Validity};
    let fx = fixture().await;
    let app = router(fx.state.clone());
    let new = proactive_item::create(
        &fx.state.store,
        "t",
        &NewItem {
            agency_id: fx.county,
            title: "测试县秸秆禁烧工作方案".into(),
            summary: String::new(),
            publisher: "测试县人民政府".into(),
            written_on: chrono::NaiveDate::from_ymd_opt(2020, 9, 1),
            published_on: chrono::NaiveDate::from_ymd_opt(2020, 9, 1),
            doc_number: None,
            topic: String::new(),
            genre: String::new(),
            doc_type: DocType::Other,
            art20_item: Some(13),
            unit: String::new(),
            status: gongkai_store::models::ItemStatus::Published,
        },
    )
    .await
    .unwrap();
    let q = "/search?q=%E7%A7%B8%E7%A7%86%E7%A6%81%E7%83%A7";
    assert!(get(&app, q).await.body.contains("共找到 0 条结果"));
    fx.state.item_changed(new.id).await.unwrap();
    assert!(get(&app, q).await.body.contains("共找到 1 条结果"));

    let page = format!("/xxgk/items/{}", new.id);
    assert!(!get(&app, &page).await.body.contains("已废止"));
    proactive_item::set_validity(
        &fx.state.store,
        "t",
        new.id,
        Validity::Repealed,
        chrono::NaiveDate::from_ymd_opt(2020, 12, 1).unwrap(),
    )
    .await
    .unwrap();
    fx.state.item_changed(new.id).await.unwrap();
    let body = get(&app, &page).await.body;
    assert!(
        body.contains("本文件已废止"),
        "a repealed document stays online, marked"
    );
}

/// 双公示: by party (substring), by decision number (exact), by kind, and paged by keyset.
#[tokio::test]
async fn decisions_search_and_keyset_paging() {
    let fx = fixture().await;
    let app = router(fx.state.clone());
    const ROW: &str = "<tr><th scope=\"row\"><a href=\"/xxgk/decisions/";
    let all = get(&app, "/xxgk/decisions").await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(all.body.matches(ROW).count(), 20, "a page of 20");
    let next = all.body.split("before=").nth(1).unwrap();
    let cursor: String = next.chars().take_while(char::is_ascii_digit).collect();
    let page2 = get(&app, &format!("/xxgk/decisions?q=&kind=&before={cursor}")).await;
    assert_eq!(page2.body.matches(ROW).count(), 6, "26 decisions in all");
    assert!(!page2.body.contains("rel=\"next\""));

    let by_number = get(
        &app,
        "/xxgk/decisions?q=%E6%B5%8B%E8%AE%B8%E3%80%942020%E3%80%957%E5%8F%B7",
    )
    .await;
    assert_eq!(by_number.body.matches(ROW).count(), 1, "{}", by_number.body);
    assert!(by_number.body.contains("测试商贸有限公司7<"));
    let by_party = get(
        &app,
        "/xxgk/decisions?q=%E5%95%86%E8%B4%B8%E6%9C%89%E9%99%90%E5%85%AC%E5%8F%B81",
    )
    .await;
    // 测试商贸有限公司1, 10–19: eleven parties contain 「商贸有限公司1」.
    assert_eq!(by_party.body.matches(ROW).count(), 11);
    let penalty = get(&app, "/xxgk/decisions?kind=penalty").await;
    assert_eq!(penalty.body.matches(ROW).count(), 1);
    assert!(penalty.body.contains("某某餐馆"));
    let percent = get(&app, "/xxgk/decisions?q=%25").await;
    assert_eq!(percent.body.matches(ROW).count(), 0, "% matches literally");
    // Through the trigram index too (three characters or more), quotes and all.
    for q in [
        "%25%25%25",
        "%22%E5%85%AC%E5%8F%B8%22",
        "%E5%85%AC%22%20OR%20%22",
    ] {
        let r = get(&app, &format!("/xxgk/decisions?q={q}")).await;
        assert_eq!(r.status, StatusCode::OK, "{q}");
        assert_eq!(r.body.matches(ROW).count(), 0, "{q}");
    }
}

/// 300 wrong query codes from one address: 429 with Retry-After well before the 30th, on the
/// page and in the API, the limit per tracking number holding too; the right code from
/// another address is then refused as well until the number's window ends (a guess cannot
/// tell a right code from a wrong one once limited).
#[tokio::test]
async fn wrong_query_codes_are_limited() {
    let fx = fixture().await;
    let app = router(fx.state.clone());
    let v = post_json(&app, "/api/v1/applications", &valid_application())
        .await
        .json();
    let tn = v["tracking_number"].as_str().unwrap().to_string();
    let mut first_429 = None;
    for i in 1..=300 {
        let a = if i % 2 == 0 {
            status(&app, &tn, &format!("WRONG{i:03}")).await
        } else {
            track(&app, &tn, &format!("WRONG{i:03}")).await
        };
        if a.status == StatusCode::TOO_MANY_REQUESTS {
            let secs: i64 = a.headers[header::RETRY_AFTER]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!(secs > 0 && secs <= 3600, "{secs}");
            first_429.get_or_insert(i);
        } else {
            assert_eq!(a.status, StatusCode::NOT_FOUND, "try {i}");
            assert!(first_429.is_none(), "try {i} answered after a 429");
        }
    }
    let first = first_429.expect("never limited");
    assert!(first < 30, "first 429 at try {first}");
    let page = track(&app, &tn, "WRONG999").await;
    assert!(page.body.contains("查询次数过多"), "{}", page.body);
    fx.cleanup().await;
}

/// Feed and sitemap links come from the configured site URL under a forged Host; redirects
/// from the request stay on the site; HSTS over HTTPS and Permissions-Policy on every answer.
#[tokio::test]
async fn links_and_redirects_stay_on_the_site() {
    let mut fx = fixture().await;
    fx.state.public_url = std::sync::Arc::from("https://www.example.gov.cn");
    let app = router(fx.state.clone());
    for path in ["/feed.atom", "/sitemap.xml"] {
        let r = send(
            &app,
            Request::get(path)
                .header(header::HOST, "evil.example.com")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert!(!r.body.contains("evil.example.com"), "{path}: {}", r.body);
        assert!(r.body.contains("https://www.example.gov.cn/"), "{path}");
        assert_eq!(
            r.headers[header::STRICT_TRANSPORT_SECURITY],
            "max-age=31536000; includeSubDomains"
        );
        assert!(
            r.headers["permissions-policy"]
                .to_str()
                .unwrap()
                .contains("camera=()")
        );
    }
    for back in [
        "/%09/evil.example.com",
        "//evil.example.com",
        "/%5C%5Cevil",
        "/x%0D%0ASet-Cookie:a=b",
    ] {
        let r = get(&app, &format!("/font-size?size=large&back={back}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{back}");
        assert_eq!(r.headers[header::LOCATION], "/", "{back}");
    }
    let r = get(&app, "/font-size?size=large&back=/xxgk%3Fpage%3D2").await;
    assert_eq!(r.headers[header::LOCATION], "/xxgk?page=2");
    // Without HTTPS there is no HSTS.
    fx.state.public_url = std::sync::Arc::from("http://127.0.0.1:8080");
    let r = get(&router(fx.state.clone()), "/").await;
    assert!(!r.headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
    fx.cleanup().await;
}

/// 11.4: only published, finished reports are public. The current year and the future are 404
/// (in the site's frame); a finished year says 「尚未发布」 until the head publishes, and no
/// generated draft or file leaks before; afterwards the snapshot is shown and listed with its
/// 发布日期 and DOCX/XLSX downloads. A withdrawn item's 410 keeps the frame too.
#[tokio::test]
async fn reports_are_public_only_when_published() {
    use chrono::Datelike;
    let fx = fixture().await;
    let app = router(fx.state.clone());
    let current = gongkai_law::beijing_today().year();
    for year in [current, current + 5, 2007] {
        let r = get(&app, &format!("/reports/{year}")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{year}");
        assert!(
            r.body.contains("aria-label=\"主导航\""),
            "framed: {}",
            r.body
        );
        assert!(r.body.contains("action=\"/search\""), "search box");
        assert!(r.body.contains("没有这一年的年度报告"));
    }
    let unknown = get(&app, "/no/such/page").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("aria-label=\"主导航\""));
    // The back office and the API keep their own answers.
    let api = get(&app, "/api/v1/documents/nope%2F2020-99999").await;
    assert!(!api.body.contains("主导航"));

    // Before publication: a page that says so, nothing generated, nothing to download, and
    // no JSON from the API either.
    let api = get(&app, "/api/v1/reports/2020").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND, "{}", api.body);
    assert!(api.body.contains("尚未发布"));
    let pending = get(&app, "/reports/2020").await;
    assert_eq!(pending.status, StatusCode::OK);
    assert!(pending.body.contains("尚未发布"), "{}", pending.body);
    for leak in ["<table", "未填写", "<svg", "download?format"] {
        assert!(!pending.body.contains(leak), "{leak} before publication");
    }
    assert_eq!(
        get(&app, "/reports/2020/download?format=docx").await.status,
        StatusCode::NOT_FOUND
    );
    let list = get(&app, "/xxgk/annual").await.body;
    assert!(!list.contains("/reports/2020"), "{list}");
    assert!(list.contains("暂无已发布的年度报告"));
    assert!(!get(&app, "/sitemap.xml").await.body.contains("/reports/"));

    // Published: the snapshot with its date and files.
    common::publish_report(&fx.state, fx.county, 2020).await;
    let today = gongkai_law::beijing_today().format("%Y-%m-%d").to_string();
    let page = get(&app, "/reports/2020").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("尚未发布"));
    assert!(page.body.contains("<table") && page.body.contains("<svg"));
    assert!(page.body.contains(&format!(
        "发布日期：<span id=\"report-published-on\">{today}"
    )));
    let list = get(&app, "/xxgk/annual").await.body;
    assert!(list.contains("href=\"/reports/2020\""), "{list}");
    assert!(list.contains(&format!("<td>{today}")), "{list}");
    for (format, media) in [
        ("docx", "wordprocessingml.document"),
        ("xlsx", "spreadsheetml.sheet"),
        ("pdf", "application/pdf"),
    ] {
        let r = app
            .clone()
            .oneshot(
                Request::get(format!("/reports/2020/download?format={format}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{format}");
        let headers = r.headers().clone();
        assert!(
            headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .contains(media)
        );
        let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(disposition.contains(&format!(".{format}")), "{disposition}");
        let bytes = r.into_body().collect().await.unwrap().to_bytes();
        let magic: &[u8] = if format == "pdf" { b"%PDF-" } else { b"PK" };
        assert!(bytes.starts_with(magic), "{format}: the file's magic bytes");
    }
    assert_eq!(
        get(&app, "/reports/2020/download?format=exe").await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        get(&app, "/sitemap.xml")
            .await
            .body
            .contains("/reports/2020")
    );
    assert_eq!(
        get(&app, "/api/v1/reports/2020").await.status,
        StatusCode::OK
    );
    assert_eq!(
        get(&app, "/api/v1/reports/2020?format=2021").await.status,
        StatusCode::NOT_FOUND,
        "not published in the 2021 format"
    );

    // A withdrawn item: 410 in the site's frame.
    let reviewer = gongkai_store::auth::create_user(
        &fx.state.store,
        "t",
        &gongkai_store::auth::NewUser {
            name: "shenhe".into(),
            role: gongkai_store::auth::Role::Reviewer,
            agency_id: Some(fx.county),
        },
        "Test-Secret-2026",
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    gongkai_store::models::publishing::withdraw(
        &fx.state.store,
        "shenhe",
        fx.hostile_item_id,
        reviewer.id.0,
        gongkai_law::beijing_today(),
        "内容有误",
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    let gone = get(&app, &format!("/xxgk/items/{}", fx.hostile_item_id)).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert!(gone.body.contains("该信息已撤回") && gone.body.contains("aria-label=\"主导航\""));
}

/// A multipart body of `parts` (name, file name, bytes); a part without a file name is text.
fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "api-test-3f9c";
    let mut body = Vec::new();
    for (name, file, bytes) in parts {
        let disposition = match file {
            Some(f) => format!("form-data; name=\"{name}\"; filename=\"{f}\""),
            None => format!("form-data; name=\"{name}\""),
        };
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn check(
    app: &axum::Router,
    token: Option<&str>,
    parts: &[(&str, Option<&str>, &[u8])],
) -> Answer {
    let (ct, body) = multipart(parts);
    let mut req = Request::post("/api/v1/reports/check").header(header::CONTENT_TYPE, ct);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    send(app, req.body(Body::from(body)).unwrap()).await
}

/// Issue 18.3: the checker validates before it counts, counts anonymous callers per address,
/// lets a token's caller past that allowance until the token is revoked, and never fetches
/// from inside the server's own network.
#[tokio::test]
async fn the_report_checker_counts_callers_and_keeps_to_public_addresses() {
    use gongkai_store::models::api_token::{self, Scope};
    let mut fx = fixture().await;
    fx.state.check_limit = Limit {
        scope: "check.addr",
        limit: 2,
        window_secs: 3600,
    };
    let app = router(fx.state.clone());
    let report = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/reports/2024-001.txt"),
    )
    .unwrap();

    // Mistakes are named and cost nothing.
    for _ in 0..3 {
        let r = check(&app, None, &[("year", None, b"2024")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert!(r.json()["fields"]["file"].is_string(), "{}", r.body);
    }
    let r = check(&app, None, &[("file", Some("r.txt"), b"")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["file"].is_string(), "{}", r.body);
    let r = check(
        &app,
        None,
        &[("file", Some("r.txt"), &report), ("year", None, b"1999")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.json()["fields"]["year"].is_string(), "{}", r.body);
    let r = send(
        &app,
        Request::post("/api/v1/reports/check")
            .header(header::CONTENT_TYPE, "text/plain")
            .body(Body::from("x"))
            .unwrap(),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.json()["error"], "unsupported_media_type");

    // Two anonymous checks, then 429 with Retry-After.
    for _ in 0..2 {
        let r = check(&app, None, &[("file", Some("2024-001.txt"), &report)]).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        assert_eq!(r.json()["file"], "2024-001.txt");
        assert_eq!(r.json()["year"], 2024);
        assert!(r.json()["findings"].is_array());
    }
    let r = check(&app, None, &[("file", Some("2024-001.txt"), &report)]).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.headers.contains_key(header::RETRY_AFTER));

    // A token the security admin issued goes past the address's allowance.
    let issued = api_token::issue(
        &fx.state.store,
        "anquan",
        "省政务公开平台",
        &[Scope::CheckReports],
    )
    .await
    .unwrap();
    assert!(issued.secret.starts_with("gk_") && issued.secret.len() == 46);
    let r = check(
        &app,
        Some(&issued.secret),
        &[("file", Some("2024-001.txt"), &report)],
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let listed = api_token::list(&fx.state.store).await.unwrap();
    assert!(listed[0].last_used_at.is_some());
    // A wrong token is refused, not taken as anonymous.
    let r = check(
        &app,
        Some("gk_not-a-token"),
        &[("file", Some("2024-001.txt"), &report)],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"], "invalid_token");
    assert!(r.headers.contains_key(header::WWW_AUTHENTICATE));
    // Revoked: refused at once.
    api_token::revoke(&fx.state.store, "anquan", issued.token.id)
        .await
        .unwrap();
    let r = check(
        &app,
        Some(&issued.secret),
        &[("file", Some("2024-001.txt"), &report)],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let log = gongkai_store::audit::recent(&fx.state.store, 1000)
        .await
        .unwrap();
    for action in ["api_token.issue", "api_token.revoke"] {
        let e = log.iter().find(|e| e.action == action).unwrap();
        assert!(
            !e.detail.contains(&issued.secret),
            "{action} logs no secret"
        );
    }

    // No address inside the server's network is fetched, whatever the spelling.
    fx.state.check_limit.limit = 100;
    let app = router(fx.state.clone());
    for url in [
        "http://127.0.0.1:9/r.txt",
        "http://localhost:9/r.txt",
        "http://[::1]:9/r.txt",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/r.pdf",
    ] {
        let r = post_json(&app, "/api/v1/reports/check", &json!({"url": url})).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{url}: {}",
            r.body
        );
        let why = r.json()["fields"]["url"].as_str().unwrap().to_string();
        assert!(why.contains("内网或本机地址"), "{url}: {why}");
    }
    let r = post_json(
        &app,
        "/api/v1/reports/check",
        &json!({"url": "ftp://x.org/r.pdf"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = post_json(&app, "/api/v1/reports/check", &json!({"year": 2024})).await;
    assert!(r.json()["fields"]["url"].is_string(), "{}", r.body);
    // An unreadable file says why (any name is read, as the CLI reads it).
    for name in ["r.pdf", "r.exe"] {
        let r = check(&app, None, &[("file", Some(name), b"not a report")]).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(r.json()["error"], "unreadable_report", "{name}");
    }
}
