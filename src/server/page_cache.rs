//! Public pages, rendered once and then served from memory. A page is rendered (HTML, `Async`
//! mode) on the first request and stored as a template: its body cut at each place its CSP nonce
//! appeared. Every later request gets the stored page with a fresh nonce in the body and in the
//! Content-Security-Policy (so the nonce stays unique per response), compressed on the way out
//! like any response. A weak ETag (the template's hash) lets browsers revalidate: 304, with no
//! policy, so the copy they hold keeps its own.
//!
//! Correctness across instances: every publish, unpublish, save or import bumps the content
//! version in the database (`app_meta.content_version`), and each request reads it first; a
//! different version empties the cache. So what one instance publishes is what every instance
//! serves next. Staff (a session) always get a fresh render. Only 200 answers are kept, at most
//! `MAX_PAGES` of them.

use super::auth::session::SignedIn;
use super::db::Db;
use super::random::{hex, random_hex};
use super::security::public_page_policy;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::Digest;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// At most this many pages are kept (about 5 KB each).
pub const MAX_PAGES: usize = 4096;

/// The largest page kept; a larger one is served but not stored.
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;

/// One rendered page: its body split at the nonce, and its validator.
struct CachedPage {
    pieces: Vec<String>,
    etag: String,
}

impl CachedPage {
    /// Cuts `body` at every occurrence of `nonce`.
    fn new(body: &str, nonce: &str) -> CachedPage {
        let digest = sha2::Sha256::digest(body.replace(nonce, "").as_bytes());
        let hash = hex(&digest[..12]);
        CachedPage {
            pieces: body.split(nonce).map(str::to_owned).collect(),
            etag: format!("W/\"{hash}\""),
        }
    }

    fn body(&self, nonce: &str) -> String {
        self.pieces.join(nonce)
    }
}

#[derive(Default)]
struct Pages {
    version: Option<i64>,
    pages: HashMap<String, Arc<CachedPage>>,
}

/// The cache and the database it checks versions against; cheap to clone.
#[derive(Clone)]
pub struct PageCache {
    db: Db,
    pages: Arc<Mutex<Pages>>,
}

impl PageCache {
    pub fn new(db: Db) -> PageCache {
        PageCache {
            db,
            pages: Arc::new(Mutex::new(Pages::default())),
        }
    }

    /// The stored page for `key` if it was rendered at `version`; a different version empties
    /// the cache first.
    fn get(&self, key: &str, version: i64) -> Option<Arc<CachedPage>> {
        let mut pages = self
            .pages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if pages.version != Some(version) {
            pages.pages.clear();
            pages.version = Some(version);
        }
        pages.pages.get(key).cloned()
    }

    fn put(&self, key: String, version: i64, page: Arc<CachedPage>) {
        let mut pages = self
            .pages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if pages.version != Some(version) {
            return;
        }
        if pages.pages.len() >= MAX_PAGES {
            pages.pages.clear();
        }
        pages.pages.insert(key, page);
    }
}

/// Paths that are never public pages.
fn cacheable_path(path: &str) -> bool {
    !["/admin", "/api/", "/pkg/", "/healthz", "/readyz"]
        .iter()
        .any(|prefix| path.starts_with(prefix))
}

/// A fresh nonce: 128 random bits, in hex.
fn new_nonce() -> String {
    random_hex::<16>()
}

/// Whether `If-None-Match` names `etag` (compared weakly, as HTTP says for this header).
fn matches_etag(headers: &HeaderMap, etag: &str) -> bool {
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|tag| tag.trim() == "*" || bare(tag) == bare(etag))
}

