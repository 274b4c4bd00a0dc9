//! Signed updates through `tauri-plugin-updater`: the endpoint and the public key are in
//! `tauri.conf.json` (`SKOPOS_UPDATE_ENDPOINT` points a run elsewhere). The app checks at
//! start and when asked; it installs only when the owner agrees in the window, and only an
//! artifact whose minisign signature matches the public key.

use skopos_api::{ApiError, UpdateInfo};
use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_updater::{Update, Updater, UpdaterExt};
use tokio::sync::Mutex;

/// The update the last check found, kept for `install_update`.
#[derive(Default)]
pub struct Updates {
    pending: Mutex<Option<Update>>,
}

fn unavailable(what: &str, error: impl std::fmt::Display) -> ApiError {
    ApiError::unavailable(format!("{what}: {error}"))
}

fn updater<R: Runtime>(app: &AppHandle<R>) -> Result<Updater, ApiError> {
    let mut builder = app.updater_builder();
    if let Some(endpoint) = std::env::var("SKOPOS_UPDATE_ENDPOINT")
        .ok()
        .filter(|v| !v.is_empty())
    {
        let url = endpoint
            .parse()
            .map_err(|error| unavailable("SKOPOS_UPDATE_ENDPOINT is not a URL", error))?;
        builder = builder
            .endpoints(vec![url])
            .map_err(|error| unavailable("bad update endpoint", error))?;
    }
    builder
        .build()
        .map_err(|error| unavailable("cannot check for updates", error))
}

impl Updates {
    /// Asks the update endpoint for a newer release.
    pub async fn check<R: Runtime>(
        &self,
        app: &AppHandle<R>,
    ) -> Result<Option<UpdateInfo>, ApiError> {
        self.check_with(&updater(app)?).await
    }

    pub async fn check_with(&self, updater: &Updater) -> Result<Option<UpdateInfo>, ApiError> {
        let found = updater
            .check()
            .await
            .map_err(|error| unavailable("cannot check for updates", error))?;
        let info = found.as_ref().map(|update| UpdateInfo {
            version: update.version.clone(),
            current_version: update.current_version.clone(),
            notes: update.body.clone(),
            date: update
                .raw_json
                .get("pub_date")
                .and_then(|d| d.as_str())
                .map(str::to_owned),
        });
        *self.pending.lock().await = found;
        Ok(info)
    }

    /// Downloads the pending update, verifies its signature, installs it and restarts.
    pub async fn install<R: Runtime>(&self, app: &AppHandle<R>) -> Result<(), ApiError> {
        let update =
            self.pending.lock().await.take().ok_or_else(|| {
                ApiError::invalid("no update to install: check for updates first")
            })?;
        tracing::info!(version = %update.version, "installing update");
        update
            .download_and_install(|_, _| {}, || {})
            .await
            .map_err(|error| unavailable("the update was not installed", error))?;
        app.restart()
    }

    /// Checks (at start, or from the tray) and tells the window when a release is newer;
    /// being offline is not worth more than a log line.
    pub async fn check_and_announce<R: Runtime>(&self, app: &AppHandle<R>) {
        match self.check(app).await {
            Ok(Some(info)) => {
                tracing::info!(version = %info.version, "an update is available");
                let _ = app.emit("update-available", info);
            }
            Ok(None) => tracing::debug!("Skopos is up to date"),
            Err(error) => tracing::info!(%error, "update check skipped"),
        }
    }
}
