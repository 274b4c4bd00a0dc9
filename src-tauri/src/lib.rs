//! The Skopos desktop shell: one window around the in-process collector.
//!
//! [`run`] is the binary's entry point; [`run_app`] takes any [`tauri::Builder`] so a test
//! can drive the same app with `tauri::test::mock_builder()` (after [`configure`]).
//! The collector is started in `setup` and stopped on [`RunEvent::Exit`], which also follows
//! SIGINT/SIGTERM, so queued hits are written before the process ends.

pub mod collector;
pub mod commands;
pub mod error;

use tauri::{App, AppHandle, Builder, Manager, RunEvent, Runtime};
use tracing_subscriber::EnvFilter;

use crate::collector::{Collector, Settings};

/// Starts the desktop app; returns when it quits.
pub fn run() {
    init_tracing();
    run_app(Builder::default());
}

/// Builds and runs the app on any runtime.
pub fn run_app<R: Runtime>(builder: Builder<R>) {
    let app = configure(builder)
        .build(tauri::generate_context!())
        .expect("error while building the Skopos window");
    app.run(on_event);
}

/// Adds Skopos's state, setup and commands to a builder.
pub fn configure<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder
        // Managed before setup: the window exists (and may call commands) by then.
        .manage(Collector::new(Settings::from_env()))
        .setup(|app| {
            setup(app);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::collector_status,
            commands::list_sites
        ])
}

fn setup<R: Runtime>(app: &mut App<R>) {
    let collector = app.state::<Collector>();
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        data_dir = %collector.status().data_dir,
        "starting Skopos"
    );
    tauri::async_runtime::block_on(collector.start());
    quit_on_signal(app.handle().clone());
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
