//! The search synonyms (`/admin/synonyms`): admins edit them, every search uses them next.

use crate::support;

use plasticity::content::ArticleStatus;
use support::TestApp;

/// An admin adds a synonym group: the next search finds articles through it; the change is
/// audited; a save from an older version is refused with the text kept; a bad list is refused
/// naming its line.
#[tokio::test]
async fn admins_edit_the_synonyms_and_searches_use_them_next() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(plasticity::content::staff::Role::Admin).await;
    app.add_article(
        "xylophone",
        "Playing the xylophone can calm you.",
        ArticleStatus::Published,
    )
    .await;
    let finds = |query: &'static str| {
        let app = &app;
        async move {
            let results = app.call_json("search", &format!("q={query}&page=1")).await;
            results["hits"]
                .as_array()
                .unwrap()
                .iter()
                .any(|hit| hit["slug"] == "xylophone")
        }
    };
    assert!(!finds("marimba").await);
    let page = app.html_as("/admin/synonyms", Some(&admin)).await;
    assert!(page.contains("esketamine, Spravato"), "the seeded list");
    let list = format!(
        "{}\nxylophone, marimba",
        plasticity::server::search::SEED_SYNONYMS
    );
    let saved = app
        .post_form(
            "/admin/synonyms",
            Some(&admin),
            &[("version", "1"), ("list", &list)],
        )
        .await;
    assert_eq!(saved.status(), 303);
    let dropped = app.state().pages.counts().dropped;
    assert!(finds("marimba").await, "found through the new group");
    assert_eq!(app.get("/").await.status(), 200);
    assert_eq!(
        app.state().pages.counts().dropped,
        dropped,
        "no stored page dropped"
    );
    assert!(finds("marimbba").await, "with a typo too");
    let entry = &app.db.audit_entries(1, 0).await.unwrap()[0];
    assert_eq!(entry.action, "changed the search synonyms");
    assert_eq!(entry.subject, "6 group(s)");

    let stale = app
        .post_form(
            "/admin/synonyms",
            Some(&admin),
            &[("version", "1"), ("list", "mine, yours")],
        )
        .await;
    assert_eq!(stale.status(), 409);
    let html = stale.text().await.unwrap();
    assert!(
        html.contains("mine, yours") && html.contains("xylophone, marimba"),
        "both shown"
    );
    let bad = app
        .post_form(
            "/admin/synonyms",
            Some(&admin),
            &[("version", "2"), ("list", "a, b\nlonely")],
        )
        .await;
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    assert!(html.contains("Line 2") && html.contains("lonely"), "{html}");
    assert!(finds("marimba").await, "nothing refused was saved");
}
