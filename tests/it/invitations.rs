//! Invitations and password reset links: an admin adds a person by name, email and role, or asks
//! for a reset, and is shown a link once; the person sets their own password with it. A link
//! works once, for 72 hours, only on a browser signed in to no account, and is audited.

use crate::support;

use plasticity::content::staff::Role;
use support::{PASSWORD, TestApp, location, session_cookie, shown_link_token};

const KIM: &str = "kim@clinic.example";
const KIMS_PASSWORD: &str = "meadow quartz lantern ribbon";

/// An admin adds Kim as a writer: the admin's cookie, and the token of the link shown.
async fn invite_kim(app: &TestApp) -> (String, String) {
    let admin = app.signed_in(Role::Admin).await;
    let added = app
        .post_form(
            "/admin/staff",
            Some(&admin),
            &[
                ("intent", "add"),
                ("name", "Kim Writer"),
                ("email", KIM),
                ("role", "writer"),
            ],
        )
        .await;
    assert_eq!(added.status(), 200);
    let html = added.text().await.unwrap();
    assert!(html.contains("Kim Writer\u{2019}s account is ready: send them this invitation link"));
    assert!(html.contains("shown only now"));
    (admin, shown_link_token(&html))
}

#[tokio::test]
async fn an_invited_person_sets_their_own_password_once_then_their_second_factor() {
    let app = TestApp::spawn().await;
    let (_, token) = invite_kim(&app).await;
    // No password until Kim chooses one: nothing signs in.
    let early = app
        .post_form("/admin/login", None, &[("email", KIM), ("password", "")])
        .await;
    assert_eq!(early.status(), 401);

    let page = app.get(&format!("/admin/welcome?token={token}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Welcome, Kim Writer") && html.contains(KIM));

    // The same strength rules as everywhere, and the password twice alike.
    let weak = app.set_password_with_link(&token, "kim writer").await;
    assert_eq!(weak.status(), 422);
    assert!(
        weak.text()
            .await
            .unwrap()
            .contains("Your password was not set.")
    );
    let different = app
        .post_form(
            "/admin/welcome",
            None,
            &[
                ("token", &token),
                ("password", KIMS_PASSWORD),
                ("confirm", "something else entirely"),
            ],
        )
        .await;
    assert_eq!(different.status(), 422);
    assert!(
        different
            .text()
            .await
            .unwrap()
            .contains("The two passwords are different")
    );

    let set = app.set_password_with_link(&token, KIMS_PASSWORD).await;
    assert_eq!(set.status(), 303);
    assert_eq!(location(&set), "/admin/two-factor");
    let half = session_cookie(&set).expect("a half session");
    let enrol = app.html_as("/admin/two-factor", Some(&half)).await;
    assert!(
        enrol.contains("Set up two-factor sign-in"),
        "a new account enrols next"
    );

    // Once only.
    assert_eq!(
        app.set_password_with_link(&token, "another quite long passphrase")
            .await
            .status(),
        404
    );
    let gone = app.get(&format!("/admin/welcome?token={token}")).await;
    assert_eq!(gone.status(), 404);
    assert!(
        gone.text()
            .await
            .unwrap()
            .contains("This link does not work")
    );
    // And the password Kim chose is the one that works.
    app.sign_in(KIM, KIMS_PASSWORD).await;

    let actions: Vec<String> = app
        .db
        .audit_entries(100, 0)
        .await
        .unwrap()
        .into_iter()
        .rev()
        .filter(|entry| entry.subject == KIM || entry.actor == KIM)
        .map(|entry| entry.action)
        .collect();
    assert_eq!(
        actions[..3],
        [
            "added a writer account",
            "made an invitation link (shown once; works once, for 72 hours)",
            "sign-in failed",
        ]
    );
    assert!(
        actions.contains(
            &"set their first password with an invitation link (second factor next)".to_owned()
        ),
        "{actions:?}"
    );
}

