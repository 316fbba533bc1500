//! The public content's version: a number in `app_meta` that every change to what patients may
//! read bumps in its own transaction (a publish, an unpublish, an import of published articles;
//! never a draft save or a submission), recording what it changed (`content_changes`), and that
//! every public request reads (see `page_cache`). A read must see every change committed before
//! the request arrived, by any instance, so it is always a real read; what differs per backend
//! is how cheap it is:
//!
//! - SQLite file: first a look at the WAL-index header (see `wal_index`): unchanged since the
//!   last real read means no commit since, so that read still holds; no lock, no transaction.
//!   Otherwise a second, read-only connection reads on the request's own thread, a few
//!   microseconds instead of a round trip to the thread sqlx runs each connection on.
//! - PostgreSQL: on a connection of its own, one read at a time, shared by the requests waiting
//!   at the same moment (see `SharedReads`). Not through the pool: sqlx pings every pooled
//!   connection as it goes back, a second round trip to PostgreSQL for each read.
//! - SQLite in memory (tests): through the pool, shared the same way.

mod changes;

pub use changes::Changes;
pub(in crate::server::db) use changes::WriteTx;

use super::wal_index::{Header, WalIndex};
use super::{Db, on_pool};
use sqlx::PgConnection;
use sqlx::postgres::PgConnectOptions;
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

const CONTENT_VERSION_SQL: &str =
    "SELECT CAST(value AS BIGINT) FROM app_meta WHERE key = 'content_version'";

/// The `application_name` of the connection that reads the content version on PostgreSQL (as
/// `pg_stat_activity` shows it).
pub const VERSION_CONNECTION_NAME: &str = "plasticity content version";

/// How a `Db` reads the content version.
#[derive(Clone, Debug)]
pub(super) enum VersionReads {
    InThread(InThreadReader),
    Shared(Arc<SharedReads>),
}

impl VersionReads {
    /// The in-thread reader for the SQLite file at `path` when it can be opened, else shared
    /// reads through the pool.
    pub(super) fn for_sqlite_file(path: &std::path::Path) -> VersionReads {
        if path.as_os_str() == ":memory:" || !path.exists() {
            return VersionReads::shared();
        }
        match InThreadReader::open(path) {
            Ok(reader) => VersionReads::InThread(reader),
            Err(error) => {
                tracing::warn!(%error, "no in-thread reader for the content version; using the pool");
                VersionReads::shared()
            }
        }
    }

    /// Shared reads through the pool.
    pub(super) fn shared() -> VersionReads {
        VersionReads::Shared(Arc::default())
    }

    /// Shared reads on a PostgreSQL connection of their own, opened with `options` (and opened
    /// again when it breaks).
    pub(super) fn own_postgres_connection(options: PgConnectOptions) -> VersionReads {
        VersionReads::Shared(Arc::new(SharedReads {
            own: Some(options.application_name(VERSION_CONNECTION_NAME)),
            ..SharedReads::default()
        }))
    }
}

/// SQLite: a read-only connection of its own (rusqlite, on the same libsqlite3 as sqlx), and the
/// WAL-index header that tells whether its last answer still holds.
#[derive(Clone)]
pub(super) struct InThreadReader(Arc<Reader>);

struct Reader {
    path: std::path::PathBuf,
    connection: Mutex<rusqlite::Connection>,
    /// Opened after the first real read (by then the database is in WAL mode and this
    /// process's connections keep its `-shm` file); `None` if it cannot be.
    wal: OnceLock<Option<WalIndex>>,
    /// A header seen just before a real read, and what that read found.
    known: Mutex<Option<(Header, Option<i64>)>>,
    /// How many real reads were made (for tests).
    real_reads: AtomicU64,
}

impl std::fmt::Debug for InThreadReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InThreadReader")
    }
}

