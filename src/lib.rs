//! Plasticity: a patient-education portal. One crate built twice: `ssr` (the server, which
//! renders every page) and `hydrate` (the WebAssembly that brings the few interactive islands
//! to life in the browser).

// Leptos views are nested types; the editor's (form, island, checks panel) is deeper than the
// compiler's default limit of 128.
#![recursion_limit = "256"]

pub mod admin;
pub mod api;
pub mod app;
pub mod area;
pub mod components;
pub mod content;
pub mod error;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod server;

/// Entry point of the WebAssembly: hydrates the `#[island]` components on the page, and nothing
/// else (the rest of the page is plain server-rendered HTML).
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
