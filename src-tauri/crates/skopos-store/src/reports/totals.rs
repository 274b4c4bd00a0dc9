//! [`Totals`] of a scope, overall, per day, per time bucket or per dimension value.

use std::collections::HashMap;
use std::hash::Hash;

use serde::Serialize;
use skopos_core::report::{Dimension, Totals};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};

use super::rollups::{BLOCKS, COUNTERS};
use super::scope::{EventValues, Scope, Sessions};
use crate::event_rows::EVENTS_PER_SESSION;
use crate::session_labels::session_column;
use crate::{Store, StoreError};

/// Where report answers come from. Both give the same numbers; the property tests and the
/// benchmark compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Every session of the scope, read raw.
    RawScan,
    /// Rollup rows of the visitor-days already rolled up plus a raw scan of the rest;
    /// filtered reports, and hourly buckets that are not UTC hours, always scan.
    Rollups,
}

/// What rows are grouped by.
pub(super) enum Key<'a> {
    Everything,
    Day,
    /// UTC hours, as hours since 1970.
    Hour,
    /// Bucket `i` holds sessions that started in `[bounds[i], bounds[i + 1])`.
    Buckets(&'a [i64]),
    Dimension(Dimension),
}

/// Which sessions a query reads, and what its rows are per.
pub(super) enum Selection<'s, 'a> {
    /// A report's scope: a row per key, over all the scope's days.
    Scope(&'s Scope<'a>, Sessions),
    /// The sessions listed in `temp.moving`: a row per (site, day, key), as rollup tables
    /// keep them.
    Moving,
}

impl<'a> Selection<'_, 'a> {
    fn push_where(&self, sql: &mut QueryBuilder<'a, Sqlite>) {
        match self {
            Selection::Scope(scope, sessions) => scope.push_where(sql, *sessions),
            Selection::Moving => {
                sql.push(" s.id IN (SELECT id FROM temp.moving)");
            }
        }
    }

    /// The outer `GROUP BY` (and first selected columns).
    fn groups(&self) -> &'static str {
        match self {
            Selection::Scope(..) => "k",
            Selection::Moving => "site_id, day, k",
        }
    }
}

/// One local day's totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayTotals {
    pub day: i32,
    #[serde(flatten)]
    pub totals: Totals,
}

const HOUR_MS: i64 = 3_600_000;

impl Key<'_> {
    /// The key of a session row (`s`), or of its events' value (`e.value`) for page and
    /// event dimensions.
    fn expression(&self) -> String {
        match self {
            Key::Everything => "0".into(),
            Key::Day => "s.day".into(),
            Key::Hour => format!("s.started_at / {HOUR_MS}"),
            Key::Buckets(bounds) => {
                let mut case = String::from("CASE");
                for (index, end) in bounds.iter().skip(1).enumerate() {
                    case.push_str(&format!(" WHEN s.started_at < {end} THEN {index}"));
                }
                case.push_str(" END");
                case
            }
            Key::Dimension(dimension) => {
                session_column(*dimension).unwrap_or_else(|| "e.value".into())
            }
        }
    }

    /// The errors' key: the page an error happened on for pages, else the session's.
    fn error_expression(&self) -> String {
        match self {
            Key::Dimension(Dimension::Page) => {
                "(SELECT id FROM strings WHERE value = NULLIF(o.path, ''))".into()
            }
            other => other.expression(),
        }
    }

    /// The value of a key column, named: dimension values are string ids.
    pub(super) fn name(&self, column: &str) -> String {
        match self {
            Key::Dimension(_) => format!("(SELECT value FROM strings WHERE id = {column})"),
            _ => column.to_owned(),
        }
    }

    /// Custom events have no errors of their own.
    pub(super) fn counts_errors(&self) -> bool {
        !matches!(self, Key::Dimension(Dimension::Event))
    }
}

/// What a group key decodes to.
pub(super) trait GroupKey:
    for<'r> sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite> + Eq + Hash + Send + Unpin
{
}
impl<K> GroupKey for K where
    K: for<'r> sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite> + Eq + Hash + Send + Unpin
{
}

impl Store {
    /// Totals of a scope grouped by `key`, with keys decoded as `K`.
    pub(super) async fn grouped_totals<K: GroupKey>(
        &self,
        scope: &Scope<'_>,
        key: &Key<'_>,
        source: Source,
    ) -> Result<HashMap<K, Totals>, StoreError> {
        let mut sql = QueryBuilder::new(format!(
            "SELECT {}, {} FROM (",
            key.name("k"),
            COUNTERS.join(", ")
        ));
        push_grouped(&mut sql, scope, key, source);
        sql.push(")");
        let rows = sql.build().fetch_all(&self.pool).await?;
        let mut grouped = HashMap::with_capacity(rows.len());
        for row in rows {
            grouped.insert(row.try_get::<K, _>(0)?, totals_from(&row)?);
        }
        Ok(grouped)
    }

