//! Sign-in limits: the throttle (per account and per address, atomic under any concurrency, on
//! both backends), what a stranger can make the server store, and the current-password check
//! on `/admin/account`.

use crate::support;

use plasticity::content::staff::Role;
use plasticity::server::db::Db;
use support::{PASSWORD, TestApp, TestDb};

/// Sends every `(email, password)` sign-in at once and returns the statuses, in order.
async fn sign_ins_at_once(app: &TestApp, attempts: Vec<(String, String)>) -> Vec<u16> {
    let mut tasks = tokio::task::JoinSet::new();
    for (n, (email, password)) in attempts.into_iter().enumerate() {
        let base = app.base_url.clone();
        tasks.spawn(async move {
            let fields = [("email", email.as_str()), ("password", password.as_str())];
            let response = support::post_form(&base, "/admin/login", None, &fields).await;
            (n, response.status().as_u16())
        });
    }
    let mut statuses = tasks.join_all().await;
    statuses.sort();
    statuses.into_iter().map(|(_, status)| status).collect()
}

/// Kristen's right password, through the sign-in form.
async fn right_password(app: &TestApp) -> reqwest::Response {
    let fields = [("email", "kristen@clinic.example"), ("password", PASSWORD)];
    app.post_form("/admin/login", None, &fields).await
}

async fn audit_rows(app: &TestApp, action: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = ?")
        .bind(action)
        .fetch_one(&app.sql().await)
        .await
        .unwrap()
}

#[tokio::test]
async fn repeated_failures_lock_the_account_with_a_time_to_retry() {
    let app = TestApp::spawn().await;
    app.add_staff("kristen@clinic.example", "Kristen", Role::Writer)
        .await;
    for attempt in 1..=5 {
        let response = app
            .post_form(
                "/admin/login",
                None,
                &[
                    ("email", "kristen@clinic.example"),
                    ("password", "wrong wrong wrong"),
                ],
            )
            .await;
        assert_eq!(response.status(), 401, "attempt {attempt}");
    }
    // Now even the right password is not checked.
    let locked = right_password(&app).await;
    assert_eq!(locked.status(), 429);
    let retry_after: i64 = locked.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((14 * 60..=15 * 60).contains(&retry_after), "{retry_after}");
    let html = locked.text().await.unwrap();
    assert!(
        html.contains("Too many sign-in attempts. Try again in 15 minutes."),
        "{html}"
    );
    // The counter lives in the database (so every instance sees it): five failures and the
    // refused attempt.
    let attempts: i64 = sqlx::query_scalar(
        "SELECT failures FROM sign_in_failures WHERE key = 'account:kristen@clinic.example'",
    )
    .fetch_one(&app.sql().await)
    .await
    .unwrap();
    assert_eq!(attempts, 6);
    // Another account from another address is unaffected: the lock is per account.
    app.add_staff("ana@clinic.example", "Ana", Role::Writer)
        .await;
    app.sign_in("ana@clinic.example", PASSWORD).await;
}

