//! Report queries over a small hand-made history whose answers are worked out by hand.

use std::sync::Arc;

use skopos_core::beacon::{ErrorReport, EventKind, Identity};
use skopos_core::hit::{Hit, Visit};
use skopos_core::page::Utm;
use skopos_core::referrer::Channel;
use skopos_core::report::{Dimension, Filter, FilterOp, Totals};
use skopos_core::site::SiteSettings;
use skopos_core::ua::DeviceKind;

use super::*;
use crate::testing;
use crate::writer::{spawn, Erased, IngestQueue, Subject, WriterConfig, WriterTask};
use crate::{Store, StoreError};

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
/// Day 2: visitor 3 has session D (/blog) with an error reported twice. Visitor 1 is
/// identified as user `u-1`.
async fn history() -> (Store, tempfile::TempDir) {
    let (store, dir, queue, task) = history_open().await;
    drop(queue);
    task.shutdown().await;
    (store, dir)
}

/// The history, with its writer still running.
async fn history_open() -> (Store, tempfile::TempDir, IngestQueue, WriterTask) {
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
        vec![
            hit(
                1,
                T0 + HOUR + 90_000,
                "/pricing",
                EventKind::Custom {
                    name: "signup".into(),
                    props: Some(r#"{"plan":"pro","seats":3}"#.into()),
                },
                &firefox,
            ),
            hit(
                1,
                T0 + HOUR + 90_000,
                "/pricing",
                EventKind::Identify(Identity {
                    user_id: "u-1".into(),
                    name: Some("Ada".into()),
                    email: None,
                    phone: None,
                    metadata: Some(r#"{"plan":"team"}"#.into()),
                }),
                &firefox,
            ),
        ],
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
    (store, dir, queue, task)
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
    let hours = store
        .bucket_totals(&scope(&[], 1), &bounds, Source::Rollups)
        .await
        .unwrap();
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
    let all = store
        .breakdown(&scope(&[], 2), Dimension::Page, 0, 10, Source::RawScan)
        .await
        .unwrap();
    assert_eq!(
        page.rows[0], all.rows[1],
        "the second page starts at the second row"
    );
    let past_the_end = store
        .breakdown(&scope(&[], 2), Dimension::Page, 3, 10, Source::RawScan)
        .await
        .unwrap();
    assert_eq!(
        (past_the_end.total_rows, past_the_end.rows.len()),
        (3, 0),
        "a page past the end still counts the rows"
    );
    let later = Scope {
        first_day: DAY + 100,
        last_day: DAY + 106,
        ..scope(&[], 1)
    };
    let nothing = store
        .breakdown(&later, Dimension::Page, 0, 10, Source::Rollups)
        .await
        .unwrap();
    assert_eq!((nothing.total_rows, nothing.rows.len()), (0, 0));
}

#[tokio::test]
async fn the_explorer_lists_sessions_timelines_and_users() {
    let (store, _dir) = history().await;
    let sessions = store.sessions(&scope(&[], 1), 0, 10).await.unwrap();
    let starts: Vec<i64> = sessions
        .iter()
        .map(|s| (s.started_at - T0) / HOUR)
        .collect();
    assert_eq!(starts, [5, 2, 1], "newest first");
    let a = &sessions[2];
    assert_eq!((a.pageviews, a.events, a.duration_seconds), (2, 1, 90));
    assert_eq!(
        (a.user_id.as_deref(), a.user_name.as_deref()),
        (Some("u-1"), Some("Ada"))
    );
    assert_eq!(sessions[1].user_id, None);
    let chrome = [filter(Dimension::Browser, FilterOp::Is, "Chrome")];
    assert_eq!(
        store
            .sessions(&scope(&chrome, 1), 0, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        store.sessions(&scope(&[], 1), 2, 10).await.unwrap().len(),
        1,
        "paged"
    );

    let timeline = store.session_timeline(1, a.id).await.unwrap();
    let kinds: Vec<(&str, &str)> = timeline
        .items
        .iter()
        .map(|i| (i.kind.as_str(), i.path.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("pageview", "/"),
            ("pageview", "/pricing"),
            ("custom", "/pricing")
        ]
    );
    let next_day = store.sessions(&scope(&[], 2), 0, 10).await.unwrap()[0].id;
    let timeline = store.session_timeline(1, next_day).await.unwrap();
    let error = timeline.items.iter().find(|i| i.kind == "error").unwrap();
    assert_eq!((error.name.as_deref(), error.count), (Some("boom"), 2));
    assert!(matches!(
        store.session_timeline(2, a.id).await,
        Err(StoreError::NotFound)
    ));

    let users = store.users(1, None, 0, 10).await.unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(
        (users[0].user_id.as_str(), users[0].name.as_deref()),
        ("u-1", Some("Ada"))
    );
    assert_eq!(users[0].metadata.as_deref(), Some(r#"{"plan":"team"}"#));
    assert_eq!(store.users(1, Some("AD"), 0, 10).await.unwrap().len(), 1);
    assert!(store.users(1, Some("zed"), 0, 10).await.unwrap().is_empty());
    let profile = store.user_profile(1, "u-1").await.unwrap();
    assert_eq!(profile.sessions.len(), 2, "sessions A and B");
    assert!(matches!(
        store.user_profile(1, "nobody").await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn erasing_a_user_removes_them_everywhere_rollups_included() {
    let (store, _dir, queue, task) = history_open().await;
    // Three days later every visitor-day is idle and rolled up.
    let later = T0 + 4 * 24 * HOUR;
    assert_eq!(queue.roll_up(later).await.unwrap(), 3);
    let erased = queue.erase(1, Subject::User("u-1".into())).await.unwrap();
    assert_eq!(
        erased,
        Erased {
            visitors: 1,
            sessions: 2,
            events: 4,
            error_reports: 0
        }
    );
    let expected = Totals {
        visitors: 1,
        sessions: 1,
        pageviews: 1,
        events: 0,
        bounces: 1,
        engaged: 1,
        duration_seconds: 30,
        errors: 0,
    };
    assert_eq!(
        store.totals(&scope(&[], 1), Source::Rollups).await.unwrap(),
        expected
    );
    assert_eq!(
        store.totals(&scope(&[], 1), Source::RawScan).await.unwrap(),
        expected
    );
    assert!(store.users(1, None, 0, 10).await.unwrap().is_empty());
    // Nothing of theirs is left to roll up, and the answer stays the same.
    assert_eq!(queue.roll_up(later).await.unwrap(), 0);
    assert_eq!(
        store.totals(&scope(&[], 1), Source::Rollups).await.unwrap(),
        expected
    );

    // The writer forgot them too: their next hit opens a fresh session.
    let visit = visit("Firefox", None, DAY + 1);
    queue
        .submit(vec![hit(
            1,
            T0 + 26 * HOUR,
            "/back",
            EventKind::Pageview,
            &visit,
        )])
        .await
        .unwrap();
    let back = store.sessions(&scope(&[], 2), 0, 10).await.unwrap();
    assert_eq!(back[0].entry_path, "/back");
    assert_eq!(
        queue.erase(1, Subject::Visitor(999)).await.unwrap(),
        Erased::default(),
        "nobody to erase"
    );
    task.shutdown().await;
}

#[tokio::test]
async fn a_custom_events_properties_break_down_by_value() {
    let (store, _dir) = history().await;
    let values = |property: &'static str| {
        let store = store.clone();
        async move {
            let page = store
                .property_breakdown(&scope(&[], 2), "signup", property, 0, 10)
                .await
                .unwrap();
            page.rows
                .into_iter()
                .map(|r| (r.value, r.totals.visitors, r.totals.events))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(values("plan").await, [(Some("pro".to_owned()), 1, 1)]);
    assert_eq!(values("seats").await, [(Some("3".to_owned()), 1, 1)]);
    assert_eq!(values("colour").await, [(None, 1, 1)], "fired without it");
    let none = store
        .property_breakdown(&scope(&[], 2), "nothing", "plan", 0, 10)
        .await
        .unwrap();
    assert_eq!(none.total_rows, 0);
    let names = store
        .event_properties(&scope(&[], 2), "signup", 10)
        .await
        .unwrap();
    assert_eq!(names, ["plan", "seats"], "the names it was sent with");
    assert!(store
        .event_properties(&scope(&[], 2), "nothing", 10)
        .await
        .unwrap()
        .is_empty());
}

#[test]
fn long_ranges_are_read_as_a_few_aligned_blocks() {
    // 20790 = 742 · 28 + 14 = 2970 · 7
    assert_eq!(totals::tiling(20790, 20790), [(1, 20790, 20790)]);
    assert_eq!(totals::tiling(20783, 20789), [(7, 20783, 20783)]);
    assert_eq!(totals::tiling(20784, 20790), [(1, 20784, 20790)]);
    // 90 days: five days, two weeks, two four-week blocks, two weeks, a day.
    assert_eq!(
        totals::tiling(20701, 20790),
        [
            (1, 20701, 20705),
            (7, 20706, 20713),
            (28, 20720, 20748),
            (7, 20776, 20783),
            (1, 20790, 20790)
        ]
    );
    assert!(totals::tiling(20790, 20789).is_empty());
}

#[tokio::test]
async fn raw_events_page_through_pageviews_and_other_events_in_order() {
    let (store, _dir) = history().await;
    let all: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, kind, path FROM events WHERE site_id = 1 ORDER BY id")
            .fetch_all(&store.pool)
            .await
            .unwrap();
    assert!(all.iter().any(|(_, kind, _)| kind == "custom"), "{all:?}");
    let mut paged = Vec::new();
    let mut after = 0;
    loop {
        let page = store.raw_events(&scope(&[], 2), after, 2).await.unwrap();
        let Some(last) = page.last() else { break };
        after = last.id;
        paged.extend(page.into_iter().map(|e| (e.id, e.kind, e.path)));
    }
    assert_eq!(paged, all);
    let filtered = store
        .raw_events(
            &scope(&[filter(Dimension::Page, FilterOp::Is, "/pricing")], 2),
            0,
            100,
        )
        .await
        .unwrap();
    assert!(!filtered.is_empty());
    assert!(filtered.len() < all.len());
}
