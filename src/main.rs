//! The `plasticity` server binary. Everything it does lives in the library (`server::cli`), so
//! integration tests build exactly the same application.

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    plasticity::server::cli::main().await
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The browser build has no binary: `lib.rs` exports `hydrate()` for the WebAssembly.
}
