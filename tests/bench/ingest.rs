//! `bench-ingest`: how fast the real `skopos-server` collector ingests pageviews compared
//! with a no-op HTTP endpoint, and whether a crash loses anything it acknowledged.
//!
//! ```text
//! cargo build --release -p skopos-server
//! cargo run --release -p skopos-tests --bin bench-ingest -- [--connections 64] [--seconds 5]
//! ```
//!
//! Prints a short table and, last, one JSON line for scripts. Exits non-zero only when
//! acknowledged events are missing from the database (or the benchmark itself failed); a
//! ratio below target is reported, not failed, because it depends on the machine.

mod collector;
mod crash;
mod db;
mod load;
mod noop;
mod report;
mod server;
mod throughput;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use clap::{Parser, ValueEnum};

#[derive(Parser)]
#[command(
    name = "bench-ingest",
    about = "Ingest throughput and crash-safety benchmark for skopos-server"
)]
struct Cli {
    /// Concurrent keep-alive connections.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Measured seconds per server (after the warm-up).
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Warm-up seconds per server, not measured.
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// The skopos-server executable (default: next to this benchmark's executable).
    #[arg(long)]
    server_bin: Option<PathBuf>,
    /// Skip the crash runs.
    #[arg(long)]
    skip_crash: bool,
    /// Durability setting(s) for the crash runs.
    #[arg(long, value_enum, default_value_t = DurabilityChoice::Both)]
    durability: DurabilityChoice,
    /// Seconds of load before the collector is killed in a crash run.
    #[arg(long, default_value_t = 2.0)]
    crash_after: f64,
    /// Override the collector's `[ingest] max_batch_wait` in milliseconds (default: its own).
    #[arg(long)]
    max_batch_wait_ms: Option<u64>,
    /// Keep the collectors' data folders (database, server.log) instead of deleting them.
    #[arg(long)]
    keep_data: bool,
    /// Internal: run as the no-op baseline server on this address.
    #[arg(long, hide = true)]
    serve_noop: Option<SocketAddr>,
}

#[derive(Clone, Copy, ValueEnum)]
enum DurabilityChoice {
    Normal,
    Full,
    Both,
}

impl DurabilityChoice {
    fn settings(self) -> &'static [&'static str] {
        match self {
            Self::Normal => &["normal"],
            Self::Full => &["full"],
            Self::Both => &["normal", "full"],
        }
    }
}

/// The validated options the benchmark parts share.
pub struct Options {
    pub connections: usize,
    pub warmup: Duration,
    pub measure: Duration,
    pub crash_after: Duration,
    pub max_batch_wait_ms: Option<u64>,
    pub keep_data: bool,
}

fn seconds(value: f64, name: &str, max: f64) -> Result<Duration> {
    if !(value > 0.0 && value <= max) {
        bail!("--{name} must be more than 0 and at most {max} seconds, got {value}");
    }
    Ok(Duration::from_secs_f64(value))
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.serve_noop {
        Some(address) => noop::serve(address).await.map(|()| ExitCode::SUCCESS),
        // Dropping the benchmark future on Ctrl-C or SIGTERM runs the guards that kill
        // the child servers; the default signal action would leave them running.
        None => tokio::select! {
            result = benchmark(cli) => result,
            signal = interrupted() => signal.map(|name| {
                eprintln!("bench-ingest: stopped by {name}; child servers killed");
                ExitCode::from(130)
            }),
        },
    };
    result.unwrap_or_else(|error| {
        eprintln!("bench-ingest: error: {error:#}");
        ExitCode::FAILURE
    })
}

/// Resolves with the signal's name when the user interrupts or the process is terminated.
async fn interrupted() -> Result<&'static str> {
    #[cfg(unix)]
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("listening for SIGTERM")?;
    #[cfg(unix)]
    let terminated = terminate.recv();
    #[cfg(not(unix))]
    let terminated = std::future::pending::<Option<()>>();
    tokio::select! {
        result = tokio::signal::ctrl_c() => result.map(|()| "Ctrl-C").context("listening for Ctrl-C"),
        _ = terminated => Ok("SIGTERM"),
    }
}

