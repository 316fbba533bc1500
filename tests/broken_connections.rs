//! Pooled PostgreSQL connections are not pinged before each use (see `Db::connect`); a patient's
//! page still gets its content version when the connections it would use were ended by the
//! server (as a restart does).

#![cfg(feature = "ssr")]

mod support;

use support::{TestDb, postgres_admin_url};

#[tokio::test]
async fn the_content_version_is_read_again_when_the_server_ended_the_pooled_connection() {
    use sqlx::Connection;
    let Some(t) = TestDb::postgres().await else {
        return;
    };
    let before = t.db.content_version().await.unwrap();
    let name = t.url.rsplit('/').next().unwrap().to_owned();
    let mut admin = sqlx::PgConnection::connect(&postgres_admin_url().unwrap())
        .await
        .unwrap();
    let ended: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
    )
    .bind(&name)
    .fetch_all(&mut admin)
    .await
    .unwrap();
    assert!(
        !ended.is_empty() && ended.iter().all(|ended| *ended),
        "{ended:?}"
    );
    assert_eq!(t.db.content_version().await.unwrap(), before);
}
