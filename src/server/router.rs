//! The HTTP router: every route in one place. Pages and server functions come from the Leptos
//! route table; compiled assets, health checks and the not-found fallback are added here.

use super::auth::resolve::resolve_session;
use super::auth::session::{HalfSignedIn, SignedIn};
use super::forms;
use super::http::request_log;
use super::http::security::{self, AllowedOrigin, refuse_cross_site};
use super::http::serving::HandOff;
use super::page_cache::{ServeStoredPages, fill_page_cache};
use super::state::AppState;
use crate::app::{App, shell};
use crate::area::{Area, with_next};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use std::path::Path;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Builds the whole application for `state`. Tests call this too, so what they exercise is
/// exactly what `plasticity serve` runs.
///
/// Three layers wrap the router from outside, so they run before any routing: the request log,
/// the security headers (every answer passes them, whoever made it), and the page cache's answer
/// for stored public pages (axum runs a `Router::layer` per route, after matching it and cloning
/// each layer's state, which a stored page does not need). What the page cache does not answer
/// is handed from the serving thread to the shared runtime (`serving::HandOff`).
pub fn app(state: AppState) -> impl super::http::serving::App {
    ServiceBuilder::new()
        .layer(request_log::LogRequests)
        .layer(security::layer(state.security.clone()))
        .layer(ServeStoredPages(state.pages.clone()))
        .service(HandOff::new(router(state)))
}

/// The routes and the layers that run after routing.
fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let site = state.site.clone();
    let context = move || provide_context(site.clone());
    let pkg_dir =
        Path::new(&*state.leptos_options.site_root).join(&*state.leptos_options.site_pkg_dir);
    // Compiled assets have content-hashed names, so a browser may keep them forever (but not a
    // 404: the file may appear with the next deploy). Release builds ship them precompressed
    // (`--precompress`: brotli at its highest level), which beats compressing on the fly.
    let assets = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            |response: &axum::response::Response<_>| {
                response
                    .status()
                    .is_success()
                    .then(|| HeaderValue::from_static("public, max-age=31536000, immutable"))
            },
        ))
        .service(
            ServeDir::new(pkg_dir)
                .precompressed_br()
                .precompressed_gzip(),
        );
    let options = state.leptos_options.clone();
    let origin = AllowedOrigin(state.site.public_origin.clone());

    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/sitemap.xml", get(super::feeds::sitemap))
        .route("/feed.xml", get(super::feeds::feed))
        .route("/robots.txt", get(super::feeds::robots))
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        .merge(form_routes(&state))
        .nest_service("/pkg", assets)
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(from_fn(super::http::valid_html::make_html_valid))
        .layer(from_fn(admin_pages_need_a_session))
        .layer(from_fn(api_bodies_are_bounded))
        // Renders and stores public pages that the outer cache layer did not have.
        .layer(from_fn_with_state(state.pages.clone(), fill_page_cache))
        .layer(from_fn_with_state(state.clone(), resolve_session))
        .layer(from_fn_with_state(origin, refuse_cross_site))
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// The admin forms: each posts to its own page's URL, and a refusal renders that page again
/// (`forms::render_forms_again`).
fn form_routes(state: &AppState) -> Router<AppState> {
    // The two sign-in steps carry a form held when its session ended (`forms::held`).
    let carry = from_fn_with_state(state.clone(), forms::held::carry);
    Router::new()
        .route(
            "/admin/login",
            post(forms::session::sign_in).layer(carry.clone()),
        )
        .route("/admin/logout", post(forms::session::sign_out))
        .route("/admin/setup", post(forms::setup::setup))
        .route("/admin/welcome", post(forms::welcome::set_password))
        .route("/admin/account", post(forms::account::submit))
        .route(
            "/admin/two-factor",
            post(forms::two_factor::submit).layer(carry),
        )
        .route("/admin/staff", post(forms::staff::submit))
        .route("/admin/glossary", post(forms::glossary::add))
        .route("/admin/glossary/{id}", post(forms::glossary::change))
        .route("/admin/synonyms", post(forms::synonyms::save))
        .route("/admin/topics", post(forms::topics::add))
        .route("/admin/topics/{id}", post(forms::topics::change))
        .route("/admin/articles/new", post(forms::articles::create))
        .route("/admin/articles/{id}", post(forms::articles::update))
        .route(
            "/admin/articles/{id}/history",
            post(forms::articles::restore),
        )
        .route(
            "/admin/articles/{id}/review-notes",
            post(forms::articles::resolve_note),
        )
        .route_layer(from_fn_with_state(state.clone(), forms::render_forms_again))
}

