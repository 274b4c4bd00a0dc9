//! The web dashboard on its own real listener beside the collector: login (registration
//! only while no account exists, cookie, CSRF, origin check, rate limit), the command API,
//! live updates as Server-Sent Events, the embedded UI, and the public-URL check.

use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::StatusCode;
use serde_json::{json, Value};
use skopos_api::{AppInfo, CollectorStatus, HostKind, SettingsView};
use skopos_http::{DashboardConfig, TrustedProxy};
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::fixture::{pageviews, Collector, Options};

struct Dashboard {
    collector: Collector,
    base: String,
    client: reqwest::Client,
    stop: watch::Sender<bool>,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
    _dir: tempfile::TempDir,
}

/// A logged-in browser: its cookie and CSRF token.
struct Session {
    cookie: String,
    csrf: String,
}

impl Dashboard {
    async fn start() -> Dashboard {
        let dir = tempfile::tempdir().unwrap();
        let collector = Collector::start(dir.path(), Options::default()).await;
        let (stop, stopped) = watch::channel(false);
        let config = DashboardConfig {
            app_info: AppInfo {
                version: "test".into(),
                mode: HostKind::Web,
                collector: CollectorStatus {
                    address: collector.base.clone(),
                    running: true,
                    error: None,
                    data_dir: dir.path().display().to_string(),
                },
                public_url: None,
            },
            settings: SettingsView {
                collector_address: collector.base.clone(),
                public_url: None,
                trusted_proxy: "none".into(),
                data_dir: dir.path().display().to_string(),
                editable: false,
                launch_at_login: None,
            },
            trusted_proxy: TrustedProxy::None,
            stop: stopped.clone(),
        };
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let router = skopos_http::dashboard_router(Arc::clone(&collector.app), config);
        let mut until = stopped;
        let server = tokio::spawn(skopos_http::serve(listener, router, async move {
            let _ = until.wait_for(|stop| *stop).await;
        }));
        Dashboard {
            collector,
            base,
            client: reqwest::Client::new(),
            stop,
            server,
            _dir: dir,
        }
    }

    async fn stop(self) {
        let _ = self.stop.send(true);
        self.server.await.unwrap().unwrap();
        self.collector.stop().await;
    }

    async fn auth(&self, what: &str, username: &str, password: &str) -> reqwest::Response {
        self.client
            .post(format!("{}/api/auth/{what}", self.base))
            .json(&json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap()
    }

    async fn log_in(&self, what: &str) -> Session {
        let response = self.auth(what, "owner", "correct horse battery").await;
        assert_eq!(response.status(), StatusCode::OK);
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_owned();
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(cookie.contains(attribute), "{cookie}");
        }
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["user"], "owner");
        Session {
            cookie: cookie.split(';').next().unwrap().to_owned(),
            csrf: body["csrf"].as_str().unwrap().to_owned(),
        }
    }

    async fn call_with(
        &self,
        command: &str,
        body: &str,
        headers: HeaderMap,
    ) -> (StatusCode, Value) {
        let response = self
            .client
            .post(format!("{}/api/{command}", self.base))
            .headers(headers)
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn call(&self, session: &Session, command: &str, args: Value) -> (StatusCode, Value) {
        self.call_with(command, &args.to_string(), session.headers())
            .await
    }
}

impl Session {
    fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("cookie", HeaderValue::from_str(&self.cookie).unwrap());
        headers.insert("x-skopos-csrf", HeaderValue::from_str(&self.csrf).unwrap());
        headers
    }
}

