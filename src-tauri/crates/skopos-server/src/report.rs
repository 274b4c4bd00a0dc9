//! `skopos-server report`: the dashboard's reports for scripts, as a table, JSON or CSV.

use std::io::Write;

use anyhow::{bail, Context, Result};
use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use skopos_api::{
    breakdown_csv, events_csv, series_csv, BreakdownPage, Dimension, Filter, FilterOp, Granularity,
    Metric, Period, ReportQuery, Skopos, Totals, MAX_EVENTS_PAGE,
};

#[derive(Subcommand)]
pub enum ReportCommand {
    /// Headline metrics of the period against the one before it.
    Summary(ReportOptions),
    /// Totals per hour, day, week or month.
    Series {
        #[command(flatten)]
        options: ReportOptions,
        /// Default: hours up to 2 days, days up to 3 months, then weeks, then months.
        #[arg(long, value_enum)]
        granularity: Option<GranularityArg>,
    },
    /// Totals per value of a dimension, biggest first.
    Breakdown {
        #[command(flatten)]
        options: ReportOptions,
        /// page, entry_page, exit_page, referrer, channel, utm_source, utm_medium,
        /// utm_campaign, utm_term, utm_content, country, region, browser, os, device,
        /// language, screen or event.
        #[arg(long)]
        by: String,
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Every raw event of the period's sessions that pass the filters, with its session's
    /// attributes: CSV, or JSON lines with --json.
    Events(ReportOptions),
    /// The values a custom event's property took, most visitors first.
    Properties {
        #[command(flatten)]
        options: ReportOptions,
        #[command(flatten)]
        property: PropertyArgs,
    },
}

#[derive(Args)]
pub struct PropertyArgs {
    /// The custom event's name.
    #[arg(long)]
    pub event: String,
    /// The property whose values to count.
    #[arg(long)]
    pub property: String,
    #[arg(long, default_value_t = 0)]
    pub offset: usize,
    #[arg(long, default_value_t = 50)]
    pub limit: usize,
}

#[derive(Args)]
pub struct ReportOptions {
    /// The site's tracking id.
    #[arg(long)]
    pub site: String,
    /// today, yesterday, 7d, 30d, 90d (any Nd), 12mo; or give --from and --to.
    #[arg(long, default_value = "30d")]
    pub period: String,
    /// First day of a custom period (YYYY-MM-DD, the site's time zone).
    #[arg(long, requires = "to")]
    pub from: Option<NaiveDate>,
    /// Last day of a custom period, included.
    #[arg(long, requires = "from")]
    pub to: Option<NaiveDate>,
    /// DIMENSION=VALUE, DIMENSION!=VALUE or DIMENSION~TEXT (contains); repeatable, all
    /// must hold. An empty value means "none", e.g. referrer= for direct visits.
    #[arg(long = "filter")]
    pub filters: Vec<String>,
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    #[arg(long)]
    pub csv: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum GranularityArg {
    Hour,
    Day,
    Week,
    Month,
}

impl From<GranularityArg> for Granularity {
    fn from(arg: GranularityArg) -> Self {
        match arg {
            GranularityArg::Hour => Granularity::Hour,
            GranularityArg::Day => Granularity::Day,
            GranularityArg::Week => Granularity::Week,
            GranularityArg::Month => Granularity::Month,
        }
    }
}

fn parse_period(options: &ReportOptions) -> Result<Period> {
    if let (Some(from), Some(to)) = (options.from, options.to) {
        return Ok(Period::Custom { from, to });
    }
    Ok(match options.period.as_str() {
        "today" => Period::Today,
        "yesterday" => Period::Yesterday,
        "12mo" => Period::LastYear,
        other => match other.strip_suffix('d').and_then(|n| n.parse::<u16>().ok()) {
            Some(days) => Period::LastDays { days },
            None => bail!("unknown period {other:?}: use today, yesterday, 7d, 30d, 90d, 12mo"),
        },
    })
}

/// The first operator splits: dimension names contain none, values may.
fn parse_filter(text: &str) -> Result<Filter> {
    let operator = text.char_indices().find_map(|(at, c)| match c {
        '!' if text[at + 1..].starts_with('=') => Some((at, 2, FilterOp::IsNot)),
        '=' => Some((at, 1, FilterOp::Is)),
        '~' => Some((at, 1, FilterOp::Contains)),
        _ => None,
    });
    let (at, len, op) =
        operator.with_context(|| format!("filter {text:?} is not DIMENSION=VALUE, != or ~"))?;
    Ok(Filter {
        dimension: parse_dimension(&text[..at])?,
        op,
        value: text[at + len..].to_owned(),
    })
}

fn parse_dimension(name: &str) -> Result<Dimension> {
    Dimension::from_name(name.trim()).with_context(|| {
        let names: Vec<&str> = Dimension::ALL.iter().map(|d| d.name()).collect();
        format!("unknown dimension {name:?}; one of {}", names.join(", "))
    })
}

async fn query(app: &Skopos, options: &ReportOptions) -> Result<ReportQuery> {
    let site = app.site_by_tracking_id(&options.site).await?;
    Ok(ReportQuery {
        site_id: site.id,
        period: parse_period(options)?,
        filters: options
            .filters
            .iter()
            .map(|f| parse_filter(f))
            .collect::<Result<_>>()?,
    })
}

pub async fn run(app: &Skopos, command: ReportCommand) -> Result<()> {
    match command {
        ReportCommand::Summary(options) => {
            let summary = app.summary(&query(app, &options).await?).await?;
            if options.json || options.csv {
                // A summary is one object; CSV gets JSON too rather than a lossy table.
                println!("{}", serde_json::to_string(&summary)?);
            } else {
                println!(
                    "{} to {} ({}), against the {} days before",
                    summary.span.first,
                    summary.span.last,
                    summary.visitors_label,
                    summary.span.days()
                );
                print_summary(&summary.current, &summary.previous);
                println!(
                    "  {:<26}{:>12}",
                    "live visitors (5 min)", summary.live_visitors
                );
            }
        }
        ReportCommand::Series {
            options,
            granularity,
        } => {
            let series = app
                .series(&query(app, &options).await?, granularity.map(Into::into))
                .await?;
            if options.csv {
                print!("{}", series_csv(&series));
            } else if options.json {
                println!("{}", serde_json::to_string(&series)?);
            } else {
                println!(
                    "{:<16}{:>10}{:>10}{:>10}",
                    "start_ms", "visitors", "sessions", "pageviews"
                );
                for point in &series.points {
                    let t = &point.totals;
                    println!(
                        "{:<16}{:>10}{:>10}{:>10}",
                        point.start_ms, t.visitors, t.sessions, t.pageviews
                    );
                }
            }
        }
        ReportCommand::Breakdown {
            options,
            by,
            offset,
            limit,
        } => {
            let dimension = parse_dimension(&by)?;
            let page = app
                .breakdown(&query(app, &options).await?, dimension, offset, limit)
                .await?;
            print_breakdown(&options, dimension.name(), &page)?;
        }
        ReportCommand::Events(options) => {
            let query = query(app, &options).await?;
            let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
            let mut after_id = 0;
            let mut first_page = true;
            loop {
                let page = app.raw_events(&query, after_id, MAX_EVENTS_PAGE).await?;
                if options.json {
                    for event in &page {
                        serde_json::to_writer(&mut stdout, event)?;
                        writeln!(stdout)?;
                    }
                } else {
                    // The header comes once, even for an empty export.
                    write!(stdout, "{}", events_csv(&page, first_page))?;
                }
                first_page = false;
                match page.last() {
                    Some(last) if page.len() == MAX_EVENTS_PAGE => after_id = last.id,
                    _ => break,
                }
            }
            stdout.flush()?;
        }
        ReportCommand::Properties { options, property } => {
            let page = app
                .property_breakdown(
                    &query(app, &options).await?,
                    &property.event,
                    &property.property,
                    property.offset,
                    property.limit,
                )
                .await?;
            print_breakdown(&options, &property.property, &page)?;
        }
    }
    Ok(())
}

fn print_breakdown(options: &ReportOptions, by: &str, page: &BreakdownPage) -> Result<()> {
    if options.csv {
        print!("{}", breakdown_csv(by, page));
    } else if options.json {
        println!("{}", serde_json::to_string(page)?);
    } else {
        println!(
            "{:<40}{:>10}{:>10}{:>10}{:>8}",
            by, "visitors", "sessions", "count", "share"
        );
        for row in &page.rows {
            let t = &row.totals;
            println!(
                "{:<40}{:>10}{:>10}{:>10}{:>7.1}%",
                row.value.as_deref().unwrap_or("(none)"),
                t.visitors,
                t.sessions,
                t.pageviews.max(t.events),
                row.share * 100.0
            );
        }
        println!(
            "({} of {} rows from {})",
            page.rows.len(),
            page.total_rows,
            page.offset
        );
    }
    Ok(())
}

fn print_summary(current: &Totals, previous: &Totals) {
    for (name, metric) in [
        ("visitors", Metric::Visitors),
        ("sessions", Metric::Sessions),
        ("pageviews", Metric::Pageviews),
        ("events", Metric::Events),
        ("bounce rate", Metric::BounceRate),
        ("engagement rate", Metric::EngagementRate),
        ("average duration (s)", Metric::AverageDuration),
        ("js errors", Metric::Errors),
    ] {
        let now = metric.of(current);
        let before = metric.of(previous);
        let change = match (now, before) {
            (Some(now), Some(before)) if before != 0.0 => {
                format!("{:+.1}%", (now - before) / before * 100.0)
            }
            _ => "—".into(),
        };
        let show = |value: Option<f64>| value.map_or("—".into(), |v| format!("{v:.2}"));
        println!(
            "  {name:<26}{:>12}{:>12}{change:>10}",
            show(now),
            show(before)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_with_their_operator() {
        let filter = parse_filter("utm_source!=hn").unwrap();
        assert_eq!(
            (filter.dimension, filter.op, filter.value.as_str()),
            (Dimension::UtmSource, FilterOp::IsNot, "hn")
        );
        let filter = parse_filter("page=/a!=b~c").unwrap();
        assert_eq!(
            (filter.op, filter.value.as_str()),
            (FilterOp::Is, "/a!=b~c")
        );
        let filter = parse_filter("referrer=").unwrap();
        assert_eq!(filter.value, "");
        assert_eq!(parse_filter("browser~fire").unwrap().op, FilterOp::Contains);
        assert!(parse_filter("nonsense").is_err());
        assert!(parse_filter("colour=red")
            .unwrap_err()
            .to_string()
            .contains("unknown dimension"));
    }
}
