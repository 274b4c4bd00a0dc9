//! `bench-reports`: how fast the dashboard's reports answer on a realistic database, from
//! rollups and by raw scan, and what a raw event costs on disk.
//!
//! ```text
//! cargo run --release -p skopos-tests --bin bench-reports -- \
//!     [--events 1000000] [--reps 30] [--keep /tmp/skopos-bench-10m]
//! ```
//!
//! 1. Generates synthetic traffic (default 1 M raw events over the 90 days ending now:
//!    Zipf-like pages, referrers, countries, browsers, campaigns; 1–8 pageviews per
//!    session, custom events, engagement, errors; returning visitors) into a fresh SQLite
//!    file through the real store and its group-commit writer, which rolls up idle
//!    visitor-days after each day (the app does every minute) and once more at the end.
//!    `--keep DIR` keeps the database and reuses it on the next run with the same
//!    `--events`, `--days` and `--seed` (10 M events take minutes to generate).
//! 2. Times every overview widget (totals, daily series, seven breakdowns) and the whole
//!    overview for the last 7, 30 and 90 days, answered from rollups and by raw scan in
//!    the same run, plus today's hourly series (both ways too); p50/p95 over `--reps` repetitions (a slow
//!    series stops after `--budget` seconds once it has 3 samples; one whose first run
//!    alone takes longer is timed once). Both sources must give the same answers.
//! 3. Measures the file after a full WAL checkpoint: bytes per raw event and the biggest
//!    tables and indexes (`dbstat`).
//!
//! Prints a table, then one JSON line for scripts. Targets (p95 <= 50 ms per widget,
//! <= 250 ms for the whole overview, <= 50 bytes per raw event, at 10 M events) are
//! reported, not failed: they depend on the machine. Exits non-zero only on errors or
//! when rollups and raw scans disagree.

mod disk;
mod distributions;
mod generate;
mod measure;
mod report;
mod traffic;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context, Result};
use clap::Parser;
use serde_json::{json, Value};
use skopos_core::period::{Calendar, Period};
use skopos_core::site::SiteSettings;
use skopos_core::visitor::PrivacyMode;
use skopos_store::reports::Source;
use skopos_store::writer::{self, WriterConfig};
use skopos_store::{Durability, Store};

use crate::generate::{Generated, Plan};
use crate::measure::{PeriodScope, Repetitions, Request, Widget};
use crate::report::Row;

#[derive(Parser)]
#[command(
    name = "bench-reports",
    about = "Report latency (rollups vs raw scan) and bytes per event on synthetic traffic"
)]
struct Cli {
    /// Raw events to generate (pageviews, custom events, outbound clicks, downloads, errors).
    #[arg(long, default_value_t = 1_000_000)]
    events: u64,
    /// Days of traffic, ending today.
    #[arg(long, default_value_t = 90)]
    days: u32,
    /// Seed of the traffic generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Timed repetitions per widget, period and source.
    #[arg(long, default_value_t = 30)]
    reps: usize,
    /// Seconds after which a slow series stops repeating (once it has 3 samples; a series
    /// whose first run alone takes longer is timed once).
    #[arg(long, default_value_t = 20.0)]
    budget: f64,
    /// Periods to measure, in days.
    #[arg(long, value_delimiter = ',', default_values_t = [7u16, 30, 90])]
    periods: Vec<u16>,
    /// Visits submitted to the writer at once while generating.
    #[arg(long, default_value_t = 64)]
    in_flight: usize,
    /// Keep the database in DIR, and reuse it if it was generated with the same options.
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
}

/// The site's time zone: days and hours are local, as for a real site.
const TIMEZONE: &str = "Europe/Berlin";
const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// Describes the database next to it; written once generation and roll-up are complete.
const META_FILE: &str = "bench-reports.json";
const META_FORMAT: u64 = 1;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    benchmark(Cli::parse()).await.unwrap_or_else(|error| {
        eprintln!("bench-reports: error: {error:#}");
        ExitCode::FAILURE
    })
}

