//! The vocabulary of reports: dimensions to break down and filter by, filters, and the
//! metrics every report shares.
//!
//! Reports are about visits. Filters pick sessions (a page or event filter picks the
//! sessions that viewed such a page or sent such an event); every metric, series and
//! breakdown is then computed over the picked sessions, each filed under the local day it
//! started on. A visitor counts once per day: "visitors" over several days is the sum of
//! daily unique visitors, which is also all that strict privacy mode can know.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a breakdown groups by and a filter looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// Paths of pageviews.
    Page = 0,
    EntryPage = 1,
    ExitPage = 2,
    /// The referring host; direct visits have none.
    Referrer = 3,
    Channel = 4,
    UtmSource = 5,
    UtmMedium = 6,
    UtmCampaign = 7,
    UtmTerm = 8,
    UtmContent = 9,
    Country = 10,
    Region = 11,
    Browser = 12,
    Os = 13,
    Device = 14,
    Language = 15,
    Screen = 16,
    /// Names of custom events.
    Event = 17,
}

impl Dimension {
    /// The number rollup tables store it as: never renumber.
    pub fn code(self) -> i64 {
        self as i64
    }

    /// The name the API, the command line and exports use.
    pub fn name(self) -> &'static str {
        match self {
            Dimension::Page => "page",
            Dimension::EntryPage => "entry_page",
            Dimension::ExitPage => "exit_page",
            Dimension::Referrer => "referrer",
            Dimension::Channel => "channel",
            Dimension::UtmSource => "utm_source",
            Dimension::UtmMedium => "utm_medium",
            Dimension::UtmCampaign => "utm_campaign",
            Dimension::UtmTerm => "utm_term",
            Dimension::UtmContent => "utm_content",
            Dimension::Country => "country",
            Dimension::Region => "region",
            Dimension::Browser => "browser",
            Dimension::Os => "os",
            Dimension::Device => "device",
            Dimension::Language => "language",
            Dimension::Screen => "screen",
            Dimension::Event => "event",
        }
    }

    pub fn from_name(name: &str) -> Option<Dimension> {
        Dimension::ALL.into_iter().find(|d| d.name() == name)
    }

    pub const ALL: [Dimension; 18] = [
        Dimension::Page,
        Dimension::EntryPage,
        Dimension::ExitPage,
        Dimension::Referrer,
        Dimension::Channel,
        Dimension::UtmSource,
        Dimension::UtmMedium,
        Dimension::UtmCampaign,
        Dimension::UtmTerm,
        Dimension::UtmContent,
        Dimension::Country,
        Dimension::Region,
        Dimension::Browser,
        Dimension::Os,
        Dimension::Device,
        Dimension::Language,
        Dimension::Screen,
        Dimension::Event,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FilterOp {
    Is,
    IsNot,
    /// Case-insensitive substring.
    Contains,
}

/// One condition; a report's filters must all hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Filter {
    pub dimension: Dimension,
    pub op: FilterOp,
    /// Compared with the stored value; for `is` an empty value matches "none" (a direct
    /// visit's referrer, say).
    pub value: String,
}

/// Most filters one report takes.
pub const MAX_FILTERS: usize = 10;
/// Longest filter value.
pub const MAX_FILTER_VALUE: usize = 512;

/// Sums over sessions from which every headline metric derives; they add up across days
/// and sites, so rollups can store them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Totals {
    /// Daily unique visitors, summed over days.
    pub visitors: i64,
    pub sessions: i64,
    pub pageviews: i64,
    /// Custom events, outbound clicks and downloads.
    pub events: i64,
    /// Sessions with one pageview and nothing else.
    pub bounces: i64,
    /// Sessions of two or more pageviews, any event, or ten visible seconds or more.
    pub engaged: i64,
    /// Seconds, summed: a session lasts from its first to its last hit, or as long as the
    /// page was visible if that is longer.
    pub duration_seconds: i64,
    /// JS error reports in these sessions, counting repeats.
    pub errors: i64,
}

impl Totals {
    pub fn bounce_rate(&self) -> Option<f64> {
        ratio(self.bounces, self.sessions)
    }

    pub fn engagement_rate(&self) -> Option<f64> {
        ratio(self.engaged, self.sessions)
    }

    pub fn average_duration_seconds(&self) -> Option<f64> {
        ratio(self.duration_seconds, self.sessions)
    }

    pub fn add(&mut self, other: &Totals) {
        self.visitors += other.visitors;
        self.sessions += other.sessions;
        self.pageviews += other.pageviews;
        self.events += other.events;
        self.bounces += other.bounces;
        self.engaged += other.engaged;
        self.duration_seconds += other.duration_seconds;
        self.errors += other.errors;
    }
}

fn ratio(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_undefined_without_sessions() {
        let mut totals = Totals::default();
        assert_eq!(totals.bounce_rate(), None);
        totals.add(&Totals {
            sessions: 4,
            bounces: 1,
            engaged: 3,
            duration_seconds: 100,
            ..Totals::default()
        });
        assert_eq!(totals.bounce_rate(), Some(0.25));
        assert_eq!(totals.engagement_rate(), Some(0.75));
        assert_eq!(totals.average_duration_seconds(), Some(25.0));
    }

    #[test]
    fn dimension_names_are_their_serde_names() {
        for dimension in Dimension::ALL {
            let json = serde_json::to_string(&dimension).unwrap();
            assert_eq!(json, format!("\"{}\"", dimension.name()));
            assert_eq!(Dimension::from_name(dimension.name()), Some(dimension));
        }
        assert_eq!(Dimension::from_name("Page"), None);
    }

    #[test]
    fn filters_read_as_the_api_writes_them() {
        let filter: Filter =
            serde_json::from_str(r#"{"dimension":"utm_source","op":"is_not","value":"hn"}"#)
                .unwrap();
        assert_eq!(filter.dimension, Dimension::UtmSource);
        assert_eq!(filter.op, FilterOp::IsNot);
    }
}
