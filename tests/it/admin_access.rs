//! Who gets in: proof that every admin form and admin page checks the session (whole, not only
//! its password) and the role before anything else. Server functions are in
//! tests/it/api_access.rs; signing in itself is in tests/it/sign_in.rs.

use crate::support;

use super::api_access::SERVER_FUNCTIONS;
use plasticity::content::staff::Role;
use support::{PASSWORD, TestApp, location};

/// An admin form: where it posts, what it sends, and the role it needs.
type Form = (String, Vec<(&'static str, String)>, Role);

/// Every admin form, with a body it accepts.
fn forms(article: i64) -> Vec<Form> {
    let editor = |intent: &str| {
        vec![
            ("intent", intent.to_owned()),
            ("base_revision", "1".to_owned()),
            ("title", "T".to_owned()),
            ("slug", "t".to_owned()),
            ("summary", "S".to_owned()),
            ("body", "B".to_owned()),
            ("author_name", "A".to_owned()),
        ]
    };
    vec![
        ("/admin/articles/new".into(), editor("save"), Role::Writer),
        (
            format!("/admin/articles/{article}"),
            editor("save"),
            Role::Writer,
        ),
        (
            format!("/admin/articles/{article}"),
            editor("publish"),
            Role::Reviewer,
        ),
        (
            format!("/admin/articles/{article}"),
            editor("unpublish"),
            Role::Reviewer,
        ),
        (
            format!("/admin/articles/{article}"),
            {
                let mut fields = editor("request_changes");
                fields.push(("review_note", "Please fix".to_owned()));
                fields
            },
            Role::Reviewer,
        ),
        (
            format!("/admin/articles/{article}/review-notes"),
            vec![("note", "1".into())],
            Role::Reviewer,
        ),
        (
            format!("/admin/articles/{article}/history"),
            vec![("base_revision", "1".into()), ("revision", "1".into())],
            Role::Writer,
        ),
        (
            "/admin/account".into(),
            vec![("current", "x".into())],
            Role::Writer,
        ),
        (
            "/admin/staff".into(),
            vec![("intent", "deactivate".into()), ("staff_id", "1".into())],
            Role::Admin,
        ),
        (
            "/admin/staff".into(),
            vec![
                ("intent", "add".into()),
                ("name", "Someone".into()),
                ("email", "someone@clinic.example".into()),
                ("role", "admin".into()),
            ],
            Role::Admin,
        ),
        (
            "/admin/staff".into(),
            vec![("intent", "reset".into()), ("staff_id", "1".into())],
            Role::Admin,
        ),
        (
            "/admin/staff".into(),
            vec![
                ("intent", "reset_two_factor".into()),
                ("staff_id", "1".into()),
            ],
            Role::Admin,
        ),
        (
            "/admin/account".into(),
            vec![("intent", "recovery_codes".into())],
            Role::Writer,
        ),
        (
            "/admin/account".into(),
            vec![
                ("intent", "add_passkey".into()),
                ("name", "Laptop".into()),
                ("credential", "{}".into()),
            ],
            Role::Writer,
        ),
        (
            "/admin/account".into(),
            vec![
                ("intent", "remove_passkey".into()),
                ("passkey_id", "1".into()),
            ],
            Role::Writer,
        ),
        (
            "/admin/glossary".into(),
            vec![
                ("intent", "add".into()),
                ("term", "amygdala".into()),
                ("definition", "A part of the brain.".into()),
            ],
            Role::Reviewer,
        ),
        (
            "/admin/glossary/1".into(),
            vec![
                ("intent", "save".into()),
                ("version", "1".into()),
                ("term", "atrophy".into()),
                ("definition", "Changed.".into()),
            ],
            Role::Reviewer,
        ),
        (
            "/admin/glossary/1".into(),
            vec![
                ("intent", "remove".into()),
                ("version", "1".into()),
                ("confirmed", "yes".into()),
            ],
            Role::Reviewer,
        ),
        (
            "/admin/topics".into(),
            vec![("intent", "add".into()), ("name", "Side effects".into())],
            Role::Reviewer,
        ),
        (
            "/admin/topics/1".into(),
            vec![
                ("intent", "save".into()),
                ("version", "1".into()),
                ("name", "Changed".into()),
            ],
            Role::Reviewer,
        ),
        (
            "/admin/topics/1".into(),
            vec![
                ("intent", "remove".into()),
                ("version", "1".into()),
                ("confirmed", "yes".into()),
            ],
            Role::Reviewer,
        ),
        (
            "/admin/synonyms".into(),
            vec![("version", "1".into()), ("list", "a, b".into())],
            Role::Admin,
        ),
        // A half-signed-in session posts here; see tests/it/two_factor.rs.
        (
            "/admin/two-factor".into(),
            vec![("intent", "code".into()), ("code", "123456".into())],
            Role::Writer,
        ),
    ]
}

#[tokio::test]
async fn every_admin_form_refuses_anonymous_posts_and_too_low_roles() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let reviewer = app.signed_in(Role::Reviewer).await;
    let before = app.db.editable_article(1).await.unwrap().unwrap();
    let staff_before = app.db.staff().await.unwrap();
    let glossary_before = app.db.glossary().await.unwrap();
    for (path, fields, needs) in forms(1) {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let anonymous = app.post_form(&path, None, &fields).await;
        assert_eq!(
            anonymous.status(),
            401,
            "{path} {fields:?} without a session"
        );
        let said = anonymous.text().await.unwrap().to_lowercase();
        assert!(said.contains("sign in again"), "{path}: {said}");
        for (role, cookie) in [(Role::Writer, &writer), (Role::Reviewer, &reviewer)] {
            if role < needs {
                let response = app.post_form(&path, Some(cookie), &fields).await;
                assert_eq!(response.status(), 403, "{path} {fields:?} as {role}");
                let said = response.text().await.unwrap();
                assert!(said.contains("not allowed to do that"), "{path}: {said}");
            }
        }
    }
    // Nothing those refused requests asked for happened.
    assert_eq!(app.db.editable_article(1).await.unwrap().unwrap(), before);
    assert_eq!(app.db.revisions(1).await.unwrap().len(), 1);
    assert_eq!(app.db.staff().await.unwrap(), staff_before);
    assert!(app.db.review_notes(1, false).await.unwrap().is_empty());
    assert_eq!(app.db.glossary().await.unwrap(), glossary_before);
    assert_eq!(app.db.search_synonyms().await.unwrap().version, 1);
    assert_eq!(app.db.topics().await.unwrap().len(), 1);
    assert_eq!(app.db.topic(1).await.unwrap().unwrap().version, 1);
}

#[tokio::test]
async fn admin_pages_without_a_session_redirect_to_sign_in() {
    let app = TestApp::spawn().await;
    for path in [
        "/admin",
        "/admin/articles/new",
        "/admin/articles/1",
        "/admin/articles/1/history?from=1&to=1",
        "/admin/staff",
        "/admin/audit",
        "/admin/account",
        "/admin/glossary",
        "/admin/glossary/1",
        "/admin/synonyms",
        "/admin/topics",
        "/admin/topics/1",
    ] {
        let response = app.get_as(path, None).await;
        assert_eq!(response.status(), 303, "{path}");
        let expected = format!(
            "/admin/login?next={}",
            path.replace('?', "%3F")
                .replace('=', "%3D")
                .replace('&', "%26")
        );
        assert_eq!(location(&response), expected, "{path}");
    }
    let login = app.get_as("/admin/login", None).await;
    assert_eq!(login.status(), 200);
    let html = login.text().await.unwrap();
    for label in [
        "<label for=\"email\">Email</label>",
        "<label for=\"password\">Password</label>",
        "Sign in</button>",
    ] {
        assert!(html.contains(label), "{label}");
    }
}

#[tokio::test]
async fn a_writer_cannot_open_admin_only_pages() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    for path in [
        "/admin/staff",
        "/admin/audit",
        "/admin/glossary",
        "/admin/glossary/1",
        "/admin/synonyms",
        "/admin/topics",
        "/admin/topics/1",
    ] {
        let response = app.get_as(path, Some(&writer)).await;
        assert_eq!(response.status(), 403, "{path}");
        let html = response.text().await.unwrap();
        assert!(
            !html.contains("writer@clinic.example</td>"),
            "{path} leaked the staff list"
        );
    }
    assert_eq!(app.get_as("/admin", Some(&writer)).await.status(), 200);
}