/// How the database was made, saved next to it so that a kept one can be reused.
pub struct Generation {
    pub events: u64,
    pub days: u32,
    pub seed: u64,
    pub now_ms: i64,
    pub site_id: i64,
    pub generated: Generated,
    /// The file after generation (rolled up day by day, as the app does), before the
    /// last roll-up.
    pub raw_file_bytes: u64,
    /// For a fresh database, the roll-ups during and after generation; for a kept one, the
    /// last roll-up that found work (after a migration reset).
    pub rollup_seconds: f64,
    pub rolled_visitor_days: u64,
    /// Whether this run made it (or reused a kept one).
    pub fresh: bool,
}

impl Generation {
    fn to_json(&self) -> Value {
        let g = &self.generated;
        json!({
            "format": META_FORMAT,
            "events": self.events,
            "days": self.days,
            "seed": self.seed,
            "now_ms": self.now_ms,
            "site_id": self.site_id,
            "pageviews": g.counts.pageviews,
            "custom": g.counts.custom,
            "outbound": g.counts.outbound,
            "downloads": g.counts.downloads,
            "errors": g.counts.errors,
            "engagement": g.counts.engagement,
            "visits": g.visits,
            "new_visitors": g.new_visitors,
            "generate_seconds": g.seconds,
            "raw_file_bytes": self.raw_file_bytes,
            "rollup_seconds": self.rollup_seconds,
            "rolled_visitor_days": self.rolled_visitor_days,
        })
    }

    fn from_json(value: &Value) -> Result<Self> {
        let uint = |key: &str| {
            value[key]
                .as_u64()
                .with_context(|| format!("{key} is missing"))
        };
        let float = |key: &str| {
            value[key]
                .as_f64()
                .with_context(|| format!("{key} is missing"))
        };
        if uint("format")? != META_FORMAT {
            bail!("written by another version of the benchmark");
        }
        let mut generated = Generated {
            visits: uint("visits")?,
            new_visitors: uint("new_visitors")?,
            seconds: float("generate_seconds")?,
            ..Generated::default()
        };
        let counts = &mut generated.counts;
        counts.pageviews = uint("pageviews")?;
        counts.custom = uint("custom")?;
        counts.outbound = uint("outbound")?;
        counts.downloads = uint("downloads")?;
        counts.errors = uint("errors")?;
        counts.engagement = uint("engagement")?;
        Ok(Self {
            events: uint("events")?,
            days: u32::try_from(uint("days")?)?,
            seed: uint("seed")?,
            now_ms: value["now_ms"].as_i64().context("now_ms is missing")?,
            site_id: value["site_id"].as_i64().context("site_id is missing")?,
            generated,
            raw_file_bytes: uint("raw_file_bytes")?,
            rollup_seconds: float("rollup_seconds")?,
            // Absent from files written before rollups were kept per visitor-day.
            rolled_visitor_days: value["rolled_visitor_days"].as_u64().unwrap_or(0),
            fresh: false,
        })
    }
}

