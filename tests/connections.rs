//! The listener's bounds: a cap on open connections; silent, idle and slow-header connections
//! closed.

#![cfg(feature = "ssr")]

use axum::Router;
use axum::routing::get;
use plasticity::server::listener::Limits;
use plasticity::server::serving;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A tiny app served as `plasticity serve` serves (two serving threads), with room for
/// `connections`, closing connections idle for `idle` (and silent, or slow with their headers,
/// for `short`).
async fn serve(connections: usize, idle: Duration, short: Duration) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let limits = Limits {
        connections,
        idle,
        first_bytes: short,
    };
    let app = Router::new().route("/", get(|| async { "ok" }));
    let (keep, stop) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        let _keep = keep;
        serving::serve(listener, app, 2, limits, stop)
            .await
            .unwrap()
    });
    address
}

async fn get_on(stream: &mut TcpStream) -> String {
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let mut buf = vec![0u8; 1024];
    let read = tokio::time::timeout(Duration::from_secs(5), stream.read(&mut buf))
        .await
        .map(|read| read.unwrap())
        .unwrap_or(0);
    String::from_utf8_lossy(&buf[..read]).into_owned()
}

#[tokio::test]
async fn an_idle_connection_is_closed_and_a_silent_one_too() {
    let address = serve(8, Duration::from_millis(500), Duration::from_millis(500)).await;
    // Sends nothing at all: closed.
    let mut silent = TcpStream::connect(&address).await.unwrap();
    let mut buf = [0u8; 16];
    let read = tokio::time::timeout(Duration::from_secs(10), silent.read(&mut buf)).await;
    assert!(matches!(read, Ok(Ok(0)) | Ok(Err(_))), "{read:?}");
    // Answered, then idle on keep-alive: closed.
    let mut idle = TcpStream::connect(&address).await.unwrap();
    assert!(get_on(&mut idle).await.starts_with("HTTP/1.1 200"));
    let read = tokio::time::timeout(Duration::from_secs(10), idle.read(&mut buf)).await;
    assert!(matches!(read, Ok(Ok(0)) | Ok(Err(_))), "{read:?}");
}

#[tokio::test]
async fn connections_beyond_the_cap_wait_until_one_closes() {
    let address = serve(2, Duration::from_secs(30), Duration::from_secs(30)).await;
    let mut first = TcpStream::connect(&address).await.unwrap();
    let mut second = TcpStream::connect(&address).await.unwrap();
    assert!(get_on(&mut first).await.starts_with("HTTP/1.1 200"));
    assert!(get_on(&mut second).await.starts_with("HTTP/1.1 200"));
    // The kernel completes the handshake, but the server does not take the third connection.
    let mut third = TcpStream::connect(&address).await.unwrap();
    assert_eq!(
        get_on(&mut third).await,
        "",
        "a third connection was served"
    );
    drop(first);
    let mut buf = vec![0u8; 1024];
    let read = tokio::time::timeout(Duration::from_secs(5), third.read(&mut buf))
        .await
        .expect("served once a place freed")
        .unwrap();
    assert!(String::from_utf8_lossy(&buf[..read]).starts_with("HTTP/1.1 200"));
}

#[tokio::test]
async fn headers_dripped_slowly_are_cut_off_at_the_deadline() {
    // Headers must be complete 1 s after their first byte; a byte every 200 ms is never idle.
    let address = serve(8, Duration::from_secs(30), Duration::from_secs(1)).await;
    let mut slow = TcpStream::connect(&address).await.unwrap();
    let started = std::time::Instant::now();
    let mut closed = false;
    for byte in b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".iter().cycle().take(200) {
        if slow.write_all(&[*byte]).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        let mut buf = [0u8; 64];
        if let Ok(Ok(0)) = tokio::time::timeout(Duration::from_millis(1), slow.read(&mut buf)).await {
            closed = true;
            break;
        }
    }
    assert!(closed, "still open after {:?}", started.elapsed());
}

#[tokio::test]
async fn a_busy_connection_stays_open_past_its_timeouts_and_closes_once_idle() {
    // The timer is not moved by each request (see `listener::Connection`): it rings at the first
    // deadline and finds the connection was busy since. Requests every 100 ms for 2 s, four
    // times the idle and header timeouts, are all answered on one connection.
    let address = serve(8, Duration::from_millis(400), Duration::from_millis(400)).await;
    let mut busy = TcpStream::connect(&address).await.unwrap();
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_secs(2) {
        let answer = get_on(&mut busy).await;
        assert!(
            answer.starts_with("HTTP/1.1 200"),
            "closed after {:?} of requests: {answer:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Then idle: closed.
    let mut buf = [0u8; 16];
    let read = tokio::time::timeout(Duration::from_secs(10), busy.read(&mut buf)).await;
    assert!(matches!(read, Ok(Ok(0)) | Ok(Err(_))), "{read:?}");
}
