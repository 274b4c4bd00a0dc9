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

/// Lengths, in days, of the aligned blocks `rollup_values` keeps besides single days.
pub(super) const BLOCKS: [i32; 2] = [7, 28];

/// The connection's working tables: the sessions being rolled up or taken back out, and
/// what they contribute, per (site, key, day, value), before it goes into the rollups.
/// Keys are [`DAY_TOTALS`], [`HOUR_TOTALS`] or a dimension's code.
pub(crate) const CREATE_TEMP_TABLES: &str = "\
    CREATE TEMP TABLE IF NOT EXISTS moving (id INTEGER PRIMARY KEY);\n\
    CREATE TEMP TABLE IF NOT EXISTS contributions (site_id INTEGER, key INTEGER, day INTEGER, \
    value, visitors INTEGER, sessions INTEGER, pageviews INTEGER, events INTEGER, \
    bounces INTEGER, engaged INTEGER, duration_seconds INTEGER, errors INTEGER);";

/// `contributions.key` of a day's totals, and of an hour's.
const DAY_TOTALS: i64 = -1;
const HOUR_TOTALS: i64 = -2;

/// The counters of totals rows and rollup tables, in [`Totals`](skopos_core::report::Totals)'s order.
pub(super) const COUNTERS: [&str; 8] = [
    "visitors",
    "sessions",
    "pageviews",
    "events",
    "bounces",
    "engaged",
    "duration_seconds",
    "errors",
];

/// Appends the statements that add (`sign` 1) or subtract (`sign` -1) the contributions
/// of the sessions in `temp.moving` to every rollup table.
pub(crate) fn push_contributions(sql: &mut QueryBuilder<'_, Sqlite>, sign: i64) {
    stage(sql, DAY_TOTALS, &Key::Everything, sign);
    stage(sql, HOUR_TOTALS, &Key::Hour, sign);
    for dimension in Dimension::ALL {
        stage(sql, dimension.code(), &Key::Dimension(dimension), sign);
    }
    let columns = COUNTERS.join(", ");
    let sums = COUNTERS.map(|c| format!("SUM({c})")).join(", ");
    let added = COUNTERS
        .map(|c| format!("{c} = {c} + excluded.{c}"))
        .join(", ");
    sql.push(format_args!(
        "INSERT INTO rollup_days (site_id, day, {columns}) SELECT site_id, day, {sums} \
         FROM temp.contributions WHERE key = {DAY_TOTALS} GROUP BY site_id, day \
         ON CONFLICT (site_id, day) DO UPDATE SET {added};\n\
         INSERT INTO rollup_hours (site_id, day, hour, {columns}) SELECT site_id, day, value, \
         {sums} FROM temp.contributions WHERE key = {HOUR_TOTALS} GROUP BY site_id, day, value \
         ON CONFLICT (site_id, day, hour) DO UPDATE SET {added};\n"
    ));
    for days in std::iter::once(1).chain(BLOCKS) {
        sql.push(format_args!(
            "INSERT INTO rollup_values (site_id, dimension, days, day, value, {columns}) \
             SELECT site_id, key, {days}, day / {days} * {days} AS first, value, {sums} \
             FROM temp.contributions WHERE key >= 0 \
             GROUP BY site_id, key, first, value \
             ON CONFLICT (site_id, dimension, days, day, value) DO UPDATE SET {added};\n"
        ));
    }
    sql.push("DELETE FROM temp.contributions;\n");
}

/// Stages what the moving sessions contribute per (site, day, key value): session
/// counters, then errors. Dimension values are string ids, 0 for none.
fn stage(sql: &mut QueryBuilder<'_, Sqlite>, label: i64, key: &Key<'_>, sign: i64) {
    let columns = COUNTERS.join(", ");
    let signed = COUNTERS[..7]
        .iter()
        .map(|c| format!("{sign} * {c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let value = match key {
        Key::Dimension(_) => "COALESCE(k, 0)",
        _ => "k",
    };
    sql.push(format_args!(
        "INSERT INTO temp.contributions (site_id, key, day, value, {columns}) \
         SELECT site_id, {label}, day, {value}, {signed}, 0 FROM ("
    ));
    push_sessions_query(sql, &Selection::Moving, key);
    sql.push(");\n");
    if key.counts_errors() {
        sql.push(format_args!(
            "INSERT INTO temp.contributions (site_id, key, day, value, {columns}) \
             SELECT site_id, {label}, day, {value}, 0, 0, 0, 0, 0, 0, 0, {sign} * errors FROM ("
        ));
        push_errors_query(sql, &Selection::Moving, key);
        sql.push(");\n");
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
            "SELECT site_id, day FROM sessions WHERE rolled = 0 AND started_at + length_ms < ? \
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
        // (`+visitor_id` keeps SQLite from walking every session of the site in visitor
        // order instead of the day's unrolled ones.)
        let moving = sqlx::query(
            "INSERT INTO temp.moving (id) SELECT s.id FROM (SELECT visitor_id FROM sessions \
             WHERE rolled = 0 AND site_id = ? AND day = ? GROUP BY +visitor_id \
             HAVING MAX(started_at + length_ms) < ? LIMIT ?) AS v \
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
/// has deleted keep their rows, and blocks are summed again from them.
pub(crate) async fn reset(
    connection: &mut SqliteConnection,
    site_id: Option<i64>,
) -> Result<(), sqlx::Error> {
    let mut tx = connection.begin_with("BEGIN IMMEDIATE").await?;
    let site = |sql: &mut QueryBuilder<'_, Sqlite>, joiner: &str| {
        if let Some(site_id) = site_id {
            sql.push(format_args!(" {joiner} site_id = "))
                .push_bind(site_id);
        }
    };
    for (table, single_days) in [
        ("rollup_days", ""),
        ("rollup_hours", ""),
        ("rollup_values", " AND days = 1"),
    ] {
        let mut delete = QueryBuilder::<Sqlite>::new(format!(
            "DELETE FROM {table} WHERE (site_id, day) IN (SELECT DISTINCT site_id, day FROM sessions"
        ));
        site(&mut delete, "WHERE");
        delete.push(")").push(single_days);
        delete.build().execute(&mut *tx).await?;
    }
    let mut blocks = QueryBuilder::<Sqlite>::new("DELETE FROM rollup_values WHERE days > 1");
    site(&mut blocks, "AND");
    blocks.build().execute(&mut *tx).await?;
    let columns = COUNTERS.join(", ");
    let sums = COUNTERS.map(|c| format!("SUM({c})")).join(", ");
    for days in BLOCKS {
        let mut sum = QueryBuilder::<Sqlite>::new(format!(
            "INSERT INTO rollup_values (site_id, dimension, days, day, value, {columns}) \
             SELECT site_id, dimension, {days}, day / {days} * {days} AS first, value, {sums} \
             FROM rollup_values WHERE days = 1"
        ));
        site(&mut sum, "AND");
        sum.push(" GROUP BY site_id, dimension, first, value");
        sum.build().execute(&mut *tx).await?;
    }
    let mut unroll = QueryBuilder::<Sqlite>::new("UPDATE sessions SET rolled = 0 WHERE rolled = 1");
    site(&mut unroll, "AND");
    unroll.build().execute(&mut *tx).await?;
    tx.commit().await
}
