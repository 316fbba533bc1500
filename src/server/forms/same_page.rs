//! The page a form was posted from, rendered again (`SamePage`) with what was typed and what to
//! fix, or what the form made, and the middleware that renders it (`render_forms_again`).

use super::super::state::AppState;
use super::FormResult;
use crate::app::shell;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;
use std::sync::Arc;

/// The page the form was posted from, rendered again with `outcome` (a form's values, what to
/// fix, or what it made: a preview, recovery codes) under a status; or another page (`at`).
#[derive(Clone)]
pub struct SamePage {
    provide: Arc<dyn Fn() + Send + Sync>,
    status: StatusCode,
    headers: axum::http::HeaderMap,
    /// Where else, and as whom, to render it (rare: boxed).
    elsewhere: Option<Box<Elsewhere>>,
}

/// Adds to the rendered request's extensions (a session the answer itself starts).
type Extend = Arc<dyn Fn(&mut axum::http::Extensions) + Send + Sync>;

/// A page rendered other than at the request's own URL and session.
#[derive(Clone, Default)]
struct Elsewhere {
    /// The page to render instead of the request's own (path and query).
    at: Option<String>,
    extend: Option<Extend>,
}

impl SamePage {
    pub fn new<T>(outcome: T, status: StatusCode) -> SamePage
    where
        T: Clone + Send + Sync + 'static,
    {
        SamePage {
            provide: Arc::new(move || provide_context(outcome.clone())),
            status,
            headers: axum::http::HeaderMap::new(),
            elsewhere: None,
        }
    }

    /// The page again, under a status that says nothing went wrong (a preview).
    pub fn page<T>(outcome: T) -> FormResult
    where
        T: Clone + Send + Sync + 'static,
    {
        Ok(SamePage::new(outcome, StatusCode::OK).into_response())
    }

    /// The page with a header of its own (`Retry-After`, `Set-Cookie`).
    pub fn with_header(mut self, name: header::HeaderName, value: HeaderValue) -> SamePage {
        self.headers.insert(name, value);
        self
    }

    /// The page with a second value in its context (a held form beside the outcome).
    pub fn also<T>(&mut self, value: T)
    where
        T: Clone + Send + Sync + 'static,
    {
        let first = self.provide.clone();
        self.provide = Arc::new(move || {
            first();
            provide_context(value.clone());
        });
    }

    /// Renders the page at `path_and_query` instead of the request's URL.
    pub fn at(mut self, path_and_query: &str) -> SamePage {
        self.elsewhere.get_or_insert_default().at = Some(path_and_query.to_owned());
        self
    }

    /// Renders the page as if the request carried `value` (a session this answer starts).
    pub fn with_extension<T>(mut self, value: T) -> SamePage
    where
        T: Clone + Send + Sync + 'static,
    {
        self.elsewhere.get_or_insert_default().extend = Some(Arc::new(move |extensions| {
            extensions.insert(value.clone());
        }));
        self
    }
}

impl IntoResponse for SamePage {
    /// A placeholder carrying the outcome, which `render_forms_again` renders; its headers, and
    /// those set on the placeholder, are kept.
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.headers_mut().extend(self.headers.clone());
        response.extensions_mut().insert(self);
        response
    }
}

/// Middleware on the form routes: a handler's `SamePage` becomes the page at the request's URL,
/// rendered with the outcome in context, under its status and with the headers it set.
pub async fn render_forms_again(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let mut page_request = parts.clone();
    let mut placeholder = next.run(Request::from_parts(parts, body)).await;
    let Some(page) = placeholder.extensions_mut().remove::<SamePage>() else {
        return placeholder;
    };
    let site = state.site.clone();
    let app_state = state.clone();
    let options = state.leptos_options.clone();
    let provide = page.provide.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(site.clone());
            provide_context(app_state.clone());
            provide();
        },
        move || shell(options.clone()),
    );
    page_request.method = Method::GET;
    if let Some(elsewhere) = &page.elsewhere {
        if let Some(uri) = elsewhere.at.as_deref().and_then(|at| at.parse().ok()) {
            page_request.uri = uri;
        }
        if let Some(extend) = &elsewhere.extend {
            extend(&mut page_request.extensions);
        }
    }
    let mut response = handler(Request::from_parts(page_request, Body::empty())).await;
    *response.status_mut() = page.status;
    response.headers_mut().extend(placeholder.headers().clone());
    response
}
