//! "Read next" (see `content::read_next`): the articles a revision suggests, stored by article
//! id so a suggestion follows its article to a new address. What patients see at the end of an
//! article is `Db::read_next` (`topic_lists`).

use super::{Db, for_each_backend, on_pool};
use crate::content::read_next::{ArticleAddress, MAX_OFFERED, MAX_READ_NEXT};

/// The article an address names: its address now, or one it was published under before.
const ARTICLE_AT: &str = "SELECT id FROM articles WHERE slug = $1
     UNION SELECT article_id FROM slug_redirects WHERE slug = $1";

/// "Read next" reads and writes inside a transaction, the same SQL on both backends.
pub(super) trait ReadNextTx {
    /// The articles at `slugs`, in order (at most `MAX_READ_NEXT`), or the first slug that
    /// names none.
    async fn articles_at(
        &mut self,
        slugs: &[String],
    ) -> Result<Result<Vec<i64>, String>, sqlx::Error>;

    /// Stores what revision `revision_id` suggests: `articles`, in order (at most
    /// `MAX_READ_NEXT`).
    async fn insert_read_next(
        &mut self,
        revision_id: i64,
        articles: &[i64],
    ) -> Result<(), sqlx::Error>;

    /// The published articles whose published revision suggests article `id` (their pages
    /// change when it is published or unpublished): at most `limit` slugs.
    async fn suggesting(&mut self, id: i64, limit: i64) -> Result<Vec<String>, sqlx::Error>;

    /// Every revision's suggestions, as (revision, article) pairs in order (an export).
    async fn read_revision_read_next(&mut self) -> Result<Vec<(i64, i64)>, sqlx::Error>;
}

for_each_backend! {
    impl ReadNextTx for Conn {
        async fn articles_at(&mut self, slugs: &[String]) -> Result<Result<Vec<i64>, String>, sqlx::Error> {
            let mut articles = Vec::new();
            for slug in slugs.iter().take(MAX_READ_NEXT) {
                let found: Option<i64> = sqlx::query_scalar(ARTICLE_AT)
                    .bind(slug)
                    .fetch_optional(&mut *self)
                    .await?;
                match found {
                    Some(article) => articles.push(article),
                    None => return Ok(Err(slug.clone())),
                }
            }
            Ok(Ok(articles))
        }

        async fn insert_read_next(&mut self, revision_id: i64, articles: &[i64]) -> Result<(), sqlx::Error> {
            for (position, article) in articles.iter().take(MAX_READ_NEXT).enumerate() {
                sqlx::query(
                    "INSERT INTO revision_read_next (revision_id, position, article_id)
                     VALUES ($1, $2, $3)",
                )
                .bind(revision_id)
                .bind(position as i64)
                .bind(article)
                .execute(&mut *self)
                .await?;
            }
            Ok(())
        }

        async fn suggesting(&mut self, id: i64, limit: i64) -> Result<Vec<String>, sqlx::Error> {
            sqlx::query_scalar(
                "SELECT DISTINCT a.slug FROM articles a
                 JOIN revision_read_next rn ON rn.revision_id = a.published_revision_id
                 WHERE rn.article_id = $1 AND a.status = 'published' AND a.id <> $1
                 LIMIT $2",
            )
            .bind(id)
            .bind(limit)
            .fetch_all(&mut *self)
            .await
        }

        async fn read_revision_read_next(&mut self) -> Result<Vec<(i64, i64)>, sqlx::Error> {
            sqlx::query_as(
                "SELECT revision_id, article_id FROM revision_read_next
                 ORDER BY revision_id, position",
            )
            .fetch_all(&mut *self)
            .await
        }
    }
}

impl Db {
    /// The addresses of the articles revision `revision_id` suggests, in order (their
    /// addresses now: the editor shows them so).
    pub async fn revision_read_next(&self, revision_id: i64) -> Result<Vec<String>, sqlx::Error> {
        on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT a.slug FROM revision_read_next rn JOIN articles a ON a.id = rn.article_id
             WHERE rn.revision_id = $1 ORDER BY rn.position"
        )
        .bind(revision_id)
        .fetch_all(pool)
        .await)
    }

    /// The articles the editor offers for "Read next", by title (at most `MAX_OFFERED`).
    pub async fn article_addresses(&self) -> Result<Vec<ArticleAddress>, sqlx::Error> {
        let rows: Vec<(String, String)> = on_pool!(self, |pool| {
            sqlx::query_as(
            "SELECT a.slug, r.title FROM articles a JOIN revisions r ON r.id = a.head_revision_id
             ORDER BY LOWER(r.title), a.id LIMIT $1"
        )
        .bind(MAX_OFFERED as i64)
        .fetch_all(pool)
        .await
        })?;
        Ok(rows
            .into_iter()
            .map(|(slug, title)| ArticleAddress { slug, title })
            .collect())
    }
}
