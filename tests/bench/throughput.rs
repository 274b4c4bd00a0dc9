//! The throughput comparison: the same load against the no-op baseline, then against the
//! real collector, with the CPU each side used while measuring.
//!
//! With two cores the load generator and the server share the CPU, so raw events/s depend
//! on the machine; the ratio collector/no-op and the server's CPU share are what compare.

use std::path::Path;
use std::time::Duration;

use anyhow::{bail, Context, Result};

use crate::collector::{self, CollectorSetup};
use crate::load::{self, LoadPlan, LoadReport};
use crate::server::{self, ServerProcess};
use crate::{db, Options};

const THROUGHPUT_PATH_PREFIX: &str = "/p/";

/// One server's figures.
pub struct Measurement {
    pub label: &'static str,
    pub report: LoadReport,
    pub events_per_second: f64,
    /// CPU used during the measurement window, in percent of one core (like `top`).
    pub server_cpu_percent: Option<f64>,
    pub client_cpu_percent: Option<f64>,
}

/// The collector's extra check: what it stored against what it acknowledged.
pub struct Persistence {
    pub acknowledged: u64,
    pub stored: u64,
}

pub struct Comparison {
    pub noop: Measurement,
    pub collector: Measurement,
    pub persistence: Persistence,
}

impl Comparison {
    pub fn ratio(&self) -> f64 {
        self.collector.events_per_second / self.noop.events_per_second
    }
}

pub async fn run(options: &Options, server_bin: &Path) -> Result<Comparison> {
    // The site is created first so the no-op server receives byte-for-byte the same body.
    let prepared = collector::prepare_collector(&CollectorSetup {
        server_bin,
        durability: "normal",
        max_batch_wait_ms: options.max_batch_wait_ms,
        keep_data: options.keep_data,
    })?;
    let tracking_id = prepared.tracking_id.clone();

    let mut noop = server::start_noop()?;
    let noop_measurement = measure(options, &noop, &tracking_id).await?;
    let status = noop.stop_gracefully().await?;
    if !status.success() && status.code().is_some() {
        eprintln!("  note: the no-op server exited with {status}");
    }

    let mut running = prepared.serve()?;
    let collector_measurement = measure(options, &running.process, &tracking_id).await;
    let collector_measurement = match collector_measurement {
        Ok(measurement) => measurement,
        Err(error) => return Err(with_log_hint(error, &running.process)),
    };
    let status = running.process.stop_gracefully().await?;
    if !status.success() {
        eprintln!("  WARNING: the collector exited with {status} after SIGTERM");
    }
    let database = running
        .process
        .database_path()
        .context("the collector has a data folder")?;
    let persistence = Persistence {
        acknowledged: collector_measurement.report.acknowledged,
        stored: db::count_pageviews(&database, THROUGHPUT_PATH_PREFIX).await?,
    };
    Ok(Comparison {
        noop: noop_measurement,
        collector: collector_measurement,
        persistence,
    })
}

async fn measure(
    options: &Options,
    server: &ServerProcess,
    tracking_id: &str,
) -> Result<Measurement> {
    let plan = LoadPlan {
        target: server.address,
        tracking_id: tracking_id.to_owned(),
        connections: options.connections,
        warmup: options.warmup,
        measure: options.measure,
        path_prefix: THROUGHPUT_PATH_PREFIX,
        record_acknowledged: false,
    };
    let load = tokio::spawn(load::run(plan));
    // CPU is sampled at the window's edges; the load task started a few microseconds ago.
    tokio::time::sleep(options.warmup).await;
    let before = CpuSample::take(server.pid());
    tokio::time::sleep(options.measure).await;
    let after = CpuSample::take(server.pid());
    let report = load.await.context("the load task panicked")??;
    if report.measured_ok == 0 {
        bail!(
            "no request to the {} succeeded (refusals {:?}, transport errors {}: {})",
            server.label,
            report.refusals,
            report.transport_errors,
            report.first_transport_error.as_deref().unwrap_or("none")
        );
    }
    for (status, (count, reason)) in &report.refusals {
        eprintln!(
            "  note ({}): {count} answers with status {status}: {reason}",
            server.label
        );
    }
    let (server_cpu_percent, client_cpu_percent) = match (before, after) {
        (Some(before), Some(after)) => {
            let (server, client) = before.percent_until(&after, options.measure);
            (Some(server), Some(client))
        }
        _ => (None, None),
    };
    Ok(Measurement {
        label: server.label,
        events_per_second: report.measured_ok as f64 / options.measure.as_secs_f64(),
        report,
        server_cpu_percent,
        client_cpu_percent,
    })
}

fn with_log_hint(error: anyhow::Error, server: &ServerProcess) -> anyhow::Error {
    match server
        .log_path()
        .and_then(|path| std::fs::read_to_string(path).ok())
    {
        Some(log) => {
            let tail: Vec<&str> = log.lines().rev().take(20).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            error.context(format!("collector log (last lines):\n{}", tail.join("\n")))
        }
        None => error,
    }
}

/// CPU time (user + system) of the server and of this process, from `/proc` (Linux only;
/// elsewhere the figures are simply not shown).
struct CpuSample {
    server: Duration,
    client: Duration,
}

impl CpuSample {
    fn take(server_pid: u32) -> Option<Self> {
        Some(Self {
            server: process_cpu_time(&format!("/proc/{server_pid}/stat"))?,
            client: process_cpu_time("/proc/self/stat")?,
        })
    }

    fn percent_until(&self, later: &Self, wall: Duration) -> (f64, f64) {
        let percent = |from: Duration, to: Duration| {
            100.0 * to.saturating_sub(from).as_secs_f64() / wall.as_secs_f64()
        };
        (
            percent(self.server, later.server),
            percent(self.client, later.client),
        )
    }
}

#[cfg(target_os = "linux")]
fn process_cpu_time(stat_path: &str) -> Option<Duration> {
    let stat = std::fs::read_to_string(stat_path).ok()?;
    // The command name (field 2) is in parentheses and may contain spaces, so fields are
    // counted from the last ')': utime and stime are fields 14 and 15 of the whole line.
    let after_name = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let user: u64 = fields.get(11)?.parse().ok()?;
    let system: u64 = fields.get(12)?.parse().ok()?;
    let ticks_per_second = rustix::param::clock_ticks_per_second();
    Some(Duration::from_secs_f64(
        (user + system) as f64 / ticks_per_second as f64,
    ))
}

#[cfg(not(target_os = "linux"))]
fn process_cpu_time(_stat_path: &str) -> Option<Duration> {
    None
}