async fn benchmark(cli: Cli) -> Result<ExitCode> {
    if !(1..=200_000_000).contains(&cli.events) {
        bail!("--events must be between 1 and 200000000");
    }
    if !(1..=3_650).contains(&cli.days) {
        bail!("--days must be between 1 and 3650");
    }
    if !(1..=10_000).contains(&cli.reps) {
        bail!("--reps must be between 1 and 10000");
    }
    if !(1..=4_096).contains(&cli.in_flight) {
        bail!("--in-flight must be between 1 and 4096");
    }
    if !(cli.budget > 0.0 && cli.budget <= 3_600.0) {
        bail!("--budget must be more than 0 and at most 3600 seconds");
    }
    if cli.periods.is_empty() || cli.periods.contains(&0) {
        bail!("--periods must list days, e.g. 7,30,90");
    }

    let temporary;
    let dir = match &cli.keep {
        Some(dir) => {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
            dir.clone()
        }
        None => {
            temporary = tempfile::tempdir().context("creating a temporary folder")?;
            temporary.path().to_owned()
        }
    };
    let database = dir.join("skopos.db");
    let calendar = Calendar::new(TIMEZONE);
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "Skopos reports benchmark: {} raw events over {} days (seed {}), {} repetitions, {cores} CPUs",
        cli.events, cli.days, cli.seed, cli.reps
    );
    println!("database: {}", database.display());
    let load_at_start = load_average();
    if let Some(load) = load_at_start {
        println!("load average (1 min) at start: {load:.2}");
    }

    let mut generation = if database.exists() {
        reuse(&dir, &cli)?
    } else {
        generate(&database, &calendar, &cli).await?
    };

    // Opening runs the migrations a kept database may lack, before anything is measured.
    let store = Store::open(&database, Durability::Normal)
        .await
        .context("opening the benchmark database")?;
    roll_up(&store, &mut generation).await?;
    if cli.keep.is_some() {
        let meta = dir.join(META_FILE);
        std::fs::write(&meta, generation.to_json().to_string())
            .with_context(|| format!("writing {}", meta.display()))?;
    }
    let rows = disk::rows(&database).await?;
    let disk = disk::measure(&database, true).await?;
    let mut periods = vec![PeriodScope::new(
        &calendar,
        Period::Today,
        "today",
        generation.now_ms,
    )?];
    for &days in &cli.periods {
        periods.push(PeriodScope::new(
            &calendar,
            Period::LastDays { days },
            &format!("{days}d"),
            generation.now_ms,
        )?);
    }
    let repetitions = Repetitions {
        count: cli.reps,
        budget: Duration::from_secs_f64(cli.budget),
        minimum: 3.min(cli.reps),
    };
    let results = measure_all(&store, &generation, &periods, repetitions).await;
    store.close().await;

    report::print_table(&results, cli.reps);
    report::print_generation(&generation, &rows);
    report::print_disk(&disk, &generation, &rows);
    let load_at_end = load_average();
    if let Some(load) = load_at_end {
        println!("load average (1 min) at end: {load:.2}");
        if load_at_start.unwrap_or(0.0).max(load) > cores as f64 * 0.5 + 1.0 {
            println!(
                "note: other processes were using the CPUs; the timings include their contention"
            );
        }
    }
    report::print_json(
        &results,
        &generation,
        &rows,
        &disk,
        [load_at_start, load_at_end],
    );
    let mut code = ExitCode::SUCCESS;
    if results.iter().any(|row| row.identical == Some(false)) {
        eprintln!("bench-reports: rollups and raw scans gave different answers (see the table)");
        code = ExitCode::FAILURE;
    }
    if results.iter().any(Row::failed) {
        eprintln!("bench-reports: some reports failed (see the errors under the table)");
        code = ExitCode::FAILURE;
    }
    Ok(code)
}

/// A kept database made with the same options.
fn reuse(dir: &Path, cli: &Cli) -> Result<Generation> {
    let meta = dir.join(META_FILE);
    let text = std::fs::read_to_string(&meta).with_context(|| {
        format!(
            "{} has a database but no {META_FILE}: an interrupted run? Delete the folder",
            dir.display()
        )
    })?;
    let value: Value =
        serde_json::from_str(&text).with_context(|| format!("reading {}", meta.display()))?;
    let generation =
        Generation::from_json(&value).with_context(|| format!("reading {}", meta.display()))?;
    if (generation.events, generation.days, generation.seed) != (cli.events, cli.days, cli.seed) {
        bail!(
            "{} holds {} events over {} days with seed {}; use another --keep folder",
            dir.display(),
            generation.events,
            generation.days,
            generation.seed
        );
    }
    println!(
        "reusing the kept database, generated {:.1} hours ago (periods end then)",
        (now_ms() - generation.now_ms) as f64 / 3_600_000.0
    );
    Ok(generation)
}

