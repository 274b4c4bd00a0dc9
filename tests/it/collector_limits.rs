//! Size, type, rate and back-pressure limits, each with its status code, and nothing
//! already stored is lost when a request is refused.

use std::time::Duration;

use skopos_api::WriterConfig;
use skopos_core::limits::MAX_BODY_BYTES;
use skopos_http::RateLimit;
use sqlx::Connection;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::fixture::{count, database, pageviews, Collector, Options};

#[tokio::test]
async fn oversized_bodies_get_413_declared_or_streamed() {
    let dir = tempfile::tempdir().unwrap();
    let collector = Collector::start(dir.path(), Options::default()).await;
    let site = collector.add_site("example.com").await;
    let mut big = pageviews(&site.tracking_id, &["/"]);
    big["padding"] = serde_json::Value::String("x".repeat(MAX_BODY_BYTES));
    let response = collector
        .post("/collect", "198.51.100.30")
        .body(big.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    assert!(response.text().await.unwrap().contains("larger than"));

    // Chunked, so no Content-Length warns the server: the read itself must stop at the cap.
    let address = collector.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /collect HTTP/1.1\r\nHost: {address}\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b'a'; 16 * 1024];
    for _ in 0..8 {
        let framed = [
            format!("{:x}\r\n", chunk.len()).into_bytes(),
            chunk.clone(),
            b"\r\n".to_vec(),
        ]
        .concat();
        if stream.write_all(&framed).await.is_err() {
            break; // the server may close early, which is fine
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut reply = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut reply)).await;
    let reply = String::from_utf8_lossy(&reply);
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    collector.stop().await;
}

#[tokio::test]
async fn other_content_types_get_415() {
    let dir = tempfile::tempdir().unwrap();
    let collector = Collector::start(dir.path(), Options::default()).await;
    let site = collector.add_site("example.com").await;
    for content_type in [
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "image/png",
    ] {
        let response = collector
            .post("/api/event", "198.51.100.31")
            .header("content-type", content_type)
            .body(pageviews(&site.tracking_id, &["/"]).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 415, "{content_type}");
    }
    collector.stop().await;
}

#[tokio::test]
async fn the_rate_limit_answers_429_with_retry_after_per_client() {
    let dir = tempfile::tempdir().unwrap();
    let options = Options {
        rate_limit: RateLimit {
            per_second: 1,
            burst: 3,
        },
        ..Options::default()
    };
    let collector = Collector::start(dir.path(), options).await;
    let site = collector.add_site("example.com").await;
    let body = pageviews(&site.tracking_id, &["/"]);
    let mut statuses = Vec::new();
    for _ in 0..5 {
        let (status, headers, _) = collector.send("/collect", "198.51.100.32", &body).await;
        if status == 429 {
            let retry: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
            assert!((1..=2).contains(&retry), "retry after {retry}");
        }
        statuses.push(status);
    }
    assert_eq!(statuses, [204, 204, 204, 429, 429]);
    // Another client is not affected, and what was accepted stays stored.
    let (status, _, _) = collector.send("/collect", "198.51.100.33", &body).await;
    assert_eq!(status, 204);
    let db = database(dir.path()).await;
    assert_eq!(count(&db, "SELECT COUNT(*) FROM events").await, 4);
    collector.stop().await;
}

#[tokio::test]
async fn a_full_write_queue_answers_503_and_loses_nothing_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let writer = WriterConfig {
        queue_capacity: 1,
        max_batch_hits: 1,
        max_batch_wait: Duration::ZERO,
    };
    let collector = Collector::start(
        dir.path(),
        Options {
            writer,
            ..Options::default()
        },
    )
    .await;
    let site = collector.add_site("example.com").await;
    let (status, _, _) = collector
        .send(
            "/collect",
            "198.51.100.34",
            &pageviews(&site.tracking_id, &["/first"]),
        )
        .await;
    assert_eq!(status, 204);

    // Hold SQLite's write lock from another connection so the writer stalls on its next batch.
    let url = format!("sqlite:{}", dir.path().join("skopos.db").display());
    let mut blocker = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut blocker)
        .await
        .unwrap();

    let mut pending = Vec::new();
    let mut refused = None;
    for i in 0..6 {
        let request = collector
            .post("/collect", "198.51.100.34")
            .body(pageviews(&site.tracking_id, &[&format!("/p{i}")]).to_string());
        let task = tokio::spawn(request.send());
        tokio::time::sleep(Duration::from_millis(300)).await;
        if task.is_finished() {
            refused = Some(task.await.unwrap().unwrap());
            break;
        }
        pending.push(task);
    }
    let refused = refused.expect("the queue filled up");
    assert_eq!(refused.status(), 503);
    assert_eq!(refused.headers()["retry-after"], "1");
    assert_eq!(
        pending.len(),
        2,
        "one beacon in the writer's hands, one in the queue"
    );

    sqlx::query("ROLLBACK").execute(&mut blocker).await.unwrap();
    for task in pending {
        assert_eq!(task.await.unwrap().unwrap().status(), 204);
    }
    let db = database(dir.path()).await;
    assert_eq!(count(&db, "SELECT COUNT(*) FROM events").await, 3);
    collector.stop().await;
}

#[tokio::test]
async fn hostile_input_never_takes_the_collector_down() {
    let dir = tempfile::tempdir().unwrap();
    let collector = Collector::start(dir.path(), Options::default()).await;
    let site = collector.add_site("example.com").await;
    let (status, _, _) = collector
        .send(
            "/collect",
            "198.51.100.35",
            &pageviews(&site.tracking_id, &["/kept"]),
        )
        .await;
    assert_eq!(status, 204);
    let id = &site.tracking_id;
    let bodies: Vec<Vec<u8>> = vec![
        (0..=255u8).cycle().take(4096).collect(),
        format!(r#"{{"site":"{id}","url":"https://example.com/","events":[{{"kind":"pageview","path":"{}"}}]}}"#, "/a".repeat(3000)).into_bytes(),
        format!(r#"{{"site":"{id}","url":"https://example.com/","screen":[1e308,-5],"events":[{{"kind":"engagement","seconds":1e300}}]}}"#).into_bytes(),
        format!(r#"{{"site":"{id}","url":"https://example.com/\u0000\ud800","events":[{{"kind":"pageview"}}]}}"#).into_bytes(),
        br#"{"sid":"x","type":"batch","url":"https://example.com/","events":[{"t":"pv","p":{"nested":true}}]}"#.to_vec(),
        format!(r#"{{"site":"{}","url":"https://example.com/","events":[{{"kind":"pageview"}}]}}"#, "s".repeat(10_000)).into_bytes(),
    ];
    for body in bodies {
        let response = collector
            .post("/collect", "198.51.100.35")
            .body(body)
            .send()
            .await
            .unwrap();
        assert!(
            [204, 400, 404].contains(&response.status().as_u16()),
            "unexpected {}",
            response.status()
        );
    }
    let response = collector
        .client
        .get(format!("{}/health", collector.base))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let db = database(dir.path()).await;
    assert!(count(&db, "SELECT COUNT(*) FROM events WHERE path = '/kept'").await == 1);
    let longest: i64 = count(&db, "SELECT MAX(length(path)) FROM events").await;
    assert!(longest <= 512, "paths are capped, got {longest}");
    collector.stop().await;
}
