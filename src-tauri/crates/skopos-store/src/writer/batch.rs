//! One transaction of the ingest writer: resolve sessions, then write every row with as
//! few statements as possible.

use std::collections::{HashMap, HashSet};

use skopos_core::beacon::{ErrorReport, EventKind, Identity};
use skopos_core::hit::Hit;
use skopos_core::SESSION_TIMEOUT_MS;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

use super::sessions::{SessionCache, VisitorKey};

/// SQLite allows 32,766 bound parameters per statement; stay well below.
const MAX_PARAMS: usize = 30_000;

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
}

struct EventRow<'a> {
    hit: &'a Hit,
    session_id: i64,
    kind: &'static str,
    name: Option<&'a str>,
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
    hits: &[&Hit],
) -> Result<(), sqlx::Error> {
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut *connection)
        .await?;
    let written = match write_hits(connection, cache, hits).await {
        Ok(()) => sqlx::query("COMMIT")
            .execute(&mut *connection)
            .await
            .map(drop),
        Err(error) => Err(error),
    };
    if written.is_err() {
        let _ = sqlx::query("ROLLBACK").execute(&mut *connection).await;
    }
    written
}

async fn write_hits(
    connection: &mut SqliteConnection,
    cache: &mut SessionCache,
    hits: &[&Hit],
) -> Result<(), sqlx::Error> {
    let mut plan = Plan::default();
    let mut newest = i64::MIN;
    for &hit in hits {
        newest = newest.max(hit.at_ms);
        let key = (hit.site_id, hit.visitor_id);
        cache.fetch(connection, key).await?;
        let seen = plan.visitors.entry(key).or_insert((hit.at_ms, hit.at_ms));
        seen.0 = seen.0.min(hit.at_ms);
        seen.1 = seen.1.max(hit.at_ms);
        plan_hit(&mut plan, cache, key, hit);
    }
    insert_and_update_sessions(connection, cache, &plan).await?;
    insert_events(connection, &plan.events).await?;
    upsert_visitors(connection, &plan).await?;
    write_errors(connection, &plan.errors).await?;
    cache.sweep(newest);
    Ok(())
}

fn plan_hit<'a>(plan: &mut Plan<'a>, cache: &mut SessionCache, key: VisitorKey, hit: &'a Hit) {
    match &hit.kind {
        EventKind::Identify(identity) => plan.identities.push((key, hit.at_ms, identity)),
        EventKind::Engagement { seconds } => {
            // A long read can outlast the session timeout, so the window grows with it.
            let window = SESSION_TIMEOUT_MS + i64::from(*seconds) * 1000;
            if let Some(session) = cache
                .latest_mut(key)
                .filter(|s| hit.at_ms - s.last_seen <= window)
            {
                session.engaged_seconds += i64::from(*seconds);
                session.last_seen = session.last_seen.max(hit.at_ms);
                plan.touch(key);
            }
        }
        kind => {
            let (session, opened) = cache.session_for(key, hit);
            if opened {
                plan.opened.insert(session.id);
            }
            session.last_seen = session.last_seen.max(hit.at_ms);
            let session_id = session.id;
            let row = |kind, name, target, props| EventRow {
                hit,
                session_id,
                kind,
                name,
                target,
                props,
            };
            match kind {
                EventKind::Pageview => {
                    session.pageviews += 1;
                    session.exit_path.clone_from(&hit.path);
                    plan.events.push(row("pageview", None, None, None));
                }
                EventKind::Custom { name, props } => {
                    session.events += 1;
                    plan.events
                        .push(row("custom", Some(name), None, props.as_deref()));
                }
                EventKind::Outbound { target } => {
                    session.events += 1;
                    plan.events.push(row("outbound", None, Some(target), None));
                }
                EventKind::Download { target } => {
                    session.events += 1;
                    plan.events.push(row("download", None, Some(target), None));
                }
                EventKind::Error(report) => plan.errors.push((session_id, hit, report)),
                EventKind::Engagement { .. } | EventKind::Identify(_) => {}
            }
            plan.touch(key);
        }
    }
}

