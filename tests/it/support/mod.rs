//! What the integration tests share: `TestApp` (the real application on a fresh SQLite database,
//! over real HTTP on a free loopback port), `TestDb` (a fresh, migrated SQLite or PostgreSQL
//! database), `Served` (the real `plasticity serve` process), and the HTTP helpers they use.
//! Every test gets its own database and server.

/// Defines each test twice: in `mod sqlite` and in `mod postgres` (that one returns at once when
/// `PLASTICITY_TEST_POSTGRES` is not set). Every module declared after `support` in `main.rs` can
/// use it.
macro_rules! on_both_backends {
    ($(async fn $name:ident($t:ident: &TestDb) $body:block)*) => {
        mod sqlite {
            use super::*;
            $(
                #[tokio::test]
                async fn $name() {
                    let $t = &TestDb::sqlite().await;
                    $body
                }
            )*
        }
        mod postgres {
            use super::*;
            $(
                #[tokio::test]
                async fn $name() {
                    let Some(test_db) = TestDb::postgres().await else { return };
                    let $t = &test_db;
                    $body
                }
            )*
        }
    };
}

pub mod cli;
mod db;
pub mod editing;
mod served;
pub mod two_factor;

// Not every test binary uses every helper.
#[allow(unused_imports)]
pub use db::*;
#[allow(unused_imports)]
pub use served::*;
#[allow(unused_imports)]
pub use two_factor::TEST_SECRET_KEY;

use plasticity::content::ArticleStatus;
use plasticity::content::front_matter::{ArticleFile, parse_article_file};
use plasticity::content::staff::{Role, StaffMember};
use plasticity::server::auth::password::hash_password;
use plasticity::server::config::{Config, LogFormat};
use plasticity::server::db::Db;
use plasticity::server::db::NewStaff;
use plasticity::server::db::seed::load_seed_once;
use plasticity::server::router::app;
use plasticity::server::state::AppState;
use std::net::SocketAddr;
use std::path::PathBuf;
use tempfile::TempDir;

pub struct TestApp {
    pub base_url: String,
    state: AppState,
    pub db: Db,
    pub database_url: String,
    pub http: reqwest::Client,
    /// Where the compiled site (CSS, JS, WebAssembly) would be; empty until a test writes to it.
    pub site_root: PathBuf,
    _dir: TempDir,
    _stop: tokio::sync::watch::Sender<bool>,
}

impl TestApp {
    /// A migrated database with the seed article loaded, served on a random port.
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with_key(Some(TEST_SECRET_KEY)).await
    }

    /// `spawn`, with `key` as `PLASTICITY_SECRET_KEY` (or none).
    pub async fn spawn_with_key(key: Option<&str>) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let database_url = format!("sqlite://{}/plasticity.db", dir.path().display());
        let db = Db::connect(&database_url).await.expect("connect");
        db.migrate().await.expect("migrate");
        load_seed_once(&db).await.expect("seed");

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr: SocketAddr = listener.local_addr().expect("addr");
        let site_root = dir.path().join("site");
        let config = Config {
            database_url: database_url.clone(),
            site_addr: addr,
            public_url: None,
            site_root: site_root.clone(),
            trusted_proxies: Vec::new(),
            shutdown_drain: 0,
            log_format: LogFormat::Text,
            secret_key: key.map(str::to_owned),
        };
        let state = AppState::new(&config, db.clone());
        let app_state = state.clone();
        // Served as `plasticity serve` serves: two serving threads (`server::http::serving`), the
        // rest handed to this test's runtime. The threads stop when the test app is dropped.
        let (stop, stopping) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            let limits = plasticity::server::http::listener::Limits::default();
            plasticity::server::http::serving::serve(listener, app(state), 2, limits, stopping)
                .await
                .expect("serve");
        });
        let base_url = format!("http://{addr}");
        two_factor::forget_server(&base_url);
        TestApp {
            state: app_state,
            base_url,
            db,
            database_url,
            http: reqwest::Client::new(),
            site_root,
            _dir: dir,
            _stop: stop,
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base_url))
            .send()
            .await
            .expect("GET")
    }

    /// Calls a server function the way a browser form does (URL-encoded body).
    pub async fn call(&self, endpoint: &str, form: &str) -> reqwest::Response {
        self.http
            .post(format!("{}/api/{endpoint}", self.base_url))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.to_owned())
            .send()
            .await
            .expect("POST")
    }

    /// Calls a server function that must answer 200, and returns its JSON answer.
    pub async fn call_json(&self, endpoint: &str, form: &str) -> serde_json::Value {
        let response = self.call(endpoint, form).await;
        assert_eq!(response.status(), 200, "{endpoint} {form}");
        json(&response.text().await.expect("body"))
    }

    /// Stores an article with the given status, from a small front-matter file.
    pub async fn add_article(&self, slug: &str, body: &str, status: ArticleStatus) -> i64 {
        self.db
            .insert_article(&article_file(slug, body), status)
            .await
            .expect("insert article")
    }
}

/// A strong password for test accounts (the rules refuse weak ones).
pub const PASSWORD: &str = "correct horse battery staple";

