//! The `plasticity` binary as an operator meets it: `--help`, and one clear line and a non-zero
//! exit for each start-up problem.

#![cfg(feature = "ssr")]

mod support;

use std::process::{Command, Output};
use support::Served;

/// The binary with `args`, and none of the operator's settings from this environment.
fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plasticity"));
    command.args(args).env("RUST_LOG", "off");
    for var in [
        "DATABASE_URL",
        "LEPTOS_SITE_ADDR",
        "PLASTICITY_PUBLIC_URL",
        "LEPTOS_SITE_ROOT",
        "PLASTICITY_LOG_FORMAT",
        "PLASTICITY_TRUSTED_PROXIES",
    ] {
        command.env_remove(var);
    }
    command
}

fn plasticity(args: &[&str], env: &[(&str, &str)]) -> Output {
    command(args)
        .envs(env.iter().copied())
        .output()
        .expect("run plasticity")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn help_lists_every_setting() {
    let output = plasticity(&["--help"], &[]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for setting in [
        "DATABASE_URL",
        "LEPTOS_SITE_ADDR",
        "PLASTICITY_PUBLIC_URL",
        "LEPTOS_SITE_ROOT",
        "PLASTICITY_LOG_FORMAT",
        "PLASTICITY_TRUSTED_PROXIES",
        "RUST_LOG",
        "serve",
    ] {
        assert!(
            help.contains(setting),
            "--help does not mention {setting}:\n{help}"
        );
    }
}

#[test]
fn an_unsupported_database_url_is_refused_clearly() {
    let output = plasticity(&["serve"], &[("DATABASE_URL", "mysql://db.example/clinic")]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message
            .contains("plasticity: DATABASE_URL `mysql://db.example/clinic` is not a database URL"),
        "{message}"
    );
    assert!(
        !std::path::Path::new("mysql:").exists(),
        "nothing was created for the bad URL"
    );
}

#[test]
fn an_unwritable_data_folder_is_reported() {
    let output = plasticity(
        &["serve"],
        &[("DATABASE_URL", "sqlite:///proc/plasticity/db.sqlite")],
    );
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("cannot create the database folder /proc/plasticity"),
        "{message}"
    );
}

#[test]
fn a_port_in_use_is_reported() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/db.sqlite", dir.path().display());
    let output = plasticity(
        &["serve"],
        &[("DATABASE_URL", &url), ("LEPTOS_SITE_ADDR", &addr)],
    );
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains(&format!("cannot listen on {addr}")),
        "{message}"
    );
    assert!(message.contains("LEPTOS_SITE_ADDR"), "{message}");
}

/// Runs `plasticity user …` on the database at `url`, with `stdin` as standard input.
fn user(url: &str, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = command(&[&["user"], args].concat())
        .env("DATABASE_URL", url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run plasticity user");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

const GOOD_PASSWORD: &str = "otter lantern quietly mapping\n";

fn add_admin(url: &str) -> Output {
    user(
        url,
        &[
            "add",
            "--email",
            "Ana@Clinic.Example",
            "--name",
            "Ana Reyes",
            "--role",
            "admin",
            "--credentials",
            "MD",
        ],
        GOOD_PASSWORD,
    )
}

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

#[test]
fn a_first_start_without_an_admin_logs_a_one_time_setup_link() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/db.sqlite", dir.path().display());
    // `Served::start` returns once the server logged "serving on": everything before is logged.
    let server = Served::start(
        &url,
        &[("PLASTICITY_PUBLIC_URL", "https://learn.clinic.example")],
    );
    let lines = server.log.lock().unwrap().clone();
    drop(server);
    let at = |text: &str| lines.iter().position(|line| line.contains(text));
    let link_line =
        at("https://learn.clinic.example/admin/setup?token=").expect("a setup link in the log");
    assert!(
        link_line < at("serving on").unwrap(),
        "the link comes before serving"
    );
    let line = &lines[link_line];
    let start = line.find("https://").unwrap();
    let link = line[start..].split_whitespace().next().unwrap();
    let token = link.rsplit('=').next().unwrap();
    assert_eq!(token.len(), 64);

    // With an admin, no link is made.
    assert!(add_admin(&url).status.success());
    let server = Served::start(&url, &[]);
    let log = server.log_text();
    assert!(!log.contains("/admin/setup"), "{log}");
}

#[test]
fn backup_writes_a_checked_copy_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/db.sqlite", dir.path().display());
    assert!(add_admin(&url).status.success());
    let copy = dir.path().join("copy.db");
    let copy_arg = copy.display().to_string();
    let output = plasticity(&["backup", &copy_arg], &[("DATABASE_URL", &url)]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("integrity check ok"));
    // The copy is a working database with the account in it.
    let listed = user(&format!("sqlite://{copy_arg}"), &["list"], "");
    assert!(
        stdout(&listed).contains("ana@clinic.example"),
        "{}",
        stdout(&listed)
    );

    let again = plasticity(&["backup", &copy_arg], &[("DATABASE_URL", &url)]);
    assert!(!again.status.success());
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
}

#[tokio::test]
async fn each_request_is_logged_as_one_json_line_without_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/db.sqlite", dir.path().display());
    let server = Served::start(&url, &[("PLASTICITY_LOG_FORMAT", "json")]);
    let origin = &server.base_url;
    let response = reqwest::Client::new()
        .get(format!("{origin}/help-now?token=secret-in-the-query"))
        .header("cookie", "plasticity_session=secret-cookie-value")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let logged = server
        .wait_for_log(|line| line.contains("\"request\""))
        .await;
    let entry: serde_json::Value = serde_json::from_str(&logged).unwrap();
    let fields = &entry["fields"];
    assert_eq!(fields["method"], "GET");
    assert_eq!(fields["path"], "/help-now");
    assert_eq!(fields["status"], 200);
    assert_eq!(fields["request_id"], id.as_str());
    assert!(
        fields["latency_ms"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .is_ok()
    );
    assert!(!logged.contains("secret"), "{logged}");
}

#[test]
fn an_unreachable_postgres_is_reported_without_its_password() {
    let output = plasticity(
        &["serve"],
        &[(
            "DATABASE_URL",
            "postgres://clinic:s3cret-word@127.0.0.1:1/plasticity",
        )],
    );
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.starts_with(
            "plasticity: cannot reach PostgreSQL at postgres://clinic:***@127.0.0.1:1/plasticity"
        ),
        "{message}"
    );
    assert!(message.contains("is the server running"), "{message}");
    assert!(!message.contains("s3cret-word"), "{message}");
    assert_eq!(message.trim_end().lines().count(), 1, "{message}");
}

#[test]
fn a_malformed_postgres_url_is_reported() {
    let output = plasticity(
        &["serve"],
        &[("DATABASE_URL", "postgres://db.example:port/clinic")],
    );
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains(
            "DATABASE_URL `postgres://db.example:port/clinic` is not a valid database URL"
        ),
        "{message}"
    );
}

#[test]
fn backup_on_postgres_points_to_pg_dump() {
    let output = plasticity(
        &["backup", "/tmp/never-written.db"],
        &[("DATABASE_URL", "postgres://db.example/clinic")],
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("use pg_dump"),
        "{}",
        stderr(&output)
    );
    assert!(!std::path::Path::new("/tmp/never-written.db").exists());
}
