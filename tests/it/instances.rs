//! Two `plasticity serve` processes on one PostgreSQL database, as behind a load balancer:
//! nothing a user sees may depend on which one answers. Needs `PLASTICITY_TEST_POSTGRES`.

use crate::support;

use plasticity::content::staff::Role;
use plasticity::server::db::Db;
use support::editing::{approving, pairs};
use support::{PASSWORD, Served, TestDb, add_staff, get_as, location, post_form, sign_in};

fn article<'a>(intent: &'a str, base: &'a str, body: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("intent", intent),
        ("base_revision", base),
        ("title", "Ketamine and sleep"),
        ("slug", "ketamine-and-sleep"),
        ("summary", "How the treatment can affect sleep."),
        ("body", body),
        ("author_name", "Kim Writer"),
        ("author_credentials", "RN"),
        ("note", ""),
    ]
}

#[tokio::test]
async fn instances_starting_together_migrate_once() {
    let Some(t) = TestDb::postgres_unmigrated().await else {
        return;
    };
    let mut starts = Vec::new();
    for _ in 0..4 {
        let url = t.url.clone();
        starts.push(tokio::spawn(async move {
            let db = Db::connect(&url).await.expect("connect");
            db.migrate().await
        }));
    }
    for start in starts {
        start
            .await
            .unwrap()
            .expect("every instance's migration succeeds");
    }
    assert!(
        !t.db.has_active_admin().await.unwrap(),
        "the schema is there"
    );
}

#[tokio::test]
async fn two_instances_on_one_postgres_database_agree() {
    let Some(t) = TestDb::postgres().await else {
        return;
    };
    for (email, role) in [
        ("writer@clinic.example", Role::Writer),
        ("reviewer@clinic.example", Role::Reviewer),
    ] {
        add_staff(&t.db, email, &format!("Test {role}"), role).await;
    }
    let a = Served::start(&t.url, &[]);
    let b = Served::start(&t.url, &[]);
    let (a, b) = (a.base_url.as_str(), b.base_url.as_str());

    // Signed in on A is signed in on B.
    let writer = sign_in(a, "writer@clinic.example", PASSWORD).await;
    assert_eq!(get_as(b, "/admin", Some(&writer)).await.status(), 200);
    assert_eq!(get_as(b, "/admin", None).await.status(), 303);

    // Both instances have the home page cached before anything changes.
    for base in [a, b] {
        let home = get_as(base, "/", None).await.text().await.unwrap();
        assert!(!home.contains("Ketamine and sleep"));
    }

    // The writer creates the article on A and submits it on B.
    let created = post_form(
        a,
        "/admin/articles/new",
        Some(&writer),
        &article("save", "", "Sleep text."),
    )
    .await;
    assert_eq!(created.status(), 303);
    let path = location(&created).split('?').next().unwrap().to_owned();
    let id: i64 = path.trim_start_matches("/admin/articles/").parse().unwrap();
    let head =
        t.db.editable_article(id)
            .await
            .unwrap()
            .unwrap()
            .head_revision_id
            .to_string();
    let submitted = post_form(
        b,
        &path,
        Some(&writer),
        &article("submit", &head, "Sleep text."),
    )
    .await;
    assert_eq!(submitted.status(), 303);

    // A reviewer publishes through A; B serves it on the next request.
    let reviewer = sign_in(b, "reviewer@clinic.example", PASSWORD).await;
    let published = post_form(
        a,
        &path,
        Some(&reviewer),
        &pairs(&approving(&article("publish", &head, "Sleep text."))),
    )
    .await;
    assert_eq!(
        published.status(),
        303,
        "{}",
        published.text().await.unwrap_or_default()
    );
    let page = get_as(b, "/articles/ketamine-and-sleep", None).await;
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Sleep text."));
    assert!(
        get_as(b, "/", None)
            .await
            .text()
            .await
            .unwrap()
            .contains("Ketamine and sleep")
    );

    // A save through A, then a save through B from the same opened revision: a conflict.
    let saved = post_form(
        a,
        &path,
        Some(&reviewer),
        &article("save", &head, "The reviewer's text."),
    )
    .await;
    assert_eq!(saved.status(), 303);
    let stale = post_form(
        b,
        &path,
        Some(&writer),
        &article("save", &head, "The writer's text."),
    )
    .await;
    assert_eq!(stale.status(), 409);
    let html = stale.text().await.unwrap();
    assert!(html.contains("The writer's text.") && html.contains("The reviewer's text."));

    // Signing out on B ends the session on A too.
    assert_eq!(
        post_form(b, "/admin/logout", Some(&writer), &[])
            .await
            .status(),
        303
    );
    assert_eq!(get_as(a, "/admin", Some(&writer)).await.status(), 303);
}

