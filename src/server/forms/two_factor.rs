//! `/admin/two-factor`: the second step of signing in. A half-signed-in session (its password
//! was right) confirms its new authenticator app with a code (enrolment, which gives ten recovery
//! codes), or gives a code or a recovery code; then it is replaced by a whole session. Each code
//! and each attempt counts towards the sign-in throttle before it is checked; a code works for
//! one step only once per account, a recovery code only once, and a passkey's answer to its
//! challenge only once.

use super::session::{Completed, new_session, safe_next};
use super::{
    FormError, FormFields, FormResult, SamePage, audit, read_form_up_to, see_other,
    too_many_attempts,
};
use crate::admin::form::FormOutcome;
use crate::admin::two_factor::RecoveryCodes;
use crate::error::AppError;
use crate::server::auth::guard::{client_address, session_of};
use crate::server::auth::second_factor::{self, passkeys, recovery, totp};
use crate::server::auth::session::{SignedIn, now};
use crate::server::auth::throttle;
use crate::server::db::AuditAction;
use crate::server::db::AuditRecord;
use crate::server::state::AppState;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;

/// The form is a code and a path, or a passkey's answer (about 1 KB): small.
const MAX_FORM_BYTES: usize = 32 * 1024;

/// What the person sent, read and checked for form: a code from their app (to enrol, or to sign
/// in), a recovery code (as its hash), or a passkey's answer to its challenge (JSON).
enum Factor {
    Enrol(String),
    Code(String),
    Recovery(String),
    Passkey(String),
}

/// Which factor was accepted: what the audit log says, and what the answer shows.
#[derive(Clone, Copy)]
enum Accepted {
    Enrolled,
    Code,
    Passkey,
    RecoveryCode,
}

impl Accepted {
    fn action(self) -> AuditAction {
        match self {
            Accepted::Enrolled => AuditAction::EnrolledAuthenticatorApp,
            Accepted::Code => AuditAction::SignedInWithApp,
            Accepted::Passkey => AuditAction::SignedInWithPasskey,
            Accepted::RecoveryCode => AuditAction::SignedInWithRecoveryCode,
        }
    }
}

/// What checking a factor found: accepted, or refused with what to tell the person (a wrong or
/// used factor, never a failure of ours: those are `FormError`s).
type Verdict = Result<Accepted, &'static str>;

/// The half session's form: who, where to go next, and the refusals it answers with.
struct Step {
    state: AppState,
    parts: Parts,
    me: SignedIn,
    next: String,
}

/// `POST /admin/two-factor`: a half-signed-in session only (a whole one has nothing to do here
/// and goes to the dashboard; none at all gets 401). Runs to its end even if the client goes
/// away, so every attempt the throttle counts is checked and audited.
pub async fn submit(State(state): State<AppState>, request: Request) -> FormResult {
    super::to_the_end(check(state, request)).await
}

/// Reads the factor (what cannot be one is refused before it costs an attempt), takes an
/// attempt from the sign-in throttle, checks the factor, and makes the session whole.
async fn check(state: AppState, request: Request) -> FormResult {
    let (parts, form) = read_form_up_to(request, MAX_FORM_BYTES).await?;
    let me = match session_of(&parts) {
        Some((_, true)) => return Ok(see_other("/admin")),
        Some((half, false)) => half.clone(),
        None => {
            return Err(AppError::SignInEnded.into());
        }
    };
    let next = safe_next(&form.get("next")).to_owned();
    let step = Step {
        state,
        parts,
        me,
        next,
    };
    let factor = step.factor(&form)?;
    step.take_attempt().await?;
    let now = now();
    let verdict = match &factor {
        Factor::Enrol(code) => step.verify_enrolment(code, now).await?,
        Factor::Code(code) => step.verify_code(code, now).await?,
        Factor::Passkey(answer) => step.verify_passkey(answer, now).await?,
        Factor::Recovery(hash) => step.verify_recovery_code(hash, now).await?,
    };
    match verdict {
        Ok(accepted) => step.whole(accepted).await,
        Err(message) => {
            step.record(AuditAction::SecondFactorWrong).await;
            let field = match factor {
                Factor::Recovery(_) => "recovery_code",
                _ => "code",
            };
            Err(step.again(message, field, StatusCode::UNPROCESSABLE_ENTITY))
        }
    }
}

