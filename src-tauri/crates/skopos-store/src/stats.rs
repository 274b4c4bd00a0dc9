//! Simple live counters for a site; the full reports come with the rollups.

use serde::Serialize;

use crate::{Store, StoreError};

/// What happened on a site since a moment (usually the start of its local day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TodayCounts {
    pub pageviews: i64,
    pub sessions: i64,
    pub custom_events: i64,
    /// Error reports, counting repeats the script folded together.
    pub errors: i64,
    /// Distinct visitors with a hit in the last five minutes.
    pub live_visitors: i64,
}

impl Store {
    pub async fn today_counts(
        &self,
        site_id: i64,
        since_ms: i64,
        live_since_ms: i64,
    ) -> Result<TodayCounts, StoreError> {
        let (pageviews, custom_events): (i64, i64) = sqlx::query_as(
            "SELECT \
               (SELECT COUNT(*) FROM events WHERE site_id = ?1 AND kind = 'pageview' AND ts >= ?2), \
               (SELECT COUNT(*) FROM events WHERE site_id = ?1 AND kind = 'custom' AND ts >= ?2)",
        )
        .bind(site_id)
        .bind(since_ms)
        .fetch_one(&self.pool)
        .await?;
        let (sessions, errors): (i64, i64) = sqlx::query_as(
            "SELECT \
               (SELECT COUNT(*) FROM sessions WHERE site_id = ?1 AND started_at >= ?2), \
               (SELECT COALESCE(SUM(count), 0) FROM error_occurrences WHERE site_id = ?1 AND ts >= ?2)",
        )
        .bind(site_id)
        .bind(since_ms)
        .fetch_one(&self.pool)
        .await?;
        let live_visitors = self.live_visitors(site_id, live_since_ms).await?;
        Ok(TodayCounts {
            pageviews,
            sessions,
            custom_events,
            errors,
            live_visitors,
        })
    }

    /// Distinct visitors with a hit since `since_ms`.
    pub async fn live_visitors(&self, site_id: i64, since_ms: i64) -> Result<i64, StoreError> {
        let count = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT visitor_id) FROM sessions WHERE site_id = ? AND last_seen >= ?",
        )
        .bind(site_id)
        .bind(since_ms)
        .fetch_one(&self.pool)
        .await?;
        Ok(count)
    }
}
