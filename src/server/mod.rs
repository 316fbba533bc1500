//! Everything that runs only on the server: configuration, the database, the HTTP router and the
//! command line. Nothing here is compiled into the WebAssembly.

pub mod auth;
pub mod bounded;
pub mod cli;
pub mod config;
pub mod db;
pub mod diff;
pub mod forms;
pub mod listener;
pub mod log_writer;
pub mod page_cache;
pub mod proxy;
pub mod random;
pub mod rendered;
pub mod request_log;
pub mod router;
pub mod security;
pub mod seed;
pub mod serving;
pub mod state;
pub mod valid_html;
