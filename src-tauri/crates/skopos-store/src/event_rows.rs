//! How events are stored (migrations 0007 and 0013): a row of `pageviews` (time and path)
//! per pageview, a row of `event_rows` per custom event, outbound click or download. The
//! rowid of either is its session's id times [`EVENTS_PER_SESSION`] plus its place in the
//! session, one count over both tables; so a session's events are one rowid range in each,
//! read without an index.

/// Events one session can hold; the writer opens a new session when one is full.
pub(crate) const EVENTS_PER_SESSION: i64 = 4096;

/// `event_rows.kind`; pageviews have their own table (the `events` view calls them 0).
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
