//! What the benchmark prints: tables for people, then one JSON line for scripts.

use serde_json::json;

use crate::disk::{Disk, Rows};
use crate::measure::{Timing, Widget};
use crate::Generation;

/// p95 of one widget answered from rollups, at 10 M events.
const WIDGET_TARGET_MS: f64 = 50.0;
/// p95 of the whole overview.
const OVERVIEW_TARGET_MS: f64 = 250.0;
/// File bytes per raw event.
const BYTES_PER_EVENT_TARGET: f64 = 50.0;
/// Tables and indexes listed by size.
const TOP_OBJECTS: usize = 12;

/// One widget over one period.
pub struct Row {
    pub widget: Widget,
    pub period: String,
    /// What the dashboard uses: rollups plus a scan of the sessions not rolled up.
    pub rollups: Timing,
    pub raw: Option<Timing>,
    /// Whether both sources gave the same answer.
    pub identical: Option<bool>,
}

impl Row {
    fn target_ms(&self) -> f64 {
        if self.widget.is_overview() {
            OVERVIEW_TARGET_MS
        } else {
            WIDGET_TARGET_MS
        }
    }

    fn meets_target(&self) -> bool {
        self.rollups.error.is_none() && self.rollups.p95() <= self.target_ms()
    }

    fn speedup(&self) -> Option<f64> {
        self.raw
            .as_ref()
            .filter(|raw| raw.error.is_none() && self.rollups.error.is_none())
            .map(|raw| raw.p50() / self.rollups.p50().max(1e-6))
    }

    /// Whether either source failed to answer.
    pub fn failed(&self) -> bool {
        self.rollups.error.is_some() || self.raw.as_ref().is_some_and(|raw| raw.error.is_some())
    }
}

/// A table cell: milliseconds, or that the series failed.
fn cell(timing: &Timing, p: f64) -> String {
    match timing.error {
        Some(_) => "ERROR".into(),
        None => format!("{:.2}", timing.percentile(p)),
    }
}

fn verdict(pass: bool) -> &'static str {
    if pass {
        "PASS"
    } else {
        "ABOVE TARGET"
    }
}

pub fn print_table(rows: &[Row], reps: usize) {
    println!();
    println!(
        "{:<22} {:>6} {:>9} {:>9} {:>10} {:>10} {:>8} {:>5} {:>7}  target (rollups p95)",
        "widget", "period", "roll p50", "roll p95", "raw p50", "raw p95", "speed-up", "same", "n"
    );
    for row in rows {
        let (raw_p50, raw_p95, raw_n) = match &row.raw {
            Some(raw) => (
                cell(raw, 0.5),
                cell(raw, 0.95),
                raw.samples_ms.len().to_string(),
            ),
            None => ("(scan)".into(), "".into(), "-".into()),
        };
        let n = format!("{}/{raw_n}", row.rollups.samples_ms.len());
        println!(
            "{:<22} {:>6} {:>9} {:>9} {:>10} {:>10} {:>8} {:>5} {:>7}  <= {:.0} ms {}",
            row.widget.label(),
            row.period,
            cell(&row.rollups, 0.5),
            cell(&row.rollups, 0.95),
            raw_p50,
            raw_p95,
            row.speedup().map_or("-".into(), |s| format!("{s:.1}x")),
            match row.identical {
                Some(true) => "yes",
                Some(false) => "NO",
                None => "-",
            },
            n,
            row.target_ms(),
            verdict(row.meets_target()),
        );
    }
    println!(
        "milliseconds; roll = rollups of idle visitor-days + scan of the rest (what the dashboard uses), \
         raw = scan of every session; n = timed repetitions (of {reps}; slow series stop early, \
         n = 1 when one run exceeds --budget); \
         targets apply at 10 M events"
    );
    for row in rows.iter().filter(|row| row.failed()) {
        let sources = [
            ("rollups", Some(&row.rollups)),
            ("raw scan", row.raw.as_ref()),
        ];
        for (source, timing) in sources {
            if let Some(error) = timing.and_then(|t| t.error.as_ref()) {
                println!(
                    "ERROR {} over {} ({source}): {error}",
                    row.widget.label(),
                    row.period
                );
            }
        }
    }
}

