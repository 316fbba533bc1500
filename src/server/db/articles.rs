//! Articles, their revisions and references.

use super::topics::TopicTx;
use super::{BeginWrite, Db, on_pool};
use super::{Changes, WriteTx, for_each_backend};
use crate::content::editing::ArticleDraft;
use crate::content::front_matter::ArticleFile;
use crate::content::reading_time::reading_minutes;
use crate::content::{Article, ArticleStatus, ArticleSummary, Author, ClinicalReview, Reference};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

/// A published article as a list shows it (home, a topic, "Read next"): the columns
/// `SUMMARY_COLUMNS` reads.
#[derive(FromRow)]
pub(super) struct SummaryRow {
    slug: String,
    title: String,
    summary: String,
    body: String,
    last_reviewed: Option<NaiveDate>,
    reviewer_name: Option<String>,
}

/// What a list reads of each article (`a`, its published revision `r`) for `SummaryRow`.
pub(super) const SUMMARY_COLUMNS: &str =
    "a.slug, r.title, r.summary, r.body, a.last_reviewed, a.reviewer_name";

impl From<SummaryRow> for ArticleSummary {
    fn from(row: SummaryRow) -> ArticleSummary {
        ArticleSummary {
            reading_minutes: reading_minutes(&row.body),
            slug: row.slug,
            title: row.title,
            summary: row.summary,
            last_reviewed: row.last_reviewed.filter(|_| row.reviewer_name.is_some()),
        }
    }
}

/// A list's keyset cursor: only the articles (`a`) published before the published article
/// whose slug is bound at `place` (`$2`). A row-value comparison, which both SQLite (its
/// "scrolling window" case) and PostgreSQL read as an index range. Empty without a cursor: two
/// statements, not one with `$2 IS NULL OR …`, a disjunction that made both planners read the
/// index from its start (the deepest page of 10,000 articles 1.4x the first).
pub(super) fn published_before(place: &str, cursor: Option<&str>) -> String {
    match cursor {
        None => String::new(),
        Some(_) => format!(
            "AND (a.published_at, a.id) < (
                 SELECT c.published_at, c.id FROM articles c
                 WHERE c.slug = {place} AND c.status = 'published')"
        ),
    }
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
    last_reviewed: Option<NaiveDate>,
    next_review_due: Option<NaiveDate>,
    reviewer_name: Option<String>,
    reviewer_credentials: Option<String>,
}

