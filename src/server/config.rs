//! Configuration: read once at start from the command line and the environment, then passed
//! down. `plasticity --help` lists every setting with its variable and default.

use crate::components::site::SiteInfo;
use clap::{Args, ValueEnum};
use leptos::config::{Env, LeptosOptions};
use std::net::SocketAddr;
use std::path::PathBuf;

/// The compiled CSS, JS and WebAssembly are named after this (cargo-leptos `output-name`).
pub const OUTPUT_NAME: &str = "plasticity";

#[derive(Args, Clone, Debug)]
pub struct Config {
    /// Database to use: `sqlite://PATH` (the file and its folder are created if missing) for one
    /// machine, or `postgres://USER:PASSWORD@HOST/DATABASE` for several instances.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/plasticity.db",
        global = true
    )]
    pub database_url: String,

    /// Address and port to listen on.
    #[arg(
        long,
        env = "LEPTOS_SITE_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub site_addr: SocketAddr,

    /// The public origin patients use, e.g. `https://learn.example-clinic.org`. Canonical URLs
    /// are built from it. Default: `http://` and the listen address.
    #[arg(long, env = "PLASTICITY_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Folder holding the compiled site (CSS, JS, WebAssembly, public files), as cargo-leptos
    /// builds it.
    #[arg(
        long,
        env = "LEPTOS_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    pub site_root: PathBuf,

    /// Reverse proxies (e.g. nginx) in front of this server, comma-separated IP addresses: from
    /// these, the client's address is read from `X-Forwarded-For` (for sign-in throttling and
    /// the audit log). Empty: the connection's own address is the client's.
    #[arg(
        long,
        env = "PLASTICITY_TRUSTED_PROXIES",
        value_delimiter = ',',
        global = true
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,

    /// Seconds to keep serving after SIGTERM or Ctrl-C while `/readyz` answers 503, so a load
    /// balancer stops sending requests before this instance stops accepting them. Then
    /// in-flight requests get 10 more seconds. Use about twice the balancer's health-check
    /// interval when several instances run; 0 (the default) stops accepting at once.
    #[arg(
        long,
        env = "PLASTICITY_SHUTDOWN_DRAIN",
        default_value_t = 0,
        global = true
    )]
    pub shutdown_drain: u64,

    /// The key that seals staff second-factor secrets in the database: 64 hexadecimal characters
    /// (e.g. `openssl rand -hex 32`), the same on every instance and kept apart from the
    /// database and its backups. Required once any account has a second factor; without it
    /// nobody can enrol. `make run` makes one in `data/secret.key`.
    #[arg(
        long,
        env = "PLASTICITY_SECRET_KEY",
        hide_env_values = true,
        global = true
    )]
    pub secret_key: Option<String>,

    /// Log format: `text` for people, `json` for log collectors. Levels come from `RUST_LOG`
    /// (default `info`).
    #[arg(long, env = "PLASTICITY_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl Config {
    /// `secret_key`, parsed: `None` when unset, an error when malformed (never showing it).
    pub fn second_factor_key(
        &self,
    ) -> Result<
        Option<crate::server::auth::second_factor::secret_key::SecretKey>,
        crate::server::auth::second_factor::secret_key::KeyError,
    > {
        self.secret_key
            .as_deref()
            .filter(|key| !key.trim().is_empty())
            .map(str::parse)
            .transpose()
    }

    /// The public origin without a trailing slash.
    pub fn public_origin(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.site_addr),
        }
    }

    /// Leptos's options and the facts pages need (origin, stylesheet URL), from one read of the
    /// hash file cargo-leptos writes next to this binary in a release build: with it, assets have
    /// content-hashed names.
    pub fn site(&self) -> (LeptosOptions, SiteInfo) {
        let hashes = asset_hashes();
        let stylesheet_href = match hashes.as_deref().and_then(|hashes| hash_for(hashes, "css")) {
            Some(hash) => format!("/pkg/{OUTPUT_NAME}.{hash}.css"),
            None => format!("/pkg/{OUTPUT_NAME}.css"),
        };
        let options = LeptosOptions::builder()
            .output_name(OUTPUT_NAME)
            .site_root(self.site_root.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .site_addr(self.site_addr)
            .env(Env::PROD)
            .hash_files(hashes.is_some())
            .build();
        (
            options,
            SiteInfo {
                public_origin: self.public_origin(),
                stylesheet_href,
            },
        )
    }
}

/// The `hash.txt` cargo-leptos writes beside the server binary in a release build (`css: …`,
/// `js: …`, `wasm: …`), read once at start.
fn asset_hashes() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    std::fs::read_to_string(exe.parent()?.join("hash.txt")).ok()
}

fn hash_for(hashes: &str, kind: &str) -> Option<String> {
    hashes.lines().find_map(|line| {
        let (name, hash) = line.split_once(':')?;
        (name.trim() == kind).then(|| hash.trim().to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Probe {
        #[command(flatten)]
        config: Config,
    }

    fn config(args: &[&str]) -> Config {
        Probe::parse_from(std::iter::once("plasticity").chain(args.iter().copied())).config
    }

    #[test]
    fn public_origin_defaults_to_the_listen_address() {
        assert_eq!(
            config(&["--site-addr", "127.0.0.1:4000"]).public_origin(),
            "http://127.0.0.1:4000"
        );
        let c = config(&["--public-url", "https://learn.example.org/"]);
        assert_eq!(c.public_origin(), "https://learn.example.org");
    }

    #[test]
    fn reads_hashes_by_kind() {
        let hashes = "js: abc\nwasm: def\ncss: 123\n";
        assert_eq!(hash_for(hashes, "css").as_deref(), Some("123"));
        assert_eq!(hash_for(hashes, "font"), None);
    }
}