pub fn print_generation(generation: &Generation, rows: &Rows) {
    let g = &generation.generated;
    let c = &g.counts;
    println!();
    println!(
        "traffic: {} raw events ({} pageviews, {} custom, {} outbound, {} downloads, {} errors) \
         + {} engagement reports = {} hits; {} visits, {} sessions, {} visitors",
        c.stored_events(),
        c.pageviews,
        c.custom,
        c.outbound,
        c.downloads,
        c.errors,
        c.engagement,
        c.hits(),
        g.visits,
        rows.sessions,
        rows.visitors,
    );
    let origin = if generation.fresh {
        "this run"
    } else {
        "the run that generated the kept database"
    };
    println!(
        "generate: {:.1} s through the writer ({:.0} raw events/s, {:.0} hits/s); \
         roll-up: {} visitor-days in {:.1} s ({:.0} µs each, {} rollup_values rows) [{origin}]",
        g.seconds,
        c.stored_events() as f64 / g.seconds.max(1e-9),
        c.hits() as f64 / g.seconds.max(1e-9),
        generation.rolled_visitor_days,
        generation.rollup_seconds,
        generation.rollup_seconds * 1e6 / (generation.rolled_visitor_days.max(1) as f64),
        rows.rollup_values,
    );
}

fn per_event(bytes: u64, rows: &Rows) -> f64 {
    bytes as f64 / rows.raw_events().max(1) as f64
}

pub fn print_disk(disk: &Disk, generation: &Generation, rows: &Rows) {
    let raw = per_event(generation.raw_file_bytes, rows);
    println!(
        "disk: {:.1} MB after generation = {raw:.1} bytes per raw event (target <= {BYTES_PER_EVENT_TARGET:.0}): {}",
        generation.raw_file_bytes as f64 / 1e6,
        verdict(raw <= BYTES_PER_EVENT_TARGET),
    );
    println!(
        "      {:.1} MB with rollups = {:.1} bytes per raw event ({:.1} MB free pages)",
        disk.file_bytes as f64 / 1e6,
        per_event(disk.file_bytes, rows),
        disk.free_bytes as f64 / 1e6,
    );
    if let Some(objects) = &disk.objects {
        println!(
            "{:<28} {:>10} {:>7} {:>12}",
            "table or index", "MB", "share", "B/raw event"
        );
        let total: u64 = objects.iter().map(|(_, bytes)| bytes).sum();
        for (name, bytes) in objects.iter().take(TOP_OBJECTS) {
            println!(
                "{name:<28} {:>10.1} {:>6.1}% {:>12.1}",
                *bytes as f64 / 1e6,
                *bytes as f64 * 100.0 / total.max(1) as f64,
                per_event(*bytes, rows),
            );
        }
    }
}

fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

pub fn print_json(
    results: &[Row],
    generation: &Generation,
    rows: &Rows,
    disk: &Disk,
    [load_at_start, load_at_end]: [Option<f64>; 2],
) {
    let widgets: Vec<_> = results
        .iter()
        .map(|row| {
            json!({
                "widget": row.widget.label(),
                "period": row.period,
                "rollups_p50_ms": round3(row.rollups.p50()),
                "rollups_p95_ms": round3(row.rollups.p95()),
                "raw_p50_ms": row.raw.as_ref().map(|raw| round3(raw.p50())),
                "raw_p95_ms": row.raw.as_ref().map(|raw| round3(raw.p95())),
                "speedup": row.speedup().map(round3),
                "rollups_reps": row.rollups.samples_ms.len(),
                "raw_reps": row.raw.as_ref().map(|raw| raw.samples_ms.len()),
                "identical": row.identical,
                "rollups_error": row.rollups.error,
                "raw_error": row.raw.as_ref().and_then(|raw| raw.error.clone()),
                "meets_target": row.meets_target(),
            })
        })
        .collect();
    let objects: serde_json::Map<String, serde_json::Value> = disk
        .objects
        .iter()
        .flatten()
        .take(TOP_OBJECTS)
        .map(|(name, bytes)| (name.clone(), json!(bytes)))
        .collect();
    let g = &generation.generated;
    let json = json!({
        "raw_events": rows.raw_events(),
        "hits": g.counts.hits(),
        "visits": g.visits,
        "sessions": rows.sessions,
        "visitors": rows.visitors,
        "generate_s": round3(g.seconds),
        "rollup_s": round3(generation.rollup_seconds),
        "rolled_visitor_days": generation.rolled_visitor_days,
        "raw_file_bytes": generation.raw_file_bytes,
        "bytes_per_raw_event": round3(per_event(generation.raw_file_bytes, rows)),
        "file_bytes_with_rollups": disk.file_bytes,
        "objects": objects,
        "widgets": widgets,
        "load_at_start": load_at_start,
        "load_at_end": load_at_end,
        "all_targets_met": results.iter().all(Row::meets_target)
            && per_event(generation.raw_file_bytes, rows) <= BYTES_PER_EVENT_TARGET,
    });
    println!("{json}");
}
