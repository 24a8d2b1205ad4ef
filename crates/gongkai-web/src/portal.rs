//! The public portal's reading pages: home, the 「政府信息公开」 column (指南, 制度, 法定主动公开内容
//! by Art. 20 category and by unit, 专题专栏, 双公示, 年报), the item page with its full catalogue
//! metadata and its 解读 links, and search.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use gongkai_store::models::agency::{self, AgencyLevel};
use gongkai_store::models::decision::{DecisionKind, PartyKind};
use gongkai_store::models::{ProactiveItem, proactive_item};
use gongkai_store::views::portal::{self as views, ItemFilter, PublicLetter, TopicSummary};
use serde::Deserialize;

use crate::catalog::{self, CATEGORIES, Category};
use crate::error::render;
use crate::layout::Section;
use crate::{AppState, Page, PageError};

pub use crate::fmt::{fmt_date, urlencode};
pub use crate::layout::frame;
pub use crate::paging::{PER_PAGE, PageQuery, Pager};
pub use crate::site_info::agency_name;

/// An item as a listing row shows it.
#[derive(Debug, Clone)]
pub struct ItemRow {
    /// Page of the item.
    pub url: String,
    /// 名称
    pub title: String,
    /// 发布日期 (or 成文日期), as `YYYY-MM-DD`.
    pub date: String,
    /// 文号, if any.
    pub doc_number: String,
    /// 有效性 when it is not 有效 (a repealed document stays listed, marked).
    pub validity_note: String,
}

impl ItemRow {
    /// The row of an item.
    pub fn of(item: &ProactiveItem) -> ItemRow {
        ItemRow {
            url: crate::indexing::item_url(item.id),
            title: item.title.clone(),
            date: fmt_date(item.published_on.or(item.written_on)),
            doc_number: item.doc_number.clone().unwrap_or_default(),
            validity_note: if item.validity == "in_force" {
                String::new()
            } else {
                catalog::validity_label(&item.validity).to_string()
            },
        }
    }
}

// ---------------------------------------------------------------- home

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    latest: Vec<ItemRow>,
    documents: Vec<ItemRow>,
    interpretations: Vec<ItemRow>,
    notices: Vec<ItemRow>,
    letters: Vec<PublicLetter>,
}

async fn rows(state: &AppState, filter: ItemFilter, n: i64) -> Result<Vec<ItemRow>, PageError> {
    let page = views::list_items(&state.store, state.site.agency_id, &filter, n, 0).await?;
    Ok(page.items.iter().map(ItemRow::of).collect())
}

/// `/`: the latest items by column, notices and mailbox replies.
pub async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let latest = rows(&state, ItemFilter::default(), 8).await?;
    let documents = rows(
        &state,
        ItemFilter {
            doc_type: Some("normative_document".into()),
            ..ItemFilter::default()
        },
        5,
    )
    .await?;
    let interpretations = rows(
        &state,
        ItemFilter {
            doc_type: Some("interpretation".into()),
            ..ItemFilter::default()
        },
        5,
    )
    .await?;
    let notices = rows(
        &state,
        ItemFilter {
            art20_item: Some(15),
            ..ItemFilter::default()
        },
        5,
    )
    .await?;
    let (letters, _) = views::published_letters(&state.store, state.site.agency_id, 5, 0).await?;
    let page = frame(&state, &headers, &uri, "首页", Section::Home);
    Ok(render(&HomePage {
        page,
        latest,
        documents,
        interpretations,
        notices,
        letters,
    }))
}

// ---------------------------------------------------------------- the column

#[derive(Template)]
#[template(path = "xxgk.html")]
struct ColumnPage {
    page: Page,
    categories: Vec<(Category, i64)>,
    years: Vec<i32>,
}

async fn category_counts(state: &AppState) -> Result<Vec<(Category, i64)>, PageError> {
    let counts = views::count_by_art20(&state.store, state.site.agency_id).await?;
    Ok(CATEGORIES
        .iter()
        .map(|c| {
            let n = counts
                .iter()
                .find(|(k, _)| *k == c.number)
                .map_or(0, |(_, n)| *n);
            (*c, n)
        })
        .collect())
}

/// `/xxgk`: the 「政府信息公开」 column.
pub async fn column(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let categories = category_counts(&state).await?;
    let years = crate::reports::published_years(&state)
        .await?
        .into_iter()
        .map(|r| r.year)
        .collect();
    let page = frame(&state, &headers, &uri, "政府信息公开", Section::Disclosure);
    Ok(render(&ColumnPage {
        page,
        categories,
        years,
    }))
}

