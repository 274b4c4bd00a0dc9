// The headline metrics: their names, how each derives from totals, and how it is formatted.
import type { Metric, Totals } from '../api/types';
import { formatDuration, formatNumber, formatPercent } from './format';

export type MetricUnit = 'count' | 'ratio' | 'seconds';

export interface MetricDef {
  key: Metric;
  label: string;
  unit: MetricUnit;
  /** A rise is bad news (bounce rate, errors): the change is coloured inversely. */
  lowerIsBetter: boolean;
  of(totals: Totals): number | null;
  format(value: number | null): string;
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/** Formats a value of a unit (chart axes and tooltips of mixed metrics). */
export const FORMAT_UNIT: Record<MetricUnit, (value: number | null) => string> = {
  count: formatNumber,
  ratio: formatPercent,
  seconds: formatDuration,
};

function metric(key: Metric, label: string, unit: MetricUnit, of: MetricDef['of'], lowerIsBetter = false): MetricDef {
  return { key, label, unit, lowerIsBetter, of, format: FORMAT_UNIT[unit] };
}

export const METRICS: Record<Metric, MetricDef> = {
  visitors: metric('visitors', 'Visitors', 'count', (t) => t.visitors),
  pageviews: metric('pageviews', 'Pageviews', 'count', (t) => t.pageviews),
  sessions: metric('sessions', 'Sessions', 'count', (t) => t.sessions),
  events: metric('events', 'Events', 'count', (t) => t.events),
  bounce_rate: metric('bounce_rate', 'Bounce rate', 'ratio', (t) => ratio(t.bounces, t.sessions), true),
  engagement_rate: metric('engagement_rate', 'Engagement rate', 'ratio', (t) => ratio(t.engaged, t.sessions)),
  average_duration: metric('average_duration', 'Avg. duration', 'seconds', (t) => ratio(t.duration_seconds, t.sessions)),
  errors: metric('errors', 'JS errors', 'count', (t) => t.errors, true),
};

export const ALL_METRICS = Object.keys(METRICS) as Metric[];

/** The cards of a site's dashboard, in order. */
export const DASHBOARD_METRICS: Metric[] = [
  'visitors',
  'pageviews',
  'sessions',
  'bounce_rate',
  'average_duration',
  'engagement_rate',
  'errors',
];

export function isMetric(value: string | null): value is Metric {
  return value != null && value in METRICS;
}

const ZERO: Totals = { visitors: 0, sessions: 0, pageviews: 0, events: 0, bounces: 0, engaged: 0, duration_seconds: 0, errors: 0 };

/** Several series of totals added bucket by bucket (sites' series cover equally many buckets). */
export function sumByBucket(series: Totals[][]): Totals[] {
  const length = Math.max(0, ...series.map((points) => points.length));
  return Array.from({ length }, (_, i) => {
    const sum = { ...ZERO };
    for (const points of series) {
      const point = points[i];
      if (!point) continue;
      for (const key of Object.keys(ZERO) as (keyof Totals)[]) sum[key] += point[key];
    }
    return sum;
  });
}
