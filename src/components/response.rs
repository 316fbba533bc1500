//! What a page tells the HTTP response while it renders on the server: its status code and its
//! Content-Security-Policy. Pages render only on the server, so the browser build has no-ops.

#[cfg(feature = "ssr")]
pub use ssr::{is_staff_page, redirect_permanently, send_page_policy, set_http_status};

#[cfg(feature = "ssr")]
mod ssr {
    use crate::server::http::rendered::{PageMark, RenderedPage};
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

    /// Answers the page being rendered with 301 to `location` (a path on this site).
    pub fn redirect_permanently(location: &str) {
        if let (Some(response), Ok(value)) = (
            use_context::<ResponseOptions>(),
            HeaderValue::from_str(location),
        ) {
            response.set_status(StatusCode::MOVED_PERMANENTLY);
            response.insert_header(header::LOCATION, value);
        }
    }

    /// Whether the page being rendered is a staff page (under `/admin`): only those load the
    /// WebAssembly, which holds the staff islands.
    pub fn is_staff_page() -> bool {
        use_context::<axum::http::request::Parts>().is_some_and(|parts| {
            crate::area::Area::of(parts.uri.path()) == crate::area::Area::Staff
        })
    }

    /// Sends the page's Content-Security-Policy, built around this response's nonce (the one
    /// Leptos puts on its scripts): staff pages may also load the WebAssembly, public pages run
    /// nothing but their own nonced inline scripts. It also marks the response as the page it is
    /// (`server::http::rendered`): the page cache stores public pages, swapping the nonce for the
    /// scripts' hashes.
    pub fn send_page_policy() {
        let (Some(response), Some(nonce)) = (use_context::<ResponseOptions>(), use_nonce()) else {
            return;
        };
        let public = !is_staff_page();
        let policy = if public {
            crate::server::http::security::public_page_policy(&nonce)
        } else {
            crate::server::http::security::page_policy(&nonce)
        };
        if let Ok(value) = HeaderValue::from_str(&policy) {
            response.insert_header(header::CONTENT_SECURITY_POLICY, value);
        }
        if let Some(mark) = use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<PageMark>().cloned())
        {
            mark.set(RenderedPage {
                nonce: nonce.as_inner().clone(),
                public,
            });
        }
    }
}

#[cfg(not(feature = "ssr"))]
pub fn set_http_status(_code: u16) {}

#[cfg(not(feature = "ssr"))]
pub fn send_page_policy() {}

#[cfg(not(feature = "ssr"))]
pub fn redirect_permanently(_location: &str) {}

#[cfg(not(feature = "ssr"))]
pub fn is_staff_page() -> bool {
    true
}
