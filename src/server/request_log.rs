//! One log line per request: method, path, status, latency and a request id (also sent back as
//! `X-Request-Id`, so a user's report can be matched to the log). The query string is left out
//! (a setup link carries its token there), and so are cookies and every other header: nothing
//! that could let a reader of the logs in. The server names every request itself: an
//! `X-Request-Id` a client sends is neither believed nor echoed.
//!
//! Why not tower-http's `Trace` and `SetRequestId` (issue 13 tried it): a span per request, the
//! response body wrapped and boxed again, cost 12% of the seed article's requests per second in
//! the default configuration (65,923 against 74,571 req/s, four alternating 8 s wrk runs each,
//! `RUST_LOG=info`, the same non-blocking log writer; 2026-12-04). This middleware writes the
//! same fields as one event with no span.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

/// The response header carrying the request id.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A request id: 64 bits in hex, unique in practice and unpredictable enough to name a request
/// (it grants nothing, so it need not come from the operating system each time). Each thread
/// runs SplitMix64 from a seed the operating system gives it once.
fn new_request_id() -> String {
    thread_local! {
        static STATE: std::cell::Cell<u64> = std::cell::Cell::new(OsRng.next_u64());
    }
    let mut z = STATE.with(|state| {
        let next = state.get().wrapping_add(0x9e37_79b9_7f4a_7c15);
        state.set(next);
        next
    });
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    format!("{:016x}", z ^ (z >> 31))
}

/// Middleware: logs each request when its response is ready (what is logged is only gathered
/// when the log would show it).
pub async fn log_requests(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let logged = tracing::enabled!(target: "plasticity::request", tracing::Level::INFO);
    let line = logged.then(|| (request.method().clone(), request.uri().path().to_owned()));
    let id = new_request_id();
    let mut response = next.run(request).await;
    if let Some((method, path)) = line {
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
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_hex_and_do_not_repeat() {
        let ids: std::collections::HashSet<String> =
            (0..10_000).map(|_| new_request_id()).collect();
        assert_eq!(ids.len(), 10_000);
        assert!(ids.iter().all(|id| {
            id.len() == 16
                && id
                    .chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        }));
        let other_thread = std::thread::spawn(new_request_id).join().unwrap();
        assert!(!ids.contains(&other_thread));
    }
}
