//! Report queries over a small hand-made history whose answers are worked out by hand.

use std::sync::Arc;

use skopos_core::beacon::{ErrorReport, EventKind};
use skopos_core::hit::{Hit, Visit};
use skopos_core::page::Utm;
use skopos_core::referrer::Channel;
use skopos_core::report::{Dimension, Filter, FilterOp, Totals};
use skopos_core::site::SiteSettings;
use skopos_core::ua::DeviceKind;

use super::*;
use crate::testing;
use crate::writer::{spawn, WriterConfig};
use crate::Store;

/// 2026-12-03T00:00:00Z, local day 20790 in UTC.
const T0: i64 = 1_796_256_000_000;
const DAY: i32 = 20_790;
const HOUR: i64 = 3_600_000;

fn visit(browser: &str, referrer: Option<&str>, day: i32) -> Arc<Visit> {
    Arc::new(Visit {
        referrer_host: referrer.map(Into::into),
        channel: if referrer.is_some() {
            Channel::Social
        } else {
            Channel::Direct
        },
        utm: Utm {
            source: referrer.map(|_| "hn".into()),
            ..Utm::default()
        },
        browser: Some(browser.into()),
        browser_version: None,
        os: Some("Linux".into()),
        device: DeviceKind::Desktop,
        country: Some("DE".into()),
        region: None,
        language: Some("de".into()),
        screen: None,
        day,
    })
}

fn hit(visitor_id: i64, at_ms: i64, path: &str, kind: EventKind, visit: &Arc<Visit>) -> Hit {
    Hit {
        site_id: 1,
        visitor_id,
        at_ms,
        path: path.into(),
        visit: Arc::clone(visit),
        kind,
    }
}

/// Day 1: visitor 1 has session A (/, /pricing, signup; 90 s) and, after a break,
/// session B (/ only); visitor 2 has session C (/ with 30 visible seconds, direct, Chrome).
/// Day 2: visitor 3 has session D (/blog) with an error reported twice.
async fn history() -> (Store, tempfile::TempDir) {
    let (store, dir) = testing::store().await;
    let settings = SiteSettings {
        name: "Shop".into(),
        domain: "shop.example".into(),
        allowed_origins: vec![],
        privacy_mode: Default::default(),
        ip_exclusions: vec![],
        ignore_localhost: true,
        timezone: "UTC".into(),
    };
    store.insert_site("shop", &settings, 0).await.unwrap();
    let firefox = visit("Firefox", Some("news.ycombinator.com"), DAY);
    let chrome = visit("Chrome", None, DAY);
    let next_day = visit("Firefox", Some("news.ycombinator.com"), DAY + 1);
    let error = ErrorReport {
        message: "boom".into(),
        stack: None,
        source: None,
        line: None,
        column: None,
        count: 2,
        breadcrumbs: None,
    };
    let (queue, task) = spawn(&store, WriterConfig::default()).await.unwrap();
    for hits in [
        vec![
            hit(1, T0 + HOUR, "/", EventKind::Pageview, &firefox),
            hit(
                1,
                T0 + HOUR + 60_000,
                "/pricing",
                EventKind::Pageview,
                &firefox,
            ),
        ],
        vec![hit(
            1,
            T0 + HOUR + 90_000,
            "/pricing",
            EventKind::Custom {
                name: "signup".into(),
                props: None,
            },
            &firefox,
        )],
        vec![
            hit(2, T0 + 2 * HOUR, "/", EventKind::Pageview, &chrome),
            hit(
                2,
                T0 + 2 * HOUR,
                "/",
                EventKind::Engagement { seconds: 30 },
                &chrome,
            ),
        ],
        vec![hit(1, T0 + 5 * HOUR, "/", EventKind::Pageview, &firefox)],
        vec![
            hit(3, T0 + 25 * HOUR, "/blog", EventKind::Pageview, &next_day),
            hit(
                3,
                T0 + 25 * HOUR,
                "/blog",
                EventKind::Error(error),
                &next_day,
            ),
        ],
    ] {
        queue.submit(hits).await.unwrap();
    }
    task.shutdown().await;
    (store, dir)
}

fn scope(filters: &[Filter], days: i32) -> Scope<'_> {
    Scope {
        site_id: 1,
        first_day: DAY,
        last_day: DAY + days - 1,
        filters,
    }
}

fn filter(dimension: Dimension, op: FilterOp, value: &str) -> Filter {
    Filter {
        dimension,
        op,
        value: value.into(),
    }
}

