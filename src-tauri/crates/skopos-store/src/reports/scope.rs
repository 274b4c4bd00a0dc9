//! Which sessions a report covers, as SQL: a site, a run of local days, and filters.

use skopos_core::report::{Dimension, Filter, FilterOp};
use sqlx::{QueryBuilder, Sqlite};

use crate::event_rows::{of_session, CUSTOM, PAGEVIEW};
use crate::session_labels::session_column;

/// A site's sessions filed under `first_day..=last_day` (see
/// [`skopos_core::period::day_number`]) that pass every filter.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub site_id: i64,
    pub first_day: i32,
    pub last_day: i32,
    pub filters: &'a [Filter],
}

/// The kind of event (`event_rows.kind`) and its string id column that a page or event
/// dimension reads.
pub(super) fn event_column(dimension: Dimension) -> Option<(i64, &'static str)> {
    match dimension {
        Dimension::Page => Some((PAGEVIEW, "e.path")),
        Dimension::Event => Some((CUSTOM, "e.name")),
        _ => None,
    }
}

/// Which sessions of a scope a raw scan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sessions {
    All,
    /// Those whose visitor-day has not been rolled up (or was taken back out).
    Unrolled,
}

impl<'a> Scope<'a> {
    /// Appends the conditions on `sessions s`, starting with the site and days.
    pub(super) fn push_where(&self, sql: &mut QueryBuilder<'a, Sqlite>, sessions: Sessions) {
        if sessions == Sessions::Unrolled {
            sql.push(" s.rolled = 0 AND");
        }
        sql.push(" s.site_id = ")
            .push_bind(self.site_id)
            .push(" AND s.day BETWEEN ")
            .push_bind(self.first_day)
            .push(" AND ")
            .push_bind(self.last_day);
        for filter in self.filters {
            sql.push(" AND ");
            if let Some(column) = session_column(filter.dimension) {
                push_condition(sql, &column, filter);
            } else if let Some((kind, column)) = event_column(filter.dimension) {
                sql.push(format_args!(
                    "EXISTS (SELECT 1 FROM event_rows e WHERE {} AND e.kind = {kind} AND ",
                    of_session("s", "e")
                ));
                push_condition(sql, column, filter);
                sql.push(")");
            }
        }
    }
}

/// The filter's condition on a column holding string ids (NULL for none).
fn push_condition<'a>(sql: &mut QueryBuilder<'a, Sqlite>, column: &str, filter: &'a Filter) {
    let value = filter.value.as_str();
    match (filter.op, value.is_empty()) {
        (FilterOp::Is, true) => {
            sql.push(format_args!("{column} IS NULL"));
        }
        (FilterOp::IsNot, true) => {
            sql.push(format_args!("{column} IS NOT NULL"));
        }
        (FilterOp::Is, false) => {
            sql.push(format_args!(
                "{column} IN (SELECT id FROM strings WHERE value = "
            ))
            .push_bind(value)
            .push(")");
        }
        (FilterOp::IsNot, false) => {
            // Sessions without a value are not the value either.
            sql.push(format_args!(
                "NOT COALESCE({column} IN (SELECT id FROM strings WHERE value = "
            ))
            .push_bind(value)
            .push("), 0)");
        }
        (FilterOp::Contains, _) => {
            sql.push(format_args!(
                "{column} IN (SELECT id FROM strings WHERE instr(lower(value), lower("
            ))
            .push_bind(value)
            .push(")) > 0)");
        }
    }
}