async fn auth_state(dash: &Dashboard, cookie: Option<&str>) -> Value {
    let mut request = dash.client.get(format!("{}/api/auth/state", dash.base));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn registration_then_login_guard_every_command() {
    let dash = Dashboard::start().await;
    assert_eq!(
        auth_state(&dash, None).await,
        json!({"has_user": false, "user": null, "csrf": null})
    );
    let (status, body) = dash.call_with("list_sites", "{}", HeaderMap::new()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["code"], "unauthorized");

    let weak = dash.auth("register", "owner", "short").await;
    assert_eq!(weak.status(), StatusCode::BAD_REQUEST);
    let garbage = dash
        .client
        .post(format!("{}/api/auth/register", dash.base))
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), StatusCode::BAD_REQUEST);
    let session = dash.log_in("register").await;
    let again = dash.auth("register", "intruder", "another password").await;
    assert_eq!(again.status(), StatusCode::CONFLICT, "registration closes");
    let state = auth_state(&dash, Some(&session.cookie)).await;
    assert_eq!(state["user"], "owner");
    assert_eq!(state["csrf"], session.csrf.as_str());

    // The cookie alone is not enough to change anything: the CSRF token must come too.
    let mut cookie_only = HeaderMap::new();
    cookie_only.insert("cookie", HeaderValue::from_str(&session.cookie).unwrap());
    let (status, _) = dash
        .call_with("list_sites", "{}", cookie_only.clone())
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    cookie_only.insert("x-skopos-csrf", HeaderValue::from_static("guess"));
    let (status, _) = dash.call_with("list_sites", "{}", cookie_only).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Nor from a page of another origin, even with the token.
    let mut foreign = session.headers();
    foreign.insert("origin", HeaderValue::from_static("https://evil.example"));
    let (status, body) = dash.call_with("list_sites", "{}", foreign).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body["message"].as_str().unwrap().contains("cross-origin"));
    let mut cross_site = session.headers();
    cross_site.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
    assert_eq!(
        dash.call_with("list_sites", "{}", cross_site).await.0,
        StatusCode::FORBIDDEN
    );
    let mut same_origin = session.headers();
    let own = dash.base.trim_start_matches("http://").to_owned();
    same_origin.insert("origin", HeaderValue::from_str(&dash.base).unwrap());
    same_origin.insert("host", HeaderValue::from_str(&own).unwrap());
    let (status, sites) = dash.call_with("list_sites", "{}", same_origin).await;
    assert_eq!((status, sites), (StatusCode::OK, json!([])));

    // Logging out ends the session for good.
    let logout = dash
        .client
        .post(format!("{}/api/auth/logout", dash.base))
        .headers(session.headers())
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    assert!(logout.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    assert_eq!(
        dash.call(&session, "list_sites", json!({})).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        auth_state(&dash, Some(&session.cookie)).await,
        json!({"has_user": true, "user": null, "csrf": null})
    );

    // Wrong passwords are refused alike for unknown names, and logins are rate-limited.
    for (name, password) in [
        ("owner", "wrong password"),
        ("nobody", "correct horse battery"),
    ] {
        let refused = dash.auth("login", name, password).await;
        assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    }
    let again = dash.log_in("login").await;
    assert_eq!(
        dash.call(&again, "list_sites", json!({})).await.0,
        StatusCode::OK
    );
    let mut limited = None;
    for _ in 0..6 {
        let response = dash.auth("login", "owner", "wrong password").await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            limited = Some(response);
            break;
        }
    }
    let limited = limited.expect("the sixth attempt within a minute is refused");
    let wait: u64 = limited.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=12).contains(&wait), "{wait}");
    let body: Value = limited.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited");
    dash.stop().await;
}

