//! Report periods in a site's time zone. A period is a run of whole local calendar days;
//! it resolves to a half-open millisecond range, has a previous period of equal length to
//! compare against, and splits into the buckets of a time series (hours, days, ISO weeks
//! or months, each starting at a local boundary, so DST changes give 23- or 25-hour days).

use chrono::{Datelike, Days, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What a report covers, as the dashboard's period picker names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "period")]
pub enum Period {
    Today,
    Yesterday,
    /// The last `n` days, today included (7, 30 and 90 in the picker).
    LastDays {
        days: u16,
    },
    /// The last twelve months, today included.
    LastYear,
    /// From `from` to `to`, both included.
    Custom {
        from: NaiveDate,
        to: NaiveDate,
    },
}

/// The longest period a report may cover, in days (about ten years).
pub const MAX_PERIOD_DAYS: i64 = 3_700;

/// No local day lasts longer (a 25-hour day when clocks go back, with margin).
pub const LONGEST_DAY_MS: i64 = 26 * 60 * 60 * 1000;

/// At most this many buckets in one series.
pub const MAX_BUCKETS: usize = 2_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("the period ends before it starts")]
    Reversed,
    #[error("the period is longer than {MAX_PERIOD_DAYS} days")]
    TooLong,
    #[error("the period must cover at least one day")]
    Empty,
    #[error("a series of {0} buckets is too long; choose a coarser granularity")]
    TooManyBuckets(usize),
}

/// Local calendar days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct Span {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Span {
    pub fn days(&self) -> i64 {
        (self.last - self.first).num_days() + 1
    }

    /// The same number of days just before this span.
    pub fn previous(&self) -> Span {
        let days = self.days() as u64;
        Span {
            first: self.first - Days::new(days),
            last: self.first - Days::new(1),
        }
    }
}

/// Days since 1970-01-01 of a date.
pub fn day_number(date: NaiveDate) -> i32 {
    (date - NaiveDate::default()).num_days() as i32
}

/// The date of a day number.
pub fn date_of_day_number(day: i32) -> NaiveDate {
    NaiveDate::default() + chrono::TimeDelta::days(i64::from(day))
}

/// Milliseconds, `from_ms` included and `to_ms` not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Range {
    pub from_ms: i64,
    pub to_ms: i64,
}

/// The step of a time series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Hour,
    Day,
    Week,
    Month,
}

impl Granularity {
    /// Hours up to two days, days up to three months, weeks up to half a year, then months.
    pub fn for_span(span: &Span) -> Granularity {
        match span.days() {
            ..=2 => Granularity::Hour,
            3..=93 => Granularity::Day,
            94..=186 => Granularity::Week,
            _ => Granularity::Month,
        }
    }
}

/// A site's calendar: dates and instants in its time zone.
#[derive(Debug, Clone, Copy)]
pub struct Calendar {
    tz: Tz,
}

impl Calendar {
    /// The calendar of an IANA zone; UTC when the name is unknown (site settings are
    /// validated when saved, so that only happens to hand-edited databases).
    pub fn new(timezone: &str) -> Calendar {
        Calendar {
            tz: timezone.parse().unwrap_or(chrono_tz::UTC),
        }
    }

    pub fn date_of(&self, ms: i64) -> NaiveDate {
        Utc.timestamp_millis_opt(ms)
            .single()
            .unwrap_or_default()
            .with_timezone(&self.tz)
            .date_naive()
    }

    /// The first instant of a local date (01:00 where a DST change skips midnight).
    pub fn start_of(&self, date: NaiveDate) -> i64 {
        (0..24)
            .find_map(|hour| {
                let naive = date.and_hms_opt(hour, 0, 0)?;
                self.tz.from_local_datetime(&naive).earliest()
            })
            .map(|start| start.timestamp_millis())
            .unwrap_or_else(|| {
                date.and_hms_opt(0, 0, 0)
                    .unwrap_or_default()
                    .and_utc()
                    .timestamp_millis()
            })
    }

    /// The local day `ms` falls in, as days since 1970-01-01: what sessions are filed under.
    pub fn day_number(&self, ms: i64) -> i32 {
        day_number(self.date_of(ms))
    }

    /// The first instant of the local day `ms` falls in.
    pub fn start_of_day(&self, ms: i64) -> i64 {
        self.start_of(self.date_of(ms))
    }

