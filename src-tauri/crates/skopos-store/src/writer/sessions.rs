//! The writer's view of active sessions: which session a visitor's next hit belongs to.
//!
//! The cache is owned by the single writer task, so there are no races; on a miss it asks
//! the database for the visitor's latest session, which is how sessions survive a restart.
//! After a failed transaction the cache may describe rows that were rolled back, so it is
//! reset and rebuilt lazily.

use skopos_core::hit::Hit;
use skopos_core::SESSION_TIMEOUT_MS;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};
use std::collections::HashMap;

use crate::event_rows::EVENTS_PER_SESSION;
use crate::reports::VisitorDay;

/// (site id, visitor id)
pub(super) type VisitorKey = (i64, i64);

/// Evict sessions this long past their timeout; late engagement reports can still find
/// them in the database.
const EVICT_AFTER_MS: i64 = SESSION_TIMEOUT_MS + 60 * 60 * 1000;
const SWEEP_EVERY_BATCHES: u64 = 512;
/// Visitors looked up per query (two parameters each).
const FETCH_CHUNK: usize = 400;

#[derive(Debug, Clone)]
pub(super) struct ActiveSession {
    pub id: i64,
    pub started_at: i64,
    pub last_seen: i64,
    /// String ids.
    pub entry_path: i64,
    pub exit_path: i64,
    pub pageviews: i64,
    pub events: i64,
    pub engaged_seconds: i64,
    /// The local day it is filed under.
    pub day: i32,
    /// Whether its visitor-day is rolled up (see `crate::reports::rollups`).
    pub rolled: bool,
}

impl ActiveSession {
    /// Whether a hit at `at_ms` continues this session: not timed out, and with room for
    /// another event.
    pub fn continues_at(&self, at_ms: i64) -> bool {
        at_ms - self.last_seen <= SESSION_TIMEOUT_MS
            && self.pageviews + self.events < EVENTS_PER_SESSION
    }

    /// The id of the session's next event.
    pub fn next_event_id(&self) -> i64 {
        self.id * EVENTS_PER_SESSION + self.pageviews + self.events
    }
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    site_id: i64,
    visitor_id: i64,
    id: i64,
    started_at: i64,
    last_seen: i64,
    entry_path: i64,
    exit_path: i64,
    pageviews: i64,
    events: i64,
    engaged_seconds: i64,
    day: i32,
    rolled: bool,
}

impl From<SessionRow> for ActiveSession {
    fn from(row: SessionRow) -> Self {
        ActiveSession {
            id: row.id,
            started_at: row.started_at,
            last_seen: row.last_seen,
            entry_path: row.entry_path,
            exit_path: row.exit_path,
            pageviews: row.pageviews,
            events: row.events,
            engaged_seconds: row.engaged_seconds,
            day: row.day,
            rolled: row.rolled,
        }
    }
}

pub(super) struct SessionCache {
    /// `None` records that the database has no session for the visitor.
    latest: HashMap<VisitorKey, Option<ActiveSession>>,
    next_id: i64,
    batches: u64,
}

impl SessionCache {
    pub async fn load(connection: &mut SqliteConnection) -> Result<Self, sqlx::Error> {
        let next_id = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM sessions")
            .fetch_one(&mut *connection)
            .await?;
        Ok(Self {
            latest: HashMap::new(),
            next_id,
            batches: 0,
        })
    }

    /// Forgets everything after a failed transaction.
    pub async fn reset(&mut self, connection: &mut SqliteConnection) {
        self.latest.clear();
        match Self::load(connection).await {
            Ok(fresh) => *self = fresh,
            Err(error) => tracing::error!(%error, "cannot reload session ids"),
        }
    }

