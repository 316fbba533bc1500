//! The second factor: codes once per step, recovery codes once, the throttle, an
//! admin's reset, and the secret sealed at rest. (That a half-signed-in session can reach nothing
//! else is in tests/it/admin_access.rs, beside the list of every form; the server functions are
//! listed in tests/it/api_access.rs.)

use crate::support;

use plasticity::content::staff::Role;
use support::two_factor::{code_at, factor, now, post, says, shown_codes, shown_secret};
use support::{PASSWORD, TestApp, TestDb, location, session_cookie};

const KIM: &str = "kim@clinic.example";

/// Forgets which steps the account used, so a test can use the code of a step again.
async fn forget_used_steps(app: &TestApp) {
    sqlx::query("UPDATE staff_totp SET last_step = 0")
        .execute(&app.sql().await)
        .await
        .unwrap();
}

/// A server where Kim has enrolled (signed in once), and Kim's authenticator secret.
async fn kim_enrolled() -> (TestApp, Vec<u8>) {
    let app = TestApp::spawn().await;
    app.add_staff(KIM, "Kim", Role::Writer).await;
    app.sign_in(KIM, PASSWORD).await;
    let secret = factor(&app.base_url, KIM).unwrap().secret;
    (app, secret)
}

/// An admin's press of "Reset second factor" for account `id`.
async fn reset_second_factor(app: &TestApp, admin: &str, id: i64) -> reqwest::Response {
    let id = id.to_string();
    let fields = [
        ("intent", "reset_two_factor"),
        ("staff_id", id.as_str()),
        ("confirmed", "yes"),
    ];
    app.post_form("/admin/staff", Some(admin), &fields).await
}

async fn audit_actions(app: &TestApp) -> Vec<String> {
    let entries = app.db.audit_entries(100, 0).await.unwrap();
    entries.into_iter().rev().map(|e| e.action).collect()
}

#[tokio::test]
async fn a_code_is_accepted_for_its_step_and_the_one_before_and_only_once() {
    let (app, secret) = kim_enrolled().await;
    forget_used_steps(&app).await;
    // The code of the step before (a slow phone, a slow typist) still works...
    let earlier = code_at(&secret, now() - 30);
    let half = app.half_signed_in(KIM, PASSWORD).await;
    let first = post(&app, &half, &[("intent", "code"), ("code", &earlier)]).await;
    assert_eq!(first.status(), 303);
    assert_eq!(location(&first), "/admin");
    // ...once: replayed, it is refused, and so is any code of an earlier step.
    let half = app.half_signed_in(KIM, PASSWORD).await;
    says(
        post(&app, &half, &[("intent", "code"), ("code", &earlier)]).await,
        422,
        "used already",
    )
    .await;
    let older = code_at(&secret, now() - 60);
    let too_old = post(&app, &half, &[("intent", "code"), ("code", &older)]).await;
    assert_eq!(too_old.status(), 422);
    assert_eq!(app.get_as("/admin", Some(&half)).await.status(), 303);
}

#[tokio::test]
async fn one_code_sent_many_times_at_once_signs_in_once() {
    let (app, secret) = kim_enrolled().await;
    forget_used_steps(&app).await;
    let mut halves = Vec::new();
    for _ in 0..4 {
        halves.push(app.half_signed_in(KIM, PASSWORD).await);
    }
    let code = code_at(&secret, now());
    let attempts = halves.iter().map(|half| {
        let code = code.clone();
        let base = app.base_url.clone();
        let half = half.clone();
        async move {
            support::post_form(
                &base,
                "/admin/two-factor",
                Some(&half),
                &[("intent", "code"), ("code", &code)],
            )
            .await
            .status()
            .as_u16()
        }
    });
    let mut statuses = futures_join_all(attempts).await;
    statuses.sort();
    assert_eq!(statuses, [303, 422, 422, 422]);
}

/// Runs the futures at once (spawned on the test's runtime) and collects their results.
async fn futures_join_all<F>(futures: impl Iterator<Item = F>) -> Vec<u16>
where
    F: std::future::Future<Output = u16> + Send + 'static,
{
    let handles: Vec<_> = futures.map(tokio::spawn).collect();
    let mut out = Vec::new();
    for handle in handles {
        out.push(handle.await.unwrap());
    }
    out
}

