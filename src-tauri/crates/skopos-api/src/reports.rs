//! Reports for the dashboard and the command line: headline metrics against the previous
//! period, time series, breakdowns, and a cross-site comparison. Periods are resolved in
//! each site's own time zone; the numbers are defined in `skopos_core::report`.

use serde::{Deserialize, Serialize};
use skopos_core::period::{
    date_of_day_number, day_number, Calendar, Granularity, Period, PeriodError, Span,
};
use skopos_core::report::{Dimension, Filter, Totals, MAX_FILTERS, MAX_FILTER_VALUE};
use skopos_core::site::Site;
use skopos_core::visitor::PrivacyMode;
use skopos_store::reports::{BreakdownPage, RawEvent, Scope, Source};

use crate::realtime::LIVE_WINDOW_MS;
use crate::{ApiError, Skopos};
use ts_rs::TS;

/// Most rows one breakdown page returns.
pub const MAX_PAGE_ROWS: usize = 500;
/// Most raw events one page returns.
pub const MAX_EVENTS_PAGE: usize = 10_000;
/// Longest property name (the collector stores none longer).
const MAX_PROPERTY_KEY: usize = 64;
/// Most (site, metric) pairs in one comparison.
pub const MAX_COMPARED: usize = 4;

/// Which sessions a report covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ReportQuery {
    pub site_id: i64,
    #[serde(flatten)]
    pub period: Period,
    #[serde(default)]
    pub filters: Vec<Filter>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Summary {
    pub span: Span,
    pub current: Totals,
    /// The same number of days just before.
    pub previous: Totals,
    /// Distinct visitors in the last five minutes (filters do not apply).
    pub live_visitors: i64,
    /// What "visitors" means under the site's privacy mode.
    pub visitors_label: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Series {
    pub granularity: Granularity,
    pub points: Vec<SeriesPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SeriesPoint {
    /// The bucket's first instant, Unix milliseconds.
    pub start_ms: i64,
    #[serde(flatten)]
    pub totals: Totals,
}

/// One of the numbers a series can plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    Visitors,
    Sessions,
    Pageviews,
    Events,
    BounceRate,
    EngagementRate,
    AverageDuration,
    Errors,
}

impl Metric {
    pub fn of(self, totals: &Totals) -> Option<f64> {
        Some(match self {
            Metric::Visitors => totals.visitors as f64,
            Metric::Sessions => totals.sessions as f64,
            Metric::Pageviews => totals.pageviews as f64,
            Metric::Events => totals.events as f64,
            Metric::Errors => totals.errors as f64,
            Metric::BounceRate => return totals.bounce_rate(),
            Metric::EngagementRate => return totals.engagement_rate(),
            Metric::AverageDuration => return totals.average_duration_seconds(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ComparedSeries {
    pub site_id: i64,
    pub metric: Metric,
    pub granularity: Granularity,
    /// `(bucket start, value)`; rates are `None` where there were no sessions.
    pub points: Vec<(i64, Option<f64>)>,
}

pub(crate) fn visitors_label(mode: PrivacyMode) -> &'static str {
    match mode {
        PrivacyMode::Strict => "daily unique visitors (a visitor on two days counts twice)",
        PrivacyMode::Network => "daily unique visitors by network (summed over days)",
        PrivacyMode::Persistent => "daily unique visitors (summed over days)",
    }
}

/// A page of rows must have 1 to [`MAX_PAGE_ROWS`] of them.
pub(crate) fn check_page(limit: usize) -> Result<(), ApiError> {
    if limit == 0 || limit > MAX_PAGE_ROWS {
        return Err(ApiError::invalid(format!(
            "a page has 1 to {MAX_PAGE_ROWS} rows"
        )));
    }
    Ok(())
}

fn check_filters(filters: &[Filter]) -> Result<(), ApiError> {
    if filters.len() > MAX_FILTERS {
        return Err(ApiError::invalid(format!("at most {MAX_FILTERS} filters")));
    }
    if filters.iter().any(|f| f.value.len() > MAX_FILTER_VALUE) {
        return Err(ApiError::invalid(format!(
            "filter values are at most {MAX_FILTER_VALUE} bytes"
        )));
    }
    Ok(())
}

impl From<PeriodError> for ApiError {
    fn from(error: PeriodError) -> Self {
        ApiError::invalid(error.to_string())
    }
}

/// A query resolved against its site.
pub(crate) struct Resolved<'a> {
    site: Site,
    calendar: Calendar,
    pub(crate) span: Span,
    filters: &'a [Filter],
}

impl Resolved<'_> {
    pub(crate) fn scope(&self, span: &Span) -> Scope<'_> {
        Scope {
            site_id: self.site.id,
            first_day: day_number(span.first),
            last_day: day_number(span.last),
            filters: self.filters,
        }
    }
}

impl Skopos {
    pub(crate) async fn resolve<'a>(
        &self,
        query: &'a ReportQuery,
    ) -> Result<Resolved<'a>, ApiError> {
        check_filters(&query.filters)?;
        let site = self.site(query.site_id).await?;
        let calendar = Calendar::new(&site.settings.timezone);
        let span = calendar.span(query.period, self.clock.now_ms())?;
        Ok(Resolved {
            site,
            calendar,
            span,
            filters: &query.filters,
        })
    }

    /// Headline metrics of a period and of the one before it.
    pub async fn summary(&self, query: &ReportQuery) -> Result<Summary, ApiError> {
        let resolved = self.resolve(query).await?;
        let current = self
            .store
            .totals(&resolved.scope(&resolved.span), Source::Rollups)
            .await?;
        let previous = self
            .store
            .totals(&resolved.scope(&resolved.span.previous()), Source::Rollups)
            .await?;
        let live_visitors = self
            .store
            .live_visitors(resolved.site.id, self.clock.now_ms() - LIVE_WINDOW_MS)
            .await?;
        Ok(Summary {
            span: resolved.span,
            current,
            previous,
            live_visitors,
            visitors_label: visitors_label(resolved.site.settings.privacy_mode),
        })
    }

    /// Totals per bucket over the period: hours, days, weeks or months (by default the
    /// one that suits the period's length).
    pub async fn series(
        &self,
        query: &ReportQuery,
        granularity: Option<Granularity>,
    ) -> Result<Series, ApiError> {
        let resolved = self.resolve(query).await?;
        let granularity = granularity.unwrap_or_else(|| Granularity::for_span(&resolved.span));
        let bounds = resolved.calendar.buckets(&resolved.span, granularity)?;
        let scope = resolved.scope(&resolved.span);
        let totals = if granularity == Granularity::Hour {
            self.store
                .bucket_totals(&scope, &bounds, Source::Rollups)
                .await?
        } else {
            // Days add up into weeks and months.
            let mut buckets = vec![Totals::default(); bounds.len() - 1];
            for day in self.store.daily_totals(&scope, Source::Rollups).await? {
                let start = resolved.calendar.start_of(date_of_day_number(day.day));
                let index = bounds
                    .partition_point(|&bound| bound <= start)
                    .checked_sub(1);
                if let Some(bucket) = index.and_then(|index| buckets.get_mut(index)) {
                    bucket.add(&day.totals);
                }
            }
            buckets
        };
        Ok(Series {
            granularity,
            points: bounds
                .iter()
                .zip(totals)
                .map(|(&start_ms, totals)| SeriesPoint { start_ms, totals })
                .collect(),
        })
    }

    /// The period's totals per value of a dimension, biggest first.
    pub async fn breakdown(
        &self,
        query: &ReportQuery,
        dimension: Dimension,
        offset: usize,
        limit: usize,
    ) -> Result<BreakdownPage, ApiError> {
        check_page(limit)?;
        let resolved = self.resolve(query).await?;
        Ok(self
            .store
            .breakdown(
                &resolved.scope(&resolved.span),
                dimension,
                offset,
                limit,
                Source::Rollups,
            )
            .await?)
    }

    /// The property names a custom event was sent with in the period, most used first.
    pub async fn event_properties(
        &self,
        query: &ReportQuery,
        event: &str,
        limit: usize,
    ) -> Result<Vec<String>, ApiError> {
        let resolved = self.resolve(query).await?;
        Ok(self
            .store
            .event_properties(&resolved.scope(&resolved.span), event, limit)
            .await?)
    }

    /// The values a property of a custom event took in the period, most visitors first.
    pub async fn property_breakdown(
        &self,
        query: &ReportQuery,
        event: &str,
        property: &str,
        offset: usize,
        limit: usize,
    ) -> Result<BreakdownPage, ApiError> {
        check_page(limit)?;
        if property.is_empty() || property.len() > MAX_PROPERTY_KEY {
            return Err(ApiError::invalid(format!(
                "a property name has 1 to {MAX_PROPERTY_KEY} characters"
            )));
        }
        let resolved = self.resolve(query).await?;
        Ok(self
            .store
            .property_breakdown(
                &resolved.scope(&resolved.span),
                event,
                property,
                offset,
                limit,
            )
            .await?)
    }

    /// Raw events of the period's sessions that pass the filters, in id order after
    /// `after_id`: an export pages through them with the last id it got.
    pub async fn raw_events(
        &self,
        query: &ReportQuery,
        after_id: i64,
        limit: usize,
    ) -> Result<Vec<RawEvent>, ApiError> {
        if limit == 0 || limit > MAX_EVENTS_PAGE {
            return Err(ApiError::invalid(format!(
                "a page has 1 to {MAX_EVENTS_PAGE} events"
            )));
        }
        let resolved = self.resolve(query).await?;
        Ok(self
            .store
            .raw_events(&resolved.scope(&resolved.span), after_id, limit as i64)
            .await?)
    }

    /// Up to four (site, metric) series over the same period, for a chart that overlays
    /// them; each site's buckets follow its own time zone.
    pub async fn compare(
        &self,
        pairs: &[(i64, Metric)],
        period: Period,
        granularity: Option<Granularity>,
    ) -> Result<Vec<ComparedSeries>, ApiError> {
        if pairs.is_empty() || pairs.len() > MAX_COMPARED {
            return Err(ApiError::invalid(format!(
                "compare 1 to {MAX_COMPARED} (site, metric) pairs"
            )));
        }
        let mut compared = Vec::with_capacity(pairs.len());
        for &(site_id, metric) in pairs {
            let query = ReportQuery {
                site_id,
                period,
                filters: Vec::new(),
            };
            let series = self.series(&query, granularity).await?;
            compared.push(ComparedSeries {
                site_id,
                metric,
                granularity: series.granularity,
                points: series
                    .points
                    .iter()
                    .map(|point| (point.start_ms, metric.of(&point.totals)))
                    .collect(),
            });
        }
        Ok(compared)
    }
}
