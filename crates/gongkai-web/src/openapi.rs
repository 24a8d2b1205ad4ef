//! `/openapi.json`: the OpenAPI 3.0.3 description of the JSON API, written by hand with
//! `serde_json::json!` (no build-time download, no macro layer to keep in step with the
//! handlers; a test checks that every path of `spec/interfaces.md` is here).

use axum::Json;
use axum::response::IntoResponse;
use serde_json::{Value, json};

/// The OpenAPI document.
pub fn spec() -> Value {
    let error = json!({"$ref": "#/components/schemas/Error"});
    let json_error = |desc: &str| json!({"description": desc, "content": {"application/json": {"schema": error}}});
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Gongkai 政府信息公开 API",
            "version": "1.0.0",
            "description": "公开目录查询、在线申请与进度查询、年度报告数据。Published items, online applications and their tracking, annual reports."
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/api/v1/documents": {"get": {
                "operationId": "listDocuments",
                "summary": "主动公开信息列表与检索",
                "parameters": [
                    {"name": "q", "in": "query", "required": false, "schema": {"type": "string", "maxLength": 100}, "description": "关键词（全文检索）"},
                    {"name": "category", "in": "query", "required": false, "schema": {"type": "string"}, "description": "《条例》第二十条公开类别的键（如 regulations）或序号"},
                    {"name": "agency", "in": "query", "required": false, "schema": {"type": "string"}, "description": "发布机关的 id 或全称"},
                    {"name": "page", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 10000, "default": 1}}
                ],
                "responses": {
                    "200": {"description": "一页结果", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DocumentPage"}}}},
                    "422": {"description": "参数有误", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ValidationError"}}}}
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
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApplicationRequest"}}}},
                "responses": {
                    "201": {"description": "已受理", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApplicationReceipt"}}}},
                    "415": json_error("请求体不是 application/json"),
                    "422": {"description": "输入有误，fields 指出有误的字段", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ValidationError"}}}},
                    "429": json_error("提交过于频繁")
                }
            }},
            "/api/v1/applications/{tracking_number}": {"get": {
                "operationId": "getApplicationStatus",
                "summary": "查询申请办理进度（不含申请人个人信息）",
                "parameters": [
                    {"name": "tracking_number", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "X-Query-Code", "in": "header", "required": true, "schema": {"type": "string"}, "description": "回执上的查询码（不要放在网址里）"}
                ],
                "responses": {
                    "200": {"description": "办理状态", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ApplicationStatus"}}}},
                    "400": json_error("查询码放在了网址里"),
                    "404": json_error("申请编号或查询码不正确"),
                    "429": json_error("查询次数过多（见 Retry-After）")
                }
            }},
            "/api/v1/reports/{year}": {"get": {
                "operationId": "getReport",
                "summary": "本机关已发布的年度报告（规范 JSON）",
                "parameters": [
                    {"name": "year", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 2008}},
                    {"name": "format", "in": "query", "required": false, "schema": {"type": "string", "enum": ["2019", "2021"]}, "description": "报告格式，默认为该年适用的格式"}
                ],
                "responses": {
                    "200": {"description": "年度报告", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Report"}}}},
                    "404": json_error("该年度报告尚未发布，或未以此格式发布"),
                    "422": {"description": "参数有误", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ValidationError"}}}}
                }
            }}
        },
        "components": {"schemas": {
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
                "kind": {"type": "string", "enum": ["natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org"]},
                "name": {"type": "string", "maxLength": 100},
                "id_type": {"type": "string", "example": "居民身份证"},
                "id_number": {"type": "string"},
                "phone": {"type": "string"},
                "email": {"type": "string", "description": "delivery 为 electronic 时必填"},
                "address": {"type": "string", "description": "delivery 为 paper 时必填"}}},
            "ApplicationRequest": {"type": "object", "required": ["applicant", "description", "delivery"], "properties": {
                "applicant": {"$ref": "#/components/schemas/Applicant"},
                "description": {"type": "string", "maxLength": 2000, "description": "所需政府信息的名称、文号或特征性描述"},
                "document_number": {"type": "string"},
                "delivery": {"type": "string", "enum": ["paper", "electronic", "inspection"]},
                "channel": {"type": "string", "enum": ["online"]}}},
            "ApplicationReceipt": {"type": "object", "required": ["tracking_number", "query_code", "received_on", "due"], "properties": {
                "tracking_number": {"type": "string"},
                "query_code": {"type": "string"},
                "received_on": {"type": "string", "format": "date"},
                "due": {"type": "string", "format": "date", "nullable": true},
                "due_provisional": {"type": "boolean"},
                "status": {"type": "string"}}},
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

    #[test]
    fn every_endpoint_of_the_interface_is_described() {
        let s = spec();
        assert!(s["openapi"].as_str().unwrap().starts_with("3."));
        for (path, method) in [
            ("/api/v1/documents", "get"),
            ("/api/v1/documents/{index_no}", "get"),
            ("/api/v1/applications", "post"),
            ("/api/v1/applications/{tracking_number}", "get"),
            ("/api/v1/reports/{year}", "get"),
        ] {
            assert!(s["paths"][path][method].is_object(), "{method} {path}");
        }
    }
}
