//! What each committed batch added, per site, published after `COMMIT` for live views.
//!
//! Publishing uses a broadcast channel: the writer never waits for a listener, and a
//! listener that falls behind misses summaries (and is told so) instead of slowing ingest.

use std::sync::Arc;

use serde::Serialize;
use skopos_core::beacon::EventKind;
use skopos_core::hit::Hit;
use tokio::sync::broadcast;
use ts_rs::TS;

/// Summaries kept for a listener that has not read them yet.
pub(super) const BACKLOG: usize = 256;

/// One site's share of a committed batch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct SiteActivity {
    pub site_id: i64,
    pub pageviews: u32,
    pub custom_events: u32,
    pub outbound_clicks: u32,
    pub downloads: u32,
    /// Error reports, counting repeats the script folded together.
    pub errors: u32,
    /// The path of the batch's last pageview on this site.
    pub latest_path: Option<String>,
}

/// Every site a committed batch touched, in the order they first appear in it.
pub type Activity = Arc<[SiteActivity]>;

pub(super) fn publish(sender: &broadcast::Sender<Activity>, hits: &[&Hit]) {
    if sender.receiver_count() == 0 {
        return;
    }
    // Nobody listening between the check and the send is fine: the summary is dropped.
    let _ = sender.send(summarize(hits).into());
}

fn summarize(hits: &[&Hit]) -> Vec<SiteActivity> {
    let mut sites: Vec<SiteActivity> = Vec::new();
    for hit in hits {
        let index = match sites.iter().position(|s| s.site_id == hit.site_id) {
            Some(index) => index,
            None => {
                sites.push(SiteActivity {
                    site_id: hit.site_id,
                    ..SiteActivity::default()
                });
                sites.len() - 1
            }
        };
        let site = &mut sites[index];
        match &hit.kind {
            EventKind::Pageview => {
                site.pageviews += 1;
                site.latest_path = Some(hit.path.clone());
            }
            EventKind::Custom { .. } => site.custom_events += 1,
            EventKind::Outbound { .. } => site.outbound_clicks += 1,
            EventKind::Download { .. } => site.downloads += 1,
            EventKind::Error(report) => {
                site.errors = site.errors.saturating_add(report.count.max(1));
            }
            EventKind::Engagement { .. } | EventKind::Identify(_) => {}
        }
    }
    sites
}
