//! The listening socket, with bounds a stranger cannot stretch: at most `MAX_CONNECTIONS` open
//! at once (the next waits in the kernel's backlog until one closes), and a connection that
//! moves no byte either way for `IDLE_TIMEOUT` (or sends nothing within `FIRST_BYTES_TIMEOUT`
//! of being accepted) is closed. Slow or idle connections therefore cost a bounded number of
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

    /// For tests: other limits.
    pub fn with_limits(
        inner: TcpListener,
        connections: usize,
        idle: Duration,
        first_bytes: Duration,
    ) -> BoundedListener {
        BoundedListener {
            inner,
            places: Arc::new(Semaphore::new(connections)),
            idle,
            first_bytes,
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
                    let connection = Connection {
                        stream,
                        _place: place,
                        deadline: Box::pin(tokio::time::sleep(self.first_bytes)),
                        idle: self.idle,
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

/// An accepted connection: holds its place until dropped, and fails with `TimedOut` once its
/// deadline passes without traffic (each byte moved pushes the deadline `idle` further).
pub struct Connection {
    stream: TcpStream,
    _place: OwnedSemaphorePermit,
    deadline: Pin<Box<Sleep>>,
    idle: Duration,
}

impl Connection {
    fn moved(&mut self) {
        self.deadline.as_mut().reset(Instant::now() + self.idle);
    }

    fn timed_out(&mut self, cx: &mut Context<'_>) -> Option<io::Error> {
        self.deadline
            .as_mut()
            .poll(cx)
            .is_ready()
            .then(|| io::Error::new(io::ErrorKind::TimedOut, "connection idle too long"))
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
                    self.moved();
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
