//! Public pages, rendered once and then served from memory like static files. A page is
//! rendered (HTML, `Async` mode) on the first request, then made static: its inline scripts
//! (the print button's, and Leptos's constant bookkeeping) lose their per-response nonce and
//! are allowed by their SHA-256 hashes instead (only scripts that carried this render's nonce;
//! any other script in the page stays refused), so every response of that page is the same
//! bytes. Those bytes are stored three ways: as they are, brotli (quality 11) and gzip (level
//! 9), compressed once, and each response picks the one the browser accepts. A weak ETag (the
//! page's hash) lets browsers revalidate: 304, no body. The request that fills the cache
//! compresses quickly (brotli 5, gzip 6); the smallest encodings are made in the background and
//! swapped in.
//!
//! Two layers share the cache (see `server::router`). The outer one, `serve_cached_pages`, sits
//! just inside the request log: a request with no session cookie whose page is stored is
//! answered there, with every header the full stack would add (security headers included), so a
//! cached page costs one version read and one lookup, not the session, origin, compression and
//! routing layers. Everything else goes on, carrying the version it read, to the inner one,
//! `fill_page_cache`, which sits inside the session layer: it renders a missing page (compressed
//! by nothing but itself) and stores it.
//!
//! Rendering ahead (`warm`): the first request the outer layer sees at a content version (so
//! also the first after start) starts a background pass that renders every public page not yet
//! stored, through the same layers, so patients do not wait for renders after a publish or a
//! restart.
//!
//! Correctness across instances: every publish, unpublish or import bumps the content version
//! in the database (`app_meta.content_version`) and records, in the same transaction, what it
//! touched (`content_changes`: the article's slugs). Each request reads the version first (a
//! read that sees every change committed before the request arrived, see `db::version`); a
//! newer one than the cache's makes the cache read the changes since and drop just those
//! articles' pages and the list pages (everything, when the records are gone). So what one
//! instance publishes is what every instance serves next, and a publish costs the renders of
//! the pages it changed, not of the site. A draft save changes no public page and no version.
//! Staff (a session) always get a fresh render. Only 200 answers are kept, at most `MAX_PAGES`
//! of them; when full, the least recently used page makes room.

mod static_page;
mod store;
mod warm;

use super::auth::cookie::SessionCookie;
use super::auth::session::SignedIn;
use super::db::{Changes, Db};
use super::security::{SecurityHeaders, public_page_policy};
use crate::area::Area;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use static_page::{Effort, StaticPage};
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use store::Pages;

/// At most this many pages are kept (about 15 KB each with their compressed copies).
pub const MAX_PAGES: usize = 4096;

/// The largest page kept; a larger one is served but not stored.
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;

/// The cache and the database it checks versions against; cheap to clone.
#[derive(Clone)]
pub struct PageCache {
    db: Db,
    /// Requests carrying this cookie skip the outer layer (the session layer decides).
    cookie: SessionCookie,
    /// Added to every cached answer, as `security::add_security_headers` would.
    security: SecurityHeaders,
    pages: Arc<Mutex<Pages>>,
    /// Pages waiting for their smallest encodings, made by one background thread.
    upgrades: std::sync::mpsc::SyncSender<Upgrade>,
    /// How many of those are waiting (warming waits while this is high).
    waiting: Arc<AtomicUsize>,
    /// The content version pages were last rendered ahead for.
    warmed: Arc<AtomicI64>,
    /// Held while the cache catches up with a new content version (one reader of the changes).
    catching_up: Arc<tokio::sync::Mutex<()>>,
    counters: Arc<Counters>,
}

impl std::fmt::Debug for PageCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageCache")
            .field("counts", &self.counts())
            .finish_non_exhaustive()
    }
}

#[derive(Default)]
struct Counters {
    rendered: AtomicU64,
    dropped: AtomicU64,
}

/// What the cache holds and has done since start (read by tests and benchmarks).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheCounts {
    /// The content version the stored pages are at.
    pub version: Option<i64>,
    /// Pages stored now.
    pub stored: usize,
    /// Pages rendered and stored (by requests or rendering ahead).
    pub rendered: u64,
    /// Pages dropped because a change touched them.
    pub dropped: u64,
}

/// A page stored under `key`, to be compressed again with `Effort::Best`.
struct Upgrade {
    key: String,
    page: Arc<StaticPage>,
}

/// At most this many pages wait for `Effort::Best`; more stay as they are until the next
/// version (a burst of first visits must not queue unbounded work or memory).
const MAX_WAITING_UPGRADES: usize = 256;

