//! Opening a transaction that will write.

use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

/// `pool.begin_write()`: a transaction for work that writes, on either backend.
///
/// SQLite's plain `BEGIN` is deferred: the transaction starts as a reader and asks for the write
/// lock at its first write. When another connection holds that lock or has committed since the
/// read, SQLite cannot let a reader wait for it (two such readers would deadlock), so it answers
/// "database is locked" at once, whatever the busy timeout. Our writes read first (a check, then
/// the change), so on SQLite they take the lock up front with `BEGIN IMMEDIATE` and wait their
/// turn under the busy timeout instead. CI caught the deferred kind failing a publish that came
/// just after a refused one whose rollback was still under way. PostgreSQL locks rows, not the
/// database, so its plain `BEGIN` stays.
pub(crate) trait BeginWrite {
    type Database: sqlx::Database;
    async fn begin_write(&self) -> Result<Transaction<'static, Self::Database>, sqlx::Error>;
}

impl BeginWrite for SqlitePool {
    type Database = Sqlite;
    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Database = Postgres;
    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
        self.begin().await
    }
}
