//! Keeping the search index in step with the database, which stays the source of truth:
//! [`index_all`] rebuilds the index from every published item (at start-up when it is empty),
//! [`upsert_item`] refreshes one item when it is published or changed (the back office calls it).

use gongkai_search::{ItemDoc, SearchError, SearchIndex};
use gongkai_store::models::ProactiveItem;
use gongkai_store::views::portal::{self, IndexRow};
use gongkai_store::{Store, StoreError};

use crate::catalog;

/// What can go wrong while indexing.
#[derive(Debug, thiserror::Error)]
pub enum IndexingError {
    /// Reading the items failed.
    #[error("读取公开信息失败 / reading items failed: {0}")]
    Store(#[from] StoreError),
    /// Writing the index failed.
    #[error("写入检索索引失败 / writing the search index failed: {0}")]
    Search(#[from] SearchError),
}

/// The portal page of an item.
pub fn item_url(id: i64) -> String {
    format!("/xxgk/items/{id}")
}

/// The search document of a published item with its 正文.
pub fn item_doc(item: &ProactiveItem, agency_name: &str, text: &str) -> ItemDoc {
    let category = item
        .art20_item
        .and_then(catalog::category_by_number)
        .map_or("other", |c| c.key);
    // The searchable text beyond the title and summary: the 正文 (snippets are cut from it),
    // then the catalogue's own vocabulary (kind, topic, genre, keywords, unit).
    let body = [
        text.trim(),
        catalog::doc_type_label(&item.doc_type),
        item.topic.as_str(),
        item.genre.as_str(),
        item.keywords.as_str(),
        item.unit.as_str(),
        item.publisher.as_str(),
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join(" ");
    ItemDoc {
        id: item.id,
        index_no: item.index_no.clone(),
        title: item.title.clone(),
        body,
        summary: item.summary.clone(),
        doc_number: item.doc_number.clone(),
        category: category.to_string(),
        agency: agency_name.to_string(),
        agency_id: item.agency_id,
        published_on: item.published_on.or(item.written_on).unwrap_or_default(),
        url: item_url(item.id),
    }
}

/// Rebuilds the whole index from the published items of the `roots`' subtrees (one root for a
/// single portal; every site's agency on a 集约化 platform, whose one index serves all sites,
/// each searching within its own subtree); an item under two roots is indexed once. Returns
/// how many items it holds.
pub async fn index_all(
    store: &Store,
    index: &SearchIndex,
    roots: &[i64],
) -> Result<u64, IndexingError> {
    let mut rows = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for root in roots {
        for row in portal::index_rows(store, *root).await? {
            if seen.insert(row.item.id) {
                rows.push(row);
            }
        }
    }
    let docs = rows.iter().map(
        |IndexRow {
             item,
             agency_name,
             body,
         }| item_doc(item, agency_name, body),
    );
    Ok(index.rebuild(docs, |_| {})?)
}

/// Rebuilds the index only if it is empty (start-up); returns the number of items indexed.
pub async fn index_if_empty(
    store: &Store,
    index: &SearchIndex,
    roots: &[i64],
) -> Result<u64, IndexingError> {
    if index.num_docs() > 0 {
        return Ok(0);
    }
    index_all(store, index, roots).await
}

/// Puts one item into the index (or takes it out if it is no longer published under any of
/// the `roots`) and commits.
pub async fn upsert_item(
    store: &Store,
    index: &SearchIndex,
    roots: &[i64],
    item_id: i64,
) -> Result<(), IndexingError> {
    let mut found = None;
    for root in roots {
        if let Some(item) = portal::published_item(store, *root, item_id).await? {
            found = Some(item);
            break;
        }
    }
    match found {
        Some(item) => {
            let agency = gongkai_store::models::agency::get(store, item.agency_id).await?;
            let body = gongkai_store::models::proactive_item::body(store, item_id).await?;
            index.upsert(&item_doc(&item, &agency.name, &body))?;
        }
        None => index.delete(item_id)?,
    }
    index.commit()?;
    Ok(())
}
