//! The real `plasticity serve` process, for tests of what only the binary does.

/// The real `plasticity serve` in its own process, on a free port, killed when dropped. Its log
/// (standard error) is read all the time, so the server never blocks on a full pipe.
pub struct Served {
    pub child: std::process::Child,
    pub base_url: String,
    pub log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Served {
    /// Starts `plasticity serve` on `database_url` with `env` and waits until it listens.
    pub fn start(database_url: &str, env: &[(&str, &str)]) -> Served {
        use std::io::{BufRead, BufReader};
        use std::process::{Command, Stdio};
        let mut command = Command::new(env!("CARGO_BIN_EXE_plasticity"));
        command.arg("serve");
        for var in [
            "LEPTOS_SITE_ADDR",
            "PLASTICITY_PUBLIC_URL",
            "LEPTOS_SITE_ROOT",
            "PLASTICITY_LOG_FORMAT",
            "PLASTICITY_TRUSTED_PROXIES",
            "PLASTICITY_SHUTDOWN_DRAIN",
            "PLASTICITY_SECRET_KEY",
        ] {
            command.env_remove(var);
        }
        let mut child = command
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("RUST_LOG", "info")
            .env("PLASTICITY_SECRET_KEY", super::TEST_SECRET_KEY)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start plasticity serve");
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (found, address) = std::sync::mpsc::channel();
        let lines = BufReader::new(child.stderr.take().expect("stderr"));
        let kept = log.clone();
        std::thread::spawn(move || {
            let mut found = Some(found);
            for line in lines.lines().map_while(Result::ok) {
                let addr = line.find("serving on http://").map(|at| {
                    line[at + "serving on http://".len()..]
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_owned()
                });
                // Kept before `start` returns, so the log it hands over has this line.
                kept.lock().expect("log").push(line);
                if let Some(addr) = addr
                    && let Some(found) = found.take()
                {
                    let _ = found.send(addr);
                }
            }
        });
        let addr = address
            .recv_timeout(std::time::Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("the server did not start: {:?}", log.lock()));
        Served {
            child,
            base_url: format!("http://{addr}"),
            log,
        }
    }

    /// Sends SIGTERM, as systemd or an orchestrator does to stop a server.
    pub fn terminate(&self) {
        let pid = self.child.id().to_string();
        let status = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .expect("kill");
        assert!(status.success());
    }

    pub fn log_text(&self) -> String {
        self.log.lock().expect("log").join("\n")
    }

    /// The first log line that `matches`, waiting up to ten seconds for it to be written.
    pub async fn wait_for_log(&self, matches: impl Fn(&str) -> bool) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let found = self
                .log
                .lock()
                .expect("log")
                .iter()
                .find(|line| matches(line))
                .cloned();
            if let Some(line) = found {
                return line;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "not in the log: {}",
                self.log_text()
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
