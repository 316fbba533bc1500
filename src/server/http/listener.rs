//! Connections with bounds a stranger cannot stretch (`Limits`, applied by `server::http::serving`):
//! at most `MAX_CONNECTIONS` open at once and `MAX_CONNECTIONS_PER_ADDRESS` from one address
//! (past either, the connection idle longest is closed to admit the new one; when none is idle,
//! a new connection waits in the kernel's backlog, or, past its address's share, is closed); a
//! connection that sends nothing within `FIRST_BYTES_TIMEOUT` of being accepted,
//! takes longer than `HEADERS_TIMEOUT` from a request's first byte to the blank line that ends
//! its headers (however slowly it drips them), or moves no byte either way for `IDLE_TIMEOUT`
//! (keep-alive included) is closed. Slow or idle connections therefore cost a bounded number of
//! file descriptors and buffers, whatever arrives. (nginx in front, as `deploy/` sets it up,
//! adds its own header and body timeouts.)
//!
//! Why ours and not hyper's `header_read_timeout`: `axum::serve` (0.8.9) turns on hyper's timer
//! but exposes no builder, so that timeout is hyper's fixed 30 s (tokio-rs/axum#3478), and it
//! does not start on a connection that has sent nothing yet. Reaching hyper's builder means
//! replacing `axum::serve` with our own hyper-util connection loop (graceful shutdown, upgrades,
//! connection info), which is more code than the scan for the blank line here (a look at the
//! bytes of a request's headers, none of its body). Measured by `tests/it/connections.rs`: a
//! connection that drips its headers is closed at 10 s, a silent one at 10 s, an idle one at 60.

mod open;

use open::{BUSY, Watch, nanos};
pub use open::{Entry, OpenConnections};
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::{Instant, Sleep};

/// Open connections at most (the systemd unit's `LimitNOFILE` leaves room for the database).
pub const MAX_CONNECTIONS: usize = 4096;
/// Open connections one client address may hold at once (a browser opens six; a clinic's
/// waiting room behind one address, a few dozen). Trusted proxies are not held to it.
pub const MAX_CONNECTIONS_PER_ADDRESS: usize = 256;
/// A connection with no traffic this long is closed (keep-alive idle included).
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// A new connection must send its first bytes within this.
pub const FIRST_BYTES_TIMEOUT: Duration = Duration::from_secs(10);
/// A request's headers must be complete this long after its first byte.
pub const HEADERS_TIMEOUT: Duration = Duration::from_secs(10);

/// `service` for each connection a listener accepts, with the client's address as axum's
/// `ConnectInfo<SocketAddr>` in every request (what `into_make_service_with_connect_info` does
/// for a plain `TcpListener`).
pub fn with_client_address<L, S>(
    service: S,
) -> impl for<'a> tower::Service<
    axum::serve::IncomingStream<'a, L>,
    Response = <axum::Extension<axum::extract::ConnectInfo<SocketAddr>> as tower::Layer<S>>::Service,
    Error = std::convert::Infallible,
    Future: Send,
> + Clone
+ Send
+ 'static
where
    L: axum::serve::Listener<Addr = SocketAddr>,
    S: Clone + Send + 'static,
{
    tower::service_fn(move |incoming: axum::serve::IncomingStream<'_, L>| {
        let address = axum::extract::ConnectInfo(*incoming.remote_addr());
        let service = tower::Layer::layer(&axum::Extension(address), service.clone());
        std::future::ready(Ok::<_, std::convert::Infallible>(service))
    })
}

/// The bounds of the connections a server accepts (see the module's documentation).
#[derive(Clone, Debug)]
pub struct Limits {
    /// Open connections at most.
    pub connections: usize,
    /// Open connections one client address may hold at once.
    pub per_address: usize,
    /// Addresses not held to `per_address` (trusted proxies: every client behind nginx comes
    /// from its address).
    pub unshared: Arc<[IpAddr]>,
    /// A connection with no traffic this long is closed.
    pub idle: Duration,
    /// A new connection must send its first bytes within this; a request's headers must be
    /// complete within this (at most `HEADERS_TIMEOUT`) of their first byte.
    pub first_bytes: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            connections: MAX_CONNECTIONS,
            per_address: MAX_CONNECTIONS_PER_ADDRESS,
            unshared: Arc::new([]),
            idle: IDLE_TIMEOUT,
            first_bytes: FIRST_BYTES_TIMEOUT,
        }
    }
}

/// What an open connection holds until it closes: its place among the `MAX_CONNECTIONS`, its
/// entry among the open connections, and one in the count of the serving thread it was handed
/// to (`server::http::serving`), if any.
pub struct Place {
    pub(crate) _permit: OwnedSemaphorePermit,
    pub(crate) entry: Entry,
    pub(crate) counted: Option<Arc<AtomicUsize>>,
}

impl Drop for Place {
    fn drop(&mut self) {
        if let Some(count) = &self.counted {
            count.fetch_sub(1, Ordering::Relaxed);
        }
    }
}

/// Where a connection is in its request: waiting for one, reading its headers, or past them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Phase {
    Waiting,
    Headers,
    Past,
}

