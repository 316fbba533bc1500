//! Reviewing and publishing through the editor: the review rules, a live article while its
//! next draft is edited, and history with restore.

use crate::support;

use plasticity::content::staff::Role;
use support::editing::{approving, article_fields, create, pairs};
use support::{PASSWORD, TestApp, location};

const SEED_ID: i64 = 1;

#[tokio::test]
async fn review_rules_writers_cannot_publish_and_nobody_approves_their_own_submission() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let reviewer = app.signed_in(Role::Reviewer).await;
    let (id, head) = create(&app, &writer, "ketamine-and-sleep", "Sleep often improves.").await;
    let path = format!("/admin/articles/{id}");
    let head_s = head.to_string();
    let fields = article_fields(
        "publish",
        &head_s,
        "Ketamine and sleep",
        "ketamine-and-sleep",
        "Sleep often improves.",
    );

    // Not submitted yet: a reviewer cannot publish it.
    let unsubmitted = app.post_form(&path, Some(&reviewer), &fields).await;
    assert_eq!(unsubmitted.status(), 422);
    assert!(
        unsubmitted
            .text()
            .await
            .unwrap()
            .contains("has not been submitted for review")
    );

    // The reviewer submits it themselves, then tries to approve it.
    let mut submit = fields.clone();
    submit[0] = ("intent", "submit");
    assert_eq!(
        app.post_form(&path, Some(&reviewer), &submit)
            .await
            .status(),
        303
    );
    let own = app.post_form(&path, Some(&reviewer), &fields).await;
    assert_eq!(own.status(), 403);
    assert!(
        own.text()
            .await
            .unwrap()
            .contains("You submitted this version yourself")
    );

    // A writer cannot publish at all.
    assert_eq!(
        app.post_form(&path, Some(&writer), &fields).await.status(),
        403
    );
    assert_eq!(app.get("/articles/ketamine-and-sleep").await.status(), 404);

    // A second reviewer approves it.
    app.add_staff("dr.lee@clinic.example", "Dr Sam Lee", Role::Reviewer)
        .await;
    let lee = app.sign_in("dr.lee@clinic.example", PASSWORD).await;
    let approved = approving(&fields);
    let published = app.post_form(&path, Some(&lee), &pairs(&approved)).await;
    assert_eq!(published.status(), 303);
    assert_eq!(location(&published), format!("{path}?done=published"));
    let page = app.get("/articles/ketamine-and-sleep").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let today = chrono::Utc::now().date_naive();
    let review = format!(
        "Clinically reviewed by Dr Sam Lee, MD on <time datetime=\"{today}\">{}</time>",
        plasticity::content::format_date(today)
    );
    assert!(html.contains(&review), "{html}");
    let due = plasticity::content::format_date(plasticity::content::editing::months_after(
        chrono::Utc::now().date_naive(),
        12,
    ));
    assert!(html.contains(&due), "next review due a year on");
}