impl Db {
    /// Published articles, most recently published first: the first `limit` of them, or with
    /// `before`, the first `limit` published before the published article at that slug (none
    /// when no published article has it). One range read of the `articles_published` index
    /// however deep the page: the row-value comparison is what both SQLite (its "scrolling
    /// window" case) and PostgreSQL read as an index range, where OFFSET read and skipped every
    /// row before the page (55-72 ms past page 200 at 10,000 articles).
    pub async fn published_articles(
        &self,
        limit: u32,
        before: Option<&str>,
    ) -> Result<Vec<ArticleSummary>, sqlx::Error> {
        let after = published_before("$2", before);
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}
             FROM articles a JOIN revisions r ON r.id = a.published_revision_id
             WHERE a.status = 'published' {after}
             ORDER BY a.published_at DESC, a.id DESC
             LIMIT $1"
        );
        self.summaries_page(&sql, None, limit, before).await
    }

    /// A page of a list by keyset: `sql` selects `SUMMARY_COLUMNS` behind `published_before`'s
    /// cursor; its placeholders take `leading` (when a list has one, as a topic's id), the
    /// limit, then `before`'s slug when given.
    pub(super) async fn summaries_page(
        &self,
        sql: &str,
        leading: Option<i64>,
        limit: u32,
        before: Option<&str>,
    ) -> Result<Vec<ArticleSummary>, sqlx::Error> {
        let rows: Vec<SummaryRow> = on_pool!(self, |pool| {
            let mut query = sqlx::query_as(sql);
            if let Some(value) = leading {
                query = query.bind(value);
            }
            let query = query.bind(i64::from(limit));
            match before {
                Some(slug) => query.bind(slug),
                None => query,
            }
            .fetch_all(pool)
            .await
        })?;
        Ok(rows.into_iter().map(ArticleSummary::from).collect())
    }

    /// Where a published article that used to be at `slug` is now, if one is: its slug.
    pub async fn redirected_slug(&self, slug: &str) -> Result<Option<String>, sqlx::Error> {
        on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT a.slug FROM slug_redirects s JOIN articles a ON a.id = s.article_id
             WHERE s.slug = $1 AND a.status = 'published'"
        )
        .bind(slug)
        .fetch_optional(pool)
        .await)
    }

    /// The published article at `slug`, as patients see it; `None` if there is none (or it is
    /// not published).
    /// The slugs of the `limit` most recently published articles, newest first.
    pub async fn published_slugs(&self, limit: u32) -> Result<Vec<String>, sqlx::Error> {
        on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT slug FROM articles WHERE status = 'published'
             ORDER BY published_at DESC, id DESC
             LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await)
    }

    pub async fn published_article(&self, slug: &str) -> Result<Option<Article>, sqlx::Error> {
        let row: Option<ArticleRow> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT a.id, r.id AS revision_id, a.slug, r.title, r.summary, r.body,
                    r.author_name, r.author_credentials, a.last_reviewed, a.next_review_due,
                    a.reviewer_name, a.reviewer_credentials
             FROM articles a JOIN revisions r ON r.id = a.published_revision_id
             WHERE a.status = 'published' AND a.slug = $1",
        )
        .bind(slug)
        .fetch_optional(pool)
        .await)?;
        let Some(row) = row else { return Ok(None) };
        let references = self.references(row.revision_id).await?;
        let reviewed_by = row.reviewer_name.map(|name| {
            Author {
                name,
                credentials: row.reviewer_credentials.unwrap_or_default(),
            }
            .byline()
        });
        let review =
            ClinicalReview::from_parts(reviewed_by, row.last_reviewed, row.next_review_due);
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
            review,
        }))
    }

    /// The references of revision `revision_id`, in order.
    pub async fn references(&self, revision_id: i64) -> Result<Vec<Reference>, sqlx::Error> {
        on_pool!(self, |pool| sqlx::query_as(
            "SELECT authors, year, title, journal, volume, issue, pages, doi
             FROM revision_references WHERE revision_id = $1 ORDER BY position",
        )
        .bind(revision_id)
        .fetch_all(pool)
        .await)
    }

    /// Stores `file` as a new article with one revision. With `ArticleStatus::Published` that
    /// revision goes live at once, with the file's review dates. Returns the article's id.
    pub async fn insert_article(
        &self,
        file: &ArticleFile,
        status: ArticleStatus,
    ) -> Result<i64, sqlx::Error> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let id = tx.insert_article(file, status).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Runs `insert_article` for the seed, once per installation: the `key` row in `app_meta`
    /// is written in the same transaction, so a restart (or a second instance starting at the
    /// same moment) never loads it twice. Returns whether it was loaded now.
    pub async fn insert_article_once(
        &self,
        key: &str,
        file: &ArticleFile,
    ) -> Result<bool, sqlx::Error> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let claimed = sqlx::query(
                "INSERT INTO app_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
            )
            .bind(key)
            .bind(Utc::now().to_rfc3339())
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            let slug_taken: bool =
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM articles WHERE slug = $1)")
                    .bind(&file.slug)
                    .fetch_one(&mut *tx)
                    .await?;
            if !claimed || slug_taken {
                tx.rollback().await?;
                return Ok(false);
            }
            tx.insert_article(file, ArticleStatus::Published).await?;
            tx.commit().await?;
            Ok(true)
        })
    }
}

