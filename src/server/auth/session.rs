//! Server-side sessions. The browser holds a random 256-bit token in an HttpOnly, SameSite=Strict
//! cookie (Secure, with the `__Host-` prefix, when the public URL is https); the database holds
//! only the token's SHA-256. A session ends after 30 minutes without a request, 12 hours after
//! sign-in, at sign-out, and when its owner's password changes or the account is deactivated.
//!
//! A session starts half signed in (the password was right) and becomes a staff session only when
//! the second factor is given, with a new token; a half session can open nothing but
//! `/admin/two-factor`, and ends 10 minutes after the password was given.
//!
//! What a session is and when it ends is here; finding the request's session is `resolve.rs`.

use crate::content::staff::StaffMember;
use crate::server::auth::random::random_hex;
use sha2::{Digest, Sha256};

/// A session ends after this long without a request.
pub const IDLE_TIMEOUT_SECS: i64 = 30 * 60;
/// A session ends this long after sign-in, however active.
pub const ABSOLUTE_TIMEOUT_SECS: i64 = 12 * 60 * 60;
/// A half-signed-in session ends this long after the password was given.
pub const HALF_SESSION_SECS: i64 = 10 * 60;

/// The member of staff behind the request's session cookie (a request extension; absent when
/// the request has no valid session).
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub staff: StaffMember,
    pub token_hash: String,
    /// When the session started (seconds since the epoch): it ends `ABSOLUTE_TIMEOUT_SECS` later.
    pub started_at: i64,
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
