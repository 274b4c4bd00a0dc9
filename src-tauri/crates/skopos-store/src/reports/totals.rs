//! [`Totals`] of a scope, overall, per day, per time bucket or per dimension value.

use std::collections::HashMap;
use std::hash::Hash;

use serde::Serialize;
use skopos_core::report::{Dimension, Totals};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};

use super::scope::{event_column, session_column, Scope, Sessions};
use crate::{Store, StoreError};

/// Where report answers come from. Both give the same numbers; the property tests and the
/// benchmark compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Every session of the scope, read raw.
    RawScan,
    /// Rollup rows for days already rolled up plus a raw scan of the rest; filtered
    /// reports and hourly buckets always scan.
    Rollups,
}

/// What rows are grouped by.
pub(super) enum Key<'a> {
    Everything,
    Day,
    /// Bucket `i` holds sessions that started in `[bounds[i], bounds[i + 1])`.
    Buckets(&'a [i64]),
    Dimension(Dimension),
}

/// One local day's totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DayTotals {
    pub day: i32,
    #[serde(flatten)]
    pub totals: Totals,
}

impl Key<'_> {
    /// The key of a session row (`s`), or of its events' value (`e.value`) for page and
    /// event dimensions.
    fn expression(&self) -> String {
        match self {
            Key::Everything => "0".into(),
            Key::Day => "s.day".into(),
            Key::Buckets(bounds) => {
                let mut case = String::from("CASE");
                for (index, end) in bounds.iter().skip(1).enumerate() {
                    case.push_str(&format!(" WHEN s.started_at < {end} THEN {index}"));
                }
                case.push_str(" END");
                case
            }
            Key::Dimension(dimension) => session_column(*dimension).unwrap_or("e.value").into(),
        }
    }

    /// The errors' key: the page an error happened on for pages, else the session's.
    fn error_expression(&self) -> String {
        match self {
            Key::Dimension(Dimension::Page) => "NULLIF(o.path, '')".into(),
            other => other.expression(),
        }
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
        let from_rollups = source == Source::Rollups
            && scope.filters.is_empty()
            && !matches!(key, Key::Buckets(_));
        if !from_rollups {
            return self.scan(scope, key, Sessions::All).await;
        }
        let mut grouped = self.scan(scope, key, Sessions::Unrolled).await?;
        for (key, totals) in self.rolled_up::<K>(scope, key).await? {
            grouped.entry(key).or_default().add(&totals);
        }
        Ok(grouped)
    }

    /// Totals from a raw scan of the scope's sessions.
    pub(super) async fn scan<K: GroupKey>(
        &self,
        scope: &Scope<'_>,
        key: &Key<'_>,
        sessions: Sessions,
    ) -> Result<HashMap<K, Totals>, StoreError> {
        let mut sql = sessions_query(scope, key, sessions);
        let rows = sql.build().fetch_all(&self.pool).await?;
        let mut grouped = HashMap::with_capacity(rows.len());
        for row in rows {
            grouped.insert(row.try_get::<K, _>(0)?, totals_from(&row, None)?);
        }
        if matches!(key, Key::Dimension(Dimension::Event)) {
            return Ok(grouped);
        }
        let mut sql = QueryBuilder::new("SELECT ");
        sql.push(key.error_expression()).push(
            " AS k, SUM(o.count) FROM error_occurrences o JOIN sessions s ON s.id = o.session_id WHERE",
        );
        scope.push_where(&mut sql, sessions);
        sql.push(" GROUP BY k");
        for row in sql.build().fetch_all(&self.pool).await? {
            let errors: i64 = row.try_get(1)?;
            grouped.entry(row.try_get::<K, _>(0)?).or_default().errors += errors;
        }
        Ok(grouped)
    }

    /// Rollup rows of the scope's days, grouped like a scan (never with filters).
    async fn rolled_up<K: GroupKey>(
        &self,
        scope: &Scope<'_>,
        key: &Key<'_>,
    ) -> Result<Vec<(K, Totals)>, StoreError> {
        const SUMS: &str = "SUM(visitors), SUM(sessions), SUM(pageviews), SUM(events), \
                            SUM(bounces), SUM(engaged), SUM(duration_seconds), SUM(errors)";
        let mut sql = QueryBuilder::new("SELECT ");
        match key {
            Key::Dimension(dimension) => {
                sql.push(format_args!(
                    "NULLIF(value, ''), {SUMS} FROM rollup_values WHERE dimension = '{}' AND ",
                    dimension.name()
                ));
            }
            Key::Day => {
                sql.push(format_args!("day, {SUMS} FROM rollup_days WHERE "));
            }
            Key::Everything | Key::Buckets(_) => {
                sql.push(format_args!("0, {SUMS} FROM rollup_days WHERE "));
            }
        }
        sql.push("site_id = ")
            .push_bind(scope.site_id)
            .push(" AND day BETWEEN ")
            .push_bind(scope.first_day)
            .push(" AND ")
            .push_bind(scope.last_day)
            .push(" GROUP BY 1");
        let rows = sql.build().fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| Ok((row.try_get::<K, _>(0)?, totals_from(row, Some(8))?)))
            .collect()
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
    /// bucket, empty ones included. Visitors are unique per bucket.
    pub async fn bucket_totals(
        &self,
        scope: &Scope<'_>,
        bounds: &[i64],
    ) -> Result<Vec<Totals>, StoreError> {
        let mut grouped: HashMap<Option<i64>, Totals> = self
            .grouped_totals(scope, &Key::Buckets(bounds), Source::RawScan)
            .await?;
        Ok((0..bounds.len().saturating_sub(1) as i64)
            .map(|index| grouped.remove(&Some(index)).unwrap_or_default())
            .collect())
    }
}

