//! `skopos-server report` over data the real collector stored: the same numbers as table,
//! JSON and CSV, filters, and clear refusals.

use serde_json::{json, Value};

use crate::fixture::{Collector, Options};
use crate::server_process::run;

const DAY: &str = "2026-12-03";

fn report(dir: &std::path::Path, args: &[&str]) -> Result<String, String> {
    let output = run(dir, &[&["report"], args].concat());
    if output.status.success() {
        Ok(String::from_utf8(output.stdout).unwrap())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

#[tokio::test]
async fn reports_answer_as_json_csv_and_table() {
    let dir = tempfile::tempdir().unwrap();
    let collector = Collector::start(dir.path(), Options::default()).await;
    let site = collector.add_site("shop.example").await;
    let id = site.tracking_id.clone();
    let direct = json!({"site": id, "url": "https://shop.example/", "events": [
        {"kind": "pageview"}, {"kind": "pageview", "path": "/pricing"},
        {"kind": "event", "name": "signup", "props": {"plan": "pro"}}]});
    let from_hn = json!({"site": id, "url": "https://shop.example/",
        "referrer": "https://news.ycombinator.com/item", "events": [{"kind": "pageview"},
        {"kind": "identify", "user_id": "u-9", "email": "nine@example.com"}]});
    for (ip, body) in [("198.51.100.70", &direct), ("198.51.100.71", &from_hn)] {
        assert_eq!(collector.send("/api/event", ip, body).await.0, 204);
    }
    collector.stop().await;
    let day = ["--site", &id, "--from", DAY, "--to", DAY];

    let summary: Value = serde_json::from_str(
        &report(dir.path(), &[&["summary"], &day[..], &["--json"]].concat()).unwrap(),
    )
    .unwrap();
    let current = &summary["current"];
    assert_eq!(
        [
            &current["visitors"],
            &current["sessions"],
            &current["pageviews"],
            &current["bounces"]
        ],
        [&json!(2), &json!(2), &json!(3), &json!(1)]
    );
    assert_eq!(summary["previous"]["sessions"], 0);

    let direct_only: Value = serde_json::from_str(
        &report(
            dir.path(),
            &[&["summary"], &day[..], &["--filter", "referrer=", "--json"]].concat(),
        )
        .unwrap(),
    )
    .unwrap();
    assert_eq!(direct_only["current"]["pageviews"], 2);

    let csv = report(
        dir.path(),
        &[&["breakdown", "--by", "page"], &day[..], &["--csv"]].concat(),
    )
    .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].starts_with("page,visitors,sessions,pageviews"),
        "{csv}"
    );
    assert!(lines[1].starts_with("/,2,2,2,"), "{csv}");
    assert!(lines[2].starts_with("/pricing,1,1,1,"), "{csv}");

    let series: Value = serde_json::from_str(
        &report(
            dir.path(),
            &[&["series", "--granularity", "hour"], &day[..], &["--json"]].concat(),
        )
        .unwrap(),
    )
    .unwrap();
    let points = series["points"].as_array().unwrap();
    assert_eq!(points.len(), 24);
    assert_eq!(
        points[10]["sessions"], 2,
        "the fixture's clock says 10:00 UTC"
    );

    let table = report(
        dir.path(),
        &[&["breakdown", "--by", "referrer"], &day[..]].concat(),
    )
    .unwrap();
    assert!(
        table.contains("news.ycombinator.com") && table.contains("(none)"),
        "{table}"
    );
}

#[test]
fn bad_report_requests_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(
        dir.path(),
        &["site", "add", "--name", "Shop", "--domain", "shop.example"],
    );
    let id = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    let site = ["--site", id.as_str()];
    for (args, expected) in [
        (vec!["breakdown", "--by", "colour"], "unknown dimension"),
        (vec!["summary", "--period", "0d"], "at least one day"),
        (vec!["summary", "--period", "fortnight"], "unknown period"),
        (
            vec!["summary", "--from", "2026-02-01", "--to", "2026-01-01"],
            "ends before it starts",
        ),
        (
            vec!["summary", "--filter", "browser"],
            "is not DIMENSION=VALUE",
        ),
        (vec!["breakdown", "--by", "page", "--limit", "0"], "rows"),
        (
            vec![
                "series",
                "--from",
                "2016-01-01",
                "--to",
                "2026-01-01",
                "--granularity",
                "hour",
            ],
            "too long",
        ),
    ] {
        let error = report(dir.path(), &[&args[..], &site[..]].concat()).unwrap_err();
        assert!(error.contains(expected), "{args:?}: {error}");
    }
    let many: Vec<String> = (0..11).map(|i| format!("--filter=page=/{i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let error = report(dir.path(), &[&["summary"], &site[..], &many[..]].concat()).unwrap_err();
    assert!(error.contains("at most 10 filters"), "{error}");
    let error = report(dir.path(), &["summary", "--site", "nosuchsite1"]).unwrap_err();
    assert!(error.contains("site not found"), "{error}");
    let output = run(dir.path(), &["rollups", "rebuild", "--site", "nosuchsite1"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("site not found"));
}
