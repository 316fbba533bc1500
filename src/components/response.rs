//! What a page tells the HTTP response while it renders on the server: its status code and its
//! Content-Security-Policy. In the browser these do nothing.

use leptos::prelude::*;

/// Sets the status code of the page being rendered (404 for a missing article, 500 for a failure).
pub fn set_http_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(response), Ok(status)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(code),
    ) {
        response.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// Sends the page's Content-Security-Policy, built around this response's nonce (the same nonce
/// Leptos puts on its hydration script).
pub fn send_page_policy() {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(response)) = (use_nonce(), use_context::<leptos_axum::ResponseOptions>()) {
        let policy = crate::server::security::page_policy(&nonce);
        if let Ok(value) = axum::http::HeaderValue::from_str(&policy) {
            response.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, value);
        }
    }
}
