//! The staff side of articles: the editor's reads and saves (with optimistic
//! concurrency: a save names the revision it was based on and fails if that is no longer the
//! newest) and history. Submission, clinical review and publishing are in `review.rs`.

use super::articles::ArticleTx;
use super::read_next::ReadNextTx;
use super::{BeginWrite, Db, on_pool};
use crate::content::editing::{ArticleDraft, EditableArticle, RevisionSummary, WorkflowState};
use crate::content::{ArticleStatus, Author};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::FromRow;

/// Why a save did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Someone saved a newer revision after the one this save was based on.
    #[error("the article changed since revision {base:?}; its newest revision is {current}")]
    Conflict { base: Option<i64>, current: i64 },
    #[error("another article already uses the slug `{0}`")]
    SlugTaken(String),
    #[error("there is no article {0}")]
    NotFound(i64),
    /// "Read next" names an address no article has.
    #[error("no article has the address `{0}`")]
    UnknownReadNext(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

#[derive(FromRow)]
pub(super) struct StateRow {
    status: String,
    head_revision_id: i64,
    published_revision_id: Option<i64>,
    submitted_revision_id: Option<i64>,
}

impl StateRow {
    pub(super) fn state(&self) -> WorkflowState {
        let status = ArticleStatus::from_name(&self.status).unwrap_or(ArticleStatus::Draft);
        WorkflowState {
            status,
            live: status == ArticleStatus::Published,
            unpublished_changes: self.published_revision_id != Some(self.head_revision_id),
            in_review: self.submitted_revision_id == Some(self.head_revision_id),
        }
    }
}

#[derive(FromRow)]
struct EditableRow {
    id: i64,
    slug: String,
    #[sqlx(flatten)]
    state: StateRow,
    title: String,
    summary: String,
    body: String,
    author_name: String,
    author_credentials: String,
    submitted_by: Option<i64>,
    submitted_by_name: Option<String>,
    last_reviewed: Option<NaiveDate>,
    next_review_due: Option<NaiveDate>,
    reviewer_name: Option<String>,
    reviewer_credentials: Option<String>,
}

#[derive(FromRow)]
struct RevisionRow {
    id: i64,
    number: i64,
    created_at: DateTime<Utc>,
    saved_by: String,
    note: String,
    title: String,
    published: bool,
}

pub(super) const STATE_COLUMNS: &str =
    "a.status, a.head_revision_id, a.published_revision_id, a.submitted_revision_id";

impl Db {
    /// The article as the editor opens it: its newest revision.
    pub async fn editable_article(&self, id: i64) -> Result<Option<EditableArticle>, sqlx::Error> {
        let row: Option<EditableRow> = on_pool!(self, |pool| {
            sqlx::query_as(&format!(
            "SELECT a.id, COALESCE(r.slug, a.slug) AS slug, {STATE_COLUMNS}, r.title, r.summary, r.body, r.author_name,
                    r.author_credentials, a.submitted_by, s.name AS submitted_by_name,
                    a.last_reviewed, a.next_review_due, a.reviewer_name, a.reviewer_credentials
             FROM articles a
             JOIN revisions r ON r.id = a.head_revision_id
             LEFT JOIN staff s ON s.id = a.submitted_by
             WHERE a.id = $1"
        ))
        .bind(id)
        .fetch_optional(pool)
        .await
        })?;
        let Some(row) = row else { return Ok(None) };
        let references = self.references(row.state.head_revision_id).await?;
        let topics = self.revision_topics(row.state.head_revision_id).await?;
        let read_next = self.revision_read_next(row.state.head_revision_id).await?;
        let state = row.state.state();
        Ok(Some(EditableArticle {
            id: row.id,
            head_revision_id: row.state.head_revision_id,
            draft: ArticleDraft {
                title: row.title,
                slug: row.slug,
                summary: row.summary,
                body: row.body,
                author: Author {
                    name: row.author_name,
                    credentials: row.author_credentials,
                },
                references,
                topics,
                read_next,
            },
            submitted_by: state
                .in_review
                .then_some(row.submitted_by.zip(row.submitted_by_name))
                .flatten(),
            state,
            last_reviewed: row.last_reviewed,
            next_review_due: row.next_review_due,
            reviewer: row.reviewer_name.map(|name| {
                Author {
                    name,
                    credentials: row.reviewer_credentials.unwrap_or_default(),
                }
                .byline()
            }),
        }))
    }

    /// Creates an article as a draft with `draft` as its first revision, saved by `saved_by`
    /// with `note`. Returns its id and the revision's.
    pub async fn create_article(
        &self,
        draft: &ArticleDraft,
        saved_by: i64,
        note: &str,
    ) -> Result<(i64, i64), SaveError> {
        let now = Utc::now();
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let read_next = match tx.articles_at(&draft.read_next).await? {
                Ok(articles) => articles,
                Err(slug) => {
                    tx.rollback().await?;
                    return Err(SaveError::UnknownReadNext(slug));
                }
            };
            let article_id: i64 = sqlx::query_scalar(
                "INSERT INTO articles (slug, status, created_at) VALUES ($1, 'draft', $2) RETURNING id",
            )
            .bind(&draft.slug)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(|error| slug_error(error, &draft.slug))?;
            let redirected: bool =
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM slug_redirects WHERE slug = $1)")
                    .bind(&draft.slug)
                    .fetch_one(&mut *tx)
                    .await?;
            if redirected {
                tx.rollback().await?;
                return Err(SaveError::SlugTaken(draft.slug.clone()));
            }
            let revision_id = tx
                .insert_revision(article_id, draft, Some(saved_by), note, now)
                .await?;
            tx.insert_read_next(revision_id, &read_next).await?;
            sqlx::query("UPDATE articles SET head_revision_id = $1 WHERE id = $2")
                .bind(revision_id)
                .bind(article_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok((article_id, revision_id))
        })
    }

    /// Saves `draft` as the newest revision of article `id`, but only if `base` (the revision
    /// the editor opened) is still the newest: otherwise nothing is written and the answer is
    /// `SaveError::Conflict`. A save withdraws a pending review request (the reviewer must see
    /// what will go live). Returns the new revision's id.
    pub async fn save_revision(
        &self,
        id: i64,
        base: i64,
        draft: &ArticleDraft,
        saved_by: i64,
        note: &str,
    ) -> Result<i64, SaveError> {
        let now = Utc::now();
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let read_next = match tx.articles_at(&draft.read_next).await? {
                Ok(articles) => articles,
                Err(slug) => {
                    tx.rollback().await?;
                    return Err(SaveError::UnknownReadNext(slug));
                }
            };
            let revision_id = tx
                .insert_revision(id, draft, Some(saved_by), note, now)
                .await
                .map_err(|error| match error {
                    sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                        SaveError::NotFound(id)
                    }
                    other => SaveError::Database(other),
                })?;
            tx.insert_read_next(revision_id, &read_next).await?;
            // The slug must be free: no other article's address, now or before (its redirects).
            let taken: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM articles WHERE slug = $1 AND id <> $2)
                     OR EXISTS (SELECT 1 FROM slug_redirects WHERE slug = $1 AND article_id <> $2)",
            )
            .bind(&draft.slug)
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            if taken {
                tx.rollback().await?;
                return Err(SaveError::SlugTaken(draft.slug.clone()));
            }
            // A never-published article's address follows its drafts; a published one keeps the
            // address patients know until a reviewer publishes the new slug.
            let moved = sqlx::query(
                "UPDATE articles
             SET head_revision_id = $1,
                 slug = CASE WHEN published_revision_id IS NULL THEN $2 ELSE slug END,
                 submitted_revision_id = NULL, submitted_by = NULL,
                 status = CASE WHEN status = 'in_review' THEN 'draft' ELSE status END
             WHERE id = $3 AND head_revision_id = $4",
            )
            .bind(revision_id)
            .bind(&draft.slug)
            .bind(id)
            .bind(base)
            .execute(&mut *tx)
            .await
            .map_err(|error| slug_error(error, &draft.slug))?
            .rows_affected();
            if moved == 0 {
                let current: Option<i64> =
                    sqlx::query_scalar("SELECT head_revision_id FROM articles WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                tx.rollback().await?;
                return Err(match current {
                    Some(current) => SaveError::Conflict {
                        base: Some(base),
                        current,
                    },
                    None => SaveError::NotFound(id),
                });
            }
            // What patients see does not change (they read the published revision, at the
            // address it was published under), so the content version stays: no stored page is
            // dropped and none is rendered again.
            tx.commit().await?;
            Ok(revision_id)
        })
    }

    /// Every revision of article `id`, newest first.
    pub async fn revisions(&self, id: i64) -> Result<Vec<RevisionSummary>, sqlx::Error> {
        let rows: Vec<RevisionRow> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT r.id, ROW_NUMBER() OVER (ORDER BY r.id) AS number, r.created_at,
                    COALESCE(s.name, r.author_name) AS saved_by, r.note,
                    r.title, r.id = a.published_revision_id AND a.status = 'published' AS published
             FROM revisions r
             JOIN articles a ON a.id = r.article_id
             LEFT JOIN staff s ON s.id = r.saved_by
             WHERE r.article_id = $1
             ORDER BY r.id DESC",
        )
        .bind(id)
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|row| RevisionSummary {
                id: row.id,
                number: row.number,
                created_at: row.created_at,
                saved_by: row.saved_by,
                note: row.note,
                title: row.title,
                published: row.published,
            })
            .collect())
    }

    /// Revision `revision_id` of article `article_id`, as a draft (the slug is the article's).
    pub async fn revision_draft(
        &self,
        article_id: i64,
        revision_id: i64,
    ) -> Result<Option<ArticleDraft>, sqlx::Error> {
        let row: Option<(String, String, String, String, String, String)> = on_pool!(
            self,
            |pool| {
                sqlx::query_as(
                "SELECT COALESCE(r.slug, a.slug), r.title, r.summary, r.body, r.author_name, r.author_credentials
             FROM revisions r JOIN articles a ON a.id = r.article_id
             WHERE r.id = $1 AND r.article_id = $2",
            )
            .bind(revision_id)
            .bind(article_id)
            .fetch_optional(pool)
            .await
            }
        )?;
        let Some((slug, title, summary, body, name, credentials)) = row else {
            return Ok(None);
        };
        Ok(Some(ArticleDraft {
            title,
            slug,
            summary,
            body,
            author: Author { name, credentials },
            references: self.references(revision_id).await?,
            topics: self.revision_topics(revision_id).await?,
            read_next: self.revision_read_next(revision_id).await?,
        }))
    }
}

fn slug_error(error: sqlx::Error, slug: &str) -> SaveError {
    match error {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            SaveError::SlugTaken(slug.to_owned())
        }
        other => SaveError::Database(other),
    }
}
