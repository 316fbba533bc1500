//! The review gate over HTTP: publishing is refused until every error of the checks is fixed,
//! every warning acknowledged with a reason and every reference ticked; what the reviewer gave
//! is stored, audited and shown. A request for changes sends the text back with a note that
//! stays until a reviewer resolves it. And the public page claims a review only after one.

use crate::support;

use plasticity::content::staff::Role;
use support::editing::{
    approving, article_fields, head_revision, pairs, second_reviewer, submit, submitted,
};
use support::{TestApp, location};

const SEED_ID: i64 = 1;
const SEED_PAGE: &str = "/articles/ketamine-and-brain-plasticity";

/// The public page of `path`'s body.
async fn page(app: &TestApp, path: &str) -> String {
    app.get(path).await.text().await.unwrap()
}

#[tokio::test]
async fn the_seed_is_not_claimed_as_reviewed_and_cannot_be_published_with_its_errors() {
    let app = TestApp::spawn().await;
    let html = page(&app, SEED_PAGE).await;
    assert!(html.contains("This page has not yet been clinically reviewed."));
    assert!(!html.contains("Page last reviewed"));
    assert!(!html.contains("lastReviewed") && !html.contains("reviewedBy"));
    assert!(!html.contains("Clinically reviewed by"));

    // Submitted as it stands, the seed's two unmatched citations block publishing.
    let writer = app.signed_in(Role::Writer).await;
    let seed = app.db.editable_article(SEED_ID).await.unwrap().unwrap();
    let head = seed.head_revision_id.to_string();
    let mut fields = article_fields(
        "submit",
        &head,
        &seed.draft.title,
        &seed.draft.slug,
        &seed.draft.body,
    );
    fields.retain(|(key, _)| !key.starts_with("ref-") && *key != "summary");
    let refs: Vec<(String, String)> = seed
        .draft
        .references
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            [
                (format!("ref-{i}-authors"), r.authors.clone()),
                (format!("ref-{i}-year"), r.year.clone()),
                (format!("ref-{i}-title"), r.title.clone()),
                (format!("ref-{i}-journal"), r.journal.clone()),
                (
                    format!("ref-{i}-volume"),
                    r.volume.clone().unwrap_or_default(),
                ),
                (
                    format!("ref-{i}-issue"),
                    r.issue.clone().unwrap_or_default(),
                ),
                (
                    format!("ref-{i}-pages"),
                    r.pages.clone().unwrap_or_default(),
                ),
                (format!("ref-{i}-doi"), r.doi.clone().unwrap_or_default()),
            ]
        })
        .collect();
    fields.push(("summary", &seed.draft.summary));
    fields.extend(pairs(&refs));
    let path = format!("/admin/articles/{SEED_ID}");
    let submitted = app.post_form(&path, Some(&writer), &fields).await;
    assert_eq!(submitted.status(), 303);
    let reviewer = app.signed_in(Role::Reviewer).await;
    let head = head_revision(&app, SEED_ID).await.to_string();
    fields[0] = ("intent", "publish");
    fields[1] = ("base_revision", &head);
    let approved = approving(&fields);
    let refused = app
        .post_form(&path, Some(&reviewer), &pairs(&approved))
        .await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Nothing was published."), "{html}");
    assert!(html.contains(
        "Fix this error in the text: \u{201c}Duman et al., 2021\u{201d} matches no reference"
    ));
    assert!(html.contains(
        "Fix this error in the text: \u{201c}Colo et al., 2019\u{201d} matches no reference"
    ));
    // Each is a link to its finding in the checks panel.
    let link = html
        .split("<a href=\"#finding-")
        .nth(1)
        .expect("a link to a finding");
    let anchor = link.split('"').next().unwrap();
    assert!(
        html.contains(&format!("id=\"finding-{anchor}\"")),
        "the finding it links to"
    );
    assert!(
        page(&app, SEED_PAGE)
            .await
            .contains("has not yet been clinically reviewed")
    );

    // With its citations corrected (in this test's database: the repo's seed is never edited)
    // and the gate passed, the page shows the review.
    let corrected = seed
        .draft
        .body
        .replace("Duman et al., 2021", "Duman et al., 2012")
        .replace("Colo et al., 2019", "Collo et al., 2019");
    let head = head_revision(&app, SEED_ID).await.to_string();
    fields[0] = ("intent", "submit");
    fields[1] = ("base_revision", &head);
    let body_at = fields.iter().position(|(key, _)| *key == "body").unwrap();
    fields[body_at] = ("body", &corrected);
    assert_eq!(
        app.post_form(&path, Some(&writer), &fields).await.status(),
        303
    );
    let head = head_revision(&app, SEED_ID).await.to_string();
    fields[0] = ("intent", "publish");
    fields[1] = ("base_revision", &head);
    let approved = approving(&fields);
    let published = app
        .post_form(&path, Some(&reviewer), &pairs(&approved))
        .await;
    assert_eq!(published.status(), 303);
    let html = page(&app, SEED_PAGE).await;
    assert!(html.contains("Page last reviewed"));
    assert!(html.contains("\"lastReviewed\":"));
    assert!(!html.contains("has not yet been clinically reviewed"));
}

