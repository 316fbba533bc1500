//! Fresh, migrated databases for tests: SQLite in a temporary folder, PostgreSQL on the
//! server `PLASTICITY_TEST_POSTGRES` names.

use super::*;

/// The PostgreSQL server tests may use (`PLASTICITY_TEST_POSTGRES`, a URL of a database the
/// tests can create others from, e.g. `postgres://postgres@127.0.0.1:5432/postgres`); `None`
/// when it is not set, and the PostgreSQL tests are then skipped (the Makefile says so).
pub fn postgres_admin_url() -> Option<String> {
    std::env::var("PLASTICITY_TEST_POSTGRES")
        .ok()
        .filter(|url| !url.is_empty())
}

/// A fresh, migrated, empty database of one backend, removed when dropped.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    _guard: DbGuard,
}

enum DbGuard {
    Sqlite { _folder: TempDir },
    Postgres { admin_url: String, name: String },
}

impl Drop for DbGuard {
    fn drop(&mut self) {
        if let DbGuard::Postgres { admin_url, name } = self {
            let (admin_url, db_name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime, which cannot be blocked on: use a thread with
            // its own. FORCE ends the connections the test's pool still holds.
            let dropped = std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime")
                    .block_on(async {
                        use sqlx::Connection;
                        let mut conn = sqlx::PgConnection::connect(&admin_url).await?;
                        sqlx::query(&format!("DROP DATABASE IF EXISTS {db_name} WITH (FORCE)"))
                            .execute(&mut conn)
                            .await
                    })
            })
            .join();
            if !matches!(dropped, Ok(Ok(_))) {
                eprintln!("could not drop the test database {name}: {dropped:?}");
            }
        }
    }
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}/plasticity.db", dir.path().display());
        let db = Db::connect(&url).await.expect("connect");
        db.migrate().await.expect("migrate");
        TestDb {
            db,
            url,
            _guard: DbGuard::Sqlite { _folder: dir },
        }
    }

    /// A new, migrated database on the test PostgreSQL server, or `None` (with a note on
    /// standard error) when there is none configured.
    pub async fn postgres() -> Option<TestDb> {
        let t = Self::postgres_unmigrated().await?;
        t.db.migrate().await.expect("migrate");
        Some(t)
    }

    /// The same without its tables.
    pub async fn postgres_unmigrated() -> Option<TestDb> {
        use sqlx::Connection;
        let Some(admin_url) = postgres_admin_url() else {
            eprintln!("SKIPPED: PLASTICITY_TEST_POSTGRES is not set");
            return None;
        };
        let name = format!(
            "plasticity_test_{}",
            plasticity::server::auth::random::random_hex::<8>()
        );
        let mut admin = sqlx::PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("PLASTICITY_TEST_POSTGRES={admin_url} unreachable: {e}"));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .expect("create test database");
        let guard = DbGuard::Postgres {
            admin_url: admin_url.clone(),
            name: name.clone(),
        };
        let url = database_url_named(&admin_url, &name);
        let db = Db::connect(&url).await.expect("connect");
        Some(TestDb {
            db,
            url,
            _guard: guard,
        })
    }

    /// Runs one SQL statement with no parameters on this database, outside the application.
    pub async fn execute(&self, sql: &str) -> Result<u64, sqlx::Error> {
        use sqlx::Connection;
        if self.url.starts_with("sqlite:") {
            let mut conn = sqlx::SqliteConnection::connect(&self.url).await?;
            Ok(sqlx::query(sql).execute(&mut conn).await?.rows_affected())
        } else {
            let mut conn = sqlx::PgConnection::connect(&self.url).await?;
            Ok(sqlx::query(sql).execute(&mut conn).await?.rows_affected())
        }
    }
}

/// `admin_url` with its database name replaced by `name`.
pub fn database_url_named(admin_url: &str, name: &str) -> String {
    let (without_query, query) = match admin_url.split_once('?') {
        Some((url, query)) => (url, format!("?{query}")),
        None => (admin_url, String::new()),
    };
    let after_scheme = without_query.find("://").map_or(0, |i| i + 3);
    let base = match without_query[after_scheme..].find('/') {
        Some(slash) => &without_query[..after_scheme + slash],
        None => without_query,
    };
    format!("{base}/{name}{query}")
}
