//! The live-visitor count: distinct visitors with a hit in a recent window.

use crate::{Store, StoreError};

impl Store {
    /// Distinct visitors with a hit since `since_ms`, which must be recent: sessions idle
    /// for longer than `ROLL_UP_AFTER_MS` may have been rolled up and are not looked at.
    pub async fn live_visitors(&self, site_id: i64, since_ms: i64) -> Result<i64, StoreError> {
        let count = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT visitor_id) FROM sessions \
             WHERE rolled = 0 AND site_id = ? AND started_at + length_ms >= ?",
        )
        .bind(site_id)
        .bind(since_ms)
        .fetch_one(&self.pool)
        .await?;
        Ok(count)
    }
}
