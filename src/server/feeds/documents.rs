//! The sitemap and the feed as last built, with the content version they were built at (see
//! the parent module).

mod xml;

use crate::server::db::Db;
use crate::server::page_cache::weak_etag;
use axum::body::Bytes;
use axum::http::HeaderValue;
use std::sync::Arc;

/// The documents at one content version.
struct Built {
    version: i64,
    sitemap: Document,
    feed: Document,
}

#[derive(Clone)]
pub(crate) struct Document {
    pub body: Bytes,
    pub etag: HeaderValue,
}

impl Document {
    fn new(text: String) -> Document {
        Document {
            etag: weak_etag(text.as_bytes()),
            body: Bytes::from(text),
        }
    }
}

/// The documents last built (shared by every clone of the state).
#[derive(Clone, Default)]
pub struct Documents(Arc<tokio::sync::Mutex<Option<Built>>>);

impl std::fmt::Debug for Documents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Documents").finish_non_exhaustive()
    }
}

#[derive(Clone, Copy)]
pub(crate) enum Which {
    Sitemap,
    Feed,
}

impl Documents {
    /// The document at the current content version, built if this instance has not yet.
    pub(crate) async fn current(
        &self,
        db: &Db,
        origin: &str,
        which: Which,
    ) -> Result<Document, sqlx::Error> {
        let version = db.content_version().await?;
        let mut built = self.0.lock().await;
        if built.as_ref().is_none_or(|built| built.version < version) {
            let articles = db.listed_articles(xml::SITEMAP_ARTICLES).await?;
            let newest = &articles[..articles.len().min(xml::FEED_ENTRIES as usize)];
            let topics: Vec<String> = db
                .topic_summaries()
                .await?
                .into_iter()
                .filter(|summary| summary.articles > 0)
                .map(|summary| summary.topic.slug)
                .collect();
            *built = Some(Built {
                version,
                sitemap: Document::new(xml::sitemap(origin, &articles, &topics)),
                feed: Document::new(xml::atom(origin, newest)),
            });
        }
        let built = built.as_ref().expect("built above");
        Ok(match which {
            Which::Sitemap => built.sitemap.clone(),
            Which::Feed => built.feed.clone(),
        })
    }
}