/// An accepted connection: holds its place until dropped, and fails with `TimedOut` once its
/// deadline passes. While a request's headers arrive the deadline is fixed (`headers` after
/// their first byte); otherwise each byte moved pushes it `idle` further.
///
/// Moving the deadline only writes `until`; the timer is never set per request (setting a tokio
/// timer takes the timer wheel's lock: three times per request cost about 3% of a stored page's
/// requests per second). It rings at `until` or `headers` after it last rang, whichever is
/// sooner, and on ringing is set again from `until`, so it rings at most `headers` apart while a
/// connection is busy, and never after a deadline.
pub struct Connection {
    stream: TcpStream,
    _place: Place,
    deadline: Pin<Box<Sleep>>,
    /// When the connection times out (the timer rings no later).
    until: Instant,
    idle: Duration,
    headers: Duration,
    phase: Phase,
    /// The last three bytes read, to find a header end split across reads.
    tail: [u8; 3],
}

impl Connection {
    /// A connection just accepted, timed by `limits`. Made on the runtime that will drive it
    /// (its timer belongs to that runtime).
    pub fn new(stream: TcpStream, place: Place, limits: &Limits) -> Connection {
        let (idle, first_bytes) = (limits.idle, limits.first_bytes);
        let until = Instant::now() + first_bytes;
        Connection {
            stream,
            _place: place,
            deadline: Box::pin(tokio::time::sleep_until(until)),
            until,
            idle,
            headers: first_bytes.min(HEADERS_TIMEOUT),
            phase: Phase::Waiting,
            tail: [0; 3],
        }
    }

    fn moved(&mut self) {
        self.until = Instant::now() + self.idle;
    }

    /// This connection's entry among the open ones.
    fn watch(&self) -> &Watch {
        &self._place.entry.watch
    }

    /// Waiting for a request: idle since now, and closed first when room is needed.
    fn now_idle(&self) {
        let now = self.until.checked_sub(self.idle).unwrap_or(self.until);
        self.watch().set_idle_since(nanos(now));
    }

    /// A request has begun: not idle until it is answered.
    fn now_busy(&self) {
        self.watch().set_idle_since(BUSY);
    }

    /// Whether the accepting side asked this connection to close, and it is between requests
    /// (a request under way is answered first).
    fn asked_to_close(&self) -> bool {
        self.phase == Phase::Waiting && self.watch().asked_to_close()
    }

    /// A deadline that may be sooner than the timer: the timer is moved to it.
    fn fixed(&mut self, until: Instant) {
        self.until = until;
        if until < self.deadline.deadline() {
            self.deadline.as_mut().reset(until);
        }
    }

    /// Bytes read: starts a request's header deadline at its first byte, and ends it at the
    /// blank line after its headers.
    fn read(&mut self, bytes: &[u8]) {
        if self.phase == Phase::Waiting {
            self.phase = Phase::Headers;
            self.tail = [0; 3];
            self.fixed(Instant::now() + self.headers);
            self.now_busy();
        }
        if self.phase == Phase::Past {
            self.moved();
            return;
        }
        // The end may straddle the previous read: look at its last three bytes and these.
        let mut seam = [0u8; 6];
        seam[..3].copy_from_slice(&self.tail);
        let head = bytes.len().min(3);
        seam[3..3 + head].copy_from_slice(&bytes[..head]);
        let end = b"\r\n\r\n";
        if seam[..3 + head].windows(4).any(|w| w == end) || bytes.windows(4).any(|w| w == end) {
            self.phase = Phase::Past;
            self.moved();
        }
        for &byte in bytes.iter().rev().take(3).rev() {
            self.tail = [self.tail[1], self.tail[2], byte];
        }
    }

    fn timed_out(&mut self, cx: &mut Context<'_>) -> Option<io::Error> {
        while self.deadline.as_mut().poll(cx).is_ready() {
            let rang = self.deadline.deadline();
            if self.until <= rang {
                return Some(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "connection idle too long",
                ));
            }
            let next = self.until.min(rang.max(Instant::now()) + self.headers);
            self.deadline.as_mut().reset(next);
        }
        None
    }
}

impl AsyncRead for Connection {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        // Closed to make room (see `OpenConnections`): the end of the stream, as if the client
        // had closed it, which ends the connection quietly.
        if self.asked_to_close() {
            return Poll::Ready(Ok(()));
        }
        let before = buf.filled().len();
        match Pin::new(&mut self.stream).poll_read(cx, buf) {
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    self.read(&buf.filled()[before..]);
                }
                Poll::Ready(result)
            }
            Poll::Pending => {
                if self.phase == Phase::Waiting {
                    self.watch().waker.register(cx.waker());
                    if self.asked_to_close() {
                        return Poll::Ready(Ok(()));
                    }
                }
                match self.timed_out(cx) {
                    Some(error) => Poll::Ready(Err(error)),
                    None => Poll::Pending,
                }
            }
        }
    }
}

impl Connection {
    /// What a write did: bytes going out are an answer, so the next bytes read start the next
    /// request; a write that waits may have timed out.
    fn wrote(
        &mut self,
        cx: &mut Context<'_>,
        result: Poll<io::Result<usize>>,
    ) -> Poll<io::Result<usize>> {
        match result {
            Poll::Ready(Ok(written)) => {
                if written > 0 {
                    self.phase = Phase::Waiting;
                    self.moved();
                    self.now_idle();
                }
                Poll::Ready(Ok(written))
            }
            Poll::Ready(Err(error)) => Poll::Ready(Err(error)),
            Poll::Pending => match self.timed_out(cx) {
                Some(error) => Poll::Ready(Err(error)),
                None => Poll::Pending,
            },
        }
    }
}

impl AsyncWrite for Connection {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.stream).poll_write(cx, buf);
        self.wrote(cx, result)
    }

    /// Headers and body in one `writev`: without it hyper copies each body into its buffer
    /// first (the largest single user-space cost of a stored page's request, 2.6% of samples).
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        self.wrote(cx, result)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
