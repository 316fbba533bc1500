//! Who gets in: sign-in, sessions, the cross-site check, the setup link, and proof
//! that every server function and admin form checks session and role before anything else.

#![cfg(feature = "ssr")]

mod support;

use plasticity::content::staff::Role;
use support::{PASSWORD, TestApp, location, session_cookie};

/// Every registered server function, with arguments it accepts and the role it needs (`None`:
/// public). A new server function makes `every_server_function_is_classified` fail until it is
/// added here.
pub const SERVER_FUNCTIONS: [(&str, &str, Option<Role>); 16] = [
    ("articles/list", "page=1", None),
    ("articles/get", "slug=ketamine-and-brain-plasticity", None),
    ("articles/moved", "slug=old-address", None),
    ("admin/me", "", None),
    ("admin/setup-link", "token=x", None),
    ("admin/articles", "page=1", Some(Role::Writer)),
    ("admin/article", "id=1", Some(Role::Writer)),
    ("admin/history", "id=1", Some(Role::Writer)),
    ("admin/review-notes", "id=1&all=true", Some(Role::Writer)),
    (
        "admin/preview",
        r#"{"body":"Hello","references":[]}"#,
        Some(Role::Writer),
    ),
    ("admin/staff", "", Some(Role::Admin)),
    // Also answers a half-signed-in session (its own enrolment); see tests/two_factor.rs.
    ("admin/two-factor", "", Some(Role::Writer)),
    ("admin/my-second-factor", "", Some(Role::Writer)),
    ("admin/passkey-registration", "", Some(Role::Writer)),
    // Also answers a half-signed-in session (its passkey challenge).
    ("admin/passkey-sign-in", "", Some(Role::Writer)),
    ("admin/audit", "page=1", Some(Role::Admin)),
];

#[tokio::test]
async fn every_server_function_is_classified() {
    let _app = TestApp::spawn().await;
    let mut registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    registered.sort();
    let mut known: Vec<String> = SERVER_FUNCTIONS
        .iter()
        .map(|(endpoint, _, _)| format!("/api/{endpoint}"))
        .collect();
    known.sort();
    assert_eq!(registered, known);
}

#[tokio::test]
async fn every_protected_server_function_refuses_anonymous_callers_and_too_low_roles() {
    let app = TestApp::spawn().await;
    let writer = app.signed_in(Role::Writer).await;
    let reviewer = app.signed_in(Role::Reviewer).await;
    let admin = app.signed_in(Role::Admin).await;
    for (endpoint, args, needs) in SERVER_FUNCTIONS {
        let Some(needs) = needs else { continue };
        let anonymous = app.call_as(endpoint, None, args).await;
        assert_eq!(anonymous.status(), 401, "{endpoint} without a session");
        let body = anonymous.text().await.unwrap();
        assert!(body.contains("Unauthorized"), "{endpoint}: {body}");
        for (role, cookie) in [
            (Role::Writer, &writer),
            (Role::Reviewer, &reviewer),
            (Role::Admin, &admin),
        ] {
            let status = app.call_as(endpoint, Some(cookie), args).await.status();
            if role < needs {
                assert_eq!(status, 403, "{endpoint} as {role}");
            } else {
                assert_eq!(status, 200, "{endpoint} as {role}");
            }
        }
    }
}

#[tokio::test]
async fn no_server_function_sends_a_password_hash() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    for endpoint in ["admin/staff", "admin/me"] {
        let body = app
            .call_as(endpoint, Some(&admin), "")
            .await
            .text()
            .await
            .unwrap();
        assert!(body.contains("admin@clinic.example"), "{body}");
        assert!(
            !body.contains("argon2") && !body.contains("password"),
            "{body}"
        );
    }
}