impl TestApp {
    /// The state the server runs with (for calling server-side helpers directly).
    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// An HTTP client that does not follow redirects, so tests see the 303s.
    pub fn client() -> reqwest::Client {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Adds an active account with `PASSWORD`.
    pub async fn add_staff(&self, email: &str, name: &str, role: Role) -> StaffMember {
        add_staff(&self.db, email, name, role).await
    }

    /// Signs in through the form and returns the `Cookie` header value to send afterwards.
    pub async fn sign_in(&self, email: &str, password: &str) -> String {
        sign_in(&self.base_url, email, password).await
    }

    /// Adds an account with `role` and signs it in; returns its cookie.
    pub async fn signed_in(&self, role: Role) -> String {
        let email = format!("{role}@clinic.example");
        let name = format!("Test {role}");
        self.add_staff(&email, &name, role).await;
        self.sign_in(&email, PASSWORD).await
    }

    /// Posts a form like a browser (without following the redirect), with `cookie` if given.
    pub async fn post_form(
        &self,
        path: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        post_form(&self.base_url, path, cookie, fields).await
    }

    /// The HTML of `path` as `cookie` sees it.
    pub async fn html_as(&self, path: &str, cookie: Option<&str>) -> String {
        self.get_as(path, cookie).await.text().await.expect("page")
    }

    /// GETs `path` with `cookie` if given, without following redirects.
    pub async fn get_as(&self, path: &str, cookie: Option<&str>) -> reqwest::Response {
        get_as(&self.base_url, path, cookie).await
    }

    /// Calls a server function with `cookie` if given; `body` is URL-encoded, or JSON when it
    /// starts with `{`.
    pub async fn call_as(
        &self,
        endpoint: &str,
        cookie: Option<&str>,
        body: &str,
    ) -> reqwest::Response {
        let content_type = if body.starts_with('{') {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        };
        let mut request = Self::client()
            .post(format!("{}/api/{endpoint}", self.base_url))
            .header("content-type", content_type)
            .body(body.to_owned());
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("POST server function")
    }

    /// How many sign-in attempts the throttle has counted for `key` (`account:EMAIL` or
    /// `address:IP`) in its current window.
    pub async fn attempts_counted(&self, key: &str) -> i64 {
        let counted: Option<i64> =
            sqlx::query_scalar("SELECT failures FROM sign_in_failures WHERE key = ?")
                .bind(key)
                .fetch_optional(&self.sql().await)
                .await
                .expect("sign_in_failures");
        counted.unwrap_or(0)
    }

    /// Sets `password` with the invitation or reset link `token`, as its person would (no
    /// session): the answer, a 303 to the second factor when it worked.
    pub async fn set_password_with_link(&self, token: &str, password: &str) -> reqwest::Response {
        self.post_form(
            "/admin/welcome",
            None,
            &[
                ("token", token),
                ("password", password),
                ("confirm", password),
            ],
        )
        .await
    }

    /// An admin (`admin`) makes a password reset link for `member` on the Staff page; its token.
    pub async fn reset_link(&self, admin: &str, member: i64) -> String {
        let made = self
            .post_form(
                "/admin/staff",
                Some(admin),
                &[("intent", "reset"), ("staff_id", &member.to_string())],
            )
            .await;
        assert_eq!(made.status(), 200, "a reset link for {member}");
        shown_link_token(&made.text().await.expect("page"))
    }

    /// A second connection to the test database, for checking and ageing rows directly.
    pub async fn sql(&self) -> sqlx::SqlitePool {
        sqlx::SqlitePool::connect(&self.database_url)
            .await
            .expect("sqlite")
    }
}

/// Adds an active account with `PASSWORD` to `db` (reviewers and admins with credentials "MD").
pub async fn add_staff(db: &Db, email: &str, name: &str, role: Role) -> StaffMember {
    let hash = hash_password(PASSWORD.into()).await.expect("hash");
    db.add_staff(&NewStaff {
        email,
        name,
        role,
        credentials: if role >= Role::Reviewer { "MD" } else { "" },
        password_hash: &hash,
    })
    .await
    .expect("add staff")
}

/// Posts a form to the server at `base` like a browser (without following the redirect), with
/// `cookie` if given.
pub async fn post_form(
    base: &str,
    path: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let body = serde_urlencoded::to_string(fields).expect("form");
    let mut request = TestApp::client()
        .post(format!("{base}{path}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .body(body);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("POST form")
}

/// GETs `path` from the server at `base` with `cookie` if given, without following redirects.
pub async fn get_as(base: &str, path: &str, cookie: Option<&str>) -> reqwest::Response {
    let mut request = TestApp::client().get(format!("{base}{path}"));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.expect("GET")
}

/// Signs in at the server at `base` through the forms, password then second factor (enrolling
/// at the first sign-in); returns the `Cookie` header value of the whole session.
pub async fn sign_in(base: &str, email: &str, password: &str) -> String {
    let response = post_form(
        base,
        "/admin/login",
        None,
        &[("email", email), ("password", password), ("next", "")],
    )
    .await;
    assert_eq!(
        response.status(),
        303,
        "sign-in of {email} at {base} failed"
    );
    let half = session_cookie(&response).expect("session cookie");
    two_factor::second_factor(base, email, &half).await
}

/// The `name=value` of the session cookie a response sets, if it sets one with a value.
pub fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| value.split(';').next())
        .find(|pair| {
            pair.starts_with("plasticity_session=") && pair.len() > "plasticity_session=".len()
        })
        .map(str::to_owned)
}

/// The token of the invitation or reset link a page shows.
pub fn shown_link_token(html: &str) -> String {
    let at = html
        .find("/admin/welcome?token=")
        .expect("a link on the page")
        + 21;
    html[at..at + 64].to_owned()
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

pub fn article_file(slug: &str, body: &str) -> ArticleFile {
    let text = format!(
        "+++\nslug = \"{slug}\"\ntitle = \"Title of {slug}\"\nsummary = \"Summary of {slug}\"\n\
         [author]\nname = \"A. Writer\"\ncredentials = \"RN\"\n+++\n{body}\n"
    );
    parse_article_file(&text).expect("test article file")
}

pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}