#[tokio::test]
async fn commands_answer_like_the_application_and_refuse_bad_requests() {
    let dash = Dashboard::start().await;
    let session = dash.log_in("register").await;
    let (status, site) = dash
        .call(
            &session,
            "create_site",
            json!({"settings": {"name": "Blog", "domain": "blog.example"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{site}");
    let site_id = site["id"].as_i64().unwrap();
    let tracking_id = site["tracking_id"].as_str().unwrap().to_owned();
    let (status, snippet) = dash
        .call(&session, "tracking_snippet", json!({"site_id": site_id}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        snippet["script_url"],
        format!("{}/script.js", dash.collector.base)
    );
    assert!(snippet["html"].as_str().unwrap().contains(&tracking_id));

    let (status, _, _) = dash
        .collector
        .send(
            "/collect",
            "203.0.113.9",
            &pageviews(&tracking_id, &["/", "/about"]),
        )
        .await;
    assert_eq!(status, 204, "answered once committed");
    let today = json!({"site_id": site_id, "period": "today", "filters": []});
    let (status, summary) = dash.call(&session, "summary", today.clone()).await;
    assert_eq!(status, StatusCode::OK, "{summary}");
    assert_eq!(summary["current"]["pageviews"], 2);
    let mut pages = today.clone();
    pages["dimension"] = json!("page");
    pages["offset"] = json!(0);
    pages["limit"] = json!(10);
    let (_, breakdown) = dash.call(&session, "breakdown", pages).await;
    assert_eq!(breakdown["total_rows"], 2);
    let (_, overview) = dash
        .call(&session, "sites_overview", json!({"period": "today"}))
        .await;
    assert_eq!(overview["total"]["current"]["pageviews"], 2);
    let (_, info) = dash.call(&session, "app_info", json!({})).await;
    assert_eq!(info["mode"], "web");

    // Bad requests get a clear error and change nothing.
    for (command, body, expected) in [
        ("summary", "{\"site_id\": 1", StatusCode::BAD_REQUEST),
        ("summary", "{\"site_id\": \"one\", \"period\": \"today\"}", StatusCode::BAD_REQUEST),
        ("summary", "{\"site_id\": 999, \"period\": \"today\", \"filters\": []}", StatusCode::NOT_FOUND),
        ("create_site", "{\"settings\": {\"name\": \"\", \"domain\": \"x\"}}", StatusCode::BAD_REQUEST),
        ("erase", "{\"site_id\": 1, \"subject\": {\"visitor\": 12}}", StatusCode::BAD_REQUEST),
        ("breakdown", &format!("{{\"site_id\": {site_id}, \"period\": \"today\", \"filters\": [], \"dimension\": \"page\", \"offset\": 0, \"limit\": 100000}}"), StatusCode::BAD_REQUEST),
        ("save_settings", "{\"settings\": {\"collector_address\": \"0.0.0.0:1\", \"public_url\": null, \"trusted_proxy\": \"none\", \"data_dir\": \"/\"}}", StatusCode::BAD_REQUEST),
        ("check_update", "{}", StatusCode::NOT_FOUND),
        ("drop_tables", "{}", StatusCode::NOT_FOUND),
    ] {
        let (status, error) = dash.call_with(command, body, session.headers()).await;
        assert_eq!(status, expected, "{command} {body}: {error}");
        assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()), "{error}");
    }
    let huge = format!("{{\"url\": \"{}\"}}", "x".repeat(100_000));
    let (status, _) = dash
        .call_with("check_public_url", &huge, session.headers())
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let (_, sites) = dash.call(&session, "list_sites", json!({})).await;
    assert_eq!(
        sites.as_array().unwrap().len(),
        1,
        "nothing was lost or added"
    );
    let (_, summary) = dash.call(&session, "summary", today).await;
    assert_eq!(summary["current"]["pageviews"], 2);
    dash.stop().await;
}

#[tokio::test]
async fn live_updates_arrive_as_server_sent_events_and_end_with_the_server() {
    let dash = Dashboard::start().await;
    let denied = dash
        .client
        .get(format!("{}/api/live", dash.base))
        .send()
        .await
        .unwrap();
    assert_eq!(denied.status(), StatusCode::UNAUTHORIZED);
    let session = dash.log_in("register").await;
    let site = dash.collector.add_site("live.example").await;
    let mut live = dash
        .client
        .get(format!("{}/api/live", dash.base))
        .header("cookie", &session.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(live.status(), StatusCode::OK);
    assert_eq!(live.headers()["content-type"], "text/event-stream");
    let (status, _, _) = dash
        .collector
        .send(
            "/collect",
            "198.51.100.4",
            &pageviews(&site.tracking_id, &["/now"]),
        )
        .await;
    assert_eq!(status, 204);
    let mut received = String::new();
    while !received.contains("\n\n") {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(5), live.chunk())
            .await
            .expect("an update within 5 s")
            .unwrap()
            .expect("the stream stays open");
        received.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(received.starts_with("event: live\ndata: "), "{received}");
    let data: Value = serde_json::from_str(
        received
            .lines()
            .find_map(|line| line.strip_prefix("data: "))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(data["site_id"], site.id);
    assert_eq!(data["pageviews"], 1);
    assert_eq!(data["latest_path"], "/now");
    assert_eq!(data["live_visitors"], 1);
    // Stopping the server ends the stream instead of waiting for the browser to leave.
    tokio::time::timeout(std::time::Duration::from_secs(5), dash.stop())
        .await
        .expect("the server stops with a live stream open");
}

#[tokio::test]
async fn the_ui_is_served_under_a_strict_policy_and_the_collector_has_no_dashboard() {
    let dash = Dashboard::start().await;
    let page = dash.client.get(&dash.base).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let policy = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(policy.contains("default-src 'self'") && policy.contains("frame-ancestors 'none'"));
    let html = page.text().await.unwrap();
    assert!(html.contains("assets/app.js"), "{html}");
    let script = dash
        .client
        .get(format!("{}/assets/app.js", dash.base))
        .send()
        .await
        .unwrap();
    assert_eq!(script.status(), StatusCode::OK);
    assert!(script.headers()["content-type"]
        .to_str()
        .unwrap()
        .contains("javascript"));
    let etag = script.headers()["etag"].clone();
    let again = dash
        .client
        .get(format!("{}/assets/app.js", dash.base))
        .header("if-none-match", etag)
        .send()
        .await
        .unwrap();
    assert_eq!(
        again.status(),
        StatusCode::NOT_MODIFIED,
        "revalidated by ETag"
    );
    for path in ["/assets/../../Cargo.toml", "/assets/nope.js", "/admin"] {
        let missing = dash
            .client
            .get(format!("{}{path}", dash.base))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), StatusCode::NOT_FOUND, "{path}");
    }

    // The public listener answers none of it.
    let collector = &dash.collector;
    for (method, path) in [
        ("GET", "/"),
        ("GET", "/assets/app.js"),
        ("GET", "/api/auth/state"),
        ("POST", "/api/auth/register"),
        ("POST", "/api/auth/login"),
        ("POST", "/api/list_sites"),
        ("POST", "/api/summary"),
        ("GET", "/api/live"),
    ] {
        let request = match method {
            "GET" => collector.client.get(format!("{}{path}", collector.base)),
            _ => collector.client.post(format!("{}{path}", collector.base)),
        };
        let response = request.body("{}").send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{method} {path}");
    }
    dash.stop().await;
}

#[tokio::test]
async fn the_public_url_check_tells_this_collector_from_anything_else() {
    let dash = Dashboard::start().await;
    let session = dash.log_in("register").await;
    let check = |url: Value| dash.call(&session, "check_public_url", json!({"url": url}));
    let (status, reached) = check(json!(dash.collector.base)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reached["ok"], true, "{reached}");

    // Another Skopos collector (a second app on its own data folder) is not this one.
    let other_dir = tempfile::tempdir().unwrap();
    let other = Collector::start(other_dir.path(), Options::default()).await;
    let (_, elsewhere) = check(json!(other.base)).await;
    assert_eq!(elsewhere["ok"], false);
    assert!(elsewhere["message"].as_str().unwrap().contains("another"));
    other.stop().await;

    // Something that is not a collector, and nothing at all.
    let (_, dashboard) = check(json!(dash.base)).await;
    assert_eq!(dashboard["ok"], false, "{dashboard}");
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let closed_url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let (_, nothing) = check(json!(closed_url)).await;
    assert_eq!(nothing["ok"], false);
    assert!(nothing["message"]
        .as_str()
        .unwrap()
        .contains("could not be reached"));
    for bad in [json!("ftp://example.com"), json!("not a url"), json!(null)] {
        let (status, error) = check(bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    }
    dash.stop().await;
}
