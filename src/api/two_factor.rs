//! What the second-factor page reads: who is signing in and, while they enrol, the secret to
//! scan. Only the session's own account, and only with a session (401 without).

use crate::error::AppError;
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
/// makes (once) the secret it will enrol with. Any session; none gets 401.
#[server(prefix = "/api", endpoint = "admin/two-factor")]
pub async fn second_factor_step() -> Result<SignInStep, AppError> {
    use crate::server::auth::second_factor::{enrolment, totp};
    let Some((session, whole)) = crate::server::auth::guard::any_session() else {
        return Err(crate::error::reject(AppError::Unauthorized));
    };
    let staff = session.staff;
    let mut step = SignInStep {
        name: staff.name.clone(),
        email: staff.email.clone(),
        signed_in: whole,
        enrolment: None,
    };
    if whole {
        return Ok(step);
    }
    let state = use_context::<crate::server::state::AppState>()
        .ok_or_else(|| AppError::internal("second factor", "AppState missing"))?;
    let enrolled = enrolment(&state.db, state.secret_key.as_deref(), staff.id)
        .await
        .map_err(|error| crate::error::reject(AppError::internal("second factor", error)))?;
    if !enrolled.confirmed {
        let uri = totp::otpauth_uri(&enrolled.secret, &staff.email);
        let (qr_width, qr_path) = totp::qr_path(&uri).unwrap_or_default();
        step.enrolment = Some(EnrolmentView {
            secret_text: totp::secret_text(&enrolled.secret),
            qr_width,
            qr_path,
        });
    }
    Ok(step)
}

/// The signed-in account's own second factor, for its account page: how many recovery codes are
/// left. Writers and up (every whole session).
#[server(prefix = "/api", endpoint = "admin/my-second-factor")]
pub async fn my_second_factor() -> Result<i64, AppError> {
    use crate::content::staff::Role;
    let me = crate::server::auth::guard::require_role(Role::Writer)?;
    Ok(crate::server::state::db()?
        .recovery_codes_left(me.staff.id)
        .await?)
}
