//! The Skopos application: one context struct, [`Skopos`], whose methods are the API that
//! every transport exposes (Tauri IPC in the desktop app, HTTP in the headless server).
//!
//! It owns the store, the ingest writer, the realtime relay, the background roll-up task,
//! the clock, the geo database and the salt and site caches; transports hold it in an
//! `Arc` and stay thin.

mod accounts;
mod agent_cache;
pub mod commands;
mod config;
mod csv_export;
mod error;
pub mod host;
mod ingest;
mod js_errors;
mod overview;
mod public_url;
mod realtime;
mod reports;
mod rollups;
mod salts;
mod site_cache;
mod sites;
mod visits;

use std::sync::Arc;

use skopos_core::clock::Clock;
use skopos_core::geo::GeoDb;
use skopos_store::writer::{self, IngestQueue, WriterTask};
use skopos_store::Store;
use tokio::sync::{broadcast, watch, Mutex};
use tokio::task::JoinHandle;

pub use accounts::{LoginTicket, LOGIN_LIFETIME_MS};
pub use config::{AppConfig, SCRIPT_PATH};
pub use csv_export::{breakdown_csv, events_csv, series_csv};
pub use error::{ApiError, ErrorCode};
pub use host::{AppInfo, CollectorStatus, HostKind, SettingsChange, SettingsView, UpdateInfo};
pub use ingest::{IngestError, IngestOutcome, Requester};
pub use overview::{SiteOverview, SitesOverview};
pub use public_url::{parse_public_url, PublicUrlCheck};
pub use realtime::{LiveUpdate, LIVE_WINDOW_MS};
pub use reports::{
    ComparedSeries, Metric, ReportQuery, Series, SeriesPoint, Summary, MAX_COMPARED,
    MAX_EVENTS_PAGE, MAX_PAGE_ROWS,
};
pub use sites::{SiteCounts, Snippet};
pub use skopos_core::period::{Granularity, Period};
pub use skopos_core::report::{Dimension, Filter, FilterOp, Totals};
pub use skopos_core::site::{Site, SiteSettings};
pub use skopos_store::reports::{
    BreakdownPage, BreakdownRow, RawEvent, SessionSummary, SessionTimeline, TimelineItem,
    UserProfile, UserSummary,
};
pub use skopos_store::writer::{Erased, SiteActivity, Subject, WriterConfig};
pub use skopos_store::{
    Durability, ErrorGroupDetail, ErrorGroupSummary, ErrorStatus, Login, Occurrence, SiteExport,
};

/// Where the collector listens unless configured otherwise.
pub const DEFAULT_COLLECTOR_URL: &str = "http://127.0.0.1:8787";

fn new_instance_id() -> String {
    use rand::Rng;
    format!("{:032x}", rand::rng().random::<u128>())
}

/// The running application.
pub struct Skopos {
    store: Store,
    queue: IngestQueue,
    writer: Mutex<Option<WriterTask>>,
    relay: Mutex<Option<JoinHandle<()>>>,
    rollups: Mutex<Option<(watch::Sender<bool>, JoinHandle<()>)>>,
    live: broadcast::Sender<LiveUpdate>,
    clock: Arc<dyn Clock>,
    geo: GeoDb,
    salts: salts::SaltCache,
    agents: agent_cache::AgentCache,
    sites: site_cache::SiteCache,
    config: AppConfig,
    /// Names this process in `/health`, so the public-URL check can tell it is reached.
    instance_id: String,
    /// Where the host bound the collector, for snippets when no public URL is set.
    collector_url: std::sync::RwLock<Option<String>>,
}

impl Skopos {
    /// Opens the database in the configured data folder and starts the ingest writer.
    pub async fn open(config: AppConfig, clock: Arc<dyn Clock>) -> Result<Arc<Skopos>, ApiError> {
        config.validate().map_err(ApiError::invalid)?;
        std::fs::create_dir_all(&config.data_dir).map_err(|error| {
            ApiError::unavailable(format!(
                "cannot create data folder {}: {error}",
                config.data_dir.display()
            ))
        })?;
        let geo = match &config.geo_database {
            Some(path) => {
                GeoDb::open(path).map_err(|error| ApiError::invalid(error.to_string()))?
            }
            None => GeoDb::bundled(),
        };
        let store = Store::open(&config.database_path(), config.durability).await?;
        let (queue, writer) = writer::spawn(&store, config.writer).await?;
        let (live, relay) = realtime::start_relay(store.clone(), clock.clone(), writer.subscribe());
        let (stop_rollups, rollups_stopped) = watch::channel(false);
        let rollups = rollups::start(queue.clone(), clock.clone(), rollups_stopped);
        tracing::info!(database = %config.database_path().display(), "store opened");
        Ok(Arc::new(Skopos {
            store,
            queue,
            writer: Mutex::new(Some(writer)),
            relay: Mutex::new(Some(relay)),
            rollups: Mutex::new(Some((stop_rollups, rollups))),
            live,
            clock,
            geo,
            salts: salts::SaltCache::default(),
            agents: agent_cache::AgentCache::default(),
            sites: site_cache::SiteCache::default(),
            config,
            instance_id: new_instance_id(),
            collector_url: std::sync::RwLock::new(None),
        }))
    }

    /// Live updates after every commit, per site. A subscriber that reads too slowly skips
    /// updates (`RecvError::Lagged`); ingestion never waits for it.
    pub fn subscribe_live(&self) -> broadcast::Receiver<LiveUpdate> {
        self.live.subscribe()
    }

    pub fn config(&self) -> &AppConfig {
        &self.config
    }

    /// A random id for this process, which the collector's `/health` names.
    pub fn instance_id(&self) -> &str {
        &self.instance_id
    }

    /// Records where the host's collector listens (`http://127.0.0.1:8787`, say).
    pub fn set_collector_url(&self, url: String) {
        *self
            .collector_url
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(url);
    }

    /// Where the collector listens, as recorded by the host; the default address before.
    pub fn collector_url(&self) -> String {
        self.collector_url
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
            .unwrap_or_else(|| DEFAULT_COLLECTOR_URL.to_owned())
    }

    /// Stops accepting hits, writes every queued one, and closes the database.
    pub async fn shutdown(&self) {
        if let Some((stop, task)) = self.rollups.lock().await.take() {
            let _ = stop.send(true);
            let _ = task.await;
        }
        if let Some(writer) = self.writer.lock().await.take() {
            writer.shutdown().await;
        }
        if let Some(relay) = self.relay.lock().await.take() {
            let _ = relay.await;
        }
        self.store.close().await;
        tracing::info!("store closed");
    }
}
