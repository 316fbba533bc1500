//! `plasticity user …`: staff accounts from the command line. Passwords come from standard
//! input or a prompt, never from the arguments, and are checked like the admin pages check them.

#![cfg(feature = "ssr")]

mod support;

use support::cli::{GOOD_PASSWORD, add_admin, stderr, stdout, user};

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
