//! `/admin/staff` (admins only): add an account, change a role, deactivate, reset a password,
//! reset a second factor; one function per button. An admin cannot demote or deactivate themselves (so the clinic is
//! never left without one).

use super::setup::check_new_person;
use super::{FormError, FormResult, SamePage, StaffForm, StaffRequest, problem, see_other};
use crate::admin::form::{CONFIRMED_FIELD, ConfirmStep, Done};
use crate::admin::staff::StaffLinkShown;
use crate::content::staff::{LinkKind, Role, STAFF_LINK_SECS, StaffMember, normalise_email};
use crate::error::AppError;
use crate::server::auth::session::{new_token, now, token_hash};
use crate::server::db::AuditAction;
use crate::server::db::{AddStaffError, NewStaff};
use crate::server::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;

/// The staff page's buttons (the form's `intent`).
enum Intent {
    Add,
    Role,
    Deactivate,
    Reset,
    ResetSecondFactor,
}

/// `POST /admin/staff`: admins only.
pub async fn submit(State(state): State<AppState>, request: StaffRequest) -> FormResult {
    let sent = request.allow(Role::Admin).await?;
    let intent = match sent.fields.get("intent").as_str() {
        "add" => Intent::Add,
        "role" => Intent::Role,
        "deactivate" => Intent::Deactivate,
        "reset" => Intent::Reset,
        "reset_two_factor" => Intent::ResetSecondFactor,
        other => return Err(super::unknown_intent(other)),
    };
    match intent {
        Intent::Add => add(&state, &sent).await,
        Intent::Role => change_role(&state, &sent).await,
        Intent::Deactivate => deactivate(&state, &sent).await,
        Intent::Reset => reset_password(&state, &sent).await,
        Intent::ResetSecondFactor => reset_second_factor(&state, &sent).await,
    }
}

/// Whether the admin confirmed this step on `target`; if not, the Staff page asking `question`
/// (with what happens, and the button that confirms), nothing done.
fn confirmed(
    sent: &StaffForm,
    target: &StaffMember,
    question: String,
    consequence: String,
    confirm: String,
) -> Result<(), FormError> {
    if sent.fields.get(CONFIRMED_FIELD) == "yes" {
        return Ok(());
    }
    let step = ConfirmStep {
        question,
        consequence,
        action: "/admin/staff".into(),
        fields: vec![
            ("intent".into(), sent.fields.get("intent")),
            ("staff_id".into(), target.id.to_string()),
        ],
        confirm,
        cancel: "/admin/staff".into(),
    };
    Err(SamePage::new(step, StatusCode::OK).into())
}

/// The account the form names (`staff_id`).
async fn chosen_account(state: &AppState, sent: &StaffForm) -> Result<StaffMember, FormError> {
    let Some(id) = sent.fields.number("staff_id") else {
        let choose = problem("Choose an account.");
        return Err(SamePage::new(choose, StatusCode::UNPROCESSABLE_ENTITY).into());
    };
    match state.db.staff_by_id(id).await {
        Ok(Some(member)) => Ok(member),
        Ok(None) => {
            let missing = problem("That account does not exist.");
            Err(SamePage::new(missing, StatusCode::NOT_FOUND).into())
        }
        Err(error) => Err(AppError::internal("load staff", error).into()),
    }
}

/// A new account with a role and no password yet: the answer is its invitation link, shown once.
async fn add(state: &AppState, sent: &StaffForm) -> FormResult {
    let form = &sent.fields;
    let mut outcome = check_new_person(form, &["name", "email", "credentials", "role"]);
    let role = form.get("role").parse::<Role>();
    if let Err(message) = &role {
        outcome.errors.insert("role".into(), message.clone());
    }
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let (Ok(role), Ok(email), true) = (
        role,
        normalise_email(&form.get("email")),
        outcome.errors.is_empty(),
    ) else {
        return Err(SamePage::new(outcome, unprocessable).into());
    };
    let name = form.get("name").trim().to_owned();
    let credentials = form.get("credentials").trim().to_owned();
    let new = NewStaff {
        email: &email,
        name: &name,
        role,
        credentials: &credentials,
        // No password until they choose one with the link (none signs in with "!").
        password_hash: "!",
    };
    match state.db.add_staff(&new).await {
        Ok(member) => {
            sent.record(state, AuditAction::AddedAccount(role), &member.email)
                .await;
            link_for(state, sent, &member, LinkKind::Invite).await
        }
        Err(AddStaffError::EmailTaken(_)) => {
            outcome.message = Some("The account was not created.".into());
            outcome.errors.insert(
                "email".into(),
                "There is already an account with this email.".into(),
            );
            Err(SamePage::new(outcome, unprocessable).into())
        }
        Err(AddStaffError::Database(error)) => Err(AppError::internal("add staff", error).into()),
    }
}

