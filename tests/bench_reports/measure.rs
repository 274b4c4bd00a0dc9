//! Timing the dashboard's widgets: each one repeatedly, for each period, answered from
//! rollups (what the dashboard uses) and by a raw scan (the baseline), and checking that
//! both answers are the same.

use std::hint::black_box;
use std::time::{Duration, Instant};

use anyhow::Result;
use skopos_core::period::{day_number, Calendar, Granularity, Period, Span};
use skopos_core::report::{Dimension, Totals};
use skopos_store::reports::{BreakdownPage, DayTotals, Scope, Source};
use skopos_store::{Store, StoreError};

/// The breakdowns of the overview, as the dashboard shows them (first page of 10 rows).
pub const BREAKDOWNS: [(Dimension, &str); 7] = [
    (Dimension::Page, "pages"),
    (Dimension::Referrer, "referrers"),
    (Dimension::Channel, "channels"),
    (Dimension::Country, "countries"),
    (Dimension::Browser, "browsers"),
    (Dimension::Device, "devices"),
    (Dimension::Event, "events"),
];
const PAGE_ROWS: usize = 10;
/// The summary's "visitors in the last 5 minutes" (as `skopos-api` counts them).
const LIVE_WINDOW_MS: i64 = 5 * 60 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Widget {
    Totals,
    Daily,
    Breakdown(Dimension, &'static str),
    /// Summary (this and the previous period, live visitors), daily series and the seven
    /// breakdowns, one after the other: the sum of the widgets' times.
    Overview,
    /// The same requests all at once, as a dashboard sends them.
    OverviewConcurrent,
    /// Today's hourly series; hourly buckets always scan.
    HourlyToday,
}

impl Widget {
    pub fn label(&self) -> String {
        match self {
            Widget::Totals => "totals".into(),
            Widget::Daily => "daily series".into(),
            Widget::Breakdown(_, name) => format!("breakdown {name}"),
            Widget::Overview => "OVERVIEW (sum)".into(),
            Widget::OverviewConcurrent => "OVERVIEW (concurrent)".into(),
            Widget::HourlyToday => "hourly series".into(),
        }
    }

    pub fn is_overview(&self) -> bool {
        matches!(self, Widget::Overview | Widget::OverviewConcurrent)
    }

    /// The widgets measured for every period.
    pub fn for_periods() -> Vec<Widget> {
        let mut widgets = vec![Widget::Totals, Widget::Daily];
        widgets.extend(
            BREAKDOWNS
                .iter()
                .map(|&(dimension, name)| Widget::Breakdown(dimension, name)),
        );
        widgets.extend([Widget::Overview, Widget::OverviewConcurrent]);
        widgets
    }
}

/// One period of the picker, resolved to day numbers as `skopos-api` does.
pub struct PeriodScope {
    pub label: String,
    pub first_day: i32,
    pub last_day: i32,
    pub previous: (i32, i32),
    /// Hour bounds (only used for today).
    pub hours: Vec<i64>,
}

impl PeriodScope {
    pub fn new(calendar: &Calendar, period: Period, label: &str, now_ms: i64) -> Result<Self> {
        let span: Span = calendar.span(period, now_ms)?;
        let previous = span.previous();
        Ok(Self {
            label: label.into(),
            first_day: day_number(span.first),
            last_day: day_number(span.last),
            previous: (day_number(previous.first), day_number(previous.last)),
            hours: calendar
                .buckets(&span, Granularity::Hour)
                .unwrap_or_default(),
        })
    }
}

/// What a widget answered, so the two sources can be compared.
#[derive(Debug, PartialEq)]
pub enum Answer {
    Totals(Totals),
    Daily(Vec<DayTotals>),
    Breakdown(BreakdownPage),
    Hourly(Vec<Totals>),
    Overview {
        current: Totals,
        previous: Totals,
        live: i64,
        daily: Vec<DayTotals>,
        breakdowns: Vec<BreakdownPage>,
    },
}

/// A widget's request, as the dashboard would make it.
pub struct Request<'a> {
    pub store: &'a Store,
    pub site_id: i64,
    pub now_ms: i64,
    pub period: &'a PeriodScope,
}

