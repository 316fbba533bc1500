//! Signing in: a wrong email and a wrong password get the same answer, requests from another site
//! are refused, and the one-time setup link creates the first admin (who then enrols a second
//! factor).

use crate::support;

use plasticity::content::staff::Role;
use support::{PASSWORD, TestApp, location, session_cookie};

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
    let link = plasticity::server::forms::setup::setup_link_if_needed(&app.state())
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
        plasticity::server::forms::setup::setup_link_if_needed(&app.state())
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn an_expired_setup_link_does_not_work() {
    let app = TestApp::spawn().await;
    let link = plasticity::server::forms::setup::setup_link_if_needed(&app.state())
        .await
        .unwrap()
        .unwrap();
    sqlx::query("UPDATE setup_tokens SET expires_at = 0")
        .execute(&app.sql().await)
        .await
        .unwrap();
    assert_eq!(app.get_as(&link, None).await.status(), 404);
}