#[tokio::test]
async fn many_failures_from_one_address_lock_that_address() {
    let app = TestApp::spawn().await;
    app.add_staff("kristen@clinic.example", "Kristen", Role::Writer)
        .await;
    for n in 0..20 {
        let email = format!("guess{n}@clinic.example");
        let response = app
            .post_form(
                "/admin/login",
                None,
                &[("email", &email), ("password", "wrong wrong wrong")],
            )
            .await;
        assert_eq!(response.status(), 401);
    }
    assert_eq!(right_password(&app).await.status(), 429);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn guesses_sent_at_once_check_no_more_than_five_passwords() {
    let app = TestApp::spawn().await;
    app.add_staff("kristen@clinic.example", "Kristen", Role::Writer)
        .await;
    let mut attempts: Vec<(String, String)> = (0..60)
        .map(|n| {
            (
                "kristen@clinic.example".into(),
                format!("wrong guess number {n}"),
            )
        })
        .collect();
    attempts.insert(30, ("kristen@clinic.example".into(), PASSWORD.into()));
    let statuses = sign_ins_at_once(&app, attempts).await;
    let checked = statuses.iter().filter(|s| **s == 401 || **s == 303).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert!(checked <= 5, "{checked} passwords checked: {statuses:?}");
    assert_eq!(checked + refused, 61, "{statuses:?}");
    // The refusals are logged once per lock, not once per request: the account's lock and the
    // address's (twenty of the attempts passed the address; the other 41 were over its limit).
    assert_eq!(
        audit_rows(&app, "sign-in refused (too many attempts)").await,
        2
    );
    assert!(audit_rows(&app, "sign-in failed").await <= 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn guesses_at_many_accounts_at_once_are_held_to_the_address_limit() {
    let app = TestApp::spawn().await;
    let attempts = (0..50)
        .map(|n| {
            (
                format!("guess{n}@clinic.example"),
                "wrong wrong wrong".to_owned(),
            )
        })
        .collect();
    let statuses = sign_ins_at_once(&app, attempts).await;
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert!(checked <= 20, "{checked} passwords checked: {statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 50 - checked);
}

#[tokio::test]
async fn staff_signing_in_from_one_office_do_not_lock_it() {
    let app = TestApp::spawn().await;
    app.add_staff("kristen@clinic.example", "Kristen", Role::Writer)
        .await;
    for _ in 0..30 {
        app.sign_in("kristen@clinic.example", PASSWORD).await;
    }
}

#[tokio::test]
async fn a_stranger_cannot_make_the_server_store_much() {
    let app = TestApp::spawn().await;
    // An email far longer than any address is kept to 254 bytes, in the counter and the log.
    let long = format!("{}@clinic.example", "x".repeat(12_000));
    let attempts = (0..30)
        .map(|_| (long.clone(), "wrong".to_owned()))
        .collect();
    let statuses = sign_ins_at_once(&app, attempts).await;
    assert!(
        statuses.iter().all(|s| *s == 401 || *s == 429),
        "{statuses:?}"
    );
    let pool = app.sql().await;
    let longest: i64 = sqlx::query_scalar("SELECT MAX(LENGTH(actor)) FROM audit_log")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(longest <= 254, "{longest}");
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&pool)
        .await
        .unwrap();
    // Five failures, then one refusal for the account's lock and one for the address's.
    assert!(rows <= 7, "{rows} audit rows for 30 attempts");
    let longest_key: i64 = sqlx::query_scalar("SELECT MAX(LENGTH(key)) FROM sign_in_failures")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(longest_key <= 8 + 254, "{longest_key}");
    // A form larger than a sign-in can be is refused before it is read.
    let huge = format!("email={}&password=x", "x".repeat(1_000_000));
    let response = TestApp::client()
        .post(format!("{}/admin/login", app.base_url))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert!(response.text().await.unwrap().contains("too large"));
}

#[tokio::test]
async fn the_current_password_check_is_throttled_like_sign_in() {
    let app = TestApp::spawn().await;
    let cookie = app.signed_in(Role::Writer).await;
    let change = |current: &'static str| {
        let cookie = cookie.clone();
        let app = &app;
        async move {
            app.post_form(
                "/admin/account",
                Some(&cookie),
                &[
                    ("current", current),
                    ("password", "a brand new long passphrase"),
                    ("confirm", "a brand new long passphrase"),
                ],
            )
            .await
        }
    };
    for attempt in 1..=5 {
        assert_eq!(
            change("not my password").await.status(),
            422,
            "attempt {attempt}"
        );
    }
    let locked = change(PASSWORD).await;
    assert_eq!(locked.status(), 429);
    assert!(locked.headers().contains_key("retry-after"));
    assert!(
        locked
            .text()
            .await
            .unwrap()
            .contains("Too many password attempts")
    );
}

/// The throttle's one statement, taken 40 times at once: exactly `limit` attempts go ahead and
/// exactly one is the first refusal, on both backends.
async fn attempts_taken_at_once_never_exceed_the_limit(db: &Db) {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..40 {
        let db = db.clone();
        tasks.spawn(async move {
            db.take_attempt("account:a@clinic.example", 10_000, 900, 5, 900)
                .await
                .unwrap()
        });
    }
    let taken = tasks.join_all().await;
    assert_eq!(taken.iter().filter(|(number, _)| *number <= 5).count(), 5);
    assert_eq!(taken.iter().filter(|(number, _)| *number == 6).count(), 1);
    assert!(
        taken
            .iter()
            .filter(|(number, _)| *number > 5)
            .all(|(_, until)| *until == 10_900)
    );
    // Later, after the lock and the window, a new count starts.
    let (number, _) = db
        .take_attempt("account:a@clinic.example", 10_900, 900, 5, 900)
        .await
        .unwrap();
    assert_eq!(number, 1);
    // A success gives its attempt back.
    db.give_back_attempt("account:a@clinic.example")
        .await
        .unwrap();
    let (number, _) = db
        .take_attempt("account:a@clinic.example", 10_901, 900, 5, 900)
        .await
        .unwrap();
    assert_eq!(number, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_attempts_taken_at_once_never_exceed_the_limit() {
    attempts_taken_at_once_never_exceed_the_limit(&TestDb::sqlite().await.db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_attempts_taken_at_once_never_exceed_the_limit() {
    let Some(test_db) = TestDb::postgres().await else {
        return;
    };
    attempts_taken_at_once_never_exceed_the_limit(&test_db.db).await;
}

/// Issue 28, item 7: a sign-in whose client hangs up while its password is checked was counted
/// by the throttle but left no audit row. Every counted attempt now leaves one, whatever the
/// client does.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_counted_sign_in_is_audited_even_when_its_client_hangs_up() {
    let app = TestApp::spawn().await;
    let impatient = reqwest::Client::builder()
        .timeout(std::time::Duration::from_millis(5))
        .build()
        .unwrap();
    let sent = 4;
    for n in 0..sent {
        let body = format!("email=guess{n}%40clinic.example&password=wrong+guess");
        let hung_up = impatient
            .post(format!("{}/admin/login", app.base_url))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await;
        assert!(hung_up.is_err(), "the client hung up before the answer");
    }
    let failed = || async {
        let entries = app.db.audit_entries(100, 0).await.unwrap();
        entries
            .iter()
            .filter(|entry| entry.action == "sign-in failed")
            .count()
    };
    let counted = || async { app.attempts_counted("address:127.0.0.1").await as usize };
    // The attempts run on after the hang-ups: wait for them (Argon2id, tens of ms each).
    for _ in 0..300 {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        if failed().await == counted().await {
            break;
        }
    }
    let counted = counted().await;
    assert!(counted > 0, "the throttle counted the attempts");
    assert_eq!(failed().await, counted, "one audit row per counted attempt");
}

/// An intent the account page does not have is a 400 and changes nothing (it fell through into
/// a password change: issue 29, item 1).
#[tokio::test]
async fn an_unknown_intent_on_the_account_page_changes_nothing() {
    let app = TestApp::spawn().await;
    app.add_staff("kim@clinic.example", "Kim", Role::Writer)
        .await;
    let kim = app.sign_in("kim@clinic.example", PASSWORD).await;
    let new_password = "lantern orchard velvet compass";
    let fields = [
        ("intent", "bogus"),
        ("current", PASSWORD),
        ("password", new_password),
        ("confirm", new_password),
    ];
    let refused = app.post_form("/admin/account", Some(&kim), &fields).await;
    assert_eq!(refused.status(), 400);
    let html = refused.text().await.unwrap();
    assert!(html.contains("is not something this page does"), "{html}");
    assert_eq!(app.get_as("/admin", Some(&kim)).await.status(), 200);
    let (_, _, generation) = app
        .db
        .staff_with_hash("kim@clinic.example")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(generation, 0, "the password is unchanged");
    // The page's own form names its intent (one without, as before, still changes the password:
    // tests/it/sessions.rs).
    let page = app.get_as("/admin/account", Some(&kim)).await;
    let page = page.text().await.unwrap();
    assert!(page.contains(r#"name="intent" value="password""#), "{page}");
}
