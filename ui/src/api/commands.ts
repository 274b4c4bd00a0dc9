// Generated from the Rust types by `SKOPOS_UPDATE_UI_TYPES=1 cargo test -p skopos-tests --test it ui_types`; do not edit.

import type * as T from './types';

/** Every command: what it takes and what it answers. */
export interface Commands {
  list_sites: { args: T.NoArgs; result: Array<T.Site> };
  create_site: { args: T.CreateSiteArgs; result: T.Site };
  update_site: { args: T.UpdateSiteArgs; result: T.Site };
  archive_site: { args: T.ArchiveSiteArgs; result: T.Site };
  tracking_snippet: { args: T.SiteArgs; result: T.Snippet };
  sites_overview: { args: T.PeriodArgs; result: T.SitesOverview };
  summary: { args: T.ReportQuery; result: T.Summary };
  series: { args: T.SeriesArgs; result: T.Series };
  breakdown: { args: T.BreakdownArgs; result: T.BreakdownPage };
  event_properties: { args: T.EventPropertiesArgs; result: Array<string> };
  property_breakdown: { args: T.PropertyBreakdownArgs; result: T.BreakdownPage };
  compare: { args: T.CompareArgs; result: Array<T.ComparedSeries> };
  sessions: { args: T.SessionsArgs; result: Array<T.SessionSummary> };
  session_timeline: { args: T.SessionTimelineArgs; result: T.SessionTimeline };
  users: { args: T.UsersArgs; result: Array<T.UserSummary> };
  user_profile: { args: T.UserProfileArgs; result: T.UserProfile };
  erase: { args: T.EraseArgs; result: T.Erased };
  error_groups: { args: T.ErrorGroupsArgs; result: Array<T.ErrorGroupSummary> };
  error_group: { args: T.ErrorGroupArgs; result: T.ErrorGroupDetail };
  set_error_status: { args: T.SetErrorStatusArgs; result: null };
  check_public_url: { args: T.PublicUrlArgs; result: T.PublicUrlCheck };
  app_info: { args: T.NoArgs; result: T.AppInfo };
  settings: { args: T.NoArgs; result: T.SettingsView };
  save_settings: { args: T.SaveSettingsArgs; result: T.SettingsView };
  check_update: { args: T.NoArgs; result: T.UpdateInfo | null };
  install_update: { args: T.NoArgs; result: null };
  set_launch_at_login: { args: T.LaunchAtLoginArgs; result: boolean };
}

/** Commands the hosting program (desktop shell or web server) answers. */
export const HOST_COMMANDS = ['app_info', 'settings', 'save_settings'] as const;

/** Commands only the desktop app has. */
export const DESKTOP_COMMANDS = ['check_update', 'install_update', 'set_launch_at_login'] as const;