impl PageCache {
    pub fn new(db: Db, cookie: SessionCookie, security: SecurityHeaders) -> PageCache {
        let pages = Arc::new(Mutex::new(Pages::default()));
        let (upgrades, queue) = std::sync::mpsc::sync_channel::<Upgrade>(MAX_WAITING_UPGRADES);
        let stored = pages.clone();
        let waiting = Arc::new(AtomicUsize::new(0));
        let done = waiting.clone();
        // One thread, so this work takes at most one core and one page's memory at a time. It
        // ends when the last `PageCache` clone is dropped.
        let spawned = std::thread::Builder::new()
            .name("page-compression".into())
            .spawn(move || {
                for job in queue {
                    let best = job.page.recompressed();
                    upgrade(&stored, &job, best);
                    done.fetch_sub(1, Ordering::Relaxed);
                }
            });
        if let Err(error) = spawned {
            tracing::warn!(%error, "cannot start the page compression thread; pages stay at fast compression");
        }
        PageCache {
            db,
            cookie,
            security,
            pages,
            upgrades,
            waiting,
            warmed: Arc::new(AtomicI64::new(i64::MIN)),
            catching_up: Arc::default(),
            counters: Arc::default(),
        }
    }

    /// The stored page for `key`, for a request that read content `version`. A newer version
    /// than the cache's first drops the pages the changes since touched.
    async fn get(&self, key: &str, version: i64) -> Option<Arc<StaticPage>> {
        {
            let mut pages = self.lock();
            if pages.version.is_some_and(|at| at >= version) {
                return pages.lookup(key, version);
            }
        }
        self.catch_up(version).await;
        self.lock().lookup(key, version)
    }

    /// Moves the cache to `version`, dropping only the pages the changes since its own version
    /// touched (all of them when those cannot be read). One request does this while the others
    /// that saw the new version wait for it. The cache never moves back: a database restored
    /// to an earlier state needs a restart (see docs/deploy.md).
    async fn catch_up(&self, version: i64) {
        let _one_at_a_time = self.catching_up.lock().await;
        let at = self.lock().version;
        let changes = match at {
            Some(at) if at >= version => return,
            Some(at) => self
                .db
                .content_changes(at, version)
                .await
                .unwrap_or_else(|error| {
                    tracing::warn!(%error, "cannot read what changed; dropping every stored page");
                    Changes::Everything
                }),
            None => Changes::Everything,
        };
        let dropped = self.lock().move_to(version, &changes);
        self.counters
            .dropped
            .fetch_add(dropped as u64, Ordering::Relaxed);
    }

    /// What the cache holds and has done (see `CacheCounts`).
    pub fn counts(&self) -> CacheCounts {
        let pages = self.lock();
        CacheCounts {
            version: pages.version,
            stored: pages.pages.len(),
            rendered: self.counters.rendered.load(Ordering::Relaxed),
            dropped: self.counters.dropped.load(Ordering::Relaxed),
        }
    }