    /// The local days a period covers, as of `now_ms`.
    pub fn span(&self, period: Period, now_ms: i64) -> Result<Span, PeriodError> {
        let today = self.date_of(now_ms);
        let span = match period {
            Period::Today => Span {
                first: today,
                last: today,
            },
            Period::Yesterday => {
                let yesterday = today - Days::new(1);
                Span {
                    first: yesterday,
                    last: yesterday,
                }
            }
            Period::LastDays { days } => {
                if days == 0 {
                    return Err(PeriodError::Empty);
                }
                Span {
                    first: today - Days::new(u64::from(days) - 1),
                    last: today,
                }
            }
            Period::LastYear => Span {
                first: (today - Months::new(12)) + Days::new(1),
                last: today,
            },
            Period::Custom { from, to } => {
                if to < from {
                    return Err(PeriodError::Reversed);
                }
                Span {
                    first: from,
                    last: to,
                }
            }
        };
        if span.days() > MAX_PERIOD_DAYS {
            return Err(PeriodError::TooLong);
        }
        Ok(span)
    }

    pub fn range(&self, span: &Span) -> Range {
        Range {
            from_ms: self.start_of(span.first),
            to_ms: self.start_of(span.last + Days::new(1)),
        }
    }

    /// Bucket boundaries of a series over `span`: the start of every bucket, then the end
    /// of the last, so bucket `i` is `[b[i], b[i + 1])`. Weeks start on Monday and months
    /// on the 1st; the first and last buckets are cut to the span.
    pub fn buckets(&self, span: &Span, granularity: Granularity) -> Result<Vec<i64>, PeriodError> {
        let range = self.range(span);
        let mut starts = vec![range.from_ms];
        match granularity {
            Granularity::Hour => {
                // Local hours: in zones with a fractional offset they are not UTC hours.
                const HOUR: i64 = 3_600_000;
                let mut next = range.from_ms;
                loop {
                    let previous = next;
                    next += HOUR;
                    next -= (next + self.offset_ms(next)).rem_euclid(HOUR);
                    if next <= previous {
                        next = previous + HOUR;
                    }
                    if next >= range.to_ms {
                        break;
                    }
                    starts.push(next);
                    if starts.len() > MAX_BUCKETS {
                        return Err(PeriodError::TooManyBuckets(starts.len()));
                    }
                }
            }
            Granularity::Day | Granularity::Week | Granularity::Month => {
                let mut date = span.first;
                loop {
                    date = match granularity {
                        Granularity::Day => date + Days::new(1),
                        Granularity::Week => {
                            date + Days::new(7 - u64::from(date.weekday().num_days_from_monday()))
                        }
                        _ => (date.with_day(1).unwrap_or(date)) + Months::new(1),
                    };
                    if date > span.last {
                        break;
                    }
                    starts.push(self.start_of(date));
                    if starts.len() > MAX_BUCKETS {
                        return Err(PeriodError::TooManyBuckets(starts.len()));
                    }
                }
            }
        }
        starts.dedup();
        starts.push(range.to_ms);
        Ok(starts)
    }

