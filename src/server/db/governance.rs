//! What clinical review keeps beside a revision: requests for changes (review notes, written by
//! `request_changes` in `review.rs`, resolved here), acknowledgements of warnings published with,
//! and the references a reviewer checked. The last two are written by `approve_and_publish`,
//! inside its transaction (through `ApprovalTx`, below).

use super::{Db, for_each_backend, on_pool};
use crate::content::review::{Acknowledgement, Approval, ReviewNote};
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
struct AcknowledgementRow {
    revision_id: i64,
    finding: String,
    reason: String,
    by: String,
    at: DateTime<Utc>,
}

impl Db {
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
