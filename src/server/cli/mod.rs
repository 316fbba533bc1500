//! The `plasticity` command: parse the command line, then serve (the default), manage staff
//! accounts (`plasticity user …`), or back up, export or import the database.

mod backup;
mod transfer;
mod users;

use super::config::{Config, LogFormat};
use super::db::seed::load_seed_once;
use super::db::{Db, DbError};
use super::http::log_writer;
use super::router::app;
use super::state::AppState;
use clap::{Parser, Subcommand};
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[derive(Parser, Debug)]
#[command(
    name = "plasticity",
    version,
    about = "Plasticity: a patient-education portal for a ketamine clinic.",
    after_help = "Environment: RUST_LOG sets log levels (default: info), e.g. RUST_LOG=plasticity=debug."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    config: Config,
}

#[derive(Subcommand, Debug, Clone)]
enum Command {
    /// Apply migrations, load the seed article on first start, and serve (the default).
    Serve,
    /// Manage staff accounts. Passwords are read from a hidden prompt, or from the first line of
    /// standard input when it is not a terminal; never from the command line.
    #[command(subcommand)]
    User(users::UserCommand),
    /// Write a consistent copy of the SQLite database to FILE (safe while the server runs), and
    /// check it. FILE must not exist yet.
    Backup {
        /// Where to write the copy, e.g. backups/plasticity-2026-11-27.db
        file: std::path::PathBuf,
    },
    /// Write every article (all revisions and references, as Markdown with front matter), the
    /// staff accounts (without passwords) and the audit log under DIR, a new or empty folder.
    Export { dir: std::path::PathBuf },
    /// Read an export into an empty database (for example a new PostgreSQL one). Imported
    /// accounts have no password until `plasticity user set-password`.
    Import { dir: std::path::PathBuf },
}

