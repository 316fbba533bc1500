//! One log line per request: method, path, status, latency and a request id (also sent back as
//! `X-Request-Id`, so a user's report can be matched to the log). The query string is left out
//! (a setup link carries its token there), and so are cookies and every other header: nothing
//! that could let a reader of the logs in. The server names every request itself: an
//! `X-Request-Id` a client sends is neither believed nor echoed.
//!
//! Why not tower-http's `Trace` and `SetRequestId` (issue 13 tried it): a span per request, the
//! response body wrapped and boxed again, cost 12% of the seed article's requests per second in
//! the default configuration (65,923 against 74,571 req/s, four alternating 8 s wrk runs each,
//! `RUST_LOG=info`, the same non-blocking log writer; 2026-12-04). And not even a `tracing`
//! event (issue 15): the line is formatted here, in a buffer each thread reuses, into the same
//! text (or JSON) `tracing_subscriber` writes, and appended to the log's buffer
//! (`server::http::log_writer`), which one thread writes out in batches.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::response::Response;
use rand_core::{OsRng, RngCore};
use std::cell::RefCell;
use std::convert::Infallible;
use std::io::Write;
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::log_writer::LogBuffer;
use super::serving::Answer;

/// The response header carrying the request id.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// A request id: 64 bits in hex (16 ASCII digits), unique in practice and unpredictable enough
/// to name a request
/// (it grants nothing, so it need not come from the operating system each time). Each thread
/// runs SplitMix64 from a seed the operating system gives it once.
fn new_request_id() -> [u8; 16] {
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
    hex(z ^ (z >> 31))
}

/// `n` as 16 hex digits, written without an allocation (this is on every request).
fn hex(n: u64) -> [u8; 16] {
    let mut digits = [0u8; 16];
    for (i, digit) in digits.iter_mut().enumerate() {
        *digit = b"0123456789abcdef"[(n >> (60 - 4 * i)) as usize & 0xf];
    }
    digits
}

/// Where request lines go, set once by the `serve` command's logging (`set_up`) when its filter
/// shows them; unset (tests, `RUST_LOG=warn`), requests are not logged.
struct Lines {
    buffer: Arc<LogBuffer>,
    json: bool,
}

static LINES: OnceLock<Lines> = OnceLock::new();

/// Request lines go to `buffer`, as JSON when `json`, else as `tracing_subscriber` writes text.
pub fn set_up(buffer: Arc<LogBuffer>, json: bool) {
    let _ = LINES.set(Lines { buffer, json });
}

/// The layer that logs each request (outermost, see `server::router`): a plain tower service,
/// not axum's `from_fn`, which would clone everything inside it for each request.
#[derive(Clone, Copy, Debug, Default)]
pub struct LogRequests;

impl<S> tower::Layer<S> for LogRequests {
    type Service = Logging<S>;

    fn layer(&self, inner: S) -> Logging<S> {
        Logging(inner)
    }
}

/// `LogRequests`' service over the rest of the application.
#[derive(Clone, Debug)]
pub struct Logging<S>(S);

impl<S> tower::Service<Request> for Logging<S>
where
    S: tower::Service<Request, Response = Response, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.0.poll_ready(cx)
    }

    /// Logs the request when its response is ready (what is logged is only gathered when the
    /// log shows it).
    fn call(&mut self, request: Request) -> Self::Future {
        let started = Instant::now();
        let line = LINES.get().map(|lines| {
            (
                lines,
                request.method().clone(),
                request.uri().path().to_owned(),
            )
        });
        let id = new_request_id();
        let answer = self.0.call(request);
        Box::pin(async move {
            let Ok(mut response) = answer.await;
            if let Some((lines, method, path)) = line {
                let request = Logged {
                    method: method.as_str(),
                    path: &path,
                    status: response.status().as_u16(),
                    latency: started.elapsed(),
                    id: std::str::from_utf8(&id).unwrap_or_default(),
                };
                LINE.with_borrow_mut(|line| {
                    line.format(&request, lines.json, SystemTime::now());
                    lines.buffer.append(&line.bytes);
                });
            }
            if let Ok(value) = HeaderValue::from_bytes(&id) {
                response.headers_mut().insert(REQUEST_ID, value);
            }
            Ok(response)
        })
    }
}

/// What one line says.
struct Logged<'a> {
    method: &'a str,
    path: &'a str,
    status: u16,
    latency: Duration,
    id: &'a str,
}

thread_local! {
    static LINE: RefCell<Line> = RefCell::new(Line::default());
}

/// A thread's line, formatted in place, and its timestamp up to the second (made once a second).
#[derive(Default)]
struct Line {
    bytes: Vec<u8>,
    second: Option<u64>,
    stamp: String,
}

