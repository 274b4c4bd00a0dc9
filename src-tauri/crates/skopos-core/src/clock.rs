//! Injected time: business logic asks a [`Clock`] instead of calling `now()` itself,
//! so tests can move time forward deterministically.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch.
pub trait Clock: Send + Sync + 'static {
    fn now_ms(&self) -> i64;
}

/// The operating system's wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or_default()
    }
}

/// A clock that only moves when told to; for tests.
#[derive(Debug)]
pub struct ManualClock(AtomicI64);

impl ManualClock {
    pub fn new(now_ms: i64) -> Self {
        Self(AtomicI64::new(now_ms))
    }

    pub fn set(&self, now_ms: i64) {
        self.0.store(now_ms, Ordering::SeqCst);
    }

    pub fn advance(&self, by_ms: i64) {
        self.0.fetch_add(by_ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// The first millisecond of the calendar day `now_ms` falls in, in an IANA time zone
/// (UTC when the zone is unknown).
pub fn start_of_day_ms(timezone: &str, now_ms: i64) -> i64 {
    use chrono::{TimeZone, Utc};
    let tz: chrono_tz::Tz = timezone.parse().unwrap_or(chrono_tz::UTC);
    let Some(now) = Utc.timestamp_millis_opt(now_ms).single() else {
        return now_ms;
    };
    let local_date = now.with_timezone(&tz).date_naive();
    // A day can start at 01:00 where midnight is skipped by a DST change; take the
    // earliest instant that exists on that date.
    (0..24)
        .find_map(|hour| {
            let naive = local_date.and_hms_opt(hour, 0, 0)?;
            tz.from_local_datetime(&naive).earliest()
        })
        .map(|start| start.timestamp_millis())
        .unwrap_or(now_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_of_day_follows_the_time_zone() {
        // 2026-12-03T10:30:00Z
        let now = 1_796_293_800_000;
        assert_eq!(start_of_day_ms("UTC", now), 1_796_256_000_000);
        // Tokyo is UTC+9: its day began at 2026-12-02T15:00:00Z.
        assert_eq!(start_of_day_ms("Asia/Tokyo", now), 1_796_223_600_000);
        // New York is UTC-5 in December: still 2026-12-03 there, began 05:00Z.
        assert_eq!(start_of_day_ms("America/New_York", now), 1_796_274_000_000);
        assert_eq!(
            start_of_day_ms("Not/AZone", now),
            start_of_day_ms("UTC", now)
        );
    }

    #[test]
    fn manual_clock_moves_only_when_told() {
        let clock = ManualClock::new(1_000);
        assert_eq!(clock.now_ms(), 1_000);
        clock.advance(500);
        assert_eq!(clock.now_ms(), 1_500);
        clock.set(10);
        assert_eq!(clock.now_ms(), 10);
    }

    #[test]
    fn system_clock_is_after_2024() {
        assert!(SystemClock.now_ms() > 1_704_067_200_000);
    }
}