async fn insert_and_update_sessions(
    connection: &mut SqliteConnection,
    cache: &mut SessionCache,
    plan: &Plan<'_>,
) -> Result<(), sqlx::Error> {
    let mut opened = Vec::new();
    for &key in &plan.touched {
        let Some(session) = cache.latest_mut(key) else {
            continue;
        };
        if plan.opened.contains(&session.id) {
            opened.push((key, session.clone()));
            continue;
        }
        sqlx::query(
            "UPDATE sessions SET last_seen = ?, exit_path = ?, pageviews = ?, events = ?, \
             engaged_seconds = ? WHERE id = ?",
        )
        .bind(session.last_seen)
        .bind(&session.exit_path)
        .bind(session.pageviews)
        .bind(session.events)
        .bind(session.engaged_seconds)
        .bind(session.id)
        .execute(&mut *connection)
        .await?;
    }
    const COLUMNS: usize = 25;
    for chunk in opened.chunks(MAX_PARAMS / COLUMNS) {
        let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO sessions (id, site_id, visitor_id, started_at, last_seen, entry_path, \
             exit_path, pageviews, events, engaged_seconds, referrer_host, channel, utm_source, \
             utm_medium, utm_campaign, utm_term, utm_content, browser, browser_version, os, \
             device, country, region, language, screen) ",
        );
        insert.push_values(chunk, |mut row, ((site_id, visitor_id), session)| {
            let visit = session.visit.as_deref();
            let utm = visit.map(|v| &v.utm);
            row.push_bind(session.id)
                .push_bind(*site_id)
                .push_bind(*visitor_id)
                .push_bind(session.started_at)
                .push_bind(session.last_seen)
                .push_bind(&session.entry_path)
                .push_bind(&session.exit_path)
                .push_bind(session.pageviews)
                .push_bind(session.events)
                .push_bind(session.engaged_seconds)
                .push_bind(visit.and_then(|v| v.referrer_host.as_deref()))
                .push_bind(visit.map_or("direct", |v| v.channel.as_str()))
                .push_bind(utm.and_then(|u| u.source.as_deref()))
                .push_bind(utm.and_then(|u| u.medium.as_deref()))
                .push_bind(utm.and_then(|u| u.campaign.as_deref()))
                .push_bind(utm.and_then(|u| u.term.as_deref()))
                .push_bind(utm.and_then(|u| u.content.as_deref()))
                .push_bind(visit.and_then(|v| v.browser.as_deref()))
                .push_bind(visit.and_then(|v| v.browser_version.as_deref()))
                .push_bind(visit.and_then(|v| v.os.as_deref()))
                .push_bind(visit.map_or("other", |v| v.device.as_str()))
                .push_bind(visit.and_then(|v| v.country.as_deref()))
                .push_bind(visit.and_then(|v| v.region.as_deref()))
                .push_bind(visit.and_then(|v| v.language.as_deref()))
                .push_bind(visit.and_then(|v| v.screen.as_deref()));
        });
        insert.build().execute(&mut *connection).await?;
    }
    Ok(())
}

async fn insert_events(
    connection: &mut SqliteConnection,
    events: &[EventRow<'_>],
) -> Result<(), sqlx::Error> {
    const COLUMNS: usize = 9;
    for chunk in events.chunks(MAX_PARAMS / COLUMNS) {
        let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO events (site_id, session_id, visitor_id, ts, kind, path, name, target, props) ",
        );
        insert.push_values(chunk, |mut row, event| {
            row.push_bind(event.hit.site_id)
                .push_bind(event.session_id)
                .push_bind(event.hit.visitor_id)
                .push_bind(event.hit.at_ms)
                .push_bind(event.kind)
                .push_bind(&event.hit.path)
                .push_bind(event.name)
                .push_bind(event.target)
                .push_bind(event.props);
        });
        insert.build().execute(&mut *connection).await?;
    }
    Ok(())
}

