//! The one error type of the application. Each variant carries the sentence a user sees and maps
//! to an HTTP status in one place (`status`); the detail of internal failures goes to the log,
//! never to the user. It reaches the user at two boundaries, each converting it in one place: a
//! server function's error is encoded as JSON under its status (`FromServerFnError::ser`), and a
//! form handler's is a plain page under its status (`IntoResponse`, server only).

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
    /// A sign-in ended while it was under way (its password changed, or the half session it was
    /// completing is gone).
    #[error(
        "Your sign-in has ended, because the password changed or the sign-in expired: please sign in again."
    )]
    SignInEnded,
    /// Signed in, but the role does not allow this.
    #[error("Your account is not allowed to do that.")]
    Forbidden,
    /// The input broke a rule; the sentence names the field and what to do.
    #[error("{0}")]
    Invalid(String),
    /// The server is missing a setting it needs for this (the second factor's key): the
    /// operator must set it. Nobody's input was wrong.
    #[error(
        "Signing in is not set up on this server yet: PLASTICITY_SECRET_KEY is not set, so second factors cannot be made or checked. Whoever runs this server must set it (64 hex digits, e.g. from `openssl rand -hex 32`) and restart it; `make run` sets one up by itself. Nothing you typed was wrong."
    )]
    NotConfigured,
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
            AppError::Unauthorized | AppError::SignInEnded => 401,
            AppError::Forbidden => 403,
            AppError::Invalid(_) => 422,
            AppError::Busy | AppError::NotConfigured => 503,
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
    /// A server function's request body over `API_MAX_BYTES`.
    pub fn too_large() -> Self {
        let megabytes = API_MAX_BYTES / (1024 * 1024);
        AppError::TooLarge(format!("The request is too large (over {megabytes} MB)."))
    }
}

/// The largest server-function request body read (axum's default limit); a larger declared
/// length is refused before the body is read.
pub const API_MAX_BYTES: usize = 2 * 1024 * 1024;

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// On the server, this is a request whose arguments could not be read (the function never
    /// ran): 400 with a plain sentence (serde's text goes to the log). A body over the limit never
    /// gets here: the router refuses it first (`server::router`, by the body's own error type).
    /// In the browser, the call itself failed.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        #[cfg(feature = "ssr")]
        {
            match &value {
                ServerFnErrorErr::Args(_)
                | ServerFnErrorErr::MissingArg(_)
                | ServerFnErrorErr::Deserialization(_) => {
                    tracing::info!(%value, "server function arguments refused");
                    AppError::BadRequest(BAD_REQUEST.to_owned())
                }
                _ => AppError::internal("server function", value),
            }
        }
        #[cfg(not(feature = "ssr"))]
        AppError::Request(value.to_string())
    }

    /// Every error a server function answers passes here on its way out: the one place its
    /// status (and, when busy, `Retry-After`) is set on the answer.
    fn ser(&self) -> leptos::server_fn::Bytes {
        #[cfg(feature = "ssr")]
        self.mark_answer();
        <Self::Encoder as leptos::server_fn::Encodes<Self>>::encode(self)
            .unwrap_or_else(|_| leptos::server_fn::Bytes::from_static(b"\"Internal\""))
    }
}

#[cfg(feature = "ssr")]
mod answers {
    use super::AppError;
    use axum::http::{HeaderValue, StatusCode, header};
    use axum::response::{Html, IntoResponse, Response};
    use leptos::prelude::*;

    impl AppError {
        /// Sets this error's status (and `Retry-After` when busy) on the server function's answer.
        pub(super) fn mark_answer(&self) {
            let Some(answer) = use_context::<leptos_axum::ResponseOptions>() else {
                return;
            };
            answer.set_status(self.http_status());
            if let Some(seconds) = self.retry_after() {
                answer.insert_header(header::RETRY_AFTER, seconds);
            }
        }

        fn http_status(&self) -> StatusCode {
            StatusCode::from_u16(self.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
        }

        fn retry_after(&self) -> Option<HeaderValue> {
            (*self == AppError::Busy)
                .then(|| HeaderValue::from(crate::server::bounded::RETRY_AFTER_SECS))
        }

        /// `body` under this error's status, with `Retry-After` when busy.
        fn answer_with(&self, body: impl IntoResponse) -> Response {
            let mut answer = (self.http_status(), body).into_response();
            if let Some(seconds) = self.retry_after() {
                answer.headers_mut().insert(header::RETRY_AFTER, seconds);
            }
            answer
        }

        /// This error as a server function answers it (JSON under its status), for a refusal
        /// made before any server function runs (the router's body limit).
        pub fn into_api_response(self) -> Response {
            let body = serde_json::to_string(&self).unwrap_or_default();
            self.answer_with(([(header::CONTENT_TYPE, "application/json")], body))
        }
    }

    /// A form handler's refusal or failure: a plain page with the sentence, under its status.
    /// Going Back in the browser keeps what was typed.
    impl IntoResponse for AppError {
        fn into_response(self) -> Response {
            let message = self.to_string();
            let page = view! {
                <html lang="en">
                    <head>
                        <meta charset="utf-8"/>
                        <meta name="viewport" content="width=device-width, initial-scale=1"/>
                        <title>"Not done: Plasticity"</title>
                    </head>
                    <body>
                        <main>
                            <h1>{message}</h1>
                            <p>
                                "Nothing was changed, and what you typed is still in the form: go back to it. "
                                "(A form sent after its session ended is not answered here: the sign-in page "
                                "holds it instead.) To start again, "
                                <a href="/admin/login">"sign in"</a>
                                "."
                            </p>
                        </main>
                    </body>
                </html>
            }
            .to_html();
            self.answer_with(Html(format!("<!DOCTYPE html>{page}")))
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        AppError::internal("database error", error)
    }
}
