//! The reading side over real HTTP, against a fresh SQLite database per test.

use crate::support;

use plasticity::content::ArticleStatus;
use plasticity::server::db::Db;
use plasticity::server::db::seed::load_seed_once;
use support::TestApp;

const SEED_SLUG: &str = "ketamine-and-brain-plasticity";

#[tokio::test]
async fn seed_is_loaded_exactly_once_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/data/plasticity.db", dir.path().display());
    for start in 0..3 {
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        assert_eq!(
            load_seed_once(&db).await.unwrap(),
            start == 0,
            "start {start}"
        );
        assert_eq!(db.published_articles(100, None).await.unwrap().len(), 1);
        db.close().await;
    }
}

#[tokio::test]
async fn two_instances_starting_together_load_the_seed_once() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/plasticity.db", dir.path().display());
    let first = Db::connect(&url).await.unwrap();
    first.migrate().await.unwrap();
    let second = Db::connect(&url).await.unwrap();
    let (a, b) = tokio::join!(load_seed_once(&first), load_seed_once(&second));
    assert_eq!(
        [a.unwrap(), b.unwrap()]
            .iter()
            .filter(|loaded| **loaded)
            .count(),
        1
    );
    assert_eq!(first.published_articles(100, None).await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_seed_is_not_loaded_again_after_it_was_removed() {
    let app = TestApp::spawn().await;
    let mut conn = sqlx_connection(&app.database_url).await;
    sqlx::query("UPDATE articles SET status = 'archived' WHERE slug = ?")
        .bind(SEED_SLUG)
        .execute(&mut conn)
        .await
        .unwrap();
    assert!(!load_seed_once(&app.db).await.unwrap());
    assert!(
        app.db
            .published_articles(100, None)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn list_returns_published_articles_only() {
    let app = TestApp::spawn().await;
    app.add_article("a-draft", "Draft words.", ArticleStatus::Draft)
        .await;
    app.add_article("in-review", "Review words.", ArticleStatus::InReview)
        .await;
    app.add_article("retired", "Old words.", ArticleStatus::Archived)
        .await;
    app.add_article(
        "second-published",
        "Published words.",
        ArticleStatus::Published,
    )
    .await;

    let list = app.call_json("articles/list", "").await;
    let slugs: Vec<&str> = list["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["second-published", SEED_SLUG]);
    assert_eq!(list["next"], serde_json::Value::Null);
    let seed = &list["articles"][1];
    assert_eq!(seed["title"], "Ketamine and Brain Plasticity");
    assert_eq!(seed["reading_minutes"], 2);
    // Published, but no clinician has approved it: no review date is claimed.
    assert_eq!(seed["last_reviewed"], serde_json::Value::Null);
}

#[tokio::test]
async fn get_returns_a_published_article_rendered() {
    let app = TestApp::spawn().await;
    let rendered = app
        .call_json("articles/get", &format!("slug={SEED_SLUG}"))
        .await;
    assert_eq!(rendered["article"]["author"]["credentials"], "BSN RN SCRN");
    assert_eq!(
        rendered["article"]["references"].as_array().unwrap().len(),
        2
    );
    let html = rendered["body_html"].as_str().unwrap();
    assert!(
        html.contains(r##"<a class="citation" href="#ref-2""##),
        "{html}"
    );
    assert!(html.contains("(Duman et al., 2021)"), "{html}");
}

#[tokio::test]
async fn get_never_returns_unpublished_articles() {
    let app = TestApp::spawn().await;
    for (slug, status) in [
        ("a-draft", ArticleStatus::Draft),
        ("in-review", ArticleStatus::InReview),
        ("retired", ArticleStatus::Archived),
    ] {
        app.add_article(slug, "Secret words.", status).await;
        let response = app.call("articles/get", &format!("slug={slug}")).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.unwrap(), "null", "{slug}");
        let page = app.get(&format!("/articles/{slug}")).await;
        assert_eq!(page.status(), 404, "{slug}");
        assert!(
            !page.text().await.unwrap().contains("Secret words"),
            "{slug}"
        );
    }
}

#[tokio::test]
async fn the_article_page_is_complete_html() {
    let app = TestApp::spawn().await;
    let response = app.get(&format!("/articles/{SEED_SLUG}")).await;
    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = response.text().await.unwrap();
    assert!(html.contains("<h1>Ketamine and Brain Plasticity</h1>"));
    assert!(html.contains("By Kristen R. Dagenais, BSN RN SCRN"));
    assert!(html.contains(r#"href="https://doi.org/10.1016/j.neuropharm.2011.08.044""#));
    assert!(html.contains(r#"class="crisis-help""#));
    let canonical = format!(
        r#"<link href="{}/articles/{SEED_SLUG}" rel="canonical">"#,
        app.base_url
    );
    assert!(html.contains(&canonical), "{html}");
    assert!(html.contains(r#""@type":"MedicalWebPage""#));
    // Patients download no WebAssembly and no script file: only the page's own inline scripts,
    // named by their hashes in the policy, may run.
    assert!(csp.contains("script-src 'sha256-"), "{csp}");
    assert!(
        !csp.contains("'self' 'sha256") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(!html.contains(".wasm") && !html.contains("type=\"module\""));
    assert!(html.contains(&format!(
        "<script>{}</script>",
        plasticity::components::print_button::PRINT_SCRIPT
    )));
}

#[tokio::test]
async fn staff_pages_load_the_webassembly_under_a_fresh_nonce_each_time() {
    let app = TestApp::spawn().await;
    let mut nonces = Vec::new();
    for _ in 0..2 {
        let response = app.get("/admin/login").await;
        assert_eq!(response.status(), 200);
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        let html = response.text().await.unwrap();
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap()
            .to_owned();
        assert!(csp.contains("'wasm-unsafe-eval'"));
        assert!(
            html.contains(&format!(r#"nonce="{nonce}""#)),
            "the hydration script carries the CSP nonce"
        );
        assert!(html.contains("plasticity_bg.wasm") || html.contains(".wasm"));
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1]);
}

#[tokio::test]
async fn an_article_that_does_not_mention_suicide_has_no_crisis_block() {
    let app = TestApp::spawn().await;
    app.add_article(
        "sleep",
        "Sleep helps the brain recover.",
        ArticleStatus::Published,
    )
    .await;
    let html = app.get("/articles/sleep").await.text().await.unwrap();
    assert!(html.contains("Sleep helps the brain recover."));
    assert!(!html.contains(r#"class="crisis-help""#));
    assert!(
        html.contains("Need help now?"),
        "the header link is on every page"
    );
}

#[tokio::test]
async fn unknown_urls_answer_404_with_a_page() {
    let app = TestApp::spawn().await;
    for path in ["/no-such-page", "/articles/no-such-article", "/articles/"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 404, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains("We could not find that page"), "{path}");
        assert!(html.contains("Need help now?"), "{path}");
    }
}

#[tokio::test]
async fn a_failure_answers_500_without_internals() {
    let app = TestApp::spawn().await;
    let mut conn = sqlx_connection(&app.database_url).await;
    sqlx::query("DROP TABLE revision_references")
        .execute(&mut conn)
        .await
        .unwrap();

    let response = app.get(&format!("/articles/{SEED_SLUG}")).await;
    assert_eq!(response.status(), 500);
    let html = response.text().await.unwrap();
    assert!(html.contains("Something went wrong"));
    assert!(html.contains("Need help now?"));
    for leak in ["revision_references", "sqlx", "SQLITE", "no such table"] {
        assert!(
            !html.to_lowercase().contains(&leak.to_lowercase()),
            "leaked {leak}"
        );
    }

    let api = app.call("articles/get", &format!("slug={SEED_SLUG}")).await;
    assert_eq!(api.status(), 500);
    let body = api.text().await.unwrap();
    assert!(!body.contains("revision_references"), "{body}");
}

#[tokio::test]
async fn the_help_page_needs_no_database() {
    let app = TestApp::spawn().await;
    app.db.close().await;
    let response = app.get("/help-now").await;
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("988"));
    assert_eq!(app.get("/readyz").await.status(), 503);
    assert_eq!(app.get("/healthz").await.status(), 200);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    for path in ["/", "/help-now", "/no-such-page", "/healthz"] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
    }
}

#[tokio::test]
async fn compiled_assets_are_cached_forever_and_sent_precompressed() {
    let app = TestApp::spawn().await;
    let pkg = app.site_root.join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("plasticity.abc123.css"), "body { margin: 0 }").unwrap();
    std::fs::write(pkg.join("plasticity.abc123.css.br"), "brotli bytes").unwrap();
    let url = format!("{}/pkg/plasticity.abc123.css", app.base_url);

    let brotli = app
        .http
        .get(&url)
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(brotli.status(), 200);
    assert_eq!(brotli.headers()["content-encoding"], "br");
    assert_eq!(
        brotli.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(brotli.text().await.unwrap(), "brotli bytes");

    let plain = app
        .http
        .get(&url)
        .header("accept-encoding", "identity")
        .send()
        .await
        .unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.text().await.unwrap(), "body { margin: 0 }");

    let missing = app.get("/pkg/plasticity.gone.css").await;
    assert_eq!(missing.status(), 404);
    assert!(
        missing.headers().get("cache-control").is_none(),
        "a 404 must not be cached forever"
    );
}

async fn sqlx_connection(url: &str) -> sqlx::SqliteConnection {
    use sqlx::Connection;
    sqlx::SqliteConnection::connect(url).await.unwrap()
}

/// Issue 30, item 8: every number on the crisis page that can be texted is a link a phone can
/// tap; the home page promises no review the articles have not had; the patients' privacy line
/// is on their pages and not on staff pages (which set a cookie).
#[tokio::test]
async fn patient_pages_say_only_what_holds_and_every_number_can_be_tapped() {
    let app = TestApp::spawn().await;
    let help = app.get("/help-now").await.text().await.unwrap();
    for link in [
        "tel:911",
        "tel:988",
        "sms:988",
        "sms:838255",
        "sms:741741?body=HOME",
    ] {
        assert!(help.contains(&format!("href=\"{link}\"")), "{link}");
    }
    let home = app.get("/").await.text().await.unwrap();
    assert!(!home.contains("reviewed by clinicians"), "{home}");
    assert!(home.contains("says whether, and when, a clinician reviewed it"));
    let privacy = "no cookies, no tracking";
    assert!(home.contains(privacy));
    assert!(help.contains(privacy));
    let staff = app.get("/admin/login").await.text().await.unwrap();
    assert!(!staff.contains(privacy), "staff pages set a session cookie");
}
