//! Public pages, rendered once and then served from memory like static files. A page is
//! rendered (HTML, `Async` mode) on the first request, then made static: its inline scripts
//! (the print button's, and Leptos's constant bookkeeping) lose their per-response nonce and
//! are allowed by their SHA-256 hashes instead (`security::stored_page_policy`, one policy for
//! every stored page, computed once; any other script in the page stays refused), so every
//! response of that page is the same bytes. The page says it is a public page as it renders
//! (`server::http::rendered`); only those are stored. Those bytes are stored three ways: as they are, brotli (quality 11) and gzip (level
//! 9), compressed once, and each response picks the one the browser accepts. A weak ETag (the
//! page's hash) lets browsers revalidate: 304, no body. The request that fills the cache
//! compresses quickly (brotli 5, gzip 6); the smallest encodings are made in the background and
//! swapped in.
//!
//! Two layers share the cache (see `server::router`). The outer one, `ServeStoredPages`, sits
//! just inside the request log and the security headers: a request with no session cookie whose
//! page is stored is answered there, so a cached page costs one version read and one lookup, not
//! the session, origin, compression and routing layers. Everything else goes on, carrying the version it read, to the inner one,
//! `fill_page_cache`, which sits inside the session layer: it renders a missing page (compressed
//! by nothing but itself) and stores it.
//!
//! Rendering ahead (`warm`): the first request the outer layer sees at a content version (so
//! also the first after start) starts a background pass that renders every public page not yet
//! stored, through the same layers, so patients do not wait for renders after a publish or a
//! restart. It runs on a thread of its own at the lowest priority.
//!
//! Correctness across instances: every publish, unpublish or import bumps the content version
//! in the database (`app_meta.content_version`) and records, in the same transaction, what it
//! touched (`content_changes`: the article's slugs). Each request reads the version first (a
//! read that sees every change committed before the request arrived, see `db::version`); a
//! newer one than the cache's makes the cache read the changes since and drop just those
//! articles' pages and the list pages (everything, when the records are gone). So what one
//! instance publishes is what every instance serves next, and a publish costs the renders of
//! the pages it changed, not of the site. A draft save changes no public page and no version.
//! Staff (a session) always get a fresh render. Only 200 answers are kept, at most `MAX_BYTES`
//! of them; when full, the least recently used pages make room.

mod answer;
mod outer;
mod static_page;
mod store;
mod warm;

use super::auth::cookie::SessionCookie;
use super::auth::session::SignedIn;
use super::db::{Changes, Db};
use super::http::serving;
use answer::{is_public_read, key_of, respond};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use static_page::{Effort, StaticPage};
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use store::Pages;

pub use answer::matches_etag;
pub use outer::ServeStoredPages;
pub use static_page::weak_etag;

/// The layers after the outer one (`outer.rs`), as rendering ahead (`warm.rs`) runs requests
/// through them.
type Inner = tower::util::BoxCloneSyncService<Request, Response, std::convert::Infallible>;

/// The stored pages hold at most this many bytes (an article page with its two compressed
/// copies: about 30 KB, so some 2,000 pages); the least recently used make room.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// The largest page kept; a larger one is served but not stored.
const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;

/// The cache and the database it checks versions against. Both layers clone their state for
/// every request, so a clone is one reference count (the fields inside are shared).
#[derive(Clone)]
pub struct PageCache(Arc<Shared>);

/// What every clone of a `PageCache` shares.
pub struct Shared {
    db: Db,
    /// Requests carrying this cookie skip the outer layer (the session layer decides).
    cookie: SessionCookie,
    pages: Arc<Mutex<Pages>>,
    /// Pages waiting for their smallest encodings, made by one background thread.
    upgrades: std::sync::mpsc::SyncSender<Upgrade>,
    /// How many of those are waiting (warming waits while this is high).
    waiting: Arc<AtomicUsize>,
    /// The content version pages were last rendered ahead for.
    warmed: Arc<AtomicI64>,
    /// Held while the cache catches up with a new content version (one reader of the changes).
    catching_up: Arc<tokio::sync::Mutex<()>>,
    /// The low-priority thread that renders pages ahead (see `warm`).
    render_ahead: Option<std::sync::mpsc::SyncSender<warm::Pass>>,
    /// The shared runtime (the one the cache was made on): rendering ahead drives it, and a
    /// serving thread hands it the work that uses the database's connections (catching up, a
    /// PostgreSQL version read), so none is tied to that thread's runtime (see `serving`).
    runtime: Option<tokio::runtime::Handle>,
    counters: Arc<Counters>,
}

