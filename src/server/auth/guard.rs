//! The checks every staff handler and server function opens with: is there a session (else
//! 401), and does its role allow this (else 403)? Roles are ordered: a reviewer may do all a
//! writer may, an admin all a reviewer may. A session only half signed in (password right, second
//! factor not yet given) is refused by all of them: 403 from server functions; a form it sends
//! is held by the sign-in page (401, `server::forms::held`), like one sent with no session.

use super::session::{ClientAddress, HalfSignedIn, SignedIn};
use crate::content::staff::Role;
use crate::error::AppError;
use axum::http::request::Parts;
use leptos::prelude::use_context;

/// For server functions: the signed-in member of staff, if their role is at least `role`.
/// `Unauthorized` (401) or `Forbidden` (403) when not.
pub fn require_role(role: Role) -> Result<SignedIn, AppError> {
    match any_session() {
        None => Err(AppError::Unauthorized),
        Some((_, false)) => Err(AppError::Forbidden),
        Some((session, true)) if session.staff.role < role => Err(AppError::Forbidden),
        Some((session, true)) => Ok(session),
    }
}

/// For server functions: who is signed in, if anyone (no status is set).
pub fn current_session() -> Option<SignedIn> {
    use_context::<Parts>().and_then(|parts| parts.extensions.get::<SignedIn>().cloned())
}

/// For server functions: the session, whether fully signed in (`true`) or still to give its
/// second factor (`false`); `None` without a session. Only the second-factor step asks this.
pub fn any_session() -> Option<(SignedIn, bool)> {
    session_of(&use_context::<Parts>()?).map(|(session, whole)| (session.clone(), whole))
}

/// The request's session, whole (`true`) or half signed in (`false`), if it has one.
pub fn session_of(parts: &Parts) -> Option<(&SignedIn, bool)> {
    match parts.extensions.get::<SignedIn>() {
        Some(session) => Some((session, true)),
        None => parts
            .extensions
            .get::<HalfSignedIn>()
            .map(|half| (&half.0, false)),
    }
}

/// The request's client address (set by the session middleware).
pub fn client_address(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ClientAddress>()
        .map(|address| address.0.clone())
        .unwrap_or_default()
}

impl SignedIn {
    /// For axum handlers: `Forbidden` (403) when this member of staff's role is below `role`;
    /// `None` when the role is enough.
    pub fn refuse_below(&self, role: Role) -> Option<AppError> {
        (self.staff.role < role).then_some(AppError::Forbidden)
    }
}
