//! The sessions explorer: sessions of a scope, newest first; one session's timeline; and
//! identified users with all their sessions.

use serde::Serialize;
use sqlx::{FromRow, QueryBuilder, Sqlite};

use super::scope::{Scope, Sessions};
use crate::event_rows::EVENTS_PER_SESSION;
use crate::{Store, StoreError};
use ts_rs::TS;

/// A session's columns with their texts, from `sessions_readable r` (and `visitors v`).
const SESSION_COLUMNS: &str = "r.id, r.visitor_id, r.started_at, r.last_seen, r.entry_path, \
     r.exit_path, r.pageviews, r.events, r.engaged_seconds, \
     MAX(r.engaged_seconds, (r.last_seen - r.started_at) / 1000) AS duration_seconds, \
     r.referrer_host, r.channel, r.utm_source, r.utm_medium, r.utm_campaign, r.browser, r.os, \
     r.device, r.country, r.region, r.language, r.screen, v.user_id, v.name AS user_name";

/// A session as the explorer lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, TS)]
pub struct SessionSummary {
    pub id: i64,
    /// The visitor's pseudonymous id (a keyed hash), to open or erase them with.
    #[serde(with = "skopos_core::id_string")]
    #[ts(type = "string")]
    pub visitor_id: i64,
    pub started_at: i64,
    pub last_seen: i64,
    pub entry_path: String,
    pub exit_path: String,
    pub pageviews: i64,
    pub events: i64,
    pub engaged_seconds: i64,
    pub duration_seconds: i64,
    pub referrer_host: Option<String>,
    pub channel: String,
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
    pub browser: Option<String>,
    pub os: Option<String>,
    pub device: String,
    pub country: Option<String>,
    pub region: Option<String>,
    pub language: Option<String>,
    pub screen: Option<String>,
    /// Set when the visitor was identified.
    pub user_id: Option<String>,
    pub user_name: Option<String>,
}

/// One thing in a session's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, TS)]
pub struct TimelineItem {
    pub ts: i64,
    /// `pageview`, `custom`, `outbound`, `download` or `error`.
    pub kind: String,
    pub path: String,
    /// The custom event's name, or the error's message.
    pub name: Option<String>,
    pub target: Option<String>,
    /// Custom event properties (a JSON object) or the error's breadcrumbs (a JSON array).
    pub detail: Option<String>,
    /// Reports folded into one for errors, else 1.
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SessionTimeline {
    pub session: SessionSummary,
    pub items: Vec<TimelineItem>,
}

/// An identified user over all the visitor ids they were seen with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, TS)]
pub struct UserSummary {
    pub user_id: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// A JSON object.
    pub metadata: Option<String>,
    pub first_seen: i64,
    pub last_seen: i64,
    pub visitor_ids: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct UserProfile {
    #[serde(flatten)]
    pub user: UserSummary,
    pub sessions: Vec<SessionSummary>,
}

/// Users' latest known profile fields win.
const USER_COLUMNS: &str = "user_id, \
     (SELECT name FROM visitors x WHERE x.site_id = v.site_id AND x.user_id = v.user_id AND x.name IS NOT NULL ORDER BY identified_at DESC LIMIT 1) AS name, \
     (SELECT email FROM visitors x WHERE x.site_id = v.site_id AND x.user_id = v.user_id AND x.email IS NOT NULL ORDER BY identified_at DESC LIMIT 1) AS email, \
     (SELECT phone FROM visitors x WHERE x.site_id = v.site_id AND x.user_id = v.user_id AND x.phone IS NOT NULL ORDER BY identified_at DESC LIMIT 1) AS phone, \
     (SELECT metadata FROM visitors x WHERE x.site_id = v.site_id AND x.user_id = v.user_id AND x.metadata IS NOT NULL ORDER BY identified_at DESC LIMIT 1) AS metadata, \
     MIN(first_seen) AS first_seen, MAX(last_seen) AS last_seen, COUNT(*) AS visitor_ids";

impl Store {
    /// The scope's sessions, newest first.
    pub async fn sessions(
        &self,
        scope: &Scope<'_>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<SessionSummary>, StoreError> {
        let mut sql = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {SESSION_COLUMNS} FROM sessions s JOIN sessions_readable r ON r.id = s.id \
             LEFT JOIN visitors v ON v.site_id = s.site_id AND v.visitor_id = s.visitor_id WHERE"
        ));
        scope.push_where(&mut sql, Sessions::All);
        // Ids follow start times: the site's day index, walked backwards, is the order.
        sql.push(" ORDER BY s.day DESC, s.id DESC LIMIT ")
            .push_bind(limit)
            .push(" OFFSET ")
            .push_bind(offset);
        Ok(sql.build_query_as().fetch_all(&self.pool).await?)
    }