#[tokio::test]
async fn warnings_must_be_acknowledged_and_references_ticked_then_the_review_is_shown() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    // Cites its one reference; "cures" near ketamine is a warning.
    let body = "Ketamine cures nothing overnight (Duman & Aghajanian, 2012). Sleep helps.";
    let (id, path) = submitted(&app, &writer, body).await;
    let reviewer = app.signed_in(Role::Reviewer).await;
    let head = head_revision(&app, id).await.to_string();
    let fields = article_fields(
        "publish",
        &head,
        "Ketamine and sleep",
        "ketamine-and-sleep",
        body,
    );

    // Nothing given: refused, naming the warning and the reference.
    let bare = app.post_form(&path, Some(&reviewer), &fields).await;
    assert_eq!(bare.status(), 422);
    let html = bare.text().await.unwrap();
    let warning =
        "Fix this warning, or give your reason to publish with it: A promise of cure or certainty";
    assert!(html.contains(warning), "{html}");
    let tick = "Tick reference 1 (\u{201c}Synaptic dysfunction in depression\u{201d}) once you have checked";
    assert!(html.contains(tick));
    // Listed as links to their fields, and said again on the fields themselves.
    assert!(html.contains("<a href=\"#checked-ref-0\">Tick reference 1"));
    assert!(html.contains("<a href=\"#ack-"));
    assert!(html.contains("id=\"checked-ref-0-error\""));
    assert!(html.contains("aria-describedby=\"checked-ref-0-error\""));
    assert!(
        html.contains("Nothing was published. 3 things are still open"),
        "{html}"
    );

    // The warning acknowledged but the reference not ticked: still refused, the reason kept.
    let approved = approving(&fields);
    let without_tick: Vec<(&str, &str)> = pairs(&approved)
        .into_iter()
        .filter(|(key, _)| !key.starts_with("checked-ref-"))
        .collect();
    let untick = app.post_form(&path, Some(&reviewer), &without_tick).await;
    assert_eq!(untick.status(), 422);
    let html = untick.text().await.unwrap();
    assert!(!html.contains("Fix this warning"));
    assert!(
        html.contains("value=\"Checked with the clinical lead.\""),
        "the reason is kept"
    );
    assert_eq!(app.get("/articles/ketamine-and-sleep").await.status(), 404);

    // Everything given: published, with what the reviewer gave stored and audited.
    let mut complete = approved.clone();
    complete.push(("review_months".into(), "6".into()));
    let published = app
        .post_form(&path, Some(&reviewer), &pairs(&complete))
        .await;
    assert_eq!(published.status(), 303);
    assert_eq!(location(&published), format!("{path}?done=published"));
    let acknowledged = app.db.acknowledgements(id).await.unwrap();
    // The claim, and (in so short a text) the reading grade.
    assert_eq!(acknowledged.len(), 2, "{acknowledged:?}");
    assert!(acknowledged.iter().any(|ack| ack.finding.contains("cures")));
    assert!(
        acknowledged
            .iter()
            .all(|ack| ack.reason == "Checked with the clinical lead.")
    );
    let head: i64 = head.parse().unwrap();
    assert_eq!(app.db.checked_references(head).await.unwrap(), [1]);
    let audit = app.db.audit_entries(10, 0).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|entry| entry.action.as_str()).collect();
    assert!(
        actions
            .iter()
            .any(|a| a.starts_with("acknowledged a warning")
                && a.ends_with("Checked with the clinical lead.")),
        "{actions:?}"
    );
    assert!(actions.contains(&"checked 1 reference(s)"));
    let history = app.html_as(&format!("{path}/history"), Some(&writer)).await;
    assert!(history.contains("Warnings acknowledged at publishing"));
    assert!(history.contains("Checked with the clinical lead."));

    // The page now says who reviewed it and when, due in 6 months.
    let html = page(&app, "/articles/ketamine-and-sleep").await;
    let today = chrono::Utc::now().date_naive();
    assert!(html.contains("Page last reviewed"));
    assert!(html.contains("Clinically reviewed by Test reviewer"));
    assert!(html.contains(&format!("\"lastReviewed\":\"{today}\"")));
    let due = plasticity::content::editing::months_after(today, 6);
    assert!(html.contains(&format!("datetime=\"{due}\"")));
    assert!(!html.contains("has not yet been clinically reviewed"));
    assert!(!html.contains("This page is due for review."));
}

