//! Every payload type of the seed script and of the native format lands in the right
//! tables; malformed input is refused with a reason and stores nothing.

use serde_json::json;
use skopos_core::envelope;

use crate::fixture::{count, database, pageviews, Collector, Options};

fn seed(site: &str, kind: &str, extra: serde_json::Value) -> serde_json::Value {
    let mut payload = json!({"sid": site, "type": kind, "url": "https://www.example.com/docs?utm_source=newsletter&secret=1",
        "ref": "https://news.ycombinator.com/item?id=1", "sw": 1280, "sh": 800, "dpr": 1, "lang": "en-US",
        "tz": "Europe/Berlin", "ts": 1, "sv": "2.0.0", "vid": "abc", "ssid": "def"});
    payload
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    payload
}

fn wrapped(payload: &serde_json::Value) -> serde_json::Value {
    json!({"_d": envelope::encode(&payload.to_string()), "_v": 1})
}

#[tokio::test]
async fn seed_payloads_plain_and_enveloped_land_in_their_tables() {
    let dir = tempfile::tempdir().unwrap();
    let collector = Collector::start(dir.path(), Options::default()).await;
    let site = collector.add_site("example.com").await;
    let id = site.tracking_id.as_str();

    let batch = seed(
        id,
        "batch",
        json!({"events": [
        {"t": "pv", "p": "/docs"},
        {"t": "ev", "n": "signup", "d": {"plan": "pro", "seats": 3}},
        {"t": "out", "u": "https://github.com/"},
        {"t": "dl", "f": "guide.pdf", "u": "https://www.example.com/guide.pdf"}]}),
    );
    let errors = seed(
        id,
        "errors",
        json!({"errors": [{"msg": "ReferenceError: foo is not defined",
        "stack": "at main (app.js:10:5)", "src": "https://www.example.com/app.js", "line": 10, "col": 5,
        "count": 2, "bc": [{"type": "click", "target": "button#buy"}]}]}),
    );
    let exit = seed(id, "exit", json!({"dur": 95, "reason": "pagehide"}));
    // Non-ASCII text only survives the envelope when it is decoded per UTF-16 unit.
    let identify = seed(
        id,
        "identify",
        json!({"uid": "user-42", "name": "Zoë Ωμέγα 🚀",
        "email": "zoe@example.com", "phone": "+49 30 1234", "meta": {"plan": "team", "city": "Zürich"}}),
    );

    for (i, payload) in [batch, errors, exit, identify].iter().enumerate() {
        // Alternate plain JSON and the envelope, as old and new seed builds do.
        let body = if i % 2 == 0 {
            payload.clone()
        } else {
            wrapped(payload)
        };
        let response = collector
            .post("/collect", "198.51.100.10")
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            204,
            "payload {i}: {}",
            response.text().await.unwrap()
        );
    }

    let db = database(dir.path()).await;
    let kinds: Vec<(String, String)> = sqlx::query_as("SELECT kind, path FROM events ORDER BY id")
        .fetch_all(&db)
        .await
        .unwrap();
    let kinds: Vec<(&str, &str)> = kinds
        .iter()
        .map(|(k, p)| (k.as_str(), p.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("pageview", "/docs"),
            ("custom", "/docs"),
            ("outbound", "/docs"),
            ("download", "/docs")
        ]
    );
    let props: String = sqlx::query_scalar("SELECT props FROM events WHERE kind = 'custom'")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(props, r#"{"plan":"pro","seats":3}"#);

    let (entry, referrer, channel, utm_source, engaged, browser): (String, String, String, String, i64, String) = sqlx::query_as(
        "SELECT entry_path, referrer_host, channel, utm_source, engaged_seconds, browser FROM sessions_readable",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    assert_eq!(
        (
            entry.as_str(),
            referrer.as_str(),
            channel.as_str(),
            utm_source.as_str(),
            engaged,
            browser.as_str()
        ),
        (
            "/docs",
            "news.ycombinator.com",
            "social",
            "newsletter",
            95,
            "Chrome"
        )
    );

    let (occurrences, message): (i64, String) =
        sqlx::query_as("SELECT occurrences, message FROM error_groups")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(
        (occurrences, message.as_str()),
        (2, "ReferenceError: foo is not defined")
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM error_occurrences WHERE breadcrumbs LIKE '%button#buy%'"
        )
        .await,
        1
    );

    let (user, name, metadata): (String, String, String) =
        sqlx::query_as("SELECT user_id, name, metadata FROM visitors")
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((user.as_str(), name.as_str()), ("user-42", "Zoë Ωμέγα 🚀"));
    assert_eq!(metadata, r#"{"city":"Zürich","plan":"team"}"#);
    collector.stop().await;
}

#[tokio::test]
async fn native_batches_are_accepted_as_text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let collector = Collector::start(dir.path(), Options::default()).await;
    let site = collector.add_site("example.com").await;
    for content_type in ["text/plain;charset=UTF-8", "application/json"] {
        let response = collector
            .post("/api/event", "198.51.100.11")
            .header("content-type", content_type)
            .body(pageviews(&site.tracking_id, &["/a", "/b"]).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 204);
    }
    let counts = collector.app.today_counts(site.id).await.unwrap();
    assert_eq!(
        (
            counts.today.pageviews,
            counts.today.sessions,
            counts.live_visitors
        ),
        (4, 1, 1)
    );
    collector.stop().await;
}

