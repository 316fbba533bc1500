//! The glossary in an export: every term as stored, read and written inside the export's or
//! the import's transaction. An import that carries a glossary replaces the one the new
//! database was made with (its migration seeds the seed article's terms); an export made before
//! the glossary existed carries none, and the seeded terms stay.

use super::micros;
use crate::server::db::for_each_backend;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::FromRow;

/// A glossary term as exported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromRow)]
pub struct GlossaryRecord {
    pub id: i64,
    pub term: String,
    pub anchor: String,
    pub definition: String,
    /// Other forms, one per line (as stored).
    pub also: String,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Option<i64>,
}

pub(super) trait GlossaryTransfer {
    async fn read_glossary(&mut self) -> Result<Vec<GlossaryRecord>, sqlx::Error>;

    /// Replaces the glossary with `terms`, ids included.
    async fn write_glossary(&mut self, terms: &[GlossaryRecord]) -> Result<(), sqlx::Error>;
}

for_each_backend! {
    impl GlossaryTransfer for Conn {
        async fn read_glossary(&mut self) -> Result<Vec<GlossaryRecord>, sqlx::Error> {
            let mut terms: Vec<GlossaryRecord> = sqlx::query_as(
                "SELECT id, term, anchor, definition, also, version, updated_at, updated_by
                 FROM glossary_terms ORDER BY id",
            )
            .fetch_all(&mut *self)
            .await?;
            for term in &mut terms {
                term.updated_at = micros(term.updated_at);
            }
            Ok(terms)
        }

        async fn write_glossary(&mut self, terms: &[GlossaryRecord]) -> Result<(), sqlx::Error> {
            sqlx::query("DELETE FROM glossary_terms").execute(&mut *self).await?;
            for term in terms {
                sqlx::query(
                    "INSERT INTO glossary_terms
                        (id, term, anchor, definition, also, version, updated_at, updated_by)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(term.id)
                .bind(&term.term)
                .bind(&term.anchor)
                .bind(&term.definition)
                .bind(&term.also)
                .bind(term.version)
                .bind(term.updated_at)
                .bind(term.updated_by)
                .execute(&mut *self)
                .await?;
            }
            Ok(())
        }
    }
}
