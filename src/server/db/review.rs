//! Every review transition: submission, a request for changes, approval and publishing, and
//! unpublishing. A writer submits the newest revision; a reviewer who wrote none of the changes
//! since the last approved version approves and publishes it, or sends it back with a note.
//! The public address (slug) changes only here, when a revision that names a new slug is
//! published, and the old address then redirects to the new one for good.

use super::WriteTx;
use super::governance::ApprovalTx;
use super::topics::TopicTx;
use super::{BeginWrite, Db, for_each_backend, on_pool};
use crate::content::Author;
use crate::content::editing::months_after;
use crate::content::review::Approval;
use chrono::{NaiveDate, Utc};

/// Why a review step (submit, publish, unpublish) did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("there is no article {0}")]
    NotFound(i64),
    #[error("the article changed since you opened it")]
    Stale,
    #[error("the newest version has not been submitted for review")]
    NotSubmitted,
    #[error("you submitted this version yourself: another reviewer must approve it")]
    OwnSubmission,
    /// The reviewer wrote some of what has changed since the last approved version: a clinical
    /// review is by someone who wrote none of it.
    #[error(
        "you wrote some of the changes since the last approved version: another reviewer must approve them"
    )]
    OwnChanges,
    /// A reviewer's request for changes on the article is still open: it is resolved (marked so
    /// by a reviewer who has read the new text) before the article is published.
    #[error("a request for changes is still open")]
    OpenNotes,
    /// The slug this version gives the article is now another article's (or its old address).
    #[error("another article already uses the slug `{0}`")]
    SlugTaken(String),
    #[error("the article is not published")]
    NotPublished,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl Db {
    /// Marks revision `head` of article `id` as waiting for clinical review by someone other
    /// than `staff_id`.
    pub async fn submit_for_review(
        &self,
        id: i64,
        head: i64,
        staff_id: i64,
    ) -> Result<(), ReviewError> {
        let done = on_pool!(self, |pool| {
            sqlx::query(
            "UPDATE articles
             SET submitted_revision_id = head_revision_id, submitted_by = $1,
                 status = CASE WHEN status = 'draft' OR status = 'archived' AND published_revision_id IS NULL
                               THEN 'in_review' ELSE status END
             WHERE id = $2 AND head_revision_id = $3",
        )
        .bind(staff_id)
        .bind(id)
        .bind(head)
        .execute(pool)
        .await
        .map(|done| done.rows_affected())
        })?;
        if done == 1 {
            Ok(())
        } else {
            Err(self.why_not(id).await)
        }
    }

    /// Approves and publishes revision `head` of article `id`: it must be the submitted one,
    /// `reviewer` must be neither who submitted it nor who wrote any revision since the last
    /// approved one, and no request for changes may be open on it (all checked again inside the
    /// publishing statement, so no save or request can slip in). The
    /// article moves to the slug of the published revision; its old address redirects there. Patients see it from the next request; the
    /// article records the reviewer, today as its review date and the next review due.
    pub async fn approve_and_publish(
        &self,
        id: i64,
        head: i64,
        reviewer: (i64, &Author),
        today: NaiveDate,
        approval: &Approval,
    ) -> Result<(), ReviewError> {
        let next_review_due = months_after(today, approval.interval_months);
        let (reviewer_id, reviewer) = reviewer;
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let before: Option<i64> = sqlx::query_scalar(
                "SELECT published_revision_id FROM articles WHERE id = $1 AND status = 'published'",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .flatten();
            let statement = format!(
                "UPDATE articles
             SET status = 'published', published_revision_id = head_revision_id,
                 published_at = COALESCE(published_at, $1), last_reviewed = $2, next_review_due = $3,
                 reviewer_name = $4, reviewer_credentials = $5,
                 submitted_revision_id = NULL, submitted_by = NULL, review_interval_months = $10
             WHERE id = $6 AND head_revision_id = $7 AND submitted_revision_id = $8
               AND {}
               AND NOT EXISTS (SELECT 1 FROM review_notes n
                               WHERE n.article_id = articles.id AND n.resolved_at IS NULL)",
                may_approve("articles", "$9")
            );
            let done = sqlx::query(&statement)
                .bind(Utc::now())
                .bind(today)
                .bind(next_review_due)
                .bind(&reviewer.name)
                .bind(&reviewer.credentials)
                .bind(id)
                .bind(head)
                .bind(head)
                .bind(reviewer_id)
                .bind(i64::from(approval.interval_months))
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if done != 1 {
                // The statement checks every rule at once; say which one failed.
                drop(tx);
                return Err(match self.check_approver(id, head, reviewer_id).await {
                    Ok(()) => ReviewError::Stale,
                    Err(why) => why,
                });
            }
            tx.record_approval(head, reviewer_id, approval).await?;
            let slugs = tx.move_to_published_slug(id).await?;
            let changes = tx.publish_changes(id, before, slugs).await?;
            tx.bump_content_version(&changes).await?;
            tx.commit().await.map_err(ReviewError::from)
        })
    }

    /// Whether `reviewer_id` may approve revision `head` of article `id` as it stands: it is
    /// the newest and the submitted one, and they neither submitted it nor wrote any of it
    /// since the last approved version. (Publishing checks all of this inside its statement
    /// and asks here only to say which rule failed; the editor asks first, so a reviewer who
    /// may not approve hears that before what the review gate would ask of them.)
    pub async fn check_approver(
        &self,
        id: i64,
        head: i64,
        reviewer_id: i64,
    ) -> Result<(), ReviewError> {
        let submitted_by = self.submitted_by(id, head).await?;
        if submitted_by == Some(reviewer_id) {
            return Err(ReviewError::OwnSubmission);
        }
        if self.wrote_changes_since_approval(id, reviewer_id).await? {
            return Err(ReviewError::OwnChanges);
        }
        if !self.review_notes(id, true).await?.is_empty() {
            return Err(ReviewError::OpenNotes);
        }
        Ok(())
    }

    /// Who submitted revision `head` of article `id`, if it is the newest and waits for review;
    /// otherwise why not (no such article, a newer revision, not submitted).
    pub(super) async fn submitted_by(
        &self,
        id: i64,
        head: i64,
    ) -> Result<Option<i64>, ReviewError> {
        let current: Option<(i64, Option<i64>, Option<i64>)> = on_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT head_revision_id, submitted_revision_id, submitted_by FROM articles WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(pool)
            .await
        })?;
        let Some((current_head, submitted, submitted_by)) = current else {
            return Err(ReviewError::NotFound(id));
        };
        if current_head != head {
            return Err(ReviewError::Stale);
        }
        if submitted != Some(head) {
            return Err(ReviewError::NotSubmitted);
        }
        Ok(submitted_by)
    }

    /// Whether `staff_id` saved any revision of article `id` after the last approved one.
    async fn wrote_changes_since_approval(
        &self,
        id: i64,
        staff_id: i64,
    ) -> Result<bool, sqlx::Error> {
        on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM revisions r JOIN articles a ON a.id = r.article_id
                            WHERE a.id = $1 AND r.id > COALESCE(a.published_revision_id, 0)
                              AND r.saved_by = $2)"
        )
        .bind(id)
        .bind(staff_id)
        .fetch_one(pool)
        .await)
    }

    /// Sends the submitted revision `head` of article `id` back to its writers with `note` (and
    /// the passage it is about, `quote`): the article is no longer waiting for review, and the
    /// note stays open until a reviewer resolves it. Answers the note's id.
    pub async fn request_changes(
        &self,
        id: i64,
        head: i64,
        reviewer_id: i64,
        quote: &str,
        note: &str,
    ) -> Result<i64, ReviewError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let sent_back = sqlx::query(
                "UPDATE articles
                 SET submitted_revision_id = NULL, submitted_by = NULL,
                     status = CASE WHEN status = 'in_review' THEN 'draft' ELSE status END
                 WHERE id = $1 AND head_revision_id = $2 AND submitted_revision_id = $2",
            )
            .bind(id)
            .bind(head)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if sent_back != 1 {
                drop(tx);
                return Err(match self.submitted_by(id, head).await {
                    Ok(_) => ReviewError::Stale,
                    Err(why) => why,
                });
            }
            let note_id: i64 = sqlx::query_scalar(
                "INSERT INTO review_notes (article_id, revision_id, quote, note, staff_id, at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(id)
            .bind(head)
            .bind(quote)
            .bind(note)
            .bind(reviewer_id)
            .bind(Utc::now())
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(note_id)
        })
    }

    /// Takes article `id` off the public site; its history stays.
    pub async fn unpublish(&self, id: i64) -> Result<(), ReviewError> {
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            let unpublished: Option<String> = sqlx::query_scalar(
                "UPDATE articles SET status = 'archived' WHERE id = $1 AND status = 'published'
                 RETURNING slug",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(slug) = unpublished {
                let changes = tx.publish_changes(id, None, vec![slug]).await?;
                tx.bump_content_version(&changes).await?;
                tx.commit().await.map_err(ReviewError::from)
            } else {
                // It exists but is not live, or it does not exist.
                Err(match self.why_not(id).await {
                    ReviewError::Stale => ReviewError::NotPublished,
                    other => other,
                })
            }
        })
    }

    async fn why_not(&self, id: i64) -> ReviewError {
        let exists: Result<bool, _> = on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM articles WHERE id = $1)"
        )
        .bind(id)
        .fetch_one(pool)
        .await);
        match exists {
            Ok(false) => ReviewError::NotFound(id),
            _ => ReviewError::Stale,
        }
    }
}

