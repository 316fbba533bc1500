//! Response headers that keep patients' browsers safe and private: a strict Content-Security-
//! Policy (nonce-based on rendered pages, hash-based on pages served from the page cache), no
//! framing, no sniffing, no referrer sent anywhere.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The one Content-Security-Policy of every page, staff or public: everything from this origin
/// only, nothing may frame it, and scripts only from `scripts` (the `script-src` sources). The
/// three kinds of page below differ in that directive alone.
fn policy_with_scripts(scripts: &str) -> String {
    format!(
        "default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// The policy for a staff page rendered with `nonce`: scripts only from this origin or carrying
/// the nonce (Leptos's hydration script); WebAssembly allowed to compile.
pub fn page_policy(nonce: &str) -> String {
    policy_with_scripts(&format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"))
}

/// The policy for a public page rendered with `nonce`. Public pages load no WebAssembly and no
/// script file: the only scripts that may run are the page's own inline ones, which carry the
/// nonce (the print button's, and Leptos's small rendering bookkeeping). The page cache turns
/// this into `static_page_policy` before the page is sent.
pub fn public_page_policy(nonce: &str) -> String {
    policy_with_scripts(&format!("'nonce-{nonce}'"))
}

/// The inline scripts a public page runs, the same on every page: the print button's, and the
/// two Leptos writes after every server render (its hydration bookkeeping, empty on public
/// pages: they hold no resource and are never hydrated; see `hydration_context`'s
/// `pending_data`). Their hashes are the whole `script-src` of pages served from the page cache,
/// computed once; `tests/it/page_cache.rs` checks that no public page runs any other script.
pub const PUBLIC_INLINE_SCRIPTS: [&str; 3] = [
    crate::components::print_button::PRINT_SCRIPT,
    "__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];",
    "__INCOMPLETE_CHUNKS=[];",
];

/// A CSP source allowing the inline script `text` by its SHA-256 hash.
pub fn script_hash(text: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    let digest = sha2::Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The policy of every public page served from the page cache, where every response is the same
/// bytes: no nonce; the only scripts that may run are `PUBLIC_INLINE_SCRIPTS`, named by their
/// hashes. No script file and no WebAssembly. Built once.
pub fn stored_page_policy() -> HeaderValue {
    static POLICY: std::sync::LazyLock<HeaderValue> = std::sync::LazyLock::new(|| {
        let hashes: Vec<String> = PUBLIC_INLINE_SCRIPTS.into_iter().map(script_hash).collect();
        let policy: &'static str = policy_with_scripts(&hashes.join(" ")).leak();
        HeaderValue::from_static(policy)
    });
    POLICY.clone()
}

/// For every response that did not set its own policy (files, API answers, errors): nothing may
/// load or run.
const FALLBACK_POLICY: &str =
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Headers every response carries. `hsts` is on when the public URL is https.
#[derive(Clone, Debug)]
pub struct SecurityHeaders {
    pub hsts: bool,
}

/// The layer that adds the security headers to every answer, whoever made it (a page, a stored
/// page, a file, a refusal), keeping a page's own policy. It wraps everything but the request
/// log.
pub fn layer(
    config: SecurityHeaders,
) -> tower::util::MapResponseLayer<impl Fn(Response) -> Response + Clone> {
    tower::util::MapResponseLayer::new(move |mut response: Response| {
        // A 304 must not carry a policy: the browser would apply it to the page it already has.
        let not_modified = response.status() == axum::http::StatusCode::NOT_MODIFIED;
        apply(response.headers_mut(), &config, !not_modified);
        response
    })
}

/// The headers every answer carries, made once (the names and values are constants).
const EVERY_ANSWER: [(HeaderName, HeaderValue); 6] = [
    (
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    ),
    (
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    ),
    (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
    (
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    ),
    (
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("same-origin"),
    ),
    (
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static(
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
        ),
    ),
];

/// Adds the headers to a response's `headers`; a policy only when `with_policy` and the response
/// has none of its own.
fn apply(headers: &mut HeaderMap, config: &SecurityHeaders, with_policy: bool) {
    if with_policy && !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(FALLBACK_POLICY),
        );
    }
    for (name, value) in EVERY_ANSWER {
        headers.insert(name, value);
    }
    if config.hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        );
    }
}

/// Middleware: refuses (403) any request that may change something (anything but GET, HEAD,
/// OPTIONS) when the browser says it comes from another site: `Sec-Fetch-Site` other than
/// `same-origin`/`none`, or (from browsers too old to send that) an `Origin` that is not this
/// site's. Requests from programs that send neither (curl, tests) pass: they carry no victim's
/// cookies.
pub async fn refuse_cross_site(
    axum::extract::State(origins): axum::extract::State<AllowedOrigin>,
    request: Request,
    next: Next,
) -> Response {
    if is_cross_site(request.method(), request.headers(), &origins) {
        return (
            axum::http::StatusCode::FORBIDDEN,
            "Refused: this request came from another site.",
        )
            .into_response();
    }
    next.run(request).await
}

/// This site's origin as browsers name it (`PLASTICITY_PUBLIC_URL`).
#[derive(Clone, Debug)]
pub struct AllowedOrigin(pub String);

fn is_cross_site(
    method: &axum::http::Method,
    headers: &HeaderMap,
    allowed: &AllowedOrigin,
) -> bool {
    use axum::http::Method;
    if [Method::GET, Method::HEAD, Method::OPTIONS].contains(method) {
        return false;
    }
    // Browsers since 2020-2023 say where a request comes from; that is the answer when present.
    // (With `Referrer-Policy: no-referrer`, their `Origin` on a form post is "null".)
    if let Some(site) = headers
        .get("sec-fetch-site")
        .and_then(|value| value.to_str().ok())
    {
        return site != "same-origin" && site != "none";
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let origin = origin.to_str().unwrap_or("null");
    let host_origin = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .map(|host| (format!("http://{host}"), format!("https://{host}")));
    let same = origin == allowed.0
        || host_origin.is_some_and(|(http, https)| origin == http || origin == https);
    !same
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_policy_allows_only_this_origin_and_the_nonce() {
        let policy = page_policy("abc123");
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(!policy.contains("unsafe-inline"));
        assert!(!policy.contains("http"));
    }

    #[test]
    fn the_public_policy_allows_only_nonced_inline_scripts() {
        let policy = public_page_policy("abc123");
        assert!(policy.contains("script-src 'nonce-abc123';"));
        assert!(
            !policy.contains("unsafe")
                && !policy.contains("wasm")
                && !policy.contains("'self' 'nonce")
        );
    }

    #[test]
    fn the_three_page_policies_differ_only_in_their_scripts() {
        let rest = "style-src 'self'; img-src 'self' data:; font-src 'self'; \
                    connect-src 'self'; object-src 'none'; base-uri 'none'; \
                    form-action 'self'; frame-ancestors 'none'";
        let with = |scripts: &str| format!("default-src 'self'; script-src {scripts}; {rest}");
        assert_eq!(
            page_policy("n"),
            with("'self' 'nonce-n' 'wasm-unsafe-eval'")
        );
        assert_eq!(public_page_policy("n"), with("'nonce-n'"));
        let hashes = PUBLIC_INLINE_SCRIPTS.map(script_hash).join(" ");
        assert_eq!(stored_page_policy(), with(&hashes));
        assert_eq!(
            script_hash("print()"),
            "'sha256-Ul1RMxNBbPGH9E+ofhdT7m0RVSwiCXU33cMrTtNPpo8='"
        );
    }

    #[test]
    fn responses_without_a_policy_get_the_locked_down_one() {
        let mut headers = HeaderMap::new();
        apply(&mut headers, &SecurityHeaders { hsts: false }, true);
        assert_eq!(headers[header::CONTENT_SECURITY_POLICY], FALLBACK_POLICY);
        assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert!(!headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
    }

    #[test]
    fn a_page_keeps_its_own_policy_and_https_adds_hsts() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'"),
        );
        apply(&mut headers, &SecurityHeaders { hsts: true }, true);
        assert_eq!(
            headers[header::CONTENT_SECURITY_POLICY],
            "default-src 'self'"
        );
        assert!(headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
    }

    fn post(pairs: &[(&str, &str)]) -> (axum::http::Method, HeaderMap) {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        (axum::http::Method::POST, headers)
    }

    #[test]
    fn posts_from_another_site_are_refused() {
        let allowed = AllowedOrigin("https://learn.clinic.example".into());
        let cross = [
            post(&[("origin", "https://evil.example")]),
            post(&[("origin", "null")]),
            post(&[("sec-fetch-site", "cross-site")]),
            post(&[
                ("sec-fetch-site", "cross-site"),
                ("origin", "https://learn.clinic.example"),
            ]),
            post(&[
                ("sec-fetch-site", "same-site"),
                ("origin", "https://learn.clinic.example"),
            ]),
        ];
        for (method, headers) in cross {
            assert!(is_cross_site(&method, &headers, &allowed), "{headers:?}");
        }
        let fine = [
            post(&[
                ("origin", "https://learn.clinic.example"),
                ("sec-fetch-site", "same-origin"),
            ]),
            post(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000"),
            ]),
            post(&[]),
        ];
        for (method, headers) in fine {
            assert!(!is_cross_site(&method, &headers, &allowed), "{headers:?}");
        }
        let (_, headers) = post(&[("origin", "https://evil.example")]);
        assert!(!is_cross_site(&axum::http::Method::GET, &headers, &allowed));
    }
}
