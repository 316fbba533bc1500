//! The database: connecting, migrating, and (in one file per area) every query the application
//! makes. SQL lives here and nowhere else.

mod access;
mod articles;
mod editing;
mod staff;

pub use access::{AuditRecord, StoredSession};
pub use editing::{ReviewError, SaveError, admin_time};
pub use staff::{AddStaffError, NewStaff};

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// A handle to the database, cheap to clone (a connection pool inside).
#[derive(Clone, Debug)]
pub struct Db {
    pool: SqlitePool,
}

/// Why the database could not be opened or prepared, in words an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL `{url}` is not a database URL this version supports: use sqlite://PATH")]
    UnsupportedUrl { url: String },
    #[error("DATABASE_URL `{url}` is not a valid SQLite URL (sqlite://PATH): {source}")]
    BadUrl { url: String, source: sqlx::Error },
    #[error("cannot create the database folder {folder}: {source} (check that it is writable)")]
    Folder {
        folder: String,
        source: std::io::Error,
    },
    #[error("cannot open the database at {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("cannot apply the database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Marks the public content as changed (see `Db::content_version`), inside the transaction or on
/// the connection that made the change.
pub(crate) async fn bump_content_version<'e, E>(executor: E) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    sqlx::query(
        "INSERT INTO app_meta (key, value) VALUES ('content_version', '1')
         ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
    )
    .execute(executor)
    .await?;
    Ok(())
}

impl Db {
    /// Opens (creating if missing) the SQLite database at `url`, in WAL mode with foreign keys on.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        if !url.starts_with("sqlite:") {
            return Err(DbError::UnsupportedUrl {
                url: url.to_owned(),
            });
        }
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|source| DbError::BadUrl {
                url: url.to_owned(),
                source,
            })?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        if let Some(folder) = options
            .get_filename()
            .parent()
            .filter(|f| !f.as_os_str().is_empty())
        {
            std::fs::create_dir_all(folder).map_err(|source| DbError::Folder {
                folder: folder.display().to_string(),
                source,
            })?;
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(|source| DbError::Open {
                url: url.to_owned(),
                source,
            })?;
        Ok(Db { pool })
    }

    /// Applies the embedded migrations that have not run yet.
    pub async fn migrate(&self) -> Result<(), DbError> {
        sqlx::migrate!("migrations/sqlite").run(&self.pool).await?;
        Ok(())
    }

    /// Whether the database answers a trivial query (for `/readyz`).
    pub async fn is_reachable(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    /// The public content's version: it changes whenever what patients may read changes
    /// (publish, unpublish, a save, an import), so cached pages rendered at another version are
    /// stale.
    pub async fn content_version(&self) -> Result<i64, sqlx::Error> {
        let version: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(value AS INTEGER) FROM app_meta WHERE key = 'content_version'",
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(version.unwrap_or(0))
    }

    /// Writes a consistent copy of the whole database to the new file `path` (`VACUUM INTO`),
    /// without stopping readers or writers.
    pub async fn copy_to(&self, path: &str) -> Result<(), sqlx::Error> {
        sqlx::query("VACUUM INTO ?")
            .bind(path)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// SQLite's own consistency check: "ok", or what is wrong.
    pub async fn integrity_check(&self) -> Result<String, sqlx::Error> {
        let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.join("; "))
    }

    /// Closes every connection; called once at shutdown.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
