//! What each subcommand does.

use std::io::Write;
use std::sync::Arc;

use anyhow::{Context, Result};
use skopos_api::{AppInfo, CollectorStatus, HostKind, SettingsView, SiteSettings, Skopos, Subject};
use skopos_core::clock::SystemClock;
use skopos_http::DashboardConfig;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::cli::{EraseArgs, ExportArgs, RollupCommand, SiteCommand, StatsArgs};
use crate::config::ServerConfig;

async fn open(config: &ServerConfig) -> Result<Arc<Skopos>> {
    Skopos::open(config.app.clone(), Arc::new(SystemClock))
        .await
        .with_context(|| format!("opening the data folder {}", config.app.data_dir.display()))
}

pub async fn serve(config: ServerConfig) -> Result<()> {
    let app = open(&config).await?;
    let bound = bind_listeners(&config).await;
    let (collector, dashboard) = match bound {
        Ok(listeners) => listeners,
        Err(error) => {
            app.shutdown().await;
            return Err(error);
        }
    };
    let address = collector.local_addr()?;
    app.set_collector_url(format!("http://{address}"));
    // Scripts read the first line to learn the port when they asked for port 0. A reader
    // that went away must not take the server down, so write errors are ignored.
    let mut stdout = std::io::stdout();
    let _ = writeln!(stdout, "collector listening on http://{address}");
    let (stop, stopped) = watch::channel(false);
    let dashboard = match dashboard {
        Some(listener) => {
            let dashboard_address = listener.local_addr()?;
            let _ = writeln!(stdout, "dashboard on http://{dashboard_address}/");
            tracing::info!(%dashboard_address, "web dashboard started");
            let router = skopos_http::dashboard_router(
                Arc::clone(&app),
                dashboard_config(&config, address, stopped.clone()),
            );
            Some(tokio::spawn(skopos_http::serve(
                listener,
                router,
                wait_for_stop(stopped.clone()),
            )))
        }
        None => None,
    };
    let _ = writeln!(stdout, "data folder: {}", config.app.data_dir.display());
    let _ = stdout.flush();
    tracing::info!(%address, "collector started");
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    });
    let router = skopos_http::collector_router(Arc::clone(&app), &config.collector);
    let served = skopos_http::serve(collector, router, wait_for_stop(stopped)).await;
    if let Some(dashboard) = dashboard {
        match dashboard.await {
            Ok(Err(error)) => tracing::error!(%error, "dashboard failed"),
            Err(error) => tracing::error!(%error, "dashboard task failed"),
            Ok(Ok(())) => {}
        }
    }
    tracing::info!("shutting down: draining the ingest queue");
    app.shutdown().await;
    served.context("collector failed")
}

/// Binds the collector and, unless disabled, the dashboard, with a clear message when an
/// address is taken.
async fn bind_listeners(config: &ServerConfig) -> Result<(TcpListener, Option<TcpListener>)> {
    let bind = |address: std::net::SocketAddr, flag: &'static str| async move {
        TcpListener::bind(address).await.with_context(|| {
            format!(
                "cannot listen on {address} (is another Skopos running? choose another address with {flag})"
            )
        })
    };
    let collector = bind(config.collector_addr, "--collector").await?;
    let dashboard = match config.dashboard_addr {
        Some(address) => Some(bind(address, "--dashboard, or --no-dashboard").await?),
        None => None,
    };
    Ok((collector, dashboard))
}

/// What the web dashboard shows about this server; its settings are read-only there.
fn dashboard_config(
    config: &ServerConfig,
    collector: std::net::SocketAddr,
    stop: watch::Receiver<bool>,
) -> DashboardConfig {
    let data_dir = config.app.data_dir.display().to_string();
    DashboardConfig {
        app_info: AppInfo {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            mode: HostKind::Web,
            collector: CollectorStatus {
                address: collector.to_string(),
                running: true,
                error: None,
                data_dir: data_dir.clone(),
            },
            public_url: config.app.public_url.clone(),
        },
        settings: SettingsView {
            collector_address: collector.to_string(),
            public_url: config.app.public_url.clone(),
            trusted_proxy: config.collector.trusted_proxy.as_str().to_owned(),
            data_dir,
            editable: false,
            launch_at_login: None,
        },
        trusted_proxy: config.collector.trusted_proxy,
        stop,
    }
}

async fn wait_for_stop(mut stopped: watch::Receiver<bool>) {
    let _ = stopped.wait_for(|stop| *stop).await;
}