    /// Totals of a whole scope.
    pub async fn totals(&self, scope: &Scope<'_>, source: Source) -> Result<Totals, StoreError> {
        let grouped: HashMap<i64, Totals> =
            self.grouped_totals(scope, &Key::Everything, source).await?;
        Ok(grouped
            .into_values()
            .fold(Totals::default(), |mut all, totals| {
                all.add(&totals);
                all
            }))
    }

    /// Totals per local day, for days that have sessions, in day order.
    pub async fn daily_totals(
        &self,
        scope: &Scope<'_>,
        source: Source,
    ) -> Result<Vec<DayTotals>, StoreError> {
        let grouped: HashMap<i32, Totals> = self.grouped_totals(scope, &Key::Day, source).await?;
        let mut days: Vec<DayTotals> = grouped
            .into_iter()
            .map(|(day, totals)| DayTotals { day, totals })
            .collect();
        days.sort_by_key(|d| d.day);
        Ok(days)
    }

    /// Totals per time bucket (`bounds` as `Calendar::buckets` makes them); one entry per
    /// bucket, empty ones included. Visitors are unique per bucket. Buckets that are UTC
    /// hours (every hour of a zone with a whole-hour offset) come from rollups, others
    /// from a raw scan.
    pub async fn bucket_totals(
        &self,
        scope: &Scope<'_>,
        bounds: &[i64],
        source: Source,
    ) -> Result<Vec<Totals>, StoreError> {
        let utc_hours = bounds.first().is_some_and(|start| start % HOUR_MS == 0)
            && bounds.windows(2).all(|pair| pair[1] - pair[0] == HOUR_MS);
        if utc_hours {
            let mut grouped: HashMap<i64, Totals> =
                self.grouped_totals(scope, &Key::Hour, source).await?;
            return Ok(bounds
                .windows(2)
                .map(|pair| grouped.remove(&(pair[0] / HOUR_MS)).unwrap_or_default())
                .collect());
        }
        let mut grouped: HashMap<Option<i64>, Totals> = self
            .grouped_totals(scope, &Key::Buckets(bounds), Source::RawScan)
            .await?;
        Ok((0..bounds.len().saturating_sub(1) as i64)
            .map(|index| grouped.remove(&Some(index)).unwrap_or_default())
            .collect())
    }
}

/// Appends a query of the scope's totals per key value: `k` (a string id for dimensions),
/// then the [`COUNTERS`]. They come from a raw scan of the scope's sessions or, without
/// filters, from rollup rows plus a scan of the sessions not rolled up, summed in SQL so
/// that only the answer's rows leave SQLite. Keys whose visitor-days have all been taken
/// back out of the rollups again are left out, as a scan would not find them.
pub(super) fn push_grouped<'a>(
    sql: &mut QueryBuilder<'a, Sqlite>,
    scope: &Scope<'a>,
    key: &Key<'_>,
    source: Source,
) {
    let from_rollups =
        source == Source::Rollups && scope.filters.is_empty() && !matches!(key, Key::Buckets(_));
    let sessions = if from_rollups {
        Sessions::Unrolled
    } else {
        Sessions::All
    };
    let selection = Selection::Scope(scope, sessions);
    let sums = COUNTERS.map(|c| format!("SUM({c}) AS {c}")).join(", ");
    sql.push(format_args!(
        "SELECT k, {sums} FROM (SELECT k, {}, 0 AS errors FROM (",
        COUNTERS[..7].join(", ")
    ));
    push_sessions_query(sql, &selection, key);
    sql.push(")");
    if key.counts_errors() {
        sql.push(" UNION ALL SELECT k, 0, 0, 0, 0, 0, 0, 0, errors FROM (");
        push_errors_query(sql, &selection, key);
        sql.push(")");
    }
    if from_rollups {
        push_rollup_rows(sql, scope, key);
    }
    sql.push(") GROUP BY k HAVING SUM(sessions) <> 0 OR SUM(errors) <> 0");
}

/// Appends ` UNION ALL` and the rollup rows of the scope's days as `k` and the
/// [`COUNTERS`]; for dimensions, single days and aligned blocks that tile the range, each
/// read as a range of the primary key.
fn push_rollup_rows(sql: &mut QueryBuilder<'_, Sqlite>, scope: &Scope<'_>, key: &Key<'_>) {
    let (site, first, last) = (scope.site_id, scope.first_day, scope.last_day);
    let columns = COUNTERS.join(", ");
    let (column, table) = match key {
        Key::Dimension(dimension) => {
            let code = dimension.code();
            for (days, from, to) in tiling(first, last) {
                sql.push(format_args!(
                    " UNION ALL SELECT NULLIF(value, 0), {columns} FROM rollup_values \
                     WHERE site_id = {site} AND dimension = {code} AND days = {days} \
                     AND day BETWEEN {from} AND {to}"
                ));
            }
            return;
        }
        Key::Day => ("day", "rollup_days"),
        Key::Hour => ("hour", "rollup_hours"),
        Key::Everything | Key::Buckets(_) => ("0", "rollup_days"),
    };
    sql.push(format_args!(
        " UNION ALL SELECT {column}, {columns} FROM {table} \
         WHERE site_id = {site} AND day BETWEEN {first} AND {last}"
    ));
}

