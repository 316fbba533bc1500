//! Server functions: the HTTP API that pages and islands call. Each is a public endpoint under
//! `/api/…`; every one that reads unpublished data or changes anything checks the session and the
//! role itself, first (`server::auth::guard::require_role`).

pub mod admin;
pub mod glossary;
pub mod public;
pub mod search;
pub mod topics;
pub mod two_factor;
