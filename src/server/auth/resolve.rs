//! The middleware that finds each request's session and client address (the rules it applies
//! are in `session.rs`).

use super::session::{ClientAddress, HalfSignedIn, SignedIn, now, session_is_live, token_hash};
use crate::server::http::proxy::client_address;
use crate::server::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::net::SocketAddr;

/// How stale `last_seen_at` may get before a request rewrites it (saves a write per request).
const TOUCH_AFTER_SECS: i64 = 60;

/// Middleware: finds the request's session (if its cookie names a live one of an active
/// account) and its client address, and puts both in the request's extensions for handlers and
/// server functions. A dead session's cookie is removed. Responses to requests with a session
/// cookie are never cached, unless they say otherwise (content-hashed assets).
pub async fn resolve_session(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let address = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| {
            let forwarded = request
                .headers()
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|value| value.to_str().ok());
            client_address(addr.ip(), forwarded, &state.trusted_proxies).to_string()
        })
        .unwrap_or_else(|| "unknown".into());
    request.extensions_mut().insert(ClientAddress(address));
    let cookie = state.session_cookie;
    let Some(token) = cookie.token(request.headers()) else {
        return next.run(request).await;
    };
    let live = live_session(&state, &token_hash(&token), now()).await;
    let signed_in = live.is_some();
    match live {
        Some((session, true)) => {
            request.extensions_mut().insert(session);
        }
        Some((session, false)) => {
            request.extensions_mut().insert(HalfSignedIn(session));
        }
        None => {}
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !signed_in && !headers.contains_key(header::SET_COOKIE) {
        headers.insert(header::SET_COOKIE, cookie.clear());
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The session whose token hashes to `hash`, if it is live and its account active: whole
/// (`true`) or half signed in (`false`). Its activity is recorded (at most once a minute); a
/// dead session is deleted.
pub async fn live_session(state: &AppState, hash: &str, now: i64) -> Option<(SignedIn, bool)> {
    match state.db.session(hash).await {
        Ok(Some(session))
            if session.staff.active
                && session.current_password
                && session_is_live(
                    session.created_at,
                    session.last_seen_at,
                    session.second_factor_at.is_some(),
                    now,
                ) =>
        {
            if now - session.last_seen_at >= TOUCH_AFTER_SECS
                && let Err(error) = state.db.touch_session(hash, now).await
            {
                tracing::warn!(%error, "could not record session activity");
            }
            let signed_in = SignedIn {
                staff: session.staff,
                token_hash: hash.to_owned(),
                started_at: session.created_at,
            };
            Some((signed_in, session.second_factor_at.is_some()))
        }
        Ok(Some(_)) => {
            if let Err(error) = state.db.delete_session(hash).await {
                tracing::warn!(%error, "could not remove an expired session");
            }
            None
        }
        Ok(None) => None,
        Err(error) => {
            tracing::error!(%error, "could not look up a session");
            None
        }
    }
}
