//! Breakdowns: a scope's totals per value of one dimension, biggest first, paged.

use serde::Serialize;
use skopos_core::report::{Dimension, Totals};

use sqlx::{QueryBuilder, Row, Sqlite};

use super::rollups::COUNTERS;
use super::scope::{Scope, Sessions};
use super::totals::{push_grouped, totals_from, Key, Source};
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
        let key = Key::Dimension(dimension);
        let mut sql = QueryBuilder::new("");
        push_page(&mut sql, &key.name("k"), offset, limit, |sql| {
            push_grouped(sql, scope, &key, source);
        });
        self.page(sql, scope, source, offset).await
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
        let mut sql = QueryBuilder::new("");
        push_page(&mut sql, "k", offset, limit, |sql| {
            sql.push(format!(
                "SELECT k, COUNT(*) AS visitors, SUM(n) AS sessions, 0 AS pageviews, \
                 SUM(hits) AS events, 0 AS bounces, 0 AS engaged, 0 AS duration_seconds, \
                 0 AS errors FROM (\
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
            scope.push_where(sql, Sessions::All);
            // Each session's grouped events, joined back to it by id (see `push_sessions_query`).
            sql.push(" GROUP BY 1, 2) AS e CROSS JOIN sessions s ON s.id = e.session_id");
            sql.push(") GROUP BY k, visitor_id, day) GROUP BY k");
        });
        self.page(sql, scope, Source::Rollups, offset).await
    }

    /// Runs a [`push_page`] query, and the scope's totals beside it for the shares.
    async fn page(
        &self,
        mut sql: QueryBuilder<'_, Sqlite>,
        scope: &Scope<'_>,
        source: Source,
        offset: usize,
    ) -> Result<BreakdownPage, StoreError> {
        let (rows, all) = tokio::try_join!(
            async { Ok(sql.build().fetch_all(&self.pool).await?) },
            self.totals(scope, source),
        )?;
        let mut total_rows = 0;
        let mut page = Vec::with_capacity(rows.len());
        for row in rows {
            total_rows = row.try_get::<i64, _>(9)?;
            if row.try_get::<i64, _>(10)? <= place(offset) {
                continue;
            }
            let totals = totals_from(&row)?;
            page.push(BreakdownRow {
                value: row.try_get(0)?,
                share: if all.visitors > 0 {
                    totals.visitors as f64 / all.visitors as f64
                } else {
                    0.0
                },
                totals,
            });
        }
        Ok(BreakdownPage {
            rows: page,
            total_rows: total_rows as usize,
            offset,
        })
    }
}

/// Appends one page of a grouped query (`grouped` appends it: `k` and the [`COUNTERS`] per
/// row): its rows named (`name` of `k`) and ranked by visitors, then by pageviews and
/// events, then by value, with their place and how many there are. The first row always
/// comes back, so that the count does too on a page past the end.
fn push_page<'a>(
    sql: &mut QueryBuilder<'a, Sqlite>,
    name: &str,
    offset: usize,
    limit: usize,
    grouped: impl FnOnce(&mut QueryBuilder<'a, Sqlite>),
) {
    let columns = COUNTERS.join(", ");
    sql.push(format_args!(
        "SELECT value, {columns}, total, place FROM (SELECT value, {columns}, \
         COUNT(*) OVER () AS total, ROW_NUMBER() OVER (\
         ORDER BY visitors DESC, pageviews + events DESC, value) AS place \
         FROM (SELECT {name} AS value, {columns} FROM ("
    ));
    grouped(sql);
    sql.push("))) WHERE place = 1 OR place BETWEEN ")
        .push_bind(place(offset).saturating_add(1))
        .push(" AND ")
        .push_bind(place(offset).saturating_add(place(limit)))
        .push(" ORDER BY place");
}

/// A count of rows as SQL's row numbers.
fn place(rows: usize) -> i64 {
    i64::try_from(rows).unwrap_or(i64::MAX)
}
