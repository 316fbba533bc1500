//! How search treats the words typed: a word of the site is taken as written, a misspelling is
//! forgiven; a word the glossary defines is answered with its definition.

use crate::support::{TestApp, TestDb, article_file};
use plasticity::content::ArticleStatus;
use plasticity::content::search::SearchResults;
use plasticity::server::search::SearchIndex;

fn slugs(results: &SearchResults) -> Vec<String> {
    results.hits.iter().map(|hit| hit.slug.clone()).collect()
}

/// A word the site uses in three articles or more is taken as written (a near word is not
/// matched for it); a word the site does not use has its typos forgiven.
#[tokio::test]
async fn a_word_of_the_site_is_taken_as_written_and_a_misspelling_is_forgiven() {
    let t = TestDb::sqlite().await;
    for (slug, body) in [
        ("a", "Dosing."),
        ("b", "Dosing."),
        ("c", "Dosing."),
        ("d", "Nosing."),
    ] {
        let file = article_file(slug, body);
        t.db.insert_article(&file, ArticleStatus::Published)
            .await
            .unwrap();
    }
    let index = SearchIndex::default();
    let found = |results: SearchResults| {
        let mut found = slugs(&results);
        found.sort();
        found
    };
    assert_eq!(
        found(index.search(&t.db, "dosing", 1).await.unwrap()),
        ["a", "b", "c"]
    );
    assert_eq!(
        found(index.search(&t.db, "osing", 1).await.unwrap()),
        ["a", "b", "c", "d"]
    );
    // In one article only, a word may be the misspelling: its near words match too, after it.
    let rare = index.search(&t.db, "nosing", 1).await.unwrap();
    assert_eq!(slugs(&rare)[0], "d");
    assert_eq!(found(rare), ["a", "b", "c", "d"]);
}

/// A search for a word the glossary defines shows its definition above the articles, linked to
/// its entry; a query that names no term shows none.
#[tokio::test]
async fn the_glossary_answers_with_its_definitions() {
    let app = TestApp::spawn().await;
    let html = app
        .get("/search?q=synaptogensis")
        .await
        .text()
        .await
        .unwrap();
    let meaning = html.find("What the words mean").expect("definitions shown");
    let link = r#"<a href="/glossary#synaptogenesis">synaptogenesis</a>"#;
    assert!(html[meaning..].contains(link), "{html}");
    assert!(
        meaning
            < html
                .find(r#"class="search-results""#)
                .expect("then the articles")
    );
    // No article says "NMDA": the definition still answers.
    let html = app
        .get("/search?q=what+is+an+nmda+receptr")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("No articles match"));
    assert!(
        html.contains(r#"<a href="/glossary#nmda-receptor">NMDA receptor</a>"#),
        "{html}"
    );
    let html = app.get("/search?q=ketamine").await.text().await.unwrap();
    assert!(!html.contains("What the words mean"));
}