/// Why a command failed, as one line for the operator.
#[derive(Debug, thiserror::Error)]
enum CommandError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("cannot load the seed article: {0}")]
    Seed(sqlx::Error),
    #[error(
        "cannot listen on {addr}: {source} (is another program using that port? set LEPTOS_SITE_ADDR)"
    )]
    Listen {
        addr: std::net::SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped with an error: {0}")]
    Serve(std::io::Error),
    #[error("{0}")]
    User(#[from] users::UserError),
    #[error("{0}")]
    Backup(#[from] backup::BackupError),
    #[error("{0}")]
    Transfer(#[from] transfer::TransferError),
    #[error("{0}")]
    SecretKey(#[from] crate::server::auth::second_factor::secret_key::KeyError),
}

/// Runs the command line; the process exits with what this returns.
pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    // Dropped when `main` returns, after the server has stopped: that writes out every line.
    let _log_writer = init_logging(cli.config.log_format);
    crate::server::bounded::return_large_blocks_to_the_system();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(cli.config).await,
        Command::User(command) => users::run(&cli.config, command)
            .await
            .map_err(CommandError::from),
        Command::Backup { file } => backup::backup(&cli.config.database_url, &file)
            .await
            .map(|bytes| {
                println!(
                    "backed up to {} ({bytes} bytes), integrity check ok",
                    file.display()
                )
            })
            .map_err(CommandError::from),
        Command::Export { dir } => transfer::export(&cli.config.database_url, &dir)
            .await
            .map(|moved| println!("exported {moved} to {}", dir.display()))
            .map_err(CommandError::from),
        Command::Import { dir } => transfer::import(&cli.config.database_url, &dir)
            .await
            .map(|moved| {
                println!(
                    "imported {moved} from {}; set each account's password with `plasticity user set-password --email …`",
                    dir.display()
                )
            })
            .map_err(CommandError::from),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            eprintln!("plasticity: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to standard error through one writer thread (`server::http::log_writer`): a worker only
/// formats its line and appends it to a buffer, which the thread writes in batches. Nothing is
/// dropped, and every line is written when the returned guard is dropped. Colours only on a
/// terminal (and not with `NO_COLOR`).
fn init_logging(format: LogFormat) -> Option<log_writer::LogGuard> {
    use std::io::IsTerminal;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let buffer = std::sync::Arc::new(log_writer::LogBuffer::default());
    let guard = log_writer::start(buffer.clone(), std::io::stderr())
        .inspect_err(|error| eprintln!("plasticity: cannot start the log writer: {error}"))
        .ok()?;
    let ansi = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(ansi)
        .with_writer(log_writer::EventWriter(buffer.clone()));
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
    if tracing::enabled!(target: "plasticity::request", tracing::Level::INFO) {
        crate::server::http::request_log::set_up(buffer, format == LogFormat::Json);
    }
    Some(guard)
}

async fn serve(config: Config) -> Result<(), CommandError> {
    let key = config.second_factor_key()?;
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let enrolled = db
        .second_factor_accounts()
        .await
        .map_err(|error| CommandError::Database(DbError::Query(error)))?;
    crate::server::auth::second_factor::check_key_at_start(key.as_ref(), enrolled.len())?;
    if load_seed_once(&db).await.map_err(CommandError::Seed)? {
        tracing::info!("loaded the seed article");
    }
    let addr = config.site_addr;
    let state = AppState::new(&config, db.clone());
    // The search index builds while pages are served (a search waits for it).
    let (search, search_db) = (state.search.clone(), db.clone());
    tokio::spawn(async move { search.prepare(&search_db).await });
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| CommandError::Listen { addr, source })?;
    match super::forms::setup::setup_link_if_needed(&state).await {
        Ok(Some(path)) => tracing::warn!(
            "no admin account exists yet: create one within the hour at {}{path} (works once), \
             or run `plasticity user add --role admin --email … --name …`",
            state.site.public_origin
        ),
        Ok(None) => {}
        Err(error) => tracing::error!(%error, "could not create a setup link"),
    }
    let bound = listener.local_addr().unwrap_or(addr);
    tracing::info!(
        "serving on http://{bound} (public URL {})",
        state.site.public_origin
    );
    let draining = state.draining.clone();
    let drain = std::time::Duration::from_secs(config.shutdown_drain);
    let app = app(state);
    // On a signal `/readyz` turns 503 and, for `drain`, requests are still served (a load
    // balancer stops sending them); then the serving threads stop accepting and let in-flight
    // requests finish, for at most SHUTDOWN_GRACE; then the pool closes and the process exits 0.
    let (stopping, stop) = tokio::sync::watch::channel(false);
    let threads = crate::server::http::serving::threads();
    let mut server = std::pin::pin!(crate::server::http::serving::serve(
        listener,
        app,
        threads,
        crate::server::http::listener::Limits {
            unshared: config.trusted_proxies.clone().into(),
            ..crate::server::http::listener::Limits::default()
        },
        stop,
    ));
    let stopped = async {
        shutdown_signal().await;
        draining.store(true, std::sync::atomic::Ordering::Relaxed);
        if !drain.is_zero() {
            tracing::info!(
                "draining for {drain:?}: /readyz answers 503, requests are still served"
            );
            tokio::time::sleep(drain).await;
        }
        tracing::info!("no longer accepting connections");
        let _ = stopping.send(true);
        tokio::time::sleep(SHUTDOWN_GRACE).await;
    };
    tokio::select! {
        result = &mut server => result.map_err(CommandError::Serve)?,
        () = stopped => {
            tracing::warn!("requests still running after {SHUTDOWN_GRACE:?}; stopping anyway");
        }
    }
    // Heavy work whose request has gone runs on (it holds its place in its bound until it
    // ends): wait for it within the grace, then stop without it.
    let unfinished = crate::server::bounded::finish_all(SHUTDOWN_GRACE).await;
    if !unfinished.is_empty() {
        tracing::warn!(
            ?unfinished,
            "work still running after {SHUTDOWN_GRACE:?}; stopping anyway"
        );
    }
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// How long in-flight requests may take to finish after SIGTERM or Ctrl-C.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// Resolves on Ctrl-C or SIGTERM: the server then stops accepting and finishes what is in flight.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