impl InThreadReader {
    fn open(path: &std::path::Path) -> Result<InThreadReader, rusqlite::Error> {
        use rusqlite::OpenFlags;
        let connection = rusqlite::Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        connection.busy_timeout(Duration::from_secs(5))?;
        Ok(InThreadReader(Arc::new(Reader {
            path: path.to_owned(),
            connection: Mutex::new(connection),
            wal: OnceLock::new(),
            known: Mutex::new(None),
            real_reads: AtomicU64::new(0),
        })))
    }

    fn read(&self) -> Result<Option<i64>, sqlx::Error> {
        let reader = &*self.0;
        let header = reader
            .wal
            .get()
            .and_then(Option::as_ref)
            .and_then(WalIndex::header);
        if let Some(header) = header
            && let Some((seen, version)) = *lock(&reader.known)
            && seen == header
        {
            return Ok(version);
        }
        // The header was taken before this read, so the pair stays true until the next commit.
        let version = reader.read_database()?;
        match header {
            Some(header) => *lock(&reader.known) = Some((header, version)),
            None => {
                reader.wal.get_or_init(|| WalIndex::open(&reader.path));
            }
        }
        Ok(version)
    }
}

impl Reader {
    fn read_database(&self) -> Result<Option<i64>, sqlx::Error> {
        use rusqlite::OptionalExtension;
        self.real_reads.fetch_add(1, SeqCst);
        lock(&self.connection)
            .prepare_cached(CONTENT_VERSION_SQL)
            .and_then(|mut statement| statement.query_row([], |row| row.get(0)).optional())
            .map_err(|error| sqlx::Error::Protocol(format!("reading the content version: {error}")))
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Reads shared by the requests waiting for one: a request may use a read that *started after
/// it arrived* (so it sees every change committed before it arrived, exactly as if it had read
/// the version itself), and reads run one at a time. Under load one read answers every request
/// that arrived while the previous one ran.
#[derive(Debug, Default)]
pub(super) struct SharedReads {
    /// How many reads have started.
    started: AtomicU64,
    /// PostgreSQL: how to open the reads' own connection; `None`: read through the pool.
    own: Option<PgConnectOptions>,
    /// One read at a time, and the connection it uses (when `own`, and open).
    turn: tokio::sync::Mutex<Option<PgConnection>>,
    /// The latest finished read: its start number and the version it read.
    latest: Mutex<Option<(u64, i64)>>,
}

impl Db {
    /// The content version read on the caller's thread, with no I/O of the runtime's, where it
    /// is read that way (a SQLite file); `None` where it is not (PostgreSQL: a round trip, see
    /// `content_version`).
    pub fn content_version_now(&self) -> Option<Result<i64, sqlx::Error>> {
        match &self.versions {
            VersionReads::InThread(reader) => Some(reader.read().map(|read| read.unwrap_or(0))),
            VersionReads::Shared(_) => None,
        }
    }

    /// The public content's version (0 before anything was published): it changes whenever what
    /// patients may read changes, so cached pages rendered at another version are stale.
    pub async fn content_version(&self) -> Result<i64, sqlx::Error> {
        let shared = match &self.versions {
            VersionReads::InThread(reader) => return Ok(reader.read()?.unwrap_or(0)),
            VersionReads::Shared(shared) => shared,
        };
        let arrived_after = shared.started.load(SeqCst);
        let mut turn = shared.turn.lock().await;
        let latest = *lock(&shared.latest);
        if let Some((number, version)) = latest
            && number > arrived_after
        {
            return Ok(version);
        }
        // A request that goes away halfway (its browser closed the connection) leaves the
        // connection mid-answer; sqlx reads the rest before its next query.
        let number = shared.started.fetch_add(1, SeqCst) + 1;
        let version = match &shared.own {
            Some(options) => shared.read_own(&mut turn, options).await,
            None => None,
        };
        let version = match version {
            Some(version) => version,
            None => self.read_version_pooled().await?,
        };
        *lock(&shared.latest) = Some((number, version));
        Ok(version)
    }

    /// The version read through the pool. Pooled connections are not pinged before use (see
    /// `Db::connect`): one that broke (a database restart ends them all) fails once and is
    /// dropped, and this read, on a patient's path, goes on to the next, at most once per
    /// connection the pool holds.
    async fn read_version_pooled(&self) -> Result<i64, sqlx::Error> {
        let read = || async {
            on_pool!(self, |pool| sqlx::query_scalar(CONTENT_VERSION_SQL)
                .fetch_optional(pool)
                .await)
        };
        let mut tries = super::POSTGRES_CONNECTIONS + 1;
        let version: Option<i64> = loop {
            match read().await {
                Err(error) if tries > 1 && super::connection_broke(&error) => {
                    tries -= 1;
                    tracing::warn!(%error, "a database connection broke; reading the version again");
                }
                other => break other?,
            }
        };
        Ok(version.unwrap_or(0))
    }
}

impl SharedReads {
    /// The version read on the reads' own connection, opened if it is not (again if it broke
    /// since the last read); `None` (logged) when that fails, and the caller reads through the
    /// pool instead.
    async fn read_own(
        &self,
        connection: &mut Option<PgConnection>,
        options: &PgConnectOptions,
    ) -> Option<i64> {
        use sqlx::Connection;
        for _ in 0..2 {
            if connection.is_none() {
                let opened = tokio::time::timeout(
                    Duration::from_secs(5),
                    PgConnection::connect_with(options),
                )
                .await
                .unwrap_or_else(|_| {
                    Err(sqlx::Error::Io(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "no answer from PostgreSQL within 5 seconds",
                    )))
                });
                match opened {
                    Ok(opened) => *connection = Some(opened),
                    Err(error) => {
                        tracing::warn!(%error, "cannot open a connection for the content version; using the pool");
                        return None;
                    }
                }
            }
            let open = connection.as_mut()?;
            match sqlx::query_scalar::<_, i64>(CONTENT_VERSION_SQL)
                .fetch_optional(&mut *open)
                .await
            {
                Ok(version) => return Some(version.unwrap_or(0)),
                Err(error) => {
                    // Whatever went wrong, this connection is not trusted again.
                    *connection = None;
                    tracing::warn!(%error, "the content version's connection failed; opening another");
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn real_reads(db: &Db) -> u64 {
        match &db.versions {
            VersionReads::InThread(reader) => reader.0.real_reads.load(SeqCst),
            VersionReads::Shared(_) => panic!("a SQLite file should be read in-thread"),
        }
    }

    /// A commit by a connection that is not the server's, as another process would make it.
    fn bump_elsewhere(path: &std::path::Path) {
        rusqlite::Connection::open(path)
            .unwrap()
            .execute(
                "UPDATE app_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) \
                 WHERE key = 'content_version'",
                [],
            )
            .unwrap();
    }

    #[tokio::test]
    async fn an_unchanged_sqlite_file_is_not_read_again_and_every_commit_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plasticity.db");
        let db = Db::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        db.migrate().await.unwrap();
        let mut tx = db.sqlite().unwrap().begin().await.unwrap();
        tx.bump_content_version(&Changes::Everything).await.unwrap();
        tx.commit().await.unwrap();
        let first = db.content_version().await.unwrap();
        assert_eq!(db.content_version().await.unwrap(), first);
        let primed = real_reads(&db);
        for _ in 0..100 {
            assert_eq!(db.content_version().await.unwrap(), first);
        }
        assert_eq!(real_reads(&db), primed, "no commit, no read");
        for step in 1..=20 {
            bump_elsewhere(&path);
            assert_eq!(db.content_version().await.unwrap(), first + step);
        }
        // A commit that leaves the version alone is still a commit: read again, same answer.
        sqlx::query("INSERT INTO app_meta (key, value) VALUES ('unrelated', 'x')")
            .execute(db.sqlite().unwrap())
            .await
            .unwrap();
        let before = real_reads(&db);
        assert_eq!(db.content_version().await.unwrap(), first + 20);
        assert_eq!(real_reads(&db), before + 1);
    }
}
