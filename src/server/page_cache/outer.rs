//! The outer layer (see the module's doc): answers a request with no session cookie from the
//! cache when its page is stored; everything else goes on to the inner service, carrying the
//! version read here.
//!
//! A plain tower service rather than axum's `from_fn`, because every stored page passes it: a
//! `from_fn` layer clones the whole inner service and the layer's state for each request (the
//! router's and the cache's reference counts, which both serving threads write: a cache line
//! passed between cores on every request), and boxes two futures. Here a stored page on SQLite
//! is answered in `call` itself, borrowing the cache: no clone, no future but a ready one.

use super::answer::{is_public_read, key_of, respond};
use super::{ContentVersion, Inner, PageCache, trusted, warm};
use crate::server::http::serving::{Answer, App};
use axum::extract::Request;
use axum::response::Response;
use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};

/// The layer, for `ServiceBuilder::layer`.
#[derive(Clone)]
pub struct ServeStoredPages(pub PageCache);

impl<S> tower::Layer<S> for ServeStoredPages {
    type Service = StoredPages<S>;

    fn layer(&self, inner: S) -> StoredPages<S> {
        StoredPages {
            cache: self.0.clone(),
            inner,
        }
    }
}

/// The outer layer's service over `inner` (the rest of the application).
#[derive(Clone)]
pub struct StoredPages<S> {
    cache: PageCache,
    inner: S,
}

impl<S> tower::Service<Request> for StoredPages<S>
where
    S: App,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Answer {
        if !is_public_read(&request) || self.cache.cookie.is_sent(request.headers()) {
            return Box::pin(self.inner.call(request));
        }
        // SQLite: the version is read here, on this thread, once for the request; PostgreSQL:
        // later, on the shared runtime (`version_for`).
        let read = self.cache.db.content_version_now().map(trusted);
        if let Some(Some(version)) = read
            && let Some(answer) = self.cache.answer_now(&request, version)
        {
            return Box::pin(std::future::ready(Ok(answer)));
        }
        // The inner service is cloned ready for the next request; this one keeps the one that
        // was made ready (as tower asks).
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(answer_later(self.cache.clone(), inner, request, read))
    }
}

impl PageCache {
    /// The answer to `request` (a public read with no session) at content `version`, when it can
    /// be given without waiting: the page is stored, the cache needs no catching up, and
    /// rendering ahead has started for the version. `None`: `answer_later` takes it.
    fn answer_now(&self, request: &Request, version: i64) -> Option<Response> {
        if self.warmed.load(Ordering::Relaxed) != version {
            return None;
        }
        let page = self.lock().lookup(key_of(request), version)?;
        Some(respond(&page, request.headers()))
    }
}

/// Reads the version unless `read` already did (`None`: not read; `Some(None)`: could not be
/// read, and the request is served uncached), moves the cache to it if it is new, starts
/// rendering ahead on a new version, and answers from the cache or from `inner`.
async fn answer_later<S>(
    cache: PageCache,
    mut inner: S,
    mut request: Request,
    read: Option<Option<i64>>,
) -> Result<Response, Infallible>
where
    S: App,
{
    let version = match read {
        Some(read) => read,
        None => cache.version_for(None).await,
    };
    let Some(version) = version else {
        return inner.call(request).await;
    };
    let stored = cache.get(key_of(&request), version).await;
    // After the lookup, which moved the cache to this version (warming stops at another). A
    // load first: a swap would write a cache line both serving threads read.
    if cache.warmed.load(Ordering::Relaxed) != version
        && cache.warmed.swap(version, Ordering::Relaxed) != version
    {
        warm::render_ahead(&cache, Inner::new(inner.clone()), version);
    }
    if let Some(page) = stored {
        return Ok(respond(&page, request.headers()));
    }
    request.extensions_mut().insert(ContentVersion(version));
    inner.call(request).await
}
