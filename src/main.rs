//! The `plasticity` server binary. Everything it does lives in the library (`server::cli`), so
//! integration tests build exactly the same application.

/// The runtime is not waited for once `cli::main` returns: blocking work still running then
/// (it had `SHUTDOWN_GRACE` to end, and was logged) would otherwise keep the process alive after
/// it said "stopped".
#[cfg(feature = "ssr")]
fn main() -> std::process::ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start the runtime: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let code = runtime.block_on(plasticity::server::cli::main());
    runtime.shutdown_background();
    code
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The browser build has no binary: `lib.rs` exports `hydrate()` for the WebAssembly.
}
