//! `/admin/staff` (admins only): add an account, change a role, deactivate, reset a password.
//! An admin cannot demote or deactivate themselves (so the clinic is never left without one).

use super::session::check_new_account;
use super::{accept, hash_failed, internal, record, render_again, see_other};
use crate::admin::form::FormOutcome;
use crate::content::staff::{Role, StaffMember, normalise_email};
use crate::server::auth::password::{check_new_password, hash_password};
use crate::server::auth::session::SignedIn;
use crate::server::db::{AddStaffError, NewStaff};
use crate::server::state::AppState;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::Response;

fn problem(message: &str) -> FormOutcome {
    FormOutcome {
        message: Some(message.to_owned()),
        ..FormOutcome::default()
    }
}

/// `POST /admin/staff`.
pub async fn submit(State(state): State<AppState>, me: SignedIn, request: Request) -> Response {
    let (parts, form) = match accept(&me, Role::Admin, request).await {
        Ok(accepted) => accepted,
        Err(refused) => return refused,
    };
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    if form.get("intent") == "add" {
        let mut outcome = check_new_account(&form, &["name", "email", "credentials", "role"]);
        let role = form.get("role").parse::<Role>();
        if let Err(message) = &role {
            outcome.errors.insert("role".into(), message.clone());
        }
        let (Ok(role), Ok(email), true) = (
            role,
            normalise_email(&form.get("email")),
            outcome.errors.is_empty(),
        ) else {
            return render_again(&state, parts, outcome, unprocessable).await;
        };
        let password_hash = match hash_password(form.get("password")).await {
            Ok(hash) => hash,
            Err(error) => return hash_failed("hash password", error),
        };
        let name = form.get("name").trim().to_owned();
        let credentials = form.get("credentials").trim().to_owned();
        let new = NewStaff {
            email: &email,
            name: &name,
            role,
            credentials: &credentials,
            password_hash: &password_hash,
        };
        return match state.db.add_staff(&new).await {
            Ok(member) => {
                record(
                    &state,
                    &parts,
                    &me,
                    &format!("added a {role} account"),
                    &member.email,
                )
                .await;
                see_other("/admin/staff?done=added")
            }
            Err(AddStaffError::EmailTaken(_)) => {
                outcome.message = Some("The account was not created.".into());
                outcome.errors.insert(
                    "email".into(),
                    "There is already an account with this email.".into(),
                );
                render_again(&state, parts, outcome, unprocessable).await
            }
            Err(AddStaffError::Database(error)) => internal("add staff", error),
        };
    }
    let target: StaffMember = match form.number("staff_id") {
        Some(id) => match state.db.staff_by_id(id).await {
            Ok(Some(member)) => member,
            Ok(None) => {
                return render_again(
                    &state,
                    parts,
                    problem("That account does not exist."),
                    StatusCode::NOT_FOUND,
                )
                .await;
            }
            Err(error) => return internal("load staff", error),
        },
        None => {
            return render_again(&state, parts, problem("Choose an account."), unprocessable).await;
        }
    };
    let is_me = target.id == me.staff.id;
    match form.get("intent").as_str() {
        "role" => {
            let Ok(role) = form.get("role").parse::<Role>() else {
                return render_again(
                    &state,
                    parts,
                    problem("Choose admin, reviewer or writer."),
                    unprocessable,
                )
                .await;
            };
            if is_me && role < Role::Admin {
                return render_again(
                    &state,
                    parts,
                    problem("You cannot take away your own admin role: ask another admin."),
                    StatusCode::FORBIDDEN,
                )
                .await;
            }
            if let Err(error) = state.db.set_staff_role(target.id, role).await {
                return internal("set role", error);
            }
            record(
                &state,
                &parts,
                &me,
                &format!("changed role from {} to {role}", target.role),
                &target.email,
            )
            .await;
            see_other("/admin/staff?done=role")
        }
        "deactivate" => {
            if is_me {
                return render_again(
                    &state,
                    parts,
                    problem("You cannot deactivate your own account: ask another admin."),
                    StatusCode::FORBIDDEN,
                )
                .await;
            }
            if let Err(error) = state.db.set_staff_active(target.id, false).await {
                return internal("deactivate", error);
            }
            record(&state, &parts, &me, "deactivated an account", &target.email).await;
            see_other("/admin/staff?done=deactivated")
        }
        "reset" => {
            let password = form.get("password");
            if let Err(problem_text) = check_new_password(&password, &[&target.name, &target.email])
            {
                let message = format!(
                    "The password for {} was not changed: {problem_text}",
                    target.name
                );
                return render_again(&state, parts, problem(&message), unprocessable).await;
            }
            let hash = match hash_password(password).await {
                Ok(hash) => hash,
                Err(error) => return hash_failed("hash password", error),
            };
            let keep = is_me.then_some(me.token_hash.as_str());
            if let Err(error) = state.db.set_staff_password(target.id, &hash, keep).await {
                return internal("reset password", error);
            }
            record(&state, &parts, &me, "reset a password", &target.email).await;
            see_other("/admin/staff?done=reset")
        }
        other => {
            render_again(
                &state,
                parts,
                problem(&format!("`{other}` is not something this page does.")),
                StatusCode::BAD_REQUEST,
            )
            .await
        }
    }
}
