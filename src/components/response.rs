//! What a page tells the HTTP response while it renders on the server: its status code and its
//! Content-Security-Policy. Pages render only on the server, so the browser build has no-ops.

#[cfg(feature = "ssr")]
pub use ssr::{send_page_policy, set_http_status};

#[cfg(feature = "ssr")]
mod ssr {
    use axum::http::{HeaderValue, StatusCode, header};
    use leptos::prelude::*;
    use leptos_axum::ResponseOptions;

    /// Sets the status code of the page being rendered (404 for a missing article, 500 for a
    /// failure).
    pub fn set_http_status(code: u16) {
        if let (Some(response), Ok(status)) =
            (use_context::<ResponseOptions>(), StatusCode::from_u16(code))
        {
            response.set_status(status);
        }
    }

    /// Sends the page's Content-Security-Policy, built around this response's nonce (the same
    /// nonce Leptos puts on its hydration script).
    pub fn send_page_policy() {
        if let (Some(nonce), Some(response)) = (use_nonce(), use_context::<ResponseOptions>()) {
            let policy = crate::server::security::page_policy(&nonce);
            if let Ok(value) = HeaderValue::from_str(&policy) {
                response.insert_header(header::CONTENT_SECURITY_POLICY, value);
            }
        }
    }
}

#[cfg(not(feature = "ssr"))]
pub fn set_http_status(_code: u16) {}

#[cfg(not(feature = "ssr"))]
pub fn send_page_policy() {}
