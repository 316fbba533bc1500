//! Everything that runs only on the server. Where to look:
//! - `http/`: the front, from a TCP connection to the router (connections, serving threads, the
//!   request log, security headers); ours for speed and bounds, see its doc.
//! - `router.rs`: every route and layer, in one file; `state.rs`: what every handler reaches;
//!   `config.rs`: the settings, read once at start.
//! - `forms/`: the staff forms' handlers (one action each); `page_cache/`: public pages stored
//!   and answered like static files; `auth/`: passwords, sessions, second factors, throttling,
//!   guards; `db/`: every SQL statement, for SQLite and PostgreSQL; `cli/`: the commands.
//! - `feeds/`: `/sitemap.xml`, `/feed.xml`, `/robots.txt`, built once per content version.
//! - `search/`: `/search`, an index in memory per instance, kept current with the content.
//! - `bounded.rs`: the process's bounds on costly work (password hashing, editor renders).
//!
//! Nothing here is compiled into the WebAssembly.

pub mod auth;
pub mod bounded;
pub mod cli;
pub mod config;
pub mod db;
pub mod feeds;
pub mod forms;
pub mod http;
pub mod page_cache;
pub mod router;
pub mod search;
pub mod state;
