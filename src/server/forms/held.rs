//! The server side of holding a staff form whose session ended (see `admin::held`). A staff form
//! sent without a whole session is answered with the sign-in page (401) holding it; the sign-in
//! and second-factor forms carry it on (`carry`, a layer on those two routes); the step that
//! makes the session whole answers "Send your changes" with it. Nothing is stored meanwhile: a
//! held form costs the server what the form itself did (read once, up to the editor's limit).

use super::{FormError, FormFields, MAX_FORM_BYTES, SamePage, read_form_up_to};
use crate::admin::form::FormOutcome;
use crate::admin::held::{HELD_FIELD, HeldForm, SendAgain};
use crate::area::{safe_admin_path, with_next};
use crate::server::auth::resolve::live_session;
use crate::server::auth::session::{HalfSignedIn, now, token_hash};
use crate::server::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// The largest sign-in or second-factor form that carries a held form: the largest staff form,
/// with room for the step's own fields (which the step itself still limits to its own size).
pub const MAX_CARRYING_BYTES: usize = MAX_FORM_BYTES + 64 * 1024;

/// The page that makes a session whole: its answer sends the held form on.
const SECOND_FACTOR_PATH: &str = "/admin/two-factor";

/// The staff forms' secret fields: a password (`current` and `confirm` are the account form's),
/// a code, a passkey's answer. They are never carried, never echoed into a page: typed again.
const SECRET_FIELDS: [&str; 6] = [
    "password",
    "current",
    "confirm",
    "code",
    "recovery_code",
    "credential",
];

fn is_secret(name: &str) -> bool {
    SECRET_FIELDS.contains(&name) || name.contains("password")
}

/// The form `fields`, sent to `action`, to hold (its secrets left out).
pub fn held_form<'a>(action: &str, fields: impl Iterator<Item = (&'a str, &'a str)>) -> HeldForm {
    let fields: Vec<(String, String)> = fields
        .filter(|(name, _)| !is_secret(name) && *name != HELD_FIELD)
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect();
    let encoded = serde_urlencoded::to_string(&fields).unwrap_or_default();
    HeldForm {
        action: safe_admin_path(action).to_owned(),
        fields,
        encoded,
    }
}

/// The answer to a staff form sent without a whole session: the sign-in page (401), which holds
/// the form and comes back to where it was going.
pub fn hold(parts: &Parts, fields: &FormFields) -> FormError {
    let action = parts
        .uri
        .path_and_query()
        .map_or("/admin", |path| path.as_str());
    let held = held_form(action, fields.fields());
    tracing::info!(action = %held.action, "a staff form arrived without a session: held");
    let mut page = SamePage::new(FormOutcome::default(), StatusCode::UNAUTHORIZED)
        .at(&with_next("/admin/login", &held.action));
    page.also(held);
    page.into()
}

/// Layer on the sign-in and second-factor forms: takes the held form out of the body (the step
/// reads only its own fields, within its own limit), and puts it back into the answer: into the
/// same page again when the step refuses, into the second-factor step when the password was
/// right, and into "Send your changes" when the session is whole.
pub async fn carry(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let (mut parts, form) = match read_form_up_to(request, MAX_CARRYING_BYTES).await {
        Ok(read) => read,
        Err(error) => return error.into_response(),
    };
    let own: Vec<(&str, &str)> = form.fields().filter(|(n, _)| *n != HELD_FIELD).collect();
    let body = serde_urlencoded::to_string(&own).unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    let answer = next.run(Request::from_parts(parts, Body::from(body))).await;
    let carried = form.get(HELD_FIELD);
    if carried.is_empty() {
        return answer;
    }
    let Ok(fields) = serde_urlencoded::from_str::<Vec<(String, String)>>(&carried) else {
        return answer;
    };
    let fields = fields.iter().map(|(n, v)| (n.as_str(), v.as_str()));
    let held = held_form(&form.get("next"), fields);
    carried_on(&state, &path, answer, held).await
}

/// `answer` with `held` carried on.
async fn carried_on(
    state: &AppState,
    path: &str,
    mut answer: Response,
    held: HeldForm,
) -> Response {
    if let Some(page) = answer.extensions_mut().get_mut::<SamePage>() {
        page.also(held);
        return answer;
    }
    let cookie = match answer.headers().get(header::SET_COOKIE) {
        Some(cookie) if answer.status() == StatusCode::SEE_OTHER => cookie.clone(),
        _ => return answer,
    };
    if path == SECOND_FACTOR_PATH {
        let page = SamePage::new(SendAgain(held), StatusCode::OK);
        return page.with_header(header::SET_COOKIE, cookie).into_response();
    }
    // The password was right: the second-factor step, in this answer, under the half session the
    // answer starts (its cookie is in the browser only once this answer arrives).
    let location = answer
        .headers()
        .get(header::LOCATION)
        .and_then(|location| location.to_str().ok())
        .unwrap_or(SECOND_FACTOR_PATH)
        .to_owned();
    let Some(token) = state.session_cookie.set_token(&cookie) else {
        return answer;
    };
    let Some((session, false)) = live_session(state, &token_hash(&token), now()).await else {
        return answer;
    };
    let mut page = SamePage::new(FormOutcome::default(), StatusCode::OK)
        .at(&location)
        .with_header(header::SET_COOKIE, cookie)
        .with_extension(HalfSignedIn(session));
    page.also(held);
    page.into_response()
}
