//! The reports API as the dashboard calls it, over beacons the real collector stored, with
//! the fixture's clock standing in for "now".

use serde_json::json;
use skopos_api::{ErrorStatus, Granularity, Metric, Period, ReportQuery};

use crate::fixture::{pageviews, Collector, Options, T0};

const DAY: i64 = 86_400_000;

fn query(site_id: i64, period: Period) -> ReportQuery {
    ReportQuery {
        site_id,
        period,
        filters: Vec::new(),
    }
}

#[tokio::test]
async fn summaries_series_and_comparisons_follow_the_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let collector = Collector::start(dir.path(), Options::default()).await;
    let shop = collector.add_site("shop.example").await;
    let blog = collector.add_site("blog.example").await;
    // Yesterday one visitor, today two; the blog has one today.
    collector.clock.set(T0 - DAY);
    collector
        .send(
            "/api/event",
            "198.51.100.80",
            &pageviews(&shop.tracking_id, &["/"]),
        )
        .await;
    collector.clock.set(T0);
    for ip in ["198.51.100.81", "198.51.100.82"] {
        collector
            .send(
                "/api/event",
                ip,
                &pageviews(&shop.tracking_id, &["/", "/a"]),
            )
            .await;
    }
    collector
        .send(
            "/api/event",
            "198.51.100.83",
            &pageviews(&blog.tracking_id, &["/"]),
        )
        .await;
    let error = json!({"site": shop.tracking_id, "url": "https://example.com/", "events": [
        {"kind": "error", "message": "boom", "count": 2}]});
    collector.send("/api/event", "198.51.100.81", &error).await;
    let app = &collector.app;

    let today = app.summary(&query(shop.id, Period::Today)).await.unwrap();
    assert_eq!((today.current.visitors, today.current.pageviews), (2, 4));
    assert_eq!((today.previous.visitors, today.previous.pageviews), (1, 1));
    assert_eq!(today.current.errors, 2);
    assert_eq!(today.live_visitors, 2);
    assert!(today.visitors_label.contains("daily unique"));

    let overview = app.sites_overview(Period::Today).await.unwrap();
    let all = &overview.total;
    assert_eq!((all.current.visitors, all.current.pageviews), (3, 5));
    assert_eq!(overview.sites.len(), 2);
    assert!(overview
        .sites
        .iter()
        .all(|site| site.trend.granularity == Granularity::Hour && site.trend.points.len() == 24));

    let week = app
        .series(&query(shop.id, Period::LastDays { days: 7 }), None)
        .await
        .unwrap();
    assert_eq!(week.granularity, Granularity::Day);
    let visitors: Vec<i64> = week.points.iter().map(|p| p.totals.visitors).collect();
    assert_eq!(visitors, [0, 0, 0, 0, 0, 1, 2]);
    let year = app
        .series(&query(shop.id, Period::LastYear), None)
        .await
        .unwrap();
    assert_eq!(year.granularity, Granularity::Month);
    assert_eq!(year.points.len(), 13, "a cut month at each end");
    assert_eq!(year.points.last().unwrap().totals.pageviews, 5);
    let hours = app
        .series(&query(shop.id, Period::Today), None)
        .await
        .unwrap();
    assert_eq!(hours.points.len(), 24);
    assert_eq!(hours.points[10].totals.sessions, 2);

    let compared = app
        .compare(
            &[(shop.id, Metric::Pageviews), (blog.id, Metric::BounceRate)],
            Period::LastDays { days: 2 },
            Some(Granularity::Day),
        )
        .await
        .unwrap();
    assert_eq!(
        compared[0].points.iter().map(|p| p.1).collect::<Vec<_>>(),
        [Some(1.0), Some(4.0)]
    );
    assert_eq!(compared[1].points[0].1, None, "no sessions, no rate");
    assert_eq!(compared[1].points[1].1, Some(1.0));
    assert!(app.compare(&[], Period::Today, None).await.is_err());
    let five = [(shop.id, Metric::Visitors); 5];
    assert!(app.compare(&five, Period::Today, None).await.is_err());

    let groups = app
        .error_groups(shop.id, Period::Today, None, 0, 10)
        .await
        .unwrap();
    assert_eq!(
        (groups[0].message.as_str(), groups[0].period_occurrences),
        ("boom", 2)
    );
    app.set_error_status(shop.id, groups[0].id, ErrorStatus::Resolved)
        .await
        .unwrap();
    let detail = app
        .error_group(shop.id, groups[0].id, Period::Today)
        .await
        .unwrap();
    assert_eq!(detail.summary.status, "resolved");
    assert_eq!(detail.trend.len(), 24);
    let missing = app.error_group(blog.id, groups[0].id, Period::Today).await;
    assert_eq!(missing.unwrap_err().code, skopos_api::ErrorCode::NotFound);
    collector.stop().await;
}
