//! Who gets in through the server functions: every registered one is classified here (public, or
//! the role it needs), and each protected one refuses a caller without a session (401) or with
//! too low a role (403) before anything else. Admin forms and pages: tests/it/admin_access.rs.

use crate::support;

use plasticity::content::staff::Role;
use support::TestApp;

/// Every registered server function, with arguments it accepts and the role it needs (`None`:
/// public). A new server function makes `every_server_function_is_classified` fail until it is
/// added here.
pub const SERVER_FUNCTIONS: [(&str, &str, Option<Role>); 28] = [
    (
        "articles/list",
        "before=ketamine-and-brain-plasticity",
        None,
    ),
    ("articles/get", "slug=ketamine-and-brain-plasticity", None),
    ("articles/moved", "slug=old-address", None),
    ("glossary", "", None),
    ("search", "q=ketamine&page=1", None),
    ("topics", "", None),
    ("topic", "slug=how-ketamine-treatment-works", None),
    ("admin/me", "", None),
    ("admin/setup-link", "token=x", None),
    // Says something only for a live link (the token is the secret): tests/it/invitations.rs.
    ("admin/staff-link", "token=x", None),
    ("admin/articles", "page=1", Some(Role::Writer)),
    ("admin/article", "id=1", Some(Role::Writer)),
    ("admin/article-addresses", "", Some(Role::Writer)),
    ("admin/history", "id=1", Some(Role::Writer)),
    ("admin/review-notes", "id=1&all=true", Some(Role::Writer)),
    (
        "admin/preview",
        r#"{"body":"Hello","references":[]}"#,
        Some(Role::Writer),
    ),
    ("admin/keep-session", "", Some(Role::Writer)),
    ("admin/staff", "", Some(Role::Admin)),
    ("admin/glossary", "", Some(Role::Reviewer)),
    ("admin/glossary-term", "id=1", Some(Role::Reviewer)),
    ("admin/synonyms", "", Some(Role::Admin)),
    ("admin/topics", "", Some(Role::Reviewer)),
    ("admin/topic", "id=1", Some(Role::Reviewer)),
    // Also answers a half-signed-in session (its own enrolment); see tests/it/two_factor.rs.
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