/// The one-minute load average, where the system tells it (Linux).
fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis() as i64)
}

/// A fresh database: the site and its traffic through the writer.
async fn generate(database: &Path, calendar: &Calendar, cli: &Cli) -> Result<Generation> {
    let now_ms = now_ms();
    let store = Store::open(database, Durability::Normal)
        .await
        .context("creating the benchmark database")?;
    let settings = SiteSettings {
        name: "Benchmark".into(),
        domain: traffic::SITE_DOMAIN.into(),
        allowed_origins: vec![],
        privacy_mode: PrivacyMode::Persistent,
        ip_exclusions: vec![],
        ignore_localhost: true,
        timezone: TIMEZONE.into(),
    };
    let site = store
        .insert_site(
            "bench-reports",
            &settings,
            now_ms - i64::from(cli.days) * DAY_MS,
        )
        .await
        .context("creating the site")?;
    eprintln!("generating traffic through the ingest writer...");
    let plan = Plan {
        events: cli.events,
        days: cli.days,
        now_ms,
        seed: cli.seed,
        in_flight: cli.in_flight,
    };
    let generated = generate::run(&store, site.id, calendar, &plan).await?;
    let raw = disk::measure(database, false).await?;
    store.close().await;
    Ok(Generation {
        events: cli.events,
        days: cli.days,
        seed: cli.seed,
        now_ms,
        site_id: site.id,
        raw_file_bytes: raw.file_bytes,
        rollup_seconds: generated.rollup_seconds,
        rolled_visitor_days: generated.rolled_visitor_days,
        generated,
        fresh: true,
    })
}

/// Has the ingest writer roll up every visitor-day idle when the periods end: the last
/// day of a fresh database (but its last minutes), and whatever a migration reopened in a
/// kept one.
async fn roll_up(store: &Store, generation: &mut Generation) -> Result<()> {
    eprintln!("rolling up idle visitor-days...");
    let (queue, writer) = writer::spawn(store, WriterConfig::default())
        .await
        .context("starting the ingest writer")?;
    let started = Instant::now();
    let rolled = queue
        .roll_up(generation.now_ms)
        .await
        .context("rolling up")?;
    let seconds = started.elapsed().as_secs_f64();
    writer.shutdown().await;
    if generation.fresh {
        generation.rolled_visitor_days += rolled as u64;
        generation.rollup_seconds += seconds;
    } else if rolled > 0 {
        generation.rolled_visitor_days = rolled as u64;
        generation.rollup_seconds = seconds;
    }
    Ok(())
}

async fn measure_all(
    store: &Store,
    generation: &Generation,
    periods: &[PeriodScope],
    repetitions: Repetitions,
) -> Vec<Row> {
    eprintln!("measuring...");
    let mut rows = Vec::new();
    for period in periods {
        let request = Request {
            store,
            site_id: generation.site_id,
            now_ms: generation.now_ms,
            period,
        };
        let widgets = if period.label == "today" {
            vec![Widget::HourlyToday]
        } else {
            Widget::for_periods()
        };
        for widget in widgets {
            let (rollups_answer, rollups) =
                measure::time(&request, widget, Source::Rollups, repetitions).await;
            let (raw_answer, raw) =
                measure::time(&request, widget, Source::RawScan, repetitions).await;
            let identical = match (&raw_answer, &rollups_answer) {
                (Some(raw), Some(rollups)) => Some(raw == rollups),
                _ => None,
            };
            let raw = Some(raw);
            eprintln!(
                "  {} over {}: p50 {} from rollups{}",
                widget.label(),
                period.label,
                rollups.describe_p50(),
                raw.as_ref()
                    .map_or(String::new(), |raw| format!(", {} raw", raw.describe_p50()))
            );
            rows.push(Row {
                widget,
                period: period.label.clone(),
                rollups,
                raw,
                identical,
            });
        }
    }
    rows
}
