//! Migrations on a database that already holds data: 0006 (clinical review) clears review
//! dates that no reviewer recorded, and keeps the ones a reviewer did.

use sqlx::migrate::Migrator;
use std::borrow::Cow;

#[tokio::test]
async fn review_dates_without_a_reviewer_are_cleared_and_recorded_reviews_kept() {
    let folder = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/old.db?mode=rwc", folder.path().display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let all = sqlx::migrate!("migrations/sqlite");
    let before_0006: Vec<_> = all
        .iter()
        .filter(|migration| migration.version < 6)
        .cloned()
        .collect();
    assert_eq!(before_0006.len(), 5);
    let old = Migrator {
        migrations: Cow::Owned(before_0006),
        ..Migrator::DEFAULT
    };
    old.run(&pool).await.unwrap();
    // As an older release left them: the seed with its file's dates, and a reviewed article.
    for (id, slug, reviewer) in [(1, "seed", None), (2, "reviewed", Some("Dr Ana Ruiz"))] {
        let statements = [
            "INSERT INTO articles (id, slug, created_at) VALUES (?1, ?2, '2026-11-27T00:00:00Z')",
            "INSERT INTO revisions (id, article_id, title, summary, body, author_name, created_at)
             VALUES (?1, ?1, 'T', 'S', 'B', 'A', '2026-11-27T00:00:00Z')",
            "UPDATE articles SET status = 'published', published_revision_id = ?1,
                    head_revision_id = ?1, published_at = '2026-11-27T00:00:00Z',
                    last_reviewed = '2026-11-27', next_review_due = '2027-11-27', reviewer_name = ?3
             WHERE id = ?1",
        ];
        for statement in statements {
            sqlx::query(statement)
                .bind(id)
                .bind(slug)
                .bind(reviewer)
                .execute(&pool)
                .await
                .unwrap();
        }
    }
    all.run(&pool).await.unwrap();
    let dates: Vec<(String, Option<String>, Option<String>, i64)> = sqlx::query_as(
        "SELECT slug, last_reviewed, next_review_due, review_interval_months FROM articles ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        dates,
        [
            ("seed".to_owned(), None, None, 12),
            (
                "reviewed".to_owned(),
                Some("2026-11-27".to_owned()),
                Some("2027-11-27".to_owned()),
                12
            ),
        ]
    );
}
