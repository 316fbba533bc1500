//! `POST /admin/welcome`: a person sets their own password with the invitation or password
//! reset link an admin made for them (`admin::welcome`), and goes on to their second factor.

use super::session::{Half, MAX_ANONYMOUS_FORM_BYTES, start_session};
use super::{FormResult, SamePage, hash_failed, not_found, problem, read_form_up_to};
use crate::admin::form::FormOutcome;
use crate::error::AppError;
use crate::server::auth::guard::session_of;
use crate::server::auth::password::hash_password;
use crate::server::auth::session::{now, token_hash};
use crate::server::db::AuditAction;
use crate::server::state::AppState;
use axum::extract::{Request, State};
use axum::http::StatusCode;

/// Checks the link (404 when it does not work, 409 on a browser signed in to any account), then
/// the password (422 with what to fix); then uses the link and sets the password in one step
/// (so it works once however many send it at once), which ends the account's sessions, and
/// starts a half session: the second factor is next. A stranger without a live link costs one
/// lookup; a password is hashed only for a live link.
pub async fn set_password(State(state): State<AppState>, request: Request) -> FormResult {
    let (parts, form) = read_form_up_to(request, MAX_ANONYMOUS_FORM_BYTES).await?;
    let token = form.get("token");
    let hash = token_hash(&token);
    let lookup = |error| AppError::internal("staff link", error);
    let Some((member, kind)) = state.db.staff_link(&hash, now()).await.map_err(lookup)? else {
        return Err(not_found().into());
    };
    if let Some((someone, _)) = session_of(&parts) {
        let message = format!(
            "This browser is signed in as {}. Sign out, then open the link again: it is for {}.",
            someone.staff.name, member.name
        );
        let mut outcome = problem(&message);
        outcome.values.insert("token".into(), token);
        return Err(SamePage::new(outcome, StatusCode::CONFLICT).into());
    }
    let password = form.get("password");
    let mut outcome = FormOutcome::default();
    outcome.values.insert("token".into(), token);
    let about = [member.name.as_str(), member.email.as_str()];
    super::setup::check_chosen_password(&form, &about, &mut outcome);
    if !outcome.errors.is_empty() {
        outcome.message = Some("Your password was not set.".into());
        return Err(SamePage::new(outcome, StatusCode::UNPROCESSABLE_ENTITY).into());
    }
    let password_hash = hash_password(password)
        .await
        .map_err(|error| hash_failed("link password", error))?;
    let used = state
        .db
        .use_staff_link(&hash, &password_hash, now())
        .await
        .map_err(lookup)?;
    let Some((id, generation)) = used else {
        return Err(not_found().into());
    };
    let who = Half(id, &member.email, generation);
    let action = AuditAction::SetPasswordWithLink(kind);
    Ok(start_session(&state, &parts, who, action, "/admin/two-factor").await)
}