    /// A site's session with its pageviews, events and errors in time order.
    pub async fn session_timeline(
        &self,
        site_id: i64,
        session_id: i64,
    ) -> Result<SessionTimeline, StoreError> {
        let session = sqlx::query_as(&format!(
            "SELECT {SESSION_COLUMNS} FROM sessions_readable r LEFT JOIN visitors v \
             ON v.site_id = r.site_id AND v.visitor_id = r.visitor_id \
             WHERE r.site_id = ? AND r.id = ?"
        ))
        .bind(site_id)
        .bind(session_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let items = sqlx::query_as(
            "SELECT ts, kind, path, name, target, props AS detail, 1 AS count FROM events \
             WHERE session_id = ?1 \
             UNION ALL \
             SELECT o.ts, 'error', o.path, g.message, NULL, o.breadcrumbs, o.count \
             FROM error_occurrences o JOIN error_groups g ON g.id = o.group_id \
             WHERE o.session_id = ?1 \
             ORDER BY ts",
        )
        .bind(session_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(SessionTimeline { session, items })
    }

    /// Identified users of a site, most recently seen first; `search` matches the user id,
    /// name or email (case-insensitive substring).
    pub async fn users(
        &self,
        site_id: i64,
        search: Option<&str>,
        offset: i64,
        limit: i64,
    ) -> Result<Vec<UserSummary>, StoreError> {
        let users = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM visitors v WHERE site_id = ?1 AND user_id IS NOT NULL \
             AND (?2 IS NULL OR instr(lower(user_id), lower(?2)) > 0 \
                  OR instr(lower(coalesce(name, '')), lower(?2)) > 0 \
                  OR instr(lower(coalesce(email, '')), lower(?2)) > 0) \
             GROUP BY user_id ORDER BY last_seen DESC, user_id LIMIT ?4 OFFSET ?3"
        ))
        .bind(site_id)
        .bind(search)
        .bind(offset)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(users)
    }

    /// One identified user with all their sessions, newest first.
    pub async fn user_profile(
        &self,
        site_id: i64,
        user_id: &str,
    ) -> Result<UserProfile, StoreError> {
        let user = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS} FROM visitors v WHERE site_id = ? AND user_id = ? GROUP BY user_id"
        ))
        .bind(site_id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let sessions = sqlx::query_as(&format!(
            // Their sessions are found by visitor id, not among all of the site's.
            "SELECT {SESSION_COLUMNS} FROM visitors v JOIN sessions s \
             ON s.visitor_id = v.visitor_id AND +s.site_id = v.site_id \
             JOIN sessions_readable r ON r.id = s.id \
             WHERE v.site_id = ? AND v.user_id = ? ORDER BY s.started_at DESC, s.id DESC"
        ))
        .bind(site_id)
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(UserProfile { user, sessions })
    }
}

/// One raw event with the session it belongs to, for exports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, FromRow, TS)]
pub struct RawEvent {
    pub id: i64,
    pub ts: i64,
    pub kind: String,
    pub path: String,
    pub name: Option<String>,
    pub target: Option<String>,
    /// A JSON object, for custom events.
    pub props: Option<String>,
    pub session_id: i64,
    pub referrer_host: Option<String>,
    pub channel: String,
    pub utm_source: Option<String>,
    pub utm_medium: Option<String>,
    pub utm_campaign: Option<String>,
    pub browser: Option<String>,
    pub os: Option<String>,
    pub device: String,
    pub country: Option<String>,
    pub region: Option<String>,
    pub language: Option<String>,
    pub screen: Option<String>,
}

impl Store {
    /// The events of the scope's sessions with an id above `after_id`, in id order, at most
    /// `limit`: page through a large export with the last id of each page.
    pub async fn raw_events(
        &self,
        scope: &Scope<'_>,
        after_id: i64,
        limit: i64,
    ) -> Result<Vec<RawEvent>, StoreError> {
        // Each table is walked in rowid order from `after_id`, its events joined to their
        // sessions by id, and the two merged: the page is read, not the whole range.
        let mut sql = QueryBuilder::<Sqlite>::new(
            "SELECT e.id, e.ts, e.kind, (SELECT value FROM strings WHERE id = e.path) AS path, \
             (SELECT value FROM strings WHERE id = e.name) AS name, e.target, e.props, \
             e.session_id, r.referrer_host, r.channel, r.utm_source, r.utm_medium, \
             r.utm_campaign, r.browser, r.os, r.device, r.country, r.region, r.language, \
             r.screen FROM (",
        );
        for (index, (table, kind, details)) in [
            (
                "pageviews",
                "'pageview'",
                "NULL AS name, NULL AS target, NULL AS props",
            ),
            (
                "event_rows",
                "CASE e.kind WHEN 1 THEN 'custom' WHEN 2 THEN 'outbound' ELSE 'download' END",
                "e.name, e.target, e.props",
            ),
        ]
        .into_iter()
        .enumerate()
        {
            if index > 0 {
                sql.push(" UNION ALL ");
            }
            sql.push(format_args!(
                "SELECT e.id AS id, s.started_at + e.offset_ms AS ts, {kind} AS kind, \
                 e.path AS path, {details}, s.id AS session_id FROM {table} e \
                 CROSS JOIN sessions s ON s.id = e.id / {EVENTS_PER_SESSION} WHERE e.id > "
            ))
            .push_bind(after_id)
            .push(" AND");
            scope.push_where(&mut sql, Sessions::All);
        }
        sql.push(" ORDER BY 1 LIMIT ")
            .push_bind(limit)
            .push(") AS e JOIN sessions_readable r ON r.id = e.session_id ORDER BY e.id");
        Ok(sql.build_query_as().fetch_all(&self.pool).await?)
    }
}
