//! One log line per request: method, path, status, latency and a request id (also sent back as
//! `X-Request-Id`, so a user's report can be matched to the log). The query string is left out
//! (a setup link carries its token there), and so are cookies and every other header: nothing
//! that could let a reader of the logs in.

use super::random::random_hex;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

/// The response header carrying the request id.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A random request id: 64 bits in hex.
fn new_request_id() -> String {
    random_hex::<8>()
}

/// Middleware: logs each request when its response is ready.
pub async fn log_requests(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let id = new_request_id();
    let mut response = next.run(request).await;
    let latency_ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(
        target: "plasticity::request",
        method = %method,
        path = %path,
        status = response.status().as_u16(),
        latency_ms = format!("{latency_ms:.2}"),
        request_id = %id,
        "request"
    );
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_random_hex() {
        let (a, b) = (new_request_id(), new_request_id());
        assert_eq!(a.len(), 16);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }
}
