//! What the ingest writer stores: enriched hits, with the raw request already forgotten.

use std::sync::Arc;

use crate::beacon::EventKind;
use crate::page::Utm;
use crate::referrer::Channel;
use crate::ua::DeviceKind;

/// Attributes of the visit a beacon belongs to; they describe a session when one starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    pub referrer_host: Option<String>,
    pub channel: Channel,
    pub utm: Utm,
    pub browser: Option<String>,
    pub browser_version: Option<String>,
    pub os: Option<String>,
    pub device: DeviceKind,
    pub country: Option<String>,
    pub region: Option<String>,
    pub language: Option<String>,
    /// `WIDTHxHEIGHT` in CSS pixels.
    pub screen: Option<String>,
    /// The local calendar day in the site's time zone ([`crate::period::day_number`]);
    /// a session is filed under the day it started.
    pub day: i32,
}

/// One thing that happened, ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub site_id: i64,
    pub visitor_id: i64,
    pub at_ms: i64,
    pub path: String,
    /// Shared by every hit of one beacon.
    pub visit: Arc<Visit>,
    pub kind: EventKind,
}

impl Hit {
    /// Hits that count as activity and so open a session when none is active.
    /// Engagement reports and identify calls only ever attach to an existing one.
    pub fn starts_session(&self) -> bool {
        !matches!(
            self.kind,
            EventKind::Engagement { .. } | EventKind::Identify(_)
        )
    }
}