#[tokio::test]
async fn a_link_expires_after_72_hours_and_a_new_one_replaces_the_old() {
    let app = TestApp::spawn().await;
    let (admin, first) = invite_kim(&app).await;
    let kim = app.db.staff_by_email(KIM).await.unwrap().unwrap();
    let second = app.reset_link(&admin, kim.id).await;
    assert_ne!(first, second);
    assert_eq!(
        app.set_password_with_link(&first, KIMS_PASSWORD)
            .await
            .status(),
        404,
        "replaced"
    );
    let made: i64 =
        sqlx::query_scalar("SELECT expires_at - created_at FROM staff_links WHERE used_at IS NULL")
            .fetch_one(&app.sql().await)
            .await
            .unwrap();
    assert_eq!(made, 72 * 3600);
    sqlx::query("UPDATE staff_links SET expires_at = ?")
        .bind(chrono::Utc::now().timestamp() - 1)
        .execute(&app.sql().await)
        .await
        .unwrap();
    assert_eq!(
        app.set_password_with_link(&second, KIMS_PASSWORD)
            .await
            .status(),
        404,
        "expired"
    );
}

#[tokio::test]
async fn a_browser_signed_in_to_another_account_cannot_use_a_link() {
    let app = TestApp::spawn().await;
    let (admin, token) = invite_kim(&app).await;
    let page = app
        .html_as(&format!("/admin/welcome?token={token}"), Some(&admin))
        .await;
    assert!(page.contains("Sign out first"), "{page}");
    let refused = app
        .post_form(
            "/admin/welcome",
            Some(&admin),
            &[
                ("token", &token),
                ("password", KIMS_PASSWORD),
                ("confirm", KIMS_PASSWORD),
            ],
        )
        .await;
    assert_eq!(refused.status(), 409);
    assert!(session_cookie(&refused).is_none(), "no session for anyone");
    // Nothing changed: the link still works for Kim, on a browser signed in to nobody.
    assert_eq!(
        app.set_password_with_link(&token, KIMS_PASSWORD)
            .await
            .status(),
        303
    );
    // The admin's own password is untouched.
    app.sign_in("admin@clinic.example", PASSWORD).await;
}

#[tokio::test]
async fn a_link_sent_many_times_at_once_sets_one_password() {
    let app = TestApp::spawn().await;
    let (_, token) = invite_kim(&app).await;
    let attempts = (0..6).map(|n| {
        let app = &app;
        let token = token.clone();
        async move {
            let password = format!("{KIMS_PASSWORD} number {n}");
            (
                app.set_password_with_link(&token, &password).await.status(),
                password,
            )
        }
    });
    let answers = futures::future::join_all(attempts).await;
    let worked: Vec<&String> = answers
        .iter()
        .filter(|(status, _)| *status == 303)
        .map(|(_, p)| p)
        .collect();
    assert_eq!(worked.len(), 1, "{answers:?}");
    assert!(
        answers
            .iter()
            .all(|(status, _)| [303, 404].contains(&status.as_u16()))
    );
    app.sign_in(KIM, worked[0]).await;
}

#[tokio::test]
async fn a_reset_link_ends_every_session_only_once_it_is_used() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    let kim = app.add_staff(KIM, "Kim Writer", Role::Writer).await;
    let session = app.sign_in(KIM, PASSWORD).await;
    let token = app.reset_link(&admin, kim.id).await;
    assert_eq!(app.get_as("/admin", Some(&session)).await.status(), 200);
    let page = app
        .get(&format!("/admin/welcome?token={token}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Choose a new password, Kim Writer"));
    assert_eq!(
        app.set_password_with_link(&token, KIMS_PASSWORD)
            .await
            .status(),
        303
    );
    assert_eq!(
        app.get_as("/admin", Some(&session)).await.status(),
        303,
        "signed out everywhere"
    );
    let old = app
        .post_form(
            "/admin/login",
            None,
            &[("email", KIM), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(old.status(), 401, "the old password no longer works");
}
