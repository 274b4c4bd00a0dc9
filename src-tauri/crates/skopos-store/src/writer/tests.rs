//! Writer tests against a real SQLite file.

use std::sync::Arc;
use std::time::Duration;

use skopos_core::beacon::{ErrorReport, EventKind, Identity};
use skopos_core::hit::{Hit, Visit};
use skopos_core::page::Utm;
use skopos_core::referrer::Channel;
use skopos_core::site::SiteSettings;
use skopos_core::ua::DeviceKind;
use skopos_core::SESSION_TIMEOUT_MS;

use super::*;
use crate::testing;
use sqlx::Connection;

const T0: i64 = 1_796_256_000_000;

fn visit() -> Arc<Visit> {
    Arc::new(Visit {
        referrer_host: Some("news.ycombinator.com".into()),
        channel: Channel::Social,
        utm: Utm {
            source: Some("hn".into()),
            ..Utm::default()
        },
        browser: Some("Firefox".into()),
        browser_version: Some("120".into()),
        os: Some("Linux".into()),
        device: DeviceKind::Desktop,
        country: Some("DE".into()),
        region: None,
        language: Some("de".into()),
        screen: Some("1920x1080".into()),
        day: (T0 / 86_400_000) as i32,
    })
}

fn hit(site_id: i64, visitor_id: i64, at_ms: i64, path: &str, kind: EventKind) -> Hit {
    Hit {
        site_id,
        visitor_id,
        at_ms,
        path: path.into(),
        visit: visit(),
        kind,
    }
}

async fn site(store: &Store) -> i64 {
    let settings = SiteSettings {
        name: "Example".into(),
        domain: "example.com".into(),
        allowed_origins: vec![],
        privacy_mode: Default::default(),
        ip_exclusions: vec![],
        ignore_localhost: true,
        timezone: "UTC".into(),
    };
    store.insert_site("abc", &settings, 0).await.unwrap().id
}

async fn count(store: &Store, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&store.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn hits_become_sessions_events_and_visitors() {
    let (store, _dir) = testing::store().await;
    let site_id = site(&store).await;
    let (queue, task) = spawn(&store, WriterConfig::default()).await.unwrap();
    queue
        .submit(vec![
            hit(site_id, 1, T0, "/", EventKind::Pageview),
            hit(site_id, 1, T0 + 1_000, "/pricing", EventKind::Pageview),
            hit(
                site_id,
                1,
                T0 + 2_000,
                "/pricing",
                EventKind::Custom {
                    name: "signup".into(),
                    props: Some(r#"{"plan":"pro"}"#.into()),
                },
            ),
            hit(
                site_id,
                1,
                T0 + 3_000,
                "/pricing",
                EventKind::Outbound {
                    target: "https://other.org/".into(),
                },
            ),
            hit(
                site_id,
                1,
                T0 + 4_000,
                "/pricing",
                EventKind::Download {
                    target: "https://example.com/a.pdf".into(),
                },
            ),
            hit(
                site_id,
                1,
                T0 + 5_000,
                "/pricing",
                EventKind::Engagement { seconds: 30 },
            ),
        ])
        .await
        .unwrap();
    let (entry, exit, pageviews, events, engaged, channel, country): (String, String, i64, i64, i64, String, String) =
        sqlx::query_as("SELECT entry_path, exit_path, pageviews, events, engaged_seconds, channel, country FROM sessions_readable")
            .fetch_one(&store.pool)
            .await
            .unwrap();
    assert_eq!(
        (entry.as_str(), exit.as_str(), pageviews, events, engaged),
        ("/", "/pricing", 2, 3, 30)
    );
    assert_eq!((channel.as_str(), country.as_str()), ("social", "DE"));
    assert_eq!(count(&store, "SELECT COUNT(*) FROM events").await, 5);
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM visitors").await,
        0,
        "an anonymous visitor is their sessions"
    );
    // Identified later, they get a row that starts with their first session.
    let identity = Identity {
        user_id: "u-1".into(),
        name: None,
        email: None,
        phone: None,
        metadata: None,
    };
    queue
        .submit(vec![hit(
            site_id,
            1,
            T0 + 9_000,
            "/",
            EventKind::Identify(identity),
        )])
        .await
        .unwrap();
    let seen: (i64, i64) = sqlx::query_as("SELECT first_seen, last_seen FROM visitors")
        .fetch_one(&store.pool)
        .await
        .unwrap();
    assert_eq!(seen, (T0, T0 + 9_000));
    task.shutdown().await;
}

#[tokio::test]
async fn sessions_time_out_and_survive_a_restart() {
    let (store, _dir) = testing::store().await;
    let site_id = site(&store).await;
    let (queue, task) = spawn(&store, WriterConfig::default()).await.unwrap();
    queue
        .submit(vec![hit(site_id, 7, T0, "/a", EventKind::Pageview)])
        .await
        .unwrap();
    task.shutdown().await;

    // A new writer (as after an app restart) continues the same session within 30 minutes.
    let (queue, task) = spawn(&store, WriterConfig::default()).await.unwrap();
    queue
        .submit(vec![hit(
            site_id,
            7,
            T0 + SESSION_TIMEOUT_MS - 1,
            "/b",
            EventKind::Pageview,
        )])
        .await
        .unwrap();
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM sessions WHERE day = 20790").await,
        1,
        "filed under the visit's local day"
    );
    assert_eq!(count(&store, "SELECT COUNT(*) FROM sessions").await, 1);
    // After 30 minutes of silence the next hit opens a new session.
    queue
        .submit(vec![hit(
            site_id,
            7,
            T0 + 2 * SESSION_TIMEOUT_MS,
            "/c",
            EventKind::Pageview,
        )])
        .await
        .unwrap();
    assert_eq!(count(&store, "SELECT COUNT(*) FROM sessions").await, 2);
    assert_eq!(
        count(
            &store,
            "SELECT (SELECT COUNT(*) FROM session_sources) + (SELECT COUNT(*) FROM session_clients) \
             + (SELECT COUNT(*) FROM session_places)"
        )
        .await,
        3,
        "the new writer found the labels' combinations rather than adding them again"
    );
    // Engagement alone never opens a session; identify alone neither.
    queue
        .submit(vec![hit(
            site_id,
            8,
            T0,
            "/",
            EventKind::Engagement { seconds: 5 },
        )])
        .await
        .unwrap();
    assert_eq!(count(&store, "SELECT COUNT(*) FROM sessions").await, 2);
    // One batch that spans a timeout keeps both sessions whole.
    queue
        .submit(vec![
            hit(site_id, 9, T0, "/x", EventKind::Pageview),
            hit(site_id, 9, T0 + 1_000, "/y", EventKind::Pageview),
            hit(
                site_id,
                9,
                T0 + 3 * SESSION_TIMEOUT_MS,
                "/z",
                EventKind::Pageview,
            ),
        ])
        .await
        .unwrap();
    let sessions: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT entry_path, exit_path, pageviews FROM sessions_readable WHERE visitor_id = 9 \
         ORDER BY id",
    )
    .fetch_all(&store.pool)
    .await
    .unwrap();
    assert_eq!(
        sessions,
        [("/x".into(), "/y".into(), 2), ("/z".into(), "/z".into(), 1)]
    );
    task.shutdown().await;
}