#[tokio::test]
async fn totals_count_daily_visitors_sessions_and_their_quality() {
    let (store, _dir) = history().await;
    assert_eq!(
        store.totals(&scope(&[], 1), Source::RawScan).await.unwrap(),
        Totals {
            visitors: 2,
            sessions: 3,
            pageviews: 4,
            events: 1,
            bounces: 2,
            engaged: 2,
            duration_seconds: 120,
            errors: 0,
        }
    );
    let both = store.totals(&scope(&[], 2), Source::RawScan).await.unwrap();
    assert_eq!((both.visitors, both.sessions, both.errors), (3, 4, 2));
    let days = store
        .daily_totals(&scope(&[], 2), Source::RawScan)
        .await
        .unwrap();
    assert_eq!(
        days.iter().map(|d| d.day).collect::<Vec<_>>(),
        [DAY, DAY + 1]
    );
    assert_eq!(days[1].totals.pageviews, 1);

    let bounds: Vec<i64> = (0..=24).map(|h| T0 + h * HOUR).collect();
    let hours = store.bucket_totals(&scope(&[], 1), &bounds).await.unwrap();
    assert_eq!(hours.len(), 24);
    let sessions: Vec<i64> = hours.iter().map(|t| t.sessions).collect();
    assert_eq!(&sessions[..6], [0, 1, 1, 0, 0, 1]);
}

#[tokio::test]
async fn filters_pick_sessions_and_combine() {
    let (store, _dir) = history().await;
    let sessions = |filters: Vec<Filter>| {
        let store = store.clone();
        async move {
            store
                .totals(&scope(&filters, 2), Source::RawScan)
                .await
                .unwrap()
                .sessions
        }
    };
    use Dimension::*;
    use FilterOp::*;
    assert_eq!(sessions(vec![filter(Browser, Is, "Chrome")]).await, 1);
    assert_eq!(sessions(vec![filter(Browser, IsNot, "Chrome")]).await, 3);
    assert_eq!(sessions(vec![filter(Page, Is, "/pricing")]).await, 1);
    // Sessions that viewed some page other than `/`: A and D.
    assert_eq!(sessions(vec![filter(Page, IsNot, "/")]).await, 2);
    assert_eq!(sessions(vec![filter(Referrer, Is, "")]).await, 1, "direct");
    assert_eq!(sessions(vec![filter(Referrer, IsNot, "")]).await, 3);
    assert_eq!(sessions(vec![filter(UtmSource, Contains, "H")]).await, 3);
    assert_eq!(sessions(vec![filter(Event, Is, "signup")]).await, 1);
    assert_eq!(sessions(vec![filter(Country, Is, "FR")]).await, 0);
    assert_eq!(
        sessions(vec![
            filter(Browser, Is, "Firefox"),
            filter(Page, Is, "/"),
            filter(ExitPage, IsNot, "/pricing"),
        ])
        .await,
        1,
        "only B"
    );
    // Hostile values are values, not SQL.
    assert_eq!(sessions(vec![filter(Page, Is, "' OR 1=1 --")]).await, 0);
    assert_eq!(sessions(vec![filter(Page, Contains, "%")]).await, 0);
}

#[tokio::test]
async fn breakdowns_rank_values_with_their_share() {
    let (store, _dir) = history().await;
    let pages = store
        .breakdown(&scope(&[], 1), Dimension::Page, 0, 10, Source::RawScan)
        .await
        .unwrap();
    let summary: Vec<_> = pages
        .rows
        .iter()
        .map(|r| {
            (
                r.value.as_deref().unwrap(),
                r.totals.visitors,
                r.totals.sessions,
                r.totals.pageviews,
            )
        })
        .collect();
    assert_eq!(summary, [("/", 2, 3, 3), ("/pricing", 1, 1, 1)]);
    assert_eq!(pages.rows[0].share, 1.0);
    assert_eq!(pages.rows[1].share, 0.5);

    let browsers = store
        .breakdown(&scope(&[], 2), Dimension::Browser, 0, 10, Source::RawScan)
        .await
        .unwrap();
    let summary: Vec<_> = browsers
        .rows
        .iter()
        .map(|r| {
            (
                r.value.as_deref().unwrap(),
                r.totals.visitors,
                r.totals.sessions,
                r.totals.errors,
            )
        })
        .collect();
    assert_eq!(summary, [("Firefox", 2, 3, 2), ("Chrome", 1, 1, 0)]);

    let referrers = store
        .breakdown(&scope(&[], 1), Dimension::Referrer, 0, 10, Source::RawScan)
        .await
        .unwrap();
    assert_eq!(
        referrers.rows[1].value, None,
        "direct visits have no referrer"
    );

    let events = store
        .breakdown(&scope(&[], 1), Dimension::Event, 0, 10, Source::RawScan)
        .await
        .unwrap();
    assert_eq!(events.rows.len(), 1);
    assert_eq!(events.rows[0].value.as_deref(), Some("signup"));
    assert_eq!(
        (events.rows[0].totals.events, events.rows[0].totals.visitors),
        (1, 1)
    );

    let page = store
        .breakdown(&scope(&[], 2), Dimension::Page, 1, 1, Source::RawScan)
        .await
        .unwrap();
    assert_eq!((page.total_rows, page.offset, page.rows.len()), (3, 1, 1));
}
