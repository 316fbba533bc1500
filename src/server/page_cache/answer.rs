//! Which requests the cache answers, under which key, and the answer it gives.

use super::static_page::StaticPage;
use crate::area::Area;
use crate::server::http::security::stored_page_policy;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Whether a page at `uri` may be stored: a public path, and no query but the home page's
/// `?before=SLUG` (a well-formed slug: only as many such pages exist as published articles, and
/// the least recently used make room). A query no page reads would otherwise store copies of the
/// same page under endless keys, and anyone could fill and empty the cache with them; such
/// requests are rendered as they come.
pub(super) fn cacheable(uri: &axum::http::Uri) -> bool {
    let path = uri.path();
    let public = Area::of(path) == Area::Public;
    let known_query = match uri.query() {
        None => true,
        Some(query) => {
            path == "/"
                && query
                    .strip_prefix("before=")
                    .and_then(crate::content::list_cursor)
                    .is_some()
        }
    };
    public && known_query
}

/// Whether `If-None-Match` names `etag` (compared weakly, as HTTP says for this header).
pub fn matches_etag(headers: &HeaderMap, etag: &str) -> bool {
    let bare = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .any(|tag| tag.trim() == "*" || bare(tag) == bare(etag))
}

/// Headers a stored page's answer ends up with (its own six, the security layer's six, the
/// request id, hyper's `content-length`): room for them is made once, not grown twice.
const ANSWER_HEADERS: usize = 16;

/// The answer for `page`: 304 when the browser has it, else the body in the best encoding it
/// accepts. (The security headers are added by the layer every answer passes.)
pub(super) fn respond(page: &StaticPage, request_headers: &HeaderMap) -> Response {
    let mut response = if matches_etag(request_headers, page.etag.to_str().unwrap_or_default()) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        response.headers_mut().reserve(ANSWER_HEADERS);
        response
    } else {
        let (body, encoding) = page.body_for(request_headers);
        let mut response = Response::new(Body::from(body));
        let headers = response.headers_mut();
        headers.reserve(ANSWER_HEADERS);
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        headers.insert(header::CONTENT_SECURITY_POLICY, stored_page_policy());
        if let Some(encoding) = encoding {
            headers.insert(header::CONTENT_ENCODING, encoding);
        }
        response
    };
    let headers = response.headers_mut();
    headers.insert(header::ETAG, page.etag.clone());
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// The request's key in the cache: its path and query.
pub(super) fn key_of(request: &Request) -> &str {
    request
        .uri()
        .path_and_query()
        .map_or_else(|| request.uri().path(), |pq| pq.as_str())
}

/// A GET or HEAD of a page that may be stored (see `cacheable`).
pub(super) fn is_public_read(request: &Request) -> bool {
    (request.method() == Method::GET || request.method() == Method::HEAD)
        && cacheable(request.uri())
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
    fn staff_api_and_asset_paths_and_unknown_queries_are_never_cached() {
        let uri = |text: &'static str| axum::http::Uri::from_static(text);
        for never in [
            "/admin",
            "/admin/articles/1",
            "/api/articles/list",
            "/pkg/x.css",
            "/readyz",
            "/articles/a?utm_source=x",
            "/?page=2",
            "/?before=a&x=1",
            "/?before=",
            "/?before=A%3Cb",
            "/?before=a--b",
            "/?x=1",
            "/help-now?before=a",
        ] {
            assert!(!cacheable(&uri(never)), "{never}");
        }
        for stored in [
            "/",
            "/articles/a",
            "/help-now",
            "/?before=a",
            "/?before=ketamine-2",
        ] {
            assert!(cacheable(&uri(stored)), "{stored}");
        }
    }
}
