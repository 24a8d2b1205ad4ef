//! `/openapi.json`: the OpenAPI 3.0.3 description of the JSON API, written by hand with
//! `serde_json::json!` (no build-time download, no macro layer between the handlers and the
//! document). It cannot drift from the server: every rule the server enforces is taken from
//! the constants of [`crate::rules`] (and the enumerations of [`crate::catalog`] and
//! `gongkai_law`) that the validators themselves use, and the tests below check each stated
//! constraint against [`crate::apply::validate`] at its boundary; schemathesis runs the
//! document against the live demo in CI (`scripts/api-conformance.sh`).

use axum::Json;
use axum::response::IntoResponse;
use serde_json::{Value, json};

use crate::catalog::{DELIVERIES, ID_TYPES};
use crate::rules as r;

/// The API's version, as the document states it (`info.version`). A breaking change goes to
/// `/api/v2`; docs/API.md keeps the changelog.
pub const API_VERSION: &str = "1.2.0";

/// The OpenAPI document.
pub fn spec() -> Value {
    let error = json!({"$ref": "#/components/schemas/Error"});
    let json_error = |desc: &str| json!({"description": desc, "content": {"application/json": {"schema": error}}});
    let invalid = |desc: &str| json!({"description": desc, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ValidationError"}}}});
    let limited = |desc: &str| {
        json!({
            "description": desc,
            "headers": {"Retry-After": {"required": true, "description": "几秒后可以再试", "schema": {"type": "string", "pattern": "^[1-9][0-9]*$"}}},
            "content": {"application/json": {"schema": error}}
        })
    };
    let kinds: Vec<&str> = gongkai_law::ApplicantKind::ALL
        .iter()
        .map(|k| k.key())
        .collect();
    let deliveries: Vec<&str> = DELIVERIES.iter().map(|(k, _)| *k).collect();
    let id_card_type = format!("^\\s*{}\\s*$", r::ID_CARD);
    // The report checker's request: a file (multipart) or a URL (multipart or JSON).
    let report_file = json!({"type": "string", "format": "binary", "description": format!("报告文件（.{}），至多 {} MB；其他文件名按文本读取", r::REPORT_EXTENSIONS.join(" ."), r::REPORT_FILE_MAX / 1024 / 1024)});
    let report_url = json!({"type": "string", "maxLength": r::URL_MAX, "pattern": "^https?://", "format": "report-url", "description": "报告的网址（网页、PDF 或 Word）；网页链接了报告附件时读取附件。只能是互联网地址"});
    let year_override = json!({"type": "integer", "minimum": r::YEAR_RANGE.start(), "maximum": r::YEAR_RANGE.end(), "description": "年度（标题未写明时）"});
    let agency_override = json!({"type": "string", "maxLength": r::AGENCY_MAX, "description": "机关名称（标题未写明时）"});
    let check_body = json!({"required": true, "content": {
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "file": report_file, "previous": report_file, "url": report_url,
            "year": year_override, "agency": agency_override},
            "oneOf": [{"required": ["file"]}, {"required": ["url"]}]}},
        "application/json": {"schema": {"type": "object", "required": ["url"], "properties": {
            "url": report_url, "year": year_override, "agency": agency_override}}}
    }});
    // A request the schema allows can still be refused: a file that is not a report, a URL
    // that does not answer or points inside (422 with the reason).
    let check_422 = json!({"description": "请求有误（fields 指明字段），或文件不是可读的年度报告（error 为 unreadable_report）、网址无法获取", "content": {"application/json": {"schema": {"anyOf": [{"$ref": "#/components/schemas/ValidationError"}, {"$ref": "#/components/schemas/Error"}]}}}});
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Gongkai 政府信息公开 API",
            "version": API_VERSION,
            "description": "公开目录查询、在线申请与进度查询、年度报告数据。Published items, online applications and their tracking, annual reports. 所有错误均以 JSON 答复（Error 或 ValidationError）。变更记录见 docs/API.md；不兼容的变更发布在 /api/v2。"
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/v1/documents": {"get": {
                "operationId": "listDocuments",
                "summary": "主动公开信息列表与检索",
                "parameters": [
                    {"name": "q", "in": "query", "required": false, "schema": {"type": "string", "maxLength": r::Q_MAX}, "description": "关键词（全文检索）"},
                    {"name": "category", "in": "query", "required": false, "schema": {"type": "string", "enum": crate::api::category_values()}, "description": "《条例》第二十条公开类别的键（如 regulations）或序号（1–15）；其他值答复 422"},
                    {"name": "agency", "in": "query", "required": false, "schema": {"type": "string"}, "description": "发布机关的 id 或全称；本网站不为其发布信息的机关（或没有该机关）得到空列表"},
                    {"name": "page", "in": "query", "required": false, "schema": {"type": "integer", "minimum": r::PAGE_RANGE.start(), "maximum": r::PAGE_RANGE.end(), "default": 1}}
                ],
                "responses": {
                    "200": {"description": "一页结果", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DocumentPage"}}}},
                    "422": invalid("参数有误或重复出现")
                }
            }},
            "/api/v1/documents/{index_no}": {"get": {
                "operationId": "getDocument",
                "summary": "按索引号取一条公开信息",
                "parameters": [{"name": "index_no", "in": "path", "required": true, "schema": {"type": "string"}, "description": "索引号，其中的 / 须编码为 %2F", "example": "11411426005560141A/2020-00001"}],
                "responses": {
                    "200": {"description": "该信息", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Document"}}}},
                    "404": json_error("没有该索引号的公开信息")
                }
            }},
            "/api/v1/applications": {"post": {
                "operationId": "createApplication",
                "summary": "在线提交政府信息公开申请",
                "description": "先校验、后计数：有误的申请答复 422，不占用本地址的提交次数。每个地址在一个时间窗内可提交的申请数由服务端设置（GONGKAI_APPLY_LIMIT，默认 10；GONGKAI_APPLY_WINDOW_SECS，默认 3600 秒），超过时答复 429 并给出 Retry-After。",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApplicationRequest"}}}},
                "responses": {
                    "201": {
                        "description": "已受理",
                        "headers": {"Location": {"required": true, "description": "进度查询接口的地址", "schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApplicationReceipt"}}},
                        "links": {"GetApplicationStatus": {
                            "operationId": "getApplicationStatus",
                            "description": "用回执上的申请编号和查询码查询进度",
                            "parameters": {
                                "tracking_number": "$response.body#/tracking_number",
                                "header.X-Query-Code": "$response.body#/query_code"
                            }
                        }}
                    },
                    "413": json_error("请求体超过 64 KB"),
                    "415": json_error("请求体不是 application/json"),
                    "422": invalid("输入有误，fields 指出有误的字段"),
                    "429": limited("本地址提交过于频繁（见 Retry-After）")
                }
            }},
            "/api/v1/applications/{tracking_number}": {"get": {
                "operationId": "getApplicationStatus",
                "summary": "查询申请办理进度（不含申请人个人信息）",
                "parameters": [
                    {"name": "tracking_number", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "X-Query-Code", "in": "header", "required": true, "schema": {"type": "string"}, "description": "回执上的查询码（不要放在网址里）；缺少或不正确时答复 404"}
                ],
                "responses": {
                    "200": {"description": "办理状态", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApplicationStatus"}}}},
                    "400": json_error("查询码放在了网址里（?code=）"),
                    "404": json_error("申请编号或查询码不正确"),
                    "429": limited("查询次数过多（见 Retry-After）")
                }
            }},
            "/api/v1/reports/{year}": {"get": {
                "operationId": "getReport",
                "summary": "本机关已发布的年度报告（规范 JSON）",
                "parameters": [
                    {"name": "year", "in": "path", "required": true, "schema": {"type": "integer", "minimum": r::YEAR_RANGE.start(), "maximum": r::YEAR_RANGE.end()}},
                    {"name": "format", "in": "query", "required": false, "schema": {"type": "string", "enum": r::REPORT_FORMATS}, "description": "报告格式，默认为该年适用的格式"}
                ],
                "responses": {
                    "200": {"description": "年度报告", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}},
                    "404": json_error("该年度报告尚未发布，或未以此格式发布"),
                    "422": invalid("参数有误或重复出现")
                }
            }},
            "/api/v1/reports/check": {"post": {
                "operationId": "checkReport",
                "summary": "年度报告检查：答复与 gongkai report check --json 相同的问题清单",
                "description": format!("上传一份年度报告（.{}，至多 {} MB）或给出其网址，答复按《政府信息公开工作年度报告格式》和勾稽规则检查出的问题。可选 previous 为上一年度报告，用于检查结转数（X-CARRY）。不带令牌的调用每个地址每小时限 20 次；凭安全管理员签发的接口令牌（Authorization: Bearer）调用不受此限。网址只能是互联网地址，不能是内网或本机地址。", r::REPORT_EXTENSIONS.join(" ."), r::REPORT_FILE_MAX / 1024 / 1024),
                "security": [{}, {"bearerToken": []}],
                "requestBody": check_body.clone(),
                "responses": {
                    "200": {"description": "检查结果", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CheckResult"}}}},
                    "401": json_error("接口令牌无效或已吊销（WWW-Authenticate: Bearer）"),
                    "403": json_error("接口令牌无此权限"),
                    "413": json_error("请求体过大"),
                    "415": json_error("请以 multipart/form-data 或 application/json 提交"),
                    "422": check_422.clone(),
                    "429": limited("调用过于频繁（见 Retry-After）")
                }
            }},
            "/api/v1/reports/parse": {"post": {
                "operationId": "parseReport",
                "summary": "年度报告解析：答复与 gongkai report parse 相同的规范 JSON",
                "description": "请求与 checkReport 相同（previous 不适用）。",
                "security": [{}, {"bearerToken": []}],
                "requestBody": check_body,
                "responses": {
                    "200": {"description": "规范 JSON", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}},
                    "401": json_error("接口令牌无效或已吊销（WWW-Authenticate: Bearer）"),
                    "403": json_error("接口令牌无此权限"),
                    "413": json_error("请求体过大"),
                    "415": json_error("请以 multipart/form-data 或 application/json 提交"),
                    "422": check_422,
                    "429": limited("调用过于频繁（见 Retry-After）")
                }
            }}
        },
        "components": {
        "securitySchemes": {
            "bearerToken": {"type": "http", "scheme": "bearer", "description": "安全管理员在后台「接口令牌」签发的令牌（gk_ 开头）"}
        },
        "schemas": {
            "CheckResult": {"type": "object", "required": ["file", "agency", "year", "format", "findings"], "properties": {
                "file": {"type": "string", "description": "上传的文件名，或网址"},
                "agency": {"type": "string"}, "year": {"type": "integer"},
                "format": {"type": "string", "enum": ["2019", "2021"]},
                "findings": {"type": "array", "items": {"$ref": "#/components/schemas/Finding"}}}},
            "Finding": {"type": "object", "required": ["rule", "severity", "message"], "properties": {
                "rule": {"type": "string", "description": "规则编号，如 T3-BALANCE（见 spec/annual-report.md）"},
                "severity": {"type": "string", "enum": ["error", "warning"]},
                "table": {"type": "string", "nullable": true},
                "row": {"type": "string", "nullable": true},
                "column": {"type": "string", "nullable": true},
                "expected": {"nullable": true},
                "found": {"nullable": true},
                "message": {"type": "string"}}},
            "Error": {"type": "object", "required": ["error", "message"], "properties": {
                "error": {"type": "string"}, "message": {"type": "string"}}},
            "ValidationError": {"type": "object", "required": ["error", "fields"], "properties": {
                "error": {"type": "string", "enum": ["invalid_input"]},
                "message": {"type": "string"},
                "fields": {"type": "object", "description": "有误的字段（如 applicant.name）及原因", "additionalProperties": {"type": "string"}}}},
            "Document": {"type": "object", "required": ["index_no", "title", "url"], "properties": {
                "index_no": {"type": "string", "description": "索引号"},
                "title": {"type": "string", "description": "名称"},
                "url": {"type": "string", "description": "门户网站上的页面"},
                "summary": {"type": "string", "description": "内容概述"},
                "publisher": {"type": "string", "description": "发布机构"},
                "agency_id": {"type": "integer"},
                "written_on": {"type": "string", "format": "date", "nullable": true, "description": "成文日期"},
                "published_on": {"type": "string", "format": "date", "nullable": true, "description": "发布日期"},
                "doc_number": {"type": "string", "nullable": true, "description": "文号"},
                "topic": {"type": "string", "description": "主题分类"},
                "genre": {"type": "string", "description": "体裁分类"},
                "keywords": {"type": "string", "description": "主题词"},
                "disclosure_mode": {"type": "string", "description": "公开方式"},
                "doc_type": {"type": "string", "enum": ["regulation", "normative_document", "interpretation", "other"]},
                "art20_item": {"type": "integer", "nullable": true, "minimum": 1, "maximum": 15},
                "category": {"type": "string", "nullable": true},
                "category_label": {"type": "string", "nullable": true},
                "validity": {"type": "string", "enum": ["in_force", "amended", "repealed", "expired"], "description": "有效性"},
                "validity_label": {"type": "string"},
                "validity_changed_on": {"type": "string", "format": "date", "nullable": true}}},
            "DocumentPage": {"type": "object", "required": ["total", "page", "per_page", "items"], "properties": {
                "total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"},
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Document"}}}},
            "Applicant": {"type": "object", "required": ["kind", "name", "id_type", "id_number", "phone"], "properties": {
                "kind": {"type": "string", "enum": kinds},
                "name": {"type": "string", "maxLength": r::NAME_MAX, "pattern": r::NOT_BLANK_PATTERN, "description": "姓名或名称"},
                "id_type": {"type": "string", "maxLength": r::ID_TYPE_MAX, "pattern": r::NOT_BLANK_PATTERN, "example": r::ID_CARD, "description": format!("身份证明类型，通常为：{}", ID_TYPES.join("、"))},
                "id_number": {"type": "string", "maxLength": r::ID_NUMBER_MAX, "pattern": r::NOT_BLANK_PATTERN, "description": "身份证明号码；身份证明类型为居民身份证时须为18位且校验位正确（GB 11643）"},
                "phone": {"type": "string", "pattern": r::PHONE_PATTERN, "description": "11位手机号码，或带区号的固定电话（如 0370-6123456）"},
                "email": {"type": "string", "nullable": true, "maxLength": r::EMAIL_MAX, "pattern": r::EMAIL_PATTERN, "description": "电子邮箱；delivery 为 electronic 时必填"},
                "address": {"type": "string", "nullable": true, "maxLength": r::ADDRESS_MAX, "description": "通信地址；delivery 为 paper 时必填"}},
                "oneOf": [
                    {"title": "居民身份证", "properties": {
                        "id_type": {"type": "string", "pattern": id_card_type},
                        "id_number": {"type": "string", "pattern": r::ID_CARD_PATTERN, "format": r::ID_CARD_FORMAT}}},
                    {"title": "其他证件", "properties": {
                        "id_type": {"not": {"type": "string", "pattern": id_card_type}}}}
                ]},
            "ApplicationRequest": {"type": "object", "required": ["applicant", "description", "delivery"], "properties": {
                "applicant": {"$ref": "#/components/schemas/Applicant"},
                "description": {"type": "string", "maxLength": r::DESCRIPTION_MAX, "pattern": r::NOT_BLANK_PATTERN, "description": "所需政府信息的名称、文号或特征性描述"},
                "document_number": {"type": "string", "nullable": true, "maxLength": r::DOCUMENT_NUMBER_MAX},
                "delivery": {"type": "string", "enum": deliveries},
                "channel": {"type": "string", "enum": ["online"]}},
                "oneOf": [
                    {"title": "纸质文本邮寄：须填通信地址", "properties": {
                        "delivery": {"type": "string", "enum": ["paper"]},
                        "applicant": {"type": "object", "required": ["address"], "properties": {"address": {"type": "string", "pattern": r::NOT_BLANK_PATTERN}}}}},
                    {"title": "电子数据：须填电子邮箱", "properties": {
                        "delivery": {"type": "string", "enum": ["electronic"]},
                        "applicant": {"type": "object", "required": ["email"], "properties": {"email": {"type": "string", "pattern": r::NOT_BLANK_PATTERN}}}}},
                    {"title": "当场查阅、抄录", "properties": {
                        "delivery": {"type": "string", "enum": ["inspection"]}}}
                ]},
            "ApplicationReceipt": {"type": "object", "required": ["tracking_number", "query_code", "received_on", "due"], "properties": {
                "tracking_number": {"type": "string"},
                "query_code": {"type": "string"},
                "received_on": {"type": "string", "format": "date"},
                "due": {"type": "string", "format": "date", "nullable": true},
                "due_provisional": {"type": "boolean"},
                "status": {"type": "string", "enum": ["registered", "awaiting_correction", "in_consultation", "awaiting_fee", "extended", "replied", "closed"]}}},
            "Event": {"type": "object", "properties": {
                "event": {"type": "string"}, "label": {"type": "string"},
                "date": {"type": "string", "format": "date", "nullable": true}}},
            "ApplicationStatus": {"type": "object", "required": ["tracking_number", "status", "received_on", "events"], "properties": {
                "tracking_number": {"type": "string"},
                "status": {"type": "string", "enum": ["registered", "awaiting_correction", "in_consultation", "awaiting_fee", "extended", "replied", "closed"]},
                "status_label": {"type": "string"},
                "received_on": {"type": "string", "format": "date"},
                "due": {"type": "string", "format": "date", "nullable": true},
                "due_provisional": {"type": "boolean"},
                "outcome": {"type": "string", "nullable": true},
                "outcome_label": {"type": "string", "nullable": true},
                "concluded_on": {"type": "string", "format": "date", "nullable": true},
                "fee": {"type": "object", "nullable": true, "description": "收费通知书：计收方式、依据、数量、金额（元）、缴费方式、缴费期限与缴费记录", "additionalProperties": true},
                "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}}},
            "Report": {"type": "object", "description": "年度报告的规范 JSON（见 spec/annual-report.md）", "required": ["agency", "year", "format"], "properties": {
                "agency": {"type": "string"}, "year": {"type": "integer"},
                "format": {"type": "string", "enum": ["2019", "2021"]}},
                "additionalProperties": true}
        }}
    })
}