async fn upsert_visitors(
    connection: &mut SqliteConnection,
    plan: &Plan<'_>,
) -> Result<(), sqlx::Error> {
    let visitors: Vec<_> = plan.visitors.iter().collect();
    const COLUMNS: usize = 4;
    for chunk in visitors.chunks(MAX_PARAMS / COLUMNS) {
        let mut upsert: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT INTO visitors (site_id, visitor_id, first_seen, last_seen) ");
        upsert.push_values(chunk, |mut row, ((site_id, visitor_id), (first, last))| {
            row.push_bind(*site_id)
                .push_bind(*visitor_id)
                .push_bind(*first)
                .push_bind(*last);
        });
        upsert.push(
            " ON CONFLICT (site_id, visitor_id) DO UPDATE SET \
             first_seen = min(first_seen, excluded.first_seen), \
             last_seen = max(last_seen, excluded.last_seen)",
        );
        upsert.build().execute(&mut *connection).await?;
    }
    for ((site_id, visitor_id), at_ms, identity) in &plan.identities {
        sqlx::query(
            "UPDATE visitors SET user_id = ?, name = coalesce(?, name), email = coalesce(?, email), \
             phone = coalesce(?, phone), metadata = coalesce(?, metadata), identified_at = ? \
             WHERE site_id = ? AND visitor_id = ?",
        )
        .bind(&identity.user_id)
        .bind(identity.name.as_deref())
        .bind(identity.email.as_deref())
        .bind(identity.phone.as_deref())
        .bind(identity.metadata.as_deref())
        .bind(at_ms)
        .bind(site_id)
        .bind(visitor_id)
        .execute(&mut *connection)
        .await?;
    }
    Ok(())
}

/// Occurrences of one group that keep their breadcrumbs; older ones drop them.
const BREADCRUMB_OCCURRENCES: i64 = 10;

async fn write_errors(
    connection: &mut SqliteConnection,
    errors: &[(i64, &Hit, &ErrorReport)],
) -> Result<(), sqlx::Error> {
    let mut groups = HashSet::new();
    for (session_id, hit, report) in errors {
        let group_id: i64 = sqlx::query_scalar(
            "INSERT INTO error_groups (site_id, fingerprint, message, stack, source, line, col, \
             occurrences, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (site_id, fingerprint) DO UPDATE SET \
             occurrences = occurrences + excluded.occurrences, last_seen = excluded.last_seen, \
             stack = coalesce(excluded.stack, stack) RETURNING id",
        )
        .bind(hit.site_id)
        .bind(report.fingerprint())
        .bind(&report.message)
        .bind(report.stack.as_deref())
        .bind(report.source.as_deref())
        .bind(report.line)
        .bind(report.column)
        .bind(report.count)
        .bind(hit.at_ms)
        .bind(hit.at_ms)
        .fetch_one(&mut *connection)
        .await?;
        sqlx::query(
            "INSERT INTO error_occurrences (group_id, site_id, session_id, ts, path, count, browser, \
             os, breadcrumbs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(group_id)
        .bind(hit.site_id)
        .bind(session_id)
        .bind(hit.at_ms)
        .bind(&hit.path)
        .bind(report.count)
        .bind(hit.visit.browser.as_deref())
        .bind(hit.visit.os.as_deref())
        .bind(report.breadcrumbs.as_deref())
        .execute(&mut *connection)
        .await?;
        groups.insert(group_id);
    }
    for group_id in groups {
        sqlx::query(
            "UPDATE error_occurrences SET breadcrumbs = NULL WHERE group_id = ?1 \
             AND breadcrumbs IS NOT NULL AND id NOT IN (SELECT id FROM error_occurrences \
             WHERE group_id = ?1 AND breadcrumbs IS NOT NULL ORDER BY id DESC LIMIT ?2)",
        )
        .bind(group_id)
        .bind(BREADCRUMB_OCCURRENCES)
        .execute(&mut *connection)
        .await?;
    }
    Ok(())
}
