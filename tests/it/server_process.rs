//! The real `skopos-server` binary as a child process.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, ChildStdout, Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

use crate::fixture::server_binary;

/// Runs a one-shot command such as `site add` and returns its output.
pub fn run(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(server_binary())
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .output()
        .expect("run skopos-server")
}

/// A running `skopos-server serve`.
pub struct ServerProcess {
    child: Child,
    /// Kept open: the server may print more, and a closed pipe is not what we test.
    _stdout: BufReader<ChildStdout>,
    pub base: String,
}

impl ServerProcess {
    /// Starts `serve` on a free loopback port; stderr (the log) goes to `log`.
    pub fn start(data_dir: &Path, extra: &[&str], log: &Path, log_level: &str) -> ServerProcess {
        let log_file = std::fs::File::create(log).unwrap();
        let mut child = Command::new(server_binary())
            .arg("--data-dir")
            .arg(data_dir)
            .args(["serve", "--collector", "127.0.0.1:0"])
            .args(extra)
            .env("SKOPOS_LOG", log_level)
            .stdout(Stdio::piped())
            .stderr(log_file)
            .spawn()
            .expect("start skopos-server");
        let mut first = String::new();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        stdout.read_line(&mut first).unwrap();
        let base = first
            .trim()
            .strip_prefix("collector listening on ")
            .unwrap_or_else(|| {
                panic!(
                    "unexpected first line {first:?}; log: {}",
                    std::fs::read_to_string(log).unwrap_or_default()
                )
            })
            .to_owned();
        ServerProcess {
            child,
            _stdout: stdout,
            base,
        }
    }

    /// Sends SIGTERM and waits for a graceful exit.
    pub fn terminate(mut self) -> ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "server did not stop after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
