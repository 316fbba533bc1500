//! The front: everything between a TCP connection and the router, ours for speed and for
//! bounds a stranger cannot stretch. The router (`server::router`) builds the application as a
//! tower service and plugs it in at one seam, `serving::serve`; nothing here knows a route.
//!
//! What it does that `axum::serve` alone does not:
//! - **Serving threads** (`serving`): one current-thread runtime per core; the shared runtime
//!   accepts and hands each connection to the thread with the fewest open. A stored page is
//!   answered on the thread that read its request; anything else (renders, staff, sign-in) is
//!   handed to the shared runtime, so a long request never holds up the stored pages.
//! - **Connection bounds** (`listener`): a cap on open connections and on one address's share,
//!   the longest-idle connection closed to make room, and deadlines for a first byte, for the
//!   headers and for idleness (hyper's header timeout is not reachable through `axum::serve`).
//! - **The request log** (`request_log`, `log_writer`): one line per request formatted on the
//!   serving thread and written in batches by one thread, as nginx's buffered access log is.
//! - **Answers every page gets**: security headers and the origin check (`security`), the client
//!   address behind a trusted proxy (`proxy`), the rendered page's marks (`rendered`) and the
//!   check that an HTML answer is complete and small enough to send (`valid_html`).
//!
//! What pays for it: the seed article, served from the page cache with the request log on, at
//! 1.03 to 1.10 times nginx's throughput with its access log, on the same bytes (134,000 to
//! 137,000 against 123,000 to 128,000 requests/s on two cores; `bench/load.sh`,
//! bench/RESULTS.md 2026-12-06). Each part was measured against what it replaced by alternating
//! the two builds (`bench/ab.sh`): the serving threads (with vectored writes) 1.13 times one runtime
//! under `axum::serve` (2026-12-05), the batched log writer 1.13 times tracing-appender (2026-12-04), the plain tower
//! layers 1.09 times axum's `from_fn` (2026-12-06).

pub mod listener;
pub mod log_writer;
pub mod proxy;
pub mod rendered;
pub mod request_log;
pub mod security;
pub mod serving;
pub mod valid_html;
