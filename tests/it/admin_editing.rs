//! Writing through the admin forms: drafts patients cannot see, validation that keeps the text,
//! conflicts, the live preview and the dashboard.

use crate::support;

use plasticity::content::staff::Role;
use support::TestApp;
use support::editing::{article_fields, create};

const SEED_ID: i64 = 1;

#[tokio::test]
async fn a_writer_creates_a_draft_that_patients_cannot_see() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let (id, _) = create(&app, &writer, "ketamine-and-sleep", "Sleep often improves.").await;
    let article = app.db.editable_article(id).await.unwrap().unwrap();
    assert_eq!(article.draft.title, "Ketamine and sleep");
    assert_eq!(article.draft.references.len(), 1);
    assert_eq!(article.state.label(), "Draft");
    assert_eq!(app.get("/articles/ketamine-and-sleep").await.status(), 404);
    let editor = app
        .get_as(&format!("/admin/articles/{id}?done=created"), Some(&writer))
        .await;
    assert_eq!(editor.status(), 200);
    let html = editor.text().await.unwrap();
    assert!(html.contains("Article created as a draft.") && html.contains("Sleep often improves."));
    let dashboard = app
        .get_as("/admin", Some(&writer))
        .await
        .text()
        .await
        .unwrap();
    assert!(dashboard.contains("Ketamine and sleep") && dashboard.contains("Test writer"));
}

#[tokio::test]
async fn invalid_input_is_named_on_its_field_and_the_text_stays() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let typed = "A paragraph I typed carefully <and must not lose>.";
    let response = app
        .post_form(
            "/admin/articles/new",
            Some(&writer),
            &article_fields("save", "", "", "Bad Slug!", typed),
        )
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("Enter a title."), "{html}");
    assert!(html.contains("Use only lower-case letters"));
    assert!(html.contains("A paragraph I typed carefully &lt;and must not lose&gt;."));
    assert!(html.contains("value=\"Bad Slug!\""));
    assert!(html.contains("aria-invalid=\"true\""));

    let duplicate = app
        .post_form(
            "/admin/articles/new",
            Some(&writer),
            &article_fields(
                "save",
                "",
                "Another",
                "ketamine-and-brain-plasticity",
                typed,
            ),
        )
        .await;
    assert_eq!(duplicate.status(), 422);
    assert!(
        duplicate
            .text()
            .await
            .unwrap()
            .contains("Another article already uses this slug")
    );

    let huge = "word ".repeat(50_000);
    let oversize = app
        .post_form(
            "/admin/articles/new",
            Some(&writer),
            &article_fields("save", "", "Big", "big", &huge),
        )
        .await;
    assert_eq!(oversize.status(), 422);
    let html = oversize.text().await.unwrap();
    assert!(html.contains("the limit is 200 KB"));
    assert!(html.contains(&huge[..1000]));
    assert_eq!(
        app.db.dashboard(1).await.unwrap().articles.len(),
        1,
        "nothing was saved"
    );
}

#[tokio::test]
async fn a_stale_save_is_a_conflict_showing_both_texts() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let reviewer = app.signed_in(Role::Reviewer).await;
    let (id, opened_at) = create(&app, &writer, "ketamine-and-sleep", "Original text.").await;
    let base = opened_at.to_string();
    let path = format!("/admin/articles/{id}");
    // Both open revision `opened_at`; the reviewer saves first.
    let first = app
        .post_form(
            &path,
            Some(&reviewer),
            &article_fields(
                "save",
                &base,
                "Ketamine and sleep",
                "ketamine-and-sleep",
                "The reviewer's text.",
            ),
        )
        .await;
    assert_eq!(first.status(), 303);
    let second = app
        .post_form(
            &path,
            Some(&writer),
            &article_fields(
                "save",
                &base,
                "Ketamine and sleep",
                "ketamine-and-sleep",
                "The writer's text.",
            ),
        )
        .await;
    assert_eq!(second.status(), 409);
    let html = second.text().await.unwrap();
    assert!(html.contains("Someone else saved this article after you opened it"));
    assert!(
        html.contains("The writer's text."),
        "the user's text is kept"
    );
    assert!(
        html.contains("The reviewer's text."),
        "the current text is shown"
    );
    // Nothing was overwritten.
    let now = app.db.editable_article(id).await.unwrap().unwrap();
    assert_eq!(now.draft.body, "The reviewer's text.");
    // The conflict view's form is based on the revision it showed: saving it now works.
    let seen = now.head_revision_id.to_string();
    assert!(html.contains(&format!("name=\"base_revision\" value=\"{seen}\"")));
    let resolved = app
        .post_form(
            &path,
            Some(&writer),
            &article_fields(
                "save",
                &seen,
                "Ketamine and sleep",
                "ketamine-and-sleep",
                "Both texts, merged.",
            ),
        )
        .await;
    assert_eq!(resolved.status(), 303);
    assert_eq!(app.db.revisions(id).await.unwrap().len(), 3);
}