async fn benchmark(cli: Cli) -> Result<ExitCode> {
    if !(1..=4096).contains(&cli.connections) {
        bail!(
            "--connections must be between 1 and 4096, got {}",
            cli.connections
        );
    }
    let options = Options {
        connections: cli.connections,
        warmup: if cli.warmup == 0.0 {
            Duration::ZERO
        } else {
            seconds(cli.warmup, "warmup", 60.0)?
        },
        measure: seconds(cli.seconds, "seconds", 600.0)?,
        crash_after: seconds(cli.crash_after, "crash-after", 60.0)?,
        max_batch_wait_ms: cli.max_batch_wait_ms,
        keep_data: cli.keep_data,
    };
    let server_bin = locate_server(cli.server_bin)?;
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "Skopos ingest benchmark: {} connections, {:.1} s warm-up + {:.1} s measured, loopback, {cores} CPUs shared by client and server",
        options.connections,
        options.warmup.as_secs_f64(),
        options.measure.as_secs_f64()
    );
    let batch_wait = options
        .max_batch_wait_ms
        .map_or("its default".to_owned(), |ms| format!("{ms} ms"));
    println!(
        "server: {} (ingest max_batch_wait: {batch_wait})",
        server_bin.display()
    );

    let comparison = throughput::run(&options, &server_bin)
        .await
        .context("throughput run")?;
    report::print_throughput(&comparison);

    let mut crashes = Vec::new();
    if !cli.skip_crash {
        for durability in cli.durability.settings() {
            let outcome = crash::run(&options, &server_bin, durability)
                .await
                .with_context(|| format!("crash run with durability {durability}"))?;
            report::print_crash(&outcome);
            crashes.push(outcome);
        }
    }

    report::print_json(&comparison, &crashes);

    let lost_in_crash = crashes.iter().any(|c| c.lost() > 0);
    let persistence = &comparison.persistence;
    Ok(
        if lost_in_crash || persistence.stored != persistence.acknowledged {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        },
    )
}

/// The server binary: the flag, or `skopos-server` next to this executable (both are built
/// into the same target folder by `cargo build --release`).
fn locate_server(flag: Option<PathBuf>) -> Result<PathBuf> {
    let path = match flag {
        Some(path) => path,
        None => std::env::current_exe()
            .context("finding the benchmark's own executable")?
            .parent()
            .context("the benchmark executable has no parent folder")?
            .join(format!("skopos-server{}", std::env::consts::EXE_SUFFIX)),
    };
    if !path.is_file() {
        bail!(
            "{} not found: build it first with `cargo build --release -p skopos-server` \
             (same CARGO_TARGET_DIR), or pass --server-bin PATH",
            path.display()
        );
    }
    warn_if_stale(&path);
    Ok(path)
}

/// Cargo rebuilds this benchmark but not the server it starts, so a server binary older
/// than the engine's sources would measure yesterday's code; say so instead of guessing.
fn warn_if_stale(server_bin: &Path) {
    let Ok(built) = std::fs::metadata(server_bin).and_then(|m| m.modified()) else {
        return;
    };
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("../src-tauri/crates");
    let mut folders = vec![crates];
    // A bounded walk: the engine has a few dozen files, so this cap is never reached.
    let mut visited = 0;
    while let Some(folder) = folders.pop().filter(|_| visited < 10_000) {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            visited += 1;
            let path = entry.path();
            let Ok(metadata) = entry.metadata() else {
                continue;
            };
            if metadata.is_dir() {
                folders.push(path);
            } else if path
                .extension()
                .is_some_and(|ext| ext == "rs" || ext == "toml" || ext == "sql")
                && metadata.modified().is_ok_and(|changed| changed > built)
            {
                eprintln!(
                    "WARNING: {} changed after {} was built; rebuild it with \
                     `cargo build --release -p skopos-server` to measure the current code",
                    path.display(),
                    server_bin.display()
                );
                return;
            }
        }
    }
}
