//! One transaction of the ingest writer: resolve sessions, plan every row in memory, then
//! send the whole transaction to SQLite as one multi-statement query.
//!
//! Each round trip to sqlx's SQLite worker thread costs a thread hop, which under load is
//! worth more than the inserts themselves; so a batch makes queries only for what its
//! caches do not know (visitors' sessions, strings, combinations describing sessions), then
//! one `BEGIN IMMEDIATE; …; COMMIT`.
//! Only anonymous `?` parameters are used, which sqlx binds in order across statements.
//!
//! A hit that changes a rolled-up visitor-day first takes it back out of the rollups, in
//! the same transaction (see `crate::reports::rollups`).

use std::collections::{HashMap, HashSet};

use skopos_core::beacon::{ErrorReport, EventKind, Identity};
use skopos_core::hit::Hit;
use skopos_core::period::LONGEST_DAY_MS;
use skopos_core::{SESSION_FINAL_AFTER_MS, SESSION_TIMEOUT_MS};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::combinations::{label_texts, LabelCaches, Labels};
use super::sessions::{ActiveSession, SessionCache, VisitorKey};
use super::strings::StringCache;
use crate::event_rows::{CUSTOM, DOWNLOAD, OUTBOUND, PAGEVIEW};
use crate::reports::rollups::push_contributions;
use crate::reports::VisitorDay;

/// How far back a hit can reach its visitor's latest session: an engagement report comes
/// at most [`SESSION_FINAL_AFTER_MS`] after it, and a new session the same local day
/// needs to know whether that day was rolled up.
const REACH_MS: i64 = if SESSION_FINAL_AFTER_MS > LONGEST_DAY_MS {
    SESSION_FINAL_AFTER_MS
} else {
    LONGEST_DAY_MS
};

/// SQLite allows 32,766 bound parameters per statement; stay well below.
pub(super) const MAX_PARAMS: usize = 30_000;

/// Everything a batch will write, gathered before the first statement runs.
#[derive(Default)]
struct Plan<'a> {
    events: Vec<EventRow<'a>>,
    errors: Vec<(i64, &'a Hit, &'a ErrorReport)>,
    identities: Vec<(VisitorKey, i64, &'a Identity)>,
    /// First and last hit of each visitor in the batch.
    visitors: HashMap<VisitorKey, (i64, i64)>,
    opened: HashSet<i64>,
    touched: Vec<VisitorKey>,
    touched_set: HashSet<VisitorKey>,
    /// Rolled-up visitor-days this batch changes.
    unroll: HashSet<VisitorDay>,
    /// Sessions this batch changed before a new one replaced them in the cache.
    replaced: Vec<(VisitorKey, ActiveSession)>,
    /// What describes the sessions this batch opens.
    labels: HashMap<i64, Labels>,
}

/// A row of `pageviews` or `event_rows` (see [`crate::event_rows`]).
struct EventRow<'a> {
    id: i64,
    offset_ms: i64,
    kind: i64,
    path: i64,
    name: Option<i64>,
    target: Option<&'a str>,
    props: Option<&'a str>,
}

impl Plan<'_> {
    fn touch(&mut self, key: VisitorKey) {
        if self.touched_set.insert(key) {
            self.touched.push(key);
        }
    }
}

