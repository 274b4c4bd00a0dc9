//! Reports as CSV, one row per bucket or value, rates as fractions; what the dashboard's
//! downloads and `skopos-server report --csv` write.

use skopos_core::report::Totals;
use skopos_store::reports::BreakdownPage;

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

fn write(header: Vec<&str>, rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut rows = rows;
    let written = writer
        .write_record(&header)
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
        header,
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
        header,
        page.rows.iter().map(|row| {
            let mut fields = vec![row.value.clone().unwrap_or_default()];
            fields.extend(totals_fields(&row.totals));
            fields.push(format!("{:.4}", row.share));
            fields
        }),
    )
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
