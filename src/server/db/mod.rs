//! The database: connecting, migrating, and (in one file per area) every query the application
//! makes. SQL lives here and nowhere else.

mod access;
mod articles;
mod audit;
mod begin;
mod dashboard;
mod editing;
mod entries;
mod glossary;
mod governance;
mod listing;
mod passkeys;
mod read_next;
mod review;
mod search;
pub mod seed;
mod staff;
mod staff_links;
mod topic_lists;
mod topics;
mod transfer;
mod two_factor;
mod version;
mod wal_index;

pub use access::StoredSession;
pub use audit::{AuditAction, AuditRecord};
pub use editing::SaveError;
pub use entries::EntryError;
pub use glossary::GlossaryError;
pub use listing::ListedArticle;
pub use passkeys::StoredPasskey;
pub use review::ReviewError;
pub use search::{SearchArticle, SynonymsError};
pub use staff::{AddStaffError, NewStaff};
pub use topics::TopicError;
pub use transfer::{
    ArticleRecord, AuditLine, GlossaryRecord, PasskeyRecord, RestoreError, RevisionRecord,
    SecondFactorRecord, Snapshot, StaffRecord, SynonymsRecord, TopicRecord,
};
pub use two_factor::TotpEnrolment;

use begin::BeginWrite;
use version::VersionReads;
use version::WriteTx;
pub use version::{Changes, VERSION_CONNECTION_NAME};

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use std::str::FromStr;
use std::time::Duration;

/// A handle to the database, cheap to clone (a connection pool inside).
#[derive(Clone, Debug)]
pub struct Db {
    pool: Pool,
    /// How the content version is read (see `version`).
    versions: VersionReads,
}

/// The two backends. Every query is one SQL text that means the same on both (`$N`
/// placeholders, standard SQL); `on_pool!` compiles the code around it once for each.
#[derive(Clone, Debug)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Which backend a `Db` uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// `on_pool!(db, |pool| body)` runs `body` with `pool` bound to the database's connection pool,
/// whichever backend it is: the body is compiled once per backend, so it may use anything both
/// pools offer.
macro_rules! on_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match &$db.pool {
            $crate::server::db::Pool::Sqlite($pool) => $body,
            $crate::server::db::Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Defines `$item`s once per backend, with `Conn` the backend's connection type: for code that
/// runs inside a transaction (see `WriteTx`).
macro_rules! for_each_backend {
    ($($item:item)*) => {
        const _: () = {
            #[allow(dead_code)]
            type Conn = sqlx::SqliteConnection;
            $($item)*
        };
        const _: () = {
            #[allow(dead_code)]
            type Conn = sqlx::PgConnection;
            $($item)*
        };
    };
}
pub(crate) use for_each_backend;

/// Why the database could not be opened or prepared, in words an operator can act on.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(
        "DATABASE_URL `{url}` is not a database URL: use sqlite://PATH (one machine) or postgres://USER@HOST/DATABASE (several instances)"
    )]
    UnsupportedUrl { url: String },
    #[error("DATABASE_URL `{url}` is not a valid database URL: {source}")]
    BadUrl { url: String, source: sqlx::Error },
    #[error("cannot create the database folder {folder}: {source} (check that it is writable)")]
    Folder {
        folder: String,
        source: std::io::Error,
    },
    #[error("cannot open the database at {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error(
        "cannot reach PostgreSQL at {url}: {source} (is the server running, and do the host, port, user and database name match?)"
    )]
    Unreachable { url: String, source: sqlx::Error },
    #[error("cannot apply the database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot read the database: {0}")]
    Query(#[from] sqlx::Error),
}

/// The most connections one instance opens to PostgreSQL.
pub(crate) const POSTGRES_CONNECTIONS: usize = 16;

/// Whether `error` says the connection itself broke (not the query): worth one more try. Besides
/// I/O errors, PostgreSQL's "connection exception" (08…) and "operator intervention" (57P…: a
/// shutdown or restart ended the session).
pub(crate) fn connection_broke(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_) | sqlx::Error::Protocol(_) => true,
        sqlx::Error::Database(database) => database
            .code()
            .is_some_and(|code| code.starts_with("08") || code.starts_with("57P")),
        _ => false,
    }
}