pub(super) async fn write(
    connection: &mut SqliteConnection,
    cache: &mut SessionCache,
    strings: &mut StringCache,
    labels: &mut LabelCaches,
    hits: &[&Hit],
) -> Result<(), sqlx::Error> {
    let Some(oldest) = hits.iter().map(|hit| hit.at_ms).min() else {
        return Ok(());
    };
    let keys = hits.iter().map(|hit| (hit.site_id, hit.visitor_id));
    cache
        .fetch_missing(connection, keys, oldest - REACH_MS)
        .await?;
    strings
        .fetch_missing(connection, hits.iter().flat_map(|hit| interned(hit)))
        .await?;
    let openers = hits.iter().filter(|hit| hit.starts_session());
    labels
        .fetch_missing(connection, strings, openers.map(|hit| &*hit.visit))
        .await?;

    let mut plan = Plan::default();
    let mut newest = i64::MIN;
    for &hit in hits {
        newest = newest.max(hit.at_ms);
        let key = (hit.site_id, hit.visitor_id);
        let seen = plan.visitors.entry(key).or_insert((hit.at_ms, hit.at_ms));
        seen.0 = seen.0.min(hit.at_ms);
        seen.1 = seen.1.max(hit.at_ms);
        plan_hit(&mut plan, cache, strings, labels, key, hit);
    }

    let new_strings = strings.take_new();
    let written = {
        let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new("BEGIN IMMEDIATE;\n");
        push_unroll(&mut sql, &plan.unroll);
        push_sessions(&mut sql, cache, &plan);
        push_strings(&mut sql, &new_strings);
        labels.push_new(&mut sql);
        push_events(&mut sql, &plan.events);
        push_visitors(&mut sql, &plan);
        push_errors(&mut sql, &plan.errors);
        sql.push("COMMIT;");
        sql.build()
            .persistent(false)
            .execute(&mut *connection)
            .await
    };
    if written.is_err() {
        // The transaction may be open (a statement after BEGIN failed) or not; either way
        // nothing of this batch is kept.
        let _ = sqlx::query("ROLLBACK").execute(&mut *connection).await;
    }
    cache.sweep(newest);
    written.map(drop)
}

/// The strings a hit's rows may refer to.
fn interned(hit: &Hit) -> impl Iterator<Item = &str> {
    let name = match &hit.kind {
        EventKind::Custom { name, .. } => Some(name.as_str()),
        _ => None,
    };
    // A hit that can open a session needs its page and the visit's texts.
    let opener = hit
        .starts_session()
        .then(|| std::iter::once(hit.path.as_str()).chain(label_texts(&hit.visit)));
    opener.into_iter().flatten().chain(name)
}

fn plan_hit<'a>(
    plan: &mut Plan<'a>,
    cache: &mut SessionCache,
    strings: &mut StringCache,
    labels: &mut LabelCaches,
    key: VisitorKey,
    hit: &'a Hit,
) {
    match &hit.kind {
        EventKind::Identify(identity) => plan.identities.push((key, hit.at_ms, identity)),
        EventKind::Engagement { seconds } => {
            // A long read can outlast the session timeout, so the window grows with it.
            let window = SESSION_TIMEOUT_MS + i64::from(*seconds) * 1000;
            if let Some(session) = cache
                .latest_mut(key)
                .filter(|s| hit.at_ms - s.last_seen <= window)
            {
                if std::mem::take(&mut session.rolled) {
                    plan.unroll.insert((key.0, key.1, session.day));
                }
                session.engaged_seconds += i64::from(*seconds);
                session.last_seen = session.last_seen.max(hit.at_ms);
                plan.touch(key);
            }
        }
        kind => {
            let previous = cache.latest(key).map(|s| (s.day, s.rolled));
            let touched_before = plan.touched_set.contains(&key);
            let path = strings.id_of(&hit.path);
            let (session, opened, replaced) = cache.session_for(key, hit, path);
            if let Some(replaced) = replaced.filter(|_| touched_before) {
                plan.replaced.push((key, replaced));
            }
            if opened {
                plan.opened.insert(session.id);
                plan.labels
                    .insert(session.id, labels.labels_of(&hit.visit, strings));
                // The visitor's earlier sessions of the day are rolled up.
                if previous == Some((session.day, true)) {
                    plan.unroll.insert((key.0, key.1, session.day));
                }
            } else if std::mem::take(&mut session.rolled) {
                plan.unroll.insert((key.0, key.1, session.day));
            }
            session.last_seen = session.last_seen.max(hit.at_ms);
            let (id, offset_ms) = (session.next_event_id(), hit.at_ms - session.started_at);
            let mut row = |kind, name: Option<&str>, target, props| EventRow {
                id,
                offset_ms,
                kind,
                path,
                name: name.map(|name| strings.id_of(name)),
                target,
                props,
            };
            match kind {
                EventKind::Pageview => {
                    session.pageviews += 1;
                    session.exit_path = path;
                    plan.events.push(row(PAGEVIEW, None, None, None));
                }
                EventKind::Custom { name, props } => {
                    session.events += 1;
                    plan.events
                        .push(row(CUSTOM, Some(name), None, props.as_deref()));
                }
                EventKind::Outbound { target } => {
                    session.events += 1;
                    plan.events.push(row(OUTBOUND, None, Some(target), None));
                }
                EventKind::Download { target } => {
                    session.events += 1;
                    plan.events.push(row(DOWNLOAD, None, Some(target), None));
                }
                EventKind::Error(report) => plan.errors.push((session.id, hit, report)),
                EventKind::Engagement { .. } | EventKind::Identify(_) => {}
            }
            plan.touch(key);
        }
    }
}

