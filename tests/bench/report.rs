//! What the benchmark prints: a short table for people, then one JSON line for scripts.

use crate::crash::CrashOutcome;
use crate::throughput::Comparison;

/// The collector should sustain at least this share of the no-op endpoint's rate.
const TARGET_RATIO: f64 = 0.6;

pub fn print_throughput(comparison: &Comparison) {
    println!();
    println!(
        "{:<10} {:>10} {:>8} {:>8} {:>11} {:>11} {:>13} {:>8}",
        "server",
        "events/s",
        "p50 ms",
        "p99 ms",
        "server CPU",
        "client CPU",
        "events/CPU-s",
        "non-204"
    );
    for measurement in [&comparison.noop, &comparison.collector] {
        let percent = |value: Option<f64>| value.map_or("n/a".to_owned(), |v| format!("{v:.0}%"));
        let per_cpu_second = measurement
            .server_cpu_percent
            .filter(|cpu| *cpu > 0.0)
            .map_or("n/a".to_owned(), |cpu| {
                format!("{:.0}", measurement.events_per_second / (cpu / 100.0))
            });
        let refused: u64 = measurement
            .report
            .refusals
            .values()
            .map(|(count, _)| count)
            .sum();
        println!(
            "{:<10} {:>10.0} {:>8.2} {:>8.2} {:>11} {:>11} {:>13} {:>8}",
            if measurement.label == "collector" {
                "collector"
            } else {
                "no-op"
            },
            measurement.events_per_second,
            measurement.report.latency_ms(0.5),
            measurement.report.latency_ms(0.99),
            percent(measurement.server_cpu_percent),
            percent(measurement.client_cpu_percent),
            per_cpu_second,
            refused + measurement.report.transport_errors,
        );
    }
    let ratio = comparison.ratio();
    println!(
        "ratio collector/no-op: {ratio:.2} (target >= {TARGET_RATIO:.2}): {}",
        if ratio >= TARGET_RATIO {
            "PASS"
        } else {
            "BELOW TARGET"
        }
    );
    let persistence = &comparison.persistence;
    println!(
        "collector database after SIGTERM: {} pageviews stored, {} acknowledged with 204: {}",
        persistence.stored,
        persistence.acknowledged,
        if persistence.stored == persistence.acknowledged {
            "OK"
        } else {
            "MISMATCH"
        }
    );
    println!();
}

/// One crash run's line; `durability` is the setting the killed collector ran with.
pub fn print_crash(outcome: &CrashOutcome) {
    let durability = outcome.durability;
    println!(
        "crash ({durability:<6}) acknowledged: {}, stored: {} (of which acknowledged: {}), lost acknowledged: {} (target 0): {}",
        outcome.acknowledged,
        outcome.stored,
        outcome.stored_acknowledged,
        outcome.lost(),
        if outcome.lost() == 0 { "PASS" } else { "FAIL" }
    );
    // Unanswered requests show the kill really hit the server mid-load; those that
    // are stored anyway were committed but not yet acknowledged, which is allowed.
    println!(
        "  requests left unanswered by the kill: {}, refused with a non-204 status: {}",
        outcome.unanswered, outcome.refusals
    );
}

/// The last line of output: every figure, for scripts.
pub fn print_json(comparison: &Comparison, crashes: &[CrashOutcome]) {
    let json = serde_json::json!({
        "noop_eps": comparison.noop.events_per_second.round(),
        "collector_eps": comparison.collector.events_per_second.round(),
        "ratio": round3(comparison.ratio()),
        "noop_p50_ms": round3(comparison.noop.report.latency_ms(0.5)),
        "noop_p99_ms": round3(comparison.noop.report.latency_ms(0.99)),
        "collector_p50_ms": round3(comparison.collector.report.latency_ms(0.5)),
        "collector_p99_ms": round3(comparison.collector.report.latency_ms(0.99)),
        "collector_acknowledged": comparison.persistence.acknowledged,
        "collector_stored": comparison.persistence.stored,
        "crash_acknowledged": crashes.iter().map(|c| c.acknowledged).sum::<u64>(),
        "crash_lost": crashes.iter().map(|c| c.lost()).sum::<u64>(),
        "crash_runs": crashes.iter().map(CrashOutcome::to_json).collect::<Vec<_>>(),
    });
    println!("{json}");
}

fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}
