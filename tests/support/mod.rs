//! One helper that builds the real application on a fresh SQLite database and serves it over
//! real HTTP on a free loopback port. Every test gets its own database and server.

#![allow(dead_code)]

use plasticity::components::site::SiteInfo;
use plasticity::content::ArticleStatus;
use plasticity::content::front_matter::{ArticleFile, parse_article_file};
use plasticity::server::app::router;
use plasticity::server::db::Db;
use plasticity::server::seed::load_seed_once;
use plasticity::server::state::AppState;
use std::net::SocketAddr;
use std::path::PathBuf;
use tempfile::TempDir;

pub struct TestApp {
    pub base_url: String,
    pub db: Db,
    pub database_url: String,
    pub http: reqwest::Client,
    /// Where the compiled site (CSS, JS, WebAssembly) would be; empty until a test writes to it.
    pub site_root: PathBuf,
    _dir: TempDir,
}

impl TestApp {
    /// A migrated database with the seed article loaded, served on a random port.
    pub async fn spawn() -> TestApp {
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
        let leptos_options = leptos::config::LeptosOptions::builder()
            .output_name("plasticity")
            .site_root(site_root.display().to_string())
            .site_addr(addr)
            .build();
        let site = SiteInfo {
            public_origin: format!("http://{addr}"),
            stylesheet_href: "/pkg/plasticity.css".into(),
        };
        let state = AppState {
            leptos_options,
            db: db.clone(),
            site,
        };
        tokio::spawn(async move {
            let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
            axum::serve(listener, app).await.expect("serve");
        });
        TestApp {
            base_url: format!("http://{addr}"),
            db,
            database_url,
            http: reqwest::Client::new(),
            site_root,
            _dir: dir,
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

pub fn article_file(slug: &str, body: &str) -> ArticleFile {
    let text = format!(
        "+++\nslug = \"{slug}\"\ntitle = \"Title of {slug}\"\nsummary = \"Summary of {slug}\"\n\
         last_reviewed = \"2026-01-15\"\nnext_review_due = \"2027-01-15\"\n\
         [author]\nname = \"A. Writer\"\ncredentials = \"RN\"\n+++\n{body}\n"
    );
    parse_article_file(&text).expect("test article file")
}

pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}
