//! The content version on PostgreSQL: read on a connection of its own (not the pool, whose
//! connections sqlx pings as they go back), and a patient's page still gets it when the server
//! ended that connection or the pooled ones (as a restart does), or when requests waiting for a
//! read went away halfway.

use crate::support;

use plasticity::server::db::VERSION_CONNECTION_NAME;
use sqlx::{Connection, PgConnection};
use std::time::Duration;
use support::{TestDb, postgres_admin_url};

async fn admin() -> PgConnection {
    PgConnection::connect(&postgres_admin_url().unwrap())
        .await
        .unwrap()
}

fn database_name(t: &TestDb) -> String {
    t.url.rsplit('/').next().unwrap().to_owned()
}

/// A publish as another instance makes it: the version bumped by a connection of its own.
async fn bump_elsewhere(t: &TestDb) {
    let mut other = PgConnection::connect(&t.url).await.unwrap();
    sqlx::query(
        "INSERT INTO app_meta (key, value) VALUES ('content_version', '1') ON CONFLICT (key) \
         DO UPDATE SET value = CAST(CAST(app_meta.value AS BIGINT) + 1 AS TEXT)",
    )
    .execute(&mut other)
    .await
    .unwrap();
}

#[tokio::test]
async fn the_content_version_is_read_again_when_the_server_ended_the_connections() {
    let Some(t) = TestDb::postgres().await else {
        return;
    };
    let before = t.db.content_version().await.unwrap();
    let ended: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
    )
    .bind(database_name(&t))
    .fetch_all(&mut admin().await)
    .await
    .unwrap();
    assert!(
        ended.len() >= 2 && ended.iter().all(|ended| *ended),
        "the pool's and the version's connections: {ended:?}"
    );
    assert_eq!(t.db.content_version().await.unwrap(), before);
    bump_elsewhere(&t).await;
    assert_eq!(t.db.content_version().await.unwrap(), before + 1);
}

#[tokio::test]
async fn the_content_version_is_read_on_a_connection_of_its_own() {
    let Some(t) = TestDb::postgres().await else {
        return;
    };
    for _ in 0..20 {
        t.db.content_version().await.unwrap();
    }
    let backends: Vec<(String, String)> = sqlx::query_as(
        "SELECT application_name, query FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
    )
    .bind(database_name(&t))
    .fetch_all(&mut admin().await)
    .await
    .unwrap();
    let reading: Vec<_> = backends
        .iter()
        .filter(|(_, query)| query.contains("'content_version'"))
        .collect();
    assert_eq!(reading.len(), 1, "{backends:?}");
    assert_eq!(reading[0].0, VERSION_CONNECTION_NAME, "{backends:?}");
}

#[tokio::test]
async fn reads_abandoned_halfway_leave_the_next_reads_right() {
    let Some(t) = TestDb::postgres().await else {
        return;
    };
    let mut expected = t.db.content_version().await.unwrap();
    for round in 0..200u64 {
        // Requests that go away at every point of a read: before, during and after its query.
        let gone = Duration::from_micros(round * 7 % 400);
        let _ = tokio::time::timeout(gone, t.db.content_version()).await;
        if round % 10 == 0 {
            bump_elsewhere(&t).await;
            expected += 1;
        }
        assert_eq!(
            t.db.content_version().await.unwrap(),
            expected,
            "round {round}"
        );
    }
}