/// Takes the visitor-days out of the rollups before anything of theirs changes.
fn push_unroll(sql: &mut QueryBuilder<'_, Sqlite>, unroll: &HashSet<VisitorDay>) {
    if unroll.is_empty() {
        return;
    }
    let unroll: Vec<VisitorDay> = unroll.iter().copied().collect();
    for chunk in unroll.chunks(MAX_PARAMS / 3) {
        sql.push("INSERT OR IGNORE INTO temp.moving (id) SELECT s.id FROM (");
        sql.push_values(chunk, |mut row, &(site_id, visitor_id, day)| {
            row.push_bind(site_id).push_bind(visitor_id).push_bind(day);
        });
        sql.push(
            ") AS v JOIN sessions s ON s.site_id = v.column1 AND s.visitor_id = v.column2 \
             AND s.day = v.column3 WHERE s.rolled = 1;\n",
        );
    }
    push_contributions(sql, -1);
    sql.push(
        "UPDATE sessions SET rolled = 0 WHERE id IN (SELECT id FROM temp.moving);\n\
         DELETE FROM temp.moving;\n",
    );
}

/// New sessions as multi-row inserts, continued ones as one `UPDATE … FROM (VALUES …)`.
fn push_sessions<'a>(
    sql: &mut QueryBuilder<'a, Sqlite>,
    cache: &'a SessionCache,
    plan: &'a Plan<'_>,
) {
    let (opened, continued): (Vec<_>, Vec<_>) = plan
        .touched
        .iter()
        .filter_map(|&key| cache.latest(key).map(|session| (key, session)))
        .chain(plan.replaced.iter().map(|(key, session)| (*key, session)))
        .partition(|(_, session)| plan.opened.contains(&session.id));

    const INSERT_COLUMNS: usize = 14;
    for chunk in opened.chunks(MAX_PARAMS / INSERT_COLUMNS) {
        sql.push(format_args!(
            "INSERT INTO sessions (id, site_id, visitor_id, started_at, length_ms, entry_path, \
             exit_path, pageviews, events, engaged_seconds, day, source, client, place) "
        ));
        sql.push_values(chunk, |mut row, &((site_id, visitor_id), session)| {
            let labels = plan.labels.get(&session.id);
            row.push_bind(session.id)
                .push_bind(site_id)
                .push_bind(visitor_id)
                .push_bind(session.started_at)
                .push_bind(session.last_seen - session.started_at)
                .push_bind(session.entry_path)
                .push_bind(session.exit_path)
                .push_bind(session.pageviews)
                .push_bind(session.events)
                .push_bind(session.engaged_seconds)
                .push_bind(session.day);
            row.push_bind(labels.map(|l| l.source))
                .push_bind(labels.map(|l| l.client))
                .push_bind(labels.map(|l| l.place));
        });
        sql.push(";\n");
    }

    const UPDATE_COLUMNS: usize = 6;
    for chunk in continued.chunks(MAX_PARAMS / UPDATE_COLUMNS) {
        sql.push("WITH v (id, length_ms, exit_path, pageviews, events, engaged_seconds) AS (");
        sql.push_values(chunk, |mut row, &(_, session)| {
            row.push_bind(session.id)
                .push_bind(session.last_seen - session.started_at)
                .push_bind(session.exit_path)
                .push_bind(session.pageviews)
                .push_bind(session.events)
                .push_bind(session.engaged_seconds);
        });
        sql.push(
            ") UPDATE sessions SET length_ms = v.length_ms, exit_path = v.exit_path, \
             pageviews = v.pageviews, events = v.events, engaged_seconds = v.engaged_seconds \
             FROM v WHERE sessions.id = v.id;\n",
        );
    }
}

