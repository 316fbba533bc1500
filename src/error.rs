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

/// Inside a server function: makes the HTTP answer carry `error`'s status, and returns it.
#[cfg(feature = "ssr")]
pub fn reject(error: AppError) -> AppError {
    crate::components::response::set_http_status(error.status());
    error
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Request(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        AppError::internal("database error", error)
    }
}
