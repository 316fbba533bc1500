//! Public pages served from the page cache: validators and 304s, negotiated compression, and
//! invalidation through the database's content version (so another instance's publish counts).

use crate::support;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use plasticity::content::ArticleStatus;
use plasticity::content::review::Approval;
use plasticity::content::staff::Role;
use sha2::{Digest, Sha256};
use support::TestApp;

const SEED: &str = "/articles/ketamine-and-brain-plasticity";

async fn get_with(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut request = TestApp::client().get(format!("{}{path}", app.base_url));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.unwrap()
}

/// The `'sha256-…'` sources of a response's script-src.
fn script_hashes(response: &reqwest::Response) -> Vec<String> {
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    let scripts = csp
        .split("script-src ")
        .nth(1)
        .unwrap()
        .split(';')
        .next()
        .unwrap();
    scripts.split_whitespace().map(str::to_owned).collect()
}

#[tokio::test]
async fn a_cached_page_is_the_same_bytes_each_time_without_a_nonce_and_answers_304() {
    let app = TestApp::spawn().await;
    let first = get_with(&app, SEED, &[]).await;
    assert_eq!(first.status(), 200);
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert_eq!(first.headers()["cache-control"], "no-cache");
    let first_policy = first.headers()["content-security-policy"].clone();
    let hashes = script_hashes(&first);
    let first_body = first.text().await.unwrap();
    let second = get_with(&app, SEED, &[]).await;
    assert_eq!(second.headers()["etag"].to_str().unwrap(), etag);
    assert_eq!(second.headers()["content-security-policy"], first_policy);
    assert_eq!(second.text().await.unwrap(), first_body);

    // No nonce anywhere: the inline scripts are allowed by their hashes, and only they are.
    assert!(!first_body.contains("nonce"), "{first_body}");
    assert!(!first_policy.to_str().unwrap().contains("nonce"));
    let print = format!(
        "<script>{}</script>",
        plasticity::components::print_button::PRINT_SCRIPT
    );
    assert!(first_body.contains(&print));
    assert_eq!(
        hashes,
        plasticity::server::http::security::PUBLIC_INLINE_SCRIPTS.map(|text| format!(
            "'sha256-{}'",
            STANDARD.encode(Sha256::digest(text.as_bytes()))
        ))
    );
    runs_only_allowed_scripts(&first_body, &hashes);

    let revalidated = get_with(&app, SEED, &[("if-none-match", &etag)]).await;
    assert_eq!(revalidated.status(), 304);
    assert!(revalidated.text().await.unwrap().is_empty());
    assert_eq!(
        get_with(&app, SEED, &[("if-none-match", "W/\"other\"")])
            .await
            .status(),
        200
    );
}

/// Every inline script in `body` is one the policy's `hashes` allow (else the browser refuses it).
fn runs_only_allowed_scripts(body: &str, hashes: &[String]) {
    let scripts: Vec<&str> = body
        .split("<script>")
        .skip(1)
        .map(|script| script.split("</script>").next().unwrap())
        .collect();
    assert!(!scripts.is_empty(), "{body}");
    for text in scripts {
        let hash = format!("'sha256-{}'", STANDARD.encode(Sha256::digest(text)));
        assert!(hashes.contains(&hash), "refused by the policy: {text}");
    }
}

#[tokio::test]
async fn every_kind_of_public_page_runs_only_the_scripts_its_stored_policy_allows() {
    let app = TestApp::spawn().await;
    for path in ["/", SEED, "/help-now"] {
        // The first answer is the render, the second the stored page.
        for _ in 0..2 {
            let response = get_with(&app, path, &[]).await;
            assert_eq!(response.status(), 200, "{path}");
            let hashes = script_hashes(&response);
            let body = response.text().await.unwrap();
            assert!(!body.contains("nonce"), "{path}");
            runs_only_allowed_scripts(&body, &hashes);
        }
        assert!(app.state().pages.is_stored(path), "{path}");
    }
}

/// A response's headers without the ones that differ per response by design.
fn stable_headers(response: &reqwest::Response) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .filter(|(name, _)| !["x-request-id", "date"].contains(&name.as_str()))
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
        .collect();
    headers.sort();
    headers
}

