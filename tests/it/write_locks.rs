//! SQLite lets one connection write at a time. A write that finds another under way waits its
//! turn (the busy timeout) rather than failing with "database is locked", even when it reads
//! before it writes, as a publish does (see `db::begin`).

use crate::storage::{create, day, draft, staff};
use crate::support::TestDb;
use plasticity::content::Author;
use plasticity::content::review::Approval;
use plasticity::content::staff::Role;
use sqlx::{Connection, SqliteConnection};
use std::time::Duration;

/// Another connection holds the write lock for `held`, then lets it go.
async fn hold_the_write_lock(url: &str, held: Duration) -> tokio::task::JoinHandle<()> {
    let mut other = SqliteConnection::connect(url).await.expect("connect");
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .expect("take the write lock");
    tokio::spawn(async move {
        tokio::time::sleep(held).await;
        sqlx::query("ROLLBACK")
            .execute(&mut other)
            .await
            .expect("let it go");
    })
}

#[tokio::test]
async fn a_publish_and_a_save_wait_for_another_writer_instead_of_failing() {
    let t = TestDb::sqlite().await;
    let writer = staff(&t.db, "writer@clinic.example", Role::Writer).await;
    let reviewer = staff(&t.db, "reviewer@clinic.example", Role::Reviewer).await;
    let author = Author {
        name: reviewer.name.clone(),
        credentials: "MD".into(),
    };
    let (id, head) = create(&t.db, &draft("care", "Care."), writer.id).await;
    t.db.submit_for_review(id, head, writer.id).await.unwrap();

    let held = hold_the_write_lock(&t.url, Duration::from_millis(300)).await;
    let today = day("2026-12-07");
    t.db.approve_and_publish(
        id,
        head,
        (reviewer.id, &author),
        today,
        &Approval::default(),
    )
    .await
    .expect("the publish waited for the lock");
    held.await.unwrap();
    assert_eq!(
        t.db.published_article("care").await.unwrap().unwrap().body,
        "Care."
    );

    let held = hold_the_write_lock(&t.url, Duration::from_millis(300)).await;
    t.db.save_revision(id, head, &draft("care", "Newer."), writer.id, "")
        .await
        .expect("the save waited for the lock");
    held.await.unwrap();
}