/// An admin form: where it posts, what it sends, and the role it needs.
type Form = (String, Vec<(&'static str, String)>, Role);

/// Every admin form, with a body it accepts.
pub fn forms(article: i64) -> Vec<Form> {
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
        // A half-signed-in session posts here; see tests/two_factor.rs.
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
    for (path, fields, needs) in forms(1) {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let anonymous = app.post_form(&path, None, &fields).await;
        assert_eq!(
            anonymous.status(),
            401,
            "{path} {fields:?} without a session"
        );
        for (role, cookie) in [(Role::Writer, &writer), (Role::Reviewer, &reviewer)] {
            if role < needs {
                let response = app.post_form(&path, Some(cookie), &fields).await;
                assert_eq!(response.status(), 403, "{path} {fields:?} as {role}");
            }
        }
    }
    // Nothing those refused requests asked for happened.
    assert_eq!(app.db.editable_article(1).await.unwrap().unwrap(), before);
    assert_eq!(app.db.revisions(1).await.unwrap().len(), 1);
    assert_eq!(app.db.staff().await.unwrap(), staff_before);
    assert!(app.db.review_notes(1, false).await.unwrap().is_empty());
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
    for path in ["/admin/staff", "/admin/audit"] {
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
async fn a_wrong_email_and_a_wrong_password_get_the_same_answer() {
    let app = TestApp::spawn().await;
    app.add_staff("kristen@clinic.example", "Kristen", Role::Writer)
        .await;
    let wrong_password = app
        .post_form(
            "/admin/login",
            None,
            &[
                ("email", "kristen@clinic.example"),
                ("password", "not the password at all"),
            ],
        )
        .await;
    let unknown_email = app
        .post_form(
            "/admin/login",
            None,
            &[("email", "nobody@clinic.example"), ("password", PASSWORD)],
        )
        .await;
    // An imported account has no password until one is set: nothing signs it in.
    app.db
        .add_staff(&plasticity::server::db::NewStaff {
            email: "imported@clinic.example",
            name: "Imported",
            role: Role::Admin,
            credentials: "",
            password_hash: "!",
        })
        .await
        .unwrap();
    let imported = app
        .post_form(
            "/admin/login",
            None,
            &[("email", "imported@clinic.example"), ("password", "!")],
        )
        .await;
    for response in [wrong_password, unknown_email, imported] {
        assert_eq!(response.status(), 401);
        assert!(session_cookie(&response).is_none());
        let html = response.text().await.unwrap();
        assert!(html.contains("That email and password do not match an active account."));
    }
}

#[tokio::test]
async fn state_changing_requests_from_another_site_are_refused() {
    let app = TestApp::spawn().await;
    app.add_staff("kristen@clinic.example", "Kristen", Role::Writer)
        .await;
    let form = "email=kristen%40clinic.example&password=correct+horse+battery+staple";
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let response = TestApp::client()
            .post(format!("{}/admin/login", app.base_url))
            .header("content-type", "application/x-www-form-urlencoded")
            .header(header, value)
            .body(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403, "{header}: {value}");
        assert!(session_cookie(&response).is_none());
    }
    let same_origin = TestApp::client()
        .post(format!("{}/admin/login", app.base_url))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", app.base_url.clone())
        .header("sec-fetch-site", "same-origin")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(same_origin.status(), 303);
}

#[tokio::test]
async fn the_setup_link_creates_the_first_admin_once() {
    let app = TestApp::spawn().await;
    let link = plasticity::server::forms::session::setup_link_if_needed(&app.state())
        .await
        .unwrap()
        .expect("no admin yet, so a link");
    let page = app.get_as(&link, None).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Create admin account"));
    let token = link.split_once("token=").unwrap().1;
    let fields = [
        ("token", token),
        ("name", "Dr Ada Rivera"),
        ("email", "ada@clinic.example"),
        ("credentials", "MD"),
        ("password", "granite willow harbor seventy"),
        ("confirm", "granite willow harbor seventy"),
    ];
    let weak = [("password", "password123"), ("confirm", "password123")];
    let mut weak_fields = fields.to_vec();
    weak_fields.retain(|(k, _)| *k != "password" && *k != "confirm");
    weak_fields.extend(weak);
    let refused = app.post_form("/admin/setup", None, &weak_fields).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Use at least 12 characters"), "{html}");
    assert!(html.contains("ada@clinic.example"));

    let created = app.post_form("/admin/setup", None, &fields).await;
    assert_eq!(created.status(), 303);
    // The first admin sets up a second factor before anything else.
    assert_eq!(location(&created), "/admin/two-factor");
    let half = session_cookie(&created).unwrap();
    assert_eq!(
        location(&app.get_as("/admin/staff", Some(&half)).await),
        "/admin/two-factor?next=/admin/staff"
    );
    let cookie = support::two_factor::enrol(&app.base_url, "ada@clinic.example", &half).await;
    assert_eq!(
        app.get_as("/admin/staff", Some(&cookie)).await.status(),
        200
    );
    // Used up: neither the page nor the form works again, and no new link is made.
    assert_eq!(app.get_as(&link, None).await.status(), 404);
    assert_eq!(
        app.post_form("/admin/setup", None, &fields).await.status(),
        404
    );
    assert!(
        plasticity::server::forms::session::setup_link_if_needed(&app.state())
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn an_expired_setup_link_does_not_work() {
    let app = TestApp::spawn().await;
    let link = plasticity::server::forms::session::setup_link_if_needed(&app.state())
        .await
        .unwrap()
        .unwrap();
    sqlx::query("UPDATE setup_tokens SET expires_at = 0")
        .execute(&app.sql().await)
        .await
        .unwrap();
    assert_eq!(app.get_as(&link, None).await.status(), 404);
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
        let response = app.post_form(&path, Some(&half), &fields).await;
        assert_eq!(
            response.status(),
            403,
            "{path} {fields:?} with only a password"
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