/// `GET /openapi.json`
pub async fn document() -> impl IntoResponse {
    Json(spec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::{ApplicationInput, validate};
    use chrono::NaiveDate;

    #[test]
    fn every_endpoint_of_the_interface_is_described() {
        let s = spec();
        assert!(s["openapi"].as_str().unwrap().starts_with("3."));
        assert_eq!(s["info"]["version"], API_VERSION);
        for (path, method) in [
            ("/api/v1/documents", "get"),
            ("/api/v1/documents/{index_no}", "get"),
            ("/api/v1/applications", "post"),
            ("/api/v1/applications/{tracking_number}", "get"),
            ("/api/v1/reports/{year}", "get"),
            ("/api/v1/reports/check", "post"),
            ("/api/v1/reports/parse", "post"),
        ] {
            assert!(s["paths"][path][method].is_object(), "{method} {path}");
        }
    }

    /// A valid application (collected in person, so no address or e-mail needed).
    fn base() -> ApplicationInput {
        ApplicationInput {
            kind: "natural_person".into(),
            name: "张三".into(),
            id_type: "护照".into(),
            id_number: "E12345678".into(),
            phone: "13912345678".into(),
            email: String::new(),
            address: String::new(),
            description: "2024年本县财政预算".into(),
            document_number: String::new(),
            delivery: "inspection".into(),
        }
    }

    fn field<'a>(input: &'a mut ApplicationInput, name: &str) -> &'a mut String {
        match name {
            "applicant.kind" => &mut input.kind,
            "applicant.name" => &mut input.name,
            "applicant.id_type" => &mut input.id_type,
            "applicant.id_number" => &mut input.id_number,
            "applicant.phone" => &mut input.phone,
            "applicant.email" => &mut input.email,
            "applicant.address" => &mut input.address,
            "description" => &mut input.description,
            "document_number" => &mut input.document_number,
            "delivery" => &mut input.delivery,
            other => panic!("the document names a field the validator does not have: {other}"),
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).unwrap()
    }

    /// The server's verdict on `input`: `Ok` or the fields at fault.
    fn verdict(input: &ApplicationInput) -> Result<(), Vec<&'static str>> {
        validate(input, 1, today())
            .map(|_| ())
            .map_err(|e| e.iter().map(|e| e.field).collect())
    }

    fn with(name: &str, value: &str) -> ApplicationInput {
        let mut i = base();
        *field(&mut i, name) = value.to_string();
        i
    }

    /// Every property of the request schemas, with its API name.
    fn properties(s: &Value) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        for (name, schema) in s["components"]["schemas"]["Applicant"]["properties"]
            .as_object()
            .unwrap()
        {
            out.push((format!("applicant.{name}"), schema.clone()));
        }
        for (name, schema) in s["components"]["schemas"]["ApplicationRequest"]["properties"]
            .as_object()
            .unwrap()
        {
            if name != "applicant" && name != "channel" {
                out.push((name.clone(), schema.clone()));
            }
        }
        out
    }

    #[test]
    fn the_base_application_is_valid() {
        assert_eq!(verdict(&base()), Ok(()));
    }

    /// Each `maxLength` of the document is the validator's: at the bound the field passes, one
    /// character over it fails, naming the field.
    #[test]
    fn every_documented_length_is_the_validators() {
        let s = spec();
        let mut checked = 0;
        for (name, schema) in properties(&s) {
            let Some(max) = schema["maxLength"].as_u64() else {
                continue;
            };
            let max = max as usize;
            // An e-mail address at the bound: local part padded.
            let at = |n: usize| -> String {
                if name == "applicant.email" {
                    format!("{}@b.cn", "a".repeat(n - 5))
                } else {
                    "字".repeat(n)
                }
            };
            assert_eq!(verdict(&with(&name, &at(max))), Ok(()), "{name} at {max}");
            let over = verdict(&with(&name, &at(max + 1))).unwrap_err();
            assert!(
                over.contains(&field_name(&name)),
                "{name} at {}: {over:?}",
                max + 1
            );
            checked += 1;
        }
        // name, id_type, id_number, email, address, description, document_number
        assert_eq!(checked, 7);
        // And every length the validator enforces is documented.
        for (name, max) in [
            ("applicant.name", r::NAME_MAX),
            ("applicant.id_type", r::ID_TYPE_MAX),
            ("applicant.id_number", r::ID_NUMBER_MAX),
            ("applicant.email", r::EMAIL_MAX),
            ("applicant.address", r::ADDRESS_MAX),
            ("description", r::DESCRIPTION_MAX),
            ("document_number", r::DOCUMENT_NUMBER_MAX),
        ] {
            let doc = properties(&s)
                .into_iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v["maxLength"].as_u64());
            assert_eq!(doc, Some(Some(max as u64)), "{name}");
        }
    }

    fn field_name(name: &str) -> &'static str {
        let mut i = base();
        // The validator's own &'static str for the field.
        *field(&mut i, name) = "\u{1}".repeat(5000);
        verdict(&i)
            .unwrap_err()
            .into_iter()
            .find(|f| *f == name)
            .unwrap_or_else(|| panic!("{name} not named by the validator"))
    }

    /// Each `pattern` of the document is the validator's: the document's text, compiled,
    /// accepts exactly what the validator accepts on a set of hard cases.
    #[test]
    fn every_documented_pattern_is_the_validators() {
        let s = spec();
        let samples = [
            "",
            " ",
            "\t",
            "\n",
            "\u{3000}",
            "\u{1c}",
            "x",
            " x ",
            "张三",
            "13912345678",
            "13912345678\n",
            " 13912345678 ",
            "+86 139-1234-5678",
            "8613912345678",
            "0370-6123456",
            "0370 61234567-801",
            "010-12345678",
            "01012345678",
            "0370-012345678",
            "12912345678",
            "139123456789",
            "6123456",
            "a@b.cn",
            "a@b",
            "a b@c.cn",
            "张@b.cn",
            "a@b.cn\n",
            "first.last+tag@mail.example.gov.cn",
        ];
        let mut checked = 0;
        for (name, schema) in properties(&s) {
            let Some(pattern) = schema["pattern"].as_str() else {
                continue;
            };
            // Python's `\s` (the tools that read the document) also counts U+001C–U+001F.
            let re = regex::Regex::new(&pattern.replace("\\S", "[^\\s\\x1c-\\x1f]")).unwrap();
            let max = schema["maxLength"].as_u64().unwrap_or(u64::MAX) as usize;
            for sample in samples.into_iter().filter(|x| x.chars().count() <= max) {
                // As Python's re.search: `$` also before one final newline.
                let doc_ok = re.is_match(sample)
                    || sample.strip_suffix('\n').is_some_and(|t| re.is_match(t));
                let server = verdict(&with(&name, sample));
                let server_ok = server
                    .as_ref()
                    .map_or_else(|f| !f.contains(&name.as_str()), |_| true);
                assert_eq!(doc_ok, server_ok, "{name} = {sample:?}: {server:?}");
            }
            checked += 1;
        }
        // name, id_type, id_number, phone, email, description
        assert_eq!(checked, 6);
    }

    fn strings(v: &Value) -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    }

    /// The enumerations: every listed value passes, the validator knows no other.
    #[test]
    fn every_documented_enum_is_the_validators() {
        let s = spec();
        let kinds = strings(&s["components"]["schemas"]["Applicant"]["properties"]["kind"]["enum"]);
        let all: Vec<String> = gongkai_law::ApplicantKind::ALL
            .iter()
            .map(|k| k.key().to_string())
            .collect();
        assert_eq!(kinds, all);
        for k in &kinds {
            assert_eq!(verdict(&with("applicant.kind", k)), Ok(()), "{k}");
        }
        for bad in ["", " natural_person", "person"] {
            assert!(verdict(&with("applicant.kind", bad)).is_err(), "{bad:?}");
        }
        let deliveries = strings(
            &s["components"]["schemas"]["ApplicationRequest"]["properties"]["delivery"]["enum"],
        );
        let known: Vec<String> = DELIVERIES.iter().map(|(k, _)| k.to_string()).collect();
        assert_eq!(deliveries, known);
        for bad in ["", " paper", "post"] {
            assert!(verdict(&with("delivery", bad)).is_err(), "{bad:?}");
        }
    }

    /// The conditional rules (`oneOf`): paper needs an address, electronic an e-mail, a
    /// 居民身份证 a number with the right check digit; nothing else needs them.
    #[test]
    fn the_conditional_rules_are_the_validators() {
        let s = spec();
        let variants = s["components"]["schemas"]["ApplicationRequest"]["oneOf"]
            .as_array()
            .unwrap();
        let mut seen = Vec::new();
        for v in variants {
            let delivery = strings(&v["properties"]["delivery"]["enum"]);
            assert_eq!(delivery.len(), 1);
            let d = delivery[0].clone();
            let needs: Vec<String> = v["properties"]["applicant"]["required"]
                .as_array()
                .map(|a| a.iter().map(|x| x.as_str().unwrap().to_string()).collect())
                .unwrap_or_default();
            for f in ["address", "email"] {
                let mut i = with("delivery", &d);
                let r = verdict(&i);
                let needed = needs.iter().any(|n| n == f);
                let missing_named = r
                    .as_ref()
                    .err()
                    .is_some_and(|e| e.contains(&field_name(&format!("applicant.{f}"))));
                if needed {
                    assert!(missing_named, "{d} without {f}: {r:?}");
                    *field(&mut i, &format!("applicant.{f}")) = "   ".into();
                    assert!(verdict(&i).is_err(), "{d} with a blank {f}");
                }
                let mut full = with("delivery", &d);
                full.address = "河南省商丘市夏邑县".into();
                full.email = "a@b.cn".into();
                assert_eq!(verdict(&full), Ok(()), "{d} with both");
                if !needed && !needs.is_empty() {
                    assert!(!missing_named, "{d} does not need {f}: {r:?}");
                }
            }
            seen.push(d);
        }
        seen.sort();
        let mut all: Vec<String> = DELIVERIES.iter().map(|(k, _)| k.to_string()).collect();
        all.sort();
        assert_eq!(seen, all, "one variant per delivery");
        assert_eq!(verdict(&with("delivery", "inspection")), Ok(()));

        let applicant = &s["components"]["schemas"]["Applicant"]["oneOf"];
        assert_eq!(
            applicant[0]["properties"]["id_number"]["format"],
            r::ID_CARD_FORMAT
        );
        let mut i = base();
        i.id_type = r::ID_CARD.into();
        i.id_number = "110105194912310021".into();
        assert!(verdict(&i).is_err(), "wrong check digit");
        i.id_number = "11010519491231002x".into();
        assert_eq!(verdict(&i), Ok(()));
        i.id_type = format!(" {} ", r::ID_CARD);
        i.id_number = "110105194912310021".into();
        assert!(
            verdict(&i).is_err(),
            "white space around the type changes nothing"
        );
        i.id_type = "护照".into();
        assert_eq!(verdict(&i), Ok(()), "only a 居民身份证 has a check digit");
    }

    /// Parameters' bounds come from the handlers' constants.
    #[test]
    fn parameter_bounds_are_the_handlers() {
        let s = spec();
        let list = &s["paths"]["/api/v1/documents"]["get"]["parameters"];
        let param = |list: &Value, n: &str| {
            list.as_array()
                .unwrap()
                .iter()
                .find(|p| p["name"] == n)
                .unwrap()["schema"]
                .clone()
        };
        assert_eq!(
            param(list, "q")["maxLength"],
            gongkai_search::MAX_QUERY_CHARS
        );
        assert_eq!(param(list, "page")["minimum"], *r::PAGE_RANGE.start());
        assert_eq!(param(list, "page")["maximum"], *r::PAGE_RANGE.end());
        assert_eq!(
            strings(&param(list, "category")["enum"]).len(),
            2 * crate::catalog::CATEGORIES.len()
        );
        let list = &s["paths"]["/api/v1/reports/{year}"]["get"]["parameters"];
        assert_eq!(param(list, "year")["minimum"], *r::YEAR_RANGE.start());
        assert_eq!(param(list, "year")["maximum"], *r::YEAR_RANGE.end());
        for f in strings(&param(list, "format")["enum"]) {
            assert!(gongkai_law::ReportFormat::parse(&f).is_some(), "{f}");
        }
    }
}