#[tokio::test]
async fn wrong_codes_count_towards_the_sign_in_throttle_and_the_password_does_not_reset_it() {
    let (app, _) = kim_enrolled().await;
    for _ in 0..5 {
        // The right password between guesses gives no fresh attempts.
        let half = app.half_signed_in(KIM, PASSWORD).await;
        let wrong = post(&app, &half, &[("intent", "code"), ("code", "000000")]).await;
        assert_eq!(wrong.status(), 422);
    }
    let locked = app
        .post_form(
            "/admin/login",
            None,
            &[("email", KIM), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(locked.status(), 429);
    assert!(locked.headers().contains_key("retry-after"));
    let actions = audit_actions(&app).await;
    let refused = actions
        .iter()
        .filter(|a| *a == "second factor refused (wrong or used code)")
        .count();
    assert_eq!(refused, 5);
}

#[tokio::test]
async fn a_recovery_code_signs_in_once_and_new_codes_void_the_old_ones() {
    let (app, _) = kim_enrolled().await;
    let codes = factor(&app.base_url, KIM).unwrap().recovery_codes;
    let half = app.half_signed_in(KIM, PASSWORD).await;
    let typed = codes[0].to_uppercase().replace('-', " ");
    let used = post(
        &app,
        &half,
        &[("intent", "recovery"), ("recovery_code", &typed)],
    )
    .await;
    assert_eq!(used.status(), 303);
    let whole = session_cookie(&used).unwrap();
    let half = app.half_signed_in(KIM, PASSWORD).await;
    let again = post(
        &app,
        &half,
        &[("intent", "recovery"), ("recovery_code", &codes[0])],
    )
    .await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("used already"));

    let account = app.get_as("/admin/account", Some(&whole)).await;
    assert!(
        account
            .text()
            .await
            .unwrap()
            .contains("Recovery codes left: 9 of 10.")
    );
    let fresh = app
        .post_form(
            "/admin/account",
            Some(&whole),
            &[("intent", "recovery_codes")],
        )
        .await;
    assert_eq!(fresh.status(), 200);
    let new_codes = shown_codes(&fresh.text().await.unwrap());
    assert_eq!(new_codes.len(), 10);
    let old = post(
        &app,
        &half,
        &[("intent", "recovery"), ("recovery_code", &codes[1])],
    )
    .await;
    assert_eq!(old.status(), 422, "the old set no longer works");
    let new = post(
        &app,
        &half,
        &[("intent", "recovery"), ("recovery_code", &new_codes[0])],
    )
    .await;
    assert_eq!(new.status(), 303);
    let actions = audit_actions(&app).await;
    assert!(actions.contains(&"signed in with a recovery code".to_owned()));
    assert!(actions.contains(&"made new recovery codes (the old ones no longer work)".to_owned()));
}

#[tokio::test]
async fn an_admin_resets_a_second_factor_which_signs_that_person_out_and_is_audited() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    let kim = app.add_staff(KIM, "Kim", Role::Writer).await;
    let kim_session = app.sign_in(KIM, PASSWORD).await;
    let old_secret = factor(&app.base_url, KIM).unwrap().secret;
    let staff_page = app
        .get_as("/admin/staff", Some(&admin))
        .await
        .text()
        .await
        .unwrap();
    assert!(staff_page.contains("Reset second factor of Kim"));

    let reset = reset_second_factor(&app, &admin, kim.id).await;
    assert_eq!(reset.status(), 303);
    assert_eq!(location(&reset), "/admin/staff?done=two-factor-reset");
    assert_eq!(app.get_as("/admin", Some(&kim_session)).await.status(), 303);
    // The password is still needed, then a new enrolment with a new secret.
    let half = app.half_signed_in(KIM, PASSWORD).await;
    let page = app
        .get_as("/admin/two-factor", Some(&half))
        .await
        .text()
        .await
        .unwrap();
    let new_secret = shown_secret(&page).expect("enrols again");
    assert_ne!(new_secret, old_secret);
    let entries = app.db.audit_entries(100, 0).await.unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.action.starts_with("reset a second factor") && e.subject == KIM)
    );

    // Not one's own.
    let me = app
        .db
        .staff_by_email("admin@clinic.example")
        .await
        .unwrap()
        .unwrap();
    let own = reset_second_factor(&app, &admin, me.id).await;
    assert_eq!(own.status(), 403);
}

