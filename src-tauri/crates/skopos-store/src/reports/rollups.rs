//! Rolling up final days: once no session filed under a (site, day) can change, its totals
//! overall and per value of every dimension are computed by the same scan reports use and
//! stored, and its sessions are marked rolled, in one transaction.
//!
//! A day is final when its last session ended [`SESSION_FINAL_AFTER_MS`] ago (no late
//! report can reach it) and it is over in every time zone (no new session can be filed
//! under it).

use std::collections::HashMap;

use skopos_core::report::{Dimension, Totals};
use skopos_core::SESSION_FINAL_AFTER_MS;
use sqlx::{QueryBuilder, Sqlite};

use super::scope::{Scope, Sessions};
use super::totals::Key;
use crate::{Store, StoreError};

/// No local day lasts longer (a 25-hour DST day, with margin).
const LONGEST_DAY_MS: i64 = 26 * 60 * 60 * 1000;

/// Rows per insert statement (12 parameters each).
const ROWS_PER_INSERT: usize = 500;

/// One day's rollup, computed before the transaction that stores it.
struct DayRollup {
    site_id: i64,
    day: i32,
    totals: Totals,
    values: Vec<(Dimension, Option<String>, Totals)>,
}

impl Store {
    /// Rolls up every final day not rolled up yet; returns how many (site, day) pairs.
    pub async fn roll_up_final_days(&self, now_ms: i64) -> Result<usize, StoreError> {
        let days: Vec<(i64, i32)> = sqlx::query_as(
            "SELECT site_id, day FROM sessions WHERE rolled = 0 GROUP BY site_id, day \
             HAVING MAX(last_seen) < ? AND MIN(started_at) < ? ORDER BY site_id, day",
        )
        .bind(now_ms - SESSION_FINAL_AFTER_MS)
        .bind(now_ms - LONGEST_DAY_MS)
        .fetch_all(&self.pool)
        .await?;
        for &(site_id, day) in &days {
            let rollup = self.compute_rollup(site_id, day).await?;
            self.store_rollup(&rollup).await?;
        }
        if !days.is_empty() {
            tracing::debug!(days = days.len(), "rolled up final days");
        }
        Ok(days.len())
    }

    /// Recomputes the rollups of every day that still has its sessions (all sites, or
    /// one); days whose raw data retention has deleted keep their rows.
    pub async fn rebuild_rollups(
        &self,
        site_id: Option<i64>,
        now_ms: i64,
    ) -> Result<usize, StoreError> {
        let mut unroll =
            QueryBuilder::<Sqlite>::new("UPDATE sessions SET rolled = 0 WHERE rolled = 1");
        if let Some(site_id) = site_id {
            unroll.push(" AND site_id = ").push_bind(site_id);
        }
        unroll.build().execute(&self.pool).await?;
        self.roll_up_final_days(now_ms).await
    }

    async fn compute_rollup(&self, site_id: i64, day: i32) -> Result<DayRollup, StoreError> {
        let scope = Scope {
            site_id,
            first_day: day,
            last_day: day,
            filters: &[],
        };
        let overall: HashMap<i64, Totals> =
            self.scan(&scope, &Key::Everything, Sessions::All).await?;
        let mut values = Vec::new();
        for dimension in Dimension::ALL {
            let grouped: HashMap<Option<String>, Totals> = self
                .scan(&scope, &Key::Dimension(dimension), Sessions::All)
                .await?;
            values.extend(
                grouped
                    .into_iter()
                    .map(|(value, totals)| (dimension, value, totals)),
            );
        }
        Ok(DayRollup {
            site_id,
            day,
            totals: overall.into_values().next().unwrap_or_default(),
            values,
        })
    }

    async fn store_rollup(&self, rollup: &DayRollup) -> Result<(), StoreError> {
        let (site_id, day) = (rollup.site_id, rollup.day);
        let mut tx = self.pool.begin().await?;
        for table in ["rollup_days", "rollup_values"] {
            sqlx::query(&format!(
                "DELETE FROM {table} WHERE site_id = ? AND day = ?"
            ))
            .bind(site_id)
            .bind(day)
            .execute(&mut *tx)
            .await?;
        }
        let t = &rollup.totals;
        sqlx::query(
            "INSERT INTO rollup_days (site_id, day, visitors, sessions, pageviews, events, \
             bounces, engaged, duration_seconds, errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(site_id)
        .bind(day)
        .bind(t.visitors)
        .bind(t.sessions)
        .bind(t.pageviews)
        .bind(t.events)
        .bind(t.bounces)
        .bind(t.engaged)
        .bind(t.duration_seconds)
        .bind(t.errors)
        .execute(&mut *tx)
        .await?;
        for chunk in rollup.values.chunks(ROWS_PER_INSERT) {
            let mut insert = QueryBuilder::<Sqlite>::new(
                "INSERT INTO rollup_values (site_id, dimension, day, value, visitors, sessions, \
                 pageviews, events, bounces, engaged, duration_seconds, errors) ",
            );
            insert.push_values(chunk, |mut row, (dimension, value, t)| {
                row.push_bind(site_id)
                    .push_bind(dimension.name())
                    .push_bind(day)
                    .push_bind(value.as_deref().unwrap_or(""))
                    .push_bind(t.visitors)
                    .push_bind(t.sessions)
                    .push_bind(t.pageviews)
                    .push_bind(t.events)
                    .push_bind(t.bounces)
                    .push_bind(t.engaged)
                    .push_bind(t.duration_seconds)
                    .push_bind(t.errors);
            });
            insert.build().execute(&mut *tx).await?;
        }
        sqlx::query("UPDATE sessions SET rolled = 1 WHERE site_id = ? AND day = ? AND rolled = 0")
            .bind(site_id)
            .bind(day)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
