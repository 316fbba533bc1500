//! `plasticity user …`: staff accounts from the command line. Passwords come from standard
//! input or a prompt, never from the arguments, and are checked like the admin pages check them.

use crate::support;

use support::cli::{GOOD_PASSWORD, add_admin, plasticity, stderr, stdout, user};

#[test]
fn a_fresh_install_has_no_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/db.sqlite", dir.path().display());
    let output = user(&url, &["list"], "");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("no staff accounts yet"));
}

#[test]
fn user_add_takes_the_password_from_stdin_and_list_never_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/db.sqlite", dir.path().display());
    let added = add_admin(&url);
    assert!(added.status.success(), "{}", stderr(&added));
    assert!(stdout(&added).contains("added Ana Reyes <ana@clinic.example> as admin"));

    let listed = stdout(&user(&url, &["list"], ""));
    assert!(listed.contains("ana@clinic.example"), "{listed}");
    assert!(listed.contains("admin"), "{listed}");
    assert!(listed.contains("Ana Reyes, MD"), "{listed}");
    assert!(
        !listed.contains("argon2") && !listed.contains("otter"),
        "{listed}"
    );
}

#[test]
fn weak_passwords_and_duplicate_emails_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/db.sqlite", dir.path().display());
    let add_writer = |password: &str| {
        user(
            &url,
            &[
                "add",
                "--email",
                "w@clinic.example",
                "--name",
                "Wes",
                "--role",
                "writer",
            ],
            password,
        )
    };
    let weak = add_writer("password1234\n");
    assert!(!weak.status.success());
    assert!(
        stderr(&weak).contains("too easy to guess"),
        "{}",
        stderr(&weak)
    );
    let short = add_writer("tiny\n");
    assert!(
        stderr(&short).contains("at least 12 characters"),
        "{}",
        stderr(&short)
    );
    assert!(stdout(&user(&url, &["list"], "")).contains("no staff accounts yet"));

    assert!(add_admin(&url).status.success());
    let again = add_admin(&url);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("there is already an account for ana@clinic.example"),
        "{}",
        stderr(&again)
    );

    let bad_role = user(
        &url,
        &[
            "add",
            "--email",
            "x@clinic.example",
            "--name",
            "X",
            "--role",
            "root",
        ],
        GOOD_PASSWORD,
    );
    assert!(!bad_role.status.success());
    assert!(
        stderr(&bad_role).contains("admin, reviewer or writer"),
        "{}",
        stderr(&bad_role)
    );
}

#[tokio::test]
async fn set_password_replaces_the_hash_and_deactivate_marks_the_account() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/db.sqlite", dir.path().display());
    assert!(add_admin(&url).status.success());
    let hash = || async {
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query_scalar::<_, String>("SELECT password_hash FROM staff")
            .fetch_one(&mut conn)
            .await
            .unwrap()
    };
    let before = hash().await;
    assert!(before.starts_with("$argon2id$"));

    let weak = user(
        &url,
        &["set-password", "--email", "ana@clinic.example"],
        "password1234\n",
    );
    assert!(!weak.status.success());
    assert_eq!(hash().await, before, "a refused password changes nothing");

    let changed = user(
        &url,
        &["set-password", "--email", "ANA@clinic.example"],
        "violet harbour seldom dancing\n",
    );
    assert!(changed.status.success(), "{}", stderr(&changed));
    assert_ne!(hash().await, before);

    let unknown = user(
        &url,
        &["deactivate", "--email", "nobody@clinic.example"],
        "",
    );
    assert!(stderr(&unknown).contains("there is no account for nobody@clinic.example"));
    assert!(
        user(&url, &["deactivate", "--email", "ana@clinic.example"], "")
            .status
            .success()
    );
    assert!(stdout(&user(&url, &["list"], "")).contains("(deactivated)"));
}

