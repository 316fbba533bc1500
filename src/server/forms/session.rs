//! Signing in and out, and starting a session (half or whole) once a factor is given. The
//! setup link that creates the first admin is in `setup.rs`.

use super::{
    FormResult, SamePage, audit, read_form_up_to, see_other, to_the_end, too_many_attempts,
};
use crate::admin::form::FormOutcome;
use crate::area::with_next;
use crate::content::staff::normalise_email;
use crate::error::AppError;
use crate::server::auth::guard::{client_address, session_of};
use crate::server::auth::password::{hash_password, is_password_hash, verify_password};
use crate::server::auth::session::{
    ABSOLUTE_TIMEOUT_SECS, IDLE_TIMEOUT_SECS, new_token, now, token_hash,
};
use crate::server::auth::throttle;
use crate::server::db::AuditAction;
use crate::server::db::AuditRecord;
use crate::server::state::AppState;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::OnceCell;

/// The one answer to a wrong email or a wrong password, so neither reveals which accounts exist.
pub const SIGN_IN_FAILED: &str =
    "That email and password do not match an active account. Check both and try again.";

/// A hash to check passwords against when the email matches no account, so that answer takes
/// as long as a wrong password does.
static DECOY_HASH: OnceCell<String> = OnceCell::const_new();

pub use crate::area::safe_admin_path as safe_next;

/// The largest sign-in or setup form read: a stranger sends these, and an email of 254 bytes,
/// a password of 128 characters and a `next` path fit many times over.
pub(super) const MAX_ANONYMOUS_FORM_BYTES: usize = 16 * 1024;

/// `POST /admin/login`. Takes one attempt from the throttle first (a locked account or address
/// gets 429 and the time to retry, and no password is checked), then checks the password; on
/// success starts a new session (a fresh token, never the one the browser came with) and
/// redirects to `next`. What a stranger can make it store is bounded: one audit row per attempt
/// the throttle allows (whether the password was right, wrong, or not checked because the
/// server was busy), one refusal row per lock, an email of at most 254 bytes. Once the form is
/// read, it runs to its end even if the client goes away: an attempt the throttle counted is
/// always checked and audited.
pub async fn sign_in(State(state): State<AppState>, request: Request) -> FormResult {
    to_the_end(attempt_sign_in(state, request)).await
}

async fn attempt_sign_in(state: AppState, request: Request) -> FormResult {
    let (parts, form) = read_form_up_to(request, MAX_ANONYMOUS_FORM_BYTES).await?;
    let typed = form.get("email");
    let email = normalise_email(&typed).unwrap_or_else(|_| typed.trim().to_lowercase());
    let email = crate::content::capped(&email, crate::content::staff::EMAIL_MAX_BYTES).to_owned();
    let address = client_address(&parts);
    let now = now();
    match throttle::take_attempt(&state.db, &email, &address, now).await {
        Ok(throttle::Attempt::Allowed) => {}
        Ok(throttle::Attempt::Refused { until, first }) => {
            if first {
                let record = AuditRecord {
                    staff_id: None,
                    actor: &email,
                    action: AuditAction::SignInThrottled,
                    subject: "",
                    address: &address,
                };
                audit(&state, record).await;
            }
            let outcome = failed_sign_in(&typed, throttle::retry_message("sign-in", until, now));
            return Err(too_many_attempts(outcome, until - now));
        }
        Err(error) => return Err(AppError::internal("sign-in throttle", error).into()),
    }
    let attempt = SignInAttempt {
        state,
        parts,
        typed,
        email,
        address,
        password: form.get("password"),
        next: form.get("next"),
    };
    attempt.check().await
}

/// The sign-in form again with `message` and the email as typed (never the password).
fn failed_sign_in(typed: &str, message: String) -> FormOutcome {
    FormOutcome {
        message: Some(message),
        values: [("email".to_owned(), typed.to_owned())].into(),
        ..FormOutcome::default()
    }
}

/// A sign-in the throttle counted, to check and record.
struct SignInAttempt {
    state: AppState,
    parts: Parts,
    typed: String,
    email: String,
    address: String,
    password: String,
    next: String,
}

impl SignInAttempt {
    /// Checks the password and starts a half session, or records why not.
    async fn check(self) -> FormResult {
        let state = &self.state;
        let account = state
            .db
            .staff_with_hash(&self.email)
            .await
            .map_err(|error| AppError::internal("sign-in lookup", error))?;
        // An unknown email, or an account without a password yet (imported: its hash is "!"),
        // is checked against a decoy hash, so it takes as long as a wrong password.
        let (member, hash) = match account {
            Some((member, hash, generation)) if is_password_hash(&hash) => {
                (Some((member, generation)), Some(hash))
            }
            _ => (
                None,
                DECOY_HASH
                    .get_or_try_init(|| hash_password("decoy password, never valid".into()))
                    .await
                    .ok()
                    .cloned(),
            ),
        };
        let matches = match hash {
            Some(hash) => match verify_password(self.password.clone(), hash).await {
                Ok(matches) => matches,
                Err(refused) => {
                    self.record(None, AuditAction::SignInBusy).await;
                    return Err(AppError::busy(refused).into());
                }
            },
            None => false,
        };
        let member = member.filter(|(member, _)| matches && member.active);
        let Some((member, generation)) = member else {
            self.record(None, AuditAction::SignInFailed).await;
            let refused = failed_sign_in(&self.typed, SIGN_IN_FAILED.into());
            return Err(SamePage::new(refused, StatusCode::UNAUTHORIZED).into());
        };
        if let Err(error) = throttle::password_accepted(&state.db, &self.email, &self.address).await
        {
            tracing::warn!(%error, "could not give back a sign-in attempt");
        }
        forget_expired(state).await;
        let next = two_factor_step(&self.next);
        let who = Half(member.id, &member.email, generation);
        let action = AuditAction::PasswordAccepted;
        Ok(start_session(state, &self.parts, who, action, &next).await)
    }

