//! The admin forms' handlers. Each form posts to its own page's URL; its handler checks the
//! session and role first (`StaffRequest::allow`), then acts, with `?` on every refusal. On
//! success it redirects (303) to the page to see next, or shows the same page with what it made
//! (a preview, recovery codes). When the sender has something to fix it answers
//! `FormError::Page`: the same page rendered again, through the same Leptos components, with what
//! was typed and what to fix, under the status that says what happened (400, 409, 422, 429). One
//! layer (`render_forms_again`) turns that into the page. Anything else (no session, a role too
//! low, a busy server, a failure of ours) is `FormError::Failed` with the application's one error
//! type, `AppError`, whose status and sentence are decided there. So every form works without
//! JavaScript and nothing typed is lost.

pub mod account;
pub mod articles;
mod entries;
pub mod glossary;
pub mod held;
pub mod passkeys;
mod same_page;
pub mod session;
pub mod setup;
pub mod staff;
pub mod synonyms;
pub mod topics;
pub mod two_factor;
pub mod welcome;

use super::auth::guard::client_address;
use super::auth::session::SignedIn;
use super::db::AuditRecord;
use super::state::AppState;
use crate::admin::form::FormOutcome;
use crate::content::staff::Role;
use crate::error::AppError;
use crate::server::db::AuditAction;
use axum::extract::{FromRequest, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub use same_page::{SamePage, render_forms_again};

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
    /// Every value sent under `name` (a group of checkboxes), in order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .collect()
    }

    pub fn number(&self, name: &str) -> Option<i64> {
        self.get(name).trim().parse().ok()
    }
}

/// Splits a form submission into its request parts and its fields.
pub async fn read_form(request: Request) -> Result<(Parts, FormFields), AppError> {
    read_form_up_to(request, MAX_FORM_BYTES).await
}