#[tokio::test]
async fn set_password_and_deactivate_end_the_accounts_sessions() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/db.sqlite", dir.path().display());
    assert!(add_admin(&url).status.success());
    let sessions = || async {
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sessions")
            .fetch_one(&mut conn)
            .await
            .unwrap()
    };
    let sign_in_twice = || async {
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        for token in ["a", "b"] {
            sqlx::query("INSERT INTO sessions (token_hash, staff_id, created_at, last_seen_at) VALUES (?, 1, 0, 0)")
                .bind(token)
                .execute(&mut conn)
                .await
                .unwrap();
        }
    };
    sign_in_twice().await;
    assert_eq!(sessions().await, 2);
    let changed = user(
        &url,
        &["set-password", "--email", "ana@clinic.example"],
        "violet harbour seldom dancing\n",
    );
    assert!(changed.status.success(), "{}", stderr(&changed));
    assert_eq!(sessions().await, 0);
    sign_in_twice().await;
    assert!(
        user(&url, &["deactivate", "--email", "ana@clinic.example"], "")
            .status
            .success()
    );
    assert_eq!(sessions().await, 0);
}

#[tokio::test]
async fn reset_2fa_removes_the_second_factor_ends_the_sessions_and_is_audited() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/db.sqlite", dir.path().display());
    assert!(add_admin(&url).status.success());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    for statement in [
        "INSERT INTO staff_totp (staff_id, secret_sealed, confirmed_at, last_step) VALUES (1, 'x', 1, 1)",
        "INSERT INTO recovery_codes (code_hash, staff_id) VALUES ('h', 1)",
        "INSERT INTO sessions (token_hash, staff_id, created_at, last_seen_at, second_factor_at) VALUES ('a', 1, 0, 0, 0)",
    ] {
        sqlx::query(statement).execute(&mut conn).await.unwrap();
    }
    let reset = user(&url, &["reset-2fa", "--email", "Ana@clinic.example"], "");
    assert!(reset.status.success(), "{}", stderr(&reset));
    assert!(stdout(&reset).contains("second factor reset for ana@clinic.example"));
    for table in ["staff_totp", "recovery_codes", "sessions"] {
        let left: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut conn)
            .await
            .unwrap();
        assert_eq!(left, 0, "{table}");
    }
    let (action, subject): (String, String) =
        sqlx::query_as("SELECT action, subject FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert!(action.starts_with("reset a second factor"), "{action}");
    assert_eq!(subject, "ana@clinic.example");
    let unknown = user(&url, &["reset-2fa", "--email", "nobody@clinic.example"], "");
    assert!(!unknown.status.success());
    assert!(stderr(&unknown).contains("there is no account for nobody@clinic.example"));
}

#[tokio::test]
async fn serve_refuses_a_malformed_key_and_a_missing_one_once_a_second_factor_exists() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/db.sqlite", dir.path().display());
    let env = |key: &'static str| {
        [
            ("DATABASE_URL", url.clone()),
            ("LEPTOS_SITE_ADDR", "127.0.0.1:0".to_owned()),
            ("PLASTICITY_SECRET_KEY", key.to_owned()),
        ]
    };
    let run = |key: &'static str| {
        let env = env(key);
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        plasticity(&["serve"], &env)
    };
    let malformed = run("not-a-key-but-a-secret-value");
    assert!(!malformed.status.success());
    let message = stderr(&malformed);
    assert!(
        message.contains("PLASTICITY_SECRET_KEY must be 64 hexadecimal characters"),
        "{message}"
    );
    assert!(
        !message.contains("not-a-key-but-a-secret-value"),
        "{message}"
    );

    assert!(add_admin(&url).status.success());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query(
        "INSERT INTO staff_totp (staff_id, secret_sealed, confirmed_at) VALUES (1, 'x', 1)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let missing = run("");
    assert!(!missing.status.success());
    let message = stderr(&missing);
    assert!(
        message.contains(
            "PLASTICITY_SECRET_KEY is not set, but 1 staff account(s) sign in with a second factor"
        ),
        "{message}"
    );
}
