//! The in-process collector: opens the application on the data folder, binds the public
//! collector listener and serves it on Tauri's async runtime, and stops both on exit.
//!
//! Starting never fails the app: a taken port or an unreadable data folder is recorded in
//! the [`CollectorStatus`] that the window shows, so the person can fix it and restart.

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use serde::Serialize;
use skopos_api::{AppConfig, Skopos};
use skopos_core::clock::SystemClock;
use tauri::async_runtime::JoinHandle;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// Where the collector listens unless `SKOPOS_COLLECTOR` says otherwise; the same default as
/// `skopos-server`, so tracking snippets work with either.
pub const DEFAULT_ADDRESS: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 8787);

/// How long in-flight requests get to finish when the app quits.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// What the collector is started with, read from the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `SKOPOS_DATA_DIR`, else the per-user data folder shared with `skopos-server`.
    pub data_dir: PathBuf,
    /// `SKOPOS_COLLECTOR` as written (for messages), and what it parsed to.
    pub address_text: String,
    pub address: Result<SocketAddr, String>,
    /// `SKOPOS_PUBLIC_URL`: the address visitors' browsers reach the collector at.
    pub public_url: Option<String>,
}

impl Settings {
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `var`, so tests need not touch the process environment.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let set = |name: &str| {
            var(name)
                .map(|value| value.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let data_dir = set("SKOPOS_DATA_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(AppConfig::default_data_dir);
        let (address_text, address) = match set("SKOPOS_COLLECTOR") {
            Some(text) => {
                let parsed = text.parse::<SocketAddr>().map_err(|_| {
                    format!(
                        "SKOPOS_COLLECTOR is \"{text}\", which is not an address: \
                         use IP:port, for example 127.0.0.1:8787."
                    )
                });
                (text, parsed)
            }
            None => (DEFAULT_ADDRESS.to_string(), Ok(DEFAULT_ADDRESS)),
        };
        Self {
            data_dir,
            address_text,
            address,
            public_url: set("SKOPOS_PUBLIC_URL"),
        }
    }
}

/// What the window shows about the collector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CollectorStatus {
    /// The address listened on (the bound one once running), e.g. `127.0.0.1:8787`.
    pub address: String,
    pub running: bool,
    /// Why it is not running, for a person to read.
    pub error: Option<String>,
    pub data_dir: String,
}

/// The collector and the application it serves; held in Tauri's managed state.
pub struct Collector {
    settings: Settings,
    status: Arc<Mutex<CollectorStatus>>,
    app: Mutex<Option<Arc<Skopos>>>,
    stop: Mutex<Option<oneshot::Sender<()>>>,
    server: Mutex<Option<JoinHandle<()>>>,
}

impl Collector {
    /// A collector that is not started yet.
    pub fn new(settings: Settings) -> Self {
        let status = CollectorStatus {
            address: settings.address_text.clone(),
            running: false,
            error: None,
            data_dir: settings.data_dir.display().to_string(),
        };
        Self {
            settings,
            status: Arc::new(Mutex::new(status)),
            app: Mutex::new(None),
            stop: Mutex::new(None),
            server: Mutex::new(None),
        }
    }

    pub fn status(&self) -> CollectorStatus {
        lock(&self.status).clone()
    }

    /// The open application, if the data folder could be opened (even when the port could
    /// not be bound, so the window can still list sites).
    pub fn app(&self) -> Option<Arc<Skopos>> {
        lock(&self.app).clone()
    }