#[tokio::test]
async fn malformed_payloads_get_400_with_a_reason_and_store_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let collector = Collector::start(dir.path(), Options::default()).await;
    let site = collector.add_site("example.com").await;
    let id = site.tracking_id.as_str();
    let too_many: Vec<_> = (0..51).map(|_| json!({"kind": "pageview"})).collect();
    let deep = json!({"kind": "event", "name": "x", "props": {"a": {"b": {"c": {"d": 1}}}}});
    let cases: Vec<(String, &str)> = vec![
        ("{not json".into(), "malformed json"),
        ("[]".into(), "payload must be a json object"),
        (json!({"_d": "***", "_v": 1}).to_string(), "envelope is not valid base64"),
        (json!({"_d": envelope::encode("{}"), "_v": 2}).to_string(), "unsupported envelope version"),
        (json!({"type": "batch", "url": "https://example.com/", "events": [{"t": "pv"}]}).to_string(), "missing field: sid"),
        (json!({"site": id, "events": [{"kind": "pageview"}]}).to_string(), "missing field: url"),
        (json!({"site": id, "url": "javascript:alert(1)", "events": [{"kind": "pageview"}]}).to_string(), "invalid url"),
        (json!({"site": id, "url": "https://example.com/", "events": []}).to_string(), "no events"),
        (json!({"site": id, "url": "https://example.com/", "events": too_many}).to_string(), "too many events"),
        (json!({"site": id, "url": "https://example.com/", "events": [deep]}).to_string(), "nested deeper"),
        (json!({"site": id, "url": "https://example.com/", "events": [{"kind": "event", "name": "n".repeat(101)}]}).to_string(), "event name"),
        ("\u{0}\u{1}\u{2}".into(), "malformed json"),
        (format!("{}1{}", "[".repeat(5000), "]".repeat(5000)), "malformed json"),
    ];
    for (body, reason) in cases {
        let response = collector
            .post("/collect", "198.51.100.12")
            .body(body.clone())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        assert_eq!(status, 400, "{body:.80} → {text}");
        assert!(
            text.contains(reason),
            "{body:.80} gave {text:?}, wanted {reason:?}"
        );
    }
    let db = database(dir.path()).await;
    assert_eq!(count(&db, "SELECT COUNT(*) FROM events").await, 0);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM sessions").await, 0);
    collector.stop().await;
}

#[tokio::test]
async fn unknown_and_archived_sites_get_404_and_bots_are_dropped_silently() {
    let dir = tempfile::tempdir().unwrap();
    let collector = Collector::start(dir.path(), Options::default()).await;
    let site = collector.add_site("example.com").await;
    let (status, _, text) = collector
        .send(
            "/collect",
            "198.51.100.13",
            &pageviews("nosuchsite", &["/"]),
        )
        .await;
    assert_eq!((status, text.as_str()), (404, "unknown site"));

    for bot in [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36",
        "curl/8.4.0",
        "",
    ] {
        let response = collector
            .post_as("/collect", "198.51.100.14", bot)
            .body(pageviews(&site.tracking_id, &["/"]).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 204, "bot {bot:?}");
    }
    let db = database(dir.path()).await;
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM events").await,
        0,
        "bots store nothing"
    );

    collector.app.archive_site(site.id, true).await.unwrap();
    let (status, _, _) = collector
        .send(
            "/collect",
            "198.51.100.13",
            &pageviews(&site.tracking_id, &["/"]),
        )
        .await;
    assert_eq!(status, 404, "archived sites collect nothing");
    collector.stop().await;
}

#[tokio::test]
async fn health_answers() {
    let dir = tempfile::tempdir().unwrap();
    let collector = Collector::start(dir.path(), Options::default()).await;
    let response = collector
        .client
        .get(format!("{}/health", collector.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    collector.stop().await;
}
