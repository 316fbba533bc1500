//! The one-time setup link that creates the first admin, and the checks of a new account's
//! name, email and password (shared with the Staff page).

use super::session::{Half, MAX_ANONYMOUS_FORM_BYTES, start_session};
use super::{FormError, FormFields, FormResult, SamePage, hash_failed, not_found, read_form_up_to};
use crate::admin::form::FormOutcome;
use crate::content::staff::{Role, normalise_email};
use crate::error::AppError;
use crate::server::auth::password::{check_new_password, hash_password};
use crate::server::auth::session::{new_token, now, token_hash};
use crate::server::db::AuditAction;
use crate::server::db::{AddStaffError, NewStaff};
use crate::server::state::AppState;
use axum::extract::{Request, State};
use axum::http::StatusCode;

/// How long a setup link works.
pub const SETUP_LINK_SECS: i64 = 60 * 60;

/// On a start with no active admin: creates a setup link valid for an hour and returns its
/// path (the caller logs it for the operator).
pub async fn setup_link_if_needed(state: &AppState) -> Result<Option<String>, sqlx::Error> {
    if state.db.has_active_admin().await? {
        return Ok(None);
    }
    let token = new_token();
    state
        .db
        .create_setup_token(&token_hash(&token), now() + SETUP_LINK_SECS)
        .await?;
    Ok(Some(format!("/admin/setup?token={token}")))
}

/// `POST /admin/setup`: creates the first admin from a live setup link, which is then used up,
/// and signs them in.
pub async fn setup(State(state): State<AppState>, request: Request) -> FormResult {
    let (parts, form) = read_form_up_to(request, MAX_ANONYMOUS_FORM_BYTES).await?;
    let broken = |error| AppError::internal("setup link", error);
    let hash = token_hash(&form.get("token"));
    let valid = state
        .db
        .setup_token_valid(&hash, now())
        .await
        .map_err(broken)?;
    let admin_exists = state.db.has_active_admin().await.map_err(broken)?;
    if !valid || admin_exists {
        return Err(not_found().into());
    }
    let (outcome, email) = checked_first_admin(&form)?;
    let name = form.get("name").trim().to_owned();
    let password = form.get("password");
    let password_hash = hash_password(password)
        .await
        .map_err(|error| hash_failed("setup hash", error))?;
    if !state
        .db
        .use_setup_token(&hash, now())
        .await
        .map_err(broken)?
    {
        return Err(not_found().into());
    }
    let credentials = form.get("credentials").trim().to_owned();
    let new = NewStaff {
        email: &email,
        name: &name,
        role: Role::Admin,
        credentials: &credentials,
        password_hash: &password_hash,
    };
    match state.db.add_staff(&new).await {
        Ok(member) => Ok(start_session(
            &state,
            &parts,
            Half(member.id, &member.email, 0),
            AuditAction::CreatedFirstAdmin,
            "/admin/two-factor",
        )
        .await),
        Err(AddStaffError::EmailTaken(_)) => {
            let mut outcome = outcome;
            outcome.errors.insert(
                "email".into(),
                "There is already an account with this email.".into(),
            );
            Err(SamePage::new(outcome, StatusCode::UNPROCESSABLE_ENTITY).into())
        }
        Err(AddStaffError::Database(error)) => {
            Err(AppError::internal("setup add admin", error).into())
        }
    }
}

/// The setup form checked as a new account (and its password typed twice alike): the outcome
/// to show later (what was typed) and the normalised email, or the form again.
fn checked_first_admin(form: &FormFields) -> Result<(FormOutcome, String), FormError> {
    let mut outcome = check_new_account(form, &["name", "email", "credentials", "token"]);
    let email = match (
        outcome.errors.is_empty(),
        normalise_email(&form.get("email")),
    ) {
        (true, Ok(email)) => email,
        _ => return Err(SamePage::new(outcome, StatusCode::UNPROCESSABLE_ENTITY).into()),
    };
    if form.get("confirm") != form.get("password") {
        outcome.errors.insert(
            "confirm".into(),
            "The two passwords are different: type the same one twice.".into(),
        );
        return Err(SamePage::new(outcome, StatusCode::UNPROCESSABLE_ENTITY).into());
    }
    Ok((outcome, email))
}

/// A password the person chose, typed twice (`password`, `confirm`): its problem, if any, put on
/// its field of `outcome`. `about` is what it must not be made of (their name and email).
pub fn check_chosen_password(form: &FormFields, about: &[&str], outcome: &mut FormOutcome) {
    let password = form.get("password");
    if let Err(problem) = check_new_password(&password, about) {
        outcome
            .errors
            .insert("password".into(), problem.to_string());
    } else if form.get("confirm") != password {
        outcome.errors.insert(
            "confirm".into(),
            "The two passwords are different: type the same one twice.".into(),
        );
    }
}

/// Checks a new account's name, email and password (the password against the person's name and
/// email too). Returns the outcome to show: the typed values in `keep` and a message per
/// problem (no errors means all is well).
pub fn check_new_account(form: &FormFields, keep: &[&str]) -> FormOutcome {
    let mut outcome = check_new_person(form, keep);
    if let Err(problem) = check_new_password(
        &form.get("password"),
        &[&form.get("name"), &form.get("email")],
    ) {
        outcome
            .errors
            .insert("password".into(), problem.to_string());
        outcome.message = Some("The account was not created.".into());
    }
    outcome
}

/// `check_new_account` without a password: an account made by an admin, whose person chooses
/// their own password with an invitation link.
pub fn check_new_person(form: &FormFields, keep: &[&str]) -> FormOutcome {
    let mut outcome = FormOutcome {
        values: keep
            .iter()
            .map(|name| ((*name).to_owned(), form.get(name)))
            .collect(),
        ..FormOutcome::default()
    };
    let name = form.get("name");
    if name.trim().is_empty() {
        outcome
            .errors
            .insert("name".into(), "Enter the person's name.".into());
    }
    let email = form.get("email");
    if let Err(message) = normalise_email(&email) {
        outcome.errors.insert(
            "email".into(),
            format!("Enter an email address like name@clinic.org ({message})."),
        );
    }
    if !outcome.errors.is_empty() {
        outcome.message = Some("The account was not created.".into());
    }
    outcome
}
