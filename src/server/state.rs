//! What every request handler and server function can reach: the database, the Leptos options and
//! the site facts. Built once at start by `AppState::new` (the server and the tests alike),
//! cloned per request (all fields are cheap handles).

use super::auth::cookie::SessionCookie;
use super::auth::second_factor::passkeys::RelyingParty;
use super::auth::second_factor::secret_key::SecretKey;
use super::config::Config;
use super::db::Db;
use super::http::security::SecurityHeaders;
use super::page_cache::PageCache;
use crate::components::site::SiteInfo;
use crate::error::AppError;
use axum::extract::FromRef;
use leptos::prelude::*;

#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub site: SiteInfo,
    /// Reverse proxies whose `X-Forwarded-For` is believed (see `server::http::proxy`).
    pub trusted_proxies: std::sync::Arc<[std::net::IpAddr]>,
    /// Set when shutdown begins: `/readyz` then answers 503 while requests are still served.
    pub draining: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// The session cookie's form for this site (Secure when the public URL is https).
    pub session_cookie: SessionCookie,
    /// The headers every answer carries (HSTS when the public URL is https).
    pub security: SecurityHeaders,
    /// The public pages patients read, stored (see `server::page_cache`).
    pub pages: PageCache,
    /// The sitemap and the feed, built once per content version (see `server::feeds`).
    pub documents: super::feeds::documents::Documents,
    /// This instance's search index (see `server::search`).
    pub search: super::search::SearchIndex,
    /// Seals and opens second-factor secrets (`None` when `PLASTICITY_SECRET_KEY` is unset or
    /// malformed: `plasticity serve` refuses a malformed one before this is built).
    pub secret_key: Option<std::sync::Arc<SecretKey>>,
    /// The site as a passkey relying party (`None` when its public host is an IP address).
    pub passkeys: Option<std::sync::Arc<RelyingParty>>,
}

impl AppState {
    /// The state for serving `config` from `db`: whether the site is https is worked out here,
    /// once, for the cookie and the headers.
    pub fn new(config: &Config, db: Db) -> AppState {
        let (leptos_options, site) = config.site();
        let https = site.public_origin.starts_with("https://");
        let session_cookie = SessionCookie { secure: https };
        let security = SecurityHeaders { hsts: https };
        let passkeys = RelyingParty::for_origin(&site.public_origin).map(Into::into);
        AppState {
            pages: PageCache::new(db.clone(), session_cookie),
            documents: Default::default(),
            search: Default::default(),
            leptos_options,
            db,
            site,
            trusted_proxies: config.trusted_proxies.clone().into(),
            draining: Default::default(),
            session_cookie,
            security,
            secret_key: config.second_factor_key().ok().flatten().map(Into::into),
            passkeys,
        }
    }

    /// Whether the server is shutting down (see `draining`).
    pub fn is_draining(&self) -> bool {
        self.draining.load(std::sync::atomic::Ordering::Relaxed)
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// The application's state, from the request's context (leptos_axum provides it to every route
/// and server function).
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>()
        .ok_or_else(|| AppError::internal("server function", "AppState missing from context"))
}

/// The database, from the request's context.
pub fn db() -> Result<Db, AppError> {
    app_state().map(|state| state.db)
}
