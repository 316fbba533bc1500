//! What the search index reads (published articles only, see `server::search`), and the
//! clinic's synonym list.

use super::version::WriteTx;
use super::{BeginWrite, Changes, Db, on_pool};
use crate::content::search::SearchSynonyms;
use chrono::Utc;
use sqlx::FromRow;

/// A published article as the search index and its results need it.
#[derive(Clone, Debug, FromRow)]
pub struct SearchArticle {
    pub id: i64,
    /// Its published revision.
    pub revision_id: i64,
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// Markdown, as written.
    pub body: String,
}

const PUBLISHED: &str =
    "SELECT a.id, a.published_revision_id AS revision_id, a.slug, r.title, r.summary, r.body
     FROM articles a JOIN revisions r ON r.id = a.published_revision_id
     WHERE a.status = 'published'";

/// Why the synonyms were not saved.
#[derive(Debug, thiserror::Error)]
pub enum SynonymsError {
    /// Changed since the form was opened: the list as it is now.
    #[error("changed since it was opened")]
    Stale(Box<SearchSynonyms>),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl Db {
    /// Published articles by id, the first `limit` after id `after` (a full build of the index
    /// reads them so, a batch at a time, never all at once).
    pub async fn search_articles(
        &self,
        after: i64,
        limit: u32,
    ) -> Result<Vec<SearchArticle>, sqlx::Error> {
        on_pool!(self, |pool| sqlx::query_as(&format!(
            "{PUBLISHED} AND a.id > $1 ORDER BY a.id LIMIT $2"
        ))
        .bind(after)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await)
    }

    /// The published articles at `slugs` (those that are), in no order.
    pub async fn search_articles_at(
        &self,
        slugs: &[String],
    ) -> Result<Vec<SearchArticle>, sqlx::Error> {
        if slugs.is_empty() {
            return Ok(Vec::new());
        }
        let places: Vec<String> = (1..=slugs.len()).map(|n| format!("${n}")).collect();
        let sql = format!("{PUBLISHED} AND a.slug IN ({})", places.join(", "));
        on_pool!(self, |pool| {
            let mut query = sqlx::query_as(&sql);
            for slug in slugs {
                query = query.bind(slug);
            }
            query.fetch_all(pool).await
        })
    }

    /// The names of the topics each of `revisions` is listed under: (revision, name) pairs.
    pub async fn topic_names(&self, revisions: &[i64]) -> Result<Vec<(i64, String)>, sqlx::Error> {
        if revisions.is_empty() {
            return Ok(Vec::new());
        }
        let places: Vec<String> = (1..=revisions.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT rt.revision_id, t.name FROM revision_topics rt
             JOIN topics t ON t.id = rt.topic_id
             WHERE rt.revision_id IN ({}) ORDER BY rt.revision_id, t.id",
            places.join(", ")
        );
        on_pool!(self, |pool| {
            let mut query = sqlx::query_as(&sql);
            for revision in revisions {
                query = query.bind(revision);
            }
            query.fetch_all(pool).await
        })
    }

    /// The clinic's synonym list.
    pub async fn search_synonyms(&self) -> Result<SearchSynonyms, sqlx::Error> {
        let row: Option<(String, i64)> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT list, version FROM search_synonyms WHERE id = 1"
        )
        .fetch_optional(pool)
        .await)?;
        let (list, version) = row.unwrap_or_default();
        Ok(SearchSynonyms { list, version })
    }

    /// Saves `list` (already checked) as the synonym list if it is still at `base_version`, by
    /// staff member `by` (`None`: an import). Every search on every instance uses it next.
    pub async fn save_search_synonyms(
        &self,
        list: &str,
        base_version: i64,
        by: Option<i64>,
    ) -> Result<(), SynonymsError> {
        let saved = on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            tx.bump_content_version(&Changes::Search).await?;
            let changed = sqlx::query(
                "UPDATE search_synonyms
                 SET list = $1, updated_at = $2, updated_by = $3, version = version + 1
                 WHERE id = 1 AND version = $4",
            )
            .bind(list)
            .bind(Utc::now())
            .bind(by)
            .bind(base_version)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 1 {
                tx.commit().await?;
            }
            Ok::<_, sqlx::Error>(changed == 1)
        })?;
        if saved {
            Ok(())
        } else {
            Err(SynonymsError::Stale(Box::new(
                self.search_synonyms().await?,
            )))
        }
    }
}
