//! Server-side sessions. The browser holds a random 256-bit token in an HttpOnly, SameSite=Strict
//! cookie (Secure, with the `__Host-` prefix, when the public URL is https); the database holds
//! only the token's SHA-256. A session ends after 30 minutes without a request, 12 hours after
//! sign-in, at sign-out, and when its owner's password changes or the account is deactivated.
//!
//! A session starts half signed in (the password was right) and becomes a staff session only when
//! the second factor is given, with a new token; a half session can open nothing but
//! `/admin/two-factor`, and ends 10 minutes after the password was given.

use crate::content::staff::StaffMember;
use crate::server::proxy::client_address;
use crate::server::random::random_hex;
use crate::server::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};
use std::net::SocketAddr;

/// A session ends after this long without a request.
pub const IDLE_TIMEOUT_SECS: i64 = 30 * 60;
/// A session ends this long after sign-in, however active.
pub const ABSOLUTE_TIMEOUT_SECS: i64 = 12 * 60 * 60;
/// A half-signed-in session ends this long after the password was given.
pub const HALF_SESSION_SECS: i64 = 10 * 60;
/// How stale `last_seen_at` may get before a request rewrites it (saves a write per request).
const TOUCH_AFTER_SECS: i64 = 60;

/// The member of staff behind the request's session cookie (a request extension; absent when
/// the request has no valid session).
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub staff: StaffMember,
    pub token_hash: String,
}

/// A session whose password was right but whose second factor is still to come (a request
/// extension instead of `SignedIn`, so nothing that asks for `SignedIn` lets it through).
#[derive(Clone, Debug)]
pub struct HalfSignedIn(pub SignedIn);

/// The address the request came from, for throttling and the audit log.
#[derive(Clone, Debug)]
pub struct ClientAddress(pub String);

/// A new random token (64 hex digits).
pub fn new_token() -> String {
    random_hex::<32>()
}

/// What the database stores for `token`.
pub fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Whether a session started at `created_at` and last used at `last_seen_at` is still valid
/// (`complete`: its second factor was given; else it is half signed in).
pub fn session_is_live(created_at: i64, last_seen_at: i64, complete: bool, now: i64) -> bool {
    let limit = if complete {
        ABSOLUTE_TIMEOUT_SECS
    } else {
        HALF_SESSION_SECS
    };
    now - last_seen_at <= IDLE_TIMEOUT_SECS && now - created_at <= limit
}

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
    let hash = token_hash(&token);
    let now = now();
    let live = match state.db.session(&hash).await {
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
                && let Err(error) = state.db.touch_session(&hash, now).await
            {
                tracing::warn!(%error, "could not record session activity");
            }
            let signed_in = SignedIn {
                staff: session.staff,
                token_hash: hash.clone(),
            };
            Some((signed_in, session.second_factor_at.is_some()))
        }
        Ok(Some(_)) => {
            if let Err(error) = state.db.delete_session(&hash).await {
                tracing::warn!(%error, "could not remove an expired session");
            }
            None
        }
        Ok(None) => None,
        Err(error) => {
            tracing::error!(%error, "could not look up a session");
            None
        }
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_their_hash_is_stored() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }

    #[test]
    fn sessions_end_when_idle_or_old() {
        let start = 1_000_000;
        assert!(session_is_live(
            start,
            start,
            true,
            start + IDLE_TIMEOUT_SECS
        ));
        assert!(!session_is_live(
            start,
            start,
            true,
            start + IDLE_TIMEOUT_SECS + 1
        ));
        let late = start + ABSOLUTE_TIMEOUT_SECS + 1;
        assert!(!session_is_live(start, late - 10, true, late));
    }

    #[test]
    fn a_half_signed_in_session_lasts_ten_minutes() {
        let start = 1_000_000;
        assert!(session_is_live(
            start,
            start + 500,
            false,
            start + HALF_SESSION_SECS
        ));
        assert!(!session_is_live(
            start,
            start + 500,
            false,
            start + HALF_SESSION_SECS + 1
        ));
        assert!(session_is_live(
            start,
            start + 500,
            true,
            start + HALF_SESSION_SECS + 1
        ));
    }
}
