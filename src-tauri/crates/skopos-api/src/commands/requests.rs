//! What each command takes: one request object per command, with the report query and the
//! period flattened into it (`{"site_id": 1, "period": "last_days", "days": 7, ...}`).

use serde::Deserialize;
use skopos_core::period::{Granularity, Period};
use skopos_core::report::Dimension;
use skopos_core::site::SiteSettings;
use skopos_store::writer::Subject;
use skopos_store::ErrorStatus;
use ts_rs::TS;

use crate::host::SettingsChange;
use crate::reports::{Metric, ReportQuery};

/// A command that takes nothing: `{}`.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(deny_unknown_fields)]
pub struct NoArgs {}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SiteArgs {
    pub site_id: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct CreateSiteArgs {
    pub settings: SiteSettings,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct UpdateSiteArgs {
    pub site_id: i64,
    pub settings: SiteSettings,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ArchiveSiteArgs {
    pub site_id: i64,
    /// `true` stops collection (data is kept), `false` resumes it.
    pub archived: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct PeriodArgs {
    #[serde(flatten)]
    pub period: Period,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SeriesArgs {
    #[serde(flatten)]
    pub query: ReportQuery,
    /// By default the one that suits the period's length.
    pub granularity: Option<Granularity>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct BreakdownArgs {
    #[serde(flatten)]
    pub query: ReportQuery,
    pub dimension: Dimension,
    pub offset: usize,
    pub limit: usize,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct EventPropertiesArgs {
    #[serde(flatten)]
    pub query: ReportQuery,
    pub event: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct PropertyBreakdownArgs {
    #[serde(flatten)]
    pub query: ReportQuery,
    pub event: String,
    pub property: String,
    pub offset: usize,
    pub limit: usize,
}

#[derive(Debug, Clone, Copy, Deserialize, TS)]
pub struct ComparedPair {
    pub site_id: i64,
    pub metric: Metric,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct CompareArgs {
    pub pairs: Vec<ComparedPair>,
    #[serde(flatten)]
    pub period: Period,
    pub granularity: Option<Granularity>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SessionsArgs {
    #[serde(flatten)]
    pub query: ReportQuery,
    pub offset: usize,
    pub limit: usize,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SessionTimelineArgs {
    pub site_id: i64,
    pub session_id: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct UsersArgs {
    pub site_id: i64,
    /// Matches user ids, names and emails.
    pub search: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct UserProfileArgs {
    pub site_id: i64,
    pub user_id: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct EraseArgs {
    pub site_id: i64,
    pub subject: Subject,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ErrorGroupsArgs {
    pub site_id: i64,
    #[serde(flatten)]
    pub period: Period,
    /// Only groups in this state; all when absent.
    pub status: Option<ErrorStatus>,
    pub offset: usize,
    pub limit: usize,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ErrorGroupArgs {
    pub site_id: i64,
    pub group_id: i64,
    #[serde(flatten)]
    pub period: Period,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SetErrorStatusArgs {
    pub site_id: i64,
    pub group_id: i64,
    pub status: ErrorStatus,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct PublicUrlArgs {
    /// The URL to check; the configured public URL when absent.
    pub url: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SaveSettingsArgs {
    pub settings: SettingsChange,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct LaunchAtLoginArgs {
    pub enabled: bool,
}