async fn change_role(state: &AppState, sent: &StaffForm) -> FormResult {
    let target = chosen_account(state, sent).await?;
    let Ok(role) = sent.fields.get("role").parse::<Role>() else {
        let choose = problem("Choose admin, reviewer or writer.");
        return Err(SamePage::new(choose, StatusCode::UNPROCESSABLE_ENTITY).into());
    };
    if target.id == sent.me.staff.id && role < Role::Admin {
        let own = problem("You cannot take away your own admin role: ask another admin.");
        return Err(SamePage::new(own, StatusCode::FORBIDDEN).into());
    }
    state
        .db
        .set_staff_role(target.id, role)
        .await
        .map_err(|error| AppError::internal("set role", error))?;
    let action = AuditAction::ChangedRole {
        from: target.role,
        to: role,
    };
    sent.record(state, action, &target.email).await;
    Ok(see_other(&Done::Role.on("/admin/staff")))
}

async fn deactivate(state: &AppState, sent: &StaffForm) -> FormResult {
    let target = chosen_account(state, sent).await?;
    if target.id == sent.me.staff.id {
        let own = problem("You cannot deactivate your own account: ask another admin.");
        return Err(SamePage::new(own, StatusCode::FORBIDDEN).into());
    }
    let name = &target.name;
    confirmed(
        sent,
        &target,
        format!("Deactivate {name}?"),
        format!(
            "{name} is signed out at once and can no longer sign in. Their articles and history stay. \
             Only the command line (plasticity user) can make the account active again."
        ),
        format!("Yes, deactivate {name}"),
    )?;
    state
        .db
        .set_staff_active(target.id, false)
        .await
        .map_err(|error| AppError::internal("deactivate", error))?;
    sent.record(state, AuditAction::DeactivatedAccount, &target.email)
        .await;
    Ok(see_other(&Done::Deactivated.on("/admin/staff")))
}

/// A password reset link for the account, shown once: its person sets a new password with it
/// (which ends their sessions then). An admin never types or knows anyone's password.
async fn reset_password(state: &AppState, sent: &StaffForm) -> FormResult {
    let target = chosen_account(state, sent).await?;
    link_for(state, sent, &target, LinkKind::Reset).await
}

/// Makes a `kind` link for `member` (their unused links stop working), audits it, and answers
/// the Staff page showing it, once.
async fn link_for(
    state: &AppState,
    sent: &StaffForm,
    member: &StaffMember,
    kind: LinkKind,
) -> FormResult {
    let token = new_token();
    let (made, expires) = (now(), now() + STAFF_LINK_SECS);
    let me = sent.me.staff.id;
    state
        .db
        .create_staff_link(&token_hash(&token), member.id, kind, me, (made, expires))
        .await
        .map_err(|error| AppError::internal("staff link", error))?;
    sent.record(state, AuditAction::MadeStaffLink(kind), &member.email)
        .await;
    let shown = StaffLinkShown {
        name: member.name.clone(),
        kind,
        link: format!(
            "{}/admin/welcome?token={token}",
            state.site.public_origin.trim_end_matches('/')
        ),
        expires_at: chrono::DateTime::from_timestamp(expires, 0).unwrap_or_default(),
    };
    SamePage::page(shown)
}

/// Removes another person's second factor and recovery codes (a lost phone) and ends their
/// sessions: they enrol again at their next sign-in, which still needs their password. Not one's
/// own: that would sign the admin out half-way, and another admin should see it happen.
async fn reset_second_factor(state: &AppState, sent: &StaffForm) -> FormResult {
    let target = chosen_account(state, sent).await?;
    if target.id == sent.me.staff.id {
        let own = problem("You cannot reset your own second factor: ask another admin.");
        return Err(SamePage::new(own, StatusCode::FORBIDDEN).into());
    }
    let name = &target.name;
    confirmed(
        sent,
        &target,
        format!("Reset {name}\u{2019}s second factor?"),
        format!(
            "Their authenticator app, passkeys and recovery codes stop working, and they are signed out \
             at once. At their next sign-in, with their password, they set up a second factor again. Do \
             this only once you are sure it is {name} asking (a lost phone)."
        ),
        format!("Yes, reset {name}\u{2019}s second factor"),
    )?;
    state
        .db
        .reset_second_factor(target.id)
        .await
        .map_err(|error| AppError::internal("reset second factor", error))?;
    sent.record(state, AuditAction::ResetSecondFactor, &target.email)
        .await;
    Ok(see_other(&Done::TwoFactorReset.on("/admin/staff")))
}
