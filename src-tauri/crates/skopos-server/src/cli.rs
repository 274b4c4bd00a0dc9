//! Command-line interface. Every flag can also come from an environment variable or the
//! TOML config file; precedence is flag, then environment, then file, then default.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "skopos-server",
    version,
    about = "Skopos privacy-first analytics, headless"
)]
pub struct Cli {
    /// Folder for the database (default: the user's data directory, e.g. ~/.local/share/skopos).
    #[arg(long, global = true, env = "SKOPOS_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// TOML config file (default: skopos.toml in the data folder, if present).
    #[arg(long, global = true, env = "SKOPOS_CONFIG")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the collector until Ctrl-C or SIGTERM.
    Serve(ServeArgs),
    /// Manage tracked sites.
    Site {
        #[command(subcommand)]
        command: SiteCommand,
    },
    /// Today's counters for a site.
    Stats(StatsArgs),
    /// Print everything stored for a site as one JSON object: sessions, events, error
    /// groups with their latest occurrences, visitor profiles.
    Export(ExportArgs),
    /// Daily rollups (kept up to date by `serve`): `rebuild` recomputes them from raw data,
    /// e.g. after changing a site's time zone.
    Rollups {
        #[command(subcommand)]
        command: RollupCommand,
    },
    /// Erase an identified user (every visitor id they were seen with) or one visitor, with
    /// all their sessions, events, error reports and profile.
    Erase(EraseArgs),
    /// Reports: summary, series or breakdown, as a table, --json or --csv.
    Report {
        #[command(subcommand)]
        command: crate::report::ReportCommand,
    },
}

#[derive(Args, Default)]
pub struct ServeArgs {
    /// Address the public collector listens on (default 127.0.0.1:8787).
    #[arg(long, env = "SKOPOS_COLLECTOR")]
    pub collector: Option<SocketAddr>,
    /// Header naming the real client: none, cloudflare, x-forwarded-for, x-real-ip.
    #[arg(long, env = "SKOPOS_TRUSTED_PROXY")]
    pub trusted_proxy: Option<String>,
    /// Public (tunnel) URL of the collector, used in tracking snippets.
    #[arg(long, env = "SKOPOS_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// A second path for the tracking script, e.g. /js/app.js (ad-blocker resilience).
    #[arg(long, env = "SKOPOS_SCRIPT_ALIAS")]
    pub script_alias: Option<String>,
    /// Address the web dashboard listens on (default 127.0.0.1:8788); keep it on loopback
    /// or a private network, never behind the collector's tunnel.
    #[arg(long, env = "SKOPOS_DASHBOARD")]
    pub dashboard: Option<SocketAddr>,
    /// Run the collector only, without the web dashboard.
    #[arg(long, conflicts_with = "dashboard")]
    pub no_dashboard: bool,
}

#[derive(Subcommand)]
pub enum SiteCommand {
    /// Add a site and print its tracking id.
    Add(SiteAddArgs),
    /// List sites.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Print the `<script>` tag to paste into a site's pages.
    Snippet {
        /// The site's tracking id.
        #[arg(long)]
        site: String,
    },
}

#[derive(Args)]
pub struct SiteAddArgs {
    #[arg(long)]
    pub name: String,
    /// The site's domain, e.g. example.com (www. is accepted too).
    #[arg(long)]
    pub domain: String,
    /// IANA time zone for "today" and daily charts.
    #[arg(long, default_value = "UTC")]
    pub timezone: String,
    /// strict (default), network or persistent.
    #[arg(long, default_value = "strict")]
    pub privacy_mode: String,
    /// Another origin allowed to send beacons (repeatable), e.g. localhost:3000.
    #[arg(long = "allow-origin")]
    pub allowed_origins: Vec<String>,
}

#[derive(Args)]
pub struct StatsArgs {
    /// The site's tracking id.
    #[arg(long)]
    pub site: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(Args)]
pub struct ExportArgs {
    /// The site's tracking id.
    #[arg(long)]
    pub site: String,
}

#[derive(Subcommand)]
pub enum RollupCommand {
    /// Recompute the rollups of every day that still has raw data.
    Rebuild {
        /// Only this site (tracking id); default: all sites.
        #[arg(long)]
        site: Option<String>,
    },
}

#[derive(Args)]
#[command(group(clap::ArgGroup::new("subject").required(true).args(["user", "visitor"])))]
pub struct EraseArgs {
    /// The site's tracking id.
    #[arg(long)]
    pub site: String,
    /// The user id the site's script identified them with.
    #[arg(long)]
    pub user: Option<String>,
    /// A visitor id, as `export` and the sessions explorer show it.
    #[arg(long)]
    pub visitor: Option<i64>,
}
