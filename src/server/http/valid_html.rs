//! Makes the HTML Leptos 0.8 writes valid (the W3C checker finds no error, see
//! `end2end/tests/html-validity.spec.ts`), without changing what a browser builds from it:
//!
//! - `<!>`, the empty marker Leptos puts between text nodes for hydration, is a "bogus comment";
//!   `<!---->` is the valid spelling of the same empty comment node. Only markup is rewritten:
//!   not attribute values, nor the text of `<script>`, `<style>` or `<textarea>`.
//! - The data scripts Leptos appends after `</html>` ("stray start tag") move to just before
//!   `</body>`, where the parser would have put them anyway; they still run before the
//!   WebAssembly, a module script, starts.
//! - `crossorigin="NONCE"` on the WebAssembly's preload links (the nonce written into the wrong
//!   attribute) becomes `crossorigin=""`: the same "anonymous" mode, spelt validly.

use super::rendered::PageMark;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// Pages larger than this are passed on untouched (no page comes near it).
const MAX_REWRITE_BYTES: usize = 8 * 1024 * 1024;

/// Whether a response with these headers is an HTML page.
fn is_html(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"))
}

/// Middleware: every HTML answer of the app, rewritten as above. The innermost layer, so it
/// also gives each request the slot its page marks itself in, and moves that mark onto the
/// response (`server::http::rendered`).
pub async fn make_html_valid(mut request: Request, next: Next) -> Response {
    let mark = PageMark::add_to(&mut request);
    let mut response = next.run(request).await;
    let nonce = mark.mark(&mut response).map(|page| page.nonce);
    if !is_html(response.headers()) || response.headers().contains_key(header::CONTENT_ENCODING) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_REWRITE_BYTES).await {
        Ok(bytes) => bytes,
        Err(error) => {
            // Limits on what staff may save keep every page far below this (an article's
            // references, findings and body are all bounded); reaching it is a bug to log, and
            // the person is told so, never shown an empty page.
            tracing::error!(%error, limit = MAX_REWRITE_BYTES, "a page was too large to send");
            return too_large_page();
        }
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let fixed = valid_html(text, nonce.as_deref());
    parts.headers.remove(header::CONTENT_LENGTH);
    if let Ok(length) = HeaderValue::from_str(&fixed.len().to_string()) {
        parts.headers.insert(header::CONTENT_LENGTH, length);
    }
    Response::from_parts(parts, Body::from(fixed))
}

/// The answer when a page could not be sent whole: 500, with a page that says so.
fn too_large_page() -> Response {
    let page = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
                <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
                <title>This page could not be shown</title></head><body><main>\
                <h1>This page could not be shown</h1><p>It came out too large to send. \
                The problem has been logged; nothing was changed. \
                <a href=\"/\">Go to the home page</a>.</p></main></body></html>";
    let mut response = Response::new(Body::from(page));
    *response.status_mut() = axum::http::StatusCode::INTERNAL_SERVER_ERROR;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

/// `html` with the three rewrites of the module's note.
pub fn valid_html(html: &str, nonce: Option<&str>) -> String {
    let html = match nonce {
        Some(nonce) if !nonce.is_empty() => {
            html.replace(&format!(" crossorigin=\"{nonce}\""), " crossorigin=\"\"")
        }
        _ => html.to_owned(),
    };
    let html = scripts_inside_body(&html);
    without_bogus_comments(&html)
}

/// Moves whatever follows `</html>` to just before `</body>`.
fn scripts_inside_body(html: &str) -> String {
    let Some(end) = html.rfind("</html>") else {
        return html.to_owned();
    };
    let after = &html[end + "</html>".len()..];
    let before = &html[..end];
    match before.rfind("</body>") {
        Some(body_end) if !after.trim().is_empty() => format!(
            "{}{}{}</html>",
            &before[..body_end],
            after.trim(),
            &before[body_end..]
        ),
        _ => html.to_owned(),
    }
}

/// `<!>` as `<!---->` wherever it is markup: not inside a tag (attribute values), nor in the
/// text of the elements whose content is not markup.
fn without_bogus_comments(html: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        if let Some(after) = rest.strip_prefix("<!>") {
            out.push_str("<!---->");
            rest = after;
            continue;
        }
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(rest.len(), |end| end + 3);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        // A tag: copied up to its `>`, skipping quoted attribute values.
        let end = tag_end(rest);
        let tag = &rest[..end];
        out.push_str(tag);
        rest = &rest[end..];
        // Raw text elements: copied up to their closing tag untouched.
        let name: String = tag[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if ["script", "style", "textarea", "title"].contains(&name.as_str()) {
            let close = format!("</{name}");
            let end = rest.to_ascii_lowercase().find(&close).unwrap_or(rest.len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

/// The length of the tag at the start of `html` (through its `>`), quotes respected.
fn tag_end(html: &str) -> usize {
    let mut quote: Option<u8> = None;
    for (index, byte) in html.bytes().enumerate().skip(1) {
        match (quote, byte) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(byte),
            (None, b'>') => return index + 1,
            _ => {}
        }
    }
    html.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_page_too_large_to_rewrite_is_a_500_that_says_so_never_an_empty_200() {
        use tower::ServiceExt;
        let huge = format!("<!DOCTYPE html><p>{}</p>", "x".repeat(MAX_REWRITE_BYTES));
        let app = axum::Router::new()
            .route(
                "/",
                axum::routing::get(move || {
                    let huge = huge.clone();
                    async move { axum::response::Html(huge) }
                }),
            )
            .layer(axum::middleware::from_fn(make_html_valid));
        let request = Request::builder().uri("/").body(Body::empty()).unwrap();
        let response = app.oneshot(request).await.unwrap();
        assert_eq!(response.status(), 500);
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = String::from_utf8(body.to_vec()).unwrap();
        assert!(body.contains("This page could not be shown"), "{body}");
    }

    #[test]
    fn empty_markers_become_valid_empty_comments_only_in_markup() {
        let html = "<p>a<!>b</p><div data-props=\"{&quot;b&quot;:&quot;<!>&quot;}\"></div>\
                    <script>x=\"<!>\"</script><textarea>\n&lt;!&gt; <!></textarea><!-- <!> -->";
        assert_eq!(
            without_bogus_comments(html),
            "<p>a<!---->b</p><div data-props=\"{&quot;b&quot;:&quot;<!>&quot;}\"></div>\
             <script>x=\"<!>\"</script><textarea>\n&lt;!&gt; <!></textarea><!-- <!> -->"
        );
    }

    #[test]
    fn scripts_after_the_document_move_into_the_body() {
        let html = "<html><body><p>x</p></body></html><script nonce=\"n\">a=[]</script>";
        assert_eq!(
            valid_html(html, Some("n")),
            "<html><body><p>x</p><script nonce=\"n\">a=[]</script></body></html>"
        );
        let plain = "<html><body></body></html>";
        assert_eq!(valid_html(plain, None), plain);
    }

    #[test]
    fn the_nonce_leaves_the_crossorigin_attribute() {
        let html = "<link rel=\"modulepreload\" href=\"/pkg/a.js\" crossorigin=\"abc123\">";
        assert_eq!(
            valid_html(html, Some("abc123")),
            "<link rel=\"modulepreload\" href=\"/pkg/a.js\" crossorigin=\"\">"
        );
    }
}
