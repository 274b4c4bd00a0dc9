// The report a view shows, as the URL keeps it: the date range and the filters.
import type { Filter, Period } from '../api/types';
import { filterParam, parseFilter } from './filters';
import { periodOf, rangeFromQuery, rangeToQuery, type Range } from './range';
import type { Query } from './router';

export interface ReportState {
  range: Range;
  filters: Filter[];
}

export function readReportState(query: URLSearchParams): ReportState {
  return {
    range: rangeFromQuery(query),
    filters: query
      .getAll('f')
      .map(parseFilter)
      .filter((f): f is Filter => f != null),
  };
}

export function reportStateQuery(state: ReportState): Query {
  return { ...rangeToQuery(state.range), f: state.filters.map(filterParam) };
}

/** The API's `ReportQuery` for a site. */
export function reportQuery(siteId: number, state: ReportState): { site_id: number; filters: Filter[] } & Period {
  return { site_id: siteId, filters: state.filters, ...periodOf(state.range) };
}
