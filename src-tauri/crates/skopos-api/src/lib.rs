//! The Skopos application: one context struct, [`Skopos`], whose methods are the API that
//! every transport exposes (Tauri IPC in the desktop app, HTTP in the headless server).
//!
//! It owns the store, the ingest writer, the realtime relay, the background roll-up task,
//! the clock, the geo database and the salt and site caches; transports hold it in an
//! `Arc` and stay thin.

mod agent_cache;
mod config;
mod csv_export;
mod error;
mod ingest;
mod js_errors;
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

pub use config::{AppConfig, SCRIPT_PATH};
pub use csv_export::{breakdown_csv, events_csv, series_csv};
pub use error::{ApiError, ErrorCode};
pub use ingest::{IngestError, IngestOutcome, Requester};
pub use realtime::{LiveUpdate, LIVE_WINDOW_MS};
pub use reports::{
    ComparedSeries, Metric, ReportQuery, Series, SeriesPoint, Summary, MAX_COMPARED,
    MAX_EVENTS_PAGE, MAX_PAGE_ROWS,
};
pub use sites::SiteCounts;
pub use skopos_core::period::{Granularity, Period};
pub use skopos_core::report::{Dimension, Filter, FilterOp, Totals};
pub use skopos_core::site::{Site, SiteSettings};
pub use skopos_store::reports::{
    BreakdownPage, BreakdownRow, RawEvent, SessionSummary, SessionTimeline, TimelineItem,
    UserProfile, UserSummary,
};
pub use skopos_store::writer::{Erased, SiteActivity, Subject, WriterConfig};
pub use skopos_store::{
    Durability, ErrorGroupDetail, ErrorGroupSummary, ErrorStatus, Occurrence, SiteExport,
};

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
