//! Live updates for dashboards: after each commit, per site, what it added and how many
//! visitors the site has right now.
//!
//! A relay task turns the writer's commit summaries into [`LiveUpdate`]s on a broadcast
//! channel. Neither hop ever waits for a reader: a dashboard that falls behind skips
//! updates (and is told how many), and ingestion goes on at full speed.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;
use skopos_core::clock::Clock;
use skopos_store::writer::{Activity, SiteActivity};
use skopos_store::Store;
use tokio::sync::broadcast;
use tokio::task::JoinHandle;
use ts_rs::TS;

/// "Live" visitors are those seen in this window.
pub const LIVE_WINDOW_MS: i64 = 5 * 60 * 1000;

/// How stale a live-visitor count may be before it is counted again.
const LIVE_COUNT_TTL_MS: i64 = 1_000;

/// Updates kept for a subscriber that has not read them yet.
const BACKLOG: usize = 1_024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct LiveUpdate {
    /// What the commit added on this site.
    #[serde(flatten)]
    pub added: SiteActivity,
    /// Distinct visitors in the last five minutes (at most a second old).
    pub live_visitors: i64,
    pub at_ms: i64,
}

/// Starts the relay from the writer's commit summaries; it ends once the writer has
/// stopped. Subscribe to the returned sender for updates.
pub(crate) fn start_relay(
    store: Store,
    clock: Arc<dyn Clock>,
    commits: broadcast::Receiver<Activity>,
) -> (broadcast::Sender<LiveUpdate>, JoinHandle<()>) {
    let (sender, _) = broadcast::channel(BACKLOG);
    let task = tokio::spawn(relay(store, clock, commits, sender.clone()));
    (sender, task)
}

async fn relay(
    store: Store,
    clock: Arc<dyn Clock>,
    mut commits: broadcast::Receiver<Activity>,
    updates: broadcast::Sender<LiveUpdate>,
) {
    let mut live_counts: HashMap<i64, (i64, i64)> = HashMap::new();
    loop {
        let activity = match commits.recv().await {
            Ok(activity) => activity,
            Err(broadcast::error::RecvError::Lagged(missed)) => {
                tracing::debug!(missed, "live relay skipped commit summaries");
                continue;
            }
            Err(broadcast::error::RecvError::Closed) => break,
        };
        if updates.receiver_count() == 0 {
            continue;
        }
        for added in activity.iter() {
            let now = clock.now_ms();
            let cached = live_counts
                .get(&added.site_id)
                .filter(|(at, _)| now - at < LIVE_COUNT_TTL_MS)
                .map(|&(_, count)| count);
            let live_visitors = match cached {
                Some(count) => count,
                None => match store
                    .live_visitors(added.site_id, now - LIVE_WINDOW_MS)
                    .await
                {
                    Ok(count) => {
                        live_counts.insert(added.site_id, (now, count));
                        count
                    }
                    Err(error) => {
                        tracing::warn!(%error, "cannot count live visitors");
                        continue;
                    }
                },
            };
            let _ = updates.send(LiveUpdate {
                added: added.clone(),
                live_visitors,
                at_ms: now,
            });
        }
    }
}