    /// Whether a page is stored under `key` (a path, with the home page's `?page=N`).
    pub fn is_stored(&self, key: &str) -> bool {
        self.lock().pages.contains_key(key)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Pages> {
        self.pages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues `page` (stored under `key`) for its smallest encodings; a full queue skips it.
    fn queue_upgrade(&self, key: String, page: Arc<StaticPage>) {
        self.waiting.fetch_add(1, Ordering::Relaxed);
        if self.upgrades.try_send(Upgrade { key, page }).is_err() {
            self.waiting.fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// The version a request may trust: `read` (the outer layer's, for this request), else a
    /// new read; `None` (logged) when it cannot be read, and the request is then served uncached.
    async fn version_for(&self, read: Option<ContentVersion>) -> Option<i64> {
        match read {
            Some(ContentVersion(version)) => Some(version),
            None => self
                .db
                .content_version()
                .await
                .inspect_err(|error| {
                    tracing::warn!(%error, "cannot read the content version; serving uncached");
                })
                .ok(),
        }
    }

    fn put(&self, key: String, version: i64, page: Arc<StaticPage>) {
        if self.lock().store(key, version, page, MAX_PAGES) {
            self.counters.rendered.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Replaces `job.page` (if it is still the page stored under its key) with `best`.
fn upgrade(pages: &Mutex<Pages>, job: &Upgrade, best: StaticPage) {
    let mut pages = pages
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(stored) = pages.pages.get_mut(&job.key)
        && Arc::ptr_eq(&stored.page, &job.page)
    {
        stored.page = Arc::new(best);
    }
}

/// Whether a page at `uri` may be stored: a public path, and no query but the home page's
/// `?page=N`. (A query no page reads would otherwise store copies of the same page under
/// endless keys, and anyone could fill and empty the cache with them; such requests are
/// rendered as they come.)
fn cacheable(uri: &axum::http::Uri) -> bool {
    let path = uri.path();
    let public = Area::of(path) == Area::Public;
    let known_query = match uri.query() {
        None => true,
        Some(query) => {
            let page = query.strip_prefix("page=").unwrap_or_default();
            path == "/" && (1..=6).contains(&page.len()) && page.bytes().all(|b| b.is_ascii_digit())
        }
    };
    public && known_query
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

/// The answer for `page`: 304 when the browser has it, else the body in the best encoding it
/// accepts, with all the headers the full stack would add.
fn respond(page: &StaticPage, request_headers: &HeaderMap, security: &SecurityHeaders) -> Response {
    let mut response = if matches_etag(request_headers, page.etag.to_str().unwrap_or_default()) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let (body, encoding) = page.body_for(request_headers);
        let mut response = Response::new(Body::from(body));
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        headers.insert(header::CONTENT_SECURITY_POLICY, page.policy.clone());
        if let Some(encoding) = encoding {
            headers.insert(header::CONTENT_ENCODING, encoding);
        }
        response
    };
    let headers = response.headers_mut();
    headers.insert(header::ETAG, page.etag.clone());
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    let not_modified = response.status() == StatusCode::NOT_MODIFIED;
    security.apply(response.headers_mut(), !not_modified);
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

/// The content version the outer layer read for a request (a read that started after the request
/// arrived), handed to the inner layer so a miss does not read it twice.
#[derive(Clone, Copy, Debug)]
struct ContentVersion(i64);

/// The request's key in the cache: its path and query.
fn key_of(request: &Request) -> &str {
    request
        .uri()
        .path_and_query()
        .map_or_else(|| request.uri().path(), |pq| pq.as_str())
}

/// A GET or HEAD of a page that may be stored (see `cacheable`).
fn is_public_read(request: &Request) -> bool {
    (request.method() == Method::GET || request.method() == Method::HEAD)
        && cacheable(request.uri())
}

/// Middleware (outer): answers a request with no session cookie from the cache when its page
/// is stored; everything else goes on, with the version read here.
pub async fn serve_cached_pages(
    State(cache): State<PageCache>,
    mut request: Request,
    next: Next,
) -> Response {
    if !is_public_read(&request) || cache.cookie.is_sent(request.headers()) {
        return next.run(request).await;
    }
    let Some(version) = cache.version_for(None).await else {
        return next.run(request).await;
    };
    let stored = cache.get(key_of(&request), version).await;
    // After the lookup, which moved the cache to this version (warming stops at another). A
    // load first: every request passes here, and a swap would write a shared cache line.
    if cache.warmed.load(Ordering::Relaxed) != version
        && cache.warmed.swap(version, Ordering::Relaxed) != version
    {
        tokio::spawn(warm::warm(cache.clone(), next.clone(), version));
    }
    if let Some(page) = stored {
        return respond(&page, request.headers(), &cache.security);
    }
    request.extensions_mut().insert(ContentVersion(version));
    next.run(request).await
}

/// Middleware (inner): renders a public page that is not stored, stores it and answers from it.
pub async fn fill_page_cache(
    State(cache): State<PageCache>,
    request: Request,
    next: Next,
) -> Response {
    if !is_public_read(&request) || request.extensions().get::<SignedIn>().is_some() {
        return next.run(request).await;
    }
    let read = request.extensions().get::<ContentVersion>().copied();
    let Some(version) = cache.version_for(read).await else {
        return next.run(request).await;
    };
    if let Some(page) = cache.get(key_of(&request), version).await {
        return respond(&page, request.headers(), &cache.security);
    }
    let key = key_of(&request).to_owned();
    let request_headers = request.headers().clone();
    let response = next.run(request).await;
    let html = super::valid_html::is_html(response.headers());
    let nonce = nonce_of(response.headers());
    let (true, true, Some(nonce)) = (response.status() == StatusCode::OK, html, nonce) else {
        return response;
    };
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PAGE_BYTES).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let page = std::str::from_utf8(&bytes)
        .ok()
        .and_then(|text| StaticPage::new(text, &nonce, Effort::Fast));
    let Some(page) = page else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let page = Arc::new(page);
    cache.put(key.clone(), version, page.clone());
    // The smallest encodings take milliseconds: made off the request path, once per page and
    // version, then swapped in.
    cache.queue_upgrade(key, page.clone());
    respond(&page, &request_headers, &cache.security)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn only_public_policies_are_cached() {
        let mut headers = HeaderMap::new();
        let nonce = super::super::random::random_hex::<16>();
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
    fn staff_api_and_asset_paths_and_unknown_queries_are_never_cached() {
        let uri = |text: &'static str| axum::http::Uri::from_static(text);
        for never in [
            "/admin",
            "/admin/articles/1",
            "/api/articles/list",
            "/pkg/x.css",
            "/readyz",
            "/articles/a?utm_source=x",
            "/?page=2&x=1",
            "/?page=",
            "/?page=-1",
            "/?x=1",
            "/help-now?page=2",
        ] {
            assert!(!cacheable(&uri(never)), "{never}");
        }
        for stored in ["/", "/articles/a", "/help-now", "/?page=2", "/?page=10"] {
            assert!(cacheable(&uri(stored)), "{stored}");
        }
    }
}