/// Tiles the days `first..=last` with single days and aligned blocks (see [`BLOCKS`]),
/// as few as a greedy walk finds, merged into runs of equal length: `(days, first start,
/// last start)`.
pub(super) fn tiling(first: i32, last: i32) -> Vec<(i32, i32, i32)> {
    let mut runs: Vec<(i32, i32, i32)> = Vec::new();
    let mut day = first;
    while day <= last {
        let days = BLOCKS
            .iter()
            .rev()
            .copied()
            .find(|&days| day % days == 0 && day + days - 1 <= last)
            .unwrap_or(1);
        match runs.last_mut() {
            Some(run) if run.0 == days => run.2 = day,
            _ => runs.push((days, day, day)),
        }
        day += days;
    }
    runs
}

/// Appends the selected sessions (with, for page and event keys, their matching events)
/// reduced to one row per (key, session), then per (key, visitor, day), then per the
/// selection's groups, with columns named like the rollup tables' counters.
pub(super) fn push_sessions_query<'a>(
    sql: &mut QueryBuilder<'a, Sqlite>,
    selection: &Selection<'_, 'a>,
    key: &Key<'_>,
) {
    let event = match key {
        Key::Dimension(dimension) => EventValues::of(*dimension),
        _ => None,
    };
    let (pageviews, events) = match key {
        Key::Dimension(Dimension::Page) => ("hits", "s.events"),
        Key::Dimension(Dimension::Event) => ("s.pageviews", "hits"),
        _ => ("s.pageviews", "s.events"),
    };
    let groups = selection.groups();
    sql.push(format_args!(
        "SELECT {groups}, COUNT(*) AS visitors, SUM(n) AS sessions, SUM(pv) AS pageviews, \
         SUM(ev) AS events, SUM(b) AS bounces, SUM(en) AS engaged, SUM(d) AS duration_seconds \
         FROM (SELECT site_id, day, k, COUNT(*) AS n, SUM(pv) AS pv, SUM(ev) AS ev, \
         SUM(b) AS b, SUM(en) AS en, SUM(d) AS d FROM (SELECT {} AS k, s.site_id AS site_id, \
         s.visitor_id AS visitor_id, s.day AS day, {pageviews} AS pv, {events} AS ev, \
         (s.pageviews <= 1 AND s.events = 0) AS b, \
         (s.engaged_seconds >= 10 OR s.pageviews >= 2 OR s.events > 0) AS en, \
         MAX(s.engaged_seconds, s.length_ms / 1000) AS d",
        key.expression()
    ));
    match event {
        Some(values) => {
            // Only the selected sessions' events are read, a rowid range each.
            sql.push(format_args!(
                " FROM (SELECT e.id / {EVENTS_PER_SESSION} AS session_id, {} AS value, \
                 COUNT(*) AS hits FROM sessions s JOIN {} e ON {} WHERE",
                values.column,
                values.table,
                values.of_session()
            ));
            selection.push_where(sql);
            // The grouped events already belong to selected sessions only, so each is
            // joined back to its session by id; `CROSS JOIN` keeps them the outer loop
            // (SQLite 3.46 otherwise rescans them for every selected session).
            sql.push(" GROUP BY 1, 2) AS e CROSS JOIN sessions s ON s.id = e.session_id");
        }
        None => {
            sql.push(" FROM sessions s WHERE");
            selection.push_where(sql);
        }
    }
    sql.push(format_args!(
        ") GROUP BY site_id, k, visitor_id, day) GROUP BY {groups}"
    ));
}

/// Appends the selected sessions' error reports summed per the selection's groups, in a
/// column named `errors`.
pub(super) fn push_errors_query<'a>(
    sql: &mut QueryBuilder<'a, Sqlite>,
    selection: &Selection<'_, 'a>,
    key: &Key<'_>,
) {
    let groups = selection.groups();
    sql.push(format_args!(
        "SELECT {groups}, SUM(count) AS errors FROM (SELECT s.site_id AS site_id, \
         s.day AS day, {} AS k, o.count AS count FROM error_occurrences o \
         JOIN sessions s ON s.id = o.session_id WHERE",
        key.error_expression()
    ));
    selection.push_where(sql);
    sql.push(format_args!(") GROUP BY {groups}"));
}

/// Reads the [`COUNTERS`] of a totals row, columns 1 to 8 (NULL sums are 0).
pub(super) fn totals_from(row: &SqliteRow) -> Result<Totals, sqlx::Error> {
    let sum = |index: usize| -> Result<i64, sqlx::Error> {
        Ok(row.try_get::<Option<i64>, _>(index)?.unwrap_or(0))
    };
    Ok(Totals {
        visitors: sum(1)?,
        sessions: sum(2)?,
        pageviews: sum(3)?,
        events: sum(4)?,
        bounces: sum(5)?,
        engaged: sum(6)?,
        duration_seconds: sum(7)?,
        errors: sum(8)?,
    })
}
