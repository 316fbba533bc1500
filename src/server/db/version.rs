//! The public content's version: a number in `app_meta` that every change to what patients may
//! read bumps in its own transaction (publish, unpublish, a save, an import), and that every
//! public request reads (see `page_cache`). A read must see every change committed before the
//! request arrived, by any instance, so it is always a real read; what differs per backend is
//! how cheap it is:
//!
//! - SQLite file: a second, read-only connection used on the request's own thread, a few
//!   microseconds instead of a round trip to the thread sqlx runs each connection on.
//! - PostgreSQL (and SQLite in memory): through the pool, shared by the requests waiting at the
//!   same moment (see `SharedReads`).

use super::{Db, for_each_backend, on_pool};
use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const CONTENT_VERSION_SQL: &str =
    "SELECT CAST(value AS BIGINT) FROM app_meta WHERE key = 'content_version'";

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

    pub(super) fn shared() -> VersionReads {
        VersionReads::Shared(Arc::default())
    }
}

/// SQLite: a read-only connection of its own (rusqlite, on the same libsqlite3 as sqlx).
#[derive(Clone)]
pub(super) struct InThreadReader(Arc<Mutex<rusqlite::Connection>>);

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
        Ok(InThreadReader(Arc::new(Mutex::new(connection))))
    }

    fn read(&self) -> Result<Option<i64>, sqlx::Error> {
        use rusqlite::OptionalExtension;
        let connection = self
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        connection
            .prepare_cached(CONTENT_VERSION_SQL)
            .and_then(|mut statement| statement.query_row([], |row| row.get(0)).optional())
            .map_err(|error| sqlx::Error::Protocol(format!("reading the content version: {error}")))
    }
}

/// Reads through the pool, shared by the requests waiting for one: a request may use a read
/// that *started after it arrived* (so it sees every change committed before it arrived, exactly
/// as if it had read the version itself), and reads run one at a time. Under load one read
/// answers every request that arrived while the previous one ran.
#[derive(Debug, Default)]
pub(super) struct SharedReads {
    /// How many reads have started.
    started: AtomicU64,
    /// One read at a time.
    turn: tokio::sync::Mutex<()>,
    /// The latest finished read: its start number and the version it read.
    latest: Mutex<Option<(u64, i64)>>,
}

impl Db {
    /// The public content's version (0 before anything was published): it changes whenever what
    /// patients may read changes, so cached pages rendered at another version are stale.
    pub async fn content_version(&self) -> Result<i64, sqlx::Error> {
        let shared = match &self.versions {
            VersionReads::InThread(reader) => return Ok(reader.read()?.unwrap_or(0)),
            VersionReads::Shared(shared) => shared,
        };
        let arrived_after = shared.started.load(SeqCst);
        let _turn = shared.turn.lock().await;
        let latest = *shared
            .latest
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((number, version)) = latest
            && number > arrived_after
        {
            return Ok(version);
        }
        let number = shared.started.fetch_add(1, SeqCst) + 1;
        let version: Option<i64> = on_pool!(self, |pool| sqlx::query_scalar(CONTENT_VERSION_SQL)
            .fetch_optional(pool)
            .await)?;
        let version = version.unwrap_or(0);
        *shared
            .latest
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Some((number, version));
        Ok(version)
    }
}

/// Writes that run inside a transaction, the same SQL on both backends (see `for_each_backend!`).
pub(super) trait WriteTx {
    /// Marks the public content as changed (see `Db::content_version`).
    async fn bump_content_version(&mut self) -> Result<(), sqlx::Error>;
}

for_each_backend! {
    impl WriteTx for Conn {
        async fn bump_content_version(&mut self) -> Result<(), sqlx::Error> {
            sqlx::query(
                "INSERT INTO app_meta (key, value) VALUES ('content_version', '1')
                 ON CONFLICT (key) DO UPDATE
                 SET value = CAST(CAST(app_meta.value AS BIGINT) + 1 AS TEXT)",
            )
            .execute(self)
            .await?;
            Ok(())
        }
    }
}
