//! What the sitemap and the Atom feed list: the published articles with when each was first
//! published and when its words last changed.

use super::{Db, on_pool};
use chrono::{DateTime, Utc};
use sqlx::FromRow;

/// One published article as the sitemap and the feed name it.
#[derive(Clone, Debug, PartialEq, Eq, FromRow)]
pub struct ListedArticle {
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// When it was first published.
    pub published: DateTime<Utc>,
    /// When what patients read last changed: its published revision's save, or its first
    /// publishing if that came later.
    pub updated: DateTime<Utc>,
}

impl Db {
    /// The `limit` most recently published articles, newest first (one range read of the
    /// `articles_published` index).
    pub async fn listed_articles(&self, limit: u32) -> Result<Vec<ListedArticle>, sqlx::Error> {
        let rows: Vec<ListedArticle> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT a.slug, r.title, r.summary, a.published_at AS published,
                    r.created_at AS updated
             FROM articles a JOIN revisions r ON r.id = a.published_revision_id
             WHERE a.status = 'published'
             ORDER BY a.published_at DESC, a.id DESC
             LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|row| ListedArticle {
                updated: row.updated.max(row.published),
                ..row
            })
            .collect())
    }
}
