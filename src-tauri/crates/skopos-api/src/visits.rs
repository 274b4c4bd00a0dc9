//! The sessions explorer and visitor profiles, and erasing a visitor or an identified user
//! with everything about them (a data-subject request).

use skopos_store::reports::{SessionSummary, SessionTimeline, UserProfile, UserSummary};
use skopos_store::writer::{Erased, Subject, SubmitError};

use crate::error::not_found;
use crate::reports::{check_page, ReportQuery};
use crate::{ApiError, Skopos};

impl Skopos {
    /// Sessions of the period that pass the filters, newest first.
    pub async fn sessions(
        &self,
        query: &ReportQuery,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<SessionSummary>, ApiError> {
        check_page(limit)?;
        let resolved = self.resolve(query).await?;
        Ok(self
            .store
            .sessions(&resolved.scope(&resolved.span), offset as i64, limit as i64)
            .await?)
    }

    /// A session's pageviews, events and errors in time order.
    pub async fn session_timeline(
        &self,
        site_id: i64,
        session_id: i64,
    ) -> Result<SessionTimeline, ApiError> {
        self.store
            .session_timeline(site_id, session_id)
            .await
            .map_err(not_found("session"))
    }

    /// Identified users, most recently seen first, optionally matching `search`.
    pub async fn users(
        &self,
        site_id: i64,
        search: Option<&str>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<UserSummary>, ApiError> {
        check_page(limit)?;
        let site = self.site(site_id).await?;
        let search = search.map(str::trim).filter(|s| !s.is_empty());
        Ok(self
            .store
            .users(site.id, search, offset as i64, limit as i64)
            .await?)
    }

    pub async fn user_profile(&self, site_id: i64, user_id: &str) -> Result<UserProfile, ApiError> {
        self.store
            .user_profile(site_id, user_id)
            .await
            .map_err(not_found("user"))
    }

    /// Erases a visitor, or every visitor identified as a user, with their sessions,
    /// events, error reports and profile. Aggregates of days they were part of are
    /// recomputed without them.
    pub async fn erase(&self, site_id: i64, subject: Subject) -> Result<Erased, ApiError> {
        let site = self.site(site_id).await?;
        let erased = self
            .queue
            .erase(site.id, subject)
            .await
            .map_err(|error| match error {
                SubmitError::Closed => ApiError::unavailable("shutting down; try again"),
                SubmitError::QueueFull | SubmitError::Write(_) => {
                    tracing::error!(%error, "erasure failed");
                    ApiError::unavailable("could not erase; nothing was changed")
                }
            })?;
        tracing::info!(
            site = %site.tracking_id,
            visitors = erased.visitors,
            sessions = erased.sessions,
            "erased on request"
        );
        Ok(erased)
    }
}
