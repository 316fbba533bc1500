//! Server functions refuse what they cannot read with the right status and a plain sentence:
//! 400 for malformed or missing arguments, 413 for a body over 2 MB (before it is read when its
//! length is declared, and cut off at the limit when it is not).

#![cfg(feature = "ssr")]

mod support;

use support::TestApp;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn malformed_arguments_answer_400_with_a_plain_sentence() {
    let app = TestApp::spawn().await;
    for (endpoint, body) in [
        ("articles/list", "page=not-a-number"),
        ("articles/get", ""),
        ("admin/preview", "{\"body\": 12}"),
        ("admin/preview", "{not json"),
    ] {
        let response = app.call_as(endpoint, None, body).await;
        assert_eq!(response.status(), 400, "{endpoint} {body}");
        let text = response.text().await.unwrap();
        assert!(text.contains("The request could not be read"), "{text}");
        assert!(
            !text.contains("invalid digit") && !text.contains("expected"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn a_body_over_two_megabytes_answers_413() {
    let app = TestApp::spawn().await;
    let huge = format!(
        "{{\"body\":\"{}\",\"references\":[]}}",
        "x".repeat(3 * 1024 * 1024)
    );
    let response = app.call_as("admin/preview", None, &huge).await;
    assert_eq!(response.status(), 413);
    assert!(response.text().await.unwrap().contains("too large"));
}

#[tokio::test]
async fn a_body_of_undeclared_length_is_cut_off_at_the_limit() {
    let app = TestApp::spawn().await;
    let address = app.base_url.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let head = format!(
        "POST /api/articles/list HTTP/1.1\r\nHost: {address}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "p".repeat(64 * 1024));
    // 4 MB in all, unless the server answers first.
    for _ in 0..64 {
        if stream.write_all(chunk.as_bytes()).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut answer = vec![0u8; 4096];
    let read = stream.read(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}
