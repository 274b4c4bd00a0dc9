//! The no-op baseline: `POST /api/event` that reads the whole body and answers 204.
//!
//! It runs as its own process (this executable with `--serve-noop ADDR`) on a default
//! multi-threaded tokio runtime, like the collector, so that both compete with the load
//! generator for the CPU in the same way. The ratio collector/no-op then measures what
//! the collector's work costs, not what HTTP on this machine costs.

use std::net::SocketAddr;

use anyhow::{Context, Result};
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::routing::post;
use axum::Router;

/// The stdout line prefix announcing the bound address, read by the parent.
pub const LISTENING_PREFIX: &str = "noop listening on http://";

/// Serves until the process is terminated (the parent sends SIGTERM or kills it).
pub async fn serve(address: SocketAddr) -> Result<()> {
    // Should the benchmark die without running its guards (SIGKILL), take this server
    // down too instead of leaving it behind. Best effort: not every OS offers it.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let _ = rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::TERM));
    let router = Router::new().route("/api/event", post(accept));
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .with_context(|| format!("binding the no-op server to {address}"))?;
    let bound = listener
        .local_addr()
        .context("reading the no-op server address")?;
    println!("{LISTENING_PREFIX}{bound}");
    axum::serve(listener, router)
        .await
        .context("no-op server failed")
}

/// Taking `Bytes` makes axum read the full body, as the collector must.
async fn accept(body: Bytes) -> StatusCode {
    std::hint::black_box(body);
    StatusCode::NO_CONTENT
}