/// Writes to articles that run inside a transaction, the same SQL on both backends.
pub(super) trait ArticleTx {
    /// Stores `draft` as a new revision of article `article_id` (its "Read next" apart: the
    /// caller resolves those addresses, see `ReadNextTx`). Returns the revision's id.
    async fn insert_revision(
        &mut self,
        article_id: i64,
        draft: &ArticleDraft,
        saved_by: Option<i64>,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<i64, sqlx::Error>;

    /// Stores the reference list of revision `revision_id`, in order.
    async fn insert_references(
        &mut self,
        revision_id: i64,
        references: &[Reference],
    ) -> Result<(), sqlx::Error>;

    /// Stores `file` as a new article with one revision (see `Db::insert_article`).
    async fn insert_article(
        &mut self,
        file: &ArticleFile,
        status: ArticleStatus,
    ) -> Result<i64, sqlx::Error>;
}

for_each_backend! {
    impl ArticleTx for Conn {
        async fn insert_revision(
            &mut self,
            article_id: i64,
            draft: &ArticleDraft,
            saved_by: Option<i64>,
            note: &str,
            now: DateTime<Utc>,
        ) -> Result<i64, sqlx::Error> {
            let revision_id: i64 = sqlx::query_scalar(
                "INSERT INTO revisions (article_id, title, summary, body, author_name, author_credentials, note, created_at, saved_by, slug)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(article_id)
            .bind(draft.title.trim())
            .bind(draft.summary.trim())
            .bind(&draft.body)
            .bind(draft.author.name.trim())
            .bind(draft.author.credentials.trim())
            .bind(note)
            .bind(now)
            .bind(saved_by)
            .bind(&draft.slug)
            .fetch_one(&mut *self)
            .await?;
            self.insert_references(revision_id, &draft.references).await?;
            self.insert_revision_topics(revision_id, &draft.topics).await?;
            Ok(revision_id)
        }

        async fn insert_references(
            &mut self,
            revision_id: i64,
            references: &[Reference],
        ) -> Result<(), sqlx::Error> {
            for (position, reference) in references.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO revision_references
                       (revision_id, position, authors, year, title, journal, volume, issue, pages, doi)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
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
                .execute(&mut *self)
                .await?;
            }
            Ok(())
        }

        async fn insert_article(
            &mut self,
            file: &ArticleFile,
            status: ArticleStatus,
        ) -> Result<i64, sqlx::Error> {
            let now = Utc::now();
            let article_id: i64 = sqlx::query_scalar(
                "INSERT INTO articles (slug, status, created_at) VALUES ($1, 'draft', $2) RETURNING id",
            )
            .bind(&file.slug)
            .bind(now)
            .fetch_one(&mut *self)
            .await?;
            let draft = ArticleDraft {
                title: file.title.clone(),
                slug: file.slug.clone(),
                summary: file.summary.clone(),
                body: file.body.clone(),
                author: file.author.clone(),
                references: file.references.clone(),
                topics: self.topic_ids(&file.topics).await?,
                read_next: Vec::new(),
            };
            let revision_id = self.insert_revision(article_id, &draft, None, "Imported", now).await?;
            sqlx::query("UPDATE articles SET head_revision_id = $1 WHERE id = $2")
                .bind(revision_id)
                .bind(article_id)
                .execute(&mut *self)
                .await?;
            if status == ArticleStatus::Published {
                sqlx::query(
                    // Published, but not clinically reviewed: only a reviewer's approval gives
                    // an article review dates.
                    "UPDATE articles SET status = 'published', published_revision_id = $1, published_at = $2
                     WHERE id = $3",
                )
                .bind(revision_id)
                .bind(now)
                .bind(article_id)
                .execute(&mut *self)
                .await?;
                self.bump_content_version(&Changes::Everything).await?;
            } else {
                // Not on the public site: no public page changes.
                sqlx::query("UPDATE articles SET status = $1 WHERE id = $2")
                    .bind(status.as_str())
                    .bind(article_id)
                    .execute(&mut *self)
                    .await?;
            }
            Ok(article_id)
        }
    }
}
