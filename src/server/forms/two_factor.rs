//! `/admin/two-factor`: the second step of signing in. A half-signed-in session (its password
//! was right) confirms its new authenticator app with a code (enrolment, which gives ten recovery
//! codes), or gives a code or a recovery code; then it is replaced by a whole session. Each code
//! and each attempt counts towards the sign-in throttle before it is checked; a code works for
//! one step only once per account, a recovery code only once, and a passkey's answer to its
//! challenge only once.

use super::session::{Completed, new_session, safe_next};
use super::{Again, FormResult, audit, internal, read_form_up_to, see_other, too_many_attempts};
use crate::admin::form::FormOutcome;
use crate::admin::two_factor::RecoveryCodes;
use crate::server::auth::guard::{client_address, refusal, session_of};
use crate::server::auth::second_factor::{self, passkeys, recovery, totp};
use crate::server::auth::session::{SignedIn, now};
use crate::server::auth::throttle;
use crate::server::db::AuditRecord;
use crate::server::state::AppState;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;

/// The form is a code and a path, or a passkey's answer (about 1 KB): small.
const MAX_FORM_BYTES: usize = 32 * 1024;

/// What the person sent: a code from their app (to enrol, or to sign in) or a recovery code.
enum Intent {
    Enrol(String),
    Code(String),
    Recovery(String),
    /// The browser's answer to a passkey challenge (JSON).
    Passkey(String),
}

/// `POST /admin/two-factor`: a half-signed-in session only (a whole one has nothing to do here
/// and goes to the dashboard; none at all gets 401). Runs to its end even if the client goes
/// away, so every attempt the throttle counts is checked and audited.
pub async fn submit(State(state): State<AppState>, request: Request) -> FormResult {
    super::to_the_end(check(state, request)).await
}

