//! Synthetic traffic through the real group-commit writer: day by day, visits in time
//! order, each visit's hits one submit, many submits in flight.
//!
//! Every day gets a share of the events by weekday, a slow growth over the period and
//! some noise; within a day visits follow the hours of a European site. About a third of
//! visits come from returning visitors (older ones return more often), so visitors come
//! back on several days. One seeded generator draws everything, so a seed gives the same
//! traffic relative to "now" (the start of the run cuts today's hours and sets the days).

use std::time::Instant;

use anyhow::{Context, Result};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use skopos_core::period::{date_of_day_number, Calendar, Granularity, Span};
use skopos_store::writer::{self, WriterConfig};
use skopos_store::Store;
use tokio::task::JoinSet;

use crate::traffic::{Counts, Profile, Site, Weighted};

/// What to generate.
pub struct Plan {
    /// Stored raw events (pageviews, custom events, outbound clicks, downloads, errors).
    pub events: u64,
    pub days: u32,
    /// The end of the generated traffic; the last day is today, cut at this instant.
    pub now_ms: i64,
    pub seed: u64,
    /// Submits (visits) waiting for the writer at once.
    pub in_flight: usize,
}

/// What was generated and how long feeding the writer took.
#[derive(Debug, Clone, Copy, Default)]
pub struct Generated {
    pub counts: Counts,
    pub visits: u64,
    pub new_visitors: u64,
    /// Writing the traffic, roll-ups not included.
    pub seconds: f64,
    /// The roll-ups after each day, as the app rolls up idle visitor-days every minute.
    pub rolled_visitor_days: u64,
    pub rollup_seconds: f64,
}

/// Local hours of the day, by traffic.
#[rustfmt::skip]
const HOURLY: [f64; 24] = [
    2.0, 1.4, 1.0, 0.8, 0.8, 1.1, 2.0, 3.6, 5.6, 7.0, 7.6, 7.8,
    7.2, 7.4, 7.8, 7.6, 7.0, 6.2, 5.4, 5.2, 5.0, 4.4, 3.5, 2.6,
];
/// Monday first.
const WEEKDAYS: [f64; 7] = [1.0, 1.06, 1.05, 1.02, 0.94, 0.68, 0.64];
/// Visits made by someone who visited on an earlier day.
const RETURNING_SHARE: f64 = 0.35;
/// Past visitors remembered for returning visits.
const POOL_CAP: usize = 500_000;

/// One local day: its hours (cut at "now" for today) and its share of the traffic.
struct Day {
    number: i32,
    /// `[from, to)` of each hour still open.
    hours: Vec<(i64, i64)>,
    pick: Option<Weighted>,
    weight: f64,
}

fn day(calendar: &Calendar, number: i32, position: f64, plan: &Plan, noise: f64) -> Result<Day> {
    let date = date_of_day_number(number);
    let bounds = calendar
        .buckets(
            &Span {
                first: date,
                last: date,
            },
            Granularity::Hour,
        )
        .context("hours of a day")?;
    let mut hours = Vec::new();
    let mut weights = Vec::new();
    for (index, pair) in bounds.windows(2).enumerate() {
        let (from, to) = (pair[0], pair[1].min(plan.now_ms));
        if from >= to {
            continue;
        }
        let open = (to - from) as f64 / (pair[1] - pair[0]) as f64;
        hours.push((from, to));
        weights.push(HOURLY[index % 24] * open);
    }
    let weekday = WEEKDAYS[(number + 3).rem_euclid(7) as usize];
    let growth = 1.0 + 0.5 * position;
    let weight = weights.iter().sum::<f64>() * weekday * growth * noise;
    Ok(Day {
        number,
        pick: (weight > 0.0).then(|| Weighted::new(weights)),
        hours,
        weight,
    })
}

