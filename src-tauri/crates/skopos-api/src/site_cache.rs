//! Sites by tracking id, kept in memory for the collector's hot path.
//!
//! Changes made through this process refresh the cache at once; changes made by another
//! process on the same file (the `skopos-server site add` command while a server runs)
//! are picked up within [`REFRESH_MS`], or on the first beacon naming an unknown id.

use std::collections::HashMap;
use std::sync::Arc;

use skopos_core::site::Site;
use skopos_store::{Store, StoreError};
use tokio::sync::RwLock;

const REFRESH_MS: i64 = 10_000;
/// Unknown ids trigger a reload at most this often, so garbage ids cannot hammer the database.
const MISS_RELOAD_MS: i64 = 1_000;

#[derive(Default)]
pub(crate) struct SiteCache {
    state: RwLock<Snapshot>,
}

#[derive(Default)]
struct Snapshot {
    loaded_at_ms: Option<i64>,
    by_tracking_id: Arc<HashMap<String, Arc<Site>>>,
}

impl SiteCache {
    pub async fn by_tracking_id(
        &self,
        store: &Store,
        tracking_id: &str,
        now_ms: i64,
    ) -> Result<Option<Arc<Site>>, StoreError> {
        let sites = self.snapshot(store, now_ms, REFRESH_MS).await?;
        if let Some(site) = sites.get(tracking_id) {
            return Ok(Some(Arc::clone(site)));
        }
        let sites = self.snapshot(store, now_ms, MISS_RELOAD_MS).await?;
        Ok(sites.get(tracking_id).cloned())
    }

    /// All sites, for origin checks on preflight requests.
    pub async fn all(
        &self,
        store: &Store,
        now_ms: i64,
    ) -> Result<Arc<HashMap<String, Arc<Site>>>, StoreError> {
        self.snapshot(store, now_ms, REFRESH_MS).await
    }

    /// Forgets the snapshot so the next read sees a change made just now.
    pub async fn invalidate(&self) {
        self.state.write().await.loaded_at_ms = None;
    }

    async fn snapshot(
        &self,
        store: &Store,
        now_ms: i64,
        max_age_ms: i64,
    ) -> Result<Arc<HashMap<String, Arc<Site>>>, StoreError> {
        let fresh = |s: &Snapshot| s.loaded_at_ms.is_some_and(|at| now_ms - at < max_age_ms);
        {
            let state = self.state.read().await;
            if fresh(&state) {
                return Ok(Arc::clone(&state.by_tracking_id));
            }
        }
        let mut state = self.state.write().await;
        if !fresh(&state) {
            let sites = store.sites().await?;
            state.by_tracking_id = Arc::new(
                sites
                    .into_iter()
                    .map(|site| (site.tracking_id.clone(), Arc::new(site)))
                    .collect(),
            );
            state.loaded_at_ms = Some(now_ms);
        }
        Ok(Arc::clone(&state.by_tracking_id))
    }
}