impl Line {
    /// The same line `tracing_subscriber` would write for the event `request_log` logged before
    /// (target `plasticity::request`, message `request`, the same fields), text or JSON.
    fn format(&mut self, request: &Logged, json: bool, now: SystemTime) {
        let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
        if self.second != Some(since.as_secs()) {
            self.second = Some(since.as_secs());
            self.stamp = chrono::DateTime::from_timestamp(since.as_secs() as i64, 0)
                .unwrap_or_default()
                .format("%Y-%m-%dT%H:%M:%S")
                .to_string();
        }
        // Milliseconds with two decimals, rounded.
        let hundredths = (request.latency.as_micros() + 5) / 10;
        let (ms, fraction) = (hundredths / 100, hundredths % 100);
        let (stamp, micros) = (&self.stamp, since.subsec_micros());
        let out = &mut self.bytes;
        out.clear();
        // Writing to a Vec cannot fail.
        let _ = if json {
            writeln!(
                out,
                "{{\"timestamp\":\"{stamp}.{micros:06}Z\",\"level\":\"INFO\",\"fields\":{{\
                 \"message\":\"request\",\"method\":\"{}\",\"path\":\"{}\",\"status\":{},\
                 \"latency_ms\":\"{ms}.{fraction:02}\",\"request_id\":\"{}\"}},\
                 \"target\":\"plasticity::request\"}}",
                JsonText(request.method),
                JsonText(request.path),
                request.status,
                request.id,
            )
        } else {
            writeln!(
                out,
                "{stamp}.{micros:06}Z  INFO plasticity::request: request method={} path={} \
                 status={} latency_ms=\"{ms}.{fraction:02}\" request_id={}",
                request.method, request.path, request.status, request.id,
            )
        };
    }
}

/// Text inside a JSON string: quotes, backslashes and control characters escaped.
struct JsonText<'a>(&'a str);

impl std::fmt::Display for JsonText<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write as _;
        for c in self.0.chars() {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                c if (c as u32) < 0x20 => write!(f, "\\u{:04x}", c as u32)?,
                c => f.write_char(c)?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_hex_and_do_not_repeat() {
        let ids: std::collections::HashSet<String> = (0..10_000)
            .map(|_| String::from_utf8(new_request_id().to_vec()).unwrap())
            .collect();
        assert_eq!(ids.len(), 10_000);
        assert!(ids.iter().all(|id| {
            id.len() == 16
                && id
                    .chars()
                    .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        }));
        let other_thread = std::thread::spawn(new_request_id).join().unwrap();
        let other_thread = String::from_utf8(other_thread.to_vec()).unwrap();
        assert!(!ids.contains(&other_thread));
    }

    /// What `tracing_subscriber` writes for the event this module used to log, text or JSON.
    fn from_tracing(json: bool) -> String {
        #[derive(Clone, Default)]
        struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);
        impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
            type Writer = Captured;
            fn make_writer(&'a self) -> Captured {
                self.clone()
            }
        }
        impl Write for Captured {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let captured = Captured::default();
        let builder = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(captured.clone());
        let event = || {
            tracing::info!(
                target: "plasticity::request",
                method = %"GET",
                path = %"/articles/a\"b",
                status = 200u16,
                latency_ms = "1.24",
                request_id = %"00ff00ff00ff00ff",
                "request"
            )
        };
        if json {
            tracing::subscriber::with_default(builder.json().finish(), event);
        } else {
            tracing::subscriber::with_default(builder.finish(), event);
        }
        String::from_utf8(captured.0.lock().unwrap().clone()).unwrap()
    }

    fn ours(json: bool) -> String {
        let request = Logged {
            method: "GET",
            path: "/articles/a\"b",
            status: 200,
            latency: Duration::from_micros(1_236),
            id: "00ff00ff00ff00ff",
        };
        let mut line = Line::default();
        let now = UNIX_EPOCH + Duration::from_micros(1_796_400_000_000_042);
        line.format(&request, json, now);
        String::from_utf8(line.bytes).unwrap()
    }

    #[test]
    fn lines_read_as_tracing_would_write_them() {
        let text = ours(false);
        assert!(
            text.starts_with("2026-12-04T16:00:00.000042Z  INFO "),
            "{text}"
        );
        let without_time = |line: &str| line.split_once(' ').unwrap().1.to_owned();
        assert_eq!(without_time(&text), without_time(&from_tracing(false)));

        let ours: serde_json::Value = serde_json::from_str(&ours(true)).unwrap();
        let theirs: serde_json::Value = serde_json::from_str(&from_tracing(true)).unwrap();
        assert_eq!(ours["timestamp"], "2026-12-04T16:00:00.000042Z");
        let without_time = |mut entry: serde_json::Value| {
            entry.as_object_mut().unwrap().remove("timestamp");
            entry
        };
        assert_eq!(without_time(ours), without_time(theirs));
    }
}
