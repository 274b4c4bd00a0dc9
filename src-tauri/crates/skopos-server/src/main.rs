//! `skopos-server`: the Skopos engine without a desktop. Runs the collector and the web
//! dashboard, and offers commands for scripts and headless machines.

mod cli;
mod commands;
mod config;
mod report;

use anyhow::Result;
use clap::Parser;

/// Ingest allocates many small, short-lived values per beacon; mimalloc handles that
/// pattern with far less contention than the system allocator (see the ingest benchmark).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<()> {
    let cli = cli::Cli::parse();
    init_tracing();
    let config = config::ServerConfig::load(&cli)?;
    runtime()?.block_on(async {
        match cli.command {
            cli::Command::Serve(args) => commands::serve(config.with_serve_args(&args)?).await,
            cli::Command::Site { command } => commands::site(config, command).await,
            cli::Command::Stats(args) => commands::stats(config, args).await,
            cli::Command::Export(args) => commands::export(config, args).await,
            cli::Command::Report { command } => commands::report(config, command).await,
            cli::Command::Rollups { command } => commands::rollups(config, command).await,
            cli::Command::Erase(args) => commands::erase(config, args).await,
        }
    })
}

/// One async worker fewer than there are cores: SQLite's writer runs on a thread of its
/// own outside the runtime, and with a worker per core the two fight over the last core
/// (measured with the ingest benchmark on two cores).
fn runtime() -> Result<tokio::runtime::Runtime> {
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    Ok(tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores.saturating_sub(1).max(1))
        .enable_all()
        .build()?)
}

/// Logs go to stderr (stdout is for command output scripts read). They carry site ids and
/// outcomes, never client addresses or user agents.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SKOPOS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}
