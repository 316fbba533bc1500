//! Writing, reviewing and publishing through the admin forms: validation that keeps the text,
//! revisions, conflicts, the review rules, history and restore, and the audit log.

#![cfg(feature = "ssr")]

mod support;

use plasticity::content::staff::Role;
use support::editing::{article_fields, create};
use support::{PASSWORD, TestApp, location};

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
        app.db.dashboard().await.unwrap().len(),
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
    let published = app.post_form(&path, Some(&lee), &fields).await;
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
    assert_eq!(
        app.post_form(&path, Some(&reviewer), &fields)
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

    // Unpublishing takes it off the site.
    fields[0] = ("intent", "unpublish");
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
    assert!(html.contains("Removed: </span>Line two."), "{html}");
    assert!(html.contains("Added: </span>Line 2, changed."));

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
    assert_eq!(revisions[0].note, format!("Restored revision #{first}"));
    let article = app.db.editable_article(id).await.unwrap().unwrap();
    assert_eq!(article.draft.body, "Line one.\nLine two.\n");
}

#[tokio::test]
async fn the_audit_log_records_who_did_what_from_where_and_cannot_be_changed() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    app.post_form(
        "/admin/login",
        None,
        &[
            ("email", "admin@clinic.example"),
            ("password", "wrong wrong wrong"),
        ],
    )
    .await;
    create(&app, &admin, "ketamine-and-sleep", "Text.").await;
    let added = app
        .post_form(
            "/admin/staff",
            Some(&admin),
            &[
                ("intent", "add"),
                ("name", "Kim Writer"),
                ("email", "kim@clinic.example"),
                ("role", "writer"),
                ("password", "meadow quartz lantern ribbon"),
            ],
        )
        .await;
    assert_eq!(added.status(), 303);
    let kim = app
        .db
        .staff_by_email("kim@clinic.example")
        .await
        .unwrap()
        .unwrap();
    let role = app
        .post_form(
            "/admin/staff",
            Some(&admin),
            &[
                ("intent", "role"),
                ("staff_id", &kim.id.to_string()),
                ("role", "reviewer"),
            ],
        )
        .await;
    assert_eq!(role.status(), 303);
    app.post_form("/admin/logout", Some(&admin), &[]).await;

    let entries = app.db.audit_entries(100, 0).await.unwrap();
    let actions: Vec<&str> = entries.iter().rev().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "signed in",
            "sign-in failed",
            "created an article",
            "added a writer account",
            "changed role from writer to reviewer",
            "signed out"
        ]
    );
    assert!(entries.iter().all(|e| e.address == "127.0.0.1"));
    assert!(entries.iter().all(|e| e.actor == "admin@clinic.example"));

    let sql = app.sql().await;
    let update = sqlx::query("UPDATE audit_log SET action = 'nothing' WHERE id = ?")
        .bind(entries[0].id)
        .execute(&sql)
        .await;
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = sqlx::query("DELETE FROM audit_log").execute(&sql).await;
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    assert_eq!(app.db.audit_entries(100, 0).await.unwrap(), entries);

    let admin = app.sign_in("admin@clinic.example", PASSWORD).await;
    let page = app.get_as("/admin/audit", Some(&admin)).await;
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("changed role from writer to reviewer")
    );
}

#[tokio::test]
async fn admins_cannot_lock_themselves_out() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    let me = app
        .db
        .staff_by_email("admin@clinic.example")
        .await
        .unwrap()
        .unwrap();
    let id = me.id.to_string();
    let demote = app
        .post_form(
            "/admin/staff",
            Some(&admin),
            &[("intent", "role"), ("staff_id", &id), ("role", "writer")],
        )
        .await;
    assert_eq!(demote.status(), 403);
    let deactivate = app
        .post_form(
            "/admin/staff",
            Some(&admin),
            &[("intent", "deactivate"), ("staff_id", &id)],
        )
        .await;
    assert_eq!(deactivate.status(), 403);
    assert_eq!(app.db.staff_by_id(me.id).await.unwrap().unwrap(), me);
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
    let html = support::json(&response.text().await.unwrap());
    let html = html.as_str().unwrap();
    assert!(html.contains("<h3>Sleep</h3>"), "{html}");
    assert!(!html.contains("<script>"));
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
    let rows: Vec<&str> = html.split("<tr").skip(2).collect();
    assert_eq!(rows.len(), 2, "{html}");
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
