//! The `plasticity` binary as an operator meets it: `--help`, and one clear line and a non-zero
//! exit for each start-up problem.

use crate::support;

use support::Served;
use support::cli::{add_admin, plasticity, stderr, stdout, user};

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
        .header("x-request-id", "chosen-by-the-client")
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
    // The server names every request: a client's own id is neither echoed nor logged.
    assert_eq!(id.len(), 16, "{id}");
    assert!(!logged.contains("chosen-by-the-client"), "{logged}");
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
