//! [`Totals`] of a scope, overall, per day, per time bucket or per dimension value.

use std::collections::HashMap;
use std::hash::Hash;

use serde::Serialize;
use skopos_core::report::{Dimension, Totals};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};

use super::scope::{event_column, session_column, Scope};
use crate::{Store, StoreError};

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
            Key::Dimension(Dimension::Page) => "o.path".into(),
            other => other.expression(),
        }
    }
}

impl Store {
    /// Totals of a scope grouped by `key`, with keys decoded as `K`.
    pub(super) async fn grouped_totals<K>(
        &self,
        scope: &Scope<'_>,
        key: &Key<'_>,
    ) -> Result<HashMap<K, Totals>, StoreError>
    where
        K: for<'r> sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite> + Eq + Hash + Send + Unpin,
    {
        let mut sql = sessions_query(scope, key);
        let rows = sql.build().fetch_all(&self.pool).await?;
        let mut grouped = HashMap::with_capacity(rows.len());
        for row in rows {
            grouped.insert(row.try_get::<K, _>(0)?, totals_from(&row)?);
        }
        if matches!(key, Key::Dimension(Dimension::Event)) {
            return Ok(grouped);
        }
        let mut sql = QueryBuilder::new("SELECT ");
        sql.push(key.error_expression()).push(
            " AS k, SUM(o.count) FROM error_occurrences o JOIN sessions s ON s.id = o.session_id WHERE",
        );
        scope.push_where(&mut sql);
        sql.push(" GROUP BY k");
        for row in sql.build().fetch_all(&self.pool).await? {
            let errors: i64 = row.try_get(1)?;
            grouped.entry(row.try_get::<K, _>(0)?).or_default().errors += errors;
        }
        Ok(grouped)
    }

    /// Totals of a whole scope.
    pub async fn totals(&self, scope: &Scope<'_>) -> Result<Totals, StoreError> {
        let grouped: HashMap<i64, Totals> = self.grouped_totals(scope, &Key::Everything).await?;
        Ok(grouped.into_values().next().unwrap_or_default())
    }

    /// Totals per local day, for days that have sessions, in day order.
    pub async fn daily_totals(&self, scope: &Scope<'_>) -> Result<Vec<DayTotals>, StoreError> {
        let grouped: HashMap<i32, Totals> = self.grouped_totals(scope, &Key::Day).await?;
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
        let mut grouped: HashMap<Option<i64>, Totals> =
            self.grouped_totals(scope, &Key::Buckets(bounds)).await?;
        Ok((0..bounds.len().saturating_sub(1) as i64)
            .map(|index| grouped.remove(&Some(index)).unwrap_or_default())
            .collect())
    }
}

/// Sessions of the scope (with, for page and event keys, their matching events) reduced
/// to one row per (key, session), then per (key, visitor, day), then per key.
fn sessions_query<'a>(scope: &Scope<'a>, key: &Key<'_>) -> QueryBuilder<'a, Sqlite> {
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
            sql.push(format_args!(
                " FROM (SELECT e.session_id, {column} AS value, COUNT(*) AS hits FROM events e \
                 WHERE e.site_id = "
            ))
            .push_bind(scope.site_id)
            .push(format_args!(
                " AND e.kind = '{kind}' GROUP BY e.session_id, value) AS e \
                 JOIN sessions s ON s.id = e.session_id WHERE"
            ));
        }
        None => {
            sql.push(" FROM sessions s WHERE");
        }
    }
    scope.push_where(&mut sql);
    sql.push(") GROUP BY k, visitor_id, day) GROUP BY k");
    sql
}

fn totals_from(row: &SqliteRow) -> Result<Totals, sqlx::Error> {
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
        errors: 0,
    })
}
