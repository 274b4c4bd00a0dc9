//! Report queries over raw sessions and events (see `skopos_core::report` for what the
//! numbers mean).
//!
//! Every query has the same shape: the sessions of a [`Scope`] (a site, a run of local
//! days, filters), grouped by a key (nothing, a day, an hour bucket, a dimension value)
//! and then by visitor and day, so that the outer count of inner rows is the number of
//! daily unique visitors. Error reports are summed in a second part over the same scope.
//!
//! Visitor-days idle past the session timeout are rolled up ([`rollups`]): what they add
//! to the totals of their day, hour and every dimension value is stored, and reports add
//! those rows to a scan of the few sessions not rolled up. The parts are summed, and
//! breakdowns ranked and paged, in one statement: only the answer's rows leave SQLite
//! (sqlx hands each row across threads, which costs more than summing it).

mod breakdown;
pub(crate) mod rollups;
mod scope;
mod totals;
mod visits;

pub use breakdown::{BreakdownPage, BreakdownRow};
pub use rollups::{VisitorDay, ROLL_UP_AFTER_MS};
pub use scope::Scope;
pub use totals::{DayTotals, Source};
pub use visits::{
    RawEvent, SessionSummary, SessionTimeline, TimelineItem, UserProfile, UserSummary,
};

#[cfg(test)]
mod rollup_tests;
#[cfg(test)]
mod tests;
