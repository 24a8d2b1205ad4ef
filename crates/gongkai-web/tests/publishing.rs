//! The publishing lifecycle through the real router (`gongkai_web::router`), on SQLite and, when
//! `GONGKAI_TEST_PG_URL` is set, PostgreSQL: a returned item edited and resubmitted, then
//! approved; a revision invisible on the portal until approved; 废止 shown as 已废止; 撤回
//! answered 410 and gone from /search and /api/v1/documents; a word added on /admin/words
//! blocking an item; an attachment carrying a valid ID number blocking approval with a finding
//! that names the file; oversized uploads refused in Chinese; role refusals answered 403.

#![allow(clippy::unwrap_used)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::Utc;
use common::Fixture;
use gongkai_store::auth::{self, NewUser, Role};
use gongkai_store::models::{attachment, proactive_item, publishing};
use gongkai_web::admin::SESSION_COOKIE;
use gongkai_web::portal::urlencode;
use gongkai_web::router;
use http_body_util::BodyExt;
use tower::ServiceExt;

const PASSWORD: &str = "Test-Secret-2026";

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn send(app: &axum::Router, req: Request<Body>) -> Answer {
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Answer {
        status,
        headers,
        body,
    }
}

async fn get(app: &axum::Router, uri: &str, cookie: &str) -> Answer {
    send(
        app,
        Request::get(uri)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

async fn post(app: &axum::Router, uri: &str, cookie: &str, fields: &[(&str, &str)]) -> Answer {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
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

/// A browser's multipart body: the CSRF field and one file.
async fn upload(
    app: &axum::Router,
    id: i64,
    cookie: &str,
    csrf: &str,
    file_name: &str,
    data: &[u8],
) -> Answer {
    let boundary = "----GongkaiTestBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(data);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    send(
        app,
        Request::post(format!("/admin/publish/{id}/attachments"))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::COOKIE, cookie)
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

/// A synthetic 居民身份证号 with its GB 11643 (ISO 7064 MOD 11-2) check digit computed here.
fn synthetic_id() -> String {
    let base = "41142619850615123";
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = base
        .chars()
        .zip(weights)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{base}{check}")
}

/// A signed-in user: the session cookie and the CSRF token.
struct Who {
    cookie: String,
    csrf: String,
}

async fn sign_in(fx: &Fixture, name: &str, role: Role) -> Who {
    auth::create_user(
        &fx.state.store,
        "cli",
        &NewUser {
            name: name.into(),
            role,
            agency_id: Some(fx.county),
        },
        PASSWORD,
        Utc::now(),
    )
    .await
    .unwrap();
    let s = auth::login(&fx.state.store, name, PASSWORD, Utc::now())
        .await
        .unwrap();
    Who {
        cookie: format!("{SESSION_COOKIE}={}", s.token.as_str()),
        csrf: s.csrf.clone(),
    }
}

/// The editor drafts an item through the form; returns its id.
async fn draft(app: &axum::Router, fx: &Fixture, editor: &Who, title: &str, body: &str) -> i64 {
    let a = post(
        app,
        "/admin/publish/drafts",
        &editor.cookie,
        &[
            ("csrf", &editor.csrf),
            ("title", title),
            ("doc_number", ""),
            ("category", "normative_document"),
            ("art20", "1"),
            ("topic", "综合政务"),
            ("keywords", "春耕 通知"),
            ("body", body),
        ],
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    publishing::recent(&fx.state.store, 1).await.unwrap()[0].id
}

async fn status_of(fx: &Fixture, id: i64) -> String {
    proactive_item::get(&fx.state.store, id)
        .await
        .unwrap()
        .status
        .key()
        .to_string()
}

async fn lifecycle(fx: &Fixture) {
    let app = router(fx.state.clone());
    let editor = sign_in(fx, "bianji", Role::Editor).await;
    let reviewer = sign_in(fx, "shenhe", Role::Reviewer).await;
    let head = sign_in(fx, "fuzeren", Role::Head).await;
    let sysadmin = sign_in(fx, "xitong", Role::SystemAdmin).await;

    // 1. Returned → the editor sees the reason, edits → resubmitted (rescanned) → approved.
    let id = draft(&app, fx, &editor, "春耕备耕工作通知", "请各乡镇做好春耕。").await;
    assert_eq!(status_of(fx, id).await, "in_review");
    let a = post(
        &app,
        &format!("/admin/publish/{id}/return"),
        &reviewer.cookie,
        &[("csrf", &reviewer.csrf), ("reason", "请补充实施日期")],
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let page = get(&app, &format!("/admin/publish/{id}"), &editor.cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text().contains("请补充实施日期"));
    assert!(page.text().contains(&format!("/admin/publish/{id}/edit")));
    let a = post(
        &app,
        &format!("/admin/publish/{id}/edit"),
        &editor.cookie,
        &[
            ("csrf", &editor.csrf),
            ("title", "关于做好春耕备耕工作的通知"),
            ("doc_number", "测政〔2026〕5号"),
            ("category", "normative_document"),
            // The edit form carries the 目录 fields, prefilled (issue 11.3).
            ("art20", "1"),
            ("topic", "综合政务"),
            ("body", "请各乡镇做好春耕备耕工作，自2026年3月1日起施行。"),
        ],
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    assert_eq!(status_of(fx, id).await, "in_review");
    let a = post(
        &app,
        &format!("/admin/publish/{id}/approve"),
        &reviewer.cookie,
        &[("csrf", &reviewer.csrf)],
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let public = get(&app, &format!("/xxgk/items/{id}"), "").await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.text().contains("关于做好春耕备耕工作的通知"));
    assert!(public.text().contains("自2026年3月1日起施行"));
    let index_no = proactive_item::get(&fx.state.store, id)
        .await
        .unwrap()
        .index_no;

    // 2. A revision stays invisible until approved; then page, search and API follow.
    let a = post(
        &app,
        &format!("/admin/publish/{id}/revise"),
        &editor.cookie,
        &[
            ("csrf", &editor.csrf),
            ("title", "关于做好春耕备耕和农资保供工作的通知"),
            ("doc_number", "测政〔2026〕5号"),
            ("category", "normative_document"),
            ("art20", "1"),
            ("topic", "综合政务"),
            ("body", "修订：自2026年4月1日起施行。"),
        ],
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let public = get(&app, &format!("/xxgk/items/{id}"), "").await;
    assert!(public.text().contains("关于做好春耕备耕工作的通知"));
    assert!(!public.text().contains("农资保供"));
    assert!(!public.text().contains("修订：自2026年4月1日"));
    let api = get(&app, &format!("/api/v1/documents/{index_no}"), "").await;
    assert!(!api.text().contains("农资保供"), "{}", api.text());
    let search = get(&app, &format!("/search?q={}", urlencode("农资保供")), "").await;
    assert!(!search.text().contains(&format!("/xxgk/items/{id}\"")));
    // The revision waits in the reviewers' queue, marked as one.
    let queue = get(&app, "/admin/publish", &reviewer.cookie).await;
    assert!(queue.text().contains("【修订】"));
    // Its author may not approve it (nor may any editor).
    let a = post(
        &app,
        &format!("/admin/publish/{id}/approve"),
        &editor.cookie,
        &[("csrf", &editor.csrf)],
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = post(
        &app,
        &format!("/admin/publish/{id}/approve"),
        &reviewer.cookie,
        &[("csrf", &reviewer.csrf)],
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let public = get(&app, &format!("/xxgk/items/{id}"), "").await;
    assert!(
        public
            .text()
            .contains("关于做好春耕备耕和农资保供工作的通知")
    );
    assert!(public.text().contains("修订：自2026年4月1日起施行。"));
    let api = get(&app, &format!("/api/v1/documents/{index_no}"), "").await;
    assert!(api.text().contains("农资保供"), "{}", api.text());
    let search = get(&app, &format!("/search?q={}", urlencode("农资保供")), "").await;
    assert!(
        search.text().contains(&format!("/xxgk/items/{id}")),
        "{}",
        search.text()
    );
    let admin_page = get(&app, &format!("/admin/publish/{id}"), &reviewer.cookie).await;
    assert!(admin_page.text().contains("修订历史"));
    assert!(admin_page.text().contains("关于做好春耕备耕工作的通知"));

    // 3. Role refusals: 403 for an editor repealing or withdrawing, for anyone but a reviewer
    //    on the word list (the system admin included), and for a forged CSRF token.
    for path in ["repeal", "withdraw"] {
        let a = post(
            &app,
            &format!("/admin/publish/{id}/{path}"),
            &editor.cookie,
            &[("csrf", &editor.csrf), ("reason", "想撤")],
        )
        .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{path}");
    }
    for who in [&editor, &head, &sysadmin] {
        assert_eq!(
            get(&app, "/admin/words", &who.cookie).await.status,
            StatusCode::FORBIDDEN
        );
        let a = post(
            &app,
            "/admin/words",
            &who.cookie,
            &[("csrf", &who.csrf), ("word", "某词")],
        )
        .await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
    }
    let a = post(
        &app,
        &format!("/admin/publish/{id}/repeal"),
        &head.cookie,
        &[("csrf", "forged"), ("reason", "x")],
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);

    // 4. 废止 by the head: still public, 有效性 已废止 with its reason.
    let a = post(
        &app,
        &format!("/admin/publish/{id}/repeal"),
        &head.cookie,
        &[("csrf", &head.csrf), ("reason", "已被测政〔2026〕9号替代")],
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let public = get(&app, &format!("/xxgk/items/{id}"), "").await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.text().contains("已废止"));
    assert!(public.text().contains("已被测政〔2026〕9号替代"));

    // 5. 撤回 by the reviewer: 410, and gone from search and the API.
    let a = post(
        &app,
        &format!("/admin/publish/{id}/withdraw"),
        &reviewer.cookie,
        &[("csrf", &reviewer.csrf), ("reason", "内容有误")],
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let public = get(&app, &format!("/xxgk/items/{id}"), "").await;
    assert_eq!(public.status, StatusCode::GONE);
    assert!(public.text().contains("该信息已撤回"));
    let search = get(&app, &format!("/search?q={}", urlencode("农资保供")), "").await;
    assert!(!search.text().contains(&format!("/xxgk/items/{id}\"")));
    let api = get(
        &app,
        &format!("/api/v1/documents?q={}", urlencode("农资保供")),
        "",
    )
    .await;
    assert_eq!(api.status, StatusCode::OK);
    assert!(!api.text().contains(&index_no), "{}", api.text());
    let api = get(&app, &format!("/api/v1/documents/{index_no}"), "").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);

    // 6. A word added on /admin/words blocks the next item that carries it.
    let a = post(
        &app,
        "/admin/words",
        &reviewer.cookie,
        &[("csrf", &reviewer.csrf), ("word", "春耕秘方")],
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    assert!(
        get(&app, "/admin/words", &reviewer.cookie)
            .await
            .text()
            .contains("春耕秘方")
    );
    let worded = draft(&app, fx, &editor, "经验交流", "推广春耕秘方。").await;
    let a = post(
        &app,
        &format!("/admin/publish/{worded}/approve"),
        &reviewer.cookie,
        &[("csrf", &reviewer.csrf)],
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.text());
    assert!(a.text().contains("保密审查"));
    let found = publishing::findings(&fx.state.store, worded).await.unwrap();
    assert!(
        found
            .iter()
            .any(|f| f.kind.key() == "sensitive_word" && f.masked == "春耕秘方")
    );

    // 7. An attachment with a valid ID number blocks approval; the finding names the file.
    let att = draft(&app, fx, &editor, "低保对象公示", "名单见附件。").await;
    let id_number = synthetic_id();
    let list = format!("姓名\t身份证号\n张三\t{id_number}\n");
    let a = upload(
        &app,
        att,
        &editor.cookie,
        "forged",
        "名单.txt",
        list.as_bytes(),
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = upload(
        &app,
        att,
        &editor.cookie,
        &editor.csrf,
        "名单.txt",
        list.as_bytes(),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    assert_eq!(status_of(fx, att).await, "in_review");
    let a = post(
        &app,
        &format!("/admin/publish/{att}/approve"),
        &reviewer.cookie,
        &[("csrf", &reviewer.csrf)],
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    let queue = get(&app, "/admin/publish", &reviewer.cookie).await.text();
    assert!(queue.contains("附件：名单.txt"), "{queue}");
    assert!(!queue.contains(&id_number));
    let found = publishing::findings(&fx.state.store, att).await.unwrap();
    let blocking: Vec<_> = found.iter().filter(|f| f.blocks == 1).collect();
    assert!(
        blocking
            .iter()
            .any(|f| f.kind.key() == "id_number" && f.source == "名单.txt")
    );
    // Too large: refused in Chinese, with or without the body fitting the route's limit.
    for size in [
        attachment::MAX_ATTACHMENT_BYTES + 1,
        gongkai_web::admin::publish::UPLOAD_BODY_LIMIT + 1,
    ] {
        let big = vec![b'a'; size];
        let a = upload(&app, att, &editor.cookie, &editor.csrf, "大.txt", &big).await;
        assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE, "{size}");
        assert!(a.text().contains("10 MB"), "{size}: {}", a.text());
    }
    // .ofd is not accepted: 422 naming the format and what to do.
    let a = upload(
        &app,
        att,
        &editor.cookie,
        &editor.csrf,
        "名单.ofd",
        b"PK\x03\x04",
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        a.text().contains(".ofd") && a.text().contains("PDF"),
        "{}",
        a.text()
    );
    // The reviewer masks the findings (the .txt file itself is rewritten) and publishes; the
    // portal lists the file.
    for f in blocking {
        let a = post(
            &app,
            &format!("/admin/publish/{att}/findings/{}/mask", f.id),
            &reviewer.cookie,
            &[("csrf", &reviewer.csrf)],
        )
        .await;
        assert!(
            a.status == StatusCode::SEE_OTHER || a.status == StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            a.text()
        );
    }
    assert!(
        publishing::findings(&fx.state.store, att)
            .await
            .unwrap()
            .is_empty()
    );
    let a = post(
        &app,
        &format!("/admin/publish/{att}/approve"),
        &reviewer.cookie,
        &[("csrf", &reviewer.csrf)],
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let files = attachment::list(&fx.state.store, att).await.unwrap();
    assert_eq!(files.len(), 1);
    let link = format!("/xxgk/items/{att}/attachments/{}", files[0].id);
    let public = get(&app, &format!("/xxgk/items/{att}"), "").await;
    assert!(public.text().contains(&link));
    assert!(public.text().contains("名单.txt"));
    let file = get(&app, &link, "").await;
    assert_eq!(file.status, StatusCode::OK);
    // The file published is the masked one: the number never reaches the portal.
    let published = String::from_utf8(file.body.clone()).unwrap();
    assert!(!published.contains(&id_number), "{published}");
    assert_eq!(published, list.replace(&id_number[4..14], "**********"));
    let disposition = file.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    // A file of an item not published is not served to the public.
    let unpublished = draft(&app, fx, &editor, "草稿", "正文。").await;
    let a = upload(
        &app,
        unpublished,
        &editor.cookie,
        &editor.csrf,
        "a.txt",
        b"abc",
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let f = attachment::list(&fx.state.store, unpublished)
        .await
        .unwrap();
    let a = get(
        &app,
        &format!("/xxgk/items/{unpublished}/attachments/{}", f[0].id),
        "",
    )
    .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);

    let chain = gongkai_store::audit::verify(&fx.state.store).await;
    assert!(chain.is_ok(), "{chain:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifecycle_on_sqlite() {
    let fx = common::fixture().await;
    lifecycle(&fx).await;
    fx.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifecycle_on_postgres() {
    if let Some(fx) = common::fixture_pg("publishing_lifecycle").await {
        lifecycle(&fx).await;
        fx.cleanup().await;
    }
}

/// 11.3: the drafting form carries the whole 目录 entry. A draft without 公开类别 or 主题分类 is
/// refused naming the field; a 解读 dated before its document is refused; a complete 解读 is
/// stored with 公开类别, 主题分类, 主题词, 成文日期, the drafting agency as 发布机构, and its link
/// to the document.
async fn draft_catalogue_fields(fx: &Fixture) {
    let app = router(fx.state.clone());
    let editor = sign_in(fx, "bianji", Role::Editor).await;
    let form = get(&app, "/admin/publish", &editor.cookie).await.text();
    for field in [
        "id=\"art20\"",
        "id=\"topic\"",
        "id=\"keywords\"",
        "id=\"written_on\"",
        "id=\"interprets\"",
    ] {
        assert!(form.contains(field), "{field}");
    }
    assert!(
        form.contains("测政〔2020〕1号"),
        "the published 规范性文件 is offered"
    );
    let normative = fx.normative_id.to_string();
    let items = || async {
        publishing::recent(&fx.state.store, 1000)
            .await
            .unwrap()
            .len()
    };
    let before = items().await;
    let base = |art20: &'static str, topic: &'static str, written_on: &'static str| {
        vec![
            ("title", "《通知》解读"),
            ("doc_number", ""),
            ("category", "interpretation"),
            ("art20", art20),
            ("topic", topic),
            ("keywords", " 规范性文件  解读 "),
            ("written_on", written_on),
            ("body", "一、起草背景……"),
        ]
    };
    for (fields, named) in [
        (base("", "综合政务", "2020-03-05"), "公开类别"),
        (base("1", "", "2020-03-05"), "主题分类"),
        (base("1", "综合政务", "2020-03-05"), "所解读的文件"),
    ] {
        let mut fields = fields;
        fields.push(("csrf", &editor.csrf));
        let a = post(&app, "/admin/publish/drafts", &editor.cookie, &fields).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(a.text().contains(named), "{named}: {}", a.text());
    }
    let mut early = base("1", "综合政务", "2020-03-01");
    early.push(("interprets", &normative));
    early.push(("csrf", &editor.csrf));
    let a = post(&app, "/admin/publish/drafts", &editor.cookie, &early).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.text().contains("早于所解读的文件"), "{}", a.text());
    assert_eq!(
        items().await,
        before,
        "nothing was drafted by the refused forms"
    );

    let mut good = base("1", "综合政务", "2020-03-05");
    good.push(("interprets", &normative));
    good.push(("csrf", &editor.csrf));
    let a = post(&app, "/admin/publish/drafts", &editor.cookie, &good).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.text());
    let id = publishing::recent(&fx.state.store, 1).await.unwrap()[0].id;
    let item = proactive_item::get(&fx.state.store, id).await.unwrap();
    assert_eq!(item.art20_item, Some(1));
    assert_eq!(item.topic, "综合政务");
    assert_eq!(item.keywords, "规范性文件 解读");
    assert_eq!(item.written_on, chrono::NaiveDate::from_ymd_opt(2020, 3, 5));
    assert_eq!(item.publisher, "测试县人民政府");
    assert_eq!(item.doc_type, "interpretation");
    let explained = proactive_item::documents_explained_by(&fx.state.store, id)
        .await
        .unwrap();
    assert_eq!(
        explained.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![fx.normative_id]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn draft_catalogue_fields_on_sqlite() {
    let fx = common::fixture().await;
    draft_catalogue_fields(&fx).await;
    fx.cleanup().await;
}

/// Acceptance 1 of issue 12 over HTTP: an editor uploads each hostile file of the probe to a
/// draft; each is refused (422) naming the file and its limit in Chinese, nothing is stored
/// or audited as attached, and the server goes on answering.
async fn hostile_uploads(fx: &Fixture) {
    use gongkai_extract::hostile;
    let app = router(fx.state.clone());
    let editor = sign_in(fx, "bianji", Role::Editor).await;
    let id = draft(&app, fx, &editor, "春耕通知", "请做好春耕工作。").await;
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "稀疏.xlsx",
            hostile::sparse_xlsx(),
            "工作表不得超过 100000 行",
        ),
        (
            "多部件.docx",
            hostile::many_part_docx(3, 22 << 20),
            "解压后的总大小不得超过 64 MB",
        ),
        (
            "重叠.docx",
            hostile::overlapping_docx(4, 1 << 20),
            "条目不得相互重叠",
        ),
        (
            "深层.docx",
            hostile::deep_docx(10_000),
            "XML 嵌套不得超过 128 层",
        ),
        (
            "对象流.pdf",
            hostile::objstm_bomb_pdf(16 << 20),
            "解压后的总大小不得超过 8 MB",
        ),
    ];
    for (name, bytes, limit) in &cases {
        let a = upload(&app, id, &editor.cookie, &editor.csrf, name, bytes).await;
        assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let text = a.text();
        assert!(
            text.contains(name) && text.contains(limit),
            "{name}: wanted 「{limit}」 in {text}"
        );
        let health = get(&app, "/healthz", "").await;
        assert_eq!(health.status, StatusCode::OK);
    }
    assert!(
        attachment::list(&fx.state.store, id)
            .await
            .unwrap()
            .is_empty()
    );
    let attached = gongkai_store::audit::recent(&fx.state.store, 1000)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "item.attach")
        .count();
    assert_eq!(attached, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_uploads_on_sqlite() {
    let fx = common::fixture().await;
    hostile_uploads(&fx).await;
    fx.cleanup().await;
}
