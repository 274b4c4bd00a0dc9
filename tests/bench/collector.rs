//! The real collector under test: a fresh data folder with a benchmark config, one site
//! added through the CLI, then `skopos-server serve` on an ephemeral loopback port.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use tempfile::TempDir;

use crate::server::{run_to_completion, spawn_listening, ServerProcess, SITE_DOMAIN};

/// How long `site add` may take on a fresh folder (it creates the database).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// Settings for one fresh collector.
pub struct CollectorSetup<'a> {
    pub server_bin: &'a Path,
    /// `normal` or `full`, the collector's `durability` setting.
    pub durability: &'a str,
    /// Overrides the writer's `[ingest] max_batch_wait` (milliseconds) when set.
    pub max_batch_wait_ms: Option<u64>,
    /// Keep the data folder (database and `server.log`) for inspection after the run.
    pub keep_data: bool,
}

/// A freshly started collector and the tracking id of its only site.
pub struct Collector {
    pub process: ServerProcess,
    pub tracking_id: String,
}

/// A data folder with a benchmark config and one site, not yet served.
pub struct PreparedCollector {
    data_dir: TempDir,
    server_bin: PathBuf,
    pub tracking_id: String,
}

/// Creates a data folder with a benchmark config and adds a site through the CLI.
pub fn prepare_collector(setup: &CollectorSetup<'_>) -> Result<PreparedCollector> {
    let data_dir = tempfile::Builder::new()
        .prefix("skopos-bench-")
        .disable_cleanup(setup.keep_data)
        .tempdir()
        .context("creating a temporary data folder")?;
    if setup.keep_data {
        eprintln!(
            "  keeping the collector data folder {}",
            data_dir.path().display()
        );
    }
    // The default per-IP limit (20/s) would turn the benchmark into a 429 test, since all
    // load comes from 127.0.0.1.
    let mut config = format!(
        "durability = \"{}\"\n\n[collector.rate_limit]\nper_second = 1000000\nburst = 1000000\n",
        setup.durability
    );
    if let Some(wait) = setup.max_batch_wait_ms {
        config.push_str(&format!("\n[ingest]\nmax_batch_wait = {wait}\n"));
    }
    std::fs::write(data_dir.path().join("skopos.toml"), config).context("writing skopos.toml")?;

    let mut add_site = Command::new(setup.server_bin);
    add_site.arg("--data-dir").arg(data_dir.path()).args([
        "site",
        "add",
        "--name",
        "Bench",
        "--domain",
        SITE_DOMAIN,
    ]);
    let tracking_id =
        run_to_completion(add_site, COMMAND_TIMEOUT).context("adding the benchmark site")?;
    let tracking_id = tracking_id.trim().to_owned();
    if tracking_id.is_empty() || tracking_id.contains(char::is_whitespace) {
        bail!("`site add` printed {tracking_id:?}, expected one tracking id");
    }
    Ok(PreparedCollector {
        data_dir,
        server_bin: setup.server_bin.to_owned(),
        tracking_id,
    })
}

impl PreparedCollector {
    /// Starts `serve` on an ephemeral loopback port; its log goes to `server.log`.
    pub fn serve(self) -> Result<Collector> {
        let log = File::create(self.data_dir.path().join("server.log"))
            .context("creating the server log file")?;
        let mut serve = Command::new(&self.server_bin);
        serve
            .arg("--data-dir")
            .arg(self.data_dir.path())
            .args(["serve", "--collector", "127.0.0.1:0"])
            .stderr(Stdio::from(log));
        let mut process = spawn_listening(serve, "collector", "collector listening on http://")?;
        process.data_dir = Some(self.data_dir);
        Ok(Collector {
            process,
            tracking_id: self.tracking_id,
        })
    }
}

/// Prepares and starts a fresh collector.
pub fn start_collector(setup: &CollectorSetup<'_>) -> Result<Collector> {
    prepare_collector(setup)?.serve()
}
