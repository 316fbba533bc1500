//! What the second-factor page reads: who is signing in and, while they enrol, the secret to
//! scan. Only the session's own account, and only with a session (401 without).

use crate::error::AppError;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Where the session's sign-in stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInStep {
    pub name: String,
    pub email: String,
    /// The session is whole already: nothing to do here.
    pub signed_in: bool,
    /// While the account has no confirmed authenticator: what to set it up with.
    pub enrolment: Option<EnrolmentView>,
    /// The account has a passkey it may sign in with here.
    pub passkeys: bool,
}

/// The new authenticator secret, to scan or to type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnrolmentView {
    /// Base32 in groups of four.
    pub secret_text: String,
    /// The QR code's width in modules, and its dark modules as one SVG path.
    pub qr_width: i32,
    pub qr_path: String,
}

/// The session's second-factor step. For a half-signed-in account without an authenticator, this
/// makes (once per session) the secret that session may enrol with. Any session; none gets 401.
#[server(prefix = "/api", endpoint = "admin/two-factor")]
pub async fn second_factor_step() -> Result<SignInStep, AppError> {
    use crate::server::auth::second_factor::{session_enrolment, totp};
    let Some((session, whole)) = crate::server::auth::guard::any_session() else {
        return Err(AppError::Unauthorized);
    };
    let staff = session.staff;
    let mut step = SignInStep {
        name: staff.name.clone(),
        email: staff.email.clone(),
        signed_in: whole,
        enrolment: None,
        passkeys: false,
    };
    if whole {
        return Ok(step);
    }
    let state = crate::server::state::app_state()?;
    let key = state.secret_key.as_deref();
    let enrolling = session_enrolment(&state.db, key, staff.id, &session.token_hash)
        .await
        .map_err(|error| error.answer("second factor"))?;
    if let Some(secret) = enrolling {
        let uri = totp::otpauth_uri(&secret, &staff.email);
        let (qr_width, qr_path) = totp::qr_path(&uri).unwrap_or_default();
        step.enrolment = Some(EnrolmentView {
            secret_text: totp::secret_text(&secret),
            qr_width,
            qr_path,
        });
    } else if state.passkeys.is_some() {
        step.passkeys = !state.db.passkeys(staff.id).await?.is_empty();
    }
    Ok(step)
}

/// A passkey as its owner sees it listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasskeySummary {
    pub id: i64,
    pub name: String,
    pub added: DateTime<Utc>,
    pub last_used: Option<DateTime<Utc>>,
}

/// The signed-in account's own second factors, for its account page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountSecurity {
    pub recovery_codes_left: i64,
    pub passkeys: Vec<PasskeySummary>,
    /// Whether passkeys work at this site's address.
    pub passkeys_available: bool,
}

/// The signed-in account's recovery codes left and passkeys. Writers and up (every whole
/// session).
#[server(prefix = "/api", endpoint = "admin/my-second-factor")]
pub async fn my_second_factor() -> Result<AccountSecurity, AppError> {
    use crate::content::staff::Role;
    let me = crate::server::auth::guard::require_role(Role::Writer)?;
    let state = crate::server::state::app_state()?;
    let time = |at: i64| DateTime::from_timestamp(at, 0).unwrap_or_default();
    let passkeys = state
        .db
        .passkeys(me.staff.id)
        .await?
        .into_iter()
        .map(|passkey| PasskeySummary {
            id: passkey.id,
            name: passkey.name,
            added: time(passkey.created_at),
            last_used: passkey.last_used_at.map(time),
        })
        .collect();
    Ok(AccountSecurity {
        recovery_codes_left: state.db.recovery_codes_left(me.staff.id).await?,
        passkeys,
        passkeys_available: state.passkeys.is_some(),
    })
}

#[cfg(feature = "ssr")]
fn passkey_failed(error: crate::server::auth::second_factor::passkeys::PasskeyError) -> AppError {
    if error.is_theirs() {
        AppError::Invalid(error.to_string())
    } else {
        AppError::internal("passkey", error)
    }
}

/// Starts adding a passkey to the signed-in account: the options for the browser (JSON), or
/// `None` where passkeys do not work (a bare IP address). Writers and up.
#[server(prefix = "/api", endpoint = "admin/passkey-registration")]
pub async fn passkey_registration_options() -> Result<Option<String>, AppError> {
    use crate::content::staff::Role;
    use crate::server::auth::second_factor::passkeys::registration_options;
    let me = crate::server::auth::guard::require_role(Role::Writer)?;
    let state = crate::server::state::app_state()?;
    let Some(rp) = state.passkeys.as_deref() else {
        return Ok(None);
    };
    let now = crate::server::auth::session::now();
    registration_options(&state.db, rp, &me.token_hash, &me.staff, now)
        .await
        .map(Some)
        .map_err(passkey_failed)
}

/// Starts signing in with a passkey, for a half-signed-in session: the options for the browser
/// (JSON), or `None` when the account has no passkey (or the session is whole already). Any
/// session; none gets 401.
#[server(prefix = "/api", endpoint = "admin/passkey-sign-in")]
pub async fn passkey_sign_in_options() -> Result<Option<String>, AppError> {
    use crate::server::auth::second_factor::passkeys::sign_in_options;
    let Some((session, whole)) = crate::server::auth::guard::any_session() else {
        return Err(AppError::Unauthorized);
    };
    let state = crate::server::state::app_state()?;
    let (false, Some(rp)) = (whole, state.passkeys.as_deref()) else {
        return Ok(None);
    };
    let now = crate::server::auth::session::now();
    sign_in_options(&state.db, rp, &session.token_hash, session.staff.id, now)
        .await
        .map_err(passkey_failed)
}
