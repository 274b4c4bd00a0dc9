// The dashboard's date ranges: picker presets, their URL form, and the API's periods.
import type { Granularity, Period, Span } from '../api/types';
import type { Query } from './router';

export type RangeKey = 'today' | 'yesterday' | '7d' | '30d' | '90d' | '12m' | 'custom';

export interface Range {
  key: RangeKey;
  /** Both ends, "YYYY-MM-DD", for custom ranges. */
  from: string | null;
  to: string | null;
}

export const RANGE_OPTIONS: { key: RangeKey; label: string; title: string }[] = [
  { key: 'today', label: 'Today', title: 'Today so far' },
  { key: 'yesterday', label: 'Yesterday', title: 'Yesterday' },
  { key: '7d', label: '7D', title: 'Last 7 days' },
  { key: '30d', label: '30D', title: 'Last 30 days' },
  { key: '90d', label: '90D', title: 'Last 90 days' },
  { key: '12m', label: '12M', title: 'Last 12 months' },
  { key: 'custom', label: 'Custom', title: 'Custom range' },
];

const DEFAULT_RANGE: Range = { key: '7d', from: null, to: null };
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function rangeFromQuery(query: URLSearchParams): Range {
  const key = query.get('period') as RangeKey | null;
  if (key === 'custom') {
    const from = query.get('from');
    const to = query.get('to');
    if (from && to && ISO_DATE.test(from) && ISO_DATE.test(to)) {
      return from <= to ? { key, from, to } : { key, from: to, to: from };
    }
    return DEFAULT_RANGE;
  }
  return RANGE_OPTIONS.some((option) => option.key === key) ? { key: key!, from: null, to: null } : DEFAULT_RANGE;
}

/** The range's query values; `from` and `to` are cleared for presets. */
export function rangeToQuery(range: Range): Query {
  return { period: range.key, from: range.from, to: range.to };
}

export function periodOf(range: Range): Period {
  switch (range.key) {
    case 'today':
      return { period: 'today' };
    case 'yesterday':
      return { period: 'yesterday' };
    case '7d':
      return { period: 'last_days', days: 7 };
    case '30d':
      return { period: 'last_days', days: 30 };
    case '90d':
      return { period: 'last_days', days: 90 };
    case '12m':
      return { period: 'last_year' };
    case 'custom':
      return { period: 'custom', from: range.from!, to: range.to! };
  }
}

export function rangeTitle(range: Range): string {
  return RANGE_OPTIONS.find((option) => option.key === range.key)!.title;
}

const DAY_MS = 86_400_000;
const dayNumber = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / DAY_MS;
const isoOfDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** How many local days a range covers (the last 12 months: about 366). */
export function rangeDays(range: Range): number {
  switch (range.key) {
    case 'today':
    case 'yesterday':
      return 1;
    case '7d':
      return 7;
    case '30d':
      return 30;
    case '90d':
      return 90;
    case '12m':
      return 366;
    case 'custom':
      return dayNumber(range.to!) - dayNumber(range.from!) + 1;
  }
}

function spanDays(span: Span): number {
  return dayNumber(span.last) - dayNumber(span.first) + 1;
}

/** The same number of days just before a span, as a custom period. */
export function previousPeriod(span: Span): Period {
  const days = spanDays(span);
  const first = dayNumber(span.first);
  return { period: 'custom', from: isoOfDay(first - days), to: isoOfDay(first - 1) };
}

/** The granularities that make a readable chart of a span this long. */
export function granularityChoices(days: number): Granularity[] {
  const choices: Granularity[] = [];
  if (days <= 31) choices.push('hour');
  if (days >= 2 && days <= 1000) choices.push('day');
  if (days >= 14) choices.push('week');
  if (days >= 60) choices.push('month');
  return choices;
}
