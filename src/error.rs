//! The one error type of the application. Each variant carries the sentence a user sees and maps
//! to an HTTP status; the detail of internal failures goes to the log, never to the user.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("We could not find that page.")]
    NotFound,
    #[error("Something went wrong on our side. Please try again in a moment.")]
    Internal,
    /// No session (or it has ended).
    #[error("Please sign in first.")]
    Unauthorized,
    /// Signed in, but the role does not allow this.
    #[error("Your account is not allowed to do that.")]
    Forbidden,
    /// The input broke a rule; the sentence names the field and what to do.
    #[error("{0}")]
    Invalid(String),
    /// Bounded work (password checks, editor renders) had no place in time; try again shortly.
    #[error("The server is busy. Please try again in a few seconds.")]
    Busy,
    /// A server function's arguments could not be read (malformed, missing, of the wrong type);
    /// the sentence is `BAD_REQUEST` (it travels in the answer, for any HTTP client to read).
    #[error("{0}")]
    BadRequest(String),
    /// A server function's request body is over `API_MAX_BYTES`; the sentence is `TOO_LARGE`.
    #[error("{0}")]
    TooLarge(String),
    /// The request itself could not be read or sent (bad arguments, network failure).
    #[error("The request could not be completed: {0}")]
    Request(String),
}

impl AppError {
    /// The HTTP status this error answers with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Internal => 500,
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::Invalid(_) => 422,
            AppError::Busy => 503,
            AppError::BadRequest(_) => 400,
            AppError::TooLarge(_) => 413,
            AppError::Request(_) => 400,
        }
    }

    /// Logs `detail` (with the place it came from) and returns the detail-free `Internal`.
    #[cfg(feature = "ssr")]
    pub fn internal(context: &str, detail: impl std::fmt::Display) -> Self {
        tracing::error!(%detail, "{context}");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// `Busy`, with the refusal logged.
    pub fn busy(busy: crate::server::bounded::Busy) -> Self {
        tracing::warn!(%busy, "refused as busy");
        AppError::Busy
    }
}

#[cfg(feature = "ssr")]
const BAD_REQUEST: &str = "The request could not be read: its arguments are missing or malformed.";

impl AppError {
    /// A request body over `API_MAX_BYTES`.
    pub fn too_large() -> Self {
        AppError::TooLarge("The request is too large (over 2 MB).".to_owned())
    }
}

/// The largest server-function request body read (axum's default limit); a larger declared
/// length is refused before the body is read.
pub const API_MAX_BYTES: usize = 2 * 1024 * 1024;

/// Inside a server function: makes the HTTP answer carry `error`'s status, and returns it.
#[cfg(feature = "ssr")]
pub fn reject(error: AppError) -> AppError {
    crate::components::response::set_http_status(error.status());
    error
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// On the server, this is a request whose arguments could not be read (the function never
    /// ran): 400, or 413 for a body over the limit, with a plain sentence (serde's text goes to
    /// the log). In the browser, the call itself failed.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        {
            let error = match &value {
                ServerFnErrorErr::Deserialization(text) if text.contains("length limit") => {
                    AppError::too_large()
                }
                ServerFnErrorErr::Args(_)
                | ServerFnErrorErr::MissingArg(_)
                | ServerFnErrorErr::Deserialization(_) => {
                    AppError::BadRequest(BAD_REQUEST.to_owned())
                }
                _ => return AppError::internal("server function", value),
            };
            tracing::info!(%value, "server function arguments refused");
            reject(error)
        }
        #[cfg(not(feature = "ssr"))]
        AppError::Request(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        AppError::internal("database error", error)
    }
}