    /// Makes sure the latest session of each visitor, if any, is known, with one query per
    /// few hundred unknown visitors. Sessions that ended before `horizon_ms` are ignored:
    /// no hit of this batch can join them.
    pub async fn fetch_missing(
        &mut self,
        connection: &mut SqliteConnection,
        keys: impl Iterator<Item = VisitorKey>,
        horizon_ms: i64,
    ) -> Result<(), sqlx::Error> {
        let mut missing: Vec<VisitorKey> =
            keys.filter(|key| !self.latest.contains_key(key)).collect();
        missing.sort_unstable();
        missing.dedup();
        for chunk in missing.chunks(FETCH_CHUNK) {
            // Driven by the listed keys through `sessions_visitor`.
            let mut select: QueryBuilder<Sqlite> = QueryBuilder::new(
                "SELECT s.site_id, s.visitor_id, s.id, s.started_at, s.started_at + s.length_ms AS last_seen, \
                 s.entry_path, \
                 s.exit_path, s.pageviews, s.events, s.engaged_seconds, s.day, s.rolled FROM (",
            );
            select.push_values(chunk, |mut row, &(site_id, visitor_id)| {
                row.push_bind(site_id).push_bind(visitor_id);
            });
            select
                .push(
                    ") AS v JOIN sessions s ON s.visitor_id = v.column2 AND s.site_id = v.column1 \
                     WHERE s.started_at + s.length_ms >= ",
                )
                .push_bind(horizon_ms);
            let rows: Vec<SessionRow> = select
                .build_query_as()
                .persistent(false)
                .fetch_all(&mut *connection)
                .await?;
            for key in chunk {
                self.latest.insert(*key, None);
            }
            for row in rows {
                let key = (row.site_id, row.visitor_id);
                let newer = self
                    .latest
                    .get(&key)
                    .and_then(Option::as_ref)
                    .is_none_or(|s| row.last_seen > s.last_seen);
                if newer {
                    self.latest.insert(key, Some(row.into()));
                }
            }
        }
        Ok(())
    }

    pub fn latest(&self, key: VisitorKey) -> Option<&ActiveSession> {
        self.latest.get(&key).and_then(Option::as_ref)
    }

    /// The visitor's latest known session, active or not; call [`Self::fetch_missing`] first.
    pub fn latest_mut(&mut self, key: VisitorKey) -> Option<&mut ActiveSession> {
        self.latest.get_mut(&key).and_then(Option::as_mut)
    }

    /// The session an activity hit on the page with string id `path` belongs to, opening
    /// a new one when the visitor has none or the last one timed out or is full. Returns
    /// it, whether it was just opened, and the session it replaced in the cache, if any.
    pub fn session_for(
        &mut self,
        key: VisitorKey,
        hit: &Hit,
        path: i64,
    ) -> (&mut ActiveSession, bool, Option<ActiveSession>) {
        let fresh = |id| ActiveSession {
            id,
            started_at: hit.at_ms,
            last_seen: hit.at_ms,
            entry_path: path,
            exit_path: path,
            pageviews: 0,
            events: 0,
            engaged_seconds: 0,
            day: hit.visit.day,
            rolled: false,
        };
        let next_id = &mut self.next_id;
        let slot = self.latest.entry(key).or_insert(None);
        let replaced = if slot.as_ref().is_some_and(|s| s.continues_at(hit.at_ms)) {
            None
        } else {
            slot.take()
        };
        let mut opened = false;
        let session = slot.get_or_insert_with(|| {
            opened = true;
            *next_id += 1;
            fresh(*next_id - 1)
        });
        (session, opened, replaced)
    }

    /// Records that these visitor-days were rolled up.
    pub fn mark_rolled(&mut self, visitor_days: &[VisitorDay]) {
        for &(site_id, visitor_id, day) in visitor_days {
            if let Some(session) = self.latest_mut((site_id, visitor_id)) {
                if session.day == day {
                    session.rolled = true;
                }
            }
        }
    }

    /// Records that a visitor has no sessions any more (they were erased).
    pub fn forget(&mut self, key: VisitorKey) {
        self.latest.insert(key, None);
    }

    /// Drops sessions long past their timeout, now and then.
    pub fn sweep(&mut self, newest_ms: i64) {
        self.batches += 1;
        if !self.batches.is_multiple_of(SWEEP_EVERY_BATCHES) {
            return;
        }
        self.latest.retain(|_, session| {
            session
                .as_ref()
                .is_some_and(|s| newest_ms - s.last_seen <= EVICT_AFTER_MS)
        });
    }
}
