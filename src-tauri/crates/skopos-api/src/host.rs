//! What the program hosting the application (the desktop shell or the headless server)
//! tells the dashboard about itself: which program it is, the collector listener, its
//! settings, and the desktop's updates. Each host fills these in; the application only
//! defines their shape, so both dashboards read the same.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum HostKind {
    Desktop,
    Web,
}

/// The collector listener: where it listens, whether it runs, and why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CollectorStatus {
    /// The address listened on (the bound one once running), e.g. `127.0.0.1:8787`.
    pub address: String,
    pub running: bool,
    /// Why it is not running, for a person to read.
    pub error: Option<String>,
    pub data_dir: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AppInfo {
    pub version: String,
    pub mode: HostKind,
    pub collector: CollectorStatus,
    pub public_url: Option<String>,
}

/// The host's settings as the settings view shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SettingsView {
    /// `IP:port` the collector listens on.
    pub collector_address: String,
    /// The tunnel URL visitors' browsers reach the collector at.
    pub public_url: Option<String>,
    /// `none`, `cloudflare`, `x-forwarded-for` or `x-real-ip`.
    pub trusted_proxy: String,
    pub data_dir: String,
    /// Whether `save_settings` can change them (the headless server takes them from its
    /// flags, environment and config file).
    pub editable: bool,
    /// Whether the desktop app starts at login; `None` where that does not apply.
    pub launch_at_login: Option<bool>,
}

/// New settings from the settings view; the collector restarts with them.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct SettingsChange {
    pub collector_address: String,
    pub public_url: Option<String>,
    pub trusted_proxy: String,
    pub data_dir: String,
}

/// A newer signed release than the running one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct UpdateInfo {
    pub version: String,
    pub current_version: String,
    pub notes: Option<String>,
    /// Release date as the update manifest gives it (RFC 3339).
    pub date: Option<String>,
}