    /// Opens the application and starts serving; must run on Tauri's async runtime.
    /// Problems end up in the status, not in a panic.
    pub async fn start(&self) {
        let mut config = AppConfig::new(self.settings.data_dir.clone());
        config.public_url = self.settings.public_url.clone();
        let app = match Skopos::open(config, Arc::new(SystemClock)).await {
            Ok(app) => app,
            Err(error) => {
                tracing::error!(code = ?error.code, %error, "cannot open the data folder");
                self.fail(format!(
                    "Cannot open the data folder {}: {error}",
                    self.settings.data_dir.display()
                ));
                return;
            }
        };
        *lock(&self.app) = Some(Arc::clone(&app));

        let address = match &self.settings.address {
            Ok(address) => *address,
            Err(message) => {
                tracing::error!("{message}");
                self.fail(message.clone());
                return;
            }
        };
        let listener = match TcpListener::bind(address).await {
            Ok(listener) => listener,
            Err(error) => {
                tracing::error!(%address, %error, "cannot listen");
                self.fail(bind_error_message(address, &error));
                return;
            }
        };
        let bound = listener.local_addr().unwrap_or(address);
        let router = skopos_http::collector_router(app, &skopos_http::CollectorConfig::default());
        let (stop, stopped) = oneshot::channel::<()>();
        {
            let mut status = lock(&self.status);
            status.address = bound.to_string();
            status.running = true;
            status.error = None;
        }
        let status = Arc::clone(&self.status);
        let server = tauri::async_runtime::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            let served = skopos_http::serve(listener, router, shutdown).await;
            let mut status = lock(&status);
            status.running = false;
            if let Err(error) = served {
                tracing::error!(%error, "collector failed");
                status.error = Some(format!("The collector stopped: {error}"));
            }
        });
        *lock(&self.stop) = Some(stop);
        *lock(&self.server) = Some(server);
        tracing::info!(address = %bound, "collector started");
    }

    /// Stops accepting requests, lets in-flight ones finish (a few seconds at most), then
    /// drains the ingest queue and closes the database. Safe to call more than once.
    pub async fn stop(&self) {
        let stop = lock(&self.stop).take();
        let server = lock(&self.server).take();
        if let Some(stop) = stop {
            let _ = stop.send(());
        }
        if let Some(server) = server {
            match tokio::time::timeout(STOP_GRACE, server).await {
                Ok(_) => tracing::info!("collector stopped"),
                Err(_) => tracing::warn!("collector did not stop in time; closing anyway"),
            }
        }
        let app = lock(&self.app).take();
        if let Some(app) = app {
            app.shutdown().await;
        }
    }

    fn fail(&self, message: String) {
        let mut status = lock(&self.status);
        status.running = false;
        status.error = Some(message);
    }
}

/// A message that says what to do, not just what went wrong.
fn bind_error_message(address: SocketAddr, error: &io::Error) -> String {
    let port = address.port();
    match error.kind() {
        io::ErrorKind::AddrInUse => format!(
            "Port {port} is in use — is another Skopos running? Set another address with the \
             SKOPOS_COLLECTOR environment variable (for example 127.0.0.1:{}) and restart Skopos.",
            port.wrapping_add(1).max(1024)
        ),
        io::ErrorKind::PermissionDenied => format!(
            "Not allowed to listen on {address} ({error}). Ports below 1024 need special rights: \
             set another address with SKOPOS_COLLECTOR and restart Skopos."
        ),
        io::ErrorKind::AddrNotAvailable => format!(
            "{address} is not an address of this computer. Set another one with \
             SKOPOS_COLLECTOR (for example 127.0.0.1:8787) and restart Skopos."
        ),
        _ => format!("Cannot listen on {address}: {error}"),
    }
}

/// Locks a mutex even if a panicking thread left it poisoned: the data is plain values.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(vars: &[(&str, &str)]) -> Settings {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::from_vars(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    #[test]
    fn defaults_to_the_shared_data_folder_and_port_8787() {
        let settings = settings(&[]);
        assert_eq!(settings.data_dir, AppConfig::default_data_dir());
        assert_eq!(settings.address, Ok(DEFAULT_ADDRESS));
        assert_eq!(settings.address_text, "127.0.0.1:8787");
    }

    #[test]
    fn reads_the_environment_and_rejects_a_bad_address() {
        let good = settings(&[
            ("SKOPOS_DATA_DIR", "/tmp/x"),
            ("SKOPOS_COLLECTOR", " 127.0.0.1:9000 "),
        ]);
        assert_eq!(good.data_dir, PathBuf::from("/tmp/x"));
        assert_eq!(good.address, Ok("127.0.0.1:9000".parse().unwrap()));
        let bad = settings(&[("SKOPOS_COLLECTOR", "localhost")]);
        assert!(bad.address.unwrap_err().contains("SKOPOS_COLLECTOR"));
    }

    #[test]
    fn a_taken_port_says_what_to_do() {
        let error = io::Error::from(io::ErrorKind::AddrInUse);
        let message = bind_error_message(DEFAULT_ADDRESS, &error);
        assert!(message.starts_with("Port 8787 is in use — is another Skopos running?"));
        assert!(message.contains("SKOPOS_COLLECTOR"));
        assert!(message.contains("127.0.0.1:8788"));
    }

    #[tokio::test]
    async fn a_taken_port_is_reported_not_fatal() {
        let data = std::env::temp_dir().join(format!("skopos-desktop-test-{}", std::process::id()));
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = taken.local_addr().unwrap();
        let collector = Collector::new(Settings {
            data_dir: data.clone(),
            address_text: address.to_string(),
            address: Ok(address),
            public_url: None,
        });
        collector.start().await;
        let status = collector.status();
        assert!(!status.running);
        assert!(status.error.unwrap().contains("is in use"));
        // The data folder is still open, so the window can list sites.
        assert!(collector.app().is_some());
        collector.stop().await;
        assert!(collector.app().is_none());
        let _ = std::fs::remove_dir_all(data);
    }
}