fn respond(page: &CachedPage, request_headers: &HeaderMap) -> Response {
    let mut response = if matches_etag(request_headers, &page.etag) {
        // No Content-Security-Policy on a 304: the browser keeps the stored page's, which
        // matches the nonce in the page it stored.
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let nonce = new_nonce();
        let mut response = Response::new(Body::from(page.body(&nonce)));
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        if let Ok(policy) = HeaderValue::from_str(&public_page_policy(&nonce)) {
            headers.insert(header::CONTENT_SECURITY_POLICY, policy);
        }
        response
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&page.etag) {
        headers.insert(header::ETAG, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The nonce a rendered public page was given, read from its policy.
fn nonce_of(headers: &HeaderMap) -> Option<String> {
    let policy = headers
        .get(header::CONTENT_SECURITY_POLICY)?
        .to_str()
        .ok()?;
    let nonce = policy.split("'nonce-").nth(1)?.split('\'').next()?;
    // Only a public page's policy (staff pages also allow WebAssembly).
    (policy == public_page_policy(nonce) && nonce.len() >= 16).then(|| nonce.to_owned())
}

/// Middleware: serves public pages from the cache, filling it on a miss.
pub async fn serve_cached_pages(
    State(cache): State<PageCache>,
    request: Request,
    next: Next,
) -> Response {
    let eligible = (request.method() == Method::GET || request.method() == Method::HEAD)
        && cacheable_path(request.uri().path())
        && request.extensions().get::<SignedIn>().is_none();
    if !eligible {
        return next.run(request).await;
    }
    let version = match cache.db.content_version().await {
        Ok(version) => version,
        Err(error) => {
            tracing::warn!(%error, "cannot read the content version; serving uncached");
            return next.run(request).await;
        }
    };
    let key = request.uri().path_and_query().map_or_else(
        || request.uri().path().to_owned(),
        |pq| pq.as_str().to_owned(),
    );
    if let Some(page) = cache.get(&key, version) {
        return respond(&page, request.headers());
    }
    let request_headers = request.headers().clone();
    let response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    let nonce = nonce_of(response.headers());
    let (true, true, Some(nonce)) = (response.status() == StatusCode::OK, html, nonce) else {
        return response;
    };
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let page = Arc::new(CachedPage::new(text, &nonce));
    cache.put(key, version, page.clone());
    respond(&page, &request_headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_page_gets_a_new_nonce_everywhere_the_old_one_was() {
        let page = CachedPage::new(
            "<script nonce=\"n0nce\">a</script><link crossorigin=\"n0nce\">",
            "n0nce",
        );
        assert_eq!(
            page.body("fresh"),
            "<script nonce=\"fresh\">a</script><link crossorigin=\"fresh\">"
        );
        let again = CachedPage::new(
            "<script nonce=\"other\">a</script><link crossorigin=\"other\">",
            "other",
        );
        assert_eq!(page.etag, again.etag, "the validator ignores the nonce");
        assert!(page.etag.starts_with("W/\""));
    }

    #[test]
    fn etags_match_weakly_and_in_lists() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"a\", W/\"b\""),
        );
        assert!(matches_etag(&headers, "W/\"b\""));
        assert!(matches_etag(&headers, "W/\"a\""));
        assert!(!matches_etag(&headers, "W/\"c\""));
    }

    #[test]
    fn nonces_are_fresh_and_only_public_policies_are_cached() {
        assert_ne!(new_nonce(), new_nonce());
        let mut headers = HeaderMap::new();
        let nonce = new_nonce();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&public_page_policy(&nonce)).unwrap(),
        );
        assert_eq!(nonce_of(&headers), Some(nonce.clone()));
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&super::super::security::page_policy(&nonce)).unwrap(),
        );
        assert_eq!(nonce_of(&headers), None);
    }

    #[test]
    fn staff_api_and_asset_paths_are_never_cached() {
        for path in [
            "/admin",
            "/admin/articles/1",
            "/api/articles/list",
            "/pkg/x.css",
            "/readyz",
        ] {
            assert!(!cacheable_path(path), "{path}");
        }
        for path in ["/", "/articles/a", "/help-now"] {
            assert!(cacheable_path(path), "{path}");
        }
    }
}
