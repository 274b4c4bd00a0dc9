//! Rollups against raw scans over random histories: for random sites, day ranges,
//! dimensions, hours and filters the two must give identical answers while visitor-days
//! are rolled up during ingestion (and taken back out by returning visitors and late
//! engagement reports), once everything is rolled up, and after a rebuild.

use std::sync::Arc;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use skopos_core::beacon::{ErrorReport, EventKind};
use skopos_core::hit::{Hit, Visit};
use skopos_core::page::Utm;
use skopos_core::period::{date_of_day_number, Calendar, Granularity, Period};
use skopos_core::referrer::Channel;
use skopos_core::report::{Dimension, Filter, FilterOp};
use skopos_core::site::SiteSettings;
use skopos_core::ua::DeviceKind;

use super::*;
use crate::testing;
use crate::writer::{spawn, IngestQueue, WriterConfig, WriterTask};
use crate::Store;

/// 2026-11-01T00:00:00Z
const START: i64 = 1_793_491_200_000;
const DAYS: i64 = 30;
const HOUR: i64 = 3_600_000;

const PATHS: [&str; 6] = ["/", "/pricing", "/blog/a", "/blog/b", "/docs", "/"];
const BROWSERS: [&str; 3] = ["Firefox", "Chrome", "Safari"];
const REFERRERS: [Option<&str>; 3] = [None, Some("news.ycombinator.com"), Some("duckduckgo.com")];
const EVENTS: [&str; 2] = ["signup", "download_app"];

