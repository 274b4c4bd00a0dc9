//! The commands the dashboard calls, in one list that every transport expands: the web
//! dashboard routes `POST /api/<name>` to them, the desktop shell registers them as Tauri
//! commands, and the TypeScript generator writes `ui/src/api/commands.ts` from it. Each
//! takes one request object and returns one result (or an [`ApiError`]).
//!
//! `app` commands are the functions of this module, one-line adapters over [`Skopos`];
//! `host` commands are answered by the program hosting the application (see
//! [`crate::host`]); `desktop` commands exist only in the desktop app.

mod requests;

use crate::{ApiError, Skopos};
pub use requests::*;
use types::*;

/// Every type a command takes or returns, for transports to import with `types::*`.
pub mod types {
    pub use super::requests::*;
    pub use crate::host::{AppInfo, CollectorStatus, SettingsView, UpdateInfo};
    pub use crate::overview::SitesOverview;
    pub use crate::public_url::PublicUrlCheck;
    pub use crate::reports::{ComparedSeries, ReportQuery, Series, Summary};
    pub use crate::sites::Snippet;
    pub use skopos_core::site::Site;
    pub use skopos_store::reports::{
        BreakdownPage, SessionSummary, SessionTimeline, UserProfile, UserSummary,
    };
    pub use skopos_store::writer::Erased;
    pub use skopos_store::{ErrorGroupDetail, ErrorGroupSummary};
}

/// Calls `$callback! { app { … } host { … } desktop { … } }` with every command as
/// `name(Request) -> Response,`; the types are named as [`types`] exports them.
#[macro_export]
macro_rules! for_each_command {
    ($callback:ident) => {
        $callback! {
            app {
                list_sites(NoArgs) -> Vec<Site>,
                create_site(CreateSiteArgs) -> Site,
                update_site(UpdateSiteArgs) -> Site,
                archive_site(ArchiveSiteArgs) -> Site,
                tracking_snippet(SiteArgs) -> Snippet,
                sites_overview(PeriodArgs) -> SitesOverview,
                summary(ReportQuery) -> Summary,
                series(SeriesArgs) -> Series,
                breakdown(BreakdownArgs) -> BreakdownPage,
                event_properties(EventPropertiesArgs) -> Vec<String>,
                property_breakdown(PropertyBreakdownArgs) -> BreakdownPage,
                compare(CompareArgs) -> Vec<ComparedSeries>,
                sessions(SessionsArgs) -> Vec<SessionSummary>,
                session_timeline(SessionTimelineArgs) -> SessionTimeline,
                users(UsersArgs) -> Vec<UserSummary>,
                user_profile(UserProfileArgs) -> UserProfile,
                erase(EraseArgs) -> Erased,
                error_groups(ErrorGroupsArgs) -> Vec<ErrorGroupSummary>,
                error_group(ErrorGroupArgs) -> ErrorGroupDetail,
                set_error_status(SetErrorStatusArgs) -> (),
                check_public_url(PublicUrlArgs) -> PublicUrlCheck,
            }
            host {
                app_info(NoArgs) -> AppInfo,
                settings(NoArgs) -> SettingsView,
                save_settings(SaveSettingsArgs) -> SettingsView,
            }
            desktop {
                check_update(NoArgs) -> Option<UpdateInfo>,
                install_update(NoArgs) -> (),
                set_launch_at_login(LaunchAtLoginArgs) -> bool,
            }
        }
    };
}

/// Most property names `event_properties` lists.
const MAX_PROPERTY_NAMES: usize = 50;

type Answer<T> = Result<T, ApiError>;

pub async fn list_sites(app: &Skopos, _: NoArgs) -> Answer<Vec<Site>> {
    app.list_sites().await
}

pub async fn create_site(app: &Skopos, args: CreateSiteArgs) -> Answer<Site> {
    app.create_site(args.settings).await
}

pub async fn update_site(app: &Skopos, args: UpdateSiteArgs) -> Answer<Site> {
    app.update_site(args.site_id, args.settings).await
}

pub async fn archive_site(app: &Skopos, args: ArchiveSiteArgs) -> Answer<Site> {
    app.archive_site(args.site_id, args.archived).await
}

pub async fn tracking_snippet(app: &Skopos, args: SiteArgs) -> Answer<Snippet> {
    app.snippet(args.site_id).await
}

pub async fn sites_overview(app: &Skopos, args: PeriodArgs) -> Answer<SitesOverview> {
    app.sites_overview(args.period).await
}

pub async fn summary(app: &Skopos, args: ReportQuery) -> Answer<Summary> {
    app.summary(&args).await
}

pub async fn series(app: &Skopos, args: SeriesArgs) -> Answer<Series> {
    app.series(&args.query, args.granularity).await
}

pub async fn breakdown(app: &Skopos, args: BreakdownArgs) -> Answer<BreakdownPage> {
    app.breakdown(&args.query, args.dimension, args.offset, args.limit)
        .await
}

pub async fn event_properties(app: &Skopos, args: EventPropertiesArgs) -> Answer<Vec<String>> {
    app.event_properties(&args.query, &args.event, MAX_PROPERTY_NAMES)
        .await
}

pub async fn property_breakdown(
    app: &Skopos,
    args: PropertyBreakdownArgs,
) -> Answer<BreakdownPage> {
    let PropertyBreakdownArgs {
        query,
        event,
        property,
        offset,
        limit,
    } = args;
    app.property_breakdown(&query, &event, &property, offset, limit)
        .await
}

pub async fn compare(app: &Skopos, args: CompareArgs) -> Answer<Vec<ComparedSeries>> {
    let pairs: Vec<_> = args.pairs.iter().map(|p| (p.site_id, p.metric)).collect();
    app.compare(&pairs, args.period, args.granularity).await
}

pub async fn sessions(app: &Skopos, args: SessionsArgs) -> Answer<Vec<SessionSummary>> {
    app.sessions(&args.query, args.offset, args.limit).await
}

pub async fn session_timeline(app: &Skopos, args: SessionTimelineArgs) -> Answer<SessionTimeline> {
    app.session_timeline(args.site_id, args.session_id).await
}

pub async fn users(app: &Skopos, args: UsersArgs) -> Answer<Vec<UserSummary>> {
    app.users(
        args.site_id,
        args.search.as_deref(),
        args.offset,
        args.limit,
    )
    .await
}

pub async fn user_profile(app: &Skopos, args: UserProfileArgs) -> Answer<UserProfile> {
    app.user_profile(args.site_id, &args.user_id).await
}

pub async fn erase(app: &Skopos, args: EraseArgs) -> Answer<Erased> {
    app.erase(args.site_id, args.subject).await
}

pub async fn error_groups(app: &Skopos, args: ErrorGroupsArgs) -> Answer<Vec<ErrorGroupSummary>> {
    app.error_groups(
        args.site_id,
        args.period,
        args.status,
        args.offset,
        args.limit,
    )
    .await
}

pub async fn error_group(app: &Skopos, args: ErrorGroupArgs) -> Answer<ErrorGroupDetail> {
    app.error_group(args.site_id, args.group_id, args.period)
        .await
}

pub async fn set_error_status(app: &Skopos, args: SetErrorStatusArgs) -> Answer<()> {
    app.set_error_status(args.site_id, args.group_id, args.status)
        .await
}

pub async fn check_public_url(app: &Skopos, args: PublicUrlArgs) -> Answer<PublicUrlCheck> {
    app.check_public_url(args.url.as_deref()).await
}