#[tokio::test]
async fn a_session_with_only_the_password_opens_nothing_but_the_second_factor() {
    let app = TestApp::spawn().await;
    app.add_staff("admin@clinic.example", "Alex Admin", Role::Admin)
        .await;
    // Enrolled, then signed in again with the password only.
    app.sign_in("admin@clinic.example", PASSWORD).await;
    let half = app.half_signed_in("admin@clinic.example", PASSWORD).await;
    for (endpoint, args, needs) in SERVER_FUNCTIONS {
        if needs.is_none() || ["admin/two-factor", "admin/passkey-sign-in"].contains(&endpoint) {
            continue;
        }
        let status = app.call_as(endpoint, Some(&half), args).await.status();
        assert_eq!(status, 403, "{endpoint} with only a password");
    }
    let me = app.call_as("admin/me", Some(&half), "").await;
    assert_eq!(
        me.text().await.unwrap(),
        "null",
        "admin/me says nothing yet"
    );
    let before = app.db.editable_article(1).await.unwrap().unwrap();
    let staff_before = app.db.staff().await.unwrap();
    for (path, fields, _) in forms(1) {
        if path == "/admin/two-factor" {
            continue;
        }
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        // Held: the sign-in page again (the form is kept, nothing done).
        let response = app.post_form(&path, Some(&half), &fields).await;
        assert_eq!(
            response.status(),
            401,
            "{path} {fields:?} with only a password"
        );
        let said = response.text().await.unwrap();
        assert!(
            said.contains("Sign in again to send your changes"),
            "{path}: {said}"
        );
    }
    assert_eq!(app.db.editable_article(1).await.unwrap().unwrap(), before);
    assert_eq!(app.db.staff().await.unwrap(), staff_before);
    for path in [
        "/admin",
        "/admin/staff",
        "/admin/articles/1",
        "/admin/account",
    ] {
        let response = app.get_as(path, Some(&half)).await;
        assert_eq!(response.status(), 303, "{path}");
        assert_eq!(
            location(&response),
            format!("/admin/two-factor?next={path}"),
            "{path}"
        );
    }
    assert_eq!(
        app.get_as("/admin/two-factor", Some(&half)).await.status(),
        200
    );
    // Signing out works half-way too.
    let out = app.post_form("/admin/logout", Some(&half), &[]).await;
    assert_eq!(out.status(), 303);
    assert_eq!(
        app.get_as("/admin/two-factor", Some(&half)).await.status(),
        303
    );
}

/// A button a form does not have (`intent`) is a 400 with a sentence, on every form that has
/// buttons, and never falls through into one of its actions (issue 29, item 1).
#[tokio::test]
async fn an_intent_no_form_has_is_a_400_everywhere() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    app.add_staff("kim@clinic.example", "Kim", Role::Writer)
        .await;
    let login = [
        ("email", "kim@clinic.example"),
        ("password", PASSWORD),
        ("next", ""),
    ];
    let password_given = app.post_form("/admin/login", None, &login).await;
    let half = support::session_cookie(&password_given).expect("a half session");
    let bogus = [("intent", "bogus"), ("base_revision", "1")];
    for (path, cookie) in [
        ("/admin/staff", &admin),
        ("/admin/account", &admin),
        ("/admin/articles/1", &admin),
        ("/admin/articles/new", &admin),
        ("/admin/two-factor", &half),
    ] {
        let refused = app.post_form(path, Some(cookie), &bogus).await;
        assert_eq!(refused.status(), 400, "{path}");
        let html = refused.text().await.unwrap();
        assert!(
            html.contains("bogus"),
            "{path} names what it was sent: {html}"
        );
    }
    assert_eq!(app.db.revisions(1).await.unwrap().len(), 1, "nothing saved");
}