#[tokio::test]
async fn a_full_session_makes_way_for_a_new_one_and_events_keep_their_order() {
    let (store, _dir) = testing::store().await;
    let site_id = site(&store).await;
    let (queue, task) = spawn(&store, WriterConfig::default()).await.unwrap();
    let hits: Vec<Hit> = (0..4100)
        .map(|n| {
            hit(
                site_id,
                7,
                T0 + n,
                &format!("/p{}", n % 3),
                EventKind::Pageview,
            )
        })
        .collect();
    for chunk in hits.chunks(1000) {
        queue.submit(chunk.to_vec()).await.unwrap();
    }
    task.shutdown().await;
    assert_eq!(count(&store, "SELECT COUNT(*) FROM events").await, 4100);
    let sessions: Vec<(i64, i64)> =
        sqlx::query_as("SELECT pageviews, started_at FROM sessions ORDER BY id")
            .fetch_all(&store.pool)
            .await
            .unwrap();
    assert_eq!(sessions, [(4096, T0), (4, T0 + 4096)]);
    let paths: Vec<String> = sqlx::query_scalar(
        "SELECT path FROM events WHERE session_id = (SELECT MAX(id) FROM sessions) ORDER BY id",
    )
    .fetch_all(&store.pool)
    .await
    .unwrap();
    assert_eq!(paths, ["/p1", "/p2", "/p0", "/p1"], "views 4096..4099");
    let times: Vec<i64> = sqlx::query_scalar("SELECT ts FROM events ORDER BY id LIMIT 2")
        .fetch_all(&store.pool)
        .await
        .unwrap();
    assert_eq!(times, [T0, T0 + 1]);
}

#[tokio::test]
async fn errors_group_and_keep_breadcrumbs_only_for_recent_occurrences() {
    let (store, _dir) = testing::store().await;
    let site_id = site(&store).await;
    let (queue, task) = spawn(&store, WriterConfig::default()).await.unwrap();
    let report = ErrorReport {
        message: "TypeError: x is undefined".into(),
        stack: Some("at f (app.js:1:2)".into()),
        source: Some("https://example.com/app.js".into()),
        line: Some(1),
        column: Some(2),
        count: 2,
        breadcrumbs: Some("[]".into()),
    };
    for i in 0..12 {
        queue
            .submit(vec![hit(
                site_id,
                1,
                T0 + i,
                "/",
                EventKind::Error(report.clone()),
            )])
            .await
            .unwrap();
    }
    assert_eq!(count(&store, "SELECT COUNT(*) FROM error_groups").await, 1);
    assert_eq!(
        count(&store, "SELECT occurrences FROM error_groups").await,
        24
    );
    assert_eq!(
        count(&store, "SELECT COUNT(*) FROM error_occurrences").await,
        12
    );
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) FROM error_occurrences WHERE breadcrumbs IS NOT NULL"
        )
        .await,
        10
    );
    task.shutdown().await;
}