#[derive(Template)]
#[template(path = "guide.html")]
struct GuidePage {
    page: Page,
    agency: String,
    /// 政府信息公开工作机构
    office_name: String,
    /// (label, value or 「—」) of the office's address, postcode, phone, fax, hours, e-mail.
    office: Vec<(&'static str, String)>,
}

/// `/xxgk/guide`: 政府信息公开指南, generated from the site's agency and its 工作机构 as the
/// system admin set it (「—」 for what is not set).
pub async fn guide(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let agency = agency_name(&state).await;
    let settings = gongkai_store::models::site_settings::get(&state.store, state.site.agency_id)
        .await?
        .unwrap_or_default();
    let office_name = if settings.office_name.is_empty() {
        format!("{agency}政府信息公开工作机构")
    } else {
        settings.office_name.clone()
    };
    let office = settings
        .fields()
        .into_iter()
        .filter(|(k, _, _)| {
            matches!(
                *k,
                "office_address" | "postcode" | "phone" | "fax" | "office_hours" | "email"
            )
        })
        .map(|(_, label, v)| {
            (
                label,
                if v.is_empty() {
                    "—".to_string()
                } else {
                    v.to_string()
                },
            )
        })
        .collect();
    let page = frame(
        &state,
        &headers,
        &uri,
        "政府信息公开指南",
        Section::Disclosure,
    );
    Ok(render(&GuidePage {
        page,
        agency,
        office_name,
        office,
    }))
}

/// `/xxgk/guide/application-form.docx`: the 政府信息公开申请表 as a Word file.
pub async fn application_form(State(state): State<AppState>) -> Result<Response, PageError> {
    let agency = agency_name(&state).await;
    let settings = gongkai_store::models::site_settings::get(&state.store, state.site.agency_id)
        .await?
        .unwrap_or_default();
    let bytes = crate::application_form::docx(&agency, &settings).map_err(PageError::internal)?;
    Ok(crate::download::file(
        &format!("{agency}政府信息公开申请表.docx"),
        crate::download::DOCX,
        bytes,
    ))
}

#[derive(Template)]
#[template(path = "system.html")]
struct SystemPage {
    page: Page,
    agency: String,
}

/// `/xxgk/system`: 政府信息公开制度.
pub async fn system(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let agency = agency_name(&state).await;
    let page = frame(
        &state,
        &headers,
        &uri,
        "政府信息公开制度",
        Section::Disclosure,
    );
    Ok(render(&SystemPage { page, agency }))
}

#[derive(Template)]
#[template(path = "categories.html")]
struct CategoriesPage {
    page: Page,
    categories: Vec<(Category, i64)>,
}

/// `/xxgk/fdzdgknr`: 法定主动公开内容, the fifteen items of Art. 20 with their counts.
pub async fn categories(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let categories = category_counts(&state).await?;
    let page = frame(
        &state,
        &headers,
        &uri,
        "法定主动公开内容",
        Section::Disclosure,
    );
    Ok(render(&CategoriesPage { page, categories }))
}

#[derive(Template)]
#[template(path = "listing.html")]
struct ListingPage {
    page: Page,
    heading: String,
    intro: String,
    items: Vec<ItemRow>,
    total: i64,
    pager: Pager,
}

async fn listing(
    state: &AppState,
    headers: &HeaderMap,
    uri: &Uri,
    heading: String,
    intro: String,
    filter: ItemFilter,
    q: &PageQuery,
) -> Result<Response, PageError> {
    let n = q.number();
    let result = views::list_items(
        &state.store,
        state.site.agency_id,
        &filter,
        PER_PAGE,
        (n - 1) * PER_PAGE,
    )
    .await?;
    let pager = Pager::new(n, result.total, PER_PAGE, &format!("{}?", uri.path()));
    let page = frame(state, headers, uri, &heading, Section::Disclosure);
    Ok(render(&ListingPage {
        page,
        heading,
        intro,
        items: result.items.iter().map(ItemRow::of).collect(),
        total: result.total,
        pager,
    }))
}

/// `/xxgk/category/{n}`: the items of one Art. 20 item.
pub async fn category(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Path(n): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let c = catalog::category_by_key(&n).ok_or_else(|| PageError::not_found("没有这个栏目。"))?;
    let intro = format!(
        "《中华人民共和国政府信息公开条例》第二十条第（{}）项",
        c.numeral()
    );
    let filter = ItemFilter {
        art20_item: Some(c.number),
        ..ItemFilter::default()
    };
    listing(
        &state,
        &headers,
        &uri,
        c.label.to_string(),
        intro,
        filter,
        &q,
    )
    .await
}

/// A unit (县直部门 or 乡镇) with its item count.
#[derive(Debug, Clone)]
pub struct UnitRow {
    /// Agency id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Published items.
    pub items: i64,
}

#[derive(Template)]
#[template(path = "units.html")]
struct UnitsPage {
    page: Page,
    departments: Vec<UnitRow>,
    townships: Vec<UnitRow>,
}

/// `/xxgk/units`: 法定主动公开内容 by unit, 县直部门 and 乡镇.
pub async fn units(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let root = state.site.agency_id;
    let ids = agency::subtree_ids(&state.store, root).await?;
    let counts = views::count_by_agency(&state.store, root).await?;
    let all = agency::list(&state.store).await?;
    let row = |a: &agency::Agency| UnitRow {
        id: a.id,
        name: a.name.clone(),
        items: counts
            .iter()
            .find(|(k, _)| *k == a.id)
            .map_or(0, |(_, n)| *n),
    };
    let in_tree = |a: &&agency::Agency| ids.contains(&a.id);
    let departments = all
        .iter()
        .filter(in_tree)
        .filter(|a| a.level == AgencyLevel::Department)
        .map(row)
        .collect();
    let townships = all
        .iter()
        .filter(in_tree)
        .filter(|a| a.level == AgencyLevel::Township)
        .map(row)
        .collect();
    let page = frame(&state, &headers, &uri, "按单位查看", Section::Disclosure);
    Ok(render(&UnitsPage {
        page,
        departments,
        townships,
    }))
}

/// `/xxgk/units/{id}`: the items of one unit.
pub async fn unit(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let ids = agency::subtree_ids(&state.store, state.site.agency_id).await?;
    if !ids.contains(&id) {
        return Err(PageError::not_found("没有这个单位。"));
    }
    let a = agency::get(&state.store, id).await?;
    let intro = match a.level {
        AgencyLevel::Township => "乡镇".to_string(),
        AgencyLevel::Department => "县直部门".to_string(),
        _ => String::new(),
    };
    let filter = ItemFilter {
        agency_id: Some(id),
        ..ItemFilter::default()
    };
    listing(&state, &headers, &uri, a.name, intro, filter, &q).await
}

#[derive(Template)]
#[template(path = "topics.html")]
struct TopicsPage {
    page: Page,
    topics: Vec<TopicSummary>,
}

/// `/xxgk/topics`: 专题专栏.
pub async fn topics(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Response, PageError> {
    let topics = views::topics(&state.store, state.site.agency_id).await?;
    let page = frame(&state, &headers, &uri, "专题专栏", Section::Disclosure);
    Ok(render(&TopicsPage { page, topics }))
}

/// `/xxgk/topics/{id}`: the items of one topic.
pub async fn topic(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let all = views::topics(&state.store, state.site.agency_id).await?;
    let t = all
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| PageError::not_found("没有这个专题。"))?;
    let intro = format!("开设于 {}", t.opened_on.format("%Y-%m-%d"));
    let filter = ItemFilter {
        topic_id: Some(id),
        ..ItemFilter::default()
    };
    listing(&state, &headers, &uri, t.name, intro, filter, &q).await
}

// ---------------------------------------------------------------- the item page

#[derive(Template)]
#[template(path = "item.html")]
struct ItemPage {
    page: Page,
    item: ProactiveItem,
    category: String,
    doc_type: String,
    validity: String,
    validity_changed: String,
    written_on: String,
    published_on: String,
    interpretations: Vec<ItemRow>,
    explains: Vec<ItemRow>,
    /// 正文 (items published through the gate; empty for catalogue-only records).
    body: String,
    /// The reason of a 废止.
    validity_note: String,
    /// The attachments, linked for download.
    attachments: Vec<AttachmentLink>,
}

/// An attachment as the item page links it.
struct AttachmentLink {
    url: String,
    file_name: String,
    size: String,
}

/// `/xxgk/items/{id}/attachments/{att}`: an attachment of a published item, as a download.
pub async fn attachment(
    State(state): State<AppState>,
    Path((id, att)): Path<(i64, i64)>,
) -> Result<Response, PageError> {
    views::published_item(&state.store, state.site.agency_id, id)
        .await?
        .ok_or_else(|| PageError::not_found("没有这条信息，或它尚未公开。"))?;
    let (meta, data) = gongkai_store::models::attachment::file(&state.store, id, att)
        .await?
        .ok_or_else(|| PageError::not_found("该附件不存在。"))?;
    Ok(crate::download::attachment(&meta, data))
}

/// `/xxgk/items/{id}`: one item with its whole catalogue metadata, its 解读 both ways and its
/// attachments.
pub async fn item(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    Ok(render(&item_page(&state, &headers, &uri, id).await?))
}

async fn item_page(
    state: &AppState,
    headers: &HeaderMap,
    uri: &Uri,
    id: i64,
) -> Result<ItemPage, PageError> {
    let Some(item) = views::published_item(&state.store, state.site.agency_id, id).await? else {
        // A withdrawn item is gone on purpose: 410, so that search engines drop it too.
        let withdrawn = proactive_item::get(&state.store, id)
            .await
            .is_ok_and(|i| i.status.is_withdrawn());
        return Err(if withdrawn {
            PageError {
                status: axum::http::StatusCode::GONE,
                message: "该信息已撤回。".to_string(),
            }
        } else {
            PageError::not_found("没有这条信息，或它尚未公开。")
        });
    };
    let life = gongkai_store::models::publishing::lifecycle(&state.store, id).await?;
    let attachments = gongkai_store::models::attachment::list(&state.store, id)
        .await?
        .into_iter()
        .map(|a| AttachmentLink {
            url: format!("/xxgk/items/{id}/attachments/{}", a.id),
            size: crate::fmt::human_size(a.size),
            file_name: a.file_name,
        })
        .collect();
    let published = |v: Vec<ProactiveItem>| -> Vec<ItemRow> {
        v.iter()
            .filter(|i| i.status.is_published())
            .map(ItemRow::of)
            .collect()
    };
    let interpretations = published(proactive_item::interpretations_of(&state.store, id).await?);
    let explains = published(proactive_item::documents_explained_by(&state.store, id).await?);
    let category = item
        .art20_item
        .and_then(catalog::category_by_number)
        .map_or_else(
            || "—".to_string(),
            |c| format!("第二十条第（{}）项：{}", c.numeral(), c.label),
        );
    let page = frame(state, headers, uri, &item.title, Section::Disclosure);
    Ok(ItemPage {
        page,
        category,
        doc_type: catalog::doc_type_label(&item.doc_type).to_string(),
        validity: catalog::validity_label(&item.validity).to_string(),
        validity_changed: item
            .validity_changed_on
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        written_on: fmt_date(item.written_on),
        published_on: fmt_date(item.published_on),
        interpretations,
        explains,
        body: life.body,
        validity_note: life.validity_note,
        attachments,
        item,
    })
}

// ---------------------------------------------------------------- 双公示

/// `/xxgk/decisions?q=&kind=&before=`
#[derive(Debug, Deserialize, Default)]
pub struct DecisionQuery {
    /// Party or decision number.
    #[serde(default)]
    pub q: String,
    /// Decision kind key.
    #[serde(default)]
    pub kind: String,
    /// Keyset cursor.
    #[serde(default)]
    pub before: Option<String>,
}

/// A decision as the listing and its page show it (a natural person's name masked).
#[derive(Debug, Clone)]
pub struct DecisionRow {
    /// Page of the decision.
    pub url: String,
    /// 决定书文号
    pub number: String,
    /// 行政相对人名称 (masked for a natural person).
    pub party: String,
    /// 行政相对人类别
    pub party_kind: PartyKind,
    /// 统一社会信用代码, or a dash (a natural person has none).
    pub credit_code: String,
    /// Kind label.
    pub kind: &'static str,
    /// 决定日期
    pub date: String,
    /// 事由
    pub reason: String,
    /// 依据
    pub basis: String,
    /// 内容
    pub content: String,
    /// 决定机关
    pub authority: String,
}

impl DecisionRow {
    fn of(d: &gongkai_store::models::Decision, authority: &str) -> DecisionRow {
        let dash = |s: &str| {
            if s.trim().is_empty() {
                "—".to_string()
            } else {
                s.to_string()
            }
        };
        DecisionRow {
            url: format!("/xxgk/decisions/{}", d.id),
            number: d.number.clone(),
            party: d.shown_party(),
            party_kind: d.party_kind,
            credit_code: dash(d.credit_code.as_deref().unwrap_or_default()),
            kind: d.kind.label(),
            date: d.decided_on.format("%Y-%m-%d").to_string(),
            reason: dash(&d.reason),
            basis: dash(&d.basis),
            content: dash(&d.content),
            authority: authority.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "decisions.html")]
struct DecisionsPage {
    page: Page,
    q: String,
    kind: String,
    kinds: Vec<(&'static str, &'static str)>,
    rows: Vec<DecisionRow>,
    next: Option<String>,
    first: Option<String>,
}

/// `/xxgk/decisions`: 双公示, searchable by party or decision number, paged by keyset.
pub async fn decisions(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Query(dq): Query<DecisionQuery>,
) -> Result<Response, PageError> {
    let q: String = dq.q.trim().chars().take(100).collect();
    let kind = DecisionKind::parse(&dq.kind).map_or("", DecisionKind::key);
    let before = dq.before.as_deref().and_then(|b| b.parse::<i64>().ok());
    let result = views::search_decisions(
        &state.store,
        state.site.agency_id,
        (!kind.is_empty()).then_some(kind),
        &q,
        before,
        PER_PAGE,
    )
    .await?;
    let agencies = agency::list(&state.store).await?;
    let authority = |id: i64| {
        agencies
            .iter()
            .find(|a| a.id == id)
            .map_or("—", |a| a.name.as_str())
    };
    let rows = result
        .decisions
        .iter()
        .map(|d| DecisionRow::of(d, authority(d.agency_id)))
        .collect();
    let base = format!(
        "/xxgk/decisions?q={}&kind={}",
        urlencode(&q),
        urlencode(kind)
    );
    let next = result.next.map(|n| format!("{base}&before={n}"));
    let first = before.map(|_| base.clone());
    let page = frame(&state, &headers, &uri, "双公示", Section::Disclosure);
    Ok(render(&DecisionsPage {
        page,
        q,
        kind: kind.to_string(),
        kinds: DecisionKind::ALL
            .iter()
            .map(|k| (k.key(), k.label()))
            .collect(),
        rows,
        next,
        first,
    }))
}

#[derive(Template)]
#[template(path = "decision.html")]
struct DecisionDetailPage {
    page: Page,
    d: DecisionRow,
}

/// `/xxgk/decisions/{id}`: one decision with every item the 信用信息公示 data standard shows.
pub async fn decision(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (d, authority) = views::decision(&state.store, state.site.agency_id, id)
        .await?
        .ok_or_else(|| PageError::not_found("没有这条公示信息。"))?;
    let d = DecisionRow::of(&d, &authority);
    let page = frame(&state, &headers, &uri, &d.number, Section::Disclosure);
    Ok(render(&DecisionDetailPage { page, d }))
}

// ---------------------------------------------------------------- search

/// `/search?q=&category=&agency=&year=&page=`
#[derive(Debug, Deserialize, Default)]
pub struct SearchParams {
    /// Free text.
    #[serde(default)]
    pub q: String,
    /// Art. 20 category key.
    #[serde(default)]
    pub category: String,
    /// Agency id.
    #[serde(default)]
    pub agency: String,
    /// Publication year.
    #[serde(default)]
    pub year: String,
    /// `date` for newest first; anything else is by relevance.
    #[serde(default)]
    pub sort: String,
    /// On a 集约化 platform: the site (its agency id) to search within.
    #[serde(default)]
    pub site: String,
    /// Page.
    #[serde(default)]
    pub page: Option<String>,
}

/// A search hit for the template; `title_html` and `snippet_html` are escaped by the index
/// (only `<mark>` is markup).
#[derive(Debug, Clone)]
pub struct HitRow {
    /// Page of the item.
    pub url: String,
    /// Title with highlights (escaped HTML).
    pub title_html: String,
    /// Snippet with highlights (escaped HTML).
    pub snippet_html: String,
    /// Publisher.
    pub agency: String,
    /// Date.
    pub date: String,
    /// 索引号
    pub index_no: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    page: Page,
    q: String,
    category: String,
    agency: String,
    year: String,
    /// The years the year filter offers, newest first.
    years: Vec<i32>,
    /// `date` or empty (relevance).
    sort: &'static str,
    categories: Vec<Category>,
    agencies: Vec<(i64, String)>,
    /// The platform's other sites within this one (empty on a single portal).
    sites: Vec<(i64, String)>,
    /// The chosen site, or empty.
    site: String,
    searched: bool,
    total: usize,
    hits: Vec<HitRow>,
    pager: Pager,
}

/// `/search`: full-text search with filters and highlighted snippets.
pub async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    Query(p): Query<SearchParams>,
) -> Result<Response, PageError> {
    let q: String =
        p.q.trim()
            .chars()
            .take(gongkai_search::MAX_QUERY_CHARS)
            .collect();
    let category = catalog::category_by_key(&p.category)
        .map(|c| c.key.to_string())
        .unwrap_or_default();
    let ids = agency::subtree_ids(&state.store, state.site.agency_id).await?;
    let all = agency::list(&state.store).await?;
    let agencies: Vec<(i64, String)> = all
        .iter()
        .filter(|a| ids.contains(&a.id))
        .map(|a| (a.id, a.name.clone()))
        .collect();
    let agency_id = p
        .agency
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| ids.contains(id));
    let year = p
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (1949..=2200).contains(y));
    let page_no = PageQuery {
        page: p.page.clone(),
    }
    .number();
    // On a platform the index holds every site's items: a site searches its own subtree, or
    // one of the sites within it that the visitor chose.
    let platform = state.index_roots.len() > 1;
    let sites: Vec<(i64, String)> = if platform {
        gongkai_store::models::site::list(&state.store)
            .await?
            .into_iter()
            .filter(|s| s.agency_id != state.site.agency_id && ids.contains(&s.agency_id))
            .map(|s| (s.agency_id, s.name))
            .collect()
    } else {
        Vec::new()
    };
    let site_id = p
        .site
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|id| sites.iter().any(|(s, _)| s == id));
    let searched = !q.is_empty()
        || !category.is_empty()
        || agency_id.is_some()
        || year.is_some()
        || site_id.is_some();
    let by_date = p.sort.trim() == "date";
    let mut query = gongkai_search::Query::new(q.clone())
        .page(page_no as usize, PER_PAGE as usize)
        .sort(if by_date {
            gongkai_search::SortOrder::Newest
        } else {
            gongkai_search::SortOrder::Relevance
        });
    if !category.is_empty() {
        query = query.category(category.clone());
    }
    if let Some(a) = agency_id {
        query = query.agency_id(a);
    }
    if let Some(y) = year {
        query = query.year(y);
    }
    if platform {
        query = query.within(match site_id {
            Some(sid) => agency::subtree_ids(&state.store, sid).await?,
            None => ids.clone(),
        });
    }
    let result = if searched {
        state.search.search(&query).map_err(PageError::internal)?
    } else {
        gongkai_search::SearchPage::default()
    };
    let hits = result
        .hits
        .iter()
        .map(|h| HitRow {
            url: h.url.clone(),
            title_html: h.title_html.clone(),
            snippet_html: h.snippet_html.clone(),
            agency: h.agency.clone(),
            date: h.published_on.format("%Y-%m-%d").to_string(),
            index_no: h.index_no.clone(),
        })
        .collect();
    let sort = if by_date { "date" } else { "" };
    let site = site_id.map(|a| a.to_string()).unwrap_or_default();
    let base = format!(
        "/search?q={}&category={}&agency={}&year={}&sort={sort}&site={site}&",
        urlencode(&q),
        urlencode(&category),
        agency_id.map(|a| a.to_string()).unwrap_or_default(),
        year.map(|y| y.to_string()).unwrap_or_default()
    );
    // Items are dated from the Regulation's first year (2008) to today.
    let current = chrono::Datelike::year(&gongkai_law::beijing_today());
    let years = (2008..=current).rev().collect();
    let shown = (result.total as i64).min(gongkai_search::MAX_RESULT_WINDOW as i64);
    let pager = Pager::new(page_no, shown, PER_PAGE, &base);
    let title = if q.is_empty() {
        "搜索".to_string()
    } else {
        format!("搜索：{q}")
    };
    let page = frame(&state, &headers, &uri, &title, Section::Search);
    Ok(render(&SearchPage {
        page,
        q,
        category,
        agency: agency_id.map(|a| a.to_string()).unwrap_or_default(),
        year: year.map(|y| y.to_string()).unwrap_or_default(),
        years,
        sort,
        categories: CATEGORIES.to_vec(),
        agencies,
        sites,
        site,
        searched,
        total: result.total,
        hits,
        pager,
    }))
}
