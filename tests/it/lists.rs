//! The home list, paged by keyset (`/?before=SLUG`): each page continues after the article it
//! names, a page past the end or after an unknown article is not found (and never stored), and
//! the numbered pages the list once had redirect to its start.

use crate::support;

use plasticity::content::ArticleStatus;
use support::TestApp;

const SEED_SLUG: &str = "ketamine-and-brain-plasticity";

#[tokio::test]
async fn list_pages_through_many_articles() {
    let app = TestApp::spawn().await;
    for n in 0..25 {
        app.add_article(
            &format!("article-{n:02}"),
            "Words.",
            ArticleStatus::Published,
        )
        .await;
    }
    let first = app.call_json("articles/list", "").await;
    assert_eq!(first["articles"].as_array().unwrap().len(), 20);
    // The next page continues after this page's last article (the 20th newest).
    assert_eq!(first["next"], "article-05");
    let second = app.call_json("articles/list", "before=article-05").await;
    assert_eq!(second["articles"].as_array().unwrap().len(), 6);
    assert_eq!(second["next"], serde_json::Value::Null);
    assert_eq!(second["articles"][5]["slug"], SEED_SLUG);

    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains(r#"href="/?before=article-05""#), "older link");
    let page = app.get("/?before=article-05").await.text().await.unwrap();
    assert!(page.contains(r#"href="/""#), "newest link");
    assert!(!page.contains("?before=ketamine"), "no link past the end");
    assert!(page.contains("Ketamine and Brain Plasticity"));
    // Past the last page, after an unknown or malformed slug: no page (so never stored in the
    // page cache), every time it is asked for.
    for path in [
        format!("/?before={SEED_SLUG}"),
        "/?before=no-such-article".to_owned(),
        "/?before=%3Cscript%3E".to_owned(),
        "/?before=".to_owned(),
    ] {
        for _ in 0..2 {
            let past = app.get(&path).await;
            assert_eq!(past.status(), 404, "{path}");
            assert!(past.headers().get("etag").is_none(), "{path} stored");
        }
    }
}

/// The numbered pages the list once had answer a redirect to the list's start, never a scan.
#[tokio::test]
async fn old_numbered_list_pages_redirect_to_the_newest() {
    let app = TestApp::spawn().await;
    for path in ["/?page=2", "/?page=500", "/?page=x"] {
        let answer = TestApp::client()
            .get(format!("{}{path}", app.base_url))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 301, "{path}");
        assert_eq!(answer.headers()["location"], "/", "{path}");
    }
}
