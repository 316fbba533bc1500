//! What a page says about itself as it renders, for the layers around it: the nonce its scripts
//! carry, and whether it is a public page (the only kind the page cache stores). The page writes
//! it into a slot the innermost layer put in the request (Leptos hands the page the request's
//! parts, extensions included); that layer then marks the response with it. So the layers read
//! a typed mark, never the Content-Security-Policy string back.

use axum::extract::Request;
use axum::response::Response;
use std::sync::{Arc, OnceLock};

/// The mark on a rendered page's response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedPage {
    /// The nonce Leptos gave this render (on its inline scripts, and in the page's policy).
    pub nonce: Arc<str>,
    /// A public page (patients'), not a staff page.
    pub public: bool,
}

/// Where the page writes its mark: one per request, shared with the page through the request
/// parts Leptos provides as context.
#[derive(Clone, Debug, Default)]
pub struct PageMark(Arc<OnceLock<RenderedPage>>);

impl PageMark {
    /// Gives `request` an empty slot, kept here to read after the page rendered.
    pub fn add_to(request: &mut Request) -> PageMark {
        let mark = PageMark::default();
        request.extensions_mut().insert(mark.clone());
        mark
    }

    /// Records what the page rendered as (the first call wins: one page per request).
    pub fn set(&self, page: RenderedPage) {
        let _ = self.0.set(page);
    }

    /// Moves the mark, if the page set one, onto `response`; returns it too.
    pub fn mark(&self, response: &mut Response) -> Option<RenderedPage> {
        let page = self.0.get()?.clone();
        response.extensions_mut().insert(page.clone());
        Some(page)
    }
}

/// The public page `response` is, with its nonce; `None` for anything else (a staff page, a
/// file, an API answer, an answer made by a layer).
pub fn public_page(response: &Response) -> Option<&RenderedPage> {
    response
        .extensions()
        .get::<RenderedPage>()
        .filter(|page| page.public)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_mark_is_the_one_the_response_gets() {
        let mut request = Request::new(axum::body::Body::empty());
        let slot = PageMark::add_to(&mut request);
        let from_page = request.extensions().get::<PageMark>().unwrap().clone();
        let page = |public| RenderedPage {
            nonce: "abc".into(),
            public,
        };
        from_page.set(page(true));
        from_page.set(page(false));
        let mut response = Response::new(axum::body::Body::empty());
        assert_eq!(slot.mark(&mut response), Some(page(true)));
        assert_eq!(public_page(&response), Some(&page(true)));
        let unmarked = Response::new(axum::body::Body::empty());
        assert_eq!(public_page(&unmarked), None);
    }
}
