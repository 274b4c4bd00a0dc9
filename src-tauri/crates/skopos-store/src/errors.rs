//! JS error groups: the list with their numbers over a period, one group's detail, and
//! triage (resolve, ignore, reopen). A resolved group that happens again is reopened by the
//! ingest writer and flagged as a regression (`regressed_at`).

use serde::{Deserialize, Serialize};
use sqlx::FromRow;

use crate::{Store, StoreError};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorStatus {
    Open,
    Resolved,
    Ignored,
}

impl ErrorStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorStatus::Open => "open",
            ErrorStatus::Resolved => "resolved",
            ErrorStatus::Ignored => "ignored",
        }
    }
}

/// One group as the list shows it; the period numbers count occurrences in `[from, to)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, TS)]
pub struct ErrorGroupSummary {
    pub id: i64,
    pub message: String,
    pub source: Option<String>,
    pub line: Option<i64>,
    pub col: Option<i64>,
    pub status: String,
    /// Reports ever, counting repeats.
    pub occurrences: i64,
    pub first_seen: i64,
    pub last_seen: i64,
    pub resolved_at: Option<i64>,
    /// When a resolved group came back; set while the regression is unresolved.
    pub regressed_at: Option<i64>,
    /// Reports in the period, counting repeats.
    pub period_occurrences: i64,
    /// Sessions with a report in the period.
    pub affected_sessions: i64,
}

/// A group with its stack, daily trend, where it happens and its latest reports.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ErrorGroupDetail {
    #[serde(flatten)]
    pub summary: ErrorGroupSummary,
    pub stack: Option<String>,
    /// `(bucket start ms, reports)` for the buckets the caller asked for.
    pub trend: Vec<(i64, i64)>,
    pub top_pages: Vec<(String, i64)>,
    pub top_browsers: Vec<(Option<String>, i64)>,
    /// Newest first; only the latest few keep their breadcrumbs.
    pub recent: Vec<Occurrence>,
}

#[derive(Debug, Clone, PartialEq, Serialize, FromRow, TS)]
pub struct Occurrence {
    pub ts: i64,
    pub path: String,
    pub count: i64,
    pub browser: Option<String>,
    pub os: Option<String>,
    pub session_id: Option<i64>,
    /// A JSON array, as the script sent it.
    pub breadcrumbs: Option<String>,
}

const SUMMARY_COLUMNS: &str = "g.id, g.message, g.source, g.line, g.col, g.status, \
     g.occurrences, g.first_seen, g.last_seen, g.resolved_at, g.regressed_at, \
     COALESCE(SUM(o.count), 0) AS period_occurrences, \
     COUNT(DISTINCT o.session_id) AS affected_sessions";

const TOP: i64 = 10;
const RECENT: i64 = 20;

impl Store {
    /// A site's groups with reports in `[from_ms, to_ms)`, most reported first; `status`
    /// narrows the list.
    pub async fn error_groups(
        &self,
        site_id: i64,
        from_ms: i64,
        to_ms: i64,
        status: Option<ErrorStatus>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<ErrorGroupSummary>, StoreError> {
        let groups = sqlx::query_as(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM error_groups g \
             JOIN error_occurrences o ON o.group_id = g.id AND o.ts >= ?2 AND o.ts < ?3 \
             WHERE g.site_id = ?1 AND (?4 IS NULL OR g.status = ?4) \
             GROUP BY g.id ORDER BY period_occurrences DESC, g.last_seen DESC, g.id \
             LIMIT ?6 OFFSET ?5"
        ))
        .bind(site_id)
        .bind(from_ms)
        .bind(to_ms)
        .bind(status.map(ErrorStatus::as_str))
        .bind(offset)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(groups)
    }

