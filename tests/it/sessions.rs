//! Sessions: continued across an app restart within 30 minutes, new after that; today's
//! counters and the live-visitor window follow the injected clock.

use serde_json::json;

use crate::fixture::{count, database, pageviews, Collector, Options, T0};

const MINUTE: i64 = 60_000;

#[tokio::test]
async fn sessions_survive_a_restart_and_end_after_30_idle_minutes() {
    let dir = tempfile::tempdir().unwrap();
    let collector = Collector::start(dir.path(), Options::default()).await;
    let site = collector.add_site("example.com").await;
    let id = site.tracking_id.clone();
    let (status, _, _) = collector
        .send("/collect", "198.51.100.40", &pageviews(&id, &["/one"]))
        .await;
    assert_eq!(status, 204);
    collector.stop().await;

    // The app restarts ten minutes later: same visitor, same session.
    let collector = Collector::start_at(dir.path(), Options::default(), T0 + 10 * MINUTE).await;
    let (status, _, _) = collector
        .send("/collect", "198.51.100.40", &pageviews(&id, &["/two"]))
        .await;
    assert_eq!(status, 204);
    let db = database(dir.path()).await;
    let (sessions, pageviews_in_session, exit): (i64, i64, String) =
        sqlx::query_as("SELECT COUNT(*), MAX(pageviews), MAX(exit_path) FROM sessions_readable")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(
        (sessions, pageviews_in_session, exit.as_str()),
        (1, 2, "/two")
    );

    // Thirty-one quiet minutes later the visitor starts a new session.
    collector.clock.advance(31 * MINUTE);
    let (status, _, _) = collector
        .send("/collect", "198.51.100.40", &pageviews(&id, &["/three"]))
        .await;
    assert_eq!(status, 204);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM sessions").await, 2);
    // Another visitor (other address) has a session of their own.
    let (status, _, _) = collector
        .send("/collect", "198.51.100.41", &pageviews(&id, &["/one"]))
        .await;
    assert_eq!(status, 204);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM sessions").await, 3);
    collector.stop().await;
}

#[tokio::test]
async fn todays_counters_and_live_visitors() {
    let dir = tempfile::tempdir().unwrap();
    let collector = Collector::start(dir.path(), Options::default()).await;
    let site = collector.add_site("example.com").await;
    let id = site.tracking_id.as_str();
    let batch = json!({"site": id, "url": "https://example.com/", "events": [
        {"kind": "pageview"}, {"kind": "event", "name": "signup"}, {"kind": "event", "name": "share"},
        {"kind": "error", "message": "boom", "count": 3}]});
    for ip in ["198.51.100.50", "198.51.100.51"] {
        let (status, _, _) = collector.send("/api/event", ip, &batch).await;
        assert_eq!(status, 204);
    }
    let today = collector.app.today_counts(site.id).await.unwrap();
    assert_eq!(today.since_ms, T0 - 10 * 60 * MINUTE, "midnight UTC");
    let c = today.today;
    assert_eq!(
        (
            c.pageviews,
            c.sessions,
            c.events,
            c.errors,
            today.live_visitors
        ),
        (2, 2, 4, 6, 2)
    );

    collector.clock.advance(6 * MINUTE);
    assert_eq!(
        collector
            .app
            .today_counts(site.id)
            .await
            .unwrap()
            .live_visitors,
        0
    );
    // Tomorrow starts from zero.
    collector.clock.advance(24 * 60 * MINUTE);
    assert_eq!(
        collector
            .app
            .today_counts(site.id)
            .await
            .unwrap()
            .today
            .pageviews,
        0
    );
    collector.stop().await;
}
