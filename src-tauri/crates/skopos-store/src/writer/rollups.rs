//! Roll-up chores: the writer rolls up idle visitor-days between batches, so that no batch
//! decides on a visitor-day while it is being rolled up, and keeps its session cache in
//! step (see `crate::reports::rollups`).

use sqlx::SqliteConnection;

use super::sessions::SessionCache;
use crate::reports::rollups::{reset, roll_up_step};
use crate::reports::ROLL_UP_AFTER_MS;

/// One roll-up step at `now_ms`; returns how many visitor-days it rolled up.
pub(super) async fn roll_up(
    connection: &mut SqliteConnection,
    cache: &mut SessionCache,
    now_ms: i64,
) -> Result<usize, sqlx::Error> {
    let rolled = roll_up_step(connection, now_ms - ROLL_UP_AFTER_MS).await?;
    cache.mark_rolled(&rolled);
    Ok(rolled.len())
}

/// Drops the rollups of days that still have sessions; they are rolled up afresh.
pub(super) async fn reset_rollups(
    connection: &mut SqliteConnection,
    cache: &mut SessionCache,
    site_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    let result = reset(connection, site_id).await;
    // Cached sessions may have been marked rolled; the database knows better.
    cache.reset(connection).await;
    result
}
