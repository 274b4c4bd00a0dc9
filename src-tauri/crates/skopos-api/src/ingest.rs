//! Accepting beacons: site lookup, origin check, enrichment, and the queue to the writer.

use std::net::IpAddr;

use skopos_core::beacon::Beacon;
use skopos_core::enrich::{self, DropReason, RequestFacts};
use skopos_store::writer::SubmitError;

use crate::Skopos;

/// Who sent a beacon, as far as the transport could tell. Used for enrichment, then dropped.
pub struct Requester<'a> {
    pub ip: IpAddr,
    pub user_agent: &'a str,
    /// The browser's `Origin` header, absent for same-origin and non-browser requests.
    pub origin: Option<&'a str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IngestOutcome {
    /// Every hit is committed to disk.
    Stored { hits: usize },
    /// A well-formed beacon that is deliberately not counted.
    Dropped(DropReason),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    #[error("unknown site")]
    UnknownSite,
    #[error("origin not allowed for this site")]
    ForbiddenOrigin,
    #[error("collector is busy, retry later")]
    Busy,
    #[error("collector is shutting down")]
    Unavailable,
    #[error("could not store the beacon")]
    Storage,
}

impl Skopos {
    /// Stores a validated beacon; returns only after its hits are committed.
    pub async fn ingest(
        &self,
        beacon: Beacon,
        requester: &Requester<'_>,
    ) -> Result<IngestOutcome, IngestError> {
        let now = self.clock.now_ms();
        let site = self
            .sites
            .by_tracking_id(&self.store, &beacon.site, now)
            .await
            .map_err(|error| storage_failure(&error))?
            .filter(|site| site.archived_at_ms.is_none())
            .ok_or(IngestError::UnknownSite)?;
        if requester
            .origin
            .is_some_and(|origin| !site.settings.allows_origin(origin))
        {
            return Err(IngestError::ForbiddenOrigin);
        }
        let salts = self
            .salts
            .at(&self.store, now)
            .await
            .map_err(|error| storage_failure(&error))?;
        let agent = self.agents.classify(requester.user_agent);
        let facts = RequestFacts {
            agent: &agent,
            ip: requester.ip,
            user_agent: requester.user_agent,
            now_ms: now,
        };
        let hits = match enrich::enrich(beacon, &site, &facts, &salts, &self.geo) {
            Ok(hits) => hits,
            Err(reason) => {
                tracing::debug!(site = %site.tracking_id, reason = reason.as_str(), "beacon dropped");
                return Ok(IngestOutcome::Dropped(reason));
            }
        };
        let count = hits.len();
        self.queue.submit(hits).await.map_err(|error| match error {
            SubmitError::QueueFull => IngestError::Busy,
            SubmitError::Closed => IngestError::Unavailable,
            SubmitError::Write(_) => IngestError::Storage,
        })?;
        tracing::trace!(site = %site.tracking_id, hits = count, "beacon stored");
        Ok(IngestOutcome::Stored { hits: count })
    }

    /// Whether any active site accepts beacons from this origin; answers CORS preflights,
    /// which do not say which site they are for.
    pub async fn origin_is_known(&self, origin: &str) -> bool {
        match self.sites.all(&self.store, self.clock.now_ms()).await {
            Ok(sites) => sites
                .values()
                .any(|site| site.archived_at_ms.is_none() && site.settings.allows_origin(origin)),
            Err(error) => {
                storage_failure(&error);
                false
            }
        }
    }
}

fn storage_failure(error: &skopos_store::StoreError) -> IngestError {
    tracing::error!(%error, "storage failure during ingest");
    IngestError::Storage
}
