//! The review workflow around the gate: every note a writer or reviewer types is kept, each
//! review step (submitted, changes requested, published) is in the history, a reviewer sees what
//! waits for their review, and a submitted text is not offered for submission again.

use crate::support;

use plasticity::content::staff::Role;
use support::TestApp;
use support::editing::{article_fields, create, head_revision, second_reviewer, submitted};

#[tokio::test]
async fn every_note_is_kept_and_every_review_step_is_in_the_history() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let body = "Ketamine helps some people sleep (Duman & Aghajanian, 2012).";
    // The note typed with a new article is its first revision's note, not "Created".
    let (id, _) = create(&app, &writer, "ketamine-and-sleep", body).await;
    let revisions = app.db.revisions(id).await.unwrap();
    assert_eq!(revisions[0].note, "First go");
    assert_eq!(revisions[0].number, 1, "a new article's first version is 1");

    // "Submit for review" on unchanged text: no new revision, so the step keeps the note.
    let path = format!("/admin/articles/{id}");
    let head = head_revision(&app, id).await.to_string();
    let mut fields = article_fields(
        "submit",
        &head,
        "Ketamine and sleep",
        "ketamine-and-sleep",
        body,
    );
    let note_at = fields.iter().position(|(key, _)| *key == "note").unwrap();
    fields[note_at] = ("note", "Ready for Dr Lee: only the dosing line is new");
    assert_eq!(
        app.post_form(&path, Some(&writer), &fields).await.status(),
        303
    );
    assert_eq!(app.db.revisions(id).await.unwrap().len(), 1);

    let reviewer = second_reviewer(&app).await;
    let mut sent_back = article_fields(
        "request_changes",
        &head,
        "Ketamine and sleep",
        "ketamine-and-sleep",
        body,
    );
    sent_back.push(("review_note", "Say how long the effect lasts."));
    assert_eq!(
        app.post_form(&path, Some(&reviewer), &sent_back)
            .await
            .status(),
        303
    );

    let history = app.html_as(&format!("{path}/history"), Some(&writer)).await;
    for said in [
        "Submitted for review</strong>",
        "Ready for Dr Lee: only the dosing line is new",
        "Changes requested</strong>",
        "Say how long the effect lasts.",
        "Version 1",
        "Test writer",
    ] {
        assert!(history.contains(said), "{said} not in the history");
    }
    assert!(
        !history.contains(&format!("#{head}")),
        "ids are not shown as numbers"
    );
    let kinds: Vec<_> = app
        .db
        .article_events(id)
        .await
        .unwrap()
        .into_iter()
        .map(|event| (event.kind.label(), event.by))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Changes requested", "Dr Sam Lee".to_owned()),
            ("Submitted for review", "Test writer".to_owned()),
        ]
    );
}

#[tokio::test]
async fn a_reviewer_sees_what_waits_for_their_review_and_a_submitted_text_offers_no_second_submit()
{
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let reviewer = app.signed_in(Role::Reviewer).await;
    let before = app.html_as("/admin", Some(&reviewer)).await;
    assert!(before.contains("Waiting for your review (0)"));
    assert!(before.contains("Nothing is waiting for your review."));
    let writers_view = app.html_as("/admin", Some(&writer)).await;
    assert!(
        !writers_view.contains("Waiting for your review"),
        "writers do not review"
    );

    let body = "Ketamine helps some people sleep (Duman & Aghajanian, 2012).";
    let (id, path) = submitted(&app, &writer, body).await;
    let dashboard = app.html_as("/admin", Some(&reviewer)).await;
    assert!(
        dashboard.contains("Waiting for your review (1)"),
        "{dashboard}"
    );
    assert!(dashboard.contains(&format!("href=\"/admin/articles/{id}\"")));

    // A reviewer who submitted a text does not see it as theirs to review.
    let (own, _) = create(&app, &reviewer, "reviewers-own", body).await;
    let head = head_revision(&app, own).await.to_string();
    let fields = article_fields("submit", &head, "Own", "reviewers-own", body);
    let own_path = format!("/admin/articles/{own}");
    assert_eq!(
        app.post_form(&own_path, Some(&reviewer), &fields)
            .await
            .status(),
        303
    );
    let dashboard = app.html_as("/admin", Some(&reviewer)).await;
    assert!(
        dashboard.contains("Waiting for your review (1)"),
        "only the writer's"
    );

    let editor = app.html_as(&path, Some(&writer)).await;
    assert!(
        !editor.contains("value=\"submit\""),
        "no second submission of the same text"
    );
    assert!(editor.contains("This version is waiting for clinical review."));
}
