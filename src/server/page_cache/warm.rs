//! Rendering public pages ahead of requests, after a start and after every change of the
//! content version, one at a time in the background, so patients do not wait for renders.
//!
//! The passes run on a thread of their own at the lowest priority (nice 19), driving the request
//! runtime's I/O through its handle: a page's render (the CPU part) takes a core requests leave
//! idle, instead of a runtime thread a patient's request is waiting for. (Its database queries,
//! spawned by the render, still run on the runtime's threads.)

use super::{Inner, MAX_WAITING_UPGRADES, PageCache};
use crate::server::db::Db;
use axum::body::Body;
use axum::extract::Request;
use axum::http::StatusCode;
use std::sync::atomic::Ordering;
use tower::ServiceExt;

/// At most this many pages are rendered ahead (about half of `MAX_BYTES`, so this never
/// empties the cache it fills).
const MAX_WARM_PAGES: u32 = 1024;

/// How many of the home page's pages are rendered ahead. A publish or unpublish shifts every
/// page of the list, so rendering them all would make its cost grow with the site (500 pages at
/// 10,000 articles); the deeper pages, rarely read, are rendered on their first visit instead
/// (milliseconds each).
const WARM_LIST_PAGES: usize = 5;

/// The public pages, most read first: the fixed ones (the home page, the topics, the crisis
/// page, the glossary), the next few of the home page's pages, each topic's first page, then
/// the newest articles.
async fn public_paths(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    let slugs = db.published_slugs(MAX_WARM_PAGES).await?;
    let per_page = crate::content::ARTICLES_PER_PAGE as usize;
    let home_pages = slugs.len().div_ceil(per_page).clamp(1, WARM_LIST_PAGES);
    let mut paths: Vec<String> = crate::pages::FIXED_PAGES.map(str::to_owned).into();
    // Page k + 1 of the list continues after page k's last article.
    paths.extend((1..home_pages).map(|k| format!("/?before={}", slugs[k * per_page - 1])));
    let topics = db.topic_summaries().await?;
    paths.extend(
        topics
            .iter()
            .filter(|summary| summary.articles > 0)
            .map(|summary| summary.topic.href()),
    );
    paths.extend(slugs.iter().map(|slug| format!("/articles/{slug}")));
    paths.truncate(MAX_WARM_PAGES as usize);
    Ok(paths)
}

/// A pass to run: the cache, the layers to render through, the version, the runtime to drive.
pub(super) struct Pass {
    pub cache: PageCache,
    pub next: Inner,
    pub version: i64,
    pub runtime: tokio::runtime::Handle,
}

/// Starts the thread that runs the passes sent to it, one at a time; it ends when every sender
/// is dropped. `None` (logged) if it cannot start: passes then run on the runtime.
pub(super) fn start_thread() -> Option<std::sync::mpsc::SyncSender<Pass>> {
    // One pass per content version; a pass finds nothing to do once a newer version is seen, so
    // a few waiting are plenty.
    let (passes, queue) = std::sync::mpsc::sync_channel::<Pass>(8);
    std::thread::Builder::new()
        .name("render-ahead".into())
        .spawn(move || {
            crate::server::bounded::lower_this_threads_priority();
            for pass in queue {
                pass.runtime
                    .block_on(warm(pass.cache, pass.next, pass.version));
            }
        })
        .inspect_err(|error| {
            tracing::warn!(%error, "cannot start the render-ahead thread; rendering ahead on the runtime");
        })
        .ok()
        .map(|_| passes)
}

/// Runs a pass on the render-ahead thread (or, without one, as a task on the runtime).
pub(super) fn render_ahead(cache: &PageCache, next: Inner, version: i64) {
    let pass = Pass {
        cache: cache.clone(),
        next,
        version,
        runtime: cache
            .runtime
            .clone()
            .unwrap_or_else(tokio::runtime::Handle::current),
    };
    match &cache.render_ahead {
        Some(thread) => {
            if let Err(std::sync::mpsc::TrySendError::Full(_)) = thread.try_send(pass) {
                tracing::debug!(version, "render-ahead passes queued already; skipped one");
            }
        }
        None => {
            pass.runtime
                .spawn(warm(pass.cache, pass.next, pass.version));
        }
    }
}

/// Renders every public page not yet stored at `version`, one at a time, through `next` (the
/// layers after the outer one). Stops when the version changes; waits while the background
/// compression is behind, so it never fills that queue.
pub(super) async fn warm(cache: PageCache, next: Inner, version: i64) {
    let paths = match public_paths(&cache.db).await {
        Ok(paths) => paths,
        Err(error) => {
            tracing::warn!(%error, "cannot list the public pages to render ahead");
            return;
        }
    };
    let started = std::time::Instant::now();
    let (pages, mut rendered) = (paths.len(), 0usize);
    for path in paths {
        while cache.waiting.load(Ordering::Relaxed) >= MAX_WAITING_UPGRADES / 2 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        {
            let pages = cache.lock();
            if pages.version != Some(version) {
                return;
            }
            if pages.pages.contains_key(&path) {
                continue;
            }
        }
        let Ok(request) = Request::get(&path).body(Body::empty()) else {
            continue;
        };
        let Ok(response) = next.clone().oneshot(request).await;
        if response.status() == StatusCode::OK {
            rendered += 1;
        }
    }
    tracing::info!(
        version,
        pages,
        rendered,
        seconds = format!("{:.2}", started.elapsed().as_secs_f64()),
        "rendered the public pages ahead of requests"
    );
}
