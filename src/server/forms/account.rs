//! `/admin/account`: anyone signed in may change their own password, make a new set of recovery
//! codes, and add or remove passkeys. A password change needs the current one; it ends every session of the
//! account, and this browser gets a fresh one.

use super::{Again, FormResult, StaffRequest, busy, hash_failed, internal, too_many_attempts};
use crate::admin::form::FormOutcome;
use crate::content::staff::Role;
use crate::server::auth::guard::client_address;
use crate::server::auth::password::{check_new_password, hash_password, verify_password};
use crate::server::auth::session::now;
use crate::server::auth::throttle;
use crate::server::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;

/// `POST /admin/account`: every member of staff, for their own account only. Runs to its end
/// even if the client goes away: a check of the current password counts as a sign-in attempt,
/// and each is audited.
pub async fn submit(State(state): State<AppState>, request: StaffRequest) -> FormResult {
    super::to_the_end(change(state, request)).await
}

async fn change(state: AppState, request: StaffRequest) -> FormResult {
    let sent = request.allow(Role::Writer).await?;
    match sent.fields.get("intent").as_str() {
        "recovery_codes" => {
            return super::two_factor::new_recovery_codes(&state, &sent.parts, &sent.me).await;
        }
        "add_passkey" => return super::passkeys::add(&state, &sent).await,
        "remove_passkey" => return super::passkeys::remove(&state, &sent).await,
        _ => {}
    }
    let (me, parts, form) = (&sent.me, &sent.parts, &sent.fields);
    let mut outcome = FormOutcome::default();
    let current_hash = match state.db.staff_with_hash(&me.staff.email).await {
        Ok(Some((_, hash, _))) => hash,
        Ok(None) => return Err(internal("change password", "signed-in account vanished").into()),
        Err(error) => return Err(internal("change password", error).into()),
    };
    // The current password is checked under the same throttle as signing in: a stolen session
    // must not become a way to guess the password.
    let address = client_address(parts);
    let now = now();
    match throttle::take_attempt(&state.db, &me.staff.email, &address, now).await {
        Ok(throttle::Attempt::Allowed) => {}
        Ok(throttle::Attempt::Refused { until, first }) => {
            if first {
                sent.record(&state, "password change refused (too many attempts)", "")
                    .await;
            }
            outcome.message = Some(throttle::retry_message("password", until, now));
            return Err(too_many_attempts(outcome, until - now));
        }
        Err(error) => return Err(internal("password throttle", error).into()),
    }
    match verify_password(form.get("current"), current_hash).await {
        Ok(true) => {
            if let Err(error) = throttle::record_success(&state.db, &me.staff.email, &address).await
            {
                tracing::warn!(%error, "could not clear password attempts");
            }
        }
        Ok(false) => {
            sent.record(
                &state,
                "password change refused (wrong current password)",
                "",
            )
            .await;
            outcome.errors.insert(
                "current".into(),
                "That is not your current password.".into(),
            );
        }
        Err(refused) => {
            sent.record(&state, "password change not checked (server busy)", "")
                .await;
            return Err(busy(refused).into());
        }
    }
    let password = form.get("password");
    if let Err(problem) = check_new_password(&password, &[&me.staff.name, &me.staff.email]) {
        outcome
            .errors
            .insert("password".into(), problem.to_string());
    } else if form.get("confirm") != password {
        outcome.errors.insert(
            "confirm".into(),
            "The two new passwords are different: type the same one twice.".into(),
        );
    }
    if !outcome.errors.is_empty() {
        outcome.message = Some("Your password was not changed.".into());
        return Err(Again::new(outcome, StatusCode::UNPROCESSABLE_ENTITY).into());
    }
    let hash = hash_password(password)
        .await
        .map_err(|error| hash_failed("hash password", error))?;
    let generation = state
        .db
        .set_staff_password(me.staff.id, &hash, None)
        .await
        .map_err(|error| internal("change password", error))?;
    // Every session of the account has ended, this one too; this browser gets a new one.
    Ok(super::session::start_session(
        &state,
        parts,
        super::session::Renewed(me.staff.id, &me.staff.email, generation),
        "changed their password (all sessions ended; signed in again here)",
        "/admin/account?done=password",
    )
    .await)
}
