//! Articles, their revisions and references.

use super::Db;
use crate::content::front_matter::ArticleFile;
use crate::content::reading_time::reading_minutes;
use crate::content::{Article, ArticleStatus, ArticleSummary, Author, Reference};
use chrono::{NaiveDate, Utc};
use sqlx::{FromRow, Sqlite, Transaction};

#[derive(FromRow)]
struct SummaryRow {
    slug: String,
    title: String,
    summary: String,
    body: String,
    last_reviewed: NaiveDate,
}

#[derive(FromRow)]
struct ArticleRow {
    id: i64,
    revision_id: i64,
    slug: String,
    title: String,
    summary: String,
    body: String,
    author_name: String,
    author_credentials: String,
    last_reviewed: NaiveDate,
    next_review_due: NaiveDate,
}

impl Db {
    /// Published articles, most recently published first: `limit` of them after skipping `offset`.
    pub async fn published_articles(
        &self,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<ArticleSummary>, sqlx::Error> {
        let rows: Vec<SummaryRow> = sqlx::query_as(
            "SELECT a.slug, r.title, r.summary, r.body, a.last_reviewed
             FROM articles a JOIN revisions r ON r.id = a.published_revision_id
             WHERE a.status = 'published'
             ORDER BY a.published_at DESC, a.id DESC
             LIMIT ? OFFSET ?",
        )
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| ArticleSummary {
                reading_minutes: reading_minutes(&row.body),
                slug: row.slug,
                title: row.title,
                summary: row.summary,
                last_reviewed: row.last_reviewed,
            })
            .collect())
    }

    /// The published article at `slug`, as patients see it; `None` if there is none (or it is
    /// not published).
    pub async fn published_article(&self, slug: &str) -> Result<Option<Article>, sqlx::Error> {
        let row: Option<ArticleRow> = sqlx::query_as(
            "SELECT a.id, r.id AS revision_id, a.slug, r.title, r.summary, r.body,
                    r.author_name, r.author_credentials, a.last_reviewed, a.next_review_due
             FROM articles a JOIN revisions r ON r.id = a.published_revision_id
             WHERE a.status = 'published' AND a.slug = ?",
        )
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let references: Vec<Reference> = sqlx::query_as(
            "SELECT authors, year, title, journal, volume, issue, pages, doi
             FROM revision_references WHERE revision_id = ? ORDER BY position",
        )
        .bind(row.revision_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(Some(Article {
            id: row.id,
            slug: row.slug,
            title: row.title,
            summary: row.summary,
            body: row.body,
            author: Author {
                name: row.author_name,
                credentials: row.author_credentials,
            },
            references,
            last_reviewed: row.last_reviewed,
            next_review_due: row.next_review_due,
        }))
    }

    /// Stores `file` as a new article with one revision. With `ArticleStatus::Published` that
    /// revision goes live at once, with the file's review dates. Returns the article's id.
    pub async fn insert_article(
        &self,
        file: &ArticleFile,
        status: ArticleStatus,
    ) -> Result<i64, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let id = insert_article_in(&mut tx, file, status).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Runs `insert_article` for the seed, once per installation: the `key` row in `app_meta`
    /// is written in the same transaction, so a restart (or a second instance starting at the
    /// same moment) never loads it twice. Returns whether it was loaded now.
    pub async fn insert_article_once(
        &self,
        key: &str,
        file: &ArticleFile,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin().await?;
        let claimed = sqlx::query(
            "INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(Utc::now().to_rfc3339())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        let slug_taken: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM articles WHERE slug = ?)")
                .bind(&file.slug)
                .fetch_one(&mut *tx)
                .await?;
        if !claimed || slug_taken {
            tx.rollback().await?;
            return Ok(false);
        }
        insert_article_in(&mut tx, file, ArticleStatus::Published).await?;
        tx.commit().await?;
        Ok(true)
    }
}

async fn insert_article_in(
    tx: &mut Transaction<'_, Sqlite>,
    file: &ArticleFile,
    status: ArticleStatus,
) -> Result<i64, sqlx::Error> {
    let now = Utc::now();
    let article_id: i64 = sqlx::query_scalar(
        "INSERT INTO articles (slug, status, created_at) VALUES (?, 'draft', ?) RETURNING id",
    )
    .bind(&file.slug)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    let revision_id: i64 = sqlx::query_scalar(
        "INSERT INTO revisions (article_id, title, summary, body, author_name, author_credentials, note, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(article_id)
    .bind(&file.title)
    .bind(&file.summary)
    .bind(&file.body)
    .bind(&file.author.name)
    .bind(&file.author.credentials)
    .bind("Imported")
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    for (position, reference) in file.references.iter().enumerate() {
        sqlx::query(
            "INSERT INTO revision_references
               (revision_id, position, authors, year, title, journal, volume, issue, pages, doi)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(revision_id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(&reference.authors)
        .bind(&reference.year)
        .bind(&reference.title)
        .bind(&reference.journal)
        .bind(&reference.volume)
        .bind(&reference.issue)
        .bind(&reference.pages)
        .bind(&reference.doi)
        .execute(&mut **tx)
        .await?;
    }
    if status == ArticleStatus::Published {
        sqlx::query(
            "UPDATE articles SET status = 'published', published_revision_id = ?, published_at = ?,
                    last_reviewed = ?, next_review_due = ?
             WHERE id = ?",
        )
        .bind(revision_id)
        .bind(now)
        .bind(file.last_reviewed)
        .bind(file.next_review_due)
        .bind(article_id)
        .execute(&mut **tx)
        .await?;
    } else {
        sqlx::query("UPDATE articles SET status = ? WHERE id = ?")
            .bind(status.as_str())
            .bind(article_id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(article_id)
}
