//! The crash run: load a fresh collector, SIGKILL it mid-load, and check that every beacon
//! it acknowledged with 204 is in the database afterwards.
//!
//! A 204 promises that the beacon's hits are committed; a killed process loses its memory
//! but not what SQLite committed to the WAL, so the target is zero lost acknowledgements
//! for both durability settings (`full` additionally survives power loss, untested here).

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::collector::{self, CollectorSetup};
use crate::load::{self, LoadPlan};
use crate::{db, Options};

const CRASH_PATH_PREFIX: &str = "/crash/";
/// How long the load may continue after the kill; workers stop as soon as connections fail.
const AFTER_KILL_GRACE: Duration = Duration::from_secs(5);

/// What one crash run found.
pub struct CrashOutcome {
    pub durability: &'static str,
    pub acknowledged: u64,
    pub stored: u64,
    pub stored_acknowledged: u64,
    pub refusals: u64,
    /// Requests that were in flight when the server died.
    pub unanswered: u64,
}

impl CrashOutcome {
    pub fn lost(&self) -> u64 {
        self.acknowledged - self.stored_acknowledged
    }

    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "durability": self.durability,
            "acknowledged": self.acknowledged,
            "stored": self.stored,
            "stored_acknowledged": self.stored_acknowledged,
            "lost": self.lost(),
            "unanswered": self.unanswered,
        })
    }
}

pub async fn run(
    options: &Options,
    server_bin: &Path,
    durability: &'static str,
) -> Result<CrashOutcome> {
    let mut running = collector::start_collector(&CollectorSetup {
        server_bin,
        durability,
        max_batch_wait_ms: options.max_batch_wait_ms,
        keep_data: options.keep_data,
    })?;
    let database = running
        .process
        .database_path()
        .context("the collector has a data folder")?;
    let plan = LoadPlan {
        target: running.process.address,
        tracking_id: running.tracking_id.clone(),
        connections: options.connections,
        warmup: Duration::ZERO,
        measure: options.crash_after + AFTER_KILL_GRACE,
        path_prefix: CRASH_PATH_PREFIX,
        record_acknowledged: true,
    };
    let load = tokio::spawn(load::run(plan));
    tokio::time::sleep(options.crash_after).await;
    // The load is still running here, so requests are in flight and batches half-written.
    running.process.kill_hard()?;
    let report = load.await.context("the crash load task panicked")??;

    let stored = db::stored_numbers(&database, CRASH_PATH_PREFIX).await?;
    let stored_acknowledged = report
        .acknowledged_numbers
        .iter()
        .filter(|number| stored.contains(number))
        .count() as u64;
    let outcome = CrashOutcome {
        durability,
        acknowledged: report.acknowledged,
        stored: stored.len() as u64,
        stored_acknowledged,
        refusals: report.refusals.values().map(|(count, _)| count).sum(),
        unanswered: report.unanswered,
    };
    if outcome.lost() > 0 {
        let missing: Vec<_> = report
            .acknowledged_numbers
            .iter()
            .filter(|number| !stored.contains(number))
            .take(10)
            .collect();
        eprintln!("  LOST ({durability}): e.g. acknowledged numbers {missing:?} are not stored");
    }
    for (status, (count, reason)) in &report.refusals {
        eprintln!("  note ({durability}): {count} answers with status {status}: {reason}");
    }
    Ok(outcome)
}
