//! A whole collector on a real socket over a real database file, and helpers to talk to it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use reqwest::header::HeaderMap;
use serde_json::Value;
use skopos_api::{AppConfig, Site, SiteSettings, Skopos, WriterConfig};
use skopos_core::clock::ManualClock;
use skopos_http::{CollectorConfig, RateLimit, TrustedProxy};
use sqlx::SqlitePool;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// 2026-12-03T10:00:00Z
pub const T0: i64 = 1_796_292_000_000;

pub const CHROME: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

pub struct Options {
    pub rate_limit: RateLimit,
    pub writer: WriterConfig,
    pub script_alias: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            rate_limit: RateLimit {
                per_second: 10_000,
                burst: 10_000,
            },
            writer: WriterConfig::default(),
            script_alias: None,
        }
    }
}

pub struct Collector {
    pub app: Arc<Skopos>,
    pub clock: Arc<ManualClock>,
    pub base: String,
    pub client: reqwest::Client,
    stop: oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
}

impl Collector {
    /// Starts a collector over `data_dir`, trusting `X-Forwarded-For` from loopback so tests
    /// can play visitors from many addresses.
    pub async fn start(data_dir: &Path, options: Options) -> Collector {
        Self::start_at(data_dir, options, T0).await
    }

    pub async fn start_at(data_dir: &Path, options: Options, now_ms: i64) -> Collector {
        let clock = Arc::new(ManualClock::new(now_ms));
        let mut config = AppConfig::new(data_dir.to_owned());
        config.writer = options.writer;
        config.script_alias = options.script_alias;
        let app = Skopos::open(config, clock.clone()).await.expect("open app");
        let collector = CollectorConfig {
            trusted_proxy: TrustedProxy::XForwardedFor,
            rate_limit: options.rate_limit,
        };
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        app.set_collector_url(format!("http://{addr}"));
        let (stop, stopped) = oneshot::channel::<()>();
        let router = skopos_http::collector_router(Arc::clone(&app), &collector);
        let server = tokio::spawn(skopos_http::serve(listener, router, async move {
            let _ = stopped.await;
        }));
        Collector {
            app,
            clock,
            base: format!("http://{addr}"),
            client: reqwest::Client::new(),
            stop,
            server,
        }
    }

    /// Stops like the real binary does: the listener first, then the writer drains.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        self.server.await.unwrap().unwrap();
        self.app.shutdown().await;
    }

    pub async fn add_site(&self, domain: &str) -> Site {
        self.app
            .create_site(SiteSettings {
                name: domain.into(),
                domain: domain.into(),
                allowed_origins: vec![],
                privacy_mode: Default::default(),
                ip_exclusions: vec![],
                ignore_localhost: true,
                timezone: "UTC".into(),
            })
            .await
            .unwrap()
    }

    /// A POST from a visitor at `ip` using Chrome; add a body and, if wanted, a content type.
    pub fn post(&self, path: &str, ip: &str) -> reqwest::RequestBuilder {
        self.post_as(path, ip, CHROME)
    }

    pub fn post_as(&self, path: &str, ip: &str, user_agent: &str) -> reqwest::RequestBuilder {
        self.client
            .post(format!("{}{path}", self.base))
            .header("user-agent", user_agent)
            .header("x-forwarded-for", ip)
    }

    /// Posts JSON as `text/plain`, the way the tracker does.
    pub async fn send(&self, path: &str, ip: &str, body: &Value) -> (u16, HeaderMap, String) {
        let request = self.post(path, ip).header("content-type", "text/plain");
        let response = request.body(body.to_string()).send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        (status, headers, response.text().await.unwrap())
    }
}

/// A native batch of pageviews for a site.
pub fn pageviews(tracking_id: &str, paths: &[&str]) -> Value {
    let events: Vec<Value> = paths
        .iter()
        .map(|path| serde_json::json!({"kind": "pageview", "path": path}))
        .collect();
    serde_json::json!({"site": tracking_id, "url": "https://example.com/", "events": events})
}

/// A read-only view of the database file, for assertions about what landed where.
pub async fn database(data_dir: &Path) -> SqlitePool {
    let url = format!("sqlite:{}?mode=ro", data_dir.join("skopos.db").display());
    SqlitePool::connect(&url).await.unwrap()
}

pub async fn count(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

/// The `skopos-server` binary built next to this test binary (`cargo build -p skopos-server`).
pub fn server_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(Path::parent).unwrap();
    let binary = dir.join(format!("skopos-server{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.exists(),
        "{} is missing: run `cargo build -p skopos-server` before the tests (tests/run.sh does)",
        binary.display()
    );
    binary
}
