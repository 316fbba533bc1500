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
pub mod held;
pub mod passkeys;
pub mod session;
pub mod setup;
pub mod staff;
pub mod two_factor;
pub mod welcome;

use super::auth::guard::client_address;
use super::auth::session::SignedIn;
use super::db::AuditRecord;
use super::state::AppState;
use crate::admin::form::FormOutcome;
use crate::app::shell;
use crate::content::staff::Role;
use crate::error::AppError;
use crate::server::db::AuditAction;
use axum::body::Body;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::prelude::provide_context;
use std::sync::Arc;

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
    async fn from_request(request: Request, state: &S) -> Result<Self, FormError> {
        let (mut parts, body) = request.into_parts();
        match SignedIn::from_request_parts(&mut parts, state).await {
            Ok(me) => Ok(StaffRequest {
                me,
                request: Request::from_parts(parts, body),
            }),
            Err(_) => {
                let (parts, fields) = read_form(Request::from_parts(parts, body)).await?;
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

/// The page the form was posted from, rendered again with `outcome` (a form's values, what to
/// fix, or what it made: a preview, recovery codes) under a status; or another page (`at`).
#[derive(Clone)]
pub struct SamePage {
    provide: Arc<dyn Fn() + Send + Sync>,
    status: StatusCode,
    headers: axum::http::HeaderMap,
    /// Where else, and as whom, to render it (rare: boxed).
    elsewhere: Option<Box<Elsewhere>>,
}

/// Adds to the rendered request's extensions (a session the answer itself starts).
type Extend = Arc<dyn Fn(&mut axum::http::Extensions) + Send + Sync>;

/// A page rendered other than at the request's own URL and session.
#[derive(Clone, Default)]
struct Elsewhere {
    /// The page to render instead of the request's own (path and query).
    at: Option<String>,
    extend: Option<Extend>,
}

impl SamePage {
    pub fn new<T>(outcome: T, status: StatusCode) -> SamePage
    where
        T: Clone + Send + Sync + 'static,
    {
        SamePage {
            provide: Arc::new(move || provide_context(outcome.clone())),
            status,
            headers: axum::http::HeaderMap::new(),
            elsewhere: None,
        }
    }

    /// The page again, under a status that says nothing went wrong (a preview).
    pub fn page<T>(outcome: T) -> FormResult
    where
        T: Clone + Send + Sync + 'static,
    {
        Ok(SamePage::new(outcome, StatusCode::OK).into_response())
    }

    /// The page with a header of its own (`Retry-After`, `Set-Cookie`).
    pub fn with_header(mut self, name: header::HeaderName, value: HeaderValue) -> SamePage {
        self.headers.insert(name, value);
        self
    }

    /// The page with a second value in its context (a held form beside the outcome).
    pub fn also<T>(&mut self, value: T)
    where
        T: Clone + Send + Sync + 'static,
    {
        let first = self.provide.clone();
        self.provide = Arc::new(move || {
            first();
            provide_context(value.clone());
        });
    }

    /// Renders the page at `path_and_query` instead of the request's URL.
    pub fn at(mut self, path_and_query: &str) -> SamePage {
        self.elsewhere.get_or_insert_default().at = Some(path_and_query.to_owned());
        self
    }

    /// Renders the page as if the request carried `value` (a session this answer starts).
    pub fn with_extension<T>(mut self, value: T) -> SamePage
    where
        T: Clone + Send + Sync + 'static,
    {
        self.elsewhere.get_or_insert_default().extend = Some(Arc::new(move |extensions| {
            extensions.insert(value.clone());
        }));
        self
    }
}

impl IntoResponse for SamePage {
    /// A placeholder carrying the outcome, which `render_forms_again` renders; its headers, and
    /// those set on the placeholder, are kept.
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.headers_mut().extend(self.headers.clone());
        response.extensions_mut().insert(self);
        response
    }
}

/// Middleware on the form routes: a handler's `SamePage` becomes the page at the request's URL,
/// rendered with the outcome in context, under its status and with the headers it set.
pub async fn render_forms_again(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let mut page_request = parts.clone();
    let mut placeholder = next.run(Request::from_parts(parts, body)).await;
    let Some(page) = placeholder.extensions_mut().remove::<SamePage>() else {
        return placeholder;
    };
    let site = state.site.clone();
    let app_state = state.clone();
    let options = state.leptos_options.clone();
    let provide = page.provide.clone();
    let handler = leptos_axum::render_app_async_with_context(
        move || {
            provide_context(site.clone());
            provide_context(app_state.clone());
            provide();
        },
        move || shell(options.clone()),
    );
    page_request.method = Method::GET;
    if let Some(elsewhere) = &page.elsewhere {
        if let Some(uri) = elsewhere.at.as_deref().and_then(|at| at.parse().ok()) {
            page_request.uri = uri;
        }
        if let Some(extend) = &elsewhere.extend {
            extend(&mut page_request.extensions);
        }
    }
    let mut response = handler(Request::from_parts(page_request, Body::empty())).await;
    *response.status_mut() = page.status;
    response.headers_mut().extend(placeholder.headers().clone());
    response
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