/// A URL without its password, for messages and logs.
pub fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _password)) => {
                    format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..])
                }
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl Db {
    /// Opens the database at `url`: `sqlite://PATH` (created if missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        if url.starts_with("sqlite:") {
            Self::connect_sqlite(url).await
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Self::connect_postgres(url).await
        } else {
            Err(DbError::UnsupportedUrl { url: redacted(url) })
        }
    }

    /// SQLite in WAL mode with foreign keys on.
    async fn connect_sqlite(url: &str) -> Result<Db, DbError> {
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
            .connect_with(options.clone())
            .await
            .map_err(|source| DbError::Open {
                url: url.to_owned(),
                source,
            })?;
        Ok(Db {
            pool: Pool::Sqlite(pool),
            versions: VersionReads::for_sqlite_file(options.get_filename()),
        })
    }

    /// PostgreSQL; fails at once (within 5 seconds) when the server cannot be reached.
    async fn connect_postgres(url: &str) -> Result<Db, DbError> {
        let options = PgConnectOptions::from_str(url).map_err(|source| DbError::BadUrl {
            url: redacted(url),
            source,
        })?;
        // No ping before each use: that round trip doubled every query's wait for PostgreSQL on
        // a busy machine (the editor's p99 fell from 47 to 7 ms without it, bench/RESULTS.md).
        // sqlx still pings a connection when it goes back to the pool, off the request's path,
        // and drops a broken one; a connection that broke meanwhile (a database restart) fails
        // its next query once.
        let pool = PgPoolOptions::new()
            .max_connections(POSTGRES_CONNECTIONS as u32)
            .test_before_acquire(false)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options.clone())
            .await
            .map_err(|source| DbError::Unreachable {
                url: redacted(url),
                source,
            })?;
        Ok(Db {
            pool: Pool::Postgres(pool),
            versions: VersionReads::own_postgres_connection(options),
        })
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies the embedded migrations that have not run yet. On PostgreSQL the migrator holds
    /// an advisory lock, so instances starting together take turns.
    pub async fn migrate(&self) -> Result<(), DbError> {
        match &self.pool {
            Pool::Sqlite(pool) => sqlx::migrate!("migrations/sqlite").run(pool).await?,
            Pool::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// Whether the database answers a trivial query (for `/readyz`).
    pub async fn is_reachable(&self) -> bool {
        on_pool!(self, |pool| sqlx::query("SELECT 1")
            .execute(pool)
            .await
            .is_ok())
    }

    /// The SQLite pool, for what only SQLite has (backups); `None` on PostgreSQL.
    fn sqlite(&self) -> Option<&SqlitePool> {
        match &self.pool {
            Pool::Sqlite(pool) => Some(pool),
            Pool::Postgres(_) => None,
        }
    }

    /// Writes a consistent copy of the whole SQLite database to the new file `path` (`VACUUM
    /// INTO`), without stopping readers or writers. PostgreSQL has `pg_dump` for this.
    pub async fn copy_to(&self, path: &str) -> Result<(), sqlx::Error> {
        let pool = self.sqlite().ok_or(sqlx::Error::Configuration(
            "copying the database is for SQLite; use pg_dump for PostgreSQL".into(),
        ))?;
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(pool)
            .await?;
        Ok(())
    }

    /// SQLite's own consistency check: "ok", or what is wrong.
    pub async fn integrity_check(&self) -> Result<String, sqlx::Error> {
        let pool = self.sqlite().ok_or(sqlx::Error::Configuration(
            "the integrity check is SQLite's".into(),
        ))?;
        let rows: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(pool)
            .await?;
        Ok(rows.join("; "))
    }

    /// Brings the query planner's statistics up to date (`ANALYZE`), after a change of many rows
    /// at once (an import). Until PostgreSQL's autovacuum gets to a table (up to a minute after
    /// the change), the planner still thinks it holds the few rows it had, and chose a sort of
    /// every published article for each page of the home list: 20 ms of the database's CPU per
    /// page instead of 0.1 (bench/RESULTS.md, 2026-12-05 third session).
    pub async fn refresh_statistics(&self) -> Result<(), sqlx::Error> {
        on_pool!(self, |pool| sqlx::query("ANALYZE")
            .execute(pool)
            .await
            .map(drop))
    }

    /// Closes every connection; called once at shutdown.
    pub async fn close(&self) {
        on_pool!(self, |pool| pool.close().await);
    }
}
