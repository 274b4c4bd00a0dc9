// Generated from the Rust types by `SKOPOS_UPDATE_UI_TYPES=1 cargo test -p skopos-tests --test it ui_types`; do not edit.

export type ApiError = { code: ErrorCode, message: string, };

export type AppInfo = { version: string, mode: HostKind, collector: CollectorStatus, public_url: string | null, };

export type ArchiveSiteArgs = { site_id: number, 
/**
 * `true` stops collection (data is kept), `false` resumes it.
 */
archived: boolean, };

/**
 * `GET /api/auth/state`: whether the owner account exists and who is logged in.
 */
export type AuthState = { 
/**
 * `false` on first run: the dashboard offers registration.
 */
has_user: boolean, user: string | null, 
/**
 * The token to send as `X-Skopos-Csrf` with every `POST`.
 */
csrf: string | null, };

export type BreakdownArgs = { dimension: Dimension, offset: number, limit: number, site_id: number, filters: Array<Filter>, } & ({ "period": "today" } | { "period": "yesterday" } | { "period": "last_days", days: number, } | { "period": "last_year" } | { "period": "custom", from: string, to: string, });

export type BreakdownPage = { rows: Array<BreakdownRow>, 
/**
 * Rows over all pages.
 */
total_rows: number, offset: number, };

export type BreakdownRow = { 
/**
 * `None` for sessions without a value (a direct visit has no referrer).
 */
value: string | null, 
/**
 * This row's visitors as a share of all the scope's visitors.
 */
share: number, 
/**
 * Daily unique visitors, summed over days.
 */
visitors: number, sessions: number, pageviews: number, 
/**
 * Custom events, outbound clicks and downloads.
 */
events: number, 
/**
 * Sessions with one pageview and nothing else.
 */
bounces: number, 
/**
 * Sessions of two or more pageviews, any event, or ten visible seconds or more.
 */
engaged: number, 
/**
 * Seconds, summed: a session lasts from its first to its last hit, or as long as the
 * page was visible if that is longer.
 */
duration_seconds: number, 
/**
 * JS error reports in these sessions, counting repeats.
 */
errors: number, };

/**
 * The collector listener: where it listens, whether it runs, and why not.
 */
export type CollectorStatus = { 
/**
 * The address listened on (the bound one once running), e.g. `127.0.0.1:8787`.
 */
address: string, running: boolean, 
/**
 * Why it is not running, for a person to read.
 */
error: string | null, data_dir: string, };

export type CompareArgs = { pairs: Array<ComparedPair>, granularity: Granularity | null, } & ({ "period": "today" } | { "period": "yesterday" } | { "period": "last_days", days: number, } | { "period": "last_year" } | { "period": "custom", from: string, to: string, });

export type ComparedPair = { site_id: number, metric: Metric, };

export type ComparedSeries = { site_id: number, metric: Metric, granularity: Granularity, 
/**
 * `(bucket start, value)`; rates are `None` where there were no sessions.
 */
points: Array<[number, number | null]>, };

export type CreateSiteArgs = { settings: SiteSettings, };

/**
 * `POST /api/auth/register` and `/api/auth/login` (no `Debug`: it holds a password).
 */
export type Credentials = { username: string, password: string, };

/**
 * What a breakdown groups by and a filter looks at.
 */
export type Dimension = "page" | "entry_page" | "exit_page" | "referrer" | "channel" | "utm_source" | "utm_medium" | "utm_campaign" | "utm_term" | "utm_content" | "country" | "region" | "browser" | "os" | "device" | "language" | "screen" | "event";

export type EraseArgs = { site_id: number, subject: Subject, };

/**
 * What an erasure removed.
 */
export type Erased = { visitors: number, sessions: number, events: number, error_reports: number, };

export type ErrorCode = "invalid" | "not_found" | "conflict" | "unauthorized" | "forbidden" | "rate_limited" | "unavailable" | "internal";

export type ErrorGroupArgs = { site_id: number, group_id: number, } & ({ "period": "today" } | { "period": "yesterday" } | { "period": "last_days", days: number, } | { "period": "last_year" } | { "period": "custom", from: string, to: string, });

/**
 * A group with its stack, daily trend, where it happens and its latest reports.
 */