#[tokio::test]
async fn the_live_preview_renders_like_the_public_page() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let body = serde_json::json!({
        "body": "## Sleep\n\nText <script>alert(1)</script>",
        "references": [],
    });
    let response = app
        .call_as("admin/preview", Some(&writer), &body.to_string())
        .await;
    assert_eq!(response.status(), 200);
    let preview = support::json(&response.text().await.unwrap());
    let html = preview["html"].as_str().unwrap();
    assert!(html.contains("<h3>Sleep</h3>"), "{html}");
    assert!(!html.contains("<script>"));
    assert!(
        preview["checks"]["readability"]["grade"].is_number(),
        "{preview}"
    );
}

#[tokio::test]
async fn the_dashboard_lists_every_article_and_marks_overdue_reviews() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    create(&app, &writer, "ketamine-and-sleep", "Text.").await;
    sqlx::query("UPDATE articles SET next_review_due = '2020-01-01' WHERE id = ?")
        .bind(SEED_ID)
        .execute(&app.sql().await)
        .await
        .unwrap();
    let html = app
        .get_as("/admin", Some(&writer))
        .await
        .text()
        .await
        .unwrap();
    let rows: Vec<&str> = html
        .split("<tr")
        .filter(|row| row.contains("<td"))
        .map(|row| &row[..row.find("</tr>").unwrap_or(row.len())])
        .collect();
    assert_eq!(rows.len(), 2, "{html}");
    // Grouped by review standing, in order: never reviewed (the new draft), then overdue.
    let never = html
        .find("Never reviewed (1)")
        .expect("the never-reviewed group");
    let overdue = html
        .find("Overdue for review (1)")
        .expect("the overdue group");
    assert!(never < overdue);
    assert!(html.find("Ketamine and sleep").unwrap() < overdue);
    let sleep = rows
        .iter()
        .find(|row| row.contains("Ketamine and sleep"))
        .unwrap();
    assert!(
        sleep.contains("Draft") && sleep.contains("by Test writer") && !sleep.contains("Overdue")
    );
    let seed = rows
        .iter()
        .find(|row| row.contains("Ketamine and Brain Plasticity"))
        .unwrap();
    assert!(
        seed.contains("class=\"overdue\"")
            && seed.contains("Overdue")
            && seed.contains("1 January 2020")
    );
    assert!(seed.contains("Published") && seed.contains("by Kristen R. Dagenais"));
}

/// Issue 30, item 7: a new article saved with the slug left empty gets the one its title
/// suggests (every first save failed on it); a slug typed is kept as typed.
#[tokio::test]
async fn a_slug_left_empty_is_made_from_the_title() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let made = slug_saved(&app, &writer, "Ketamine & sleep: what to know", "").await;
    assert_eq!(made, "ketamine-sleep-what-to-know");
    let typed = slug_saved(&app, &writer, "Another title", "chosen-address").await;
    assert_eq!(typed, "chosen-address");
}

/// The slug stored for a new article saved with `title` and `slug` as typed.
async fn slug_saved(app: &TestApp, writer: &str, title: &str, slug: &str) -> String {
    let fields = article_fields("save", "", title, slug, "Text.");
    let saved = app
        .post_form("/admin/articles/new", Some(writer), &fields)
        .await;
    assert_eq!(saved.status(), 303, "{}", saved.text().await.unwrap());
    let location = support::location(&saved);
    let id = location
        .trim_start_matches("/admin/articles/")
        .split('?')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("the new article's address");
    let article = app.db.editable_article(id).await.unwrap().unwrap();
    article.draft.slug
}

#[tokio::test]
async fn add_another_reference_shows_one_more_empty_group_and_saves_nothing() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let fields = [
        ("intent", "add_reference"),
        ("title", "Typed, not saved"),
        ("summary", "S"),
        ("body", "Body as typed."),
        ("author_name", "Kim"),
        ("ref-0-authors", "Duman, R. S."),
        ("ref-0-year", "2012"),
        ("ref-1-authors", ""),
        ("ref-1-year", ""),
    ];
    let page = app
        .post_form("/admin/articles/new", Some(&writer), &fields)
        .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    // One filled group, one left empty: it comes back as one, and two empty ones.
    assert!(html.contains("Reference 1"));
    assert!(
        html.contains("Add a reference (2)") && html.contains("Add a reference (3)"),
        "{html}"
    );
    assert!(!html.contains("Add a reference (4)"));
    assert!(html.contains("value=\"Duman, R. S.\"") && html.contains("Body as typed."));
    assert_eq!(
        app.db.dashboard(1).await.unwrap().articles.len(),
        1,
        "only the seed: nothing saved"
    );
}
