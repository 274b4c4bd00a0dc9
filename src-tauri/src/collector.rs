//! The in-process collector: opens the application on the data folder, binds the public
//! collector listener and serves it on Tauri's async runtime, and stops both on exit.
//!
//! Starting never fails the app: a taken port or an unreadable data folder is recorded in
//! the [`CollectorStatus`] that the window shows, so the person can fix it and restart.

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use skopos_api::{AppConfig, CollectorStatus, Skopos};
use skopos_core::clock::SystemClock;
use skopos_http::CollectorConfig;
use tauri::async_runtime::JoinHandle;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::settings::Settings;

/// How long in-flight requests get to finish when the app quits.
const STOP_GRACE: Duration = Duration::from_secs(5);

/// The collector and the application it serves; held in Tauri's managed state.
pub struct Collector {
    settings: Mutex<Settings>,
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
            settings: Mutex::new(settings),
            status: Arc::new(Mutex::new(status)),
            app: Mutex::new(None),
            stop: Mutex::new(None),
            server: Mutex::new(None),
        }
    }

    pub fn status(&self) -> CollectorStatus {
        lock(&self.status).clone()
    }

    pub fn settings(&self) -> Settings {
        lock(&self.settings).clone()
    }

    /// The open application, if the data folder could be opened (even when the port could
    /// not be bound, so the window can still list sites).
    pub fn app(&self) -> Option<Arc<Skopos>> {
        lock(&self.app).clone()
    }

    /// Opens the application and starts serving; must run on Tauri's async runtime.
    /// Problems end up in the status, not in a panic.
    pub async fn start(&self) {
        let settings = self.settings();
        *lock(&self.status) = CollectorStatus {
            address: settings.address_text.clone(),
            running: false,
            error: None,
            data_dir: settings.data_dir.display().to_string(),
        };
        let mut config = AppConfig::new(settings.data_dir.clone());
        config.public_url = settings.public_url.clone();
        let app = match Skopos::open(config, Arc::new(SystemClock)).await {
            Ok(app) => app,
            Err(error) => {
                tracing::error!(code = ?error.code, %error, "cannot open the data folder");
                self.fail(format!(
                    "Cannot open the data folder {}: {error}",
                    settings.data_dir.display()
                ));
                return;
            }
        };
        *lock(&self.app) = Some(Arc::clone(&app));

        let address = match &settings.address {
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
        app.set_collector_url(format!("http://{bound}"));
        let config = CollectorConfig {
            trusted_proxy: settings.trusted_proxy,
            ..CollectorConfig::default()
        };
        let router = skopos_http::collector_router(app, &config);
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

    /// Stops, takes the new settings, and starts again.
    pub async fn restart(&self, settings: Settings) {
        self.stop().await;
        *lock(&self.settings) = settings;
        self.start().await;
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
            "Port {port} is in use — is another Skopos running? Choose another collector \
             address in Settings (for example 127.0.0.1:{}).",
            port.wrapping_add(1).max(1024)
        ),
        io::ErrorKind::PermissionDenied => format!(
            "Not allowed to listen on {address} ({error}). Ports below 1024 need special rights: \
             choose another collector address in Settings."
        ),
        io::ErrorKind::AddrNotAvailable => format!(
            "{address} is not an address of this computer. Choose another collector address \
             in Settings (for example 127.0.0.1:8787)."
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
    use crate::settings::DEFAULT_ADDRESS;

    #[test]
    fn a_taken_port_says_what_to_do() {
        let error = io::Error::from(io::ErrorKind::AddrInUse);
        let message = bind_error_message(DEFAULT_ADDRESS, &error);
        assert!(message.starts_with("Port 8787 is in use — is another Skopos running?"));
        assert!(message.contains("Settings"));
        assert!(message.contains("127.0.0.1:8788"));
    }

    fn settings_at(data: &std::path::Path, address: SocketAddr) -> Settings {
        Settings {
            data_dir: data.to_owned(),
            address_text: address.to_string(),
            address: Ok(address),
            public_url: None,
            trusted_proxy: Default::default(),
            file: None,
        }
    }

    #[tokio::test]
    async fn a_taken_port_is_reported_not_fatal_and_a_restart_moves_on() {
        let data = tempfile::tempdir().unwrap();
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = taken.local_addr().unwrap();
        let collector = Collector::new(settings_at(data.path(), address));
        collector.start().await;
        let status = collector.status();
        assert!(!status.running);
        assert!(status.error.unwrap().contains("is in use"));
        // The data folder is still open, so the window can list sites.
        assert!(collector.app().is_some());

        let free = "127.0.0.1:0".parse().unwrap();
        collector.restart(settings_at(data.path(), free)).await;
        let status = collector.status();
        assert!(status.running, "{status:?}");
        assert_eq!(status.error, None);
        let bound = status.address.clone();
        let health = reqwest::get(format!("http://{bound}/health"))
            .await
            .unwrap();
        assert_eq!(health.status(), 200);
        assert_eq!(
            collector.app().unwrap().collector_url(),
            format!("http://{bound}")
        );
        collector.stop().await;
        assert!(collector.app().is_none());
        assert!(!collector.status().running);
    }
}