/// SQL: the reviewer `reviewer` (a placeholder) may approve the article `article` (its table or
/// alias): they did not submit it and wrote none of the revisions since the last approved one.
/// Publishing applies it inside its statement; the reviewer's "Waiting for your review" lists
/// by it, so the list and the rule cannot drift apart.
pub(super) fn may_approve(article: &str, reviewer: &str) -> String {
    format!(
        "{article}.submitted_by IS DISTINCT FROM {reviewer}
         AND NOT EXISTS (SELECT 1 FROM revisions written
                         WHERE written.article_id = {article}.id
                           AND written.id > COALESCE({article}.published_revision_id, 0)
                           AND written.saved_by = {reviewer})"
    )
}

/// The slug move that publishing makes, inside its transaction.
pub(super) trait SlugTx {
    /// Gives article `id` the slug of its (just) published revision. If that differs from the
    /// slug it had and had been published under, the old one becomes a redirect to it. Returns
    /// the slugs whose pages this changes: the one it had, and the new one if it moved.
    async fn move_to_published_slug(&mut self, id: i64) -> Result<Vec<String>, ReviewError>;
}

for_each_backend! {
    impl SlugTx for Conn {
        async fn move_to_published_slug(&mut self, id: i64) -> Result<Vec<String>, ReviewError> {
            let (old, new): (String, Option<String>) = sqlx::query_as(
                "SELECT a.slug, r.slug FROM articles a
                 JOIN revisions r ON r.id = a.published_revision_id WHERE a.id = $1",
            )
            .bind(id)
            .fetch_one(&mut *self)
            .await?;
            let Some(new) = new.filter(|new| *new != old) else {
                return Ok(vec![old]);
            };
            let taken: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM slug_redirects WHERE slug = $1 AND article_id <> $2)",
            )
            .bind(&new)
            .bind(id)
            .fetch_one(&mut *self)
            .await?;
            if taken {
                return Err(ReviewError::SlugTaken(new));
            }
            sqlx::query("DELETE FROM slug_redirects WHERE slug = $1")
                .bind(&new)
                .execute(&mut *self)
                .await?;
            sqlx::query("UPDATE articles SET slug = $1 WHERE id = $2")
                .bind(&new)
                .bind(id)
                .execute(&mut *self)
                .await
                .map_err(|error| match error {
                    sqlx::Error::Database(db) if db.is_unique_violation() => {
                        ReviewError::SlugTaken(new.clone())
                    }
                    other => ReviewError::Database(other),
                })?;
            sqlx::query(
                "INSERT INTO slug_redirects (slug, article_id) VALUES ($1, $2)
                 ON CONFLICT (slug) DO UPDATE SET article_id = excluded.article_id",
            )
            .bind(&old)
            .bind(id)
            .execute(&mut *self)
            .await?;
            Ok(vec![old, new])
        }
    }
}