impl Step {
    /// The form again with `message` on `field`, and where to go next kept.
    fn again(&self, message: &str, field: &str, status: StatusCode) -> FormError {
        let mut outcome = FormOutcome {
            message: Some(message.to_owned()),
            values: [("next".to_owned(), self.next.clone())].into(),
            ..FormOutcome::default()
        };
        outcome.errors.insert(field.to_owned(), message.to_owned());
        SamePage::new(outcome, status).into()
    }

    /// The factor the form sends: 400 for an intent this page does not have, 422 for what
    /// cannot be a code.
    fn factor(&self, form: &FormFields) -> Result<Factor, FormError> {
        let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
        match form.get("intent").as_str() {
            intent @ ("enrol" | "code") => match totp::typed_code(&form.get("code")) {
                Some(code) if intent == "enrol" => Ok(Factor::Enrol(code)),
                Some(code) => Ok(Factor::Code(code)),
                None => {
                    let message = "Enter the 6-digit code your authenticator app shows now.";
                    Err(self.again(message, "code", unprocessable))
                }
            },
            "recovery" => match recovery::code_hash(&form.get("recovery_code")) {
                Some(hash) => Ok(Factor::Recovery(hash)),
                None => {
                    let message =
                        "A recovery code is 24 letters and digits, in six groups of four.";
                    Err(self.again(message, "recovery_code", unprocessable))
                }
            },
            "passkey" => match form.get("credential") {
                answer if answer.trim().is_empty() => {
                    let message = "Using a passkey needs JavaScript: press \"Use a passkey\", or enter a code.";
                    Err(self.again(message, "code", unprocessable))
                }
                answer => Ok(Factor::Passkey(answer)),
            },
            other => {
                let message = super::unknown_intent_message(other);
                Err(self.again(&message, "code", StatusCode::BAD_REQUEST))
            }
        }
    }

    /// One attempt from the sign-in throttle, or 429 (the first refusal of a lock audited).
    async fn take_attempt(&self) -> Result<(), FormError> {
        let (email, address, now) = (&self.me.staff.email, client_address(&self.parts), now());
        match throttle::take_attempt(&self.state.db, email, &address, now).await {
            Ok(throttle::Attempt::Allowed) => Ok(()),
            Ok(throttle::Attempt::Refused { until, first }) => {
                if first {
                    self.record(AuditAction::SecondFactorThrottled).await;
                }
                let mut outcome = FormOutcome::default();
                outcome.values.insert("next".into(), self.next.clone());
                outcome.message = Some(throttle::retry_message("sign-in", until, now));
                Err(too_many_attempts(outcome, until - now))
            }
            Err(error) => Err(AppError::internal("second-factor throttle", error).into()),
        }
    }

    /// A code of the secret this session was shown, confirming its enrolment (once per
    /// account).
    async fn verify_enrolment(&self, code: &str, now: i64) -> Result<Verdict, FormError> {
        let (db, id, token) = (&self.state.db, self.me.staff.id, &self.me.token_hash);
        let shown = second_factor::shown_enrolment(db, self.state.secret_key.as_deref(), id, token)
            .await
            .map_err(|error| error.answer("second factor"))?;
        let Some(step) = shown.and_then(|secret| totp::matching_step(&secret, code, now)) else {
            return Ok(Err(
                "That code is not right. Check that the app shows Plasticity and your email, and enter the code it shows now.",
            ));
        };
        match db.confirm_totp(id, token, step, now).await {
            Ok(true) => Ok(Ok(Accepted::Enrolled)),
            Ok(false) => Ok(Err(
                "Your authenticator app is already set up: enter the next code it shows.",
            )),
            Err(error) => Err(AppError::internal("confirm enrolment", error).into()),
        }
    }

