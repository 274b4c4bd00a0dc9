//! Which sessions a report covers, as SQL: a site, a run of local days, and filters.

use skopos_core::report::{Dimension, Filter, FilterOp};
use sqlx::{QueryBuilder, Sqlite};

use crate::event_rows::{of_session, CUSTOM};
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

/// Where the values of a page or event dimension are: rows of `table` (of `kind`, for
/// `event_rows`) and their string id `column`.
pub(super) struct EventValues {
    pub table: &'static str,
    pub kind: Option<i64>,
    pub column: &'static str,
}

impl EventValues {
    pub(super) fn of(dimension: Dimension) -> Option<EventValues> {
        match dimension {
            Dimension::Page => Some(EventValues {
                table: "pageviews",
                kind: None,
                column: "e.path",
            }),
            Dimension::Event => Some(EventValues {
                table: "event_rows",
                kind: Some(CUSTOM),
                column: "e.name",
            }),
            _ => None,
        }
    }

    /// The condition picking, as `e`, the rows of `table` that are the values of the
    /// session aliased `s`.
    pub(super) fn of_session(&self) -> String {
        let kind = self
            .kind
            .map(|kind| format!(" AND e.kind = {kind}"))
            .unwrap_or_default();
        format!("{}{kind}", of_session("s", "e"))
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
            } else if let Some(values) = EventValues::of(filter.dimension) {
                sql.push(format_args!(
                    "EXISTS (SELECT 1 FROM {} e WHERE {} AND ",
                    values.table,
                    values.of_session()
                ));
                push_condition(sql, values.column, filter);
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
