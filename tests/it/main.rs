//! The integration tests: one binary, a module per area (as crates.io's `src/tests/` is), so
//! `cargo test` links the application's test build once, not once per file. Each test still gets
//! its own database and server (`support`). Run one area with `cargo test --test it sign_in::`.
//!
//! One process also means the process-wide bounds (`server::bounded`) are shared by every test
//! running at once, as they are by every request of a real server.

#![cfg(feature = "ssr")]

#[macro_use]
mod support;

mod admin_access;
mod admin_editing;
mod api_access;
mod api_input;
mod broken_connections;
mod checks_panel;
mod cli;
mod cli_users;
mod connections;
mod dashboard;
mod discovery;
mod enrolment;
mod glossary;
mod held_forms;
mod import_circles;
mod instances;
mod invitations;
mod lists;
mod migrations;
mod page_cache;
mod page_cache_changes;
mod public_reading;
mod publishing;
mod read_next;
mod review_gate;
mod review_integrity;
mod review_workflow;
mod sanitising;
mod search;
mod search_synonyms;
mod search_words;
mod serving;
mod sessions;
mod shutdown;
mod sign_in;
mod sign_in_limits;
mod staff_admin;
mod storage;
mod topics;
mod transfer;
mod two_factor;
mod write_locks;
