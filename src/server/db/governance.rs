//! What clinical review keeps beside a revision: requests for changes (review notes, written by
//! `request_changes` in `review.rs`, resolved here), acknowledgements of warnings published with,
//! and the references a reviewer checked. The last two are written by `approve_and_publish`,
//! inside its transaction (through `ApprovalTx`, below).

use super::{Db, for_each_backend, on_pool};
use crate::content::review::{Acknowledgement, Approval, ArticleEvent, EventKind, ReviewNote};
use chrono::{DateTime, Utc};
use sqlx::FromRow;

#[derive(FromRow)]
struct NoteRow {
    id: i64,
    revision_id: i64,
    quote: String,
    note: String,
    by: String,
    at: DateTime<Utc>,
    resolved: bool,
}

#[derive(FromRow)]
struct EventRow {
    revision_id: i64,
    kind: String,
    by: String,
    note: String,
    at: DateTime<Utc>,
}

#[derive(FromRow)]
struct AcknowledgementRow {
    revision_id: i64,
    finding: String,
    reason: String,
    by: String,
    at: DateTime<Utc>,
}

impl Db {
    /// Records a step of article `id`'s review (about `revision_id`, by `staff_id`, with `note`),
    /// for its history.
    pub async fn record_event(
        &self,
        id: i64,
        revision_id: i64,
        kind: EventKind,
        staff_id: i64,
        note: &str,
    ) -> Result<(), sqlx::Error> {
        on_pool!(self, |pool| sqlx::query(
            "INSERT INTO article_events (article_id, revision_id, kind, staff_id, note, at)
             VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(id)
        .bind(revision_id)
        .bind(kind.code())
        .bind(staff_id)
        .bind(note)
        .bind(Utc::now())
        .execute(pool)
        .await
        .map(|_| ()))
    }

    /// Article `id`'s review steps, newest first.
    pub async fn article_events(&self, id: i64) -> Result<Vec<ArticleEvent>, sqlx::Error> {
        let rows: Vec<EventRow> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT e.revision_id, e.kind, COALESCE(s.name, '') AS by, e.note, e.at
             FROM article_events e LEFT JOIN staff s ON s.id = e.staff_id
             WHERE e.article_id = $1 ORDER BY e.id DESC"
        )
        .bind(id)
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                Some(ArticleEvent {
                    revision_id: row.revision_id,
                    kind: EventKind::from_code(&row.kind)?,
                    by: row.by,
                    note: row.note,
                    at: row.at,
                })
            })
            .collect())
    }

    /// Article `id`'s review notes, newest first; only the open ones when `open_only`.
    pub async fn review_notes(
        &self,
        id: i64,
        open_only: bool,
    ) -> Result<Vec<ReviewNote>, sqlx::Error> {
        let rows: Vec<NoteRow> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT n.id, n.revision_id, n.quote, n.note, s.name AS by, n.at,
                    n.resolved_at IS NOT NULL AS resolved
             FROM review_notes n JOIN staff s ON s.id = n.staff_id
             WHERE n.article_id = $1 AND (NOT $2 OR n.resolved_at IS NULL)
             ORDER BY n.id DESC",
        )
        .bind(id)
        .bind(open_only)
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|row| ReviewNote {
                id: row.id,
                revision_id: row.revision_id,
                quote: row.quote,
                note: row.note,
                by: row.by,
                at: row.at,
                resolved: row.resolved,
            })
            .collect())
    }

    /// Marks note `note_id` of article `id` resolved by `staff_id`; false if there is no such
    /// open note.
    pub async fn resolve_review_note(
        &self,
        id: i64,
        note_id: i64,
        staff_id: i64,
    ) -> Result<bool, sqlx::Error> {
        let done = on_pool!(self, |pool| sqlx::query(
            "UPDATE review_notes SET resolved_by = $1, resolved_at = $2
             WHERE id = $3 AND article_id = $4 AND resolved_at IS NULL"
        )
        .bind(staff_id)
        .bind(Utc::now())
        .bind(note_id)
        .bind(id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
        Ok(done == 1)
    }

    /// The acknowledgements reviewers gave for warnings on article `id`'s revisions, newest
    /// revision first.
    pub async fn acknowledgements(&self, id: i64) -> Result<Vec<Acknowledgement>, sqlx::Error> {
        let rows: Vec<AcknowledgementRow> = on_pool!(self, |pool| sqlx::query_as(
            "SELECT k.revision_id, k.finding, k.reason, s.name AS by, k.at
             FROM review_acknowledgements k
             JOIN revisions r ON r.id = k.revision_id
             JOIN staff s ON s.id = k.staff_id
             WHERE r.article_id = $1
             ORDER BY k.revision_id DESC, k.finding_key",
        )
        .bind(id)
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(|row| Acknowledgement {
                revision_id: row.revision_id,
                finding: row.finding,
                reason: row.reason,
                by: row.by,
                at: row.at,
            })
            .collect())
    }

    /// The reference positions (from 1) checked at the approval of revision `revision_id`.
    pub async fn checked_references(&self, revision_id: i64) -> Result<Vec<i64>, sqlx::Error> {
        on_pool!(self, |pool| sqlx::query_scalar(
            "SELECT position FROM reference_checks WHERE revision_id = $1 ORDER BY position"
        )
        .bind(revision_id)
        .fetch_all(pool)
        .await)
    }
}

/// An approval's records, written inside the publishing transaction.
pub(super) trait ApprovalTx {
    /// Stores the acknowledgements and reference checks `approval` gives for revision `head`.
    async fn record_approval(
        &mut self,
        head: i64,
        reviewer_id: i64,
        approval: &Approval,
    ) -> Result<(), sqlx::Error>;
}

for_each_backend! {
    impl ApprovalTx for Conn {
        async fn record_approval(
            &mut self,
            head: i64,
            reviewer_id: i64,
            approval: &Approval,
        ) -> Result<(), sqlx::Error> {
            let now = Utc::now();
            for (key, finding, reason) in &approval.acknowledgements {
                sqlx::query(
                    "INSERT INTO review_acknowledgements
                         (revision_id, finding_key, finding, reason, staff_id, at)
                     VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (revision_id, finding_key) DO UPDATE
                     SET finding = excluded.finding, reason = excluded.reason,
                         staff_id = excluded.staff_id, at = excluded.at",
                )
                .bind(head)
                .bind(key)
                .bind(finding)
                .bind(reason)
                .bind(reviewer_id)
                .bind(now)
                .execute(&mut *self)
                .await?;
            }
            for (position, title) in &approval.checked_references {
                sqlx::query(
                    "INSERT INTO reference_checks (revision_id, position, title, staff_id, at)
                     VALUES ($1, $2, $3, $4, $5)
                     ON CONFLICT (revision_id, position) DO UPDATE
                     SET title = excluded.title, staff_id = excluded.staff_id, at = excluded.at",
                )
                .bind(head)
                .bind(position)
                .bind(title)
                .bind(reviewer_id)
                .bind(now)
                .execute(&mut *self)
                .await?;
            }
            Ok(())
        }
    }
}