#[tokio::test]
async fn identify_enriches_the_visitor() {
    let (store, _dir) = testing::store().await;
    let site_id = site(&store).await;
    let (queue, task) = spawn(&store, WriterConfig::default()).await.unwrap();
    let who = Identity {
        user_id: "u-1".into(),
        name: Some("Ada".into()),
        email: Some("ada@example.com".into()),
        phone: None,
        metadata: Some(r#"{"plan":"pro"}"#.into()),
    };
    queue
        .submit(vec![
            hit(site_id, 3, T0, "/", EventKind::Pageview),
            hit(site_id, 3, T0, "/", EventKind::Identify(who)),
        ])
        .await
        .unwrap();
    let (user, email): (String, String) =
        sqlx::query_as("SELECT user_id, email FROM visitors WHERE visitor_id = 3")
            .fetch_one(&store.pool)
            .await
            .unwrap();
    assert_eq!((user.as_str(), email.as_str()), ("u-1", "ada@example.com"));
    task.shutdown().await;
}

#[tokio::test]
async fn a_full_queue_is_refused_and_shutdown_drains_what_was_accepted() {
    let (store, dir) = testing::store().await;
    let site_id = site(&store).await;
    let config = WriterConfig {
        queue_capacity: 2,
        max_batch_hits: 1,
        max_batch_wait: Duration::ZERO,
    };
    let (queue, task) = spawn(&store, config).await.unwrap();

    // Another connection holds the write lock, so the writer blocks on its first batch.
    let mut blocker = sqlx::SqliteConnection::connect(&format!(
        "sqlite:{}",
        dir.path().join("skopos.db").display()
    ))
    .await
    .unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut blocker)
        .await
        .unwrap();

    let mut accepted = Vec::new();
    let mut refused = 0;
    for i in 0..6 {
        let queue = queue.clone();
        let pending = tokio::spawn(async move {
            queue
                .submit(vec![hit(site_id, i, T0, "/", EventKind::Pageview)])
                .await
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        if pending.is_finished() {
            assert_eq!(pending.await.unwrap(), Err(SubmitError::QueueFull));
            refused += 1;
        } else {
            accepted.push(pending);
        }
    }
    assert_eq!(
        accepted.len(),
        3,
        "one in the writer's hands plus a queue of two"
    );
    assert_eq!(refused, 3);
    sqlx::query("ROLLBACK").execute(&mut blocker).await.unwrap();
    task.shutdown().await;
    for pending in accepted {
        assert_eq!(pending.await.unwrap(), Ok(()));
    }
    assert_eq!(count(&store, "SELECT COUNT(*) FROM events").await, 3);
    assert_eq!(
        queue
            .submit(vec![hit(site_id, 9, T0, "/", EventKind::Pageview)])
            .await,
        Err(SubmitError::Closed)
    );
}

#[tokio::test]
async fn one_bad_job_does_not_fail_its_batch_mates() {
    let (store, _dir) = testing::store().await;
    let site_id = site(&store).await;
    let config = WriterConfig {
        max_batch_wait: Duration::from_millis(50),
        ..WriterConfig::default()
    };
    let (queue, task) = spawn(&store, config).await.unwrap();
    let good = queue.submit(vec![hit(site_id, 1, T0, "/", EventKind::Pageview)]);
    // Site 999 does not exist, so its rows violate a foreign key.
    let bad = queue.submit(vec![hit(999, 1, T0, "/", EventKind::Pageview)]);
    let (good, bad) = tokio::join!(good, bad);
    assert_eq!(good, Ok(()));
    assert!(matches!(bad, Err(SubmitError::Write(_))));
    assert_eq!(count(&store, "SELECT COUNT(*) FROM events").await, 1);
    task.shutdown().await;
}

/// Under sustained writes (many submitters, the writer never idle) the passive
/// checkpoints beside the writer never catch up with the WAL; the writer empties it
/// itself once it passes its limit.
#[tokio::test]
async fn the_wal_stays_small_under_sustained_writes() {
    let (store, _dir) = testing::store().await;
    let site_id = site(&store).await;
    let (queue, task) = spawn(&store, WriterConfig::default()).await.unwrap();
    let submitters: Vec<_> = (0..16)
        .map(|submitter| {
            let queue = queue.clone();
            tokio::spawn(async move {
                for batch in 0..40 {
                    let hits = (0..25)
                        .map(|n| {
                            let visitor = (submitter * 1_000 + batch) * 100 + n;
                            hit(site_id, visitor, T0 + visitor, "/", EventKind::Pageview)
                        })
                        .collect();
                    queue.submit(hits).await.unwrap();
                }
            })
        })
        .collect();
    for submitter in submitters {
        submitter.await.unwrap();
    }
    let wal = std::fs::metadata(store.path().with_extension("db-wal")).map_or(0, |m| m.len());
    task.shutdown().await;
    assert_eq!(count(&store, "SELECT COUNT(*) FROM sessions").await, 16_000);
    assert!(wal < 2 * WAL_LIMIT_BYTES, "the WAL grew to {wal} bytes");
}
