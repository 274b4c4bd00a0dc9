//! The tray icon: its picture and tooltip say whether the collector runs; its menu opens
//! the window, lists each site's live visitors (a click opens that site), copies a site's
//! tracking snippet, checks for updates and quits. The window's close button only hides
//! the window while the tray is there.

use std::collections::BTreeMap;
use std::sync::Mutex;

use skopos_api::{CollectorStatus, LiveUpdate, Site};
use tauri::image::Image;
use tauri::menu::{IsMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem, Submenu};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;

use crate::collector::Collector;
use crate::updates::Updates;

const TRAY_ID: &str = "skopos";

/// How often the menu rereads the sites and their live visitors.
pub const REFRESH_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// A site as the tray menu lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct SiteLine {
    name: String,
    live_visitors: i64,
}

/// What the menu shows, kept to rebuild it when something changes.
#[derive(Default)]
pub struct TrayState {
    sites: Mutex<BTreeMap<i64, SiteLine>>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Creates the tray icon; `false` when this desktop has no tray (the window then quits
/// the app when closed).
pub fn create<R: Runtime>(app: &AppHandle<R>) -> bool {
    let built = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Skopos")
        .show_menu_on_left_click(false)
        .on_menu_event(on_menu_event)
        .on_tray_icon_event(|tray: &TrayIcon<R>, event| {
            if let TrayIconEvent::Click {
                button: MouseButton::Left,
                button_state: MouseButtonState::Up,
                ..
            } = event
            {
                show_window(tray.app_handle(), None);
            }
        })
        .build(app);
    match built {
        Ok(_) => {
            refresh(app);
            true
        }
        Err(error) => {
            tracing::warn!(%error, "no tray icon on this desktop");
            false
        }
    }
}

/// Shows the window, optionally at a route of the UI (`#/site/3`).
pub fn show_window<R: Runtime>(app: &AppHandle<R>, route: Option<&str>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.show();
        let _ = window.unminimize();
        let _ = window.set_focus();
    }
    if let Some(route) = route {
        let _ = app.emit("navigate", route);
    }
}

fn on_menu_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let id = event.id().as_ref();
    match id {
        "open" => show_window(app, None),
        "quit" => app.exit(0),
        "updates" => {
            show_window(app, Some("#/settings"));
            let app = app.clone();
            tauri::async_runtime::spawn(async move {
                app.state::<Updates>().check_and_announce(&app).await;
            });
        }
        _ => {
            if let Some(site) = id.strip_prefix("site:") {
                show_window(app, Some(&format!("#/site/{site}")));
            } else if let Some(site) = id.strip_prefix("snippet:").and_then(|s| s.parse().ok()) {
                copy_snippet(app, site);
            }
        }
    }
}

fn copy_snippet<R: Runtime>(app: &AppHandle<R>, site_id: i64) {
    let Some(skopos) = app.state::<Collector>().app() else {
        return;
    };
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        match skopos.snippet(site_id).await {
            Ok(snippet) => {
                if let Err(error) = app.clipboard().write_text(snippet.html) {
                    tracing::warn!(%error, "cannot copy the snippet");
                }
            }
            Err(error) => tracing::warn!(%error, "no snippet"),
        }
    });
}

/// Rereads the collector's state and the sites with their live visitors, then redraws.
pub fn refresh<R: Runtime>(app: &AppHandle<R>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let sites = match app.state::<Collector>().app() {
            Some(skopos) => site_lines(&skopos).await,
            None => BTreeMap::new(),
        };
        *lock(&app.state::<TrayState>().sites) = sites;
        redraw(&app);
    });
}

async fn site_lines(skopos: &skopos_api::Skopos) -> BTreeMap<i64, SiteLine> {
    let sites: Vec<Site> = skopos.list_sites().await.unwrap_or_default();
    let mut lines = BTreeMap::new();
    for site in sites.into_iter().filter(|s| s.archived_at_ms.is_none()) {
        let live_visitors = skopos
            .today_counts(site.id)
            .await
            .map(|counts| counts.live_visitors)
            .unwrap_or(0);
        lines.insert(
            site.id,
            SiteLine {
                name: site.settings.name,
                live_visitors,
            },
        );
    }
    lines
}