export type ErrorGroupDetail = { stack: string | null, 
/**
 * `(bucket start ms, reports)` for the buckets the caller asked for.
 */
trend: Array<[number, number]>, top_pages: Array<[string, number]>, top_browsers: Array<[string | null, number]>, 
/**
 * Newest first; only the latest few keep their breadcrumbs.
 */
recent: Array<Occurrence>, id: number, message: string, source: string | null, line: number | null, col: number | null, status: string, 
/**
 * Reports ever, counting repeats.
 */
occurrences: number, first_seen: number, last_seen: number, resolved_at: number | null, 
/**
 * When a resolved group came back; set while the regression is unresolved.
 */
regressed_at: number | null, 
/**
 * Reports in the period, counting repeats.
 */
period_occurrences: number, 
/**
 * Sessions with a report in the period.
 */
affected_sessions: number, };

/**
 * One group as the list shows it; the period numbers count occurrences in `[from, to)`.
 */
export type ErrorGroupSummary = { id: number, message: string, source: string | null, line: number | null, col: number | null, status: string, 
/**
 * Reports ever, counting repeats.
 */
occurrences: number, first_seen: number, last_seen: number, resolved_at: number | null, 
/**
 * When a resolved group came back; set while the regression is unresolved.
 */
regressed_at: number | null, 
/**
 * Reports in the period, counting repeats.
 */
period_occurrences: number, 
/**
 * Sessions with a report in the period.
 */
affected_sessions: number, };

export type ErrorGroupsArgs = { site_id: number, 
/**
 * Only groups in this state; all when absent.
 */
status: ErrorStatus | null, offset: number, limit: number, } & ({ "period": "today" } | { "period": "yesterday" } | { "period": "last_days", days: number, } | { "period": "last_year" } | { "period": "custom", from: string, to: string, });

export type ErrorStatus = "open" | "resolved" | "ignored";

export type EventPropertiesArgs = { event: string, site_id: number, filters: Array<Filter>, } & ({ "period": "today" } | { "period": "yesterday" } | { "period": "last_days", days: number, } | { "period": "last_year" } | { "period": "custom", from: string, to: string, });

/**
 * One condition; a report's filters must all hold.
 */
export type Filter = { dimension: Dimension, op: FilterOp, 
/**
 * Compared with the stored value; for `is` an empty value matches "none" (a direct
 * visit's referrer, say).
 */
value: string, };

export type FilterOp = "is" | "is_not" | "contains";

/**
 * The step of a time series.
 */
export type Granularity = "hour" | "day" | "week" | "month";

export type HostKind = "desktop" | "web";

export type LaunchAtLoginArgs = { enabled: boolean, };

export type LiveUpdate = { 
/**
 * Distinct visitors in the last five minutes (at most a second old).
 */
live_visitors: number, at_ms: number, site_id: number, pageviews: number, custom_events: number, outbound_clicks: number, downloads: number, 
/**
 * Error reports, counting repeats the script folded together.
 */
errors: number, 
/**
 * The path of the batch's last pageview on this site.
 */
latest_path: string | null, };

/**
 * The answer to a successful register or login (the cookie comes in `Set-Cookie`).
 */
export type LoggedIn = { user: string, csrf: string, };

/**
 * One of the numbers a series can plot.
 */
export type Metric = "visitors" | "sessions" | "pageviews" | "events" | "bounce_rate" | "engagement_rate" | "average_duration" | "errors";

/**
 * A command that takes nothing: `{}`.
 */
export type NoArgs = Record<symbol, never>;

export type Occurrence = { ts: number, path: string, count: number, browser: string | null, os: string | null, session_id: number | null, 
/**
 * A JSON array, as the script sent it.
 */
breadcrumbs: string | null, };

/**
 * What a report covers, as the dashboard's period picker names it.
 */
export type Period = { "period": "today" } | { "period": "yesterday" } | { "period": "last_days", days: number, } | { "period": "last_year" } | { "period": "custom", from: string, to: string, };

export type PeriodArgs = { "period": "today" } | { "period": "yesterday" } | { "period": "last_days", days: number, } | { "period": "last_year" } | { "period": "custom", from: string, to: string, };

export type PrivacyMode = "strict" | "network" | "persistent";

export type PropertyBreakdownArgs = { event: string, property: string, offset: number, limit: number, site_id: number, filters: Array<Filter>, } & ({ "period": "today" } | { "period": "yesterday" } | { "period": "last_days", days: number, } | { "period": "last_year" } | { "period": "custom", from: string, to: string, });

export type PublicUrlArgs = { 
/**
 * The URL to check; the configured public URL when absent.
 */
url: string | null, };