/// The nginx binary, if this machine has one.
fn nginx() -> Option<std::path::PathBuf> {
    ["/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx"]
        .iter()
        .map(std::path::PathBuf::from)
        .find(|path| path.is_file())
}

/// nginx with the repository's `deploy/nginx/upstream.conf` (pointed at `instances`) and
/// `deploy/nginx/proxy.conf`, on plain HTTP (TLS is the only part of the production config it
/// leaves out). Stopped when dropped.
struct Nginx {
    child: std::process::Child,
    base_url: String,
    _dir: tempfile::TempDir,
}

impl Nginx {
    fn start(binary: &std::path::Path, instances: [&str; 2]) -> Nginx {
        let dir = tempfile::tempdir().unwrap();
        let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/nginx");
        let upstream = std::fs::read_to_string(repo.join("upstream.conf"))
            .unwrap()
            .replace("127.0.0.1:3001", instances[0].trim_start_matches("http://"))
            .replace("127.0.0.1:3002", instances[1].trim_start_matches("http://"));
        std::fs::write(dir.path().join("upstream.conf"), upstream).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let root = dir.path().display();
        let config = format!(
            "worker_processes 1;\npid {root}/nginx.pid;\nerror_log {root}/error.log;\n\
             events {{}}\nhttp {{\n  access_log off;\n\
             client_body_temp_path {root}/body;\n  proxy_temp_path {root}/proxy;\n\
             fastcgi_temp_path {root}/fastcgi;\n  uwsgi_temp_path {root}/uwsgi;\n\
             scgi_temp_path {root}/scgi;\n  include {root}/upstream.conf;\n\
             server {{\n    listen 127.0.0.1:{port};\n    include {};\n  }}\n}}\n",
            repo.join("proxy.conf").display()
        );
        let config_path = dir.path().join("nginx.conf");
        std::fs::write(&config_path, config).unwrap();
        let child = std::process::Command::new(binary)
            .args(["-g", "daemon off;", "-p"])
            .arg(dir.path())
            .arg("-c")
            .arg(&config_path)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start nginx");
        let base_url = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        Nginx {
            child,
            base_url,
            _dir: dir,
        }
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        // SIGTERM makes the master stop its workers too (SIGKILL would orphan them).
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// How many requests an instance has logged.
fn requests_logged(instance: &Served) -> usize {
    instance
        .log
        .lock()
        .unwrap()
        .iter()
        .filter(|line| line.contains("request_id"))
        .count()
}

#[tokio::test]
async fn behind_the_repository_nginx_config_requests_reach_both_and_survive_one_stopping() {
    let Some(t) = TestDb::postgres().await else {
        return;
    };
    let Some(binary) = nginx() else {
        panic!("nginx is not installed: `scripts/setup.sh test` installs it");
    };
    add_staff(&t.db, "writer@clinic.example", "Test writer", Role::Writer).await;
    let env = [("PLASTICITY_TRUSTED_PROXIES", "127.0.0.1")];
    let mut a = Served::start(&t.url, &env);
    let b = Served::start(&t.url, &env);
    let proxy = Nginx::start(&binary, [&a.base_url, &b.base_url]);
    let base = proxy.base_url.as_str();

    let (a_before, b_before) = (requests_logged(&a), requests_logged(&b));
    let writer = sign_in(base, "writer@clinic.example", PASSWORD).await;
    for _ in 0..20 {
        assert_eq!(get_as(base, "/", None).await.status(), 200);
        // The session works whichever instance nginx picks.
        assert_eq!(get_as(base, "/admin", Some(&writer)).await.status(), 200);
    }
    // The log reader threads may lag a moment behind the responses.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(requests_logged(&a) > a_before + 5, "A served its share");
    assert!(requests_logged(&b) > b_before + 5, "B served its share");

    // A stops; nginx sends everything to B, and no request fails.
    a.terminate();
    let _ = a.child.wait();
    for _ in 0..20 {
        assert_eq!(get_as(base, "/", None).await.status(), 200);
        assert_eq!(get_as(base, "/admin", Some(&writer)).await.status(), 200);
    }
}