    /// One group of a site, its numbers over `[bounds[0], bounds[last])` and its trend in
    /// the buckets `bounds` describes.
    pub async fn error_group(
        &self,
        site_id: i64,
        group_id: i64,
        bounds: &[i64],
    ) -> Result<ErrorGroupDetail, StoreError> {
        let (from_ms, to_ms) = match (bounds.first(), bounds.last()) {
            (Some(&from), Some(&to)) => (from, to),
            _ => return Err(StoreError::NotFound),
        };
        let summary: ErrorGroupSummary = sqlx::query_as(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM error_groups g \
             LEFT JOIN error_occurrences o ON o.group_id = g.id AND o.ts >= ?3 AND o.ts < ?4 \
             WHERE g.site_id = ?1 AND g.id = ?2 GROUP BY g.id"
        ))
        .bind(site_id)
        .bind(group_id)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let stack = sqlx::query_scalar("SELECT stack FROM error_groups WHERE id = ?")
            .bind(group_id)
            .fetch_one(&self.pool)
            .await?;
        let occurrences: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT ts, count FROM error_occurrences WHERE group_id = ? AND ts >= ? AND ts < ?",
        )
        .bind(group_id)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_all(&self.pool)
        .await?;
        let mut trend: Vec<(i64, i64)> = bounds
            .iter()
            .take(bounds.len().saturating_sub(1))
            .map(|&start| (start, 0))
            .collect();
        for (ts, count) in occurrences {
            let index = bounds
                .partition_point(|&bound| bound <= ts)
                .saturating_sub(1);
            if let Some(bucket) = trend.get_mut(index) {
                bucket.1 += count;
            }
        }
        let top = |column: &str| {
            format!(
                "SELECT {column}, SUM(count) AS n FROM error_occurrences \
                 WHERE group_id = ? AND ts >= ? AND ts < ? GROUP BY 1 ORDER BY n DESC, 1 LIMIT {TOP}"
            )
        };
        let top_pages = sqlx::query_as(&top("path"))
            .bind(group_id)
            .bind(from_ms)
            .bind(to_ms)
            .fetch_all(&self.pool)
            .await?;
        let top_browsers = sqlx::query_as(&top("browser"))
            .bind(group_id)
            .bind(from_ms)
            .bind(to_ms)
            .fetch_all(&self.pool)
            .await?;
        let recent = sqlx::query_as(
            "SELECT ts, path, count, browser, os, session_id, breadcrumbs FROM error_occurrences \
             WHERE group_id = ? ORDER BY id DESC LIMIT ?",
        )
        .bind(group_id)
        .bind(RECENT)
        .fetch_all(&self.pool)
        .await?;
        Ok(ErrorGroupDetail {
            summary,
            stack,
            trend,
            top_pages,
            top_browsers,
            recent,
        })
    }

    /// Resolves, ignores or reopens a site's group; resolving clears a regression.
    pub async fn set_error_status(
        &self,
        site_id: i64,
        group_id: i64,
        status: ErrorStatus,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let updated = sqlx::query(
            "UPDATE error_groups SET status = ?3, \
             resolved_at = CASE WHEN ?3 = 'resolved' THEN ?4 ELSE NULL END, \
             regressed_at = CASE WHEN ?3 = 'open' THEN regressed_at ELSE NULL END \
             WHERE site_id = ?1 AND id = ?2",
        )
        .bind(site_id)
        .bind(group_id)
        .bind(status.as_str())
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use skopos_core::beacon::{ErrorReport, EventKind};
    use skopos_core::hit::{Hit, Visit};
    use skopos_core::referrer::Channel;
    use skopos_core::site::SiteSettings;
    use skopos_core::ua::DeviceKind;

    use super::*;
    use crate::testing;
    use crate::writer::{spawn, IngestQueue, WriterConfig};

    /// 2026-12-03T00:00:00Z
    const T0: i64 = 1_796_256_000_000;
    const HOUR: i64 = 3_600_000;

    fn report(message: &str, count: u32) -> Hit {
        Hit {
            site_id: 1,
            visitor_id: 1,
            at_ms: 0,
            path: "/".into(),
            visit: Arc::new(Visit {
                referrer_host: None,
                channel: Channel::Direct,
                utm: Default::default(),
                browser: Some("Firefox".into()),
                browser_version: None,
                os: None,
                device: DeviceKind::Desktop,
                country: None,
                region: None,
                language: None,
                screen: None,
                day: 0,
            }),
            kind: EventKind::Error(ErrorReport {
                message: message.into(),
                stack: Some(format!("{message}\n  at app.js:1:1")),
                source: Some("https://shop.example/app.js".into()),
                line: Some(1),
                column: Some(1),
                count,
                breadcrumbs: Some(r##"[{"type":"click","target":"#buy"}]"##.into()),
            }),
        }
    }

    async fn send(queue: &IngestQueue, message: &str, count: u32, at_ms: i64, path: &str) {
        let mut hit = report(message, count);
        hit.at_ms = at_ms;
        hit.path = path.into();
        queue.submit(vec![hit]).await.unwrap();
    }

    async fn setup() -> (
        Store,
        tempfile::TempDir,
        IngestQueue,
        crate::writer::WriterTask,
    ) {
        let (store, dir) = testing::store().await;
        let settings = SiteSettings {
            name: "Shop".into(),
            domain: "shop.example".into(),
            allowed_origins: vec![],
            privacy_mode: Default::default(),
            ip_exclusions: vec![],
            ignore_localhost: true,
            timezone: "UTC".into(),
        };
        store.insert_site("shop", &settings, 0).await.unwrap();
        let (queue, task) = spawn(&store, WriterConfig::default()).await.unwrap();
        (store, dir, queue, task)
    }

    #[tokio::test]
    async fn groups_rank_by_reports_in_the_period_with_their_detail() {
        let (store, _dir, queue, task) = setup().await;
        send(&queue, "TypeError: a", 1, T0 + HOUR, "/cart").await;
        send(&queue, "TypeError: a", 3, T0 + 2 * HOUR, "/cart").await;
        send(&queue, "TypeError: a", 1, T0 + 3 * HOUR, "/").await;
        send(&queue, "RangeError: b", 2, T0 + HOUR, "/").await;
        send(&queue, "RangeError: b", 9, T0 - 48 * HOUR, "/").await;
        task.shutdown().await;

        let day = (T0, T0 + 24 * HOUR);
        let groups = store
            .error_groups(1, day.0, day.1, None, 0, 10)
            .await
            .unwrap();
        let ranked: Vec<_> = groups
            .iter()
            .map(|g| (g.message.as_str(), g.period_occurrences, g.occurrences))
            .collect();
        assert_eq!(ranked, [("TypeError: a", 5, 5), ("RangeError: b", 2, 11)]);
        // An hour apart: three sessions.
        assert_eq!(groups[0].affected_sessions, 3);
        assert_eq!(groups[1].first_seen, T0 - 48 * HOUR);

        let bounds: Vec<i64> = (0..=24).map(|h| T0 + h * HOUR).collect();
        let detail = store.error_group(1, groups[0].id, &bounds).await.unwrap();
        assert_eq!(
            &detail.trend[..4],
            [
                (T0, 0),
                (T0 + HOUR, 1),
                (T0 + 2 * HOUR, 3),
                (T0 + 3 * HOUR, 1)
            ]
        );
        assert_eq!(
            detail.top_pages,
            [("/cart".to_owned(), 4), ("/".to_owned(), 1)]
        );
        assert_eq!(detail.top_browsers, [(Some("Firefox".to_owned()), 5)]);
        assert_eq!(detail.recent.len(), 3);
        assert_eq!(detail.recent[0].ts, T0 + 3 * HOUR, "newest first");
        assert!(detail.stack.unwrap().contains("app.js:1:1"));
        assert!(detail.recent[0]
            .breadcrumbs
            .as_deref()
            .unwrap()
            .contains("#buy"));
        assert!(matches!(
            store.error_group(2, groups[0].id, &bounds).await,
            Err(StoreError::NotFound)
        ));
    }

    #[tokio::test]
    async fn a_resolved_group_that_recurs_is_reopened_as_a_regression() {
        let (store, _dir, queue, task) = setup().await;
        send(&queue, "boom", 1, T0, "/").await;
        send(&queue, "noise", 1, T0, "/").await;
        let list = |status| {
            let store = store.clone();
            async move {
                store
                    .error_groups(1, 0, i64::MAX, status, 0, 10)
                    .await
                    .unwrap()
            }
        };
        let groups = list(None).await;
        let (boom, noise) = (groups[0].id, groups[1].id);
        store
            .set_error_status(1, boom, ErrorStatus::Resolved, T0 + 1)
            .await
            .unwrap();
        store
            .set_error_status(1, noise, ErrorStatus::Ignored, T0 + 1)
            .await
            .unwrap();
        assert_eq!(
            list(Some(ErrorStatus::Resolved)).await[0].resolved_at,
            Some(T0 + 1)
        );

        send(&queue, "boom", 1, T0 + HOUR, "/").await;
        send(&queue, "noise", 1, T0 + HOUR, "/").await;
        let open = list(Some(ErrorStatus::Open)).await;
        assert_eq!(open.len(), 1);
        assert_eq!((open[0].id, open[0].regressed_at), (boom, Some(T0 + HOUR)));
        assert_eq!(
            list(Some(ErrorStatus::Ignored)).await[0].id,
            noise,
            "ignored stays ignored"
        );

        store
            .set_error_status(1, boom, ErrorStatus::Resolved, T0 + 2 * HOUR)
            .await
            .unwrap();
        let resolved = list(Some(ErrorStatus::Resolved)).await;
        assert_eq!(
            resolved[0].regressed_at, None,
            "resolving again clears the flag"
        );
        assert!(matches!(
            store.set_error_status(2, boom, ErrorStatus::Open, 0).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store.set_error_status(1, 999, ErrorStatus::Open, 0).await,
            Err(StoreError::NotFound)
        ));
        task.shutdown().await;
    }
}
