//! Rollups against raw scans over random histories: for random sites, day ranges,
//! dimensions and filters the two must give identical answers, before and after days are
//! rolled up, and after a rebuild.

use std::sync::Arc;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use skopos_core::beacon::{ErrorReport, EventKind};
use skopos_core::hit::{Hit, Visit};
use skopos_core::page::Utm;
use skopos_core::period::Calendar;
use skopos_core::referrer::Channel;
use skopos_core::report::{Dimension, Filter, FilterOp};
use skopos_core::site::SiteSettings;
use skopos_core::ua::DeviceKind;

use super::*;
use crate::testing;
use crate::writer::{spawn, WriterConfig};
use crate::Store;

/// 2026-11-01T00:00:00Z
const START: i64 = 1_793_491_200_000;
const DAYS: i64 = 12;
const HOUR: i64 = 3_600_000;

const PATHS: [&str; 6] = ["/", "/pricing", "/blog/a", "/blog/b", "/docs", "/"];
const BROWSERS: [&str; 3] = ["Firefox", "Chrome", "Safari"];
const REFERRERS: [Option<&str>; 3] = [None, Some("news.ycombinator.com"), Some("duckduckgo.com")];
const EVENTS: [&str; 2] = ["signup", "download_app"];

fn pick<T: Copy>(rng: &mut StdRng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

/// Visits on two sites (one in a fractional time zone) over `DAYS` days.
async fn random_history(seed: u64) -> (Store, tempfile::TempDir, Vec<(i64, Calendar)>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let (store, dir) = testing::store().await;
    let mut sites = Vec::new();
    for (name, timezone) in [("a", "UTC"), ("b", "Asia/Kolkata")] {
        let settings = SiteSettings {
            name: name.into(),
            domain: format!("{name}.example"),
            allowed_origins: vec![],
            privacy_mode: Default::default(),
            ip_exclusions: vec![],
            ignore_localhost: true,
            timezone: timezone.into(),
        };
        let site = store.insert_site(name, &settings, 0).await.unwrap();
        sites.push((site.id, Calendar::new(timezone)));
    }
    let (queue, task) = spawn(&store, WriterConfig::default()).await.unwrap();
    let mut visits = Vec::new();
    for _ in 0..160 {
        let (site_id, calendar) = sites[rng.random_range(0..sites.len())];
        let visitor_id = rng.random_range(1..40);
        let at = START + rng.random_range(0..DAYS * 24 * HOUR);
        visits.push((at, site_id, calendar, visitor_id));
    }
    // The writer sees time move forward, as it does in life.
    visits.sort_by_key(|v| v.0);
    for (at, site_id, calendar, visitor_id) in visits {
        let referrer = pick(&mut rng, &REFERRERS);
        let visit = Arc::new(Visit {
            referrer_host: referrer.map(Into::into),
            channel: if referrer.is_some() {
                Channel::Referral
            } else {
                Channel::Direct
            },
            utm: Utm::default(),
            browser: Some(pick(&mut rng, &BROWSERS).into()),
            browser_version: None,
            os: Some("Linux".into()),
            device: DeviceKind::Desktop,
            country: Some(pick(&mut rng, &["DE", "FR", "IN"]).into()),
            region: None,
            language: None,
            screen: None,
            day: calendar.day_number(at),
        });
        let hit = |offset: i64, path: &str, kind: EventKind| Hit {
            site_id,
            visitor_id,
            at_ms: at + offset,
            path: path.into(),
            visit: Arc::clone(&visit),
            kind,
        };
        let mut hits = Vec::new();
        for step in 0..rng.random_range(1..5_i64) {
            hits.push(hit(
                step * 20_000,
                pick(&mut rng, &PATHS),
                EventKind::Pageview,
            ));
        }
        if rng.random_bool(0.3) {
            let name = pick(&mut rng, &EVENTS).into();
            hits.push(hit(70_000, "/", EventKind::Custom { name, props: None }));
        }
        if rng.random_bool(0.3) {
            let seconds = rng.random_range(1..120);
            hits.push(hit(90_000, "/", EventKind::Engagement { seconds }));
        }
        if rng.random_bool(0.15) {
            let report = ErrorReport {
                message: pick(&mut rng, &["boom", "oops"]).into(),
                stack: None,
                source: None,
                line: None,
                column: None,
                count: rng.random_range(1..4),
                breadcrumbs: None,
            };
            hits.push(hit(
                95_000,
                pick(&mut rng, &PATHS),
                EventKind::Error(report),
            ));
        }
        queue.submit(hits).await.unwrap();
    }
    task.shutdown().await;
    (store, dir, sites)
}

fn random_filters(rng: &mut StdRng) -> Vec<Filter> {
    let mut filters = Vec::new();
    for _ in 0..rng.random_range(0..3) {
        let (dimension, value) = match rng.random_range(0..4) {
            0 => (Dimension::Browser, pick(rng, &BROWSERS).to_owned()),
            1 => (Dimension::Page, pick(rng, &PATHS).to_owned()),
            2 => (
                Dimension::Referrer,
                pick(rng, &REFERRERS).unwrap_or("").to_owned(),
            ),
            _ => (Dimension::Event, pick(rng, &EVENTS).to_owned()),
        };
        let op = pick(rng, &[FilterOp::Is, FilterOp::IsNot, FilterOp::Contains]);
        filters.push(Filter {
            dimension,
            op,
            value,
        });
    }
    filters
}

/// Random queries answered both ways must agree.
async fn compare_sources(store: &Store, sites: &[(i64, Calendar)], rng: &mut StdRng) {
    let first_day = Calendar::new("UTC").day_number(START) - 1;
    for _ in 0..40 {
        let (site_id, _) = sites[rng.random_range(0..sites.len())];
        let from = first_day + rng.random_range(0..DAYS as i32 + 1);
        let to = from + rng.random_range(0..6);
        let filters = random_filters(rng);
        let scope = Scope {
            site_id,
            first_day: from,
            last_day: to,
            filters: &filters,
        };
        let context = format!("site {site_id}, days {from}..={to}, filters {filters:?}");
        assert_eq!(
            store.totals(&scope, Source::Rollups).await.unwrap(),
            store.totals(&scope, Source::RawScan).await.unwrap(),
            "totals: {context}"
        );
        assert_eq!(
            store.daily_totals(&scope, Source::Rollups).await.unwrap(),
            store.daily_totals(&scope, Source::RawScan).await.unwrap(),
            "daily: {context}"
        );
        let dimension = pick(rng, &Dimension::ALL);
        assert_eq!(
            store
                .breakdown(&scope, dimension, 0, 100, Source::Rollups)
                .await
                .unwrap(),
            store
                .breakdown(&scope, dimension, 0, 100, Source::RawScan)
                .await
                .unwrap(),
            "breakdown by {dimension:?}: {context}"
        );
    }
}

#[tokio::test]
async fn rollups_answer_exactly_like_raw_scans() {
    for seed in [1, 2, 3] {
        let (store, _dir, sites) = random_history(seed).await;
        let mut rng = StdRng::seed_from_u64(seed + 100);
        // Nothing rolled up yet, then the older half, then everything.
        compare_sources(&store, &sites, &mut rng).await;
        let half = store
            .roll_up_final_days(START + DAYS / 2 * 24 * HOUR)
            .await
            .unwrap();
        assert!(half > 0, "seed {seed}: some days are final half way");
        compare_sources(&store, &sites, &mut rng).await;
        let rest = store
            .roll_up_final_days(START + (DAYS + 3) * 24 * HOUR)
            .await
            .unwrap();
        assert!(rest > 0);
        assert_eq!(
            store
                .roll_up_final_days(START + (DAYS + 3) * 24 * HOUR)
                .await
                .unwrap(),
            0,
            "a rolled-up day is not rolled up again"
        );
        compare_sources(&store, &sites, &mut rng).await;
        let rebuilt = store
            .rebuild_rollups(None, START + (DAYS + 3) * 24 * HOUR)
            .await
            .unwrap();
        assert_eq!(
            rebuilt,
            half + rest,
            "seed {seed}: every day with sessions is rebuilt"
        );
        compare_sources(&store, &sites, &mut rng).await;
    }
}

#[tokio::test]
async fn days_that_can_still_change_are_not_rolled_up() {
    let (store, _dir, _) = random_history(7).await;
    let last_hit: i64 = sqlx::query_scalar("SELECT MAX(last_seen) FROM sessions")
        .fetch_one(&store.pool)
        .await
        .unwrap();
    // A day later the last sessions can still get a late engagement report.
    store
        .roll_up_final_days(last_hit + 24 * HOUR)
        .await
        .unwrap();
    let unrolled: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE rolled = 0")
        .fetch_one(&store.pool)
        .await
        .unwrap();
    assert!(unrolled > 0);
    store
        .roll_up_final_days(last_hit + 3 * 24 * HOUR)
        .await
        .unwrap();
    let unrolled: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE rolled = 0")
        .fetch_one(&store.pool)
        .await
        .unwrap();
    assert_eq!(unrolled, 0);
}
