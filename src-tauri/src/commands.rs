//! The IPC commands the window calls: every command of the application's list
//! ([`skopos_api::for_each_command!`]) as a Tauri command taking one `args` object, the
//! `app` ones as one-line adapters over [`skopos_api::commands`], the `host` and `desktop`
//! ones answered here from the collector, the settings file, autostart and the updater.

use skopos_api::commands::{self, types::*};
use skopos_api::{ApiError, HostKind, Skopos};
use std::sync::Arc;
use tauri::{AppHandle, Runtime, State};
use tauri_plugin_autostart::ManagerExt as _;

use crate::collector::Collector;
use crate::updates::Updates;

type Answer<T> = Result<T, ApiError>;

fn open_app(collector: &Collector) -> Answer<Arc<Skopos>> {
    collector.app().ok_or_else(|| {
        ApiError::unavailable(
            collector
                .status()
                .error
                .unwrap_or_else(|| "the data folder is not open".into()),
        )
    })
}

macro_rules! tauri_commands {
    (
        app { $($name:ident($args:ty) -> $result:ty,)* }
        host { $($host:ident($host_args:ty) -> $host_result:ty,)* }
        desktop { $($desktop:ident($desktop_args:ty) -> $desktop_result:ty,)* }
    ) => {
        $(
            #[tauri::command]
            pub async fn $name(collector: State<'_, Collector>, args: $args) -> Answer<$result> {
                let app = open_app(&collector)?;
                commands::$name(&app, args).await
            }
        )*

        /// The handler to give `Builder::invoke_handler`.
        pub fn handler<R: Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name,)* $($host,)* $($desktop,)*]
        }

        /// Every command's name, for the test that holds them to the UI's list.
        pub const NAMES: &[&str] = &[$(stringify!($name),)* $(stringify!($host),)* $(stringify!($desktop),)*];
    };
}
skopos_api::for_each_command!(tauri_commands);

#[tauri::command]
pub fn app_info(collector: State<'_, Collector>, args: NoArgs) -> AppInfo {
    let NoArgs {} = args;
    AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        mode: HostKind::Desktop,
        collector: collector.status(),
        public_url: collector.settings().public_url,
    }
}

fn settings_view<R: Runtime>(app: &AppHandle<R>, collector: &Collector) -> SettingsView {
    let settings = collector.settings();
    SettingsView {
        collector_address: settings.address_text,
        public_url: settings.public_url,
        trusted_proxy: settings.trusted_proxy.as_str().to_owned(),
        data_dir: settings.data_dir.display().to_string(),
        editable: true,
        launch_at_login: app.autolaunch().is_enabled().ok(),
    }
}

#[tauri::command]
pub fn settings<R: Runtime>(
    app: AppHandle<R>,
    collector: State<'_, Collector>,
    args: NoArgs,
) -> SettingsView {
    let NoArgs {} = args;
    settings_view(&app, &collector)
}

/// Saves the settings and restarts the collector with them.
#[tauri::command]
pub async fn save_settings<R: Runtime>(
    app: AppHandle<R>,
    collector: State<'_, Collector>,
    args: SaveSettingsArgs,
) -> Answer<SettingsView> {
    let settings = collector.settings().save(args.settings)?;
    collector.restart(settings).await;
    crate::on_collector_started(&app);
    Ok(settings_view(&app, &collector))
}

#[tauri::command]
pub async fn check_update<R: Runtime>(
    app: AppHandle<R>,
    updates: State<'_, Updates>,
    args: NoArgs,
) -> Answer<Option<UpdateInfo>> {
    let NoArgs {} = args;
    updates.check(&app).await
}

/// Installs the update found by the last check, then restarts; only ever called after
/// the owner agreed in the window.
#[tauri::command]
pub async fn install_update<R: Runtime>(
    app: AppHandle<R>,
    updates: State<'_, Updates>,
    args: NoArgs,
) -> Answer<()> {
    let NoArgs {} = args;
    updates.install(&app).await
}

#[tauri::command]
pub fn set_launch_at_login<R: Runtime>(app: AppHandle<R>, args: LaunchAtLoginArgs) -> Answer<bool> {
    let autolaunch = app.autolaunch();
    let changed = if args.enabled {
        autolaunch.enable()
    } else {
        autolaunch.disable()
    };
    changed
        .and_then(|()| autolaunch.is_enabled())
        .map_err(|error| ApiError::unavailable(format!("cannot change launch at login: {error}")))
}
