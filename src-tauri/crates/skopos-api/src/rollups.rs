//! Rolling up idle visitor-days in the background, and rebuilding rollups on request.
//! The ingest writer does the work, between batches.

use std::sync::Arc;
use std::time::Duration;

use skopos_core::clock::Clock;
use skopos_store::writer::IngestQueue;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::{ApiError, Skopos};

/// How often the background task rolls up visitor-days that have become idle.
const EVERY: Duration = Duration::from_secs(60);
/// The first roll-up, late enough that short command-line runs never do the work.
const FIRST_AFTER: Duration = Duration::from_secs(30);

/// Starts the task; it rolls up [`FIRST_AFTER`] start, then every [`EVERY`], until `stop`
/// turns true. Stopping abandons a roll-up between two of its steps; each step is one
/// transaction, so nothing half-done stays behind.
pub(crate) fn start(
    queue: IngestQueue,
    clock: Arc<dyn Clock>,
    mut stop: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + FIRST_AFTER, EVERY);
        loop {
            tokio::select! {
                _ = ticks.tick() => {}
                _ = stop.changed() => break,
            }
            tokio::select! {
                result = queue.roll_up(clock.now_ms()) => {
                    if let Err(error) = result {
                        tracing::warn!(%error, "rolling up failed; will retry");
                    }
                }
                _ = stop.changed() => break,
            }
        }
    })
}

impl Skopos {
    /// Recomputes the rollups of every day that still has its raw sessions, for one site or
    /// all; returns the number of visitor-days rolled up.
    pub async fn rebuild_rollups(&self, site_id: Option<i64>) -> Result<usize, ApiError> {
        if let Some(site_id) = site_id {
            self.site(site_id).await?;
        }
        self.queue
            .rebuild_rollups(site_id, self.clock.now_ms())
            .await
            .map_err(|error| ApiError::unavailable(format!("could not rebuild rollups: {error}")))
    }
}