pub async fn run(
    store: &Store,
    site_id: i64,
    calendar: &Calendar,
    plan: &Plan,
) -> Result<Generated> {
    let mut rng = StdRng::seed_from_u64(plan.seed);
    let site = Site::new(&mut rng);
    let today = calendar.day_number(plan.now_ms);
    let days: Vec<Day> = (0..plan.days)
        .map(|index| {
            let number = today - (plan.days - 1 - index) as i32;
            let position = f64::from(index) / f64::from(plan.days.max(2) - 1);
            day(calendar, number, position, plan, rng.random_range(0.9..1.1))
        })
        .collect::<Result<_>>()?;
    let total_weight: f64 = days.iter().map(|d| d.weight).sum();

    let (queue, writer) = writer::spawn(store, WriterConfig::default())
        .await
        .context("starting the ingest writer")?;
    let started = Instant::now();
    let mut generated = Generated::default();
    let mut pool: Vec<Profile> = Vec::new();
    let mut in_flight = JoinSet::new();
    let mut cumulative = 0.0;
    let mut previous_target = 0;
    let mut last_progress = Instant::now();
    for (index, day) in days.iter().enumerate() {
        cumulative += day.weight;
        let target = (plan.events as f64 * cumulative / total_weight).round() as u64;
        let budget = target - previous_target;
        previous_target = target;
        let Some(pick) = &day.pick else { continue };

        let mut visits = Vec::new();
        let mut newcomers = Vec::new();
        let mut events = 0;
        while events < budget {
            let (from, to) = day.hours[pick.sample(&mut rng)];
            let start = rng.random_range(from..to);
            let profile = if !pool.is_empty() && rng.random_bool(RETURNING_SHARE) {
                // The loyal few, early in the pool, return most often.
                pool[(pool.len() as f64 * rng.random::<f64>().powi(3)) as usize].clone()
            } else {
                let profile = site.new_visitor(&mut rng);
                newcomers.push(profile.clone());
                profile
            };
            let (hits, counts) =
                site.visit(&mut rng, site_id, &profile, start, day.number, plan.now_ms);
            events += counts.stored_events();
            generated.counts.add(&counts);
            generated.visits += 1;
            visits.push((start, hits));
        }
        generated.new_visitors += newcomers.len() as u64;
        for profile in newcomers {
            if pool.len() < POOL_CAP {
                pool.push(profile);
            } else {
                let slot = rng.random_range(0..pool.len());
                pool[slot] = profile;
            }
        }

        // The writer sees time move forward, as it does in life.
        visits.sort_by_key(|(start, _)| *start);
        for (_, hits) in visits {
            while in_flight.len() >= plan.in_flight {
                finish_one(&mut in_flight).await?;
            }
            let queue = queue.clone();
            in_flight.spawn(async move { queue.submit(hits).await });
        }
        // The app rolls up idle visitor-days every minute, so the unrolled ones stay few
        // (and so does the partial index of them); here, once each day's traffic is in.
        while !in_flight.is_empty() {
            finish_one(&mut in_flight).await?;
        }
        let day_end = day.hours.last().map_or(plan.now_ms, |&(_, end)| end);
        let rolling = Instant::now();
        generated.rolled_visitor_days += queue
            .roll_up(day_end.min(plan.now_ms))
            .await
            .context("rolling up")? as u64;
        generated.rollup_seconds += rolling.elapsed().as_secs_f64();
        if last_progress.elapsed().as_secs() >= 10 || index + 1 == days.len() {
            last_progress = Instant::now();
            let elapsed = started.elapsed().as_secs_f64();
            eprintln!(
                "  generated day {}/{}: {} events in {elapsed:.0} s ({:.0} events/s)",
                index + 1,
                days.len(),
                generated.counts.stored_events(),
                generated.counts.stored_events() as f64 / elapsed.max(1e-9)
            );
        }
    }
    while !in_flight.is_empty() {
        finish_one(&mut in_flight).await?;
    }
    writer.shutdown().await;
    generated.seconds = started.elapsed().as_secs_f64() - generated.rollup_seconds;
    Ok(generated)
}

async fn finish_one(
    in_flight: &mut JoinSet<Result<(), skopos_store::writer::SubmitError>>,
) -> Result<()> {
    if let Some(joined) = in_flight.join_next().await {
        joined
            .context("a submit task failed")?
            .context("the writer refused a visit")?;
    }
    Ok(())
}
