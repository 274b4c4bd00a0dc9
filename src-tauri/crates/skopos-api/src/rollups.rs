//! Rolling up final days in the background, and rebuilding rollups on request.

use std::sync::Arc;
use std::time::Duration;

use skopos_core::clock::Clock;
use skopos_store::Store;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::{ApiError, Skopos};

/// How often the background task looks for days that have become final.
const EVERY: Duration = Duration::from_secs(10 * 60);
/// The first look, late enough that short command-line runs never do the work.
const FIRST_AFTER: Duration = Duration::from_secs(30);

/// Starts the task; it checks [`FIRST_AFTER`] start, then every [`EVERY`], until `stop`
/// turns true. Stopping abandons a roll-up in progress; each day is one transaction, so
/// nothing half-done stays behind.
pub(crate) fn start(
    store: Store,
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
                result = store.roll_up_final_days(clock.now_ms()) => {
                    if let Err(error) = result {
                        tracing::warn!(%error, "rolling up final days failed; will retry");
                    }
                }
                _ = stop.changed() => break,
            }
        }
    })
}

impl Skopos {
    /// Recomputes the rollups of every day that still has its raw sessions, for one site or
    /// all; returns the number of (site, day) pairs rolled up.
    pub async fn rebuild_rollups(&self, site_id: Option<i64>) -> Result<usize, ApiError> {
        if let Some(site_id) = site_id {
            self.site(site_id).await?;
        }
        Ok(self
            .store
            .rebuild_rollups(site_id, self.clock.now_ms())
            .await?)
    }
}
