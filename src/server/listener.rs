//! The listening socket, with bounds a stranger cannot stretch: at most `MAX_CONNECTIONS` open
//! at once (the next waits in the kernel's backlog until one closes); a connection that sends
//! nothing within `FIRST_BYTES_TIMEOUT` of being accepted, takes longer than `HEADERS_TIMEOUT`
//! from a request's first byte to the blank line that ends its headers (however slowly it
//! drips them), or moves no byte either way for `IDLE_TIMEOUT` (keep-alive included) is closed. Slow or idle connections therefore cost a bounded number of
//! file descriptors and buffers, whatever arrives. (nginx in front, as `deploy/` sets it up,
//! adds its own header and body timeouts.)

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};

/// Open connections at most (the systemd unit's `LimitNOFILE` leaves room for the database).
pub const MAX_CONNECTIONS: usize = 4096;
/// A connection with no traffic this long is closed (keep-alive idle included).
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// A new connection must send its first bytes within this.
pub const FIRST_BYTES_TIMEOUT: Duration = Duration::from_secs(10);
/// A request's headers must be complete this long after its first byte.
pub const HEADERS_TIMEOUT: Duration = Duration::from_secs(10);

/// `service` for each connection the listener accepts, with the client's address as axum's
/// `ConnectInfo<SocketAddr>` in every request (what `into_make_service_with_connect_info` does
/// for a plain `TcpListener`).
pub fn with_client_address<S>(
    service: S,
) -> impl for<'a> tower::Service<
    axum::serve::IncomingStream<'a, BoundedListener>,
    Response = <axum::Extension<axum::extract::ConnectInfo<SocketAddr>> as tower::Layer<S>>::Service,
    Error = std::convert::Infallible,
    Future: Send,
> + Clone
+ Send
+ 'static
where
    S: Clone + Send + 'static,
{
    tower::service_fn(
        move |incoming: axum::serve::IncomingStream<'_, BoundedListener>| {
            let address = axum::extract::ConnectInfo(*incoming.remote_addr());
            let service = tower::Layer::layer(&axum::Extension(address), service.clone());
            std::future::ready(Ok::<_, std::convert::Infallible>(service))
        },
    )
}

pub struct BoundedListener {
    inner: TcpListener,
    places: Arc<Semaphore>,
    idle: Duration,
    first_bytes: Duration,
}

impl BoundedListener {
    pub fn new(inner: TcpListener) -> BoundedListener {
        BoundedListener::with_limits(inner, MAX_CONNECTIONS, IDLE_TIMEOUT, FIRST_BYTES_TIMEOUT)
    }

    /// For tests: other limits (`short` is both the first-bytes and the headers timeout).
    pub fn with_limits(
        inner: TcpListener,
        connections: usize,
        idle: Duration,
        short: Duration,
    ) -> BoundedListener {
        BoundedListener {
            inner,
            places: Arc::new(Semaphore::new(connections)),
            idle,
            first_bytes: short,
        }
    }
}

impl axum::serve::Listener for BoundedListener {
    type Io = Connection;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Connection, SocketAddr) {
        loop {
            // The semaphore is never closed, so this waits for a place and cannot fail.
            let Ok(place) = self.places.clone().acquire_owned().await else {
                continue;
            };
            match self.inner.accept().await {
                Ok((stream, address)) => {
                    let _ = stream.set_nodelay(true);
                    let until = Instant::now() + self.first_bytes;
                    let connection = Connection {
                        stream,
                        _place: place,
                        deadline: Box::pin(tokio::time::sleep_until(until)),
                        until,
                        idle: self.idle,
                        headers: self.first_bytes.min(HEADERS_TIMEOUT),
                        phase: Phase::Waiting,
                        tail: [0; 3],
                    };
                    return (connection, address);
                }
                // Out of file descriptors and the like: wait a little rather than spin.
                Err(error) => {
                    tracing::warn!(%error, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()
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
    _place: OwnedSemaphorePermit,
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
    fn moved(&mut self) {
        self.until = Instant::now() + self.idle;
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
        let before = buf.filled().len();
        match Pin::new(&mut self.stream).poll_read(cx, buf) {
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    self.read(&buf.filled()[before..]);
                }
                Poll::Ready(result)
            }
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
        match Pin::new(&mut self.stream).poll_write(cx, buf) {
            Poll::Ready(Ok(written)) => {
                if written > 0 {
                    // An answer is going out: the next bytes read start the next request.
                    self.phase = Phase::Waiting;
                    self.moved();
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

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