/// `read_form` for a form that anyone may send, and that is small (sign-in, setup): refused
/// (413) over `max` bytes, before the body is read when its length is declared; 400 when the
/// body is not a form.
///
/// Why not axum's `Form` with `DefaultBodyLimit`: the body is read by axum's own `to_bytes` with
/// the same limit, and the fields parsed by `serde_urlencoded` as `Form` does; what `Form` adds
/// is its rejections (`Failed to deserialize form body: …`, plain text). These forms answer in
/// the site's words instead, a limit is set per form (16 KB for sign-in and setup, 32 KB for the second factor, 1 MB for the editor)
/// rather than per route layer, and a handler keeps the request's parts (its session) beside the
/// fields. Nothing here re-implements buffering or parsing.
pub async fn read_form_up_to(
    request: Request,
    max: usize,
) -> Result<(Parts, FormFields), AppError> {
    let too_large = || {
        let kb = max / 1024;
        AppError::TooLarge(format!("The form is too large to send (over {kb} KB)."))
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
        .map_err(|_| AppError::BadRequest("The form could not be read.".to_owned()))?;
    Ok((parts, FormFields(fields)))
}

/// What a form says of a button (`intent`) it does not have.
pub fn unknown_intent_message(intent: &str) -> String {
    format!("`{intent}` is not something this page does.")
}

/// The page again (400) saying that `intent` is not one of its buttons.
pub fn unknown_intent(intent: &str) -> FormError {
    let message = unknown_intent_message(intent);
    SamePage::new(problem(&message), StatusCode::BAD_REQUEST).into()
}

/// 429 for a throttled password check: `outcome` rendered on its page, and `Retry-After`.
pub fn too_many_attempts(outcome: FormOutcome, retry_after: i64) -> FormError {
    let page = SamePage::new(outcome, StatusCode::TOO_MANY_REQUESTS);
    page.with_header(header::RETRY_AFTER, HeaderValue::from(retry_after.max(1)))
        .into()
}

/// The error when a password could not be hashed: busy (503), or a failure on our side.
pub fn hash_failed(context: &str, error: crate::server::auth::password::PasswordError) -> AppError {
    match error {
        crate::server::auth::password::PasswordError::Busy(refused) => AppError::busy(refused),
        error => AppError::internal(context, error),
    }
}

/// A staff form's request as its handler receives it: who sent it (extracting it answers a
/// request without a whole session with the sign-in page holding the form, 401) and the body,
/// not yet read.
pub struct StaffRequest {
    me: SignedIn,
    request: Request,
}

impl<S: Send + Sync> FromRequest<S> for StaffRequest {
    type Rejection = FormError;

    /// Without a whole session, the form is read and held: the answer is the sign-in page
    /// (401) carrying it (`held::hold`), so nothing typed is lost.
    async fn from_request(request: Request, _state: &S) -> Result<Self, FormError> {
        match request.extensions().get::<SignedIn>().cloned() {
            Some(me) => Ok(StaffRequest { me, request }),
            None => {
                let (parts, fields) = read_form(request).await?;
                Err(held::hold(&parts, &fields))
            }
        }
    }
}

impl StaffRequest {
    /// Refuses (403) a sender below `role`, and only then reads the form.
    pub async fn allow(self, role: Role) -> Result<StaffForm, FormError> {
        if let Some(refused) = self.me.refuse_below(role) {
            return Err(refused.into());
        }
        let (parts, fields) = read_form(self.request).await?;
        Ok(StaffForm {
            me: self.me,
            parts,
            fields,
        })
    }
}

/// A staff form, read, from a sender whose role was checked.
pub struct StaffForm {
    pub me: SignedIn,
    pub parts: Parts,
    pub fields: FormFields,
}

impl StaffForm {
    /// Refuses (403) a sender below `role`: for a step that needs more than the form does.
    pub fn require(&self, role: Role) -> Result<(), FormError> {
        match self.me.refuse_below(role) {
            Some(refused) => Err(refused.into()),
            None => Ok(()),
        }
    }

    /// Appends what the sender did to the audit log, with the request's address.
    pub async fn record(&self, state: &AppState, action: AuditAction, subject: &str) {
        record(state, &self.parts, &self.me, action, subject).await;
    }
}

/// The form's page again with only a message (the outcome most forms give on a refusal).
pub fn problem(message: &str) -> FormOutcome {
    FormOutcome {
        message: Some(message.to_owned()),
        ..FormOutcome::default()
    }
}

/// The page again under 404: what the form names does not exist (or no longer does).
pub fn not_found() -> SamePage {
    SamePage::new(FormOutcome::default(), StatusCode::NOT_FOUND)
}

/// What a form handler answers.
pub type FormResult = Result<Response, FormError>;

/// Why a form handler stopped short.
pub enum FormError {
    /// The form's page again, with what was typed and what to fix.
    /// (Boxed: a page carries its headers and what to render, and most results are `Ok`.)
    Page(Box<SamePage>),
    /// Refused or failed (no session, a role too low, a busy server, a failure of ours): the
    /// error's own status and sentence (`AppError`'s `IntoResponse`).
    Failed(AppError),
}

impl From<AppError> for FormError {
    fn from(error: AppError) -> FormError {
        FormError::Failed(error)
    }
}

impl From<SamePage> for FormError {
    fn from(page: SamePage) -> FormError {
        FormError::Page(Box::new(page))
    }
}

impl IntoResponse for FormError {
    fn into_response(self) -> Response {
        match self {
            FormError::Page(page) => (*page).into_response(),
            FormError::Failed(error) => error.into_response(),
        }
    }
}

/// Appends what `me` did to the audit log, with the request's address.
pub async fn record(
    state: &AppState,
    parts: &Parts,
    me: &SignedIn,
    action: AuditAction,
    subject: &str,
) {
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

/// Runs `work` as a task of its own and waits for it. If the client goes away meanwhile (which
/// drops the request), the work still runs to its end: an attempt the sign-in throttle counted
/// is still checked and written to the audit log. For handlers that count attempts.
pub async fn to_the_end<F>(work: F) -> FormResult
where
    F: std::future::Future<Output = FormResult> + Send + 'static,
{
    tokio::spawn(work)
        .await
        .unwrap_or_else(|error| Err(AppError::internal("form", error).into()))
}

/// Appends to the audit log; a failure to do so is logged (the action itself has happened).
pub async fn audit(state: &AppState, record: AuditRecord<'_>) {
    if let Err(error) = state.db.audit(&record).await {
        tracing::error!(%error, action = %record.action, "could not write the audit log");
    }
}
