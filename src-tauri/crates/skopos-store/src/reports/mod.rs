//! Report queries over raw sessions and events (see `skopos_core::report` for what the
//! numbers mean).
//!
//! Every query has the same shape: the sessions of a [`Scope`] (a site, a run of local
//! days, filters), grouped by a key (nothing, a day, an hour bucket, a dimension value)
//! and then by visitor and day, so that the outer count of inner rows is the number of
//! daily unique visitors. Error reports are summed in a second query over the same scope.
//!
//! Days whose sessions can no longer change are rolled up ([`rollups`]): their totals,
//! overall and per dimension value, are stored, and reports add those rows to a scan of
//! the sessions not yet rolled up.

mod breakdown;
mod rollups;
mod scope;
mod totals;
mod visits;

pub use breakdown::{BreakdownPage, BreakdownRow};
pub use scope::Scope;
pub use totals::{DayTotals, Source};
pub use visits::{
    RawEvent, SessionSummary, SessionTimeline, TimelineItem, UserProfile, UserSummary,
};

#[cfg(test)]
mod rollup_tests;
#[cfg(test)]
mod tests;
