//! Staff sessions: the cookie, where sign-in leads, sign-out, time-outs, and sessions ended by a
//! password change or deactivation.

use crate::support;

use plasticity::content::staff::Role;
use support::{PASSWORD, TestApp, location, session_cookie};

#[tokio::test]
async fn signing_in_sets_a_strict_http_only_cookie_with_a_new_session_each_time() {
    let app = TestApp::spawn().await;
    app.add_staff("kristen@clinic.example", "Kristen", Role::Writer)
        .await;
    let response = app
        .post_form(
            "/admin/login",
            None,
            &[
                ("email", "Kristen@Clinic.example "),
                ("password", PASSWORD),
                ("next", "/admin/articles/1"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        location(&response),
        "/admin/two-factor?next=/admin/articles/1"
    );
    let set_cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Strict"),
        "{set_cookie}"
    );
    assert!(
        !set_cookie.contains("Secure"),
        "plain http must not mark the cookie Secure"
    );
    // The password alone opens nothing but the second-factor page.
    let half = session_cookie(&response).unwrap();
    assert_eq!(
        location(&app.get_as("/admin", Some(&half)).await),
        "/admin/two-factor?next=/admin"
    );
    let first = support::two_factor::enrol(&app.base_url, "kristen@clinic.example", &half).await;
    assert_ne!(first, half);
    assert_eq!(app.get_as("/admin", Some(&half)).await.status(), 303);
    assert_eq!(app.get_as("/admin", Some(&first)).await.status(), 200);

    // Signing in again from the same browser replaces the session; the second factor then leads
    // to `next`.
    let again = app
        .post_form(
            "/admin/login",
            Some(&first),
            &[
                ("email", "kristen@clinic.example"),
                ("password", PASSWORD),
                ("next", "/admin/articles/1"),
            ],
        )
        .await;
    let half = session_cookie(&again).unwrap();
    assert_eq!(app.get_as("/admin", Some(&first)).await.status(), 303);
    let known = support::two_factor::factor(&app.base_url, "kristen@clinic.example").unwrap();
    let done = app
        .post_form(
            "/admin/two-factor",
            Some(&half),
            &[
                ("intent", "recovery"),
                ("recovery_code", &known.recovery_codes[0]),
                ("next", "/admin/articles/1"),
            ],
        )
        .await;
    assert_eq!(done.status(), 303);
    assert_eq!(location(&done), "/admin/articles/1");
    let second = session_cookie(&done).unwrap();
    assert_ne!(first, second);
    assert_eq!(app.get_as("/admin", Some(&half)).await.status(), 303);
    assert_eq!(app.get_as("/admin", Some(&second)).await.status(), 200);

    // Only the token's hash is stored.
    let token = second.split_once('=').unwrap().1;
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM sessions")
        .fetch_all(&app.sql().await)
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], token);
}

