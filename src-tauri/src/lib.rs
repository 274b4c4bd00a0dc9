//! The Skopos desktop shell: the window, the tray and the in-process collector.
//!
//! [`run`] is the binary's entry point; [`run_app`] takes any [`tauri::Builder`] so a test
//! can drive the same app with `tauri::test::mock_builder()` (after [`configure`]).
//! The collector is started in `setup` and stopped on [`RunEvent::Exit`], which also follows
//! SIGINT/SIGTERM, so queued hits are written before the process ends. Live updates reach
//! the window as the `live` event and the tray as live-visitor counts.

pub mod collector;
pub mod commands;
pub mod settings;
pub mod tray;
pub mod updates;

#[cfg(test)]
mod tests;

use std::sync::atomic::{AtomicBool, Ordering};

use tauri::{App, AppHandle, Builder, Emitter, Manager, RunEvent, Runtime, WindowEvent};
use tracing_subscriber::EnvFilter;

use crate::collector::Collector;
use crate::settings::Settings;
use crate::updates::Updates;

/// Whether a tray icon exists, so closing the window can keep the app running.
struct HasTray(AtomicBool);

/// Starts the desktop app; returns when it quits.
pub fn run() {
    init_tracing();
    let builder = Builder::default()
        // First, so a second launch only shows this one's window.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            tray::show_window(app, None);
        }))
        .plugin(tauri_plugin_window_state::Builder::default().build());
    run_app(builder);
}

/// Builds and runs the app on any runtime.
pub fn run_app<R: Runtime>(builder: Builder<R>) {
    let app = configure(builder)
        .build(tauri::generate_context!())
        .expect("error while building the Skopos window");
    app.run(on_event);
}

/// Adds Skopos's plugins, state, setup and commands to a builder, with the settings from
/// the settings file and the environment.
pub fn configure<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    configure_with(builder, Settings::from_env())
}

/// [`configure`] with the given settings (tests use a temporary folder and port 0).
pub fn configure_with<R: Runtime>(builder: Builder<R>, settings: Settings) -> Builder<R> {
    builder
        .plugin(tauri_plugin_autostart::init(
            tauri_plugin_autostart::MacosLauncher::LaunchAgent,
            None,
        ))
        .plugin(tauri_plugin_clipboard_manager::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        // Managed before setup: the window exists (and may call commands) by then.
        .manage(Collector::new(settings))
        .manage(Updates::default())
        .manage(tray::TrayState::default())
        .manage(HasTray(AtomicBool::new(false)))
        .setup(|app| {
            setup(app);
            Ok(())
        })
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event {
                // With a tray the app and its collector keep running; without one, closing
                // the window quits as usual.
                if window.state::<HasTray>().0.load(Ordering::Relaxed) {
                    api.prevent_close();
                    let _ = window.hide();
                }
            }
        })
        .invoke_handler(commands::handler())
}

fn setup<R: Runtime>(app: &mut App<R>) {
    let collector = app.state::<Collector>();
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        data_dir = %collector.status().data_dir,
        "starting Skopos"
    );
    tauri::async_runtime::block_on(collector.start());
    let handle = app.handle().clone();
    let has_tray = tray::create(&handle);
    app.state::<HasTray>().0.store(has_tray, Ordering::Relaxed);
    if has_tray {
        // Live counts also fall when visitors leave, which no update announces.
        let tray = handle.clone();
        tauri::async_runtime::spawn(async move {
            let mut every = tokio::time::interval(tray::REFRESH_EVERY);
            loop {
                every.tick().await;
                tray::refresh(&tray);
            }
        });
    }
    on_collector_started(&handle);
    let updates = handle.clone();
    tauri::async_runtime::spawn(async move {
        updates
            .state::<Updates>()
            .check_and_announce(&updates)
            .await;
    });
    quit_on_signal(handle);
}

/// After the collector (re)started: relay its live updates to the window and the tray, and
/// tell both its state.
pub fn on_collector_started<R: Runtime>(app: &AppHandle<R>) {
    let collector = app.state::<Collector>();
    let _ = app.emit("collector-status", collector.status());
    tray::refresh(app);
    let Some(skopos) = collector.app() else {
        return;
    };
    let mut updates = skopos.subscribe_live();
    // The relay holds no reference to the application, so its channel closes (and the
    // relay ends) once the application is shut down and dropped.
    drop(skopos);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        use tokio::sync::broadcast::error::RecvError;
        loop {
            match updates.recv().await {
                Ok(update) => {
                    let _ = app.emit("live", &update);
                    tray::on_live(&app, &update);
                }
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => break,
            }
        }
    });
}

/// Handles the app's lifecycle events; public for tests that run the app themselves.
pub fn on_event<R: Runtime>(app: &AppHandle<R>, event: RunEvent) {
    if let RunEvent::Exit = event {
        tracing::info!("quitting: stopping the collector");
        tauri::async_runtime::block_on(app.state::<Collector>().stop());
    }
}

/// Turns SIGINT/SIGTERM (Ctrl-C in a terminal, logout) into a normal quit, so the exit
/// handler drains the ingest queue instead of the process dying mid-write.
fn quit_on_signal<R: Runtime>(app: AppHandle<R>) {
    #[cfg(unix)]
    tauri::async_runtime::spawn(async move {
        use tokio::signal::unix::{signal, SignalKind};
        let (Ok(mut interrupt), Ok(mut terminate)) = (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ) else {
            tracing::warn!("cannot listen for signals; quit from the window");
            return;
        };
        tokio::select! {
            _ = interrupt.recv() => {},
            _ = terminate.recv() => {},
        }
        tracing::info!("signal received");
        app.exit(0);
    });
    #[cfg(not(unix))]
    tauri::async_runtime::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            app.exit(0);
        }
    });
}

/// Logs to stderr, filtered by `SKOPOS_LOG` (e.g. `debug`, `skopos_api=trace`); info by
/// default. Nothing Skopos logs names a visitor (no IPs, no user agents).
fn init_tracing() {
    use std::io::IsTerminal;

    let filter = EnvFilter::try_from_env("SKOPOS_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
