//! The search synonyms in an export, read and written inside the export's or the import's
//! transaction. An import that carries them replaces the list the new database was made with
//! (its migration seeds one); an export made before they existed carries none, and the seeded
//! list stays.

use super::micros;
use crate::server::db::for_each_backend;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::FromRow;

/// The synonym list as exported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, FromRow)]
pub struct SynonymsRecord {
    /// A group a line, entries separated by commas (as stored).
    pub list: String,
    pub version: i64,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Option<i64>,
}

pub(super) trait SynonymsTransfer {
    async fn read_synonyms(&mut self) -> Result<Option<SynonymsRecord>, sqlx::Error>;

    /// Replaces the list with `synonyms`.
    async fn write_synonyms(&mut self, synonyms: &SynonymsRecord) -> Result<(), sqlx::Error>;
}

for_each_backend! {
    impl SynonymsTransfer for Conn {
        async fn read_synonyms(&mut self) -> Result<Option<SynonymsRecord>, sqlx::Error> {
            let record: Option<SynonymsRecord> = sqlx::query_as(
                "SELECT list, version, updated_at, updated_by FROM search_synonyms WHERE id = 1",
            )
            .fetch_optional(&mut *self)
            .await?;
            Ok(record.map(|record| SynonymsRecord {
                updated_at: micros(record.updated_at),
                ..record
            }))
        }

        async fn write_synonyms(&mut self, synonyms: &SynonymsRecord) -> Result<(), sqlx::Error> {
            sqlx::query(
                "INSERT INTO search_synonyms (id, list, version, updated_at, updated_by)
                 VALUES (1, $1, $2, $3, $4)
                 ON CONFLICT (id) DO UPDATE SET list = $1, version = $2, updated_at = $3,
                     updated_by = $4",
            )
            .bind(&synonyms.list)
            .bind(synonyms.version)
            .bind(synonyms.updated_at)
            .bind(synonyms.updated_by)
            .execute(&mut *self)
            .await?;
            Ok(())
        }
    }
}