#[tokio::test]
async fn a_published_article_stays_live_while_its_next_draft_is_edited() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let reviewer = app.signed_in(Role::Reviewer).await;
    let seed = app.db.editable_article(SEED_ID).await.unwrap().unwrap();
    let path = format!("/admin/articles/{SEED_ID}");
    let base = seed.head_revision_id.to_string();
    let mut fields = article_fields(
        "submit",
        &base,
        &seed.draft.title,
        &seed.draft.slug,
        "A rewritten body, not yet approved.",
    );
    fields.retain(|(k, _)| !k.starts_with("ref-"));
    let saved = app.post_form(&path, Some(&writer), &fields).await;
    assert_eq!(saved.status(), 303);
    let live = app
        .get("/articles/ketamine-and-brain-plasticity")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        live.contains("The term plasticity, when referring to the brain"),
        "patients still read the published text"
    );
    assert!(!live.contains("A rewritten body"));
    let dashboard = app
        .get_as("/admin", Some(&writer))
        .await
        .text()
        .await
        .unwrap();
    assert!(dashboard.contains("Published, changes in review"));

    // The reviewer approves: patients now read the new text.
    let head = app
        .db
        .editable_article(SEED_ID)
        .await
        .unwrap()
        .unwrap()
        .head_revision_id
        .to_string();
    fields[0] = ("intent", "publish");
    fields[1] = ("base_revision", &head);
    let approved = approving(&fields);
    assert_eq!(
        app.post_form(&path, Some(&reviewer), &pairs(&approved))
            .await
            .status(),
        303
    );
    let live = app
        .get("/articles/ketamine-and-brain-plasticity")
        .await
        .text()
        .await
        .unwrap();
    assert!(live.contains("A rewritten body, not yet approved."));

    // Unpublishing asks first (nothing happens until confirmed), then takes it off the site.
    fields[0] = ("intent", "unpublish");
    let asked = app.post_form(&path, Some(&reviewer), &fields).await;
    assert_eq!(asked.status(), 200);
    let question = asked.text().await.unwrap();
    assert!(question.contains("role=\"alertdialog\""), "{question}");
    assert!(question.contains("Yes, unpublish it"));
    assert_eq!(
        app.get("/articles/ketamine-and-brain-plasticity")
            .await
            .status(),
        200
    );
    fields.push(("confirmed", "yes"));
    assert_eq!(
        app.post_form(&path, Some(&reviewer), &fields)
            .await
            .status(),
        303
    );
    assert_eq!(
        app.get("/articles/ketamine-and-brain-plasticity")
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn history_lists_revisions_diffs_them_and_restores_an_old_one() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let (id, first) = create(
        &app,
        &writer,
        "ketamine-and-sleep",
        "Line one.\nLine two.\n",
    )
    .await;
    let path = format!("/admin/articles/{id}");
    let first_s = first.to_string();
    let second = app
        .post_form(
            &path,
            Some(&writer),
            &article_fields(
                "save",
                &first_s,
                "Ketamine and sleep",
                "ketamine-and-sleep",
                "Line one.\nLine 2, changed.\n",
            ),
        )
        .await;
    assert_eq!(second.status(), 303);
    let revisions = app.db.revisions(id).await.unwrap();
    assert_eq!(revisions.len(), 2);
    let newest = revisions[0].id;

    let history = app
        .get_as(
            &format!("{path}/history?from={first}&to={newest}"),
            Some(&writer),
        )
        .await;
    assert_eq!(history.status(), 200);
    let html = history.text().await.unwrap();
    assert!(html.contains("Test writer") && html.contains("First go"));
    // Only the changed words are marked inside the changed line.
    let removed = "Removed: </span>Line <strong class=\"diff-word\">two.</strong>";
    assert!(html.contains(removed), "{html}");
    let added = "Added: </span>Line <strong class=\"diff-word\">2, changed.</strong>";
    assert!(html.contains(added));

    // Restoring from a stale history page is refused.
    let stale = app
        .post_form(
            &format!("{path}/history"),
            Some(&writer),
            &[("base_revision", &first_s), ("revision", &first_s)],
        )
        .await;
    assert_eq!(stale.status(), 409);
    let restored = app
        .post_form(
            &format!("{path}/history"),
            Some(&writer),
            &[
                ("base_revision", &newest.to_string()),
                ("revision", &first_s),
            ],
        )
        .await;
    assert_eq!(restored.status(), 303);
    let revisions = app.db.revisions(id).await.unwrap();
    assert_eq!(
        revisions.len(),
        3,
        "restore adds a revision, it never rewrites one"
    );
    assert_eq!(revisions[0].note, "Restored version 1");
    let numbers: Vec<i64> = revisions.iter().map(|revision| revision.number).collect();
    assert_eq!(numbers, [3, 2, 1], "the article's own count, newest first");
    let article = app.db.editable_article(id).await.unwrap().unwrap();
    assert_eq!(article.draft.body, "Line one.\nLine two.\n");
}