#[tokio::test]
async fn a_stored_page_is_answered_with_every_header_the_rendered_one_had() {
    let app = TestApp::spawn().await;
    for (path, accept) in [(SEED, "br"), ("/", "gzip"), ("/help-now", "identity")] {
        let headers = [("accept-encoding", accept)];
        // The first request for a page renders it through every layer; later ones are
        // answered from the store before routing.
        let rendered = get_with(&app, path, &headers).await;
        let stored = get_with(&app, path, &headers).await;
        assert_eq!(stored_headers_differ(&rendered, &stored), None, "{accept}");
        let (a, b) = (
            rendered.headers()["x-request-id"].clone(),
            stored.headers()["x-request-id"].clone(),
        );
        assert_ne!(a, b, "each response has its own request id");
        // The same page; its compressed bytes may differ (the smallest encoding is made in the
        // background and may be swapped in between the two requests).
        assert_eq!(
            decoded(rendered.bytes().await.unwrap(), accept),
            decoded(stored.bytes().await.unwrap(), accept)
        );
    }
    let stored = get_with(&app, "/help-now", &[]).await;
    for name in [
        "content-security-policy",
        "x-content-type-options",
        "referrer-policy",
        "x-frame-options",
        "cross-origin-opener-policy",
        "cross-origin-resource-policy",
        "permissions-policy",
    ] {
        assert!(stored.headers().contains_key(name), "{name}");
    }
    assert!(stored.headers().get("set-cookie").is_none());
    // A 304 from the store carries the same headers, but no policy (the browser would apply it
    // to the page it has).
    let etag = stored.headers()["etag"].to_str().unwrap().to_owned();
    let revalidated = get_with(&app, "/help-now", &[("if-none-match", &etag)]).await;
    assert_eq!(revalidated.status(), 304);
    assert!(
        revalidated
            .headers()
            .get("content-security-policy")
            .is_none()
    );
    assert_eq!(revalidated.headers()["x-frame-options"], "DENY");
    assert_eq!(revalidated.headers()["etag"], etag.as_str());
    // A session cookie that names no session: the page as anyone gets it (and the cookie removed).
    let stale = format!("plasticity_session={}", "ab".repeat(32));
    let with_stale = get_with(&app, "/help-now", &[("cookie", &stale)]).await;
    assert_eq!(with_stale.status(), 200);
    assert_eq!(with_stale.headers()["etag"], etag.as_str());
    let removal = with_stale.headers()["set-cookie"].to_str().unwrap();
    assert!(removal.starts_with("plasticity_session=;"), "{removal}");
}

/// A body sent with `Content-Encoding: encoding`, decompressed.
fn decoded(body: axum::body::Bytes, encoding: &str) -> Vec<u8> {
    use std::io::Read;
    let mut plain = Vec::new();
    match encoding {
        "br" => brotli::Decompressor::new(&body[..], 4096)
            .read_to_end(&mut plain)
            .unwrap(),
        "gzip" => flate2::read::GzDecoder::new(&body[..])
            .read_to_end(&mut plain)
            .unwrap(),
        _ => return body.to_vec(),
    };
    plain
}

fn stored_headers_differ(a: &reqwest::Response, b: &reqwest::Response) -> Option<String> {
    let (a, b) = (stable_headers(a), stable_headers(b));
    (a != b).then(|| format!("rendered {a:?}\nstored {b:?}"))
}

#[tokio::test]
async fn cached_pages_are_compressed_as_the_browser_asks() {
    let app = TestApp::spawn().await;
    let plain_len = get_with(&app, SEED, &[]).await.bytes().await.unwrap().len();
    for (accept, encoding) in [
        ("gzip, deflate, br", Some("br")),
        ("gzip", Some("gzip")),
        ("identity", None),
    ] {
        let response = get_with(&app, SEED, &[("accept-encoding", accept)]).await;
        assert_eq!(response.status(), 200);
        let got = response
            .headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(got.as_deref(), encoding, "{accept}");
        let len = response.bytes().await.unwrap().len();
        if encoding.is_some() {
            assert!(len * 2 < plain_len, "{accept}: {len} of {plain_len}");
        }
    }
}

#[tokio::test]
async fn publishing_and_unpublishing_reach_the_next_request() {
    let app = TestApp::spawn().await;
    let before = get_with(&app, SEED, &[]).await;
    let etag = before.headers()["etag"].to_str().unwrap().to_owned();
    // A change made straight in the database (as another instance would make it) still counts:
    // the cache goes by the database's content version.
    let seed = app.db.editable_article(1).await.unwrap().unwrap();
    let mut draft = seed.draft.clone();
    draft.body = "A new first paragraph.\n".into();
    let staff = app.add_staff("w@clinic.example", "W", Role::Writer).await;
    let reviewer = app
        .add_staff("r@clinic.example", "Dr R", Role::Reviewer)
        .await;
    let head = app
        .db
        .save_revision(1, seed.head_revision_id, &draft, staff.id, "edit")
        .await
        .unwrap();
    app.db.submit_for_review(1, head, staff.id).await.unwrap();
    let still_live = get_with(&app, SEED, &[]).await;
    assert!(
        still_live
            .text()
            .await
            .unwrap()
            .contains("The term plasticity"),
        "the draft is not live"
    );
    let author = plasticity::content::Author {
        name: reviewer.name.clone(),
        credentials: "MD".into(),
    };
    let today = chrono::Utc::now().date_naive();
    app.db
        .approve_and_publish(1, head, (reviewer.id, &author), today, &Approval::default())
        .await
        .unwrap();
    let after = get_with(&app, SEED, &[("if-none-match", &etag)]).await;
    assert_eq!(after.status(), 200, "the old copy is no longer current");
    assert!(
        after
            .text()
            .await
            .unwrap()
            .contains("A new first paragraph.")
    );
    let home = get_with(&app, "/", &[]).await.text().await.unwrap();
    assert!(home.contains("Ketamine and Brain Plasticity"));

    app.db.unpublish(1).await.unwrap();
    assert_eq!(get_with(&app, SEED, &[]).await.status(), 404);
    assert!(
        !get_with(&app, "/", &[])
            .await
            .text()
            .await
            .unwrap()
            .contains("Ketamine and Brain Plasticity")
    );
}

