//! The threads that serve requests: one per core, each with a runtime of its own (tokio's
//! current-thread kind), as nginx runs one worker per core. A stored page (see `page_cache`) is
//! answered on the thread that read its request, with no task handed between threads;
//! everything else, a render, a sign-in, a staff save, is handed to the shared runtime's pool
//! (`HandOff`), so a long request never holds up the stored pages waiting behind it on the same
//! thread.
//!
//! Why: with one shared work-stealing runtime, a stored page's request spent a fifth more CPU in
//! user space, in wake-ups and queues between threads (`bench/ab.sh`, 2026-12-05: 5.1 µs against
//! 4.3 µs, with `writev`; requests/s ×1.13). Where a machine's kernel makes loopback TCP cheap,
//! that user-space share is what separates us from nginx (`bench/RESULTS.md`).
//!
//! The shared runtime accepts the connections and hands each to the serving thread with the
//! fewest open, which keeps it until it closes (left to the kernel, with every thread waiting on
//! the same socket, a burst of new connections all went to whichever thread woke first: one
//! thread served all of wrk's 64, the other none). The bounds of `listener` hold across the
//! threads: one count of open connections, the same timeouts.

use super::listener::{Connection, Limits, OpenConnections, Place, with_client_address};
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::cell::Cell;
use std::convert::Infallible;
use std::future::{Future, IntoFuture};
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use tokio::net::TcpListener;
use tokio::runtime::Handle;
use tokio::sync::{Semaphore, mpsc, watch};

thread_local! {
    /// Set on the serving threads: only there is a request handed to the pool.
    static SERVING: Cell<bool> = const { Cell::new(false) };
}

/// What `serve` serves: an application as `server::router::app` builds it.
pub trait App:
    tower::Service<Request, Response = Response, Error = Infallible, Future: Send + 'static>
    + Clone
    + Send
    + Sync
    + 'static
{
}

impl<S> App for S where
    S: tower::Service<Request, Response = Response, Error = Infallible, Future: Send + 'static>
        + Clone
        + Send
        + Sync
        + 'static
{
}

/// The answer of a layer that boxes its future (`HandOff`, the request log, the stored pages).
pub type Answer = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

/// How many serving threads `serve` starts: one per core the process may use.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |cores| cores.get())
}

/// Serves `app` on `threads` threads, connections bounded by `limits`, until `stop` turns true; then no connection is accepted
/// any more and each thread lets its connections finish their requests (axum's graceful
/// shutdown). Resolves once every thread has ended. Call it on the shared runtime, which accepts
/// the connections, and build `app` there (so `HandOff` knows where to hand requests).
pub async fn serve<S>(
    listener: TcpListener,
    app: S,
    threads: usize,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) -> io::Result<()>
where
    S: App,
{
    let address = listener.local_addr()?;
    let (ended, mut all_ended) = mpsc::channel::<io::Result<()>>(threads.max(1));
    let mut doors = Vec::new();
    for number in 0..threads.max(1) {
        let (door, queue) = mpsc::channel(HANDED_AT_ONCE);
        let open = Arc::new(AtomicUsize::new(0));
        doors.push(Door { door, open });
        let listener = HandedListener {
            queue,
            address,
            limits: limits.clone(),
        };
        let (app, mut stop, ended) = (app.clone(), stop.clone(), ended.clone());
        std::thread::Builder::new()
            .name(format!("serve-{number}"))
            .spawn(move || {
                let result = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .and_then(|runtime| {
                        SERVING.set(true);
                        runtime.block_on(
                            axum::serve(listener, with_client_address(app))
                                .with_graceful_shutdown(async move {
                                    let _ = stop.wait_for(|stopped| *stopped).await;
                                })
                                .into_future(),
                        )
                    });
                let _ = ended.try_send(result);
            })?;
    }
    drop(ended);
    tokio::select! {
        () = accept(listener, &doors, &limits) => {}
        _ = stop.wait_for(|stopped| *stopped) => {}
    }
    drop(doors);
    let mut result = Ok(());
    while let Some(ended) = all_ended.recv().await {
        if let Err(error) = ended {
            tracing::error!(%error, "a serving thread failed");
            result = Err(error);
        }
    }
    result
}

/// Connections accepted but not yet taken by their thread, per thread (a thread takes them as
/// fast as it can: this only smooths a burst).
const HANDED_AT_ONCE: usize = 64;

/// The way to one serving thread, and how many connections it has open.
struct Door {
    door: mpsc::Sender<Handed>,
    open: Arc<AtomicUsize>,
}

/// A connection accepted on the shared runtime, on its way to a serving thread.
struct Handed {
    stream: std::net::TcpStream,
    address: SocketAddr,
    place: Place,
}

