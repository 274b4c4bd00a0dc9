//! Child server processes: starting one and reading its address, stopping it gently or
//! hard, and the no-op baseline (this same executable, re-run with `--serve-noop`).
//!
//! Every child lives in a [`ServerProcess`] guard whose `Drop` kills it, so an error or a
//! panic anywhere in the benchmark never leaves a server running.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use tempfile::TempDir;

/// How long a server may take to print its listening address.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(20);
/// How long a graceful shutdown (draining the ingest queue) may take before we kill.
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(20);

/// The desktop Chrome user agent every benchmark request carries; without a browser user
/// agent the collector drops beacons as bots (still answering 204), which would make it
/// look faster than it is.
pub const CHROME_USER_AGENT: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 \
     (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

/// The domain of the benchmark site; beacon URLs use it so that they look like real pages.
pub const SITE_DOMAIN: &str = "bench.example";

/// A running child server. Dropping it kills the process (if still running) before its
/// data folder is removed, since `drop` runs before the fields are dropped.
pub struct ServerProcess {
    child: Child,
    pub address: SocketAddr,
    pub label: &'static str,
    /// The collector's data folder, set by the collector module once the server runs.
    pub(crate) data_dir: Option<TempDir>,
}

impl ServerProcess {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn database_path(&self) -> Option<PathBuf> {
        self.data_dir
            .as_ref()
            .map(|dir| dir.path().join("skopos.db"))
    }

    /// The collector's stderr (its tracing log), worth reading when something went wrong.
    pub fn log_path(&self) -> Option<PathBuf> {
        self.data_dir
            .as_ref()
            .map(|dir| dir.path().join("server.log"))
    }

    /// SIGKILL (std's `kill` on Unix): the process cannot finish anything, as in a crash.
    /// The OS page cache survives, so this tests process crashes, not power loss.
    pub fn kill_hard(&mut self) -> Result<()> {
        self.child
            .kill()
            .with_context(|| format!("killing the {}", self.label))?;
        self.child
            .wait()
            .with_context(|| format!("waiting for the killed {}", self.label))?;
        Ok(())
    }

    /// SIGTERM, then waits (bounded) for the graceful shutdown; kills if it takes too long.
    pub async fn stop_gracefully(&mut self) -> Result<ExitStatus> {
        self.terminate()?;
        let deadline = Instant::now() + SHUTDOWN_TIMEOUT;
        loop {
            if let Some(status) = self
                .child
                .try_wait()
                .context("polling the server process")?
            {
                return Ok(status);
            }
            if Instant::now() >= deadline {
                self.kill_hard()?;
                bail!(
                    "{} did not stop within {SHUTDOWN_TIMEOUT:?} of SIGTERM; killed it",
                    self.label
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    #[cfg(unix)]
    fn terminate(&mut self) -> Result<()> {
        let pid = rustix::process::Pid::from_child(&self.child);
        rustix::process::kill_process(pid, rustix::process::Signal::TERM)
            .with_context(|| format!("sending SIGTERM to the {} (pid {pid:?})", self.label))
    }

    /// Without SIGTERM there is no graceful stop from outside; a kill still leaves every
    /// acknowledged (committed) event in the database.
    #[cfg(not(unix))]
    fn terminate(&mut self) -> Result<()> {
        self.child
            .kill()
            .with_context(|| format!("stopping the {}", self.label))
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Starts the no-op baseline server: this executable with `--serve-noop`.
pub fn start_noop() -> Result<ServerProcess> {
    let own_exe = std::env::current_exe().context("finding the benchmark's own executable")?;
    let mut serve = Command::new(own_exe);
    serve
        .args(["--serve-noop", "127.0.0.1:0"])
        .stderr(Stdio::inherit());
    spawn_listening(serve, "no-op server", crate::noop::LISTENING_PREFIX)
}

/// Spawns a server and waits (bounded) for the stdout line announcing its address. A thread
/// keeps draining stdout afterwards so the child can never block on a full pipe.
pub(crate) fn spawn_listening(
    mut command: Command,
    label: &'static str,
    prefix: &'static str,
) -> Result<ServerProcess> {
    command.stdin(Stdio::null()).stdout(Stdio::piped());
    let mut child = command
        .spawn()
        .with_context(|| format!("starting the {label}"))?;
    let stdout = child.stdout.take().context("child stdout was not piped")?;
    // The guard exists before anything can fail, so the child is killed on every error path.
    let mut process = ServerProcess {
        child,
        address: SocketAddr::from(([127, 0, 0, 1], 0)),
        label,
        data_dir: None,
    };
    let (lines_tx, lines_rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            // Once the address is known nobody listens any more; later lines are discarded.
            let _ = lines_tx.send(line);
        }
    });
    let deadline = Instant::now() + STARTUP_TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let line = match lines_rx.recv_timeout(left) {
            Ok(line) => line,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                bail!("the {label} did not announce its address within {STARTUP_TIMEOUT:?}")
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                let status = process
                    .child
                    .wait()
                    .context("waiting for the failed server")?;
                bail!("the {label} exited ({status}) before announcing its address");
            }
        };
        if let Some(address) = line.strip_prefix(prefix) {
            process.address = address
                .trim()
                .parse()
                .with_context(|| format!("parsing the {label} address from {line:?}"))?;
            return Ok(process);
        }
    }
}

/// Runs a short command with a time limit and returns its stdout.
pub(crate) fn run_to_completion(mut command: Command, timeout: Duration) -> Result<String> {
    let program = format!("{:?}", command.get_program());
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("starting {program}"))?;
    let deadline = Instant::now() + timeout;
    while child.try_wait().context("polling a command")?.is_none() {
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            bail!("{program} did not finish within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    // The command has exited, so reading its (small) output cannot block.
    let output = child
        .wait_with_output()
        .context("collecting command output")?;
    if !output.status.success() {
        bail!(
            "{program} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    String::from_utf8(output.stdout).context("command output is not UTF-8")
}