fn push_strings<'a>(sql: &mut QueryBuilder<'a, Sqlite>, strings: &'a [(i64, String)]) {
    const COLUMNS: usize = 2;
    for chunk in strings.chunks(MAX_PARAMS / COLUMNS) {
        sql.push("INSERT INTO strings (id, value) ");
        sql.push_values(chunk, |mut row, (id, value)| {
            row.push_bind(*id).push_bind(value.as_str());
        });
        sql.push(";\n");
    }
}

fn push_events<'a>(sql: &mut QueryBuilder<'a, Sqlite>, events: &[EventRow<'a>]) {
    let (pageviews, others): (Vec<&EventRow>, Vec<&EventRow>) =
        events.iter().partition(|event| event.kind == PAGEVIEW);
    for chunk in pageviews.chunks(MAX_PARAMS / 3) {
        sql.push("INSERT INTO pageviews (id, offset_ms, path) ");
        sql.push_values(chunk, |mut row, event| {
            row.push_bind(event.id)
                .push_bind(event.offset_ms)
                .push_bind(event.path);
        });
        sql.push(";\n");
    }
    const COLUMNS: usize = 7;
    for chunk in others.chunks(MAX_PARAMS / COLUMNS) {
        sql.push("INSERT INTO event_rows (id, offset_ms, kind, path, name, target, props) ");
        sql.push_values(chunk, |mut row, event| {
            row.push_bind(event.id)
                .push_bind(event.offset_ms)
                .push_bind(event.kind)
                .push_bind(event.path)
                .push_bind(event.name)
                .push_bind(event.target)
                .push_bind(event.props);
        });
        sql.push(";\n");
    }
}

/// Identified visitors get (or update) their row; the rows of identified visitors seen in
/// this batch move their first and last seen. Anonymous visitors have no row.
fn push_visitors<'a>(sql: &mut QueryBuilder<'a, Sqlite>, plan: &Plan<'a>) {
    for &((site_id, visitor_id), at_ms, identity) in &plan.identities {
        sql.push(
            "INSERT INTO visitors (site_id, visitor_id, first_seen, last_seen, user_id, name, \
             email, phone, metadata, identified_at) VALUES (",
        );
        let mut values = sql.separated(", ");
        values
            .push_bind(site_id)
            .push_bind(visitor_id)
            .push_bind(at_ms)
            .push_bind(at_ms)
            .push_bind(identity.user_id.as_str())
            .push_bind(identity.name.as_deref())
            .push_bind(identity.email.as_deref())
            .push_bind(identity.phone.as_deref())
            .push_bind(identity.metadata.as_deref())
            .push_bind(at_ms);
        sql.push(
            ") ON CONFLICT (site_id, visitor_id) DO UPDATE SET user_id = excluded.user_id, \
             name = coalesce(excluded.name, name), email = coalesce(excluded.email, email), \
             phone = coalesce(excluded.phone, phone), \
             metadata = coalesce(excluded.metadata, metadata), \
             identified_at = excluded.identified_at;\n",
        );
    }
    let visitors: Vec<_> = plan
        .visitors
        .iter()
        .map(|(&key, &seen)| (key, seen))
        .collect();
    const COLUMNS: usize = 4;
    for chunk in visitors.chunks(MAX_PARAMS / COLUMNS) {
        sql.push("WITH v (site_id, visitor_id, first_seen, last_seen) AS (");
        sql.push_values(chunk, |mut row, &((site_id, visitor_id), (first, last))| {
            row.push_bind(site_id)
                .push_bind(visitor_id)
                .push_bind(first)
                .push_bind(last);
        });
        sql.push(
            ") UPDATE visitors SET first_seen = min(visitors.first_seen, v.first_seen, \
             coalesce((SELECT MIN(s.started_at) FROM sessions s \
             WHERE s.visitor_id = v.visitor_id AND +s.site_id = v.site_id), v.first_seen)), \
             last_seen = max(visitors.last_seen, v.last_seen) FROM v \
             WHERE visitors.site_id = v.site_id AND visitors.visitor_id = v.visitor_id;\n",
        );
    }
}

