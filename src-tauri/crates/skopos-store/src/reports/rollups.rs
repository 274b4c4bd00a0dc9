//! Rollups, kept per visitor-day: the sessions one visitor started on one local day.
//!
//! Every report counts daily unique visitors, so its answer is a sum over visitor-days:
//! what a visitor-day adds to each total (overall, per hour, per dimension value) depends
//! on that visitor-day alone. Once all of a visitor-day's sessions have been idle for
//! [`ROLL_UP_AFTER_MS`] its contributions are added to the rollup tables and its sessions
//! are marked `rolled`, in one transaction ([`roll_up_step`]). When a later hit changes a
//! rolled visitor-day (a late engagement report, a new session the same day), the ingest
//! writer subtracts its contributions and clears the mark in the transaction that stores
//! the hit ([`push_contributions`] with `-1`); it is rolled up again once idle. Reports
//! add rollup rows to a raw scan of the sessions not rolled, so the two never overlap.
//!
//! Both directions work on the session ids listed in the connection's `temp.moving`
//! table, with the same queries reports scan with.

use skopos_core::report::Dimension;
use skopos_core::SESSION_TIMEOUT_MS;
use sqlx::{Connection, QueryBuilder, Sqlite, SqliteConnection};

use super::totals::{push_errors_query, push_sessions_query, Key, Selection};

/// A visitor-day is rolled up once its sessions have all been idle this long: past the
/// session timeout, so the visitor's next hit opens a new session.
pub const ROLL_UP_AFTER_MS: i64 = SESSION_TIMEOUT_MS + 5 * 60 * 1000;

/// Visitor-days rolled up per transaction, so that the writer is never held for long.
const VISITOR_DAYS_PER_STEP: i64 = 5_000;

/// (site id, visitor id, local day)
pub type VisitorDay = (i64, i64, i32);

/// The connection's list of sessions being rolled up or taken back out.
pub(crate) const CREATE_MOVING: &str =
    "CREATE TEMP TABLE IF NOT EXISTS moving (id INTEGER PRIMARY KEY)";

/// Appends the statements that add (`sign` 1) or subtract (`sign` -1) the contributions
/// of the sessions in `temp.moving` to every rollup table.
pub(crate) fn push_contributions(sql: &mut QueryBuilder<'_, Sqlite>, sign: i64) {
    push_table(
        sql,
        "rollup_days",
        "site_id, day",
        "site_id, day",
        &Key::Everything,
        sign,
    );
    push_table(
        sql,
        "rollup_hours",
        "site_id, day, hour",
        "site_id, day, k",
        &Key::Hour,
        sign,
    );
    for dimension in Dimension::ALL {
        let values = format!("site_id, '{}', day, COALESCE(k, '')", dimension.name());
        let key = Key::Dimension(dimension);
        push_table(
            sql,
            "rollup_values",
            "site_id, dimension, day, value",
            &values,
            &key,
            sign,
        );
    }
}

/// One table's upserts: session counters, then errors.
fn push_table(
    sql: &mut QueryBuilder<'_, Sqlite>,
    table: &str,
    key_columns: &str,
    key_values: &str,
    key: &Key<'_>,
    sign: i64,
) {
    const COUNTERS: [&str; 7] = [
        "visitors",
        "sessions",
        "pageviews",
        "events",
        "bounces",
        "engaged",
        "duration_seconds",
    ];
    let columns = COUNTERS.join(", ");
    let signed = COUNTERS.map(|c| format!("{sign} * {c}")).join(", ");
    let added = COUNTERS
        .map(|c| format!("{c} = {c} + excluded.{c}"))
        .join(", ");
    sql.push(format_args!(
        "INSERT INTO {table} ({key_columns}, {columns}, errors) SELECT {key_values}, {signed}, 0 FROM ("
    ));
    push_sessions_query(sql, &Selection::Moving, key);
    sql.push(format_args!(
        ") WHERE true ON CONFLICT ({key_columns}) DO UPDATE SET {added};\n"
    ));
    if key.counts_errors() {
        sql.push(format_args!(
            "INSERT INTO {table} ({key_columns}, {columns}, errors) SELECT {key_values}, \
             0, 0, 0, 0, 0, 0, 0, {sign} * errors FROM ("
        ));
        push_errors_query(sql, &Selection::Moving, key);
        sql.push(format_args!(
            ") WHERE true ON CONFLICT ({key_columns}) DO UPDATE SET errors = errors + excluded.errors;\n"
        ));
    }
}

