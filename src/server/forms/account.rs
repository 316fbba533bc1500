//! `/admin/account`: anyone signed in may change their own password. It needs the current one;
//! the change ends every session of the account, and this browser gets a fresh one.

use super::{accept, busy, hash_failed, internal, render_again, too_many_attempts};
use crate::admin::form::FormOutcome;
use crate::content::staff::Role;
use crate::server::auth::guard::client_address;
use crate::server::auth::password::{check_new_password, hash_password, verify_password};
use crate::server::auth::session::SignedIn;
use crate::server::auth::session::now;
use crate::server::auth::throttle;
use crate::server::state::AppState;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;

/// `POST /admin/account`.
pub async fn change_password(
    State(state): State<AppState>,
    me: SignedIn,
    request: Request,
) -> Response {
    let (parts, form) = match accept(&me, Role::Writer, request).await {
        Ok(accepted) => accepted,
        Err(refused) => return refused,
    };
    let mut outcome = FormOutcome::default();
    let current_hash = match state.db.staff_with_hash(&me.staff.email).await {
        Ok(Some((_, hash))) => hash,
        Ok(None) => return internal("change password", "signed-in account vanished"),
        Err(error) => return internal("change password", error),
    };
    // The current password is checked under the same throttle as signing in: a stolen session
    // must not become a way to guess the password.
    let address = client_address(&parts);
    let now = now();
    match throttle::take_attempt(&state.db, &me.staff.email, &address, now).await {
        Ok(throttle::Attempt::Allowed) => {}
        Ok(throttle::Attempt::Refused { until, first }) => {
            if first {
                super::record(
                    &state,
                    &parts,
                    &me,
                    "password change refused (too many attempts)",
                    "",
                )
                .await;
            }
            outcome.message = Some(throttle::retry_message("password", until, now));
            return too_many_attempts(&state, parts, outcome, until - now).await;
        }
        Err(error) => return internal("password throttle", error),
    }
    match verify_password(form.get("current"), current_hash).await {
        Ok(true) => {
            if let Err(error) = throttle::record_success(&state.db, &me.staff.email, &address).await
            {
                tracing::warn!(%error, "could not clear password attempts");
            }
        }
        Ok(false) => {
            super::record(
                &state,
                &parts,
                &me,
                "password change refused (wrong current password)",
                "",
            )
            .await;
            outcome.errors.insert(
                "current".into(),
                "That is not your current password.".into(),
            );
        }
        Err(refused) => return busy(refused),
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
        return render_again(&state, parts, outcome, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let hash = match hash_password(password).await {
        Ok(hash) => hash,
        Err(error) => return hash_failed("hash password", error),
    };
    if let Err(error) = state.db.set_staff_password(me.staff.id, &hash, None).await {
        return internal("change password", error);
    }
    // Every session of the account has ended, this one too; this browser gets a new one.
    super::session::start_session(
        &state,
        &parts,
        me.staff.id,
        &me.staff.email,
        "changed their password (all sessions ended; signed in again here)",
        "/admin/account?done=password",
    )
    .await
}