impl Request<'_> {
    fn scope(&self, (first_day, last_day): (i32, i32)) -> Scope<'static> {
        Scope {
            site_id: self.site_id,
            first_day,
            last_day,
            filters: &[],
        }
    }

    pub async fn answer(&self, widget: Widget, source: Source) -> Result<Answer, StoreError> {
        let store = self.store;
        let scope = self.scope((self.period.first_day, self.period.last_day));
        Ok(match widget {
            Widget::Totals => Answer::Totals(store.totals(&scope, source).await?),
            Widget::Daily => Answer::Daily(store.daily_totals(&scope, source).await?),
            Widget::Breakdown(dimension, _) => Answer::Breakdown(
                store
                    .breakdown(&scope, dimension, 0, PAGE_ROWS, source)
                    .await?,
            ),
            Widget::HourlyToday => Answer::Hourly(
                store
                    .bucket_totals(&scope, &self.period.hours, source)
                    .await?,
            ),
            Widget::Overview => {
                let previous = self.scope(self.period.previous);
                let current_totals = store.totals(&scope, source).await?;
                let previous_totals = store.totals(&previous, source).await?;
                let live = store
                    .live_visitors(self.site_id, self.now_ms - LIVE_WINDOW_MS)
                    .await?;
                let daily = store.daily_totals(&scope, source).await?;
                let mut breakdowns = Vec::new();
                for (dimension, _) in BREAKDOWNS {
                    breakdowns.push(
                        store
                            .breakdown(&scope, dimension, 0, PAGE_ROWS, source)
                            .await?,
                    );
                }
                Answer::Overview {
                    current: current_totals,
                    previous: previous_totals,
                    live,
                    daily,
                    breakdowns,
                }
            }
            Widget::OverviewConcurrent => {
                let previous = self.scope(self.period.previous);
                let breakdown =
                    |dimension| store.breakdown(&scope, dimension, 0, PAGE_ROWS, source);
                let (current, previous, live, daily, b0, b1, b2, b3, b4, b5, b6) = tokio::try_join!(
                    store.totals(&scope, source),
                    store.totals(&previous, source),
                    store.live_visitors(self.site_id, self.now_ms - LIVE_WINDOW_MS),
                    store.daily_totals(&scope, source),
                    breakdown(BREAKDOWNS[0].0),
                    breakdown(BREAKDOWNS[1].0),
                    breakdown(BREAKDOWNS[2].0),
                    breakdown(BREAKDOWNS[3].0),
                    breakdown(BREAKDOWNS[4].0),
                    breakdown(BREAKDOWNS[5].0),
                    breakdown(BREAKDOWNS[6].0),
                )?;
                Answer::Overview {
                    current,
                    previous,
                    live,
                    daily,
                    breakdowns: vec![b0, b1, b2, b3, b4, b5, b6],
                }
            }
        })
    }
}

/// Milliseconds of each repetition of one (widget, period, source), or why it failed.
#[derive(Debug, Clone, Default)]
pub struct Timing {
    pub samples_ms: Vec<f64>,
    pub error: Option<String>,
}

impl Timing {
    fn failed(error: &anyhow::Error) -> Self {
        Self {
            samples_ms: Vec::new(),
            error: Some(format!("{error:#}")),
        }
    }

    /// Nearest-rank percentile; NaN without samples.
    pub fn percentile(&self, p: f64) -> f64 {
        if self.samples_ms.is_empty() {
            return f64::NAN;
        }
        let mut sorted = self.samples_ms.clone();
        sorted.sort_by(f64::total_cmp);
        let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
        sorted[rank - 1]
    }

    /// For progress lines: the median, or the error.
    pub fn describe_p50(&self) -> String {
        match &self.error {
            Some(error) => format!("failed ({error})"),
            None => format!("{:.1} ms", self.p50()),
        }
    }

    pub fn p50(&self) -> f64 {
        self.percentile(0.5)
    }

    pub fn p95(&self) -> f64 {
        self.percentile(0.95)
    }
}

/// How many times to repeat, and when to stop a slow series early.
#[derive(Debug, Clone, Copy)]
pub struct Repetitions {
    pub count: usize,
    /// A series stops after this long once it has [`Repetitions::minimum`] samples.
    pub budget: Duration,
    pub minimum: usize,
}

/// One warm-up answer (kept for the comparison), then the timed repetitions; a failure
/// (the store's error) is reported in the timing and ends the series, not the benchmark.
pub async fn time(
    request: &Request<'_>,
    widget: Widget,
    source: Source,
    repetitions: Repetitions,
) -> (Option<Answer>, Timing) {
    match repeat(request, widget, source, repetitions).await {
        Ok((answer, timing)) => (Some(answer), timing),
        Err(error) => (None, Timing::failed(&error)),
    }
}

/// A warm-up that alone takes longer than the budget is the only sample: caches do not
/// matter then.
async fn repeat(
    request: &Request<'_>,
    widget: Widget,
    source: Source,
    repetitions: Repetitions,
) -> Result<(Answer, Timing)> {
    let started = Instant::now();
    let answer = request.answer(widget, source).await?;
    let warm_up = started.elapsed();
    if warm_up >= repetitions.budget {
        let samples_ms = vec![warm_up.as_secs_f64() * 1000.0];
        let timing = Timing {
            samples_ms,
            error: None,
        };
        return Ok((answer, timing));
    }
    let started = Instant::now();
    let mut samples_ms = Vec::with_capacity(repetitions.count);
    while samples_ms.len() < repetitions.count
        && (samples_ms.len() < repetitions.minimum || started.elapsed() < repetitions.budget)
    {
        let begun = Instant::now();
        black_box(request.answer(widget, source).await?);
        samples_ms.push(begun.elapsed().as_secs_f64() * 1000.0);
    }
    let timing = Timing {
        samples_ms,
        error: None,
    };
    Ok((answer, timing))
}