/// Rolls up visitor-days of one (site, day) whose sessions have all been idle since
/// before `idle_before_ms`, at most [`VISITOR_DAYS_PER_STEP`] of them, in one
/// transaction; returns them, none when nothing is left to roll up. Runs on the writer's
/// connection (or one with `temp.moving`, while no writer runs).
pub(crate) async fn roll_up_step(
    connection: &mut SqliteConnection,
    idle_before_ms: i64,
) -> Result<Vec<VisitorDay>, sqlx::Error> {
    let mut tx = connection.begin_with("BEGIN IMMEDIATE").await?;
    let mut after = (i64::MIN, i32::MIN);
    loop {
        let next: Option<(i64, i32)> = sqlx::query_as(
            "SELECT site_id, day FROM sessions WHERE rolled = 0 AND last_seen < ? \
             AND (site_id, day) > (?, ?) ORDER BY site_id, day LIMIT 1",
        )
        .bind(idle_before_ms)
        .bind(after.0)
        .bind(after.1)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((site_id, day)) = next else {
            tx.commit().await?;
            return Ok(Vec::new());
        };
        let moving = sqlx::query(
            "INSERT INTO temp.moving (id) SELECT s.id FROM (SELECT visitor_id FROM sessions \
             WHERE rolled = 0 AND site_id = ? AND day = ? GROUP BY visitor_id \
             HAVING MAX(last_seen) < ? LIMIT ?) AS v \
             JOIN sessions s ON s.site_id = ? AND s.visitor_id = v.visitor_id AND s.day = ? \
             AND s.rolled = 0",
        )
        .bind(site_id)
        .bind(day)
        .bind(idle_before_ms)
        .bind(VISITOR_DAYS_PER_STEP)
        .bind(site_id)
        .bind(day)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moving == 0 {
            // Every visitor-day of this one is still active; try the next.
            after = (site_id, day);
            continue;
        }
        let visitor_days: Vec<VisitorDay> = sqlx::query_as(
            "SELECT DISTINCT site_id, visitor_id, day FROM sessions \
             WHERE id IN (SELECT id FROM temp.moving)",
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut sql = QueryBuilder::new("");
        push_contributions(&mut sql, 1);
        sql.push(
            "UPDATE sessions SET rolled = 1 WHERE id IN (SELECT id FROM temp.moving);\n\
             DELETE FROM temp.moving;",
        );
        sql.build().persistent(false).execute(&mut *tx).await?;
        tx.commit().await?;
        return Ok(visitor_days);
    }
}

/// Deletes the rollup rows of every day that still has sessions (all sites, or one) and
/// marks those sessions not rolled up, in one transaction; days whose raw data retention
/// has deleted keep their rows.
pub(crate) async fn reset(
    connection: &mut SqliteConnection,
    site_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    let mut tx = connection.begin_with("BEGIN IMMEDIATE").await?;
    for table in ["rollup_days", "rollup_hours", "rollup_values"] {
        let mut delete = QueryBuilder::<Sqlite>::new(format!(
            "DELETE FROM {table} WHERE (site_id, day) IN (SELECT DISTINCT site_id, day FROM sessions"
        ));
        if let Some(site_id) = site_id {
            delete.push(" WHERE site_id = ").push_bind(site_id);
        }
        delete.push(")").build().execute(&mut *tx).await?;
    }
    let mut unroll = QueryBuilder::<Sqlite>::new("UPDATE sessions SET rolled = 0 WHERE rolled = 1");
    if let Some(site_id) = site_id {
        unroll.push(" AND site_id = ").push_bind(site_id);
    }
    unroll.build().execute(&mut *tx).await?;
    tx.commit().await
}