#[tokio::test]
async fn a_reviewer_sends_the_text_back_with_a_note_that_stays_until_resolved() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let body = "Ketamine causes new neurons to grow (Duman & Aghajanian, 2012).";
    let (id, path) = submitted(&app, &writer, body).await;
    let reviewer = second_reviewer(&app).await;
    let head = head_revision(&app, id).await.to_string();
    let mut fields = article_fields(
        "request_changes",
        &head,
        "Ketamine and sleep",
        "ketamine-and-sleep",
        body,
    );

    // A reviewer who edited the text is told their edit would not be saved by a request.
    let mut edited = fields.clone();
    let body_at = edited.iter().position(|(key, _)| *key == "body").unwrap();
    edited[body_at] = ("body", "Edited by the reviewer.");
    edited.push(("review_note", "Please check."));
    let refused = app.post_form(&path, Some(&reviewer), &edited).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("a request for changes does not save it"));
    assert!(
        html.contains("Edited by the reviewer."),
        "the edit is kept in the form"
    );
    assert!(app.db.review_notes(id, false).await.unwrap().is_empty());

    // A request needs a note.
    let empty = app.post_form(&path, Some(&reviewer), &fields).await;
    assert_eq!(empty.status(), 422);
    assert!(
        empty
            .text()
            .await
            .unwrap()
            .contains("Write what should change")
    );

    fields.push((
        "review_note",
        "The study found new synapses, not new neurons.",
    ));
    fields.push(("review_quote", "causes new neurons"));
    let sent = app.post_form(&path, Some(&reviewer), &fields).await;
    assert_eq!(sent.status(), 303);
    assert_eq!(location(&sent), format!("{path}?done=changes-requested"));
    let article = app.db.editable_article(id).await.unwrap().unwrap();
    assert!(!article.state.in_review, "back to draft");

    // The writer sees the note in the editor, with the passage.
    let editor = app.html_as(&path, Some(&writer)).await;
    assert!(editor.contains("Changes requested"));
    assert!(editor.contains("The study found new synapses, not new neurons."));
    assert!(editor.contains("<blockquote>causes new neurons</blockquote>"));
    assert!(
        !editor.contains("Mark resolved"),
        "only reviewers resolve notes"
    );

    // Submitted again with the note still open: publishing is refused until a reviewer has
    // marked it resolved (issue 28, item 6), even with everything the gate asks for given.
    let publish = |head: String| {
        approving(&article_fields(
            "publish",
            &head,
            "Ketamine and sleep",
            "ketamine-and-sleep",
            body,
        ))
    };
    submit(&app, &writer, &path, id, body).await;
    let fields = publish(head_revision(&app, id).await.to_string());
    let open = app.post_form(&path, Some(&reviewer), &pairs(&fields)).await;
    assert_eq!(open.status(), 409);
    let html = open.text().await.unwrap();
    assert!(
        html.contains("a request for changes is still open"),
        "{html}"
    );
    assert_eq!(app.get("/articles/ketamine-and-sleep").await.status(), 404);

    // A reviewer resolves it: the editor no longer shows it; the history keeps it.
    let note = app.db.review_notes(id, true).await.unwrap()[0]
        .id
        .to_string();
    let resolve = format!("{path}/review-notes");
    let resolved = app
        .post_form(&resolve, Some(&reviewer), &[("note", &note)])
        .await;
    assert_eq!(location(&resolved), format!("{path}?done=note-resolved"));
    let again = app
        .post_form(&resolve, Some(&reviewer), &[("note", &note)])
        .await;
    assert_eq!(location(&again), format!("{path}?done=note-not-open"));
    let editor = app.html_as(&path, Some(&writer)).await;
    assert!(!editor.contains("The study found new synapses"));
    let history = app.html_as(&format!("{path}/history"), Some(&writer)).await;
    assert!(history.contains("The study found new synapses, not new neurons."));
    assert!(history.contains("resolved"));
    let audit = app.db.audit_entries(5, 0).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "requested changes"));
    assert!(
        audit
            .iter()
            .any(|e| e.action.starts_with("resolved review note"))
    );
    // Resolved, the same version is published.
    let fields = publish(head_revision(&app, id).await.to_string());
    let published = app.post_form(&path, Some(&reviewer), &pairs(&fields)).await;
    assert_eq!(published.status(), 303);
    assert_eq!(app.get("/articles/ketamine-and-sleep").await.status(), 200);
}

#[tokio::test]
async fn a_page_past_its_review_date_says_it_is_due_and_stays_readable() {
    let app = TestApp::spawn().await;
    sqlx::query(
        "UPDATE articles SET reviewer_name = 'Dr Ana Ruiz', reviewer_credentials = 'MD',
                last_reviewed = '2025-01-10', next_review_due = '2026-01-10' WHERE id = ?",
    )
    .bind(SEED_ID)
    .execute(&app.sql().await)
    .await
    .unwrap();
    let html = page(&app, SEED_PAGE).await;
    assert!(html.contains("This page is due for review."), "{html}");
    assert!(html.contains("Page last reviewed"));
    assert!(html.contains("Clinically reviewed by Dr Ana Ruiz, MD"));
    assert!(html.contains("The term plasticity"));
}