/// A live update changes a site's count; a site the tray does not know makes it reread.
pub fn on_live<R: Runtime>(app: &AppHandle<R>, update: &LiveUpdate) {
    let changed = {
        let state = app.state::<TrayState>();
        let mut sites = lock(&state.sites);
        match sites.get_mut(&update.added.site_id) {
            Some(line) if line.live_visitors == update.live_visitors => Some(false),
            Some(line) => {
                line.live_visitors = update.live_visitors;
                Some(true)
            }
            None => None,
        }
    };
    match changed {
        Some(true) => redraw(app),
        Some(false) => {}
        None => refresh(app),
    }
}

fn redraw<R: Runtime>(app: &AppHandle<R>) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return;
    };
    let status = app.state::<Collector>().status();
    let sites = lock(&app.state::<TrayState>().sites).clone();
    let live: i64 = sites.values().map(|s| s.live_visitors).sum();
    let tooltip = match (&status.running, &status.error) {
        (true, _) => format!("Skopos — collecting on {} · {live} live", status.address),
        (false, Some(error)) => format!("Skopos — collector stopped: {error}"),
        (false, None) => "Skopos — collector stopped".to_owned(),
    };
    let _ = tray.set_tooltip(Some(&tooltip));
    if let Some(icon) = app.default_window_icon() {
        let icon = icon.clone().to_owned();
        let _ = tray.set_icon(Some(if status.running { icon } else { dimmed(&icon) }));
    }
    match menu(app, &status, &sites) {
        Ok(menu) => {
            let _ = tray.set_menu(Some(menu));
        }
        Err(error) => tracing::warn!(%error, "cannot build the tray menu"),
    }
}

fn menu<R: Runtime>(
    app: &AppHandle<R>,
    status: &CollectorStatus,
    sites: &BTreeMap<i64, SiteLine>,
) -> tauri::Result<Menu<R>> {
    let state = if status.running {
        format!("Collector running on {}", status.address)
    } else {
        "Collector stopped — open Skopos for details".to_owned()
    };
    let item = |id: String, text: String, enabled: bool| {
        MenuItem::with_id(app, id, text, enabled, None::<&str>)
    };
    let menu = Menu::new(app)?;
    menu.append(&item("state".into(), state, false)?)?;
    menu.append(&item("open".into(), "Open Skopos".into(), true)?)?;
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    if sites.is_empty() {
        menu.append(&item("no-sites".into(), "No sites yet".into(), false)?)?;
    }
    for (id, site) in sites {
        let text = format!("{} — {} live", site.name, site.live_visitors);
        menu.append(&item(format!("site:{id}"), text, true)?)?;
    }
    if !sites.is_empty() {
        let snippets = sites
            .iter()
            .map(|(id, site)| item(format!("snippet:{id}"), site.name.clone(), true))
            .collect::<tauri::Result<Vec<_>>>()?;
        let refs: Vec<&dyn IsMenuItem<R>> =
            snippets.iter().map(|i| i as &dyn IsMenuItem<R>).collect();
        menu.append(&Submenu::with_items(
            app,
            "Copy tracking snippet",
            true,
            &refs,
        )?)?;
    }
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    menu.append(&item("updates".into(), "Check for updates…".into(), true)?)?;
    menu.append(&item("quit".into(), "Quit Skopos".into(), true)?)?;
    Ok(menu)
}

/// The app icon in grey and half transparent: the collector is not running.
fn dimmed(icon: &Image<'_>) -> Image<'static> {
    let rgba = icon
        .rgba()
        .chunks_exact(4)
        .flat_map(|px| {
            let grey = ((u32::from(px[0]) * 30 + u32::from(px[1]) * 59 + u32::from(px[2]) * 11)
                / 100) as u8;
            [grey, grey, grey, px[3] / 2]
        })
        .collect();
    Image::new_owned(rgba, icon.width(), icon.height())
}