    /// A code of the account's confirmed app, for a step not used before.
    async fn verify_code(&self, code: &str, now: i64) -> Result<Verdict, FormError> {
        let (db, id) = (&self.state.db, self.me.staff.id);
        let secret = second_factor::confirmed_secret(db, self.state.secret_key.as_deref(), id)
            .await
            .map_err(|error| error.answer("second factor"))?;
        let Some(step) = secret.and_then(|secret| totp::matching_step(&secret, code, now)) else {
            return Ok(Err(
                "That code is not right. Enter the code your authenticator app shows now.",
            ));
        };
        match db.use_totp_step(id, step).await {
            Ok(true) => Ok(Ok(Accepted::Code)),
            Ok(false) => Ok(Err(
                "That code has been used already. Wait for your app to show a new one, then enter it.",
            )),
            Err(error) => Err(AppError::internal("use code", error).into()),
        }
    }

    /// The browser's answer to this session's passkey challenge (taken once).
    async fn verify_passkey(&self, answer: &str, now: i64) -> Result<Verdict, FormError> {
        let Some(rp) = self.state.passkeys.as_deref() else {
            return Ok(Err("Passkeys do not work at this address: enter a code."));
        };
        let (db, id, token) = (&self.state.db, self.me.staff.id, &self.me.token_hash);
        match passkeys::finish_sign_in(db, rp, token, id, answer, now).await {
            Ok(_) => Ok(Ok(Accepted::Passkey)),
            Err(passkeys::PasskeyError::NoCeremony) => Ok(Err(
                "The passkey step expired or was used already. Try again.",
            )),
            Err(error) if error.is_theirs() => {
                tracing::info!(%error, "passkey refused");
                Ok(Err(
                    "That passkey was not accepted. Try again, or enter a code.",
                ))
            }
            Err(error) => Err(AppError::internal("passkey sign-in", error).into()),
        }
    }

    /// One of the account's recovery codes (by its hash), not used before.
    async fn verify_recovery_code(&self, hash: &str, now: i64) -> Result<Verdict, FormError> {
        match self
            .state
            .db
            .use_recovery_code(self.me.staff.id, hash, now)
            .await
        {
            Ok(true) => Ok(Ok(Accepted::RecoveryCode)),
            Ok(false) => Ok(Err(
                "That recovery code is not right, or it has been used already.",
            )),
            Err(error) => Err(AppError::internal("use recovery code", error).into()),
        }
    }

    /// The factor was right: the throttle's count cleared, the session made whole; an
    /// enrolment's answer shows its ten recovery codes, once.
    async fn whole(&self, accepted: Accepted) -> FormResult {
        let (state, id, email) = (&self.state, self.me.staff.id, &self.me.staff.email);
        let address = client_address(&self.parts);
        if let Err(error) = throttle::record_success(&state.db, email, &address).await {
            tracing::warn!(%error, "could not clear sign-in failures");
        }
        let who = Completed(id, email);
        let cookie = new_session(state, &self.parts, who, accepted.action())
            .await
            .map_err(FormError::from)?;
        let mut response = match accepted {
            Accepted::Enrolled => {
                // The codes are shown once, on this answer; only their hashes are kept.
                let codes = second_factor::new_recovery_codes(&state.db, id)
                    .await
                    .map_err(|error| AppError::internal("recovery codes", error))?;
                let shown = RecoveryCodes::new(codes, &self.next);
                SamePage::new(shown, StatusCode::OK).into_response()
            }
            _ => see_other(&self.next),
        };
        response.headers_mut().insert(header::SET_COOKIE, cookie);
        Ok(response)
    }

    async fn record(&self, action: AuditAction) {
        let record = AuditRecord {
            staff_id: Some(self.me.staff.id),
            actor: &self.me.staff.email,
            action,
            subject: "",
            address: &client_address(&self.parts),
        };
        audit(&self.state, record).await;
    }
}

/// `POST /admin/account` with `intent=recovery_codes`: a new set of recovery codes for the
/// signed-in account (the old set stops working), shown once.
pub async fn new_recovery_codes(state: &AppState, parts: &Parts, me: &SignedIn) -> FormResult {
    let codes = second_factor::new_recovery_codes(&state.db, me.staff.id)
        .await
        .map_err(|error| AppError::internal("recovery codes", error))?;
    super::record(state, parts, me, AuditAction::MadeRecoveryCodes, "").await;
    let shown = RecoveryCodes::new(codes, "/admin/account");
    Ok(SamePage::new(shown, StatusCode::OK).into_response())
}