/// Runs one command against the data folder, then shuts the app down whatever happened.
async fn with_app<F, Fut>(config: &ServerConfig, command: F) -> Result<()>
where
    F: FnOnce(Arc<Skopos>) -> Fut,
    Fut: std::future::Future<Output = Result<()>>,
{
    let app = open(config).await?;
    let result = command(Arc::clone(&app)).await;
    app.shutdown().await;
    result
}

pub async fn site(config: ServerConfig, command: SiteCommand) -> Result<()> {
    let config = &config;
    with_app(config, |app| async move {
        run_site(&app, config, command).await
    })
    .await
}

async fn run_site(app: &Skopos, config: &ServerConfig, command: SiteCommand) -> Result<()> {
    match command {
        SiteCommand::Add(args) => {
            let settings = SiteSettings {
                name: args.name,
                domain: args.domain,
                allowed_origins: args.allowed_origins,
                privacy_mode: args.privacy_mode.parse()?,
                ip_exclusions: Vec::new(),
                ignore_localhost: true,
                timezone: args.timezone,
            };
            let site = app.create_site(settings).await?;
            println!("{}", site.tracking_id);
        }
        SiteCommand::List { json } => {
            let sites = app.list_sites().await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&sites)?);
            } else {
                for site in sites {
                    let state = if site.archived_at_ms.is_some() {
                        " (archived)"
                    } else {
                        ""
                    };
                    println!(
                        "{}  {}  {}{state}",
                        site.tracking_id, site.settings.domain, site.settings.name
                    );
                }
            }
        }
        SiteCommand::Snippet { site } => {
            let site = app.site_by_tracking_id(&site).await?;
            let collector_url = format!("http://{}", config.collector_addr);
            println!("{}", app.tracking_snippet(&site, &collector_url).html);
        }
    }
    Ok(())
}

pub async fn stats(config: ServerConfig, args: StatsArgs) -> Result<()> {
    with_app(&config, |app| async move {
        let site = app.site_by_tracking_id(&args.site).await?;
        let today = app.today_counts(site.id).await?;
        if args.json {
            println!("{}", serde_json::to_string(&today)?);
        } else {
            let c = &today.today;
            println!("{} ({}) today", site.settings.name, site.settings.domain);
            println!("  visitors       {}", c.visitors);
            println!("  sessions       {}", c.sessions);
            println!("  pageviews      {}", c.pageviews);
            println!("  events         {}", c.events);
            println!("  js errors      {}", c.errors);
            println!("  live visitors  {}", today.live_visitors);
        }
        Ok(())
    })
    .await
}

pub async fn export(config: ServerConfig, args: ExportArgs) -> Result<()> {
    with_app(&config, |app| async move {
        let site = app.site_by_tracking_id(&args.site).await?;
        let export = app.export_site(site.id).await?;
        let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
        serde_json::to_writer(&mut stdout, &export)?;
        writeln!(stdout)?;
        stdout.flush()?;
        Ok(())
    })
    .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

pub async fn report(config: ServerConfig, command: crate::report::ReportCommand) -> Result<()> {
    with_app(&config, |app| async move {
        crate::report::run(&app, command).await
    })
    .await
}

pub async fn rollups(config: ServerConfig, command: RollupCommand) -> Result<()> {
    with_app(&config, |app| async move {
        match command {
            RollupCommand::Rebuild { site } => {
                let site_id = match site {
                    Some(tracking_id) => Some(app.site_by_tracking_id(&tracking_id).await?.id),
                    None => None,
                };
                let visitor_days = app.rebuild_rollups(site_id).await?;
                println!("rolled up {visitor_days} visitor-days");
            }
        }
        Ok(())
    })
    .await
}

pub async fn erase(config: ServerConfig, args: EraseArgs) -> Result<()> {
    with_app(&config, |app| async move {
        let site = app.site_by_tracking_id(&args.site).await?;
        let subject = match (args.user, args.visitor) {
            (Some(user), _) => Subject::User(user),
            (None, Some(visitor)) => Subject::Visitor(visitor),
            (None, None) => anyhow::bail!("give --user or --visitor"),
        };
        let erased = app.erase(site.id, subject).await?;
        println!(
            "erased {} visitor ids, {} sessions, {} events, {} error reports",
            erased.visitors, erased.sessions, erased.events, erased.error_reports
        );
        Ok(())
    })
    .await
}
