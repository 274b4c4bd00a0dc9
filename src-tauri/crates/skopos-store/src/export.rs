//! A site's raw data as one serialisable value: sessions, events, error groups with their
//! recent occurrences, and visitor profiles. Visitor and session ids stay inside the
//! database; JSON columns are passed through as JSON, not as strings.

use serde::{Serialize, Serializer};
use sqlx::FromRow;

use crate::{Store, StoreError};

/// Occurrences listed per error group; the group's counters cover all of them.
const RECENT_OCCURRENCES: i64 = 10;

#[derive(Debug, Serialize)]
pub struct SiteExport {
    pub sessions: Vec<ExportedSession>,
    pub events: Vec<ExportedEvent>,
    pub errors: Vec<ExportedErrorGroup>,
    pub visitors: Vec<ExportedVisitor>,
}

#[derive(Debug, Serialize, FromRow)]
pub struct ExportedSession {
    pub started_at: i64,
    pub last_seen: i64,
    pub entry_path: String,
    pub exit_path: String,
    pub pageviews: i64,
    pub events: i64,
    pub engaged_seconds: i64,
    pub referrer_host: Option<String>,
    pub channel: String,
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
    pub utm_term: Option<String>,
    pub utm_content: Option<String>,
    pub browser: Option<String>,
    pub browser_version: Option<String>,
    pub os: Option<String>,
    pub device: String,
    pub country: Option<String>,
    pub region: Option<String>,
    pub language: Option<String>,
    pub screen: Option<String>,
}

#[derive(Debug, Serialize, FromRow)]
pub struct ExportedEvent {
    pub ts: i64,
    pub kind: String,
    pub path: String,
    pub name: Option<String>,
    pub target: Option<String>,
    #[serde(serialize_with = "json_text")]
    pub props: Option<String>,
}

#[derive(Debug, Serialize, FromRow)]
pub struct ExportedErrorGroup {
    #[serde(skip)]
    pub id: i64,
    pub message: String,
    pub stack: Option<String>,
    pub source: Option<String>,
    pub line: Option<i64>,
    pub col: Option<i64>,
    pub occurrences: i64,
    pub first_seen: i64,
    pub last_seen: i64,
    pub status: String,
    /// The latest occurrences, newest first.
    #[sqlx(skip)]
    pub recent: Vec<ExportedOccurrence>,
}

#[derive(Debug, Serialize, FromRow)]
pub struct ExportedOccurrence {
    pub ts: i64,
    pub path: String,
    pub count: i64,
    pub browser: Option<String>,
    pub os: Option<String>,
    #[serde(serialize_with = "json_text")]
    pub breadcrumbs: Option<String>,
}

#[derive(Debug, Serialize, FromRow)]
pub struct ExportedVisitor {
    pub first_seen: i64,
    pub last_seen: i64,
    pub user_id: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[serde(serialize_with = "json_text")]
    pub metadata: Option<String>,
    pub identified_at: Option<i64>,
}

/// Writes a JSON column as the JSON it holds (the writer only stores valid JSON there).
fn json_text<S: Serializer>(text: &Option<String>, serializer: S) -> Result<S::Ok, S::Error> {
    match text {
        None => serializer.serialize_none(),
        Some(text) => serde_json::value::RawValue::from_string(text.clone())
            .map_err(serde::ser::Error::custom)?
            .serialize(serializer),
    }
}

impl Store {
    /// Everything stored for a site, oldest first. Holds it all in memory: meant for
    /// inspection and moderate sites, not as a streaming backup.
    pub async fn export_site(&self, site_id: i64) -> Result<SiteExport, StoreError> {
        let sessions = sqlx::query_as(
            "SELECT started_at, last_seen, entry_path, exit_path, pageviews, events, \
             engaged_seconds, referrer_host, channel, utm_source, utm_medium, utm_campaign, \
             utm_term, utm_content, browser, browser_version, os, device, country, region, \
             language, screen FROM sessions_readable WHERE site_id = ? ORDER BY started_at, id",
        )
        .bind(site_id)
        .fetch_all(&self.pool)
        .await?;
        let events = sqlx::query_as(
            "SELECT ts, kind, path, name, target, props FROM events \
             WHERE site_id = ? ORDER BY ts, id",
        )
        .bind(site_id)
        .fetch_all(&self.pool)
        .await?;
        let mut errors: Vec<ExportedErrorGroup> = sqlx::query_as(
            "SELECT id, message, stack, source, line, col, occurrences, first_seen, last_seen, \
             status FROM error_groups WHERE site_id = ? ORDER BY first_seen, id",
        )
        .bind(site_id)
        .fetch_all(&self.pool)
        .await?;
        for group in &mut errors {
            group.recent = sqlx::query_as(
                "SELECT ts, path, count, browser, os, breadcrumbs FROM error_occurrences \
                 WHERE group_id = ? ORDER BY id DESC LIMIT ?",
            )
            .bind(group.id)
            .bind(RECENT_OCCURRENCES)
            .fetch_all(&self.pool)
            .await?;
        }
        // Anonymous visitors are their sessions; identified ones have a row.
        let visitors = sqlx::query_as(
            "SELECT first_seen, last_seen, user_id, name, email, phone, metadata, identified_at \
             FROM visitors WHERE site_id = ?1 \
             UNION ALL \
             SELECT MIN(started_at), MAX(started_at + length_ms), NULL, NULL, NULL, NULL, NULL, NULL \
             FROM sessions s WHERE site_id = ?1 AND NOT EXISTS (SELECT 1 FROM visitors v \
             WHERE v.site_id = s.site_id AND v.visitor_id = s.visitor_id) GROUP BY visitor_id \
             ORDER BY 1",
        )
        .bind(site_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(SiteExport {
            sessions,
            events,
            errors,
            visitors,
        })
    }
}
