//! How events are stored (migration 0007): a row of `event_rows` per pageview, custom
//! event, outbound click or download, whose rowid is its session's id times
//! [`EVENTS_PER_SESSION`] plus its place in the session. A session's events are one rowid
//! range, read without an index.

/// Events one session can hold; the writer opens a new session when one is full.
pub(crate) const EVENTS_PER_SESSION: i64 = 4096;

/// `event_rows.kind`
pub(crate) const PAGEVIEW: i64 = 0;
pub(crate) const CUSTOM: i64 = 1;
pub(crate) const OUTBOUND: i64 = 2;
pub(crate) const DOWNLOAD: i64 = 3;

/// The condition joining the session aliased `session` to its events aliased `event`.
pub(crate) fn of_session(session: &str, event: &str) -> String {
    format!(
        "{event}.id BETWEEN {session}.id * {EVENTS_PER_SESSION} \
         AND {session}.id * {EVENTS_PER_SESSION} + {}",
        EVENTS_PER_SESSION - 1
    )
}