/// Accepts connections (at most `limits.connections` open across all threads, and
/// `limits.per_address` from one address) and hands each to the serving thread with the fewest
/// open: the kernel would give a burst of new connections all to whichever thread woke first.
/// At either bound the connection idle longest is closed to make room; with none idle, a new
/// connection waits for a place (past the cap) or is closed (past its address's share, so one
/// address cannot hold the rest out). Returns when every thread has gone.
async fn accept(listener: TcpListener, doors: &[Door], limits: &Limits) {
    let places = Arc::new(Semaphore::new(limits.connections));
    let open = Arc::new(OpenConnections::default());
    let mut next = 0;
    loop {
        let (stream, address) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of file descriptors and the like: wait a little rather than spin.
            Err(error) => {
                tracing::warn!(%error, "accepting a connection failed");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
        };
        let client = address.ip();
        if !limits.unshared.contains(&client)
            && open.held_by(client) >= limits.per_address
            && !open.close_longest_idle(Some(client))
        {
            tracing::debug!(%client, "refused a connection: its address holds its share, all busy");
            continue;
        }
        let permit = match places.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                open.close_longest_idle(None);
                // The semaphore is never closed, so this waits for a place and cannot fail.
                let Ok(permit) = places.clone().acquire_owned().await else {
                    continue;
                };
                permit
            }
        };
        let _ = stream.set_nodelay(true);
        let Ok(stream) = stream.into_std() else {
            continue;
        };
        // The fewest open among the threads still serving; among equals, taking turns.
        next = (next + 1) % doors.len();
        let Some(door) = (0..doors.len())
            .map(|turn| &doors[(next + turn) % doors.len()])
            .filter(|door| !door.door.is_closed())
            .min_by_key(|door| door.open.load(Ordering::Relaxed))
        else {
            return; // every serving thread has ended
        };
        door.open.fetch_add(1, Ordering::Relaxed);
        let place = Place {
            _permit: permit,
            entry: open.enter(client),
            counted: Some(door.open.clone()),
        };
        let handed = Handed {
            stream,
            address,
            place,
        };
        // A thread that ended just now drops the connection (the client sees it closed).
        let _ = door.door.send(handed).await;
    }
}

/// A serving thread's side: the connections handed to it, made into `Connection`s on its own
/// runtime (their timers and readiness belong to it).
struct HandedListener {
    queue: mpsc::Receiver<Handed>,
    address: SocketAddr,
    limits: Limits,
}

impl axum::serve::Listener for HandedListener {
    type Io = Connection;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Connection, SocketAddr) {
        loop {
            let Some(handed) = self.queue.recv().await else {
                // No more connections come (stopping): wait for the shutdown to end this.
                std::future::pending::<()>().await;
                continue;
            };
            match tokio::net::TcpStream::from_std(handed.stream) {
                Ok(stream) => {
                    let connection = Connection::new(stream, handed.place, &self.limits);
                    return (connection, handed.address);
                }
                Err(error) => tracing::warn!(%error, "cannot take over a connection"),
            }
        }
    }

    fn local_addr(&self) -> io::Result<SocketAddr> {
        Ok(self.address)
    }
}

/// Middleware (a tower layer): on a serving thread, runs the inner service's answer as a task on
/// the shared runtime (`runtime`, the one `app` was built on) and waits for it; anywhere else
/// (tests, rendering ahead) runs it in place. Dropping the answer (the client went away) stops
/// the task, as it would stop the request in place. A panic answers 500 (logged by the hook).
#[derive(Clone)]
pub struct HandOff<S> {
    inner: S,
    runtime: Option<Handle>,
}

impl<S> HandOff<S> {
    /// `inner`, handed to the runtime this is called on (none outside one: always in place).
    pub fn new(inner: S) -> HandOff<S> {
        HandOff {
            inner,
            runtime: Handle::try_current().ok(),
        }
    }
}

/// The work handed to the shared runtime panicked (the hook logged it) or was stopped with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gone;

/// Runs `work` as a task on `runtime` (the shared one) when called on a serving thread, else in
/// place. Dropping the returned future stops the task, as it would stop `work` in place. For
/// work that must not tie a serving thread's runtime to anything: a database connection opened
/// by a task stays with the runtime that ran it.
pub async fn on_shared<F>(runtime: Option<Handle>, work: F) -> Result<F::Output, Gone>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let runtime = match runtime {
        Some(runtime) if SERVING.get() => runtime,
        _ => return Ok(work.await),
    };
    let task = runtime.spawn(work);
    let _stopped = Stopped(task.abort_handle());
    task.await.map_err(|_| Gone)
}

/// A task on the shared runtime, stopped if its answer is no longer wanted.
struct Stopped(tokio::task::AbortHandle);

impl Drop for Stopped {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<S> tower::Service<Request> for HandOff<S>
where
    S: tower::Service<Request, Response = Response, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Answer;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        let answer = self.inner.call(request);
        if !SERVING.get() {
            return Box::pin(answer);
        }
        let runtime = self.runtime.clone();
        Box::pin(async move {
            match on_shared(runtime, answer).await {
                Ok(answer) => answer,
                Err(Gone) => Ok(StatusCode::INTERNAL_SERVER_ERROR.into_response()),
            }
        })
    }
}
