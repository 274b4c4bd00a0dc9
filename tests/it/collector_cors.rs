//! CORS: the site's own origins (with and without `www.`) may send; others may not.

use crate::fixture::{count, database, pageviews, Collector, Options};

#[tokio::test]
async fn preflight_and_beacons_follow_the_sites_origins() {
    let dir = tempfile::tempdir().unwrap();
    let collector = Collector::start(dir.path(), Options::default()).await;
    let site = collector.add_site("example.com").await;
    let body = pageviews(&site.tracking_id, &["/"]).to_string();

    for origin in ["https://example.com", "https://www.example.com"] {
        let preflight = collector
            .client
            .request(
                reqwest::Method::OPTIONS,
                format!("{}/collect", collector.base),
            )
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
            .await
            .unwrap();
        assert_eq!(preflight.status(), 204);
        let headers = preflight.headers();
        assert_eq!(headers["access-control-allow-origin"], origin);
        assert!(headers["access-control-allow-methods"]
            .to_str()
            .unwrap()
            .contains("POST"));
        assert!(headers.get("access-control-allow-credentials").is_none());

        let response = collector
            .post("/collect", "198.51.100.20")
            .header("origin", origin)
            .header("content-type", "application/json")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 204);
        assert_eq!(response.headers()["access-control-allow-origin"], origin);
    }

    let foreign = "https://evil.example.org";
    let preflight = collector
        .client
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/api/event", collector.base),
        )
        .header("origin", foreign)
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), 403);
    assert!(preflight
        .headers()
        .get("access-control-allow-origin")
        .is_none());

    let response = collector
        .post("/collect", "198.51.100.20")
        .header("origin", foreign)
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert!(response
        .headers()
        .get("access-control-allow-origin")
        .is_none());

    // No Origin header at all (server-side senders, same-origin pages) is accepted.
    let response = collector
        .post("/collect", "198.51.100.20")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);

    let db = database(dir.path()).await;
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM events").await,
        3,
        "the foreign beacon stored nothing"
    );
    collector.stop().await;
}