export type PublicUrlCheck = { url: string, 
/**
 * The URL reaches this very collector.
 */
ok: boolean, 
/**
 * What was found, for a person to read.
 */
message: string, };

/**
 * Which sessions a report covers.
 */
export type ReportQuery = { site_id: number, filters: Array<Filter>, } & ({ "period": "today" } | { "period": "yesterday" } | { "period": "last_days", days: number, } | { "period": "last_year" } | { "period": "custom", from: string, to: string, });

export type SaveSettingsArgs = { settings: SettingsChange, };

export type Series = { granularity: Granularity, points: Array<SeriesPoint>, };

export type SeriesArgs = { 
/**
 * By default the one that suits the period's length.
 */
granularity: Granularity | null, site_id: number, filters: Array<Filter>, } & ({ "period": "today" } | { "period": "yesterday" } | { "period": "last_days", days: number, } | { "period": "last_year" } | { "period": "custom", from: string, to: string, });

export type SeriesPoint = { 
/**
 * The bucket's first instant, Unix milliseconds.
 */
start_ms: number, 
/**
 * Daily unique visitors, summed over days.
 */
visitors: number, sessions: number, pageviews: number, 
/**
 * Custom events, outbound clicks and downloads.
 */
events: number, 
/**
 * Sessions with one pageview and nothing else.
 */
bounces: number, 
/**
 * Sessions of two or more pageviews, any event, or ten visible seconds or more.
 */
engaged: number, 
/**
 * Seconds, summed: a session lasts from its first to its last hit, or as long as the
 * page was visible if that is longer.
 */
duration_seconds: number, 
/**
 * JS error reports in these sessions, counting repeats.
 */
errors: number, };

/**
 * A session as the explorer lists it.
 */
export type SessionSummary = { id: number, 
/**
 * The visitor's pseudonymous id (a keyed hash), to open or erase them with.
 */
visitor_id: string, started_at: number, last_seen: number, entry_path: string, exit_path: string, pageviews: number, events: number, engaged_seconds: number, duration_seconds: number, referrer_host: string | null, channel: string, utm_source: string | null, utm_medium: string | null, utm_campaign: string | null, browser: string | null, os: string | null, device: string, country: string | null, region: string | null, language: string | null, screen: string | null, 
/**
 * Set when the visitor was identified.
 */
user_id: string | null, user_name: string | null, };

export type SessionTimeline = { session: SessionSummary, items: Array<TimelineItem>, };

export type SessionTimelineArgs = { site_id: number, session_id: number, };

export type SessionsArgs = { offset: number, limit: number, site_id: number, filters: Array<Filter>, } & ({ "period": "today" } | { "period": "yesterday" } | { "period": "last_days", days: number, } | { "period": "last_year" } | { "period": "custom", from: string, to: string, });

export type SetErrorStatusArgs = { site_id: number, group_id: number, status: ErrorStatus, };

/**
 * New settings from the settings view; the collector restarts with them.
 */
export type SettingsChange = { collector_address: string, public_url: string | null, trusted_proxy: string, data_dir: string, };

/**
 * The host's settings as the settings view shows them.
 */
export type SettingsView = { 
/**
 * `IP:port` the collector listens on.
 */
collector_address: string, 
/**
 * The tunnel URL visitors' browsers reach the collector at.
 */
public_url: string | null, 
/**
 * `none`, `cloudflare`, `x-forwarded-for` or `x-real-ip`.
 */
trusted_proxy: string, data_dir: string, 
/**
 * Whether `save_settings` can change them (the headless server takes them from its
 * flags, environment and config file).
 */
editable: boolean, 
/**
 * Whether the desktop app starts at login; `None` where that does not apply.
 */
launch_at_login: boolean | null, };

/**
 * A tracked website.
 */
export type Site = { id: number, 
/**
 * The public id pasted into the tracking snippet.
 */
tracking_id: string, created_at_ms: number, archived_at_ms: number | null, name: string, 
/**
 * The bare host, e.g. `example.com`; `www.example.com` is always accepted too.
 */
domain: string, 
/**
 * Further origins allowed to send beacons: hosts (`staging.example.com`,
 * `localhost:3000`) or wildcard subdomains (`*.example.com`).
 */
allowed_origins: Array<string>, privacy_mode: PrivacyMode, 
/**
 * Visitors from these networks are not counted (the owner's office, say).
 */
ip_exclusions: Array<string>, 
/**
 * Drop beacons from pages served on localhost (development copies of the site).
 */
ignore_localhost: boolean, 
/**
 * IANA time zone that "today" and daily charts use.
 */
timezone: string, };

