//! `/admin/account`: anyone signed in may change their own password, make a new set of recovery
//! codes, and add or remove passkeys. A password change needs the current one; it ends every session of the
//! account, and this browser gets a fresh one.

use super::{
    FormError, FormResult, SamePage, StaffForm, StaffRequest, hash_failed, too_many_attempts,
};
use crate::admin::form::Done;
use crate::admin::form::FormOutcome;
use crate::content::staff::Role;
use crate::error::AppError;
use crate::server::auth::guard::client_address;
use crate::server::auth::password::{hash_password, verify_password};
use crate::server::auth::session::now;
use crate::server::auth::throttle;
use crate::server::db::AuditAction;
use crate::server::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;

/// `POST /admin/account`: every member of staff, for their own account only. Runs to its end
/// even if the client goes away: a check of the current password counts as a sign-in attempt,
/// and each is audited.
pub async fn submit(State(state): State<AppState>, request: StaffRequest) -> FormResult {
    super::to_the_end(change(state, request)).await
}

/// The account page's buttons (the form's `intent`).
enum Intent {
    /// The password form's, and what a form without an intent means (as before the intents).
    Password,
    RecoveryCodes,
    AddPasskey,
    RemovePasskey,
}

/// Reads the intent (a 400 for one the page does not have) and does that one thing.
async fn change(state: AppState, request: StaffRequest) -> FormResult {
    let sent = request.allow(Role::Writer).await?;
    let intent = match sent.fields.get("intent").as_str() {
        "password" | "" => Intent::Password,
        "recovery_codes" => Intent::RecoveryCodes,
        "add_passkey" => Intent::AddPasskey,
        "remove_passkey" => Intent::RemovePasskey,
        other => return Err(super::unknown_intent(other)),
    };
    match intent {
        Intent::Password => change_password(&state, &sent).await,
        Intent::RecoveryCodes => {
            super::two_factor::new_recovery_codes(&state, &sent.parts, &sent.me).await
        }
        Intent::AddPasskey => super::passkeys::add(&state, &sent).await,
        Intent::RemovePasskey => super::passkeys::remove(&state, &sent).await,
    }
}

/// A new password, given the current one (checked under the sign-in throttle); every session
/// of the account ends, and this browser gets a new one.
async fn change_password(state: &AppState, sent: &StaffForm) -> FormResult {
    let mut outcome = FormOutcome::default();
    if !current_password_given(state, sent, &mut outcome).await? {
        outcome.errors.insert(
            "current".into(),
            "That is not your current password.".into(),
        );
    }
    let (me, form) = (&sent.me, &sent.fields);
    let about = [me.staff.name.as_str(), me.staff.email.as_str()];
    super::setup::check_chosen_password(form, &about, &mut outcome);
    let password = form.get("password");
    if !outcome.errors.is_empty() {
        outcome.message = Some("Your password was not changed.".into());
        return Err(SamePage::new(outcome, StatusCode::UNPROCESSABLE_ENTITY).into());
    }
    let hash = hash_password(password)
        .await
        .map_err(|error| hash_failed("hash password", error))?;
    let generation = state
        .db
        .set_staff_password(me.staff.id, &hash, None)
        .await
        .map_err(|error| AppError::internal("change password", error))?;
    // Every session of the account has ended, this one too; this browser gets a new one.
    Ok(super::session::start_session(
        state,
        &sent.parts,
        super::session::Renewed(me.staff.id, &me.staff.email, generation),
        AuditAction::ChangedOwnPassword,
        &Done::Password.on("/admin/account"),
    )
    .await)
}

/// Whether the form's current password is the account's. It is checked under the same throttle
/// as signing in (a stolen session must not become a way to guess the password); every attempt
/// is audited.
async fn current_password_given(
    state: &AppState,
    sent: &StaffForm,
    outcome: &mut FormOutcome,
) -> Result<bool, FormError> {
    let me = &sent.me;
    let current_hash = match state.db.staff_with_hash(&me.staff.email).await {
        Ok(Some((_, hash, _))) => hash,
        Ok(None) => {
            return Err(AppError::internal("change password", "signed-in account vanished").into());
        }
        Err(error) => return Err(AppError::internal("change password", error).into()),
    };
    let address = client_address(&sent.parts);
    let now = now();
    match throttle::take_attempt(&state.db, &me.staff.email, &address, now).await {
        Ok(throttle::Attempt::Allowed) => {}
        Ok(throttle::Attempt::Refused { until, first }) => {
            if first {
                sent.record(state, AuditAction::PasswordChangeThrottled, "")
                    .await;
            }
            outcome.message = Some(throttle::retry_message("password", until, now));
            return Err(too_many_attempts(outcome.clone(), until - now));
        }
        Err(error) => return Err(AppError::internal("password throttle", error).into()),
    }
    match verify_password(sent.fields.get("current"), current_hash).await {
        Ok(true) => {
            if let Err(error) = throttle::record_success(&state.db, &me.staff.email, &address).await
            {
                tracing::warn!(%error, "could not clear password attempts");
            }
            Ok(true)
        }
        Ok(false) => {
            let wrong = AuditAction::PasswordChangeWrong;
            sent.record(state, wrong, "").await;
            Ok(false)
        }
        Err(refused) => {
            sent.record(state, AuditAction::PasswordChangeBusy, "")
                .await;
            Err(AppError::busy(refused).into())
        }
    }
}
