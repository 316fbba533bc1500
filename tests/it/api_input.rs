//! Server functions refuse what they cannot read with the right status and a plain sentence:
//! 400 for malformed or missing arguments, 413 for a body over 2 MB (before it is read when its
//! length is declared, and cut off at the limit when it is not). And the limits on what an
//! article may hold, which keep every check and page of it small. (The largest article is served
//! by a `plasticity serve` process of its own: its checks hold the one place of the editor's
//! bound for seconds in a debug build, and the bound is the process's, so the previews of the
//! tests running beside it in this process would wait for it.)

use crate::support;

use plasticity::content::staff::Role;
use support::{PASSWORD, Served, TestApp, TestDb, add_staff, get_as, post_form, sign_in};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn malformed_arguments_answer_400_with_a_plain_sentence() {
    let app = TestApp::spawn().await;
    for (endpoint, body) in [
        ("articles/list", "before=a&before=b"),
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

/// Issue 28, items 2 and 5: an article lists at most `MAX_REFERENCES` references. Past it, the
/// live preview and a save each say so, and nothing is checked or stored (8,000 references took
/// the checks 20 s; 5,000 made the editor page too large to send).
#[tokio::test]
async fn references_past_the_limit_are_refused_with_a_clear_message() {
    let app = TestApp::spawn().await;
    let writer = &app.signed_in(Role::Writer).await;
    use plasticity::content::editing::MAX_REFERENCES;
    let reference = |n: usize| {
        serde_json::json!({
            "authors": format!("Author{n}, A."), "year": "2019", "title": "T", "journal": "J",
            "volume": null, "issue": null, "pages": null, "doi": null,
        })
    };
    let too_many: Vec<_> = (0..8_000).map(reference).collect();
    let body = serde_json::json!({ "body": "Text.", "references": too_many });
    let response = app
        .call_as("admin/preview", Some(writer), &body.to_string())
        .await;
    assert_eq!(response.status(), 422);
    let said = response.text().await.unwrap();
    let limit = format!("the limit is {MAX_REFERENCES}");
    assert!(
        said.contains("lists 8000 references") && said.contains(&limit),
        "{said}"
    );
    let at_limit: Vec<_> = (0..MAX_REFERENCES).map(reference).collect();
    let body = serde_json::json!({ "body": "Text.", "references": at_limit });
    let response = app
        .call_as("admin/preview", Some(writer), &body.to_string())
        .await;
    assert_eq!(response.status(), 200);

    // The editor form: one past the limit is refused, and what was typed is kept.
    let names: Vec<[String; 4]> = (0..=MAX_REFERENCES)
        .map(|n| ["authors", "year", "title", "journal"].map(|field| format!("ref-{n}-{field}")))
        .collect();
    let mut fields = support::editing::article_fields("save", "", "Many", "many", "Text.");
    for (n, [authors, year, title, journal]) in names.iter().enumerate() {
        fields.push((authors, if n == 0 { "Unique, A." } else { "Author, B." }));
        fields.push((year, "2019"));
        fields.push((title, "A title"));
        fields.push((journal, "A journal"));
    }
    let saved = app
        .post_form("/admin/articles/new", Some(writer), &fields)
        .await;
    assert_eq!(saved.status(), 422);
    let html = saved.text().await.unwrap();
    let message = format!(
        "lists {} references; the limit is {MAX_REFERENCES}",
        MAX_REFERENCES + 1
    );
    assert!(html.contains(&message), "{html}");
    assert!(html.contains("Unique, A."), "what was typed is kept");
}

/// Issue 28, item 5: the largest article the limits allow (a body at its limit, of characters
/// that are escaped wherever they are shown, and references filling theirs) still gets its
/// editor page, far below the size at which a page can no longer be sent.
#[tokio::test]
async fn the_largest_article_the_limits_allow_opens_in_the_editor() {
    use plasticity::content::editing::{MAX_BODY_BYTES, MAX_REFERENCES, MAX_REFERENCES_BYTES};
    let mut body = String::new();
    let mut n = 0;
    while body.len() + 64 < MAX_BODY_BYTES {
        body.push_str(&format!("A & B < C (Author{n} et al., 2019). "));
        n += 1;
    }
    let per_field = MAX_REFERENCES_BYTES / MAX_REFERENCES / 4 - 8;
    let names: Vec<[String; 4]> = (0..MAX_REFERENCES)
        .map(|n| ["authors", "year", "title", "journal"].map(|field| format!("ref-{n}-{field}")))
        .collect();
    let long = "&".repeat(per_field);
    let mut fields = support::editing::article_fields("save", "", "Large", "large", &body);
    for [authors, year, title, journal] in &names {
        fields.push((authors, long.as_str()));
        fields.push((year, "2019"));
        fields.push((title, long.as_str()));
        fields.push((journal, long.as_str()));
    }
    let t = TestDb::sqlite().await;
    add_staff(&t.db, "writer@clinic.example", "Test writer", Role::Writer).await;
    let server = Served::start(&t.url, &[]);
    let base = &server.base_url;
    let writer = &sign_in(base, "writer@clinic.example", PASSWORD).await;
    let saved = post_form(base, "/admin/articles/new", Some(writer), &fields).await;
    assert_eq!(saved.status(), 303, "{}", saved.text().await.unwrap());
    let editor = get_as(base, &support::location(&saved), Some(writer)).await;
    assert_eq!(editor.status(), 200);
    let size = editor.text().await.unwrap().len();
    eprintln!("the largest editor page: {size} bytes");
    assert!(size < 4 * 1024 * 1024, "{size} bytes");
}
