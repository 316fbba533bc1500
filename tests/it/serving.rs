//! The serving threads (`server::http::serving`): connections spread over them, and what is not a
//! stored page handed to the shared runtime, so it never holds up the requests behind it.

use axum::Router;
use axum::extract::Request;
use axum::middleware::{Next, from_fn};
use axum::routing::get;
use plasticity::server::http::listener::Limits;
use plasticity::server::http::serving::{self, App, HandOff};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Serves `app` on `threads` serving threads; the address.
async fn serve(app: impl App, threads: usize) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let (keep, stop) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        let _keep = keep;
        serving::serve(listener, app, threads, Limits::default(), stop)
            .await
            .unwrap()
    });
    address
}

/// A new connection to `address` that has sent a GET for `path`.
async fn send(address: &str, path: &str) -> TcpStream {
    let mut stream = TcpStream::connect(address).await.unwrap();
    write_get(&mut stream, path).await;
    stream
}

async fn write_get(stream: &mut TcpStream, path: &str) {
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
}

/// Sends a GET for `path` on `stream` and reads the answer (empty after 5 s without one).
async fn get_on(stream: &mut TcpStream, path: &str) -> String {
    write_get(stream, path).await;
    let mut buf = vec![0u8; 4096];
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf))
        .await
        .map(|read| read.unwrap_or(0))
        .unwrap_or(0);
    String::from_utf8_lossy(&buf[..read]).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_are_spread_over_the_serving_threads() {
    // Answered in place, on the serving thread: the answer names it.
    let app = Router::new().route(
        "/",
        get(|| async { std::thread::current().name().unwrap_or("").to_owned() }),
    );
    let address = serve(app, 2).await;
    // Four connections, opened at once and kept open: two on each thread (a burst left to the
    // kernel went all to one).
    let mut connections = Vec::new();
    for _ in 0..4 {
        connections.push(TcpStream::connect(&address).await.unwrap());
    }
    let mut threads = Vec::new();
    for connection in &mut connections {
        let answer = get_on(connection, "/").await;
        let name = answer.rsplit("\r\n\r\n").next().unwrap_or("").to_owned();
        threads.push(name);
    }
    threads.sort();
    assert_eq!(threads, ["serve-0", "serve-0", "serve-1", "serve-1"]);
}

/// What the test app's handed-off routes report and wait for.
#[derive(Clone)]
struct Signals {
    entered: Arc<Mutex<mpsc::Sender<()>>>,
    release: Arc<Mutex<mpsc::Receiver<()>>>,
    dropped: Arc<Mutex<mpsc::Sender<()>>>,
}

/// Sends on drop (the request's work was stopped or ended).
struct OnDrop(Arc<Mutex<mpsc::Sender<()>>>);

impl Drop for OnDrop {
    fn drop(&mut self) {
        let _ = self.0.lock().unwrap().send(());
    }
}

/// `/fast` answered in place (as a stored page is), the rest handed off: `/blocking` holds its
/// thread until released (as a long render would), `/forever` waits without end, `/panic`
/// panics.
fn app(signals: Signals) -> impl App {
    let blocking = signals.clone();
    let forever = signals;
    let handed = Router::new()
        .route(
            "/blocking",
            get(move || async move {
                let _ = blocking.entered.lock().unwrap().send(());
                // Blocks the thread it runs on (at most 10 s, so a failing test ends).
                let _ = blocking
                    .release
                    .lock()
                    .unwrap()
                    .recv_timeout(Duration::from_secs(10));
                "done"
            }),
        )
        .route(
            "/forever",
            get(move || async move {
                let _dropped = OnDrop(forever.dropped.clone());
                let _ = forever.entered.lock().unwrap().send(());
                std::future::pending::<()>().await;
                "never"
            }),
        )
        .route(
            "/panic",
            get(|| async {
                if true {
                    panic!("a handler failed");
                }
                "never"
            }),
        );
    tower::ServiceBuilder::new()
        .layer(from_fn(|request: Request, next: Next| async move {
            if request.uri().path() == "/fast" {
                return axum::response::IntoResponse::into_response("fast");
            }
            next.run(request).await
        }))
        .service(HandOff::new(handed))
}

fn signals() -> (
    Signals,
    mpsc::Receiver<()>,
    mpsc::Sender<()>,
    mpsc::Receiver<()>,
) {
    let (entered, entered_rx) = mpsc::channel();
    let (release_tx, release) = mpsc::channel();
    let (dropped, dropped_rx) = mpsc::channel();
    let signals = Signals {
        entered: Arc::new(Mutex::new(entered)),
        release: Arc::new(Mutex::new(release)),
        dropped: Arc::new(Mutex::new(dropped)),
    };
    (signals, entered_rx, release_tx, dropped_rx)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_request_does_not_hold_up_the_stored_pages_on_its_thread() {
    let (signals, entered, release, _) = signals();
    // One serving thread: the long request and the next are on the same one.
    let address = serve(app(signals), 1).await;
    let mut long = send(&address, "/blocking").await;
    tokio::task::spawn_blocking(move || entered.recv_timeout(Duration::from_secs(5)))
        .await
        .unwrap()
        .expect("the long request started");
    // Were it run on the serving thread, this would wait for it (and time out here).
    let mut next = TcpStream::connect(&address).await.unwrap();
    assert!(get_on(&mut next, "/fast").await.ends_with("fast"));
    release.send(()).unwrap();
    let mut buf = vec![0u8; 1024];
    let read = tokio::time::timeout(Duration::from_secs(5), long.read(&mut buf))
        .await
        .expect("the long request answered once released")
        .unwrap();
    assert!(String::from_utf8_lossy(&buf[..read]).ends_with("done"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handed_off_request_stops_when_its_client_goes_away() {
    let (signals, entered, _release, dropped) = signals();
    let address = serve(app(signals), 1).await;
    let gone = send(&address, "/forever").await;
    let stopped = tokio::task::spawn_blocking(move || {
        entered.recv_timeout(Duration::from_secs(5))?;
        drop(gone);
        dropped.recv_timeout(Duration::from_secs(5))
    });
    stopped
        .await
        .unwrap()
        .expect("the request's work was dropped once its client went away");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handed_off_request_that_panics_answers_500_and_the_server_goes_on() {
    let (signals, ..) = signals();
    let address = serve(app(signals), 1).await;
    let mut stream = TcpStream::connect(&address).await.unwrap();
    assert!(
        get_on(&mut stream, "/panic")
            .await
            .starts_with("HTTP/1.1 500")
    );
    let mut again = TcpStream::connect(&address).await.unwrap();
    assert!(get_on(&mut again, "/fast").await.ends_with("fast"));
}
