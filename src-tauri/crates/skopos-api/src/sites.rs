//! Managing sites: create, list, edit, archive, the tracking snippet, and live counters.

use rand::Rng;
use serde::Serialize;
use skopos_core::period::Calendar;
use skopos_core::period::Period;
use skopos_core::report::Totals;
use skopos_core::site::{Site, SiteSettings};
use skopos_core::visitor::PrivacyMode;
use skopos_store::{SiteExport, StoreError};
use ts_rs::TS;

use crate::error::not_found;
use crate::reports::ReportQuery;
use crate::{ApiError, Skopos};

const TRACKING_ID_LEN: usize = 12;
const TRACKING_ID_ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";

/// The tag to paste into a site's pages, and the script URL it loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Snippet {
    pub html: String,
    pub script_url: String,
}

/// Today's numbers for a site, in its own time zone: the same as today's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteCounts {
    pub site_id: i64,
    pub tracking_id: String,
    /// The start of "today" in the site's time zone, Unix milliseconds.
    pub since_ms: i64,
    #[serde(flatten)]
    pub today: Totals,
    /// Distinct visitors in the last five minutes.
    pub live_visitors: i64,
}

impl Skopos {
    pub async fn create_site(&self, settings: SiteSettings) -> Result<Site, ApiError> {
        let settings = settings.validated()?;
        let now = self.clock.now_ms();
        // A collision among 32^12 ids is unlikely; retry a few times rather than never.
        for _ in 0..5 {
            match self
                .store
                .insert_site(&new_tracking_id(), &settings, now)
                .await
            {
                Err(StoreError::Conflict) => continue,
                result => {
                    self.sites.invalidate().await;
                    let site = result?;
                    tracing::info!(site = %site.tracking_id, "site created");
                    return Ok(site);
                }
            }
        }
        Err(ApiError::unavailable("could not allocate a tracking id"))
    }

    pub async fn list_sites(&self) -> Result<Vec<Site>, ApiError> {
        Ok(self.store.sites().await?)
    }

    pub async fn site(&self, id: i64) -> Result<Site, ApiError> {
        self.store.site(id).await.map_err(not_found("site"))
    }

    /// Looks a site up by its tracking id, as scripts and the command line name it.
    pub async fn site_by_tracking_id(&self, tracking_id: &str) -> Result<Site, ApiError> {
        self.store
            .site_by_tracking_id(tracking_id)
            .await
            .map_err(not_found("site"))
    }

    pub async fn update_site(&self, id: i64, settings: SiteSettings) -> Result<Site, ApiError> {
        let settings = settings.validated()?;
        let site = self
            .store
            .update_site(id, &settings)
            .await
            .map_err(not_found("site"))?;
        self.sites.invalidate().await;
        Ok(site)
    }

    /// Archiving stops collection for a site and keeps its data; restoring resumes it.
    pub async fn archive_site(&self, id: i64, archived: bool) -> Result<Site, ApiError> {
        let at = archived.then(|| self.clock.now_ms());
        let site = self
            .store
            .set_site_archived(id, at)
            .await
            .map_err(not_found("site"))?;
        self.sites.invalidate().await;
        Ok(site)
    }

    /// The `<script>` tag for a site's pages, loading the script from the public URL if
    /// one is set, else from `collector_url`. Sites in persistent mode get
    /// `data-persistent`, which lets the script keep a first-party visitor id.
    pub fn tracking_snippet(&self, site: &Site, collector_url: &str) -> Snippet {
        let base = self.config.public_url.as_deref().unwrap_or(collector_url);
        // The URL comes from configuration; keep it from breaking out of the attribute.
        let base = base.trim_end_matches('/').replace('"', "%22");
        let script_url = format!("{base}{}", self.config.script_path());
        let persistent = if site.settings.privacy_mode == PrivacyMode::Persistent {
            " data-persistent"
        } else {
            ""
        };
        let html = format!(
            "<script defer src=\"{script_url}\" data-site-id=\"{}\"{persistent}></script>",
            site.tracking_id
        );
        Snippet { html, script_url }
    }

    /// A site's snippet for the collector this process runs (see
    /// [`Skopos::set_collector_url`]).
    pub async fn snippet(&self, site_id: i64) -> Result<Snippet, ApiError> {
        let site = self.site(site_id).await?;
        Ok(self.tracking_snippet(&site, &self.collector_url()))
    }

    pub async fn today_counts(&self, site_id: i64) -> Result<SiteCounts, ApiError> {
        let site = self.site(site_id).await?;
        let since_ms = Calendar::new(&site.settings.timezone).start_of_day(self.clock.now_ms());
        let query = ReportQuery {
            site_id,
            period: Period::Today,
            filters: Vec::new(),
        };
        let summary = self.summary(&query).await?;
        Ok(SiteCounts {
            site_id: site.id,
            tracking_id: site.tracking_id,
            since_ms,
            today: summary.current,
            live_visitors: summary.live_visitors,
        })
    }

    /// Everything stored for a site (see [`SiteExport`]).
    pub async fn export_site(&self, site_id: i64) -> Result<SiteExport, ApiError> {
        let site = self.site(site_id).await?;
        Ok(self.store.export_site(site.id).await?)
    }
}

fn new_tracking_id() -> String {
    let mut rng = rand::rng();
    (0..TRACKING_ID_LEN)
        .map(|_| TRACKING_ID_ALPHABET[rng.random_range(0..TRACKING_ID_ALPHABET.len())] as char)
        .collect()
}