export type SiteArgs = { site_id: number, };

export type SiteOverview = { site: Site, summary: Summary, 
/**
 * The period's series at its default granularity, for a sparkline.
 */
trend: Series, };

/**
 * What the owner edits about a site.
 */
export type SiteSettings = { name: string, 
/**
 * The bare host, e.g. `example.com`; `www.example.com` is always accepted too.
 */
domain: string, 
/**
 * Further origins allowed to send beacons: hosts (`staging.example.com`,
 * `localhost:3000`) or wildcard subdomains (`*.example.com`).
 */
allowed_origins: Array<string>, privacy_mode: PrivacyMode, 
/**
 * Visitors from these networks are not counted (the owner's office, say).
 */
ip_exclusions: Array<string>, 
/**
 * Drop beacons from pages served on localhost (development copies of the site).
 */
ignore_localhost: boolean, 
/**
 * IANA time zone that "today" and daily charts use.
 */
timezone: string, };

export type SitesOverview = { 
/**
 * Every active site's summary added up, each site's period in its own time zone.
 */
total: Summary, 
/**
 * Every site, archived ones included (they add nothing to the total).
 */
sites: Array<SiteOverview>, };

/**
 * The tag to paste into a site's pages, and the script URL it loads.
 */
export type Snippet = { html: string, script_url: string, };

/**
 * Local calendar days, both ends included.
 */
export type Span = { first: string, last: string, };

/**
 * Whom to erase: `{"visitor": "<id>"}` or `{"user": "<user id>"}` in JSON.
 */
export type Subject = { "visitor": string } | { "user": string };

export type Summary = { span: Span, current: Totals, 
/**
 * The same number of days just before.
 */
previous: Totals, 
/**
 * Distinct visitors in the last five minutes (filters do not apply).
 */
live_visitors: number, 
/**
 * What "visitors" means under the site's privacy mode.
 */
visitors_label: string, };

/**
 * One thing in a session's timeline.
 */
export type TimelineItem = { ts: number, 
/**
 * `pageview`, `custom`, `outbound`, `download` or `error`.
 */
kind: string, path: string, 
/**
 * The custom event's name, or the error's message.
 */
name: string | null, target: string | null, 
/**
 * Custom event properties (a JSON object) or the error's breadcrumbs (a JSON array).
 */
detail: string | null, 
/**
 * Reports folded into one for errors, else 1.
 */
count: number, };

/**
 * Sums over sessions from which every headline metric derives; they add up across days
 * and sites, so rollups can store them.
 */
export type Totals = { 
/**
 * Daily unique visitors, summed over days.
 */
visitors: number, sessions: number, pageviews: number, 
/**
 * Custom events, outbound clicks and downloads.
 */
events: number, 
/**
 * Sessions with one pageview and nothing else.
 */
bounces: number, 
/**
 * Sessions of two or more pageviews, any event, or ten visible seconds or more.
 */
engaged: number, 
/**
 * Seconds, summed: a session lasts from its first to its last hit, or as long as the
 * page was visible if that is longer.
 */
duration_seconds: number, 
/**
 * JS error reports in these sessions, counting repeats.
 */
errors: number, };

/**
 * A newer signed release than the running one.
 */
export type UpdateInfo = { version: string, current_version: string, notes: string | null, 
/**
 * Release date as the update manifest gives it (RFC 3339).
 */
date: string | null, };

export type UpdateSiteArgs = { site_id: number, settings: SiteSettings, };

export type UserProfile = { sessions: Array<SessionSummary>, user_id: string, name: string | null, email: string | null, phone: string | null, 
/**
 * A JSON object.
 */
metadata: string | null, first_seen: number, last_seen: number, visitor_ids: number, };

export type UserProfileArgs = { site_id: number, user_id: string, };

/**
 * An identified user over all the visitor ids they were seen with.
 */
export type UserSummary = { user_id: string, name: string | null, email: string | null, phone: string | null, 
/**
 * A JSON object.
 */
metadata: string | null, first_seen: number, last_seen: number, visitor_ids: number, };

export type UsersArgs = { site_id: number, 
/**
 * Matches user ids, names and emails.
 */
search: string | null, offset: number, limit: number, };
