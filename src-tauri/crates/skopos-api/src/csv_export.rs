//! Reports as CSV, one row per bucket or value, rates as fractions; what the dashboard's
//! downloads and `skopos-server report --csv` write.

use skopos_core::report::Totals;
use skopos_store::reports::{BreakdownPage, RawEvent};

use crate::reports::Series;

const TOTALS_HEADER: [&str; 10] = [
    "visitors",
    "sessions",
    "pageviews",
    "events",
    "bounce_rate",
    "engagement_rate",
    "average_duration_seconds",
    "errors",
    "bounces",
    "engaged",
];

fn totals_fields(totals: &Totals) -> Vec<String> {
    let rate = |value: Option<f64>| value.map(|v| format!("{v:.4}")).unwrap_or_default();
    vec![
        totals.visitors.to_string(),
        totals.sessions.to_string(),
        totals.pageviews.to_string(),
        totals.events.to_string(),
        rate(totals.bounce_rate()),
        rate(totals.engagement_rate()),
        rate(totals.average_duration_seconds()),
        totals.errors.to_string(),
        totals.bounces.to_string(),
        totals.engaged.to_string(),
    ]
}

fn write(header: Option<Vec<&str>>, mut rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let written = header
        .map_or(Ok(()), |header| writer.write_record(&header))
        .and_then(|()| rows.try_for_each(|row| writer.write_record(&row)));
    written.expect("writing CSV into memory cannot fail");
    let bytes = writer
        .into_inner()
        .expect("flushing CSV into memory cannot fail");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}

/// `start_ms` (Unix milliseconds) and the totals of each bucket.
pub fn series_csv(series: &Series) -> String {
    let header = [&["start_ms"][..], &TOTALS_HEADER[..]].concat();
    write(
        Some(header),
        series.points.iter().map(|point| {
            let mut row = vec![point.start_ms.to_string()];
            row.extend(totals_fields(&point.totals));
            row
        }),
    )
}

/// The value (empty for none), the totals and the share of visitors of each row.
pub fn breakdown_csv(dimension: &str, page: &BreakdownPage) -> String {
    let header = [&[dimension][..], &TOTALS_HEADER[..], &["share"][..]].concat();
    write(
        Some(header),
        page.rows.iter().map(|row| {
            let mut fields = vec![row.value.clone().unwrap_or_default()];
            fields.extend(totals_fields(&row.totals));
            fields.push(format!("{:.4}", row.share));
            fields
        }),
    )
}

const EVENT_HEADER: [&str; 20] = [
    "id",
    "ts",
    "kind",
    "path",
    "name",
    "target",
    "props",
    "session_id",
    "referrer",
    "channel",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "browser",
    "os",
    "device",
    "country",
    "region",
    "language",
    "screen",
];

/// Raw events, one per row; `header` for the first page of an export only.
pub fn events_csv(events: &[RawEvent], header: bool) -> String {
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let rows = events.iter().map(|e| {
        vec![
            e.id.to_string(),
            e.ts.to_string(),
            e.kind.clone(),
            e.path.clone(),
            text(&e.name),
            text(&e.target),
            text(&e.props),
            e.session_id.to_string(),
            text(&e.referrer_host),
            e.channel.clone(),
            text(&e.utm_source),
            text(&e.utm_medium),
            text(&e.utm_campaign),
            text(&e.browser),
            text(&e.os),
            e.device.clone(),
            text(&e.country),
            text(&e.region),
            text(&e.language),
            text(&e.screen),
        ]
    });
    write(header.then(|| EVENT_HEADER.to_vec()), rows)
}

#[cfg(test)]
mod tests {
    use skopos_store::reports::BreakdownRow;

    use super::*;

    #[test]
    fn values_with_commas_quotes_and_newlines_stay_one_field() {
        let page = BreakdownPage {
            rows: vec![BreakdownRow {
                value: Some("/a,\"b\"\nc".into()),
                totals: Totals {
                    visitors: 2,
                    sessions: 4,
                    bounces: 1,
                    ..Totals::default()
                },
                share: 0.5,
            }],
            total_rows: 1,
            offset: 0,
        };
        let csv = breakdown_csv("page", &page);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        assert_eq!(reader.headers().unwrap().get(0), Some("page"));
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(&record[0], "/a,\"b\"\nc");
        assert_eq!(&record[1], "2");
        assert_eq!(&record[5], "0.2500");
        assert_eq!(&record[11], "0.5000");
    }
}
