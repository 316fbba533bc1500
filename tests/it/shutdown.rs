//! Stopping the server under load: SIGTERM during a burst of requests loses none of them, nor
//! any of their log lines.

use crate::support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::{Served, TestDb};

const ARTICLE: &str = "/articles/ketamine-and-brain-plasticity";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_a_burst_fails_no_request_and_exits_cleanly() {
    let t = TestDb::sqlite().await;
    let mut server = Served::start(&t.url, &[("PLASTICITY_SHUTDOWN_DRAIN", "2")]);
    let base = server.base_url.clone();
    let client = reqwest::Client::new();
    assert_eq!(
        client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // Sixteen clients, each sending requests one after another, as a load balancer would
    // until it sees the instance is no longer ready.
    let stop = Arc::new(AtomicBool::new(false));
    let (served, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let mut clients = Vec::new();
    for _ in 0..16 {
        let (client, base) = (client.clone(), base.clone());
        let (stop, served, failed) = (stop.clone(), served.clone(), failed.clone());
        clients.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                match client.get(format!("{base}{ARTICLE}")).send().await {
                    Ok(response) if response.status() == 200 => {
                        served.fetch_add(1, Ordering::Relaxed);
                    }
                    other => {
                        failed.fetch_add(1, Ordering::Relaxed);
                        eprintln!("failed: {other:?}");
                    }
                }
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before_signal = served.load(Ordering::Relaxed);
    assert!(before_signal > 0, "the burst is running");
    server.terminate();

    // Readiness turns 503 while requests are still answered.
    let signalled = Instant::now();
    loop {
        let ready = client.get(format!("{base}/readyz")).send().await.unwrap();
        if ready.status() == 503 {
            break;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(2),
            "/readyz never turned 503"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.await.unwrap();
    }
    assert!(
        served.load(Ordering::Relaxed) > before_signal,
        "requests were served after SIGTERM"
    );
    assert_eq!(failed.load(Ordering::Relaxed), 0, "failed requests");

    // Then it stops by itself, with status 0, within the drain and grace periods.
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(15),
            "still running"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status:?}\n{}", server.log_text());
    // The log reader may still be reading the last lines.
    server.wait_for_log(|line| line.contains("stopped")).await;
    // Every request served has its line: the log's buffer was written out before the exit.
    let logged = server
        .log_text()
        .lines()
        .filter(|line| line.contains(&format!("path={ARTICLE} status=200 ")))
        .count();
    assert_eq!(logged, served.load(Ordering::Relaxed), "request lines");
    assert!(
        client.get(format!("{base}/healthz")).send().await.is_err(),
        "nothing listens any more"
    );
}
