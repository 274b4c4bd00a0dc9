// Every number, rate, duration and date the dashboard shows, formatted in one place.
import type { Granularity } from '../api/types';
import { LOCALE } from './locale';

const plain = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });
const compact = new Intl.NumberFormat(LOCALE, { notation: 'compact', maximumFractionDigits: 1 });
const percent = new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 1 });
const wholePercent = new Intl.NumberFormat(LOCALE, { style: 'percent', maximumFractionDigits: 0 });

const DASH = '—';

/** Counts: exact below ten thousand, compact (12.3K) above. */
export function formatNumber(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return DASH;
  return Math.abs(value) < 10_000 ? plain.format(value) : compact.format(value);
}

/** Counts in full, for tooltips next to a compact number. */
export function formatExact(value: number): string {
  return plain.format(value);
}

/** A ratio 0..1 as a percentage. */
export function formatPercent(ratio: number | null | undefined): string {
  return ratio == null || !Number.isFinite(ratio) ? DASH : percent.format(ratio);
}

/** A share of a whole (bars in breakdowns): whole percents, "<1%" for slivers. */
export function formatShare(ratio: number): string {
  return ratio > 0 && ratio < 0.01 ? '<1%' : wholePercent.format(ratio);
}

/** Seconds as "45s", "3m 07s", "1h 02m". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds)) return DASH;
  const total = Math.round(seconds);
  if (total < 60) return `${total}s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return `${minutes}m ${String(total % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

/** Relative change from `previous` to `current` (0.25 = +25%); null when undefined. */
export function relativeChange(current: number | null, previous: number | null): number | null {
  if (current == null || previous == null) return null;
  if (previous === 0) return current === 0 ? 0 : null;
  return (current - previous) / Math.abs(previous);
}

/** A change as "+12%" / "−3.4%". */
export function formatChange(change: number): string {
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  const magnitude = Math.abs(change);
  return sign + (magnitude >= 10 ? compact.format(magnitude * 100) + '%' : percent.format(magnitude));
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A cached date formatter for a time zone (undefined = the computer's). */
function dateFormat(timeZone: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALE, { ...options, timeZone });
    formatters.set(key, format);
  }
  return format;
}

/** "Mar 3, 2026, 14:05". */
export function formatDateTime(ms: number, timeZone?: string): string {
  return dateFormat(timeZone, { dateStyle: 'medium', timeStyle: 'short' }).format(ms);
}

/** "Mar 3, 14:05" (the year only when it is not this year), for dense tables. */
export function formatWhen(ms: number, timeZone?: string): string {
  const thisYear = new Date(ms).getFullYear() === new Date().getFullYear();
  return dateFormat(
    timeZone,
    thisYear ? { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' } : { dateStyle: 'medium', timeStyle: 'short' },
  ).format(ms);
}

/** "Mar 3, 2026". */
export function formatDate(ms: number, timeZone?: string): string {
  return dateFormat(timeZone, { dateStyle: 'medium' }).format(ms);
}

/** "14:05:09". */
export function formatTime(ms: number, timeZone?: string): string {
  return dateFormat(timeZone, { timeStyle: 'medium' }).format(ms);
}

/** A span of local calendar days as "Mar 3 – Mar 9, 2026" (one date when it is one day). */
export function formatSpan(first: string, last: string): string {
  const range = dateFormat('UTC', { month: 'short', day: 'numeric', year: 'numeric' });
  const from = Date.parse(`${first}T00:00:00Z`);
  const to = Date.parse(`${last}T00:00:00Z`);
  return first === last ? range.format(from) : range.formatRange(from, to);
}

/** A chart bucket's start as its granularity names it. */
export function formatBucket(ms: number, granularity: Granularity, timeZone?: string): string {
  switch (granularity) {
    case 'hour':
      return dateFormat(timeZone, { weekday: 'short', hour: '2-digit', minute: '2-digit' }).format(ms);
    case 'day':
      return dateFormat(timeZone, { weekday: 'short', month: 'short', day: 'numeric' }).format(ms);
    case 'week':
      return `Week of ${dateFormat(timeZone, { month: 'short', day: 'numeric', year: 'numeric' }).format(ms)}`;
    case 'month':
      return dateFormat(timeZone, { month: 'long', year: 'numeric' }).format(ms);
  }
}

const clocks = new Map<string | undefined, Intl.DateTimeFormat>();

/** Whether an instant is 00:00 in a time zone (read in a fixed locale, so digits are ASCII). */
function isLocalMidnight(ms: number, timeZone: string | undefined): boolean {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone });
    clocks.set(timeZone, clock);
  }
  return clock.format(ms) === '00:00';
}

/** A time-axis label for a tick, as precise as the ticks are apart (`stepSeconds`); hourly
 *  ticks at local midnight name the day instead. */
export function formatAxisTick(ms: number, stepSeconds: number, timeZone?: string): string {
  if (stepSeconds < 86_400) {
    if (!isLocalMidnight(ms, timeZone)) return dateFormat(timeZone, { hour: 'numeric', minute: '2-digit' }).format(ms);
  }
  if (stepSeconds < 28 * 86_400) return dateFormat(timeZone, { month: 'short', day: 'numeric' }).format(ms);
  return dateFormat(timeZone, { month: 'short', year: '2-digit' }).format(ms);
}

const relative = new Intl.RelativeTimeFormat(LOCALE, { numeric: 'auto', style: 'long' });

/** "just now", "5 minutes ago", "3 days ago", then a date. */
export function formatAgo(ms: number, now = Date.now(), timeZone?: string): string {
  const seconds = Math.round((now - ms) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return relative.format(-minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 24) return relative.format(-hours, 'hour');
  const days = Math.round(hours / 24);
  if (days < 30) return relative.format(-days, 'day');
  return formatDate(ms, timeZone);
}

/** Time since a session began, as "+0:42" or "+1:02:05". */
export function formatOffset(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours ? `+${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `+${minutes}:${seconds}`;
}

/** A day in a time zone (today by default) as "YYYY-MM-DD" (the en-CA format is ISO). */
export function isoDateIn(timeZone: string | undefined, ms = Date.now()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}