async fn check(state: AppState, request: Request) -> FormResult {
    let (parts, form) = read_form_up_to(request, MAX_FORM_BYTES).await?;
    let me = match session_of(&parts) {
        Some((_, true)) => return Ok(see_other("/admin")),
        Some((half, false)) => half.clone(),
        None => {
            let ended = "Your sign-in has ended: please sign in again";
            return Err(refusal(StatusCode::UNAUTHORIZED, ended).into());
        }
    };
    let next = safe_next(&form.get("next")).to_owned();
    let again = |message: &str, field: &str, status: StatusCode| {
        let mut outcome = FormOutcome {
            message: Some(message.to_owned()),
            values: [("next".to_owned(), next.clone())].into(),
            ..FormOutcome::default()
        };
        outcome.errors.insert(field.to_owned(), message.to_owned());
        Again::new(outcome, status)
    };
    let typed = |name: &str| form.get(name);
    let intent = match form.get("intent").as_str() {
        "enrol" => Intent::Enrol(typed("code")),
        "code" => Intent::Code(typed("code")),
        "recovery" => Intent::Recovery(typed("recovery_code")),
        "passkey" => Intent::Passkey(typed("credential")),
        other => {
            let message = format!("`{other}` is not something this page does.");
            return Err(again(&message, "code", StatusCode::BAD_REQUEST).into());
        }
    };
    // What cannot be a code is refused before it costs an attempt.
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let (code, field) = match &intent {
        Intent::Enrol(code) | Intent::Code(code) => match totp::typed_code(code) {
            Some(code) => (code, "code"),
            None => {
                let message = "Enter the 6-digit code your authenticator app shows now.";
                return Err(again(message, "code", unprocessable).into());
            }
        },
        Intent::Passkey(answer) if answer.trim().is_empty() => {
            let message =
                "Using a passkey needs JavaScript: press \"Use a passkey\", or enter a code.";
            return Err(again(message, "code", unprocessable).into());
        }
        Intent::Passkey(answer) => (answer.clone(), "code"),
        Intent::Recovery(code) => match recovery::code_hash(code) {
            Some(hash) => (hash, "recovery_code"),
            None => {
                let message = "A recovery code is 24 letters and digits, in six groups of four.";
                return Err(again(message, "recovery_code", unprocessable).into());
            }
        },
    };
    let address = client_address(&parts);
    let now = now();
    let email = me.staff.email.as_str();
    let record = |action: &'static str| AuditRecord {
        staff_id: Some(me.staff.id),
        actor: email,
        action,
        subject: "",
        address: &address,
    };
    match throttle::take_attempt(&state.db, email, &address, now).await {
        Ok(throttle::Attempt::Allowed) => {}
        Ok(throttle::Attempt::Refused { until, first }) => {
            if first {
                audit(&state, record("second factor refused (too many attempts)")).await;
            }
            let mut outcome = FormOutcome::default();
            outcome.values.insert("next".into(), next.clone());
            outcome.message = Some(throttle::retry_message("sign-in", until, now));
            return Err(too_many_attempts(outcome, until - now));
        }
        Err(error) => return Err(internal("second-factor throttle", error).into()),
    }
    let key = state.secret_key.as_deref();
    let id = me.staff.id;
    let failed = |error: second_factor::SecondFactorError| internal("second factor", error);
    // `Ok(action)` when the factor was right, `Err(message)` when not.
    let checked: Result<&'static str, &'static str> = match intent {
        Intent::Enrol(_) => {
            let shown = second_factor::shown_enrolment(&state.db, key, id, &me.token_hash)
                .await
                .map_err(failed)?;
            match shown.and_then(|secret| totp::matching_step(&secret, &code, now)) {
                None => Err(
                    "That code is not right. Check that the app shows Plasticity and your email, and enter the code it shows now.",
                ),
                Some(step) => match state.db.confirm_totp(id, &me.token_hash, step, now).await {
                    Ok(true) => Ok("enrolled an authenticator app (second factor)"),
                    Ok(false) => Err(
                        "Your authenticator app is already set up: enter the next code it shows.",
                    ),
                    Err(error) => return Err(internal("confirm enrolment", error).into()),
                },
            }
        }
        Intent::Code(_) => {
            let secret = second_factor::confirmed_secret(&state.db, key, id)
                .await
                .map_err(failed)?;
            match secret.and_then(|secret| totp::matching_step(&secret, &code, now)) {
                None => {
                    Err("That code is not right. Enter the code your authenticator app shows now.")
                }
                Some(step) => match state.db.use_totp_step(id, step).await {
                    Ok(true) => Ok("signed in (authenticator app)"),
                    Ok(false) => Err(
                        "That code has been used already. Wait for your app to show a new one, then enter it.",
                    ),
                    Err(error) => return Err(internal("use code", error).into()),
                },
            }
        }
        Intent::Passkey(_) => match state.passkeys.as_deref() {
            None => Err("Passkeys do not work at this address: enter a code."),
            Some(rp) => {
                let token = &me.token_hash;
                match passkeys::finish_sign_in(&state.db, rp, token, id, &code, now).await {
                    Ok(_) => Ok("signed in (passkey)"),
                    Err(passkeys::PasskeyError::NoCeremony) => {
                        Err("The passkey step expired or was used already. Try again.")
                    }
                    Err(error) if error.is_theirs() => {
                        tracing::info!(%error, "passkey refused");
                        Err("That passkey was not accepted. Try again, or enter a code.")
                    }
                    Err(error) => return Err(internal("passkey sign-in", error).into()),
                }
            }
        },
        Intent::Recovery(_) => match state.db.use_recovery_code(id, &code, now).await {
            Ok(true) => Ok("signed in with a recovery code"),
            Ok(false) => Err("That recovery code is not right, or it has been used already."),
            Err(error) => return Err(internal("use recovery code", error).into()),
        },
    };
    let action = match checked {
        Ok(action) => action,
        Err(message) => {
            audit(&state, record("second factor refused (wrong or used code)")).await;
            return Err(again(message, field, unprocessable).into());
        }
    };
    if let Err(error) = throttle::record_success(&state.db, email, &address).await {
        tracing::warn!(%error, "could not clear sign-in failures");
    }
    let cookie = new_session(&state, &parts, Completed(id, email), action)
        .await
        .map_err(super::FormError::from)?;
    let mut response = if action.starts_with("enrolled") {
        // The codes are shown once, on this answer; only their hashes are kept.
        let codes = second_factor::new_recovery_codes(&state.db, id)
            .await
            .map_err(|error| internal("recovery codes", error))?;
        let shown = RecoveryCodes { codes, next };
        Again::new(shown, StatusCode::OK).into_response()
    } else {
        see_other(&next)
    };
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
}

/// `POST /admin/account` with `intent=recovery_codes`: a new set of recovery codes for the
/// signed-in account (the old set stops working), shown once.
pub async fn new_recovery_codes(state: &AppState, parts: &Parts, me: &SignedIn) -> FormResult {
    let codes = second_factor::new_recovery_codes(&state.db, me.staff.id)
        .await
        .map_err(|error| internal("recovery codes", error))?;
    super::record(
        state,
        parts,
        me,
        "made new recovery codes (the old ones no longer work)",
        "",
    )
    .await;
    let shown = RecoveryCodes {
        codes,
        next: "/admin/account".into(),
    };
    Ok(Again::new(shown, StatusCode::OK).into_response())
}