/// Sessions of the scope (with, for page and event keys, their matching events) reduced
/// to one row per (key, session), then per (key, visitor, day), then per key.
fn sessions_query<'a>(
    scope: &Scope<'a>,
    key: &Key<'_>,
    sessions: Sessions,
) -> QueryBuilder<'a, Sqlite> {
    let event = match key {
        Key::Dimension(dimension) => event_column(*dimension),
        _ => None,
    };
    let (pageviews, events) = match event {
        Some(("pageview", _)) => ("hits", "s.events"),
        Some(_) => ("s.pageviews", "hits"),
        None => ("s.pageviews", "s.events"),
    };
    let mut sql = QueryBuilder::new(
        "SELECT k, COUNT(*), SUM(n), SUM(pv), SUM(ev), SUM(b), SUM(en), SUM(d) FROM (\
         SELECT k, COUNT(*) AS n, SUM(pv) AS pv, SUM(ev) AS ev, SUM(b) AS b, SUM(en) AS en, \
         SUM(d) AS d FROM (SELECT ",
    );
    sql.push(key.expression()).push(format_args!(
        " AS k, s.visitor_id AS visitor_id, s.day AS day, {pageviews} AS pv, {events} AS ev, \
         (s.pageviews <= 1 AND s.events = 0) AS b, \
         (s.engaged_seconds >= 10 OR s.pageviews >= 2 OR s.events > 0) AS en, \
         MAX(s.engaged_seconds, (s.last_seen - s.started_at) / 1000) AS d"
    ));
    match event {
        Some((kind, column)) => {
            // Only the scope's sessions' events are read, through `events_session`.
            sql.push(format_args!(
                " FROM (SELECT e.session_id, {column} AS value, COUNT(*) AS hits FROM events e \
                 WHERE e.kind = '{kind}' AND e.session_id IN (SELECT s.id FROM sessions s WHERE"
            ));
            scope.push_where(&mut sql, sessions);
            sql.push(
                ") GROUP BY e.session_id, value) AS e JOIN sessions s ON s.id = e.session_id WHERE",
            );
        }
        None => {
            sql.push(" FROM sessions s WHERE");
        }
    }
    scope.push_where(&mut sql, sessions);
    sql.push(") GROUP BY k, visitor_id, day) GROUP BY k");
    sql
}

/// Reads columns 1 to 7 (and `errors` from column `errors`, if given) of a totals row.
fn totals_from(row: &SqliteRow, errors: Option<usize>) -> Result<Totals, sqlx::Error> {
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
        errors: errors.map(sum).transpose()?.unwrap_or(0),
    })
}
