//! The command adapters and the updater, driven through Tauri's mock runtime: the same
//! builder as the real app, a real data folder and collector on port 0, IPC requests
//! shaped as the window sends them (`invoke(name, { args })`).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY,
};
use tauri::webview::InvokeRequest;
use tauri::{App, Manager, WebviewWindow, WebviewWindowBuilder};

use crate::settings::Settings;

struct MockApp {
    app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

fn settings_in(dir: &Path) -> Settings {
    Settings {
        data_dir: dir.join("data"),
        address_text: "127.0.0.1:0".into(),
        address: Ok("127.0.0.1:0".parse().unwrap()),
        public_url: None,
        trusted_proxy: Default::default(),
        file: Some(dir.join("desktop.json")),
    }
}

fn context(updater: Value) -> tauri::Context<MockRuntime> {
    let mut context = mock_context(noop_assets());
    context
        .config_mut()
        .plugins
        .0
        .insert("updater".into(), updater);
    context
}

fn start(dir: &Path, updater: Value) -> MockApp {
    let app = crate::configure_with(mock_builder(), settings_in(dir))
        .build(context(updater))
        .expect("the app builds on the mock runtime");
    let window = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .unwrap();
    // `setup` runs once the event loop starts, which a mock app never does: start the
    // collector as it would.
    tauri::async_runtime::block_on(app.state::<crate::collector::Collector>().start());
    MockApp { app, window }
}

impl MockApp {
    fn invoke(&self, command: &str, body: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: command.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body: InvokeBody::Json(body),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.into(),
            },
        )
        .map(|body| body.deserialize::<Value>().unwrap())
    }

    fn call(&self, command: &str, args: Value) -> Result<Value, Value> {
        self.invoke(command, json!({ "args": args }))
    }

    fn stop(self) {
        tauri::async_runtime::block_on(self.app.state::<crate::collector::Collector>().stop());
    }
}

fn no_updates() -> Value {
    json!({"pubkey": "", "endpoints": []})
}

#[test]
fn commands_are_adapters_over_the_application() {
    let dir = tempfile::tempdir().unwrap();
    let app = start(dir.path(), no_updates());
    let info = app.call("app_info", json!({})).unwrap();
    assert_eq!(info["mode"], "desktop");
    assert_eq!(info["collector"]["running"], true, "{info}");
    let collector = info["collector"]["address"].as_str().unwrap().to_owned();

    assert_eq!(app.call("list_sites", json!({})).unwrap(), json!([]));
    let site = app
        .call(
            "create_site",
            json!({"settings": {"name": "Blog", "domain": "blog.example"}}),
        )
        .unwrap();
    let site_id = site["id"].as_i64().unwrap();
    let snippet = app
        .call("tracking_snippet", json!({"site_id": site_id}))
        .unwrap();
    assert_eq!(
        snippet["script_url"],
        format!("http://{collector}/script.js")
    );
    let summary = app
        .call(
            "summary",
            json!({"site_id": site_id, "period": "last_days", "days": 7, "filters": []}),
        )
        .unwrap();
    assert_eq!(summary["current"]["pageviews"], 0);
    let overview = app
        .call("sites_overview", json!({"period": "today"}))
        .unwrap();
    assert_eq!(overview["sites"][0]["site"]["id"], site_id);

    // Bad input: a clear error with a stable code, and nothing changes.
    let unknown = app
        .call(
            "summary",
            json!({"site_id": 999, "period": "today", "filters": []}),
        )
        .unwrap_err();
    assert_eq!(unknown["code"], "not_found");
    let invalid = app
        .call(
            "create_site",
            json!({"settings": {"name": "", "domain": "x"}}),
        )
        .unwrap_err();
    assert_eq!(invalid["code"], "invalid");
    assert!(app.call("summary", json!({"site_id": "one"})).is_err());
    assert!(
        app.invoke("list_sites", json!({})).is_err(),
        "args are required"
    );
    assert!(app.call("drop_tables", json!({})).is_err());
    let erase = app
        .call(
            "erase",
            json!({"site_id": site_id, "subject": {"visitor": 12}}),
        )
        .unwrap_err();
    assert!(
        erase.as_str().is_some_and(|m| m.contains("invalid args")),
        "{erase}"
    );
    assert_eq!(
        app.call("list_sites", json!({}))
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Every command in the shared list is registered here.
    for name in crate::commands::NAMES {
        let answer = app.invoke(name, json!({}));
        let missing = answer
            .as_ref()
            .err()
            .and_then(Value::as_str)
            .is_some_and(|message| message.contains("not found"));
        assert!(!missing, "{name} is not a registered command: {answer:?}");
    }
    app.stop();
}

#[test]
fn settings_are_checked_saved_and_restart_the_collector() {
    let dir = tempfile::tempdir().unwrap();
    let app = start(dir.path(), no_updates());
    let before = app.call("settings", json!({})).unwrap();
    assert_eq!(before["editable"], true);
    let bad = app
        .call(
            "save_settings",
            json!({"settings": {"collector_address": "nowhere", "public_url": null,
                   "trusted_proxy": "none", "data_dir": dir.path().join("data")}}),
        )
        .unwrap_err();
    assert_eq!(bad["code"], "invalid");
    assert_eq!(
        app.call("settings", json!({})).unwrap(),
        before,
        "unchanged"
    );
    assert!(!dir.path().join("desktop.json").exists());

    let saved = app
        .call(
            "save_settings",
            json!({"settings": {"collector_address": "127.0.0.1:0",
                   "public_url": "https://tunnel.example/", "trusted_proxy": "cloudflare",
                   "data_dir": dir.path().join("data")}}),
        )
        .unwrap();
    assert_eq!(saved["public_url"], "https://tunnel.example");
    assert_eq!(saved["trusted_proxy"], "cloudflare");
    let info = app.call("app_info", json!({})).unwrap();
    assert_eq!(info["collector"]["running"], true, "restarted: {info}");
    let file = std::fs::read_to_string(dir.path().join("desktop.json")).unwrap();
    assert!(file.contains("tunnel.example"));
    app.stop();
}

/// A loopback update server: `GET /latest.json` answers `manifest`, anything else
/// `artifact`.
fn update_server(
    manifest: impl Fn(SocketAddr) -> Value + Send + 'static,
    artifact: Vec<u8>,
) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 4096];
            let read = stream.read(&mut request).unwrap_or(0);
            let request = String::from_utf8_lossy(&request[..read]);
            let (kind, body) = if request.starts_with("GET /latest.json") {
                (
                    "application/json",
                    manifest(address).to_string().into_bytes(),
                )
            } else {
                ("application/octet-stream", artifact.clone())
            };
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: {kind}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&body);
        }
    });
    address
}

