//! The listener's bounds: a cap on open connections; silent, idle and slow-header connections
//! closed.

use axum::Router;
use axum::routing::get;
use plasticity::server::http::listener::Limits;
use plasticity::server::http::serving;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A tiny app served as `plasticity serve` serves (two serving threads), with room for
/// `connections`, closing connections idle for `idle` (and silent, or slow with their headers,
/// for `short`).
async fn serve(connections: usize, idle: Duration, short: Duration) -> String {
    serve_with(Limits {
        connections,
        idle,
        first_bytes: short,
        ..Limits::default()
    })
    .await
}

async fn serve_with(limits: Limits) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
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
async fn connections_beyond_the_cap_wait_until_one_closes_when_none_is_idle() {
    let address = serve(2, Duration::from_secs(30), Duration::from_secs(30)).await;
    let mut first = TcpStream::connect(&address).await.unwrap();
    let mut second = TcpStream::connect(&address).await.unwrap();
    assert!(get_on(&mut first).await.starts_with("HTTP/1.1 200"));
    assert!(get_on(&mut second).await.starts_with("HTTP/1.1 200"));
    // Both in the middle of their next request: neither is idle, so neither makes room.
    for stream in [&mut first, &mut second] {
        stream.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
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

/// A connection to `address` from the loopback address `from` (127.0.0.2, …): another client.
async fn connect_from(from: &str, address: &str) -> TcpStream {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind(format!("{from}:0").parse().unwrap()).unwrap();
    socket.connect(address.parse().unwrap()).await.unwrap()
}

/// Whether the server closes `stream` (it reads the end, or an error) within five seconds: a
/// close is prompt, but a loaded machine (the other tests of this binary run beside it) may take
/// a second to schedule it.
async fn closed(stream: &mut TcpStream) -> bool {
    closed_within(stream, Duration::from_secs(5)).await
}

/// Whether the server closes `stream` within `wait`.
async fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
    let mut buf = [0u8; 16];
    let read = tokio::time::timeout(wait, stream.read(&mut buf)).await;
    matches!(read, Ok(Ok(0)) | Ok(Err(_)))
}

/// Issue 28, item 4: connections that asked once and then went quiet fill the cap; a new client
/// is answered at once, because the connection idle longest is closed to make room.
#[tokio::test]
async fn at_the_cap_the_longest_idle_connection_makes_room_for_a_new_client() {
    let address = serve_with(Limits {
        connections: 40,
        ..Limits::default()
    })
    .await;
    let mut idle = Vec::new();
    for n in 0..40 {
        let mut stream = connect_from(&format!("127.0.0.{}", 10 + n / 8), &address).await;
        assert!(get_on(&mut stream).await.starts_with("HTTP/1.1 200"));
        idle.push(stream);
    }
    // Answered (`get_on` waits 5 s; before, the new client waited for an idle one to time out).
    let mut new = TcpStream::connect(&address).await.unwrap();
    assert!(get_on(&mut new).await.starts_with("HTTP/1.1 200"));
    assert!(closed(&mut idle[0]).await, "the longest idle was closed");
    let others_stay = !closed_within(&mut idle[39], Duration::from_secs(1)).await;
    assert!(others_stay, "the others stay");
    // And again: each newcomer closes the next longest idle.
    let mut another = TcpStream::connect(&address).await.unwrap();
    assert!(get_on(&mut another).await.starts_with("HTTP/1.1 200"));
    assert!(closed(&mut idle[1]).await);
}

/// One address holds at most its share: its own longest idle connection makes room for its
/// next; with all of its connections busy, the next is closed, and other clients are answered.
#[tokio::test]
async fn one_address_cannot_hold_more_than_its_share() {
    let address = serve_with(Limits {
        connections: 100,
        per_address: 10,
        ..Limits::default()
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..10 {
        let mut stream = connect_from("127.0.0.2", &address).await;
        assert!(get_on(&mut stream).await.starts_with("HTTP/1.1 200"));
        held.push(stream);
    }
    let mut eleventh = connect_from("127.0.0.2", &address).await;
    assert!(get_on(&mut eleventh).await.starts_with("HTTP/1.1 200"));
    assert!(closed(&mut held[0]).await, "its own longest idle made room");
    // All ten busy (each in the middle of sending a request): the next one is closed.
    for stream in held.iter_mut().skip(1).chain([&mut eleventh]) {
        stream.write_all(b"GET / HTTP/1.1\r\n").await.unwrap();
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut refused = connect_from("127.0.0.2", &address).await;
    assert!(closed(&mut refused).await, "past its share, with none idle");
    let mut other = connect_from("127.0.0.3", &address).await;
    assert!(get_on(&mut other).await.starts_with("HTTP/1.1 200"));
}
