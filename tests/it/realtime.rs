//! Live updates: what each commit added reaches subscribers, and a subscriber that never
//! reads does not hold ingestion back.

use std::time::Duration;

use serde_json::json;
use tokio::sync::broadcast::error::RecvError;

use crate::fixture::{pageviews, Collector, Options};

#[tokio::test]
async fn every_commit_is_published_per_site_with_the_live_count() {
    let dir = tempfile::tempdir().unwrap();
    let collector = Collector::start(dir.path(), Options::default()).await;
    let shop = collector.add_site("shop.example").await;
    let blog = collector.add_site("blog.example").await;
    let mut live = collector.app.subscribe_live();

    let batch = json!({"site": shop.tracking_id, "url": "https://shop.example/", "events": [
        {"kind": "pageview"}, {"kind": "pageview", "path": "/cart"},
        {"kind": "event", "name": "add_to_cart"}, {"kind": "download", "target": "https://shop.example/a.pdf"},
        {"kind": "error", "message": "boom", "count": 3}]});
    let (status, _, _) = collector.send("/api/event", "198.51.100.60", &batch).await;
    assert_eq!(status, 204);
    let update = tokio::time::timeout(Duration::from_secs(5), live.recv())
        .await
        .expect("an update arrives")
        .unwrap();
    assert_eq!(update.added.site_id, shop.id);
    assert_eq!(
        (
            update.added.pageviews,
            update.added.custom_events,
            update.added.downloads,
            update.added.errors
        ),
        (2, 1, 1, 3)
    );
    assert_eq!(update.added.latest_path.as_deref(), Some("/cart"));
    assert_eq!(update.live_visitors, 1);

    let (status, _, _) = collector
        .send(
            "/api/event",
            "198.51.100.61",
            &pageviews(&blog.tracking_id, &["/post"]),
        )
        .await;
    assert_eq!(status, 204);
    let update = live.recv().await.unwrap();
    assert_eq!(update.added.site_id, blog.id, "other sites are told apart");
    assert_eq!(update.added.pageviews, 1);

    // Updates end when the application shuts down.
    collector.stop().await;
    assert!(matches!(live.recv().await, Err(RecvError::Closed)));
}

#[tokio::test]
async fn a_subscriber_that_never_reads_does_not_slow_ingestion() {
    let dir = tempfile::tempdir().unwrap();
    let collector = Collector::start(dir.path(), Options::default()).await;
    let site = collector.add_site("shop.example").await;
    let mut stalled = collector.app.subscribe_live();
    let body = pageviews(&site.tracking_id, &["/"]);
    // One request at a time: one commit, so one update, each. More than the backlog.
    for _ in 0..1_100 {
        let (status, _, _) = collector.send("/api/event", "198.51.100.62", &body).await;
        assert_eq!(status, 204);
    }
    match stalled.recv().await {
        Err(RecvError::Lagged(missed)) => assert!(missed > 0),
        other => panic!("expected to have fallen behind, got {other:?}"),
    }
    // After the skip it reads the newest updates again.
    assert_eq!(stalled.recv().await.unwrap().added.site_id, site.id);
    collector.stop().await;
}
