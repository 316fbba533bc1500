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
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| {
            (
                StatusCode::PAYLOAD_TOO_LARGE,
                "The form is too large to send (over 1 MB).",
            )
                .into_response()
        })?;
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
        .map_err(|_| (StatusCode::BAD_REQUEST, "The form could not be read.").into_response())?;
    Ok((parts, FormFields(fields)))
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