    fn offset_ms(&self, ms: i64) -> i64 {
        use chrono::Offset;
        Utc.timestamp_millis_opt(ms)
            .single()
            .map(|utc| {
                i64::from(
                    self.tz
                        .offset_from_utc_datetime(&utc.naive_utc())
                        .fix()
                        .local_minus_utc(),
                ) * 1000
            })
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// 2026-12-03T10:30:00Z
    const NOW: i64 = 1_796_293_800_000;

    #[test]
    fn presets_resolve_to_local_days() {
        let utc = Calendar::new("UTC");
        let span = |p| utc.span(p, NOW).unwrap();
        assert_eq!(
            span(Period::Today),
            Span {
                first: date(2026, 12, 3),
                last: date(2026, 12, 3)
            }
        );
        assert_eq!(span(Period::Yesterday).first, date(2026, 12, 2));
        assert_eq!(span(Period::LastDays { days: 7 }).first, date(2026, 11, 27));
        assert_eq!(span(Period::LastYear).first, date(2025, 12, 4));
        assert_eq!(span(Period::LastYear).days(), 365);
        let tokyo = Calendar::new("Asia/Tokyo");
        assert_eq!(
            tokyo.span(Period::Today, NOW).unwrap().first,
            date(2026, 12, 3)
        );
        // 20:00 in Tokyo is already the next day.
        assert_eq!(tokyo.date_of(NOW + 10 * 3_600_000), date(2026, 12, 4));
        let range = tokyo.range(&tokyo.span(Period::Today, NOW).unwrap());
        assert_eq!(range.from_ms, 1_796_223_600_000);
        assert_eq!(range.to_ms - range.from_ms, 86_400_000);
    }

    #[test]
    fn days_start_at_local_midnight() {
        let start = |tz| Calendar::new(tz).start_of_day(NOW);
        assert_eq!(start("UTC"), 1_796_256_000_000);
        // Tokyo is UTC+9: its day began at 2026-12-02T15:00:00Z.
        assert_eq!(start("Asia/Tokyo"), 1_796_223_600_000);
        // New York is UTC-5 in December: still 2026-12-03 there, began 05:00Z.
        assert_eq!(start("America/New_York"), 1_796_274_000_000);
        assert_eq!(start("Not/AZone"), start("UTC"));
        // Where DST skips midnight (Santiago, 2026-09-06), the day starts at 01:00.
        let santiago = Calendar::new("America/Santiago");
        let day = santiago.start_of(date(2026, 9, 6));
        assert_eq!(santiago.date_of(day), date(2026, 9, 6));
        assert_eq!(santiago.date_of(day - 1), date(2026, 9, 5));
    }

    #[test]
    fn day_numbers_count_local_days_since_1970() {
        assert_eq!(day_number(date(1970, 1, 1)), 0);
        assert_eq!(Calendar::new("UTC").day_number(NOW), 20_790);
        assert_eq!(
            Calendar::new("Asia/Tokyo").day_number(NOW + 10 * 3_600_000),
            20_791
        );
        assert_eq!(date_of_day_number(20_790), date(2026, 12, 3));
    }

    #[test]
    fn bad_periods_are_refused() {
        let utc = Calendar::new("UTC");
        let custom = |from, to| utc.span(Period::Custom { from, to }, NOW);
        assert_eq!(
            custom(date(2026, 2, 1), date(2026, 1, 1)),
            Err(PeriodError::Reversed)
        );
        assert_eq!(
            custom(date(1990, 1, 1), date(2026, 1, 1)),
            Err(PeriodError::TooLong)
        );
        assert_eq!(
            utc.span(Period::LastDays { days: 0 }, NOW),
            Err(PeriodError::Empty)
        );
        assert!(custom(date(2026, 1, 1), date(2026, 1, 1)).is_ok());
    }

    #[test]
    fn previous_period_is_the_same_length_just_before() {
        let span = Span {
            first: date(2026, 3, 1),
            last: date(2026, 3, 31),
        };
        assert_eq!(
            span.previous(),
            Span {
                first: date(2026, 1, 29),
                last: date(2026, 2, 28)
            }
        );
    }

    #[test]
    fn days_follow_dst_and_weeks_and_months_their_calendar_starts() {
        // Europe/Berlin: DST ends 2026-10-25, a 25-hour day.
        let berlin = Calendar::new("Europe/Berlin");
        let span = Span {
            first: date(2026, 10, 24),
            last: date(2026, 10, 26),
        };
        let days = berlin.buckets(&span, Granularity::Day).unwrap();
        let lengths: Vec<i64> = days.windows(2).map(|w| (w[1] - w[0]) / 3_600_000).collect();
        assert_eq!(lengths, [24, 25, 24]);
        let hours = berlin.buckets(&span, Granularity::Hour).unwrap();
        assert_eq!(hours.len() - 1, 73);

        let utc = Calendar::new("UTC");
        // Wed 2026-12-02 .. Tue 2026-12-15: a cut week, a whole one, a cut one.
        let span = Span {
            first: date(2026, 12, 2),
            last: date(2026, 12, 15),
        };
        let weeks = utc.buckets(&span, Granularity::Week).unwrap();
        let day = |ms: &i64| utc.date_of(*ms);
        assert_eq!(
            weeks.iter().map(day).collect::<Vec<_>>(),
            [
                date(2026, 12, 2),
                date(2026, 12, 7),
                date(2026, 12, 14),
                date(2026, 12, 16)
            ]
        );
        let span = Span {
            first: date(2026, 1, 15),
            last: date(2026, 3, 10),
        };
        let months = utc.buckets(&span, Granularity::Month).unwrap();
        assert_eq!(
            months.iter().map(day).collect::<Vec<_>>(),
            [
                date(2026, 1, 15),
                date(2026, 2, 1),
                date(2026, 3, 1),
                date(2026, 3, 11)
            ]
        );
    }

    #[test]
    fn hours_start_at_local_hours_in_fractional_zones() {
        let kolkata = Calendar::new("Asia/Kolkata"); // UTC+5:30
        let span = Span {
            first: date(2026, 12, 3),
            last: date(2026, 12, 3),
        };
        let hours = kolkata.buckets(&span, Granularity::Hour).unwrap();
        assert_eq!(hours.len(), 25);
        assert!(hours.windows(2).all(|w| w[1] - w[0] == 3_600_000));
        assert_eq!(
            (hours[1] + 5 * 3_600_000 + 1_800_000).rem_euclid(3_600_000),
            0
        );
        assert_eq!(
            Granularity::for_span(&Span {
                first: date(2026, 1, 1),
                last: date(2026, 12, 31)
            }),
            Granularity::Month
        );
    }

    #[test]
    fn overlong_series_are_refused() {
        let utc = Calendar::new("UTC");
        let span = Span {
            first: date(2020, 1, 1),
            last: date(2026, 1, 1),
        };
        assert!(matches!(
            utc.buckets(&span, Granularity::Hour),
            Err(PeriodError::TooManyBuckets(_))
        ));
    }
}
