//! The overview of all sites: each site's summary and daily trend, and their total.

use serde::Serialize;
use skopos_core::period::{Calendar, Period};
use skopos_core::report::Totals;
use skopos_core::site::Site;
use skopos_core::visitor::PrivacyMode;
use ts_rs::TS;

use crate::reports::{visitors_label, ReportQuery, Series, Summary};
use crate::{ApiError, Skopos};

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SiteOverview {
    pub site: Site,
    pub summary: Summary,
    /// The period's series at its default granularity, for a sparkline.
    pub trend: Series,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SitesOverview {
    /// Every active site's summary added up, each site's period in its own time zone.
    pub total: Summary,
    /// Every site, archived ones included (they add nothing to the total).
    pub sites: Vec<SiteOverview>,
}

impl Skopos {
    pub async fn sites_overview(&self, period: Period) -> Result<SitesOverview, ApiError> {
        let mut total: Option<Summary> = None;
        let mut sites = Vec::new();
        for site in self.list_sites().await? {
            let query = ReportQuery {
                site_id: site.id,
                period,
                filters: Vec::new(),
            };
            let summary = self.summary(&query).await?;
            let trend = self.series(&query, None).await?;
            if site.archived_at_ms.is_none() {
                add_summary(&mut total, &summary);
            }
            sites.push(SiteOverview {
                site,
                summary,
                trend,
            });
        }
        let total = match total {
            Some(total) => total,
            None => Summary {
                span: Calendar::new("UTC").span(period, self.clock.now_ms())?,
                current: Totals::default(),
                previous: Totals::default(),
                live_visitors: 0,
                visitors_label: visitors_label(PrivacyMode::Strict),
            },
        };
        Ok(SitesOverview { total, sites })
    }
}

fn add_summary(total: &mut Option<Summary>, summary: &Summary) {
    match total {
        None => *total = Some(summary.clone()),
        Some(sum) => {
            sum.current.add(&summary.current);
            sum.previous.add(&summary.previous);
            sum.live_visitors += summary.live_visitors;
            if summary.visitors_label != sum.visitors_label {
                sum.visitors_label = "daily unique visitors (summed over days and sites)";
            }
        }
    }
}