    async fn record(&self, staff_id: Option<i64>, action: AuditAction) {
        let record = AuditRecord {
            staff_id,
            actor: &self.email,
            action,
            subject: "",
            address: &self.address,
        };
        audit(&self.state, record).await;
    }
}

/// Sessions and passkey ceremonies that ended by timing out are forgotten at the next sign-in
/// of anyone.
async fn forget_expired(state: &AppState) {
    let now = now();
    if let Err(error) = state
        .db
        .delete_expired_sessions(now - IDLE_TIMEOUT_SECS, now - ABSOLUTE_TIMEOUT_SECS)
        .await
    {
        tracing::warn!(%error, "could not remove expired sessions");
    }
    if let Err(error) = state.db.delete_expired_ceremonies(now).await {
        tracing::warn!(%error, "could not remove expired passkey ceremonies");
    }
}

/// The second-factor page, which goes on to `next` (if safe) once the factor is given.
pub fn two_factor_step(next: &str) -> String {
    let next = safe_next(next);
    if next == "/admin" {
        "/admin/two-factor".to_owned()
    } else {
        with_next("/admin/two-factor", next)
    }
}

/// Who a new session is for, and how far they have signed in.
pub enum NewSession<'a> {
    /// Password given, under the account's password generation (staff id, email, generation);
    /// the second factor is next.
    Half(i64, &'a str, i64),
    /// The request's own half session, whose second factor was just given, made whole (staff
    /// id, email).
    Completed(i64, &'a str),
    /// Both factors given before, and the password just changed to the generation given (staff
    /// id, email, generation).
    Renewed(i64, &'a str, i64),
}
pub use NewSession::{Completed, Half, Renewed};

/// Ends the request's old session (if any), starts a new one, records `action` and redirects to
/// `next` with the new cookie.
pub async fn start_session(
    state: &AppState,
    parts: &Parts,
    who: NewSession<'_>,
    action: AuditAction,
    next: &str,
) -> Response {
    match new_session(state, parts, who, action).await {
        Ok(cookie) => {
            let mut response = see_other(next);
            response.headers_mut().insert(header::SET_COOKIE, cookie);
            response
        }
        Err(refused) => refused.into_response(),
    }
}

/// Ends the request's old session (if any, half or whole), stores a new one (a fresh token,
/// never the one the browser came with) and records `action`; returns the `Set-Cookie` value.
/// The new session is stored only if the account's password is still the one it was checked
/// against and, for `Completed`, the half session it replaces still exists (one step in the
/// database); otherwise the answer is that the sign-in has ended (401).
pub async fn new_session(
    state: &AppState,
    parts: &Parts,
    who: NewSession<'_>,
    action: AuditAction,
) -> Result<HeaderValue, AppError> {
    let old = session_of(parts).map(|(old, _)| old.token_hash.clone());
    let token = new_token();
    let hash = token_hash(&token);
    let now = now();
    let (staff_id, email, stored) = match who {
        Completed(id, email) => {
            let half = old.as_deref().unwrap_or_default();
            let done = state.db.complete_session(half, &hash, id, now).await;
            (id, email, done)
        }
        Half(id, email, generation) | Renewed(id, email, generation) => {
            if let Some(old) = &old
                && let Err(error) = state.db.delete_session(old).await
            {
                tracing::warn!(%error, "could not end the previous session");
            }
            let second_factor_at = matches!(who, Renewed(..)).then_some(now);
            let done = state
                .db
                .create_session(&hash, id, now, second_factor_at, generation)
                .await;
            (id, email, done)
        }
    };
    match stored {
        Ok(true) => {}
        Ok(false) => {
            tracing::info!(staff_id, "a sign-in ended before its session was stored");
            return Err(AppError::SignInEnded);
        }
        Err(error) => return Err(AppError::internal("create session", error)),
    }
    let address = client_address(parts);
    let record = AuditRecord {
        staff_id: Some(staff_id),
        actor: email,
        action,
        subject: "",
        address: &address,
    };
    audit(state, record).await;
    Ok(state.session_cookie.set(&token, ABSOLUTE_TIMEOUT_SECS))
}

/// `POST /admin/logout`: deletes the session (whole or half) on the server and the cookie in the
/// browser.
pub async fn sign_out(State(state): State<AppState>, request: Request) -> Response {
    let parts = request.into_parts().0;
    if let Some((session, _)) = session_of(&parts) {
        if let Err(error) = state.db.delete_session(&session.token_hash).await {
            return AppError::internal("sign out", error).into_response();
        }
        super::record(&state, &parts, session, AuditAction::SignedOut, "").await;
    }
    let mut response = see_other("/admin/login?signed_out=1");
    response
        .headers_mut()
        .insert(header::SET_COOKIE, state.session_cookie.clear());
    response
}
