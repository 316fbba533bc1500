//! What every request handler and server function can reach: the database, the Leptos options and
//! the site facts. Built once at start, cloned per request (all fields are cheap handles).

use super::db::Db;
use crate::components::site::SiteInfo;
use crate::error::AppError;
use axum::extract::FromRef;
use leptos::prelude::*;

#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub site: SiteInfo,
    /// Reverse proxies whose `X-Forwarded-For` is believed (see `server::proxy`).
    pub trusted_proxies: std::sync::Arc<[std::net::IpAddr]>,
    /// Set when shutdown begins: `/readyz` then answers 503 while requests are still served.
    pub draining: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl AppState {
    /// Whether the server is shutting down (see `draining`).
    pub fn is_draining(&self) -> bool {
        self.draining.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The session cookie's form for this site (Secure when the public URL is https).
    pub fn session_cookie(&self) -> crate::server::auth::session::SessionCookie {
        crate::server::auth::session::SessionCookie {
            secure: self.site.public_origin.starts_with("https://"),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The database, from the request's context (leptos_axum provides the `AppState` to every route
/// and server function).
pub fn db() -> Result<Db, AppError> {
    use_context::<AppState>()
        .map(|state| state.db)
        .ok_or_else(|| AppError::internal("server function", "AppState missing from context"))
}