#[tokio::test]
async fn a_password_reset_by_an_admin_never_skips_the_second_factor() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    let kim = app.add_staff(KIM, "Kim", Role::Writer).await;
    app.sign_in(KIM, PASSWORD).await;
    let new_password = "meadow quartz lantern ribbon";
    let token = app.reset_link(&admin, kim.id).await;
    let reset = app.set_password_with_link(&token, new_password).await;
    assert_eq!(reset.status(), 303);
    let half = app.half_signed_in(KIM, new_password).await;
    assert_eq!(app.get_as("/admin", Some(&half)).await.status(), 303);
    let page = app
        .get_as("/admin/two-factor", Some(&half))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Enter your sign-in code"));
    assert!(shown_secret(&page).is_none());
}

on_both_backends! {
    async fn a_passkey_ceremony_is_taken_once_even_when_asked_for_at_once(t: &TestDb) {
        t.db.begin_ceremony("session", "sign-in", "state one", 1_000).await.unwrap();
        // A new start replaces the old.
        t.db.begin_ceremony("session", "sign-in", "state two", 1_000).await.unwrap();
        assert_eq!(t.db.take_ceremony("session", "register", 10).await.unwrap(), None);
        let (a, b) = tokio::join!(
            t.db.take_ceremony("session", "sign-in", 10),
            t.db.take_ceremony("session", "sign-in", 10)
        );
        let mut taken = [a.unwrap(), b.unwrap()];
        taken.sort();
        assert_eq!(taken, [None, Some("state two".to_owned())]);
        t.db.begin_ceremony("late", "register", "state", 1_000).await.unwrap();
        assert_eq!(t.db.take_ceremony("late", "register", 1_000).await.unwrap(), None, "expired");
        t.db.delete_expired_ceremonies(1_000).await.unwrap();
    }

    async fn passkeys_are_each_accounts_own_and_go_with_a_reset(t: &TestDb) {
        let kim = support::add_staff(&t.db, KIM, "Kim", Role::Writer).await;
        let ana = support::add_staff(&t.db, "ana@clinic.example", "Ana", Role::Writer).await;
        assert!(t.db.add_passkey(kim.id, "cred-1", "Laptop", "{}", 5).await.unwrap());
        assert!(!t.db.add_passkey(ana.id, "cred-1", "Same key", "{}", 5).await.unwrap());
        assert!(t.db.add_passkey(kim.id, "cred-2", "Phone", "{}", 6).await.unwrap());
        let kims = t.db.passkeys(kim.id).await.unwrap();
        assert_eq!(kims.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["Laptop", "Phone"]);
        assert_eq!(t.db.remove_passkey(ana.id, kims[0].id).await.unwrap(), None, "not Ana's");
        assert_eq!(t.db.remove_passkey(kim.id, kims[0].id).await.unwrap().as_deref(), Some("Laptop"));
        t.db.passkey_used(kims[1].id, "{\"counter\":2}", 9).await.unwrap();
        assert_eq!(t.db.passkeys(kim.id).await.unwrap()[0].last_used_at, Some(9));
        t.db.reset_second_factor(kim.id).await.unwrap();
        assert!(t.db.passkeys(kim.id).await.unwrap().is_empty());
    }
}

#[tokio::test]
async fn without_a_secret_key_signing_in_says_what_the_operator_must_set_not_500() {
    let app = TestApp::spawn_with_key(None).await;
    app.add_staff(KIM, "Kim", Role::Writer).await;
    let half = app.half_signed_in(KIM, PASSWORD).await;
    let step = app.get_as("/admin/two-factor", Some(&half)).await;
    assert_eq!(step.status(), 503);
    let html = step.text().await.unwrap();
    assert!(html.contains("PLASTICITY_SECRET_KEY is not set"), "{html}");
    assert!(html.contains("openssl rand -hex 32"));
    assert!(html.contains("Signing in is not set up yet"));
}