fn pick<T: Copy>(rng: &mut StdRng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

/// Visits on two sites (one in a fractional time zone) over `DAYS` days, from few
/// visitors so that many come back the same day, some with an engagement report long
/// after their visit; every few visits, idle visitor-days are rolled up as they would be
/// in life. The writer is still running.
async fn random_history(
    seed: u64,
) -> (
    Store,
    tempfile::TempDir,
    Vec<(i64, Calendar)>,
    IngestQueue,
    WriterTask,
) {
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
    for _ in 0..300 {
        let (site_id, calendar) = sites[rng.random_range(0..sites.len())];
        let visitor_id = rng.random_range(1..10);
        let at = START + rng.random_range(0..DAYS * 24 * HOUR);
        visits.push((at, site_id, calendar, visitor_id));
    }
    // The writer sees time move forward, as it does in life.
    visits.sort_by_key(|v| v.0);
    let mut late = Vec::new();
    for (index, (at, site_id, calendar, visitor_id)) in visits.into_iter().enumerate() {
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
        if rng.random_bool(0.2) {
            // A tab left open for an hour reports its engagement late.
            late.push(hit(HOUR, "/", EventKind::Engagement { seconds: 3_000 }));
        }
        // Late reports whose time has come go first.
        late.sort_by_key(|hit| std::cmp::Reverse(hit.at_ms));
        while late.last().is_some_and(|hit| hit.at_ms <= at) {
            let hit = late.pop().unwrap();
            queue.submit(vec![hit]).await.unwrap();
        }
        queue.submit(hits).await.unwrap();
        if index % 7 == 0 {
            queue.roll_up(at).await.unwrap();
        }
    }
    for hit in late {
        queue.submit(vec![hit]).await.unwrap();
    }
    (store, dir, sites, queue, task)
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
        // Days, and ranges long enough for weeks and four-week blocks.
        let longest = pick(rng, &[7, 60]);
        let to = from + rng.random_range(0..longest);
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
        let (_, calendar) = sites.iter().find(|(id, _)| *id == site_id).unwrap();
        let day = date_of_day_number(from);
        let span = calendar
            .span(Period::Custom { from: day, to: day }, START)
            .unwrap();
        let hours = calendar.buckets(&span, Granularity::Hour).unwrap();
        assert_eq!(
            store
                .bucket_totals(&scope, &hours, Source::Rollups)
                .await
                .unwrap(),
            store
                .bucket_totals(&scope, &hours, Source::RawScan)
                .await
                .unwrap(),
            "hours: {context}"
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

/// Sessions not rolled up.
async fn unrolled(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE rolled = 0")
        .fetch_one(&store.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn rollups_answer_exactly_like_raw_scans() {
    for seed in [1, 2, 3] {
        let (store, _dir, sites, queue, task) = random_history(seed).await;
        let mut rng = StdRng::seed_from_u64(seed + 100);
        // Rolled up along the way, with the last visitor-days still open.
        let partly = unrolled(&store).await;
        assert!(partly > 0, "seed {seed}: the last visitor-days are open");
        compare_sources(&store, &sites, &mut rng).await;
        let later = START + (DAYS + 3) * 24 * HOUR;
        let rest = queue.roll_up(later).await.unwrap();
        assert!(rest > 0);
        assert_eq!(unrolled(&store).await, 0);
        assert_eq!(
            queue.roll_up(later).await.unwrap(),
            0,
            "nothing is rolled up twice"
        );
        compare_sources(&store, &sites, &mut rng).await;
        let rebuilt = queue.rebuild_rollups(None, later).await.unwrap();
        let visitor_days: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT DISTINCT site_id, visitor_id, day FROM sessions)",
        )
        .fetch_one(&store.pool)
        .await
        .unwrap();
        assert_eq!(rebuilt as i64, visitor_days, "seed {seed}: all rebuilt");
        compare_sources(&store, &sites, &mut rng).await;
        task.shutdown().await;
    }
}

#[tokio::test]
async fn visitor_days_are_rolled_up_once_idle_and_taken_back_out_when_they_change() {
    let (store, _dir, sites, queue, task) = random_history(7).await;
    let last_hit: i64 = sqlx::query_scalar("SELECT MAX(started_at + length_ms) FROM sessions")
        .fetch_one(&store.pool)
        .await
        .unwrap();
    queue.roll_up(last_hit + 10 * 60_000).await.unwrap();
    assert!(unrolled(&store).await > 0, "active visitor-days wait");
    queue
        .roll_up(last_hit + ROLL_UP_AFTER_MS + 1)
        .await
        .unwrap();
    assert_eq!(unrolled(&store).await, 0);

    // The last visitor comes back the same day: their visitor-day is taken back out of
    // the rollups in the transaction that stores the new session.
    let (site_id, visitor_id, day, started_at): (i64, i64, i32, i64) = sqlx::query_as(
        "SELECT site_id, visitor_id, day, started_at FROM sessions ORDER BY started_at + length_ms DESC LIMIT 1",
    )
    .fetch_one(&store.pool)
    .await
    .unwrap();
    let (_, calendar) = sites.iter().find(|(id, _)| *id == site_id).unwrap();
    let back = last_hit + ROLL_UP_AFTER_MS + 2;
    assert_eq!(calendar.day_number(back), day, "still the same local day");
    let visit = Arc::new(Visit {
        referrer_host: None,
        channel: Channel::Direct,
        utm: Utm::default(),
        browser: Some("Firefox".into()),
        browser_version: None,
        os: None,
        device: DeviceKind::Mobile,
        country: None,
        region: None,
        language: None,
        screen: None,
        day,
    });
    let hit = Hit {
        site_id,
        visitor_id,
        at_ms: back,
        path: "/again".into(),
        visit,
        kind: EventKind::Pageview,
    };
    queue.submit(vec![hit]).await.unwrap();
    let open: Vec<i64> = sqlx::query_scalar(
        "SELECT started_at FROM sessions WHERE site_id = ? AND visitor_id = ? AND day = ? \
         AND rolled = 0 ORDER BY started_at",
    )
    .bind(site_id)
    .bind(visitor_id)
    .bind(day)
    .fetch_all(&store.pool)
    .await
    .unwrap();
    assert_eq!(open.len(), 2, "both sessions of the visitor-day are open");
    assert_eq!(open[0], started_at);
    assert_eq!(unrolled(&store).await, 2, "and nothing else");
    let mut rng = StdRng::seed_from_u64(8);
    compare_sources(&store, &sites, &mut rng).await;
    task.shutdown().await;
}