#[tokio::test]
async fn next_never_leads_off_the_admin_area() {
    let app = TestApp::spawn().await;
    app.add_staff("kristen@clinic.example", "Kristen", Role::Writer)
        .await;
    let response = app
        .post_form(
            "/admin/login",
            None,
            &[
                ("email", "kristen@clinic.example"),
                ("password", PASSWORD),
                ("next", "//evil.example/admin"),
            ],
        )
        .await;
    assert_eq!(location(&response), "/admin/two-factor");
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    let cookie = app.signed_in(Role::Writer).await;
    let out = app.post_form("/admin/logout", Some(&cookie), &[]).await;
    assert_eq!(out.status(), 303);
    assert_eq!(location(&out), "/admin/login?signed_out=1");
    assert!(
        out.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    // The old cookie, replayed, opens nothing.
    assert_eq!(app.get_as("/admin", Some(&cookie)).await.status(), 303);
    assert_eq!(
        app.call_as("admin/articles", Some(&cookie), "page=1")
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn sessions_end_after_thirty_idle_minutes_and_after_twelve_hours() {
    let app = TestApp::spawn().await;
    let idle = app.signed_in(Role::Writer).await;
    let sql = app.sql().await;
    let now = chrono::Utc::now().timestamp();
    sqlx::query("UPDATE sessions SET last_seen_at = ?")
        .bind(now - 31 * 60)
        .execute(&sql)
        .await
        .unwrap();
    assert_eq!(
        app.call_as("admin/articles", Some(&idle), "page=1")
            .await
            .status(),
        401
    );

    let old = app.sign_in("writer@clinic.example", PASSWORD).await;
    sqlx::query("UPDATE sessions SET created_at = ?, last_seen_at = ?")
        .bind(now - 12 * 3600 - 1)
        .bind(now)
        .execute(&sql)
        .await
        .unwrap();
    assert_eq!(
        app.call_as("admin/articles", Some(&old), "page=1")
            .await
            .status(),
        401
    );

    let fresh = app.sign_in("writer@clinic.example", PASSWORD).await;
    sqlx::query("UPDATE sessions SET last_seen_at = ?")
        .bind(now - 29 * 60)
        .execute(&sql)
        .await
        .unwrap();
    assert_eq!(
        app.call_as("admin/articles", Some(&fresh), "page=1")
            .await
            .status(),
        200
    );

    // A session nobody comes back to is removed at the next sign-in.
    sqlx::query("INSERT INTO sessions (token_hash, staff_id, created_at, last_seen_at) VALUES ('forgotten', 1, ?, ?)")
        .bind(now - 3 * 3600)
        .bind(now - 3 * 3600)
        .execute(&sql)
        .await
        .unwrap();
    app.sign_in("writer@clinic.example", PASSWORD).await;
    let left: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE token_hash = 'forgotten'")
            .fetch_one(&sql)
            .await
            .unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn a_password_change_or_deactivation_ends_that_users_sessions() {
    let app = TestApp::spawn().await;
    let admin = app.signed_in(Role::Admin).await;
    let writer_member = app
        .add_staff("kim@clinic.example", "Kim", Role::Writer)
        .await;
    let writer_laptop = app.sign_in("kim@clinic.example", PASSWORD).await;
    let writer_phone = app.sign_in("kim@clinic.example", PASSWORD).await;

    // Kim changes her password on the laptop: every session ends (the laptop's old one too),
    // and the laptop gets a new one.
    let new_password = "lantern orchard velvet compass";
    let changed = app
        .post_form(
            "/admin/account",
            Some(&writer_laptop),
            &[
                ("current", PASSWORD),
                ("password", new_password),
                ("confirm", new_password),
            ],
        )
        .await;
    assert_eq!(changed.status(), 303);
    let renewed = session_cookie(&changed).expect("a new session for the laptop");
    for ended in [&writer_phone, &writer_laptop] {
        assert_eq!(app.get_as("/admin", Some(ended)).await.status(), 303);
    }
    assert_eq!(app.get_as("/admin", Some(&renewed)).await.status(), 200);
    let writer_laptop = renewed;

    // An admin makes a reset link, and Kim sets a new password with it: every session of
    // Kim's ends.
    let token = app.reset_link(&admin, writer_member.id).await;
    assert_eq!(
        app.get_as("/admin", Some(&writer_laptop)).await.status(),
        200,
        "a link alone changes nothing"
    );
    let reset = app
        .set_password_with_link(&token, "meadow quartz lantern ribbon")
        .await;
    assert_eq!(reset.status(), 303);
    assert_eq!(
        app.get_as("/admin", Some(&writer_laptop)).await.status(),
        303
    );

    // Deactivation ends sessions too, and the account can no longer sign in.
    let again = app
        .sign_in("kim@clinic.example", "meadow quartz lantern ribbon")
        .await;
    let deactivated = app
        .post_form(
            "/admin/staff",
            Some(&admin),
            &[
                ("intent", "deactivate"),
                ("staff_id", &writer_member.id.to_string()),
                ("confirmed", "yes"),
            ],
        )
        .await;
    assert_eq!(deactivated.status(), 303);
    assert_eq!(app.get_as("/admin", Some(&again)).await.status(), 303);
    let refused = app
        .post_form(
            "/admin/login",
            None,
            &[
                ("email", "kim@clinic.example"),
                ("password", "meadow quartz lantern ribbon"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 401);
}

/// Issue 28, item 3: sign-ins with the old password under way while it changes. Each waits for
/// its password check (tens of milliseconds of Argon2id) while the change commits; none may
/// leave a session behind, half or whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_in_in_flight_during_a_password_change_does_not_survive_it() {
    let app = TestApp::spawn().await;
    let kim = app
        .add_staff("kim@clinic.example", "Kim", Role::Writer)
        .await;
    let sign_ins: Vec<_> = (0..4)
        .map(|_| {
            let base = app.base_url.clone();
            tokio::spawn(async move {
                support::post_form(
                    &base,
                    "/admin/login",
                    None,
                    &[("email", "kim@clinic.example"), ("password", PASSWORD)],
                )
                .await
            })
        })
        .collect();
    // The change commits while the sign-ins' password checks run: once the throttle has
    // counted all four (each reads the hash right after), and long before Argon2id is done.
    for _ in 0..2_000 {
        if app.attempts_counted("account:kim@clinic.example").await == 4 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    app.db
        .set_staff_password(kim.id, "a hash nobody can sign in with", None)
        .await
        .unwrap();
    let mut half_sessions = 0;
    for sign_in in sign_ins {
        let answer = sign_in.await.unwrap();
        if let Some(cookie) = session_cookie(&answer) {
            half_sessions += 1;
            let page = app.get_as("/admin/two-factor", Some(&cookie)).await;
            assert_ne!(
                page.status(),
                200,
                "a session from before the change lives on"
            );
        }
    }
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&app.sql().await)
        .await
        .unwrap();
    assert_eq!(left, 0, "{half_sessions} sign-ins answered with a cookie");
}

/// A session opened under an older password (as a sign-in that stored it just after a change
/// would leave) is over at its next request, and its second factor cannot make it whole.
#[tokio::test]
async fn a_session_from_before_a_password_change_opens_nothing() {
    let app = TestApp::spawn().await;
    app.add_staff("kim@clinic.example", "Kim", Role::Writer)
        .await;
    let whole = app.sign_in("kim@clinic.example", PASSWORD).await;
    let half = app.half_signed_in("kim@clinic.example", PASSWORD).await;
    assert_eq!(app.get_as("/admin", Some(&whole)).await.status(), 200);
    // The change's count, without its ending of sessions: what a row stored after it looks like.
    let sql = app.sql().await;
    sqlx::query("UPDATE staff SET password_generation = password_generation + 1")
        .execute(&sql)
        .await
        .unwrap();
    assert_eq!(app.get_as("/admin", Some(&whole)).await.status(), 303);
    assert_eq!(
        app.get_as("/admin/two-factor", Some(&half)).await.status(),
        303
    );
    let code = support::two_factor::factor(&app.base_url, "kim@clinic.example").unwrap();
    let code = support::two_factor::code_at(&code.secret, support::two_factor::now());
    let refused = app
        .post_form(
            "/admin/two-factor",
            Some(&half),
            &[("intent", "code"), ("code", &code)],
        )
        .await;
    assert_eq!(refused.status(), 401);
}

#[tokio::test]
async fn keeping_the_session_alive_says_how_long_it_has_left_and_cannot_pass_twelve_hours() {
    let app = TestApp::spawn().await;
    let cookie = app.signed_in(Role::Writer).await;
    let sql = app.sql().await;
    let now = chrono::Utc::now().timestamp();
    sqlx::query("UPDATE sessions SET created_at = ?, last_seen_at = ?")
        .bind(now - 11 * 3600)
        .bind(now - 29 * 60)
        .execute(&sql)
        .await
        .unwrap();
    let clock = app.call_as("admin/keep-session", Some(&cookie), "").await;
    assert_eq!(clock.status(), 200);
    let clock = support::json(&clock.text().await.unwrap());
    assert_eq!(clock["idle_limit_secs"], 30 * 60);
    let left = clock["ends_in_secs"].as_i64().unwrap();
    assert!((3590..=3600).contains(&left), "{left}");
    let seen: i64 = sqlx::query_scalar("SELECT last_seen_at FROM sessions")
        .fetch_one(&sql)
        .await
        .unwrap();
    assert!(seen >= now, "the call kept the session alive");
    // However alive, it ends twelve hours after sign-in.
    sqlx::query("UPDATE sessions SET created_at = ?")
        .bind(now - 12 * 3600 - 1)
        .execute(&sql)
        .await
        .unwrap();
    let ended = app.call_as("admin/keep-session", Some(&cookie), "").await;
    assert_eq!(ended.status(), 401);
}
