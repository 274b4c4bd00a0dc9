// Report filters: the dimensions' names, and a filter's URL form "dimension:op:value".
import type { Dimension, Filter, FilterOp } from '../api/types';

export const DIMENSION_LABELS: Record<Dimension, string> = {
  page: 'Page',
  entry_page: 'Entry page',
  exit_page: 'Exit page',
  referrer: 'Referrer',
  channel: 'Channel',
  utm_source: 'UTM source',
  utm_medium: 'UTM medium',
  utm_campaign: 'UTM campaign',
  utm_term: 'UTM term',
  utm_content: 'UTM content',
  country: 'Country',
  region: 'Region',
  browser: 'Browser',
  os: 'Operating system',
  device: 'Device',
  language: 'Language',
  screen: 'Screen size',
  event: 'Custom event',
};

export const DIMENSIONS = Object.keys(DIMENSION_LABELS) as Dimension[];

export const OP_LABELS: Record<FilterOp, string> = { is: 'is', is_not: 'is not', contains: 'contains' };

export const OPS = Object.keys(OP_LABELS) as FilterOp[];

/** Reads "country:is:DE"; the value may itself contain colons. */
export function parseFilter(text: string): Filter | null {
  const [dimension, op, ...rest] = text.split(':');
  if (!(dimension! in DIMENSION_LABELS) || !(op! in OP_LABELS) || rest.length === 0) return null;
  return { dimension: dimension as Dimension, op: op as FilterOp, value: rest.join(':') };
}

export function filterParam(filter: Filter): string {
  return `${filter.dimension}:${filter.op}:${filter.value}`;
}

export function sameFilter(a: Filter, b: Filter): boolean {
  return a.dimension === b.dimension && a.op === b.op && a.value === b.value;
}
