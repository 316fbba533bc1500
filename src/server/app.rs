//! The HTTP router: every route in one place. Pages and server functions come from the Leptos
//! route table; compiled assets, health checks and the not-found fallback are added here.

use super::security::{SecurityHeaders, add_security_headers};
use super::state::AppState;
use crate::app::{App, shell};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, file_and_error_handler_with_context, generate_route_list};
use std::path::Path;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

/// Builds the whole application for `state`. Tests call this too, so what they exercise is
/// exactly what `plasticity serve` runs.
pub fn router(state: AppState) -> Router {
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
    let security = SecurityHeaders {
        hsts: state.site.public_origin.starts_with("https://"),
    };
    let options = state.leptos_options.clone();

    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .leptos_routes_with_context(&state, routes, context.clone(), move || {
            shell(options.clone())
        })
        .nest_service("/pkg", assets)
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            security,
            add_security_headers,
        ))
        .with_state(state)
}

/// The process is up and serving.
async fn healthz() -> &'static str {
    "ok"
}

/// The process can reach its database; 503 when it cannot.
async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    if state.db.is_reachable().await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
    }
}