#[tokio::test]
async fn staff_and_error_pages_are_never_cached() {
    let app = TestApp::spawn().await;
    let cookie = app.signed_in(Role::Writer).await;
    let staff_view = app.get_as(SEED, Some(&cookie)).await;
    assert_eq!(staff_view.status(), 200);
    assert!(staff_view.headers().get("etag").is_none());
    assert_eq!(staff_view.headers()["cache-control"], "no-store");
    let admin = app.get_as("/admin", Some(&cookie)).await;
    assert!(admin.headers().get("etag").is_none());
    let missing = get_with(&app, "/articles/no-such-article", &[]).await;
    assert_eq!(missing.status(), 404);
    assert!(missing.headers().get("etag").is_none());
    // A query no page reads: the page, rendered for this request (its own nonce), not stored
    // under yet another key.
    let tagged = get_with(&app, &format!("{SEED}?utm_source=mail"), &[]).await;
    assert_eq!(tagged.status(), 200);
    assert!(tagged.headers().get("etag").is_none());
    let policy = tagged.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(policy.contains("'nonce-"), "{policy}");
    // The list's pages after a published article are stored (one per article at most).
    app.add_article("newer", "Words.", ArticleStatus::Published)
        .await;
    assert!(
        get_with(&app, "/?before=newer", &[])
            .await
            .headers()
            .get("etag")
            .is_some()
    );
}

#[tokio::test]
async fn a_change_committed_by_another_process_is_served_on_the_next_request() {
    // The server in its own process on a SQLite file; this test process is the other writer.
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/plasticity.db", dir.path().display());
    let server = support::Served::start(&url, &[]);
    let base = server.base_url.clone();
    let page = |path: &'static str| {
        let base = base.clone();
        async move { support::get_as(&base, path, None).await.status() }
    };
    for _ in 0..3 {
        assert_eq!(page(SEED).await, 200);
        assert_eq!(page("/").await, 200);
    }
    let db = plasticity::server::db::Db::connect(&url).await.unwrap();
    let seed = db.dashboard(1).await.unwrap().articles[0].id;
    db.unpublish(seed).await.unwrap();
    assert_eq!(page(SEED).await, 404, "unpublished by another process");
    let home = support::get_as(&server.base_url, "/", None).await;
    assert!(
        !home
            .text()
            .await
            .unwrap()
            .contains("Ketamine and Brain Plasticity")
    );
    server.terminate();
}

#[tokio::test]
async fn every_public_page_is_rendered_ahead_after_start_and_after_each_change() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/plasticity.db", dir.path().display());
    let server = support::Served::start(&url, &[("PLASTICITY_LOG_FORMAT", "json")]);
    let warmed = |version: i64| {
        move |line: &str| {
            line.contains("rendered the public pages ahead")
                && support::json(line)["fields"]["version"] == version
        }
    };
    // The first public request after start renders the others: the home page, the crisis page,
    // the glossary and the seed article (the one this request asked for may be rendered by the
    // request).
    let before = support::get_as(&server.base_url, "/help-now", None).await;
    assert_eq!(before.status(), 200);
    let db = plasticity::server::db::Db::connect(&url).await.unwrap();
    let version = db.content_version().await.unwrap();
    let line = support::json(&server.wait_for_log(warmed(version)).await);
    // The home page, the topics and the seed's topic, the crisis page, the glossary, the seed.
    assert_eq!(line["fields"]["pages"], 6, "{line}");
    let rendered = line["fields"]["rendered"].as_u64().unwrap();
    assert!((5..=6).contains(&rendered), "{line}");

    // Another process publishes an article: the next request starts the same for the new
    // version, now with five pages.
    db.insert_article(
        &support::article_file("sleep", "Sleep and recovery."),
        plasticity::content::ArticleStatus::Published,
    )
    .await
    .unwrap();
    let newer = db.content_version().await.unwrap();
    assert!(newer > version);
    assert_eq!(
        support::get_as(&server.base_url, "/articles/sleep", None)
            .await
            .status(),
        200
    );
    let line = support::json(&server.wait_for_log(warmed(newer)).await);
    assert_eq!(line["fields"]["pages"], 7, "{line}");
    assert!(line["fields"]["rendered"].as_u64().unwrap() >= 5, "{line}");
    server.terminate();
}
