//! Breakdowns: a scope's totals per value of one dimension, biggest first, paged.

use std::collections::HashMap;

use serde::Serialize;
use skopos_core::report::{Dimension, Totals};

use sqlx::{QueryBuilder, Row, Sqlite};

use super::scope::{Scope, Sessions};
use super::totals::{Key, Source};
use crate::event_rows::{of_session, CUSTOM, EVENTS_PER_SESSION};
use crate::{Store, StoreError};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BreakdownRow {
    /// `None` for sessions without a value (a direct visit has no referrer).
    pub value: Option<String>,
    /// For pages, `pageviews` counts views of that page and `errors` errors on it; for
    /// events, `events` counts how often it fired. The rest describe the sessions.
    #[serde(flatten)]
    pub totals: Totals,
    /// This row's visitors as a share of all the scope's visitors.
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct BreakdownPage {
    pub rows: Vec<BreakdownRow>,
    /// Rows over all pages.
    pub total_rows: usize,
    pub offset: usize,
}

impl Store {
    pub async fn breakdown(
        &self,
        scope: &Scope<'_>,
        dimension: Dimension,
        offset: usize,
        limit: usize,
        source: Source,
    ) -> Result<BreakdownPage, StoreError> {
        let grouped: HashMap<Option<String>, Totals> = self
            .grouped_totals(scope, &Key::Dimension(dimension), source)
            .await?;
        let all_visitors = self.totals(scope, source).await?.visitors;
        Ok(page_of(grouped, all_visitors, offset, limit))
    }

    /// The property names a custom event was sent with in the scope's sessions, most used
    /// first (at most `limit`); raw scan.
    pub async fn event_properties(
        &self,
        scope: &Scope<'_>,
        event: &str,
        limit: usize,
    ) -> Result<Vec<String>, StoreError> {
        let mut sql = QueryBuilder::<Sqlite>::new(format!(
            "SELECT p.key FROM sessions s JOIN event_rows e ON {}, json_each(e.props) p \
             WHERE e.kind = {CUSTOM} AND e.props IS NOT NULL \
             AND e.name = (SELECT id FROM strings WHERE value = ",
            of_session("s", "e")
        ));
        sql.push_bind(event).push(") AND");
        scope.push_where(&mut sql, Sessions::All);
        sql.push(" GROUP BY p.key ORDER BY COUNT(*) DESC, p.key LIMIT ")
            .push_bind(limit as i64);
        Ok(sql.build_query_scalar().fetch_all(&self.pool).await?)
    }

    /// The values one property of a custom event took, with the visitors, sessions and
    /// times (`events`) the event fired with each; raw scan.
    pub async fn property_breakdown(
        &self,
        scope: &Scope<'_>,
        event: &str,
        property: &str,
        offset: usize,
        limit: usize,
    ) -> Result<BreakdownPage, StoreError> {
        let mut sql = QueryBuilder::<Sqlite>::new(format!(
            "SELECT k, COUNT(*), SUM(n), SUM(hits) FROM (\
             SELECT k, COUNT(*) AS n, SUM(hits) AS hits FROM (\
             SELECT e.value AS k, s.visitor_id AS visitor_id, s.day AS day, e.hits AS hits \
             FROM (SELECT e.id / {EVENTS_PER_SESSION} AS session_id, CAST(e.props ->> "
        ));
        sql.push_bind(property)
            .push(format_args!(
                " AS TEXT) AS value, COUNT(*) AS hits FROM sessions s JOIN event_rows e ON {} \
                 WHERE e.kind = {CUSTOM} AND e.name = (SELECT id FROM strings WHERE value = ",
                of_session("s", "e")
            ))
            .push_bind(event)
            .push(") AND");
        scope.push_where(&mut sql, Sessions::All);
        // Each session's grouped events, joined back to it by id (see `push_sessions_query`).
        sql.push(" GROUP BY 1, 2) AS e CROSS JOIN sessions s ON s.id = e.session_id");
        sql.push(") GROUP BY k, visitor_id, day) GROUP BY k");
        let mut grouped = HashMap::new();
        for row in sql.build().fetch_all(&self.pool).await? {
            let totals = Totals {
                visitors: row.try_get(1)?,
                sessions: row.try_get(2)?,
                events: row.try_get(3)?,
                ..Totals::default()
            };
            grouped.insert(row.try_get::<Option<String>, _>(0)?, totals);
        }
        let all_visitors = self.totals(scope, Source::Rollups).await?.visitors;
        Ok(page_of(grouped, all_visitors, offset, limit))
    }
}

/// Rows ranked by visitors, then by pageviews and events, then by value; one page of them.
fn page_of(
    grouped: HashMap<Option<String>, Totals>,
    all_visitors: i64,
    offset: usize,
    limit: usize,
) -> BreakdownPage {
    let mut rows: Vec<BreakdownRow> = grouped
        .into_iter()
        .map(|(value, totals)| BreakdownRow {
            value,
            share: if all_visitors > 0 {
                totals.visitors as f64 / all_visitors as f64
            } else {
                0.0
            },
            totals,
        })
        .collect();
    rows.sort_by(|a, b| {
        (b.totals.visitors, b.totals.pageviews + b.totals.events)
            .cmp(&(a.totals.visitors, a.totals.pageviews + a.totals.events))
            .then_with(|| a.value.cmp(&b.value))
    });
    let total_rows = rows.len();
    let rows = rows.into_iter().skip(offset).take(limit).collect();
    BreakdownPage {
        rows,
        total_rows,
        offset,
    }
}
