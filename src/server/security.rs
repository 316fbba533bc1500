//! Response headers that keep patients' browsers safe and private: a strict Content-Security-
//! Policy (nonce-based on pages), no framing, no sniffing, no referrer sent anywhere.

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The policy for an HTML page rendered with `nonce`: everything from this origin only; scripts
/// only from this origin or carrying the nonce; WebAssembly allowed to compile; nothing may frame
/// the page.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
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

/// Middleware: adds the security headers to each response, keeping a page's own CSP.
pub async fn add_security_headers(
    axum::extract::State(config): axum::extract::State<SecurityHeaders>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    apply(response.headers_mut(), &config);
    response
}

fn apply(headers: &mut HeaderMap, config: &SecurityHeaders) {
    let set = |headers: &mut HeaderMap, name: HeaderName, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        set(headers, header::CONTENT_SECURITY_POLICY, FALLBACK_POLICY);
    }
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(
        headers,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        headers,
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    );
    set(
        headers,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
    );
    if config.hsts {
        set(
            headers,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=63072000; includeSubDomains",
        );
    }
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
    fn responses_without_a_policy_get_the_locked_down_one() {
        let mut headers = HeaderMap::new();
        apply(&mut headers, &SecurityHeaders { hsts: false });
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
        apply(&mut headers, &SecurityHeaders { hsts: true });
        assert_eq!(
            headers[header::CONTENT_SECURITY_POLICY],
            "default-src 'self'"
        );
        assert!(headers.contains_key(header::STRICT_TRANSPORT_SECURITY));
    }
}
