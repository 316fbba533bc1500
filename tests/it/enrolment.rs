//! Enrolling the second factor: the secret shown to the half-signed-in session, confirmed by a
//! code, ten recovery codes; and the secret belongs to that session alone, so a password never
//! yields the secret its owner enrols. (Signing in with it is in tests/it/two_factor.rs.)

use crate::support;

use plasticity::content::staff::Role;
use support::two_factor::{code_at, now, post, says, shown_codes, shown_secret};
use support::{PASSWORD, TestApp, session_cookie};

const KIM: &str = "kim@clinic.example";

async fn audit_actions(app: &TestApp) -> Vec<String> {
    let entries = app.db.audit_entries(100, 0).await.unwrap();
    entries.into_iter().rev().map(|e| e.action).collect()
}

#[tokio::test]
async fn enrolment_shows_the_secret_and_is_confirmed_by_a_code_then_gives_recovery_codes() {
    let app = TestApp::spawn().await;
    app.add_staff(KIM, "Kim", Role::Writer).await;
    let half = app.half_signed_in(KIM, PASSWORD).await;
    let page = app.get_as("/admin/two-factor", Some(&half)).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for part in [
        "Set up two-factor sign-in",
        "class=\"qr-code\"",
        "role=\"img\"",
        "<path d=\"M4,4h1v1h-1z",
        "autocomplete=\"one-time-code\"",
        "inputmode=\"numeric\"",
    ] {
        assert!(html.contains(part), "{part}");
    }
    let secret = shown_secret(&html).expect("the key as text");
    // Reloading shows the same secret (the person may have scanned it already).
    let again = app.get_as("/admin/two-factor", Some(&half)).await;
    assert_eq!(
        shown_secret(&again.text().await.unwrap()),
        Some(secret.clone())
    );

    says(
        post(&app, &half, &[("intent", "enrol"), ("code", "000000")]).await,
        422,
        "That code is not right",
    )
    .await;
    says(
        post(&app, &half, &[("intent", "enrol"), ("code", "12345")]).await,
        422,
        "Enter the 6-digit code",
    )
    .await;

    let code = code_at(&secret, now());
    let spaced = format!("{} {}", &code[..3], &code[3..]);
    let done = post(&app, &half, &[("intent", "enrol"), ("code", &spaced)]).await;
    assert_eq!(done.status(), 200);
    let whole = session_cookie(&done).expect("a new session");
    assert_ne!(whole, half);
    let codes = shown_codes(&done.text().await.unwrap());
    assert_eq!(codes.len(), 10);
    assert_eq!(app.get_as("/admin", Some(&whole)).await.status(), 200);
    assert_eq!(app.get_as("/admin", Some(&half)).await.status(), 303);

    // Stored: the secret sealed, the codes hashed.
    let sql = app.sql().await;
    let sealed: String = sqlx::query_scalar("SELECT secret_sealed FROM staff_totp")
        .fetch_one(&sql)
        .await
        .unwrap();
    let base32 = totp_rs::Secret::Raw(secret.clone())
        .to_encoded()
        .to_string();
    assert!(!sealed.contains(&base32) && !sealed.contains(&base32.to_lowercase()));
    let hashes: Vec<String> = sqlx::query_scalar("SELECT code_hash FROM recovery_codes")
        .fetch_all(&sql)
        .await
        .unwrap();
    assert_eq!(hashes.len(), 10);
    for code in &codes {
        let plain = code.replace('-', "");
        assert!(hashes.iter().all(|hash| !hash.contains(&plain)));
    }
    let actions = audit_actions(&app).await;
    assert!(actions.contains(&"second factor refused (wrong or used code)".to_owned()));
    assert_eq!(
        actions.last().unwrap(),
        "enrolled an authenticator app (second factor)"
    );
}

/// Issue 28, item 1: someone who knows only the password signs in before the owner enrols. Each
/// half session is shown its own secret, only the secret a session was shown confirms its
/// enrolment, and the attacker's secret never becomes the account's.
#[tokio::test]
async fn a_password_alone_never_yields_the_secret_its_owner_enrols() {
    let app = TestApp::spawn().await;
    app.add_staff(KIM, "Kim", Role::Writer).await;
    let shown = |cookie: String| {
        let app = &app;
        async move {
            let page = app.get_as("/admin/two-factor", Some(&cookie)).await;
            shown_secret(&page.text().await.unwrap())
        }
    };
    let attacker = app.half_signed_in(KIM, PASSWORD).await;
    let attackers = shown(attacker.clone()).await.expect("a secret to enrol");
    // The attacker signs out; the owner signs in later.
    app.post_form("/admin/logout", Some(&attacker), &[]).await;
    let owner = app.half_signed_in(KIM, PASSWORD).await;
    let owners = shown(owner.clone()).await.expect("a secret to enrol");
    assert_ne!(
        owners, attackers,
        "each sign-in is shown a secret of its own"
    );
    assert_eq!(
        shown(owner.clone()).await,
        Some(owners.clone()),
        "kept on reload"
    );
    // Only the secret this session was shown confirms it.
    let at = now();
    says(
        post(
            &app,
            &owner,
            &[("intent", "enrol"), ("code", &code_at(&attackers, at))],
        )
        .await,
        422,
        "That code is not right",
    )
    .await;
    let code = code_at(&owners, at);
    let enrolled = post(&app, &owner, &[("intent", "enrol"), ("code", &code)]).await;
    assert_eq!(enrolled.status(), 200);
    // The attacker, back with the password, sees no secret and cannot use theirs.
    let again = app.half_signed_in(KIM, PASSWORD).await;
    assert_eq!(shown(again.clone()).await, None);
    for (cookie, intent) in [(&again, "code"), (&again, "enrol")] {
        let code = code_at(&attackers, now());
        let refused = post(&app, cookie, &[("intent", intent), ("code", &code)]).await;
        assert_eq!(refused.status(), 422, "{intent}");
    }
    assert_eq!(app.get_as("/admin", Some(&again)).await.status(), 303);
    // Two sessions confirming at once: one enrols, the other is told it is set up already.
    let bo = "bo@clinic.example";
    app.add_staff(bo, "Bo", Role::Writer).await;
    let (first, second) = (
        app.half_signed_in(bo, PASSWORD).await,
        app.half_signed_in(bo, PASSWORD).await,
    );
    let (a, b) = (
        shown(first.clone()).await.unwrap(),
        shown(second.clone()).await.unwrap(),
    );
    let at = now();
    let (code_a, code_b) = (code_at(&a, at), code_at(&b, at));
    let (fields_a, fields_b) = (
        [("intent", "enrol"), ("code", code_a.as_str())],
        [("intent", "enrol"), ("code", code_b.as_str())],
    );
    let (one, two) = tokio::join!(
        post(&app, &first, &fields_a),
        post(&app, &second, &fields_b),
    );
    let mut statuses = [one.status().as_u16(), two.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 422]);
}