impl std::ops::Deref for PageCache {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
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
    /// The bytes they hold.
    pub bytes: usize,
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
    pub fn new(db: Db, cookie: SessionCookie) -> PageCache {
        let pages = Arc::new(Mutex::new(Pages::default()));
        let (upgrades, queue) = std::sync::mpsc::sync_channel::<Upgrade>(MAX_WAITING_UPGRADES);
        let stored = pages.clone();
        let waiting = Arc::new(AtomicUsize::new(0));
        let done = waiting.clone();
        // One thread, at the lowest priority, so this work takes at most one idle core and one
        // page's memory at a time. It ends when the last `PageCache` clone is dropped.
        let spawned = std::thread::Builder::new()
            .name("page-compression".into())
            .spawn(move || {
                crate::server::bounded::lower_this_threads_priority();
                for job in queue {
                    let best = job.page.recompressed();
                    upgrade(&stored, &job, best);
                    done.fetch_sub(1, Ordering::Relaxed);
                }
            });
        if let Err(error) = spawned {
            tracing::warn!(%error, "cannot start the page compression thread; pages stay at fast compression");
        }
        PageCache(Arc::new(Shared {
            db,
            cookie,
            pages,
            upgrades,
            waiting,
            warmed: Arc::new(AtomicI64::new(i64::MIN)),
            catching_up: Arc::default(),
            render_ahead: warm::start_thread(),
            runtime: tokio::runtime::Handle::try_current().ok(),
            counters: Arc::default(),
        }))
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
        // On the shared runtime: the changes are read through the pool (see `serving`).
        let cache = self.clone();
        let _ = serving::on_shared(self.runtime.clone(), async move {
            cache.catch_up(version).await;
        })
        .await;
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
            bytes: pages.bytes(),
            rendered: self.counters.rendered.load(Ordering::Relaxed),
            dropped: self.counters.dropped.load(Ordering::Relaxed),
        }
    }

    /// Whether a page is stored under `key` (a path, with the home page's `?before=SLUG`).
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
        if let Some(ContentVersion(version)) = read {
            return Some(version);
        }
        if let Some(read) = self.db.content_version_now() {
            return trusted(read);
        }
        // PostgreSQL: a round trip, on the shared runtime (see `serving`).
        let db = self.db.clone();
        serving::on_shared(self.runtime.clone(), async move {
            trusted(db.content_version().await)
        })
        .await
        .ok()
        .flatten()
    }

    fn put(&self, key: String, version: i64, page: Arc<StaticPage>) {
        if self.lock().store(key, version, page, MAX_BYTES) {
            self.counters.rendered.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// The content version `read`, `None` (logged) when it could not be read.
fn trusted(read: Result<i64, sqlx::Error>) -> Option<i64> {
    read.inspect_err(|error| {
        tracing::warn!(%error, "cannot read the content version; serving uncached");
    })
    .ok()
}

/// Replaces `job.page` (if it is still the page stored under its key) with `best`.
fn upgrade(pages: &Mutex<Pages>, job: &Upgrade, best: StaticPage) {
    pages
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .replace(&job.key, &job.page, best);
}

/// The content version the outer layer read for a request (a read that started after the request
/// arrived), handed to the inner layer so a miss does not read it twice.
#[derive(Clone, Copy, Debug)]
struct ContentVersion(i64);

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
        return respond(&page, request.headers());
    }
    let key = key_of(&request).to_owned();
    let request_headers = request.headers().clone();
    let response = next.run(request).await;
    let nonce = super::http::rendered::public_page(&response).map(|page| page.nonce.clone());
    let (true, Some(nonce)) = (response.status() == StatusCode::OK, nonce) else {
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
    respond(&page, &request_headers)
}
