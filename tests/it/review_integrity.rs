//! Review integrity: a clinical review is by someone who wrote none of what it approves, and an
//! article's public address changes only when a reviewer publishes the change (the old address
//! then redirects to the new one, for good).

use crate::support;

use plasticity::content::staff::Role;
use support::editing::{approving, article_fields, create, head_revision, pairs, second_reviewer};
use support::{TestApp, location};

/// Posts the editor form for article `id` with `intent`, based on its newest revision.
async fn act(
    app: &TestApp,
    cookie: &str,
    id: i64,
    intent: &str,
    slug: &str,
    body: &str,
) -> reqwest::Response {
    let head = head_revision(app, id).await.to_string();
    // A publish gives what the review gate asks: these tests are about who may publish.
    let fields = approving(&article_fields(
        intent,
        &head,
        "Ketamine and sleep",
        slug,
        body,
    ));
    app.post_form(
        &format!("/admin/articles/{id}"),
        Some(cookie),
        &pairs(&fields),
    )
    .await
}

#[tokio::test]
async fn a_reviewer_cannot_approve_changes_they_wrote_even_when_a_writer_submitted_them() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let reviewer = app.signed_in(Role::Reviewer).await;
    let (id, _) = create(&app, &writer, "ketamine-and-sleep", "Sleep often improves.").await;
    // The reviewer rewrites the text, then the writer presses Submit.
    let text = "Ketamine cures insomnia.";
    assert_eq!(
        act(&app, &reviewer, id, "save", "ketamine-and-sleep", text)
            .await
            .status(),
        303
    );
    assert_eq!(
        act(&app, &writer, id, "submit", "ketamine-and-sleep", text)
            .await
            .status(),
        303
    );
    let own = act(&app, &reviewer, id, "publish", "ketamine-and-sleep", text).await;
    assert_eq!(own.status(), 403);
    assert!(
        own.text()
            .await
            .unwrap()
            .contains("You wrote some of the changes since the last approved version")
    );
    assert_eq!(app.get("/articles/ketamine-and-sleep").await.status(), 404);
    // A reviewer who wrote none of it may.
    let lee = second_reviewer(&app).await;
    let published = act(&app, &lee, id, "publish", "ketamine-and-sleep", text).await;
    assert_eq!(published.status(), 303);
    assert_eq!(app.get("/articles/ketamine-and-sleep").await.status(), 200);
}

#[tokio::test]
async fn the_public_address_changes_only_at_publishing_and_the_old_one_redirects_for_good() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let reviewer = app.signed_in(Role::Reviewer).await;
    let body = "Sleep often improves.";
    let (id, _) = create(&app, &writer, "ketamine-and-sleep", body).await;
    assert_eq!(
        act(&app, &writer, id, "submit", "ketamine-and-sleep", body)
            .await
            .status(),
        303
    );
    assert_eq!(
        act(&app, &reviewer, id, "publish", "ketamine-and-sleep", body)
            .await
            .status(),
        303
    );

    // A draft with a new slug: patients keep the old address; the editor shows the new slug.
    assert_eq!(
        act(&app, &writer, id, "save", "sleep-and-ketamine", body)
            .await
            .status(),
        303
    );
    assert_eq!(
        app.get_as("/articles/ketamine-and-sleep", None)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.get_as("/articles/sleep-and-ketamine", None)
            .await
            .status(),
        404
    );
    let editing = app.db.editable_article(id).await.unwrap().unwrap();
    assert_eq!(editing.draft.slug, "sleep-and-ketamine");

    // Published: the new address serves it, the old one answers 301 to it.
    assert_eq!(
        act(&app, &writer, id, "submit", "sleep-and-ketamine", body)
            .await
            .status(),
        303
    );
    assert_eq!(
        act(&app, &reviewer, id, "publish", "sleep-and-ketamine", body)
            .await
            .status(),
        303
    );
    assert_eq!(
        app.get_as("/articles/sleep-and-ketamine", None)
            .await
            .status(),
        200
    );
    let moved = app.get_as("/articles/ketamine-and-sleep", None).await;
    assert_eq!(moved.status(), 301);
    assert_eq!(location(&moved), "/articles/sleep-and-ketamine");

    // Moved again: both old addresses lead to the newest.
    assert_eq!(
        act(&app, &writer, id, "save", "sleep", body).await.status(),
        303
    );
    assert_eq!(
        act(&app, &writer, id, "submit", "sleep", body)
            .await
            .status(),
        303
    );
    assert_eq!(
        act(&app, &reviewer, id, "publish", "sleep", body)
            .await
            .status(),
        303
    );
    for old in ["ketamine-and-sleep", "sleep-and-ketamine"] {
        let moved = app.get_as(&format!("/articles/{old}"), None).await;
        assert_eq!(moved.status(), 301, "{old}");
        assert_eq!(location(&moved), "/articles/sleep");
    }

    // An old address stays this article's: no other article may take it.
    let (other, _) = create(&app, &writer, "other-article", body).await;
    let taken = act(&app, &writer, other, "save", "ketamine-and-sleep", body).await;
    assert_eq!(taken.status(), 422, "{}", taken.text().await.unwrap());
}
