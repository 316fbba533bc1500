//! The glossary's terms. Every change bumps the content version (every article page may link a
//! term, and `/glossary` lists them all) in the same transaction; that bump comes first, so it
//! also takes the lock that makes the cap and the anchor check one step with the write, on both
//! backends.

use super::version::WriteTx;
use super::{BeginWrite, Changes, Db, for_each_backend, on_pool};
use crate::content::glossary::{GlossaryTerm, MAX_TERMS, TermDraft, anchor_for};
use chrono::Utc;
use sqlx::FromRow;

#[derive(FromRow)]
struct TermRow {
    id: i64,
    term: String,
    anchor: String,
    definition: String,
    also: String,
    version: i64,
}

impl From<TermRow> for GlossaryTerm {
    fn from(row: TermRow) -> GlossaryTerm {
        GlossaryTerm {
            id: row.id,
            term: row.term,
            anchor: row.anchor,
            definition: row.definition,
            also: row.also.lines().map(str::to_owned).collect(),
            version: row.version,
        }
    }
}

/// Why a glossary change was not made.
pub type GlossaryError = super::entries::EntryError<GlossaryTerm>;

const COLUMNS: &str = "id, term, anchor, definition, also, version";

/// Binds a term's columns as `$1`..`$6` (term, anchor, definition, other forms, when, by whom):
/// the order the insert and the update both take them in.
macro_rules! bind_term {
    ($query:expr, $term:expr, $anchor:expr, $draft:expr, $by:expr) => {
        $query
            .bind($term)
            .bind(&$anchor)
            .bind($draft.definition.trim())
            .bind($draft.also_forms().join("\n"))
            .bind(Utc::now())
            .bind($by)
    };
}

/// The glossary's reads inside a change's transaction, the same SQL on both backends.
trait GlossaryTx {
    /// The term, other than term `other_than`, that already has `anchor`, if one does.
    async fn anchor_taken(
        &mut self,
        anchor: &str,
        other_than: i64,
    ) -> Result<Option<String>, sqlx::Error>;
}

for_each_backend! {
    impl GlossaryTx for Conn {
        async fn anchor_taken(
            &mut self,
            anchor: &str,
            other_than: i64,
        ) -> Result<Option<String>, sqlx::Error> {
            sqlx::query_scalar("SELECT term FROM glossary_terms WHERE anchor = $1 AND id <> $2")
                .bind(anchor)
                .bind(other_than)
                .fetch_optional(&mut *self)
                .await
        }
    }
}

impl Db {
    /// Every term, A-Z (at most `MAX_TERMS`).
    pub async fn glossary(&self) -> Result<Vec<GlossaryTerm>, sqlx::Error> {
        let rows: Vec<TermRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM glossary_terms ORDER BY LOWER(term), id LIMIT $1"
        ))
        .bind(MAX_TERMS as i64)
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(GlossaryTerm::from).collect())
    }

    pub async fn glossary_term(&self, id: i64) -> Result<Option<GlossaryTerm>, sqlx::Error> {
        let row: Option<TermRow> = on_pool!(self, |pool| sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM glossary_terms WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(GlossaryTerm::from))
    }

    /// Adds `draft` (already checked) as a term, by staff member `by`; returns its id.
    pub async fn add_glossary_term(
        &self,
        draft: &TermDraft,
        by: i64,
    ) -> Result<i64, GlossaryError> {
        let term = draft.term.trim();
        let anchor = anchor_for(term);
        on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            tx.bump_content_version(&Changes::EveryPage(Vec::new()))
                .await?;
            let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM glossary_terms")
                .fetch_one(&mut *tx)
                .await?;
            if count >= MAX_TERMS as i64 {
                return Err(GlossaryError::Full);
            }
            if let Some(other) = tx.anchor_taken(&anchor, 0).await? {
                return Err(GlossaryError::Taken(other));
            }
            let id: i64 = bind_term!(
                sqlx::query_scalar(
                    "INSERT INTO glossary_terms (term, anchor, definition, also, updated_at, updated_by)
                     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                ),
                term, anchor, draft, by
            )
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Saves `draft` over term `id` if it is still at `base_version`.
    pub async fn save_glossary_term(
        &self,
        id: i64,
        base_version: i64,
        draft: &TermDraft,
        by: i64,
    ) -> Result<(), GlossaryError> {
        let term = draft.term.trim();
        let anchor = anchor_for(term);
        let saved = on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            tx.bump_content_version(&Changes::EveryPage(Vec::new()))
                .await?;
            if let Some(other) = tx.anchor_taken(&anchor, id).await? {
                return Err(GlossaryError::Taken(other));
            }
            let changed = bind_term!(
                sqlx::query(
                    "UPDATE glossary_terms
                     SET term = $1, anchor = $2, definition = $3, also = $4, updated_at = $5,
                         updated_by = $6, version = version + 1
                     WHERE id = $7 AND version = $8",
                ),
                term,
                anchor,
                draft,
                by
            )
            .bind(id)
            .bind(base_version)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 1 {
                tx.commit().await?;
            }
            Ok::<_, GlossaryError>(changed == 1)
        })?;
        if saved {
            Ok(())
        } else {
            Err(self.why_not_term(id).await)
        }
    }

    /// Removes term `id` if it is still at `base_version`; returns the term's text.
    pub async fn remove_glossary_term(
        &self,
        id: i64,
        base_version: i64,
    ) -> Result<String, GlossaryError> {
        let removed: Option<String> = on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await?;
            tx.bump_content_version(&Changes::EveryPage(Vec::new()))
                .await?;
            let removed: Option<String> = sqlx::query_scalar(
                "DELETE FROM glossary_terms WHERE id = $1 AND version = $2 RETURNING term",
            )
            .bind(id)
            .bind(base_version)
            .fetch_optional(&mut *tx)
            .await?;
            if removed.is_some() {
                tx.commit().await?;
            }
            Ok::<_, sqlx::Error>(removed)
        })?;
        match removed {
            Some(term) => Ok(term),
            None => Err(self.why_not_term(id).await),
        }
    }

    async fn why_not_term(&self, id: i64) -> GlossaryError {
        GlossaryError::not_at_version(self.glossary_term(id).await)
    }
}