/// Occurrences of one group that keep their breadcrumbs; older ones drop them.
const BREADCRUMB_OCCURRENCES: i64 = 10;

/// Error groups are found by (site, fingerprint) inside the SQL, so the whole batch needs
/// no `RETURNING` round trip.
fn push_errors<'a>(sql: &mut QueryBuilder<'a, Sqlite>, errors: &[(i64, &'a Hit, &'a ErrorReport)]) {
    let mut groups = HashSet::new();
    for &(session_id, hit, report) in errors {
        let fingerprint = report.fingerprint();
        sql.push(
            "INSERT INTO error_groups (site_id, fingerprint, message, stack, source, line, col, \
             occurrences, first_seen, last_seen) ",
        );
        sql.push_values([()], |mut row, ()| {
            row.push_bind(hit.site_id)
                .push_bind(fingerprint.clone())
                .push_bind(report.message.as_str())
                .push_bind(report.stack.as_deref())
                .push_bind(report.source.as_deref())
                .push_bind(report.line)
                .push_bind(report.column)
                .push_bind(report.count)
                .push_bind(hit.at_ms)
                .push_bind(hit.at_ms);
        });
        sql.push(
            " ON CONFLICT (site_id, fingerprint) DO UPDATE SET \
             occurrences = occurrences + excluded.occurrences, \
             first_seen = min(first_seen, excluded.first_seen), \
             last_seen = max(last_seen, excluded.last_seen), \
             stack = coalesce(excluded.stack, stack), \
             regressed_at = CASE WHEN status = 'resolved' THEN excluded.last_seen ELSE regressed_at END, \
             status = CASE WHEN status = 'resolved' THEN 'open' ELSE status END;\n\
             INSERT INTO error_occurrences (group_id, site_id, session_id, ts, path, count, \
             browser, os, breadcrumbs) VALUES ((SELECT id FROM error_groups WHERE site_id = ",
        );
        sql.push_bind(hit.site_id)
            .push(" AND fingerprint = ")
            .push_bind(fingerprint.clone())
            .push("), ");
        let mut values = sql.separated(", ");
        values
            .push_bind(hit.site_id)
            .push_bind(session_id)
            .push_bind(hit.at_ms)
            .push_bind(hit.path.as_str())
            .push_bind(report.count)
            .push_bind(hit.visit.browser.as_deref())
            .push_bind(hit.visit.os.as_deref())
            .push_bind(report.breadcrumbs.as_deref());
        sql.push(");\n");
        groups.insert((hit.site_id, fingerprint));
    }
    for (site_id, fingerprint) in groups {
        sql.push("WITH g (id) AS (SELECT id FROM error_groups WHERE site_id = ")
            .push_bind(site_id)
            .push(" AND fingerprint = ")
            .push_bind(fingerprint)
            .push(
                ") UPDATE error_occurrences SET breadcrumbs = NULL \
                 WHERE group_id = (SELECT id FROM g) AND breadcrumbs IS NOT NULL \
                 AND id NOT IN (SELECT id FROM error_occurrences WHERE group_id = (SELECT id FROM g) \
                 AND breadcrumbs IS NOT NULL ORDER BY id DESC LIMIT ",
            )
            .push_bind(BREADCRUMB_OCCURRENCES)
            .push(");\n");
    }
}
