//! `/sitemap.xml`, `/feed.xml` and `/robots.txt`: documents for crawlers and feed readers, built
//! from the database once per content version and then served from memory. Every request reads
//! the content version first (as the page cache does, see `page_cache`), so what one instance
//! publishes or unpublishes is in the next document any instance serves. One request builds
//! while the others that saw the new version wait for it: a burst costs one build. The two
//! documents are built together (one is rarely asked for without the other), at most
//! `xml::MAX_SITEMAP_URLS` URLs: about 5 MB at that size (970 KB measured at 10,000 articles),
//! one copy of each.

pub mod documents;

use super::page_cache::matches_etag;
use super::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use documents::Which;

/// `/sitemap.xml`.
pub async fn sitemap(State(state): State<AppState>, headers: HeaderMap) -> Response {
    answer(
        &state,
        &headers,
        Which::Sitemap,
        "application/xml; charset=utf-8",
    )
    .await
}

/// `/feed.xml`: the newest articles, Atom.
pub async fn feed(State(state): State<AppState>, headers: HeaderMap) -> Response {
    answer(
        &state,
        &headers,
        Which::Feed,
        "application/atom+xml; charset=utf-8",
    )
    .await
}

async fn answer(
    state: &AppState,
    headers: &HeaderMap,
    which: Which,
    content_type: &'static str,
) -> Response {
    let document = match state
        .documents
        .current(&state.db, &state.site.public_origin, which)
        .await
    {
        Ok(document) => document,
        Err(error) => {
            tracing::error!(%error, "cannot read the published articles for the sitemap or feed");
            return (StatusCode::SERVICE_UNAVAILABLE, "Try again in a moment.").into_response();
        }
    };
    let fresh = matches_etag(headers, document.etag.to_str().unwrap_or_default());
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = document.body.into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        response
    };
    let headers = response.headers_mut();
    headers.insert(header::ETAG, document.etag);
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// `/robots.txt`: everything public may be crawled, the staff area not, and where the sitemap
/// is (an absolute URL, so it names this site's public origin).
pub async fn robots(State(state): State<AppState>) -> Response {
    let text = format!(
        "User-agent: *\nAllow: /\nDisallow: /admin\nDisallow: /api/\n\nSitemap: {}/sitemap.xml\n",
        state.site.public_origin
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}
