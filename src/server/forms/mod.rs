//! The admin forms' handlers. Each form posts to its own page's URL; its handler checks the
//! session and role first, then acts. On success it redirects (303) to the page to see next; on
//! failure it renders the same page again, through the same Leptos components, with what was
//! typed and what to fix, under the status that says what happened (401, 403, 409, 422, 429).
//! So every form works without JavaScript and nothing typed is lost.

pub mod account;
pub mod articles;
pub mod session;
pub mod staff;

use super::auth::guard::client_address;
use super::auth::session::SignedIn;
use super::db::AuditRecord;
use super::state::AppState;
use crate::app::shell;
use crate::content::staff::Role;
use crate::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;

/// The largest form body accepted: a 200 KB article with room for its references.
const MAX_FORM_BYTES: usize = 1024 * 1024;

/// A submitted form's fields, in order (a name may repeat).
pub struct FormFields(Vec<(String, String)>);

impl FormFields {
    /// The first value sent under `name`, or "".
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    }

    pub fn fields(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The value under `name` as a number, if it is one.
    pub fn number(&self, name: &str) -> Option<i64> {
        self.get(name).trim().parse().ok()
    }
}

/// Splits a form submission into its request parts and its fields.
pub async fn read_form(request: Request) -> Result<(Parts, FormFields), Response> {
    read_form_up_to(request, MAX_FORM_BYTES).await
}

/// `read_form` for a form that anyone may send, and that is small (sign-in, setup): refused
/// (413) over `max` bytes, before the body is read when its length is declared.
pub async fn read_form_up_to(
    request: Request,
    max: usize,
) -> Result<(Parts, FormFields), Response> {
    let too_large = || {
        let kb = max / 1024;
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("The form is too large to send (over {kb} KB)."),
        )
            .into_response()
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|length| length.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|length| length > max) {
        return Err(too_large());
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, max)
        .await
        .map_err(|_| too_large())?;
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
        .map_err(|_| (StatusCode::BAD_REQUEST, "The form could not be read.").into_response())?;
    Ok((parts, FormFields(fields)))
}

/// 503 with `Retry-After`: bounded work (`server::bounded`) had no place in time.
pub fn busy(busy: crate::server::bounded::Busy) -> Response {
    tracing::warn!(%busy, "refused as busy");
    let mut response = super::auth::guard::refusal(
        StatusCode::SERVICE_UNAVAILABLE,
        "The server is busy. Please try again in a few seconds.",
    );
    response.headers_mut().insert(
        header::RETRY_AFTER,
        HeaderValue::from(crate::server::bounded::RETRY_AFTER_SECS),
    );
    response
}

/// 429 for a throttled password check: `outcome` rendered on its page, and `Retry-After`.
pub async fn too_many_attempts(
    state: &AppState,
    parts: Parts,
    outcome: crate::admin::form::FormOutcome,
    retry_after: i64,
) -> Response {
    let mut response = render_again(state, parts, outcome, StatusCode::TOO_MANY_REQUESTS).await;
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after.max(1)));
    response
}

/// The answer when a password could not be hashed: busy (503), or a failure on our side.
pub fn hash_failed(context: &str, error: crate::server::auth::password::PasswordError) -> Response {
    match error {
        crate::server::auth::password::PasswordError::Busy(refused) => busy(refused),
        error => internal(context, error),
    }
}

/// How every staff form handler opens: refuse (403) a role below `role`, then read the form.
/// (No session was already refused, 401, by extracting `SignedIn`.)
pub async fn accept(
    me: &SignedIn,
    role: Role,
    request: Request,
) -> Result<(Parts, FormFields), Response> {
    if let Some(refused) = me.refuse_below(role) {
        return Err(refused);
    }
    read_form(request).await
}

/// Appends what `me` did to the audit log, with the request's address.
pub async fn record(state: &AppState, parts: &Parts, me: &SignedIn, action: &str, subject: &str) {
    let address = client_address(parts);
    let entry = AuditRecord {
        staff_id: Some(me.staff.id),
        actor: &me.staff.email,
        action,
        subject,
        address: &address,
    };
    audit(state, entry).await;
}

/// 303 to `location`: the browser then GETs the page to see next.
pub fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// Renders the page at the request's URL again, with `outcome` (the form's values and
/// problems) in context for its components, under `status`.
pub async fn render_again<T>(
    state: &AppState,
    parts: Parts,
    outcome: T,
    status: StatusCode,
) -> Response
where
    T: Clone + Send + Sync + 'static,
{
    let site = state.site.clone();
    let app_state = state.clone();
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(site.clone());
            provide_context(app_state.clone());
            provide_context(outcome.clone());
        },
        move || shell(options.clone()),
    );
    let mut parts = parts;
    parts.method = Method::GET;
    let mut response = handler(Request::from_parts(parts, Body::empty())).await;
    *response.status_mut() = status;
    response
}

/// A failure on our side while handling a form: logged with detail, answered without it.
pub fn internal(context: &str, detail: impl std::fmt::Display) -> Response {
    let error = AppError::internal(context, detail);
    super::auth::guard::refusal(StatusCode::INTERNAL_SERVER_ERROR, &error.to_string())
}

/// Appends to the audit log; a failure to do so is logged (the action itself has happened).
pub async fn audit(state: &AppState, record: AuditRecord<'_>) {
    if let Err(error) = state.db.audit(&record).await {
        tracing::error!(%error, action = record.action, "could not write the audit log");
    }
}