/// Pages anyone may open under `/admin`.
const OPEN_ADMIN_PAGES: [&str; 3] = ["/admin/login", "/admin/setup", "/admin/welcome"];

/// The page a half-signed-in session (password given, second factor not yet) may open.
const SECOND_FACTOR_PAGE: &str = "/admin/two-factor";

/// Middleware: an admin page requested without a session redirects (303) to the sign-in page,
/// and with a half-signed-in one to the second-factor page; either comes back here afterwards.
/// (Forms and server functions answer 401 or 403 themselves.)
async fn admin_pages_need_a_session(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let admin_page = Area::of(path) == Area::Staff
        && !OPEN_ADMIN_PAGES.contains(&path)
        && (request.method() == axum::http::Method::GET
            || request.method() == axum::http::Method::HEAD);
    let whole = request.extensions().get::<SignedIn>().is_some();
    let half = request.extensions().get::<HalfSignedIn>().is_some();
    let to = match (admin_page, whole, half) {
        (true, false, false) => "/admin/login",
        (true, false, true) if path != SECOND_FACTOR_PAGE => SECOND_FACTOR_PAGE,
        _ => return next.run(request).await,
    };
    let here = request
        .uri()
        .path_and_query()
        .map_or(path, |pq| pq.as_str());
    let location = if path == SECOND_FACTOR_PAGE {
        to.to_owned()
    } else {
        with_next(to, here)
    };
    (
        axum::http::StatusCode::SEE_OTHER,
        [(header::LOCATION, location)],
    )
        .into_response()
}

/// Middleware: a server-function call whose body is over `API_MAX_BYTES` is refused (413, as
/// every server function answers an error) before a server function runs: before its body is
/// read when its length is declared, else when reading it passes the limit (recognised by the
/// body's own error type, `LengthLimitError`). Such a body is read here, at most to the limit;
/// the server function then reads it from memory.
async fn api_bodies_are_bounded(request: Request, next: Next) -> Response {
    use crate::error::{API_MAX_BYTES, AppError};
    if Area::of(request.uri().path()) != Area::Api {
        return next.run(request).await;
    }
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|length| length.to_str().ok()?.parse::<usize>().ok());
    match declared {
        Some(length) if length > API_MAX_BYTES => AppError::too_large().into_api_response(),
        Some(_) => next.run(request).await,
        None => {
            let (parts, body) = request.into_parts();
            match axum::body::to_bytes(body, API_MAX_BYTES).await {
                Ok(bytes) => next.run(Request::from_parts(parts, bytes.into())).await,
                Err(error) if is_over_the_limit(&error) => {
                    AppError::too_large().into_api_response()
                }
                Err(error) => {
                    tracing::info!(%error, "a server function's body could not be read");
                    AppError::BadRequest("The request's body could not be read.".to_owned())
                        .into_api_response()
                }
            }
        }
    }
}

/// Whether reading a body failed because it passed its limit (and not, say, because the client
/// went away).
fn is_over_the_limit(error: &axum::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(error) = cause {
        if error.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cause = error.source();
    }
    false
}

/// The process is up and serving.
async fn healthz() -> &'static str {
    "ok"
}

/// The process can reach its database and is not shutting down; 503 when either is untrue, so a
/// load balancer sends requests elsewhere.
async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.is_draining() {
        (StatusCode::SERVICE_UNAVAILABLE, "shutting down")
    } else if state.db.is_reachable().await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
    }
}
