//! The command-line forms scripts rely on: `site add`, `site list`, `stats --json`, `export`,
//! `serve`.

use serde_json::{json, Value};

use crate::fixture::CHROME;
use crate::server_process::{run, ServerProcess};

fn stdout(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[tokio::test]
async fn site_add_list_and_stats_drive_a_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let id = stdout(&run(
        dir.path(),
        &[
            "site",
            "add",
            "--name",
            "Blog",
            "--domain",
            "https://www.Blog.example/",
        ],
    ))
    .trim()
    .to_owned();
    assert_eq!(id.len(), 12, "tracking id {id:?}");
    let sites: Value =
        serde_json::from_str(&stdout(&run(dir.path(), &["site", "list", "--json"]))).unwrap();
    assert_eq!(sites[0]["tracking_id"], id.as_str());
    assert_eq!(sites[0]["domain"], "blog.example");
    assert_eq!(sites[0]["privacy_mode"], "strict");
    let snippet = stdout(&run(dir.path(), &["site", "snippet", "--site", &id]));
    assert_eq!(
        snippet.trim(),
        format!(
            r#"<script defer src="http://127.0.0.1:8787/script.js" data-site-id="{id}"></script>"#
        )
    );
    let persistent = stdout(&run(
        dir.path(),
        &[
            "site",
            "add",
            "--name",
            "App",
            "--domain",
            "app.example",
            "--privacy-mode",
            "persistent",
        ],
    ))
    .trim()
    .to_owned();
    let snippet = stdout(&run(
        dir.path(),
        &["site", "snippet", "--site", &persistent],
    ));
    assert!(
        snippet.trim().ends_with(r#" data-persistent></script>"#),
        "{snippet}"
    );

    let server = ServerProcess::start(dir.path(), &[], &dir.path().join("server.log"), "info");
    let client = reqwest::Client::new();
    let batch = json!({"site": id, "url": "https://blog.example/post", "events": [
        {"kind": "pageview"}, {"kind": "pageview", "path": "/about"}, {"kind": "pageview", "path": "/"},
        {"kind": "event", "name": "subscribe", "props": {"plan": "pro", "seats": 3}},
        {"kind": "outbound", "target": "https://elsewhere.example/"},
        {"kind": "error", "message": "TypeError: x is undefined", "line": 3,
         "breadcrumbs": [{"type": "click", "target": "#buy"}]},
        {"kind": "identify", "user_id": "u-42", "name": "Ada", "metadata": {"team": "core"}}]});
    let response = client
        .post(format!("{}/api/event", server.base))
        .header("user-agent", CHROME)
        .body(batch.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);

    let stats: Value = serde_json::from_str(&stdout(&run(
        dir.path(),
        &["stats", "--site", &id, "--json"],
    )))
    .unwrap();
    assert_eq!(stats["tracking_id"], id.as_str());
    for (key, expected) in [
        ("visitors", 1),
        ("pageviews", 3),
        ("sessions", 1),
        ("events", 2),
        ("errors", 1),
        ("live_visitors", 1),
    ] {
        assert_eq!(stats[key], expected, "{key} in {stats}");
    }

    // The export is read beside the running server, JSON columns as JSON.
    let export: Value =
        serde_json::from_str(&stdout(&run(dir.path(), &["export", "--site", &id]))).unwrap();
    let kinds: Vec<&str> = export["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["pageview", "pageview", "pageview", "custom", "outbound"]
    );
    assert_eq!(export["events"][1]["path"], "/about");
    assert_eq!(
        export["events"][3]["props"],
        json!({"plan": "pro", "seats": 3})
    );
    assert_eq!(export["events"][4]["target"], "https://elsewhere.example/");
    let session = &export["sessions"][0];
    assert_eq!(
        (
            &session["pageviews"],
            &session["events"],
            &session["entry_path"]
        ),
        (&json!(3), &json!(2), &json!("/post"))
    );
    assert_eq!(session["browser"], "Chrome");
    let error = &export["errors"][0];
    assert_eq!(error["message"], "TypeError: x is undefined");
    assert_eq!(error["occurrences"], 1);
    assert_eq!(
        error["recent"][0]["breadcrumbs"],
        json!([{"type": "click", "target": "#buy"}])
    );
    let visitor = &export["visitors"][0];
    assert_eq!(
        (&visitor["user_id"], &visitor["name"], &visitor["metadata"]),
        (&json!("u-42"), &json!("Ada"), &json!({"team": "core"}))
    );
    assert!(visitor.get("visitor_id").is_none(), "ids stay inside");
    assert!(server.terminate().success());
}

#[test]
fn mistakes_get_clear_messages_and_a_failing_exit() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &["stats", "--site", "nosuchsite1", "--json"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("site not found"));
    let output = run(dir.path(), &["export", "--site", "nosuchsite1"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("site not found"));
    assert!(output.stdout.is_empty(), "no partial JSON on failure");

    let output = run(
        dir.path(),
        &["site", "add", "--name", "Bad", "--domain", "not a domain"],
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid domain"));

    let output = run(
        dir.path(),
        &[
            "site",
            "add",
            "--name",
            "Bad",
            "--domain",
            "ok.example",
            "--timezone",
            "Mars/Base",
        ],
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown time zone"));

    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = taken.local_addr().unwrap().to_string();
    let output = run(dir.path(), &["serve", "--collector", &address]);
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("cannot listen on"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