#[test]
fn a_signed_update_is_found_and_verified_and_a_tampered_one_refused() {
    use tauri_plugin_updater::UpdaterExt;

    let keys = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
    let pubkey = STANDARD.encode(keys.pk.to_box().unwrap().to_string());
    let artifact = b"the new Skopos".to_vec();
    let signature = minisign::sign(
        Some(&keys.pk),
        &keys.sk,
        std::io::Cursor::new(&artifact),
        Some("skopos 99.0.0"),
        None,
    )
    .unwrap();
    let signature = STANDARD.encode(signature.to_string());
    let target = tauri_plugin_updater::target().unwrap();
    let manifest = move |version: &'static str, file: &'static str| {
        let signature = signature.clone();
        let target = target.clone();
        move |address: SocketAddr| {
            let mut platforms = serde_json::Map::new();
            platforms.insert(
                target.clone(),
                json!({"url": format!("http://{address}/{file}"), "signature": signature}),
            );
            json!({
                "version": version,
                "notes": "Faster reports",
                "pub_date": "2026-12-01T00:00:00Z",
                "platforms": platforms,
            })
        }
    };
    let dir = tempfile::tempdir().unwrap();
    let app = start(
        dir.path(),
        json!({"pubkey": pubkey, "endpoints": [], "dangerousInsecureTransportProtocol": true}),
    );
    let check = |address: SocketAddr| {
        let updater = app
            .app
            .updater_builder()
            .endpoints(vec![format!("http://{address}/latest.json")
                .parse()
                .unwrap()])
            .unwrap()
            .build()
            .unwrap();
        tauri::async_runtime::block_on(updater.check()).unwrap()
    };

    let good = update_server(manifest("99.0.0", "skopos.tar.gz"), artifact.clone());
    let update = check(good).expect("99.0.0 is newer");
    assert_eq!(update.version, "99.0.0");
    let updates = app.app.state::<crate::updates::Updates>();
    let info = tauri::async_runtime::block_on(
        updates.check_with(
            &app.app
                .updater_builder()
                .endpoints(vec![format!("http://{good}/latest.json").parse().unwrap()])
                .unwrap()
                .build()
                .unwrap(),
        ),
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        (info.version.as_str(), info.notes.as_deref()),
        ("99.0.0", Some("Faster reports"))
    );
    assert_eq!(info.current_version, env!("CARGO_PKG_VERSION"));
    let downloaded = tauri::async_runtime::block_on(update.download(|_, _| {}, || {}));
    assert_eq!(
        downloaded.unwrap(),
        artifact,
        "verified against the public key"
    );

    let mut tampered_bytes = artifact.clone();
    tampered_bytes[0] ^= 1;
    let tampered = update_server(manifest("99.0.0", "skopos.tar.gz"), tampered_bytes);
    let update = check(tampered).unwrap();
    let refused = tauri::async_runtime::block_on(update.download(|_, _| {}, || {}));
    assert!(refused.is_err(), "a tampered artifact is refused");

    let current = update_server(manifest("0.0.1", "old.tar.gz"), artifact);
    assert!(check(current).is_none(), "an older release is no update");
    app.stop();
}
