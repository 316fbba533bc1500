//! Running the `plasticity` binary as an operator would, with none of this environment's
//! settings.

use std::process::{Command, Output};

/// The binary with `args`, and none of the operator's settings from this environment.
pub fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_plasticity"));
    command.args(args).env("RUST_LOG", "off");
    for var in [
        "DATABASE_URL",
        "LEPTOS_SITE_ADDR",
        "PLASTICITY_PUBLIC_URL",
        "LEPTOS_SITE_ROOT",
        "PLASTICITY_LOG_FORMAT",
        "PLASTICITY_TRUSTED_PROXIES",
        "PLASTICITY_SECRET_KEY",
    ] {
        command.env_remove(var);
    }
    command
}

pub fn plasticity(args: &[&str], env: &[(&str, &str)]) -> Output {
    command(args)
        .envs(env.iter().copied())
        .output()
        .expect("run plasticity")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Runs `plasticity user …` on the database at `url`, with `stdin` as standard input.
pub fn user(url: &str, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = command(&[&["user"], args].concat())
        .env("DATABASE_URL", url)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run plasticity user");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

pub const GOOD_PASSWORD: &str = "otter lantern quietly mapping\n";

pub fn add_admin(url: &str) -> Output {
    user(
        url,
        &[
            "add",
            "--email",
            "Ana@Clinic.Example",
            "--name",
            "Ana Reyes",
            "--role",
            "admin",
            "--credentials",
            "MD",
        ],
        GOOD_PASSWORD,
    )
}
