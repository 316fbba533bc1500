//! `/admin/account`'s passkey buttons: add one (the browser's answer to the challenge the page's
//! island asked for, and a name), or remove one. Each is audited.

use super::{FormResult, SamePage, StaffForm, problem, see_other};
use crate::admin::form::Done;
use crate::error::AppError;
use crate::server::auth::second_factor::passkeys::{self, NAME_MAX_CHARS};
use crate::server::auth::session::now;
use crate::server::db::AuditAction;
use crate::server::state::AppState;
use axum::http::StatusCode;

/// Adds the passkey the browser created, under the name typed.
pub async fn add(state: &AppState, sent: &StaffForm) -> FormResult {
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let name = sent.fields.get("name").trim().to_owned();
    let refuse = |message: &str| Err(SamePage::new(problem(message), unprocessable).into());
    if name.is_empty() || name.chars().count() > NAME_MAX_CHARS {
        return refuse(&format!(
            "Name the passkey (up to {NAME_MAX_CHARS} characters), e.g. \"Work laptop\"."
        ));
    }
    let answer = sent.fields.get("credential");
    if answer.trim().is_empty() {
        return refuse("Adding a passkey needs JavaScript: press \"Add a passkey\".");
    }
    let Some(rp) = state.passkeys.as_deref() else {
        return refuse("Passkeys do not work at this address.");
    };
    let me = &sent.me;
    match passkeys::finish_registration(
        &state.db,
        rp,
        &me.token_hash,
        me.staff.id,
        &name,
        &answer,
        now(),
    )
    .await
    {
        Ok(()) => {
            sent.record(state, AuditAction::AddedPasskey, &name).await;
            Ok(see_other(&Done::PasskeyAdded.on("/admin/account")))
        }
        Err(error) if error.is_theirs() => {
            tracing::info!(%error, "passkey not added");
            refuse(&error.to_string())
        }
        Err(error) => Err(AppError::internal("add passkey", error).into()),
    }
}

/// Removes one of the account's own passkeys.
pub async fn remove(state: &AppState, sent: &StaffForm) -> FormResult {
    let Some(id) = sent.fields.number("passkey_id") else {
        let choose = problem("Choose a passkey to remove.");
        return Err(SamePage::new(choose, StatusCode::UNPROCESSABLE_ENTITY).into());
    };
    match state.db.remove_passkey(sent.me.staff.id, id).await {
        Ok(Some(name)) => {
            sent.record(state, AuditAction::RemovedPasskey, &name).await;
            Ok(see_other(&Done::PasskeyRemoved.on("/admin/account")))
        }
        Ok(None) => {
            let missing = problem("That passkey is not one of yours, or was removed already.");
            Err(SamePage::new(missing, StatusCode::NOT_FOUND).into())
        }
        Err(error) => Err(AppError::internal("remove passkey", error).into()),
    }
}
