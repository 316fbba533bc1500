//! `plasticity backup FILE`: a consistent copy of the SQLite database, taken while the server
//! runs (`VACUUM INTO`), then opened and checked with `PRAGMA integrity_check`.

use crate::server::db::{Db, DbError};
use std::path::Path;

/// Why a backup failed, in words an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error(
        "`plasticity backup` copies SQLite databases; for PostgreSQL use pg_dump (see docs/deploy.md), e.g. pg_dump --format=custom --file=plasticity.dump DATABASE"
    )]
    Postgres,
    #[error("{0} already exists: choose a new file name (a backup never overwrites)")]
    Exists(String),
    #[error("cannot write the backup to {file}: {source}")]
    Write { file: String, source: sqlx::Error },
    #[error("the backup at {file} failed its integrity check: {report}")]
    Corrupt { file: String, report: String },
}

/// Copies the database at `url` to `file` and checks the copy. Returns the copy's size in bytes.
pub async fn backup(url: &str, file: &Path) -> Result<u64, BackupError> {
    let name = file.display().to_string();
    if !url.starts_with("sqlite:") {
        return Err(BackupError::Postgres);
    }
    if file.exists() {
        return Err(BackupError::Exists(name));
    }
    let db = Db::connect(url).await?;
    db.migrate().await?;
    db.copy_to(&name)
        .await
        .map_err(|source| BackupError::Write {
            file: name.clone(),
            source,
        })?;
    db.close().await;
    let copy = Db::connect(&format!("sqlite://{name}")).await?;
    let report = copy
        .integrity_check()
        .await
        .map_err(|source| BackupError::Write {
            file: name.clone(),
            source,
        })?;
    copy.close().await;
    if report != "ok" {
        return Err(BackupError::Corrupt { file: name, report });
    }
    Ok(std::fs::metadata(file).map(|meta| meta.len()).unwrap_or(0))
}
