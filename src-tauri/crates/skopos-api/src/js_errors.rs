//! JS error triage for the dashboard: groups over a period, a group's detail with its
//! trend in the period's buckets, and resolve / ignore / reopen.

use skopos_core::period::{Calendar, Granularity, Period};
use skopos_store::{ErrorGroupDetail, ErrorGroupSummary, ErrorStatus};

use crate::error::not_found;
use crate::reports::check_page;
use crate::{ApiError, Skopos};

impl Skopos {
    /// A site's error groups with reports in the period, most reported first.
    pub async fn error_groups(
        &self,
        site_id: i64,
        period: Period,
        status: Option<ErrorStatus>,
        offset: usize,
        limit: usize,
    ) -> Result<Vec<ErrorGroupSummary>, ApiError> {
        check_page(limit)?;
        let site = self.site(site_id).await?;
        let calendar = Calendar::new(&site.settings.timezone);
        let range = calendar.range(&calendar.span(period, self.clock.now_ms())?);
        Ok(self
            .store
            .error_groups(
                site.id,
                range.from_ms,
                range.to_ms,
                status,
                offset as i64,
                limit as i64,
            )
            .await?)
    }

    /// One group with its stack, trend over the period, top pages and browsers, and its
    /// latest reports with breadcrumbs.
    pub async fn error_group(
        &self,
        site_id: i64,
        group_id: i64,
        period: Period,
    ) -> Result<ErrorGroupDetail, ApiError> {
        let site = self.site(site_id).await?;
        let calendar = Calendar::new(&site.settings.timezone);
        let span = calendar.span(period, self.clock.now_ms())?;
        let bounds = calendar.buckets(&span, Granularity::for_span(&span))?;
        self.store
            .error_group(site.id, group_id, &bounds)
            .await
            .map_err(not_found("error group"))
    }

    /// Resolves, ignores or reopens a group. A resolved group that happens again reopens
    /// by itself and is flagged as a regression.
    pub async fn set_error_status(
        &self,
        site_id: i64,
        group_id: i64,
        status: ErrorStatus,
    ) -> Result<(), ApiError> {
        self.store
            .set_error_status(site_id, group_id, status, self.clock.now_ms())
            .await
            .map_err(not_found("error group"))
    }
}
