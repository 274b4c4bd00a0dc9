//! Skopos domain types and pure logic, with no I/O beyond reading a geo database file.
//!
//! Everything a beacon goes through before it reaches storage lives here: decoding the
//! seed script's envelope, validating payloads against documented caps, classifying the
//! user agent, referrer and location, hashing the visitor, and producing [`hit::Hit`]s.

pub mod beacon;
pub mod bot;
pub mod clock;
pub mod enrich;
pub mod envelope;
pub mod geo;
pub mod hit;
pub mod id_string;
pub mod limits;
pub mod page;
pub mod period;
pub mod referrer;
pub mod report;
pub mod site;
pub mod ua;
pub mod visitor;

/// A visit ends after this long without any hit from the same visitor.
pub const SESSION_TIMEOUT_MS: i64 = 30 * 60 * 1000;

/// No hit can change a session this long after its last one: the longest reach is a late
/// engagement report ([`limits::MAX_ENGAGED_SECONDS`]) after the timeout.
pub const SESSION_FINAL_AFTER_MS: i64 =
    SESSION_TIMEOUT_MS + limits::MAX_ENGAGED_SECONDS as i64 * 1000;
