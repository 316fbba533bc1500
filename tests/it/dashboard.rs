//! The staff dashboard a page at a time: groups by review standing across pages, with each
//! group's size over all articles, on both backends; and the page's links.

use crate::support;

use chrono::{Days, NaiveDate, Utc};
use plasticity::content::ArticleStatus;
use plasticity::content::editing::DASHBOARD_PER_PAGE;
use plasticity::content::review::ReviewStanding;
use plasticity::content::staff::Role;
use plasticity::server::db::Db;
use support::{TestApp, TestDb, article_file};

/// Runs `sql` on the database at `url`, whichever backend it is.
async fn execute(url: &str, sql: &str) {
    if url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        sqlx::query(sql).execute(&pool).await.unwrap();
    } else {
        let pool = sqlx::SqlitePool::connect(url).await.unwrap();
        sqlx::query(sql).execute(&pool).await.unwrap();
    }
}

/// 120 published articles: 10 overdue, 5 due within 30 days, 20 reviewed, the rest never.
async fn add_articles(db: &Db, url: &str) {
    let today = Utc::now().date_naive();
    let due = |days: i64| {
        let day = if days < 0 {
            today - Days::new(days.unsigned_abs())
        } else {
            today + Days::new(days as u64)
        };
        day.format("%Y-%m-%d").to_string()
    };
    for n in 0..120 {
        let slug = format!("article-{n:03}");
        db.insert_article(&article_file(&slug, "Text."), ArticleStatus::Published)
            .await
            .unwrap();
        let next_due = match n {
            0..10 => Some(due(-400 + n)),
            10..15 => Some(due(25 - n)),
            15..35 => Some(due(100 + n)),
            _ => None,
        };
        if let Some(day) = next_due {
            let sql = format!(
                "UPDATE articles SET last_reviewed = '{}', next_review_due = '{day}' WHERE slug = '{slug}'",
                due(-30)
            );
            execute(url, &sql).await;
        }
    }
}

on_both_backends! {
    async fn pages_hold_fifty_articles_in_group_order_and_every_group_s_size(t: &TestDb) {
        add_articles(&t.db, &t.url).await;
        let expected = vec![
            (ReviewStanding::NeverReviewed, 85),
            (ReviewStanding::Overdue, 10),
            (ReviewStanding::DueWithin30Days, 5),
            (ReviewStanding::Current, 20),
        ];
        let mut all = Vec::new();
        for page in 1..=3 {
            let dashboard = t.db.dashboard(page).await.unwrap();
            assert_eq!(dashboard.page, page);
            assert_eq!(dashboard.groups, expected, "page {page}");
            assert_eq!(dashboard.has_next, page < 3, "page {page}");
            let size = if page < 3 { DASHBOARD_PER_PAGE as usize } else { 20 };
            assert_eq!(dashboard.articles.len(), size, "page {page}");
            all.extend(dashboard.articles);
        }
        let mut ids: Vec<i64> = all.iter().map(|article| article.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), 120, "each article once");
        // Groups in order across pages; within a group, the soonest due first.
        let order: Vec<(ReviewStanding, Option<NaiveDate>)> =
            all.iter().map(|article| (article.review, article.next_review_due)).collect();
        let mut sorted = order.clone();
        sorted.sort();
        assert_eq!(order, sorted);
        assert!(all[85].review_overdue && all[85].review == ReviewStanding::Overdue);
        let beyond = t.db.dashboard(99).await.unwrap();
        assert!(beyond.articles.is_empty() && !beyond.has_next);
        assert_eq!(beyond.groups, expected);
    }
}

#[tokio::test]
async fn the_dashboard_page_links_to_the_pages_before_and_after() {
    let app = TestApp::spawn().await;
    add_articles(&app.db, &app.database_url).await;
    let cookie = app.signed_in(Role::Writer).await;
    let page = |n: u32| {
        let (app, cookie) = (&app, cookie.clone());
        async move {
            let response = app.get_as(&format!("/admin?page={n}"), Some(&cookie)).await;
            assert_eq!(response.status(), 200);
            response.text().await.unwrap()
        }
    };
    // 120 articles and the seed.
    let second = page(2).await;
    assert!(second.contains("Page 2 of 3"), "{second}");
    assert!(second.contains("href=\"/admin?page=1\"") && second.contains("href=\"/admin?page=3\""));
    assert!(second.contains("Never reviewed (86)"), "{second}");
    let first = page(1).await;
    assert!(!first.contains("href=\"/admin?page=0\"") && first.contains("Next page"));
    let last = page(3).await;
    assert!(last.contains("Previous page") && !last.contains("Next page"));
    assert!(last.contains("Reviewed (20)"), "{last}");
}
