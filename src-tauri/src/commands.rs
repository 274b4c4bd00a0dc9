//! The IPC commands the window calls: one-line adapters over the collector and the
//! application API, so the logic stays testable without a webview.

use skopos_api::Site;
use tauri::State;

use crate::collector::{Collector, CollectorStatus};
use crate::error::{self, CommandResult};

/// Where the collector listens, whether it runs, and why not.
#[tauri::command]
pub fn collector_status(collector: State<'_, Collector>) -> CollectorStatus {
    collector.status()
}

/// Every site, archived ones included.
#[tauri::command]
pub async fn list_sites(collector: State<'_, Collector>) -> CommandResult<Vec<Site>> {
    collector
        .app()
        .ok_or_else(error::not_open)?
        .list_sites()
        .await
}
